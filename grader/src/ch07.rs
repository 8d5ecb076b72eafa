//! Chapter 7, bounded queues: waiting putters, FIFO lines, barging, and cancellation (dropping a
//! waiting future), graded by scripted polls and by two programs on `tinyio::run`.
//!
//! As in chapter 6, each party polls with a waker named after it (`g1`, `p1`, ...), and a
//! dropped future is logged as `drop g1 (cancelled)`, followed by any wake-up its `Drop` does.

use tinyio::{GetError, PutError, TryGetError, TryPutError};

use crate::ch06::{Fut, poll_as};
use crate::{Exercise, Scenario, log};

/// The bounded queue exercise, as the grader sees it.
pub trait Bounded {
    /// The learner's `Queue<&'static str>`.
    type Queue: Clone + Send + Sync + 'static;
    /// `Queue::bounded(maxsize)`.
    fn bounded(maxsize: usize) -> Self::Queue;
    /// `queue.len()`.
    fn len(queue: &Self::Queue) -> usize;
    /// `queue.try_put(item)`.
    fn try_put(queue: &Self::Queue, item: &'static str) -> Result<(), TryPutError<&'static str>>;
    /// `queue.try_get()`.
    fn try_get(queue: &Self::Queue) -> Result<&'static str, TryGetError>;
    /// `queue.put(item)`, boxed.
    fn put<'a>(
        queue: &'a Self::Queue,
        item: &'static str,
    ) -> Fut<'a, Result<(), PutError<&'static str>>>;
    /// `queue.get()`, boxed.
    fn get(queue: &Self::Queue) -> Fut<'_, Result<&'static str, GetError>>;
}

/// Implements [`Bounded`] for `$ty` with the module `$m` (which has `Queue`).
#[macro_export]
macro_rules! bind_bounded {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch07::Bounded for $ty {
            type Queue = $($m)::+::Queue<&'static str>;
            fn bounded(maxsize: usize) -> Self::Queue {
                $($m)::+::Queue::bounded(maxsize)
            }
            fn len(queue: &Self::Queue) -> usize {
                queue.len()
            }
            fn try_put(
                queue: &Self::Queue,
                item: &'static str,
            ) -> ::core::result::Result<(), $crate::tinyio::TryPutError<&'static str>> {
                queue.try_put(item)
            }
            fn try_get(
                queue: &Self::Queue,
            ) -> ::core::result::Result<&'static str, $crate::tinyio::TryGetError> {
                queue.try_get()
            }
            fn put<'a>(
                queue: &'a Self::Queue,
                item: &'static str,
            ) -> $crate::ch06::Fut<'a, ::core::result::Result<(), $crate::tinyio::PutError<&'static str>>>
            {
                ::std::boxed::Box::pin(queue.put(item))
            }
            fn get(
                queue: &Self::Queue,
            ) -> $crate::ch06::Fut<'_, ::core::result::Result<&'static str, $crate::tinyio::GetError>> {
                ::std::boxed::Box::pin(queue.get())
            }
        }
    };
}

