//! Reference answer to `exercises/src/ch10_shutdown.rs` (the task is written there).

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
    // ANCHOR: produce_end
    // `false`: the items still in the queue stay there for the consumer.
    queue.shutdown(false);
    say("Producer: shut the queue down".to_string());
    // ANCHOR_END: produce_end
}

/// What the consumer does with each item it takes: the body of the blog's loop.
pub fn consume_one(item: u32, queue: &Queue<u32>, say: &Say) {
    say(format!("Consumed: {item}"));
    queue.task_done().expect("one task_done per item taken");
}

// ANCHOR: consume
/// Takes items, handing each one to [`consume_one`], until there will never be another.
pub async fn consume(queue: &Queue<u32>, say: &Say) {
    // `get` fails only once the queue is shut down *and* empty: the signal to stop.
    while let Ok(item) = queue.get().await {
        consume_one(item, queue, say);
    }
    say("Consumer: queue shut down and drained".to_string());
}
// ANCHOR_END: consume

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
