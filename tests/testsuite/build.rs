//! Integration tests of `build` and `check` over fixture books (tests/fixtures/<case>/) and the
//! sample book at the repository root: bad input of every class, Markdown rendering guarantees,
//! drafts and withdrawn guidelines, exit codes, the safe swap of the output folder, determinism.

use crate::harness::*;
use std::path::Path;

#[test]
fn every_class_of_bad_input_is_reported_in_one_sorted_run() {
    let diags = BookTest::from_fixture("errors").check();
    let got: Vec<String> = render_text(&diags)
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect();
    let expected = std::fs::read_to_string(fixture("errors/expected.txt")).expect("expected.txt");
    let expected: Vec<&str> = expected.lines().collect();
    assert_eq!(
        got, expected,
        "diagnostics differ from tests/fixtures/errors/expected.txt"
    );
}

#[test]
fn diagnostics_show_the_source_line_a_caret_and_help() {
    let diags = BookTest::from_fixture("errors").check();
    let d = diags
        .iter()
        .find(|d| d.rule == "unknown-section")
        .expect("unknown-section reported");
    assert_eq!(
        wardbook::diag::render_text(d),
        "guidelines/resp/unknown-section.md:3:10: error[unknown-section]: unknown section \"Respiratroy\"\n  |\n3 | section: Respiratroy\n  |          ^^^^^^^^^^^\n  = help: did you mean Respiratory?\n"
    );
}

