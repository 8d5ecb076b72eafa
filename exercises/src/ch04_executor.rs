//! # Chapter 4, exercise 1: a run-queue executor with `spawn` and `JoinHandle`
//!
//! ## Task
//!
//! Write `run(future)`, `spawn(future)` and `JoinHandle`: stage 3 of chapter 4, on one thread, with
//! a FIFO run queue (a `crossbeam_channel`) and tasks that put themselves back on it when woken.
//! The types are given; you write the wake-up, one turn of a task, `spawn`, the handle's `poll` and
//! the loop. What they must guarantee:
//!
//! - **FIFO**: tasks run in the order they were queued; a task woken during its own poll (a yield)
//!   goes to the back.
//! - **Spawn does not poll**: a spawned task starts when its spawner suspends, after every task
//!   that was ready before it. `spawn` finds the running executor through `RUN_QUEUE`, and panics
//!   with a clear message outside `run`.
//! - **Queued at most once**: ten wake-ups before a task's turn give one poll; a wake-up that
//!   arrives *during* the poll must still queue it again (the same lost wake-up as `block_on`'s
//!   flag in chapter 3).
//! - **A panic is contained**: it becomes that task's result, `Err(JoinError)` with the panic's
//!   message (`panic_message`); the other tasks go on, and a finished task is never polled again.
//! - **Join**: awaiting a `JoinHandle` gives the task's result; the task wakes whoever waits for it
//!   when it finishes (chapter 2's flag, with a value in it).
//! - **No hang**: when the main future is pending and the queue is empty, nothing can ever run
//!   again: `run` returns `Err(Deadlock)` at once. A task still pending when main finishes is not a
//!   deadlock.
//!
//! Yours is simpler than tinyio's: `run` spawns the main future as a task too (so it must be
//! `Send + 'static`), there is no registry (tasks still pending when `run` returns may leak) and no
//! `abort`. Traps: clearing `queued` after the poll; waking a waker while holding the lock that
//! keeps it (waker rule 5).
//!
//! Grade it: `cargo test ch04` (`cargo hint ch04` for the full recipe).

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
        // TODO: queued at most once.
        todo!()
    }
}

impl<F> Runnable for Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn run(self: Arc<Self>) {
        // TODO: one turn: the task's future is polled once, unless it finished.
        todo!()
    }
}

/// Spawns `future` as a task of the running executor; it starts when the caller suspends.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    // TODO
    todo!()
}

/// Awaits a spawned task's result.
pub struct JoinHandle<T> {
    join: Arc<Mutex<JoinSlot<T>>>,
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO
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
    // TODO: `Reset` clears RUN_QUEUE when `run` returns, even by a panic.
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
