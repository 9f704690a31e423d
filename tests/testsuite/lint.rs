//! Medication-safety lint: one fixture book per rule under `tests/fixtures/lint-*/`, each with
//! positive lines and near misses, and an `expected.txt` holding the first line of every
//! diagnostic `check --format text` prints (`path:line:col: severity[rule]: message`), in order.
//! Near misses must produce nothing, so any extra or missing diagnostic fails the test. A rule
//! that reads the book's history (`version-not-bumped`) has its fixture's earlier edition in
//! `edition-1/`, and is checked over a git repository made of it.

use crate::harness::*;
use std::path::PathBuf;
use wardbook::diag::{self, Diagnostic, Format, Severity};

fn fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixture(""))
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("lint-"))
        })
        .collect();
    dirs.sort();
    dirs
}

/// The first line of each diagnostic as the text format prints it.
fn first_lines(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            diag::render_text(d)
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

#[test]
fn every_rule_has_a_fixture() {
    let names: Vec<String> = fixtures()
        .iter()
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for id in wardbook::lint::rules::ids() {
        assert!(
            names.iter().any(|n| n == &format!("lint-{id}")),
            "no fixture tests/fixtures/lint-{id}"
        );
    }
}

#[test]
fn fixtures_give_exactly_the_expected_diagnostics() {
    let mut failures = Vec::new();
    for dir in fixtures() {
        let expected = std::fs::read_to_string(dir.join("expected.txt"))
            .unwrap_or_else(|e| panic!("{}: expected.txt: {e}", dir.display()));
        let expected: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
        // A rule that reads the book's history is checked over its fixture made a repository.
        let repo = dir
            .join(crate::history_changes::EDITION)
            .is_dir()
            .then(|| crate::history_changes::fixture_repository(&dir));
        let root = repo.as_ref().map_or(dir.clone(), |t| t.path().join("book"));
        let diags = BookTest::at(root).check();
        let got = first_lines(&diags);
        if got != expected {
            failures.push(format!(
                "{}\n  expected:\n    {}\n  got:\n    {}",
                dir.display(),
                expected.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn caret_underlines_the_dose_as_written() {
    let diags = BookTest::from_fixture("lint-trailing-zero").check();
    let bold = diags
        .iter()
        .find(|d| d.line == 16)
        .expect("the bold dose on line 16");
    let text = diag::render_text(bold);
    assert!(
        text.contains("16 | mg over two lines, and **2.0** mg in bold.\n   |                          ^^^^^^^^\n"),
        "{text}"
    );
    assert!(text.ends_with("= help: BNF: avoid unnecessary decimal points (3 mg, not 3.0 mg)\n"));
}

#[test]
fn lint_errors_stop_the_build_and_warnings_do_not() {
    let d = BookTest::from_fixture("lint-trailing-zero").problems();
    assert!(
        d.iter()
            .any(|d| d.rule == "trailing-zero" && d.severity == Severity::Error)
    );
    let built = BookTest::from_fixture("lint-ratio-strength").built();
    assert_eq!(built.warnings.len(), 5);
    assert!(built.warnings.iter().all(|d| d.rule == "ratio-strength"));
    assert!(built.output.get("doses/ratio-strength.html").is_some());
}

#[test]
fn the_sample_book_has_no_lint_findings() {
    for drafts in [false, true] {
        let diags = BookTest::at(sample_root()).drafts(drafts).check();
        let lint: Vec<String> = diags
            .iter()
            .filter(|d| wardbook::lint::rules::find(&d.rule).is_some())
            .map(diag::render_text)
            .collect();
        assert!(lint.is_empty(), "{}", lint.join(""));
        assert!(
            !diag::has_errors(&diags),
            "{}",
            diag::render(&diags, Format::Text)
        );
    }
}

#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "5", "0", ".", " ", "mg", "mL", "U", "mcg", "µg", "&micro;", "&nbsp;", "**", "_", "\n",
    "\n\n", "1:1000", "1 in 1000", "adrenaline", "OD", "q.d.", "/L", "–", "| a | b |\n|---|---|\n| ",
    " |", "- ", "> ", "# ", "[^1]", "\n\n[^1]: ", "[x](https://x.org/5.0mg)", "`", "\n```\n",
    "<!-- wardbook-allow trailing-zero: quoted -->", "<!-- wardbook-allow units-abbreviation -->",
    "é", "\\", "&amp;", "<sup>", "</sup>",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Whatever the Markdown, the lint runs through the real parser without panicking, and every
    /// lint diagnostic points inside the guideline's body.
    #[test]
    fn lint_survives_any_markdown(picks in proptest::collection::vec(0..TOKENS.len(), 0..50)) {
        let body: String = picks.iter().map(|&i| TOKENS[i]).collect();
        let head = "---\ntitle: Random\nsection: doses\nnetwork: pharmacy\nreview_date: 2030-01-01\n---\n";
        let text = format!("{head}{body}");
        let book = BookTest::empty()
            .file("book.toml", std::fs::read(fixture("lint-clean/book.toml")).expect("book.toml"))
            .file("guidelines/doses/random.md", &text);
        let diags = book.check();
        let lines: Vec<&str> = text.split('\n').collect();
        for d in diags.iter().filter(|d| wardbook::lint::rules::find(&d.rule).is_some()) {
            proptest::prop_assert!(d.line >= 7 && d.line <= lines.len(), "{d:?}\n{text}");
            let len = lines[d.line - 1].chars().count();
            proptest::prop_assert!(d.col >= 1 && d.col <= len, "{d:?}\n{text}");
        }
    }
}
