//! Reference answer to `exercises/src/ch02_flag.rs` (the task is written there).

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
        // The fast path: no need to register for an event that has happened.
        if self.event.is_set() {
            return Poll::Ready(());
        }
        self.event.register(cx.waker());
        // It may have happened while we registered, with nobody to wake yet: look again.
        if self.event.is_set() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
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
        self.set.store(true, Ordering::SeqCst);
        // Take the waker out before waking it: the lock is not held while it runs.
        let waker = self.waker.lock().unwrap().take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Event for Flag {
    fn is_set(&self) -> bool {
        self.set.load(Ordering::SeqCst)
    }

    fn register(&self, waker: &Waker) {
        let mut slot = self.waker.lock().unwrap();
        match &*slot {
            Some(stored) if stored.will_wake(waker) => {}
            _ => *slot = Some(waker.clone()),
        }
    }
}
