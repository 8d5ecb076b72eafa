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
    for row in rows.iter().filter(|row| row.pending.is_none()) {
        assert_eq!(row.peers[0].0, "tinyio", "{}", row.id);
        assert!(row.peers.len() >= 4, "{} has its peers", row.id);
    }
    let setup = Setup {
        command: "cargo run -p bench --release".to_string(),
        machine: "a test".to_string(),
        tools: "rustc".to_string(),
        date: "2026-01-01".to_string(),
    };
    let table = report::markdown(&setup, &rows, &floors, &[]);
    assert!(
        table.contains(
            "| W4 on 2 threads | *needs the multi-threaded runtime (time-and-threads issue)* |"
        ),
        "{table}"
    );
    let table_rows = table
        .lines()
        .filter(|line| line.starts_with("| W") && !line.starts_with("| Workload"));
    assert_eq!(table_rows.count(), rows.len(), "{table}");
    let chart = report::svg(&rows, &[]);
    assert!(chart.starts_with("<svg") && chart.ends_with("</svg>\n"));
    assert_eq!(
        chart.matches("<rect x=\"170\"").count(),
        32,
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
    let (_, numbers) = bench::python::run(&script, true).unwrap();
    let ids: Vec<&str> = numbers.iter().map(|(id, _)| id.as_str()).collect();
    let workloads = cases::workloads(Size::Tiny);
    let expected: Vec<&str> = workloads
        .iter()
        .filter(|case| case.pending.is_none())
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
