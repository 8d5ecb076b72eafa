//! Time: sleep, timeout and now, on the virtual and the real clock; the deadlock rule with
//! timers; outside threads (spawn_blocking, keep_alive, and an unregistered thread).

use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

use tinyio::{
    Elapsed, Queue, Runtime, keep_alive, now, sleep, spawn, spawn_blocking, spawn_named, timeout,
};

mod common;
use common::Log;

#[path = "../examples/workers.rs"]
#[allow(dead_code)]
mod workers;

fn virtual_rt() -> Runtime {
    Runtime::new().virtual_clock()
}

#[test]
fn an_hour_of_virtual_time_passes_at_once() {
    let started = Instant::now();
    let at = virtual_rt().run(async {
        sleep(Duration::from_secs(3600)).await;
        now()
    });
    assert_eq!(at, Duration::from_secs(3600));
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "virtual time took real time"
    );
}

#[test]
fn sleepers_wake_in_deadline_order_then_arming_order() {
    let log = Log::default();
    virtual_rt().run({
        let log = log.clone();
        async move {
            let handles: Vec<_> = [("a", 30), ("b", 10), ("c", 30), ("d", 20), ("e", 10)]
                .into_iter()
                .map(|(name, ms)| {
                    let log = log.clone();
                    spawn(async move {
                        sleep(Duration::from_millis(ms)).await;
                        log.push(format!("{name} at {:?}", now()));
                    })
                })
                .collect();
            for handle in handles {
                handle.await.unwrap();
            }
        }
    });
    assert_eq!(
        log.lines(),
        [
            "b at 10ms",
            "e at 10ms",
            "d at 20ms",
            "a at 30ms",
            "c at 30ms"
        ]
    );
}

#[test]
fn timeout_returns_the_output_when_the_future_wins() {
    let out = virtual_rt().run(timeout(Duration::from_secs(1), async {
        sleep(Duration::from_millis(10)).await;
        5
    }));
    assert_eq!(out, Ok(5));
}

#[test]
fn timeout_drops_the_future_when_time_runs_out_and_nothing_is_lost() {
    let (result, at, queue_len) = virtual_rt().run(async {
        let queue = Queue::<u32>::new();
        let result = timeout(Duration::from_millis(250), queue.get()).await;
        // The cancelled get took nothing: an item put now stays for the next get.
        queue.try_put(1).unwrap();
        (result, now(), queue.len())
    });
    assert_eq!(result, Err(Elapsed));
    assert_eq!(at, Duration::from_millis(250));
    assert_eq!(queue_len, 1);
    assert_eq!(
        Elapsed.to_string(),
        "the time ran out before the future finished"
    );
}

#[test]
fn a_dropped_sleep_removes_its_timer_so_a_deadlock_is_still_reported_at_once() {
    let started = Instant::now();
    let report = Runtime::new()
        .try_run(async {
            // The timeout's hour-long timer is dropped with it.
            let _ = timeout(Duration::from_secs(3600), async { 1 }).await;
            Queue::<u32>::new().get().await
        })
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(
        report.blocked(),
        ["main: Queue::get (queue empty, 0 unfinished)"]
    );
}

#[test]
fn an_armed_timer_keeps_the_runtime_from_reporting_a_deadlock() {
    let out = Runtime::new().try_run(async {
        sleep(Duration::from_millis(20)).await;
        "woke"
    });
    assert_eq!(out.unwrap(), "woke");
}

#[test]
fn the_real_clock_really_waits() {
    let started = Instant::now();
    let at = Runtime::new().run(async {
        sleep(Duration::from_millis(30)).await;
        now()
    });
    assert!(at >= Duration::from_millis(30));
    assert!(started.elapsed() >= Duration::from_millis(30));
}

#[test]
#[should_panic(expected = "tinyio::sleep was called outside a runtime")]
fn sleep_outside_a_runtime_says_what_to_do() {
    tinyio::block_on(sleep(Duration::from_millis(1)));
}

#[test]
fn the_worker_pool_example_prints_the_same_lines_every_run() {
    let run = || {
        let log = Log::default();
        let sink = log.clone();
        virtual_rt().run(workers::workers_main(
            2024,
            Arc::new(move |line| sink.push(line)),
        ));
        log.lines().join("\n")
    };
    let first = run();
    assert_eq!(run(), first);
    insta::assert_snapshot!(first);
}

