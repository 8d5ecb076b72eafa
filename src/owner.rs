//! Which task is polling on this thread, and which tasks were aborted: what a queue's waiter
//! line needs to skip the waiters of an aborted task (see `queue/waiters.rs`).
//!
//! A task is named by its [`OwnerKey`]: its runtime's id and its own id, a pair of integers
//! that no other task of the process shares. The runtime sets the key of the task it polls
//! ([`polling`]); a waiter that joins a line reads it ([`current`]) and keeps it. Aborting a
//! task adds its key to one process-wide set ([`aborted`]), and dropping the task takes it out
//! ([`forget`]); a notification asks the set whether a waiter's task was aborted
//! ([`is_aborted`]).
//!
//! Why keys, and not a reference to the task: a reference is an `Arc`, and keeping one in the
//! thread-local for each poll, and in every waiter, costs an atomic increment and decrement
//! each time, several per turn. A key is copied for free, and the set is looked at only while
//! some task is aborted and not yet dropped, which is rare: in the usual case the check is one
//! atomic load.
//!
//! Invariants:
//! - `ABORTED_COUNT` is the number of keys in `ABORTED`, written under its lock;
//! - a key is in `ABORTED` from the moment its task is aborted until the task is dropped
//!   (its `Header`'s `Drop` calls [`forget`]); keys are never reused, so a stale key in a
//!   waiter can only answer "not aborted".

use std::cell::Cell;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The name of a task, unique in the process: its runtime's id and its id in that runtime.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct OwnerKey {
    /// The runtime's id (unique in the process, never 0).
    pub(crate) runtime: usize,
    /// The task's id in its runtime (spawn order).
    pub(crate) task: u64,
}

thread_local! {
    /// The task being polled on this thread, set by the runtime around each poll. `Copy` and
    /// without a destructor, so reading it is one load.
    static POLLING: Cell<Option<OwnerKey>> = const { Cell::new(None) };
}

/// Every aborted task that has not been dropped yet.
static ABORTED: Mutex<Option<HashSet<OwnerKey>>> = Mutex::new(None);
/// How many keys `ABORTED` holds: zero in the usual case, which costs a notification one load.
static ABORTED_COUNT: AtomicUsize = AtomicUsize::new(0);

/// Locks the set. Nothing panics while it is held, so a poisoned lock holds a whole set.
fn lock(set: &Mutex<Option<HashSet<OwnerKey>>>) -> MutexGuard<'_, Option<HashSet<OwnerKey>>> {
    set.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Makes `key` the owner of every waiter that joins a line on this thread until the guard is
/// dropped. The runtime calls it around each poll of a task.
pub(crate) fn polling(key: OwnerKey) -> Polling {
    Polling {
        previous: POLLING.with(|slot| slot.replace(Some(key))),
    }
}

/// Restores the previous owner when dropped (also when the poll panics).
pub(crate) struct Polling {
    previous: Option<OwnerKey>,
}

impl Drop for Polling {
    fn drop(&mut self) {
        POLLING.with(|slot| slot.set(self.previous));
    }
}

/// The task polling on this thread now, if any.
pub(crate) fn current() -> Option<OwnerKey> {
    POLLING.with(Cell::get)
}

/// Records that the task `key` was aborted.
pub(crate) fn aborted(key: OwnerKey) {
    let mut set = lock(&ABORTED);
    let set = set.get_or_insert_with(HashSet::new);
    set.insert(key);
    ABORTED_COUNT.store(set.len(), Ordering::Release);
}

/// Forgets the task `key`, which is being dropped.
pub(crate) fn forget(key: OwnerKey) {
    let mut set = lock(&ABORTED);
    if let Some(set) = set.as_mut() {
        set.remove(&key);
        ABORTED_COUNT.store(set.len(), Ordering::Release);
    }
}

/// Whether the task `key` was aborted (and not dropped yet).
#[inline]
pub(crate) fn is_aborted(key: OwnerKey) -> bool {
    if ABORTED_COUNT.load(Ordering::Acquire) == 0 {
        return false; // the usual case
    }
    lock(&ABORTED)
        .as_ref()
        .is_some_and(|set| set.contains(&key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_aborted_key_is_known_until_forgotten() {
        let key = OwnerKey {
            runtime: usize::MAX,
            task: 7,
        };
        let other = OwnerKey { task: 8, ..key };
        assert!(!is_aborted(key));
        aborted(key);
        assert!(is_aborted(key));
        assert!(!is_aborted(other));
        forget(key);
        assert!(!is_aborted(key));
    }

    #[test]
    fn polling_names_the_task_and_restores_the_previous_one() {
        let outer = OwnerKey {
            runtime: usize::MAX - 1,
            task: 1,
        };
        let inner = OwnerKey { task: 2, ..outer };
        assert_eq!(current(), None);
        let a = polling(outer);
        {
            let _b = polling(inner);
            assert_eq!(current(), Some(inner));
        }
        assert_eq!(current(), Some(outer));
        drop(a);
        assert_eq!(current(), None);
    }
}
