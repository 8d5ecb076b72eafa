//! Planted mistakes in chapter 9's exercise.

use solutions::ch09_workers::{Say, worker};
use tinyio::{JoinHandle, Queue};

/// The jobs in a queue and the workers spawned, as the solution does it.
fn queue_and_pool(jobs: u32, workers: usize, say: &Say) -> (Queue<u32>, Vec<JoinHandle<()>>) {
    let queue = Queue::new();
    for job in 0..jobs {
        queue.try_put(job).unwrap();
    }
    let handles = (1..=workers)
        .map(|k| {
            let work = worker(format!("w{k}"), queue.clone(), say.clone());
            tinyio::spawn_named(format!("w{k}"), work)
        })
        .collect();
    (queue, handles)
}

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
    pub use solutions::ch09_workers::Say;

    /// Joins after aborting.
    pub async fn run_jobs(jobs: u32, workers: usize, say: Say) {
        let (queue, handles) = super::queue_and_pool(jobs, workers, &say);
        for handle in &handles {
            handle.abort(); // the mistake: too early
        }
        queue.join().await;
        say("all jobs done".to_string());
    }
}

/// Awaits the workers' handles first, as if a worker could finish by itself.
pub mod workers_await_first {
    pub use solutions::ch09_workers::Say;

    /// Waits for a worker that never returns.
    pub async fn run_jobs(jobs: u32, workers: usize, say: Say) {
        let (queue, handles) = super::queue_and_pool(jobs, workers, &say);
        for handle in handles {
            let _ = handle.await; // the mistake: a worker never returns
        }
        queue.join().await;
        say("all jobs done".to_string());
    }
}
