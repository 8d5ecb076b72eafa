//! # Chapter 12, exercise 1: `sleep` on a timer map
//!
//! ## Task
//!
//! `sleep(timers, duration)` is a future that completes once `duration` has passed on the clock
//! of `timers`. `Timers` is a timer map like the runtime's (given, and the grader brings its own
//! scripted one): it arms a timer for a deadline, and wakes the timer's waker when its clock
//! reaches the deadline. Write `Sleep::poll` and `Drop for Sleep`:
//!
//! 1. **First poll:** the deadline is `timers.now() + duration`, read now, not when `sleep` was
//!    called (futures are lazy). Arm one timer for it with this poll's waker, keep its id in
//!    `armed`, and return `Pending` — even for a zero duration: like `asyncio.sleep(0)`, a sleep
//!    always lets the others run once.
//! 2. **Later polls:** `timers.rearm(id, cx.waker())` gives the timer this poll's waker (only the
//!    latest waker counts) and tells you whether the timer is still armed. If it is not, it has
//!    fired: return `Ready(())`. Otherwise `Pending`. Never arm a second timer.
//! 3. **Drop:** a sleep dropped while its timer is armed disarms it (`timers.disarm(id)`), so a
//!    forgotten sleep wakes nobody and keeps no runtime awake. Disarming a timer that has fired
//!    does nothing, so you need not tell the two cases apart.
//!
//! Grade it: `cargo test ch12_sleep`. The answer is in `solutions/src/`.

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
        // TODO: first poll: arm a timer for now() + duration and keep its id; later polls:
        // rearm with this poll's waker, and Ready once the timer is no longer armed.
        todo!()
    }
}

impl<T: Timers> Drop for Sleep<T> {
    fn drop(&mut self) {
        // TODO: disarm the timer, if this sleep armed one.
    }
}
