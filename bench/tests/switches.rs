//! How many times each side of W1 bounded 1 is polled: the number of task switches a design
//! needs, which the timings alone do not show. Chapter 90 quotes these counts.
//!
//! asyncio's queue *notifies* a waiting putter, which then checks for room in its own turn, so
//! with room for one item each item costs the producer a turn and the consumer a turn
//! (`bench/python/switches.py` counts them in CPython; its output is recorded in
//! `switches.out`), and tinyio does the same. flume *hands over*: a receiver that frees a slot
//! moves the waiting sender's item into the channel itself, and the sender finds its send done.
//! It needs half the turns.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

/// Counts the polls of the future it wraps.
struct Counted<F> {
    future: Pin<Box<F>>,
    polls: Arc<AtomicUsize>,
}

impl<F: Future> Future for Counted<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.fetch_add(1, Ordering::Relaxed);
        self.future.as_mut().poll(cx)
    }
}

fn counted<F: Future>(future: F) -> (Counted<F>, Arc<AtomicUsize>) {
    let polls = Arc::new(AtomicUsize::new(0));
    let counted = Counted {
        future: Box::pin(future),
        polls: polls.clone(),
    };
    (counted, polls)
}

const ITEMS: u64 = 10_000;

/// `(producer polls, consumer polls)` of W1 bounded 1 on tinyio.
fn tinyio_polls() -> (usize, usize) {
    tinyio::run(async {
        let queue = tinyio::Queue::bounded(1);
        let sender = queue.clone();
        let (producer, produced) = counted(async move {
            for i in 0..ITEMS {
                sender.put(i).await.unwrap();
            }
        });
        let (consumer, consumed) = counted(async move {
            for _ in 0..ITEMS {
                queue.get().await.unwrap();
            }
        });
        let producer = tinyio::spawn(producer);
        let consumer = tinyio::spawn(consumer);
        producer.await.unwrap();
        consumer.await.unwrap();
        (
            produced.load(Ordering::Relaxed),
            consumed.load(Ordering::Relaxed),
        )
    })
}

/// `(producer polls, consumer polls)` of W1 bounded 1 on async-executor with flume, as the
/// bench runs it.
fn flume_polls() -> (usize, usize) {
    let executor = async_executor::Executor::new();
    let (sender, receiver) = flume::bounded(1);
    let (producer, produced) = counted(async move {
        for i in 0..ITEMS {
            sender.send_async(i).await.unwrap();
        }
    });
    let (consumer, consumed) = counted(async move {
        for _ in 0..ITEMS {
            receiver.recv_async().await.unwrap();
        }
    });
    futures::executor::block_on(executor.run(async {
        let producer = executor.spawn(producer);
        let consumer = executor.spawn(consumer);
        producer.await;
        consumer.await;
    }));
    (
        produced.load(Ordering::Relaxed),
        consumed.load(Ordering::Relaxed),
    )
}

/// The counts CPython printed, from `bench/python/switches.out`: `(items, producer, consumer)`.
fn cpython_resumptions() -> (usize, usize, usize) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/python/switches.out");
    let text = std::fs::read_to_string(path).expect("bench/python/switches.out");
    let number = |key: &str| -> usize {
        text.lines()
            .find_map(|line| line.strip_prefix(key))
            .and_then(|rest| rest.trim().parse().ok())
            .unwrap_or_else(|| panic!("switches.out has no line `{key} N`"))
    };
    (
        number("items "),
        number("producer resumed "),
        number("consumer resumed "),
    )
}

#[test]
fn tinyio_switches_as_often_as_cpython_and_flume_half_as_often() {
    let items = ITEMS as usize;
    let (cpython_items, cpython_producer, cpython_consumer) = cpython_resumptions();
    assert_eq!(
        cpython_items, items,
        "switches.py and this test move as many items"
    );
    let (producer, consumer) = tinyio_polls();
    assert!(
        producer.abs_diff(cpython_producer) <= 2 && consumer.abs_diff(cpython_consumer) <= 2,
        "tinyio: producer {producer}, consumer {consumer} polls for {items} items; CPython \
         resumes them {cpython_producer} and {cpython_consumer} times"
    );
    let (producer, consumer) = flume_polls();
    assert!(
        producer.abs_diff(items / 2) <= 2 && consumer.abs_diff(items / 2) <= 2,
        "flume: producer {producer}, consumer {consumer} polls for {items} items"
    );
}
