//! Planted mistakes in chapter 6's exercise.
//!
//! `base` is the stage with a switch per mistake (a const parameter); each planted module names
//! one setting. `hand_off` is a queue of its own: it gives items to getters.

/// The unbounded stage, with one planted mistake chosen by `M`.
pub mod base {
    use std::collections::VecDeque;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex, MutexGuard};
    use std::task::{Context, Poll};

    use crate::waiters::{Waiters, WakeList};

    /// No mistake.
    pub const NONE: u8 = 0;
    /// `put` wakes every waiting getter.
    pub const WAKE_ALL: u8 = 1;
    /// A notified getter takes the item without looking: it trusts the wake-up.
    pub const TRUST_WAKE_UP: u8 = 2;
    /// `get` takes the newest item.
    pub const LIFO: u8 = 3;
    /// A getter joins the line again on every poll.
    pub const JOIN_EVERY_POLL: u8 = 4;

    /// The queue.
    pub struct Queue<T, const M: u8> {
        shared: Arc<Mutex<(VecDeque<T>, Waiters)>>,
    }

    impl<T, const M: u8> Clone for Queue<T, M> {
        fn clone(&self) -> Self {
            Queue {
                shared: self.shared.clone(),
            }
        }
    }

    impl<T, const M: u8> Default for Queue<T, M> {
        fn default() -> Self {
            Queue::new()
        }
    }

    impl<T, const M: u8> Queue<T, M> {
        /// An empty queue.
        pub fn new() -> Self {
            Queue {
                shared: Arc::new(Mutex::new((VecDeque::new(), Waiters::new()))),
            }
        }

        fn lock(&self) -> MutexGuard<'_, (VecDeque<T>, Waiters)> {
            self.shared.lock().unwrap()
        }

        /// The number of items.
        pub fn len(&self) -> usize {
            self.lock().0.len()
        }

        /// Whether it is empty.
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }

        /// Appends and notifies.
        pub fn put(&self, item: T) {
            let mut wakeups = WakeList::new();
            {
                let mut shared = self.lock();
                shared.0.push_back(item);
                if M == WAKE_ALL {
                    shared.1.notify_all(&mut wakeups);
                } else if let Some(waker) = shared.1.notify_one() {
                    wakeups.push(waker);
                }
            }
            wakeups.wake_all();
        }

        /// Takes an item.
        pub fn get(&self) -> Get<'_, T, M> {
            Get {
                queue: self,
                key: None,
            }
        }
    }

    /// The get future.
    pub struct Get<'a, T, const M: u8> {
        queue: &'a Queue<T, M>,
        key: Option<usize>,
    }

    impl<T, const M: u8> Future for Get<'_, T, M> {
        type Output = T;

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
            let this = self.get_mut();
            let mut shared = this.queue.lock();
            if let Some(key) = this.key.filter(|_| M != JOIN_EVERY_POLL) {
                if shared.1.poll_turn(key, cx.waker()).is_pending() {
                    return Poll::Pending;
                }
                this.key = None;
                if M == TRUST_WAKE_UP {
                    // the mistake: "I was woken, so my item is there"
                    return Poll::Ready(shared.0.pop_front().expect("woken, so an item is there"));
                }
            }
            let item = if M == LIFO {
                shared.0.pop_back() // the mistake: the newest item
            } else {
                shared.0.pop_front()
            };
            match item {
                Some(item) => Poll::Ready(item),
                None => {
                    this.key = Some(shared.1.join_back(cx.waker()));
                    Poll::Pending
                }
            }
        }
    }
}

/// `put` wakes every waiting getter instead of the first.
pub mod wake_all {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::WAKE_ALL }>;
}

/// A notified getter assumes its item is there, and does not look again.
pub mod trust_wake_up {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::TRUST_WAKE_UP }>;
}

/// `get` takes the newest item (LIFO).
pub mod lifo {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::LIFO }>;
}

/// A getter joins the back of the line on every poll, even when it was not notified.
pub mod join_every_poll {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::JOIN_EVERY_POLL }>;
}

/// A hand-off: `put` gives the item to the first waiting getter instead of the queue.
pub mod hand_off {
    use std::collections::{HashMap, VecDeque};
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex, MutexGuard};
    use std::task::{Context, Poll, Waker};

    struct Shared<T> {
        items: VecDeque<T>,
        line: VecDeque<(u64, Waker)>,
        handed: HashMap<u64, T>,
        next_id: u64,
    }

    /// The queue.
    pub struct Queue<T> {
        shared: Arc<Mutex<Shared<T>>>,
    }

    impl<T> Clone for Queue<T> {
        fn clone(&self) -> Self {
            Queue {
                shared: self.shared.clone(),
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
        pub fn new() -> Self {
            Queue {
                shared: Arc::new(Mutex::new(Shared {
                    items: VecDeque::new(),
                    line: VecDeque::new(),
                    handed: HashMap::new(),
                    next_id: 0,
                })),
            }
        }

        fn lock(&self) -> MutexGuard<'_, Shared<T>> {
            self.shared.lock().unwrap()
        }

        /// The number of items.
        pub fn len(&self) -> usize {
            self.lock().items.len()
        }

        /// Whether it is empty.
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }

        /// The mistake: a waiting getter gets the item itself.
        pub fn put(&self, item: T) {
            let waker = {
                let mut shared = self.lock();
                match shared.line.pop_front() {
                    Some((id, waker)) => {
                        shared.handed.insert(id, item);
                        Some(waker)
                    }
                    None => {
                        shared.items.push_back(item);
                        None
                    }
                }
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        }

        /// Takes an item.
        pub fn get(&self) -> Get<'_, T> {
            Get {
                queue: self,
                id: None,
            }
        }
    }

    /// The get future.
    pub struct Get<'a, T> {
        queue: &'a Queue<T>,
        id: Option<u64>,
    }

    impl<T> Future for Get<'_, T> {
        type Output = T;

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
            let this = self.get_mut();
            let mut shared = this.queue.lock();
            if let Some(id) = this.id {
                return match shared.handed.remove(&id) {
                    Some(item) => Poll::Ready(item),
                    None => Poll::Pending,
                };
            }
            if let Some(item) = shared.items.pop_front() {
                return Poll::Ready(item);
            }
            let id = shared.next_id;
            shared.next_id += 1;
            shared.line.push_back((id, cx.waker().clone()));
            this.id = Some(id);
            Poll::Pending
        }
    }
}
