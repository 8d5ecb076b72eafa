//! `Queue` shared by OS threads, each running `tinyio::block_on`: producers and consumers race
//! for real. Every item must arrive exactly once and in each producer's order, the capacity must
//! never be exceeded, cancelled gets and puts must lose and duplicate nothing, and `join` must
//! return exactly when every item is done.
//!
//! Each scenario runs under a watchdog, so a lost wake-up fails the test instead of hanging it.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

use tinyio::{Queue, block_on};

const PRODUCERS: usize = 3;
const CONSUMERS: usize = 3;
const PER_PRODUCER: usize = 1000;
const TOTAL: usize = PRODUCERS * PER_PRODUCER;

/// Runs `scenario` on its own thread and fails if it does not finish within 20 seconds (it
/// takes well under one; the margin is for a loaded machine).
fn with_watchdog(scenario: impl FnOnce() + Send + 'static) {
    let (done, finished) = mpsc::channel();
    let runner = thread::spawn(move || {
        scenario();
        let _ = done.send(());
    });
    match finished.recv_timeout(Duration::from_secs(20)) {
        Ok(()) => runner.join().unwrap(),
        // The scenario panicked: re-raise its panic.
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(runner.join().unwrap_err())
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("the scenario hung: a wake-up was lost or join never returned")
        }
    }
}

/// Item number `i` of producer `p`.
fn item(p: usize, i: usize) -> usize {
    p * PER_PRODUCER + i
}

/// Checks that `len() <= maxsize`, as this thread sees it.
fn check_capacity(queue: &Queue<usize>) {
    if let Some(max) = queue.maxsize() {
        let len = queue.len();
        assert!(
            len <= max,
            "capacity exceeded: {len} items in a queue of {max}"
        );
    }
}

/// Checks that the consumers together got every item exactly once, and each consumer got each
/// producer's items in the order they were put.
fn check_delivery(received: Vec<Vec<usize>>) {
    for got in &received {
        for p in 0..PRODUCERS {
            let mine: Vec<usize> = got
                .iter()
                .copied()
                .filter(|&x| x / PER_PRODUCER == p)
                .collect();
            assert!(
                mine.windows(2).all(|w| w[0] < w[1]),
                "producer {p}'s items out of order"
            );
        }
    }
    let mut all: Vec<usize> = received.into_iter().flatten().collect();
    all.sort_unstable();
    assert_eq!(
        all,
        (0..TOTAL).collect::<Vec<_>>(),
        "lost or duplicated items"
    );
}

/// Consumes with `get().await` until the queue is shut down and drained, marking each item done
/// after counting it in `handled`.
fn consumer(queue: Queue<usize>, handled: Arc<AtomicUsize>) -> thread::JoinHandle<Vec<usize>> {
    thread::spawn(move || {
        block_on(async {
            let mut got = Vec::new();
            while let Ok(x) = queue.get().await {
                check_capacity(&queue);
                got.push(x);
                handled.fetch_add(1, Ordering::SeqCst);
                queue.task_done().unwrap();
            }
            got
        })
    })
}

/// Producers, consumers, then `join` from the main thread and two more threads.
fn producers_consumers_join(queue: Queue<usize>) {
    let handled = Arc::new(AtomicUsize::new(0));
    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|_| consumer(queue.clone(), handled.clone()))
        .collect();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let queue = queue.clone();
            thread::spawn(move || {
                block_on(async {
                    for i in 0..PER_PRODUCER {
                        queue.put(item(p, i)).await.unwrap();
                        check_capacity(&queue);
                    }
                })
            })
        })
        .collect();
    for producer in producers {
        producer.join().unwrap();
    }
    // Everything is put: the count reaches zero exactly when the last item is done.
    let joiners: Vec<_> = (0..2)
        .map(|_| {
            let (queue, handled) = (queue.clone(), handled.clone());
            thread::spawn(move || {
                block_on(queue.join());
                assert_eq!(handled.load(Ordering::SeqCst), TOTAL);
            })
        })
        .collect();
    block_on(queue.join());
    assert_eq!(
        handled.load(Ordering::SeqCst),
        TOTAL,
        "join returned too early"
    );
    assert_eq!(queue.unfinished(), 0);
    for joiner in joiners {
        joiner.join().unwrap();
    }
    queue.shutdown(false);
    let received = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    check_delivery(received);
    assert!(queue.is_empty());
}

