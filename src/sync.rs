//! The one locking helper every module uses.

use std::sync::{Mutex, MutexGuard};

/// Locks a mutex, ignoring poisoning: a panic inside a task is caught while no lock of ours is
/// held, so the data is never half-written.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
