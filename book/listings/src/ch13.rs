//! Chapter 13: one program on one thread and on two, what stays the same, and the deadlock
//! report with several workers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tinyio::{Queue, Runtime};

// ANCHOR: squares
/// Ten tasks square their numbers; each adds its square to a shared total and writes its
/// number into a shared list when it finishes.
pub async fn squares() -> (u64, Vec<u64>) {
    let total = Arc::new(AtomicU64::new(0));
    let finished = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = (1..=10u64)
        .map(|n| {
            let (total, finished) = (total.clone(), finished.clone());
            tinyio::spawn(async move {
                tinyio::yield_now().await;
                total.fetch_add(n * n, Ordering::SeqCst);
                finished.lock().unwrap().push(n);
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let order = finished.lock().unwrap().clone();
    (total.load(Ordering::SeqCst), order)
}
// ANCHOR_END: squares

/// What one run of `squares` gave: the total, and the order in which the tasks finished.
type Run = (u64, Vec<u64>);

/// Runs `squares` 20 times on one thread and 20 times on two; says what changed.
pub fn one_thread_and_two() -> Vec<String> {
    let single: Vec<_> = (0..20).map(|_| tinyio::run(squares())).collect();
    let multi: Vec<_> = (0..20)
        .map(|_| Runtime::new().workers(2).run(squares()))
        .collect();
    let same = |runs: &[Run], what: &dyn Fn(&Run) -> String| {
        let first = what(&runs[0]);
        if runs.iter().all(|run| what(run) == first) {
            format!("the same in all 20 runs: {first}")
        } else {
            "not the same in every run".to_string()
        }
    };
    let total = |run: &Run| format!("total {}", run.0);
    let order = |run: &Run| format!("{:?}", run.1);
    let mut sorted = multi.clone();
    for run in &mut sorted {
        run.1.sort_unstable();
    }
    vec![
        "tinyio::run, one thread:".to_string(),
        format!("  total: {}", same(&single, &total)),
        format!("  finishing order: {}", same(&single, &order)),
        "Runtime::new().workers(2), two threads:".to_string(),
        format!("  total: {}", same(&multi, &total)),
        format!("  tasks finished, sorted: {}", same(&sorted, &order)),
    ]
}

// ANCHOR: stuck
/// A consumer waits for an item nobody puts, on two worker threads.
pub fn stuck() -> Vec<String> {
    let outcome = Runtime::new().workers(2).try_run(async {
        let queue = Queue::<u32>::new();
        let consumer = tinyio::spawn_named("consumer", {
            let queue = queue.clone();
            async move { queue.get().await }
        });
        consumer.await.unwrap()
    });
    match outcome {
        Ok(item) => vec![format!("got {item:?}")],
        Err(report) => report.blocked().to_vec(),
    }
}
// ANCHOR_END: stuck

#[cfg(test)]
mod tests {
    use crate::check_output;

    #[test]
    fn one_thread_and_two() {
        check_output("ch13_one_and_two", &super::one_thread_and_two());
    }

    #[test]
    fn stuck() {
        for _ in 0..5 {
            check_output("ch13_stuck", &super::stuck());
        }
    }
}
