//! Chapter 13: one program on one thread and on two, what stays the same, and the deadlock
//! report with several workers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tinyio::{Queue, Runtime};

// ANCHOR: squares
/// Some work that the optimiser cannot skip: tens of microseconds.
fn busy(seed: u64) -> u64 {
    (0..10_000).fold(seed, |acc, i| std::hint::black_box(acc ^ i))
}

/// Ten tasks work in five slices, yielding between them; each then adds its square to a
/// shared total and writes its number into a shared list.
pub async fn squares() -> (u64, Vec<u64>) {
    let total = Arc::new(AtomicU64::new(0));
    let finished = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = (1..=10u64)
        .map(|n| {
            let (total, finished) = (total.clone(), finished.clone());
            tinyio::spawn(async move {
                for _ in 0..5 {
                    std::hint::black_box(busy(n));
                    tinyio::yield_now().await;
                }
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

// ANCHOR: orders
/// Runs `squares` `runs` times on two worker threads, and counts the distinct finishing orders.
pub fn distinct_orders(runs: usize) -> (usize, Vec<Vec<u64>>) {
    let mut orders: Vec<Vec<u64>> = Vec::new();
    for _ in 0..runs {
        let (_, order) = Runtime::new().workers(2).run(squares());
        if !orders.contains(&order) {
            orders.push(order);
        }
    }
    (orders.len(), orders)
}
// ANCHOR_END: orders

/// The sample the book shows: the count of distinct orders in 20 runs, and the first three.
pub fn orders_sample(count: usize, orders: &[Vec<u64>]) -> Vec<String> {
    let mut lines = vec![format!(
        "two threads, 20 runs: {count} distinct finishing orders; the first three:"
    )];
    lines.extend(orders.iter().take(3).map(|order| format!("  {order:?}")));
    lines
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

    /// The order changes from run to run: at least two distinct orders in 20 runs (on a busy
    /// machine, up to five tries of 20 runs). The committed sample is the output of one such
    /// run, rewritten with `TINYIO_BLESS=1`; its count must say the same.
    #[test]
    fn orders_change_from_run_to_run() {
        let (count, orders) = (0..5)
            .map(|_| super::distinct_orders(20))
            .find(|(count, _)| *count >= 2)
            .expect("two threads gave the same finishing order in 100 runs");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("out/ch13_orders.txt");
        if std::env::var_os("TINYIO_BLESS").is_some() {
            let mut text = super::orders_sample(count, &orders).join("\n");
            text.push('\n');
            std::fs::write(&path, text).unwrap();
            return;
        }
        let sample =
            std::fs::read_to_string(&path).expect("run with TINYIO_BLESS=1");
        let recorded: usize = sample
            .split("20 runs: ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("the sample names a count");
        assert!(
            (2..=20).contains(&recorded),
            "the sample shows {recorded} orders"
        );
        assert_eq!(sample.lines().count(), 4, "a count and three orders");
    }

    #[test]
    fn stuck() {
        for _ in 0..5 {
            check_output("ch13_stuck", &super::stuck());
        }
    }
}
