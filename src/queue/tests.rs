//! Tests that look inside the queue: the wait notes its futures leave, and that no waiter slot
//! is left behind. The behaviour seen from outside is tested in `tests/queue_*.rs`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::Queue;
use crate::note::{self, Recording};

fn poll<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(Waker::noop()))
}

/// Polls `future` as the runtime does (recording on) and renders the note it left, as the
/// deadlock report would for a task named `main`.
fn note_of<F: Future + Unpin>(future: &mut F) -> Option<String> {
    let _recording = Recording::start(None);
    assert!(poll(future).is_pending());
    let mut lines = Vec::new();
    note::take()?.render("main", &mut lines);
    Some(lines.join("; "))
}

/// Slots in use in the getter, putter and joiner lines.
fn slots<T>(queue: &Queue<T>) -> [usize; 3] {
    let state = queue.lock();
    [
        state.getters.slots_in_use(),
        state.putters.slots_in_use(),
        state.joiners.slots_in_use(),
    ]
}

#[test]
fn waiting_futures_leave_a_note_with_a_live_probe() {
    let queue = Queue::bounded(2);
    let mut get = queue.get();
    assert_eq!(
        note_of(&mut get).as_deref(),
        Some("main: Queue::get (queue empty, 0 unfinished)")
    );
    // A spurious poll leaves the same note.
    assert_eq!(
        note_of(&mut get).as_deref(),
        Some("main: Queue::get (queue empty, 0 unfinished)")
    );
    drop(get);

    queue.try_put(1).unwrap();
    queue.try_put(2).unwrap();
    let mut put = queue.put(3);
    assert_eq!(
        note_of(&mut put).as_deref(),
        Some("main: Queue::put (queue full, 2 of 2, 2 unfinished)")
    );
    let mut join = queue.join();
    let _recording = Recording::start(None);
    assert!(poll(&mut join).is_pending());
    let note = note::take().expect("join left a note");
    let mut lines = Vec::new();
    note.render("main", &mut lines);
    assert_eq!(
        lines,
        ["main: Queue::join (queue full, 2 of 2, 2 unfinished)"]
    );

    // The probe reads the queue at report time, not when the note was written.
    queue.try_get().unwrap();
    queue.task_done().unwrap();
    queue.shutdown(false);
    lines.clear();
    note.render("main", &mut lines);
    assert_eq!(
        lines,
        ["main: Queue::join (1 of 2 items, 1 unfinished, shut down)"]
    );
}

#[test]
fn ready_futures_leave_no_note() {
    let queue = Queue::new();
    let _recording = Recording::start(None);
    assert!(poll(&mut queue.put(1)).is_ready());
    assert!(poll(&mut queue.get()).is_ready());
    queue.task_done().unwrap();
    assert!(poll(&mut queue.join()).is_ready());
    assert!(note::take().is_none());
}

#[test]
fn dropped_futures_leave_no_slot_behind() {
    let queue = Queue::bounded(1);
    // Waiting, then dropped.
    let mut get = queue.get();
    let mut join = queue.join();
    assert!(poll(&mut get).is_pending());
    assert!(poll(&mut join).is_ready(), "nothing unfinished");
    assert_eq!(slots(&queue), [1, 0, 0]);
    drop(get);
    assert_eq!(slots(&queue), [0, 0, 0]);

    queue.try_put(1).unwrap();
    let mut put = queue.put(2);
    let mut join = queue.join();
    assert!(poll(&mut put).is_pending());
    assert!(poll(&mut join).is_pending());
    assert_eq!(slots(&queue), [0, 1, 1]);
    drop(join);
    drop(put);
    assert_eq!(slots(&queue), [0, 0, 0]);

    // Notified, then dropped before acting on it.
    let mut put = queue.put(3);
    let mut join = queue.join();
    assert!(poll(&mut put).is_pending());
    assert!(poll(&mut join).is_pending());
    assert_eq!(queue.try_get(), Ok(1)); // notifies the putter
    queue.task_done().unwrap(); // releases the joiner
    assert_eq!(
        slots(&queue),
        [0, 1, 1],
        "notified slots wait for their futures"
    );
    drop(put);
    drop(join);
    assert_eq!(slots(&queue), [0, 0, 0]);

    // Notified and completed.
    let mut get = queue.get();
    assert!(poll(&mut get).is_pending());
    queue.shutdown(false);
    assert_eq!(poll(&mut get), Poll::Ready(Err(super::GetError)));
    assert_eq!(slots(&queue), [0, 0, 0]);
}

