//! Proves the runner itself (`grader::runner`): what the child prints, how it is stopped, what
//! the report looks like. Planted exercises stand for learner code that prints a lot, forges the
//! grader's records, starts processes and hangs; each check failed before the fix it guards.
//!
//! Like `graders.rs`, this binary is its own grading child (`--grader-child`), so it has no test
//! harness: `cargo test -p selftest --test runner [filter]`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use grader::runner::{Set, Status, grade, learner_run, workspace_root};
use grader::{Exercise, ch01, ch11, ch12, ch13};
use selftest::planted;

struct Solution;
grader::bind_all!(Solution, solutions);

struct Stub;
grader::bind_all!(Stub, exercises);

struct TimeoutKeepsInner;
grader::bind_timeout!(TimeoutKeepsInner, planted::ch12::timeout_keeps_inner);
struct PoolCountsTwice;
grader::bind_pool!(PoolCountsTwice, planted::ch13::pool_counts_twice);
struct AsCompletedInOrder;
grader::bind_as_completed!(AsCompletedInOrder, planted::ch11::as_completed_in_order);
struct FlagNoRecheck;
grader::bind_flag!(FlagNoRecheck, planted::ch02::flag_no_recheck);

const DEADLINE: Duration = Duration::from_secs(5);

fn solution_set() -> Vec<Exercise> {
    grader::all_of::<Solution>()
}

fn stub_set() -> Vec<Exercise> {
    grader::all_of::<Stub>()
}

/// The solution's scenario `name` of ch01_countdown, run as the learner's code would be.
fn real(name: &str) {
    let exercise = ch01::countdown::<Solution>();
    let scenario = exercise.scenarios.iter().find(|s| s.name == name).unwrap();
    (scenario.run)()
}

/// ch01_countdown graded with the solution, each scenario doing `before` first.
fn countdown_with(runs: [fn(); 3]) -> Exercise {
    let mut exercise = ch01::countdown::<Solution>();
    for (scenario, run) in exercise.scenarios.iter_mut().zip(runs) {
        scenario.run = run;
    }
    exercise
}

fn loud_stderr(name: &str) {
    // 200 KiB on stderr, more than a pipe and the old reader's 64 KiB together.
    for i in 0..2000 {
        eprintln!("{i:>5} {}", "e".repeat(100));
    }
    real(name)
}

fn loud_stdout(name: &str) {
    // 2 MiB of prints, twice the old cap on what was read.
    for i in 0..20_000 {
        println!("{i:>5} {}", "o".repeat(100));
    }
    real(name)
}

fn no_newline(name: &str) {
    // 3 MiB without a newline: the record that follows shares its line.
    let chunk = "x".repeat(1 << 16);
    for _ in 0..48 {
        print!("{chunk}");
    }
    real(name)
}

/// A wrong answer that writes what it wants the grader to read: the expected traces, as records,
/// in the old format and with every key it can find (its arguments and environment).
fn forge() {
    let exercise = ch01::countdown::<Solution>();
    let mut keys = vec![String::new()];
    keys.extend(std::env::args());
    keys.extend(std::env::vars().map(|(_, v)| v));
    let mut out = std::io::stdout().lock();
    for key in &keys {
        let at = if key.is_empty() {
            "@".to_string()
        } else {
            format!("@{key} ")
        };
        for scenario in &exercise.scenarios {
            let _ = writeln!(out, "{at}scenario {}", scenario.name);
            for line in grader::manifest::read_expected(exercise.id, scenario.name) {
                let _ = writeln!(out, "{at}line {line}");
            }
            let _ = writeln!(out, "{at}ok");
        }
        let _ = writeln!(out, "{at}end");
    }
    let _ = out.flush();
    std::process::exit(0);
}

/// Where a planted exercise writes the process id of what it started: a file per run of this
/// binary (the grading child names it by its parent's id).
fn pid_file(name: &str) -> PathBuf {
    let owner = if std::env::args().nth(1).as_deref() == Some("--grader-child") {
        #[cfg(unix)]
        let parent = std::os::unix::process::parent_id();
        #[cfg(not(unix))]
        let parent = 0;
        parent
    } else {
        std::process::id()
    };
    pid_file_of(owner, name)
}

fn pid_file_of(owner: u32, name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("tinyio-runner-{owner}-{name}.pid"))
}

