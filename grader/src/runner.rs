//! Runs exercises in child processes, compares their traces with the expected files, reports.
//!
//! The test binary is started again as a child, once per exercise, with the arguments
//! `--grader-child <set> <exercise>`. The parent first writes a fresh random key on the child's
//! stdin; the child writes one record per line on stdout, each starting with `@<key> ` (`scenario`,
//! `line`, `ok`, `panic`, `stop`, `end`). The learner's code shares that stdout but cannot know the
//! key, so whatever it prints is shown as printed text and can never count as a record. The parent
//! reads both pipes to their end while the child runs (storing at most [`STORED_BYTES`] of each),
//! and at the deadline kills the child's whole process group, so an exercise that hangs, spins,
//! overflows its stack or leaves processes behind is reported as that, and the other exercises are
//! still graded.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::{ECHO, Exercise, Stop, manifest};

/// How long one exercise may run when a learner grades it.
pub const LEARNER_DEADLINE: Duration = Duration::from_secs(10);

/// How much of what the child prints on stdout (besides its records), and of its stderr, the
/// parent keeps. It reads everything; it stores this much.
pub const STORED_BYTES: usize = 1 << 20;

/// The widest line the report prints (the side-by-side table wraps its cells to fit).
pub const REPORT_WIDTH: usize = 100;

/// A named list of exercises the child process can find again by its label.
pub struct Set {
    /// The label passed to the child, such as `learner` or `planted/ch03_block_on/busy_spin`.
    pub label: String,
    /// The exercises of this set.
    pub exercises: Vec<Exercise>,
}

/// The key that marks this child's records, read from stdin before any scenario runs. Private:
/// the learner's code cannot name it.
static KEY: OnceLock<String> = OnceLock::new();

/// Writes one protocol record on stdout (used by the child; nothing outside a grading child).
pub(crate) fn emit(kind: &str, text: &str) {
    let Some(key) = KEY.get() else { return };
    let text = text.replace('\\', "\\\\").replace('\n', "\\n");
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "@{key} {kind} {text}");
    let _ = out.flush();
}

/// A key no one can guess: 128 bits from std's randomly seeded SipHash keys.
fn fresh_key() -> String {
    use std::hash::{BuildHasher, Hasher};
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    (0..2u64)
        .map(|i| {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(i);
            h.write_u128(now);
            h.write_u32(std::process::id());
            format!("{:016x}", h.finish())
        })
        .collect()
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// The message of a panic payload.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else if let Some(Stop(s)) = payload.downcast_ref::<Stop>() {
        s.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

/// If this process was started as a grading child, runs the requested exercise and exits.
/// Call it first thing in `main`; otherwise it returns and does nothing.
pub fn child_if_requested(sets: impl FnOnce() -> Vec<Set>) {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) != Some("--grader-child") {
        return;
    }
    let (Some(label), Some(id)) = (args.get(2), args.get(3)) else {
        eprintln!("usage: --grader-child <set> <exercise>");
        std::process::exit(2);
    };
    let sets = sets();
    let exercise = sets
        .iter()
        .filter(|s| &s.label == label)
        .flat_map(|s| &s.exercises)
        .find(|e| e.id == id);
    let Some(exercise) = exercise else {
        eprintln!("no exercise {id} in set {label}");
        std::process::exit(2);
    };
    // The parent writes the key of this run's records first; the pipe then stays open while the
    // parent waits. When it closes (the parent was stopped, say by Ctrl-C), this child stops too:
    // it runs in a process group of its own, out of reach of the terminal's Ctrl-C.
    let mut stdin = std::io::stdin();
    let mut key = Vec::new();
    let mut byte = [0u8; 1];
    while let Ok(1) = stdin.read(&mut byte) {
        if byte[0] == b'\n' {
            break;
        }
        key.push(byte[0]);
    }
    let key = String::from_utf8_lossy(&key).trim().to_string();
    if key.is_empty() {
        eprintln!(
            "the grading child reads its key on stdin: run it through the grader (`cargo test`)"
        );
        std::process::exit(2);
    }
    let _ = KEY.set(key);
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut stdin, &mut std::io::sink());
        // The parent is gone: stop what the exercise started as well (this process leads its
        // group), then this process.
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", std::process::id())])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        std::process::exit(3);
    });
    // Panics are reported through the protocol, with their message and without a location;
    // only a `todo!()` has its file noted, so that the report can say which file still has one
    // (the capstone runs the learner's files of earlier chapters).
    std::panic::set_hook(Box::new(|info| {
        let todo = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .is_some_and(|m| m.starts_with(TODO));
        if let (true, Some(location)) = (todo, info.location()) {
            *TODO_FILE.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(location.file().to_string());
        }
    }));
    ECHO.store(true, Ordering::Relaxed);
    for scenario in &exercise.scenarios {
        emit("scenario", scenario.name);
        crate::take_trace();
        match std::panic::catch_unwind(scenario.run) {
            Ok(()) => emit("ok", ""),
            Err(payload) => match payload.downcast_ref::<Stop>() {
                Some(Stop(message)) => emit("stop", message),
                None => {
                    let mut text = panic_text(&*payload);
                    let file = TODO_FILE.lock().unwrap_or_else(|e| e.into_inner()).take();
                    if let (true, Some(file)) = (text.starts_with(TODO), file) {
                        text = format!("{TODO} (a todo!() in {file})");
                    }
                    emit("panic", &text)
                }
            },
        }
    }
    emit("end", "");
    std::process::exit(0);
}

