//! The program of the blog post "Using Queues with Asyncio", ported to tinyio as it is.
//!
//! It never finishes, in Python too: `consume` loops forever, so the gather of the producer and
//! the consumer never completes, and `queue.join()` is never even reached. CPython hangs
//! silently; tinyio sees that no task can ever run again and prints the deadlock report.
//!
//! Run it with `cargo run -p tinyio --example seed` (add `TINYIO_TRACE=1` for a timeline). It prints
//! `Produced: 0..9`, then `Consumed: 0..9`, then the report, and exits with status 1.

use tinyio::{Queue, named};

// ANCHOR: program
/// Puts 0..10 into the queue, announcing each item.
async fn produce(queue: &Queue<u32>, say: &dyn Fn(String)) {
    for i in 0..10 {
        queue.put(i).await.expect("nobody shuts this queue down");
        say(format!("Produced: {i}"));
    }
}

/// Takes items forever, marking each one done. It never returns.
async fn consume(queue: &Queue<u32>, say: &dyn Fn(String)) {
    loop {
        let item = queue.get().await.expect("nobody shuts this queue down");
        say(format!("Consumed: {item}"));
        queue.task_done().expect("one task_done per item taken");
    }
}

/// The blog's `main`: gather the producer and the consumer, then wait for the queue to drain.
pub async fn seed_main(say: &dyn Fn(String)) {
    let queue = Queue::new();
    tinyio::gather!(
        named("produce", produce(&queue, say)),
        named("consume", consume(&queue, say)),
    )
    .await;
    queue.join().await;
}
// ANCHOR_END: program

fn main() {
    // Each line also goes into the timeline when TINYIO_TRACE is set.
    let say = |line: String| {
        tinyio::trace::log(&line);
        println!("{line}");
    };
    match tinyio::try_run(seed_main(&say)) {
        Ok(()) => println!("FINISHED"),
        Err(deadlock) => {
            eprintln!("{deadlock}");
            std::process::exit(1);
        }
    }
}
