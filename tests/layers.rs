//! The "Modules" list of CONTRIBUTING.md is true: every module of `src/` is on it, and each
//! module uses only the modules on the lines above its own (so there is no import cycle).
//!
//! A module is a file `src/x.rs` or a folder `src/x/` (its submodules belong to it). It *uses*
//! module `y` when its code names `crate::y` (inline, in a `use` line, or in a `use crate::{y, z}`
//! list), or `super::y` from a top-level file. Comments, doc comments (their `crate::` links are
//! not code), `tests.rs` files and `#[cfg(test)] mod` blocks at the end of a file are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The layers of the list: line number (1-based within the list) of each module.
fn parse_list(contributing: &str) -> Result<BTreeMap<String, usize>, String> {
    let text = format!("\n{contributing}");
    let section = text
        .split("\n## ")
        .find(|section| section.starts_with("Modules\n"))
        .ok_or("CONTRIBUTING.md has no \"## Modules\" section")?;
    let mut layers = BTreeMap::new();
    for line in section.lines() {
        let Some((number, rest)) = line.split_once(". ") else {
            continue;
        };
        let Ok(layer) = number.parse::<usize>() else {
            continue;
        };
        let names = rest.split_once(": ").map_or(rest, |(names, _)| names);
        for name in names.split('`').skip(1).step_by(2) {
            if let Some(before) = layers.insert(name.to_string(), layer) {
                return Err(format!(
                    "`{name}` is listed twice (lines {before} and {layer})"
                ));
            }
        }
    }
    Ok(layers)
}

/// The code of a file without comments, and without a `#[cfg(test)] mod ... {` block and what
/// follows it.
fn code_of(text: &str) -> String {
    let mut code = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod ") && next.contains('{'))
        {
            break;
        }
        let line = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        code.push_str(line);
        code.push('\n');
    }
    code
}

/// The first path segments that follow each `prefix` (`crate::`) in `code`, including each item
/// of a `{ ... }` list.
fn heads_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut heads = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '$')) {
            continue; // `$crate::`, `my_crate::`, `x::crate::`
        }
        let rest = code[at + prefix.len()..].trim_start();
        if let Some(list) = rest.strip_prefix('{') {
            // Items of the list at depth 1.
            let mut depth = 1;
            let mut start = true;
            for (k, c) in list.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start && depth == 1 => {
                        let name = ident(&list[k..]);
                        if !name.is_empty() {
                            heads.insert(name);
                        }
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                heads.insert(name);
            }
        }
    }
    heads
}

/// The modules each module of `src/` uses: (module, files as (path, text)) in, edges out.
fn uses(modules: &BTreeMap<String, Vec<(String, String)>>) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges = BTreeMap::new();
    for (module, files) in modules {
        let mut used = BTreeSet::new();
        for (path, text) in files {
            let code = code_of(text);
            used.extend(heads_after(&code, "crate::"));
            // `super::` from a top-level file is the crate root.
            let depth = path.matches('/').count();
            if depth == 1 || (depth == 2 && path.ends_with("/mod.rs")) {
                used.extend(heads_after(&code, "super::"));
            }
        }
        used.retain(|other| other != module && modules.contains_key(other));
        edges.insert(module.clone(), used);
    }
    edges
}

/// What is wrong with the list, given the modules and what each uses.
fn check(
    layers: &BTreeMap<String, usize>,
    edges: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for module in edges.keys() {
        if !layers.contains_key(module) {
            problems.push(format!("`{module}` is in src/ but not on the list"));
        }
    }
    for module in layers.keys() {
        if !edges.contains_key(module) {
            problems.push(format!("`{module}` is on the list but not in src/"));
        }
    }
    for (module, used) in edges {
        let Some(&layer) = layers.get(module) else {
            continue;
        };
        for other in used {
            if let Some(&other_layer) = layers.get(other) {
                if other_layer >= layer {
                    problems.push(format!(
                        "`{module}` (line {layer}) uses `{other}` (line {other_layer}): a module \
                         may use only modules on the lines above its own"
                    ));
                }
            }
        }
    }
    problems
}

/// The modules of `src/`, each with its files (path relative to the crate, text).
fn read_modules(root: &Path) -> BTreeMap<String, Vec<(String, String)>> {
    let mut modules = BTreeMap::new();
    for entry in fs::read_dir(root.join("src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name == "lib" || name == "main" {
            continue;
        }
        let mut files = Vec::new();
        let mut stack = vec![path.clone()];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                for entry in fs::read_dir(&path).unwrap() {
                    stack.push(entry.unwrap().path());
                }
            } else if path.extension().is_some_and(|ext| ext == "rs")
                && path.file_name().is_some_and(|file| file != "tests.rs")
            {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                files.push((relative, fs::read_to_string(&path).unwrap()));
            }
        }
        modules.insert(name, files);
    }
    modules
}

