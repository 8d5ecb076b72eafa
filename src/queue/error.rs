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
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PutError<T>(pub T);

impl<T> PutError<T> {
    /// Gives back the item that could not be put.
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
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TryPutError<T> {
    /// The queue holds `maxsize` items already. `put(item).await` would wait for a free slot.
    Full(T),
    /// The queue is shut down; it accepts no more items. Checked before `Full`.
    ShutDown(T),
}

impl<T> TryPutError<T> {
    /// Gives back the item that could not be put.
    pub fn into_inner(self) -> T {
        match self {
            TryPutError::Full(item) | TryPutError::ShutDown(item) => item,
        }
    }

    /// Whether the put failed because the queue was full.
    pub fn is_full(&self) -> bool {
        matches!(self, TryPutError::Full(_))
    }

    /// Whether the put failed because the queue was shut down.
    pub fn is_shut_down(&self) -> bool {
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GetError;

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("get on a shut-down queue with no items left: no item will ever come")
    }
}

impl Error for GetError {}

/// The error of [`Queue::try_get`](super::Queue::try_get).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryGetError {
    /// The queue holds no item right now. `get().await` would wait for one.
    Empty,
    /// The queue is shut down and every item left in it has been taken.
    ShutDown,
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
