//! Chapter 6, `put` and `get`: the unbounded queue, graded by scripted polls and by a small
//! program on `tinyio::run`.
//!
//! In the scripted scenarios every future is polled by the scenario itself, with a waker named
//! after the party that polls it (`g1`, `g2`, ...), so the trace shows who was woken, when:
//! `  g1 woken`. Items are short strings, so the trace can say which item went where.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::{Exercise, Scenario, log, named_waker};

/// A boxed future, as the graders of chapters 6 to 8 hold the learner's futures.
pub type Fut<'a, O> = Pin<Box<dyn Future<Output = O> + Send + 'a>>;

/// The unbounded queue exercise, as the grader sees it.
pub trait Unbounded {
    /// The learner's `Queue<&'static str>`.
    type Queue: Clone + Send + Sync + 'static;
    /// `Queue::new()`.
    fn new() -> Self::Queue;
    /// `queue.put(item)`.
    fn put(queue: &Self::Queue, item: &'static str);
    /// `queue.len()`.
    fn len(queue: &Self::Queue) -> usize;
    /// `queue.get()`, boxed.
    fn get(queue: &Self::Queue) -> Fut<'_, &'static str>;
}

/// Implements [`Unbounded`] for `$ty` with the module `$m` (which has `Queue`).
#[macro_export]
macro_rules! bind_unbounded {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch06::Unbounded for $ty {
            type Queue = $($m)::+::Queue<&'static str>;
            fn new() -> Self::Queue {
                $($m)::+::Queue::new()
            }
            fn put(queue: &Self::Queue, item: &'static str) {
                queue.put(item)
            }
            fn len(queue: &Self::Queue) -> usize {
                queue.len()
            }
            fn get(queue: &Self::Queue) -> $crate::ch06::Fut<'_, &'static str> {
                ::std::boxed::Box::pin(queue.get())
            }
        }
    };
}

/// Polls `future` once as `who` (with a waker named `who`) and writes `who polls its <what>`,
/// then what any wake-up during the poll wrote, then `  -> Pending` or `  -> Ready(..)`.
pub fn poll_as<O>(
    who: &'static str,
    what: &str,
    future: &mut Fut<'_, O>,
    show: impl Fn(&O) -> String,
) -> Poll<O> {
    log(format!("{who} polls its {what}"));
    let waker = named_waker(who);
    let result = future.as_mut().poll(&mut Context::from_waker(&waker));
    match &result {
        Poll::Ready(out) => log(format!("  -> Ready({})", show(out))),
        Poll::Pending => log("  -> Pending"),
    }
    result
}

/// Shows an item.
pub fn item(item: &&'static str) -> String {
    item.to_string()
}

/// The grader for `exercises/src/ch06_queue.rs`.
pub fn queue<U: Unbounded>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch06_queue",
        chapter: 6,
        title: "put and get",
        file: "exercises/src/ch06_queue.rs",
        recipe: "put: lock, push_back the item, let waker = getters.notify_one(), unlock, then \
               wake it. Get::poll: lock; if self.key is Some, poll_turn(key, cx.waker()): if \
               Pending return Pending (keep your place), else set key to None; then pop_front: \
               an item means Ready(item); none means self.key = Some(join_back(cx.waker())) and \
               Pending. A notification is only a reason to look again: never assume the item \
               is there, and never hand the item to a getter.",
        on_hang: "a getter waits while an item sits in the queue: was a wake-up lost?",
        scenarios: vec![
            s(
                "fast_path",
                "gets on a queue with items are Ready on their first poll, oldest item first, \
                 and wake nobody",
                "The fast path: a get on a queue that holds an item takes the front one at once (FIFO) and \
                 returns Ready on its first poll, waking nobody (book: chapter 6, \"Fast paths never \
                 suspend\").",
                fast_path::<U>,
            ),
            s(
                "wait",
                "a get on an empty queue is Pending; a put wakes it; then it is Ready",
                "A get on an empty queue must join the getter line before it returns Pending, and a put \
                 must notify the first getter of the line and wake it once the lock is released \
                 (book: chapter 6, \"The waiter line\").",
                wait::<U>,
            ),
            s(
                "one_wake_per_put",
                "three getters wait: each put wakes one getter, the first in line",
                "One put, one notification, to the getter that has waited longest: the line is FIFO, and \
                 waking every getter on each put is not what asyncio does (book: chapter 6, \"A \
                 producer and two consumers\").",
                one_wake_per_put::<U>,
            ),
            s(
                "notify_not_hand_off",
                "a notified getter takes the front item when it runs, whichever put woke it",
                "A notification carries no item: the getter that runs first takes the front item, \
                 whichever put woke it (book: chapter 6, \"A wake-up is a notification, not a \
                 hand-off\").",
                notify_not_hand_off::<U>,
            ),
            s(
                "barging",
                "a new get takes the item before the notified getter runs; the getter finds \
                 the queue empty and waits again, at the back of the line",
                "Barging: a notified getter must look at the queue again when it runs, and one that finds \
                 it empty waits again at the back of the line, behind getters that waited longer \
                 (book: chapter 6, the rules of \"get: try, register, look again\").",
                barging::<U>,
            ),
            s(
                "spurious",
                "a getter polled again without being woken stays Pending and keeps its place (and \
                 stays in the line once only)",
                "A poll without a notification is spurious (waker rule 3): the getter stays Pending, keeps \
                 its place and its one entry in the line, and only its waker may change (book: \
                 chapter 6, \"The waiter line\").",
                spurious::<U>,
            ),
            s(
                "producer_two_consumers",
                "on tinyio::run: one producer, two consumers, in the order the chapter's \
                 timeline shows",
                "The same rules under a real executor: compare your lines with the chapter's \
                 two-consumer timeline, turn by turn; the first differing row is the first rule \
                 broken (book: chapter 6, \"A producer and two consumers\").",
                producer_two_consumers::<U>,
            ),
        ],
    }
}

