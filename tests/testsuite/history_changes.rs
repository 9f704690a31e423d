//! The change list between an earlier edition and now (`history::changes::between`), the
//! `version-not-bumped` warning, and `wardbook changes`: over editions made in the test as plain
//! data (the reader fills the same structures from git), with the three report formats as
//! snapshots of one fixed change list.

use crate::git::GitRepo;
use crate::harness::*;
use std::path::{Path, PathBuf};
use wardbook::content::OldText;
use wardbook::history::changes::{self, FRONT_MATTER, OPENING, report};
use wardbook::history::{
    ChangeList, Commit, Edition, EditionFile, NowFile, Replacement, Step, Updated, Withdrawal,
};

/// A guideline file: front matter keys (`title` and `version` when given, then `extra` lines)
/// and `body`.
fn file(title: &str, version: Option<&str>, extra: &str, body: &str) -> String {
    let version = version.map_or(String::new(), |v| format!("version: \"{v}\"\n"));
    format!(
        "---\ntitle: {title}\nsection: resp\nnetwork: n\nreview_date: 2030-01-01\n{version}{extra}---\n{body}"
    )
}

/// The edition `label` of `files`: (path then, path now or `None` when removed, text).
fn edition(files: &[(&str, Option<&str>, &str)]) -> Edition {
    Edition {
        label: "edition-1".into(),
        commit: Commit {
            id: "1".repeat(40),
            date: jiff::civil::date(2025, 1, 31),
        },
        files: files
            .iter()
            .map(|(source, now, text)| EditionFile {
                source: source.into(),
                now: now.map(PathBuf::from),
                text: std::sync::Arc::new(OldText::read((*text).into())),
            })
            .collect(),
    }
}

fn now(files: &[(&str, &str)]) -> Vec<NowFile> {
    files
        .iter()
        .map(|(source, text)| NowFile {
            source: source.into(),
            text: (*text).into(),
        })
        .collect()
}

fn paths<T>(items: &[T], path: impl Fn(&T) -> &std::path::Path) -> Vec<String> {
    items
        .iter()
        .map(|i| path(i).to_string_lossy().into_owned())
        .collect()
}

/// A number change as (place, old, new).
type Num = (String, Option<String>, Option<String>);

fn num(place: &str, old: Option<&str>, new: Option<&str>) -> Num {
    (
        place.into(),
        old.map(str::to_string),
        new.map(str::to_string),
    )
}

/// The number changes of an updated guideline as (place, old, new).
fn nums(u: &Updated) -> Vec<Num> {
    u.text
        .numbers
        .iter()
        .map(|n| (n.place(), n.old.clone(), n.new.clone()))
        .collect()
}

const CROUP_1: &str = "Intro.\n\n## Treatment\n\nGive 0.15 mg/kg once. Review after 24 hours.\n\n## Admit\n\nIf SpO2 below 92%.\n";

