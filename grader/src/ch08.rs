//! Chapter 8, `task_done` and `join`: the unfinished counter and the joiners, graded by scripted
//! polls and by the seed program, corrected, on `tinyio::run`.

use tinyio::{GetError, PutError, TaskDoneError, TryGetError, TryPutError};

use crate::ch06::{Fut, poll_as};
use crate::{Exercise, Scenario, log};

/// The join-able queue exercise, as the grader sees it.
pub trait Joinable {
    /// The learner's `Queue<&'static str>`.
    type Queue: Clone + Send + Sync + 'static;
    /// `Queue::new()`.
    fn new() -> Self::Queue;
    /// `Queue::bounded(maxsize)`.
    fn bounded(maxsize: usize) -> Self::Queue;
    /// `queue.len()`.
    fn len(queue: &Self::Queue) -> usize;
    /// `queue.unfinished()`.
    fn unfinished(queue: &Self::Queue) -> usize;
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
    /// `queue.task_done()`.
    fn task_done(queue: &Self::Queue) -> Result<(), TaskDoneError>;
    /// `queue.join()`, boxed.
    fn join(queue: &Self::Queue) -> Fut<'_, ()>;
}

/// Implements [`Joinable`] for `$ty` with the module `$m` (which has `Queue`).
#[macro_export]
macro_rules! bind_joinable {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch08::Joinable for $ty {
            type Queue = $($m)::+::Queue<&'static str>;
            fn new() -> Self::Queue {
                $($m)::+::Queue::new()
            }
            fn bounded(maxsize: usize) -> Self::Queue {
                $($m)::+::Queue::bounded(maxsize)
            }
            fn len(queue: &Self::Queue) -> usize {
                queue.len()
            }
            fn unfinished(queue: &Self::Queue) -> usize {
                queue.unfinished()
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
            ) -> $crate::ch06::Fut<
                'a,
                ::core::result::Result<(), $crate::tinyio::PutError<&'static str>>,
            > {
                ::std::boxed::Box::pin(queue.put(item))
            }
            fn get(
                queue: &Self::Queue,
            ) -> $crate::ch06::Fut<
                '_,
                ::core::result::Result<&'static str, $crate::tinyio::GetError>,
            > {
                ::std::boxed::Box::pin(queue.get())
            }
            fn task_done(
                queue: &Self::Queue,
            ) -> ::core::result::Result<(), $crate::tinyio::TaskDoneError> {
                queue.task_done()
            }
            fn join(queue: &Self::Queue) -> $crate::ch06::Fut<'_, ()> {
                ::std::boxed::Box::pin(queue.join())
            }
        }
    };
}

