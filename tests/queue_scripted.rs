//! `Queue` step by step: futures polled by hand with wakers that count their wake-ups, so every
//! interleaving is scripted. No threads, no sleeps, no runtime.
//!
//! Each test pins one rule of asyncio's `Queue` (see `/work/shared/asyncio-semantics.md` §2).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use futures_task::ArcWake;
use tinyio::queue::{Get, Join, Put};
use tinyio::{GetError, PutError, Queue, TaskDoneError, TryGetError, TryPutError};

/// A waker that counts how often it was woken.
struct Wakes(AtomicUsize);

impl ArcWake for Wakes {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// One waiting party: its counting waker.
struct Party {
    wakes: Arc<Wakes>,
    waker: Waker,
}

impl Party {
    fn new() -> Party {
        let wakes = Arc::new(Wakes(AtomicUsize::new(0)));
        let waker = futures_task::waker(wakes.clone());
        Party { wakes, waker }
    }

    /// How many times this party was woken.
    fn woken(&self) -> usize {
        self.wakes.0.load(Ordering::SeqCst)
    }

    /// How many clones of the waker exist besides this party's own (stored by a future).
    fn stored_wakers(&self) -> usize {
        Arc::strong_count(&self.wakes) - 2
    }

    fn poll<F: Future + Unpin>(&self, future: &mut F) -> Poll<F::Output> {
        Pin::new(future).poll(&mut Context::from_waker(&self.waker))
    }
}

fn parties<const N: usize>() -> [Party; N] {
    std::array::from_fn(|_| Party::new())
}

// ---------------------------------------------------------------------------------------------
// Fast paths

#[test]
fn fast_paths_are_ready_on_the_first_poll_without_waking_or_storing_a_waker() {
    let p = Party::new();
    let unbounded = Queue::new();
    for i in 0..100 {
        assert_eq!(p.poll(&mut unbounded.put(i)), Poll::Ready(Ok(())));
    }
    let bounded = Queue::bounded(2);
    assert_eq!(p.poll(&mut bounded.put(1)), Poll::Ready(Ok(())));
    assert_eq!(p.poll(&mut bounded.put(2)), Poll::Ready(Ok(())));
    assert_eq!(p.poll(&mut bounded.get()), Poll::Ready(Ok(1)));
    assert_eq!(p.poll(&mut unbounded.get()), Poll::Ready(Ok(0)));

    let fresh: Queue<u8> = Queue::new();
    assert_eq!(
        p.poll(&mut fresh.join()),
        Poll::Ready(()),
        "nothing ever put"
    );
    fresh.try_put(1).unwrap();
    fresh.task_done().unwrap();
    assert_eq!(p.poll(&mut fresh.join()), Poll::Ready(()), "all done");

    assert_eq!(p.woken(), 0, "a fast path never yields (wakes itself)");
    assert_eq!(p.stored_wakers(), 0, "a fast path never registers");
}

#[test]
fn pending_futures_store_their_waker_without_waking_it() {
    let p = Party::new();
    let queue = Queue::bounded(1);
    let mut get = queue.get();
    assert!(p.poll(&mut get).is_pending());
    queue.try_put(1).unwrap();
    let mut put = queue.put(2);
    assert!(p.poll(&mut put).is_pending());
    let mut join = queue.join();
    assert!(p.poll(&mut join).is_pending());
    // The put notified the getter; put and join are still waiting.
    assert_eq!(p.woken(), 1);
    assert_eq!(p.stored_wakers(), 2);
}

// ---------------------------------------------------------------------------------------------
// Getters: one wake-up per put, FIFO, barging, cancellation

#[test]
fn a_put_wakes_only_the_first_waiting_getter() {
    let [a, b] = parties();
    let queue = Queue::new();
    let (mut get_a, mut get_b) = (queue.get(), queue.get());
    assert!(a.poll(&mut get_a).is_pending());
    assert!(b.poll(&mut get_b).is_pending());

    queue.try_put("x").unwrap();
    assert_eq!((a.woken(), b.woken()), (1, 0));
    assert_eq!(a.poll(&mut get_a), Poll::Ready(Ok("x")));

    queue.try_put("y").unwrap();
    assert_eq!((a.woken(), b.woken()), (1, 1));
    assert_eq!(b.poll(&mut get_b), Poll::Ready(Ok("y")));
}

#[test]
fn two_puts_wake_two_getters_in_order() {
    let [a, b, c] = parties();
    let queue = Queue::new();
    let mut gets = [queue.get(), queue.get(), queue.get()];
    for (party, get) in [&a, &b, &c].into_iter().zip(&mut gets) {
        assert!(party.poll(get).is_pending());
    }
    queue.try_put(1).unwrap();
    queue.try_put(2).unwrap();
    assert_eq!((a.woken(), b.woken(), c.woken()), (1, 1, 0));
    assert_eq!(
        b.poll(&mut gets[1]),
        Poll::Ready(Ok(1)),
        "whoever runs first takes the front"
    );
    assert_eq!(a.poll(&mut gets[0]), Poll::Ready(Ok(2)));
}

#[test]
fn a_notified_getter_that_is_dropped_passes_the_wake_up_on() {
    let [a, b, c] = parties();
    let queue = Queue::new();
    let (mut get_a, mut get_b, mut get_c) = (queue.get(), queue.get(), queue.get());
    assert!(a.poll(&mut get_a).is_pending());
    assert!(b.poll(&mut get_b).is_pending());
    assert!(c.poll(&mut get_c).is_pending());

    queue.try_put(7).unwrap();
    assert_eq!((a.woken(), b.woken()), (1, 0));
    drop(get_a); // cancelled after its wake-up, before acting on it
    assert_eq!(b.woken(), 1, "the wake-up went on to the next getter");
    assert_eq!(c.woken(), 0, "and to only one");
    assert_eq!(queue.len(), 1, "the cancelled getter took nothing");
    assert_eq!(b.poll(&mut get_b), Poll::Ready(Ok(7)));
    assert!(c.poll(&mut get_c).is_pending());
}

#[test]
fn a_cancelled_getter_that_was_not_notified_wakes_nobody_and_is_skipped() {
    let [a, b] = parties();
    let queue = Queue::new();
    let (mut get_a, mut get_b) = (queue.get(), queue.get());
    assert!(a.poll(&mut get_a).is_pending());
    assert!(b.poll(&mut get_b).is_pending());
    drop(get_a);
    assert_eq!((a.woken(), b.woken()), (0, 0));
    assert_eq!(a.stored_wakers(), 0, "its waker left with it");

    queue.try_put(1).unwrap();
    assert_eq!(
        (a.woken(), b.woken()),
        (0, 1),
        "the dead getter absorbed no wake-up"
    );
    assert_eq!(b.poll(&mut get_b), Poll::Ready(Ok(1)));
}

#[test]
fn a_notified_getter_dropped_after_a_barge_passes_nothing_on() {
    let [a, b] = parties();
    let queue = Queue::new();
    let (mut get_a, mut get_b) = (queue.get(), queue.get());
    assert!(a.poll(&mut get_a).is_pending());
    assert!(b.poll(&mut get_b).is_pending());
    queue.try_put(1).unwrap();
    assert_eq!(
        queue.try_get(),
        Ok(1),
        "barging: try_get takes the item first"
    );
    drop(get_a);
    assert_eq!(b.woken(), 0, "no item left, so nothing to pass on");
    assert!(b.poll(&mut get_b).is_pending());
}

#[test]
fn a_getter_that_loses_the_race_waits_again_at_the_back() {
    let [a, b] = parties();
    let queue = Queue::new();
    let (mut get_a, mut get_b) = (queue.get(), queue.get());
    assert!(a.poll(&mut get_a).is_pending());
    assert!(b.poll(&mut get_b).is_pending());

    queue.try_put("x").unwrap();
    assert_eq!(a.woken(), 1);
    let mut barger = queue.get();
    assert_eq!(
        Party::new().poll(&mut barger),
        Poll::Ready(Ok("x")),
        "a new get barges in"
    );
    assert!(
        a.poll(&mut get_a).is_pending(),
        "a finds nothing and waits again"
    );

    queue.try_put("y").unwrap();
    assert_eq!(
        (a.woken(), b.woken()),
        (1, 1),
        "b is first now; a went to the back"
    );
    assert_eq!(b.poll(&mut get_b), Poll::Ready(Ok("y")));
    queue.try_put("z").unwrap();
    assert_eq!(a.woken(), 2);
    assert_eq!(a.poll(&mut get_a), Poll::Ready(Ok("z")));
}

#[test]
fn a_spurious_poll_keeps_the_place_in_line_and_updates_the_waker() {
    let [a, a_later, b] = parties();
    let queue = Queue::new();
    let (mut get_a, mut get_b) = (queue.get(), queue.get());
    assert!(a.poll(&mut get_a).is_pending());
    assert!(b.poll(&mut get_b).is_pending());
    // Polled again without a wake-up (as gather or a self-wake would), with another waker.
    assert!(a_later.poll(&mut get_a).is_pending());
    assert_eq!(a.stored_wakers(), 0, "the old waker was replaced");
    // And again with the same waker: nothing changes.
    assert!(a_later.poll(&mut get_a).is_pending());
    assert_eq!(a_later.stored_wakers(), 1);

    queue.try_put(1).unwrap();
    assert_eq!(
        (a.woken(), a_later.woken(), b.woken()),
        (0, 1, 0),
        "a is still first"
    );
    assert_eq!(a_later.poll(&mut get_a), Poll::Ready(Ok(1)));
}

#[test]
fn a_spurious_poll_does_not_take_an_item_meant_for_the_getter_ahead() {
    let [a, b] = parties();
    let queue = Queue::new();
    let (mut get_a, mut get_b) = (queue.get(), queue.get());
    assert!(a.poll(&mut get_a).is_pending());
    assert!(b.poll(&mut get_b).is_pending());
    queue.try_put(1).unwrap();
    assert!(
        b.poll(&mut get_b).is_pending(),
        "b was not notified: it keeps waiting"
    );
    assert_eq!(a.poll(&mut get_a), Poll::Ready(Ok(1)));
}

// ---------------------------------------------------------------------------------------------
// Putters: bounded queues

#[test]
fn waiting_putters_are_served_in_order_one_per_get() {
    let [a, b, c] = parties();
    let queue = Queue::bounded(1);
    queue.try_put(0).unwrap();
    let mut puts = [queue.put(1), queue.put(2), queue.put(3)];
    for (party, put) in [&a, &b, &c].into_iter().zip(&mut puts) {
        assert!(party.poll(put).is_pending());
    }
    assert_eq!(
        queue.len(),
        1,
        "waiting putters' items are not in the queue"
    );
    assert_eq!(queue.unfinished(), 1);

    let mut got = vec![queue.try_get().unwrap()];
    assert_eq!((a.woken(), b.woken(), c.woken()), (1, 0, 0));
    assert_eq!(a.poll(&mut puts[0]), Poll::Ready(Ok(())));
    got.push(queue.try_get().unwrap());
    assert_eq!((a.woken(), b.woken(), c.woken()), (1, 1, 0));
    assert_eq!(b.poll(&mut puts[1]), Poll::Ready(Ok(())));
    got.push(queue.try_get().unwrap());
    assert_eq!(c.woken(), 1);
    assert_eq!(c.poll(&mut puts[2]), Poll::Ready(Ok(())));
    got.push(queue.try_get().unwrap());
    assert_eq!(got, [0, 1, 2, 3]);
    assert_eq!(queue.unfinished(), 4);
}

#[test]
fn a_putter_that_loses_the_slot_waits_again_at_the_back() {
    let [a, b] = parties();
    let queue = Queue::bounded(1);
    queue.try_put(0).unwrap();
    let (mut put_a, mut put_b) = (queue.put(1), queue.put(2));
    assert!(a.poll(&mut put_a).is_pending());
    assert!(b.poll(&mut put_b).is_pending());
    assert_eq!(queue.try_get(), Ok(0));
    assert_eq!(a.woken(), 1);
    assert_eq!(
        queue.try_put(9),
        Ok(()),
        "barging: try_put takes the free slot"
    );
    assert!(
        a.poll(&mut put_a).is_pending(),
        "a finds the queue full and waits again"
    );

    assert_eq!(queue.try_get(), Ok(9));
    assert_eq!((a.woken(), b.woken()), (1, 1), "b is first now");
    assert_eq!(b.poll(&mut put_b), Poll::Ready(Ok(())));
    assert_eq!(queue.try_get(), Ok(2));
    assert_eq!(a.woken(), 2);
    assert_eq!(a.poll(&mut put_a), Poll::Ready(Ok(())));
    assert_eq!(queue.try_get(), Ok(1));
}

#[test]
fn a_notified_putter_that_is_dropped_passes_the_slot_on_and_inserts_nothing() {
    let [a, b] = parties();
    let queue = Queue::bounded(1);
    queue.try_put(0).unwrap();
    let (mut put_a, mut put_b) = (queue.put(1), queue.put(2));
    assert!(a.poll(&mut put_a).is_pending());
    assert!(b.poll(&mut put_b).is_pending());
    assert_eq!(queue.try_get(), Ok(0));
    assert_eq!((a.woken(), b.woken()), (1, 0));
    drop(put_a);
    assert_eq!(b.woken(), 1, "the free slot went on to the next putter");
    assert!(queue.is_empty(), "the cancelled put inserted nothing");
    assert_eq!(queue.unfinished(), 1, "only the first item counts");
    assert_eq!(b.poll(&mut put_b), Poll::Ready(Ok(())));
    assert_eq!(queue.try_get(), Ok(2));
}

#[test]
fn a_cancelled_putter_that_was_not_notified_wakes_nobody_and_is_skipped() {
    let [a, b] = parties();
    let queue = Queue::bounded(1);
    queue.try_put(0).unwrap();
    let (mut put_a, mut put_b) = (queue.put(1), queue.put(2));
    assert!(a.poll(&mut put_a).is_pending());
    assert!(b.poll(&mut put_b).is_pending());
    drop(put_a);
    assert_eq!((a.woken(), b.woken()), (0, 0));
    assert_eq!(queue.try_get(), Ok(0));
    assert_eq!((a.woken(), b.woken()), (0, 1));
    assert_eq!(b.poll(&mut put_b), Poll::Ready(Ok(())));
    assert_eq!(queue.try_get(), Ok(2));
}

#[test]
fn a_notified_putter_dropped_after_a_barge_passes_nothing_on() {
    let [a, b] = parties();
    let queue = Queue::bounded(1);
    queue.try_put(0).unwrap();
    let (mut put_a, mut put_b) = (queue.put(1), queue.put(2));
    assert!(a.poll(&mut put_a).is_pending());
    assert!(b.poll(&mut put_b).is_pending());
    assert_eq!(queue.try_get(), Ok(0));
    queue.try_put(9).unwrap();
    drop(put_a);
    assert_eq!(b.woken(), 0, "the queue is full again: nothing to pass on");
}

#[test]
fn the_capacity_is_never_exceeded() {
    let p = Party::new();
    let queue = Queue::bounded(3);
    for i in 0..3 {
        queue.try_put(i).unwrap();
    }
    assert!(queue.is_full());
    let mut puts: Vec<Put<'_, i32>> = (3..6).map(|i| queue.put(i)).collect();
    for put in &mut puts {
        assert!(p.poll(put).is_pending());
    }
    assert_eq!(queue.try_put(9), Err(TryPutError::Full(9)));
    assert_eq!(queue.len(), 3);
    // Every putter polled at once after one get: only the notified one gets in.
    queue.try_get().unwrap();
    let mut ready = 0;
    for put in &mut puts {
        if p.poll(put).is_ready() {
            ready += 1;
        }
    }
    assert_eq!(ready, 1);
    assert_eq!(queue.len(), 3);
}

// ---------------------------------------------------------------------------------------------
// try_put / try_get

#[test]
fn try_put_on_a_full_queue_gives_the_item_back_and_counts_nothing() {
    let queue = Queue::bounded(1);
    queue.try_put(String::from("in")).unwrap();
    let error = queue.try_put(String::from("out")).unwrap_err();
    assert!(error.is_full());
    assert_eq!(error.into_inner(), "out");
    assert_eq!(queue.unfinished(), 1);
    assert_eq!(queue.len(), 1);
}

#[test]
fn try_get_on_an_empty_queue_fails_with_empty() {
    let queue: Queue<u8> = Queue::new();
    assert_eq!(queue.try_get(), Err(TryGetError::Empty));
}

#[test]
fn items_come_out_in_fifo_order() {
    let queue = Queue::new();
    for i in 0..10 {
        queue.try_put(i).unwrap();
    }
    let out: Vec<i32> = std::iter::from_fn(|| queue.try_get().ok()).collect();
    assert_eq!(out, (0..10).collect::<Vec<_>>());
}

#[test]
fn queries_report_the_state() {
    let queue = Queue::bounded(2);
    assert_eq!(queue.maxsize(), Some(2));
    assert!(queue.is_empty() && !queue.is_full());
    queue.try_put(1).unwrap();
    assert_eq!(
        (queue.len(), queue.is_empty(), queue.is_full()),
        (1, false, false)
    );
    queue.try_put(2).unwrap();
    assert!(queue.is_full());
    assert_eq!(queue.try_get(), Ok(1));
    assert_eq!((queue.len(), queue.unfinished()), (1, 2));
    assert!(!queue.is_shutdown());

    let unbounded: Queue<()> = Queue::default();
    assert_eq!(unbounded.maxsize(), None);
    for _ in 0..1000 {
        unbounded.try_put(()).unwrap();
    }
    assert!(!unbounded.is_full(), "an unbounded queue is never full");
    assert_eq!(
        format!("{unbounded:?}"),
        "Queue { len: 1000, maxsize: None, unfinished: 1000, is_shutdown: false, .. }"
    );
}

#[test]
fn clones_are_handles_to_the_same_queue() {
    let queue = Queue::new();
    let other = queue.clone();
    other.try_put(1).unwrap();
    assert_eq!(queue.try_get(), Ok(1));
    assert_eq!(other.unfinished(), 1);
}

#[test]
#[should_panic(
    expected = "Use Queue::new() for an unbounded queue (what asyncio means by maxsize <= 0), or give a capacity of at least 1"
)]
fn bounded_zero_panics_with_advice() {
    let _ = Queue::<u8>::bounded(0);
}

