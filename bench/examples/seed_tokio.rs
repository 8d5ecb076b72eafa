//! The corrected seed program (`seed_fixed.py`) on tokio, for comparison with tinyio's
//! `examples/producer_consumer.rs`. It prints the same lines as CPython:
//! `cargo run -p bench --example seed_tokio`.
//!
//! tokio has no join-able queue, so the program builds its three parts from tokio's pieces:
//! - the queue is an unbounded `mpsc` channel (one consumer, as here);
//! - `task_done`/`join` is a count of unfinished items in a `watch` channel: the producer adds
//!   one per item, the consumer takes one off per item handled, `join` waits to see zero;
//! - cancelling the consumer is a `oneshot` signal that the consumer `select!`s on next to its
//!   `recv`, so it can hand the receiver back and `main` can print the queue's size, as
//!   `qsize()` does.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, watch};

/// Where the program's lines go: standard output, or a test's list.
pub type Say = Arc<dyn Fn(String) + Send + Sync>;

// ANCHOR: program
async fn produce(queue: &mpsc::UnboundedSender<u32>, unfinished: &watch::Sender<usize>, say: &Say) {
    for i in 0..10 {
        unfinished.send_modify(|count| *count += 1);
        queue.send(i).expect("the consumer keeps the receiver");
        say(format!("Produced: {i}"));
    }
}

/// Handles items until `cancel` fires, then gives the receiver back.
async fn consume(
    mut queue: mpsc::UnboundedReceiver<u32>,
    unfinished: watch::Sender<usize>,
    mut cancel: oneshot::Receiver<()>,
    say: Say,
) -> mpsc::UnboundedReceiver<u32> {
    loop {
        tokio::select! {
            biased;
            _ = &mut cancel => return queue,
            Some(item) = queue.recv() => {
                say(format!("Consumed: {item}"));
                unfinished.send_modify(|count| *count -= 1); // task_done()
            }
        }
    }
}

/// The corrected program: produce, wait until every item is handled, stop the consumer.
pub async fn fixed_main(say: Say) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let (unfinished, mut all_done) = watch::channel(0);
    let (cancel, cancelled) = oneshot::channel();
    let consumer = tokio::spawn(consume(
        receiver,
        unfinished.clone(),
        cancelled,
        say.clone(),
    ));
    produce(&sender, &unfinished, &say).await;
    all_done
        .wait_for(|count| *count == 0)
        .await
        .expect("main keeps a sender"); // join()
    say("Joined: all items processed".to_string());
    cancel.send(()).expect("the consumer is waiting");
    let receiver = consumer.await.expect("the consumer does not panic");
    say("Consumer: cancelled while waiting in get()".to_string());
    say(format!("FINISHED (qsize={})", receiver.len()));
}
// ANCHOR_END: program

#[tokio::main(flavor = "current_thread")]
async fn main() {
    fixed_main(Arc::new(|line| println!("{line}"))).await;
}