#[test]
fn classes_new_updated_withdrawn_removed_and_moved() {
    let same = file("Same", Some("1"), "", "Unchanged.\n");
    let croup_1 = file("Croup", Some("2.3"), "", CROUP_1);
    let croup_2 = file(
        "Croup",
        Some("2.4"),
        "change_summary: Review later.\n",
        &CROUP_1.replace("24 hours", "48 hours"),
    );
    let asthma = file("Asthma", Some("1.0"), "", "Body.\n");
    let asthma_moved = asthma.clone();
    let bronch_1 = file("Bronchiolitis", Some("3"), "", "Old.\n");
    let bronch_2 = file("Bronchiolitis", Some("4"), "", "New.\n");
    let old_way = file("Old way", Some("1"), "", "x\n");
    let old_way_w = file("Old way", Some("1"), "status: withdrawn\n", "x\n");
    let gone = file("Gone", Some("5"), "", "y\n");
    let fresh = file("Fresh", Some("1"), "", "z\n");
    let previous = edition(&[
        (
            "guidelines/resp/asthma.md",
            Some("guidelines/resp/asthma-acute.md"),
            &asthma,
        ),
        (
            "guidelines/resp/bronch.md",
            Some("guidelines/infant/bronch.md"),
            &bronch_1,
        ),
        (
            "guidelines/resp/croup.md",
            Some("guidelines/resp/croup.md"),
            &croup_1,
        ),
        ("guidelines/resp/gone.md", None, &gone),
        (
            "guidelines/resp/old-way.md",
            Some("guidelines/resp/old-way.md"),
            &old_way,
        ),
        (
            "guidelines/resp/same.md",
            Some("guidelines/resp/same.md"),
            &same,
        ),
    ]);
    let list = changes::between(
        &previous,
        &now(&[
            ("guidelines/infant/bronch.md", &bronch_2),
            ("guidelines/resp/asthma-acute.md", &asthma_moved),
            ("guidelines/resp/croup.md", &croup_2),
            ("guidelines/resp/fresh.md", &fresh),
            ("guidelines/resp/old-way.md", &old_way_w),
            ("guidelines/resp/same.md", &same),
        ]),
    );
    assert_eq!(
        paths(&list.new, |e| &e.source),
        ["guidelines/resp/fresh.md"]
    );
    assert_eq!(list.new[0].title, "Fresh");
    assert_eq!(
        paths(&list.updated, |u| &u.source),
        ["guidelines/infant/bronch.md", "guidelines/resp/croup.md"]
    );
    assert_eq!(
        paths(&list.withdrawn, |e| &e.source),
        ["guidelines/resp/gone.md", "guidelines/resp/old-way.md"]
    );
    assert_eq!(list.withdrawn[0].version.as_deref(), Some("5"));
    assert_eq!(
        list.moved
            .iter()
            .map(|m| (
                m.old_source.to_str().unwrap_or(""),
                m.source.to_str().unwrap_or("")
            ))
            .collect::<Vec<_>>(),
        // A move whose text also changed is listed once, as an update (below).
        [(
            "guidelines/resp/asthma.md",
            "guidelines/resp/asthma-acute.md"
        )]
    );
    let croup = &list.updated[1];
    assert_eq!(croup.title, "Croup");
    assert_eq!(croup.old_version.as_deref(), Some("2.3"));
    assert_eq!(croup.new_version.as_deref(), Some("2.4"));
    assert_eq!(croup.change_summary.as_deref(), Some("Review later."));
    assert_eq!(croup.sections, ["Treatment"]);
    assert_eq!(
        nums(croup),
        [num("Treatment", Some("24 hours"), Some("48 hours"))]
    );
    let bronch = &list.updated[0];
    assert_eq!(
        (bronch.old_version.as_deref(), bronch.new_version.as_deref()),
        (Some("3"), Some("4"))
    );
    assert_eq!(bronch.sections, [OPENING]);
    let moved = bronch.moved.as_ref().expect("moved as it changed");
    assert_eq!(moved.old_source, Path::new("guidelines/resp/bronch.md"));
}

#[test]
fn numbers_added_removed_and_kept_as_written() {
    let old = file(
        "Doses",
        Some("1"),
        "",
        "## Dose\n\nGive 10,000 units, then 0.5 mL/kg/hour.\n\n## Watch\n\nRR over 40 breaths/min.\n\n## Stop\n\nStop at 38.5°C.\n",
    );
    let new = file(
        "Doses",
        Some("2"),
        "",
        "## Dose\n\nGive 10,000 units, then 0.75 mL/kg/hour and 5mg.\n\n## Watch\n\nRR over 40 breaths/min.\n\n## Stop\n\nStop.\n",
    );
    let list = changes::between(
        &edition(&[("g/d.md", Some("g/d.md"), &old)]),
        &now(&[("g/d.md", &new)]),
    );
    let u = &list.updated[0];
    assert_eq!(u.sections, ["Dose", "Stop"]);
    assert_eq!(
        nums(u),
        [
            num("Dose", Some("0.5 mL/kg/hour"), Some("0.75 mL/kg/hour")),
            num("Dose", None, Some("5mg")),
            num("Stop", Some("38.5°C"), None),
        ]
    );
}

#[test]
fn a_reordered_paragraph_changes_no_number() {
    let old = file(
        "R",
        Some("1"),
        "",
        "## Plan\n\nFirst 5 mg.\n\nThen 2–4 hours of 1,000 mL.\n",
    );
    let new = file(
        "R",
        Some("1"),
        "",
        "## Plan\n\nThen 2–4 hours of 1,000 mL.\n\nFirst 5 mg.\n",
    );
    let list = changes::between(
        &edition(&[("g/r.md", Some("g/r.md"), &old)]),
        &now(&[("g/r.md", &new)]),
    );
    assert_eq!(list.updated[0].sections, ["Plan"]);
    assert_eq!(nums(&list.updated[0]), []);
}