// ---------------------------------------------------------------------------------------------
// task_done / join

#[test]
fn unfinished_counts_puts_and_task_done_not_gets() {
    let p = Party::new();
    let queue = Queue::bounded(2);
    queue.try_put(1).unwrap();
    assert_eq!(p.poll(&mut queue.put(2)), Poll::Ready(Ok(())));
    assert_eq!(queue.unfinished(), 2);
    assert!(queue.try_put(3).is_err());
    assert_eq!(queue.unfinished(), 2, "a failed try_put does not count");
    queue.try_get().unwrap();
    assert_eq!(p.poll(&mut queue.get()), Poll::Ready(Ok(2)));
    assert_eq!(queue.unfinished(), 2, "get does not change it");
    queue.task_done().unwrap();
    assert_eq!(queue.unfinished(), 1);
}

#[test]
fn task_done_too_often_is_an_error_and_changes_nothing() {
    let p = Party::new();
    let queue: Queue<u8> = Queue::new();
    assert_eq!(queue.task_done(), Err(TaskDoneError));
    queue.try_put(1).unwrap();
    assert_eq!(queue.task_done(), Ok(()));
    assert_eq!(queue.task_done(), Err(TaskDoneError));
    assert_eq!(queue.unfinished(), 0);
    assert_eq!(queue.len(), 1, "task_done never touches the items");
    assert_eq!(p.poll(&mut queue.join()), Poll::Ready(()));
    queue.try_put(2).unwrap();
    assert_eq!(queue.unfinished(), 1, "the error left no debt behind");
}

