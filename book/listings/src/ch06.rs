//! Chapter 6: `put` and `get` on tinyio's queue, as timelines.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::task::Context;

use tinyio::{Queue, Runtime, Trace, named, spawn_named, trace, yield_now};

/// Runs `program` on a traced runtime and returns the timeline's lines.
pub fn timeline<F: Future<Output = ()>>(program: F) -> Vec<String> {
    let trace = Trace::new();
    Runtime::new().trace(&trace).run(program);
    trace.render().lines().map(str::to_string).collect()
}

/// The lines that a traced program logged itself, as `<task> <what>`: the timeline without the
/// runtime's own events. (Tasks here have one-word names.)
pub fn program_lines(timeline: &[String]) -> Vec<String> {
    const RUNTIME: [&str; 9] = [
        "poll",
        "pending: ",
        "complete",
        "panicked: ",
        "cancelled",
        "deadlock: ",
        "spawn ",
        "wake ",
        "abort",
    ];
    timeline
        .iter()
        .skip(1)
        .filter_map(|line| line.get(6..)?.trim_start().split_once(' '))
        .map(|(task, what)| (task, what.trim_start()))
        .filter(|(_, what)| {
            !RUNTIME.iter().any(|event| what.starts_with(event))
        })
        .map(|(task, what)| format!("{task} {what}"))
        .collect()
}

/// Checks that a timeline's program lines are what CPython prints for the same program
/// (`book/listings/python/queue_timelines.py <name>`, recorded in `queue_<name>.out`).
#[cfg(test)]
pub(crate) fn same_as_cpython(timeline: &[String], python_out: &str) {
    let python: Vec<&str> = python_out.lines().collect();
    assert_eq!(program_lines(timeline), python, "tinyio vs CPython");
}

// ANCHOR: two_consumers
/// Takes two items, announcing each.
async fn consume(queue: Queue<char>) {
    for _ in 0..2 {
        let item = queue.get().await.unwrap();
        trace::log(format!("got {item}"));
    }
}

/// One producer (`main`) and two consumers.
pub async fn two_consumers() {
    let queue = Queue::new();
    let c1 = spawn_named("c1", consume(queue.clone()));
    let c2 = spawn_named("c2", consume(queue.clone()));
    yield_now().await; // let both consumers start: they find the queue empty
    queue.put('a').await.unwrap(); // notifies c1
    queue.put('b').await.unwrap(); // notifies c2
    yield_now().await;
    queue.put('c').await.unwrap();
    queue.put('d').await.unwrap();
    c1.await.unwrap();
    c2.await.unwrap();
}
// ANCHOR_END: two_consumers

// ANCHOR: fast_path
/// The seed program's shape, with three items and a consumer that stops after three.
pub async fn fast_path() {
    let queue = Queue::new();
    let produce = async {
        for i in 0..3 {
            queue.put(i).await.unwrap(); // room: Ready at once
            trace::log(format!("Produced: {i}"));
        }
    };
    let consume = async {
        for _ in 0..3 {
            let item = queue.get().await.unwrap();
            trace::log(format!("Consumed: {item}"));
        }
    };
    tinyio::gather!(named("produce", produce), named("consume", consume)).await;
}
// ANCHOR_END: fast_path

// ANCHOR: hand_off
/// A queue that hands each item to the first waiting getter: *not* tinyio's way.
pub struct HandOff<T> {
    /// The items nobody waited for, and a mailbox per waiting getter.
    state: Mutex<(VecDeque<T>, VecDeque<Mailbox<T>>)>,
}

/// Where a put leaves the item for one waiting getter.
pub type Mailbox<T> = Arc<Mutex<Option<T>>>;

impl<T> HandOff<T> {
    /// Gives `item` to the first waiting getter, if any; otherwise keeps it.
    pub fn put(&self, item: T) {
        let mut state = self.state.lock().unwrap();
        match state.1.pop_front() {
            Some(mailbox) => *mailbox.lock().unwrap() = Some(item),
            None => state.0.push_back(item),
        }
    }

    /// A getter starts to wait: its mailbox joins the line.
    pub fn wait(&self) -> Mailbox<T> {
        let mailbox = Mailbox::default();
        self.state.lock().unwrap().1.push_back(Arc::clone(&mailbox));
        mailbox
    }

    /// Takes an item that nobody waited for.
    pub fn try_get(&self) -> Option<T> {
        self.state.lock().unwrap().0.pop_front()
    }
}
// ANCHOR_END: hand_off

// ANCHOR: cancel_after_put
/// A getter waits, a put comes, and the getter is cancelled before it runs.
pub fn cancel_after_put() -> Vec<String> {
    let lines = crate::Trace::default();
    let queue = Queue::new();
    let mut g1 = Box::pin(queue.get());
    let waker = lines.waker("g1");
    let _ = g1.as_mut().poll(&mut Context::from_waker(&waker));
    lines.say("notify: g1 waits; put x");
    queue.try_put('x').unwrap();
    drop(g1); // cancelled before it runs
    lines.say(format!(
        "g1 cancelled; the queue still has {:?}",
        queue.try_get()
    ));

    let hand_off = HandOff {
        state: Mutex::default(),
    };
    let g1 = hand_off.wait();
    lines.say("hand-off: g1 waits; put x");
    hand_off.put('x');
    drop(g1); // cancelled before it runs, with x in its mailbox
    lines.say(format!(
        "g1 cancelled; the queue has {:?}",
        hand_off.try_get()
    ));
    lines.lines()
}
// ANCHOR_END: cancel_after_put

#[cfg(test)]
mod tests {
    use super::timeline;
    use crate::check_output;

    #[test]
    fn two_consumers() {
        let lines = timeline(super::two_consumers());
        check_output("ch06_two_consumers", &lines);
        super::same_as_cpython(
            &lines,
            include_str!("../python/queue_two_consumers.out"),
        );
    }

    #[test]
    fn cancel_after_put() {
        check_output("ch06_cancel_after_put", &super::cancel_after_put());
    }

    #[test]
    fn fast_path() {
        check_output("ch06_fast_path", &timeline(super::fast_path()));
    }
}
