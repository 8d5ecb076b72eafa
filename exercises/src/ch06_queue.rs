//! # Chapter 6, exercise 1: `put` and `get` on an unbounded queue
//!
//! ## Task
//!
//! Write the two halves of a queue that tasks share: `Queue::put` and the `Get` future. The
//! queue and its getter line (`Waiters`, tinyio's own, from `src/queue/waiters.rs`) are given;
//! chapter 6 of the book explains both.
//!
//! - `put(item)` appends the item at the back and notifies the first waiting getter, if any. It
//!   never waits (the queue is unbounded) and never hands the item to a getter: the item stays
//!   in the queue until some getter takes it.
//! - A `Get` completes with the front item (FIFO). On a queue with an item it is `Ready` on its
//!   first poll, without waking anyone. On an empty queue it joins the back of the getter line
//!   and returns `Pending` until it was notified.
//!
//! The rules the grader checks:
//! - **A wake-up is a notification, not a hand-off.** A notified getter looks at the queue again
//!   when it runs. If someone took the item first (barging), it waits again, at the **back** of
//!   the line.
//! - **Spurious polls** (waker rule 3): a getter polled without having been notified stays
//!   `Pending`, keeps its place, and is in the line once only.
//! - **No lost wake-up** (waker rule 2): looking at the queue and joining the line happen under
//!   one lock, so no put can come in between.
//! - **One wake-up per put**, to the getter that has waited longest; and nobody is woken while
//!   the lock is held.
//!
//! Grade it: `cargo test ch06`. A failing scenario prints what it probes;
//! `cargo hint ch06` prints the recipe. The answer is in `solutions/src/`.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use crate::waiters::Waiters;

/// An unbounded FIFO queue for tasks. Clone it to share it: clones are handles to one queue.
pub struct Queue<T> {
    /// The queue's state, shared by every handle. Locked once per operation.
    shared: Arc<Mutex<Shared<T>>>,
}

/// What the handles share.
struct Shared<T> {
    /// The items, oldest first.
    items: VecDeque<T>,
    /// The `Get` futures waiting for an item, first come first served.
    getters: Waiters,
}

impl<T> Clone for Queue<T> {
    fn clone(&self) -> Self {
        Queue {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Queue::new()
    }
}

impl<T> Queue<T> {
    /// An empty queue.
    pub fn new() -> Queue<T> {
        let shared = Shared {
            items: VecDeque::new(),
            getters: Waiters::new(),
        };
        Queue {
            shared: Arc::new(Mutex::new(shared)),
        }
    }

    /// How many items the queue holds.
    pub fn len(&self) -> usize {
        self.lock().items.len()
    }

    /// Whether the queue holds no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A future that takes the front item, waiting while the queue is empty.
    pub fn get(&self) -> Get<'_, T> {
        Get {
            queue: self,
            key: None,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Shared<T>> {
        self.shared.lock().unwrap()
    }

    /// Appends `item` and notifies the first waiting getter. Never waits: the queue is unbounded.
    pub fn put(&self, item: T) {
        // TODO: write `put`.
        todo!()
    }
}

/// The future of [`Queue::get`].
pub struct Get<'a, T> {
    /// The queue to take from.
    queue: &'a Queue<T>,
    /// Our place in the getter line, from the poll that joined it until the poll that finds
    /// us notified. `None` otherwise.
    key: Option<usize>,
}

impl<T> Future for Get<'_, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // TODO: write `Get::poll`.
        todo!()
    }
}
