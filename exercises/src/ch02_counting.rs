//! # Chapter 2, exercise 2: a waker that counts
//!
//! ## Task
//!
//! Build a `Waker` from your own type with `futures_task::ArcWake`: a waker whose only job is to
//! count how many times it was woken (a handy tool to test futures).
//!
//! - `ArcWake::wake_by_ref` adds one to the count. (`ArcWake` turns `wake`, by value, into a
//!   call to `wake_by_ref` for you.)
//! - `WakeCounter::count` reads the count.
//! - `counting_waker()` creates one counter and returns a waker for it *and* the counter itself,
//!   so that the caller can wake the waker and then read the count.
//!
//! Cloning or dropping a waker is not a wake-up. Wakers are `Send`: they may be woken from
//! several threads at once.
//!
//! Grade it: `cargo test ch02_counting`. The answer is in `solutions/src/`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Waker;

use futures_task::ArcWake;

/// Counts the wake-ups of the wakers made from it.
#[derive(Default)]
pub struct WakeCounter {
    /// How many times a waker of this counter was woken.
    wakes: AtomicUsize,
}

impl WakeCounter {
    /// How many wake-ups so far.
    pub fn count(&self) -> usize {
        // TODO
        todo!()
    }
}

impl ArcWake for WakeCounter {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        // TODO: count one wake-up.
        todo!()
    }
}

/// A waker and the counter of its wake-ups.
pub fn counting_waker() -> (Waker, Arc<WakeCounter>) {
    // TODO: one Arc<WakeCounter>; turn a clone of it into a Waker (futures_task::waker).
    todo!()
}
