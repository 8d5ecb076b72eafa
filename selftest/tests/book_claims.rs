//! Checks of what the book claims, beyond its build (`book.rs`):
//!
//! - **Try first, then see.** No exercise has more than 20% of its answer lines in the open text
//!   of the book (outside `<details>`), and no scenario's first-tier hint is empty or holds an
//!   answer line. The definitions are those of `/work/shared/tools/leak_check.py`.
//! - **Every shell command runs as written from the repository root.** Cheap ones are run; for
//!   expensive ones the package, example, binary and flags are checked.
//! - **The performance chapter quotes its table.** Every ratio in its prose carries a
//!   `<!-- ratio VALUE = ROW.PEER / ROW.PEER -->` note, which is checked against `results.md`.
//! - **`mdbook test` does not apply.** Every Rust block is `rust,ignore`: the listings are tested
//!   by `cargo test -p listings`.
//!
//! Each check is proven on planted bad input.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use grader::runner::workspace_root;

struct Solution;
grader::bind_all!(Solution, solutions);

fn exercises() -> Vec<grader::Exercise> {
    grader::all_of::<Solution>()
}

/// The largest share of an exercise's answer lines that may be open in the book.
const MAX_LEAK: f64 = 0.20;

// ---------------------------------------------------------------------------------------------
// Answer lines and open text (the definitions of leak_check.py)

/// A line with its surrounding whitespace removed and inner runs of whitespace made one space.
fn norm(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The code lines of a text that count: not comments, attributes, anchors, braces only or short.
fn code_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(norm)
        .filter(|n| {
            n.chars().count() >= 16
                && !n.starts_with("//")
                && !n.starts_with("#[")
                && !n.contains("ANCHOR")
                && !n.chars().all(|c| "{}()[];,. ".contains(c))
        })
        .collect()
}

/// A file's text followed by the texts of the files it pulls in with `#[path = "..."]`.
fn with_paths(file: &Path, seen: &mut BTreeSet<PathBuf>) -> String {
    let Ok(file) = file.canonicalize() else {
        return String::new();
    };
    if !seen.insert(file.clone()) {
        return String::new();
    }
    let Ok(text) = fs::read_to_string(&file) else {
        return String::new();
    };
    let mut parts = vec![text.clone()];
    for piece in text.split("#[path").skip(1) {
        let Some(rest) = piece.trim_start().strip_prefix('=') else {
            continue;
        };
        let Some(quoted) = rest.trim_start().strip_prefix('"') else {
            continue;
        };
        if let Some((path, _)) = quoted.split_once('"') {
            parts.push(with_paths(&file.parent().unwrap().join(path), seen));
        }
    }
    parts.join("\n")
}

/// The lines of the solution that the stub does not contain, each once, in order.
fn answer_lines(stub: &Path, solution: &Path) -> Vec<String> {
    let given: BTreeSet<String> = code_lines(&with_paths(stub, &mut BTreeSet::new()))
        .into_iter()
        .collect();
    let mut seen = BTreeSet::new();
    code_lines(&with_paths(solution, &mut BTreeSet::new()))
        .into_iter()
        .filter(|l| !given.contains(l) && seen.insert(l.clone()))
        .collect()
}

/// Whether `line` holds `ANCHOR:` (or `ANCHOR_END:`, with `end`) followed by `name` as a word.
fn is_anchor(line: &str, name: &str, end: bool) -> bool {
    let tag = if end { "ANCHOR_END:" } else { "ANCHOR:" };
    line.split(tag).skip(1).any(|rest| {
        rest.trim_start()
            .strip_prefix(name)
            .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
    })
}