#[test]
fn sections_added_removed_and_front_matter_only() {
    let old = file(
        "S",
        Some("1"),
        "",
        "Opening.\n\n# A\n\nKeep.\n\n# B\n\nGone 3 days.\n",
    );
    let new = file(
        "S",
        Some("1"),
        "",
        "Opening.\n\n# A\n\nKeep.\n\n# C\n\nNew 7 days.\n",
    );
    let list = changes::between(
        &edition(&[("g/s.md", Some("g/s.md"), &old)]),
        &now(&[("g/s.md", &new)]),
    );
    let u = &list.updated[0];
    // One heading for another in the same place is a rename; its section's text pairs under it.
    assert_eq!(u.sections, ["C"]);
    assert_eq!(nums(u), [num("C", Some("3 days"), Some("7 days"))]);
    let removed = new.replace("# C\n\nNew 7 days.\n", "");
    let list = changes::between(
        &edition(&[("g/s.md", Some("g/s.md"), &old)]),
        &now(&[("g/s.md", &removed)]),
    );
    let u = &list.updated[0];
    assert_eq!(u.sections, ["B"]);
    assert_eq!(nums(u), [num("B", Some("3 days"), None)]);
    let reviewed = new.replace("review_date: 2030-01-01", "review_date: 2031-01-01");
    let list = changes::between(
        &edition(&[("g/s.md", Some("g/s.md"), &new)]),
        &now(&[("g/s.md", &reviewed)]),
    );
    assert_eq!(list.updated[0].sections, [FRONT_MATTER]);
    assert_eq!(nums(&list.updated[0]), []);
}

#[test]
fn bad_yaml_in_the_old_text_does_not_stop_the_comparison() {
    let old = "---\ntitle: [unclosed\nversion: 1\n---\n## Dose\n\n24 hours.\n";
    let new = file("Fixed", Some("2"), "", "## Dose\n\n48 hours.\n");
    let list = changes::between(
        &edition(&[
            ("g/bad.md", Some("g/bad.md"), old),
            ("g/none.md", Some("g/none.md"), "no front matter, 3 mg\n"),
            ("g/bytes.md", None, "---\n\u{0}\n---\n"),
        ]),
        &now(&[("g/bad.md", &new), ("g/none.md", "no front matter, 4 mg\n")]),
    );
    let u = &list.updated[0];
    assert_eq!(
        (u.title.as_str(), u.old_version.as_deref()),
        ("Fixed", None)
    );
    assert_eq!(nums(u), [num("Dose", Some("24 hours"), Some("48 hours"))]);
    assert_eq!(list.updated[1].title, "none");
    assert_eq!(
        nums(&list.updated[1]),
        [num(OPENING, Some("3 mg"), Some("4 mg"))]
    );
    assert_eq!(list.withdrawn[0].title, "bytes");
}

#[test]
fn drafts_are_not_part_of_either_edition() {
    let draft = file("D", Some("1"), "status: draft\n", "x\n");
    let published = file("D", Some("1"), "", "x\n");
    let list = changes::between(
        &edition(&[
            ("g/d.md", Some("g/d.md"), &draft),
            ("g/e.md", Some("g/e.md"), &published),
        ]),
        &now(&[("g/d.md", &published), ("g/e.md", &draft)]),
    );
    assert_eq!(paths(&list.new, |e| &e.source), ["g/d.md"]);
    assert_eq!(paths(&list.withdrawn, |e| &e.source), ["g/e.md"]);
    assert!(list.updated.is_empty() && list.moved.is_empty());
}

#[test]
fn the_same_states_give_the_same_list_in_path_order() {
    let a = file("Zed", Some("1"), "", "a\n");
    let b = file("Alpha", Some("1"), "", "b\n");
    let previous = edition(&[]);
    let one = now(&[("g/z.md", &b), ("g/a.md", &a)]);
    let two = now(&[("g/a.md", &a), ("g/z.md", &b)]);
    let list = changes::between(&previous, &one);
    assert_eq!(paths(&list.new, |e| &e.source), ["g/a.md", "g/z.md"]);
    assert_eq!(list, changes::between(&previous, &two));
}