/// The message of `todo!()`'s panic.
const TODO: &str = "not yet implemented";

/// The file of the last `todo!()` that panicked in the child (set by its panic hook).
static TODO_FILE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// The file named by a `todo!()` panic message of the child, if any.
fn todo_file(message: &str) -> Option<&str> {
    message
        .strip_prefix(TODO)?
        .strip_prefix(" (a todo!() in ")?
        .strip_suffix(')')
}

/// How one scenario ended in the child.
#[derive(Debug, Clone, PartialEq)]
enum End {
    Ok,
    Panic(String),
    Stop(String),
    /// The child was killed or died while this scenario ran.
    Unfinished,
}

/// The outcome of grading one exercise.
pub struct Graded {
    /// The exercise's id.
    pub id: &'static str,
    /// Whether every scenario matched its expected trace.
    pub passed: bool,
    /// What the learner sees for this exercise (several lines, no trailing newline).
    pub report: String,
    /// The same report with nothing wrapped (long rows stay whole): for checks that look for a
    /// message in it.
    pub plain: String,
    /// The actual trace of each scenario that ran, by name (for re-blessing expected files).
    pub actual: BTreeMap<String, Vec<String>>,
    /// Whether the expected files did not match the manifest (nothing was run).
    pub tampered: bool,
    /// The outcome in one word, for the progress table and watch mode's list.
    pub status: Status,
    /// The first failing scenario, whose first-tier hint the report shows.
    pub failing: Option<&'static str>,
}

/// How grading one exercise ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every scenario matched its expected trace.
    Passed,
    /// Every scenario still runs into the stub's `todo!()`.
    NotStarted,
    /// A scenario's trace differs from the expected one, or a scenario panicked.
    Failed,
    /// The exercise did not finish before the deadline.
    Hung,
    /// The child process died (a stack overflow, an abort, an exit).
    Crashed,
    /// The expected files do not match the manifest: nothing was graded.
    Tampered,
}

impl Status {
    /// The word the list and the status file use: `ok`, `todo`, `FAIL`, `hang`, `crash`,
    /// `tampered`.
    pub fn word(self) -> &'static str {
        match self {
            Status::Passed => "ok",
            Status::NotStarted => "todo",
            Status::Failed => "FAIL",
            Status::Hung => "hang",
            Status::Crashed => "crash",
            Status::Tampered => "tampered",
        }
    }

    /// The status named by [`Status::word`].
    pub fn from_word(word: &str) -> Option<Status> {
        [
            Status::Passed,
            Status::NotStarted,
            Status::Failed,
            Status::Hung,
            Status::Crashed,
            Status::Tampered,
        ]
        .into_iter()
        .find(|s| s.word() == word)
    }
}

/// Grades one exercise of the set `label` in a child process of the current executable.
pub fn grade(label: &str, exercise: &Exercise, deadline: Duration) -> Graded {
    let problems = manifest::check_exercise(exercise);
    if !problems.is_empty() {
        let mut report = header(exercise, false);
        for p in problems {
            report.push_str(&format!("\n      {p}"));
        }
        report.push_str(
            "\n      The grader compares with the committed expected files only. Restore them with\n      \
             `git checkout -- grader/expected` and grade again.",
        );
        return Graded {
            id: exercise.id,
            passed: false,
            plain: report.clone(),
            report,
            actual: BTreeMap::new(),
            tampered: true,
            status: Status::Tampered,
            failing: None,
        };
    }
    grade_unchecked(label, exercise, deadline)
}

/// Grades like [`grade`], without checking the expected files against the manifest first (the
/// self-test uses it to write the expected files from the solutions' traces).
pub fn grade_unchecked(label: &str, exercise: &Exercise, deadline: Duration) -> Graded {
    let run = run_child(label, exercise.id, deadline);
    judge(exercise, run, deadline)
}

struct ChildRun {
    records: Vec<(String, String)>,
    killed: bool,
    status: String,
    stderr: String,
}

/// The longest line of the child's stdout that is kept whole; a longer one keeps its end (where
/// a record may follow what the learner's code printed without a newline).
const LONGEST_LINE: usize = 1 << 16;

