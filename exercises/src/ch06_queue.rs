//! # Chapter 6, exercise 1: `put` and `get` on an unbounded queue
//!
//! ## Task
//!
//! Write the two halves of a queue that tasks share: `Queue::put` and the `Get` future.
//!
//! 1. `Queue::put(item)`: append the item at the back, then *notify* the first waiting getter
//!    (`getters.notify_one()`), and wake the waker it returns **after** releasing the lock. A
//!    notification is not a hand-off: the item goes into the queue, never to a getter.
//! 2. `Get::poll`, the "try, register, re-check" loop:
//!    - if we are in the line (`self.key` is `Some`), ask `getters.poll_turn(key, waker)`:
//!      `Pending` means we were not notified (a spurious poll): return `Pending` and keep our
//!      place. `Ready` means we were notified: forget the key and go on;
//!    - try: take the front item (FIFO) and return it;
//!    - if there is none (someone took it first, or nothing was put yet), join the **back** of
//!      the line with `getters.join_back(waker)`, keep the key, and return `Pending`.
//!
//!    Do the try and the join under one lock, so no put can come in between.
//!
//! The waiter line, `Waiters`, is given: it is tinyio's own (`src/queue/waiters.rs`).
//! Chapter 6 of the book explains it. Grade it: `cargo test ch06`. The answer is in
//! `solutions/src/`.

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
        // TODO: append, notify the first getter, wake it with the lock released.
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
        // TODO: in the line? poll_turn. Then try to take an item; else join_back, Pending.
        todo!()
    }
}
