//! # Chapter 9, exercise 1: a pool of workers that finishes
//!
//! ## Task
//!
//! Chapter 9 fixed the seed program by running its consumer as a task of its own. Apply the same
//! fix to a pool of workers: finish `run_jobs(jobs, workers, say)`, which already has a queue
//! holding the jobs `0..jobs`.
//!
//! What it must do, and print:
//! - run `workers` tasks of [`worker`] (given: the seed program's `consume` with a name; it never
//!   returns), spawned with `tinyio::spawn_named` and named `w1`, `w2`, ..., in that order (the
//!   name passed to [`worker`] is the task's name);
//! - once every job has been marked done, and not before, say `all jobs done`;
//! - then stop every worker, see each one end in spawn order, and say `w1 cancelled`,
//!   `w2 cancelled`, ... for each one that ended as cancelled;
//! - last, say `FINISHED (qsize=N)`, with the queue's length.
//!
//! The program must finish. The traps, which the grader's report names when you fall into them:
//! - waiting for a task that never returns (as the blog's `gather` waits for its consumer);
//! - stopping a worker while jobs are still waiting or in its hands: what is lost then is the
//!   subject of chapter 10.
//!
//! The grader runs it on tinyio with `try_run`, so a program that can never finish shows up as
//! tinyio's deadlock report, not as a hang. Grade it: `cargo test ch09`.

use std::sync::Arc;

use tinyio::{JoinHandle, Queue};

/// Where the program's lines go (the grader collects them).
pub type Say = Arc<dyn Fn(String) + Send + Sync>;

/// Takes jobs forever: says which one it took, lets the other tasks run, marks it done.
pub async fn worker(name: String, queue: Queue<u32>, say: Say) {
    loop {
        let job = queue.get().await.expect("nobody shuts this queue down");
        say(format!("{name} took job {job}"));
        tinyio::yield_now().await;
        queue.task_done().expect("one task_done per job taken");
    }
}

/// Runs `jobs` jobs on `workers` worker tasks, and finishes once every job is done.
pub async fn run_jobs(jobs: u32, workers: usize, say: Say) {
    let queue = Queue::new();
    for job in 0..jobs {
        queue
            .try_put(job)
            .expect("an unbounded queue is never full");
    }
    // TODO: spawn the workers, wait for the jobs, stop the workers, report.
    let handles: Vec<JoinHandle<()>> = Vec::new();
    todo!()
}
