//! Reference answer to `exercises/src/ch14_seed.rs` (the task is written there).
//!
//! The blog's program, twice, on this crate's own chapter 4 executor, chapter 5 `gather` and
//! chapters 6 to 8 queue: nothing of tinyio's runtime runs here.

use crate::ch04_executor::{Deadlock, run, spawn};
use crate::ch05_gather::gather;

include!("../../exercises/src/given/seed_parts.rs");

// ANCHOR: tasks
/// Puts 0..10 into the queue, saying each item.
pub async fn produce(queue: &SeedQueue<u32>, say: &Say) {
    for item in 0..10 {
        queue.put(item).await;
        say(format!("Produced: {item}"));
    }
}

/// Takes items forever, marking each one done. It owns its queue handle, so that it can be
/// spawned.
pub async fn consume(queue: SeedQueue<u32>, say: Say) {
    loop {
        let item = queue.get().await;
        say(format!("Consumed: {item}"));
        queue
            .task_done()
            .expect("an item taken is unfinished until now");
    }
}

/// The verdict when the executor says nothing can run any more.
pub fn stuck(queue: &SeedQueue<u32>, progress: &Progress) -> Stuck {
    Stuck {
        main_waits_in: progress.get(),
        qsize: queue.len(),
        unfinished: queue.unfinished(),
    }
}
// ANCHOR_END: tasks

/// One child of a `gather`: the producer and the consumer are futures of different types.
type Child<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

// ANCHOR: original
/// The blog's program as it is: the consumer is a child of the `gather`, which therefore never
/// finishes.
pub fn original(say: Say) -> Result<(), Stuck> {
    let queue = SeedQueue::new(0);
    let progress = Progress::new("start");
    let main = {
        let (queue, progress) = (queue.clone(), progress.clone());
        async move {
            let children: Vec<Child<'_>> = vec![
                Box::pin(produce(&queue, &say)),
                Box::pin(consume(queue.clone(), say.clone())),
            ];
            progress.set("gather");
            gather(children).await;
            progress.set("join");
            queue.join().await;
        }
    };
    run(main).map_err(|Deadlock| stuck(&queue, &progress))
}
// ANCHOR_END: original

// ANCHOR: corrected
/// The corrected program: the consumer is a task of its own, aborted once every item is done.
pub fn corrected(maxsize: usize, say: Say) -> Result<(), Stuck> {
    let queue = SeedQueue::new(maxsize);
    let progress = Progress::new("start");
    let main = {
        let (queue, progress) = (queue.clone(), progress.clone());
        async move {
            let (consumer, abort) = abortable(consume(queue.clone(), say.clone()));
            let consumer = spawn(consumer);
            progress.set("produce");
            produce(&queue, &say).await;
            progress.set("join");
            queue.join().await;
            say("Joined: all items processed".to_string());
            abort.abort();
            progress.set("consumer");
            match consumer.await {
                Ok(Err(Aborted)) => say("Consumer: cancelled while waiting in get()".to_string()),
                Ok(Ok(())) => say("Consumer: returned".to_string()),
                Err(error) => say(format!("Consumer: panicked: {}", error.panic)),
            }
            let qsize = queue.len();
            say(format!("FINISHED (qsize={qsize})"));
        }
    };
    run(main).map_err(|Deadlock| stuck(&queue, &progress))
}
// ANCHOR_END: corrected
