//! # Chapter 11, exercise 3: `PriorityQueue`
//!
//! ## Task
//!
//! Write an unbounded version of asyncio's `PriorityQueue`: `put(priority, item)` never waits,
//! `get().await` takes the entry with the **smallest** priority, waiting while the queue is
//! empty. Entries of equal priority come out in the order they were put (asyncio leaves ties to
//! comparing the items; here the tie-break is insertion order, with a sequence number).
//!
//! 1. `Ord for Entry`: `BinaryHeap` pops its *greatest* entry, so make the entry with the
//!    smallest `(priority, seq)` the greatest: compare `other` with `self`.
//! 2. `put`: push an entry with the next sequence number, then notify the first waiting getter
//!    (`notify_one`) and wake it after unlocking. Notify, do not hand off: the getter takes
//!    whatever is smallest when it runs, and someone else may have taken the entry first.
//! 3. `try_get`: pop the smallest entry, if any.
//! 4. `Get::poll`: with a key, ask `poll_turn` (not notified: `Pending`, keeping its place).
//!    Then try to pop; if the queue is empty, join the **back** of the line and return `Pending`.
//! 5. `Drop for Get`: leave the line (`cancel`); if the getter had been notified and the queue
//!    is not empty, pass the wake-up on to the next getter.
//!
//! Grade it: `cargo test ch11_priority`.

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
    fn cmp(&self, other: &Self) -> Ordering {
        // TODO: the smallest (priority, seq) must be the greatest entry.
        todo!()
    }
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

    /// Adds `item` with `priority`, and notifies the first waiting getter.
    pub fn put(&self, priority: P, item: T) {
        // TODO
        todo!()
    }

    /// Takes the entry with the smallest priority (the oldest among equals), without waiting.
    pub fn try_get(&self) -> Option<(P, T)> {
        // TODO
        todo!()
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

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<(P, T)> {
        let this = self.get_mut();
        // TODO: poll_turn if in the line; then pop, or join the back of the line.
        todo!()
    }
}

impl<P, T> Drop for Get<'_, P, T> {
    fn drop(&mut self) {
        // TODO: leave the line; pass a notification on if an entry is left.
    }
}
