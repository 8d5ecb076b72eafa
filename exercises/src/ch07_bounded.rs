//! # Chapter 7, exercise 1: a bounded queue whose waiters can be cancelled
//!
//! ## Task
//!
//! Write the four pieces of a bounded queue that chapter 7 explains. The queue and its state are
//! given, in `exercises/src/given/queue_stage.rs` (read it first: this file includes it), and so
//! are the waiter lines (`Waiters`, tinyio's own, from `src/queue/waiters.rs`).
//!
//! - `State::try_put` and `State::try_get`: one step each, under the lock the caller holds.
//!   `try_put` on a full queue gives the item back in `TryPutError::Full`; otherwise it appends
//!   the item and notifies the first waiting getter. `try_get` on an empty queue fails with
//!   `TryGetError::Empty`; otherwise it takes the front item and notifies the first waiting
//!   putter. Each returns the waker of the waiter it notified (the caller wakes it after
//!   unlocking). **The counter:** in this chapter `try_put` does not touch `unfinished`, and
//!   nothing else you write here does either. The given state has it (and `joiners`) because
//!   chapter 8 builds on this queue: there `try_put` counts each item it accepts.
//! - `Get` and `Put`: chapter 6's waiting future, for both lines. A `Get` completes with
//!   `Ok(front item)`, a `Put` with `Ok(())` once its item is in the queue; this queue is never
//!   shut down, so neither ever returns an error. A `Put` keeps its item while it waits.
//! - `Drop for Get` and `Drop for Put`: a future dropped while it waits must take nothing,
//!   insert nothing, and leave its line.
//!
//! The rules the grader checks:
//! - **The capacity is never exceeded.** A notification is only a reason to look again: a
//!   notified putter that finds the queue full (someone else took the slot) waits again.
//! - **FIFO, at the back.** Each successful put notifies one getter and each successful get one
//!   putter, the one that waited longest; a waiter that was notified and still cannot go on
//!   joins the **back** of its line. Spurious polls keep their place (waker rule 3).
//! - **Cancel safety, and passing a wake-up on.** A dropped waiter that had been notified got a
//!   wake-up it will never act on: if the queue can still serve that line (an item for getters,
//!   a free slot for putters), the next waiter of the same line must be notified instead. A
//!   dropped waiter that was not notified, or whose item or slot someone else took, wakes
//!   nobody.
//! - Nothing is woken while the lock is held.
//!
//! Grade it: `cargo test ch07`. A failing scenario prints what it probes;
//! `cargo hint ch07` prints the recipe. The answer is tinyio's own `Get` and `Put`
//! (`src/queue/get.rs`, `src/queue/put.rs`), which the chapter shows once you are done.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

include!("given/queue_stage.rs");

impl<T> State<T> {
    /// Appends `item` if there is room, and notifies the first waiting getter.
    fn try_put(&mut self, item: T) -> Result<Wakeup, TryPutError<T>> {
        // TODO: write `State::try_put`.
        todo!()
    }

    /// Takes the front item, if any, and notifies the first waiting putter.
    fn try_get(&mut self) -> Result<(T, Wakeup), TryGetError> {
        // TODO: write `State::try_get`.
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
        // TODO: write `Get::poll`.
        todo!()
    }
}

impl<T> Drop for Get<'_, T> {
    fn drop(&mut self) {
        // TODO: leave the getter line, passing a wake-up on when the rules say so.
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
        // TODO: write `Put::poll`.
        todo!()
    }
}

impl<T> Drop for Put<'_, T> {
    fn drop(&mut self) {
        // TODO: leave the putter line, passing a wake-up on when the rules say so.
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