/// The grader for `exercises/src/ch08_join.rs`.
pub fn join<J: Joinable>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch08_join",
        chapter: 8,
        title: "task_done and join",
        file: "exercises/src/ch08_join.rs",
        recipe: "try_put: unfinished += 1 after the push (and only there). task_done: lock; if \
               unfinished == 0 return Err(TaskDoneError); unfinished -= 1; if it is now 0, \
               joiners.notify_all(&mut list); unlock; list.wake_all(). Join::poll: lock; if \
               self.key is Some: poll_turn(key, waker) Ready means released (key = None, \
               Ready(())), Pending means wait on; if None: unfinished == 0 means Ready(()) at \
               once, else key = Some(joiners.join_back(waker)) and Pending. Drop: if let \
               Some(key) = self.key, joiners.cancel(key).",
        on_hang: "a join or a get that should have been released is still waiting: was a wake-up \
                  lost?",
        scenarios: vec![
            s(
                "counter",
                "unfinished goes up on each successful put, down on task_done, never on get; a \
                 failed try_put and a task_done too many change nothing",
                "What moves the unfinished count: only a successful put raises it and only \
                 task_done lowers it; a get, a failed try_put and a task_done too many leave it \
                 as it was (book: chapter 8, \"The unfinished counter\").",
                counter::<J>,
            ),
            s(
                "join_fast_path",
                "join with nothing unfinished is Ready on its first poll and wakes nobody",
                "The third fast path: a join polled first with nothing unfinished is Ready at \
                 once, without joining the line and without waking its task (book: chapter 8, \
                 the table of join's polls).",
                join_fast_path::<J>,
            ),
            s(
                "join_waits_for_queued_items",
                "join waits for items nobody has taken yet, and a get does not release it; the \
                 last task_done does",
                "An item nobody has taken is still unfinished: a get does not release a joiner, \
                 only the task_done that brings the count to zero does (book: chapter 8, \"The \
                 unfinished counter\").",
                join_waits_for_queued_items::<J>,
            ),
            s(
                "every_joiner",
                "reaching zero releases every waiting joiner, not only the first",
                "Reaching zero is news for every joiner, not for the first one only, and the \
                 wake-ups happen after the lock is released (book: chapter 8, \"join: released \
                 when the count reaches zero\").",
                every_joiner::<J>,
            ),
            s(
                "zero_then_put",
                "a joiner is released by the moment the count reaches zero, even if a put \
                 raises it again before the joiner runs",
                "A notified joiner is released by the moment the count reached zero, even if a \
                 put raised it again before the joiner ran; it must not look at the count again \
                 (book: chapter 8, the two-joiner timeline).",
                zero_then_put::<J>,
            ),
            s(
                "dropped_joiner",
                "a dropped joiner leaves the line: the release wakes only the others",
                "A joiner dropped while it waits must leave the joiner line, so that the \
                 release wakes only the joiners still alive (book: chapter 8, the end of \
                 \"join: released when the count reaches zero\").",
                dropped_joiner::<J>,
            ),
            s(
                "seed_fixed_unbounded",
                "on tinyio::run: the seed program, corrected, prints what CPython prints",
                "The corrected seed program on your queue: if join never returns, compare the \
                 count with the puts and task_dones; if the lines differ, the first differing \
                 row is the first rule broken (book: chapter 8, \"The seed program, \
                 corrected\").",
                seed_fixed_unbounded::<J>,
            ),
            s(
                "seed_fixed_maxsize_2",
                "on tinyio::run: the same with maxsize 2 (CPython's lines, in pairs)",
                "The same program with maxsize 2: compare with the chapter's two-part timeline; \
                 join must wait for the last task_done and then return at once (book: chapter \
                 8, \"The seed program, corrected, with a bounded queue\").",
                seed_fixed_maxsize_2::<J>,
            ),
        ],
    }
}

fn unit(_: &()) -> String {
    "()".to_string()
}

fn unfinished<J: Joinable>(queue: &J::Queue) {
    log(format!("unfinished: {}", J::unfinished(queue)));
}

fn try_put<J: Joinable>(queue: &J::Queue, item: &'static str) {
    let result = match J::try_put(queue, item) {
        Ok(()) => "Ok".to_string(),
        Err(TryPutError::Full(item)) => format!("Err(Full({item}))"),
        Err(TryPutError::ShutDown(item)) => format!("Err(ShutDown({item}))"),
    };
    log(format!("try_put {item} -> {result}"));
}

fn try_get<J: Joinable>(queue: &J::Queue) {
    let result = match J::try_get(queue) {
        Ok(item) => format!("Ok({item})"),
        Err(TryGetError::Empty) => "Err(Empty)".to_string(),
        Err(TryGetError::ShutDown) => "Err(ShutDown)".to_string(),
    };
    log(format!("try_get -> {result}"));
}

fn task_done<J: Joinable>(queue: &J::Queue) {
    log("task_done");
    match J::task_done(queue) {
        Ok(()) => log("  -> Ok"),
        Err(TaskDoneError) => log("  -> Err(TaskDoneError)"),
    }
}

fn counter<J: Joinable>() {
    let queue = J::bounded(2);
    unfinished::<J>(&queue);
    try_put::<J>(&queue, "a");
    try_put::<J>(&queue, "b");
    try_put::<J>(&queue, "c");
    unfinished::<J>(&queue);
    try_get::<J>(&queue);
    unfinished::<J>(&queue);
    task_done::<J>(&queue);
    unfinished::<J>(&queue);
    task_done::<J>(&queue);
    task_done::<J>(&queue);
    unfinished::<J>(&queue);
    log(format!("len: {}", J::len(&queue)));
}