#[test]
fn bounded_queue_with_racing_producers_and_consumers() {
    with_watchdog(|| producers_consumers_join(Queue::bounded(4)));
}

#[test]
fn bounded_one_queue_with_racing_producers_and_consumers() {
    with_watchdog(|| producers_consumers_join(Queue::bounded(1)));
}

#[test]
fn unbounded_queue_with_racing_producers_and_consumers() {
    with_watchdog(|| producers_consumers_join(Queue::new()));
}

/// Polls `future` once with a waker that does nothing, then drops it: a cancel that may land
/// between a wake-up and the future's next poll. Returns the output if it was ready.
fn poll_once_then_cancel<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

#[test]
fn cancelled_gets_and_puts_lose_and_duplicate_nothing() {
    with_watchdog(|| {
        let queue: Queue<usize> = Queue::bounded(2);
        let handled = Arc::new(AtomicUsize::new(0));
        let cancels = Arc::new(AtomicUsize::new(0));
        // Impatient consumers: every other get is polled once and cancelled if it must wait.
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let (queue, handled, cancels) = (queue.clone(), handled.clone(), cancels.clone());
                thread::spawn(move || {
                    let mut got = Vec::new();
                    let mut impatient = true;
                    loop {
                        impatient = !impatient;
                        let result = if impatient {
                            match poll_once_then_cancel(queue.get()) {
                                Some(result) => result,
                                None => {
                                    cancels.fetch_add(1, Ordering::Relaxed);
                                    continue;
                                }
                            }
                        } else {
                            block_on(queue.get())
                        };
                        let Ok(x) = result else { break };
                        check_capacity(&queue);
                        got.push(x);
                        handled.fetch_add(1, Ordering::SeqCst);
                        queue.task_done().unwrap();
                    }
                    got
                })
            })
            .collect();
        // Impatient producers: every other put is polled once and cancelled if it must wait
        // (dropping its item); then the same item is put again, patiently.
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|p| {
                let (queue, cancels) = (queue.clone(), cancels.clone());
                thread::spawn(move || {
                    for i in 0..PER_PRODUCER {
                        if i % 2 == 0 && poll_once_then_cancel(queue.put(item(p, i))).is_some() {
                            check_capacity(&queue);
                            continue;
                        }
                        if i % 2 == 0 {
                            cancels.fetch_add(1, Ordering::Relaxed);
                        }
                        block_on(queue.put(item(p, i))).unwrap();
                        check_capacity(&queue);
                    }
                })
            })
            .collect();
        for producer in producers {
            producer.join().unwrap();
        }
        block_on(queue.join());
        assert_eq!(handled.load(Ordering::SeqCst), TOTAL);
        queue.shutdown(false);
        let received = consumers.into_iter().map(|c| c.join().unwrap()).collect();
        check_delivery(received);
        assert!(
            cancels.load(Ordering::Relaxed) > 0,
            "the scenario cancelled nothing, so it tested nothing"
        );
    });
}

#[test]
fn shutdown_wakes_threads_that_wait() {
    with_watchdog(|| {
        let full: Queue<usize> = Queue::bounded(2);
        full.try_put(0).unwrap();
        full.try_put(1).unwrap();
        let empty: Queue<usize> = Queue::new();
        let putters: Vec<_> = (0..3)
            .map(|p| {
                let full = full.clone();
                thread::spawn(move || block_on(full.put(10 + p)).map_err(|e| e.into_inner()))
            })
            .collect();
        let getters: Vec<_> = (0..3)
            .map(|_| {
                let empty = empty.clone();
                thread::spawn(move || block_on(empty.get()))
            })
            .collect();
        let joiner = {
            let full = full.clone();
            thread::spawn(move || block_on(full.join()))
        };
        // Give the threads time to start waiting. The outcome is the same if some have not
        // started yet (they then fail at once); the pause only makes the wake-ups likely.
        thread::sleep(Duration::from_millis(20));
        full.shutdown(true);
        empty.shutdown(false);
        joiner.join().unwrap(); // both items drained: the count reached zero
        let mut returned: Vec<usize> = putters
            .into_iter()
            .map(|t| {
                t.join()
                    .unwrap()
                    .expect_err("a put into a shut-down queue fails")
            })
            .collect();
        returned.sort_unstable();
        assert_eq!(returned, [10, 11, 12], "every item came back");
        assert_eq!((full.len(), full.unfinished()), (0, 0));
        for getter in getters {
            assert_eq!(getter.join().unwrap(), Err(tinyio::GetError));
        }
    });
}
