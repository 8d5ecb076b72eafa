//! The book checks. `mdbook build` exits 0 on a missing include and renders an empty block for a
//! missing anchor, so these checks look for both, for broken links, for code pasted by hand, and
//! for any ERROR or WARN that mdbook prints. Each check returns its problems; the tests run them
//! on the real book (no problem allowed) and on a deliberately broken one (each problem found).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use grader::runner::workspace_root;

/// Every Markdown file of a book's `src/`, with its text.
fn pages(book: &Path) -> Vec<(PathBuf, String)> {
    let mut pages: Vec<(PathBuf, String)> = fs::read_dir(book.join("src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    pages.sort();
    pages
}

/// Problems with `{{#include path}}` and `{{#include path:anchor}}` directives.
fn include_problems(book: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (page, text) in pages(book) {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        for piece in text.split("{{#").skip(1) {
            let directive = piece.split("}}").next().unwrap_or("").trim();
            let Some(target) = directive.strip_prefix("include ") else {
                problems.push(format!(
                    "{name}: unsupported directive {{{{#{directive}}}}}"
                ));
                continue;
            };
            let (path, anchor) = match target.trim().split_once(':') {
                Some((path, anchor)) => (path, Some(anchor)),
                None => (target.trim(), None),
            };
            let Ok(code) = fs::read_to_string(page.parent().unwrap().join(path)) else {
                problems.push(format!("{name}: includes {path}, which does not exist"));
                continue;
            };
            let Some(anchor) = anchor else { continue };
            if anchor.is_empty() || anchor.starts_with(|c: char| c.is_ascii_digit()) {
                problems.push(format!("{name}: includes {path}:{anchor}: use an anchor"));
                continue;
            }
            let start = format!("ANCHOR: {anchor}");
            let end = format!("ANCHOR_END: {anchor}");
            let lines: Vec<&str> = code.lines().map(str::trim_end).collect();
            if !lines.iter().any(|l| l.ends_with(&start))
                || !lines.iter().any(|l| l.ends_with(&end))
            {
                problems.push(format!("{name}: anchor `{anchor}` is missing in {path}"));
                continue;
            }
            let body = lines
                .iter()
                .skip_while(|l| !l.ends_with(&start))
                .skip(1)
                .take_while(|l| !l.ends_with(&end))
                .filter(|l| !l.contains("ANCHOR") && !l.trim().is_empty())
                .count();
            if body == 0 {
                problems.push(format!("{name}: anchor `{anchor}` in {path} is empty"));
            }
        }
    }
    problems
}

/// Code blocks whose lines are not all `{{#include ...}}`: code pasted by hand. Shell blocks
/// (```sh, ```console) are commands, written in the page and run by `book_claims.rs`.
fn pasted_code_problems(book: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (page, text) in pages(book) {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let mut in_block = false;
        let mut shell = false;
        for (n, line) in text.lines().enumerate() {
            if let Some(info) = line.strip_prefix("```") {
                in_block = !in_block;
                shell = in_block && ["sh", "console", "shell", "bash"].contains(&info.trim());
            } else if in_block
                && !shell
                && !line.trim().is_empty()
                && !line.starts_with("{{#include ")
            {
                problems.push(format!(
                    "{name}:{}: code pasted by hand (include a compiled or generated file)",
                    n + 1
                ));
            }
        }
    }
    problems
}

/// Relative links (`[text](target)`) that point at no file.
fn link_problems(book: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (page, text) in pages(book) {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        for piece in text.split("](").skip(1) {
            let target = piece.split(')').next().unwrap_or("").trim();
            let external = ["http://", "https://", "mailto:", "#"];
            if external.iter().any(|p| target.starts_with(p)) {
                continue;
            }
            let path = target.split('#').next().unwrap_or("");
            if !page.parent().unwrap().join(path).exists() {
                problems.push(format!("{name}: link to {target}, which does not exist"));
            }
        }
    }
    problems
}

fn mdbook() -> Command {
    if Command::new("mdbook").arg("--version").output().is_ok() {
        return Command::new("mdbook");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    Command::new(home.join(".cargo/bin/mdbook"))
}

/// The ERROR and WARN lines of `mdbook build`, and Run buttons or raw directives in its HTML.
fn build_problems(book: &Path) -> Vec<String> {
    let out = std::env::temp_dir().join(format!(
        "tinyio-book-{}-{}",
        std::process::id(),
        book.file_name().unwrap().to_string_lossy()
    ));
    let output = mdbook()
        .arg("build")
        .arg(book)
        .arg("-d")
        .arg(&out)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run mdbook ({e}). Install it once with \
                 `cargo install mdbook --version 0.5.4 --locked`"
            )
        });
    let log = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    let mut problems: Vec<String> = log
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("WARN"))
        .map(|l| format!("mdbook: {l}"))
        .collect();
    if !output.status.success() {
        problems.push(format!("mdbook build failed: {}", output.status));
    }
    for page in fs::read_dir(&out).into_iter().flatten() {
        let page = page.unwrap().path();
        if page.extension().is_some_and(|e| e == "html") {
            let html = fs::read_to_string(&page).unwrap();
            let name = page.file_name().unwrap().to_string_lossy().into_owned();
            if html.contains("<pre class=\"playground\">") {
                problems.push(format!(
                    "{name}: a Run button (the playground has no tinyio)"
                ));
            }
            if html.contains("{{#") {
                problems.push(format!("{name}: a directive mdbook did not expand"));
            }
        }
    }
    problems.extend(fragment_problems(book, &out));
    let _ = fs::remove_dir_all(&out);
    problems
}

