//! Planted mistakes in chapter 13's exercise.

/// Every worker adds to one shared running total and returns it; main adds those up, so the
/// total is counted once per worker.
pub mod pool_counts_twice {
    use std::future::Future;
    use std::sync::{Arc, Mutex};

    use tinyio::Queue;

    pub use solutions::ch13_pool::{Totals, Work};

    /// The pool.
    #[allow(clippy::manual_async_fn)]
    pub fn pool_sum(
        items: Vec<u64>,
        tasks: usize,
        work: Work,
    ) -> impl Future<Output = Totals> + Send + 'static {
        async move {
            let queue = Queue::bounded(tasks);
            let shared = Arc::new(Mutex::new(Totals::default()));
            let workers: Vec<_> = (0..tasks)
                .map(|_| {
                    let (queue, work, shared) = (queue.clone(), work.clone(), shared.clone());
                    tinyio::spawn(async move {
                        while let Ok(item) = queue.get().await {
                            let mut all = shared.lock().unwrap();
                            all.sum += work(item);
                            all.items += 1;
                            drop(all);
                            queue.task_done().unwrap();
                        }
                        *shared.lock().unwrap() // the mistake: everyone's total, not its own
                    })
                })
                .collect();
            for item in items {
                queue.put(item).await.unwrap();
            }
            queue.join().await;
            queue.shutdown(false);
            let mut all = Totals::default();
            for worker in workers {
                let theirs = worker.await.unwrap();
                all.items += theirs.items;
                all.sum += theirs.sum;
            }
            all
        }
    }
}

/// Each worker takes its "share", `items / tasks` items, and stops: with more workers than
/// items, nobody takes anything.
pub mod pool_stops_early {
    use std::future::Future;

    use tinyio::Queue;

    pub use solutions::ch13_pool::{Totals, Work};

    /// The pool.
    #[allow(clippy::manual_async_fn)]
    pub fn pool_sum(
        items: Vec<u64>,
        tasks: usize,
        work: Work,
    ) -> impl Future<Output = Totals> + Send + 'static {
        async move {
            let queue = Queue::bounded(tasks);
            let share = items.len() / tasks;
            let workers: Vec<_> = (0..tasks)
                .map(|_| {
                    let (queue, work) = (queue.clone(), work.clone());
                    tinyio::spawn(async move {
                        let mut mine = Totals::default();
                        for _ in 0..share {
                            // the mistake: a fixed share instead of "until shut down"
                            let item = queue.get().await.unwrap();
                            mine.sum += work(item);
                            mine.items += 1;
                            queue.task_done().unwrap();
                        }
                        mine
                    })
                })
                .collect();
            for item in items {
                queue.put(item).await.unwrap();
            }
            queue.join().await;
            let mut all = Totals::default();
            for worker in workers {
                let mine = worker.await.unwrap();
                all.items += mine.items;
                all.sum += mine.sum;
            }
            all
        }
    }
}

/// Main awaits the workers after `join` without shutting the queue down: they wait in `get`
/// forever.
pub mod pool_no_shutdown {
    use std::future::Future;

    use tinyio::Queue;

    pub use solutions::ch13_pool::{Totals, Work};

    /// The pool.
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
                        while let Ok(item) = queue.get().await {
                            mine.sum += work(item);
                            mine.items += 1;
                            queue.task_done().unwrap();
                        }
                        mine
                    })
                })
                .collect();
            for item in items {
                queue.put(item).await.unwrap();
            }
            queue.join().await; // the mistake: no shutdown after this
            let mut all = Totals::default();
            for worker in workers {
                let mine = worker.await.unwrap();
                all.items += mine.items;
                all.sum += mine.sum;
            }
            all
        }
    }
}