/// The grader for `exercises/src/ch07_bounded.rs`.
pub fn bounded<B: Bounded>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch07_bounded",
        chapter: 7,
        title: "Bounded queues, fairness, cancellation",
        file: "exercises/src/ch07_bounded.rs",
        recipe: "poll (both futures): lock; if self.key is Some, poll_turn: Pending means not \
               notified (return Pending), Ready means set key = None and look again. Then \
               state.try_get() / state.try_put(item): on Ok drop the lock, wake what it \
               returned, Ready(Ok(..)); on Empty / Full(item) keep the item (Put), \
               key = Some(join_back(cx.waker())), Pending. A notified putter must find room \
               again through try_put. Drop: if let Some(key) = self.key, let notified = \
               line.cancel(key); if notified and (getters) the buffer is not empty / (putters) \
               the queue is not full, notify_one the same line and wake it after unlocking.",
        on_hang: "a task waits while the queue could serve it: was a wake-up lost (not passed on \
                  by a Drop, or never sent)?",
        scenarios: vec![
            s(
                "try_ops",
                "try_put fails with Full(item) on a full queue; try_get takes the oldest item, \
                 or fails with Empty",
                "The two state methods on their own: a full queue refuses the item and gives it \
                 back unchanged, an empty queue fails, and items come out oldest first (book: \
                 chapter 7, \"Trying without waiting\").",
                try_ops::<B>,
            ),
            s(
                "backpressure",
                "a put on a full queue is Pending; a get frees a slot and wakes it; then it is \
                 Ready",
                "A put on a full queue must keep its item and join the putter line; a \
                 successful get notifies the first waiting putter, which then finds room (book: \
                 chapter 7, \"The putter waits the way the getter does\").",
                backpressure::<B>,
            ),
            s(
                "fifo_putters",
                "two putters wait: each get wakes one putter, the first in line",
                "Putters are served first come, first served: each get notifies exactly one \
                 putter, the one that has waited longest (book: chapter 7, \"Fairness: first \
                 come, first served\").",
                fifo_putters::<B>,
            ),
            s(
                "racing_putter",
                "a try_put takes the free slot before the notified putter runs: the putter finds \
                 the queue full and waits again, at the back; the queue never holds more than \
                 maxsize items",
                "The capacity invariant: a notified putter must look for room again when it \
                 runs, and wait again at the back if someone else took the slot (book: chapter \
                 7, the race table under \"The putter waits the way the getter does\").",
                racing_putter::<B>,
            ),
            s(
                "cancel_waiting_getter",
                "a dropped getter that was not notified leaves the line and wakes nobody; the \
                 next put wakes the getter behind it",
                "A getter dropped while it waits, never notified, must leave the line so that \
                 no put is spent on it, and must wake nobody (book: chapter 7, \"Cancelling a \
                 waiting get or put\", the table of four cases).",
                cancel_waiting_getter::<B>,
            ),
            s(
                "cancel_notified_getter",
                "a dropped getter that was notified passes the wake-up on to the next getter",
                "A getter dropped after it was notified got a wake-up it will never act on; \
                 while the queue still holds an item, the next getter must get that wake-up \
                 instead (book: chapter 7, the table of four cases).",
                cancel_notified_getter::<B>,
            ),
            s(
                "cancel_notified_getter_no_item",
                "a dropped getter that was notified, but whose item was taken by someone else, \
                 wakes nobody",
                "A notified getter dropped after someone else took the item has nothing to pass \
                 on: waking the next getter would be a spurious wake-up (book: chapter 7, the \
                 table of four cases).",
                cancel_notified_getter_no_item::<B>,
            ),
            s(
                "cancel_notified_putter",
                "a dropped putter that was notified passes the free slot on; its item never \
                 enters the queue",
                "The putter's side of the pass-on: a notified putter dropped while a slot is \
                 free hands its wake-up to the next putter, and its own item never enters the \
                 queue (book: chapter 7, \"Cancelling a waiting get or put\").",
                cancel_notified_putter::<B>,
            ),
            s(
                "cancel_notified_putter_no_room",
                "a dropped putter that was notified, but whose free slot was taken by someone \
                 else, wakes nobody",
                "A notified putter dropped after someone else took the free slot has nothing to \
                 pass on: with the queue full again, waking the next putter would be a spurious \
                 wake-up (book: chapter 7, the table of four cases, read for putters).",
                cancel_notified_putter_no_room::<B>,
            ),
            s(
                "cancel_waiting_putter",
                "a dropped putter that was not notified leaves the line and wakes nobody",
                "A putter dropped while it waits, never notified, leaves the putter line and \
                 wakes nobody; its item is dropped with it (book: chapter 7, \"Cancelling a \
                 waiting get or put\").",
                cancel_waiting_putter::<B>,
            ),
            s(
                "two_putters",
                "on tinyio::run: bounded(1), two putter tasks and a consumer, as in the \
                 chapter's timeline",
                "The rules under a real executor: compare your lines with the chapter's \
                 two-putter timeline, turn by turn; the first differing row is the first rule \
                 broken (book: chapter 7, \"Fairness\").",
                two_putters::<B>,
            ),
            s(
                "cancelled_getter",
                "on tinyio::run: a getter is woken and aborted in the same step; its Drop passes \
                 the wake-up on, and the other getter gets the item",
                "A task aborted right after its getter was notified: its Drop must pass the \
                 wake-up on, or the other getter sleeps next to the item (book: chapter 7, the \
                 cancelled-getter timeline).",
                cancelled_getter::<B>,
            ),
        ],
    }
}

fn got(out: &Result<&'static str, GetError>) -> String {
    match out {
        Ok(item) => format!("Ok({item})"),
        Err(_) => "Err(shut down)".to_string(),
    }
}

