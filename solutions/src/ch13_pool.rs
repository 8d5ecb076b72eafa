//! Reference answer to `exercises/src/ch13_pool.rs` (the task is written there).

use std::future::Future;
use std::sync::Arc;

use tinyio::Queue;

/// The work to do on each item; called from any thread.
pub type Work = Arc<dyn Fn(u64) -> u64 + Send + Sync>;

/// What the pool (or one worker) did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// How many items were worked on.
    pub items: usize,
    /// The sum of `work(item)` over those items.
    pub sum: u64,
}

// ANCHOR: pool_sum
/// Runs `work` on every item with `tasks` worker tasks; returns the totals.
///
/// Not an `async fn`: this signature promises `Send + 'static`, so if something in your future
/// cannot cross threads, the compiler says so here, at your code.
#[allow(clippy::manual_async_fn)]
pub fn pool_sum(
    items: Vec<u64>,
    tasks: usize,
    work: Work,
) -> impl Future<Output = Totals> + Send + 'static {
    async move {
        let queue = Queue::bounded(tasks);
        let workers: Vec<_> = (0..tasks)
            .map(|i| {
                let (queue, work) = (queue.clone(), work.clone());
                tinyio::spawn_named(format!("worker-{i}"), async move {
                    let mut mine = Totals::default();
                    // An error means the queue was shut down: this worker is done.
                    while let Ok(item) = queue.get().await {
                        mine.sum += work(item);
                        mine.items += 1;
                        queue.task_done().expect("one task_done per item taken");
                    }
                    mine
                })
            })
            .collect();
        for item in items {
            queue
                .put(item)
                .await
                .expect("the queue is shut down only later");
        }
        queue.join().await;
        queue.shutdown(false);
        let mut all = Totals::default();
        for worker in workers {
            let mine = worker.await.expect("a worker does not panic");
            all.items += mine.items;
            all.sum += mine.sum;
        }
        all
    }
}
// ANCHOR_END: pool_sum
