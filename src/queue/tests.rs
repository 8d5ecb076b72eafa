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
        note::take()
    };
    assert!(first.is_some());
    let gauges = std::sync::Arc::strong_count(&queue.inner.gauge);
    let _recording = Recording::start(first);
    assert!(poll(&mut get).is_pending());
    let second = note::take();
    assert!(second.is_some());
    assert_eq!(
        std::sync::Arc::strong_count(&queue.inner.gauge),
        gauges,
        "the note was taken back, not cloned"
    );
}