/// Reads the child's stdout to its end: records go to `records`, the learner's own prints too
/// (as `print` records) until [`STORED_BYTES`] of them are stored.
fn read_records(pipe: impl Read, key: &str, records: &Mutex<Vec<(String, String)>>) {
    let marker = format!("@{key} ");
    let mut stored = 0usize;
    let mut handle = |line: &[u8]| {
        let line = String::from_utf8_lossy(line);
        let (printed, record) = match line.find(&marker) {
            Some(at) => (&line[..at], Some(&line[at + marker.len()..])),
            None => (&line[..], None),
        };
        let mut records = records.lock().unwrap_or_else(|e| e.into_inner());
        if !printed.is_empty() && stored < STORED_BYTES {
            stored += printed.len();
            records.push(("print".to_string(), printed.to_string()));
        }
        if let Some(record) = record {
            let (kind, text) = record.split_once(' ').unwrap_or((record, ""));
            records.push((kind.to_string(), unescape(text)));
        }
    };
    let mut line: Vec<u8> = Vec::new();
    each_chunk(pipe, |chunk| {
        let mut rest = chunk;
        while let Some(at) = rest.iter().position(|&b| b == b'\n') {
            line.extend_from_slice(&rest[..at]);
            handle(&line);
            line.clear();
            rest = &rest[at + 1..];
        }
        line.extend_from_slice(rest);
        if line.len() > 2 * LONGEST_LINE {
            line.drain(..line.len() - LONGEST_LINE);
        }
    });
    if !line.is_empty() {
        handle(&line);
    }
}

/// Reads the child's stderr to its end, keeping its last [`STORED_BYTES`] (where a crash says why).
fn read_tail(pipe: impl Read, tail: &Mutex<Vec<u8>>) {
    each_chunk(pipe, |chunk| {
        let mut tail = tail.lock().unwrap_or_else(|e| e.into_inner());
        tail.extend_from_slice(chunk);
        if tail.len() > 2 * STORED_BYTES {
            let cut = tail.len() - STORED_BYTES;
            tail.drain(..cut);
        }
    });
}