/// The text an `{{#include path:anchor}}` brings in (empty when the file or anchor is missing).
fn resolve(path: &Path, anchor: &str) -> String {
    let Ok(text) = fs::read_to_string(path) else {
        return String::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    if anchor.is_empty() {
        return lines
            .iter()
            .filter(|l| !l.contains("ANCHOR"))
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
    }
    if anchor.chars().all(|c| c.is_ascii_digit() || c == ':') {
        let (a, b) = anchor.split_once(':').unwrap_or((anchor, ""));
        let lo = a.parse::<usize>().map_or(0, |a| a.saturating_sub(1));
        let hi = b
            .parse::<usize>()
            .map_or(lines.len(), |b| b.min(lines.len()));
        return lines.get(lo..hi).unwrap_or(&[]).join("\n");
    }
    let Some(start) = lines.iter().position(|l| is_anchor(l, anchor, false)) else {
        return String::new();
    };
    let Some(end) = lines.iter().position(|l| is_anchor(l, anchor, true)) else {
        return String::new();
    };
    lines
        .get(start + 1..end)
        .unwrap_or(&[])
        .iter()
        .filter(|l| !l.contains("ANCHOR"))
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` without its `<details>...</details>` blocks.
fn without_details(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<details>") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</details>") {
            Some(end) => rest = &rest[start + end + "</details>".len()..],
            None => {
                // An unclosed block runs to the end of the page, as in the rendered book.
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A page as the reader sees it before opening anything: `<details>` removed, includes resolved.
fn render_open(page: &Path, text: &str) -> String {
    let text = without_details(text);
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("{{#") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let directive = after[..end].trim();
        let target = directive
            .strip_prefix("include")
            .or_else(|| directive.strip_prefix("rustdoc_include"))
            .unwrap_or("")
            .trim();
        let (path, anchor) = target.split_once(':').unwrap_or((target, ""));
        out.push_str(&resolve(&page.parent().unwrap().join(path), anchor));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Every Markdown file under a folder, recursively, sorted.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(markdown_files(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The normalized lines of every page of the book under `src`, outside `<details>`.
fn open_text(book_src: &Path) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    for page in markdown_files(book_src) {
        let text = fs::read_to_string(&page).unwrap();
        lines.extend(render_open(&page, &text).lines().map(norm));
    }
    lines
}

/// One exercise's leak: its answer lines, and those found in the open text.
struct Leak {
    id: String,
    answer: Vec<String>,
    leaked: Vec<String>,
}

impl Leak {
    fn ratio(&self) -> f64 {
        self.leaked.len() as f64 / self.answer.len() as f64
    }
}

/// The leak of every exercise of a checkout (`root`, with `exercises/`, `solutions/`, `book/`).
fn leaks(root: &Path) -> Vec<Leak> {
    let open = open_text(&root.join("book/src"));
    let mut stubs: Vec<PathBuf> = fs::read_dir(root.join("exercises/src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("ch") && name.ends_with(".rs")
        })
        .collect();
    stubs.sort();
    let mut leaks = Vec::new();
    for stub in stubs {
        let solution = root.join("solutions/src").join(stub.file_name().unwrap());
        if !solution.is_file() {
            continue;
        }
        let answer = answer_lines(&stub, &solution);
        if answer.is_empty() {
            continue;
        }
        let leaked = answer
            .iter()
            .filter(|l| open.contains(*l))
            .cloned()
            .collect();
        let id = stub.file_stem().unwrap().to_string_lossy().into_owned();
        leaks.push(Leak { id, answer, leaked });
    }
    leaks
}

/// The exercises over the limit, worst first, each with its leaked lines.
fn leak_problems(leaks: &[Leak], max: f64) -> Vec<String> {
    let mut over: Vec<&Leak> = leaks.iter().filter(|l| l.ratio() > max).collect();
    over.sort_by(|a, b| b.ratio().total_cmp(&a.ratio()));
    over.iter()
        .map(|l| {
            format!(
                "{}: {} of {} answer lines ({:.0}%) are open in the book (at most {:.0}%): move \
                 them into a <details> block after the exercise:\n    {}",
                l.id,
                l.leaked.len(),
                l.answer.len(),
                100.0 * l.ratio(),
                100.0 * max,
                l.leaked.join("\n    ")
            )
        })
        .collect()
}

#[test]
fn no_exercise_leaks_more_than_a_fifth_of_its_answer() {
    let leaks = leaks(workspace_root());
    assert!(leaks.len() >= 20, "found only {} exercises", leaks.len());
    for l in &leaks {
        println!(
            "{:20} answer lines {:4}  open in the book {:4}  {:5.0}%",
            l.id,
            l.answer.len(),
            l.leaked.len(),
            100.0 * l.ratio()
        );
    }
    let problems = leak_problems(&leaks, MAX_LEAK);
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// A small checkout: an exercise with a stub, a solution that pulls in a second file by
/// `#[path]`, and a book that shows some of the answer in the open and some in `<details>`.
fn planted_checkout(page: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("tinyio-leak-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    for dir in [
        "exercises/src",
        "solutions/src",
        "book/src",
        "book/listings",
    ] {
        fs::create_dir_all(root.join(dir)).unwrap();
    }
    let write = |path: &str, text: &str| fs::write(root.join(path), text).unwrap();
    write(
        "exercises/src/ch99_demo.rs",
        "pub fn given_function_here() -> u32 {\n    todo!()\n}\n",
    );
    write(
        "solutions/src/ch99_demo.rs",
        "#[path = \"../../book/listings/part.rs\"]\nmod part;\n\
         pub fn given_function_here() -> u32 {\n    // a comment that is long enough\n    \
         let first_answer_line = 1;\n    let second_answer_line = 2;\n    \
         first_answer_line + second_answer_line + part::third()\n}\n",
    );
    write(
        "book/listings/part.rs",
        "// ANCHOR: third\npub fn third() -> u32 {\n    let third_answer_line = 3;\n    \
         third_answer_line\n}\n// ANCHOR_END: third\n",
    );
    write("book/src/page.md", page);
    root
}

#[test]
fn the_leak_check_catches_a_planted_leak() {
    // Shown only inside <details>: no leak.
    let hidden = "# Page\n\n<details>\n\n```rust\n{{#include ../listings/part.rs:third}}\n```\n\n\
                  </details>\n";
    let root = planted_checkout(hidden);
    let found = leaks(&root);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].answer,
        [
            "let first_answer_line = 1;",
            "let second_answer_line = 2;",
            "first_answer_line + second_answer_line + part::third()",
            "pub fn third() -> u32 {",
            "let third_answer_line = 3;",
            "third_answer_line",
        ],
        "the answer lines: the solution's and its #[path] file's, minus the stub's, \
         comments and short lines"
    );
    assert!(leak_problems(&found, MAX_LEAK).is_empty());
    // The same include in the open: 3 of 6 lines (50%) leak, through the #[path] file.
    let open = "# Page\n\n```rust\n{{#include ../listings/part.rs:third}}\n```\n";
    let root = planted_checkout(open);
    let problems = leak_problems(&leaks(&root), MAX_LEAK).join("\n");
    assert!(
        problems.contains("ch99_demo: 3 of 6 answer lines (50%)")
            && problems.contains("let third_answer_line = 3;"),
        "{problems}"
    );
    let _ = fs::remove_dir_all(&root);
}

// ---------------------------------------------------------------------------------------------
// First-tier hints

/// Problems with the first-tier hints: empty, or holding a line of the exercise's answer.
fn hint_problems(exercises: &[grader::Exercise], root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for exercise in exercises {
        let stub = root.join(exercise.file);
        let solution = root
            .join("solutions/src")
            .join(format!("{}.rs", exercise.id));
        let answer = answer_lines(&stub, &solution);
        let mut seen = BTreeMap::new();
        for scenario in &exercise.scenarios {
            let hint = norm(scenario.hint);
            let earlier = seen.insert(hint.clone(), scenario.name);
            if let Some(other) = earlier.filter(|_| !hint.is_empty()) {
                problems.push(format!(
                    "{}/{}: the same first-tier hint as {other}: each scenario gets its own",
                    exercise.id, scenario.name
                ));
            }
            if hint.is_empty() {
                problems.push(format!(
                    "{}/{}: no first-tier hint (say what the scenario probes and which rule or \
                     book section it relates to)",
                    exercise.id, scenario.name
                ));
            }
            for line in answer.iter().filter(|l| hint.contains(l.as_str())) {
                problems.push(format!(
                    "{}/{}: the first-tier hint holds an answer line: {line}",
                    exercise.id, scenario.name
                ));
            }
        }
    }
    problems
}

