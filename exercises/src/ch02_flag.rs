//! # Chapter 2, exercise 1: wait for a flag without losing the wake-up
//!
//! ## Task
//!
//! `wait_for(&event)` is a future that completes once `event` is set. Write three things:
//!
//! 1. `WaitFor::poll`: if the event is set, `Ready(())`. Otherwise register the waker of this
//!    poll with the event, then **check again**, and only then return `Pending`. The event may
//!    be set between your first check and your registration: without the second check, that
//!    wake-up is lost and the future sleeps forever. Register on every `Pending` poll: the waker
//!    of a later poll can be a different one, and only the latest counts.
//! 2. `Event for Flag`: `is_set` reads the flag; `register` stores the waker, replacing the one
//!    stored before (skip the clone when `will_wake` says it is the same waker).
//! 3. `Flag::set`: store `true`, then take the stored waker out and wake it. Setting a flag that
//!    is already set, or that has no waker, is harmless.
//!
//! The grader's own events fire at the worst moment on purpose: inside your `register` call.
//! Grade it: `cargo test ch02_flag`. The answer is in `solutions/src/`.

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
        // TODO: check, register cx.waker(), check again, and only then return Pending.
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
        // TODO: store true, then take the waker out of its slot and wake it.
        todo!()
    }
}

impl Event for Flag {
    fn is_set(&self) -> bool {
        // TODO
        todo!()
    }

    fn register(&self, waker: &Waker) {
        // TODO: keep only the latest waker (clone it unless `will_wake` says it is the same).
        todo!()
    }
}