/// The book of `files` (path, text) with `toml_extra` appended to book.toml.
fn book(files: &[(&str, &str)], toml_extra: &str) -> wardbook::content::Book {
    let mut t = BookTest::empty().file("book.toml", format!("{ONE_GUIDELINE_CONFIG}{toml_extra}"));
    for (path, text) in files {
        t.write(path, text);
    }
    let (book, diags) = load_book(&t.root(), false);
    assert!(diags.is_empty(), "{diags:?}");
    book
}

#[test]
fn version_not_bumped_warns_at_the_version_line() {
    let old = file("Croup", Some("2.3"), "", CROUP_1);
    let changed = file("Croup", Some("2.3"), "", &CROUP_1.replace("24", "48"));
    let previous = edition(&[(
        "guidelines/resp/old.md",
        Some("guidelines/resp/croup.md"),
        &old,
    )]);
    let b = book(&[("guidelines/resp/croup.md", &changed)], "");
    let d = changes::version_not_bumped(&previous, &b);
    assert_eq!(d.len(), 1, "{d:?}");
    // A number changed: an error, naming it.
    assert_eq!(
        render_text(&d).lines().next().unwrap_or(""),
        "guidelines/resp/croup.md:6:10: error[version-not-bumped]: numbers in \"Croup\" changed since edition-1 (Treatment: 24 hours → 48 hours) but its version is still 2.3"
    );
    assert_eq!(d[0].span, "\"2.3\"".len());
    // Other text changed: a warning.
    let reworded = file(
        "Croup",
        Some("2.3"),
        "",
        &CROUP_1.replace("Intro.", "Croup is common."),
    );
    let w = changes::version_not_bumped(
        &previous,
        &book(&[("guidelines/resp/croup.md", &reworded)], ""),
    );
    assert_eq!(
        render_text(&w).lines().next().unwrap_or(""),
        "guidelines/resp/croup.md:6:10: warning[version-not-bumped]: the text of \"Croup\" changed since edition-1 but its version is still 2.3"
    );
    // A level set in [lint] applies to both.
    let b = book(
        &[("guidelines/resp/croup.md", &changed)],
        "[lint]\nversion-not-bumped = \"warning\"\n",
    );
    assert_eq!(
        changes::version_not_bumped(&previous, &b)[0].severity,
        wardbook::diag::Severity::Warning
    );
    let b = book(
        &[("guidelines/resp/croup.md", &reworded)],
        "[lint]\nversion-not-bumped = \"error\"\n",
    );
    assert_eq!(
        changes::version_not_bumped(&previous, &b)[0].severity,
        wardbook::diag::Severity::Error
    );
    let b = book(
        &[("guidelines/resp/croup.md", &changed)],
        "[lint]\nversion-not-bumped = \"error\"\n",
    );
    assert_eq!(
        changes::version_not_bumped(&previous, &b)[0].severity,
        wardbook::diag::Severity::Error
    );
    let b = book(
        &[("guidelines/resp/croup.md", &changed)],
        "[lint]\nversion-not-bumped = \"off\"\n",
    );
    assert!(changes::version_not_bumped(&previous, &b).is_empty());
}

#[test]
fn version_not_bumped_is_quiet_when_there_is_nothing_to_ask() {
    let old = file("Croup", Some("2.3"), "", CROUP_1);
    let previous = edition(&[(
        "guidelines/resp/croup.md",
        Some("guidelines/resp/croup.md"),
        &old,
    )]);
    let quiet = |text: String| {
        let b = book(&[("guidelines/resp/croup.md", &text)], "");
        changes::version_not_bumped(&previous, &b)
    };
    // Bumped.
    assert!(quiet(file("Croup", Some("2.4"), "", &CROUP_1.replace("24", "48"))).is_empty());
    // Only the front matter changed.
    assert!(quiet(old.replace("2030-01-01", "2031-01-01")).is_empty());
    // Withdrawn now.
    assert!(
        quiet(file(
            "Croup",
            Some("2.3"),
            "status: withdrawn\n",
            "Withdrawn.\n"
        ))
        .is_empty()
    );
    // Unchanged.
    assert!(quiet(old.clone()).is_empty());
    // No version at either edition: nothing to bump.
    let unversioned = file("Croup", None, "", CROUP_1);
    let previous = edition(&[(
        "guidelines/resp/croup.md",
        Some("guidelines/resp/croup.md"),
        &unversioned,
    )]);
    let b = book(
        &[(
            "guidelines/resp/croup.md",
            &file("Croup", None, "", "Changed.\n"),
        )],
        "",
    );
    assert!(changes::version_not_bumped(&previous, &b).is_empty());
}

