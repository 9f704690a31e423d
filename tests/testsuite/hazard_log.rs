//! The clinical hazard log (docs/safety/hazard-log.md) names, for each control, the tests that
//! verify it. This reads the log and fails when a named test does not exist (a Rust test function
//! in tests/ or src/, or a headless-browser test title in tests/browser), or when a hazard that
//! is not marked open names no test at all.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every .rs and .mjs file under `dir`, fixtures and installed packages aside.
fn sources(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "fixtures" && name != "node_modules" {
                sources(&path, out);
            }
        } else if name.ends_with(".rs") || name.ends_with(".mjs") {
            let text = std::fs::read_to_string(&path).expect("readable source");
            out.push((path, text));
        }
    }
}

/// One hazard of the log: its heading, whether it is open, and the tests it names.
struct Hazard {
    title: String,
    open: bool,
    tests: Vec<String>,
}

fn hazards(log: &str) -> Vec<Hazard> {
    let mut out: Vec<Hazard> = Vec::new();
    let mut in_verified = false;
    for line in log.lines() {
        if let Some(title) = line.strip_prefix("### ") {
            out.push(Hazard {
                title: title.to_string(),
                open: false,
                tests: Vec::new(),
            });
            in_verified = false;
            continue;
        }
        let Some(h) = out.last_mut() else { continue };
        if line.starts_with("- **Status:** open") {
            h.open = true;
        }
        if line.starts_with("- **Verified by:**") {
            in_verified = true;
            continue;
        }
        if in_verified {
            match line.strip_prefix("  - `") {
                Some(rest) => {
                    let name = rest.split('`').next().unwrap_or_default();
                    h.tests.push(name.to_string());
                }
                None => in_verified = false,
            }
        }
    }
    out
}

/// True when `name` is a Rust test function or a browser test's title in `files`.
fn exists(name: &str, files: &[(PathBuf, String)]) -> bool {
    files.iter().any(|(path, text)| {
        if path.extension().is_some_and(|e| e == "mjs") {
            text.contains(&format!("test('{name}'")) || text.contains(&format!("test(\"{name}\""))
        } else {
            text.contains(&format!("fn {name}("))
        }
    })
}

#[test]
fn hazard_log_names_only_tests_that_exist() {
    let log =
        std::fs::read_to_string(root().join("docs/safety/hazard-log.md")).expect("hazard log");
    let mut files = Vec::new();
    sources(&root().join("tests"), &mut files);
    sources(&root().join("src"), &mut files);
    let hazards = hazards(&log);
    assert!(hazards.len() >= 8, "the log lists the hazards of the brief");
    let mut missing = Vec::new();
    for h in &hazards {
        assert!(
            h.open || !h.tests.is_empty(),
            "{}: a hazard with controls names the tests that verify them",
            h.title
        );
        missing.extend(
            h.tests
                .iter()
                .filter(|t| !exists(t, &files))
                .map(|t| format!("{}: {t}", h.title)),
        );
    }
    assert!(
        missing.is_empty(),
        "tests named in the hazard log but not found:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_checker_finds_a_missing_test() {
    let log = "### H1. x\n- **Verified by:**\n  - `hazard_log_names_only_tests_that_exist`\n  - `no_such_test_anywhere`\n";
    let mut files = Vec::new();
    sources(&root().join("tests"), &mut files);
    let h = hazards(log);
    assert_eq!(h[0].tests.len(), 2);
    assert!(exists(&h[0].tests[0], &files));
    assert!(!exists(&h[0].tests[1], &files));
}
