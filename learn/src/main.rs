//! Watch mode: `cargo learn` grades the exercise you work on every time you save it.
//!
//! It grades by running the learner's own grading command (`cargo test -p exercises --test
//! grade -- <exercise>`), the one `cargo test` runs, and reads its outcome and report from the
//! status file that `grader::runner::learner_run` writes: same scenarios, deadlines, tamper checks
//! and report text. File events come from `notify` (or a poll of the folder with `--poll`, for
//! systems where events do not arrive); a run waits for 150 ms of quiet after the last event, so
//! an editor's several writes give one run. Between events it blocks: nothing runs while idle.
//!
//! In a terminal it redraws one screen and reads single keys; when stdout is not a terminal it
//! prints each screen in turn and reads one command per line on stdin (`h`, `l`, `n`, `r`, `q`;
//! after `l`, a number or an exercise id).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use grader::Exercise;
use grader::runner::{ChapterProgress, STATUS_VARIABLE, Status, StatusEntry, progress_table};

/// How long the folder must stay quiet after a change before a run starts.
const DEBOUNCE: Duration = Duration::from_millis(150);
/// How often `--poll` looks at the files.
const POLL_EVERY: Duration = Duration::from_millis(500);

/// The exercises' names, scenarios and hints: the grader's, bound to the solutions (only their
/// metadata is used here; the learner's code is graded by the learner's own build).
struct Solution;
grader::bind_all!(Solution, solutions);

fn exercises() -> Vec<Exercise> {
    grader::all_of::<Solution>()
}

const USAGE: &str = "\
usage: cargo learn [--poll] [EXERCISE]

Watch mode: grades the exercise you work on each time you save a file in exercises/src/,
with the same report as `cargo test`. It starts at EXERCISE, or at the first one not passed.
  --poll   look at the files twice a second instead of waiting for file events (for containers
           and network folders, where events may not arrive)
Keys: h hint (again: the next tier), l list, n next, r run again, q quit.";

/// What the main loop waits for.
enum Event {
    /// Files changed (paths as the watcher reports them).
    Changed(Vec<PathBuf>),
    /// A key in a terminal.
    Key(char),
    /// A line on stdin when stdout is not a terminal.
    Line(String),
    /// Enter, Backspace and Escape in a terminal.
    Enter,
    Backspace,
    Escape,
}

struct Watch {
    root: PathBuf,
    exercises: Vec<Exercise>,
    /// The last outcome of each exercise graded so far.
    graded: BTreeMap<String, StatusEntry>,
    current: usize,
    /// The compiler's message when the exercises do not build.
    compile_error: Option<String>,
    /// How many tiers of hint to show (0 to 3).
    hint_tier: usize,
    /// Showing the list, and the number typed so far.
    picking: Option<String>,
    terminal: bool,
    message: String,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return;
    }
    let poll = args.iter().any(|a| a == "--poll");
    let mut root = None;
    let mut start = None;
    let mut words = args.iter();
    while let Some(arg) = words.next() {
        match arg.as_str() {
            "--poll" => {}
            "--root" => root = words.next().map(PathBuf::from),
            other if other.starts_with('-') => {
                eprintln!("cargo learn: unknown option {other}\n\n{USAGE}");
                std::process::exit(2);
            }
            other => start = Some(other.to_string()),
        }
    }
    let root = root
        .or_else(find_root)
        .unwrap_or_else(|| grader::runner::workspace_root().to_path_buf());
    let exercises = exercises();
    let unknown = start
        .as_ref()
        .filter(|id| !exercises.iter().any(|e| e.id.contains(id.as_str())));
    if let Some(id) = unknown {
        eprintln!(
            "cargo learn: no exercise matches {id:?}. The exercises are: {}",
            exercises
                .iter()
                .map(|e| e.id)
                .collect::<Vec<_>>()
                .join(", ")
        );
        std::process::exit(2);
    }
    let terminal = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    let (events, receiver) = mpsc::channel();
    let folder = root.join("exercises/src");
    let _watcher = match watch(&folder, poll, events.clone()) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "cargo learn: cannot watch {}: {e}\nTry `cargo learn --poll`.",
                folder.display()
            );
            std::process::exit(2);
        }
    };
    let mut watch = Watch {
        root,
        exercises,
        graded: BTreeMap::new(),
        current: 0,
        compile_error: None,
        hint_tier: 0,
        picking: None,
        terminal,
        message: String::new(),
    };
    if terminal {
        let _ = crossterm::terminal::enable_raw_mode();
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = crossterm::terminal::disable_raw_mode();
            default_hook(info);
        }));
        read_keys(events);
    } else {
        read_lines(events);
    }
    watch.run(start, poll, receiver);
    if terminal {
        let _ = crossterm::terminal::disable_raw_mode();
        println!();
    }
}

