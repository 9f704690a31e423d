//! Reading a book's history from a repository made in the test (fixed commit dates): the dates
//! each version was in force, archived text, renames, withdrawal and removal, a book in a
//! subfolder, first-parent history through merges, the previous edition, shallow clones,
//! books outside any repository, unknown refs, determinism; and the pipeline's use of it
//! (`build` with `[history]`, `build --at`).

use crate::git::{GitRepo, git_at};
use crate::harness::*;
use jiff::civil::{Date, date};
use std::path::{Path, PathBuf};
use wardbook::diag::Severity;
use wardbook::history::{FileHistory, History, HistoryError, ReplacedBy, Repo};

const BOOK_TOML: &str = "[book]\ntitle = \"History book\"\n\n[history]\n\n\
    [[sections]]\nslug = \"respiratory\"\ntitle = \"Respiratory\"\n\n\
    [[networks]]\nslug = \"resp\"\nname = \"Respiratory Network\"\ncontact = \"mailto:resp@example.org\"\n";

/// A valid guideline with `version` (none when empty) and a body line.
fn guideline(title: &str, version: &str, body: &str) -> String {
    let version = if version.is_empty() {
        String::new()
    } else {
        format!("version: \"{version}\"\n")
    };
    format!(
        "---\ntitle: {title}\nsection: respiratory\nnetwork: resp\nreview_date: 2030-01-01\n\
         {version}change_summary: Summary of {title} {body}.\n---\n\n## Treatment\n\n{body}\n"
    )
}

fn withdrawn(title: &str, version: &str) -> String {
    guideline(title, version, "Withdrawn.").replace("---\n\n##", "status: withdrawn\n---\n\n##")
}

/// A repository whose root is the book.
fn book_repo(dir: &Path) -> GitRepo {
    let repo = GitRepo::init(dir);
    repo.write("book.toml", BOOK_TOML);
    repo
}

fn config(root: &Path) -> wardbook::config::Config {
    wardbook::config::load(root).expect("book.toml")
}

fn open(root: &Path) -> Repo {
    Repo::discover(&config(root))
        .expect("readable")
        .expect("a repository")
}

fn read(root: &Path, previous: Option<&str>) -> History {
    let repo = open(root);
    let head = repo.head().expect("HEAD");
    repo.read(&head, previous).expect("history")
}

fn file<'h>(h: &'h History, source: &str) -> &'h FileHistory {
    h.file(Path::new(source))
        .unwrap_or_else(|| panic!("no history of {source}: {:?}", sources(h)))
}

fn sources(h: &History) -> Vec<&Path> {
    h.files.iter().map(|f| f.source.as_path()).collect()
}

/// (version, from, until date, replaced by) of each version.
fn spans(f: &FileHistory) -> Vec<(String, Date, Option<Date>, Option<ReplacedBy>)> {
    f.revisions
        .iter()
        .map(|v| {
            (
                v.version.clone(),
                v.from,
                v.until.as_ref().map(|u| u.date),
                v.until.as_ref().map(|u| u.by.clone()),
            )
        })
        .collect()
}

