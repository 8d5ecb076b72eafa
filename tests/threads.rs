//! The multi-threaded runtime: the same primitives, correct across threads. The tests check what
//! is the same in every interleaving (counts, sums, no loss, no duplicate), each bounded in
//! count and time, and repeat small runs to shake out races.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tinyio::{Queue, Runtime, gather, sleep, spawn, spawn_blocking, yield_now};

fn pool() -> tinyio::MultiThread {
    Runtime::new().workers(4)
}

#[test]
fn spawn_and_join_on_four_workers() {
    for _ in 0..20 {
        let total = pool().run(async {
            let handles: Vec<_> = (1..=100u64)
                .map(|n| {
                    spawn(async move {
                        yield_now().await;
                        n
                    })
                })
                .collect();
            let mut total = 0;
            for handle in handles {
                total += handle.await.unwrap();
            }
            total
        });
        assert_eq!(total, 5050);
    }
}

#[test]
fn the_tasks_really_run_on_several_threads() {
    let threads = pool().run(async {
        let handles: Vec<_> = (0..64)
            .map(|_| {
                spawn(async {
                    // Busy for a moment so that other workers pick up the other tasks.
                    std::thread::sleep(Duration::from_millis(2));
                    std::thread::current().id()
                })
            })
            .collect();
        let mut ids = BTreeSet::new();
        for handle in handles {
            ids.insert(format!("{:?}", handle.await.unwrap()));
        }
        ids.len()
    });
    assert!(threads >= 2, "all tasks ran on one thread");
}

#[test]
fn gather_works_across_threads() {
    let out = pool().run(async {
        let handles = (0..50u32).map(|i| spawn(async move { i * 2 }));
        gather(handles).await
    });
    let out: Vec<u32> = out.into_iter().map(Result::unwrap).collect();
    assert_eq!(out, (0..50).map(|i| i * 2).collect::<Vec<_>>());
}

// ANCHOR: queue_stress
/// Producers put distinct items, consumers take them; every item must arrive exactly once, the
/// queue must never hold more than its capacity, and `join` must return only when every item
/// was marked done.
fn queue_stress(maxsize: Option<usize>, producers: usize, consumers: usize, per_producer: usize) {
    let total = producers * per_producer;
    // ANCHOR: queue_stress_run
    let (seen, done_at_join, max_len) = pool().run(async move {
        let queue = match maxsize {
            Some(n) => Queue::bounded(n),
            None => Queue::new(),
        };
        let seen = Arc::new(Mutex::new(Vec::with_capacity(total)));
        let done = Arc::new(AtomicUsize::new(0));
        let max_len = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..consumers)
            .map(|_| {
                let (queue, seen, done, max_len) =
                    (queue.clone(), seen.clone(), done.clone(), max_len.clone());
                spawn(async move {
                    while let Ok(item) = queue.get().await {
                        max_len.fetch_max(queue.len(), Ordering::SeqCst);
                        seen.lock().unwrap().push(item);
                        done.fetch_add(1, Ordering::SeqCst);
                        queue.task_done().unwrap();
                    }
                })
            })
            .collect();
        let producers: Vec<_> = (0..producers)
            .map(|p| {
                let (queue, max_len) = (queue.clone(), max_len.clone());
                spawn(async move {
                    for i in 0..per_producer {
                        queue.put(p * per_producer + i).await.unwrap();
                        max_len.fetch_max(queue.len(), Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for producer in producers {
            producer.await.unwrap();
        }
        queue.join().await;
        let done_at_join = done.load(Ordering::SeqCst);
        queue.shutdown(false);
        for worker in workers {
            worker.await.unwrap();
        }
        let seen = seen.lock().unwrap().clone();
        (seen, done_at_join, max_len.load(Ordering::SeqCst))
    });
    // ANCHOR_END: queue_stress_run
    // ANCHOR: queue_stress_checks
    assert_eq!(
        done_at_join, total,
        "join returned before every item was done"
    );
    let mut sorted = seen;
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        (0..total).collect::<Vec<_>>(),
        "an item was lost or duplicated"
    );
    if let Some(maxsize) = maxsize {
        assert!(max_len <= maxsize, "capacity {maxsize} exceeded: {max_len}");
    }
    // ANCHOR_END: queue_stress_checks
}
// ANCHOR_END: queue_stress

#[test]
fn queue_stress_bounded_1() {
    for _ in 0..5 {
        queue_stress(Some(1), 3, 3, 300);
    }
}

#[test]
fn queue_stress_bounded_8() {
    for _ in 0..5 {
        queue_stress(Some(8), 4, 4, 500);
    }
}

#[test]
fn queue_stress_unbounded() {
    for _ in 0..5 {
        queue_stress(None, 4, 2, 1000);
    }
}

#[test]
fn real_timers_and_spawn_blocking_work_on_workers() {
    let out = pool().run(async {
        let napper = spawn(async {
            sleep(Duration::from_millis(20)).await;
            "slept"
        });
        let blocking = spawn_blocking(|| 40 + 2);
        (napper.await.unwrap(), blocking.await.unwrap())
    });
    assert_eq!(out, ("slept", 42));
}

#[test]
fn a_deadlock_is_reported_with_several_workers() {
    for _ in 0..20 {
        let report = pool()
            .try_run(async {
                let queue = Queue::<u32>::new();
                let q = queue.clone();
                let consumer = tinyio::spawn_named("consumer", async move { q.get().await });
                consumer.await.unwrap()
            })
            .unwrap_err();
        assert_eq!(
            report.blocked(),
            [
                "main: JoinHandle of consumer",
                "consumer: Queue::get (queue empty, 0 unfinished)"
            ]
        );
    }
}

#[test]
fn no_false_report_while_a_worker_is_busy() {
    for _ in 0..10 {
        let out = pool().run(async {
            let queue = Queue::new();
            let q = queue.clone();
            // One task blocks its worker for a while, then puts; every other worker is idle
            // and main waits on the queue meanwhile.
            drop(spawn(async move {
                std::thread::sleep(Duration::from_millis(20));
                q.try_put(7).unwrap();
            }));
            queue.get().await.unwrap()
        });
        assert_eq!(out, 7);
    }
}

#[test]
#[should_panic(expected = "main gives up")]
fn a_panic_in_main_propagates_from_the_workers() {
    pool().run(async {
        yield_now().await;
        panic!("main gives up");
    });
}

#[test]
fn pending_tasks_are_dropped_when_main_returns() {
    let token = Arc::new(());
    let t = token.clone();
    pool().run(async move {
        let t = t.clone();
        drop(spawn(async move {
            let _keep = t;
            std::future::pending::<()>().await;
        }));
        yield_now().await;
    });
    assert_eq!(Arc::strong_count(&token), 1);
}

#[test]
#[should_panic(expected = "at least one worker thread")]
fn zero_workers_is_refused() {
    let _ = Runtime::new().workers(0);
}
