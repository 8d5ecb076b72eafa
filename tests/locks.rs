//! No waker is dropped while a lock of tinyio's is held (issue 13, section 4): dropping the last
//! clone of a waker may run any code, including code that uses the very queue or timer whose
//! lock is held, which would deadlock. Each test hands a primitive a waker whose destructor uses
//! that primitive, makes the primitive let go of it, and checks that nothing hangs.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use tinyio::{Queue, Runtime, sleep};

mod common;
use common::within;

/// A waker whose destructor runs `on_drop`.
struct OnDrop(Option<Box<dyn FnOnce() + Send + Sync>>);

impl Wake for OnDrop {
    fn wake(self: Arc<Self>) {}
}

impl Drop for OnDrop {
    fn drop(&mut self) {
        if let Some(on_drop) = self.0.take() {
            on_drop();
        }
    }
}

fn waker_that_on_drop(f: impl FnOnce() + Send + Sync + 'static) -> Waker {
    Waker::from(Arc::new(OnDrop(Some(Box::new(f)))))
}

fn poll<F: Future + ?Sized>(future: Pin<&mut F>, waker: &Waker) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(waker))
}

#[test]
fn a_waiter_line_drops_a_replaced_waker_after_unlocking() {
    within(10, || {
        let queue = Queue::<u32>::new();
        let mut get = Box::pin(queue.get());
        let theirs = queue.clone();
        let first = waker_that_on_drop(move || theirs.try_put(0).unwrap());
        assert!(poll(get.as_mut(), &first).is_pending());
        drop(first); // the getter line holds the last clone
        // Polled with another waker, the line replaces the first one, whose drop puts an item.
        assert!(poll(get.as_mut(), Waker::noop()).is_pending());
        assert_eq!(queue.len(), 1);
    });
}

#[test]
fn a_cancelled_waiter_s_waker_is_dropped_after_unlocking() {
    within(10, || {
        let queue = Queue::<u32>::bounded(1);
        queue.try_put(1).unwrap();
        let mut put = Box::pin(queue.put(2));
        let theirs = queue.clone();
        let waker = waker_that_on_drop(move || {
            let _ = theirs.try_get();
        });
        assert!(poll(put.as_mut(), &waker).is_pending());
        drop(waker);
        drop(put); // leaves the putter line: the last clone goes, and its drop takes an item
        assert_eq!(queue.len(), 0);
    });
}

#[test]
fn a_timer_drops_a_replaced_waker_after_unlocking() {
    within(10, || {
        Runtime::new().virtual_clock().run(async {
            let mut nap = Box::pin(sleep(Duration::from_secs(1)));
            let first = waker_that_on_drop(|| {
                // Arms another timer: takes the timers' lock.
                let mut other = Box::pin(sleep(Duration::from_secs(2)));
                let _ = poll(other.as_mut(), Waker::noop());
            });
            assert!(poll(nap.as_mut(), &first).is_pending());
            drop(first);
            assert!(poll(nap.as_mut(), Waker::noop()).is_pending());
        });
    });
}

#[test]
fn a_gather_drops_a_replaced_parent_waker_after_unlocking() {
    use std::sync::Mutex;
    within(10, || {
        // The child keeps its waker where the parent waker's destructor finds it and wakes it:
        // waking a child takes the gather's lock.
        let child_waker: Arc<Mutex<Option<Waker>>> = Arc::default();
        let kept = child_waker.clone();
        let child = std::future::poll_fn(move |cx| {
            *kept.lock().unwrap() = Some(cx.waker().clone());
            Poll::<()>::Pending
        });
        let mut all = Box::pin(tinyio::gather([child]));
        let found = child_waker.clone();
        let first = waker_that_on_drop(move || {
            if let Some(waker) = found.lock().unwrap().take() {
                waker.wake();
            }
        });
        assert!(poll(all.as_mut(), &first).is_pending());
        drop(first); // the gather holds the last clone
        assert!(poll(all.as_mut(), Waker::noop()).is_pending());
    });
}
