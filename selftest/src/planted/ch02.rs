//! Planted mistakes in chapter 2's exercises.

/// `WaitFor` checks, then registers, and returns `Pending` without checking again.
pub mod flag_no_recheck {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    pub use solutions::ch02_flag::{Event, Flag};

    /// The future.
    pub struct WaitFor<'a, E>(&'a E);

    /// Waits for `event`.
    pub fn wait_for<E: Event>(event: &E) -> WaitFor<'_, E> {
        WaitFor(event)
    }

    impl<E: Event> Future for WaitFor<'_, E> {
        type Output = ();
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0.is_set() {
                return Poll::Ready(());
            }
            self.0.register(cx.waker());
            Poll::Pending // the mistake: the event may have fired during register
        }
    }
}

/// `WaitFor` registers its waker on the first poll only.
pub mod wait_registers_once {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    pub use solutions::ch02_flag::{Event, Flag};

    /// The future.
    pub struct WaitFor<'a, E> {
        event: &'a E,
        registered: bool,
    }

    /// Waits for `event`.
    pub fn wait_for<E: Event>(event: &E) -> WaitFor<'_, E> {
        WaitFor {
            event,
            registered: false,
        }
    }

    impl<E: Event> Future for WaitFor<'_, E> {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if !self.registered {
                // the mistake: a later poll may come with another waker
                self.registered = true;
                self.event.register(cx.waker());
            }
            if self.event.is_set() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }
    }
}

/// `Flag::register` keeps the first waker instead of the latest.
pub mod flag_keeps_first {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::Waker;

    pub use solutions::ch02_flag::{Event, wait_for};

    /// The solution's flag, with a register that passes on only the first waker.
    #[derive(Default)]
    pub struct Flag {
        inner: solutions::ch02_flag::Flag,
        registered: AtomicBool,
    }

    impl Flag {
        /// A flag that is not set.
        pub fn new() -> Flag {
            Flag::default()
        }

        /// Sets it and wakes the stored waker.
        pub fn set(&self) {
            self.inner.set()
        }
    }

    impl Event for Flag {
        fn is_set(&self) -> bool {
            self.inner.is_set()
        }
        fn register(&self, waker: &Waker) {
            // the mistake: a waker registered before wins over the latest one
            if !self.registered.swap(true, Ordering::SeqCst) {
                self.inner.register(waker);
            }
        }
    }
}

/// `counting_waker` returns a counter that is not the one inside the waker.
pub mod counting_separate {
    use std::sync::Arc;
    use std::task::Waker;

    pub use solutions::ch02_counting::WakeCounter;

    /// The mistake: two counters, one in the waker and one returned.
    pub fn counting_waker() -> (Waker, Arc<WakeCounter>) {
        let in_waker = Arc::new(WakeCounter::default());
        (
            futures_task::waker(in_waker),
            Arc::new(WakeCounter::default()),
        )
    }
}
