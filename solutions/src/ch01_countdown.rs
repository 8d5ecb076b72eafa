//! Reference answer to `exercises/src/ch01_countdown.rs` (the task is written there).

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
        if self.remaining == 0 {
            Poll::Ready(())
        } else {
            self.remaining -= 1;
            // Nothing else will wake us: ask to be polled again right away.
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}
