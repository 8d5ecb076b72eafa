//! # Chapter 1, exercise 1: a countdown future
//!
//! ## Task
//!
//! Implement `Future` for `Countdown` by hand. `Countdown::new(n)` is `Poll::Pending` on its first
//! `n` polls and `Poll::Ready(())` on the poll after that.
//!
//! The rule: a future that returns `Pending` promises that the waker of *that* poll (`cx.waker()`)
//! will be woken when polling again is worth it. Nothing outside a countdown will ever keep that
//! promise for it. The trap: a `Pending` with no wake-up, which an executor never polls again.
//! `tinyio::yield_now` is this future with `n = 1`; chapter 1 shows it once yours passes.
//!
//! Grade it: `cargo test ch01_countdown`. A failure shows the expected and the actual trace side
//! by side, with a hint; `cargo hint ch01_countdown` prints the full recipe.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that is `Pending` a given number of times, then `Ready(())`.
pub struct Countdown {
    /// How many more polls return `Pending`.
    remaining: u32,
}

impl Countdown {
    /// A countdown from `n`: `n` polls return `Pending`, the next one `Ready(())`.
    pub fn new(n: u32) -> Countdown {
        Countdown { remaining: n }
    }
}

impl Future for Countdown {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // TODO: Pending `remaining` more times, keeping the promise of each Pending; then Ready.
        todo!()
    }
}
