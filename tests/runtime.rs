//! The executor: FIFO order, spawn, JoinHandle, abort, panics, clean exit, misuse messages.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use tinyio::{run, spawn, spawn_named, yield_now};

/// A log that tasks append to; the tests compare it with the expected order.
mod common;
use common::{DropLog, Log};

#[test]
fn spawned_tasks_run_in_fifo_order_once_the_spawner_suspends() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        for name in ["a", "b", "c"] {
            let l = l.clone();
            drop(spawn(async move {
                l.push(format!("{name} starts"));
                yield_now().await;
                l.push(format!("{name} resumes"));
            }));
        }
        l.push("main spawned three");
        yield_now().await;
        l.push("main resumes");
        yield_now().await;
        l.push("main ends");
    });
    assert_eq!(
        log.lines(),
        [
            "main spawned three",
            "a starts",
            "b starts",
            "c starts",
            "main resumes",
            "a resumes",
            "b resumes",
            "c resumes",
            "main ends",
        ]
    );
}

/// A future that counts its polls and wakes itself `wakes` times on its first poll.
struct WakeMany {
    polls: Arc<AtomicUsize>,
    wakes: usize,
}

impl Future for WakeMany {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let polls = self.polls.fetch_add(1, Ordering::SeqCst);
        if polls == 0 {
            for _ in 0..self.wakes {
                cx.waker().wake_by_ref();
            }
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    }
}

#[test]
fn a_task_woken_many_times_before_its_turn_is_polled_once() {
    let polls = Arc::new(AtomicUsize::new(0));
    let p = polls.clone();
    run(async move {
        spawn(WakeMany { polls: p, wakes: 5 }).await.unwrap();
    });
    assert_eq!(polls.load(Ordering::SeqCst), 2);
}

#[test]
fn join_handle_gives_the_output() {
    let out = run(async { spawn(async { 21 * 2 }).await });
    assert_eq!(out, Ok(42));
}

#[test]
fn a_panicking_task_does_not_take_the_runtime_down() {
    let (error, after) = run(async {
        let bad = spawn_named("bad", async {
            yield_now().await;
            panic!("boom");
        });
        let good = spawn(async { "still fine" });
        (bad.await.unwrap_err(), good.await.unwrap())
    });
    assert!(error.is_panic());
    assert!(!error.is_cancelled());
    assert_eq!(error.panic_message(), Some("boom"));
    assert_eq!(error.task_name(), "bad");
    assert_eq!(error.to_string(), "task bad panicked: boom");
    assert_eq!(after, "still fine");
}

#[test]
fn a_panic_with_a_formatted_message_keeps_the_message() {
    let error = run(async { spawn(async { panic!("item {} is bad", 7) }).await }).unwrap_err();
    assert_eq!(error.panic_message(), Some("item 7 is bad"));
    assert_eq!(error.task_name(), "task-1");
}

#[test]
fn abort_drops_the_task_at_its_next_turn() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        let looping = spawn_named("looper", async move {
            let _guard = DropLog(l2.clone(), "looper dropped".into());
            loop {
                l2.push("looper polled");
                yield_now().await;
            }
        });
        yield_now().await; // looper runs once
        looping.abort();
        l.push("abort requested");
        assert!(!looping.is_finished(), "abort does not wait");
        let error = looping.await.unwrap_err();
        l.push(error.to_string());
    });
    assert_eq!(
        log.lines(),
        [
            "looper polled",
            "abort requested",
            "looper dropped",
            "task looper was cancelled"
        ]
    );
}

#[test]
fn aborting_a_finished_task_changes_nothing() {
    let out = run(async {
        let done = spawn(async { 3 });
        yield_now().await;
        assert!(done.is_finished());
        done.abort();
        done.await
    });
    assert_eq!(out, Ok(3));
}

#[test]
fn dropping_a_handle_detaches_the_task() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        drop(spawn(async move {
            yield_now().await;
            l2.push("detached task finished");
        }));
        yield_now().await;
        yield_now().await;
        l.push("main ends");
    });
    assert_eq!(log.lines(), ["detached task finished", "main ends"]);
}

#[test]
fn abort_on_drop_cancels_the_task_when_the_handle_is_dropped() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        let handle = spawn(async move {
            let _guard = DropLog(l2.clone(), "task dropped".into());
            yield_now().await;
            l2.push("task finished (must not happen)");
        })
        .abort_on_drop();
        yield_now().await;
        drop(handle);
        yield_now().await;
        l.push("main ends");
    });
    assert_eq!(log.lines(), ["task dropped", "main ends"]);
}