#[test]
fn versions_are_in_force_from_their_first_commit_until_replaced() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = book_repo(tmp.path());
    let path = "guidelines/resp/croup.md";
    repo.write(path, guideline("Croup", "1.0", "Give 0.15 mg/kg."));
    let first = repo.commit("2024-01-10", "croup 1.0");
    repo.write(path, guideline("Croup", "1.0", "Give 0.15 mg/kg once."));
    repo.commit("2024-02-10", "typo");
    repo.write("guidelines/resp/other.md", guideline("Other", "", "x"));
    repo.commit("2024-02-20", "unrelated");
    repo.write(path, guideline("Croup", "2.0", "Give 0.6 mg/kg."));
    let second = repo.commit("2024-03-10", "croup 2.0");
    repo.write(
        path,
        guideline("Croup", "2.0", "Give 0.6 mg/kg (max 12 mg)."),
    );
    repo.commit("2024-04-10", "edit in force");

    let h = read(tmp.path(), None);
    let f = file(&h, path);
    // Each edit of the body is a revision of its own; without a version bump it amends the
    // version before (the ward read the earlier text until the day of the edit).
    assert_eq!(
        spans(f),
        vec![
            (
                "1.0".into(),
                date(2024, 1, 10),
                Some(date(2024, 2, 10)),
                Some(ReplacedBy::Amended)
            ),
            (
                "1.0".into(),
                date(2024, 2, 10),
                Some(date(2024, 3, 10)),
                Some(ReplacedBy::Version("2.0".into()))
            ),
            (
                "2.0".into(),
                date(2024, 3, 10),
                Some(date(2024, 4, 10)),
                Some(ReplacedBy::Amended)
            ),
            ("2.0".into(), date(2024, 4, 10), None, None),
        ]
    );
    let amended: Vec<bool> = f.revisions.iter().map(|r| r.amended).collect();
    assert_eq!(amended, [false, true, false, true]);
    assert_eq!(f.revisions[0].commit, first);
    assert_eq!(f.revisions[2].commit, second);
    // Each revision's text is exactly what was published while it was in force.
    assert_eq!(
        &*f.revisions[0].text,
        guideline("Croup", "1.0", "Give 0.15 mg/kg.")
    );
    assert_eq!(
        &*f.revisions[1].text,
        guideline("Croup", "1.0", "Give 0.15 mg/kg once.")
    );
    // The revision in force: the text at the tip.
    assert_eq!(
        &*f.revisions[3].text,
        guideline("Croup", "2.0", "Give 0.6 mg/kg (max 12 mg).")
    );
    assert_eq!(
        f.revisions[1].change_summary.as_deref(),
        Some("Summary of Croup Give 0.15 mg/kg once..")
    );
    assert_eq!(f.revisions[0].title.as_deref(), Some("Croup"));
    assert_eq!(f.removed, None);
    assert!(f.moves.is_empty());
    // A file without `version` has a history but no versions.
    assert!(file(&h, "guidelines/resp/other.md").revisions.is_empty());
    assert_eq!(h.tip.date, date(2024, 4, 10));
    assert_eq!(h.tip.id, repo.git("2024-01-01", &["rev-parse", "HEAD"]));
}

#[test]
fn dates_are_in_the_committers_own_offset() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = book_repo(tmp.path());
    repo.write("guidelines/a.md", guideline("A", "1", "x"));
    repo.commit("2024-01-10", "a");
    // 23:30 at -05:00 is already the next day in UTC: the committer's own day counts.
    std::fs::write(tmp.path().join("guidelines/a.md"), guideline("A", "2", "y")).expect("write");
    let stamp = "2024-05-01T23:30:00-05:00";
    let out = std::process::Command::new("git")
        .current_dir(tmp.path())
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args(["commit", "-qam", "late"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", stamp)
        .env("GIT_COMMITTER_DATE", stamp)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h = read(tmp.path(), None);
    assert_eq!(
        file(&h, "guidelines/a.md").revisions[1].from,
        date(2024, 5, 1)
    );
}

#[test]
fn renames_are_followed_and_versions_kept() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = book_repo(tmp.path());
    repo.write(
        "guidelines/croup.md",
        guideline("Croup", "1.0", "Old place."),
    );
    repo.commit("2024-01-10", "croup");
    repo.mv("guidelines/croup.md", "guidelines/resp/croup.md");
    repo.commit("2024-02-10", "move");
    // A move and a small edit in the same commit is still a rename (as git sees it).
    repo.mv("guidelines/resp/croup.md", "guidelines/resp/laryngo.md");
    repo.write(
        "guidelines/resp/laryngo.md",
        guideline("Croup", "2.0", "Old place."),
    );
    repo.commit("2024-03-10", "move and bump");

    let h = read(tmp.path(), None);
    assert_eq!(sources(&h), vec![Path::new("guidelines/resp/laryngo.md")]);
    let f = file(&h, "guidelines/resp/laryngo.md");
    let moves: Vec<(&Path, &Path, Date)> = f
        .moves
        .iter()
        .map(|m| (m.from.as_path(), m.to.as_path(), m.date))
        .collect();
    assert_eq!(
        moves,
        vec![
            (
                Path::new("guidelines/croup.md"),
                Path::new("guidelines/resp/croup.md"),
                date(2024, 2, 10)
            ),
            (
                Path::new("guidelines/resp/croup.md"),
                Path::new("guidelines/resp/laryngo.md"),
                date(2024, 3, 10)
            ),
        ]
    );
    let v = &f.revisions;
    assert_eq!(
        (v[0].version.as_str(), v[0].from),
        ("1.0", date(2024, 1, 10))
    );
    assert_eq!(v[0].until.as_ref().map(|u| u.date), Some(date(2024, 3, 10)));
    // The archived text was taken where the file was then.
    assert_eq!(v[0].source, Path::new("guidelines/resp/croup.md"));
    assert_eq!(v[1].source, Path::new("guidelines/resp/laryngo.md"));
}

