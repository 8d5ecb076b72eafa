//! Planted mistakes in chapter 8's exercise: one join-able queue with a switch per mistake (a
//! const parameter). It keeps its items in a `tinyio::Queue` and counts on its own.

/// The join-able stage, with one planted mistake chosen by `M`.
pub mod base {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex, MutexGuard};
    use std::task::{Context, Poll};

    use tinyio::{GetError, PutError, TaskDoneError, TryGetError, TryPutError};

    use crate::waiters::{Waiters, WakeList};

    /// The counter follows the items taken (get counts up) instead of the items put.
    pub const COUNT_ON_GET: u8 = 1;
    /// `join` yields once even when nothing is unfinished.
    pub const JOIN_YIELDS: u8 = 2;
    /// Reaching zero releases only the first joiner.
    pub const RELEASE_ONE: u8 = 3;
    /// A woken joiner looks at the count again instead of trusting its release.
    pub const JOIN_RECHECKS_COUNT: u8 = 4;

    struct Count {
        unfinished: usize,
        joiners: Waiters,
    }

    /// The queue.
    pub struct Queue<T, const M: u8> {
        items: tinyio::Queue<T>,
        count: Arc<Mutex<Count>>,
    }

    impl<T, const M: u8> Clone for Queue<T, M> {
        fn clone(&self) -> Self {
            Queue {
                items: self.items.clone(),
                count: self.count.clone(),
            }
        }
    }

    impl<T, const M: u8> Default for Queue<T, M> {
        fn default() -> Self {
            Queue::new()
        }
    }

    impl<T, const M: u8> Queue<T, M> {
        fn with(items: tinyio::Queue<T>) -> Self {
            let count = Count {
                unfinished: 0,
                joiners: Waiters::new(),
            };
            Queue {
                items,
                count: Arc::new(Mutex::new(count)),
            }
        }

        /// Unbounded.
        pub fn new() -> Self {
            Queue::with(tinyio::Queue::new())
        }

        /// Bounded.
        pub fn bounded(maxsize: usize) -> Self {
            Queue::with(tinyio::Queue::bounded(maxsize))
        }

        fn count(&self) -> MutexGuard<'_, Count> {
            self.count.lock().unwrap()
        }

        fn up(&self, counts: bool) {
            if counts {
                self.count().unfinished += 1;
            }
        }

        /// The number of items.
        pub fn len(&self) -> usize {
            self.items.len()
        }

        /// Whether it is empty.
        pub fn is_empty(&self) -> bool {
            self.items.is_empty()
        }

        /// The unfinished count.
        pub fn unfinished(&self) -> usize {
            self.count().unfinished
        }

        /// Puts without waiting.
        pub fn try_put(&self, item: T) -> Result<(), TryPutError<T>> {
            self.items.try_put(item)?;
            self.up(M != COUNT_ON_GET);
            Ok(())
        }

        /// Takes without waiting.
        pub fn try_get(&self) -> Result<T, TryGetError> {
            let item = self.items.try_get()?;
            self.up(M == COUNT_ON_GET);
            Ok(item)
        }

        /// Puts.
        pub async fn put(&self, item: T) -> Result<(), PutError<T>> {
            self.items.put(item).await?;
            self.up(M != COUNT_ON_GET);
            Ok(())
        }

        /// Takes.
        pub async fn get(&self) -> Result<T, GetError> {
            let item = self.items.get().await?;
            self.up(M == COUNT_ON_GET);
            Ok(item)
        }

        /// Marks one item done.
        pub fn task_done(&self) -> Result<(), TaskDoneError> {
            let mut released = WakeList::new();
            let mut count = self.count();
            count.unfinished = count.unfinished.checked_sub(1).ok_or(TaskDoneError)?;
            if count.unfinished == 0 {
                if M == RELEASE_ONE {
                    if let Some(waker) = count.joiners.notify_one() {
                        released.push(waker);
                    }
                } else {
                    count.joiners.notify_all(&mut released);
                }
            }
            drop(count);
            released.wake_all();
            Ok(())
        }

        /// Waits until nothing is unfinished.
        pub fn join(&self) -> Join<'_, T, M> {
            Join(self, None, false)
        }
    }

    /// The join future: the queue, our key, whether we yielded.
    pub struct Join<'a, T, const M: u8>(&'a Queue<T, M>, Option<usize>, bool);

    impl<T, const M: u8> Future for Join<'_, T, M> {
        type Output = ();

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let queue = self.0;
            let mut count = queue.count();
            if M == JOIN_YIELDS && !self.2 {
                // the mistake: a yield "to let the consumers run", even with nothing to wait for
                self.2 = true;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            match self.1 {
                Some(key) => {
                    if count.joiners.poll_turn(key, cx.waker()).is_ready() {
                        self.1 = None;
                        if M == JOIN_RECHECKS_COUNT && count.unfinished > 0 {
                            // the mistake: the count went up again, so wait on
                            self.1 = Some(count.joiners.join_back(cx.waker()));
                            return Poll::Pending;
                        }
                        return Poll::Ready(());
                    }
                    Poll::Pending
                }
                None if count.unfinished == 0 => Poll::Ready(()),
                None => {
                    self.1 = Some(count.joiners.join_back(cx.waker()));
                    Poll::Pending
                }
            }
        }
    }

    impl<T, const M: u8> Drop for Join<'_, T, M> {
        fn drop(&mut self) {
            if let Some(key) = self.1 {
                self.0.count().joiners.cancel(key);
            }
        }
    }
}

/// The counter goes up on get instead of put.
pub mod count_on_get {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::COUNT_ON_GET }>;
}

/// `join` yields once even when nothing is unfinished.
pub mod join_yields {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::JOIN_YIELDS }>;
}

/// Reaching zero releases only the first joiner.
pub mod release_one {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::RELEASE_ONE }>;
}

/// A released joiner waits again if the count went up before it ran.
pub mod join_rechecks_count {
    /// The queue.
    pub type Queue<T> = super::base::Queue<T, { super::base::JOIN_RECHECKS_COUNT }>;
}