/// Reads `pipe` to its end (or its first error), handing each chunk read to `f`.
fn each_chunk(mut pipe: impl Read, mut f: impl FnMut(&[u8])) {
    let mut buf = vec![0u8; 1 << 14];
    loop {
        match pipe.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => f(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// Kills the child and, on Unix, every process of its process group (what it started and left
/// running). std has no `killpg` without `unsafe`, so this asks `kill(1)`.
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
}

fn run_child(label: &str, id: &str, deadline: Duration) -> ChildRun {
    let exe = std::env::current_exe().expect("the grader cannot find its own executable");
    let mut command = Command::new(exe);
    command
        .args(["--grader-child", label, id])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A process group of its own, so that the deadline can stop everything the exercise started.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .expect("the grader cannot start its child process");
    let key = fresh_key();
    let mut stdin = child.stdin.take();
    if let Some(pipe) = stdin.as_mut() {
        let _ = writeln!(pipe, "{key}");
        let _ = pipe.flush();
    }
    let stdout = child.stdout.take().expect("piped stdout");
    let stderr = child.stderr.take().expect("piped stderr");
    // Read both pipes to their end while the child runs, so that a chatty child never blocks on a
    // full pipe and never writes into a closed one.
    let (done, finished) = mpsc::channel::<()>();
    let records = Arc::new(Mutex::new(Vec::new()));
    let tail = Arc::new(Mutex::new(Vec::new()));
    {
        let (records, done) = (Arc::clone(&records), done.clone());
        std::thread::spawn(move || {
            read_records(stdout, &key, &records);
            let _ = done.send(());
        });
    }
    {
        let tail = Arc::clone(&tail);
        std::thread::spawn(move || {
            read_tail(stderr, &tail);
            let _ = done.send(());
        });
    }
    let start = Instant::now();
    let mut killed = false;
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if start.elapsed() > deadline {
            kill_group(&mut child);
            killed = true;
            break child.wait().expect("wait for the killed child");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    drop(stdin);
    // The pipes close when the child ends, unless a process it started still holds them: wait a
    // moment for the readers, then stop what is left of the group, and never wait on a pipe.
    let mut open = 2;
    for grace in [Duration::from_millis(300), Duration::from_millis(300)] {
        let until = Instant::now() + grace;
        while open > 0 {
            match finished.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(()) => open -= 1,
                Err(_) => break,
            }
        }
        if open == 0 {
            break;
        }
        kill_group(&mut child);
    }
    let records = std::mem::take(&mut *records.lock().unwrap_or_else(|e| e.into_inner()));
    let stderr =
        String::from_utf8_lossy(&tail.lock().unwrap_or_else(|e| e.into_inner())).into_owned();
    ChildRun {
        records,
        killed,
        status: status.to_string(),
        stderr,
    }
}

fn header(exercise: &Exercise, passed: bool) -> String {
    let mark = if passed { "ok  " } else { "FAIL" };
    format!(
        "  {mark}  {:<17} {}",
        exercise.id,
        if passed {
            format!("({} scenarios)", exercise.scenarios.len())
        } else {
            exercise.file.to_string()
        }
    )
}

fn judge(exercise: &Exercise, run: ChildRun, deadline: Duration) -> Graded {
    // Rebuild each scenario's trace and ending from the records.
    let mut traces: Vec<(String, Vec<String>, End)> = Vec::new();
    let mut printed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ended = false;
    for (kind, text) in run.records {
        match kind.as_str() {
            "scenario" => traces.push((text, Vec::new(), End::Unfinished)),
            "line" => {
                if let Some(t) = traces.last_mut() {
                    t.1.push(text);
                }
            }
            "ok" | "panic" | "stop" => {
                if let Some(t) = traces.last_mut() {
                    t.2 = match kind.as_str() {
                        "ok" => End::Ok,
                        "panic" => End::Panic(text),
                        _ => End::Stop(text),
                    };
                }
            }
            "end" => ended = true,
            "print" => {
                if let Some(t) = traces.last() {
                    printed.entry(t.0.clone()).or_default().push(text);
                }
            }
            _ => {}
        }
    }

    let mut actual = BTreeMap::new();
    let mut failures = Vec::new();
    // Scenarios that never started because the process was stopped, or died, before them.
    let mut not_run: Vec<&str> = Vec::new();
    let mut not_started = 0;
    // The other files whose `todo!()` ran (an exercise that uses earlier exercises' files).
    let mut todo_elsewhere: Vec<String> = Vec::new();
    for scenario in &exercise.scenarios {
        let expected = manifest::read_expected(exercise.id, scenario.name);
        let Some((_, lines, end)) = traces.iter().find(|t| t.0 == scenario.name) else {
            not_run.push(scenario.name);
            continue;
        };
        let (mut lines, end) = (lines.clone(), end.clone());
        match &end {
            End::Ok => {}
            End::Panic(m) => {
                if m.starts_with(TODO) {
                    not_started += 1;
                    let elsewhere = todo_file(m).filter(|f| !same_file(f, exercise.file));
                    if let Some(file) = elsewhere.filter(|f| !todo_elsewhere.iter().any(|e| e == f))
                    {
                        todo_elsewhere.push(file.to_string());
                    }
                }
                lines.push(format!("panicked: {}", one_line(m)));
            }
            End::Stop(m) => lines.push(format!("stopped: {m}")),
            End::Unfinished if run.killed => lines.push(format!(
                "(no result within {} s: the process was stopped here)",
                deadline.as_secs()
            )),
            End::Unfinished => lines.push(format!(
                "(the grading process died here: {})",
                crash_reason(&run.status, &run.stderr)
            )),
        }
        actual.insert(scenario.name.to_string(), lines.clone());
        if lines != expected {
            failures.push((scenario, expected, lines, end));
        }
    }
    if failures.is_empty() && (!not_run.is_empty() || (!ended && !run.killed)) {
        // The process stopped outside any scenario (before the first, or between two).
        let reason = if run.killed {
            format!(
                "(no result within {} s: the process was stopped)",
                deadline.as_secs()
            )
        } else {
            format!(
                "(the grading process died: {})",
                crash_reason(&run.status, &run.stderr)
            )
        };
        let first = not_run
            .first()
            .and_then(|name| exercise.scenarios.iter().find(|s| s.name == *name))
            .unwrap_or(&exercise.scenarios[0]);
        not_run.retain(|name| *name != first.name);
        failures.push((
            first,
            manifest::read_expected(exercise.id, first.name),
            vec![reason],
            End::Unfinished,
        ));
    }

    let passed = failures.is_empty();
    let hung = run.killed;
    let status = if passed {
        Status::Passed
    } else if not_started == exercise.scenarios.len() {
        Status::NotStarted
    } else if hung {
        Status::Hung
    } else if !ended {
        Status::Crashed
    } else {
        Status::Failed
    };
    // The report, wrapped to a width (the self-test also reads it unwrapped).
    let render = |width: usize| {
        let mut report = header(exercise, passed);
        if !passed {
            let w = "      ";
            if status == Status::NotStarted && !todo_elsewhere.is_empty() {
                report.push_str(&wrap_to(
                    width,
                    &format!(
                        "not started: a todo!() still runs in {}, which this exercise uses. \
                         Finish that exercise first, then run `cargo test {}`.",
                        todo_elsewhere.join(" and "),
                        exercise.id
                    ),
                    w,
                ));
            } else if status == Status::NotStarted {
                report.push_str(&wrap_to(
                    width,
                    &format!(
                        "not started: its todo!() still runs. Write your code there, then run \
                         `cargo test {}`.",
                        exercise.id
                    ),
                    w,
                ));
            } else {
                let (scenario, expected, lines, end) = &failures[0];
                if run.killed && *end == End::Unfinished {
                    report.push_str(&wrap_to(
                        width,
                        &format!(
                            "no result within {} s: {}",
                            deadline.as_secs(),
                            exercise.on_hang
                        ),
                        w,
                    ));
                }
                report.push_str(&wrap_to(
                    width,
                    &format!("scenario `{}`: {}", scenario.name, scenario.checks),
                    w,
                ));
                report.push('\n');
                report.push_str(&side_by_side_in(expected, lines, w, width));
                if let Some(row) = first_difference(expected, lines) {
                    let rows = expected.len().max(lines.len());
                    report.push_str(&format!("\n{w}diverge at row {row} (the first `>`)"));
                    if row < rows {
                        report.push_str("; the rows after follow from it");
                    }
                }
                if let Some(prints) = printed.get(scenario.name) {
                    report.push_str(&format!("\n{w}your code printed (not part of the trace):"));
                    for line in prints.iter().take(15) {
                        report.push_str(&format!("\n{w}  {}", cut(line, width.saturating_sub(8))));
                    }
                    if prints.len() > 15 {
                        report.push_str(&format!("\n{w}  ... {} more lines", prints.len() - 15));
                    }
                }
                let hint = if scenario.hint.is_empty() {
                    exercise.recipe.to_string()
                } else {
                    format!(
                        "{} (The full recipe: `cargo hint {}`.)",
                        scenario.hint, exercise.id
                    )
                };
                report.push_str(&wrap_to(width, &format!("hint: {hint}"), w));
                if failures.len() > 1 {
                    let others: Vec<&str> = failures[1..].iter().map(|f| f.0.name).collect();
                    report.push_str(&wrap_to(
                        width,
                        &format!("also failing: {}", others.join(", ")),
                        w,
                    ));
                }
                if !not_run.is_empty() {
                    let after = if run.killed { "the hang" } else { "the crash" };
                    report.push_str(&wrap_to(
                        width,
                        &format!("not run (after {after}): {}", not_run.join(", ")),
                        w,
                    ));
                }
            }
        }
        report
    };
    let (report, plain) = (render(REPORT_WIDTH), render(usize::MAX / 4));
    Graded {
        id: exercise.id,
        passed,
        report,
        plain,
        actual,
        tampered: false,
        status,
        failing: failures.first().map(|f| f.0.name),
    }
}

/// The 1-based row at which two traces first differ, if they do.
fn first_difference(expected: &[String], actual: &[String]) -> Option<usize> {
    (0..expected.len().max(actual.len()))
        .find(|&i| expected.get(i) != actual.get(i))
        .map(|i| i + 1)
}

/// `text` cut to `width` characters, ending with `...` when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let kept: String = text.chars().take(width.saturating_sub(3)).collect();
        format!("{kept}...")
    }
}