#[test]
fn withdrawal_and_removal_end_a_version() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = book_repo(tmp.path());
    repo.write("guidelines/a.md", guideline("A", "1.0", "a"));
    repo.write("guidelines/b.md", guideline("B", "3", "b"));
    repo.commit("2024-01-10", "a and b");
    repo.write("guidelines/a.md", withdrawn("A", "1.0"));
    repo.commit("2024-06-01", "withdraw a");
    repo.rm("guidelines/b.md");
    repo.commit("2024-07-01", "remove b");

    let h = read(tmp.path(), None);
    let a = file(&h, "guidelines/a.md");
    assert_eq!(
        spans(a),
        vec![(
            "1.0".into(),
            date(2024, 1, 10),
            Some(date(2024, 6, 1)),
            Some(ReplacedBy::Withdrawn)
        )]
    );
    assert_eq!(&*a.revisions[0].text, guideline("A", "1.0", "a"));
    assert_eq!(a.removed, None);
    let b = file(&h, "guidelines/b.md");
    assert_eq!(b.removed, Some(date(2024, 7, 1)));
    assert_eq!(
        spans(b),
        vec![(
            "3".into(),
            date(2024, 1, 10),
            Some(date(2024, 7, 1)),
            Some(ReplacedBy::Removed)
        )]
    );
    assert_eq!(&*b.revisions[0].text, guideline("B", "3", "b"));
}

#[test]
fn a_book_in_a_subfolder_has_book_relative_paths_and_ignores_the_rest() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = GitRepo::init(tmp.path());
    repo.write("docs/book.toml", BOOK_TOML);
    repo.write("docs/guidelines/a.md", guideline("A", "1", "a"));
    repo.write("guidelines/not-the-book.md", guideline("N", "1", "n"));
    repo.write("docs/guidelines/notes.txt", "not a guideline");
    repo.write("docs/guidelines/.hidden/x.md", guideline("H", "1", "h"));
    repo.commit("2024-01-10", "book");
    repo.write("README.md", "outside the book");
    repo.commit("2024-01-11", "outside");
    repo.write("docs/guidelines/a.md", guideline("A", "2", "a2"));
    repo.commit("2024-01-12", "a 2");

    let h = read(&tmp.path().join("docs"), None);
    assert_eq!(sources(&h), vec![Path::new("guidelines/a.md")]);
    assert_eq!(
        spans(file(&h, "guidelines/a.md"))
            .iter()
            .map(|s| (s.0.as_str(), s.1))
            .collect::<Vec<_>>(),
        vec![("1", date(2024, 1, 10)), ("2", date(2024, 1, 12))]
    );
}

#[test]
fn history_follows_the_first_parent_through_merges() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = book_repo(tmp.path());
    repo.write("guidelines/a.md", guideline("A", "1", "a"));
    repo.commit("2024-01-10", "a");
    repo.git("2024-01-10", &["checkout", "-q", "-b", "topic"]);
    repo.write(
        "guidelines/a.md",
        guideline("A", "1.1", "draft on a branch"),
    );
    repo.commit("2024-02-01", "branch bump");
    repo.write("guidelines/a.md", guideline("A", "2", "a2"));
    repo.commit("2024-02-15", "branch bump again");
    repo.git("2024-01-10", &["checkout", "-q", "main"]);
    repo.git(
        "2024-03-01",
        &["merge", "-q", "--no-ff", "-m", "merge", "topic"],
    );

    let h = read(tmp.path(), None);
    // 1.1 never reached the main line: 2 is in force from the merge.
    assert_eq!(
        spans(file(&h, "guidelines/a.md")),
        vec![
            (
                "1".into(),
                date(2024, 1, 10),
                Some(date(2024, 3, 1)),
                Some(ReplacedBy::Version("2".into()))
            ),
            ("2".into(), date(2024, 3, 1), None, None),
        ]
    );
}