#[test]
fn task_done_without_get_releases_join() {
    let p = Party::new();
    let queue = Queue::new();
    queue.try_put(1).unwrap();
    let mut join = queue.join();
    assert!(p.poll(&mut join).is_pending());
    queue.task_done().unwrap();
    assert_eq!(p.woken(), 1);
    assert_eq!(p.poll(&mut join), Poll::Ready(()));
    assert_eq!(queue.len(), 1, "the item is still queued");
}

#[test]
fn join_is_released_when_the_count_reaches_zero_even_if_a_put_follows() {
    let p = Party::new();
    let queue = Queue::new();
    queue.try_put(1).unwrap();
    queue.try_put(2).unwrap();
    let mut join = queue.join();
    assert!(p.poll(&mut join).is_pending());
    queue.task_done().unwrap();
    assert_eq!(p.woken(), 0, "one still unfinished");
    assert!(
        p.poll(&mut join).is_pending(),
        "a spurious poll changes nothing"
    );
    queue.task_done().unwrap();
    assert_eq!(p.woken(), 1);
    queue.try_put(3).unwrap(); // raises the count again before the joiner runs
    assert_eq!(queue.unfinished(), 1);
    assert_eq!(p.poll(&mut join), Poll::Ready(()));

    // A join that starts now waits for the new item.
    let mut later = queue.join();
    assert!(p.poll(&mut later).is_pending());
}

