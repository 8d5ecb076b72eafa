//! # Chapter 2, exercise 1: wait for a flag without losing the wake-up
//!
//! ## Task
//!
//! `wait_for(&event)` is a future that completes once `event` is set. Write `WaitFor::poll`, the
//! `Event` impl of `Flag`, and `Flag::set`.
//!
//! - `WaitFor` works with any `Event`. It keeps the waker rules of chapter 2: rule 1 (the event
//!   must hold the waker of the *latest* `Pending` poll), rule 2 (register, then check again: the
//!   event may fire between your look and your registration) and rule 3 (a poll is not proof that
//!   the event happened).
//! - `Flag` keeps at most one waker: `register` replaces the one it holds (a clone is needed only
//!   when `will_wake` says the new one is different). `set` marks the flag, then wakes the stored
//!   waker, taking it out so it is woken once. Setting a flag that is set already, or that has no
//!   waker, is harmless.
//! - Traps: the lost wake-up (rule 2); waking a waker while holding the lock it is kept in (waker
//!   rule 5).
//!
//! The grader's own events fire at the worst moment on purpose: inside your `register` call.
//! Grade it: `cargo test ch02_flag` (`cargo hint ch02_flag` for the full recipe).

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};

/// Something that happens once, and can wake whoever waits for it.
pub trait Event {
    /// Whether it has happened.
    fn is_set(&self) -> bool;
    /// Asks to have `waker` woken when it happens (replacing any waker registered before).
    fn register(&self, waker: &Waker);
}

/// The future returned by [`wait_for`].
pub struct WaitFor<'a, E> {
    /// The event waited for.
    event: &'a E,
}

/// A future that completes once `event` is set.
pub fn wait_for<E: Event>(event: &E) -> WaitFor<'_, E> {
    WaitFor { event }
}

impl<E: Event> Future for WaitFor<'_, E> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // TODO: waker rules 1, 2 and 3.
        todo!()
    }
}

/// A one-shot flag: an [`Event`] that some code sets.
#[derive(Default)]
pub struct Flag {
    /// Whether `set` has been called. Never goes back to `false`.
    set: AtomicBool,
    /// The latest registered waker, until `set` takes it out.
    waker: Mutex<Option<Waker>>,
}

impl Flag {
    /// A flag that is not set.
    pub fn new() -> Flag {
        Flag::default()
    }

    /// Sets the flag and wakes the registered waker, if any.
    pub fn set(&self) {
        // TODO
        todo!()
    }
}

impl Event for Flag {
    fn is_set(&self) -> bool {
        // TODO
        todo!()
    }

    fn register(&self, waker: &Waker) {
        // TODO: keep only the latest waker.
        todo!()
    }
}