#[test]
fn a_misspelt_required_key_is_one_error_that_names_the_key() {
    let diags = BookTest::from_fixture("errors").check();
    let file: Vec<&wardbook::diag::Diagnostic> = diags
        .iter()
        .filter(|d| d.file.ends_with("typo-and-bad-date.md"))
        .collect();
    let titel = file
        .iter()
        .find(|d| d.message.contains("unknown field `titel`"))
        .expect("the misspelt key is reported");
    assert_eq!(titel.help.as_deref(), Some("did you mean title?"));
    // Not a second error saying the title is missing: the key is there, misspelt.
    assert!(
        !file.iter().any(|d| d.rule == "missing-field"),
        "{:?}",
        file.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    // A key that is truly missing is still reported.
    assert!(diags.iter().any(|d| d.rule == "missing-field"
        && d.file.ends_with("missing-date.md")
        && d.message.contains("review_date")));
}

#[test]
fn a_link_to_a_guideline_with_errors_points_at_those_errors() {
    let diags = BookTest::from_fixture("errors").check();
    let d = diags
        .iter()
        .find(|d| d.rule == "broken-link" && d.message.contains("bad-date.md"))
        .expect("the link to bad-date.md is reported");
    assert_eq!(
        d.message,
        "links to guidelines/resp/bad-date.md, which has errors of its own (reported with it)"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("fix that file's own errors, reported with it; the link will then work")
    );
    assert!(
        diags
            .iter()
            .any(|d| d.file == Path::new("guidelines/resp/bad-date.md") && d.rule == "bad-date"),
        "the target's own error is reported too"
    );
}

#[test]
fn bad_book_toml_is_reported_at_its_line_and_column() {
    let out = wardbook(&[
        "build",
        fixture("bad-config").to_str().expect("path"),
        "--no-pdf",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("book.toml:3:1: error[config]: unknown field `editon`"),
        "{err}"
    );
    assert!(err.contains("did you mean edition?"), "{err}");
}

#[test]
fn exit_codes_distinguish_problems_from_cannot_run() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dest = tmp.path().join("site");
    let dest = dest.to_str().expect("path");
    let errors = fixture("errors");
    let out = wardbook(&[
        "build",
        errors.to_str().expect("p"),
        "--dest",
        dest,
        "--as-of",
        AS_OF,
    ]);
    assert_eq!(out.status.code(), Some(1), "problems in the book");
    assert!(!Path::new(dest).exists(), "a failed build writes nothing");
    let out = wardbook(&["build", tmp.path().to_str().expect("p"), "--dest", dest]);
    assert_eq!(out.status.code(), Some(2), "no book.toml");
    assert!(String::from_utf8_lossy(&out.stderr).contains("book.toml"));
    let out = wardbook(&["build", "--as-of", "2026-02-30"]);
    assert_eq!(out.status.code(), Some(2), "bad arguments");
    let md = fixture("markdown");
    let out = wardbook(&[
        "build",
        md.to_str().expect("p"),
        "--dest",
        dest,
        "--as-of",
        AS_OF,
        "--no-pdf",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Built 3 guidelines"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let mut t = BookTest::from_fixture("markdown");
    let book = t.scratch();
    let dest = t.dest();
    let args = |b: &Path| {
        vec![
            "build".to_string(),
            b.display().to_string(),
            "--dest".into(),
            dest.display().to_string(),
            "--no-pdf".into(),
        ]
    };
    let out = command().args(args(&book)).output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = files_under(&dest);
    let sepsis = book.join("guidelines/inf/sepsis.md");
    let text = std::fs::read_to_string(&sepsis).expect("read");
    std::fs::write(
        &sepsis,
        text.replace("section: infection", "section: nowhere"),
    )
    .expect("write");
    let out = command().args(args(&book)).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        files_under(&dest),
        before,
        "the previous site must stay byte-identical"
    );
    let siblings: Vec<_> = std::fs::read_dir(t.tmp())
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(
        siblings.len(),
        2,
        "no staging folder left behind: {siblings:?}"
    );
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("precious.txt"), "keep me").expect("write");
    let md = fixture("markdown");
    let out = wardbook(&[
        "build",
        md.to_str().expect("p"),
        "--dest",
        tmp.path().to_str().expect("p"),
        "--no-pdf",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not written by wardbook"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("precious.txt")).expect("read"),
        "keep me"
    );
}

#[test]
fn markdown_reaches_the_page_exactly_as_written() {
    let b = BookTest::from_fixture("markdown").built();
    let html = b.page("respiratory/doses.html");
    assert!(
        html.contains("Quotes stay \"straight\" and 'single' -- dashes -- and ... dots; 0.5 mg, 10–20 breaths, ≥ 92%, µ, −1."),
        "no smart punctuation, no rewriting of doses"
    );
    assert!(html.contains("<h2 id=\"assessment\">Assessment</h2>"));
    assert!(
        html.contains("<h2 id=\"assessment-1\">Assessment</h2>"),
        "repeated headings get unique ids"
    );
    assert!(
        html.contains("<th scope=\"col\">Age</th>"),
        "table headers carry scope"
    );
    assert!(html.contains("&lt; 1 year"));
    assert!(
        html.contains("href=\"../infection/sepsis.html#red-flags\""),
        ".md links become relative .html"
    );
    assert!(html.contains("href=\"#assessment-1\""));
    assert!(
        html.contains("src=\"../media/img/chart.png\""),
        "images are rewritten to the copied file"
    );
    assert!(
        b.output.files.contains_key("media/img/chart.png"),
        "images are copied"
    );
    assert!(
        html.contains("class=\"hl-"),
        "known languages are highlighted into classes"
    );
    assert!(
        html.contains("<code class=\"language-nosuchlanguage\">a &lt; b\n</code>"),
        "unknown language is plain"
    );
    assert!(html.contains(
        "<abbr title=\"Diabetic ketoacidosis\">DKA</abbr> and H<sub>2</sub>O and x<sup>2</sup>"
    ));
    assert!(
        html.contains("aria-label=\"done\""),
        "task list boxes have names"
    );
    assert!(html.contains("id=\"fn-1\""), "footnotes render");
    assert!(html.contains("data-review-status=\"current\" data-status=\"current\""));
    for field in [
        "Respiratory",
        "Respiratory Network",
        "<dd>3</dd>",
        "30 June 2027",
        "30 June 2024",
    ] {
        assert!(html.contains(field), "metadata {field} shown");
    }
    assert!(html.contains("Sample content - not for clinical use"));
}

#[test]
fn unsafe_raw_html_is_removed_with_a_warning() {
    let diags = BookTest::from_fixture("errors").check();
    let warnings: Vec<_> = diags
        .iter()
        .filter(|d| d.rule == "unsafe-html")
        .map(|d| d.line)
        .collect();
    assert_eq!(warnings, vec![15, 17]);
}

#[test]
fn review_status_drafts_and_withdrawn() {
    let b = BookTest::from_fixture("markdown").built();
    let old = b.page("infection/old.html");
    assert!(old.contains("data-review-status=\"overdue\""));
    assert!(old.contains("Review overdue since 31 January 2025"));
    let sepsis = b.page("infection/sepsis.html");
    assert!(
        sepsis.contains("data-review-status=\"due\""),
        "10 days before review is due"
    );
    assert!(sepsis.contains("due for review on 1 December 2026"));

    let gone = b.page("infection/gone.html");
    assert!(gone.contains("data-status=\"withdrawn\""));
    assert!(gone.contains("has been withdrawn") && gone.contains("must not be used"));
    assert!(
        !gone.contains("WITHDRAWN-BODY-MARKER"),
        "no clinical content on a withdrawn page"
    );
    assert!(
        !b.output.files.contains_key("infection/wip.html"),
        "drafts left out"
    );
    for list in [
        "index.html",
        "a-z.html",
        "infection/index.html",
        "networks/inf-network.html",
    ] {
        let html = b.page(list);
        assert!(!html.contains("Gone guideline"), "withdrawn not in {list}");
        assert!(!html.contains("Work in progress"), "draft not in {list}");
    }
    let az = b.page("a-z.html");
    let order: Vec<usize> = ["Doses and ranges", "Old overdue", "Sepsis"]
        .iter()
        .map(|t| az.find(t).expect(t))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "A-Z is alphabetical");
    assert!(
        az.contains("Review overdue since 31 January 2025"),
        "lists show review status"
    );

    let d = BookTest::from_fixture("markdown").drafts(true).built();
    let wip = d.page("infection/wip.html");
    assert!(wip.contains("DRAFT") && wip.contains("data-status=\"draft\""));
    assert!(
        d.page("a-z.html").contains("DRAFT"),
        "drafts marked on lists with --drafts"
    );
}

#[test]
fn sample_book_builds_every_page_with_relative_links() {
    let b = BookTest::at(sample_root()).built();
    for p in [
        "index.html",
        "a-z.html",
        "404.html",
        "respiratory/index.html",
        "respiratory/croup.html",
    ] {
        assert!(b.output.files.contains_key(p), "{p} missing");
    }
    let cfg = wardbook::config::load(&repo())
        .map_err(|_| "config")
        .expect("config");
    for s in &cfg.sections {
        assert!(
            b.output
                .files
                .contains_key(&format!("{}/index.html", s.slug))
        );
    }
    for n in &cfg.networks {
        assert!(
            b.output
                .files
                .contains_key(&format!("networks/{}.html", n.slug))
        );
    }
    for (path, content) in &b.output.files {
        let wardbook::output::Content::Bytes(bytes) = content else {
            continue;
        };
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for attr in [
            "href=\"/",
            "src=\"/",
            "href=\"http://",
            "src=\"http",
            "//fonts.",
            "cdn",
        ] {
            assert!(
                !html.contains(attr),
                "{path} has a non-relative or external reference {attr}"
            );
        }
    }
}

#[test]
fn output_is_deterministic() {
    let a = BookTest::at(sample_root()).drafts(true).built();
    let b = BookTest::at(sample_root()).drafts(true).built();
    assert_eq!(a.output, b.output);
    let tmp = tempfile::tempdir().expect("tmp");
    wardbook::output::commit(&a.output, &tmp.path().join("a")).expect("commit a");
    wardbook::output::commit(&b.output, &tmp.path().join("b")).expect("commit b");
    assert_eq!(
        files_under(&tmp.path().join("a")),
        files_under(&tmp.path().join("b"))
    );
}

#[test]
fn init_creates_a_book_that_builds() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("newbook");
    let out = wardbook(&["init", dir.to_str().expect("p")]);
    assert!(out.status.success());
    BookTest::at(dir.clone()).built();
    let again = wardbook(&["init", dir.to_str().expect("p")]);
    assert_eq!(again.status.code(), Some(2), "never overwrites a book");
}

#[test]
fn a_book_overrides_templates_and_theme_files() {
    let mut t = BookTest::from_fixture("markdown")
        .file(
            "templates/404.html",
            "{% extends \"base.html\" %}{% block content %}<h1>LOCAL-404 {{ book.title }}</h1>{% endblock content %}",
        )
        .file("themes/default/style.css", "body { color: LOCAL; }");
    let b = t.built();
    assert!(b.page("404.html").contains("LOCAL-404 Markdown fixture"));
    assert_eq!(
        b.output.get("assets/style.css"),
        Some(&b"body { color: LOCAL; }"[..])
    );
    assert!(
        b.page("index.html").contains("Markdown fixture"),
        "other templates keep the defaults"
    );

    t.write(
        "templates/404.html",
        "{% block content %}{% if %}{% endblock content %}",
    );
    // A broken template is a problem in the book that stops the build, not a failure to run.
    let d = t.problems();
    let errors: Vec<_> = d
        .iter()
        .filter(|d| d.severity == wardbook::diag::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].file, Path::new("templates/404.html"));
    assert_eq!(errors[0].rule, "template");
}