#[test]
fn reaching_zero_releases_every_joiner() {
    let ps: [Party; 3] = parties();
    let queue = Queue::new();
    queue.try_put(1).unwrap();
    let mut joins: Vec<Join<'_, i32>> = (0..3).map(|_| queue.join()).collect();
    for (party, join) in ps.iter().zip(&mut joins) {
        assert!(party.poll(join).is_pending());
    }
    queue.task_done().unwrap();
    for (party, join) in ps.iter().zip(&mut joins) {
        assert_eq!(party.woken(), 1);
        assert_eq!(party.poll(join), Poll::Ready(()));
    }
}

#[test]
fn a_dropped_joiner_is_not_woken_and_does_not_hold_the_others() {
    let [a, b] = parties();
    let queue = Queue::new();
    queue.try_put(1).unwrap();
    let (mut join_a, mut join_b) = (queue.join(), queue.join());
    assert!(a.poll(&mut join_a).is_pending());
    assert!(b.poll(&mut join_b).is_pending());
    drop(join_a);
    assert_eq!(a.stored_wakers(), 0);
    queue.task_done().unwrap();
    assert_eq!((a.woken(), b.woken()), (0, 1));
    assert_eq!(b.poll(&mut join_b), Poll::Ready(()));
}

// ---------------------------------------------------------------------------------------------
// shutdown