#[test]
fn every_scenario_has_a_first_tier_hint_without_the_answer() {
    let problems = hint_problems(&exercises(), workspace_root());
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_hint_check_catches_an_empty_hint_and_a_leaked_line() {
    let root = workspace_root();
    let mut exercises: Vec<grader::Exercise> = exercises()
        .into_iter()
        .filter(|e| e.id == "ch11_event")
        .collect();
    let answer = answer_lines(
        &root.join(exercises[0].file),
        &root.join("solutions/src/ch11_event.rs"),
    );
    let line: &'static str = answer
        .iter()
        .find(|l| l.contains("join_back"))
        .unwrap()
        .clone()
        .leak();
    let hint: &'static str = format!("Try this: {line}").leak();
    exercises[0].scenarios[0].hint = "";
    exercises[0].scenarios[1].hint = hint;
    exercises[0].scenarios[3].hint = exercises[0].scenarios[2].hint;
    let problems = hint_problems(&exercises, root).join("\n");
    let first = exercises[0].scenarios[0].name;
    let second = exercises[0].scenarios[1].name;
    let (third, fourth) = (
        exercises[0].scenarios[2].name,
        exercises[0].scenarios[3].name,
    );
    assert!(
        problems.contains(&format!("ch11_event/{first}: no first-tier hint"))
            && problems.contains(&format!(
                "ch11_event/{second}: the first-tier hint holds an answer line: {line}"
            ))
            && problems.contains(&format!(
                "ch11_event/{fourth}: the same first-tier hint as {third}"
            )),
        "{problems}"
    );
}

// ---------------------------------------------------------------------------------------------
// Shell commands

/// A shell command of the book, and where it is.
struct ShellCommand {
    page: String,
    text: String,
    /// The exit status the book gives for it ("exits with status 1" in the same paragraph), or 0.
    status: i32,
}

/// The exit status a paragraph gives: the number after "exits with status", or 0.
fn stated_status(paragraph: &str) -> i32 {
    let paragraph = norm(paragraph);
    paragraph
        .split("exits with status ")
        .nth(1)
        .and_then(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .unwrap_or(0)
}

/// Programs a command of the book may start with.
const PROGRAMS: [&str; 6] = [
    "cargo",
    "python3",
    "mdbook",
    "valgrind",
    "callgrind_annotate",
    "strace",
];

/// The program a command runs, after any `NAME=value` settings.
fn program_and_args(command: &str) -> (Vec<(String, String)>, Vec<String>) {
    let mut env = Vec::new();
    let mut words = command.split_whitespace().peekable();
    while let Some(word) = words.peek() {
        match word.split_once('=') {
            Some((name, value))
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_') =>
            {
                env.push((name.to_string(), value.to_string()));
                words.next();
            }
            _ => break,
        }
    }
    (env, words.map(str::to_string).collect())
}

/// The shell commands of a book: every line of a ```sh or ```console block (without a `$ `
/// prompt), and every inline code span that starts with one of [`PROGRAMS`].
fn shell_commands(book_src: &Path) -> Vec<ShellCommand> {
    let mut commands = Vec::new();
    for page in markdown_files(book_src) {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&page).unwrap();
        let mut fence: Option<String> = None;
        // Inline spans may run across a line break: scan each paragraph as one text.
        let mut paragraph = String::new();
        let inline = |paragraph: &mut String, commands: &mut Vec<ShellCommand>| {
            for (i, span) in paragraph.split('`').enumerate() {
                let (_, words) = program_and_args(span);
                if i % 2 == 1
                    && words
                        .first()
                        .is_some_and(|w| PROGRAMS.contains(&w.as_str()))
                {
                    commands.push(ShellCommand {
                        page: name.clone(),
                        text: norm(span),
                        status: stated_status(paragraph),
                    });
                }
            }
            paragraph.clear();
        };
        for line in text.lines() {
            if let Some(info) = line.strip_prefix("```") {
                inline(&mut paragraph, &mut commands);
                fence = match fence {
                    Some(_) => None,
                    None => Some(info.trim().to_string()),
                };
                continue;
            }
            match fence.as_deref() {
                Some("sh" | "console" | "shell" | "bash") => {
                    let command = line.trim();
                    let command = command.strip_prefix("$ ").unwrap_or(command);
                    if !command.is_empty() && !command.starts_with('#') {
                        commands.push(ShellCommand {
                            page: name.clone(),
                            text: command.to_string(),
                            status: 0,
                        });
                    }
                }
                Some(_) => {}
                None if line.trim().is_empty() => inline(&mut paragraph, &mut commands),
                None => {
                    paragraph.push_str(line);
                    paragraph.push('\n');
                }
            }
        }
        inline(&mut paragraph, &mut commands);
    }
    commands
}

/// What `cargo metadata` says about the workspace: package names, and per package its targets
/// by kind (`bin`, `example`, `test`, ...).
struct Workspace {
    targets: BTreeMap<String, BTreeSet<(String, String)>>,
}

impl Workspace {
    fn load(root: &Path) -> Workspace {
        let output = Command::new(env!("CARGO"))
            .args([
                "metadata",
                "--no-deps",
                "--format-version",
                "1",
                "--offline",
            ])
            .current_dir(root)
            .output()
            .expect("cargo metadata");
        assert!(output.status.success(), "cargo metadata failed");
        let json = String::from_utf8_lossy(&output.stdout).into_owned();
        // A small scan instead of a JSON parser: each package starts with
        // `"name":"<package>","version"`, and its targets follow, each as
        // `"kind":["<kind>"],"crate_types":[..],"name":"<target>"`.
        let mut starts: Vec<(usize, String)> = Vec::new();
        for (i, _) in json.match_indices("\",\"version\"") {
            if let Some(open) = json[..i].rfind("\"name\":\"") {
                starts.push((i, json[open + 8..i].to_string()));
            }
        }
        let mut targets = BTreeMap::new();
        for (n, (start, package)) in starts.iter().enumerate() {
            let end = starts.get(n + 1).map_or(json.len(), |s| s.0);
            let mut found = BTreeSet::new();
            for piece in json[*start..end].split("\"kind\":[\"").skip(1) {
                let kind = piece.split('"').next().unwrap_or("");
                let Some(name) = piece.split("\"name\":\"").nth(1) else {
                    continue;
                };
                let name = name.split('"').next().unwrap_or("");
                found.insert((kind.to_string(), name.to_string()));
            }
            targets.insert(package.clone(), found);
        }
        Workspace { targets }
    }

    fn has_target(&self, package: &str, kind: &str, name: &str) -> bool {
        self.targets
            .get(package)
            .is_some_and(|t| t.contains(&(kind.to_string(), name.to_string())))
    }
}

/// Runs a command from the repository root with a deadline; its status and output.
fn run(
    root: &Path,
    env: &[(String, String)],
    args: &[&str],
    limit: Duration,
) -> (Option<i32>, String) {
    let mut child = Command::new(args[0])
        .args(&args[1..])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", args[0]));
    let start = Instant::now();
    loop {
        if let Some(_status) = child.try_wait().unwrap() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return (None, format!("still running after {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.code(), text)
}

/// The value after a flag (`-p tinyio`, `--example seed`) in a cargo command.
fn flag_value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// The ids of the workbook's exercises, which a learner's `cargo test FILTER` filters.
fn exercise_ids() -> Vec<&'static str> {
    exercises().iter().map(|e| e.id).collect()
}

/// The bench binary's usage line (it prints it for any argument it does not know).
fn bench_usage(root: &Path) -> String {
    let (_, out) = run(
        root,
        &[],
        &[env!("CARGO"), "run", "-q", "-p", "bench", "--", "--help"],
        Duration::from_secs(600),
    );
    out
}

/// Checks a `bench` command line (its flags after the binary): each flag is in the usage line,
/// and a tiny run with them, in a debug build, measures something.
fn check_bench_args(root: &Path, args: &[String], usage: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for flag in args.iter().filter(|a| a.starts_with("--")) {
        if !usage.contains(&format!("[{flag}")) {
            problems.push(format!("the bench has no flag {flag}"));
        }
    }
    if problems.is_empty() {
        let mut tiny: Vec<&str> = vec![env!("CARGO"), "run", "-q", "-p", "bench", "--", "--tiny"];
        tiny.extend(args.iter().map(String::as_str));
        if !tiny.contains(&"--no-python") {
            tiny.push("--no-python");
        }
        let (status, out) = run(root, &[], &tiny, Duration::from_secs(600));
        if status != Some(0) || !out.contains("a partial run") {
            problems.push(format!("a tiny run with these flags failed: {out}"));
        } else if !out.lines().any(|l| l.starts_with(['w', 'f'])) {
            problems.push("a tiny run with these flags measured nothing".to_string());
        }
    }
    problems
}

/// How long a cheap command may run.
const CHEAP: Duration = Duration::from_secs(300);

/// The problems of one command (empty when it runs as written from the repository root).
fn command_problems(
    root: &Path,
    workspace: &Workspace,
    command: &str,
    status: i32,
    usage: &dyn Fn() -> String,
) -> Vec<String> {
    if command.contains("...") || command.contains('<') {
        return vec!["not a command that runs as written (it has a placeholder)".to_string()];
    }
    let (env, words) = program_and_args(command);
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["cargo", "test"] | ["cargo", "selftest"] => Vec::new(),
        ["cargo", "test", rest @ ..] => {
            let (before, after) = match rest.iter().position(|a| *a == "--") {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &[][..]),
            };
            let mut problems = Vec::new();
            if let Some(package) = flag_value(&words, "-p") {
                if !workspace.targets.contains_key(package) {
                    problems.push(format!("no package {package} in the workspace"));
                }
            } else {
                for filter in before.iter().filter(|a| !a.starts_with('-')) {
                    if !exercise_ids().iter().any(|id| id.contains(filter)) {
                        problems.push(format!("`{filter}` filters no exercise"));
                    }
                }
            }
            // The flags the grading binary reads: a quoted literal in the grader's sources.
            let runner: String = [
                "grader/src/runner.rs",
                "grader/src/lib.rs",
                "exercises/tests/grade.rs",
            ]
            .iter()
            .map(|file| fs::read_to_string(root.join(file)).unwrap_or_default())
            .collect();
            for flag in after {
                if !runner.contains(&format!("\"{flag}\"")) {
                    problems.push(format!("the grader does not know {flag}"));
                }
            }
            problems
        }
        ["cargo", alias @ ("hint" | "learn"), rest @ ..] => {
            // Aliases of `.cargo/config.toml`: the alias must exist, a filter must name an
            // exercise, and a flag must be one the watch mode reads (a quoted literal in its
            // sources).
            let config = fs::read_to_string(root.join(".cargo/config.toml")).unwrap_or_default();
            let mut problems = Vec::new();
            if !config
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{alias} =")))
            {
                problems.push(format!(
                    "`cargo {alias}` is not an alias in .cargo/config.toml"
                ));
            }
            let learn: String = ["learn/src/main.rs", "learn/src/lib.rs"]
                .iter()
                .map(|file| fs::read_to_string(root.join(file)).unwrap_or_default())
                .collect();
            for arg in rest {
                if arg.starts_with('-') {
                    if *alias == "hint" || !learn.contains(&format!("\"{arg}\"")) {
                        problems.push(format!("`cargo {alias}` does not know {arg}"));
                    }
                } else if !exercise_ids().iter().any(|id| id.contains(arg)) {
                    problems.push(format!("`{arg}` filters no exercise"));
                }
            }
            problems
        }
        ["cargo", "run", rest @ ..] => {
            let Some(package) = flag_value(&words, "-p") else {
                return vec![
                    "`cargo run` from the root runs the default member, `exercises`, which has no \
                     binary: name the package with `-p`"
                        .to_string(),
                ];
            };
            if !workspace.targets.contains_key(package) {
                return vec![format!("no package {package} in the workspace")];
            }
            if let Some(example) = flag_value(&words, "--example") {
                if !workspace.has_target(package, "example", example) {
                    return vec![format!("package {package} has no example {example}")];
                }
            }
            let program_args: Vec<String> = match rest.iter().position(|a| *a == "--") {
                Some(i) => rest[i + 1..].iter().map(|a| a.to_string()).collect(),
                None => Vec::new(),
            };
            if package == "bench" && flag_value(&words, "--example").is_none() {
                // Minutes in release mode: check the flags, and run them tiny.
                return check_bench_args(root, &program_args, &usage());
            }
            let mut full: Vec<&str> = vec![env!("CARGO")];
            full.extend(&args[1..]);
            let (code, out) = run(root, &env, &full, CHEAP);
            if code == Some(status) {
                Vec::new()
            } else {
                vec![format!(
                    "exits with status {code:?}, the book says {status}: {}",
                    out.lines().rev().take(5).collect::<Vec<_>>().join(" | ")
                )]
            }
        }
        ["python3", script, ..] => {
            if root.join(script).is_file() {
                Vec::new()
            } else {
                vec![format!(
                    "{script} does not exist (paths are from the repository root)"
                )]
            }
        }
        ["mdbook", sub, rest @ ..] => {
            let mut problems = Vec::new();
            if !["build", "serve", "test", "watch"].contains(sub) {
                problems.push(format!("mdbook has no command {sub}"));
            }
            match rest.first() {
                Some(dir) if root.join(dir).join("book.toml").is_file() => {}
                _ => problems.push("name the book's folder: `mdbook ... book`".to_string()),
            }
            problems
        }
        ["valgrind", rest @ ..] => {
            let Some(i) = rest.iter().position(|a| !a.starts_with('-')) else {
                return vec!["valgrind runs no program".to_string()];
            };
            match rest[i] {
                "target/release/bench" => {
                    let flags: Vec<String> = rest[i + 1..].iter().map(|a| a.to_string()).collect();
                    check_bench_args(root, &flags, &usage())
                }
                other => vec![format!(
                    "valgrind runs {other}, which the check does not know"
                )],
            }
        }
        ["callgrind_annotate", ..] | ["strace", ..] => Vec::new(),
        _ => {
            vec!["a command the check does not know: teach `command_problems` about it".to_string()]
        }
    }
}

fn all_command_problems(root: &Path, commands: &[ShellCommand]) -> Vec<String> {
    let workspace = Workspace::load(root);
    let usage = std::cell::OnceCell::new();
    let usage = || usage.get_or_init(|| bench_usage(root)).clone();
    let mut problems = Vec::new();
    let mut done = BTreeSet::new();
    for command in commands {
        if !done.insert(command.text.clone()) {
            continue;
        }
        for problem in command_problems(root, &workspace, &command.text, command.status, &usage) {
            problems.push(format!("{}: `{}`: {problem}", command.page, command.text));
        }
    }
    problems
}

#[test]
fn every_shell_command_in_the_book_runs_from_the_root() {
    let root = workspace_root();
    let commands = shell_commands(&root.join("book/src"));
    assert!(
        commands.len() >= 10,
        "found only {} commands",
        commands.len()
    );
    for command in &commands {
        println!("{}: {}", command.page, command.text);
    }
    let problems = all_command_problems(root, &commands);
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_command_check_catches_planted_bad_commands() {
    let root = workspace_root();
    let book = std::env::temp_dir().join(format!("tinyio-commands-{}", std::process::id()));
    let _ = fs::remove_dir_all(&book);
    fs::create_dir_all(&book).unwrap();
    fs::write(
        book.join("page.md"),
        "Run `cargo run --example workers`, then `cargo run -p tinyio --example nope`, \
         `cargo test ch77`, `python3 seed_fixed.py 2` and `TINYIO_TRACE=1 cargo run ...`.\n\n\
         ```sh\n$ cargo run -p bench --release -- --fastest\n```\n\n\
         `cargo test ch11 -- --frobnicate`.\n\n\
         `cargo run -p tinyio --example workers` exits with status 3.\n\n\
         `cargo hint ch77`, `cargo learn --fast` and `cargo watch ch01`.\n\n\
         And these are fine: `cargo test ch11_event`, `cargo hint ch11_lock`, \
         `cargo learn --poll`, and \
         `cargo run -p tinyio --example seed`, which exits with status 1.\n",
    )
    .unwrap();
    let commands = shell_commands(&book);
    assert_eq!(commands.len(), 15);
    let problems = all_command_problems(root, &commands).join("\n");
    for expected in [
        "`cargo run --example workers`: `cargo run` from the root runs the default member",
        "`cargo run -p tinyio --example nope`: package tinyio has no example nope",
        "`cargo test ch77`: `ch77` filters no exercise",
        "`python3 seed_fixed.py 2`: seed_fixed.py does not exist",
        "`TINYIO_TRACE=1 cargo run ...`: not a command that runs as written",
        "`cargo run -p bench --release -- --fastest`: the bench has no flag --fastest",
        "`cargo test ch11 -- --frobnicate`: the grader does not know --frobnicate",
        "`cargo run -p tinyio --example workers`: exits with status Some(0), the book says 3",
        "`cargo hint ch77`: `ch77` filters no exercise",
        "`cargo learn --fast`: `cargo learn` does not know --fast",
        "`cargo watch ch01`: a command the check does not know",
    ] {
        assert!(
            problems.contains(expected),
            "not found: {expected}\nin:\n{problems}"
        );
    }
    assert!(
        !problems.contains("ch11_event")
            && !problems.contains("ch11_lock")
            && !problems.contains("--poll")
            && !problems.contains("example seed"),
        "a good command was refused:\n{problems}"
    );
    let _ = fs::remove_dir_all(&book);
}

// ---------------------------------------------------------------------------------------------
// The performance chapter's ratios

/// One number of the table: the median, the fastest and the slowest run.
#[derive(Clone, Copy, Debug)]
struct Cell {
    median: f64,
    min: f64,
    max: f64,
}

/// `results.md`'s first table: row name → peer → cell.
fn results_table(markdown: &str) -> BTreeMap<String, BTreeMap<String, Cell>> {
    let number = |s: &str| s.trim().replace(',', "").parse::<f64>().ok();
    let mut table = BTreeMap::new();
    let mut header: Vec<String> = Vec::new();
    for line in markdown.lines() {
        if !line.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
        if cells.first().is_some_and(|c| c.trim() == "Workload") {
            header = cells.iter().map(|c| c.trim().to_string()).collect();
            continue;
        }
        if header.is_empty() || cells.len() != header.len() {
            continue;
        }
        let row = cells[0].trim().to_string();
        let mut peers = BTreeMap::new();
        for (peer, cell) in header.iter().zip(&cells).skip(1) {
            let (median, range) = cell.split_once("<br>").unwrap_or((cell, ""));
            let range = range
                .split('>')
                .nth(1)
                .and_then(|r| r.split('<').next())
                .unwrap_or("");
            let (Some(median), Some((min, max))) = (number(median), range.split_once('–')) else {
                continue;
            };
            if let (Some(min), Some(max)) = (number(min), number(max)) {
                peers.insert(peer.clone(), Cell { median, min, max });
            }
        }
        table.insert(row, peers);
    }
    table
}

/// The prose of a page: the page without code blocks, includes and tables.
fn prose(page: &str) -> Vec<String> {
    let mut paragraphs = vec![String::new()];
    let mut in_code = false;
    for line in page.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code || line.starts_with('|') || line.contains("{{#") {
            continue;
        }
        if line.trim().is_empty() {
            paragraphs.push(String::new());
        } else {
            let last = paragraphs.last_mut().unwrap();
            last.push_str(line);
            last.push('\n');
        }
    }
    paragraphs.retain(|p| !p.is_empty());
    paragraphs
}

/// The number of a `ROW.PEER[:min|:max]` operand, e.g. `W1 bounded 1.flume`.
fn operand(table: &BTreeMap<String, BTreeMap<String, Cell>>, text: &str) -> Result<f64, String> {
    let text = text.trim();
    let (cell, which) = match text.rsplit_once(':') {
        Some((cell, which)) => (cell, which),
        None => (text, "median"),
    };
    let (row, peer) = cell
        .rsplit_once('.')
        .ok_or_else(|| format!("`{text}` is not ROW.PEER"))?;
    let peers = table
        .get(row.trim())
        .ok_or_else(|| format!("no row `{row}` in the table"))?;
    // `fastest`: the fastest Rust peer other than tinyio, in this run (the target's divisor).
    let fastest = peers
        .iter()
        .filter(|(name, _)| !["tinyio", "asyncio"].contains(&name.as_str()))
        .min_by(|a, b| a.1.median.total_cmp(&b.1.median))
        .map(|(_, cell)| cell);
    let found = match peer.trim() {
        "fastest" => fastest.ok_or_else(|| format!("no other Rust peer in row `{row}`"))?,
        peer => peers
            .get(peer)
            .ok_or_else(|| format!("no peer `{peer}` in row `{row}`"))?,
    };
    match which {
        "median" => Ok(found.median),
        "min" => Ok(found.min),
        "max" => Ok(found.max),
        other => Err(format!("`{other}`: use :min or :max")),
    }
}

/// The problems of a page's quoted ratios. Each ratio in the prose (`1.5 times`, `0.97×`) needs
/// a note in the same paragraph, `<!-- ratio 1.5 = ROW.PEER / ROW.PEER -->`, and the note's value
/// must be the table's ratio rounded to the digits quoted.
///
/// Over several runs of the bench (`runs`, the `results.md` each wrote, oldest first), a
/// paragraph may also quote a ratio's range and median: `<!-- range LOW–HIGH = A / B -->` (the
/// smallest and the largest of the runs' ratios, each rounded to the digits quoted) and
/// `<!-- median M = A / B -->` (their median). The prose writes a range `LOW–HIGH×`.
fn ratio_problems(page: &str, results: &str, runs: &[String]) -> Vec<String> {
    let table = results_table(results);
    let run_tables: Vec<_> = runs.iter().map(|run| results_table(run)).collect();
    let mut problems = Vec::new();
    if table.len() < 5 {
        problems.push("results.md: no table found".to_string());
    }
    for paragraph in prose(page) {
        let (text, notes) = split_notes(&paragraph);
        let mut noted = BTreeSet::new();
        for note in notes {
            if let Some(body) = note.strip_prefix("range ") {
                noted.insert(body.split('=').next().unwrap_or("").trim().to_string());
                problems.extend(over_runs(&text, &note, body, &run_tables, true));
                continue;
            }
            if let Some(body) = note.strip_prefix("median ") {
                noted.insert(body.split('=').next().unwrap_or("").trim().to_string());
                problems.extend(over_runs(&text, &note, body, &run_tables, false));
                continue;
            }
            let Some(body) = note.strip_prefix("ratio ") else {
                continue;
            };
            let Some((value, expr)) = body.split_once('=') else {
                problems.push(format!("`{note}`: write `ratio VALUE = A / B`"));
                continue;
            };
            let value = value.trim();
            noted.insert(value.to_string());
            let Some((a, b)) = expr.split_once('/') else {
                problems.push(format!("`{note}`: write `ratio VALUE = A / B`"));
                continue;
            };
            let (a, b) = match (operand(&table, a), operand(&table, b)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(e), _) | (_, Err(e)) => {
                    problems.push(format!("`{note}`: {e}"));
                    continue;
                }
            };
            let Ok(quoted) = value.parse::<f64>() else {
                problems.push(format!("`{note}`: {value} is not a number"));
                continue;
            };
            let digits = value.split_once('.').map_or(0, |(_, d)| d.len());
            let half = 0.5 * 10f64.powi(-(digits as i32));
            let actual = a / b;
            if (actual - quoted).abs() > half + 1e-9 {
                problems.push(format!(
                    "`{note}`: the table gives {actual:.3}, which does not round to {value}"
                ));
            }
            if !mentions(&text, value) {
                problems.push(format!("`{note}`: the paragraph does not say {value}"));
            }
        }
        for quoted in quoted_ratios(&text) {
            if !noted.contains(&quoted) {
                problems.push(format!(
                    "a ratio without a note: {quoted} in \"{}...\" (add `<!-- ratio {quoted} = \
                     ROW.PEER / ROW.PEER -->`)",
                    text.chars().take(60).collect::<String>().replace('\n', " ")
                ));
            }
        }
    }
    problems
}

