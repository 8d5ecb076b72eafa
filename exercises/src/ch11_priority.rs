//! # Chapter 11, exercise 3: `PriorityQueue`
//!
//! ## Task
//!
//! Write an unbounded version of asyncio's `PriorityQueue`: `put(priority, item)` never waits,
//! `try_get` takes the smallest entry if there is one, and `get().await` takes the entry with
//! the **smallest** priority, waiting while the queue is empty.
//!
//! The contract, as the grader checks it:
//!
//! - Smallest priority first; entries of equal priority come out in the order they were put
//!   (here the tie-break is the sequence number each entry carries; asyncio compares the
//!   items).
//! - **Notify, do not hand off:** a `put` wakes the first waiting getter, which takes whatever
//!   is smallest when it runs, and waits again if someone else took it first.
//! - **Pass it on:** a getter dropped after it was notified passes its wake-up on while entries
//!   are left. A getter dropped while waiting just leaves the line.
//!
//! `std::collections::BinaryHeap` pops its *greatest* entry: your `Ord for Entry` decides what
//! "greatest" means. Use the queue's waiter line (`crate::waiters`) and chapter 11's waiting
//! pattern.
//!
//! Grade it: `cargo test ch11_priority`. Stuck? `cargo hint ch11_priority` prints the
//! recipe, and so does the chapter's "Stuck?" block.

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
        // TODO: the smallest entry, or wait for one (see the task above).
        todo!()
    }
}

impl<P, T> Drop for Get<'_, P, T> {
    fn drop(&mut self) {
        // TODO: leave the line; a wake-up this getter will not use goes to the next one.
    }
}