#[test]
fn the_modules_list_of_contributing_is_true() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let contributing = fs::read_to_string(root.join("CONTRIBUTING.md")).unwrap();
    let layers = parse_list(&contributing).unwrap();
    let edges = uses(&read_modules(root));
    let problems = check(&layers, &edges);
    assert!(
        problems.is_empty(),
        "CONTRIBUTING.md's \"Modules\" list does not match src/:\n  {}\nwhat each module uses:\n{}",
        problems.join("\n  "),
        edges
            .iter()
            .map(|(module, used)| format!("  {module} -> {used:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The list is not empty, and the reading found real edges.
    assert!(layers.len() >= 15, "{layers:?}");
    assert!(edges["task"].contains("owner"), "task uses owner::polling");
    assert!(
        edges["blocking"].contains("runtime"),
        "use crate::{{context, runtime}}"
    );
}

// ---------------------------------------------------------------------------------------------
// The check, proved on planted code and lists.

fn planted(files: &[(&str, &str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (module, path, text) in files {
        modules
            .entry(module.to_string())
            .or_default()
            .push((path.to_string(), text.to_string()));
    }
    uses(&modules)
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| name.to_string()).collect()
}

#[test]
fn uses_are_read_from_paths_lists_and_super_but_not_comments_docs_or_tests() {
    let edges = planted(&[
        (
            "top",
            "src/top.rs",
            "//! See [`x`](crate::in_docs).\n\
             use crate::{alpha, beta::{Thing, other}, gamma as g};\n\
             use super::delta;\n\
             fn f() { crate::epsilon::run(); } // crate::in_comment\n\
             macro_rules! m { () => { $crate::in_macro_export() } }\n\
             #[cfg(test)]\nmod tests {\n    use crate::in_tests;\n}\n",
        ),
        ("top", "src/top/inner.rs", "use super::not_the_root;\n"),
        ("alpha", "src/alpha.rs", ""),
        ("beta", "src/beta/mod.rs", "use super::gamma;\n"),
        ("gamma", "src/gamma.rs", ""),
        ("delta", "src/delta.rs", ""),
        ("epsilon", "src/epsilon.rs", ""),
        ("in_docs", "src/in_docs.rs", ""),
        ("in_comment", "src/in_comment.rs", ""),
        ("in_tests", "src/in_tests.rs", ""),
        ("not_the_root", "src/not_the_root.rs", ""),
        ("in_macro_export", "src/in_macro_export.rs", ""),
    ]);
    assert_eq!(
        edges["top"],
        set(&["alpha", "beta", "delta", "epsilon", "gamma"])
    );
    assert_eq!(edges["beta"], set(&["gamma"]));
}

#[test]
fn a_planted_list_with_a_module_too_low_missing_or_unknown_fails() {
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("note", set(&[])),
        ("task", set(&["note"])),
        ("registry", set(&["task", "join_handle"])),
        ("join_handle", set(&["task"])),
    ]
    .into_iter()
    .map(|(module, used)| (module.to_string(), used))
    .collect();
    let good = "## Modules\n\ntext\n\n1. `note`: notes\n2. `task`\n3. `join_handle`: the\n   \
                handle\n4. `registry`\n\n## Next\n\n5. `other`\n";
    assert_eq!(
        check(&parse_list(good).unwrap(), &edges),
        Vec::<String>::new()
    );
    let same_line = "## Modules\n1. `note`\n2. `task`\n3. `join_handle`, `registry`\n";
    assert_eq!(
        check(&parse_list(same_line).unwrap(), &edges),
        [
            "`registry` (line 3) uses `join_handle` (line 3): a module may use only modules on the \
          lines above its own"
        ]
    );
    let wrong = "## Modules\n1. `note`, `ghost`\n2. `registry`\n3. `task`\n";
    assert_eq!(
        check(&parse_list(wrong).unwrap(), &edges),
        [
            "`join_handle` is in src/ but not on the list",
            "`ghost` is on the list but not in src/",
            "`registry` (line 2) uses `task` (line 3): a module may use only modules on the lines \
             above its own",
        ]
    );
    assert!(parse_list("## Modules\n1. `a`\n2. `a`\n").is_err());
    assert!(parse_list("## Other\n1. `a`\n").is_err());
}
