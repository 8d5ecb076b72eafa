//! The corrected seed program (`seed_fixed.py`) on tokio, for comparison with tinyio's
//! `examples/producer_consumer.rs`. It prints the same lines as CPython:
//! `cargo run -p bench --example seed_tokio`.
//!
//! tokio has no join-able queue, so the program builds its three parts from tokio's pieces:
//! - the queue is an unbounded `mpsc` channel (one consumer, as here);
//! - `task_done`/`join` is [`Unfinished`]: a count of unfinished items and a count of the times
//!   it reached zero, in a `watch` channel. `join` returns once the count is zero, or once it
//!   has *reached* zero since `join` started, even if a `put` raised it again before the joiner
//!   ran: asyncio's `join` behaves so (its `task_done` sets an `Event`, which releases the
//!   waiters even if a `put` clears it before they run);
//! - cancelling the consumer is a `oneshot` signal that the consumer `select!`s on next to its
//!   `recv`, so it can hand the receiver back and `main` can print the queue's size, as
//!   `qsize()` does.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, watch};

/// Where the program's lines go: standard output, or a test's list.
pub type Say = Arc<dyn Fn(String) + Send + Sync>;

// ANCHOR: unfinished
/// `task_done` and `join` for a channel: the unfinished count, and how many
/// times it has reached zero (so a zero that does not last is not missed).
#[derive(Clone)]
pub struct Unfinished(Arc<watch::Sender<(usize, u64)>>);

impl Unfinished {
    pub fn new() -> Unfinished {
        Unfinished(Arc::new(watch::channel((0, 0)).0))
    }

    /// One more item to handle (the counter part of `put`).
    pub fn add(&self) {
        self.0.send_modify(|(count, _)| *count += 1);
    }

    /// `task_done()`: one item handled.
    pub fn done(&self) {
        self.0.send_modify(|(count, zeros)| {
            *count -= 1;
            if *count == 0 {
                *zeros += 1;
            }
        });
    }

    /// `join()`: wait until every item added so far was handled.
    pub async fn join(&self) {
        let mut seen = self.0.subscribe();
        let (count, zeros) = *seen.borrow_and_update();
        if count > 0 {
            // The sender lives in `self`, so the channel cannot close.
            let _ = seen.wait_for(|&(_, now)| now != zeros).await;
        }
    }
}
// ANCHOR_END: unfinished

impl Default for Unfinished {
    fn default() -> Unfinished {
        Unfinished::new()
    }
}

// ANCHOR: sides
type Sender = mpsc::UnboundedSender<u32>;
type Receiver = mpsc::UnboundedReceiver<u32>;

async fn produce(queue: &Sender, unfinished: &Unfinished, say: &Say) {
    for i in 0..10 {
        unfinished.add();
        queue.send(i).expect("the consumer keeps the receiver");
        say(format!("Produced: {i}"));
    }
}

/// Handles items until `cancel` fires, then gives the receiver back.
async fn consume(
    mut queue: Receiver,
    unfinished: Unfinished,
    mut cancel: oneshot::Receiver<()>,
    say: Say,
) -> Receiver {
    loop {
        tokio::select! {
            biased;
            _ = &mut cancel => return queue,
            Some(item) = queue.recv() => {
                say(format!("Consumed: {item}"));
                unfinished.done(); // task_done()
            }
        }
    }
}

// ANCHOR_END: sides

// ANCHOR: program
/// The corrected program: produce, wait until every item is handled, stop
/// the consumer.
pub async fn fixed_main(say: Say) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let unfinished = Unfinished::new();
    let (cancel, cancelled) = oneshot::channel();
    let consumer = tokio::spawn(consume(
        receiver,
        unfinished.clone(),
        cancelled,
        say.clone(),
    ));
    produce(&sender, &unfinished, &say).await;
    unfinished.join().await;
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