fn put<U: Unbounded>(queue: &U::Queue, x: &'static str) {
    log(format!("put {x}"));
    U::put(queue, x);
}

fn fast_path<U: Unbounded>() {
    let queue = U::new();
    put::<U>(&queue, "a");
    put::<U>(&queue, "b");
    let _ = poll_as("g1", "get", &mut U::get(&queue), item);
    let _ = poll_as("g2", "get", &mut U::get(&queue), item);
    log(format!("len: {}", U::len(&queue)));
}

fn wait<U: Unbounded>() {
    let queue = U::new();
    let mut g1 = U::get(&queue);
    let _ = poll_as("g1", "get", &mut g1, item);
    put::<U>(&queue, "a");
    let _ = poll_as("g1", "get", &mut g1, item);
    log(format!("len: {}", U::len(&queue)));
}

fn one_wake_per_put<U: Unbounded>() {
    let queue = U::new();
    let (mut g1, mut g2, mut g3) = (U::get(&queue), U::get(&queue), U::get(&queue));
    let _ = poll_as("g1", "get", &mut g1, item);
    let _ = poll_as("g2", "get", &mut g2, item);
    let _ = poll_as("g3", "get", &mut g3, item);
    put::<U>(&queue, "a");
    let _ = poll_as("g1", "get", &mut g1, item);
    put::<U>(&queue, "b");
    let _ = poll_as("g2", "get", &mut g2, item);
    put::<U>(&queue, "c");
    let _ = poll_as("g3", "get", &mut g3, item);
}

fn notify_not_hand_off<U: Unbounded>() {
    let queue = U::new();
    let (mut g1, mut g2) = (U::get(&queue), U::get(&queue));
    let _ = poll_as("g1", "get", &mut g1, item);
    let _ = poll_as("g2", "get", &mut g2, item);
    put::<U>(&queue, "a");
    put::<U>(&queue, "b");
    log("g2 happens to run first");
    let _ = poll_as("g2", "get", &mut g2, item);
    let _ = poll_as("g1", "get", &mut g1, item);
}

fn barging<U: Unbounded>() {
    let queue = U::new();
    let (mut g1, mut g2) = (U::get(&queue), U::get(&queue));
    let _ = poll_as("g1", "get", &mut g1, item);
    let _ = poll_as("g2", "get", &mut g2, item);
    put::<U>(&queue, "a");
    log("before g1 runs, a new getter g3 comes along");
    let _ = poll_as("g3", "get", &mut U::get(&queue), item);
    let _ = poll_as("g1", "get", &mut g1, item);
    put::<U>(&queue, "b");
    let _ = poll_as("g2", "get", &mut g2, item);
    put::<U>(&queue, "c");
    let _ = poll_as("g1", "get", &mut g1, item);
}

fn spurious<U: Unbounded>() {
    let queue = U::new();
    let (mut g1, mut g2) = (U::get(&queue), U::get(&queue));
    let _ = poll_as("g1", "get", &mut g1, item);
    let _ = poll_as("g2", "get", &mut g2, item);
    log("g1 is polled again without a wake-up");
    let _ = poll_as("g1", "get", &mut g1, item);
    put::<U>(&queue, "a");
    let _ = poll_as("g1", "get", &mut g1, item);
    put::<U>(&queue, "b");
    let _ = poll_as("g2", "get", &mut g2, item);
    let mut g3 = U::get(&queue);
    let _ = poll_as("g3", "get", &mut g3, item);
    put::<U>(&queue, "c");
    let _ = poll_as("g3", "get", &mut g3, item);
}

fn producer_two_consumers<U: Unbounded>() {
    tinyio::run(async {
        let queue = U::new();
        let mut consumers = Vec::new();
        for name in ["c1", "c2"] {
            let queue = queue.clone();
            consumers.push(tinyio::spawn(async move {
                for _ in 0..2 {
                    let item = U::get(&queue).await;
                    log(format!("{name} got {item}"));
                }
            }));
        }
        tinyio::yield_now().await;
        log("main puts a and b");
        U::put(&queue, "a");
        U::put(&queue, "b");
        tinyio::yield_now().await;
        log("main puts c");
        U::put(&queue, "c");
        tinyio::yield_now().await;
        log("main puts d");
        U::put(&queue, "d");
        for consumer in consumers {
            consumer.await.expect("a consumer panicked");
        }
        log("main: both consumers are done");
    });
}
