//! Reference answer to `exercises/src/ch10_shutdown.rs` (the task is written there).

use std::sync::Arc;

use tinyio::Queue;

/// Where the program's lines go (the grader collects them).
pub type Say = Arc<dyn Fn(String) + Send + Sync>;

// ANCHOR: answer
/// Puts `0..10`, then shuts the queue down so that it drains.
pub async fn produce(queue: &Queue<u32>, say: &Say) {
    for i in 0..10 {
        queue
            .put(i)
            .await
            .expect("only this producer shuts it down");
        say(format!("Produced: {i}"));
    }
    queue.shutdown(false);
    say("Producer: shut the queue down".to_string());
}

/// Takes items until the queue is shut down and empty, marking each one done.
pub async fn consume(queue: &Queue<u32>, say: &Say) {
    while let Ok(item) = queue.get().await {
        say(format!("Consumed: {item}"));
        queue.task_done().expect("one task_done per item taken");
    }
    say("Consumer: queue shut down and drained".to_string());
}
// ANCHOR_END: answer

// ANCHOR: main
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
// ANCHOR_END: main