fn put_out(out: &Result<(), PutError<&'static str>>) -> String {
    match out {
        Ok(()) => "Ok".to_string(),
        Err(e) => format!("Err(shut down, {})", e.0),
    }
}

fn try_put<B: Bounded>(queue: &B::Queue, item: &'static str) {
    log(format!("try_put {item}"));
    let result = match B::try_put(queue, item) {
        Ok(()) => "Ok".to_string(),
        Err(TryPutError::Full(item)) => format!("Err(Full({item}))"),
        Err(TryPutError::ShutDown(item)) => format!("Err(ShutDown({item}))"),
    };
    log(format!("  -> {result}"));
}

fn try_get<B: Bounded>(queue: &B::Queue) {
    log("try_get");
    let result = match B::try_get(queue) {
        Ok(item) => format!("Ok({item})"),
        Err(TryGetError::Empty) => "Err(Empty)".to_string(),
        Err(TryGetError::ShutDown) => "Err(ShutDown)".to_string(),
    };
    log(format!("  -> {result}"));
}

fn len<B: Bounded>(queue: &B::Queue) {
    log(format!("len: {}", B::len(queue)));
}

fn cancel<F>(who: &str, future: F) {
    log(format!("drop {who} (cancelled)"));
    drop(future);
}

fn full_of_a<B: Bounded>() -> B::Queue {
    let queue = B::bounded(1);
    try_put::<B>(&queue, "a");
    queue
}

fn try_ops<B: Bounded>() {
    let queue = B::bounded(2);
    try_put::<B>(&queue, "a");
    try_put::<B>(&queue, "b");
    try_put::<B>(&queue, "c");
    len::<B>(&queue);
    try_get::<B>(&queue);
    try_get::<B>(&queue);
    try_get::<B>(&queue);
}

fn backpressure<B: Bounded>() {
    let queue = B::bounded(1);
    let _ = poll_as("p1", "put(a)", &mut B::put(&queue, "a"), put_out);
    let mut p2 = B::put(&queue, "b");
    let _ = poll_as("p2", "put(b)", &mut p2, put_out);
    len::<B>(&queue);
    let _ = poll_as("g1", "get", &mut B::get(&queue), got);
    let _ = poll_as("p2", "put(b)", &mut p2, put_out);
    len::<B>(&queue);
    let _ = poll_as("g2", "get", &mut B::get(&queue), got);
}

fn fifo_putters<B: Bounded>() {
    let queue = full_of_a::<B>();
    let (mut p1, mut p2) = (B::put(&queue, "b"), B::put(&queue, "c"));
    let _ = poll_as("p1", "put(b)", &mut p1, put_out);
    let _ = poll_as("p2", "put(c)", &mut p2, put_out);
    try_get::<B>(&queue);
    let _ = poll_as("p1", "put(b)", &mut p1, put_out);
    try_get::<B>(&queue);
    let _ = poll_as("p2", "put(c)", &mut p2, put_out);
    try_get::<B>(&queue);
}

fn racing_putter<B: Bounded>() {
    let queue = full_of_a::<B>();
    let (mut p1, mut p2) = (B::put(&queue, "b"), B::put(&queue, "c"));
    let _ = poll_as("p1", "put(b)", &mut p1, put_out);
    let _ = poll_as("p2", "put(c)", &mut p2, put_out);
    try_get::<B>(&queue);
    log("before p1 runs, a try_put takes the free slot");
    try_put::<B>(&queue, "x");
    let _ = poll_as("p1", "put(b)", &mut p1, put_out);
    len::<B>(&queue);
    try_get::<B>(&queue);
    let _ = poll_as("p2", "put(c)", &mut p2, put_out);
    try_get::<B>(&queue);
    let _ = poll_as("p1", "put(b)", &mut p1, put_out);
    try_get::<B>(&queue);
    len::<B>(&queue);
}

fn cancel_waiting_getter<B: Bounded>() {
    let queue = B::bounded(1);
    let (mut g1, mut g2) = (B::get(&queue), B::get(&queue));
    let _ = poll_as("g1", "get", &mut g1, got);
    let _ = poll_as("g2", "get", &mut g2, got);
    cancel("g1", g1);
    try_put::<B>(&queue, "a");
    let _ = poll_as("g2", "get", &mut g2, got);
}

