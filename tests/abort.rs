//! `JoinHandle::abort` against CPython's `task.cancel()`: programs where a task is aborted while
//! it waits in a queue's line, and in the same step another task puts, gets or joins. Each test
//! runs on tinyio the program of the same name in `tests/python/abort.py` and compares its lines
//! with what CPython printed (`tests/python/abort_<name>.out`, the same on 3.11 and 3.13).
//!
//! The rule they check: an aborted task's waiter stops taking notifications at the moment of the
//! abort (asyncio marks the waiter's future cancelled at once, and `_wakeup_next` skips it); a
//! wake-up it had already received is passed on when its future is dropped, at its next turn.

use tinyio::{JoinHandle, Queue, run, spawn, yield_now};

mod common;
use common::Log;

/// Awaits `task` and says how it ended, as the Python programs' `finish` does.
async fn finish<T>(log: &Log, name: &str, task: JoinHandle<T>) {
    match task.await {
        Ok(_) => log.push(format!("main {name} finished")),
        Err(error) if error.is_cancelled() => log.push(format!("main {name} cancelled")),
        Err(error) => log.push(format!("main {name} {error}")),
    }
}

/// Runs `program` with a fresh log and compares the log with CPython's output.
fn check<F>(python: &str, program: impl FnOnce(Log) -> F)
where
    F: std::future::Future<Output = ()>,
{
    let log = Log::default();
    run(program(log.clone()));
    let expected: Vec<String> = python.lines().map(str::to_string).collect();
    assert_eq!(log.lines(), expected);
}

async fn getter(log: Log, name: &'static str, queue: Queue<String>) {
    let item = queue.get().await.unwrap();
    log.push(format!("{name} got {item}"));
}

async fn putter(log: Log, name: &'static str, queue: Queue<String>, item: &'static str) {
    queue.put(item.to_string()).await.unwrap();
    log.push(format!("{name} put {item}"));
}

/// Issue 13's example. Before the fix, the aborted t2 absorbed the wake-up of 10, passed it on a
/// turn later, t3 also took 12, and t4 waited forever: `run` reported a deadlock.
#[test]
fn an_aborted_getter_takes_no_notification_four_getters() {
    check(
        include_str!("python/abort_four_getters.out"),
        |log| async move {
            let queue = Queue::<u32>::new();
            let (q, l) = (queue.clone(), log.clone());
            let t1 = spawn(async move {
                let item = q.get().await.unwrap();
                l.push(format!("t1 got {item}"));
                q.put(10).await.unwrap();
                yield_now().await;
                q.put(12).await.unwrap();
            });
            let (q, l) = (queue.clone(), log.clone());
            let t2 = spawn(async move {
                let item = q.get().await.unwrap();
                l.push(format!("t2 got {item}"));
            });
            let (q, l) = (queue.clone(), log.clone());
            let t3 = spawn(async move {
                let item = q.get().await.unwrap();
                l.push(format!("t3 got {item}"));
                let item = q.get().await.unwrap();
                l.push(format!("t3 got {item}"));
            });
            let (q, l) = (queue.clone(), log.clone());
            let t4 = spawn(async move {
                let item = q.get().await.unwrap();
                l.push(format!("t4 got {item}"));
                q.put(40).await.unwrap();
            });
            yield_now().await;
            queue.try_put(90).unwrap();
            t2.abort();
            finish(&log, "t1", t1).await;
            finish(&log, "t2", t2).await;
            finish(&log, "t3", t3).await;
            finish(&log, "t4", t4).await;
        },
    );
}

/// The first of two getters is aborted before the put: the second is notified by the put itself,
/// so it gets the item during main's first yield (before the fix: during the second).
#[test]
fn an_aborted_getter_takes_no_notification_second_getter() {
    check(
        include_str!("python/abort_second_getter.out"),
        |log| async move {
            let queue = Queue::new();
            let g1 = spawn(getter(log.clone(), "g1", queue.clone()));
            let g2 = spawn(getter(log.clone(), "g2", queue.clone()));
            yield_now().await;
            g1.abort();
            queue.try_put("1".to_string()).unwrap();
            for turn in 0..2 {
                log.push(format!("main yield {turn}"));
                yield_now().await;
            }
            finish(&log, "g1", g1).await;
            finish(&log, "g2", g2).await;
        },
    );
}