/// Wraps `text` to [`REPORT_WIDTH`] columns, each line starting with a newline and `indent`
/// (continuation lines two spaces further in).
fn wrap(text: &str, indent: &str) -> String {
    wrap_to(REPORT_WIDTH, text, indent)
}

/// [`wrap`] to `width` columns.
fn wrap_to(width: usize, text: &str, indent: &str) -> String {
    let mut out = String::new();
    for line in wrap_cell(text, width.saturating_sub(indent.len())) {
        out.push_str(&format!("\n{indent}{line}"));
    }
    out
}

/// Splits `text` into lines of at most `width` characters, at spaces where it can (a word longer
/// than the width is cut). Continuation lines start two spaces further in than the text.
fn wrap_cell(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= width {
        return vec![text.to_string()];
    }
    // Continuation lines keep the cell's own indent, two spaces further in.
    let lead = chars
        .iter()
        .take_while(|c| **c == ' ')
        .count()
        .min(width / 4);
    let more = format!("{}  ", " ".repeat(lead));
    let mut lines = Vec::new();
    let mut rest: &[char] = &chars;
    let mut room = width;
    while rest.len() > room {
        // Break after the last space that leaves at least half the line filled.
        let at = (room / 2..room)
            .rev()
            .find(|&i| rest[i] == ' ')
            .map(|i| i + 1)
            .unwrap_or(room);
        let line: String = rest[..at].iter().collect();
        let prefix = if lines.is_empty() { "" } else { more.as_str() };
        lines.push(format!("{prefix}{}", line.trim_end()));
        rest = &rest[at..];
        while rest.first() == Some(&' ') {
            rest = &rest[1..];
        }
        room = width - more.len();
    }
    if !rest.is_empty() {
        let line: String = rest.iter().collect();
        let prefix = if lines.is_empty() { "" } else { more.as_str() };
        lines.push(format!("{prefix}{line}"));
    }
    lines
}

fn one_line(message: &str) -> String {
    message.lines().next().unwrap_or("").to_string()
}

fn crash_reason(status: &str, stderr: &str) -> String {
    let last = stderr
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if stderr.contains("overflowed its stack") {
        format!("stack overflow ({status}): does a poll call itself forever?")
    } else if last.is_empty() {
        status.to_string()
    } else {
        format!("{status}: {last}")
    }
}

/// Formats expected and actual traces in two columns, marking the rows that differ with `>`.
/// The table fits in [`REPORT_WIDTH`] columns with `indent`: a cell too long for its column wraps
/// onto the next lines (two spaces further in), the other column left blank, so the `|` stays in
/// place.
pub fn side_by_side(expected: &[String], actual: &[String], indent: &str) -> String {
    side_by_side_in(expected, actual, indent, REPORT_WIDTH)
}

