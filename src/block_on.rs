//! `block_on`: the smallest executor there is.
//!
//! It polls one future on the current thread. When the future returns `Pending`, the thread
//! parks until the future's waker fires, then polls again. That is the whole contract between a
//! future and an executor: *poll me again after you were woken*.
//!
//! Guarantees:
//! - the future is polled on the calling thread only, and never again after it returned `Ready`;
//! - a wake-up that arrives while the future is being polled is not lost (the `woken` flag
//!   remembers it, and the loop polls again without parking);
//! - a future that returns `Pending` while keeping no clone of its waker, and without having
//!   woken itself, can never be woken: `block_on` panics with an explanation instead of
//!   sleeping forever.
//!
//! This file depends only on `std` and `futures-task`, so the book can show it whole and the
//! workbook can use it as the reference answer to the `block_on` exercise.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering, fence};
use std::task::{Context, Poll};
use std::thread::{self, Thread};

use futures_task::{ArcWake, waker_ref};

// ANCHOR: signal
/// The waker of `block_on`: wakes the thread that is blocked in it.
struct Signal {
    /// The thread to unpark.
    thread: Thread,
    /// Set by `wake`, cleared by `block_on` when it stops sleeping. It remembers a wake-up that
    /// arrived while the future was being polled, and tells a real wake-up from a spurious
    /// return of `park`.
    woken: AtomicBool,
}

impl ArcWake for Signal {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.woken.store(true, Ordering::Release);
        arc_self.thread.unpark();
    }
}
// ANCHOR_END: signal

// ANCHOR: block_on
/// Runs `future` to completion on the current thread and returns its output.
///
/// Between polls the thread sleeps (`std::thread::park`) until the future's waker is woken, so
/// a future waiting on another thread costs no CPU.
///
/// # Panics
///
/// If the future returns `Poll::Pending` without keeping a clone of its waker and without waking
/// it: nothing could ever wake the thread again, so instead of hanging, `block_on` panics with a
/// message that names the likely mistake.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let signal = Arc::new(Signal {
        thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    // `waker_ref` lends a waker without cloning the `Arc`: after a poll, any strong count above
    // one is a clone that the future kept.
    let waker = waker_ref(&signal);
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        if Arc::strong_count(&signal) == 1 {
            // `strong_count` is a `Relaxed` load: seeing the last clone gone does not by itself
            // make visible what the thread that dropped it did before (such as waking us). The
            // fence pairs with the `Release` of that drop, so `woken` is read up to date.
            fence(Ordering::Acquire);
            if !signal.woken.load(Ordering::Acquire) {
                panic!(
                    "block_on: the future returned Poll::Pending but kept no clone of its waker \
                     and did not wake it, so nothing can ever wake this thread again. A future \
                     that returns Pending must first store cx.waker().clone() where the event it \
                     waits for can find it (or call cx.waker().wake_by_ref() to be polled again)."
                );
            }
        }
        // Sleep until woken. `park` may return spuriously, hence the loop on the flag.
        while !signal.woken.swap(false, Ordering::Acquire) {
            thread::park();
        }
    }
}
// ANCHOR_END: block_on
