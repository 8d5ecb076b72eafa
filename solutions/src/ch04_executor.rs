//! Reference answer to `exercises/src/ch04_executor.rs` (the task is written there).
//!
//! A run-queue executor in the shape of tinyio's `run`, smaller: the main future is spawned as
//! a task (so it must be `Send + 'static`), there is no registry of live tasks and no `abort`.

use std::any::Any;
use std::cell::RefCell;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crossbeam_channel::{Receiver, Sender};
use futures_task::{ArcWake, waker_ref};

/// Why a task gave no result: it panicked, with this message.
pub struct JoinError {
    /// The panic message.
    pub panic: String,
}

/// What `run` returns when the main future is pending and no task is runnable.
pub struct Deadlock;

thread_local! {
    /// The sending half of the run queue of the `run` running on this thread, if any.
    static RUN_QUEUE: RefCell<Option<Sender<Arc<dyn Runnable>>>> = const { RefCell::new(None) };
}

// ANCHOR: runnable
/// What the run loop needs of a task, whatever its future's type.
trait Runnable: Send + Sync {
    /// Polls the task's future once (or does nothing if it finished).
    fn run(self: Arc<Self>);
}
// ANCHOR_END: runnable

// ANCHOR: task
/// A spawned future, its "in the run queue" flag and its result slot.
struct Task<F: Future> {
    /// The future, until it finishes or panics.
    future: Mutex<Option<Pin<Box<F>>>>,
    /// The task is in the run queue: a wake-up must not push it again.
    queued: AtomicBool,
    /// Where a wake-up pushes the task.
    run_queue: Sender<Arc<dyn Runnable>>,
    /// Shared with the `JoinHandle`.
    join: Arc<Mutex<JoinSlot<F::Output>>>,
}

/// Where a task leaves its result, and the waker of whoever awaits it.
struct JoinSlot<T> {
    result: Option<Result<T, JoinError>>,
    waker: Option<Waker>,
}
// ANCHOR_END: task

// ANCHOR: wake
impl<F> ArcWake for Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn wake_by_ref(arc_self: &Arc<Self>) {
        // Push the task only if it is not in the queue already.
        if !arc_self.queued.swap(true, Ordering::AcqRel) {
            let task: Arc<dyn Runnable> = arc_self.clone();
            let _ = arc_self.run_queue.send(task); // fails only once `run` is over
        }
    }
}
// ANCHOR_END: wake

// ANCHOR: run_task
impl<F> Runnable for Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn run(self: Arc<Self>) {
        // Cleared *before* the poll: a wake-up during the poll queues the task again.
        self.queued.store(false, Ordering::Release);
        let mut slot = self.future.lock().unwrap();
        let Some(future) = slot.as_mut() else {
            return; // finished already
        };
        let waker = waker_ref(&self);
        let mut cx = Context::from_waker(&waker);
        let result = match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx))) {
            Ok(Poll::Pending) => return,
            Ok(Poll::Ready(output)) => Ok(output),
            Err(payload) => Err(JoinError {
                panic: panic_message(&*payload),
            }),
        };
        *slot = None; // never polled again
        drop(slot);
        let waker = {
            let mut join = self.join.lock().unwrap();
            join.result = Some(result);
            join.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}
// ANCHOR_END: run_task

// ANCHOR: spawn
/// Spawns `future` as a task of the running executor; it starts when the caller suspends.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let run_queue = RUN_QUEUE.with(|q| q.borrow().clone());
    let Some(run_queue) = run_queue else {
        panic!("spawn was called outside run: a task needs an executor to run on");
    };
    let join = Arc::new(Mutex::new(JoinSlot {
        result: None,
        waker: None,
    }));
    let task = Arc::new(Task {
        future: Mutex::new(Some(Box::pin(future))),
        queued: AtomicBool::new(true),
        run_queue: run_queue.clone(),
        join: join.clone(),
    });
    let _ = run_queue.send(task);
    JoinHandle { join }
}
// ANCHOR_END: spawn

// ANCHOR: join_handle
/// Awaits a spawned task's result.
pub struct JoinHandle<T> {
    join: Arc<Mutex<JoinSlot<T>>>,
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut join = self.join.lock().unwrap();
        match join.result.take() {
            Some(result) => Poll::Ready(result),
            None => {
                join.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: join_handle

// ANCHOR: run
/// Runs `future` and every task it spawns until `future` is ready; returns its output, or
/// `Err(Deadlock)` when it is pending and nothing is left to run.
pub fn run<F>(future: F) -> Result<F::Output, Deadlock>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let (sender, receiver): (_, Receiver<Arc<dyn Runnable>>) = crossbeam_channel::unbounded();
    let previous = RUN_QUEUE.with(|q| q.replace(Some(sender)));
    assert!(previous.is_none(), "run was called inside run");
    let _reset = Reset; // forgets the run queue when `run` returns, even by a panic
    let main = spawn(future);
    loop {
        if let Some(result) = main.join.lock().unwrap().result.take() {
            return match result {
                Ok(output) => Ok(output),
                Err(error) => panic!("the main future panicked: {}", error.panic),
            };
        }
        match receiver.try_recv() {
            Ok(task) => task.run(),
            Err(_) => return Err(Deadlock), // main is pending and nothing can run
        }
    }
}

/// Clears `RUN_QUEUE` when dropped.
struct Reset;

impl Drop for Reset {
    fn drop(&mut self) {
        RUN_QUEUE.with(|q| q.borrow_mut().take());
    }
}
// ANCHOR_END: run

/// The text of a panic payload (`&str` or `String`).
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        String::from("(a panic payload that is not a string)")
    }
}