/// Starts a process that the planted exercise leaves running (never waited for, on purpose).
#[allow(clippy::zombie_processes)]
fn start(name: &str, program: &[&str]) {
    // Where the program does not exist (`setsid` outside Linux), the exercise only hangs.
    if let Ok(child) = std::process::Command::new(program[0])
        .args(&program[1..])
        .spawn()
    {
        std::fs::write(pid_file(name), child.id().to_string()).unwrap();
    }
}

fn hang() -> ! {
    loop {
        std::thread::sleep(Duration::from_secs(1));
    }
}

fn grandchild_then_hang() {
    start("grandchild", &["sleep", "30"]);
    hang()
}

fn escaped_then_hang() {
    // `setsid` leaves the process group: killing the group misses it, and it holds the pipes.
    start("escaped", &["setsid", "sleep", "30"]);
    hang()
}

fn grandchild_then_pass() {
    start("left_behind", &["sleep", "30"]);
    real("zero")
}

/// An earlier exercise's function the learner has not written yet (its `todo!()` is in this
/// file, not in the graded exercise's file).
fn unwritten() {
    todo!()
}

/// ch01_countdown whose scenarios all reach a `todo!()`; `file` is the exercise's file.
fn all_todo(file: &'static str) -> Exercise {
    let mut exercise = countdown_with([unwritten, unwritten, unwritten]);
    exercise.file = file;
    exercise
}

fn planted_sets() -> Vec<(&'static str, Exercise)> {
    vec![
        (
            "todo_elsewhere",
            all_todo("exercises/src/ch01_countdown.rs"),
        ),
        ("todo_here", all_todo("selftest/tests/runner.rs")),
        (
            "loud_stderr",
            countdown_with([
                || loud_stderr("zero"),
                || loud_stderr("three"),
                || loud_stderr("block_on"),
            ]),
        ),
        (
            "loud_stdout",
            countdown_with([
                || loud_stdout("zero"),
                || loud_stdout("three"),
                || loud_stdout("block_on"),
            ]),
        ),
        (
            "no_newline",
            countdown_with([
                || no_newline("zero"),
                || no_newline("three"),
                || no_newline("block_on"),
            ]),
        ),
        ("forge", countdown_with([forge, forge, forge])),
        (
            "grandchild",
            countdown_with([grandchild_then_hang, || real("three"), || real("block_on")]),
        ),
        (
            "escaped",
            countdown_with([escaped_then_hang, || real("three"), || real("block_on")]),
        ),
        (
            "left_behind",
            countdown_with([grandchild_then_pass, || real("three"), || real("block_on")]),
        ),
        ("timeout_keeps_inner", ch12::timeout::<TimeoutKeepsInner>()),
        ("pool_counts_twice", ch13::pool::<PoolCountsTwice>()),
        (
            "as_completed_in_order",
            ch11::as_completed::<AsCompletedInOrder>(),
        ),
        ("flag_no_recheck", grader::ch02::flag::<FlagNoRecheck>()),
    ]
}

fn sets() -> Vec<Set> {
    let mut sets = vec![
        Set {
            label: "solution".into(),
            exercises: solution_set(),
        },
        Set {
            label: "stub".into(),
            exercises: stub_set(),
        },
    ];
    for (name, exercise) in planted_sets() {
        sets.push(Set {
            label: name.into(),
            exercises: vec![exercise],
        });
    }
    sets
}

fn planted(name: &str) -> Exercise {
    planted_sets()
        .into_iter()
        .find(|p| p.0 == name)
        .map(|p| p.1)
        .unwrap()
}

/// Grades a planted exercise, returning the result and how long it took.
fn graded(name: &str, deadline: Duration) -> (grader::runner::Graded, Duration) {
    let start = Instant::now();
    let graded = grade(name, &planted(name), deadline);
    (graded, start.elapsed())
}

/// Whether a process is gone (or a zombie nobody reaps: it runs no more), within a second (a
/// killed process takes a moment to die).
fn gone(pid: &str) -> bool {
    let dead = || {
        if !Path::new("/proc/self").exists() {
            // No /proc (macOS): ask kill(1) whether the process exists.
            return !std::process::Command::new("kill")
                .args(["-0", pid])
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
        }
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat
                .rsplit_once(") ")
                .is_some_and(|(_, rest)| rest.starts_with('Z')),
        }
    };
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(1) {
        if dead() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn kill(pid: &str) {
    let _ = std::process::Command::new("kill")
        .args(["-KILL", pid])
        .status();
}

type Check = fn() -> Result<(), String>;

fn ensure(ok: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(message()) }
}

