//! Reference answer to `exercises/src/ch12_sleep.rs` (the task is written there).

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
        let this = &mut *self;
        let Some(id) = this.armed else {
            // First poll: the deadline counts from now, not from the call to `sleep`.
            let deadline = this.timers.now() + this.duration;
            this.armed = Some(this.timers.arm(deadline, cx.waker()));
            return Poll::Pending;
        };
        // Hand over the latest waker; a timer that is gone has fired.
        if this.timers.rearm(id, cx.waker()) {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    }
}

impl<T: Timers> Drop for Sleep<T> {
    fn drop(&mut self) {
        if let Some(id) = self.armed.take() {
            self.timers.disarm(id); // does nothing if it fired
        }
    }
}
