//! The state of a task, and every rule that changes it: the specification of the state machine.
//!
//! A task's state is one byte of four bits, changed only by the functions below, each a single
//! atomic operation (the model of async-task's `state.rs`):
//!
//! | bit | set by | cleared by | means |
//! |---|---|---|---|
//! | `SCHEDULED` | [`wake`], [`abort`] (through `wake`) | [`begin`] | the task is in the run queue, or will be put there once its poll ends |
//! | `RUNNING` | [`begin`] when wake-ups are deferred (several workers) | [`end_pending`], [`finish`] | a worker is polling the task |
//! | `ABORT` | [`abort`] | never | cancellation was requested: the task runs no more of its code |
//! | `DONE` | [`finish`] | never | the task finished; its future is gone |
//!
//! The rules, each enforced by one function:
//! 1. A task is in the run queue at most once: only the wake-up that sets `SCHEDULED` while
//!    neither `SCHEDULED` nor `RUNNING` nor `DONE` was set pushes it ([`wake`] returns `true`).
//! 2. A wake-up during a poll is never lost. Single-threaded, `SCHEDULED` is cleared *before*
//!    the poll, so such a wake-up pushes the task again at once. With several workers the task
//!    is marked `RUNNING` for the poll: a wake-up then only sets `SCHEDULED`, and the worker
//!    pushes the task once when the poll ends ([`end_pending`] returns `true`), so no other
//!    worker takes a task that is being polled, and any number of wake-ups during one poll
//!    give one more poll.
//! 3. A finished task is never pushed again: `DONE` is never cleared, and [`wake`] does nothing
//!    once it is set.
//! 4. Aborting is a request ([`abort`]): it sets `ABORT` and wakes the task once; aborting a
//!    finished or already aborted task does nothing. At its next turn the task is dropped
//!    instead of polled; aborted during its own poll, it ends as cancelled even if it returned.
//!
//! This file depends on `std` alone, so that the exhaustive explorer (`tests/explore.rs`)
//! includes it and checks these rules over every interleaving of two workers and a waker.

use std::sync::atomic::{AtomicU8, Ordering};

/// The task is in the run queue, or will be pushed once its poll ends (`RUNNING`).
pub(crate) const SCHEDULED: u8 = 1;
/// Cancellation was requested: at its next turn the task is dropped instead of polled.
pub(crate) const ABORT: u8 = 2;
/// The task finished: returned, panicked or was cancelled. Its future is gone.
pub(crate) const DONE: u8 = 4;
/// A worker is polling the task (multi-threaded runtime only).
pub(crate) const RUNNING: u8 = 8;

/// The state of a new task, which is about to be pushed onto the run queue.
pub(crate) const NEW: u8 = SCHEDULED;

// ANCHOR: wake
/// A wake-up. Returns whether the caller must push the task onto the run queue (rule 1): not if
/// it is queued already, being polled (the poller pushes it, rule 2) or done (rule 3).
pub(crate) fn wake(state: &AtomicU8) -> bool {
    let before = state.fetch_or(SCHEDULED, Ordering::AcqRel);
    before & (SCHEDULED | RUNNING | DONE) == 0
}
// ANCHOR_END: wake

/// A turn starts: clears `SCHEDULED` (a wake-up from now on counts), and sets `RUNNING` when
/// wake-ups during the poll are to be deferred to its end (`defer`, several workers). Returns
/// the state before, so the caller sees `ABORT` and `DONE`.
pub(crate) fn begin(state: &AtomicU8, defer: bool) -> u8 {
    if !defer {
        // One thread: `RUNNING` is never set, and clearing a bit is one atomic operation.
        return state.fetch_and(!SCHEDULED, Ordering::AcqRel);
    }
    let result = state.fetch_update(Ordering::AcqRel, Ordering::Acquire, |s| {
        Some((s & !SCHEDULED) | RUNNING)
    });
    match result {
        Ok(before) | Err(before) => before,
    }
}

/// A poll returned `Pending`: clears `RUNNING`. Returns whether the task was woken during the
/// poll and must now be pushed (rule 2), once, however many wake-ups came.
pub(crate) fn end_pending(state: &AtomicU8) -> bool {
    let before = state.fetch_and(!RUNNING, Ordering::AcqRel);
    before & RUNNING != 0 && before & SCHEDULED != 0
}

/// The task finished: sets `DONE` and clears `RUNNING`; nothing pushes it again (rule 3).
pub(crate) fn finish(state: &AtomicU8) {
    let _ = state.fetch_update(Ordering::AcqRel, Ordering::Acquire, |s| {
        Some((s | DONE) & !RUNNING)
    });
}

/// A cancellation request. Returns whether it is the first one for a task that has not
/// finished: then the caller wakes the task, so that it is dropped at its next turn (rule 4).
pub(crate) fn abort(state: &AtomicU8) -> bool {
    let before = state.fetch_or(ABORT, Ordering::AcqRel);
    before & (DONE | ABORT) == 0
}

/// Whether cancellation was requested.
pub(crate) fn is_aborted(state: &AtomicU8) -> bool {
    state.load(Ordering::Acquire) & ABORT != 0
}

/// Whether the task finished.
pub(crate) fn is_done(state: &AtomicU8) -> bool {
    state.load(Ordering::Acquire) & DONE != 0
}