fn passes(name: &str) -> Result<(), String> {
    let (graded, took) = graded(name, DEADLINE);
    ensure(graded.passed, || {
        format!("a correct answer failed:\n{}", graded.report)
    })?;
    ensure(took < Duration::from_secs(4), || {
        format!("grading took {took:?}")
    })
}

fn checks() -> Vec<(&'static str, Check)> {
    vec![
        (
            "a todo!() in another exercise's file is named, not called this one's",
            || {
                let (elsewhere, _) = graded("todo_elsewhere", DEADLINE);
                ensure(
                    elsewhere.plain.contains(
                        "not started: a todo!() still runs in selftest/tests/runner.rs, which \
                         this exercise uses",
                    ),
                    || format!("the other file is not named:\n{}", elsewhere.report),
                )?;
                let (here, _) = graded("todo_here", DEADLINE);
                ensure(
                    here.plain
                        .contains("not started: its todo!() still runs. Write your code there"),
                    || {
                        format!(
                            "its own todo!() is not called not started:\n{}",
                            here.report
                        )
                    },
                )
            },
        ),
        ("a correct answer may write 200 KiB to stderr", || {
            passes("loud_stderr")
        }),
        ("a correct answer may print 2 MiB to stdout", || {
            passes("loud_stdout")
        }),
        ("a correct answer may print 3 MiB without a newline", || {
            passes("no_newline")
        }),
        ("printed records cannot pass a wrong answer", || {
            let (graded, _) = graded("forge", DEADLINE);
            ensure(!graded.passed, || {
                format!("forged records passed:\n{}", graded.report)
            })?;
            ensure(graded.report.contains("your code printed"), || {
                format!(
                    "the forged records are not shown as prints:\n{}",
                    graded.report
                )
            })
        }),
        (
            "a hang that started a process is stopped at the deadline",
            || {
                let (graded, took) = graded("grandchild", Duration::from_secs(1));
                let pid = std::fs::read_to_string(pid_file("grandchild")).unwrap_or_default();
                let _ = std::fs::remove_file(pid_file("grandchild"));
                let was_gone = !pid.is_empty() && gone(&pid);
                if !pid.is_empty() && !was_gone {
                    kill(&pid);
                }
                ensure(took < Duration::from_secs(4), || {
                    format!("grading took {took:?} for a 1 s deadline")
                })?;
                ensure(graded.report.contains("no result within 1 s"), || {
                    graded.report.clone()
                })?;
                ensure(was_gone, || {
                    format!("the process it started ({pid}) still runs")
                })
            },
        ),
        (
            "a process that left the group does not hold grading",
            || {
                let (graded, took) = graded("escaped", Duration::from_secs(1));
                let pid = std::fs::read_to_string(pid_file("escaped")).unwrap_or_default();
                let _ = std::fs::remove_file(pid_file("escaped"));
                if !pid.is_empty() {
                    kill(&pid);
                }
                ensure(took < Duration::from_secs(4), || {
                    format!("grading took {took:?} for a 1 s deadline")
                })?;
                ensure(graded.status == Status::Hung, || graded.report.clone())
            },
        ),
        (
            "a passing answer that leaves a process behind is graded at once",
            || {
                let (graded, took) = graded("left_behind", DEADLINE);
                let pid = std::fs::read_to_string(pid_file("left_behind")).unwrap_or_default();
                let _ = std::fs::remove_file(pid_file("left_behind"));
                let was_gone = !pid.is_empty() && gone(&pid);
                if !pid.is_empty() && !was_gone {
                    kill(&pid);
                }
                ensure(graded.passed, || graded.report.clone())?;
                ensure(took < Duration::from_secs(3), || format!("took {took:?}"))?;
                ensure(was_gone, || {
                    format!("the process it left ({pid}) still runs")
                })
            },
        ),
        (
            "a grading child and its process stop when the grader is stopped",
            || {
                // A grader (this binary, started again) grades a hanging exercise that started a
                // process; the grader is killed, as Ctrl-C would stop `cargo test`.
                let exe = std::env::current_exe().unwrap();
                let mut grader = std::process::Command::new(exe)
                    .arg("--grade-and-wait")
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .unwrap();
                let file = pid_file_of(grader.id(), "grandchild");
                let start = Instant::now();
                while !file.exists() && start.elapsed() < Duration::from_secs(20) {
                    std::thread::sleep(Duration::from_millis(20));
                }
                std::thread::sleep(Duration::from_millis(100));
                let pid = std::fs::read_to_string(&file).unwrap_or_default();
                let _ = std::fs::remove_file(&file);
                let _ = grader.kill();
                let _ = grader.wait();
                let was_gone = !pid.is_empty() && gone(&pid);
                if !pid.is_empty() && !was_gone {
                    kill(&pid);
                }
                ensure(!pid.is_empty(), || {
                    "the planted exercise never started".into()
                })?;
                ensure(was_gone, || {
                    format!("the process the exercise started ({pid}) still runs")
                })
            },
        ),
        (
            "after a hang, the other scenarios are not run, not failing",
            || {
                let (graded, _) = graded("grandchild", Duration::from_secs(1));
                if let Ok(pid) = std::fs::read_to_string(pid_file("grandchild")) {
                    kill(&pid);
                }
                let _ = std::fs::remove_file(pid_file("grandchild"));
                let report = &graded.report;
                ensure(
                    report.contains("not run (after the hang): three, block_on")
                        && !report.contains("also failing"),
                    || report.clone(),
                )
            },
        ),
        (
            "the report's columns stay aligned and within 100 columns",
            || {
                for name in [
                    "timeout_keeps_inner",
                    "pool_counts_twice",
                    "as_completed_in_order",
                    "flag_no_recheck",
                ] {
                    let (graded, _) = graded(name, DEADLINE);
                    aligned(&graded.report).map_err(|e| format!("{name}: {e}"))?;
                }
                Ok(())
            },
        ),
        ("the file column is aligned for the longest id", || {
            let long = grade(
                "as_completed_in_order",
                &planted("as_completed_in_order"),
                DEADLINE,
            );
            let short = grade("flag_no_recheck", &planted("flag_no_recheck"), DEADLINE);
            let column = |r: &str| r.lines().next().and_then(|l| l.find("exercises/src"));
            ensure(
                column(&long.report) == column(&short.report) && column(&short.report).is_some(),
                || format!("{}\n{}", long.report, short.report),
            )
        }),
        ("the report says where the traces diverge", || {
            let (graded, _) = graded("flag_no_recheck", DEADLINE);
            ensure(
                graded
                    .report
                    .contains("diverge at row 4 (the first `>`); the rows after follow from it"),
                || graded.report.clone(),
            )
        }),
        ("a filtered run says what the filter left out", || {
            let (out, code) = run(&["ch05_gather"], "solution", None);
            ensure(code == 0, || out.clone())?;
            ensure(
                out.contains("ch05 1/2 graded: 1 ok")
                    && !out.contains("ch05 done")
                    && out.contains("not graded (left out by the filter): ch05_try_gather")
                    && out.contains("`cargo test ch05` grades the whole chapter"),
                || out.clone(),
            )?;
            let (out, _) = run(&["ch05"], "solution", None);
            ensure(
                out.contains("progress: ch05 done") && !out.contains("not graded"),
                || out.clone(),
            )
        }),
        ("--hint prints the recipe of the chosen exercises", || {
            let all = solution_set();
            let (out, _) = run(&["ch05", "--hint"], "solution", None);
            for exercise in all.iter().filter(|e| e.chapter == 5) {
                let first_words: String = exercise
                    .recipe
                    .split_whitespace()
                    .take(6)
                    .collect::<Vec<_>>()
                    .join(" ");
                ensure(
                    out.contains(&format!("recipe for {}", exercise.id))
                        && out
                            .replace("\n      ", " ")
                            .replace("  ", " ")
                            .contains(&first_words),
                    || format!("no recipe for {}:\n{out}", exercise.id),
                )?;
            }
            let (out, _) = run(&["ch05"], "solution", None);
            ensure(!out.contains("recipe for"), || out.clone())?;
            // Without a filter, only the failing exercises' recipes.
            let (out, _) = run(&["ch01_countdown", "--hint"], "stub", None);
            ensure(out.contains("recipe for ch01_countdown"), || out.clone())
        }),
        ("the status file lists every graded exercise", || {
            let path = std::env::temp_dir().join(format!("tinyio-status-{}", std::process::id()));
            let (_, _) = run(&["ch01"], "stub", Some(&path));
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let _ = std::fs::remove_file(&path);
            let entries = grader::runner::StatusEntry::parse(&text);
            let found: Vec<(&str, Status)> =
                entries.iter().map(|e| (e.id.as_str(), e.status)).collect();
            ensure(
                found
                    == [
                        ("ch01_countdown", Status::NotStarted),
                        ("ch01_hello", Status::NotStarted),
                    ]
                    && entries[0].report.starts_with("  FAIL  ch01_countdown")
                    && entries[0]
                        .report
                        .contains("not started: its todo!() still runs"),
                || text.clone(),
            )
        }),
        (
            "every crate forbids unsafe code through the workspace lints",
            workspace_lints,
        ),
    ]
}