/// [`side_by_side`] within `width` columns.
pub fn side_by_side_in(
    expected: &[String],
    actual: &[String],
    indent: &str,
    width: usize,
) -> String {
    let longest = |lines: &[String]| lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    // Two columns share what is left after the indent, the mark and the ` | `.
    let room = width.saturating_sub(indent.len() + 5).max(40);
    let (left, right) = (longest(expected).max(8), longest(actual).max(6));
    let left = if left + right <= room || left <= room / 2 {
        left
    } else if right <= room / 2 {
        room - right
    } else {
        room / 2
    };
    let right = room - left;
    let mut out = format!("{indent}  {:<left$} | actual", "expected");
    for i in 0..expected.len().max(actual.len()) {
        let e = wrap_cell(expected.get(i).map(String::as_str).unwrap_or(""), left);
        let a = wrap_cell(actual.get(i).map(String::as_str).unwrap_or(""), right);
        let mark = if expected.get(i) == actual.get(i) {
            ' '
        } else {
            '>'
        };
        for row in 0..e.len().max(a.len()) {
            let m = if row == 0 { mark } else { ' ' };
            let e = e.get(row).map(String::as_str).unwrap_or("");
            let a = a.get(row).map(String::as_str).unwrap_or("");
            let line = format!("{indent}{m} {e:<left$} | {a}");
            out.push('\n');
            out.push_str(line.trim_end());
        }
    }
    out
}

/// The `INSTA_*` variables among `vars`: a sign that someone tries to make snapshots pass.
pub fn insta_overrides(vars: impl Iterator<Item = (String, String)>) -> Vec<String> {
    vars.map(|(k, _)| k)
        .filter(|k| k.starts_with("INSTA_"))
        .collect()
}

/// The learner's grading command: grades every exercise of `exercises()` (filtered by the
/// command-line words, such as `ch03`), prints a report per exercise, the progress table, the
/// next exercise to work on and a closing `N passed, N failed` line, and exits with 0 only if all
/// passed. `--hint` also prints the full recipe of the failing exercises (of every exercise the
/// filter chose, when there is a filter).
pub fn learner_main(exercises: fn() -> Vec<Exercise>) -> ! {
    child_if_requested(|| {
        vec![Set {
            label: "learner".into(),
            exercises: exercises(),
        }]
    });
    let args: Vec<String> = std::env::args().skip(1).collect();
    let status_file = std::env::var_os(STATUS_VARIABLE);
    let code = learner_run(
        "learner",
        &exercises(),
        &args,
        LEARNER_DEADLINE,
        status_file.as_deref().map(Path::new),
        &mut std::io::stdout(),
    );
    std::process::exit(code);
}

/// The environment variable that asks [`learner_main`] to write what it graded to the file it
/// names (see [`StatusEntry`]): how watch mode learns the outcome and the report of a run.
pub const STATUS_VARIABLE: &str = "TINYIO_GRADER_STATUS";

/// One graded exercise in the status file: a line `<id> <status word> <failing scenario or ->`,
/// then the report's lines, each after `| `.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusEntry {
    /// The exercise's id.
    pub id: String,
    /// How grading ended.
    pub status: Status,
    /// The first failing scenario, if any.
    pub failing: Option<String>,
    /// The report, exactly as `cargo test` prints it (with the recipe when `--hint` asked for it).
    pub report: String,
}

impl StatusEntry {
    /// The entry's text in the status file.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{} {} {}\n",
            self.id,
            self.status.word(),
            self.failing.as_deref().unwrap_or("-")
        );
        for line in self.report.lines() {
            text.push_str(&format!("| {line}\n"));
        }
        text
    }

    /// The entries of a status file.
    pub fn parse(text: &str) -> Vec<StatusEntry> {
        let mut entries: Vec<StatusEntry> = Vec::new();
        for line in text.lines() {
            if let Some(report_line) = line.strip_prefix("| ").or(line.strip_prefix('|')) {
                if let Some(entry) = entries.last_mut() {
                    if !entry.report.is_empty() {
                        entry.report.push('\n');
                    }
                    entry.report.push_str(report_line);
                }
                continue;
            }
            let mut words = line.split_whitespace();
            let (Some(id), Some(word)) = (words.next(), words.next()) else {
                continue;
            };
            let Some(status) = Status::from_word(word) else {
                continue;
            };
            let failing = words.next().filter(|f| *f != "-").map(str::to_string);
            entries.push(StatusEntry {
                id: id.to_string(),
                status,
                failing,
                report: String::new(),
            });
        }
        entries
    }
}

/// One chapter's line in the progress table.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterProgress {
    /// The chapter number.
    pub chapter: u32,
    /// How many of its exercises passed.
    pub passed: usize,
    /// How many of its exercises were graded in this run.
    pub graded: usize,
    /// How many exercises the chapter has.
    pub total: usize,
}

