//! `JoinHandle`: await a spawned task's result, or cancel it.
//!
//! Guarantees:
//! - awaiting a handle gives the task's output, or a [`JoinError`] that says whether the task
//!   was cancelled or panicked (with the panic message);
//! - `abort` is a request, as asyncio's `Task.cancel()` is: it marks the task and schedules it,
//!   and at its next turn the task is dropped instead of polled. Its effect on the queues the
//!   task waits on is immediate, as in asyncio: from the moment of the abort, the task's waiters
//!   take no notification (a put or get in the same step goes to the next waiter); a waiter
//!   that had already been notified passes its wake-up on when the future is dropped. A task
//!   aborted during its own poll (it aborted itself) ends as cancelled even if that poll
//!   returned. Aborting a finished task changes nothing;
//! - dropping a handle detaches the task: it keeps running, like an asyncio task that nobody
//!   awaits. A handle made with [`JoinHandle::abort_on_drop`] aborts its task when dropped
//!   instead, which is what asyncio's `gather` does to its children when it is cancelled.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

pub use crate::join_error::JoinError;
use crate::note::{self, Wait};
use crate::owner;
use crate::state;
use crate::task::{Task, schedule};

/// An owned permission to await a spawned task's result, and to cancel it.
///
/// Returned by [`spawn`](crate::spawn). It is a future of `Result<T, JoinError>`.
///
/// ```
/// tinyio::run(async {
///     let sleeper = tinyio::spawn(async {
///         loop {
///             tinyio::yield_now().await;
///         }
///     });
///     sleeper.abort();
///     let error = sleeper.await.unwrap_err();
///     assert!(error.is_cancelled());
/// });
/// ```
#[must_use = "a dropped JoinHandle detaches its task; call .await, .abort() or drop() explicitly"]
pub struct JoinHandle<T> {
    task: Arc<dyn JoinTarget<T>>,
    /// Abort the task when this handle is dropped.
    abort_on_drop: bool,
}

/// The part of a task a handle needs, whatever the task's future type.
pub(crate) trait JoinTarget<T>: Send + Sync {
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<T, JoinError>>;
    fn abort(self: Arc<Self>);
    fn is_finished(&self) -> bool;
    fn handle_dropped(&self);
}

impl<F> JoinTarget<F::Output> for Task<F>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    // ANCHOR: poll_join
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<F::Output, JoinError>> {
        let mut join = self.join_slot();
        if let Some(result) = join.result.take() {
            join.taken = true;
            return Poll::Ready(result);
        }
        assert!(
            !join.taken,
            "a JoinHandle was polled after it returned its result"
        );
        if !join.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            // Clone with the lock released, and drop the old waker after releasing it again: a
            // waker's clone or drop may run any code.
            drop(join);
            let waker = cx.waker().clone();
            join = self.join_slot();
            if let Some(result) = join.result.take() {
                join.taken = true;
                return Poll::Ready(result); // it finished meanwhile; `waker` is dropped unlocked
            }
            let old = join.waker.replace(waker);
            drop(join);
            drop(old);
        } else {
            drop(join);
        }
        note::put(Wait::Join(self.header.label()));
        Poll::Pending
    }
    // ANCHOR_END: poll_join

    fn abort(self: Arc<Self>) {
        if state::abort(&self.header.state) {
            owner::aborted(self.header.owner_key());
            if let Some(tracer) = &self.header.runtime.tracer {
                tracer.record_abort(self.header.label());
            }
            schedule(self);
        }
    }

    fn is_finished(&self) -> bool {
        state::is_done(&self.header.state)
    }

    fn handle_dropped(&self) {
        self.header.has_handle.store(false, Ordering::Release);
        // Nobody awaits the result any more: forget the waiter, or the task's end would wake
        // a task that no longer waits for it. (A finished task already took it out.)
        if !self.is_finished() {
            let waker = self.join_slot().waker.take();
            drop(waker); // outside the lock
        }
    }
}

impl<T> JoinHandle<T> {
    pub(crate) fn new<F>(task: Arc<Task<F>>) -> JoinHandle<T>
    where
        F: Future<Output = T> + Send + 'static,
        T: Send + 'static,
    {
        task.header.has_handle.store(true, Ordering::Release);
        JoinHandle {
            task,
            abort_on_drop: false,
        }
    }

    /// Requests cancellation and returns at once. At its next turn the task is dropped instead
    /// of polled, and awaiting this handle gives [`JoinError::is_cancelled`]. Does nothing if
    /// the task already finished (its result stays available).
    ///
    /// As with asyncio's `task.cancel()`, the task's place in the waiter lines of the queues it
    /// waits on is given up at once: a put (or get) made right after the abort notifies the next
    /// waiter, never the aborted one. A task that aborts itself and then returns in the same
    /// poll ends as cancelled too, and its output is dropped.
    ///
    /// ```
    /// use tinyio::{Queue, run, spawn, yield_now};
    ///
    /// run(async {
    ///     let queue = Queue::new();
    ///     let first = spawn({
    ///         let queue = queue.clone();
    ///         async move { queue.get().await.unwrap() }
    ///     });
    ///     let second = spawn({
    ///         let queue = queue.clone();
    ///         async move { queue.get().await.unwrap() }
    ///     });
    ///     yield_now().await; // both wait, first in line
    ///     first.abort();
    ///     queue.try_put("item").unwrap(); // notifies `second` directly
    ///     assert!(first.await.unwrap_err().is_cancelled());
    ///     assert_eq!(second.await.unwrap(), "item");
    /// });
    /// ```
    pub fn abort(&self) {
        self.task.clone().abort();
    }

    /// Whether the task has finished: returned, panicked or been cancelled.
    ///
    /// ```
    /// tinyio::run(async {
    ///     let task = tinyio::spawn(async { 1 });
    ///     assert!(!task.is_finished()); // it starts when main next suspends
    ///     tinyio::yield_now().await;
    ///     assert!(task.is_finished());
    /// });
    /// ```
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }

    /// Makes this handle abort its task when dropped (by default a dropped handle detaches the
    /// task). Gathering such handles behaves like asyncio's `gather`: dropping the gather
    /// cancels every child that has not finished.
    ///
    /// ```
    /// tinyio::run(async {
    ///     let queue = tinyio::Queue::new();
    ///     let getter = tinyio::spawn({
    ///         let queue = queue.clone();
    ///         async move { queue.get().await }
    ///     })
    ///     .abort_on_drop();
    ///     tinyio::yield_now().await; // the getter waits for an item
    ///     drop(getter); // aborts it (a plain handle would detach it)
    ///     queue.try_put(1).unwrap();
    ///     tinyio::yield_now().await;
    ///     assert_eq!(queue.len(), 1); // nobody took the item
    /// });
    /// ```
    pub fn abort_on_drop(mut self) -> JoinHandle<T> {
        self.abort_on_drop = true;
        self
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.task.poll_join(cx)
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        if self.abort_on_drop {
            self.task.clone().abort();
        }
        self.task.handle_dropped();
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("finished", &self.is_finished())
            .field("abort_on_drop", &self.abort_on_drop)
            .finish()
    }
}
