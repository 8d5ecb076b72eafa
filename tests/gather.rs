//! gather, gather! and try_gather: order, per-child wake-ups, errors, drops.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use tinyio::{gather, run, spawn, try_gather, yield_now};

mod common;
use common::{DropLog, Log};

async fn yield_times(n: usize) {
    for _ in 0..n {
        yield_now().await;
    }
}

#[test]
fn results_come_in_input_order_whatever_the_completion_order() {
    let log = Log::default();
    let out = run(gather([3, 1, 2].map(|turns| {
        let log = log.clone();
        async move {
            yield_times(turns).await;
            log.push(format!("child with {turns} yields done"));
            turns * 10
        }
    })));
    assert_eq!(out, [30, 10, 20]);
    assert_eq!(
        log.lines(),
        [
            "child with 1 yields done",
            "child with 2 yields done",
            "child with 3 yields done"
        ]
    );
}

#[test]
fn an_empty_gather_is_ready_on_its_first_poll() {
    let mut empty = gather(Vec::<std::future::Ready<u8>>::new());
    let mut cx = Context::from_waker(Waker::noop());
    assert_eq!(Pin::new(&mut empty).poll(&mut cx), Poll::Ready(vec![]));
}

/// Child `i` of a big gather: counts polls, finishes once its flag is set.
struct Child {
    index: usize,
    shared: Arc<Board>,
}

struct Board {
    polls: AtomicUsize,
    ready: Vec<AtomicBool>,
    wakers: Mutex<Vec<Option<Waker>>>,
}

impl Future for Child {
    type Output = usize;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        self.shared.polls.fetch_add(1, Ordering::SeqCst);
        if self.shared.ready[self.index].load(Ordering::SeqCst) {
            return Poll::Ready(self.index);
        }
        self.shared.wakers.lock().unwrap()[self.index] = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[test]
fn waking_one_of_ten_thousand_children_polls_exactly_one() {
    const N: usize = 10_000;
    const WOKEN: usize = 4321;
    let board = Arc::new(Board {
        polls: AtomicUsize::new(0),
        ready: (0..N).map(|_| AtomicBool::new(false)).collect(),
        wakers: Mutex::new(vec![None; N]),
    });
    let (results, polls_for_one_wake, first_round) = run({
        let board = board.clone();
        async move {
            let b = board.clone();
            let waker_task = spawn(async move {
                let first_round = b.polls.swap(0, Ordering::SeqCst);
                b.ready[WOKEN].store(true, Ordering::SeqCst);
                let w = b.wakers.lock().unwrap()[WOKEN].take().unwrap();
                w.wake();
                yield_now().await; // the gather runs now
                let polls = b.polls.load(Ordering::SeqCst);
                for (i, flag) in b.ready.iter().enumerate() {
                    flag.store(true, Ordering::SeqCst);
                    if let Some(w) = b.wakers.lock().unwrap()[i].take() {
                        w.wake();
                    }
                }
                (polls, first_round)
            });
            let results = gather((0..N).map(|index| Child {
                index,
                shared: board.clone(),
            }))
            .await;
            let (polls, first_round) = waker_task.await.unwrap();
            (results, polls, first_round)
        }
    });
    assert_eq!(first_round, N, "the first poll polls every child once");
    assert_eq!(
        polls_for_one_wake, 1,
        "a wake-up polls only the woken child"
    );
    assert_eq!(results, (0..N).collect::<Vec<_>>());
    // After the first round was counted: the woken child, then the other N - 1 once each.
    assert_eq!(board.polls.load(Ordering::SeqCst), 1 + (N - 1));
}

#[test]
fn gather_macro_mixes_types() {
    let (number, text, unit) = run(async {
        tinyio::gather!(
            async {
                yield_now().await;
                1u8
            },
            async { "two" },
            async {},
        )
        .await
    });
    assert_eq!((number, text, unit), (1, "two", ()));
}

#[test]
fn try_gather_returns_all_outputs_when_every_child_succeeds() {
    let out: Result<Vec<u32>, String> = run(try_gather((1..=3).map(|n| async move {
        yield_times(n as usize).await;
        Ok(n)
    })));
    assert_eq!(out, Ok(vec![1, 2, 3]));
}

#[test]
fn try_gather_returns_the_first_error_by_completion_and_drops_the_rest_in_input_order() {
    let log = Log::default();
    let children = (0..4).map(|i| {
        let log = log.clone();
        async move {
            let _guard = DropLog(log.clone(), format!("child {i} dropped"));
            // child 2 fails after one yield; child 3 would fail later; 0 and 1 never finish.
            match i {
                2 => {
                    yield_times(1).await;
                    Err(format!("child {i} failed"))
                }
                3 => {
                    yield_times(2).await;
                    Err(format!("child {i} failed"))
                }
                _ => {
                    yield_times(100).await;
                    Ok(i)
                }
            }
        }
    });
    let out = run(try_gather(children));
    assert_eq!(out, Err(String::from("child 2 failed")));
    assert_eq!(
        log.lines(),
        [
            "child 2 dropped",
            "child 0 dropped",
            "child 1 dropped",
            "child 3 dropped"
        ]
    );
}

#[test]
fn dropping_a_gather_drops_its_unfinished_children_in_input_order() {
    let log = Log::default();
    run(async {
        let children = (0..3).map(|i| {
            let log = log.clone();
            async move {
                let _guard = DropLog(log.clone(), format!("child {i} dropped"));
                yield_times(if i == 1 { 0 } else { 10 }).await;
            }
        });
        let mut g = Box::pin(gather(children));
        // Poll the gather once by hand, then drop it: child 1 finished, 0 and 2 did not.
        std::future::poll_fn(|cx| {
            assert!(g.as_mut().poll(cx).is_pending());
            Poll::Ready(())
        })
        .await;
        drop(g);
    });
    assert_eq!(
        log.lines(),
        ["child 1 dropped", "child 0 dropped", "child 2 dropped"]
    );
}

#[test]
fn a_child_that_keeps_waking_itself_does_not_starve_other_tasks() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        let other = spawn(async move { l2.push("other task ran") });
        let l3 = l.clone();
        gather([Box::pin(async move {
            for i in 0..3 {
                l3.push(format!("busy child turn {i}"));
                yield_now().await;
            }
        }) as Pin<Box<dyn Future<Output = ()>>>])
        .await;
        other.await.unwrap();
    });
    assert_eq!(
        log.lines(),
        [
            "busy child turn 0",
            "other task ran",
            "busy child turn 1",
            "busy child turn 2"
        ]
    );
}

