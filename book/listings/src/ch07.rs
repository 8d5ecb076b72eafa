//! Chapter 7: bounded queues, fairness and cancellation, as timelines.

use std::future::Future;
use std::task::{Context, Poll};

use tinyio::{Queue, spawn_named, trace, yield_now};

pub use crate::ch06::timeline;

// ANCHOR: two_putters
/// Puts two items, announcing each.
async fn produce(queue: Queue<&'static str>, items: [&'static str; 2]) {
    for item in items {
        queue.put(item).await.unwrap();
        trace::log(format!("put {item}"));
    }
}

/// Two putters on a queue of one slot; `main` takes the four items.
pub async fn two_putters() {
    let queue = Queue::bounded(1);
    let p1 = spawn_named("p1", produce(queue.clone(), ["a1", "a2"]));
    let p2 = spawn_named("p2", produce(queue.clone(), ["b1", "b2"]));
    for _ in 0..4 {
        let item = queue.get().await.unwrap();
        trace::log(format!("got {item}"));
    }
    p1.await.unwrap();
    p2.await.unwrap();
}
// ANCHOR_END: two_putters

// ANCHOR: cancelled_getter
/// Takes one item and announces it.
async fn consume(queue: Queue<&'static str>) {
    let item = queue.get().await.unwrap();
    trace::log(format!("got {item}"));
}

/// Two getters wait; `main` puts an item, which notifies `g1`, and cancels `g1` at once.
pub async fn cancelled_getter() {
    let queue = Queue::new();
    let g1 = spawn_named("g1", consume(queue.clone()));
    let g2 = spawn_named("g2", consume(queue.clone()));
    yield_now().await; // both getters start and wait
    queue.try_put("a").unwrap(); // notifies g1
    g1.abort(); // g1's future is dropped at its next turn; the item stays
    g2.await.unwrap();
    let cancelled = g1.await.unwrap_err().is_cancelled();
    trace::log(format!(
        "g1 cancelled: {cancelled}; items left: {}",
        queue.len()
    ));
}
// ANCHOR_END: cancelled_getter

// ANCHOR: abort_then_put
/// The other order: `main` cancels `g1` first, then puts an item.
pub async fn abort_then_put() {
    let queue = Queue::new();
    let g1 = spawn_named("g1", consume(queue.clone()));
    let g2 = spawn_named("g2", consume(queue.clone()));
    yield_now().await;
    g1.abort(); // g1's waiter leaves the running at once, as in asyncio
    queue.try_put("a").unwrap(); // so this notifies g2, not g1
    g2.await.unwrap();
}
// ANCHOR_END: abort_then_put

// ANCHOR: bounded_zero
/// A queue with room for nothing.
pub fn no_room() -> Queue<u32> {
    Queue::bounded(0) // panics: "no limit" is `Queue::new()`
}
// ANCHOR_END: bounded_zero

/// What `no_room` says when it panics, wrapped.
pub fn bounded_zero() -> Vec<String> {
    let panic =
        std::panic::catch_unwind(no_room).expect_err("bounded(0) panics");
    let message = match panic.downcast_ref::<&str>() {
        Some(message) => message.to_string(),
        None => panic.downcast_ref::<String>().cloned().unwrap_or_default(),
    };
    let mut lines = vec!["Queue::bounded(0) panicked:".to_string()];
    lines.extend(
        crate::wrap(&message, 76)
            .into_iter()
            .map(|l| format!("  {l}")),
    );
    lines
}

// ANCHOR: forget
/// A notified getter goes away, once dropped and once forgotten (its `Drop` never runs).
pub fn drop_or_forget() -> Vec<String> {
    let lines = crate::Trace::default();
    for forget in [false, true] {
        let queue = Queue::new();
        let (mut g1, mut g2) = (Box::pin(queue.get()), Box::pin(queue.get()));
        let (w1, w2) = (lines.waker("g1"), lines.waker("g2"));
        let _ = g1.as_mut().poll(&mut Context::from_waker(&w1));
        let _ = g2.as_mut().poll(&mut Context::from_waker(&w2));
        lines.say("g1 and g2 wait; try_put a");
        queue.try_put('a').unwrap();
        if forget {
            lines.say("g1 is forgotten: its Drop never runs");
            std::mem::forget(g1);
        } else {
            lines.say("g1 is dropped");
            drop(g1);
        }
        match g2.as_mut().poll(&mut Context::from_waker(&w2)) {
            Poll::Ready(item) => lines.say(format!("g2 polls: {item:?}")),
            Poll::Pending => {
                lines.say("g2 polls: Pending, and nobody will wake it")
            }
        }
    }
    lines.lines()
}
// ANCHOR_END: forget

#[cfg(test)]
mod tests {
    use super::timeline;
    use crate::check_output;

    #[test]
    fn two_putters() {
        let lines = timeline(super::two_putters());
        check_output("ch07_two_putters", &lines);
        let python = include_str!("../python/queue_two_putters.out");
        crate::ch06::same_as_cpython(&lines, python);
    }

    #[test]
    fn cancelled_getter() {
        let lines = timeline(super::cancelled_getter());
        check_output("ch07_cancelled_getter", &lines);
        let python = include_str!("../python/queue_cancelled_getter.out");
        crate::ch06::same_as_cpython(&lines, python);
    }

    #[test]
    fn abort_then_put() {
        let lines = timeline(super::abort_then_put());
        check_output("ch07_abort_then_put", &lines);
        let python = include_str!("../python/queue_abort_then_put.out");
        crate::ch06::same_as_cpython(&lines, python);
    }

    #[test]
    fn drop_or_forget() {
        check_output("ch07_drop_or_forget", &super::drop_or_forget());
    }

    #[test]
    fn bounded_zero() {
        check_output("ch07_bounded_zero", &super::bounded_zero());
    }
}