#[test]
fn after_shutdown_puts_fail_with_the_item_and_gets_drain_then_fail() {
    let p = Party::new();
    let queue = Queue::bounded(2);
    queue.try_put(1).unwrap();
    queue.try_put(2).unwrap();
    queue.shutdown(false);
    assert!(queue.is_shutdown());
    assert!(queue.is_full(), "a shut-down queue still reports its items");
    assert_eq!(
        queue.try_put(3),
        Err(TryPutError::ShutDown(3)),
        "ShutDown wins over Full"
    );
    assert_eq!(p.poll(&mut queue.put(4)), Poll::Ready(Err(PutError(4))));
    assert_eq!(queue.try_get(), Ok(1));
    assert_eq!(
        queue.try_put(5),
        Err(TryPutError::ShutDown(5)),
        "even with room"
    );
    assert_eq!(p.poll(&mut queue.get()), Poll::Ready(Ok(2)));
    assert_eq!(
        queue.try_get(),
        Err(TryGetError::ShutDown),
        "ShutDown wins over Empty"
    );
    assert_eq!(p.poll(&mut queue.get()), Poll::Ready(Err(GetError)));
    assert_eq!(
        queue.unfinished(),
        2,
        "shutdown(false) leaves the count alone"
    );
    assert_eq!(p.woken(), 0, "none of these waited");
}

