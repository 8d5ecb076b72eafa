//! `yield_now`: let every other ready task run once (asyncio's `await asyncio.sleep(0)`).
//!
//! Guarantee: the first poll wakes the task and returns `Pending`, so the task goes to the back
//! of the run queue; the second poll returns `Ready`. Every task that was ready before it runs
//! first.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Suspends the current task once, behind every task that is ready to run.
///
/// ```
/// tinyio::run(async {
///     let other = tinyio::spawn(async { "ran" });
///     tinyio::yield_now().await; // `other` runs now
///     assert!(other.is_finished());
/// });
/// ```
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

// ANCHOR: yield_now
/// The future of [`yield_now`]: `Pending` once, then `Ready`.
///
/// ```
/// tinyio::block_on(tinyio::yield_now()); // its first poll wakes its own waker
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless you .await them"]
pub struct YieldNow {
    /// Whether the first poll happened.
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref(); // to the back of the run queue
        crate::note::waiting_on("yield_now", None);
        Poll::Pending
    }
}
// ANCHOR_END: yield_now
