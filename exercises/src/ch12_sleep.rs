//! # Chapter 12, exercise 1: `sleep` on a timer map
//!
//! ## Task
//!
//! `sleep(timers, duration)` is a future that completes once `duration` has passed on the clock
//! of `timers`. `Timers` is a timer map like the runtime's (given, and the grader brings its own
//! scripted one): it arms a timer for a deadline, and wakes the timer's waker when its clock
//! reaches the deadline. Write `Sleep::poll` and `Drop for Sleep`.
//!
//! The contract, as the grader checks it:
//!
//! - **Lazy:** the deadline counts from the first poll, not from the call.
//! - **One timer per sleep,** whatever the number of polls, and it wakes the waker of the
//!   latest poll.
//! - **Always yields once:** even `sleep(0s)` is `Pending` at its first poll, like
//!   `asyncio.sleep(0)`.
//! - **Dropped means gone:** a sleep dropped before its deadline leaves no armed timer behind,
//!   so it wakes nobody and keeps no runtime awake.
//!
//! Grade it: `cargo test ch12_sleep`. Stuck? `cargo hint ch12_sleep` prints the recipe,
//! and so does the chapter's "Stuck?" block.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// The id of an armed timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerId(pub u64);

/// A clock and its timers, as a runtime keeps them.
pub trait Timers {
    /// The time since the clock started.
    fn now(&self) -> Duration;
    /// Arms a timer: `waker` is woken once the clock reaches `deadline`, and the timer is then
    /// no longer armed.
    fn arm(&self, deadline: Duration, waker: &Waker) -> TimerId;
    /// Replaces the waker of timer `id`. Returns `false` if the timer is no longer armed (it has
    /// fired, or was disarmed).
    fn rearm(&self, id: TimerId, waker: &Waker) -> bool;
    /// Removes timer `id`, if it is still armed.
    fn disarm(&self, id: TimerId);
}

/// The future returned by [`sleep`].
pub struct Sleep<T: Timers> {
    /// The timer map this sleep arms its timer in.
    timers: T,
    /// How long to sleep, from the first poll.
    duration: Duration,
    /// The id of this sleep's timer, from the first poll on.
    armed: Option<TimerId>,
}

/// Sleeps for `duration` on the clock of `timers`.
pub fn sleep<T: Timers>(timers: T, duration: Duration) -> Sleep<T> {
    Sleep {
        timers,
        duration,
        armed: None,
    }
}

impl<T: Timers + Unpin> Future for Sleep<T> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // TODO: Ready once `duration` has passed since the first poll (see the task above).
        todo!()
    }
}

impl<T: Timers> Drop for Sleep<T> {
    fn drop(&mut self) {
        // TODO: leave no armed timer behind.
    }
}
