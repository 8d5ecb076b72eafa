//! Reference answer to `exercises/src/ch11_lock.rs` (the task is written there).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

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
        self.state().locked
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

impl State {
    /// Notifies the first waiter, if any; returns its waker to wake after unlocking.
    fn notify_next(&mut self) -> Option<Waker> {
        let waker = self.waiters.notify_one();
        if waker.is_some() {
            self.woken += 1;
        }
        waker
    }
}

// ANCHOR: acquire_poll
impl<'a> Future for Acquire<'a> {
    type Output = Guard<'a>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Guard<'a>> {
        let this = self.get_mut();
        let mut state = this.lock.state();
        let may_take = match this.key {
            Some(key) => {
                if state.waiters.poll_turn(key, cx.waker()).is_pending() {
                    return Poll::Pending; // not our turn yet: keep our place
                }
                this.key = None;
                state.woken -= 1;
                !state.locked // notified: the lock was left for us
            }
            None => !state.locked && state.woken == 0, // nobody ahead of us
        };
        if may_take {
            state.locked = true;
            return Poll::Ready(Guard { lock: this.lock });
        }
        this.key = Some(state.waiters.join_back(cx.waker()));
        Poll::Pending
    }
}
// ANCHOR_END: acquire_poll

// ANCHOR: acquire_drops
impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        let Some(key) = self.key.take() else { return };
        let mut state = self.lock.state();
        let mut next = None;
        if state.waiters.cancel(key) {
            // Notified, and we will never take the lock: pass the turn on.
            state.woken -= 1;
            if !state.locked {
                next = state.notify_next();
            }
        }
        drop(state);
        if let Some(waker) = next {
            waker.wake();
        }
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        let mut state = self.lock.state();
        state.locked = false;
        let next = state.notify_next();
        drop(state);
        if let Some(waker) = next {
            waker.wake();
        }
    }
}
// ANCHOR_END: acquire_drops