#[test]
fn the_previous_edition_lists_its_files_with_their_paths_now() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = book_repo(tmp.path());
    repo.write("guidelines/a.md", guideline("A", "1", "a"));
    repo.write("guidelines/b.md", guideline("B", "1", "b"));
    repo.write("guidelines/c.md", guideline("C", "1", "c"));
    let tagged = repo.commit("2024-01-10", "edition");
    repo.tag("edition-2024");
    repo.mv("guidelines/a.md", "guidelines/resp/a.md");
    repo.rm("guidelines/b.md");
    repo.write("guidelines/c.md", guideline("C", "2", "c2"));
    // Unlike b.md (git's 50% similarity would call a near copy a rename, as `git log -M` does).
    repo.write(
        "guidelines/d.md",
        "---\ntitle: Different\n---\n\nNothing alike.\n",
    );
    repo.commit("2024-05-10", "changes");

    let h = read(tmp.path(), Some("edition-2024"));
    let e = h.previous.as_ref().expect("previous edition");
    assert_eq!(e.label, "edition-2024");
    assert_eq!(e.commit.id, tagged);
    assert_eq!(e.commit.date, date(2024, 1, 10));
    let files: Vec<(&Path, Option<&Path>)> = e
        .files
        .iter()
        .map(|f| (f.source.as_path(), f.now.as_deref()))
        .collect();
    assert_eq!(
        files,
        vec![
            (
                Path::new("guidelines/a.md"),
                Some(Path::new("guidelines/resp/a.md"))
            ),
            (Path::new("guidelines/b.md"), None),
            (
                Path::new("guidelines/c.md"),
                Some(Path::new("guidelines/c.md"))
            ),
        ]
    );
    assert_eq!(&*e.files[2].text.text, guideline("C", "1", "c"));
}

#[test]
fn an_unknown_ref_is_an_error_that_names_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = book_repo(tmp.path());
    repo.write("guidelines/a.md", guideline("A", "1", "a"));
    repo.commit("2024-01-10", "a");
    let r = open(tmp.path());
    let head = r.head().expect("head");
    let err = r
        .read(&head, Some("edition-1999"))
        .expect_err("unknown ref");
    assert!(matches!(&err, HistoryError::UnknownRef { rev } if rev == "edition-1999"));
    assert!(
        err.to_string()
            .contains("`edition-1999` is not a tag, branch or commit")
    );
    assert!(matches!(
        r.resolve(""),
        Err(HistoryError::UnknownRef { .. })
    ));
}