#[test]
fn waiting_again_on_the_same_queue_reuses_the_previous_note() {
    let queue = Queue::<u32>::new();
    let mut get = queue.get();
    let first = {
        let _recording = Recording::start(None);
        assert!(poll(&mut get).is_pending());
        note::take_kept()
    };
    assert!(first.is_some());
    let gauges = std::sync::Arc::strong_count(&queue.inner.gauge);
    let _recording = Recording::start(first);
    assert!(poll(&mut get).is_pending());
    let second = note::take_kept();
    assert!(second.is_some());
    assert_eq!(
        std::sync::Arc::strong_count(&queue.inner.gauge),
        gauges,
        "the note was taken back, not cloned"
    );
}

/// The waiter line on its own. (These live here, not in `waiters.rs`, because the workbook
/// includes `waiters.rs` into the exercises, and its tests would run there too.)
mod waiters {
    use std::task::{Poll, Waker};

    use super::super::waiters::{Waiters, WakeList};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_task::ArcWake;

    struct Count(AtomicUsize);

    impl ArcWake for Count {
        fn wake_by_ref(arc_self: &Arc<Self>) {
            arc_self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counter() -> (Arc<Count>, Waker) {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        (count.clone(), futures_task::waker(count))
    }

    #[test]
    fn notifies_in_fifo_order_and_skips_cancelled() {
        let mut line = Waiters::new();
        let (_, w) = counter();
        let a = line.join_back(&w);
        let b = line.join_back(&w);
        let c = line.join_back(&w);
        assert!(!line.cancel(b), "b was never notified");
        assert!(line.notify_one().is_some());
        assert_eq!(line.poll_turn(a, &w), Poll::Ready(()), "a goes first");
        assert!(line.notify_one().is_some());
        assert_eq!(
            line.poll_turn(c, &w),
            Poll::Ready(()),
            "c next: b was cancelled"
        );
        assert!(line.notify_one().is_none());
        assert_eq!(line.slots_in_use(), 0);
    }

    #[test]
    fn slots_are_reused_after_cancel_and_turn() {
        let mut line = Waiters::new();
        let (_, w) = counter();
        for _ in 0..10 {
            let a = line.join_back(&w);
            let b = line.join_back(&w);
            line.notify_one();
            assert!(line.cancel(a), "a had been notified");
            assert_eq!(line.poll_turn(b, &w), Poll::Pending);
            assert!(!line.cancel(b));
        }
        assert_eq!(line.slots_allocated(), 2, "two slots serve every round");
        assert_eq!(line.slots_in_use(), 0);
        assert_eq!(line.len(), 0);
    }

    #[test]
    fn spurious_poll_keeps_place_and_takes_the_new_waker() {
        let mut line = Waiters::new();
        let (old_count, old) = counter();
        let (new_count, new) = counter();
        let a = line.join_back(&old);
        let _b = line.join_back(&old);
        assert_eq!(line.poll_turn(a, &new), Poll::Pending);
        line.notify_one().unwrap().wake();
        assert_eq!(
            new_count.0.load(Ordering::SeqCst),
            1,
            "a is still first, with its new waker"
        );
        assert_eq!(old_count.0.load(Ordering::SeqCst), 0);
        assert_eq!(line.poll_turn(a, &new), Poll::Ready(()));
    }

    #[test]
    fn wake_list_wakes_everyone_in_order() {
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        struct Tag(usize, Arc<std::sync::Mutex<Vec<usize>>>);
        impl ArcWake for Tag {
            fn wake_by_ref(arc_self: &Arc<Self>) {
                arc_self.1.lock().unwrap().push(arc_self.0);
            }
        }
        let mut list = WakeList::new();
        for i in 0..3 {
            list.push(futures_task::waker(Arc::new(Tag(i, order.clone()))));
        }
        list.wake_all();
        assert_eq!(*order.lock().unwrap(), [0, 1, 2]);
    }
}
