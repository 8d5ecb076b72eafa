//! The deadlock report: a program that can never finish is reported at once, not left hanging.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tinyio::{Queue, gather, named, spawn, spawn_named, try_run, yield_now};

/// The classic mistake: returns Pending without storing the waker.
struct ForgetsWaker;

impl Future for ForgetsWaker {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        Poll::Pending
    }
}

// A hand-written future that keeps its waker where nothing ever wakes it is *not* reported: the
// runtime sees a live clone held outside tinyio, which might wake it (tests/outside.rs), so it
// waits. What is reported is certain: tinyio's own primitives, and futures with no waker alive.

#[test]
fn a_main_waiting_on_a_stuck_task_is_reported() {
    let report = try_run(async {
        let orders = Queue::<u32>::new();
        let cook = spawn_named("cook", async move { orders.get().await });
        let stuck = spawn_named("stuck", ForgetsWaker);
        stuck.await.unwrap();
        drop(cook);
    })
    .unwrap_err();
    assert_eq!(
        report.blocked(),
        [
            "main: JoinHandle of stuck",
            "cook: Queue::get (queue empty, 0 unfinished)",
            "stuck: waiting on a future that left no note (not a tinyio future)"
        ]
    );
    assert_eq!(report.lost_wakers().collect::<Vec<_>>(), ["stuck"]);
    let text = report.to_string();
    assert!(
        text.starts_with("deadlock: the program can never finish."),
        "{text}"
    );
}

#[test]
fn a_task_that_kept_no_waker_is_named_with_the_likely_mistake() {
    let report = try_run(async {
        spawn_named("forgetful", ForgetsWaker).await.unwrap();
    })
    .unwrap_err();
    assert_eq!(report.lost_wakers().collect::<Vec<_>>(), ["forgetful"]);
    let text = report.to_string();
    assert!(
        text.contains("forgetful returned Poll::Pending without keeping a clone of its waker"),
        "{text}"
    );
    assert!(text.contains("must store cx.waker().clone()"), "{text}");
}

#[test]
fn the_main_future_forgetting_its_waker_is_named_too() {
    let report = try_run(ForgetsWaker).unwrap_err();
    assert_eq!(report.lost_wakers().collect::<Vec<_>>(), ["main"]);
}

#[test]
fn gather_children_are_listed_with_their_place_and_name() {
    let report = try_run(async move {
        tinyio::gather!(
            named("quick", async { yield_now().await }),
            named("slow", ForgetsWaker),
            gather([named("inner", ForgetsWaker)]),
        )
        .await;
    })
    .unwrap_err();
    assert_eq!(
        report.blocked(),
        [
            "main > gather[1] slow: waiting on a future that left no note (not a tinyio future)",
            "main > gather[2] > gather[0] inner: waiting on a future that left no note (not a tinyio future)",
        ]
    );
}

#[test]
fn run_panics_with_the_report() {
    let result = std::panic::catch_unwind(|| {
        tinyio::run(async { spawn(ForgetsWaker).await.unwrap() });
    });
    let payload = result.unwrap_err();
    let message = payload.downcast_ref::<String>().unwrap();
    assert!(message.starts_with("deadlock"), "{message}");
    assert!(message.contains("main: JoinHandle of task-1"), "{message}");
}

#[test]
fn every_task_is_dropped_after_a_deadlock() {
    let token = Arc::new(());
    let t = token.clone();
    let result = try_run(async move {
        let t = t.clone();
        spawn(async move {
            let _keep = t;
            ForgetsWaker.await
        })
        .await
    });
    assert!(result.is_err());
    assert_eq!(Arc::strong_count(&token), 1);
}

#[test]
fn a_program_that_finishes_is_not_a_deadlock() {
    assert_eq!(
        try_run(async { spawn(async { 1 }).await.unwrap() }).unwrap(),
        1
    );
}
