//! # Chapter 12, exercise 2: `timeout`, asyncio's `wait_for`
//!
//! ## Task
//!
//! `timeout(duration, future)` runs `future`, but gives up once `duration` has passed:
//! `Ok(output)` if the future finished in time, `Err(Elapsed)` if the time ran out. Its timer is
//! tinyio's own `sleep(duration)`, already in the struct. Write `Timeout::poll`:
//!
//! 1. Poll the inner future first. If it is ready, drop it (set `future` to `None`) and return
//!    `Ready(Ok(output))`. Polling it first settles a tie: a future that finishes at the very
//!    moment the time runs out has finished in time.
//! 2. Otherwise poll the timer. If it is ready, the time ran out: **drop the inner future now**
//!    (set `future` to `None`), which cancels it at the `.await` it was waiting in and runs its
//!    destructors, then return `Ready(Err(Elapsed))`. Do not keep it until the `Timeout` itself
//!    is dropped: that can be much later.
//! 3. Otherwise `Pending`. Both the inner future and the timer registered this poll's waker, so
//!    whichever is first wakes the task. Never wake the task yourself: on the virtual clock, time
//!    moves only when no task can run, so a task that keeps waking itself stops the clock.
//!
//! Polling a `Timeout` again after it returned `Ready` may panic. The grader runs your `timeout`
//! on the virtual clock and logs, with `tinyio::now()`, when the inner future starts, finishes
//! or is dropped, and when `timeout` returns. Grade it: `cargo test ch12_timeout`. The answer is
//! in `solutions/src/`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

pub use tinyio::Elapsed;

/// The future returned by [`timeout`].
pub struct Timeout<F> {
    /// The future being timed, boxed so that it can be polled without `unsafe`. `None` once it
    /// finished or was dropped (dropping it is how it is cancelled).
    future: Option<Pin<Box<F>>>,
    /// The timer: armed at the first poll, like every future.
    timer: tinyio::Sleep,
}

/// Runs `future` for at most `duration`.
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(Box::pin(future)),
        timer: tinyio::sleep(duration),
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: poll the inner future; if it is pending, poll the timer; when the timer is
        // ready, drop the inner future before returning Err(Elapsed).
        todo!()
    }
}
