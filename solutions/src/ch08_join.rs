//! Reference answer to `exercises/src/ch08_join.rs` (the task is written there).
//!
//! `Join` is tinyio's own (`src/queue/join.rs`), included here, not copied. `State::try_put`
//! and `Queue::task_done` are this stage's.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;

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

// ANCHOR: try_put
impl<T> State<T> {
    /// Appends `item` if there is room, counts it as unfinished, and notifies the first getter.
    fn try_put(&mut self, item: T) -> Result<Wakeup, TryPutError<T>> {
        if self.is_full() {
            return Err(TryPutError::Full(item));
        }
        self.buffer.push_back(item);
        self.unfinished += 1;
        Ok(self.getters.notify_one())
    }
}
// ANCHOR_END: try_put

// ANCHOR: task_done
impl<T> Queue<T> {
    /// Marks one item as handled. When no item is left unfinished, every joiner is released.
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        let mut released = WakeList::new();
        let mut state = self.lock();
        state.unfinished = state.unfinished.checked_sub(1).ok_or(TaskDoneError)?;
        if state.unfinished == 0 {
            state.joiners.notify_all(&mut released);
        }
        drop(state);
        released.wake_all();
        Ok(())
    }
}
// ANCHOR_END: task_done

#[path = "../../src/queue/join.rs"]
mod join;

pub use join::Join;
