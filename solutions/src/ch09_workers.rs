//! Reference answer to `exercises/src/ch09_workers.rs` (the task is written there).

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

// ANCHOR: run_jobs
/// Runs `jobs` jobs on `workers` worker tasks, and finishes once every job is done.
pub async fn run_jobs(jobs: u32, workers: usize, say: Say) {
    let queue = Queue::new();
    for job in 0..jobs {
        queue
            .try_put(job)
            .expect("an unbounded queue is never full");
    }
    let handles: Vec<JoinHandle<()>> = (1..=workers)
        .map(|k| {
            let name = format!("w{k}");
            let work = worker(name.clone(), queue.clone(), say.clone());
            tinyio::spawn_named(name, work)
        })
        .collect();
    queue.join().await;
    say("all jobs done".to_string());
    for handle in &handles {
        handle.abort();
    }
    for (k, handle) in handles.into_iter().enumerate() {
        if handle.await.is_err_and(|e| e.is_cancelled()) {
            say(format!("w{} cancelled", k + 1));
        }
    }
    say(format!("FINISHED (qsize={})", queue.len()));
}
// ANCHOR_END: run_jobs
