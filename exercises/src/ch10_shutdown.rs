//! # Chapter 10, exercise 1: the seed program, fixed with `shutdown`
//!
//! ## Task
//!
//! Keep the blog's `main` as it is (given below: gather the producer and the consumer, then
//! `join`), and make it finish by changing the producer and the consumer, with `shutdown`:
//!
//! - `produce` is the blog's, up to its last put. When it has put everything, it tells the
//!   consumer that no more items will come, then says `Producer: shut the queue down`.
//! - `consume` takes items and hands each one to [`consume_one`] (given: the body of the blog's
//!   loop), until there will never be another item; then it says
//!   `Consumer: queue shut down and drained` and returns.
//!
//! The rules the grader checks, on an unbounded queue and on queues of maxsize 2 and 1:
//! - **Nothing is lost.** Every item put is consumed and marked done, including the items still
//!   in the queue when the producer finishes; so `join` returns. Of the two kinds of shutdown,
//!   one keeps those items and one drops them (chapter 10's table).
//! - **The end of the work is not an error.** The consumer learns that the work is over from
//!   the result of `get`; never `unwrap` or `expect` it.
//! - **A consumer that waits is woken.** `consume` alone, waiting in `get` on an empty queue,
//!   must return when the queue is shut down under it.
//! - The consumer must wait for items, not stop on a queue that is empty for a moment: on a
//!   small queue the producer would then wait forever for room.
//!
//! Grade it: `cargo test ch10`. A failing scenario prints what it probes;
//! `cargo hint ch10` prints the recipe.

use std::sync::Arc;

use tinyio::Queue;

/// Where the program's lines go (the grader collects them).
pub type Say = Arc<dyn Fn(String) + Send + Sync>;

/// Puts `0..10`, then tells the consumer that no more items will come.
pub async fn produce(queue: &Queue<u32>, say: &Say) {
    for i in 0..10 {
        queue
            .put(i)
            .await
            .expect("only this producer shuts it down");
        say(format!("Produced: {i}"));
    }
    // TODO: no more items will come: say so to the queue, then say `Producer: ...`.
    todo!()
}

/// What the consumer does with each item it takes: the body of the blog's loop.
pub fn consume_one(item: u32, queue: &Queue<u32>, say: &Say) {
    say(format!("Consumed: {item}"));
    queue.task_done().expect("one task_done per item taken");
}

/// Takes items, handing each one to [`consume_one`], until there will never be another.
pub async fn consume(queue: &Queue<u32>, say: &Say) {
    // TODO: write `consume`.
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