/// One change list with every kind of entry, for the report snapshots.
fn fixed_list() -> ChangeList {
    let list = changes::between(
        &edition(&[
            (
                "guidelines/resp/croup.md",
                Some("guidelines/resp/croup.md"),
                &file("Croup", Some("2.3"), "", CROUP_1),
            ),
            (
                "guidelines/resp/old.md",
                None,
                &file("Old *way*", Some("1"), "", "x\n"),
            ),
            (
                "guidelines/resp/bronch.md",
                Some("guidelines/infant/bronch.md"),
                &file("Bronchiolitis", None, "", "b\n"),
            ),
        ]),
        &now(&[
            (
                "guidelines/resp/croup.md",
                &file(
                    "Croup",
                    Some("2.4"),
                    "change_summary: Dexamethasone review at 48 hours; admit below 94%.\n",
                    &CROUP_1
                        .replace("24 hours", "48 hours")
                        .replace("92%", "94%")
                        .replace("once.", "once, max 10,000 units."),
                ),
            ),
            (
                "guidelines/infant/bronch.md",
                &file("Bronchiolitis", None, "", "b\n"),
            ),
            (
                "guidelines/resp/asthma.md",
                &file("Acute asthma", Some("1.0"), "", "a\n"),
            ),
        ]),
    );
    assert_eq!(
        (
            list.new.len(),
            list.updated.len(),
            list.withdrawn.len(),
            list.moved.len()
        ),
        (1, 1, 1, 1)
    );
    // What history and book.toml add (annotate), as the reader would fill it in.
    let mut list = list;
    list.updated[0].versions = vec![
        Step {
            version: "2.3.1".into(),
            amended: false,
            date: Some(jiff::civil::date(2025, 3, 1)),
            change_summary: Some("Dexamethasone review at 48 hours.".into()),
            approved_by: Some("Respiratory group".into()),
            approved_date: Some("2025-02-20".into()),
        },
        Step {
            version: "2.4".into(),
            amended: false,
            date: None,
            change_summary: Some("Admit below 94%; max 10,000 units.".into()),
            approved_by: None,
            approved_date: None,
        },
    ];
    list.withdrawn[0].withdrawal = Some(Withdrawal {
        reason: Some("Withdrawn: covered by *Croup*".into()),
        approved_by: Some("Respiratory group".into()),
        approved_date: Some("2025-04-01".into()),
        date: Some(jiff::civil::date(2025, 4, 2)),
        replaced_by: Some(Replacement {
            source: "guidelines/resp/croup.md".into(),
            title: "Croup".into(),
        }),
    });
    let m = &mut list.moved[0];
    m.from_section = Some("Respiratory".into());
    m.to_section = Some("Infant".into());
    m.old_page = Some("resp/bronch.html".into());
    list
}

#[test]
fn reports_in_three_formats() {
    let list = fixed_list();
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s.set_description("one change list with a new, an updated, a withdrawn and a moved guideline");
    s.bind(|| {
        for (name, format) in [
            ("text", report::ReportFormat::Text),
            ("json", report::ReportFormat::Json),
            ("markdown", report::ReportFormat::Markdown),
        ] {
            let out = report::render(&list, "edition-1", "HEAD", format);
            insta::assert_snapshot!(format!("changes-{name}"), out);
        }
    });
    let json: serde_json::Value =
        serde_json::from_str(&report::render(&list, "a", "b", report::ReportFormat::Json))
            .expect("valid JSON");
    let numbers = &json["updated"][0]["numbers"];
    assert_eq!(numbers[0]["new"], "10,000 units");
    assert_eq!(numbers[1]["old"], "24 hours");
    assert_eq!(numbers[1]["new"], "48 hours");
    assert_eq!(numbers[1]["context"], serde_json::json!(["Treatment"]));
    let block = &json["updated"][0]["blocks"][numbers[1]["block"].as_u64().unwrap_or(9) as usize];
    assert_eq!(block["kind"], "paragraph");
    assert_eq!(block["old"], "Give 0.15 mg/kg once. Review after 24 hours.");
    assert!(
        block["spans"]
            .as_array()
            .is_some_and(|s| s.contains(&serde_json::json!({"op": "deleted", "text": "24"}))),
        "{block}"
    );
}

