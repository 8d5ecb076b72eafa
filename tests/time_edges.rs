//! Time at its edges (issue 13, section 2): "forever" durations, the virtual clock with outside
//! sources, a `Sleep` that outlives its runtime, and settings the multi-threaded runtime cannot
//! keep. Each of these hung or panicked before its fix; `within` turns a hang into a failure.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tinyio::{Queue, Runtime, keep_alive, now, sleep, timeout, yield_now};

mod common;
use common::{panic_text, within};

/// 600 years: past the end of the clocks (2^64 nanoseconds, about 584 years).
const CENTURIES: Duration = Duration::from_secs(600 * 365 * 24 * 3600);

#[test]
fn timeout_forever_on_the_real_clock_does_not_overflow() {
    let out = within(10, || {
        Runtime::new().run(async {
            let inner = async {
                yield_now().await; // pending once, so the timer is armed
                5
            };
            timeout(Duration::MAX, inner).await
        })
    });
    assert_eq!(out, Ok(5));
}

#[test]
fn timeout_forever_on_the_virtual_clock_after_time_moved_does_not_overflow() {
    let out = within(10, || {
        Runtime::new().virtual_clock().run(async {
            sleep(Duration::from_secs(1)).await;
            let inner = async {
                yield_now().await;
                6
            };
            (timeout(Duration::MAX, inner).await, now())
        })
    });
    assert_eq!(out, (Ok(6), Duration::from_secs(1)));
}

#[test]
fn timeout_forever_on_the_multi_threaded_runtime_does_not_overflow() {
    let out = within(10, || {
        Runtime::new().workers(2).run(async {
            let inner = async {
                yield_now().await;
                7
            };
            timeout(Duration::MAX, inner).await
        })
    });
    assert_eq!(out, Ok(7));
}

#[test]
fn a_sleep_past_the_end_of_the_virtual_clock_is_reported_not_spun_on() {
    let report = within(10, || {
        Runtime::new()
            .virtual_clock()
            .try_run(async {
                sleep(Duration::from_secs(1)).await;
                sleep(CENTURIES).await;
            })
            .unwrap_err()
    });
    assert_eq!(
        report.blocked(),
        ["main: sleep (never fires: its deadline is past the end of the clock)"]
    );
}

#[test]
fn timeout_forever_around_a_get_nobody_serves_is_reported_on_the_virtual_clock() {
    let report = within(10, || {
        Runtime::new()
            .virtual_clock()
            .try_run(async {
                let queue = Queue::<u32>::new();
                timeout(Duration::MAX, queue.get()).await
            })
            .unwrap_err()
    });
    assert_eq!(
        report.blocked(),
        ["main: Queue::get (queue empty, 0 unfinished)"]
    );
}

#[test]
fn a_sleep_forever_is_reported_on_the_real_clock_and_on_workers() {
    let single = within(10, || {
        Runtime::new()
            .try_run(sleep(Duration::MAX))
            .unwrap_err()
            .to_string()
    });
    assert!(single.contains("sleep (never fires"), "{single}");
    let multi = within(10, || {
        Runtime::new()
            .workers(2)
            .try_run(sleep(Duration::MAX))
            .unwrap_err()
            .to_string()
    });
    assert!(multi.contains("sleep (never fires"), "{multi}");
}

/// tokio's paused clock advances while no `spawn_blocking` work runs, whatever other threads
/// exist; so does tinyio's virtual clock: a `KeepAlive` guard does not hold it back.
#[test]
fn the_virtual_clock_jumps_while_a_task_holds_a_keep_alive_guard() {
    let at = within(10, || {
        Runtime::new().virtual_clock().run(async {
            let _guard = keep_alive();
            sleep(Duration::from_secs(3600)).await;
            now()
        })
    });
    assert_eq!(at, Duration::from_secs(3600));
}

/// Polls `future` once with a no-op waker.
fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(std::task::Waker::noop()))
}

#[test]
fn a_sleep_polled_after_its_runtime_ended_panics_with_an_explanation() {
    let message = within(10, || {
        let mut nap = Box::pin(sleep(Duration::from_secs(3600)));
        // Returned in a tuple: the run's output is the armed sleep, not awaited.
        let (nap,) = Runtime::new().virtual_clock().run(async move {
            assert!(poll_once(&mut nap).is_pending());
            (nap,)
        });
        let caught = catch_unwind(AssertUnwindSafe(|| tinyio::block_on(nap)));
        panic_text(&*caught.unwrap_err())
    });
    assert!(
        message.contains("polled after the runtime that started it ended"),
        "{message}"
    );
}

#[test]
fn workers_refuse_a_virtual_clock_or_a_trace_instead_of_dropping_it() {
    let caught = catch_unwind(|| Runtime::new().virtual_clock().workers(2));
    let message = panic_text(&*caught.unwrap_err());
    assert!(message.contains("virtual clock"), "{message}");
    let trace = tinyio::Trace::new();
    let caught = catch_unwind(|| Runtime::new().trace(&trace).workers(2));
    let message = panic_text(&*caught.unwrap_err());
    assert!(message.contains("trace"), "{message}");
}