fn join_fast_path<J: Joinable>() {
    let queue = J::new();
    let _ = poll_as("j1", "join", &mut J::join(&queue), unit);
    try_put::<J>(&queue, "a");
    task_done::<J>(&queue);
    log("nothing unfinished (the item is still in the queue, but it was marked done)");
    let _ = poll_as("j2", "join", &mut J::join(&queue), unit);
}

fn join_waits_for_queued_items<J: Joinable>() {
    let queue = J::new();
    try_put::<J>(&queue, "a");
    let mut j1 = J::join(&queue);
    let _ = poll_as("j1", "join", &mut j1, unit);
    try_get::<J>(&queue);
    log("j1 is polled again: the item was taken, not marked done");
    let _ = poll_as("j1", "join", &mut j1, unit);
    task_done::<J>(&queue);
    let _ = poll_as("j1", "join", &mut j1, unit);
}

fn every_joiner<J: Joinable>() {
    let queue = J::new();
    try_put::<J>(&queue, "a");
    try_put::<J>(&queue, "b");
    let (mut j1, mut j2) = (J::join(&queue), J::join(&queue));
    let _ = poll_as("j1", "join", &mut j1, unit);
    let _ = poll_as("j2", "join", &mut j2, unit);
    task_done::<J>(&queue);
    task_done::<J>(&queue);
    let _ = poll_as("j2", "join", &mut j2, unit);
    let _ = poll_as("j1", "join", &mut j1, unit);
}

fn zero_then_put<J: Joinable>() {
    let queue = J::new();
    try_put::<J>(&queue, "a");
    let mut j1 = J::join(&queue);
    let _ = poll_as("j1", "join", &mut j1, unit);
    task_done::<J>(&queue);
    log("before j1 runs, another item is put");
    try_put::<J>(&queue, "b");
    unfinished::<J>(&queue);
    let _ = poll_as("j1", "join", &mut j1, unit);
    let _ = poll_as("j2", "join", &mut J::join(&queue), unit);
}

fn dropped_joiner<J: Joinable>() {
    let queue = J::new();
    try_put::<J>(&queue, "a");
    let (mut j1, mut j2) = (J::join(&queue), J::join(&queue));
    let _ = poll_as("j1", "join", &mut j1, unit);
    let _ = poll_as("j2", "join", &mut j2, unit);
    log("drop j1 (cancelled)");
    drop(j1);
    task_done::<J>(&queue);
    let _ = poll_as("j2", "join", &mut j2, unit);
}

/// The ten items of the seed program.
const ITEMS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// The seed program, corrected (`examples/producer_consumer.rs`), on the learner's queue.
fn seed_fixed<J: Joinable>(queue: J::Queue) {
    tinyio::run(async move {
        let consumer = {
            let queue = queue.clone();
            tinyio::spawn(async move {
                loop {
                    let item = J::get(&queue).await.expect("nobody shuts the queue down");
                    log(format!("Consumed: {item}"));
                    J::task_done(&queue).expect("one task_done per item taken");
                }
            })
        };
        for item in ITEMS {
            J::put(&queue, item)
                .await
                .expect("nobody shuts the queue down");
            log(format!("Produced: {item}"));
        }
        J::join(&queue).await;
        log("Joined: all items processed");
        consumer.abort();
        match consumer.await {
            Err(error) if error.is_cancelled() => log("Consumer: cancelled while waiting in get()"),
            _ => log("Consumer: unexpected end"),
        }
        log(format!("FINISHED (qsize={})", J::len(&queue)));
    });
}

fn seed_fixed_unbounded<J: Joinable>() {
    seed_fixed::<J>(J::new());
}

fn seed_fixed_maxsize_2<J: Joinable>() {
    seed_fixed::<J>(J::bounded(2));
}
