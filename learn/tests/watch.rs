//! Drives watch mode through its plain interface (stdout not a terminal) on a copy of the
//! workbook: a wrong answer saved shows FAIL, the solution saved shows ok and one more exercise
//! passing, `q` quits. Every wait is bounded; nothing sleeps.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant, SystemTime};

/// The tests share one target folder (a second build of the runtime and the grader would cost
/// minutes), so they take turns: two copies built at once would overwrite each other's binary.
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The workbook this crate sits in.
fn workbook() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// Copies the workbook (without `target/` and `.git`) to `to`. Files keep their modification
/// time, so a second run rebuilds little; the exercise files get a fresh one, so the copy's build
/// never takes an exercise written by an earlier run for the current one.
fn copy_workbook(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let (source, target) = (entry.path(), to.join(&*name));
        if entry.file_type().unwrap().is_dir() {
            if ["target", ".git", "book"].contains(&&*name) && from == workbook() {
                if name == "book" {
                    copy_workbook(&source.join("listings"), &target.join("listings"));
                }
                continue;
            }
            copy_workbook(&source, &target);
        } else {
            std::fs::create_dir_all(to).unwrap();
            std::fs::copy(&source, &target).unwrap();
            let fresh = source
                .parent()
                .is_some_and(|p| p.ends_with("exercises/src"));
            let time = if fresh {
                SystemTime::now()
            } else {
                entry.metadata().unwrap().modified().unwrap()
            };
            let file = std::fs::File::options().write(true).open(&target).unwrap();
            file.set_modified(time).unwrap();
        }
    }
}

/// Watch mode running on the copy, its screens read on a thread.
struct Learn {
    child: Child,
    stdin: ChildStdin,
    screens: Receiver<String>,
    transcript: String,
}

impl Learn {
    fn start(copy: &Path, args: &[&str]) -> Learn {
        let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("learn-target");
        let mut child = Command::new(env!("CARGO_BIN_EXE_learn"))
            .arg("--root")
            .arg(copy)
            .args(args)
            .env("CARGO_TARGET_DIR", target)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start watch mode");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, screens) = mpsc::channel();
        std::thread::spawn(move || {
            // A screen ends with the line of keys (the list, with its prompt).
            let mut screen = String::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                screen.push_str(&line);
                screen.push('\n');
                let last = line.starts_with("h hint") || line.starts_with("number:");
                if last && send.send(std::mem::take(&mut screen)).is_err() {
                    break;
                }
            }
        });
        Learn {
            child,
            stdin,
            screens,
            transcript: String::new(),
        }
    }

    /// Waits for a screen that `want` accepts, at most `limit`.
    fn wait(&mut self, what: &str, limit: Duration, want: impl Fn(&str) -> bool) -> String {
        let until = Instant::now() + limit;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.screens.recv_timeout(left) {
                Ok(screen) => {
                    self.transcript.push_str(&screen);
                    if want(&screen) {
                        return screen;
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    panic!(
                        "no screen with {what} within {limit:?}. What watch mode printed:\n{}",
                        self.transcript
                    );
                }
            }
        }
    }

    fn send(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends `q` and waits for the process to end.
    fn quit(mut self) {
        self.send("q");
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "watch mode ended with {status}");
                return;
            }
            if Instant::now() > until {
                let _ = self.child.kill();
                panic!("watch mode did not quit on q:\n{}", self.transcript);
            }
            // Wait for the exit without spinning: the screens thread ends with the output.
            let _ = self.screens.recv_timeout(Duration::from_millis(100));
        }
    }
}

/// The `K` of `K/N exercises pass` on a screen.
fn passing(screen: &str) -> usize {
    let line = screen
        .lines()
        .find(|l| l.ends_with("exercises pass"))
        .unwrap_or_else(|| panic!("no progress bar:\n{screen}"));
    let count = line.split("] ").nth(1).unwrap().split('/').next().unwrap();
    count.parse().unwrap()
}

