//! # Chapter 13, exercise 1: a worker pool on many threads
//!
//! ## Task
//!
//! `pool_sum(items, tasks, work)` runs `work` on every item, with `tasks` worker tasks sharing a
//! bounded `tinyio::Queue` of capacity `tasks`, and returns how many items were done and the
//! sum of the results. The grader runs it on `Runtime::new().workers(2)`: two threads poll your
//! tasks, in an order that changes from run to run.
//!
//! The contract, as the grader checks it, on every run:
//!
//! - Every item is worked on exactly once, and the totals are the totals.
//! - The run ends: every worker stops, also when there are more workers than items, or no
//!   items at all.
//! - Each worker's share differs from run to run; the sum of the shares must not. Let each
//!   worker return its own share through its `JoinHandle` rather than share a counter.
//!
//! Everything the tasks share crosses threads, so it must be `Send + Sync` (the queue and
//! `work` are; `Rc` or `RefCell` would not compile).
//!
//! Grade it: `cargo test ch13`. Stuck? `cargo hint ch13_pool` prints the recipe, and
//! so does the chapter's "Stuck?" block.

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
        // TODO: the pool (see the task above).
        todo!()
    }
}