/// Runs the learner's command on a set with `args`; returns what it printed and its exit code.
fn run(args: &[&str], label: &str, status: Option<&std::path::Path>) -> (String, i32) {
    let all = if label == "stub" {
        stub_set()
    } else {
        solution_set()
    };
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let mut out = Vec::new();
    let code = learner_run(label, &all, &args, DEADLINE, status, &mut out);
    (String::from_utf8_lossy(&out).into_owned(), code)
}

/// Every line at most 100 columns, and the `|` of every row of the table in one column.
fn aligned(report: &str) -> Result<(), String> {
    let mut bar = None;
    for line in report.lines() {
        if line.chars().count() > grader::runner::REPORT_WIDTH {
            return Err(format!(
                "a line is wider than 100 columns:\n{line}\n\n{report}"
            ));
        }
        if line.trim_start().starts_with("expected") && line.ends_with("| actual") {
            bar = line.find(" | ").map(|b| b + 1);
        } else if line.contains("diverge at row") {
            bar = None;
        } else if let Some(at) = bar {
            if line.chars().nth(at) != Some('|') {
                return Err(format!(
                    "a row's `|` is not in column {at}:\n{line}\n\n{report}"
                ));
            }
        }
    }
    match bar {
        Some(_) => Err(format!("no `diverge at row` after the table:\n{report}")),
        None => Ok(()),
    }
}