/// The workbook around the current folder: the nearest folder with `exercises/src` and `grader`.
fn find_root() -> Option<PathBuf> {
    let here = std::env::current_dir().ok()?;
    here.ancestors()
        .find(|d| d.join("exercises/src").is_dir() && d.join("grader").is_dir())
        .map(Path::to_path_buf)
}

/// Starts the file watcher; events go to `events` as [`Event::Changed`].
fn watch(folder: &Path, poll: bool, events: Sender<Event>) -> notify::Result<Box<dyn Send>> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let handler = move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        let paths: Vec<PathBuf> = event
            .paths
            .into_iter()
            .filter(|p| {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                name.is_some_and(|n| n.ends_with(".rs") && !n.starts_with('.'))
            })
            .collect();
        if !paths.is_empty() {
            let _ = events.send(Event::Changed(paths));
        }
    };
    if poll {
        // Compare contents too: the poller's times have whole seconds, and two saves within one
        // second would look like one.
        let config = notify::Config::default()
            .with_poll_interval(POLL_EVERY)
            .with_compare_contents(true);
        let mut watcher = notify::PollWatcher::new(handler, config)?;
        watcher.watch(folder, RecursiveMode::Recursive)?;
        Ok(Box::new(watcher))
    } else {
        let mut watcher = notify::recommended_watcher(handler)?;
        watcher.watch(folder, RecursiveMode::Recursive)?;
        Ok(Box::new(watcher))
    }
}

/// Reads keys from the terminal (raw mode) on a thread of its own.
fn read_keys(events: Sender<Event>) {
    use crossterm::event::{self, KeyCode, KeyEventKind, KeyModifiers};
    std::thread::spawn(move || {
        while let Ok(event) = event::read() {
            let event::Event::Key(key) = event else {
                continue;
            };
            if key.kind != KeyEventKind::Press {
                continue;
            }
            let sent = match key.code {
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    Event::Key('q')
                }
                KeyCode::Char(c) => Event::Key(c),
                KeyCode::Enter => Event::Enter,
                KeyCode::Backspace => Event::Backspace,
                KeyCode::Esc => Event::Escape,
                _ => continue,
            };
            if events.send(sent).is_err() {
                break;
            }
        }
    });
}

/// Reads one command per line from stdin on a thread of its own.
fn read_lines(events: Sender<Event>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if events.send(Event::Line(line.trim().to_string())).is_err() {
                break;
            }
        }
    });
}

