//! Revisions over repositories made in the test (fixed dates): an edit without a version bump
//! is a revision of its own, with its dates and archived page; a commit whose text cannot be
//! read is passed over, with one warning; and the text in force on any day is the text the
//! book held that day.

use crate::git::GitRepo;
use crate::harness::*;
use jiff::civil::Date;
use std::path::Path;
use wardbook::history::{FileHistory, ReplacedBy, Repo};

const BOOK_TOML: &str = "[book]\ntitle = \"Revisions book\"\n\n[history]\n\n\
    [[sections]]\nslug = \"endocrine\"\ntitle = \"Endocrine\"\n\n\
    [[sections]]\nslug = \"respiratory\"\ntitle = \"Respiratory\"\n\n\
    [[networks]]\nslug = \"n\"\nname = \"Network\"\ncontact = \"mailto:n@example.org\"\n";

/// A guideline in `section` with `version`, `summary` and a body line.
fn text(title: &str, section: &str, version: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nsection: {section}\nnetwork: n\nreview_date: 2030-01-01\n\
         version: \"{version}\"\nchange_summary: {title} {version}.\n---\n\n## Treatment\n\n{body}\n"
    )
}

fn day(s: &str) -> Date {
    s.parse().expect("date")
}

fn built(root: &Path) -> wardbook::Built {
    wardbook::build(root, &options(false, false)).expect("builds")
}

fn page(b: &wardbook::Built, path: &str) -> String {
    let bytes = b
        .output
        .get(path)
        .unwrap_or_else(|| panic!("{path} not built: {:?}", b.output.files.keys()));
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

fn history_of(root: &Path, source: &str) -> FileHistory {
    let config = wardbook::config::load(root).expect("config");
    let repo = Repo::discover(&config)
        .expect("repo")
        .expect("a repository");
    let h = repo.read(&repo.head().expect("head"), None).expect("read");
    h.file(Path::new(source)).expect("file").clone()
}

/// Dextrose gel: 1.0 said "≥ 1.0 mmol/L" until 5 May 2026, then "≥ 1.2 mmol/L", still 1.0.
fn dextrose(root: &Path) -> GitRepo {
    let repo = GitRepo::init(root);
    repo.write("book.toml", BOOK_TOML);
    let path = "guidelines/endocrine/dextrose-gel.md";
    let old = "Recheck: aim for ≥ 1.0 mmol/L.";
    repo.write(path, text("Dextrose gel", "endocrine", "1.0", old));
    repo.commit("2025-03-01", "dextrose gel 1.0");
    // The review date alone changes: the same revision.
    let later = text("Dextrose gel", "endocrine", "1.0", old).replace("2030-01-01", "2031-01-01");
    repo.write(path, later);
    repo.commit("2025-09-01", "review");
    repo.write(
        path,
        text(
            "Dextrose gel",
            "endocrine",
            "1.0",
            "Recheck: aim for ≥ 1.2 mmol/L.",
        ),
    );
    repo.commit("2026-05-05", "threshold");
    repo
}

#[test]
fn an_edit_without_a_version_bump_is_an_amended_revision_with_its_own_page() {
    let tmp = tempfile::tempdir().expect("tmp");
    dextrose(tmp.path());
    let b = built(tmp.path());
    let current = page(&b, "endocrine/dextrose-gel.html");
    assert!(
        current.contains("1.0, amended 5 May 2026 (no new version)"),
        "{current}"
    );
    assert!(current.contains("≥ 1.2 mmol/L"));
    // The text the ward read before 5 May has its own page, linked from the table.
    let archived = "endocrine/dextrose-gel/v1.0.html";
    assert!(
        current.contains(&format!("href=\"../{archived}\"")),
        "{current}"
    );
    let old = page(&b, archived);
    assert!(old.contains("≥ 1.0 mmol/L") && !old.contains("≥ 1.2 mmol/L"));
    assert!(old.contains(
        "SUPERSEDED: do not use for patient care, version 1.0 replaced on 5 May 2026 by an amended text (no new version)"
    ));
    assert!(old.contains("1 March 2025 to 5 May 2026"), "{old}");
    let archive = page(&b, "archive.html");
    assert!(archive.contains("1.0, amended 5 May 2026 (no new version)"));
}

#[test]
fn the_text_in_force_on_a_day_is_the_text_the_book_held_that_day() {
    let tmp = tempfile::tempdir().expect("tmp");
    dextrose(tmp.path());
    let h = history_of(tmp.path(), "guidelines/endocrine/dextrose-gel.md");
    let body = |d: &str| {
        let r = h
            .in_force_on(day(d))
            .unwrap_or_else(|| panic!("none on {d}"));
        (
            r.version.clone(),
            r.amended,
            r.text.contains("≥ 1.0 mmol/L"),
        )
    };
    assert!(h.in_force_on(day("2025-02-28")).is_none());
    assert_eq!(body("2025-03-01"), ("1.0".into(), false, true));
    assert_eq!(body("2026-05-04"), ("1.0".into(), false, true));
    assert_eq!(body("2026-05-05"), ("1.0".into(), true, false));
    assert_eq!(body("2027-01-01"), ("1.0".into(), true, false));
    assert_eq!(
        h.revisions[0]
            .until
            .as_ref()
            .map(|u| (u.date, u.by.clone())),
        Some((day("2026-05-05"), ReplacedBy::Amended))
    );
}

#[test]
fn a_commit_whose_text_cannot_be_read_is_passed_over_with_one_warning() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = GitRepo::init(tmp.path());
    repo.write("book.toml", BOOK_TOML);
    let path = "guidelines/respiratory/croup.md";
    repo.write(
        path,
        text("Croup", "respiratory", "1.2", "Observe for 2 to 4 hours."),
    );
    repo.commit("2025-01-10", "croup 1.2");
    let draft = text(
        "Croup",
        "respiratory",
        "1.3",
        "Observe until after 4 hours.",
    )
    .replace("title: Croup\n", "title: [Croup\n");
    repo.write(path, draft);
    let wip = repo.commit("2025-02-01", "work in progress");
    repo.write(
        path,
        text(
            "Croup",
            "respiratory",
            "1.3",
            "Observe until after 4 hours.",
        ),
    );
    repo.commit("2025-02-03", "croup 1.3");
    let b = built(tmp.path());
    let old = page(&b, "respiratory/croup/v1.2.html");
    assert!(old.contains("Observe for 2 to 4 hours."));
    assert!(!old.contains("after 4 hours"));
    assert!(old.contains("Croup 1.2."), "its own change summary");
    assert!(old.contains("10 January 2025"), "{old}");
    assert!(
        old.contains("replaced on 3 February 2025 by version 1.3"),
        "{old}"
    );
    let passed: Vec<_> = b
        .warnings
        .iter()
        .filter(|d| d.rule == "history-passed-over")
        .collect();
    assert_eq!(passed.len(), 1, "{passed:?}");
    assert_eq!(passed[0].file, Path::new(path));
    assert!(
        passed[0].message.contains(&wip[..12]),
        "{}",
        passed[0].message
    );
    assert!(
        passed[0].message.contains("does not parse"),
        "{}",
        passed[0].message
    );
}

