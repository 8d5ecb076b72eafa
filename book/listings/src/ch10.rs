//! Chapter 10: what `abort` and `shutdown` drop, and what they keep. Every claim the chapter
//! makes is one of these programs, with its output committed in `book/listings/out/`.

use std::sync::Arc;

use tinyio::{
    GetError, JoinHandle, Queue, TryPutError, spawn_named, yield_now,
};

use crate::Trace;

// ANCHOR: item
/// An item that says when it is dropped, so the output shows where each item ends up.
pub struct Item(pub &'static str, pub Trace);

impl Drop for Item {
    fn drop(&mut self) {
        self.1.say(format!("  (item {} dropped)", self.0));
    }
}
// ANCHOR_END: item

/// Says its line when dropped: marks the moment a task's future is dropped.
struct OnDrop(&'static str, Trace);

impl Drop for OnDrop {
    fn drop(&mut self) {
        self.1.say(self.0);
    }
}

// ANCHOR: abort_waiting
/// Aborting a task that waits in `put`: its future is dropped, with the item it holds.
pub fn abort_waiting() -> Vec<String> {
    let out = Trace::default();
    let o = out.clone();
    tinyio::run(async move {
        let queue = Queue::bounded(1);
        queue.try_put(Item("a", o.clone())).unwrap();
        let putter = spawn_named("putter", {
            let (queue, o) = (queue.clone(), o.clone());
            async move {
                let _guard = OnDrop("  (putter's future dropped)", o.clone());
                let _ = queue.put(Item("b", o.clone())).await;
                o.say("putter: put returned"); // never runs
            }
        });
        yield_now().await; // the putter waits: the queue is full
        o.say("main: the putter waits in put (the queue is full); abort it");
        putter.abort();
        o.say("main: abort() returned");
        let result = putter.await;
        o.say(format!("main: putter cancelled: {}", result.is_err()));
        o.say(format!("main: qsize={}; dropping the queue", queue.len()));
        drop(queue);
    });
    out.lines()
}
// ANCHOR_END: abort_waiting

// ANCHOR: abort_mid_item
/// Aborting a consumer between its `get` and its `task_done`: the item it holds is lost, and
/// `join` can never return.
pub fn abort_mid_item() -> Vec<String> {
    let out = Trace::default();
    let o = out.clone();
    let result = tinyio::try_run(async move {
        let queue = Queue::new();
        queue.try_put(Item("a", o.clone())).unwrap();
        let consumer = spawn_named("consumer", {
            let (queue, o) = (queue.clone(), o.clone());
            async move {
                let item = queue.get().await.unwrap();
                o.say(format!("consumer: took {}, working on it", item.0));
                yield_now().await; // the work takes a while
                queue.task_done().unwrap(); // never runs
            }
        });
        yield_now().await; // the consumer takes the item and works
        o.say("main: abort the consumer");
        consumer.abort();
        let _ = consumer.await;
        o.say(format!(
            "main: qsize={} unfinished={}",
            queue.len(),
            queue.unfinished()
        ));
        queue.join().await;
    });
    if let Err(deadlock) = result {
        for line in crate::report(&deadlock.to_string()) {
            out.say(line);
        }
    }
    out.lines()
}
// ANCHOR_END: abort_mid_item

// ANCHOR: shutdown_drain
/// A full queue of two (`a`, `b`), and a task that waits to put `c` into it.
async fn full_with_waiting_putter(o: &Trace) -> (Queue<Item>, JoinHandle<()>) {
    let queue = Queue::bounded(2);
    queue.try_put(Item("a", o.clone())).unwrap();
    queue.try_put(Item("b", o.clone())).unwrap();
    let putter = spawn_named("putter", {
        let (queue, o) = (queue.clone(), o.clone());
        async move {
            let error = queue.put(Item("c", o.clone())).await.unwrap_err();
            let item = error.into_inner();
            o.say(format!("putter: shut down, got {} back", item.0));
        }
    });
    yield_now().await; // the putter waits: the queue is full
    (queue, putter)
}
// ANCHOR_END: shutdown_drain

// ANCHOR: shutdown_drain_then
/// `shutdown(false)`: puts fail and give the item back; gets drain what is left, then fail.
pub fn shutdown_drain() -> Vec<String> {
    let out = Trace::default();
    let o = out.clone();
    tinyio::run(async move {
        let (queue, putter) = full_with_waiting_putter(&o).await;
        o.say("main: shutdown(false)");
        queue.shutdown(false); // puts fail from now on; the items stay
        if let Err(TryPutError::ShutDown(item)) =
            queue.try_put(Item("d", o.clone()))
        {
            o.say(format!("main: try_put refused, {} given back", item.0));
        }
        putter.await.unwrap();
        o.say(format!(
            "main: qsize={} unfinished={}: join would still wait",
            queue.len(),
            queue.unfinished()
        ));
        for _ in 0..3 {
            match queue.get().await {
                Ok(item) => {
                    o.say(format!("main: got {}", item.0));
                    queue.task_done().unwrap();
                }
                Err(GetError) => o.say("main: get failed: shut down and empty"),
            }
        }
        queue.join().await;
        o.say("main: join returned");
    });
    out.lines()
}
// ANCHOR_END: shutdown_drain_then

// ANCHOR: shutdown_now
/// What `shutdown_now` starts from: a queue of three items, one of them taken and not yet marked
/// done, with a task waiting in `join`; and an empty queue with a task waiting in `get`.
struct Before {
    queue: Queue<Item>,
    taken: Item,
    joiner: JoinHandle<()>,
    empty: Queue<Item>,
    getter: JoinHandle<()>,
}

async fn before_shutdown_now(o: &Trace) -> Before {
    let queue = Queue::new();
    for name in ["a", "b", "c"] {
        queue.try_put(Item(name, o.clone())).unwrap();
    }
    let taken = queue.try_get().unwrap(); // taken, not done yet
    let joiner = spawn_named("joiner", {
        let (queue, o) = (queue.clone(), o.clone());
        async move {
            queue.join().await;
            o.say("joiner: join returned");
        }
    });
    let empty: Queue<Item> = Queue::new();
    let getter = spawn_named("getter", {
        let (empty, o) = (empty.clone(), o.clone());
        async move {
            let result = empty.get().await;
            o.say(format!("getter: get failed: {}", result.is_err()));
        }
    });
    yield_now().await; // the joiner and the getter wait
    Before {
        queue,
        taken,
        joiner,
        empty,
        getter,
    }
}
// ANCHOR_END: shutdown_now

// ANCHOR: shutdown_now_then
/// `shutdown(true)`: the items left are dropped and discounted; waiting getters fail; `join`
/// still waits for an item that was taken and not marked done.
pub fn shutdown_now() -> Vec<String> {
    let out = Trace::default();
    let o = out.clone();
    tinyio::run(async move {
        let Before {
            queue,
            taken,
            joiner,
            empty,
            getter,
        } = before_shutdown_now(&o).await;
        o.say(format!(
            "main: unfinished={}; shutdown(true)",
            queue.unfinished()
        ));
        queue.shutdown(true);
        empty.shutdown(true);
        o.say(format!(
            "main: qsize={} unfinished={}",
            queue.len(),
            queue.unfinished()
        ));
        yield_now().await; // the getter runs; the joiner still waits
        o.say(format!("main: done with {}: task_done", taken.0));
        drop(taken);
        queue.task_done().unwrap();
        joiner.await.unwrap();
        getter.await.unwrap();
    });
    out.lines()
}
// ANCHOR_END: shutdown_now_then

/// The reference answer of `ch10_shutdown`, run as the blog's `main` (gather, then join).
// Formatted with the solutions (100 columns), not with the listings (80).
#[rustfmt::skip]
#[path = "../../../solutions/src/ch10_shutdown.rs"]
mod answer;

/// The seed program fixed with `shutdown`: its output on a queue of `maxsize` (0: unbounded).
pub fn seed_shutdown(maxsize: usize) -> Vec<String> {
    let out = Trace::default();
    let o = out.clone();
    let say: answer::Say = Arc::new(move |line| o.say(line));
    tinyio::run(answer::main(maxsize, say));
    out.lines()
}

#[cfg(test)]
mod tests {
    use crate::check_output;

    #[test]
    fn abort_waiting() {
        check_output("ch10_abort_waiting", &super::abort_waiting());
    }

    #[test]
    fn abort_mid_item() {
        check_output("ch10_abort_mid_item", &super::abort_mid_item());
    }

    #[test]
    fn shutdown_drain() {
        check_output("ch10_shutdown_drain", &super::shutdown_drain());
    }

    #[test]
    fn shutdown_now() {
        check_output("ch10_shutdown_now", &super::shutdown_now());
    }

    #[test]
    fn seed_shutdown() {
        check_output("ch10_seed_shutdown", &super::seed_shutdown(0));
        check_output("ch10_seed_shutdown_maxsize2", &super::seed_shutdown(2));
    }
}
