//! # Chapter 8, exercise 1: `task_done` and `join`
//!
//! ## Task
//!
//! The queue of chapter 7 is given, with its `Get` and `Put` (tinyio's own, included from
//! `src/queue/`). It now has an unfinished counter and a line of joiners. Write:
//!
//! 1. `State::try_put`: as in chapter 7 (full: `Err(TryPutError::Full(item))`; otherwise append
//!    and notify the first getter), and count the item: `unfinished` goes up by one on every
//!    successful put. Nothing else changes it upwards: a get never touches it.
//! 2. `Queue::task_done`: if `unfinished` is 0, fail with `TaskDoneError` and change nothing.
//!    Otherwise subtract one; if that makes it 0, notify **every** joiner
//!    (`joiners.notify_all(&mut wake_list)`), and wake them after releasing the lock.
//! 3. `Join::poll`: on the first poll, with nothing unfinished, return `Ready(())` at once (no
//!    waiting, no self-wake). Otherwise join the joiner line and return `Pending`. On later
//!    polls, `poll_turn`: `Ready` means the counter *reached* zero since we joined, so we are
//!    released, even if a put has raised it again since; `Pending` means not yet.
//! 4. `Drop for Join`: leave the joiner line if we are in it (`cancel(key)`). Nothing to pass on:
//!    reaching zero releases every joiner anyway.
//!
//! Grade it: `cargo test ch08`. The last scenario runs the seed program, corrected, on your
//! queue. The answer is in `solutions/src/` (and `Join` is `src/queue/join.rs`).

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

pub use tinyio::{GetError, PutError, TaskDoneError, TryGetError, TryPutError};

use crate::waiters::{Waiters, WakeList};

/// The waker of a waiter to notify, taken out under the lock and woken after it.
type Wakeup = Option<Waker>;

/// Wakes the waiter, if any. Only call it once the lock is released.
fn wake(wakeup: Wakeup) {
    wakeup.into_iter().for_each(Waker::wake);
}

/// A FIFO queue for tasks, bounded or not. Every clone is a handle to the same queue.
pub struct Queue<T> {
    /// The state that the handles share. One lock per operation; nobody is woken under it.
    shared: Arc<Mutex<State<T>>>,
}

/// What the lock guards.
struct State<T> {
    /// Getters that found no item, in the order they came. A put notifies the first.
    getters: Waiters,
    /// Putters that found no room, in the order they came. A get notifies the first.
    putters: Waiters,
    /// The items in the queue, front first; at most `maxsize` of them.
    buffer: VecDeque<T>,
    /// How many items fit: `None` for no limit, and never `Some(0)`.
    maxsize: Option<usize>,
    /// Items put and not yet marked done: +1 on every successful put, -1 on `task_done`.
    unfinished: usize,
    /// `Join` futures waiting for `unfinished` to reach zero. All are notified when it does.
    joiners: Waiters,
}

impl<T> Queue<T> {
    /// An unbounded queue.
    pub fn new() -> Queue<T> {
        Queue::with(None)
    }

    /// A queue of at most `maxsize` items.
    ///
    /// # Panics
    ///
    /// If `maxsize` is 0 (asyncio reads 0 as "unbounded"; here that is `Queue::new()`).
    pub fn bounded(maxsize: usize) -> Queue<T> {
        assert!(maxsize > 0, "Queue::bounded(0) could never hold an item");
        Queue::with(Some(maxsize))
    }

    fn with(maxsize: Option<usize>) -> Queue<T> {
        Queue {
            shared: Arc::new(Mutex::new(State {
                getters: Waiters::new(),
                putters: Waiters::new(),
                buffer: VecDeque::new(),
                maxsize,
                unfinished: 0,
                joiners: Waiters::new(),
            })),
        }
    }

    /// How many items the queue holds.
    pub fn len(&self) -> usize {
        self.lock().buffer.len()
    }

    /// How many items were put and not yet marked done.
    pub fn unfinished(&self) -> usize {
        self.lock().unfinished
    }

    /// Whether the queue holds no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Puts `item` at the back if there is room, without waiting.
    pub fn try_put(&self, item: T) -> Result<(), TryPutError<T>> {
        let first_getter = self.lock().try_put(item)?;
        wake(first_getter);
        Ok(())
    }

    /// Takes the front item, without waiting.
    pub fn try_get(&self) -> Result<T, TryGetError> {
        let (item, first_putter) = self.lock().try_get()?;
        wake(first_putter);
        Ok(item)
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.shared.lock().unwrap()
    }

    /// tinyio notes what a task waits for, for its deadlock report. This queue has no report.
    fn note_waiting(&self, _what: &'static str) {}
}

impl<T> State<T> {
    /// Whether the buffer holds `maxsize` items.
    fn is_full(&self) -> bool {
        self.maxsize.is_some_and(|max| self.buffer.len() >= max)
    }

    /// Takes the front item, if any, and notifies the first waiting putter. Chapter 7's.
    fn try_get(&mut self) -> Result<(T, Wakeup), TryGetError> {
        match self.buffer.pop_front() {
            None => Err(TryGetError::Empty),
            Some(item) => Ok((item, self.putters.notify_one())),
        }
    }
}

// `Get` and `Put` are chapter 7's answer: tinyio's own, included.
#[path = "../../src/queue/get.rs"]
#[allow(clippy::duplicate_mod)]
mod get;
#[path = "../../src/queue/put.rs"]
#[allow(clippy::duplicate_mod)]
mod put;

pub use get::Get;
pub use put::Put;

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

impl<T> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue").field("len", &self.len()).finish()
    }
}

impl<T> State<T> {
    /// Appends `item` if there is room, counts it as unfinished, and notifies the first getter.
    fn try_put(&mut self, item: T) -> Result<Wakeup, TryPutError<T>> {
        // TODO: as in chapter 7, and count the item as unfinished.
        todo!()
    }
}

impl<T> Queue<T> {
    /// Marks one item as handled. When no item is left unfinished, every joiner is released.
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        // TODO: 0? Err(TaskDoneError). Else subtract one; reaching 0 notifies every joiner.
        todo!()
    }

    /// A future that waits until every item put has been marked done.
    pub fn join(&self) -> Join<'_, T> {
        Join {
            key: None,
            queue: self,
        }
    }
}

/// The future of [`Queue::join`].
pub struct Join<'a, T> {
    /// The key of our slot in the joiner line while we are in it; `None` otherwise.
    key: Option<usize>,
    /// The queue to join.
    queue: &'a Queue<T>,
}

impl<T> Future for Join<'_, T> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // TODO: first poll: nothing unfinished means Ready; else join the line. Later polls:
        // released (Ready) once poll_turn says we were notified.
        todo!()
    }
}

impl<T> Drop for Join<'_, T> {
    fn drop(&mut self) {
        // TODO: leave the joiner line if we are in it.
    }
}
