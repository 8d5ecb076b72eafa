//! Checks of the exercise files, the solutions and the expected-file manifest.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use grader::manifest;
use grader::runner::workspace_root;

struct Solution;
grader::bind_all!(Solution, solutions);

fn exercises() -> Vec<grader::Exercise> {
    grader::all_of::<Solution>()
}

fn read(relative: &str) -> String {
    fs::read_to_string(workspace_root().join(relative))
        .unwrap_or_else(|e| panic!("cannot read {relative}: {e}"))
}

/// The `chNN_*.rs` files of a folder, without the extension.
fn chapter_files(folder: &str) -> BTreeSet<String> {
    fs::read_dir(workspace_root().join(folder))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("ch") && n.ends_with(".rs"))
        .map(|n| n.trim_end_matches(".rs").to_string())
        .collect()
}

#[test]
fn every_exercise_has_a_todo_a_task_and_a_hint() {
    for exercise in exercises() {
        let text = read(exercise.file);
        assert!(
            text.contains("// TODO"),
            "{} has no `// TODO`",
            exercise.file
        );
        assert!(
            text.contains("todo!()"),
            "{} has no `todo!()`",
            exercise.file
        );
        assert!(
            text.contains("//! ## Task\n//!\n//! "),
            "{} has no `## Task` section in its doc comment",
            exercise.file
        );
        assert!(
            exercise.recipe.len() > 40,
            "{} has no real recipe",
            exercise.id
        );
        assert!(
            !exercise.on_hang.is_empty(),
            "{} has no hang hint",
            exercise.id
        );
        assert!(exercise.file.ends_with(&format!("{}.rs", exercise.id)));
        for scenario in &exercise.scenarios {
            assert!(
                !scenario.checks.is_empty(),
                "{}/{} does not say what it checks",
                exercise.id,
                scenario.name
            );
        }
    }
}

#[test]
fn every_exercise_file_is_graded_and_has_a_solution() {
    let graded: BTreeSet<String> = exercises().iter().map(|e| e.id.to_string()).collect();
    assert_eq!(
        chapter_files("exercises/src"),
        graded,
        "exercise files vs graders"
    );
    assert_eq!(
        chapter_files("solutions/src"),
        graded,
        "solution files vs graders"
    );
}

#[test]
fn solutions_and_the_runtime_have_no_todo() {
    for folder in ["solutions/src", "src"] {
        for entry in fs::read_dir(workspace_root().join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                assert!(!text.contains("todo!("), "{} has a todo!()", path.display());
            }
        }
    }
}

#[test]
fn the_manifest_lists_exactly_the_expected_files_with_their_checksums() {
    let root = workspace_root();
    let listed: BTreeSet<String> = manifest::entries().into_iter().map(|e| e.0).collect();
    let mut on_disk = BTreeSet::new();
    for dir in fs::read_dir(root.join("grader/expected")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for file in fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let relative = file.strip_prefix(root).unwrap();
            on_disk.insert(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    assert_eq!(
        listed,
        on_disk,
        "{} vs the files in grader/expected",
        manifest::MANIFEST
    );
    let mut needed = BTreeSet::new();
    for exercise in exercises() {
        let problems = manifest::check_exercise(&exercise);
        assert!(problems.is_empty(), "{problems:#?}");
        for scenario in &exercise.scenarios {
            needed.insert(manifest::expected_path(exercise.id, scenario.name));
        }
    }
    assert_eq!(needed, on_disk, "scenarios vs expected files");
}

#[test]
fn the_solution_of_block_on_is_the_runtime_s_own_code() {
    let text = read("solutions/src/ch03_block_on.rs");
    assert!(text.contains("#[path = \"../../src/block_on.rs\"]"));
    assert!(Path::new(&workspace_root().join("src/block_on.rs")).exists());
}

#[test]
fn an_edited_expected_file_is_reported() {
    let root = std::env::temp_dir().join(format!("tinyio-tamper-{}", std::process::id()));
    let copy = |from: &Path, to: &Path| {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap().path();
            if entry.is_dir() {
                let sub = to.join(entry.file_name().unwrap());
                fs::create_dir_all(&sub).unwrap();
                for file in fs::read_dir(&entry).unwrap() {
                    let file = file.unwrap().path();
                    fs::copy(&file, sub.join(file.file_name().unwrap())).unwrap();
                }
            } else {
                fs::copy(&entry, to.join(entry.file_name().unwrap())).unwrap();
            }
        }
    };
    copy(
        &workspace_root().join("grader/expected"),
        &root.join("grader/expected"),
    );
    let exercise = exercises().into_iter().next().unwrap();
    assert!(manifest::check_exercise_in(&root, &exercise).is_empty());
    let scenario = exercise.scenarios[0].name;
    let edited = root.join(manifest::expected_path(exercise.id, scenario));
    let text = fs::read_to_string(&edited).unwrap();
    fs::write(&edited, format!("{text}one more line\n")).unwrap();
    let problems = manifest::check_exercise_in(&root, &exercise);
    assert_eq!(
        problems,
        [format!(
            "expected file changed: {} (its checksum is not the one in {})",
            manifest::expected_path(exercise.id, scenario),
            manifest::MANIFEST
        )]
    );
    fs::remove_file(&edited).unwrap();
    let problems = manifest::check_exercise_in(&root, &exercise);
    assert!(
        problems[0].starts_with("expected file missing"),
        "{problems:?}"
    );
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn the_readme_and_the_introduction_count_every_exercise() {
    let line = format!("0 passed, {} failed", exercises().len());
    for file in ["README.md", "book/src/ch00-introduction.md"] {
        assert!(
            read(file).contains(&line),
            "{file} should show what a fresh copy prints: `{line}`"
        );
    }
}
