//! Reference answer to `exercises/src/ch06_queue.rs` (the task is written there).
//!
//! The waiter line is tinyio's own (`src/queue/waiters.rs`, included, not copied); `put` and
//! `Get::poll` are this first, unbounded stage of the queue. Chapter 7 grows it into tinyio's
//! `Get` and `Put`.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use crate::waiters::Waiters;

// ANCHOR: shared
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
// ANCHOR_END: shared

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

    // ANCHOR: put
    /// Appends `item` and notifies the first waiting getter. Never waits: the queue is unbounded.
    pub fn put(&self, item: T) {
        let first_getter = {
            let mut shared = self.lock();
            shared.items.push_back(item);
            shared.getters.notify_one()
        };
        // Woken with the lock released: the getter may run at once, on another thread.
        if let Some(waker) = first_getter {
            waker.wake();
        }
    }
    // ANCHOR_END: put
}

// ANCHOR: get
/// The future of [`Queue::get`].
pub struct Get<'a, T> {
    /// The queue to take from.
    queue: &'a Queue<T>,
    /// Our place in the getter line, from the poll that joined it until the poll that finds
    /// us notified. `None` otherwise.
    key: Option<usize>,
}
// ANCHOR_END: get

// ANCHOR: get_poll
impl<T> Future for Get<'_, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        let mut shared = this.queue.lock();
        if let Some(key) = this.key {
            // Not notified yet: a spurious poll. Keep our place.
            if shared.getters.poll_turn(key, cx.waker()).is_pending() {
                return Poll::Pending;
            }
            // Notified: that only means "look again".
            this.key = None;
        }
        match shared.items.pop_front() {
            Some(item) => Poll::Ready(item),
            None => {
                // Empty (again): back of the line. Same lock as the look, so no put slips in.
                this.key = Some(shared.getters.join_back(cx.waker()));
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: get_poll
