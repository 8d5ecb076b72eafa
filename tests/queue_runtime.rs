//! `Queue` on tinyio's runtime: whole programs, whose output must match, line for line, what
//! CPython's asyncio prints for the same program. The Python source of each program is in its
//! test's doc comment; the expected lines were printed by CPython 3.11 (or, for `shutdown`, which
//! needs 3.13, derived from asyncio's rules in `/work/shared/asyncio-semantics.md`).

use tinyio::{GetError, Queue, gather, run, spawn, yield_now};

mod common;
use common::Log as Out;

/// The lines of `text`, without the surrounding blank space.
fn lines(text: &str) -> Vec<String> {
    text.trim().lines().map(|l| l.trim().to_string()).collect()
}

async fn produce(queue: Queue<u32>, out: Out) {
    for i in 0..10 {
        queue.put(i).await.unwrap();
        out.push(format!("Produced: {i}"));
    }
}

// The seed program and its correction are tested in tests/examples.rs, on examples/.

/// The seed program kept in its gather-then-join shape, fixed with `shutdown` (Python 3.13):
/// the producer shuts the queue down when done, and the consumer stops once it is drained.
#[test]
fn seed_fixed_with_shutdown_keeps_the_gather_shape() {
    let out = Out::default();
    let o = out.clone();
    run(async move {
        let queue = Queue::bounded(2);
        let producer = async {
            produce(queue.clone(), o.clone()).await;
            queue.shutdown(false);
            o.push("Producer: shut the queue down");
        };
        let consumer = async {
            while let Ok(item) = queue.get().await {
                o.push(format!("Consumed: {item}"));
                queue.task_done().unwrap();
            }
            o.push("Consumer: queue shut down and drained");
        };
        gather!(producer, consumer).await;
        queue.join().await;
        o.push("Joined: all items processed");
    });
    // The pairs of the maxsize-2 run; after `Produced: 9` the producer shuts the queue down in
    // the same step; the consumer, woken by the put of 8, drains 8 and 9, then sees ShutDown
    // instead of waiting. The gather is then complete, and nothing is unfinished.
    let mut expected = Vec::new();
    for pair in [0, 2, 4, 6, 8] {
        expected.push(format!("Produced: {pair}"));
        expected.push(format!("Produced: {}", pair + 1));
        if pair == 8 {
            expected.push("Producer: shut the queue down".into());
        }
        expected.push(format!("Consumed: {pair}"));
        expected.push(format!("Consumed: {}", pair + 1));
    }
    expected.push("Consumer: queue shut down and drained".into());
    expected.push("Joined: all items processed".into());
    assert_eq!(out.lines(), expected);
}

/// One producer, two consumers that yield after each item, on a queue of maxsize 2.
///
/// ```python
/// async def produce(q, n):
///     for i in range(n):
///         await q.put(i)
///         print(f"Produced: {i}")
/// async def consume(name, q):
///     while True:
///         item = await q.get()
///         print(f"{name} consumed: {item}")
///         q.task_done()
///         await asyncio.sleep(0)
/// async def main():
///     q = asyncio.Queue(2)
///     a = asyncio.create_task(consume("A", q))
///     b = asyncio.create_task(consume("B", q))
///     await produce(q, 8)
///     await q.join()
///     print("Joined")
///     a.cancel(); b.cancel()
///     await asyncio.gather(a, b, return_exceptions=True)
///     print(f"FINISHED (qsize={q.qsize()})")
/// ```
#[test]
fn one_producer_two_consumers() {
    let out = Out::default();
    let o = out.clone();
    run(async move {
        let queue = Queue::bounded(2);
        let consumers = ["A", "B"].map(|name| {
            let (queue, o) = (queue.clone(), o.clone());
            spawn(async move {
                loop {
                    let item = queue.get().await.unwrap();
                    o.push(format!("{name} consumed: {item}"));
                    queue.task_done().unwrap();
                    yield_now().await;
                }
            })
        });
        for i in 0..8 {
            queue.put(i).await.unwrap();
            o.push(format!("Produced: {i}"));
        }
        queue.join().await;
        o.push("Joined");
        for consumer in &consumers {
            consumer.abort();
        }
        let ended = gather(consumers).await;
        assert!(
            ended
                .iter()
                .all(|r| r.as_ref().is_err_and(|e| e.is_cancelled()))
        );
        o.push(format!("FINISHED (qsize={})", queue.len()));
    });
    let expected = "
        Produced: 0
        Produced: 1
        A consumed: 0
        B consumed: 1
        Produced: 2
        Produced: 3
        A consumed: 2
        B consumed: 3
        Produced: 4
        Produced: 5
        A consumed: 4
        B consumed: 5
        Produced: 6
        Produced: 7
        A consumed: 6
        B consumed: 7
        Joined
        FINISHED (qsize=0)
    ";
    assert_eq!(out.lines(), lines(expected));
}