/// The progress table: one cell per chapter, seven to a line. `ch01 0/2` is to do, `ch01 done`
/// finished; a chapter that a filter graded only in part says so: `ch05 1/2 graded: 1 ok`.
pub fn progress_table(chapters: &[ChapterProgress]) -> String {
    let cells: Vec<String> = chapters
        .iter()
        .map(|c| {
            let n = c.chapter;
            if c.graded < c.total {
                format!("ch{n:02} {}/{} graded: {} ok", c.graded, c.total, c.passed)
            } else if c.passed == c.total {
                format!("ch{n:02} done")
            } else {
                format!("ch{n:02} {}/{}", c.passed, c.total)
            }
        })
        .collect();
    let width = cells.iter().map(String::len).max().unwrap_or(0).max(9);
    let per_line = ((REPORT_WIDTH - 10) / (width + 1)).clamp(1, 7);
    let mut out = Vec::new();
    for (row, cells) in cells.chunks(per_line).enumerate() {
        let label = if row == 0 { "progress:" } else { "" };
        let cells: Vec<String> = cells.iter().map(|cell| format!("{cell:<width$}")).collect();
        out.push(format!("{label:<10}{}", cells.join(" ").trim_end()));
    }
    out.join("\n")
}

/// The exercises whose id contains one of `filters` (all of them without filters).
pub fn choose<'a>(all: &'a [Exercise], filters: &[String]) -> Vec<&'a Exercise> {
    all.iter()
        .filter(|e| filters.is_empty() || filters.iter().any(|f| e.id.contains(f.as_str())))
        .collect()
}

/// The recipe of an exercise as `--hint` prints it.
pub fn recipe_text(exercise: &Exercise) -> String {
    let w = "      ";
    let mut text = format!("  recipe for {} ({}):", exercise.id, exercise.file);
    for paragraph in exercise.recipe.split("\n\n") {
        text.push_str(&wrap(paragraph, w));
    }
    text
}

/// [`learner_main`] without the process around it: grades the exercises of `all` that `args`
/// choose (in the child set `label`), writes the report to `out` and returns the exit code.
pub fn learner_run(
    label: &str,
    all: &[Exercise],
    args: &[String],
    deadline: Duration,
    status_file: Option<&Path>,
    out: &mut dyn Write,
) -> i32 {
    let filters: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .cloned()
        .collect();
    let want_hint = args.iter().any(|a| a == "--hint");
    let chosen = choose(all, &filters);
    let _ = writeln!(out);
    let overrides = insta_overrides(std::env::vars());
    if !overrides.is_empty() {
        let _ = writeln!(
            out,
            "tinyio grader: refusing to grade while {} is set.\n\
             The grader compares your traces with the committed expected files by itself; insta's\n\
             overrides change nothing here. Unset it (`unset {}`) and run `cargo test` again.\n",
            overrides.join(", "),
            overrides[0]
        );
        let _ = writeln!(out, "0 passed, {} failed", chosen.len());
        return 1;
    }
    if chosen.is_empty() {
        let _ = writeln!(
            out,
            "tinyio grader: no exercise matches {filters:?}. The exercises are: {}",
            all.iter().map(|e| e.id).collect::<Vec<_>>().join(", ")
        );
        let _ = writeln!(out, "0 passed, 0 failed");
        return 1;
    }
    let _ = writeln!(out, "tinyio workbook: grading {} exercise(s)", chosen.len());
    let mut chapter = 0;
    let mut passed = 0;
    let mut first_failed: Option<&Exercise> = None;
    let mut tampered = false;
    let mut chapters: Vec<ChapterProgress> = Vec::new();
    let mut statuses = String::new();
    for exercise in &chosen {
        if exercise.chapter != chapter {
            chapter = exercise.chapter;
            let _ = writeln!(out, "\nchapter {chapter}: {}", exercise.title);
        }
        let graded = grade(label, exercise, deadline);
        let mut report = graded.report.clone();
        if want_hint && (!graded.passed || !filters.is_empty()) {
            report.push('\n');
            report.push_str(&recipe_text(exercise));
        }
        let _ = writeln!(out, "{report}");
        let _ = out.flush();
        let entry = StatusEntry {
            id: exercise.id.to_string(),
            status: graded.status,
            failing: graded.failing.map(str::to_string),
            report,
        };
        statuses.push_str(&entry.to_text());
        tampered |= graded.tampered;
        match chapters.last_mut() {
            Some(c) if c.chapter == exercise.chapter => c.graded += 1,
            _ => chapters.push(ChapterProgress {
                chapter: exercise.chapter,
                passed: 0,
                graded: 1,
                total: all.iter().filter(|e| e.chapter == exercise.chapter).count(),
            }),
        }
        if graded.passed {
            passed += 1;
            if let Some(c) = chapters.last_mut() {
                c.passed += 1;
            }
        } else if first_failed.is_none() {
            first_failed = Some(exercise);
        }
    }
    if let Some(path) = status_file {
        let _ = std::fs::write(path, &statuses);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", progress_table(&chapters));
    let left_out: Vec<&str> = all
        .iter()
        .filter(|e| chapters.iter().any(|c| c.chapter == e.chapter))
        .filter(|e| !chosen.iter().any(|c| c.id == e.id))
        .map(|e| e.id)
        .collect();
    if !left_out.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            wrap(
                &format!(
                    "not graded (left out by the filter): {}",
                    left_out.join(", ")
                ),
                ""
            )
            .trim_start_matches('\n')
        );
    }
    let next = match first_failed {
        _ if tampered => "next: restore the expected files (`git checkout -- grader/expected`), \
                          then grade again"
            .to_string(),
        Some(e) => format!(
            "next: chapter {} — edit {}, then run `cargo test ch{:02}`",
            e.chapter, e.file, e.chapter
        ),
        None if filters.is_empty() => {
            "next: every exercise passes. Well done! The book goes on from here.".to_string()
        }
        None if !left_out.is_empty() => format!(
            "next: these pass; `cargo test ch{:02}` grades the whole chapter.",
            all.iter()
                .find(|e| e.id == left_out[0])
                .map_or(0, |e| e.chapter)
        ),
        None => "next: these pass; run `cargo test` to see all exercises.".to_string(),
    };
    let _ = writeln!(out, "{}", wrap(&next, "").trim_start_matches('\n'));
    let failed = chosen.len() - passed;
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    let _ = out.flush();
    if failed == 0 { 0 } else { 1 }
}

