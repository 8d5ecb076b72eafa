//! Wake-ups from outside tinyio (issue 13, section 4): a future woken by a thread tinyio does not
//! know about, through a waker that the future handed to it. The runtime can see that such a
//! waker is alive and held by something that is not one of tinyio's primitives, so it waits
//! instead of reporting a deadlock: a program that finishes on tokio finishes on tinyio. What it
//! reports is only what is certain.

use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::time::Duration;

use tinyio::{Queue, Runtime, gather, spawn_named};

mod common;
use common::within;

/// A value a plain thread delivers, with the waker of whoever waits for it.
type Mailbox = Arc<Mutex<(Option<u32>, Option<Waker>)>>;

/// Waits for the mailbox; on the first poll, hands the mailbox to a plain thread (no
/// `KeepAlive`) that delivers `value` after `delay`, or, if `value` is `None`, drops the waker
/// without waking it.
async fn from_a_plain_thread(value: Option<u32>, delay: Duration) -> u32 {
    let mailbox = Mailbox::default();
    let mut started = false;
    poll_fn(move |cx| {
        let mut slot = mailbox.lock().unwrap();
        if let Some(value) = slot.0 {
            return Poll::Ready(value);
        }
        slot.1 = Some(cx.waker().clone());
        drop(slot);
        if !started {
            started = true;
            let theirs = mailbox.clone();
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                let waker = {
                    let mut slot = theirs.lock().unwrap();
                    slot.0 = value;
                    slot.1.take()
                };
                match value {
                    Some(_) => waker.unwrap().wake(),
                    None => drop(waker), // gives up: nobody will ever wake the task
                }
            });
        }
        Poll::Pending
    })
    .await
}

const SOON: Duration = Duration::from_millis(30);

#[test]
fn a_task_woken_by_a_plain_thread_finishes() {
    let got = within(10, || {
        Runtime::new().run(async {
            spawn_named("mail", from_a_plain_thread(Some(7), SOON))
                .await
                .unwrap()
        })
    });
    assert_eq!(got, 7);
}

#[test]
fn the_main_future_woken_by_a_plain_thread_finishes() {
    let got = within(10, || {
        Runtime::new().run(from_a_plain_thread(Some(8), SOON))
    });
    assert_eq!(got, 8);
}

#[test]
fn a_gather_child_woken_by_a_plain_thread_finishes() {
    let got = within(10, || {
        Runtime::new().run(async {
            let queue = Queue::new();
            queue.try_put(1).unwrap();
            let (a, b) = tinyio::gather!(from_a_plain_thread(Some(9), SOON), async {
                queue.get().await.unwrap()
            })
            .await;
            let c = gather([from_a_plain_thread(Some(10), SOON)]).await;
            a + b + c[0]
        })
    });
    assert_eq!(got, 20);
}

#[test]
fn a_task_woken_by_a_plain_thread_finishes_on_workers() {
    let got = within(10, || {
        Runtime::new().workers(2).run(async {
            spawn_named("mail", from_a_plain_thread(Some(7), SOON))
                .await
                .unwrap()
        })
    });
    assert_eq!(got, 7);
}

#[test]
fn a_plain_thread_that_drops_the_waker_unwoken_ends_in_a_report() {
    let report = within(10, || {
        Runtime::new()
            .try_run(async {
                spawn_named("mail", from_a_plain_thread(None, SOON))
                    .await
                    .unwrap()
            })
            .unwrap_err()
    });
    assert_eq!(
        report.blocked(),
        [
            "main: JoinHandle of mail",
            "mail: waiting on a future that left no note (not a tinyio future)"
        ]
    );
    let multi = within(10, || {
        Runtime::new()
            .workers(2)
            .try_run(async {
                spawn_named("mail", from_a_plain_thread(None, SOON))
                    .await
                    .unwrap()
            })
            .unwrap_err()
    });
    assert_eq!(multi.blocked(), report.blocked());
}

#[test]
fn a_tinyio_queue_nobody_serves_is_still_reported_at_once() {
    let started = std::time::Instant::now();
    let report = within(10, || {
        Runtime::new()
            .try_run(async {
                let queue = Queue::<u32>::new();
                spawn_named("cook", async move { queue.get().await })
                    .await
                    .unwrap()
            })
            .unwrap_err()
    });
    assert_eq!(
        report.blocked(),
        [
            "main: JoinHandle of cook",
            "cook: Queue::get (queue empty, 0 unfinished)"
        ]
    );
    assert!(started.elapsed() < Duration::from_secs(1));
}
