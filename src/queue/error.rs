//! The errors of [`Queue`](super::Queue)'s operations.
//!
//! Guarantees:
//! - an error that refuses an item ([`PutError`], [`TryPutError`]) always carries that item, so
//!   a failed put never loses it: take it back with `into_inner()`;
//! - every error says in its `Display` message what happened and what to do about it;
//! - `Debug` never needs `T: Debug` (it prints `..` for the item, like std's `SendError`), so
//!   `unwrap()` and `?` work on a queue of any item type.
//!
//! asyncio's names, for readers coming from Python: `QueueFull` is [`TryPutError::Full`],
//! `QueueEmpty` is [`TryGetError::Empty`], `QueueShutDown` is [`PutError`], [`GetError`] and the
//! `ShutDown` variants, and `ValueError("task_done() called too many times")` is
//! [`TaskDoneError`].

use std::error::Error;
use std::fmt;

/// The error of [`Queue::put`](super::Queue::put): the queue is shut down, so the item was not
/// put. The item is inside; take it back with [`PutError::into_inner`] or the public field.
///
/// ```
/// use tinyio::{block_on, PutError, Queue};
///
/// let queue = Queue::new();
/// queue.shutdown(false);
/// let error = block_on(queue.put(String::from("late"))).unwrap_err();
/// assert_eq!(error, PutError(String::from("late")));
/// println!("{error}"); // says what happened and how to get the item back
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PutError<T>(pub T);

impl<T> PutError<T> {
    /// Gives back the item that could not be put.
    ///
    /// ```
    /// let queue = tinyio::Queue::new();
    /// queue.shutdown(false);
    /// let error = tinyio::block_on(queue.put(vec![1, 2])).unwrap_err();
    /// assert_eq!(error.into_inner(), [1, 2]);
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PutError")
            .field(&format_args!(".."))
            .finish()
    }
}

impl<T> fmt::Display for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "put on a shut-down queue: the item was not added (take it back with into_inner())",
        )
    }
}

impl<T> Error for PutError<T> {}

/// The error of [`Queue::try_put`](super::Queue::try_put). Either way the item was not put and
/// is inside; take it back with [`TryPutError::into_inner`].
///
/// ```
/// use tinyio::{Queue, TryPutError};
///
/// let queue = Queue::bounded(1);
/// queue.try_put(1).unwrap();
/// match queue.try_put(2) {
///     Err(TryPutError::Full(item)) => assert_eq!(item, 2), // `put(2).await` would wait
///     other => panic!("expected Full, got {other:?}"),
/// }
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TryPutError<T> {
    /// The queue holds `maxsize` items already. `put(item).await` would wait for a free slot.
    Full(T),
    /// The queue is shut down; it accepts no more items. Checked before `Full`.
    ShutDown(T),
}

impl<T> TryPutError<T> {
    /// Gives back the item that could not be put.
    ///
    /// ```
    /// let queue = tinyio::Queue::bounded(1);
    /// queue.try_put('a').unwrap();
    /// assert_eq!(queue.try_put('b').unwrap_err().into_inner(), 'b');
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            TryPutError::Full(item) | TryPutError::ShutDown(item) => item,
        }
    }

    /// Whether the put failed because the queue was full.
    ///
    /// ```
    /// let queue = tinyio::Queue::bounded(1);
    /// queue.try_put(1).unwrap();
    /// assert!(queue.try_put(2).unwrap_err().is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        matches!(self, TryPutError::Full(_))
    }

    /// Whether the put failed because the queue was shut down.
    ///
    /// ```
    /// let queue = tinyio::Queue::bounded(1);
    /// queue.try_put(1).unwrap();
    /// queue.shutdown(false);
    /// let error = queue.try_put(2).unwrap_err();
    /// assert!(error.is_shutdown() && !error.is_full()); // shut down is checked first
    /// ```
    pub fn is_shutdown(&self) -> bool {
        matches!(self, TryPutError::ShutDown(_))
    }
}

impl<T> From<PutError<T>> for TryPutError<T> {
    fn from(error: PutError<T>) -> Self {
        TryPutError::ShutDown(error.0)
    }
}

impl<T> fmt::Debug for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            TryPutError::Full(_) => "Full",
            TryPutError::ShutDown(_) => "ShutDown",
        };
        f.debug_tuple(name).field(&format_args!("..")).finish()
    }
}

impl<T> fmt::Display for TryPutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TryPutError::Full(_) => {
                "try_put on a full queue: the item was not added (use put(item).await to wait \
                 for a free slot, or take the item back with into_inner())"
            }
            TryPutError::ShutDown(_) => {
                "try_put on a shut-down queue: the item was not added (take it back with \
                 into_inner())"
            }
        })
    }
}

impl<T> Error for TryPutError<T> {}

/// The error of [`Queue::get`](super::Queue::get): the queue is shut down and every item left in
/// it has been taken, so no item will ever come.
///
/// ```
/// use tinyio::{block_on, GetError, Queue};
///
/// let queue = Queue::<u32>::new();
/// queue.shutdown(false);
/// assert_eq!(block_on(queue.get()), Err(GetError));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GetError;

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("get on a shut-down queue with no items left: no item will ever come")
    }
}

impl Error for GetError {}

/// The error of [`Queue::try_get`](super::Queue::try_get). Unlike [`TryPutError`] it holds
/// nothing: no item was taken.
///
/// ```
/// use tinyio::{Queue, TryGetError};
///
/// let queue = Queue::<u32>::new();
/// match queue.try_get() {
///     Err(TryGetError::Empty) => {} // `get().await` would wait for an item
///     other => panic!("expected Empty, got {other:?}"),
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryGetError {
    /// The queue holds no item right now. `get().await` would wait for one.
    Empty,
    /// The queue is shut down and every item left in it has been taken.
    ShutDown,
}

impl TryGetError {
    /// Whether the get failed because the queue held no item (and was not shut down).
    ///
    /// ```
    /// let queue = tinyio::Queue::<u32>::new();
    /// assert!(queue.try_get().unwrap_err().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        matches!(self, TryGetError::Empty)
    }

    /// Whether the get failed because the queue was shut down and held no item.
    ///
    /// ```
    /// let queue = tinyio::Queue::<u32>::new();
    /// queue.shutdown(false);
    /// let error = queue.try_get().unwrap_err();
    /// assert!(error.is_shutdown() && !error.is_empty());
    /// ```
    pub fn is_shutdown(&self) -> bool {
        matches!(self, TryGetError::ShutDown)
    }
}

impl From<GetError> for TryGetError {
    fn from(_: GetError) -> Self {
        TryGetError::ShutDown
    }
}

impl fmt::Display for TryGetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TryGetError::Empty => "try_get on an empty queue (use get().await to wait for an item)",
            TryGetError::ShutDown => {
                "try_get on a shut-down queue with no items left: no item will ever come"
            }
        })
    }
}

impl Error for TryGetError {}

/// The error of [`Queue::task_done`](super::Queue::task_done): there was no unfinished item left
/// to mark done, because `task_done` was called more often than items were put. Nothing changed.
///
/// ```
/// use tinyio::{Queue, TaskDoneError};
///
/// let queue = Queue::<u32>::new();
/// assert_eq!(queue.task_done(), Err(TaskDoneError)); // nothing was put
/// assert_eq!(queue.unfinished(), 0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskDoneError;

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "task_done called more times than items were put (no unfinished item left to mark \
             done)",
        )
    }
}

impl Error for TaskDoneError {}
