//! Reference answer to `exercises/src/ch02_counting.rs` (the task is written there).

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
        self.wakes.load(Ordering::SeqCst)
    }
}

impl ArcWake for WakeCounter {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}

/// A waker and the counter of its wake-ups.
pub fn counting_waker() -> (Waker, Arc<WakeCounter>) {
    let counter = Arc::new(WakeCounter::default());
    (futures_task::waker(counter.clone()), counter)
}
