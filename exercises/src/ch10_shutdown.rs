//! # Chapter 10, exercise 1: the seed program, fixed with `shutdown`
//!
//! ## Task
//!
//! Keep the blog's `main` as it is (given below: gather the producer and the consumer, then
//! `join`), and make it finish by writing the producer and the consumer:
//!
//! 1. `produce`: put `0..10` into the queue, saying `Produced: {i}` after each put. Then shut
//!    the queue down so that it drains: `shutdown(false)`, not `true` (which would drop the
//!    items nobody took yet), and say `Producer: shut the queue down`.
//! 2. `consume`: take items until `get` fails, saying `Consumed: {item}` and marking each one
//!    done. `get` fails only once the queue is shut down **and** empty; then say
//!    `Consumer: queue shut down and drained` and return.
//!
//! Never `unwrap` or `expect` the result of `get`: its error is how the consumer learns that
//! the work is over. The grader runs `main` on an unbounded queue and on queues of maxsize 2 and
//! 1, and `consume` alone on a queue that is shut down while it waits. Grade it:
//! `cargo test ch10`.

use std::sync::Arc;

use tinyio::Queue;

/// Where the program's lines go (the grader collects them).
pub type Say = Arc<dyn Fn(String) + Send + Sync>;

/// Puts `0..10`, then shuts the queue down so that it drains.
pub async fn produce(queue: &Queue<u32>, say: &Say) {
    // TODO: ten puts, each followed by its line; then shutdown(false) and its line.
    todo!()
}

/// Takes items until the queue is shut down and empty, marking each one done.
pub async fn consume(queue: &Queue<u32>, say: &Say) {
    // TODO: `while let Ok(item) = queue.get().await { ... }`, then the last line.
    todo!()
}

/// The blog's `main`, unchanged: gather the producer and the consumer, then wait for the queue.
pub async fn main(maxsize: usize, say: Say) {
    let queue = if maxsize == 0 {
        Queue::new()
    } else {
        Queue::bounded(maxsize)
    };
    tinyio::gather!(produce(&queue, &say), consume(&queue, &say)).await;
    queue.join().await;
    say("Joined: all items processed".to_string());
}
