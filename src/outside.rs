//! The registered outside sources of wake-ups of one runtime: what `KeepAlive` and
//! `spawn_blocking` count (see `blocking.rs`), and what makes an idle run loop look again.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::task::Runnable;
use crate::task::run_queue::Shared;

/// The registered outside sources of one runtime.
pub(crate) struct Outside {
    /// How many `KeepAlive` guards are alive.
    count: AtomicUsize,
    /// How many of them belong to `spawn_blocking` closures that are running: work in flight,
    /// which holds the virtual clock back.
    busy: AtomicUsize,
    /// A no-op entry, pushed on the run queue's inject side so that a run loop blocked on an
    /// empty queue looks at the count again when the last guard goes.
    nudge: Arc<dyn Runnable>,
}

impl Outside {
    pub(crate) fn new(nudge: Arc<dyn Runnable>) -> Outside {
        Outside {
            count: AtomicUsize::new(0),
            busy: AtomicUsize::new(0),
            nudge,
        }
    }

    /// Whether any outside source is registered.
    pub(crate) fn any(&self) -> bool {
        self.count.load(Ordering::SeqCst) > 0
    }

    /// Whether outside work is in flight: a `spawn_blocking` closure runs.
    pub(crate) fn busy(&self) -> bool {
        self.busy.load(Ordering::SeqCst) > 0
    }

    /// Registers one source (`busy`: work in flight, from `spawn_blocking`).
    pub(crate) fn register(&self, busy: bool) {
        self.count.fetch_add(1, Ordering::SeqCst);
        if busy {
            self.busy.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Unregisters one source. The last work in flight going lets the virtual clock move
    /// again; the last source going lets the run loop report a deadlock. Either way, the loop
    /// must look again.
    pub(crate) fn unregister(&self, busy: bool) {
        let work_ended = busy && self.busy.fetch_sub(1, Ordering::SeqCst) == 1;
        let last = self.count.fetch_sub(1, Ordering::SeqCst) == 1;
        if work_ended || last {
            self.nudge();
        }
    }

    /// Makes an idle run loop look again.
    fn nudge(&self) {
        Shared::inject(self.nudge.clone());
    }
}