/// Two putters on a queue of maxsize 1, served in the order they started to wait.
///
/// ```python
/// async def putter(name, q, items):
///     for x in items:
///         print(f"{name} puts {x}")
///         await q.put(x)
///         print(f"{name} put {x}")
/// async def main():
///     q = asyncio.Queue(1)
///     p1 = asyncio.create_task(putter("P1", q, ["a1", "a2", "a3"]))
///     p2 = asyncio.create_task(putter("P2", q, ["b1", "b2", "b3"]))
///     await asyncio.sleep(0)
///     for _ in range(6):
///         item = await q.get()
///         print(f"main got {item}")
///         q.task_done()
///     await asyncio.gather(p1, p2)
///     await q.join()
///     print("done")
/// ```
#[test]
fn bounded_one_with_two_putters() {
    let out = Out::default();
    let o = out.clone();
    run(async move {
        let queue = Queue::bounded(1);
        let putters =
            [("P1", ["a1", "a2", "a3"]), ("P2", ["b1", "b2", "b3"])].map(|(name, items)| {
                let (queue, o) = (queue.clone(), o.clone());
                spawn(async move {
                    for x in items {
                        o.push(format!("{name} puts {x}"));
                        queue.put(x).await.unwrap();
                        o.push(format!("{name} put {x}"));
                    }
                })
            });
        yield_now().await;
        for _ in 0..6 {
            let item = queue.get().await.unwrap();
            o.push(format!("main got {item}"));
            queue.task_done().unwrap();
        }
        for result in gather(putters).await {
            result.unwrap();
        }
        queue.join().await;
        o.push("done");
    });
    let expected = "
        P1 puts a1
        P1 put a1
        P1 puts a2
        P2 puts b1
        main got a1
        P1 put a2
        P1 puts a3
        main got a2
        P2 put b1
        P2 puts b2
        main got b1
        P1 put a3
        main got a3
        P2 put b2
        P2 puts b3
        main got b2
        P2 put b3
        main got b3
        done
    ";
    assert_eq!(out.lines(), lines(expected));
}

/// A waiting getter aborted in the step that puts an item: the item is not lost, the next
/// getter gets it.
///
/// ```python
/// async def getter(name, q):
///     try:
///         item = await q.get()
///         print(f"{name} got {item}")
///     except asyncio.CancelledError:
///         print(f"{name} cancelled")
///         raise
/// async def main():
///     q = asyncio.Queue()
///     g1 = asyncio.create_task(getter("G1", q))
///     g2 = asyncio.create_task(getter("G2", q))
///     await asyncio.sleep(0)
///     q.put_nowait("x")
///     g1.cancel()
///     await asyncio.gather(g1, g2, return_exceptions=True)
///     print(f"qsize={q.qsize()}")
/// ```
///
/// asyncio prints `G1 cancelled`, `G2 got x`, `qsize=0`. In Rust a cancelled task is dropped at
/// its next turn, and a dropped future runs no more code, so G1 prints nothing; its `Get`'s
/// `Drop` passes the wake-up to G2, which then takes the item (one turn later than in asyncio).
#[test]
fn aborting_a_notified_getter_passes_the_item_on() {
    let out = Out::default();
    let o = out.clone();
    run(async move {
        let queue = Queue::new();
        let getters = ["G1", "G2"].map(|name| {
            let (queue, o) = (queue.clone(), o.clone());
            spawn(async move {
                let item = queue.get().await.unwrap();
                o.push(format!("{name} got {item}"));
            })
        });
        yield_now().await;
        queue.try_put("x").unwrap();
        getters[0].abort();
        let [g1, g2] = gather(getters).await.try_into().unwrap();
        o.push(format!(
            "G1 cancelled: {}",
            g1.is_err_and(|e| e.is_cancelled())
        ));
        o.push(format!("G2 finished: {}", g2.is_ok()));
        o.push(format!("qsize={}", queue.len()));
    });
    let expected = "
        G2 got x
        G1 cancelled: true
        G2 finished: true
        qsize=0
    ";
    assert_eq!(out.lines(), lines(expected));
}

/// `shutdown(true)` from one task while others wait in `put`, `get` and `join`: putters get
/// their items back, getters fail, and the join is released because the drained items were the
/// last unfinished ones.
#[test]
fn shutdown_immediate_releases_every_waiting_task() {
    let out = Out::default();
    let o = out.clone();
    run(async move {
        let full = Queue::bounded(1);
        full.try_put("queued").unwrap();
        let empty: Queue<&str> = Queue::new();
        let putter = {
            let (full, o) = (full.clone(), o.clone());
            spawn(async move {
                let error = full.put("late").await.unwrap_err();
                o.push(format!("putter got back {:?}", error.into_inner()));
            })
        };
        let getter = {
            let (empty, o) = (empty.clone(), o.clone());
            spawn(async move {
                let result = empty.get().await;
                o.push(format!("getter: {result:?}"));
                assert_eq!(result, Err(GetError));
            })
        };
        let joiner = {
            let (full, o) = (full.clone(), o.clone());
            spawn(async move {
                full.join().await;
                o.push("joiner released");
            })
        };
        yield_now().await; // all three now wait
        o.push("shutting down");
        full.shutdown(true);
        empty.shutdown(false);
        for result in gather([putter, getter, joiner]).await {
            result.unwrap();
        }
        o.push(format!(
            "qsize={} unfinished={}",
            full.len(),
            full.unfinished()
        ));
    });
    // Wake order: the joiner (the count reached zero), then the putter, both by `full`'s
    // shutdown, which wakes joiners, getters, putters in that order; then the getter, by `empty`'s.
    let expected = r#"
        shutting down
        joiner released
        putter got back "late"
        getter: Err(GetError)
        qsize=0 unfinished=0
    "#;
    assert_eq!(out.lines(), lines(expected));
}