#[test]
fn children_may_borrow_from_the_caller() {
    let words = [String::from("a"), String::from("bb")];
    let lengths = run(gather(words.iter().map(|w| async move { w.len() })));
    assert_eq!(lengths, [1, 2]);
}

/// asyncio's gather: children are tasks. On an error, siblings keep running (gather plain,
/// detached handles); when the gather is cancelled, every child is cancelled (gather
/// abort-on-drop handles).
#[test]
fn asyncio_style_gather_of_join_handles() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        // 1. An error: the sibling keeps running after the gather returned.
        let l2 = l.clone();
        let handles = vec![
            spawn(async { Err::<(), _>("failed") }),
            spawn(async move {
                yield_times(2).await;
                l2.push("sibling finished after the error");
                Ok(())
            }),
        ];
        let first = try_gather(handles.into_iter().map(|h| async move { h.await.unwrap() })).await;
        l.push(format!("gather returned {first:?}"));
        yield_times(3).await;

        // 2. Cancelling (dropping) a gather of abort-on-drop handles cancels every child.
        let l3 = l.clone();
        let child = spawn(async move {
            let _guard = DropLog(l3.clone(), "child cancelled".into());
            yield_times(10).await;
        })
        .abort_on_drop();
        yield_now().await; // the child starts
        let mut g = Box::pin(gather([child]));
        std::future::poll_fn(|cx| {
            assert!(g.as_mut().poll(cx).is_pending());
            Poll::Ready(())
        })
        .await;
        drop(g);
        yield_now().await;
        l.push("main done");
    });
    assert_eq!(
        log.lines(),
        [
            "gather returned Err(\"failed\")",
            "sibling finished after the error",
            "child cancelled",
            "main done"
        ]
    );
}