#[test]
fn shutdown_wakes_every_waiting_getter_and_they_fail() {
    let ps: [Party; 3] = parties();
    let queue: Queue<u8> = Queue::new();
    let mut gets: Vec<Get<'_, u8>> = (0..3).map(|_| queue.get()).collect();
    for (party, get) in ps.iter().zip(&mut gets) {
        assert!(party.poll(get).is_pending());
    }
    queue.shutdown(false);
    for (party, get) in ps.iter().zip(&mut gets) {
        assert_eq!(party.woken(), 1);
        assert_eq!(party.poll(get), Poll::Ready(Err(GetError)));
    }
}

#[test]
fn a_getter_woken_by_a_put_then_by_shutdown_takes_the_item() {
    let [a, b] = parties();
    let queue = Queue::new();
    let (mut get_a, mut get_b) = (queue.get(), queue.get());
    assert!(a.poll(&mut get_a).is_pending());
    assert!(b.poll(&mut get_b).is_pending());
    queue.try_put(1).unwrap();
    queue.shutdown(false);
    assert_eq!(
        (a.woken(), b.woken()),
        (1, 1),
        "a by the put, b by the shutdown"
    );
    assert_eq!(
        b.poll(&mut get_b),
        Poll::Ready(Ok(1)),
        "the item left is still given out"
    );
    assert_eq!(a.poll(&mut get_a), Poll::Ready(Err(GetError)));
}

