//! [`Join`]: the future of [`Queue::join`], which waits until every item put has been marked
//! done.
//!
//! Guarantees:
//! - with nothing unfinished at its first poll, it is `Ready` at once;
//! - otherwise it waits for the next moment the unfinished count *reaches* zero (a
//!   [`task_done`](Queue::task_done), or a `shutdown(true)` that drains the last unfinished
//!   items), and is then `Ready` even if a put has raised the count again before it runs;
//! - that moment releases every waiting `Join`;
//! - dropped while waiting, it gives its slot back and leaves nothing behind.
//!
//! The "moment" is recorded per joiner: reaching zero notifies every slot in the joiner line,
//! and a notified slot means "released", whatever the count is when the joiner runs. No epoch
//! counter is needed.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::Queue;

impl<T> Queue<T> {
    /// Waits until every item put has been marked done with [`task_done`](Queue::task_done).
    ///
    /// Returns at once if nothing is unfinished. Otherwise it waits for the moment the count
    /// reaches zero, and returns even if more items were put since. Shutting the queue down does
    /// not release it, unless `shutdown(true)` drains the last unfinished items.
    ///
    /// ```
    /// use tinyio::{block_on, Queue};
    ///
    /// let queue = Queue::new();
    /// block_on(queue.join()); // nothing put: returns at once
    /// queue.try_put(1).unwrap();
    /// queue.task_done().unwrap(); // no get needed: join only counts
    /// block_on(queue.join());
    /// ```
    pub fn join(&self) -> Join<'_, T> {
        Join {
            queue: self,
            key: None,
        }
    }
}

/// The future returned by [`Queue::join`]. It is released by the moment the unfinished count
/// reaches zero, even if a put raises it again before the joiner runs:
///
/// ```
/// use std::pin::pin;
/// use std::task::{Context, Waker};
///
/// let queue = tinyio::Queue::new();
/// queue.try_put(1).unwrap();
/// let mut join = pin!(queue.join());
/// let mut cx = Context::from_waker(Waker::noop());
/// assert!(join.as_mut().poll(&mut cx).is_pending()); // one item unfinished
/// queue.task_done().unwrap(); // zero: the joiner is released...
/// queue.try_put(2).unwrap(); // ...and stays released
/// assert!(join.as_mut().poll(&mut cx).is_ready());
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Join<'a, T> {
    /// The queue to join.
    queue: &'a Queue<T>,
    /// Our slot in the queue's joiner line: `Some` from the moment we join the line until we
    /// see our release (or are dropped), `None` otherwise.
    key: Option<usize>,
}

// ANCHOR: join_poll
impl<T> Future for Join<'_, T> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let mut state = this.queue.lock();
        match this.key {
            // Waiting: released if notified, whatever the count is now.
            Some(key) => {
                if state.joiners.poll_turn(key, cx.waker()).is_ready() {
                    this.key = None;
                    return Poll::Ready(());
                }
            }
            // First poll: nothing unfinished means nothing to wait for.
            None if state.unfinished == 0 => return Poll::Ready(()),
            None => this.key = Some(state.joiners.join_back(cx.waker())),
        }
        drop(state);
        this.queue.note_waiting("Queue::join");
        Poll::Pending
    }
}
// ANCHOR_END: join_poll

// ANCHOR: join_drop
impl<T> Drop for Join<'_, T> {
    /// Gives our slot back. No wake-up to pass on: a release notifies every joiner.
    fn drop(&mut self) {
        if let Some(key) = self.key {
            self.queue.lock().joiners.cancel(key);
        }
    }
}
// ANCHOR_END: join_drop

impl<T> fmt::Debug for Join<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Join")
            .field("queue", self.queue)
            .field("waiting", &self.key.is_some())
            .finish()
    }
}
