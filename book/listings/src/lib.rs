//! The book's code listings. Every Rust block in `book/src` is included from this crate (or from
//! `src/`), by anchor, so the code the reader sees is code that compiles and is tested.
//!
//! Programs whose output the book shows write a trace; the tests compare it with the committed
//! file in `book/listings/out/`, which the book includes as the program's output.
//! `TINYIO_BLESS=1 cargo test -p listings` rewrites those files (review with `git diff`).
#![forbid(unsafe_code)]

pub mod ch01;
pub mod ch02;
pub mod ch03;
pub mod ch04;
pub mod ch04_busy;
pub mod ch04_woken;
pub mod ch05;
pub mod ch05_naive;
pub mod ch06;
pub mod ch07;
pub mod ch08;
pub mod ch09;
pub mod ch10;

use std::sync::{Arc, Mutex};
use std::task::Waker;

use futures_task::ArcWake;

/// A trace that a listing writes, line by line. Cheap to clone; clones share the lines.
#[derive(Clone, Default)]
pub struct Trace(Arc<Mutex<Vec<String>>>);

impl Trace {
    /// Appends a line.
    pub fn say(&self, line: impl Into<String>) {
        self.0.lock().unwrap().push(line.into());
    }

    /// The lines so far.
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    // ANCHOR: make_waker
    /// A waker that writes `<name> woken` into this trace.
    pub fn waker(&self, name: &'static str) -> Waker {
        futures_task::waker(Arc::new(Named(name, self.clone())))
    }
    // ANCHOR_END: make_waker
}

/// A deadlock report as `main` would print it, wrapped at 96 columns for the page (a wrapped
/// line goes on with two more spaces). Every chapter shows reports this way.
pub fn report(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.lines() {
        let indent = &line[..line.len() - line.trim_start().len()];
        for (k, part) in crate::wrap(line, 96).into_iter().enumerate() {
            let more = if k == 0 { "" } else { "  " };
            lines.push(format!("{indent}{more}{part}"));
        }
    }
    lines
}

/// Splits `text` into lines of at most `width` characters (longer words stay whole).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

// ANCHOR: named_waker
/// The data behind a waker made by [`Trace::waker`]: its name and the trace it writes to.
struct Named(&'static str, Trace);

impl ArcWake for Named {
    /// Waking, by reference or by value (`ArcWake` turns `wake` into this), writes one line.
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.1.say(format!("  {} woken", arc_self.0));
    }
}
// ANCHOR_END: named_waker

/// Compares `lines` with the committed output file `book/listings/out/<name>.txt`
/// (or rewrites the file when `TINYIO_BLESS` is set).
#[cfg(test)]
pub(crate) fn check_output(name: &str, lines: &[String]) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("out/{name}.txt"));
    let mut text = lines.join("\n");
    text.push('\n');
    if std::env::var_os("TINYIO_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("{} is missing: run with TINYIO_BLESS=1", path.display())
    });
    assert_eq!(
        committed.replace("\r\n", "\n"),
        text,
        "the output of `{name}` differs from {}",
        path.display()
    );
}
pub mod ch12;
pub mod ch13;
