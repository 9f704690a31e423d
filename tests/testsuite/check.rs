//! `wardbook check` as working groups' CI runs it: the built binary, its three output formats
//! (text, json, github), exit codes (0 clean, 1 problems, 2 cannot run), `--deny-warnings`,
//! overdue reviews as warnings or errors, and that nothing is written.

use crate::harness::*;
use std::process::Output;

fn stdout(o: &Output) -> String {
    text(&o.stdout)
}

#[test]
fn text_format_gives_location_snippet_help_and_summary() {
    let o = BookTest::from_fixture("lint-trailing-zero").run("check", &[]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let first = out.lines().next().unwrap_or("");
    assert_eq!(
        first,
        "guidelines/doses/trailing-zero.md:10:6: error[trailing-zero]: \"5.0 mg\": write \"5 mg\" (a trailing zero can be read as 50 mg)"
    );
    assert!(
        out.contains("   |\n10 | Give 5.0 mg of the drug.\n   |      ^^^^^^\n   = help: BNF: avoid unnecessary decimal points (3 mg, not 3.0 mg)\n"),
        "{out}"
    );
    assert!(out.ends_with("13 error(s), 0 warning(s)\n"), "{out}");
}

#[test]
fn json_format_is_an_array_of_diagnostics() {
    let o = BookTest::from_fixture("lint-suppression").run("check", &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let list = v.as_array().expect("an array");
    assert_eq!(list.len(), 10);
    let first = &list[0];
    assert_eq!(first["file"], "guidelines/doses/suppression.md");
    assert_eq!(first["line"], 17);
    assert_eq!(first["col"], 1);
    assert_eq!(first["rule"], "suppression");
    assert_eq!(first["severity"], "warning");
    assert!(
        first["help"]
            .as_str()
            .is_some_and(|h| h.contains("wardbook-allow"))
    );
    let errors = list.iter().filter(|d| d["severity"] == "error").count();
    assert_eq!(errors, 5);
    assert!(
        list.iter()
            .all(|d| d["message"].is_string() && d["line"].is_u64())
    );
}

#[test]
fn json_of_a_clean_book_is_an_empty_array() {
    let o = BookTest::from_fixture("reports-basic")
        .run("check", &["--format", "json", "--as-of", "2020-01-01"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v, serde_json::json!([]));
}

#[test]
fn github_format_annotates_errors_and_warnings() {
    let o = BookTest::from_fixture("lint-config").run("check", &["--format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "::error file=book.toml,line=12,col=1,title=config::[lint] names an unknown rule `trailng-zero` (did you mean trailing-zero?)",
            "::warning file=guidelines/doses/levels.md,line=8,col=6,title=trailing-zero::\"5.0 mg\": write \"5 mg\" (a trailing zero can be read as 50 mg) (BNF: avoid unnecessary decimal points (3 mg, not 3.0 mg))",
            "::error file=guidelines/doses/levels.md,line=8,col=55,title=cc-for-ml::\"5 cc\": write \"5 mL\" (cc can be misread as 00 or u) (BNF: use mL (millilitres), not cc)",
        ]
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let book = BookTest::from_fixture("lint-ratio-strength");
    let o = book.run("check", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).ends_with("0 error(s), 5 warning(s)\n"));
    let o = book.run("check", &["--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn cannot_run_exits_2() {
    let o = BookTest::from_fixture("no-such-book").run("check", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("book.toml"));
    let o = BookTest::from_fixture("lint-ratio-strength").run("check", &["--as-of", "21/11/2026"]);
    assert_eq!(o.status.code(), Some(2));
    let o = BookTest::from_fixture("lint-ratio-strength").run("check", &["--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn overdue_reviews_are_warnings_by_default() {
    let o = BookTest::from_fixture("reports-basic").run("check", &[]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let firsts: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("guidelines/"))
        .collect();
    assert_eq!(
        firsts,
        [
            "guidelines/general/old-overdue.md:5:14: warning[review-overdue]: review overdue since 2025-11-21",
            "guidelines/general/recently-overdue.md:5:14: warning[review-overdue]: review overdue since 2026-11-20",
        ]
    );
    // The withdrawn guideline is long past its date but no longer in use: not reported.
    assert!(!out.contains("withdrawn.md"));
    // A day earlier, "recently overdue" is due today and only one is overdue.
    let o = BookTest::from_fixture("reports-basic").run("check", &["--as-of", "2026-11-20"]);
    assert_eq!(stdout(&o).matches("review-overdue").count(), 1);
}

#[test]
fn overdue_reviews_can_be_errors() {
    let mut book = BookTest::from_fixture("reports-basic");
    let toml = book.scratch().join("book.toml");
    let mut text = std::fs::read_to_string(&toml).expect("read");
    text.push_str("\n[review]\noverdue = \"error\"\n");
    book.write("book.toml", text);
    let o = book.run("check", &["--format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("::error file=guidelines/general/old-overdue.md,line=5,col=14,title=review-overdue::review overdue since 2025-11-21"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn check_writes_nothing() {
    let mut book = BookTest::from_fixture("lint-trailing-zero");
    let tmp = book.tmp();
    let before = listing(&tmp);
    let o = book.run("check", &[]);
    assert_eq!(o.status.code(), Some(1));
    let mut book2 = BookTest::from_fixture("lint-ratio-strength");
    let tmp2 = book2.tmp();
    let before2 = listing(&tmp2);
    let o2 = book2.run("check", &[]);
    assert_eq!(o2.status.code(), Some(0));
    assert_eq!(listing(&tmp), before);
    assert_eq!(listing(&tmp2), before2);
    assert!(!tmp2.join("public").exists());
    assert!(!book2.root().join("public").exists());
}