fn cancel_notified_getter<B: Bounded>() {
    let queue = B::bounded(1);
    let (mut g1, mut g2) = (B::get(&queue), B::get(&queue));
    let _ = poll_as("g1", "get", &mut g1, got);
    let _ = poll_as("g2", "get", &mut g2, got);
    try_put::<B>(&queue, "a");
    cancel("g1", g1);
    let _ = poll_as("g2", "get", &mut g2, got);
}

fn cancel_notified_getter_no_item<B: Bounded>() {
    let queue = B::bounded(1);
    let (mut g1, mut g2) = (B::get(&queue), B::get(&queue));
    let _ = poll_as("g1", "get", &mut g1, got);
    let _ = poll_as("g2", "get", &mut g2, got);
    try_put::<B>(&queue, "a");
    log("before g1 runs, a try_get takes the item");
    try_get::<B>(&queue);
    cancel("g1", g1);
    try_put::<B>(&queue, "b");
    let _ = poll_as("g2", "get", &mut g2, got);
}

fn cancel_notified_putter<B: Bounded>() {
    let queue = full_of_a::<B>();
    let (mut p1, mut p2) = (B::put(&queue, "b"), B::put(&queue, "c"));
    let _ = poll_as("p1", "put(b)", &mut p1, put_out);
    let _ = poll_as("p2", "put(c)", &mut p2, put_out);
    try_get::<B>(&queue);
    cancel("p1", p1);
    let _ = poll_as("p2", "put(c)", &mut p2, put_out);
    try_get::<B>(&queue);
    try_get::<B>(&queue);
}

fn cancel_notified_putter_no_room<B: Bounded>() {
    let queue = full_of_a::<B>();
    let (mut p1, mut p2) = (B::put(&queue, "b"), B::put(&queue, "c"));
    let _ = poll_as("p1", "put(b)", &mut p1, put_out);
    let _ = poll_as("p2", "put(c)", &mut p2, put_out);
    try_get::<B>(&queue);
    log("before p1 runs, a try_put takes the free slot");
    try_put::<B>(&queue, "x");
    cancel("p1", p1);
    try_get::<B>(&queue);
    let _ = poll_as("p2", "put(c)", &mut p2, put_out);
    try_get::<B>(&queue);
}

fn cancel_waiting_putter<B: Bounded>() {
    let queue = full_of_a::<B>();
    let (mut p1, mut p2) = (B::put(&queue, "b"), B::put(&queue, "c"));
    let _ = poll_as("p1", "put(b)", &mut p1, put_out);
    let _ = poll_as("p2", "put(c)", &mut p2, put_out);
    cancel("p1", p1);
    try_get::<B>(&queue);
    let _ = poll_as("p2", "put(c)", &mut p2, put_out);
    try_get::<B>(&queue);
    try_get::<B>(&queue);
}

fn two_putters<B: Bounded>() {
    tinyio::run(async {
        let queue = B::bounded(1);
        let mut putters = Vec::new();
        for (name, items) in [("p1", ["a1", "a2"]), ("p2", ["b1", "b2"])] {
            let queue = queue.clone();
            putters.push(tinyio::spawn(async move {
                for item in items {
                    B::put(&queue, item)
                        .await
                        .expect("nobody shuts the queue down");
                    log(format!("{name} put {item}"));
                }
            }));
        }
        for _ in 0..4 {
            let item = B::get(&queue).await.expect("nobody shuts the queue down");
            log(format!("main got {item}"));
        }
        for putter in putters {
            putter.await.expect("a putter panicked");
        }
    });
}

fn cancelled_getter<B: Bounded>() {
    tinyio::run(async {
        let queue = B::bounded(1);
        let mut getters = Vec::new();
        for name in ["g1", "g2"] {
            let queue = queue.clone();
            getters.push(tinyio::spawn(async move {
                let item = B::get(&queue).await.expect("nobody shuts the queue down");
                log(format!("{name} got {item}"));
            }));
        }
        tinyio::yield_now().await;
        log("main: try_put a (wakes g1), then abort g1");
        B::try_put(&queue, "a").expect("there is room");
        getters[0].abort();
        let g2 = getters.pop().expect("two getters");
        g2.await.expect("g2 panicked");
        let g1 = getters.pop().expect("two getters");
        match g1.await {
            Err(error) if error.is_cancelled() => log("main: g1 was cancelled"),
            _ => log("main: g1 was not cancelled"),
        }
        log(format!("main: len {}", B::len(&queue)));
    });
}