/// Whether `quoted` (with as many decimals as it has) is `actual` rounded.
fn rounds_to(actual: f64, quoted: &str) -> bool {
    let Ok(value) = quoted.parse::<f64>() else {
        return false;
    };
    let digits = quoted.split_once('.').map_or(0, |(_, d)| d.len());
    (actual - value).abs() <= 0.5 * 10f64.powi(-(digits as i32)) + 1e-9
}

/// The problems of a `range` (`range` true) or `median` note, `body` being what follows the
/// keyword, checked against every run's table.
fn over_runs(
    text: &str,
    note: &str,
    body: &str,
    runs: &[BTreeMap<String, BTreeMap<String, Cell>>],
    range: bool,
) -> Vec<String> {
    let Some((value, expr)) = body.split_once('=') else {
        return vec![format!("`{note}`: write `VALUE = A / B`")];
    };
    let value = value.trim();
    let Some((a, b)) = expr.split_once('/') else {
        return vec![format!("`{note}`: write `VALUE = A / B`")];
    };
    if runs.len() < 3 {
        return vec![format!(
            "`{note}`: {} runs recorded in book/src/perf/runs/, at least 3 needed",
            runs.len()
        )];
    }
    let mut ratios = Vec::new();
    for (i, table) in runs.iter().enumerate() {
        match (operand(table, a), operand(table, b)) {
            (Ok(a), Ok(b)) => ratios.push(a / b),
            (Err(e), _) | (_, Err(e)) => return vec![format!("`{note}`: run {}: {e}", i + 1)],
        }
    }
    ratios.sort_by(f64::total_cmp);
    let mut problems = Vec::new();
    if range {
        let (low, high) = (ratios[0], ratios[ratios.len() - 1]);
        let ok = value
            .split_once('–')
            .is_some_and(|(l, h)| rounds_to(low, l.trim()) && rounds_to(high, h.trim()));
        if !ok {
            problems.push(format!(
                "`{note}`: the runs give {low:.3} to {high:.3}, which does not round to {value}"
            ));
        }
    } else {
        let median = ratios[ratios.len() / 2];
        if ratios.len() % 2 == 0 || !rounds_to(median, value) {
            problems.push(format!(
                "`{note}`: the runs' median is {median:.3} (of {} runs; use an odd number), \
                 which does not round to {value}",
                ratios.len()
            ));
        }
    }
    if !mentions(text, value) {
        problems.push(format!("`{note}`: the paragraph does not say {value}"));
    }
    problems
}

