//! # Chapter 11, exercise 2: `Lock`
//!
//! ## Task
//!
//! Write asyncio's `Lock`: `lock.acquire().await` gives a [`Guard`]; dropping the guard releases
//! the lock. Tasks that wait get the lock in the order they started to wait (FIFO), as in
//! asyncio, where a new `acquire` never overtakes a task that waits.
//!
//! Use the queue's waiter line, `crate::waiters::Waiters`, with its three rules:
//!
//! 1. **Notify, do not hand off.** Releasing sets `locked = false` and notifies the first waiter
//!    (`notify_one`, counted in `woken`); the notified waiter takes the lock when it runs.
//! 2. **No overtaking.** A first poll takes the lock at once only if it is free **and** no
//!    notified waiter is on its way (`woken == 0`); otherwise it joins the back of the line.
//!    (Whenever the lock is free and someone waits, someone has been notified: see `State`.)
//! 3. **Pass it on.** An `Acquire` dropped after it was notified (`cancel` returns `true`) got a
//!    wake-up it will never act on: if the lock is free, notify the next waiter. One dropped
//!    while still waiting just leaves the line.
//!
//! Write `Lock::locked`, `Acquire::poll`, `Drop for Acquire` and `Drop for Guard` (the release).
//! Take wakers out under the lock and wake them after unlocking. Grade it:
//! `cargo test ch11_lock`.

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
        // TODO: notified (poll_turn, woken -= 1)? Take the lock. First poll: free and woken == 0?
        // Take it. Otherwise join the back of the line.
        todo!()
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        // TODO: still in the line or notified? cancel; if it had been notified, pass it on.
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        // TODO: release: locked = false, notify the first waiter (woken += 1), wake after
        // unlocking.
    }
}