#[test]
fn shutdown_wakes_every_waiting_putter_and_gives_their_items_back() {
    let [a, b] = parties();
    let queue = Queue::bounded(1);
    queue.try_put(String::from("kept")).unwrap();
    let (mut put_a, mut put_b) = (queue.put(String::from("a")), queue.put(String::from("b")));
    assert!(a.poll(&mut put_a).is_pending());
    assert!(b.poll(&mut put_b).is_pending());
    assert_eq!(queue.try_get().as_deref(), Ok("kept")); // a is notified: a slot is free
    queue.shutdown(false);
    assert_eq!((a.woken(), b.woken()), (1, 1));
    match b.poll(&mut put_b) {
        Poll::Ready(Err(error)) => assert_eq!(error.into_inner(), "b"),
        other => panic!("expected PutError, got {other:?}"),
    }
    match a.poll(&mut put_a) {
        Poll::Ready(Err(PutError(item))) => assert_eq!(item, "a", "never inserted, even with room"),
        other => panic!("expected PutError, got {other:?}"),
    }
    assert!(queue.is_empty());
    assert_eq!(queue.unfinished(), 1);
}

/// A waker that writes its name into a shared log when woken.
struct Named(&'static str, Arc<std::sync::Mutex<Vec<&'static str>>>);

impl ArcWake for Named {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.1.lock().unwrap().push(arc_self.0);
    }
}

/// Polls `future` once with `waker`; whether it is still pending.
fn is_pending<F: Future + Unpin>(future: &mut F, waker: &Waker) -> bool {
    Pin::new(future)
        .poll(&mut Context::from_waker(waker))
        .is_pending()
}

#[test]
fn shutdown_immediate_wakes_joiners_then_getters_then_putters() {
    let log = Arc::new(std::sync::Mutex::new(Vec::new()));
    let [g1, g2, p, j] =
        ["g1", "g2", "p", "j"].map(|name| futures_task::waker(Arc::new(Named(name, log.clone()))));
    let queue = Queue::bounded(1);
    let (mut get1, mut get2) = (queue.get(), queue.get());
    assert!(is_pending(&mut get1, &g1));
    assert!(is_pending(&mut get2, &g2));
    queue.try_put(0).unwrap(); // notifies g1; g2 still waits
    let (mut put, mut join) = (queue.put(1), queue.join());
    assert!(is_pending(&mut put, &p));
    assert!(is_pending(&mut join, &j));
    assert_eq!(*log.lock().unwrap(), ["g1"]);
    queue.shutdown(true); // drains item 0: the count reaches zero
    assert_eq!(
        *log.lock().unwrap(),
        ["g1", "j", "g2", "p"],
        "asyncio's order"
    );
}

#[test]
fn shutdown_false_does_not_release_join() {
    let p = Party::new();
    let queue = Queue::new();
    queue.try_put(1).unwrap();
    let mut join = queue.join();
    assert!(p.poll(&mut join).is_pending());
    queue.shutdown(false);
    assert_eq!(p.woken(), 0);
    assert!(p.poll(&mut join).is_pending());
    assert_eq!(queue.try_get(), Ok(1));
    queue.task_done().unwrap();
    assert_eq!(p.poll(&mut join), Poll::Ready(()));
}

#[test]
fn shutdown_immediate_drains_the_items_and_releases_join() {
    let [getter, joiner] = parties();
    let queue: Queue<u8> = Queue::new();
    let mut get = queue.get();
    assert!(getter.poll(&mut get).is_pending());
    queue.try_put(1).unwrap(); // notifies the getter
    queue.try_put(2).unwrap();
    let mut join = queue.join();
    assert!(joiner.poll(&mut join).is_pending());

    queue.shutdown(true);
    assert_eq!(queue.len(), 0, "every item was removed");
    assert_eq!(queue.unfinished(), 0, "one less per removed item");
    assert_eq!(joiner.woken(), 1);
    assert_eq!(joiner.poll(&mut join), Poll::Ready(()));
    assert_eq!(
        getter.poll(&mut get),
        Poll::Ready(Err(GetError)),
        "nothing left to take"
    );
}

