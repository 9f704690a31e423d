//! Snapshot tests (insta): whole pages of the sample book and the full text of `check` on the
//! fixture books with problems, kept under tests/testsuite/snapshots/ and reviewed like code, so
//! any change to a page or a diagnostic shows as a diff. A missing or changed snapshot fails the
//! run (scripts/test.sh sets INSTA_UPDATE=no); `cargo insta review` accepts an intended change.

use crate::harness::*;
use std::sync::OnceLock;
use wardbook::Built;

/// Snapshot settings: short file names, the source of the snapshot as its description.
fn settings(description: &str) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s.set_description(description);
    s
}

/// The sample book built once (no PDF: the pages are the same but for its link, which
/// the print tests cover) for every page snapshot.
fn sample() -> &'static Built {
    static SAMPLE: OnceLock<Built> = OnceLock::new();
    SAMPLE.get_or_init(|| BookTest::at(sample_root()).built())
}

fn assert_page(name: &str, path: &str) {
    let page = sample().page(path);
    settings(&format!("{path} of the sample book as of {AS_OF}"))
        .bind(|| insta::assert_snapshot!(format!("page-{name}"), page));
}

#[test]
fn home_page() {
    assert_page("home", "index.html");
}

#[test]
fn section_page() {
    assert_page("section", "respiratory/index.html");
}

#[test]
fn guideline_page_with_a_table() {
    assert_page("guideline-with-table", "respiratory/croup.html");
}

#[test]
fn a_to_z_page() {
    assert_page("a-z", "a-z.html");
}

#[test]
fn reviews_page() {
    assert_page("reviews", "reviews.html");
}

#[test]
fn search_page() {
    assert_page("search", "search.html");
}

#[test]
fn not_found_page() {
    assert_page("404", "404.html");
}

/// `check` of a fixture book in the text format, exit code and stdout in full.
fn assert_check(fixture: &str) {
    let out = BookTest::from_fixture(fixture).run("check", &["--format", "text"]);
    let report = format!("exit code: {:?}\n{}", out.status.code(), text(&out.stdout));
    settings(&format!(
        "wardbook check tests/fixtures/{fixture} --as-of {AS_OF}"
    ))
    .bind(|| insta::assert_snapshot!(format!("check-{fixture}"), report));
}

#[test]
fn check_text_of_the_errors_book() {
    assert_check("errors");
}

#[test]
fn check_text_of_a_bad_book_toml() {
    assert_check("bad-config");
}

#[test]
fn check_text_of_a_bad_lint_config() {
    assert_check("lint-config");
}

#[test]
fn check_text_of_suppressions() {
    assert_check("lint-suppression");
}

#[test]
fn check_text_of_overdue_reviews() {
    assert_check("reports-basic");
}
