// The queue of chapters 7 and 8, given: `ch07_bounded.rs` and `ch08_join.rs` both include this
// file (with `include!`), and so does each of their reference answers. It is tinyio's `Queue`
// (`src/queue/mod.rs`) without what the exercises do not need: no deadlock notes, no shutdown.
//
// The methods that the exercises ask for are not here: each exercise file writes its own.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;

pub use tinyio::{GetError, PutError, TaskDoneError, TryGetError, TryPutError};

use crate::waiters::Waiters;

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
    /// Items put and not yet marked done (chapter 8, where `try_put` adds one per item it
    /// accepts and `task_done` takes one off). Chapter 7's code never changes it: it stays 0.
    unfinished: usize,
    /// `Join` futures waiting for `unfinished` to reach zero. All are notified when it does
    /// (chapter 8).
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

    /// How many items were put and not yet marked done (chapter 8).
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

impl<T> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue").field("len", &self.len()).finish()
    }
}
