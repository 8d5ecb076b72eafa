//! # Chapter 14, exercise 1: your runtime runs the seed program
//!
//! ## Task
//!
//! Run the blog's program, twice, on **your own** pieces: your chapter 4 executor
//! (`crate::ch04_executor::{run, spawn}`), your chapter 5 `gather` (`crate::ch05_gather`) and
//! your queue of chapters 6 to 8, assembled into `SeedQueue` in
//! `exercises/src/given/seed_parts.rs` (included below; read it first). Nothing of tinyio's
//! runtime may run: no `tinyio::` anywhere in this file (the grader notices a line said inside
//! tinyio's runtime).
//!
//! - `original(say)`: the program as the blog wrote it, on an unbounded queue: the producer
//!   (puts 0 to 9, saying `Produced: <i>` after each put) and the consumer (forever: get, say
//!   `Consumed: <item>`, `task_done`) are gathered, then `main` joins the queue. It can never
//!   finish. Your executor must say so: return `Err(Stuck)`, never hang.
//! - `corrected(maxsize, say)`: the fix, on `SeedQueue::new(maxsize)`: the consumer is a task of
//!   its own, the main task waits for the producer, then for the queue (`join`), says
//!   `Joined: all items processed`, stops the consumer and waits for it, says
//!   `Consumer: cancelled while waiting in get()` when it was stopped, and ends with
//!   `FINISHED (qsize=<len>)`. It returns `Ok(())`: CPython's lines in CPython's order, for
//!   `maxsize` 0 and for `maxsize` 2, where the two tasks take turns.
//!
//! The rules it must keep:
//! - Every line goes through `say`, nothing to standard output.
//! - Before each wait of the main task, note where it waits with `Progress::set`, using these
//!   names: `gather`, `produce`, `join`, `consumer` (awaiting the consumer's `JoinHandle`). When
//!   your `run` returns `Err(Deadlock)`, return `Err(Stuck)` with that place and the queue's
//!   `len()` and `unfinished()`. The grader prints it: `deadlock: main task waits in gather
//!   (qsize=0 unfinished=0)`.
//! - Your executor has no `abort`: `abortable` (given) stands in for it. Spawn the wrapped
//!   consumer; the handle stops it.
//!
//! The traps are the ones of the blog's program: a consumer that never returns inside a `gather`,
//! an item taken and never marked done, a consumer awaited and never stopped. Each one ends in a
//! deadlock, which your executor reports. Grade it: `cargo test ch14`. It needs chapters 4 to 8
//! to pass first (`cargo test ch04`, ... `cargo test ch08`): it runs on them.

use crate::ch04_executor::{Deadlock, run, spawn};
use crate::ch05_gather::gather;

include!("given/seed_parts.rs"); // `Future`, `Pin`, `Arc`, ... come with it

/// The blog's program as it is, on your runtime: `Err(Stuck)`, since it can never finish.
pub fn original(say: Say) -> Result<(), Stuck> {
    // TODO: a producer and a consumer, gathered in the main task, then join; run it on your
    // executor, and turn its `Err(Deadlock)` into a `Stuck`.
    todo!()
}

/// The corrected program on your runtime, on a queue of `maxsize` items (0: unbounded).
pub fn corrected(maxsize: usize, say: Say) -> Result<(), Stuck> {
    // TODO: the consumer as a task of its own; produce, join, stop the consumer, await it.
    todo!()
}
