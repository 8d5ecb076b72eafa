//! Reference answer to `exercises/src/ch11_as_completed.rs` (the task is written there).

use std::future::Future;

use tinyio::{JoinHandle, Queue};

/// The outputs of several futures, in the order they finish: asyncio's `as_completed`.
pub struct AsCompleted<T> {
    /// Where each task puts its future's output, as soon as it has it.
    results: Queue<T>,
    /// How many outputs have not been handed out by `next` yet.
    remaining: usize,
    /// The tasks running the futures, in the order the futures were given.
    tasks: Vec<JoinHandle<()>>,
}

// ANCHOR: as_completed
/// Runs every future of `futures` as a task, and returns their outputs as they finish.
pub fn as_completed<I>(futures: I) -> AsCompleted<<I::Item as Future>::Output>
where
    I: IntoIterator,
    I::Item: Future + Send + 'static,
    <I::Item as Future>::Output: Send + 'static,
{
    let results = Queue::new();
    let tasks: Vec<JoinHandle<()>> = futures
        .into_iter()
        .map(|future| {
            let results = results.clone();
            tinyio::spawn(async move {
                let output = future.await;
                results.try_put(output).ok(); // unbounded and never shut down: never fails
            })
        })
        .collect();
    AsCompleted {
        results,
        remaining: tasks.len(),
        tasks,
    }
}

impl<T> AsCompleted<T> {
    /// The next output to finish, or `None` once all of them were handed out.
    pub async fn next(&mut self) -> Option<T> {
        if self.remaining == 0 {
            return None;
        }
        let output = self.results.get().await.ok()?;
        self.remaining -= 1; // only now: a next() dropped while it waits loses nothing
        Some(output)
    }
}

impl<T> Drop for AsCompleted<T> {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort(); // does nothing to a task that has finished
        }
    }
}
// ANCHOR_END: as_completed