#[test]
fn changes_outside_a_repository_cannot_run() {
    let t = BookTest::empty().file("book.toml", ONE_GUIDELINE_CONFIG);
    let root = t.root();
    let o = wardbook(&[
        "changes",
        root.to_str().unwrap_or("."),
        "--from",
        "edition-1",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).starts_with("error: "),
        "{}",
        text(&o.stderr)
    );
    let o = wardbook(&["changes", root.to_str().unwrap_or(".")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--from"), "{}", text(&o.stderr));
}

/// The folder, in a lint fixture whose rule reads the book's history, holding the guideline
/// files of the earlier edition (and `moves.txt`: `from to` per line).
pub const EDITION: &str = "edition-1";

/// The lint fixture at `dir` as a git repository, in a temporary folder at `book/`: book.toml
/// and `edition-1/guidelines` committed and tagged `edition-1`, then the moves in
/// `edition-1/moves.txt` committed, then the fixture's own `guidelines/` committed: HEAD is the
/// fixture as it reads, with its history behind it.
pub fn fixture_repository(dir: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = GitRepo::init(&tmp.path().join("book"));
    let root = repo.dir().to_path_buf();
    std::fs::copy(dir.join("book.toml"), root.join("book.toml")).expect("book.toml");
    copy_dir(
        &dir.join(EDITION).join("guidelines"),
        &root.join("guidelines"),
    );
    repo.commit("2025-01-31", "Edition 1");
    repo.tag(EDITION);
    let moves = std::fs::read_to_string(dir.join(EDITION).join("moves.txt")).unwrap_or_default();
    for line in moves.lines().filter(|l| !l.trim().is_empty()) {
        let (from, to) = line.split_once(' ').expect("moves.txt: `from to` per line");
        repo.mv(from, to.trim());
    }
    repo.commit("2025-03-01", "Moves");
    std::fs::remove_dir_all(root.join("guidelines")).expect("remove guidelines");
    copy_dir(&dir.join("guidelines"), &root.join("guidelines"));
    repo.commit("2025-06-01", "Now");
    tmp
}

/// A repository of a small book: edition-1 (tagged), then a commit that bumps croup (24 hours →
/// 48 hours), moves asthma, withdraws sepsis, removes fever and adds a new guideline.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = GitRepo::init(&tmp.path().join("book"));
    let croup = |v: &str, extra: &str, hours: &str| {
        file("Croup", Some(v), extra, &CROUP_1.replace("24 hours", hours))
    };
    repo.write(
        "book.toml",
        format!("{ONE_GUIDELINE_CONFIG}[history]\nprevious_edition = \"edition-1\"\n"),
    )
    .write("guidelines/resp/croup.md", croup("2.3", "", "24 hours"))
    .write(
        "guidelines/resp/asthma.md",
        file("Asthma", Some("1"), "", "Asthma.\n"),
    )
    .write(
        "guidelines/resp/sepsis.md",
        file("Sepsis", Some("3"), "", "Sepsis.\n"),
    )
    .write(
        "guidelines/resp/fever.md",
        file(
                "Fever",
                Some("1"),
                "",
                "## Assess\n\nMeasure the temperature with an electronic thermometer in the axilla.\n\n## Treat\n\nParacetamol for distress only, not to lower the temperature.\n",
            ),
    );
    repo.commit("2025-01-31", "Edition 1");
    repo.tag("edition-1");
    repo.mv("guidelines/resp/asthma.md", "guidelines/acute/asthma.md")
        .rm("guidelines/resp/fever.md")
        .write(
            "guidelines/resp/croup.md",
            croup("2.4", "change_summary: Review later.\n", "48 hours"),
        )
        .write(
            "guidelines/resp/sepsis.md",
            file("Sepsis", Some("3"), "status: withdrawn\n", "Sepsis.\n"),
        )
        .write(
            "guidelines/resp/new.md",
            file(
                "New one",
                Some("1"),
                "",
                "A different guideline altogether, about wheeze in preschool children, with its own words.\n",
            ),
        );
    repo.commit("2025-06-30", "Edition 2");
    let root = repo.dir().to_path_buf();
    (tmp, root)
}

#[test]
fn changes_prints_the_list_between_two_refs() {
    let (_tmp, root) = repository();
    let dir = root.to_str().unwrap_or(".");
    let o = wardbook(&["changes", dir, "--from", "edition-1"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.starts_with("Changes from edition-1 to HEAD: 1 new, 1 updated, 2 withdrawn, 1 moved\n"),
        "{out}"
    );
    assert!(out.contains("\n  Croup (guidelines/resp/croup.md), version 2.3 → 2.4\n    Summary: Review later.\n    Versions:\n      2.4, 2025-06-30: Review later.\n    Sections: Treatment\n    Numbers:\n      Treatment: 24 hours → 48 hours\n    Changes:\n      Treatment, paragraph changed\n        Old: Give 0.15 mg/kg once. Review after [-24-] hours.\n        New: Give 0.15 mg/kg once. Review after {+48+} hours.\n"), "{out}");
    assert!(
        out.contains("\n  Asthma: File guidelines/resp/asthma.md → guidelines/acute/asthma.md\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "\n  Sepsis (guidelines/resp/sepsis.md), version 3\n    Withdrawn on 2025-06-30\n"
        ),
        "{out}"
    );
    let o = wardbook(&["changes", dir, "--from", "edition-1", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(json["new"][0]["source"], "guidelines/resp/new.md");
    assert_eq!(json["withdrawn"][0]["source"], "guidelines/resp/fever.md");
    assert_eq!(json["withdrawn"][1]["source"], "guidelines/resp/sepsis.md");
    assert_eq!(json["updated"][0]["numbers"][0]["old"], "24 hours");
    let o = wardbook(&[
        "changes",
        dir,
        "--from",
        "edition-1",
        "--format",
        "markdown",
    ]);
    let md = text(&o.stdout);
    assert!(
        md.contains("\n  - Numbers changed:\n    - Treatment: 24 hours → 48 hours\n"),
        "{md}"
    );
    assert!(md.contains("\n      - Old: Give 0.15 mg/kg once. Review after ~~24~~ hours.\n      - New: Give 0.15 mg/kg once. Review after **48** hours.\n"), "{md}");
    // The same ref on both sides: nothing changed.
    let o = wardbook(&[
        "changes",
        dir,
        "--from",
        "edition-1",
        "--to",
        "edition-1",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    for list in ["new", "updated", "withdrawn", "moved"] {
        assert_eq!(json[list], serde_json::json!([]), "{list}");
    }
    // Deterministic.
    let again = wardbook(&["changes", dir, "--from", "edition-1"]);
    assert_eq!(
        again.stdout,
        wardbook(&["changes", dir, "--from", "edition-1"]).stdout
    );
}

#[test]
fn changes_from_an_unknown_ref_cannot_run() {
    let (_tmp, root) = repository();
    let o = wardbook(&[
        "changes",
        root.to_str().unwrap_or("."),
        "--from",
        "edition-0",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("`edition-0` is not a tag, branch or commit"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "5", "0.5", "10,000", ".5", " ", "mg", "mg/kg", "hours", "%", "°C", "–", "-", " to ", "\n",
    "\n\n", "# ", "## ", "1. ", "> ", "&nbsp;", "**", "`", "```\n", "é", "µg", "SpO2", "---\n",
    "title: ", "version: ", "[", "]", ":", "https://x.org/5", "\u{0}", "\r\n",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the two texts, the comparison does not panic, and every number it reports is
    /// text of its block on the side it came from, exactly as read.
    #[test]
    fn any_two_texts_compare_and_numbers_are_as_written(
        old in proptest::collection::vec(0..TOKENS.len(), 0..40),
        new in proptest::collection::vec(0..TOKENS.len(), 0..40),
    ) {
        let old: String = old.iter().map(|&i| TOKENS[i]).collect();
        let new: String = new.iter().map(|&i| TOKENS[i]).collect();
        let list = changes::between(
            &edition(&[("g/a.md", Some("g/a.md"), &old)]),
            &now(&[("g/a.md", &new)]),
        );
        for u in &list.updated {
            for n in &u.text.numbers {
                let b = &u.text.blocks[n.block];
                let within = |q: &Option<String>, text: &Option<String>| {
                    q.as_ref().is_none_or(|q| text.as_ref().is_some_and(|t| t.contains(q.as_str())))
                };
                proptest::prop_assert!(n.old.is_some() || n.new.is_some());
                proptest::prop_assert!(within(&n.old, &b.old), "{n:?} {b:?}");
                proptest::prop_assert!(within(&n.new, &b.new), "{n:?} {b:?}");
            }
        }
        proptest::prop_assert_eq!(list.updated.len(), usize::from(old != new && list.withdrawn.is_empty() && list.new.is_empty()));
    }
}
