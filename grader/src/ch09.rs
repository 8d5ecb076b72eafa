//! Chapter 9, the seed program: a pool of workers that finishes (the chapter's fix, applied to
//! several consumers).
//!
//! The scenarios run the learner's `run_jobs` on tinyio with `try_run` and log what it says, then
//! either `run returned` or the deadlock report's blocked lines: a program that can never finish
//! is graded by tinyio's report, not by the deadline.

use std::future::Future;
use std::sync::Arc;

use crate::{Exercise, Scenario, log};

/// Where the program's lines go.
pub type Say = Arc<dyn Fn(String) + Send + Sync>;

/// The workers exercise, as the grader sees it.
pub trait Workers {
    /// `run_jobs(jobs, workers, say)`.
    fn run_jobs(jobs: u32, workers: usize, say: Say) -> impl Future<Output = ()>;
}

/// Implements [`Workers`] for `$ty` with the module `$m` (which has `run_jobs`).
#[macro_export]
macro_rules! bind_workers {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch09::Workers for $ty {
            fn run_jobs(
                jobs: u32,
                workers: usize,
                say: $crate::ch09::Say,
            ) -> impl ::core::future::Future<Output = ()> {
                $($m)::+::run_jobs(jobs, workers, say)
            }
        }
    };
}

/// Runs `future` on tinyio and logs how the run ended: `run returned`, or the deadlock report's
/// blocked lines.
pub fn run_logged<F: Future<Output = ()>>(future: F) {
    match tinyio::try_run(future) {
        Ok(()) => log("run returned"),
        Err(deadlock) => {
            log("deadlock: the program can never finish. Blocked:");
            for line in deadlock.blocked() {
                log(format!("  {line}"));
            }
        }
    }
}

/// A `Say` that logs each line.
pub fn say() -> Say {
    Arc::new(log)
}

/// The grader for `exercises/src/ch09_workers.rs`.
pub fn workers<W: Workers>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch09_workers",
        chapter: 9,
        title: "The seed program",
        file: "exercises/src/ch09_workers.rs",
        recipe: "spawn the workers (tinyio::spawn_named), never gather them: a worker never \
               returns. Then queue.join().await (it waits for task_done, not for the workers), \
               and only then abort each handle and await it: handle.await is Err(e) with \
               e.is_cancelled(). Aborting before join loses the jobs nobody took yet.",
        on_hang: "your program never finished and tinyio saw no deadlock: does something loop \
                  without waiting (a busy loop around try_get, say)?",
        scenarios: vec![
            s(
                "two_workers",
                "5 jobs on 2 workers: they take turns, join returns, both are cancelled",
                "The order of the ending: a worker never returns, so nothing may wait for one \
                 to finish; what tells you the jobs are done is the queue's count, and a worker \
                 may be cancelled only once it holds no job (book: chapter 9, \"The fix\").",
                two_workers::<W>,
            ),
            s(
                "one_worker",
                "3 jobs on 1 worker: every job is taken before `all jobs done`",
                "Every job must be taken and marked done before `all jobs done`: cancelling a \
                 worker too early strands the jobs nobody took (book: chapter 9, \"The fix\", \
                 and chapter 10 on what abort loses).",
                one_worker::<W>,
            ),
            s(
                "no_jobs",
                "0 jobs: join returns at once, the workers are cancelled before they ever ran",
                "With no job at all, the wait for the jobs must return at once and the workers \
                 are cancelled before they ever ran; awaiting a cancelled handle gives an error \
                 that says so (book: chapter 8, join's fast path).",
                no_jobs::<W>,
            ),
        ],
    }
}

fn two_workers<W: Workers>() {
    run_logged(W::run_jobs(5, 2, say()));
}

fn one_worker<W: Workers>() {
    run_logged(W::run_jobs(3, 1, say()));
}

fn no_jobs<W: Workers>() {
    run_logged(W::run_jobs(0, 2, say()));
}