#[test]
fn a_shallow_clone_is_an_error_that_says_how_to_fetch_the_rest() {
    let tmp = tempfile::tempdir().expect("tmp");
    let origin = tmp.path().join("origin");
    let repo = book_repo(&origin);
    repo.write("guidelines/a.md", guideline("A", "1", "a"));
    repo.commit("2024-01-10", "a");
    repo.write("guidelines/a.md", guideline("A", "2", "a"));
    repo.commit("2024-02-10", "a 2");
    let url = format!("file://{}", origin.display());
    git_at(
        tmp.path(),
        "2024-03-01",
        &["clone", "-q", "--depth", "1", &url, "clone"],
    );
    let err = Repo::discover(&config(&tmp.path().join("clone")))
        .err()
        .expect("shallow");
    assert!(matches!(err, HistoryError::Shallow { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("shallow clone"), "{msg}");
    assert!(msg.contains("git fetch --unshallow"), "{msg}");
    // The build says so too, at book.toml's [history] line, and fails (exit 1)...
    let clone = tmp.path().join("clone");
    let build = |extra: &[&str]| {
        command()
            .args(["build", "--no-pdf", "--as-of", AS_OF])
            .args(extra)
            .arg(&clone)
            .output()
            .expect("run")
    };
    let out = build(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "book.toml:4:1: error[history]: book.toml has [history] but the git repository at"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("is a shallow clone"), "{stderr}");
    assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
    assert!(stderr.contains("--no-history"), "{stderr}");
    // ...unless --no-history is given...
    let out = build(&["--no-history"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("[history]"));
    // ...or [history] required = false, which warns that the history is missing and builds.
    let toml = BOOK_TOML.replace("[history]\n", "[history]\nrequired = false\n");
    std::fs::write(clone.join("book.toml"), toml).expect("write book.toml");
    let out = build(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("warning[history]: book.toml has [history] but the git repository at"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "shallow clone, so the history of the book is incomplete: building without history"
        ),
        "{stderr}"
    );
}

#[test]
fn a_book_outside_any_repository_with_history_is_an_error_unless_not_required() {
    let mut t = BookTest::empty()
        .file("book.toml", BOOK_TOML)
        .file("guidelines/a.md", guideline("A", "1", "a"));
    let root = t.scratch();
    // Guard: the temporary folder must not be inside a repository for this test to mean anything.
    if Repo::discover(&config(&root)).expect("no error").is_some() {
        panic!("the temporary folder is inside a git repository");
    }
    // [history] asks for a history the book does not have: an error at its line, not silence.
    let problems = t.problems();
    let at: Vec<(String, usize, usize, &str)> = problems
        .iter()
        .map(|d| (d.location(), d.line, d.col, d.rule.as_str()))
        .collect();
    assert_eq!(at, [("book.toml:4:1".to_string(), 4, 1, "history")]);
    assert!(
        problems[0]
            .message
            .contains("book.toml has [history] but the book")
            && problems[0].message.contains("is not in a git repository"),
        "{}",
        problems[0].message
    );
    assert!(
        problems[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("--no-history") && h.contains("required = false"))
    );
    // `check` reports it too.
    assert!(
        t.check()
            .iter()
            .any(|d| d.rule == "history" && d.severity == Severity::Error)
    );
    // --no-history builds without asking.
    let opts = wardbook::BuildOptions {
        history: false,
        ..t.options()
    };
    let built = wardbook::build(&root, &opts).expect("builds without history");
    assert_eq!(built.guidelines, 1);
    assert!(built.warnings.is_empty());
    // required = false: a warning that the history is missing, and the book builds.
    let toml = BOOK_TOML.replace("[history]\n", "[history]\nrequired = false\n");
    std::fs::write(root.join("book.toml"), toml).expect("write book.toml");
    let built = t.built();
    assert_eq!(built.guidelines, 1);
    let w: Vec<(&str, Severity)> = built
        .warnings
        .iter()
        .map(|d| (d.rule.as_str(), d.severity))
        .collect();
    assert_eq!(w, [("history", Severity::Warning)]);
    assert!(
        built.warnings[0]
            .message
            .ends_with("building without history")
    );
    assert!(built.output.get("changes.html").is_none());
}

#[test]
fn reading_twice_gives_equal_histories() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = book_repo(tmp.path());
    for (i, day) in ["2024-01-01", "2024-01-02", "2024-01-03"]
        .iter()
        .enumerate()
    {
        for name in ["a", "b", "c"] {
            let body = format!("{name} edit {i}");
            repo.write(
                &format!("guidelines/{name}.md"),
                guideline(name, &format!("{}", i / 2), &body),
            );
        }
        repo.commit(day, "edit");
    }
    repo.tag("e1");
    let a = read(tmp.path(), Some("e1"));
    let b = read(tmp.path(), Some("e1"));
    assert_eq!(a, b);
    let texts = |h: &History| -> Vec<String> {
        h.files
            .iter()
            .flat_map(|f| f.revisions.iter().map(|v| v.text.to_string()))
            .collect()
    };
    assert_eq!(texts(&a), texts(&b));
    assert_eq!(a.files.len(), 3);
}

/// The files of a built site, for comparing two builds.
fn site(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir)
}

#[test]
fn build_with_history_sets_it_on_the_book_and_stays_deterministic() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = book_repo(tmp.path());
    repo.write("guidelines/a.md", guideline("A", "1", "a"));
    repo.commit("2024-01-10", "a");
    let opts = options(false, false);
    let one = wardbook::build(tmp.path(), &opts).expect("builds");
    let two = wardbook::build(tmp.path(), &opts).expect("builds");
    assert_eq!(one.output, two.output);
    let (book, mut diags) =
        wardbook::content::load(&config(tmp.path()), &load_options(false)).expect("loads");
    let found = wardbook::history::for_book(&book, &mut diags, None, None).expect("history");
    let h = &found.expect("history read").history;
    assert_eq!(h.files[0].revisions[0].from, date(2024, 1, 10));
}

