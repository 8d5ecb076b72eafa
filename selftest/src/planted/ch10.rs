//! Planted mistakes in chapter 10's exercise.

/// The exercise's given `main`, with the `produce` and `consume` of the module it expands in.
macro_rules! given_main {
    () => {
        /// The given main, with this module's `produce` and `consume`.
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
    };
}

/// Shuts down with `immediate = true`: the items nobody took yet are dropped.
pub mod shutdown_immediate {
    pub use solutions::ch10_shutdown::{Say, consume};
    use tinyio::Queue;

    /// Discards what is left.
    pub async fn produce(queue: &Queue<u32>, say: &Say) {
        for i in 0..10 {
            queue.put(i).await.unwrap();
            say(format!("Produced: {i}"));
        }
        queue.shutdown(true); // the mistake
        say("Producer: shut the queue down".to_string());
    }

    given_main!();
}

/// Treats the end of the work as an error: `expect` on `get`.
pub mod consume_expects {
    pub use solutions::ch10_shutdown::{Say, produce};
    use tinyio::Queue;

    /// Panics when the queue is shut down.
    pub async fn consume(queue: &Queue<u32>, say: &Say) {
        loop {
            let item = queue.get().await.expect("the queue has items"); // the mistake
            say(format!("Consumed: {item}"));
            queue.task_done().unwrap();
        }
    }

    given_main!();
}

/// Stops the consumer on `try_get`'s `Empty` instead of waiting: it quits before the producer
/// is done whenever the queue is empty for a moment.
pub mod consume_stops_when_empty {
    pub use solutions::ch10_shutdown::{Say, produce};
    use tinyio::Queue;

    /// Stops too early.
    pub async fn consume(queue: &Queue<u32>, say: &Say) {
        while let Ok(item) = queue.try_get() {
            say(format!("Consumed: {item}"));
            queue.task_done().unwrap();
        }
        say("Consumer: queue shut down and drained".to_string());
    }

    given_main!();
}
