//! # Chapter 13, exercise 1: a worker pool on many threads
//!
//! ## Task
//!
//! `pool_sum(items, tasks, work)` runs `work` on every item, with `tasks` worker tasks sharing a
//! `tinyio::Queue`, and returns how many items were done and the sum of the results. The grader
//! runs it on `Runtime::new().workers(2)`: two threads poll your tasks, in an order that changes
//! from run to run. Write the body of the `async move` block:
//!
//! 1. Make a queue of capacity `tasks` (`Queue::bounded(tasks)`).
//! 2. Spawn `tasks` worker tasks. Each one loops: `get` an item, add `work(item)` to a `Totals`
//!    of its own (and 1 to its item count), `task_done`. When `get` returns an error, the queue
//!    was shut down: return that worker's `Totals` as the task's output.
//! 3. `put` every item (`.await`: the queue is bounded, so `put` waits while the workers
//!    catch up), then `join` the queue, then `shutdown(false)` it so the idle workers stop.
//! 4. Await every worker's `JoinHandle` and add up their `Totals`.
//!
//! Each worker's share differs from run to run; the sum of the shares must not. Everything the
//! tasks share crosses threads, so it must be `Send + Sync` (the queue and `work` are; `Rc` or
//! `RefCell` would not compile). The grader checks what is the same in every interleaving: the
//! totals, every item worked on exactly once, and a run that ends. Grade it: `cargo test ch13`.
//! The answer is in `solutions/src/`.

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
        // TODO: a bounded queue, `tasks` workers that each return their own Totals, put every
        // item, join, shutdown(false), then add up what the workers return.
        todo!()
    }
}