impl Watch {
    fn run(&mut self, start: Option<String>, poll: bool, events: Receiver<Event>) {
        self.say("grading every exercise once (as `cargo test` does)...");
        self.grade(None);
        self.current = match &start {
            Some(id) => self
                .exercises
                .iter()
                .position(|e| e.id == id.as_str())
                .or_else(|| {
                    self.exercises
                        .iter()
                        .position(|e| e.id.contains(id.as_str()))
                })
                .unwrap_or(0),
            None => self.first_not_passed(0).unwrap_or(0),
        };
        self.message = format!(
            "watching exercises/src/ for saves{}",
            if poll { " (polling)" } else { "" }
        );
        self.draw();
        let mut pending: Vec<Event> = Vec::new();
        loop {
            let event = match pending.pop() {
                Some(event) => event,
                None => match events.recv() {
                    Ok(event) => event,
                    Err(_) => return,
                },
            };
            match event {
                Event::Changed(paths) => {
                    let mut paths = paths;
                    // Debounce: wait for quiet; keys that arrive meanwhile wait their turn.
                    let mut keys = Vec::new();
                    loop {
                        match events.recv_timeout(DEBOUNCE) {
                            Ok(Event::Changed(more)) => paths.extend(more),
                            Ok(other) => keys.push(other),
                            Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    keys.reverse();
                    pending.splice(0..0, keys);
                    self.changed(&paths);
                }
                Event::Line(line) => {
                    if self.picking.is_some() {
                        self.pick(&line);
                    } else if let Some(key) = line.chars().next() {
                        if !self.key(key) {
                            return;
                        }
                    }
                }
                Event::Key(c) if self.picking.is_some() => {
                    if c.is_ascii_digit() {
                        if let Some(typed) = &mut self.picking {
                            typed.push(c);
                        }
                        self.draw();
                    } else if c == 'q' {
                        self.picking = None;
                        self.draw();
                    }
                }
                Event::Key(c) => {
                    if !self.key(c) {
                        return;
                    }
                }
                Event::Enter => {
                    if let Some(typed) = self.picking.clone() {
                        self.pick(&typed);
                    }
                }
                Event::Backspace => {
                    if let Some(typed) = &mut self.picking {
                        typed.pop();
                        self.draw();
                    }
                }
                Event::Escape => {
                    self.picking = None;
                    self.draw();
                }
            }
        }
    }

    /// Handles a key; returns false to quit.
    fn key(&mut self, key: char) -> bool {
        match key {
            'q' => return false,
            'h' => {
                self.hint_tier = (self.hint_tier + 1).min(3);
                self.draw();
            }
            'l' => {
                self.picking = Some(String::new());
                self.draw();
            }
            'n' => {
                self.current = (self.current + 1) % self.exercises.len();
                self.hint_tier = 0;
                self.message = String::new();
                self.draw();
            }
            'r' => {
                let id = self.exercises[self.current].id;
                self.grade(Some(id));
                self.draw();
            }
            _ => {
                self.message = "keys: h hint, l list, n next, r run again, q quit".into();
                self.draw();
            }
        }
        true
    }

    /// Picks an exercise from the list by its number or id.
    fn pick(&mut self, typed: &str) {
        self.picking = None;
        let typed = typed.trim();
        let found = match typed.parse::<usize>() {
            Ok(n) if (1..=self.exercises.len()).contains(&n) => Some(n - 1),
            _ if typed.is_empty() => None,
            _ => self.exercises.iter().position(|e| e.id.contains(typed)),
        };
        match found {
            Some(i) => {
                self.current = i;
                self.hint_tier = 0;
                self.message = String::new();
            }
            None if typed.is_empty() => {}
            None => self.message = format!("no exercise {typed:?} in the list"),
        }
        self.draw();
    }

    /// Files changed: grade the exercise edited (it becomes the current one), or the current one.
    fn changed(&mut self, paths: &[PathBuf]) {
        let edited = paths.iter().rev().find_map(|p| {
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            self.exercises.iter().position(|e| e.id == stem)
        });
        if let Some(i) = edited.filter(|&i| i != self.current) {
            self.current = i;
            self.hint_tier = 0;
        }
        let id = self.exercises[self.current].id;
        self.grade(Some(id));
        self.draw();
    }

    fn first_not_passed(&self, from: usize) -> Option<usize> {
        let n = self.exercises.len();
        (0..n).map(|k| (from + k) % n).find(|&i| {
            self.graded
                .get(self.exercises[i].id)
                .is_none_or(|g| g.status != Status::Passed)
        })
    }

    /// Runs the grading command (every exercise, or one) and records what it says.
    fn grade(&mut self, id: Option<&str>) {
        let what = id.unwrap_or("every exercise");
        let before = id.and_then(|id| self.graded.get(id)).map(|g| g.status);
        if id.is_some() {
            self.say(&format!("grading {what}..."));
        }
        let status_file =
            std::env::temp_dir().join(format!("tinyio-learn-{}-status.txt", std::process::id()));
        let _ = std::fs::remove_file(&status_file);
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
        let mut command = Command::new(cargo);
        command
            .current_dir(&self.root)
            .args([
                "test",
                "-q",
                "--color",
                "never",
                "-p",
                "exercises",
                "--test",
                "grade",
                "--",
            ])
            .env(STATUS_VARIABLE, &status_file)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(id) = id {
            command.arg(id);
        }
        let output = match command.output() {
            Ok(output) => output,
            Err(e) => {
                self.compile_error = Some(format!("cargo could not be started: {e}"));
                return;
            }
        };
        let text = std::fs::read_to_string(&status_file).unwrap_or_default();
        let _ = std::fs::remove_file(&status_file);
        let entries = StatusEntry::parse(&text);
        if entries.is_empty() {
            // The grading command never ran: the build failed. Show the compiler's message.
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stdout = String::from_utf8_lossy(&output.stdout);
            self.compile_error = Some(format!("{stderr}{stdout}").trim_end().to_string());
            return;
        }
        self.compile_error = None;
        for entry in entries {
            self.graded.insert(entry.id.clone(), entry);
        }
        if let Some(id) = id {
            let now = self.graded.get(id).map(|g| g.status);
            if now != before {
                self.hint_tier = 0;
            }
            self.message = match now {
                Some(Status::Passed) => match self.first_not_passed(self.current) {
                    Some(next) => format!(
                        "{id} passes! Press n for the next exercise, or l to pick one \
                         (still to do: {}).",
                        self.exercises[next].id
                    ),
                    None => "every exercise passes. Well done! The book goes on from here.".into(),
                },
                _ => String::new(),
            };
        }
    }

    /// Prints one line at once (before a run that takes a while).
    fn say(&self, line: &str) {
        let mut out = std::io::stdout().lock();
        let _ = if self.terminal {
            write!(out, "\r\n{line}\r\n")
        } else {
            writeln!(out, "{line}")
        };
        let _ = out.flush();
    }

    /// The whole screen as text.
    fn screen(&self) -> String {
        let exercise = &self.exercises[self.current];
        let mut s = format!(
            "tinyio watch mode — chapter {}: {} — {}\n\n",
            exercise.chapter, exercise.title, exercise.file
        );
        if let Some(typed) = &self.picking {
            s.push_str("exercises (type a number, then Enter; Esc or an empty line: back)\n\n");
            for (i, e) in self.exercises.iter().enumerate() {
                let word = self.graded.get(e.id).map_or("?", |g| g.status.word());
                let mark = if i == self.current { '>' } else { ' ' };
                s.push_str(&format!(
                    "{mark} {:>2}  {word:<5} {:<18} chapter {}: {}\n",
                    i + 1,
                    e.id,
                    e.chapter,
                    e.title
                ));
            }
            s.push_str(&format!("\nnumber: {typed}\n"));
            return s;
        }
        match (&self.compile_error, self.graded.get(exercise.id)) {
            (Some(error), _) => {
                s.push_str("does not compile, so nothing was graded. The compiler says:\n\n");
                let lines: Vec<&str> = error.lines().collect();
                for line in lines.iter().take(60) {
                    s.push_str(&format!("{line}\n"));
                }
                if lines.len() > 60 {
                    s.push_str(&format!(
                        "... {} more lines (`cargo test` shows them all)\n",
                        lines.len() - 60
                    ));
                }
            }
            (None, Some(entry)) => {
                s.push_str(&entry.report);
                s.push('\n');
            }
            (None, None) => s.push_str("not graded yet: press r\n"),
        }
        if self.hint_tier > 0 {
            s.push('\n');
            s.push_str(&self.hints());
        }
        s.push('\n');
        s.push_str(&self.progress());
        s.push('\n');
        if !self.message.is_empty() {
            s.push_str(&format!("\n{}\n", self.message));
        }
        s.push_str("\nh hint · l list · n next · r run again · q quit\n");
        s
    }

    /// The hint tiers shown so far: the failing scenario's hint, the recipe, tinyio's version.
    fn hints(&self) -> String {
        let exercise = &self.exercises[self.current];
        let entry = self.graded.get(exercise.id);
        let failing = entry.and_then(|g| g.failing.as_deref());
        let scenario = failing.and_then(|name| exercise.scenarios.iter().find(|s| s.name == name));
        let mut tiers = Vec::new();
        tiers.push(match scenario {
            Some(s) if !s.hint.is_empty() => {
                format!("hint 1/3 (scenario `{}`): {}", s.name, s.hint)
            }
            Some(s) => format!(
                "hint 1/3 (scenario `{}`): it checks that {}",
                s.name, s.checks
            ),
            None => "hint 1/3: no scenario fails here.".to_string(),
        });
        tiers.push(format!("hint 2/3, the recipe: {}", exercise.recipe));
        tiers.push(format!(
            "hint 3/3: tinyio's version is in the <details> block after the exercise in chapter \
             {}, and in solutions/src/{}.rs (open it once yours passes, or to compare).",
            exercise.chapter, exercise.id
        ));
        let mut text = String::new();
        for tier in tiers.iter().take(self.hint_tier) {
            for line in wrap(tier, 96) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        if self.hint_tier < 3 {
            text.push_str("(h again: the next tier)\n");
        }
        text
    }

    /// The grader's progress table for the whole workbook, and a bar.
    fn progress(&self) -> String {
        let mut chapters: Vec<ChapterProgress> = Vec::new();
        for e in &self.exercises {
            let passed = self
                .graded
                .get(e.id)
                .is_some_and(|g| g.status == Status::Passed);
            match chapters.last_mut() {
                Some(c) if c.chapter == e.chapter => {
                    c.total += 1;
                    c.graded += 1;
                    c.passed += usize::from(passed);
                }
                _ => chapters.push(ChapterProgress {
                    chapter: e.chapter,
                    passed: usize::from(passed),
                    graded: 1,
                    total: 1,
                }),
            }
        }
        let done: usize = chapters.iter().map(|c| c.passed).sum();
        let total = self.exercises.len();
        let width = 42;
        let filled = done * width / total.max(1);
        format!(
            "{}\n[{}{}] {done}/{total} exercises pass",
            progress_table(&chapters),
            "#".repeat(filled),
            "-".repeat(width - filled)
        )
    }

    fn draw(&self) {
        let screen = self.screen();
        let mut out = std::io::stdout().lock();
        if self.terminal {
            // Clear, home, and raw mode's line ends.
            let _ = write!(out, "\x1b[2J\x1b[H{}", screen.replace('\n', "\r\n"));
        } else {
            let _ = writeln!(out, "{}\n{screen}", "=".repeat(72));
        }
        let _ = out.flush();
    }
}

/// Splits `text` into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
            line.push_str("  ");
        } else if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}
