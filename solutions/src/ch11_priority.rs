//! Reference answer to `exercises/src/ch11_priority.rs` (the task is written there).

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use crate::waiters::Waiters;

/// A queue that gives out the entry with the smallest priority first: asyncio's
/// `PriorityQueue`, unbounded.
pub struct PriorityQueue<P, T> {
    /// All of the changing state. Never locked while waking.
    state: Mutex<State<P, T>>,
}

/// The state of a [`PriorityQueue`].
struct State<P, T> {
    /// The entries; the greatest `Entry` (smallest priority, then oldest) on top.
    heap: BinaryHeap<Entry<P, T>>,
    /// The sequence number of the next put: puts are numbered 0, 1, 2, ...
    next_seq: u64,
    /// The `Get` futures waiting for an entry.
    getters: Waiters,
}

/// One entry of the queue.
struct Entry<P, T> {
    priority: P,
    /// Insertion order, to break ties between equal priorities.
    seq: u64,
    item: T,
}

impl<P: Ord, T> Ord for Entry<P, T> {
    // ANCHOR: cmp
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: the max-heap then pops the smallest priority, and the oldest among equals.
        (&other.priority, other.seq).cmp(&(&self.priority, self.seq))
    }
    // ANCHOR_END: cmp
}

impl<P: Ord, T> PartialOrd for Entry<P, T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<P: Ord, T> PartialEq for Entry<P, T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<P: Ord, T> Eq for Entry<P, T> {}

/// The future of [`PriorityQueue::get`].
pub struct Get<'a, P, T> {
    /// The queue to take from.
    queue: &'a PriorityQueue<P, T>,
    /// Our slot in the getter line: `Some` from joining it until we see our notification (or
    /// are dropped).
    key: Option<usize>,
}

impl<P, T> PriorityQueue<P, T> {
    /// Locks the state (`Drop for Get` needs it without `P: Ord`).
    fn state(&self) -> MutexGuard<'_, State<P, T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<P: Ord, T> PriorityQueue<P, T> {
    /// An empty queue.
    pub fn new() -> Self {
        PriorityQueue {
            state: Mutex::new(State {
                heap: BinaryHeap::new(),
                next_seq: 0,
                getters: Waiters::new(),
            }),
        }
    }

    /// How many entries the queue holds.
    pub fn len(&self) -> usize {
        self.state().heap.len()
    }

    /// Whether the queue holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // ANCHOR: put
    /// Adds `item` with `priority`, and notifies the first waiting getter.
    pub fn put(&self, priority: P, item: T) {
        let getter = {
            let mut state = self.state();
            let seq = state.next_seq;
            state.next_seq += 1;
            state.heap.push(Entry {
                priority,
                seq,
                item,
            });
            state.getters.notify_one()
        };
        if let Some(waker) = getter {
            waker.wake();
        }
    }
    // ANCHOR_END: put

    /// Takes the entry with the smallest priority (the oldest among equals), without waiting.
    pub fn try_get(&self) -> Option<(P, T)> {
        let entry = self.state().heap.pop()?;
        Some((entry.priority, entry.item))
    }

    /// Takes the entry with the smallest priority, waiting while the queue is empty.
    pub fn get(&self) -> Get<'_, P, T> {
        Get {
            queue: self,
            key: None,
        }
    }
}

impl<P: Ord, T> Default for PriorityQueue<P, T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Ord, T> Future for Get<'_, P, T> {
    type Output = (P, T);

    // ANCHOR: get
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<(P, T)> {
        let this = self.get_mut();
        let mut state = this.queue.state();
        if let Some(key) = this.key {
            if state.getters.poll_turn(key, cx.waker()).is_pending() {
                return Poll::Pending; // not notified: keep our place
            }
            this.key = None;
        }
        // Notified or new: take the smallest entry now, if someone did not take it first.
        match state.heap.pop() {
            Some(entry) => Poll::Ready((entry.priority, entry.item)),
            None => {
                this.key = Some(state.getters.join_back(cx.waker()));
                Poll::Pending
            }
        }
    }
}

impl<P, T> Drop for Get<'_, P, T> {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else { return };
        let mut state = self.queue.state();
        let notified = state.getters.cancel(key);
        let next = if notified && !state.heap.is_empty() {
            state.getters.notify_one()
        } else {
            None
        };
        drop(state);
        if let Some(waker) = next {
            waker.wake();
        }
    }
}
// ANCHOR_END: get
