//! Chapter 8: `task_done` and `join`, and the seed program, corrected, as timelines.

use std::sync::Arc;

use tinyio::{Queue, spawn_named, trace, yield_now};

pub use crate::ch06::timeline;

/// The corrected seed program, `examples/producer_consumer.rs`, compiled here as it is (chapter
/// 9's listings include it too). `rustfmt::skip`: it keeps the library's formatting.
#[path = "../../../examples/producer_consumer.rs"]
#[allow(dead_code, clippy::duplicate_mod)]
#[rustfmt::skip]
mod producer_consumer;

// ANCHOR: joiners
/// Waits for the queue to be joined, then says what the count is now.
async fn joiner(queue: Queue<&'static str>) {
    queue.join().await;
    trace::log(format!("released; unfinished is {}", queue.unfinished()));
}

/// Two joiners wait for one item; a put comes right after the last `task_done`.
pub async fn joiners() {
    let queue = Queue::new();
    queue.put("a").await.unwrap();
    let j1 = spawn_named("j1", joiner(queue.clone()));
    let j2 = spawn_named("j2", joiner(queue.clone()));
    yield_now().await; // both joiners wait: one item is unfinished
    let item = queue.get().await.unwrap();
    trace::log(format!("got {item}; unfinished is {}", queue.unfinished()));
    queue.task_done().unwrap(); // reaches zero: releases j1 and j2
    queue.put("b").await.unwrap(); // one unfinished again, before they run
    j1.await.unwrap();
    j2.await.unwrap();
}
// ANCHOR_END: joiners

// ANCHOR: too_many
/// One put, two `task_done` calls.
pub fn too_many() -> Vec<String> {
    let queue = Queue::new();
    queue.try_put(1).unwrap();
    let first = queue.task_done();
    let second = queue.task_done();
    vec![
        format!("first:  {first:?}"),
        format!("second: {second:?}"),
        format!("  {}", second.unwrap_err()),
    ]
}
// ANCHOR_END: too_many

/// The corrected seed program with maxsize 2, its lines in the timeline.
pub async fn seed_fixed_maxsize_2() {
    let say: producer_consumer::Say = Arc::new(trace::log);
    producer_consumer::fixed_main(2, say).await;
}

#[cfg(test)]
mod tests {
    use super::timeline;
    use crate::check_output;

    #[test]
    fn joiners() {
        let lines = timeline(super::joiners());
        check_output("ch08_joiners", &lines);
        let python = include_str!("../python/queue_joiners.out");
        crate::ch06::same_as_cpython(&lines, python);
    }

    #[test]
    fn too_many() {
        check_output("ch08_too_many", &super::too_many());
    }

    /// The timeline, and the proof that its lines are what CPython prints.
    #[test]
    fn seed_fixed_maxsize_2() {
        let lines = timeline(super::seed_fixed_maxsize_2());
        check_output("ch08_seed_fixed_maxsize_2", &lines);
        // The book shows it in two parts that fit a page: turns 1 to 4, and turn 9 to the end
        // (turns 5 to 8 repeat turns 3 and 4).
        let turn = |n: &str| {
            lines
                .iter()
                .position(|line| line.get(..5) == Some(n))
                .unwrap_or_else(|| panic!("no turn {n} in the timeline"))
        };
        check_output(
            "ch08_seed_fixed_maxsize_2_start",
            &lines[..turn("   5 ")],
        );
        let mut end = vec![lines[0].clone()];
        end.extend_from_slice(&lines[turn("   9 ")..]);
        check_output("ch08_seed_fixed_maxsize_2_end", &end);
        let said: Vec<&str> = lines
            .iter()
            .skip(1)
            .filter_map(|line| line.get(6..)?.trim_start().split_once(' '))
            .map(|(_task, what)| what.trim_start())
            .filter(|what| what.starts_with(char::is_uppercase))
            .collect();
        let python: Vec<&str> =
            include_str!("../python/seed_fixed_maxsize2.out")
                .lines()
                .collect();
        let mut side_by_side = vec![format!("{:<44}{}", "tinyio", "CPython")];
        for (ours, theirs) in said.iter().zip(&python) {
            side_by_side.push(format!("{ours:<44}{theirs}"));
        }
        check_output("ch08_seed_vs_cpython", &side_by_side);
        assert_eq!(said, python);
    }
}