#[test]
fn build_at_a_tag_reads_the_tree_of_the_tag_and_is_reproducible() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("book");
    let repo = book_repo(&root);
    repo.write("guidelines/a.md", guideline("A", "1", "Give 10 mg."));
    repo.commit("2024-01-10", "a");
    repo.tag("edition-2024");
    repo.write("guidelines/a.md", guideline("A", "2", "Give 20 mg."));
    repo.commit("2024-06-10", "a 2");
    // Uncommitted work in the tree must not reach an `--at` build.
    std::fs::write(
        root.join("guidelines/a.md"),
        guideline("A", "3", "Give 30 mg."),
    )
    .expect("w");

    let at = |dest: &Path| {
        let out = command()
            .args(["build", "--no-pdf", "--at", "edition-2024", "--dest"])
            .arg(dest)
            .arg(&root)
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", text(&out.stderr));
    };
    let first = tmp.path().join("at1");
    at(&first);
    let page = std::fs::read_to_string(first.join("respiratory/a.html")).expect("page");
    assert!(page.contains("Give 10 mg."), "the tagged text is built");
    assert!(!page.contains("20 mg") && !page.contains("30 mg"));

    // Change the working tree again and build at the same tag: the same bytes.
    std::fs::write(
        root.join("guidelines/a.md"),
        guideline("A", "4", "Give 40 mg."),
    )
    .expect("w");
    let second = tmp.path().join("at2");
    at(&second);
    assert_eq!(site(&first), site(&second));

    // A plain build of a checkout of the tag, as of the tag's date, is the same site.
    let checkout = tmp.path().join("checkout");
    let url = format!("file://{}", root.display());
    git_at(tmp.path(), "2024-07-01", &["clone", "-q", &url, "checkout"]);
    git_at(&checkout, "2024-07-01", &["checkout", "-q", "edition-2024"]);
    let plain = tmp.path().join("plain");
    let out = command()
        .args(["build", "--no-pdf", "--as-of", "2024-01-10", "--dest"])
        .arg(&plain)
        .arg(&checkout)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(site(&first), site(&plain));
}

#[test]
fn build_at_an_unknown_ref_cannot_run() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = book_repo(tmp.path());
    repo.write("guidelines/a.md", guideline("A", "1", "a"));
    repo.commit("2024-01-10", "a");
    let out = command()
        .args(["build", "--no-pdf", "--at", "no-such-tag"])
        .arg(tmp.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`no-such-tag` is not a tag, branch or commit"));
}

#[test]
fn an_unknown_previous_edition_points_at_its_line_in_book_toml() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = GitRepo::init(tmp.path());
    repo.write(
        "book.toml",
        BOOK_TOML.replace(
            "[history]\n",
            "[history]\nprevious_edition = \"edition-1999\"\n",
        ),
    );
    repo.write("guidelines/a.md", guideline("A", "1", "a"));
    repo.commit("2024-01-10", "a");
    let diags = expect_problems(wardbook::build(tmp.path(), &options(false, false)));
    assert_eq!(diags.len(), 1, "{}", render_text(&diags));
    let d = &diags[0];
    assert_eq!(
        (d.file.as_path(), d.line, d.col, d.rule.as_str()),
        (Path::new("book.toml"), 5, 21, "unknown-edition")
    );
    assert!(d.message.contains("`edition-1999`"));
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("git fetch --tags"))
    );
}

