//! # Chapter 8, exercise 1: `task_done` and `join`
//!
//! ## Task
//!
//! The queue of chapter 7 is given (`exercises/src/given/queue_stage.rs`, included), with its
//! `Get` and `Put` (tinyio's own, included from `src/queue/`). Its state has an unfinished
//! counter and a line of joiners. Write:
//!
//! 1. `State::try_put`: as in chapter 7 (full: `Err(TryPutError::Full(item))`; otherwise append
//!    and notify the first getter), and count the item: `unfinished` goes up by one on every
//!    successful put. Nothing else changes it upwards: a get never touches it.
//! 2. `Queue::task_done`: if `unfinished` is 0, fail with `TaskDoneError` and change nothing.
//!    Otherwise subtract one; if that makes it 0, notify **every** joiner
//!    (`joiners.notify_all(&mut wake_list)`), and wake them after releasing the lock.
//! 3. `Join::poll`: on the first poll, with nothing unfinished, return `Ready(())` at once (no
//!    waiting, no self-wake). Otherwise join the joiner line and return `Pending`. On later
//!    polls, `poll_turn`: `Ready` means the counter *reached* zero since we joined, so we are
//!    released, even if a put has raised it again since; `Pending` means not yet.
//! 4. `Drop for Join`: leave the joiner line if we are in it (`cancel(key)`). Nothing to pass on:
//!    reaching zero releases every joiner anyway.
//!
//! Grade it: `cargo test ch08`. The last scenario runs the seed program, corrected, on your
//! queue. The answer is in `solutions/src/` (and `Join` is `src/queue/join.rs`).

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
        // TODO: as in chapter 7, and count the item as unfinished.
        todo!()
    }
}

impl<T> Queue<T> {
    /// Marks one item as handled. When no item is left unfinished, every joiner is released.
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        // TODO: 0? Err(TaskDoneError). Else subtract one; reaching 0 notifies every joiner.
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
        // TODO: first poll: nothing unfinished means Ready; else join the line. Later polls:
        // released (Ready) once poll_turn says we were notified.
        todo!()
    }
}

impl<T> Drop for Join<'_, T> {
    fn drop(&mut self) {
        // TODO: leave the joiner line if we are in it.
    }
}
