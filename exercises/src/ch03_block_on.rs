//! # Chapter 3, exercise 1: `block_on`, the smallest executor
//!
//! ## Task
//!
//! Write `block_on(future)`: run `future` on the current thread until it is `Ready`, and return
//! its output.
//!
//! - Poll it with a `Context` whose waker, when woken, wakes *this thread*: build it from an
//!   `Arc` of your own type with `futures_task::ArcWake`, and use `std::thread::park` /
//!   `Thread::unpark` to sleep and to wake.
//! - After `Pending`, sleep until the waker is woken, then poll again. Do not spin: a future
//!   waiting 50 ms for another thread must be polled a handful of times, not thousands.
//! - Do not lose a wake-up: one can arrive while the future is being polled (a future may wake
//!   itself before it returns `Pending`). Remember it in a flag, and check the flag before
//!   you park; `park` may also return with nobody having woken you.
//! - Never poll the future again after it returned `Ready`.
//!
//! Grade it: `cargo test ch03`. The answer is `src/block_on.rs`, the runtime's own `block_on`
//! (chapter 3 of the book shows it, once you are done).

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::thread::{self, Thread};

use futures_task::ArcWake;

/// Runs `future` to completion on the current thread and returns its output.
pub fn block_on<F: Future>(future: F) -> F::Output {
    // TODO: a waker that sets a flag and unparks this thread; then loop: poll, return on Ready,
    // park until the flag is set.
    todo!()
}
