//! Chapter 13, many threads: a worker pool on `Runtime::new().workers(2)`.
//!
//! Nothing about the order is the same from run to run, so the scenarios log only what is:
//! the totals, which items were worked on more or less than once, and whether the run ended or
//! deadlocked. Each scenario repeats its run and reports the first run that differs.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::{Exercise, Scenario, log};

/// The worker-pool exercise, as the grader sees it.
pub trait Pool {
    /// `pool_sum(items, tasks, work)`, its `Totals` as `(items, sum)`.
    fn pool_sum(
        items: Vec<u64>,
        tasks: usize,
        work: Arc<dyn Fn(u64) -> u64 + Send + Sync>,
    ) -> impl Future<Output = (usize, u64)> + Send + 'static;
}

/// Implements [`Pool`] for `$ty` with the module `$m` (which has `pool_sum` and `Totals`).
#[macro_export]
macro_rules! bind_pool {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch13::Pool for $ty {
            fn pool_sum(
                items: Vec<u64>,
                tasks: usize,
                work: ::std::sync::Arc<dyn Fn(u64) -> u64 + Send + Sync>,
            ) -> impl ::core::future::Future<Output = (usize, u64)> + Send + 'static {
                let totals = $($m)::+::pool_sum(items, tasks, work);
                async move {
                    let totals = totals.await;
                    (totals.items, totals.sum)
                }
            }
        }
    };
}

/// The grader for `exercises/src/ch13_pool.rs`.
pub fn pool<P: Pool>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch13_pool",
        chapter: 13,
        title: "Many threads",
        file: "exercises/src/ch13_pool.rs",
        recipe: "each worker keeps its own Totals and returns it: `while let Ok(item) = \
               queue.get().await { mine.sum += work(item); mine.items += 1; \
               queue.task_done().unwrap(); } mine`. Main: put every item, then \
               queue.join().await, then queue.shutdown(false) (else the workers wait in get \
               forever), then await every handle and add the Totals up. Do not share one running \
               total between workers and then add it up again.",
        on_hang: "a run did not end, and tinyio did not see a deadlock either. Does a worker \
                  loop without awaiting (a busy loop), or block its thread?",
        scenarios: vec![
            s(
                "hundred",
                "items 1 to 100, 2 worker tasks, work = n * n, 10 runs: the same totals every run",
                "Every item must be worked on exactly once, and the totals must be the same on every run, whatever order the two threads take (chapter 13, testing what is the same in every run).",
                hundred::<P>,
            ),
            s(
                "few",
                "3 items, 4 worker tasks (more workers than items), 10 runs: every worker stops",
                "More workers than items: the workers that get nothing must still stop once the work is done. What tells an idle worker that no more items will come?",
                few::<P>,
            ),
            s(
                "none",
                "no items at all, 3 worker tasks: totals of zero",
                "No items at all: the pool must end at once with totals of zero, and no worker may wait for an item that never comes.",
                none::<P>,
            ),
            s(
                "slow",
                "items 1 to 60, 3 worker tasks, work that blocks its thread for 1 ms now and \
                 then, 3 runs",
                "Work that blocks its thread now and then slows one worker down, but the totals must still be complete and every worker must end.",
                slow::<P>,
            ),
        ],
    }
}

/// Runs the pool `runs` times on `Runtime::new().workers(2)`; logs the first run's outcome, and
/// either that every other run agreed or the first one that did not.
fn runs<P: Pool>(runs: usize, items: Vec<u64>, tasks: usize, work: fn(u64) -> u64) {
    log(format!(
        "pool_sum({} items, {tasks} worker tasks) on Runtime::new().workers(2)",
        items.len()
    ));
    let first = outcome::<P>(&items, tasks, work);
    for line in &first {
        log(line.clone());
    }
    for run in 2..=runs {
        let again = outcome::<P>(&items, tasks, work);
        if again != first {
            log(format!("run {run} differed:"));
            for line in again {
                log(line);
            }
            return;
        }
    }
    if runs > 1 {
        log(format!("runs 2 to {runs}: the same"));
    }
}

/// One run: what is the same in every interleaving.
fn outcome<P: Pool>(items: &[u64], tasks: usize, work: fn(u64) -> u64) -> Vec<String> {
    let calls: Arc<Mutex<BTreeMap<u64, u32>>> = Arc::default();
    let seen = calls.clone();
    let recorded = Arc::new(move |item: u64| {
        *seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(item)
            .or_default() += 1;
        work(item)
    });
    let result =
        tinyio::Runtime::new()
            .workers(2)
            .try_run(P::pool_sum(items.to_vec(), tasks, recorded));
    let mut lines = Vec::new();
    match result {
        Ok((count, sum)) => lines.push(format!("totals: {count} items, sum {sum}")),
        Err(deadlock) => {
            lines.push("the run can never finish: tinyio reported a deadlock".to_string());
            lines.extend(deadlock.blocked().iter().map(|b| format!("  {b}")));
        }
    }
    let calls = calls.lock().unwrap_or_else(|e| e.into_inner());
    let twice: Vec<String> = calls
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(item, n)| format!("{item} ({n} times)"))
        .collect();
    let never: Vec<String> = items
        .iter()
        .filter(|item| !calls.contains_key(item))
        .map(u64::to_string)
        .collect();
    lines.push(format!("worked on more than once: {}", few_or_none(&twice)));
    lines.push(format!("never worked on: {}", few_or_none(&never)));
    lines
}

/// "none", or the first five of `list` and how many more.
fn few_or_none(list: &[String]) -> String {
    match list.len() {
        0 => "none".to_string(),
        n if n <= 5 => list.join(", "),
        n => format!("{}, and {} more", list[..5].join(", "), n - 5),
    }
}

fn square(n: u64) -> u64 {
    n * n
}

fn hundred<P: Pool>() {
    runs::<P>(10, (1..=100).collect(), 2, square);
}

fn few<P: Pool>() {
    runs::<P>(10, vec![5, 6, 7], 4, |n| n + 1);
}

fn none<P: Pool>() {
    runs::<P>(1, Vec::new(), 3, square);
}

fn slow<P: Pool>() {
    runs::<P>(3, (1..=60).collect(), 3, |n| {
        if n % 4 == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
        n * 2
    });
}
