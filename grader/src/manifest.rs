//! The expected traces and their checksum manifest.
//!
//! Each scenario's expected trace is a plain text file `grader/expected/<exercise>/<scenario>.txt`
//! (one trace line per line; the book includes some of them as timelines). The file
//! `grader/expected/MANIFEST` lists each file with its FNV-1a 64-bit checksum, written here
//! because std's `DefaultHasher` may change between Rust releases. The grader refuses to grade an
//! exercise whose expected files do not match the manifest: editing an expected file turns
//! nothing green, it is reported. (Tamper-evident, not tamper-proof: the manifest is a file too.)

use std::path::{Path, PathBuf};

use crate::Exercise;
use crate::runner::workspace_root;

/// The manifest's path relative to the workspace root.
pub const MANIFEST: &str = "grader/expected/MANIFEST";

/// FNV-1a, 64 bits: a small, stable, non-cryptographic hash.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The expected file of a scenario, relative to the workspace root.
pub fn expected_path(exercise: &str, scenario: &str) -> String {
    format!("grader/expected/{exercise}/{scenario}.txt")
}

fn absolute(relative: &str) -> PathBuf {
    workspace_root().join(relative)
}

/// Reads a text file of the workspace with line endings normalized to `\n`.
fn read_text(relative: &str) -> Option<String> {
    read_text_in(workspace_root(), relative)
}

fn read_text_in(root: &Path, relative: &str) -> Option<String> {
    std::fs::read_to_string(root.join(relative))
        .ok()
        .map(|t| t.replace("\r\n", "\n"))
}

/// The expected trace of a scenario, one entry per line (empty if the file is missing: the
/// manifest check reports that before anything is compared).
pub fn read_expected(exercise: &str, scenario: &str) -> Vec<String> {
    read_text(&expected_path(exercise, scenario))
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The checksum line of an expected file's text.
pub fn manifest_line(relative: &str, text: &str) -> String {
    format!("{:016x}  {relative}", fnv1a64(text.as_bytes()))
}

/// The manifest's entries: `(path, checksum)`.
pub fn entries() -> Vec<(String, u64)> {
    entries_in(workspace_root())
}

fn entries_in(root: &Path) -> Vec<(String, u64)> {
    read_text_in(root, MANIFEST)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let (hash, path) = line.split_once("  ")?;
            Some((path.trim().to_string(), u64::from_str_radix(hash, 16).ok()?))
        })
        .collect()
}

/// What is wrong with an exercise's expected files, one sentence each (empty if all is well).
pub fn check_exercise(exercise: &Exercise) -> Vec<String> {
    check_exercise_in(workspace_root(), exercise)
}

/// [`check_exercise`] on a copy of the workspace's `grader/expected` under `root`.
pub fn check_exercise_in(root: &Path, exercise: &Exercise) -> Vec<String> {
    let entries = entries_in(root);
    let mut problems = Vec::new();
    if entries.is_empty() {
        problems.push(format!("{MANIFEST} is missing or empty."));
    }
    for scenario in &exercise.scenarios {
        let path = expected_path(exercise.id, scenario.name);
        let listed = entries.iter().find(|(p, _)| *p == path).map(|e| e.1);
        match (read_text_in(root, &path), listed) {
            (None, _) => problems.push(format!("expected file missing: {path}")),
            (Some(_), None) => problems.push(format!("expected file not in {MANIFEST}: {path}")),
            (Some(text), Some(hash)) if fnv1a64(text.as_bytes()) != hash => problems.push(format!(
                "expected file changed: {path} (its checksum is not the one in {MANIFEST})"
            )),
            _ => {}
        }
    }
    problems
}

/// Writes a scenario's expected file (used only by the self-test's bless mode).
pub fn write_expected(exercise: &str, scenario: &str, lines: &[String]) -> String {
    let relative = expected_path(exercise, scenario);
    let path = absolute(&relative);
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folder");
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(&path, &text).expect("write expected file");
    manifest_line(&relative, &text)
}

/// Writes the manifest from its lines (used only by the self-test's bless mode).
pub fn write_manifest(mut lines: Vec<String>) {
    lines.sort_by(|a, b| a[18..].cmp(&b[18..]));
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(absolute(MANIFEST), text).expect("write the manifest");
}

#[cfg(test)]
mod tests {
    use super::fnv1a64;

    #[test]
    fn fnv1a64_matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }
}
