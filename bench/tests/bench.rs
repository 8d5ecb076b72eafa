//! The bench's own tests, kept quick for CI: every workload at a tiny size (every peer must
//! compute the same checksum), the report, and the tokio port of the seed program.

use std::sync::{Arc, Mutex};

use bench::cases::{self, Size};
use bench::harness::{self, Measured};
use bench::report::{self, Setup};
use bench::workloads::expected_sum;

#[path = "../examples/seed_tokio.rs"]
#[allow(dead_code)]
mod seed_tokio;

fn measure_tiny() -> (Vec<Measured>, Vec<Measured>) {
    let run = |cases: Vec<cases::Case>| -> Vec<Measured> {
        cases
            .iter()
            .map(|case| harness::measure(case, expected_sum(case.n)))
            .collect()
    };
    (
        run(cases::workloads(Size::Tiny)),
        run(cases::floors(Size::Tiny)),
    )
}

#[test]
fn every_peer_does_the_same_work_and_the_report_shows_it() {
    // `measure` panics when a peer's checksum differs from the sum of the items.
    let (rows, floors) = measure_tiny();
    let ids: Vec<&str> = rows.iter().map(|row| row.id).collect();
    assert_eq!(
        ids,
        [
            "w1-unbounded",
            "w1-bounded-1",
            "w1-bounded-128",
            "w2-spawn",
            "w3-ready",
            "w3-yield",
            "w4-1-thread",
            "w4-2-threads"
        ]
    );
    for row in &rows {
        assert_eq!(row.peers[0].0, "tinyio", "{}", row.id);
        assert!(row.peers.len() >= 4, "{} has its peers", row.id);
    }
    let setup = Setup {
        command: "cargo run -p bench --release".to_string(),
        machine: "a test".to_string(),
        tools: "rustc".to_string(),
        date: "2026-01-01".to_string(),
        asyncio: "not run".to_string(),
        one_process: false,
    };
    let table = report::markdown(&setup, &rows, &floors, &[]);
    assert!(table.contains("| W4 on 2 threads | "), "{table}");
    let table_rows = table
        .lines()
        .filter(|line| line.starts_with("| W") && !line.starts_with("| Workload"));
    assert_eq!(table_rows.count(), rows.len(), "{table}");
    let chart = report::svg(&rows, &[]);
    assert!(chart.starts_with("<svg") && chart.ends_with("</svg>\n"));
    assert_eq!(
        chart.matches("<rect x=\"170\"").count(),
        37,
        "one bar per peer and workload"
    );
}

#[test]
fn the_asyncio_script_runs_when_python_is_installed() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("python3 is not installed: nothing to check");
        return;
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("asyncio_queue.py");
    let asyncio = bench::python::run(&script, true).unwrap();
    assert!(
        asyncio.sizes.starts_with("1 timed runs"),
        "{}",
        asyncio.sizes
    );
    let ids: Vec<&str> = asyncio.numbers.iter().map(|(id, _)| id.as_str()).collect();
    let workloads = cases::workloads(Size::Tiny);
    let expected: Vec<&str> = workloads
        .iter()
        .filter(|case| case.id != "w4-2-threads") // asyncio has one thread
        .map(|case| case.id)
        .collect();
    assert_eq!(ids, expected);
}

#[test]
fn seed_tokio_prints_what_cpython_prints() {
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = lines.clone();
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(seed_tokio::fixed_main(Arc::new(move |line| {
            sink.lock().unwrap().push(line)
        })));
    let cpython = include_str!("../../book/listings/python/seed_fixed.out");
    assert_eq!(lines.lock().unwrap().join("\n"), cpython.trim_end());
}

/// Lets the other tasks of a current-thread runtime run a few times.
async fn let_others_run() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

/// asyncio's `join` returns once the count has reached zero, even if a `put` raised it again
/// before the joiner ran (chapter 8). The tokio port's `Unfinished::join` must too.
#[test]
fn seed_tokio_join_sees_a_zero_that_does_not_last() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let unfinished = seed_tokio::Unfinished::new();
        unfinished.add();
        let joiner = tokio::spawn({
            let unfinished = unfinished.clone();
            async move { unfinished.join().await }
        });
        let_others_run().await;
        assert!(
            !joiner.is_finished(),
            "join waits while an item is unfinished"
        );
        unfinished.done(); // the count reaches zero...
        unfinished.add(); // ...and a put raises it before the joiner runs
        let_others_run().await;
        assert!(joiner.is_finished(), "join missed the zero");
    });
}

/// The port's first version waited with `watch::Receiver::wait_for(|c| *c == 0)`, which sees
/// only the latest count: the same script leaves its joiner waiting. (This is why the port
/// counts zeros.)
#[test]
fn waiting_for_a_zero_count_misses_a_zero_that_does_not_last() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (count, mut all_done) = tokio::sync::watch::channel(1usize);
        let joiner =
            tokio::spawn(async move { all_done.wait_for(|count| *count == 0).await.map(|_| ()) });
        let_others_run().await;
        count.send_modify(|count| *count -= 1);
        count.send_modify(|count| *count += 1);
        let_others_run().await;
        assert!(!joiner.is_finished(), "the old join missed nothing?");
        joiner.abort();
    });
}

/// `--only` with a whole id measures that row alone: `w1-bounded-1` is also part of
/// `w1-bounded-128`, and a profile of the one used to include the other.
#[test]
fn only_with_a_whole_id_keeps_that_row_alone() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["--tiny", "--no-python", "--only", "w1-bounded-1"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let table = String::from_utf8_lossy(&output.stdout);
    let rows: Vec<&str> = table
        .lines()
        .filter(|line| line.starts_with("| W") && !line.starts_with("| Workload"))
        .map(|line| line.split('|').nth(1).unwrap_or("").trim())
        .collect();
    assert_eq!(rows, ["W1 bounded 1"], "{table}");
}
