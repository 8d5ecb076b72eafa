//! # Chapter 4, exercise 1: a run-queue executor with `spawn` and `JoinHandle`
//!
//! ## Task
//!
//! Write `run(future)`, `spawn(future)` and `JoinHandle`, the executor of chapter 4: one thread,
//! a FIFO run queue (a `crossbeam_channel`), and tasks that push themselves onto it when woken.
//!
//! - `spawn` wraps the future in an `Arc<Task>`, pushes it onto the back of the run queue of the
//!   `run` running on this thread (`RUN_QUEUE`), and returns a `JoinHandle`. It does not poll:
//!   the task starts when the caller suspends, after every task that was ready before it.
//! - `run` spawns the main future too (so yours needs `Send + 'static`; tinyio's does not), then
//!   loops: take the task at the front of the queue and run it; return the main future's output
//!   once it is ready. When the main future is pending and the queue is empty, nothing can ever
//!   run again: return `Err(Deadlock)` at once instead of waiting forever.
//! - A task is in the queue at most once: waking it ten times before its turn runs it once. Keep
//!   the `queued` flag for that, and clear it *before* polling, so a wake-up during the poll (a
//!   task that yields) queues it again, at the back.
//! - A panic in a task is caught (`catch_unwind`) and becomes its result, `Err(JoinError)`, with
//!   the panic's message (`panic_message`); the other tasks go on. A finished task is never polled
//!   again.
//! - Awaiting a `JoinHandle` gives the task's result, or stores the waker in the `JoinSlot` and
//!   returns `Pending`; the task wakes that waker when it finishes.
//!
//! Grade it: `cargo test ch04`. The grader runs small programs on your executor and checks the
//! order in which the tasks' bodies log, the join results, a contained panic, a task woken twice
//! before its turn (polled once), and a program that can never finish (`Err(Deadlock)`).

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

/// What the run loop needs of a task, whatever its future's type.
trait Runnable: Send + Sync {
    /// Polls the task's future once (or does nothing if it finished).
    fn run(self: Arc<Self>);
}

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

impl<F> ArcWake for Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn wake_by_ref(arc_self: &Arc<Self>) {
        // TODO: push the task onto `run_queue`, unless `queued` says it is there already.
        todo!()
    }
}

impl<F> Runnable for Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn run(self: Arc<Self>) {
        // TODO: clear `queued`, poll the future once inside `catch_unwind`; when it finishes
        // (or panics), empty the future slot, store the result and wake the waker in `join`.
        todo!()
    }
}

/// Spawns `future` as a task of the running executor; it starts when the caller suspends.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    // TODO: make the task (`queued` is true: it starts in the queue), push it, return a handle.
    todo!()
}

/// Awaits a spawned task's result.
pub struct JoinHandle<T> {
    join: Arc<Mutex<JoinSlot<T>>>,
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: take the result if it is there; otherwise store the waker and wait.
        todo!()
    }
}

/// Runs `future` and every task it spawns until `future` is ready; returns its output, or
/// `Err(Deadlock)` when it is pending and nothing is left to run.
pub fn run<F>(future: F) -> Result<F::Output, Deadlock>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    // TODO: set RUN_QUEUE (keep a `Reset` guard), spawn the main future, then loop: return
    // its result once it is there; otherwise run the next task, or return Err(Deadlock).
    todo!()
}

/// Clears `RUN_QUEUE` when dropped.
struct Reset;

impl Drop for Reset {
    fn drop(&mut self) {
        RUN_QUEUE.with(|q| q.borrow_mut().take());
    }
}

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