#[test]
fn a_saved_answer_is_graded_and_counted() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let copy = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("learn-workbook");
    let _ = std::fs::remove_dir_all(&copy);
    copy_workbook(workbook(), &copy);
    let exercise = copy.join("exercises/src/ch01_countdown.rs");
    let solution = std::fs::read_to_string(workbook().join("solutions/src/ch01_countdown.rs"))
        .expect("the solution of ch01_countdown");
    // A plausible mistake: the future never asks to be polled again.
    let wrong = solution.replace("cx.waker().wake_by_ref();", "");
    assert_ne!(wrong, solution, "the planted mistake no longer applies");

    let mut learn = Learn::start(&copy, &["ch01_countdown"]);
    // The first build of the copy compiles the runtime and the grader: allow for it.
    learn.wait("the first screen", Duration::from_secs(900), |s| {
        s.contains("watching exercises/src/")
    });

    std::fs::write(&exercise, &wrong).unwrap();
    let failed = learn.wait("FAIL for the wrong answer", Duration::from_secs(300), |s| {
        s.contains("FAIL  ch01_countdown") && s.contains("scenario `")
    });
    assert!(failed.contains("expected"), "{failed}");

    std::fs::write(&exercise, &solution).unwrap();
    let passed = learn.wait("ok for the solution", Duration::from_secs(300), |s| {
        s.contains("ok    ch01_countdown")
    });
    assert_eq!(passing(&passed), passing(&failed) + 1, "{passed}");
    assert!(passed.contains("ch01_countdown passes!"), "{passed}");

    // h shows the hint tiers, l the list with the new status.
    learn.send("h");
    learn.wait("a hint", Duration::from_secs(30), |s| {
        s.contains("hint 1/3")
    });
    learn.send("l");
    learn.wait("the list", Duration::from_secs(30), |s| {
        s.contains("  1  ok    ch01_countdown")
    });
    learn.send("2");
    learn.wait("the picked exercise", Duration::from_secs(30), |s| {
        s.contains("— exercises/src/ch01_hello.rs")
    });
    learn.quit();

    // The fallback for systems without file events: --poll sees the save too.
    let mut learn = Learn::start(&copy, &["--poll", "ch01_countdown"]);
    learn.wait("the first screen", Duration::from_secs(300), |s| {
        s.contains("watching exercises/src/ for saves (polling)")
    });
    std::fs::write(&exercise, &wrong).unwrap();
    learn.wait("FAIL when polling", Duration::from_secs(120), |s| {
        s.contains("FAIL  ch01_countdown") && s.contains("scenario `")
    });
    learn.quit();

    // The command the report and the README give for the full recipe works as written.
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("learn-target");
    let output = Command::new(env!("CARGO"))
        .args(["hint", "ch01_countdown"])
        .current_dir(&copy)
        .env("CARGO_TARGET_DIR", target)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        printed.contains("FAIL  ch01_countdown") && printed.contains("recipe for ch01_countdown"),
        "`cargo hint ch01_countdown` printed:\n{printed}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The screen the book shows (`book/listings/out/watch_screen.txt`): chapter 1 solved and the
/// flag of chapter 2 missing its re-check, the mistake of the book's sample report. It is what a
/// terminal shows (the same text, drawn in place); `TINYIO_BLESS=1 cargo test -p learn` rewrites
/// the file.
#[test]
fn the_book_shows_a_real_screen() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let copy = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("learn-workbook-screen");
    let _ = std::fs::remove_dir_all(&copy);
    copy_workbook(workbook(), &copy);
    for id in ["ch01_countdown", "ch01_hello"] {
        let solution = workbook().join(format!("solutions/src/{id}.rs"));
        std::fs::copy(solution, copy.join(format!("exercises/src/{id}.rs"))).unwrap();
    }
    let flag = std::fs::read_to_string(workbook().join("solutions/src/ch02_flag.rs")).unwrap();
    let recheck = "        self.event.register(cx.waker());\n";
    let at = flag.find(recheck).expect("the solution's register line") + recheck.len();
    let end = at + flag[at..].find("\n    }\n}").expect("the end of poll");
    let no_recheck = format!("{}        Poll::Pending{}", &flag[..at], &flag[end..]);
    std::fs::write(copy.join("exercises/src/ch02_flag.rs"), no_recheck).unwrap();

    let mut learn = Learn::start(&copy, &[]);
    let screen = learn.wait("the first screen", Duration::from_secs(900), |s| {
        s.contains("watching exercises/src/")
    });
    learn.quit();
    let screen: String = screen
        .lines()
        .skip_while(|l| !l.starts_with("tinyio watch mode"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(screen.contains("FAIL  ch02_flag"), "{screen}");
    // The same report as `cargo test` prints: the book's sample report is this mistake's.
    let sample = std::fs::read_to_string(workbook().join("book/listings/out/grader_report.txt"))
        .unwrap()
        .replace("\r\n", "\n");
    assert!(
        screen.contains(&sample),
        "watch mode's report differs from the grader's sample report \
         (book/listings/out/grader_report.txt):\n{screen}"
    );
    let file = workbook().join("book/listings/out/watch_screen.txt");
    if std::env::var_os("TINYIO_BLESS").is_some() {
        std::fs::write(&file, &screen).unwrap();
    }
    // The README shows it too, in the block that starts with the screen's first line.
    let readme_path = workbook().join("README.md");
    let readme = std::fs::read_to_string(&readme_path)
        .unwrap()
        .replace("\r\n", "\n");
    let start = readme
        .find("```text\ntinyio watch mode")
        .expect("README.md shows a watch mode screen")
        + "```text\n".len();
    let end = start + readme[start..].find("```").unwrap();
    if std::env::var_os("TINYIO_BLESS").is_some() {
        let updated = format!("{}{screen}{}", &readme[..start], &readme[end..]);
        std::fs::write(&readme_path, updated).unwrap();
    }
    assert!(
        readme[start..end] == screen || std::env::var_os("TINYIO_BLESS").is_some(),
        "README.md's watch mode screen is not the one watch mode shows now: rewrite it with \
         `TINYIO_BLESS=1 cargo test -p learn`"
    );
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed.replace("\r\n", "\n") == screen,
        "{} is not the screen watch mode shows now (were exercises/src/ edited? It copies them). \
         After a change to the report, rewrite it with `TINYIO_BLESS=1 cargo test -p learn`. \
         The screen:\n{screen}",
        file.display()
    );
}
