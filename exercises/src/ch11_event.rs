//! # Chapter 11, exercise 1: `Event`
//!
//! ## Task
//!
//! Write asyncio's `Event`: a flag that tasks can wait for. `set` releases every task that
//! waits, `clear` makes later waits wait again, `is_set` reads the flag, and `wait().await`
//! returns at once when the flag is set.
//!
//! The contract, as the grader checks it:
//!
//! - `set` releases **every** waiter, in the order they started to wait, and a released waiter
//!   returns **even if `clear` came before it ran** (asyncio's `set` completes its waiters).
//! - A waiting future that is dropped leaves the line, so `set` never spends a wake-up on it.
//! - A spurious poll keeps the waiter's place, and the latest waker is the one woken.
//!
//! Build on the queue's own waiter line, `crate::waiters` (chapters 6 and 7 show it), and keep
//! the waiting pattern of chapter 11: check and join under one lock, wake after unlocking.
//!
//! Grade it: `cargo test ch11_event`. Stuck? `cargo hint ch11_event` prints the
//! recipe, and so does the chapter's "Stuck?" block.

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
        // TODO: release every waiter.
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
        // TODO: Ready once the event is set or this waiter was released; otherwise wait.
        todo!()
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        // TODO: a dropped waiter must not be woken.
    }
}