/// The root manifest forbids `unsafe_code` for the workspace, and every member takes it.
fn workspace_lints() -> Result<(), String> {
    let root = workspace_root();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let section = |text: &str, name: &str| -> String {
        text.split("\n[")
            .find(|s| s.starts_with(&format!("{name}]")))
            .map(|s| s.to_string())
            .unwrap_or_default()
    };
    ensure(
        section(&manifest, "workspace.lints.rust").contains("unsafe_code = \"forbid\""),
        || "Cargo.toml has no `[workspace.lints.rust] unsafe_code = \"forbid\"`".into(),
    )?;
    let members = section(&manifest, "workspace");
    let list = members
        .split_once("members = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list.to_string())
        .unwrap_or_default();
    let members: Vec<&str> = list
        .split(',')
        .map(|m| m.trim().trim_matches('"'))
        .filter(|m| !m.is_empty())
        .collect();
    ensure(members.len() >= 7, || format!("members: {members:?}"))?;
    for member in members {
        let text = std::fs::read_to_string(root.join(member).join("Cargo.toml")).unwrap();
        ensure(
            section(&format!("\n{text}"), "lints").contains("workspace = true"),
            || format!("{member}/Cargo.toml has no `[lints] workspace = true`"),
        )?;
    }
    Ok(())
}

fn main() {
    grader::runner::child_if_requested(sets);
    if std::env::args().nth(1).as_deref() == Some("--grade-and-wait") {
        // For the check above: grade a hanging exercise with a long deadline, until killed.
        grade(
            "grandchild",
            &planted("grandchild"),
            Duration::from_secs(60),
        );
        return;
    }
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let mut failed = 0;
    let mut passed = 0;
    println!("\nself-test of the runner\n");
    for (what, check) in checks() {
        if !filters.is_empty() && !filters.iter().any(|f| what.contains(f.as_str())) {
            continue;
        }
        if cfg!(not(unix)) && what.contains("process") {
            println!("skip  {what} (needs Unix process groups)");
            continue;
        }
        match check() {
            Ok(()) => {
                passed += 1;
                println!("ok    {what}");
            }
            Err(details) => {
                failed += 1;
                println!("FAIL  {what}\n{details}\n");
            }
        }
    }
    println!("\n{passed} passed, {failed} failed");
    std::process::exit(if failed == 0 { 0 } else { 1 });
}
