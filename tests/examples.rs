//! The two ports of the seed post's program, run in-process, compared line by line with what
//! CPython prints for the Python versions (../shared/python/*.out, copied below).

use std::sync::{Arc, Mutex};

#[path = "../examples/seed.rs"]
#[allow(dead_code)]
mod seed;

#[path = "../examples/producer_consumer.rs"]
#[allow(dead_code)]
mod producer_consumer;

fn python_fixed(maxsize: usize) -> Vec<String> {
    let produced = |i: u32| format!("Produced: {i}");
    let consumed = |i: u32| format!("Consumed: {i}");
    let mut lines = Vec::new();
    if maxsize == 0 {
        lines.extend((0..10).map(produced));
        lines.extend((0..10).map(consumed));
    } else {
        // CPython with maxsize 2: pairs, producer first.
        for pair in (0..10).step_by(2) {
            lines.extend([produced(pair), produced(pair + 1)]);
            lines.extend([consumed(pair), consumed(pair + 1)]);
        }
    }
    lines.extend([
        "Joined: all items processed".to_string(),
        "Consumer: cancelled while waiting in get()".to_string(),
        "FINISHED (qsize=0)".to_string(),
    ]);
    lines
}

fn run_fixed(maxsize: usize) -> Vec<String> {
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = lines.clone();
    tinyio::run(producer_consumer::fixed_main(
        maxsize,
        Arc::new(move |line| sink.lock().unwrap().push(line)),
    ));
    lines.lock().unwrap().clone()
}

#[test]
fn fixed_program_prints_what_cpython_prints() {
    assert_eq!(run_fixed(0), python_fixed(0));
}

#[test]
fn fixed_program_with_maxsize_2_prints_what_cpython_prints() {
    assert_eq!(run_fixed(2), python_fixed(2));
}

#[test]
fn seed_program_prints_every_item_then_reports_the_deadlock() {
    let lines = Mutex::new(Vec::new());
    let say = |line: String| lines.lock().unwrap().push(line);
    let report = tinyio::try_run(seed::seed_main(&say)).unwrap_err();
    let mut expected: Vec<String> = (0..10).map(|i| format!("Produced: {i}")).collect();
    expected.extend((0..10).map(|i| format!("Consumed: {i}")));
    assert_eq!(lines.into_inner().unwrap(), expected);
    assert_eq!(
        report.blocked(),
        ["main > gather[1] consume: Queue::get (queue empty, 0 unfinished)"]
    );
    insta::assert_snapshot!(report.to_string());
}

/// `TINYIO_TRACE=1` prints the timeline. Environment variables cannot be set safely inside a
/// test, so this runs the helper test below in a child process with the variable set.
#[test]
fn tinyio_trace_prints_a_timeline_to_stderr() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "traced_child", "--nocapture"])
        .env("TINYIO_TRACE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("tinyio trace (TINYIO_TRACE is set):"),
        "{stderr}"
    );
    assert!(
        stderr.contains("consumer  pending: Queue::get (queue empty, 0 unfinished)"),
        "{stderr}"
    );
}

#[test]
#[ignore = "run by tinyio_trace_prints_a_timeline_to_stderr with TINYIO_TRACE set"]
fn traced_child() {
    run_fixed(2);
}
