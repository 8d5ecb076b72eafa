//! Runs exercises in child processes, compares their traces with the expected files, reports.
//!
//! The test binary is started again as a child, once per exercise, with the arguments
//! `--grader-child <set> <exercise>`. The child runs that exercise's scenarios and writes one
//! record per line on stdout (`@scenario`, `@line`, `@ok`, `@panic`, `@stop`, `@end`). The parent
//! reads the records while the child runs and kills it at the deadline, so an exercise that hangs,
//! spins or overflows its stack is reported as that, and the other exercises are still graded.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::{ECHO, Exercise, Stop, manifest};

/// How long one exercise may run when a learner grades it.
pub const LEARNER_DEADLINE: Duration = Duration::from_secs(10);

/// A named list of exercises the child process can find again by its label.
pub struct Set {
    /// The label passed to the child, such as `learner` or `planted/ch03_block_on/busy_spin`.
    pub label: String,
    /// The exercises of this set.
    pub exercises: Vec<Exercise>,
}

/// Writes one protocol record on stdout (used by the child).
pub(crate) fn emit(kind: &str, text: &str) {
    let text = text.replace('\\', "\\\\").replace('\n', "\\n");
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "@{kind} {text}");
    let _ = out.flush();
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
    // Panics are reported through the protocol, with their message and without a location.
    std::panic::set_hook(Box::new(|_| {}));
    ECHO.store(true, Ordering::Relaxed);
    for scenario in &exercise.scenarios {
        emit("scenario", scenario.name);
        crate::take_trace();
        match std::panic::catch_unwind(scenario.run) {
            Ok(()) => emit("ok", ""),
            Err(payload) => match payload.downcast_ref::<Stop>() {
                Some(Stop(message)) => emit("stop", message),
                None => emit("panic", &panic_text(&*payload)),
            },
        }
    }
    emit("end", "");
    std::process::exit(0);
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
    /// The actual trace of each scenario that ran, by name (for re-blessing expected files).
    pub actual: BTreeMap<String, Vec<String>>,
    /// Whether the expected files did not match the manifest (nothing was run).
    pub tampered: bool,
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
            report,
            actual: BTreeMap::new(),
            tampered: true,
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

fn run_child(label: &str, id: &str, deadline: Duration) -> ChildRun {
    let exe = std::env::current_exe().expect("the grader cannot find its own executable");
    let mut child = Command::new(exe)
        .args(["--grader-child", label, id])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the grader cannot start its child process");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    // Read both pipes while the child runs, so that a chatty child never blocks on a full pipe.
    let out_reader = std::thread::spawn(move || {
        let mut records = Vec::new();
        let mut kept = 0usize;
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // What the learner's code prints is kept too, to show it under a failure. A `print!`
            // without a newline can precede a record on the same line: split it off.
            let markers = ["@scenario ", "@line ", "@ok", "@panic ", "@stop ", "@end"];
            let at = markers.iter().filter_map(|m| line.find(m)).min();
            let (printed, record) = match at {
                Some(at) => line.split_at(at),
                None => (line.as_str(), ""),
            };
            kept += line.len();
            if kept > 1 << 20 {
                continue;
            }
            if !printed.is_empty() {
                records.push(("print".to_string(), printed.to_string()));
            }
            if let Some(rest) = record.strip_prefix('@') {
                let (kind, text) = rest.split_once(' ').unwrap_or((rest, ""));
                records.push((kind.to_string(), unescape(text)));
            }
        }
        records
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = (&mut stderr).take(1 << 16).read_to_end(&mut text);
        String::from_utf8_lossy(&text).into_owned()
    });
    let start = Instant::now();
    let mut killed = false;
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            killed = true;
            break child.wait().expect("wait for the killed child");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    ChildRun {
        records: out_reader.join().unwrap_or_default(),
        killed,
        status: status.to_string(),
        stderr: err_reader.join().unwrap_or_default(),
    }
}

