//! Reference answer to `exercises/src/ch11_barrier.rs` (the task is written there).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use crate::waiters::{Waiters, WakeList};

/// A meeting point for a fixed number of tasks: asyncio's `Barrier`, simplified.
pub struct Barrier {
    /// How many tasks make a group. At least 1.
    parties: usize,
    /// All of the changing state. Never locked while waking.
    state: Mutex<State>,
}

/// The state of a [`Barrier`].
struct State {
    /// How many tasks of the current round have arrived and not left: always below `parties`.
    count: usize,
    /// The tasks of the current round that wait for the others.
    waiters: Waiters,
}

/// The future of [`Barrier::wait`].
pub struct Wait<'a> {
    /// The barrier.
    barrier: &'a Barrier,
    /// Our arrival index and our slot in the line: `Some` from our arrival until we see our
    /// release (or are dropped).
    waiting: Option<(usize, usize)>,
}

impl Barrier {
    /// A barrier for groups of `parties` tasks.
    ///
    /// # Panics
    ///
    /// If `parties` is 0.
    pub fn new(parties: usize) -> Barrier {
        assert!(parties >= 1, "a barrier needs at least one party");
        Barrier {
            parties,
            state: Mutex::new(State {
                count: 0,
                waiters: Waiters::new(),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many tasks of the current round wait.
    pub fn n_waiting(&self) -> usize {
        self.state().count
    }

    /// Waits until `parties` tasks wait here; returns this task's arrival index.
    pub fn wait(&self) -> Wait<'_> {
        Wait {
            barrier: self,
            waiting: None,
        }
    }
}

// ANCHOR: wait
impl Future for Wait<'_> {
    type Output = usize;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        let this = self.get_mut();
        let mut state = this.barrier.state();
        if let Some((index, key)) = this.waiting {
            // Notified means released; anything else is a spurious poll.
            if state.waiters.poll_turn(key, cx.waker()).is_pending() {
                return Poll::Pending;
            }
            this.waiting = None;
            return Poll::Ready(index);
        }
        let index = state.count;
        state.count += 1;
        if state.count < this.barrier.parties {
            this.waiting = Some((index, state.waiters.join_back(cx.waker())));
            return Poll::Pending;
        }
        // The group is complete: release everyone, and start the next round.
        state.count = 0;
        let mut wakeups = WakeList::new();
        state.waiters.notify_all(&mut wakeups);
        drop(state);
        wakeups.wake_all();
        Poll::Ready(index)
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        let Some((_, key)) = self.waiting.take() else {
            return;
        };
        let mut state = self.barrier.state();
        if !state.waiters.cancel(key) {
            state.count -= 1; // left before the group was complete
        }
    }
}
// ANCHOR_END: wait
