//! [`Put`]: the future of [`Queue::put`], which waits for a free slot.
//!
//! Guarantees:
//! - if the queue is shut down when it is polled (first poll or after a notification), it
//!   completes with [`PutError`], which holds the item;
//! - else if there is room, it appends the item at once, counts it as unfinished and notifies
//!   the first waiting getter;
//! - otherwise it joins the back of the putter line and returns `Pending`, keeping the item; a
//!   poll without a notification keeps its place;
//! - dropped while waiting, it inserts nothing (the item is dropped with it), and passes on a
//!   notification it received but never acted on (see its `Drop`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::{PutError, Queue, TryPutError, Wakeup, wake};

impl<T> Queue<T> {
    /// Puts `item` at the back of the queue, waiting for a free slot while the queue is full.
    /// An unbounded queue never waits.
    ///
    /// On success the unfinished count goes up by one. Returns `Err(PutError(item))`, with the
    /// item, if the queue is shut down: before waiting, or while waiting.
    ///
    /// Waiting putters are served in the order they started to wait. A wake-up only tells the
    /// first of them to look again: a putter that was woken but finds the queue full (because
    /// someone else took the slot first) waits again at the back of the line.
    ///
    /// Cancel-safe in one direction: dropping the future while it waits never inserts the item,
    /// but the item is dropped with the future.
    ///
    /// ```
    /// use tinyio::{block_on, Queue};
    ///
    /// let queue = Queue::bounded(2);
    /// block_on(async {
    ///     queue.put('a').await.unwrap(); // room: does not wait
    ///     queue.put('b').await.unwrap();
    /// });
    /// assert!(queue.is_full());
    /// assert_eq!(queue.unfinished(), 2);
    /// ```
    pub fn put(&self, item: T) -> Put<'_, T> {
        Put {
            queue: self,
            item: Some(item),
            key: None,
        }
    }
}

/// The future returned by [`Queue::put`]. Its output is `Ok(())` once the item is in the queue,
/// or [`PutError`] with the item if the queue is shut down.
///
/// Dropping it while it waits never inserts its item:
///
/// ```
/// use std::pin::pin;
/// use std::task::{Context, Waker};
///
/// let queue = tinyio::Queue::bounded(1);
/// queue.try_put("first").unwrap();
/// let mut put = pin!(queue.put("second"));
/// let mut cx = Context::from_waker(Waker::noop());
/// assert!(put.as_mut().poll(&mut cx).is_pending()); // full: it waits in the putter line
/// drop(put); // cancelled: "second" is dropped with it
/// assert_eq!(queue.try_get(), Ok("first"));
/// assert!(queue.is_empty());
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Put<'a, T> {
    /// The queue to put into.
    queue: &'a Queue<T>,
    /// The item, until it is put or given back inside the error. `None` only after `Ready`.
    item: Option<T>,
    /// Our slot in the queue's putter line: `Some` from the moment we join the line until we
    /// see our notification (or are dropped), `None` otherwise.
    key: Option<usize>,
}

/// The item is never pinned (it is moved into the queue), so `Put` may move between polls
/// whatever `T` is.
impl<T> Unpin for Put<'_, T> {}

// ANCHOR: put_poll
impl<T> Future for Put<'_, T> {
    type Output = Result<(), PutError<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        // Decide under the lock; wake, or leave the wait note, once it is released.
        match this.step(cx.waker()) {
            Step::Put(getter) => {
                wake(getter);
                Poll::Ready(Ok(()))
            }
            Step::ShutDown(item) => Poll::Ready(Err(PutError(item))),
            Step::Wait => {
                this.queue.note_waiting("Queue::put");
                Poll::Pending
            }
        }
    }
}

/// What a poll of [`Put`] decided under the lock.
enum Step<T> {
    /// The item is in; wake this getter.
    Put(Wakeup),
    /// The queue is shut down: the item comes back.
    ShutDown(T),
    /// We wait in the putter line, with the item.
    Wait,
}

impl<T> Put<'_, T> {
    /// One poll's work under the queue's lock, which is released when it returns.
    fn step(&mut self, waker: &Waker) -> Step<T> {
        let mut state = self.queue.lock();
        // In the line already? Go on only if we were notified; otherwise keep our place.
        if let Some(key) = self.key {
            if state.putters.poll_turn(key, waker).is_pending() {
                return Step::Wait;
            }
            self.key = None;
        }
        // Try (again): someone may have taken the slot we were notified about.
        let item = (self.item.take()).expect(
            "a Queue::put future was polled after completion: its item is already in the queue",
        );
        match state.try_put(item) {
            Ok(getter) => Step::Put(getter),
            Err(TryPutError::ShutDown(item)) => Step::ShutDown(item),
            Err(TryPutError::Full(item)) => {
                // Keep the item and wait at the back of the line.
                self.item = Some(item);
                self.key = Some(state.putters.join_back(waker));
                Step::Wait
            }
        }
    }
}
// ANCHOR_END: put_poll

// ANCHOR: put_drop
impl<T> Drop for Put<'_, T> {
    /// Leaves the putter line without inserting the item. If we had been notified and there is
    /// still a free slot, the wake-up we will never act on goes to the next putter.
    #[inline]
    fn drop(&mut self) {
        if let Some(key) = self.key {
            self.leave(key); // rare: dropped while waiting
        }
    }
}

impl<T> Put<'_, T> {
    /// The work of `drop` for a future dropped while it waits in the line (slot `key`).
    #[cold]
    fn leave(&mut self, key: usize) {
        let mut state = self.queue.lock();
        let notified = state.putters.cancel(key);
        let next = if notified && !state.is_full() {
            state.putters.notify_one()
        } else {
            None
        };
        drop(state);
        wake(next);
        // `self.item` is dropped after this, with the lock released.
    }
}
// ANCHOR_END: put_drop

impl<T> fmt::Debug for Put<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Put")
            .field("queue", self.queue)
            .field("waiting", &self.key.is_some())
            .finish_non_exhaustive()
    }
}
