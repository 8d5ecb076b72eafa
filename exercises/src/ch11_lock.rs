//! # Chapter 11, exercise 2: `Lock`
//!
//! ## Task
//!
//! Write asyncio's `Lock`: `lock.acquire().await` gives a [`Guard`]; dropping the guard releases
//! the lock; `locked()` says whether someone holds it.
//!
//! The contract, as the grader checks it:
//!
//! - Tasks that wait get the lock in the order they started to wait (FIFO).
//! - **No overtaking:** between a release and the moment the notified waiter runs, the lock is
//!   free, and a newcomer must still not take it. (`State` documents the counter that makes
//!   this possible.)
//! - **Pass it on:** a waiter dropped after it was notified got a wake-up it will never act on;
//!   the next waiter must get the lock. A waiter dropped while still waiting just leaves.
//!
//! Write `Lock::locked`, `Acquire::poll`, `Drop for Acquire` and `Drop for Guard`, on the
//! queue's waiter line (`crate::waiters`), keeping chapter 11's waiting pattern.
//!
//! Grade it: `cargo test ch11_lock`. Stuck? `cargo hint ch11_lock` prints the recipe,
//! and so does the chapter's "Stuck?" block.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use crate::waiters::Waiters;

/// A lock for async tasks: asyncio's `Lock`.
pub struct Lock {
    /// All of the changing state. Never locked while waking.
    state: Mutex<State>,
}

/// The state of a [`Lock`].
///
/// Invariant: whenever `locked` is false and the line is not empty, `woken > 0` (someone is on
/// the way to take the lock).
struct State {
    /// Whether a [`Guard`] exists.
    locked: bool,
    /// Waiters notified and not yet run (nor dropped).
    woken: usize,
    /// The `Acquire` futures that wait.
    waiters: Waiters,
}

/// The future of [`Lock::acquire`].
pub struct Acquire<'a> {
    /// The lock to take.
    lock: &'a Lock,
    /// Our slot in the line: `Some` from joining it until we see our notification (or are
    /// dropped).
    key: Option<usize>,
}

/// Proof that the lock is held. Dropping it releases the lock.
pub struct Guard<'a> {
    /// The lock held.
    lock: &'a Lock,
}

impl Lock {
    /// A lock that is free.
    pub fn new() -> Lock {
        Lock {
            state: Mutex::new(State {
                locked: false,
                woken: 0,
                waiters: Waiters::new(),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the lock is held.
    pub fn locked(&self) -> bool {
        // TODO
        todo!()
    }

    /// Waits until the lock is free and it is our turn, then takes it.
    pub fn acquire(&self) -> Acquire<'_> {
        Acquire {
            lock: self,
            key: None,
        }
    }
}

impl Default for Lock {
    fn default() -> Self {
        Lock::new()
    }
}

impl<'a> Future for Acquire<'a> {
    type Output = Guard<'a>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Guard<'a>> {
        let this = self.get_mut();
        // TODO: take the lock when it is this waiter's turn; FIFO, no overtaking.
        todo!()
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        // TODO: leave the line; a wake-up this waiter will not use goes to the next one.
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        // TODO: release the lock to the first waiter, if any.
    }
}