/// The workspace root (the folder that holds `grader/`).
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("grader/ sits in the workspace root")
}

/// Whether a panic location's file is the exercise's file (locations may be relative to the
/// workspace root or to the crate, with either separator).
fn same_file(location: &str, exercise_file: &str) -> bool {
    let location = location.replace('\\', "/");
    location == exercise_file
        || exercise_file.ends_with(&format!("/{location}"))
        || location.ends_with(&format!("/{exercise_file}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_insta_variable_is_an_override() {
        let vars = [
            ("INSTA_FORCE_PASS", "1"),
            ("PATH", "/bin"),
            ("INSTA_UPDATE", "always"),
        ];
        let vars = vars.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        assert_eq!(insta_overrides(vars), ["INSTA_FORCE_PASS", "INSTA_UPDATE"]);
    }

    #[test]
    fn protocol_text_survives_escaping() {
        let text = "a\\b\nc \\n";
        let escaped = text.replace('\\', "\\\\").replace('\n', "\\n");
        assert!(!escaped.contains('\n'));
        assert_eq!(unescape(&escaped), text);
    }

    #[test]
    fn status_entries_survive_the_file() {
        let entries = [
            StatusEntry {
                id: "ch01_countdown".into(),
                status: Status::Failed,
                failing: Some("three".into()),
                report: "  FAIL  ch01_countdown\n      | a line with a bar\n\n      end".into(),
            },
            StatusEntry {
                id: "ch01_hello".into(),
                status: Status::Passed,
                failing: None,
                report: "  ok    ch01_hello        (4 scenarios)".into(),
            },
        ];
        let text: String = entries.iter().map(StatusEntry::to_text).collect();
        assert_eq!(StatusEntry::parse(&text), entries);
    }

    #[test]
    fn the_progress_table_says_what_a_filter_left_out() {
        let c = |chapter, passed, graded, total| ChapterProgress {
            chapter,
            passed,
            graded,
            total,
        };
        assert_eq!(
            progress_table(&[c(4, 1, 1, 1), c(5, 1, 1, 2)]),
            "progress: ch04 done             ch05 1/2 graded: 1 ok"
        );
        assert_eq!(
            progress_table(&[c(1, 0, 2, 2), c(2, 2, 2, 2)]),
            "progress: ch01 0/2  ch02 done"
        );
    }

    #[test]
    fn long_cells_wrap_and_keep_the_bar_in_place() {
        let long = "  job dropped unfinished at 3s, after a very long story that goes on and on \
                    and on until it cannot fit in one column of the table any more";
        let e = [long.to_string(), "short".to_string()];
        let a = ["x".repeat(150), "short".to_string()];
        let table = side_by_side(&e, &a, "      ");
        let bar = table.lines().next().unwrap().find(" | ").unwrap() + 1;
        for row in table.lines() {
            assert!(row.chars().count() <= REPORT_WIDTH, "{row}");
            assert_eq!(row.chars().nth(bar), Some('|'), "{table}");
        }
        // A continuation keeps the cell's indent, two spaces further in.
        assert!(
            table.lines().nth(2).unwrap().starts_with("          "),
            "{table}"
        );
        assert_eq!(wrap_cell("fits", 8), ["fits"]);
    }

    #[test]
    fn side_by_side_marks_the_rows_that_differ() {
        let e = ["same".to_string(), "left".to_string()];
        let a = ["same".to_string(), "right".to_string(), "extra".to_string()];
        let table = side_by_side(&e, &a, "");
        let rows: Vec<&str> = table.lines().collect();
        assert_eq!(rows[1], "  same     | same");
        assert_eq!(rows[2], "> left     | right");
        assert_eq!(rows[3], ">          | extra");
    }
}