/// A paragraph's text without its `<!-- ... -->` notes, and the notes.
fn split_notes(paragraph: &str) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut notes = Vec::new();
    let mut rest = paragraph;
    while let Some(start) = rest.find("<!--") {
        text.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("-->") else {
            rest = "";
            break;
        };
        notes.push(rest[start + 4..start + end].trim().to_string());
        rest = &rest[start + end + 3..];
    }
    text.push_str(rest);
    (text, notes)
}

/// Whether `text` holds `value` as a number of its own (not part of a longer one).
fn mentions(text: &str, value: &str) -> bool {
    text.match_indices(value).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let rest = &text[i + value.len()..];
        let longer = rest.starts_with(|c: char| c.is_ascii_digit())
            || (rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()));
        !before.is_some_and(|c| c.is_ascii_digit() || c == '.') && !longer
    })
}

/// The ratios a text quotes: a number followed by `times` or `×`.
fn quoted_ratios(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut found = Vec::new();
    let is_number = |w: &str| {
        !w.is_empty()
            && w.chars().all(|c| c.is_ascii_digit() || c == '.')
            && w.parse::<f64>().is_ok()
    };
    for (i, word) in words.iter().enumerate() {
        let word = word.trim_start_matches(['(', '*']);
        let word = word.trim_end_matches([')', ',', ';', '.', ':']);
        if let Some(number) = word.strip_suffix('×').or_else(|| word.strip_suffix("×*")) {
            if is_number(number) {
                found.push(number.to_string());
            }
            // A range over runs: `1.9–2.2×`.
            if number
                .split_once('–')
                .is_some_and(|(low, high)| is_number(low) && is_number(high))
            {
                found.push(number.to_string());
            }
        }
        if is_number(word) && words.get(i + 1).is_some_and(|w| w.starts_with("times")) {
            found.push(word.to_string());
            // "1.4 and 1.5 times", "15 to 90 times": the first number is a ratio too.
            if i >= 2 && ["and", "to", "or"].contains(&words[i - 1]) {
                let first = words[i - 2].trim_start_matches('(');
                if is_number(first) {
                    found.push(first.to_string());
                }
            }
        }
    }
    found
}

