//! # Chapter 2, exercise 2: a waker that counts
//!
//! ## Task
//!
//! Build a `Waker` from your own type with `futures_task::ArcWake`: a waker whose only job is to
//! count how many times it was woken (a handy tool to test futures).
//!
//! - `counting_waker()` returns a waker and the counter that counts *its* wake-ups, so the caller
//!   can wake one and read the other. `WakeCounter::count` reads the count.
//! - Every wake-up counts once, by reference or by value, through the waker or any clone of it.
//!   Cloning or dropping a waker is not a wake-up. (`ArcWake` turns `wake`, by value, into your
//!   `wake_by_ref`.)
//! - Wakers are `Send` and `Sync`: several threads may wake at the same instant, and no wake-up may
//!   be lost (chapter 2, "Atomics in one page").
//!
//! Grade it: `cargo test ch02_counting` (`cargo hint ch02_counting` for the full recipe).

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
        // TODO
        todo!()
    }
}

/// A waker and the counter of its wake-ups.
pub fn counting_waker() -> (Waker, Arc<WakeCounter>) {
    // TODO
    todo!()
}