/// A getter notified and then aborted passes its wake-up on when it is dropped, if the buffer
/// holds an item then (the pass-on rule); the abort itself changes nothing for it.
#[test]
fn a_notified_then_aborted_getter_passes_the_wakeup_on() {
    check(
        include_str!("python/abort_notified_getter.out"),
        |log| async move {
            let queue = Queue::new();
            let gs: Vec<_> = ["g1", "g2", "g3"]
                .into_iter()
                .map(|name| spawn(getter(log.clone(), name, queue.clone())))
                .collect();
            yield_now().await;
            queue.try_put("a".to_string()).unwrap();
            gs[0].abort();
            log.push(format!("main took {}", queue.try_get().unwrap()));
            queue.try_put("b".to_string()).unwrap();
            yield_now().await;
            queue.try_put("c".to_string()).unwrap();
            for (name, g) in ["g1", "g2", "g3"].into_iter().zip(gs) {
                finish(&log, name, g).await;
            }
        },
    );
}

/// Two putters wait on a full queue; the first is aborted, then main gets: the second is
/// notified and puts.
#[test]
fn an_aborted_putter_takes_no_notification() {
    check(include_str!("python/abort_putters.out"), |log| async move {
        let queue = Queue::bounded(1);
        queue.try_put("x".to_string()).unwrap();
        let p1 = spawn(putter(log.clone(), "p1", queue.clone(), "a"));
        let p2 = spawn(putter(log.clone(), "p2", queue.clone(), "b"));
        yield_now().await;
        p1.abort();
        log.push(format!("main got {}", queue.try_get().unwrap()));
        log.push(format!("main got {}", queue.get().await.unwrap()));
        finish(&log, "p1", p1).await;
        finish(&log, "p2", p2).await;
        log.push(format!("main left {}", queue.len()));
    });
}

/// A joiner aborted in the step that releases the others: they are released, it is cancelled.
#[test]
fn an_aborted_joiner_is_cancelled_and_the_others_released() {
    check(include_str!("python/abort_joiners.out"), |log| async move {
        let queue = Queue::new();
        queue.try_put("x".to_string()).unwrap();
        let js: Vec<_> = ["j1", "j2", "j3"]
            .into_iter()
            .map(|name| {
                let (queue, log) = (queue.clone(), log.clone());
                spawn(async move {
                    queue.join().await;
                    log.push(format!("{name} released"));
                })
            })
            .collect();
        yield_now().await;
        js[1].abort();
        queue.task_done().unwrap();
        for (name, j) in ["j1", "j2", "j3"].into_iter().zip(js) {
            finish(&log, name, j).await;
        }
    });
}

/// Getters and putters on a bounded queue, a notified getter and a waiting putter aborted in the
/// same step as a get.
#[test]
fn aborted_getters_and_putters_in_one_step() {
    check(include_str!("python/abort_mixed.out"), |log| async move {
        let queue = Queue::bounded(1);
        let g1 = spawn(getter(log.clone(), "g1", queue.clone()));
        let g2 = spawn(getter(log.clone(), "g2", queue.clone()));
        yield_now().await;
        queue.try_put("a".to_string()).unwrap();
        let p1 = spawn(putter(log.clone(), "p1", queue.clone(), "b"));
        let p2 = spawn(putter(log.clone(), "p2", queue.clone(), "c"));
        yield_now().await;
        g2.abort();
        p2.abort();
        log.push(format!("main took {}", queue.try_get().unwrap()));
        let g3 = spawn(getter(log.clone(), "g3", queue.clone()));
        yield_now().await;
        queue.try_put("d".to_string()).unwrap();
        finish(&log, "g1", g1).await;
        finish(&log, "g2", g2).await;
        finish(&log, "p1", p1).await;
        finish(&log, "p2", p2).await;
        finish(&log, "g3", g3).await;
    });
}

/// A task that aborts itself and then returns in the same poll ends as cancelled, as asyncio's
/// `Task.__step` does with `_must_cancel`; its output is dropped.
#[test]
fn a_task_that_aborts_itself_and_returns_ends_as_cancelled() {
    check(
        include_str!("python/abort_cancels_itself.out"),
        |log| async move {
            // The task needs its own handle to abort itself: main sends it in, the task sends it back.
            let (own_tx, own_rx) = std::sync::mpsc::channel::<JoinHandle<u32>>();
            let (back_tx, back_rx) = std::sync::mpsc::channel::<JoinHandle<u32>>();
            let l = log.clone();
            let t = spawn(async move {
                let me = own_rx.try_recv().unwrap();
                me.abort();
                back_tx.send(me).unwrap();
                l.push("t returns");
                1
            });
            own_tx.send(t).unwrap();
            let t = loop {
                match back_rx.try_recv() {
                    Ok(t) => break t,
                    Err(_) => yield_now().await,
                }
            };
            finish(&log, "t", t).await;
        },
    );
}
