//! # Chapter 11, exercise 4: `as_completed`
//!
//! ## Task
//!
//! Write asyncio's `as_completed`: run several futures at once, and hand out their outputs in
//! the order they **finish**, not the order they were given. `next().await` gives the next
//! output, and `None` once every output has been handed out.
//!
//! The contract, as the grader checks it:
//!
//! - Outputs in finishing order; futures ready at once in the order they were given.
//! - A `next()` dropped while it waits loses no output.
//! - Dropping the `AsCompleted` **cancels the tasks that have not finished**. asyncio leaves
//!   them running; in Rust, whoever owns the tasks cleans them up.
//!
//! Build it from tinyio's own parts (`tinyio::spawn`, `tinyio::Queue`): no waiter line of your
//! own is needed.
//!
//! Grade it: `cargo test ch11_as_completed`. Stuck? `cargo hint ch11_as_completed`
//! prints the recipe, and so does the chapter's "Stuck?" block.

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

/// Runs every future of `futures` as a task, and returns their outputs as they finish.
pub fn as_completed<I>(futures: I) -> AsCompleted<<I::Item as Future>::Output>
where
    I: IntoIterator,
    I::Item: Future + Send + 'static,
    <I::Item as Future>::Output: Send + 'static,
{
    // TODO: start every future, so that each delivers its output when it finishes.
    todo!()
}

impl<T> AsCompleted<T> {
    /// The next output to finish, or `None` once all of them were handed out.
    pub async fn next(&mut self) -> Option<T> {
        // TODO
        todo!()
    }
}

impl<T> Drop for AsCompleted<T> {
    fn drop(&mut self) {
        // TODO: the tasks that have not finished must not outlive this value.
    }
}
