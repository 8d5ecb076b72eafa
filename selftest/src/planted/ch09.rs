//! Planted mistakes in chapter 9's exercise.

/// Gathers the workers, as the seed program gathers its consumer: the gather never completes.
pub mod workers_gathered {
    pub use solutions::ch09_workers::{Say, worker};
    use tinyio::Queue;

    /// Never finishes.
    pub async fn run_jobs(jobs: u32, workers: usize, say: Say) {
        let queue = Queue::new();
        for job in 0..jobs {
            queue.try_put(job).unwrap();
        }
        let pool = (1..=workers).map(|k| worker(format!("w{k}"), queue.clone(), say.clone()));
        tinyio::gather(pool).await;
        queue.join().await;
        say("all jobs done".to_string());
    }
}

/// Cancels the workers before waiting for the queue: the jobs nobody took are never done.
pub mod workers_abort_before_join {
    pub use solutions::ch09_workers::{Say, worker};
    use tinyio::Queue;

    /// Joins after aborting.
    pub async fn run_jobs(jobs: u32, workers: usize, say: Say) {
        let queue = Queue::new();
        for job in 0..jobs {
            queue.try_put(job).unwrap();
        }
        let handles: Vec<_> = (1..=workers)
            .map(|k| {
                let work = worker(format!("w{k}"), queue.clone(), say.clone());
                tinyio::spawn_named(format!("w{k}"), work)
            })
            .collect();
        for handle in &handles {
            handle.abort(); // the mistake: too early
        }
        queue.join().await;
        say("all jobs done".to_string());
        for (k, handle) in handles.into_iter().enumerate() {
            if handle.await.is_err() {
                say(format!("w{} cancelled", k + 1));
            }
        }
        say(format!("FINISHED (qsize={})", queue.len()));
    }
}

/// Awaits the workers' handles first, as if a worker could finish by itself.
pub mod workers_await_first {
    pub use solutions::ch09_workers::{Say, worker};
    use tinyio::Queue;

    /// Waits for a worker that never returns.
    pub async fn run_jobs(jobs: u32, workers: usize, say: Say) {
        let queue = Queue::new();
        for job in 0..jobs {
            queue.try_put(job).unwrap();
        }
        let handles: Vec<_> = (1..=workers)
            .map(|k| {
                let work = worker(format!("w{k}"), queue.clone(), say.clone());
                tinyio::spawn_named(format!("w{k}"), work)
            })
            .collect();
        for handle in handles {
            let _ = handle.await; // the mistake: a worker never returns
        }
        queue.join().await;
        say("all jobs done".to_string());
    }
}
