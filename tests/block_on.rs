//! `block_on`: the smallest executor, from the outside. (These tests live here rather than in
//! `src/block_on.rs` because the workbook includes that file as the answer to an exercise.)

use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::thread;

use tinyio::block_on;
#[test]
fn ready_future_returns_its_output() {
    assert_eq!(block_on(async { 1 + 2 }), 3);
}

#[test]
fn wakes_from_another_thread() {
    let slot: Arc<Mutex<(Option<u32>, Option<Waker>)>> = Arc::default();
    let fut = {
        let slot = slot.clone();
        std::future::poll_fn(move |cx| {
            let mut slot = slot.lock().unwrap();
            match slot.0.take() {
                Some(v) => Poll::Ready(v),
                None => {
                    slot.1 = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
    };
    let setter = {
        let slot = slot.clone();
        thread::spawn(move || {
            loop {
                let mut s = slot.lock().unwrap();
                if let Some(w) = s.1.take() {
                    s.0 = Some(7);
                    drop(s);
                    w.wake();
                    return;
                }
                drop(s);
                thread::yield_now();
            }
        })
    };
    assert_eq!(block_on(fut), 7);
    setter.join().unwrap();
}

#[test]
fn self_wake_is_not_lost() {
    let mut polls = 0;
    let out = block_on(std::future::poll_fn(|cx| {
        polls += 1;
        if polls < 3 {
            cx.waker().wake_by_ref();
            Poll::Pending
        } else {
            Poll::Ready(polls)
        }
    }));
    assert_eq!(out, 3);
}

#[test]
#[should_panic(expected = "kept no clone of its waker")]
fn pending_without_waker_is_reported() {
    block_on(std::future::poll_fn(|_cx| Poll::<()>::Pending));
}
