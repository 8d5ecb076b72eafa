//! # Chapter 11, exercise 4: `as_completed`
//!
//! ## Task
//!
//! Write asyncio's `as_completed`: run several futures at once, and hand out their outputs in
//! the order they **finish**, not the order they were given. Build it from tinyio's own parts:
//! a task per future, and a `Queue` that the tasks put their outputs into.
//!
//! 1. `as_completed(futures)`: spawn one task per future, in order (`tinyio::spawn`). Each task
//!    awaits its future and puts the output into `results` (`try_put`: the queue is unbounded).
//!    Keep the handles, and count the outputs still to come in `remaining`.
//! 2. `next().await`: `None` once every output has been handed out; otherwise wait for the next
//!    output in the queue (`get`). Lower `remaining` only once you have the output, so that a
//!    `next()` dropped while it waits loses nothing (the queue's `get` loses nothing either).
//! 3. Dropping an `AsCompleted` **cancels the tasks that have not finished** (`abort`, or build
//!    the handles with `abort_on_drop`). asyncio leaves them running; in Rust, whoever owns the
//!    tasks cleans them up.
//!
//! Grade it: `cargo test ch11_as_completed`.

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
    // TODO: a queue; spawn a task per future that puts its output; keep handles and count.
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
        // TODO: cancel the tasks that have not finished (or make the handles abort_on_drop).
    }
}