#[test]
fn spawn_blocking_returns_the_closure_result_and_keeps_the_runtime_busy() {
    let out = Runtime::new().run(async {
        spawn_blocking(|| {
            std::thread::sleep(Duration::from_millis(20));
            6 * 7
        })
        .await
    });
    assert_eq!(out, Ok(42));
}

#[test]
fn a_panic_in_spawn_blocking_becomes_a_join_error() {
    let error = Runtime::new()
        .run(async { spawn_blocking(|| panic!("disk on fire")).await })
        .unwrap_err();
    assert!(error.is_panic());
    assert_eq!(error.panic_message(), Some("disk on fire"));
}

#[test]
fn the_virtual_clock_does_not_jump_while_blocking_work_runs() {
    let order = Log::default();
    let o = order.clone();
    virtual_rt().run(async move {
        let o2 = o.clone();
        let napper = spawn(async move {
            sleep(Duration::from_secs(10)).await;
            o2.push("sleeper woke");
        });
        let o3 = o.clone();
        spawn_blocking(move || {
            std::thread::sleep(Duration::from_millis(30));
            o3.push("blocking work done");
        })
        .await
        .unwrap();
        napper.await.unwrap();
    });
    assert_eq!(order.lines(), ["blocking work done", "sleeper woke"]);
}

/// A value a foreign thread delivers, with the waker of whoever waits for it.
type Mailbox = Arc<Mutex<(Option<u32>, Option<Waker>)>>;

async fn wait_for_mail(mailbox: Mailbox, on_first_poll: impl FnOnce(Mailbox)) -> u32 {
    let mut on_first_poll = Some(on_first_poll);
    std::future::poll_fn(move |cx| {
        let mut slot = mailbox.lock().unwrap();
        if let Some(value) = slot.0 {
            return Poll::Ready(value);
        }
        slot.1 = Some(cx.waker().clone());
        drop(slot);
        if let Some(start) = on_first_poll.take() {
            start(mailbox.clone());
        }
        Poll::Pending
    })
    .await
}

fn deliver_later(mailbox: Mailbox, guard: Option<tinyio::KeepAlive>) {
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        let waker = {
            let mut slot = mailbox.lock().unwrap();
            slot.0 = Some(7);
            slot.1.take()
        };
        if let Some(waker) = waker {
            waker.wake(); // after run returned (unregistered case), this does nothing
        }
        drop(guard);
    });
}

#[test]
fn a_thread_holding_keep_alive_may_wake_a_task_later() {
    let value = Runtime::new().run(async {
        let guard = keep_alive();
        wait_for_mail(Mailbox::default(), move |mailbox| {
            deliver_later(mailbox, Some(guard))
        })
        .await
    });
    assert_eq!(value, 7);
}

/// A thread that holds a waker but no `KeepAlive` used to be outside the deadlock rule: the run
/// reported a deadlock before the thread delivered. The runtime now sees the waker held outside
/// tinyio and waits for it (tests/outside.rs has the other cases).
#[test]
fn an_unregistered_thread_holding_a_waker_is_waited_for() {
    let value = Runtime::new().run(async {
        let mail = spawn_named(
            "mail",
            wait_for_mail(Mailbox::default(), |mailbox| deliver_later(mailbox, None)),
        );
        mail.await.unwrap()
    });
    assert_eq!(value, 7);
}

/// What the runtime cannot see: a plain thread that will feed a tinyio primitive (a queue)
/// holds no waker, so without `KeepAlive` the run reports a deadlock before it puts.
#[test]
fn a_thread_feeding_a_queue_needs_keep_alive() {
    let unregistered = Runtime::new()
        .try_run(async {
            let queue = Queue::new();
            let theirs = queue.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                let _ = theirs.try_put(1);
            });
            queue.get().await.unwrap()
        })
        .unwrap_err();
    assert_eq!(
        unregistered.blocked(),
        ["main: Queue::get (queue empty, 0 unfinished)"]
    );
    let registered = Runtime::new().run(async {
        let queue = Queue::new();
        let (theirs, guard) = (queue.clone(), keep_alive());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            theirs.try_put(1).unwrap();
            drop(guard); // after the put, which woke the getter
        });
        queue.get().await.unwrap()
    });
    assert_eq!(registered, 1);
}
