//! Reference answer to `exercises/src/ch11_event.rs` (the task is written there).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
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

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    // ANCHOR: set_clear
    /// Whether the event is set.
    pub fn is_set(&self) -> bool {
        self.lock().set
    }

    /// Sets the event and releases every waiting task.
    pub fn set(&self) {
        let mut wakeups = WakeList::new();
        {
            let mut state = self.lock();
            if !state.set {
                state.set = true;
                state.waiters.notify_all(&mut wakeups);
            }
        }
        wakeups.wake_all();
    }

    /// Clears the event: later waits wait until the next `set`.
    pub fn clear(&self) {
        self.lock().set = false;
    }

    /// Waits until the event is set.
    pub fn wait(&self) -> Wait<'_> {
        Wait {
            event: self,
            key: None,
        }
    }
    // ANCHOR_END: set_clear
}

impl Default for Event {
    fn default() -> Self {
        Event::new()
    }
}

// ANCHOR: wait
impl Future for Wait<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let mut state = this.event.lock();
        if let Some(key) = this.key {
            // Notified means released, even if the event was cleared since.
            let turn = state.waiters.poll_turn(key, cx.waker());
            if turn.is_ready() {
                this.key = None;
            }
            return turn;
        }
        if state.set {
            return Poll::Ready(());
        }
        this.key = Some(state.waiters.join_back(cx.waker()));
        Poll::Pending
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.event.lock().waiters.cancel(key);
        }
    }
}
// ANCHOR_END: wait