#[test]
fn pending_tasks_are_dropped_in_spawn_order_when_main_returns() {
    let log = Log::default();
    let l = log.clone();
    let queue_of_wakers: Arc<Mutex<Vec<Waker>>> = Arc::default();
    let wakers = queue_of_wakers.clone();
    run(async move {
        for name in ["first", "second", "third"] {
            let guard = DropLog(l.clone(), name.into());
            let wakers = wakers.clone();
            // Each task parks its waker in a shared list (a cycle: list -> waker -> task -> list).
            drop(spawn(async move {
                let _guard = guard;
                std::future::poll_fn(|cx| {
                    wakers.lock().unwrap().push(cx.waker().clone());
                    Poll::<()>::Pending
                })
                .await;
            }));
        }
        yield_now().await;
        l.push("main returns");
    });
    assert_eq!(log.lines(), ["main returns", "first", "second", "third"]);
    // Waking a task after run returned does nothing.
    for waker in queue_of_wakers.lock().unwrap().drain(..) {
        waker.wake();
    }
    // The cycle is broken: only the list still holds the wakers, and those are gone now.
}

#[test]
fn tasks_are_freed_when_the_runtime_ends() {
    let token = Arc::new(());
    let t = token.clone();
    run(async move {
        let t = t.clone();
        drop(spawn(async move {
            let _keep = t;
            std::future::pending::<()>().await;
        }));
        yield_now().await;
    });
    assert_eq!(Arc::strong_count(&token), 1, "the pending task was dropped");
}

#[test]
#[should_panic(expected = "main failed")]
fn a_panic_in_the_main_future_propagates() {
    run(async {
        drop(spawn(async { yield_now().await }));
        yield_now().await;
        panic!("main failed");
    });
}

#[test]
fn a_panic_in_main_still_drops_every_task() {
    let token = Arc::new(());
    let t = token.clone();
    let result = std::panic::catch_unwind(move || {
        run(async move {
            drop(spawn(async move {
                let _keep = t;
                std::future::pending::<()>().await;
            }));
            yield_now().await;
            panic!("main failed");
        })
    });
    assert!(result.is_err());
    assert_eq!(Arc::strong_count(&token), 1);
}

#[test]
#[should_panic(expected = "call tinyio::spawn from code that runs inside tinyio::run")]
fn spawn_outside_run_says_where_to_call_it() {
    drop(spawn(async {}));
}

#[test]
#[should_panic(expected = "tinyio::run was called inside a running tinyio runtime")]
fn run_inside_run_is_refused() {
    run(async {
        run(async {});
    });
}

#[test]
#[should_panic(expected = "tinyio::block_on was called inside a running tinyio runtime")]
fn block_on_inside_run_is_refused() {
    run(async {
        tinyio::block_on(async {});
    });
}

#[test]
fn run_can_be_called_again_after_it_returned() {
    assert_eq!(run(async { 1 }), 1);
    assert_eq!(run(async { spawn(async { 2 }).await.unwrap() }), 2);
}

#[test]
fn main_future_may_borrow_and_need_not_be_send() {
    let local = std::rc::Rc::new(5);
    let borrowed = &local;
    assert_eq!(run(async { **borrowed + 1 }), 6);
}

#[test]
fn a_task_can_wake_another_from_another_thread() {
    let out = run(async {
        let (tx, rx) = std::sync::mpsc::channel::<Waker>();
        let slot: Arc<Mutex<Option<u32>>> = Arc::default();
        let s = slot.clone();
        // Keep main runnable while the thread works: yield until the value arrives.
        let thread = std::thread::spawn(move || {
            let waker = rx.recv().unwrap();
            *s.lock().unwrap() = Some(9);
            waker.wake();
        });
        let mut sent = false;
        let value = std::future::poll_fn(|cx| {
            if let Some(v) = *slot.lock().unwrap() {
                return Poll::Ready(v);
            }
            if !sent {
                tx.send(cx.waker().clone()).unwrap();
                sent = true;
            }
            cx.waker().wake_by_ref(); // stay runnable: the thread is unknown to the runtime
            Poll::Pending
        })
        .await;
        thread.join().unwrap();
        value
    });
    assert_eq!(out, 9);
}

#[test]
fn a_dropped_handle_forgets_its_waiter() {
    // main polls the handle of `slow` once (storing main's waker in the task), drops it, then
    // waits for `longer`. When `slow` finishes, main must not be woken for it.
    let trace = tinyio::Trace::new();
    tinyio::Runtime::new().trace(&trace).run(async {
        let mut handle = Box::pin(spawn_named("slow", yield_now()));
        let longer = spawn_named("longer", async {
            for _ in 0..3 {
                yield_now().await;
            }
        });
        std::future::poll_fn(|cx| {
            assert!(handle.as_mut().poll(cx).is_pending());
            Poll::Ready(())
        })
        .await;
        drop(handle);
        longer.await.unwrap();
    });
    let timeline = trace.render();
    assert!(timeline.contains("slow    complete"), "{timeline}");
    assert!(!timeline.contains("slow    wake main"), "{timeline}");
}
