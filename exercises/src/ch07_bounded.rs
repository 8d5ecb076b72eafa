//! # Chapter 7, exercise 1: a bounded queue whose waiters can be cancelled
//!
//! ## Task
//!
//! Write the four pieces of a bounded queue that chapter 7 explains. The queue and its state are
//! given, in `exercises/src/given/queue_stage.rs` (read it first: this file includes it), and so
//! are the waiter lines (`Waiters`, tinyio's own, from `src/queue/waiters.rs`). The counter and
//! the joiners in the state are chapter 8's: leave them alone.
//!
//! 1. `State::try_put`: if the buffer is full, give the item back in `TryPutError::Full`;
//!    otherwise append it and notify the first waiting getter (return its waker: the caller
//!    wakes it after unlocking). `State::try_get`: take the front item or fail with
//!    `TryGetError::Empty`; on success notify the first waiting putter.
//! 2. `Get::poll` and `Put::poll`, the loop of chapter 6: if in the line, `poll_turn` (not
//!    notified: `Pending`, keep your place); then **try** (`state.try_get()` / `state.try_put()`);
//!    if that fails because the queue is empty / full, join the **back** of the line and return
//!    `Pending`. A notification only means "look again": a putter that was notified must still
//!    find room, or the queue would hold more than `maxsize` items. Wake the waker that `try_*`
//!    returns after releasing the lock. A `Put` keeps its item in `self.item` while it waits.
//! 3. `Drop for Get` and `Drop for Put`: if the future is in a line (`self.key` is `Some`), leave
//!    it with `cancel(key)`, which says whether the future had been notified. If it had, and the
//!    queue still holds an item (getters) / still has a free slot (putters), pass the wake-up on
//!    to the next waiter of the same line. Otherwise wake no one.
//!
//! The outputs are `Result`s because tinyio's queue can be shut down; this one cannot, so your
//! futures return `Ok`. Grade it: `cargo test ch07`. The answer is tinyio's own `Get` and `Put`
//! (`src/queue/get.rs`, `src/queue/put.rs`), which chapter 7 shows once you are done.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

include!("given/queue_stage.rs");

impl<T> State<T> {
    /// Appends `item` if there is room, and notifies the first waiting getter.
    fn try_put(&mut self, item: T) -> Result<Wakeup, TryPutError<T>> {
        // TODO: full? Err(TryPutError::Full(item)). Else append, notify the first getter.
        todo!()
    }

    /// Takes the front item, if any, and notifies the first waiting putter.
    fn try_get(&mut self) -> Result<(T, Wakeup), TryGetError> {
        // TODO: take the front item (or Err(TryGetError::Empty)); notify the first putter.
        todo!()
    }
}

/// The future of [`Queue::get`].
pub struct Get<'a, T> {
    /// The key of our slot in the getter line while we are in it (from the poll that joins
    /// the line to the poll that finds us notified, or to the drop); `None` otherwise.
    key: Option<usize>,
    /// The queue to take from.
    queue: &'a Queue<T>,
}

impl<T> Future for Get<'_, T> {
    type Output = Result<T, GetError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: in the line? poll_turn. Then try_get; if empty, join_back and Pending.
        todo!()
    }
}

impl<T> Drop for Get<'_, T> {
    fn drop(&mut self) {
        // TODO: if in the line, cancel(key); if we had been notified and an item is left,
        // notify the next getter (and wake it after unlocking).
    }
}

/// The future of [`Queue::put`].
pub struct Put<'a, T> {
    /// The key of our slot in the putter line while we are in it, as for `Get`.
    key: Option<usize>,
    /// The item we put, until it is in the queue; `None` once we returned `Ready`.
    item: Option<T>,
    /// The queue to put into.
    queue: &'a Queue<T>,
}

/// The item is never pinned (it moves into the queue), so `Put` can be `Unpin` for any `T`.
impl<T> Unpin for Put<'_, T> {}

impl<T> Future for Put<'_, T> {
    type Output = Result<(), PutError<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: in the line? poll_turn. Then try_put; if full, keep the item, join_back, Pending.
        todo!()
    }
}

impl<T> Drop for Put<'_, T> {
    fn drop(&mut self) {
        // TODO: if in the line, cancel(key); if we had been notified and a slot is free,
        // notify the next putter (and wake it after unlocking).
    }
}

impl<T> Queue<T> {
    /// A future that takes the front item, waiting while the queue is empty.
    pub fn get(&self) -> Get<'_, T> {
        Get {
            key: None,
            queue: self,
        }
    }

    /// A future that puts `item` at the back, waiting while the queue is full.
    pub fn put(&self, item: T) -> Put<'_, T> {
        Put {
            key: None,
            item: Some(item),
            queue: self,
        }
    }
}
