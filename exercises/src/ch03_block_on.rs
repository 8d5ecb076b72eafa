//! # Chapter 3, exercise 1: `block_on`, the smallest executor
//!
//! ## Task
//!
//! Write `block_on(future)`: run `future` on the current thread until it is `Ready`, and return its
//! output. Its waker, built from your own type with `futures_task::ArcWake`, must get this thread
//! going again when it is woken, from any thread.
//!
//! The rules:
//! - Sleep, do not spin: after `Pending` the thread sleeps (`std::thread::park`) until the waker is
//!   woken (`Thread::unpark`). A future waiting 50 ms for another thread is polled a handful of
//!   times, not thousands.
//! - No lost wake-up: a wake-up can arrive while the future is being polled (a future may wake
//!   itself before it returns `Pending`), before the thread goes to sleep.
//! - The park token is not yours: it belongs to the thread. Other code on this thread may `park`
//!   (and take the token your waker left) or `unpark` (and set it for nothing); `park` may also
//!   return spuriously. A wake-up of *this* `block_on` must never be lost that way.
//! - Never poll the future again after it returned `Ready`.
//!
//! Chapter 3 explains each rule and its trap. Grade it: `cargo test ch03`
//! (`cargo hint ch03` for the full recipe). The reference answer is `src/block_on.rs`,
//! the runtime's own `block_on`, which chapter 3 shows once yours passes.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::thread::{self, Thread};

use futures_task::ArcWake;

/// Runs `future` to completion on the current thread and returns its output.
pub fn block_on<F: Future>(future: F) -> F::Output {
    // TODO: your waker type (with an `ArcWake` impl) goes above this function; the loop here.
    todo!()
}
