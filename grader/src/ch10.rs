//! Chapter 10, shutdown: the seed program fixed with `shutdown`, keeping its gather-then-join
//! shape.

use std::future::Future;

use tinyio::Queue;

use crate::ch09::{Say, run_logged, say};
use crate::{Exercise, Scenario, log};

/// The shutdown exercise, as the grader sees it.
pub trait Shutdown {
    /// `consume(&queue, &say)`.
    fn consume<'a>(queue: &'a Queue<u32>, say: &'a Say) -> impl Future<Output = ()> + 'a;
    /// The given `main(maxsize, say)`, with the learner's `produce` and `consume`.
    fn main(maxsize: usize, say: Say) -> impl Future<Output = ()>;
}

/// Implements [`Shutdown`] for `$ty` with the module `$m` (which has `consume` and `main`).
#[macro_export]
macro_rules! bind_shutdown {
    ($ty:ty, $($m:ident)::+) => {
        impl $crate::ch10::Shutdown for $ty {
            fn consume<'a>(
                queue: &'a ::tinyio::Queue<u32>,
                say: &'a $crate::ch09::Say,
            ) -> impl ::core::future::Future<Output = ()> + 'a {
                $($m)::+::consume(queue, say)
            }
            fn main(
                maxsize: usize,
                say: $crate::ch09::Say,
            ) -> impl ::core::future::Future<Output = ()> {
                $($m)::+::main(maxsize, say)
            }
        }
    };
}

/// The grader for `exercises/src/ch10_shutdown.rs`.
pub fn shutdown<S: Shutdown>() -> Exercise {
    let s = |name, checks, hint, run| Scenario {
        name,
        checks,
        hint,
        run,
    };
    Exercise {
        id: "ch10_shutdown",
        chapter: 10,
        title: "Shutdown and cancellation",
        file: "exercises/src/ch10_shutdown.rs",
        recipe: "produce: after the last put, queue.shutdown(false): false keeps the items that \
               are left for the consumer (true drops them); then say its line. consume: \
               `while let Ok(item) = queue.get().await { consume_one(item, queue, say); }`, then \
               say its line: get fails only when the queue is shut down and empty, and that is \
               the signal to stop, not an error to unwrap.",
        on_hang: "your program never finished and tinyio saw no deadlock: does the consumer \
                  loop on try_get, or on a get error, without waiting?",
        scenarios: vec![
            s(
                "unbounded",
                "the blog's main on an unbounded queue: every item consumed, then join returns",
                "On an unbounded queue the producer runs to its end before the consumer starts: \
                 which shutdown keeps the items still in the queue, and when does get tell the \
                 consumer to stop? (book: chapter 10, \"shutdown(false): stop taking work, \
                 drain what is there\").",
                unbounded::<S>,
            ),
            s(
                "maxsize_2",
                "on a queue of 2: pairs, and the last items are still drained after the \
                 shutdown",
                "On a queue of 2 the shutdown comes while items are still in the queue: the \
                 consumer must take them all before it stops, and the producer must never wait \
                 on a queue that nobody drains (book: chapter 10, \"What is lost, and what is \
                 not\").",
                maxsize_2::<S>,
            ),
            s(
                "maxsize_1",
                "on a queue of 1: the tasks take turns one item at a time",
                "On a queue of 1 the two tasks take turns item by item: every put must find a \
                 consumer that waits in get (book: chapter 10, the exercise's list of \
                 mistakes).",
                maxsize_1::<S>,
            ),
            s(
                "wakes_waiting_consumer",
                "consume alone, waiting in get on an empty queue: shutdown wakes it and it returns",
                "A consumer that waits in get on an empty queue is woken by the shutdown, and \
                 the error it then gets is the signal to stop, not a failure to unwrap (book: \
                 chapter 10, \"shutdown(false)\").",
                wakes_waiting_consumer::<S>,
            ),
        ],
    }
}

fn unbounded<S: Shutdown>() {
    run_logged(S::main(0, say()));
}

fn maxsize_2<S: Shutdown>() {
    run_logged(S::main(2, say()));
}

fn maxsize_1<S: Shutdown>() {
    run_logged(S::main(1, say()));
}

fn wakes_waiting_consumer<S: Shutdown>() {
    run_logged(async {
        let queue = Queue::new();
        let say = say();
        let consumer = async {
            S::consume(&queue, &say).await;
            log("consume returned");
        };
        let other = async {
            queue.try_put(1).unwrap();
            log("(the grader put 1, then lets the consumer run)");
            tinyio::yield_now().await;
            log("(the consumer waits in get; the grader shuts the queue down)");
            queue.shutdown(false);
        };
        tinyio::gather!(consumer, other).await;
        log(format!("unfinished={}", queue.unfinished()));
    });
}