/// The history of the book at `root` as the build reads it, and whether it came from the cache.
fn read_for_build(root: &Path) -> (wardbook::history::BookHistory, bool) {
    let config = wardbook::config::load(root).expect("config");
    let (book, mut diags) = wardbook::content::load(&config, &load_options(false)).expect("loads");
    let found = wardbook::history::for_book(&book, &mut diags, None, None)
        .expect("reads")
        .expect("history");
    let cached = found.cached;
    (found, cached)
}

#[test]
fn the_history_cache_is_used_only_for_the_same_commits_and_changes_no_byte() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = dextrose(tmp.path());
    let cache = tmp.path().join(".wardbook/history.cache");
    let (cold, cached) = read_for_build(tmp.path());
    assert!(!cached, "nothing kept yet");
    assert!(cache.is_file(), "the read is kept");
    let ignore = std::fs::read_to_string(tmp.path().join(".wardbook/.gitignore")).expect("ignore");
    assert!(ignore.lines().any(|l| l == "*"));
    assert_eq!(
        repo.git("2026-06-01", &["status", "--porcelain"]),
        "",
        "git ignores it"
    );
    // HEAD has not moved: the same history, from the cache.
    let (warm, cached) = read_for_build(tmp.path());
    assert!(cached, "HEAD did not move: no blob read");
    assert_eq!(warm.history, cold.history);
    let with_cache = built(tmp.path()).output;
    std::fs::remove_dir_all(tmp.path().join(".wardbook")).expect("delete the cache");
    let without = built(tmp.path()).output;
    assert_eq!(with_cache, without, "same bytes with a warm cache and none");
    // A cache with the right key but a broken body is not trusted.
    let good = std::fs::read(&cache).expect("kept again");
    std::fs::write(&cache, &good[..good.len() - 3]).expect("truncate");
    let (again, cached) = read_for_build(tmp.path());
    assert!(!cached);
    assert_eq!(again.history, cold.history);
    // One commit more: the key differs, the new commit is read.
    let path = "guidelines/endocrine/dextrose-gel.md";
    repo.write(
        path,
        text(
            "Dextrose gel",
            "endocrine",
            "1.1",
            "Recheck: aim for ≥ 1.2 mmol/L; then feed.",
        ),
    );
    repo.commit("2026-06-01", "1.1");
    let (next, cached) = read_for_build(tmp.path());
    assert!(!cached);
    let f = next.history.file(Path::new(path)).expect("file");
    assert_eq!(f.revisions.last().map(|r| r.version.as_str()), Some("1.1"));
}

/// The sample book with its `[history]` table, copied where there is no git repository (a
/// source archive): it builds, says once that the history is missing, and gives the bytes the
/// tests' copy without `[history]` gives.
#[test]
fn the_sample_book_without_its_history_builds_the_same_with_a_warning() {
    let tmp = tempfile::tempdir().expect("tmp");
    copy_dir(&repo().join("guidelines"), &tmp.path().join("guidelines"));
    copy_dir(&repo().join("adaptations"), &tmp.path().join("adaptations"));
    let toml = std::fs::read_to_string(repo().join("book.toml")).expect("book.toml");
    assert!(toml.contains("[history]") && toml.contains("required = false"));
    std::fs::write(tmp.path().join("book.toml"), toml).expect("write");
    let with = built(tmp.path());
    let missing: Vec<_> = with
        .warnings
        .iter()
        .filter(|d| d.rule == "history")
        .collect();
    assert_eq!(missing.len(), 1, "{:?}", with.warnings);
    let without = built(&sample_root());
    assert_eq!(with.output, without.output);
}
