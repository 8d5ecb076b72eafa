//! # Chapter 9, exercise 1: a pool of workers that finishes
//!
//! ## Task
//!
//! Chapter 9 fixed the seed program by running its consumer as a task of its own, waiting for
//! the queue with `join`, and only then cancelling the idle consumer. Apply the same fix to a
//! pool of workers: write `run_jobs(jobs, workers, say)`.
//!
//! 1. Make an unbounded queue and put the jobs `0..jobs` into it.
//! 2. Spawn `workers` tasks running [`worker`], named `w1`, `w2`, ... (`tinyio::spawn_named`,
//!    in that order; the name passed to [`worker`] is the task's name).
//! 3. Wait until every job is marked done (`join`), then say `all jobs done`.
//! 4. Cancel every worker (`abort`), then await each handle in spawn order and say
//!    `w1 cancelled`, `w2 cancelled`, ... for each one that ended as cancelled.
//! 5. Say `FINISHED (qsize=N)`, with the queue's length.
//!
//! `worker` is given and never returns: it is the seed program's `consume` with a name, and it
//! lets the other workers run after each job. The program must finish: the grader runs it on
//! tinyio with `try_run`, so a program that can never finish shows up as tinyio's deadlock
//! report, not as a hang. Grade it: `cargo test ch09`.

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
    // TODO: queue and jobs, spawn the workers, join, abort, await the handles, FINISHED.
    let handles: Vec<JoinHandle<()>> = Vec::new();
    todo!()
}
