//! Planted mistakes in chapter 11's exercises.
//!
//! Each primitive is written once here with switches for its mistakes (const generic flags),
//! and each planted answer is a type alias that turns one mistake on.

/// `Event`, with its mistakes behind switches.
pub mod event {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::{Mutex, MutexGuard, PoisonError};
    use std::task::{Context, Poll};

    use crate::waiters::{Waiters, WakeList};

    /// An event with switches: `RECHECK` (a released waiter checks `is_set` again), `ONE` (set
    /// wakes only the first waiter), `LEAVE` (a dropped waiter leaves the line).
    pub struct Switches<const RECHECK: bool, const ONE: bool, const LEAVE: bool> {
        state: Mutex<(bool, Waiters)>,
    }

    /// The future of `wait`.
    pub struct Wait<'a, const R: bool, const O: bool, const L: bool> {
        event: &'a Switches<R, O, L>,
        key: Option<usize>,
    }

    impl<const R: bool, const O: bool, const L: bool> Switches<R, O, L> {
        /// Not set.
        pub fn new() -> Self {
            Switches {
                state: Mutex::new((false, Waiters::new())),
            }
        }

        fn lock(&self) -> MutexGuard<'_, (bool, Waiters)> {
            self.state.lock().unwrap_or_else(PoisonError::into_inner)
        }

        /// Whether it is set.
        pub fn is_set(&self) -> bool {
            self.lock().0
        }

        /// Sets it.
        pub fn set(&self) {
            let mut wakeups = WakeList::new();
            {
                let mut state = self.lock();
                if !state.0 {
                    state.0 = true;
                    if O {
                        if let Some(waker) = state.1.notify_one() {
                            wakeups.push(waker);
                        }
                    } else {
                        state.1.notify_all(&mut wakeups);
                    }
                }
            }
            wakeups.wake_all();
        }

        /// Clears it.
        pub fn clear(&self) {
            self.lock().0 = false;
        }

        /// Waits for it.
        pub fn wait(&self) -> Wait<'_, R, O, L> {
            Wait {
                event: self,
                key: None,
            }
        }
    }

    impl<const R: bool, const O: bool, const L: bool> Default for Switches<R, O, L> {
        fn default() -> Self {
            Self::new()
        }
    }

    impl<const R: bool, const O: bool, const L: bool> Future for Wait<'_, R, O, L> {
        type Output = ();

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let this = self.get_mut();
            let mut state = this.event.lock();
            if let Some(key) = this.key {
                if state.1.poll_turn(key, cx.waker()).is_pending() {
                    return Poll::Pending;
                }
                this.key = None;
                if !R {
                    return Poll::Ready(());
                }
            }
            if state.0 {
                return Poll::Ready(());
            }
            this.key = Some(state.1.join_back(cx.waker()));
            Poll::Pending
        }
    }

    impl<const R: bool, const O: bool, const L: bool> Drop for Wait<'_, R, O, L> {
        fn drop(&mut self) {
            if let Some(key) = self.key.take() {
                if L {
                    self.event.lock().1.cancel(key);
                }
            }
        }
    }
}

/// A released waiter checks `is_set` again, and waits again if it was cleared meanwhile.
pub mod event_recheck {
    /// The mistaken event.
    pub type Event = super::event::Switches<true, false, true>;
}

/// `set` wakes only the first waiter, as a queue's put does.
pub mod event_wakes_one {
    /// The mistaken event.
    pub type Event = super::event::Switches<false, true, true>;
}

/// A dropped waiter stays in the line.
pub mod event_dropped_stays {
    /// The mistaken event.
    pub type Event = super::event::Switches<false, false, false>;
}
