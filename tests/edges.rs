//! Queue, trace and `block_on` at their edges (issue 13, section 4): misuse gets a clear panic,
//! a panicking destructor does not cost a wake-up, and a run leaves no state behind.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use tinyio::{Queue, Runtime, Trace};

mod common;
use common::panic_text;

/// A waker that counts its wake-ups.
#[derive(Default)]
struct Count(AtomicUsize);

impl Wake for Count {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn poll<F: Future + Unpin>(future: &mut F, waker: &Waker) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(waker))
}

#[test]
fn a_get_polled_after_it_returned_panics_instead_of_taking_a_second_item() {
    let queue = Queue::new();
    queue.try_put(1).unwrap();
    queue.try_put(2).unwrap();
    let mut get = queue.get();
    assert_eq!(poll(&mut get, Waker::noop()), Poll::Ready(Ok(1)));
    let again = catch_unwind(AssertUnwindSafe(|| poll(&mut get, Waker::noop())));
    let message = panic_text(&*again.unwrap_err());
    assert!(message.contains("polled after completion"), "{message}");
    assert_eq!(queue.len(), 1, "the second item must stay in the queue");
}

#[test]
fn a_put_polled_after_it_returned_panics_with_the_same_words() {
    let queue = Queue::new();
    let mut put = queue.put(1);
    assert_eq!(poll(&mut put, Waker::noop()), Poll::Ready(Ok(())));
    let again = catch_unwind(AssertUnwindSafe(|| poll(&mut put, Waker::noop())));
    let message = panic_text(&*again.unwrap_err());
    assert!(message.contains("polled after completion"), "{message}");
}

/// An item whose destructor panics.
struct Bomb(bool);

impl Drop for Bomb {
    fn drop(&mut self) {
        if self.0 && !std::thread::panicking() {
            panic!("item destructor failed");
        }
    }
}

#[test]
fn shutdown_immediate_wakes_its_waiters_even_if_an_item_destructor_panics() {
    let queue = Queue::bounded(1);
    queue.try_put(Bomb(true)).unwrap();
    let woken = Arc::new(Count::default());
    let waker = Waker::from(woken.clone());
    let mut put = queue.put(Bomb(false));
    assert!(poll(&mut put, &waker).is_pending());
    let caught = catch_unwind(AssertUnwindSafe(|| queue.shutdown(true)));
    assert!(caught.is_err(), "the item's destructor panics");
    assert_eq!(
        woken.0.load(Ordering::SeqCst),
        1,
        "the waiting putter was woken"
    );
    assert!(matches!(poll(&mut put, &waker), Poll::Ready(Err(_))));
}

#[test]
fn a_traced_run_whose_main_panics_leaves_no_tracer_behind() {
    let trace = Trace::new();
    let caught = catch_unwind(AssertUnwindSafe(|| {
        Runtime::new().trace(&trace).run(async {
            tinyio::trace::log("inside the traced run");
            panic!("main fails");
        })
    }));
    assert!(caught.is_err());
    Runtime::new().run(async {
        tinyio::trace::log("inside a later, untraced run");
    });
    let text = trace.render();
    assert!(text.contains("inside the traced run"), "{text}");
    assert!(!text.contains("later, untraced"), "{text}");
}