fn header(exercise: &Exercise, passed: bool) -> String {
    let mark = if passed { "ok  " } else { "FAIL" };
    format!(
        "  {mark}  {:<16} {}",
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
    let mut not_started = 0;
    for scenario in &exercise.scenarios {
        let expected = manifest::read_expected(exercise.id, scenario.name);
        let found = traces.iter().find(|t| t.0 == scenario.name);
        let (mut lines, end) = match found {
            Some((_, lines, end)) => (lines.clone(), end.clone()),
            None => (Vec::new(), End::Unfinished),
        };
        match &end {
            End::Ok => {}
            End::Panic(m) => {
                if m.starts_with("not yet implemented") {
                    not_started += 1;
                }
                lines.push(format!("panicked: {}", one_line(m)));
            }
            End::Stop(m) => lines.push(format!("stopped: {m}")),
            End::Unfinished if found.is_none() => {
                lines.push("(not run: the grading process had stopped)".to_string())
            }
            End::Unfinished if run.killed => lines.push(format!(
                "(no result within {} s: the process was stopped here)",
                deadline.as_secs()
            )),
            End::Unfinished => lines.push(format!(
                "(the grading process died here: {})",
                crash_reason(&run.status, &run.stderr)
            )),
        }
        if found.is_some() {
            actual.insert(scenario.name.to_string(), lines.clone());
        }
        if lines != expected {
            failures.push((scenario, expected, lines, end));
        }
    }
    if !ended && !run.killed && failures.is_empty() {
        failures.push((
            &exercise.scenarios[0],
            vec![],
            vec![crash_reason(&run.status, &run.stderr)],
            End::Unfinished,
        ));
    }

    let passed = failures.is_empty();
    let mut report = header(exercise, passed);
    if !passed {
        let w = "      ";
        if not_started == exercise.scenarios.len() {
            report.push_str(&format!(
                "\n{w}not started: its todo!() still runs. Write your code there, then run \
                 `cargo test {}`.",
                exercise.id
            ));
        } else {
            let (scenario, expected, lines, end) = &failures[0];
            if run.killed && *end == End::Unfinished {
                report.push_str(&format!(
                    "\n{w}no result within {} s: {}",
                    deadline.as_secs(),
                    exercise.on_hang
                ));
            }
            report.push_str(&format!(
                "\n{w}scenario `{}`: {}\n",
                scenario.name, scenario.checks
            ));
            report.push_str(&side_by_side(expected, lines, w));
            if let Some(prints) = printed.get(scenario.name) {
                report.push_str(&format!("\n{w}your code printed (not part of the trace):"));
                for line in prints.iter().take(15) {
                    report.push_str(&format!("\n{w}  {line}"));
                }
                if prints.len() > 15 {
                    report.push_str(&format!("\n{w}  ... {} more lines", prints.len() - 15));
                }
            }
            let hint = if scenario.hint.is_empty() {
                exercise.recipe
            } else {
                scenario.hint
            };
            report.push_str(&wrap(&format!("hint: {hint}"), w));
            if failures.len() > 1 {
                let others: Vec<&str> = failures[1..].iter().map(|f| f.0.name).collect();
                report.push_str(&format!("\n{w}also failing: {}", others.join(", ")));
            }
        }
    }
    Graded {
        id: exercise.id,
        passed,
        report,
        actual,
        tampered: false,
    }
}

/// Wraps `text` at about 96 columns, each line starting with a newline and `indent`.
fn wrap(text: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + word.len() >= 96 {
            out.push_str(&format!("\n{indent}{line}"));
            line = "  ".to_string();
        } else if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&format!("\n{indent}{line}"));
    out
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
pub fn side_by_side(expected: &[String], actual: &[String], indent: &str) -> String {
    let width = expected
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 60);
    let mut out = format!("{indent}  {:<width$} | actual", "expected");
    for i in 0..expected.len().max(actual.len()) {
        let e = expected.get(i).map(String::as_str).unwrap_or("");
        let a = actual.get(i).map(String::as_str).unwrap_or("");
        let mark = if expected.get(i) == actual.get(i) {
            ' '
        } else {
            '>'
        };
        out.push_str(&format!("\n{indent}{mark} {e:<width$} | {a}"));
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
/// command-line words, such as `ch03`), prints a report per exercise, the next exercise to work
/// on and a closing `N passed, N failed` line, and exits with 0 only if all passed.
pub fn learner_main(exercises: fn() -> Vec<Exercise>) -> ! {
    child_if_requested(|| {
        vec![Set {
            label: "learner".into(),
            exercises: exercises(),
        }]
    });
    let all = exercises();
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let chosen: Vec<&Exercise> = all
        .iter()
        .filter(|e| filters.is_empty() || filters.iter().any(|f| e.id.contains(f.as_str())))
        .collect();
    println!();
    let overrides = insta_overrides(std::env::vars());
    if !overrides.is_empty() {
        println!(
            "tinyio grader: refusing to grade while {} is set.\n\
             The grader compares your traces with the committed expected files by itself; insta's\n\
             overrides change nothing here. Unset it (`unset {}`) and run `cargo test` again.\n",
            overrides.join(", "),
            overrides[0]
        );
        println!("0 passed, {} failed", chosen.len());
        std::process::exit(1);
    }
    if chosen.is_empty() {
        println!(
            "tinyio grader: no exercise matches {filters:?}. The exercises are: {}",
            all.iter().map(|e| e.id).collect::<Vec<_>>().join(", ")
        );
        println!("0 passed, 0 failed");
        std::process::exit(1);
    }
    println!("tinyio workbook: grading {} exercise(s)", chosen.len());
    let mut chapter = 0;
    let mut passed = 0;
    let mut first_failed: Option<&Exercise> = None;
    let mut tampered = false;
    // Per chapter: (chapter, passed, exercises), in order.
    let mut chapters: Vec<(u32, usize, usize)> = Vec::new();
    for exercise in &chosen {
        if exercise.chapter != chapter {
            chapter = exercise.chapter;
            println!("\nchapter {chapter}: {}", exercise.title);
        }
        let graded = grade("learner", exercise, LEARNER_DEADLINE);
        println!("{}", graded.report);
        tampered |= graded.tampered;
        match chapters.last_mut() {
            Some(c) if c.0 == exercise.chapter => c.2 += 1,
            _ => chapters.push((exercise.chapter, 0, 1)),
        }
        if graded.passed {
            passed += 1;
            if let Some(c) = chapters.last_mut() {
                c.1 += 1;
            }
        } else if first_failed.is_none() {
            first_failed = Some(exercise);
        }
    }
    println!();
    // One cell per chapter, seven to a line: `ch01 0/2` to do, `ch01 done` finished.
    let progress: Vec<String> = chapters
        .iter()
        .map(|(chapter, ok, all)| {
            if ok == all {
                format!("ch{chapter:02} done")
            } else {
                format!("ch{chapter:02} {ok}/{all}")
            }
        })
        .collect();
    for (row, cells) in progress.chunks(7).enumerate() {
        let label = if row == 0 { "progress:" } else { "" };
        let cells: Vec<String> = cells.iter().map(|cell| format!("{cell:<9}")).collect();
        println!("{label:<10}{}", cells.join(" ").trim_end());
    }
    match first_failed {
        _ if tampered => println!(
            "next: restore the expected files (`git checkout -- grader/expected`), then grade again"
        ),
        Some(e) => println!(
            "next: chapter {} — edit {}, then run `cargo test ch{:02}`",
            e.chapter, e.file, e.chapter
        ),
        None if filters.is_empty() => {
            println!("next: every exercise passes. Well done! The book goes on from here.")
        }
        None => println!("next: these pass; run `cargo test` to see all exercises."),
    }
    let failed = chosen.len() - passed;
    println!("{passed} passed, {failed} failed");
    std::process::exit(if failed == 0 { 0 } else { 1 });
}

/// The workspace root (the folder that holds `grader/`).
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("grader/ sits in the workspace root")
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
