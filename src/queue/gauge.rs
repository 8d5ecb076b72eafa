//! The gauge: the queue's counters, readable without the lock and without knowing `T`.
//!
//! Two readers need the counters (length, unfinished count, shut-down flag) without taking the
//! queue's lock:
//! - the queries [`Queue::len`](super::Queue::len), [`Queue::unfinished`](super::Queue::unfinished)
//!   and friends, which then cost one atomic load;
//! - the deadlock report. A waiting `Get`, `Put` or `Join` leaves a note
//!   ([`crate::note::waiting_on`]) with a *probe* the runtime asks, at report time, for the
//!   queue's state. The note lives in a thread-local, so the probe must be `'static`. A probe
//!   holding the queue itself (`Arc<Inner<T>>`) would force `T: 'static + Send` on every queue;
//!   the gauge has no `T` in it, so any queue can hand it out.
//!
//! Guarantees:
//! - the gauge shows the queue as it was at the end of the latest critical section: the queue
//!   publishes the counters into it every time it releases its lock (see `Locked` in
//!   `mod.rs`), so no change can forget to update it;
//! - every value read is one the queue really had (each counter is a single atomic); values read
//!   together by another thread may come from different moments, which is fine for queries that
//!   are out of date as soon as they return anyway, and for a report on a stuck program, where
//!   nothing changes;
//! - handing the gauge out as a probe costs one atomic increment (an `Arc` clone), no allocation.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

use crate::note::Probe;

/// The queue's counters as of its latest unlock.
pub(super) struct Gauge {
    /// The capacity (`None`: unbounded). Never changes; never `Some(0)`.
    maxsize: Option<usize>,
    /// The number of items in the buffer.
    len: AtomicUsize,
    /// Successful puts minus `task_done` calls and items drained by `shutdown(true)`.
    unfinished: AtomicUsize,
    /// Whether `shutdown` has been called. Never goes back to `false`.
    shut_down: AtomicBool,
}

impl Gauge {
    /// The gauge of a new, empty queue.
    pub(super) fn new(maxsize: Option<usize>) -> Gauge {
        Gauge {
            maxsize,
            len: AtomicUsize::new(0),
            unfinished: AtomicUsize::new(0),
            shut_down: AtomicBool::new(false),
        }
    }

    /// Records the counters. Called only by the lock holder, right before it unlocks.
    ///
    /// `Relaxed` is enough: writers are ordered by the lock, and a reader needs each value to be
    /// one the queue had, not a consistent set of them.
    #[inline]
    pub(super) fn publish(&self, len: usize, unfinished: usize, shut_down: bool) {
        self.len.store(len, Relaxed);
        self.unfinished.store(unfinished, Relaxed);
        self.shut_down.store(shut_down, Relaxed);
    }

    pub(super) fn maxsize(&self) -> Option<usize> {
        self.maxsize
    }

    pub(super) fn len(&self) -> usize {
        self.len.load(Relaxed)
    }

    pub(super) fn unfinished(&self) -> usize {
        self.unfinished.load(Relaxed)
    }

    pub(super) fn is_shutdown(&self) -> bool {
        self.shut_down.load(Relaxed)
    }

    /// Whether the buffer holds `maxsize` items (never true when unbounded).
    pub(super) fn is_full(&self) -> bool {
        self.maxsize.is_some_and(|max| self.len() >= max)
    }
}

// ANCHOR: describe
impl Probe for Gauge {
    /// The live state, as the deadlock report prints it in parentheses:
    /// `queue empty, 0 unfinished`, `queue full, 2 of 2, 3 unfinished`, `1 of 2 items,
    /// 1 unfinished`, `3 items, 3 unfinished`, with `, shut down` at the end once it is.
    fn describe(&self) -> String {
        let len = self.len();
        let plural = if len == 1 { "" } else { "s" };
        let mut text = match self.maxsize {
            _ if len == 0 => "queue empty".to_string(),
            Some(max) if len >= max => format!("queue full, {len} of {max}"),
            Some(max) => format!("{len} of {max} items"),
            None => format!("{len} item{plural}"),
        };
        let _ = write!(text, ", {} unfinished", self.unfinished());
        if self.is_shutdown() {
            text.push_str(", shut down");
        }
        text
    }
}
// ANCHOR_END: describe

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_each_state() {
        let gauge = Gauge::new(Some(2));
        assert_eq!(gauge.describe(), "queue empty, 0 unfinished");
        gauge.publish(1, 1, false);
        assert_eq!(gauge.describe(), "1 of 2 items, 1 unfinished");
        gauge.publish(2, 3, false);
        assert_eq!(gauge.describe(), "queue full, 2 of 2, 3 unfinished");
        gauge.publish(0, 3, true);
        assert_eq!(gauge.describe(), "queue empty, 3 unfinished, shut down");

        let unbounded = Gauge::new(None);
        unbounded.publish(1, 1, false);
        assert_eq!(unbounded.describe(), "1 item, 1 unfinished");
        unbounded.publish(3, 4, false);
        assert_eq!(unbounded.describe(), "3 items, 4 unfinished");
    }
}
