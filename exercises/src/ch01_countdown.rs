//! # Chapter 1, exercise 1: a countdown future
//!
//! ## Task
//!
//! Implement `Future` for `Countdown` by hand. `Countdown::new(n)` returns `Poll::Pending` on
//! its first `n` polls and `Poll::Ready(())` on the poll after that. Before each `Pending`, it
//! wakes the waker of *that* poll (`cx.waker()`): a future that returns `Pending` promises to
//! wake its task when it is worth polling again, and a countdown is worth polling again at once.
//!
//! Grade it: `cargo test ch01_countdown`. When a scenario fails, the grader shows the expected
//! and the actual trace side by side, with a hint. The answer is in `solutions/src/`.

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
        // TODO: return Poll::Ready(()) when nothing remains; otherwise count one down, wake the
        // waker of this poll and return Poll::Pending.
        todo!()
    }
}
