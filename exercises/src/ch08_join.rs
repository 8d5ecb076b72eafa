//! # Chapter 8, exercise 1: `task_done` and `join`
//!
//! ## Task
//!
//! The queue of chapter 7 is given (`exercises/src/given/queue_stage.rs`, included), with its
//! `Get` and `Put` (tinyio's own, included from `src/queue/`). Its state has an unfinished
//! counter and a line of joiners. Make the queue join-able:
//!
//! - `State::try_put`: chapter 7's (full: the item comes back in `TryPutError::Full`; otherwise
//!   append it and notify the first getter), and now it counts each item it accepts.
//! - `Queue::task_done()`: marks one item as done. Called with nothing unfinished, it fails
//!   with `TaskDoneError` and changes nothing. When it brings the count to zero, every waiting
//!   joiner is released.
//! - `Queue::join()`'s future, `Join`: completes once nothing is unfinished.
//! - `Drop for Join`: a joiner dropped while it waits leaves the line.
//!
//! The rules the grader checks:
//! - **Only a successful put counts an item, only `task_done` uncounts it.** A get, a failed
//!   `try_put` and a `task_done` too many change nothing.
//! - **The fast path.** A `Join` polled first with nothing unfinished is `Ready` at once, without
//!   joining the line and without waking its own task.
//! - **All at once, after the lock.** Reaching zero notifies *every* joiner (not only the first),
//!   and they are woken once the lock is released.
//! - **Released by the moment, not by the count.** A joiner that was notified is released even
//!   if a put has raised the count again before it runs; one that was not notified keeps
//!   waiting (and its place) on a spurious poll.
//! - A dropped joiner leaves the line and has no wake-up to pass on.
//!
//! Grade it: `cargo test ch08`. The last two scenarios run the seed program, corrected, on your
//! queue. A failing scenario prints what it probes; `cargo hint ch08` prints the
//! recipe. The answer is in `solutions/src/` (and `Join` is `src/queue/join.rs`).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::waiters::WakeList;

include!("given/queue_stage.rs");

impl<T> State<T> {
    /// Takes the front item, if any, and notifies the first waiting putter. Chapter 7's.
    fn try_get(&mut self) -> Result<(T, Wakeup), TryGetError> {
        match self.buffer.pop_front() {
            None => Err(TryGetError::Empty),
            Some(item) => Ok((item, self.putters.notify_one())),
        }
    }
}

// `Get` and `Put` are chapter 7's answer: tinyio's own, included.
#[path = "../../src/queue/get.rs"]
#[allow(clippy::duplicate_mod)]
mod get;
#[path = "../../src/queue/put.rs"]
#[allow(clippy::duplicate_mod)]
mod put;

pub use get::Get;
pub use put::Put;

impl<T> State<T> {
    /// Appends `item` if there is room, counts it as unfinished, and notifies the first getter.
    fn try_put(&mut self, item: T) -> Result<Wakeup, TryPutError<T>> {
        // TODO: write `State::try_put`, counting the item.
        todo!()
    }
}

impl<T> Queue<T> {
    /// Marks one item as handled. When no item is left unfinished, every joiner is released.
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        // TODO: write `task_done`.
        todo!()
    }

    /// A future that waits until every item put has been marked done.
    pub fn join(&self) -> Join<'_, T> {
        Join {
            key: None,
            queue: self,
        }
    }
}

/// The future of [`Queue::join`].
pub struct Join<'a, T> {
    /// The key of our slot in the joiner line while we are in it; `None` otherwise.
    key: Option<usize>,
    /// The queue to join.
    queue: &'a Queue<T>,
}

impl<T> Future for Join<'_, T> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // TODO: write `Join::poll`.
        todo!()
    }
}

impl<T> Drop for Join<'_, T> {
    fn drop(&mut self) {
        // TODO: leave the joiner line if we are in it.
    }
}
