//! # Chapter 12, exercise 2: `timeout`, asyncio's `wait_for`
//!
//! ## Task
//!
//! `timeout(duration, future)` runs `future`, but gives up once `duration` has passed:
//! `Ok(output)` if the future finished in time, `Err(Elapsed)` if the time ran out. Its timer is
//! tinyio's own `sleep(duration)`, already in the struct. Write `Timeout::poll`.
//!
//! The contract, as the grader checks it (on the virtual clock, logging with `tinyio::now()`
//! when the inner future starts, finishes or is dropped, and when `timeout` returns):
//!
//! - A future that finishes at the very moment the time runs out has finished in time.
//! - When the time runs out, the inner future is **dropped at once**, before `timeout` returns,
//!   not whenever the `Timeout` itself is dropped.
//! - Lazy: the clock starts at the first poll.
//! - **Never wake your own task** to look at the clock: on the virtual clock, time moves only
//!   when no task can run, so a task that keeps waking itself stops the clock. The grader
//!   bounds the number of polls.
//!
//! Polling a `Timeout` again after it returned `Ready` may panic. Grade it:
//! `cargo test ch12_timeout`. Stuck? `cargo hint ch12_timeout` prints the recipe, and
//! so does the chapter's "Stuck?" block.

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
        // TODO: the inner future's output, or Err(Elapsed) once the time has run out.
        todo!()
    }
}