/// The `results.md` of each recorded run of the bench, oldest first
/// (`book/src/perf/runs/run1.md`, ...).
fn recorded_runs(root: &Path) -> Vec<String> {
    let mut paths: Vec<PathBuf> = fs::read_dir(root.join("book/src/perf/runs"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| fs::read_to_string(path).unwrap())
        .collect()
}

#[test]
fn the_table_is_the_last_recorded_run() {
    let root = workspace_root();
    let results = fs::read_to_string(root.join("book/src/perf/results.md")).unwrap();
    let runs = recorded_runs(root);
    assert!(
        runs.len() >= 3,
        "book/src/perf/runs/ records at least three runs"
    );
    assert_eq!(
        runs.last().unwrap(),
        &results,
        "book/src/perf/results.md is the last run of book/src/perf/runs/"
    );
}

#[test]
fn the_performance_chapter_quotes_its_table() {
    let root = workspace_root();
    let page = fs::read_to_string(root.join("book/src/ch90-how-fast.md")).unwrap();
    let results = fs::read_to_string(root.join("book/src/perf/results.md")).unwrap();
    let problems = ratio_problems(&page, &results, &recorded_runs(root));
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    assert!(
        page.matches("<!-- ratio ").count() >= 10,
        "the chapter quotes its table through ratio notes"
    );
}

#[test]
fn the_ratio_check_catches_a_planted_wrong_ratio() {
    let root = workspace_root();
    let results = fs::read_to_string(root.join("book/src/perf/results.md")).unwrap();
    let table = results_table(&results);
    let b1 = &table["W1 bounded 1"];
    let right = b1["tinyio"].median / b1["flume"].median;
    let good = format!(
        "tinyio takes {right:.1} times as long as flume.\n\
         <!-- ratio {right:.1} = W1 bounded 1.tinyio / W1 bounded 1.flume -->\n"
    );
    assert_eq!(ratio_problems(&good, &results, &[]), Vec::<String>::new());
    let wrong = right + 0.3;
    let planted = format!(
        "tinyio takes {wrong:.1} times as long as flume.\n\
         <!-- ratio {wrong:.1} = W1 bounded 1.tinyio / W1 bounded 1.flume -->\n\n\
         And 7 times as long as nobody.\n\n\
         It says 2.5 times.\n<!-- ratio 9.9 = W1 bounded 1.tinyio / W1 bounded 1.flume -->\n"
    );
    let problems = ratio_problems(&planted, &results, &[]).join("\n");
    for expected in [
        format!("the table gives {right:.3}, which does not round to {wrong:.1}"),
        "a ratio without a note: 7 in".to_string(),
        "a ratio without a note: 2.5 in".to_string(),
        "the paragraph does not say 9.9".to_string(),
    ] {
        assert!(
            problems.contains(&expected),
            "not found: {expected}\nin:\n{problems}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// mdbook test

/// Rust blocks that `mdbook test` would try to compile: every ```rust fence must say `ignore`.
fn doctest_problems(book_src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for page in markdown_files(book_src) {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&page).unwrap();
        let mut in_block = false;
        for (n, line) in text.lines().enumerate() {
            let Some(info) = line.strip_prefix("```") else {
                continue;
            };
            if !in_block {
                let words: Vec<&str> = info.split(',').map(str::trim).collect();
                if words[0] == "rust" && !words.contains(&"ignore") {
                    problems.push(format!(
                        "{name}:{}: a ```rust block without `ignore`: `mdbook test` cannot \
                         compile it (it has no tinyio); the listings crate tests it",
                        n + 1
                    ));
                }
            }
            in_block = !in_block;
        }
    }
    problems
}

#[test]
fn mdbook_test_does_not_apply_to_the_book() {
    let problems = doctest_problems(&workspace_root().join("book/src"));
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn rust_ignore_is_what_mdbook_test_skips() {
    let book = std::env::temp_dir().join(format!("tinyio-doctest-{}", std::process::id()));
    let _ = fs::remove_dir_all(&book);
    fs::create_dir_all(book.join("src")).unwrap();
    fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"t\"\n[rust]\nedition = \"2024\"\n",
    )
    .unwrap();
    fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n- [Page](page.md)\n",
    )
    .unwrap();
    let mdbook_test = |fence: &str| {
        fs::write(
            book.join("src/page.md"),
            format!("# Page\n\n```{fence}\nfn main() {{ tinyio::run(async {{}}); }}\n```\n"),
        )
        .unwrap();
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default();
        let mdbook = if Command::new("mdbook").arg("--version").output().is_ok() {
            PathBuf::from("mdbook")
        } else {
            home.join(".cargo/bin/mdbook")
        };
        let status = Command::new(mdbook)
            .arg("test")
            .arg(&book)
            .output()
            .expect("mdbook")
            .status;
        (
            status.success(),
            doctest_problems(&book.join("src")).is_empty(),
        )
    };
    assert_eq!(
        mdbook_test("rust"),
        (false, false),
        "an unmarked block fails both"
    );
    assert_eq!(
        mdbook_test("rust,ignore"),
        (true, true),
        "a marked block passes both"
    );
    let _ = fs::remove_dir_all(&book);
}

#[test]
fn the_range_check_catches_a_planted_wrong_range_or_median() {
    let root = workspace_root();
    let runs = recorded_runs(root);
    let results = runs.last().cloned().unwrap_or_default();
    let ratios: Vec<f64> = runs
        .iter()
        .map(|run| {
            let table = results_table(run);
            let row = &table["W1 bounded 1"];
            row["tinyio"].median / row["flume"].median
        })
        .collect();
    let mut sorted = ratios.clone();
    sorted.sort_by(f64::total_cmp);
    let (low, high, median) = (
        sorted[0],
        sorted[sorted.len() - 1],
        sorted[sorted.len() / 2],
    );
    let note = "W1 bounded 1.tinyio / W1 bounded 1.flume";
    let good = format!(
        "Over the runs, {median:.2}× (median), {low:.2}–{high:.2}×.\n\
         <!-- median {median:.2} = {note} -->\n<!-- range {low:.2}–{high:.2} = {note} -->\n"
    );
    assert_eq!(ratio_problems(&good, &results, &runs), Vec::<String>::new());
    let (wrong_low, wrong_median) = (low - 0.2, median + 0.2);
    let planted = format!(
        "Over the runs, {wrong_median:.2}× (median), {wrong_low:.2}–{high:.2}×.\n\
         <!-- median {wrong_median:.2} = {note} -->\n\
         <!-- range {wrong_low:.2}–{high:.2} = {note} -->\n\n\
         And 1.1–1.3× with no note.\n"
    );
    let problems = ratio_problems(&planted, &results, &runs).join("\n");
    for expected in [
        format!("which does not round to {wrong_low:.2}–{high:.2}"),
        format!("which does not round to {wrong_median:.2}"),
        "a ratio without a note: 1.1–1.3 in".to_string(),
    ] {
        assert!(
            problems.contains(&expected),
            "not found: {expected}\nin:\n{problems}"
        );
    }
    // Fewer than three runs cannot back a range.
    let one = ratio_problems(&good, &results, &runs[..1]).join("\n");
    assert!(one.contains("at least 3 needed"), "{one}");
}