#[test]
fn a_book_in_a_repository_without_history_configured_reads_none() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = GitRepo::init(tmp.path());
    repo.write("book.toml", BOOK_TOML.replace("[history]\n", ""));
    repo.write("guidelines/a.md", guideline("A", "1", "a"));
    repo.commit("2024-01-10", "a");
    let (book, mut diags) =
        wardbook::content::load(&config(tmp.path()), &load_options(false)).expect("loads");
    let found = wardbook::history::for_book(&book, &mut diags, None, None).expect("no error");
    assert!(found.is_none());
    // A new repository with nothing committed yet: no history, no error.
    let fresh = tempfile::tempdir().expect("tmp");
    GitRepo::init(fresh.path()).write("book.toml", BOOK_TOML);
    std::fs::create_dir_all(fresh.path().join("guidelines")).expect("mkdir");
    let (book, mut diags) =
        wardbook::content::load(&config(fresh.path()), &load_options(false)).expect("loads");
    let found = wardbook::history::for_book(&book, &mut diags, None, None).expect("no error");
    assert!(found.is_none());
}

/// Serves the book at `root` (port 0, quiet, no PDF).
#[cfg(feature = "serve")]
fn serve(root: &Path) -> wardbook::serve::Server {
    wardbook::serve::start(BookTest::at(root.to_path_buf()).serve_options()).expect("serve")
}

#[cfg(feature = "serve")]
#[test]
fn serve_rebuilds_when_head_moves_without_a_file_change() {
    use std::time::Duration;
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = book_repo(tmp.path());
    repo.write("guidelines/a.md", guideline("A", "1", "a"));
    repo.commit("2024-01-10", "a");
    let server = serve(tmp.path());
    let before = server.builds().runs;
    // A commit that changes no file in the working tree: only HEAD moves.
    repo.commit("2024-02-10", "empty");
    let rebuilt = server.wait_for_build(before, Duration::from_secs(20));
    server.stop();
    assert!(rebuilt, "HEAD moved and serve did not rebuild");

    // Without [history] nothing shown depends on HEAD: no rebuild.
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = GitRepo::init(tmp.path());
    repo.write("book.toml", BOOK_TOML.replace("[history]\n", ""));
    repo.write("guidelines/a.md", guideline("A", "1", "a"));
    repo.commit("2024-01-10", "a");
    let server = serve(tmp.path());
    let before = server.builds().runs;
    repo.commit("2024-02-10", "empty");
    let rebuilt = server.wait_for_build(before, wardbook::serve::HEAD_POLL * 3);
    server.stop();
    assert!(!rebuilt, "rebuilt for a HEAD that nothing shows");
}

/// Cross-check with git on a big repository (the benchmark's): every rename git reports on the
/// first-parent line (`git log -M`) is a move in the history, and nothing else is. Run with
/// `WARDBOOK_HISTORY_REPO=/tmp/wardbook-history-bench/repo cargo test -- --ignored agrees`.
#[test]
#[ignore = "needs WARDBOOK_HISTORY_REPO, a repository made by scripts/history-bench.py"]
fn history_agrees_with_git_on_a_big_repository() {
    let root =
        PathBuf::from(std::env::var("WARDBOOK_HISTORY_REPO").expect("WARDBOOK_HISTORY_REPO"));
    let h = read(&root, None);
    let log = git_at(
        &root,
        "2024-01-01",
        &[
            "log",
            "--first-parent",
            "-M",
            "--diff-filter=R",
            "--name-status",
            "--format=",
        ],
    );
    let mut git_moves: Vec<(String, String)> = log
        .lines()
        .filter_map(|l| {
            let mut parts = l.split('\t').skip(1);
            Some((parts.next()?.to_string(), parts.next()?.to_string()))
        })
        .collect();
    git_moves.sort();
    let mut ours: Vec<(String, String)> = h
        .files
        .iter()
        .flat_map(|f| &f.moves)
        .map(|m| (m.from.display().to_string(), m.to.display().to_string()))
        .collect();
    ours.sort();
    assert_eq!(ours, git_moves);
    let at_tip = git_at(&root, "2024-01-01", &["ls-files", "guidelines"]);
    let live = h.files.iter().filter(|f| f.removed.is_none()).count();
    assert_eq!(live, at_tip.lines().count());
    let versions: usize = h.files.iter().map(|f| f.revisions.len()).sum();
    assert!(versions > h.files.len(), "{versions} versions");
}
