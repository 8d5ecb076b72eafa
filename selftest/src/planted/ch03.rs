//! Planted mistakes in chapter 3's exercise.

/// Polls in a loop with a waker that does nothing: it never sleeps.
pub mod block_on_busy_spin {
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll};

    /// Spins.
    pub fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
        }
    }
}

/// Sleeps on a condition variable without a flag: a wake-up that comes during the poll (before
/// the wait) notifies nobody and is lost.
pub mod block_on_condvar_no_flag {
    use std::future::Future;
    use std::pin::pin;
    use std::sync::{Arc, Condvar, Mutex};
    use std::task::{Context, Poll};

    use futures_task::ArcWake;

    struct Bell {
        lock: Mutex<()>,
        rang: Condvar,
    }

    impl ArcWake for Bell {
        fn wake_by_ref(arc_self: &Arc<Self>) {
            arc_self.rang.notify_one();
        }
    }

    /// Loses early wake-ups.
    pub fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        let bell = Arc::new(Bell {
            lock: Mutex::new(()),
            rang: Condvar::new(),
        });
        let waker = futures_task::waker(bell.clone());
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
            let guard = bell.lock.lock().unwrap();
            drop(bell.rang.wait(guard).unwrap());
        }
    }
}

/// Clears its "woken" flag after polling, which forgets a wake-up that came during the poll.
pub mod block_on_clear_after_poll {
    use std::future::Future;
    use std::pin::pin;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::{Context, Poll};
    use std::thread::{self, Thread};

    use futures_task::ArcWake;

    struct Unpark {
        thread: Thread,
        woken: AtomicBool,
    }

    impl ArcWake for Unpark {
        fn wake_by_ref(arc_self: &Arc<Self>) {
            arc_self.woken.store(true, Ordering::SeqCst);
            arc_self.thread.unpark();
        }
    }

    /// Loses early wake-ups.
    pub fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        let unpark = Arc::new(Unpark {
            thread: thread::current(),
            woken: AtomicBool::new(false),
        });
        let waker = futures_task::waker(unpark.clone());
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
            unpark.woken.store(false, Ordering::SeqCst); // the mistake
            while !unpark.woken.load(Ordering::SeqCst) {
                thread::park();
            }
        }
    }
}

/// Parks once per `Pending`, with no flag of its own: it relies on the thread's park token, which
/// any other `park` on the thread can take.
pub mod block_on_park_no_flag {
    use std::future::Future;
    use std::pin::pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};
    use std::thread::{self, Thread};

    use futures_task::ArcWake;

    struct Unpark(Thread);

    impl ArcWake for Unpark {
        fn wake_by_ref(arc_self: &Arc<Self>) {
            arc_self.0.unpark();
        }
    }

    /// Loses a wake-up whose token another `park` took.
    pub fn block_on<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        let waker = futures_task::waker(Arc::new(Unpark(thread::current())));
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
            thread::park(); // the mistake: the token may be gone already
        }
    }
}