/// Links to a section (`page.md#section`, `#section`) whose section does not exist in the built
/// HTML (a heading that was renamed, say). The file itself is checked by [`link_problems`].
fn fragment_problems(book: &Path, html: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (page, text) in pages(book) {
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        for piece in text.split("](").skip(1) {
            let target = piece.split(')').next().unwrap_or("").trim();
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let Some((file, fragment)) = target.split_once('#') else {
                continue;
            };
            let file = if file.is_empty() { name.as_str() } else { file };
            let built = html.join(file.replace(".md", ".html"));
            let Ok(built) = fs::read_to_string(&built) else {
                continue;
            };
            if !built.contains(&format!("id=\"{fragment}\"")) {
                problems.push(format!(
                    "{name}: link to {target}: {file} has no section `{fragment}`"
                ));
            }
        }
    }
    problems
}

/// Problems with `book.toml`: the edition and the playground.
fn toml_problems(book: &Path) -> Vec<String> {
    let toml = fs::read_to_string(book.join("book.toml")).unwrap_or_default();
    let mut problems = Vec::new();
    if !toml.contains("[rust]\nedition = \"2024\"") {
        problems.push("book.toml: set `[rust] edition = \"2024\"`".to_string());
    }
    if !(toml.contains("[output.html.playground]") && toml.contains("runnable = false")) {
        problems.push("book.toml: set `[output.html.playground] runnable = false`".to_string());
    }
    problems
}

fn all_problems(book: &Path) -> Vec<String> {
    let mut problems = include_problems(book);
    problems.extend(pasted_code_problems(book));
    problems.extend(link_problems(book));
    problems.extend(toml_problems(book));
    problems.extend(build_problems(book));
    problems
}

#[test]
fn the_book_has_no_problem() {
    let book = workspace_root().join("book");
    assert!(pages(&book).len() >= 4, "the book has chapters 0 to 3");
    let problems = all_problems(&book);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checks_find_each_problem_in_a_broken_book() {
    let book = std::env::temp_dir().join(format!("tinyio-broken-book-{}", std::process::id()));
    let _ = fs::remove_dir_all(&book);
    fs::create_dir_all(book.join("src")).unwrap();
    let write = |path: &str, text: &str| fs::write(book.join(path), text).unwrap();
    write("book.toml", "[book]\ntitle = \"broken\"\n");
    write("src/SUMMARY.md", "# Summary\n\n- [Page](page.md)\n");
    write(
        "src/code.rs",
        "// ANCHOR: empty\n// ANCHOR_END: empty\nfn main() {}\n",
    );
    write(
        "src/page.md",
        "# Page\n\n```rust\n{{#include missing.rs}}\n```\n\n```rust\n{{#include code.rs:nope}}\n\
         ```\n\n```rust\n{{#include code.rs:empty}}\n```\n\n```rust\n{{#include code.rs:1:2}}\n\
         ```\n\n```rust\nfn pasted() {}\n```\n\n[a lost page](lost.md)\n\n```sh\ncargo test\n```\n\n\
         [a lost section](page.md#lost) and [a good one](page.md#page)\n",
    );
    let problems = all_problems(&book).join("\n");
    for expected in [
        "includes missing.rs, which does not exist",
        "anchor `nope` is missing in code.rs",
        "anchor `empty` in code.rs is empty",
        "includes code.rs:1:2: use an anchor",
        "page.md:20: code pasted by hand",
        "link to lost.md, which does not exist",
        "book.toml: set `[rust] edition = \"2024\"`",
        "book.toml: set `[output.html.playground] runnable = false`",
        "mdbook: ERROR",
        "a Run button",
        "link to page.md#lost: page.md has no section `lost`",
    ] {
        assert!(
            problems.contains(expected),
            "not found: {expected}\nin:\n{problems}"
        );
    }
    assert!(!problems.contains("page.md#page"), "{problems}");
    assert_eq!(
        problems.matches("code pasted by hand").count(),
        1,
        "a ```sh block holds commands, not pasted code:\n{problems}"
    );
    let _ = fs::remove_dir_all(&book);
}

#[test]
fn mdbook_is_the_pinned_version() {
    let output = mdbook().arg("--version").output().unwrap_or_else(|_| {
        panic!("mdbook is not installed: `cargo install mdbook --version 0.5.4 --locked`")
    });
    let version = String::from_utf8_lossy(&output.stdout);
    assert!(
        version.contains("v0.5."),
        "mdbook 0.5 is required, found {version}"
    );
}
