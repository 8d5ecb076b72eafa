//! [`Get`]: the future of [`Queue::get`], which waits for an item.
//!
//! Guarantees:
//! - if the queue holds an item when it is polled (first poll or after a notification), it takes
//!   the front item at once and notifies the first waiting putter;
//! - otherwise it joins the back of the getter line and returns `Pending`; a poll without a
//!   notification keeps its place;
//! - once the queue is shut down and empty it completes with [`GetError`];
//! - dropped while waiting, it takes nothing, and passes on a notification it received but
//!   never acted on (see its `Drop`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::{GetError, Queue, TryGetError, Wakeup, wake};

impl<T> Queue<T> {
    /// Takes the item at the front of the queue, waiting for one while the queue is empty.
    ///
    /// Returns `Err(GetError)` if the queue is shut down and holds no item. Taking an item does
    /// not change the unfinished count: call [`task_done`](Queue::task_done) once it is handled.
    ///
    /// Waiting getters are served in the order they started to wait. A wake-up only tells the
    /// first of them to look again: a getter that was woken but finds the queue empty (because
    /// someone else took the item first) waits again at the back of the line.
    ///
    /// Cancel-safe: dropping the future while it waits takes no item.
    ///
    /// ```
    /// use tinyio::{block_on, Queue};
    ///
    /// let queue = Queue::new();
    /// queue.try_put(7).unwrap();
    /// assert_eq!(block_on(queue.get()), Ok(7));
    /// assert_eq!(queue.unfinished(), 1); // until task_done()
    /// ```
    pub fn get(&self) -> Get<'_, T> {
        Get {
            queue: self,
            key: None,
            done: false,
        }
    }
}

/// The future returned by [`Queue::get`]. Its output is the item, or [`GetError`] once the queue
/// is shut down and empty.
///
/// Dropping it while it waits takes no item:
///
/// ```
/// use std::pin::pin;
/// use std::task::{Context, Waker};
///
/// let queue = tinyio::Queue::new();
/// let mut get = pin!(queue.get());
/// let mut cx = Context::from_waker(Waker::noop());
/// assert!(get.as_mut().poll(&mut cx).is_pending()); // empty: it waits in the getter line
/// queue.try_put(1).unwrap(); // notifies it
/// drop(get); // cancelled before it ran: the item stays
/// assert_eq!(queue.try_get(), Ok(1));
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Get<'a, T> {
    /// The queue to take from.
    queue: &'a Queue<T>,
    /// Our slot in the queue's getter line: `Some` from the moment we join the line until we
    /// see our notification (or are dropped), `None` otherwise.
    key: Option<usize>,
    /// We returned `Ready`: a further poll is a bug, and must not take a second item.
    done: bool,
}

// ANCHOR: get_poll
impl<T> Future for Get<'_, T> {
    type Output = Result<T, GetError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        assert!(
            !this.done,
            "a Queue::get future was polled after completion: it already returned its item"
        );
        // Decide under the lock; wake, or leave the wait note, once it is released.
        match this.step(cx.waker()) {
            Step::Got(item, putter) => {
                this.done = true;
                wake(putter);
                Poll::Ready(Ok(item))
            }
            Step::ShutDown => {
                this.done = true;
                Poll::Ready(Err(GetError))
            }
            Step::Wait => {
                this.queue.note_waiting("Queue::get");
                Poll::Pending
            }
        }
    }
}

/// What a poll of [`Get`] decided under the lock.
enum Step<T> {
    /// We took this item; wake this putter.
    Got(T, Wakeup),
    /// The queue is shut down and empty.
    ShutDown,
    /// We wait in the getter line.
    Wait,
}

impl<T> Get<'_, T> {
    /// One poll's work under the queue's lock, which is released when it returns.
    fn step(&mut self, waker: &Waker) -> Step<T> {
        let mut state = self.queue.lock();
        // In the line already? Go on only if we were notified; otherwise keep our place.
        if let Some(key) = self.key {
            if state.getters.poll_turn(key, waker).is_pending() {
                return Step::Wait;
            }
            self.key = None;
        }
        // Try (again): someone may have taken the item we were notified about.
        match state.try_get() {
            Ok((item, putter)) => Step::Got(item, putter),
            Err(TryGetError::ShutDown) => Step::ShutDown,
            Err(TryGetError::Empty) => {
                // Wait at the back of the line. Trying and joining the line happen under one
                // lock, so no put can slip in between and have its wake-up lost.
                self.key = Some(state.getters.join_back(waker));
                Step::Wait
            }
        }
    }
}
// ANCHOR_END: get_poll

// ANCHOR: get_drop
impl<T> Drop for Get<'_, T> {
    /// Leaves the getter line. If we had been notified and there is still an item, the wake-up
    /// we will never act on goes to the next getter, or it might sleep forever next to an item.
    #[inline]
    fn drop(&mut self) {
        if let Some(key) = self.key {
            self.leave(key); // rare: dropped while waiting
        }
    }
}

impl<T> Get<'_, T> {
    /// The work of `drop` for a future dropped while it waits in the line (slot `key`).
    #[cold]
    fn leave(&mut self, key: usize) {
        let mut state = self.queue.lock();
        let notified = state.getters.cancel(key);
        let next = if notified && !state.buffer.is_empty() {
            state.getters.notify_one()
        } else {
            None
        };
        drop(state);
        wake(next);
    }
}
// ANCHOR_END: get_drop

impl<T> fmt::Debug for Get<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Get")
            .field("queue", self.queue)
            .field("waiting", &self.key.is_some())
            .finish()
    }
}
