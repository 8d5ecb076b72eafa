//! The blog's program, corrected: the consumer is a task of its own, `main` waits for the
//! producer, then for every item to be marked done (`join`), then cancels the idle consumer.
//!
//! It prints the same lines, in the same order, as the Python version
//! (`python3 seed_fixed.py`): `cargo run -p tinyio --example producer_consumer`, or with a queue of
//! maxsize 2, `cargo run -p tinyio --example producer_consumer -- 2`, which interleaves the two tasks.

use std::sync::Arc;

use tinyio::{Queue, spawn_named};

/// Where the program's lines go: standard output, or a test's list.
pub type Say = Arc<dyn Fn(String) + Send + Sync>;

// ANCHOR: program
async fn produce(queue: &Queue<u32>, say: &Say) {
    for i in 0..10 {
        queue.put(i).await.expect("nobody shuts this queue down");
        say(format!("Produced: {i}"));
    }
}

async fn consume(queue: Queue<u32>, say: Say) {
    loop {
        let item = queue.get().await.expect("nobody shuts this queue down");
        say(format!("Consumed: {item}"));
        queue.task_done().expect("one task_done per item taken");
    }
}

/// The corrected program, on an unbounded queue (`maxsize == 0`, as in asyncio) or a bounded
/// one.
pub async fn fixed_main(maxsize: usize, say: Say) {
    let queue = if maxsize == 0 {
        Queue::new()
    } else {
        Queue::bounded(maxsize)
    };
    let consumer = spawn_named("consumer", consume(queue.clone(), say.clone()));
    produce(&queue, &say).await;
    queue.join().await;
    say("Joined: all items processed".to_string());
    consumer.abort();
    match consumer.await {
        Err(error) if error.is_cancelled() => {
            say("Consumer: cancelled while waiting in get()".to_string())
        }
        other => say(format!("Consumer: unexpected end: {other:?}")),
    }
    say(format!("FINISHED (qsize={})", queue.len()));
}
// ANCHOR_END: program

fn main() {
    let maxsize = match std::env::args().nth(1).map(|arg| arg.parse::<usize>()) {
        None => 0,
        Some(Ok(maxsize)) => maxsize,
        Some(Err(_)) => {
            eprintln!(
                "usage: producer_consumer [MAXSIZE]   (MAXSIZE: 0 for unbounded, or 1 and up)"
            );
            std::process::exit(2);
        }
    };
    // Each line also goes into the timeline when TINYIO_TRACE is set.
    let say: Say = Arc::new(|line| {
        tinyio::trace::log(&line);
        println!("{line}");
    });
    tinyio::run(fixed_main(maxsize, say));
}
