//! # Chapter 11, exercise 1: `Event`
//!
//! ## Task
//!
//! Write asyncio's `Event`: a flag that tasks can wait for. `set` releases every task that
//! waits; `clear` makes later waits wait again.
//!
//! Use the queue's own waiter line, `crate::waiters::Waiters` (the book shows it in chapter 11):
//! `join_back` to wait at the back of the line, `poll_turn` on a later poll to ask "was I
//! notified?", `cancel` when a waiting future is dropped, `notify_all` to notify everyone.
//!
//! 1. `Event::set`: if not set already, mark it set and notify **every** waiter. Take the
//!    wakers out under the lock (into a `WakeList`), and wake them after unlocking.
//! 2. `Event::clear` and `Event::is_set`.
//! 3. `Wait::poll`:
//!    - first poll: if the event is set, `Ready` at once; otherwise join the back of the line
//!      and return `Pending`;
//!    - later polls: ask `poll_turn`. Notified means released: return `Ready`, **even if the
//!      event was cleared since** (asyncio does the same: `set` completes the waiters).
//!      Not notified (a spurious poll) means `Pending`, keeping its place with the new waker.
//! 4. `Drop for Wait`: a waiter that is still in the line must leave it (`cancel`), or `set`
//!    would spend a wake-up on a future that no longer exists.
//!
//! Grade it: `cargo test ch11_event`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use crate::waiters::{Waiters, WakeList};

/// A flag that tasks can wait for: asyncio's `Event`.
pub struct Event {
    /// All of the changing state, under one lock. Never locked while waking.
    state: Mutex<State>,
}

/// The state of an [`Event`].
struct State {
    /// Whether the event is set.
    set: bool,
    /// The futures waiting for the event. Empty whenever `set` is true.
    waiters: Waiters,
}

/// The future of [`Event::wait`].
pub struct Wait<'a> {
    /// The event waited for.
    event: &'a Event,
    /// Our slot in the waiter line: `Some` from joining the line until we see our notification
    /// (or are dropped).
    key: Option<usize>,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Event {
        Event {
            state: Mutex::new(State {
                set: false,
                waiters: Waiters::new(),
            }),
        }
    }

    /// Whether the event is set.
    pub fn is_set(&self) -> bool {
        // TODO
        todo!()
    }

    /// Sets the event and releases every waiting task.
    pub fn set(&self) {
        // TODO: under the lock, mark it set and notify_all into a WakeList; wake after unlocking.
        todo!()
    }

    /// Clears the event: later waits wait until the next `set`.
    pub fn clear(&self) {
        // TODO
        todo!()
    }

    /// Waits until the event is set.
    pub fn wait(&self) -> Wait<'_> {
        Wait {
            event: self,
            key: None,
        }
    }
}

impl Default for Event {
    fn default() -> Self {
        Event::new()
    }
}

impl Future for Wait<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        // TODO: in the line already? poll_turn decides. Otherwise: set? Ready. Else join_back.
        todo!()
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        // TODO: still in the line? Leave it.
    }
}