#[test]
fn shutdown_immediate_does_not_release_join_for_items_taken_but_not_done() {
    let p = Party::new();
    let queue = Queue::new();
    for i in 0..3 {
        queue.try_put(i).unwrap();
    }
    assert_eq!(queue.try_get(), Ok(0)); // taken, not marked done
    let mut join = queue.join();
    assert!(p.poll(&mut join).is_pending());
    queue.shutdown(true);
    assert_eq!(
        queue.unfinished(),
        1,
        "only the two drained items were discounted"
    );
    assert_eq!(p.woken(), 0);
    assert!(p.poll(&mut join).is_pending());
    queue.task_done().unwrap();
    assert_eq!(p.woken(), 1);
    assert_eq!(p.poll(&mut join), Poll::Ready(()));
}

#[test]
fn shutdown_immediate_never_takes_the_count_below_zero() {
    let queue = Queue::new();
    queue.try_put(1).unwrap();
    queue.try_put(2).unwrap();
    queue.task_done().unwrap();
    queue.task_done().unwrap(); // done without get: both items still queued, count 0
    queue.shutdown(true);
    assert_eq!((queue.len(), queue.unfinished()), (0, 0));
    assert_eq!(queue.task_done(), Err(TaskDoneError));
}

#[test]
fn shutdown_may_be_repeated_and_false_may_be_followed_by_true() {
    let queue = Queue::new();
    queue.try_put(1).unwrap();
    queue.try_put(2).unwrap();
    queue.shutdown(false);
    queue.shutdown(false);
    assert_eq!(queue.len(), 2);
    queue.shutdown(true);
    assert_eq!((queue.len(), queue.unfinished()), (0, 0));
    queue.shutdown(true);
    assert_eq!(queue.try_get(), Err(TryGetError::ShutDown));
}

#[test]
fn shutdown_immediate_drops_the_items_outside_the_lock() {
    /// An item whose drop uses the queue it was in.
    struct Probe(Queue<Probe>);
    impl Drop for Probe {
        fn drop(&mut self) {
            let _ = self.0.len();
            let _ = self.0.try_get();
        }
    }
    let queue = Queue::new();
    queue.try_put(Probe(queue.clone())).unwrap();
    queue.shutdown(true); // would deadlock if the item were dropped with the lock held
    assert!(queue.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Errors and types

#[test]
fn errors_explain_themselves_and_debug_without_t_debug() {
    struct Opaque;
    let full: TryPutError<Opaque> = TryPutError::Full(Opaque);
    assert_eq!(format!("{full:?}"), "Full(..)");
    assert!(full.to_string().contains("full queue"));
    let shut: TryPutError<Opaque> = TryPutError::ShutDown(Opaque);
    assert_eq!(format!("{shut:?}"), "ShutDown(..)");
    assert!(shut.is_shutdown() && !shut.is_full());
    let put = PutError(Opaque);
    assert_eq!(format!("{put:?}"), "PutError(..)");
    assert!(put.to_string().contains("shut-down queue"));
    assert!(matches!(
        TryPutError::from(put),
        TryPutError::ShutDown(Opaque)
    ));

    assert!(
        GetError
            .to_string()
            .contains("shut-down queue with no items left")
    );
    assert!(TryGetError::Empty.to_string().contains("empty queue"));
    assert_eq!(TryGetError::from(GetError), TryGetError::ShutDown);
    assert!(
        TaskDoneError
            .to_string()
            .contains("task_done called more times")
    );

    // All are std errors, so `?` into Box<dyn Error> works.
    let boxed: Vec<Box<dyn std::error::Error>> = vec![
        Box::new(TryPutError::Full(1)),
        Box::new(PutError(1)),
        Box::new(GetError),
        Box::new(TryGetError::ShutDown),
        Box::new(TaskDoneError),
    ];
    assert!(boxed.iter().all(|e| !e.to_string().is_empty()));
}

#[test]
fn queue_and_futures_are_send_and_sync_for_send_items_and_need_no_static() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let queue: Queue<String> = Queue::new();
    send_sync(&queue);
    send(&queue.get());
    send(&queue.put(String::new()));
    send(&queue.join());

    // Borrowed items: no 'static needed, and waiting works.
    let text = String::from("borrowed");
    let borrowed: Queue<&str> = Queue::bounded(1);
    let p = Party::new();
    borrowed.try_put(&text).unwrap();
    let mut put = borrowed.put(&text[..3]);
    assert!(p.poll(&mut put).is_pending());
    assert_eq!(borrowed.try_get(), Ok("borrowed"));
    assert_eq!(p.poll(&mut put), Poll::Ready(Ok(())));
    assert_eq!(borrowed.try_get(), Ok("bor"));
}
