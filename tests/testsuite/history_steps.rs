//! Every step between two editions, from a repository made in the test: an update through two
//! versions (and a third not committed yet) shows each with its date, summary and approval; a
//! withdrawal its reason, approver, date and the guideline that replaces it (`replaced_by`),
//! which the withdrawn page links too; a move from one section to another, text unchanged, is
//! listed once with its old address. On every surface the build and `wardbook changes` make.
//! Also `replaced_by` checked like a link.

use crate::git::GitRepo;
use crate::harness::*;
use std::path::{Path, PathBuf};

const CONFIG: &str = "[book]\ntitle = \"Steps\"\n\
    [[sections]]\nslug = \"resp\"\ntitle = \"Respiratory\"\n\
    [[sections]]\nslug = \"endocrine\"\ntitle = \"Endocrine\"\n\
    [[sections]]\nslug = \"emergency\"\ntitle = \"Emergency\"\n\
    [[networks]]\nslug = \"n\"\nname = \"Net\"\ncontact = \"mailto:n@example.org\"\n\
    [history]\nprevious_edition = \"edition-1\"\n";

/// A guideline in `section` with `version` and extra front-matter lines, and `body`.
fn guideline(title: &str, section: &str, version: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nsection: {section}\nnetwork: n\nreview_date: 2030-01-01\nversion: \"{version}\"\n{extra}---\n{body}"
    )
}

fn croup(version: &str, extra: &str, hours: &str) -> String {
    let body = format!("## Treatment\n\nGive dexamethasone once. Review after {hours}.\n");
    guideline("Croup", "resp", version, extra, &body)
}

const HYPO: &str = "## Treat\n\nGive glucose by mouth if the child can swallow.\n";
const STATUS: &str = "## Treat\n\nFollow the status epilepticus pathway.\n";
const SEIZURE: &str = "## Treat\n\nThe old seizure pathway.\n";

/// Edition 1 (tagged), then croup 1.0 → 1.1 (the dose change) → 1.2, the old seizure
/// guideline withdrawn for Status epilepticus, hypoglycaemia moved from Endocrine to Emergency
/// with its text unchanged; in the working tree, croup 1.3 not committed yet.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = GitRepo::init(&tmp.path().join("book"));
    repo.write("book.toml", CONFIG)
        .write(
            "guidelines/resp/croup.md",
            croup("1.0", "change_summary: First.\n", "24 hours"),
        )
        .write(
            "guidelines/endocrine/hypo.md",
            guideline("Hypoglycaemia", "endocrine", "2", "", HYPO),
        )
        .write(
            "guidelines/emergency/status.md",
            guideline("Status epilepticus", "emergency", "3", "", STATUS),
        )
        .write(
            "guidelines/emergency/old-seizure.md",
            guideline("Old seizure pathway", "emergency", "1", "", SEIZURE),
        );
    repo.commit("2025-01-31", "Edition 1");
    repo.tag("edition-1");
    repo.write(
        "guidelines/resp/croup.md",
        croup(
            "1.1",
            "change_summary: Review after 48 hours, not 24.\napproved_by: Respiratory group\napproved_date: 2025-02-20\n",
            "48 hours",
        ),
    );
    repo.commit("2025-03-01", "Croup 1.1");
    let withdrawn = "status: withdrawn\nchange_summary: \"Withdrawn: covered by Status epilepticus\"\napproved_by: Emergency network\napproved_date: 2025-04-28\nreplaced_by: status.md\n";
    repo.write(
        "guidelines/resp/croup.md",
        croup(
            "1.2",
            "change_summary: Wording.\napproved_by: Respiratory group\napproved_date: 2025-04-20\n",
            "48 hours",
        ),
    )
    .write(
        "guidelines/emergency/old-seizure.md",
        guideline("Old seizure pathway", "emergency", "1", withdrawn, SEIZURE),
    );
    repo.commit("2025-05-01", "Croup 1.2, old seizure pathway withdrawn");
    repo.mv(
        "guidelines/endocrine/hypo.md",
        "guidelines/emergency/hypo.md",
    )
    .write(
        "guidelines/emergency/hypo.md",
        guideline("Hypoglycaemia", "Emergency", "2", "", HYPO),
    );
    repo.commit("2025-06-01", "Hypoglycaemia to Emergency");
    repo.write(
        "guidelines/resp/croup.md",
        croup("1.3", "change_summary: Not yet approved.\n", "48 hours"),
    );
    let root = repo.dir().to_path_buf();
    (tmp, root)
}

fn page(out: &wardbook::output::Output, path: &str) -> String {
    String::from_utf8(
        out.get(path)
            .unwrap_or_else(|| panic!("{path} built"))
            .to_vec(),
    )
    .expect("UTF-8")
}

/// The text of `html` without tags (a block's start or end reads as a space), runs of white
/// space as one space.
fn words(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = rest[open + 1..close.saturating_sub(1).max(open + 1)].trim_start_matches('/');
        let name = tag.split_whitespace().next().unwrap_or("");
        if matches!(
            name,
            "p" | "li" | "ol" | "ul" | "div" | "section" | "br" | "h1" | "h2" | "h3" | "nav"
        ) {
            out.push(' ');
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The part of changes.html under the heading with id `id`.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html.find(&format!("id=\"{id}\"")).expect("section");
    let rest = &html[start..];
    &rest[..rest.find("</section>").expect("end")]
}

#[test]
fn changes_page_shows_every_step_the_withdrawal_and_the_move_once() {
    let (_tmp, root) = repository();
    let built = BookTest::at(root).built();
    let html = page(&built.output, "changes.html");

    let updated = section(&html, "changes-updated");
    let text = words(updated);
    assert!(
        text.contains("Versions since edition-1, oldest first: 1.1, 1 March 2025: Review after 48 hours, not 24. (approved by Respiratory group on 2025-02-20) 1.2, 1 May 2025: Wording. (approved by Respiratory group on 2025-04-20) 1.3, not committed yet: Not yet approved."),
        "{text}"
    );
    // The move with no text change is not also an update.
    assert!(!text.contains("Hypoglycaemia"), "{text}");

    let withdrawn = words(section(&html, "changes-withdrawn"));
    assert!(
        withdrawn.contains("Old seizure pathway, version 1 (withdrawn) Withdrawn: covered by Status epilepticus Approved by Emergency network on 2025-04-28; withdrawn on 1 May 2025. Use instead: Status epilepticus"),
        "{withdrawn}"
    );
    assert!(
        section(&html, "changes-withdrawn")
            .contains("<a href=\"emergency/status.html\">Status epilepticus</a>")
    );

    let moved = section(&html, "changes-moved");
    assert_eq!(moved.matches("<li ").count(), 1, "{moved}");
    assert!(
        words(moved).contains("Hypoglycaemia: Moved from Endocrine to Emergency (file guidelines/endocrine/hypo.md →changed to guidelines/emergency/hypo.md); its old address endocrine/hypo.html still leads to it."),
        "{}",
        words(moved)
    );
    // ...and it does.
    let old = page(&built.output, "endocrine/hypo.html");
    assert!(old.contains("emergency/hypo.html"), "{old}");
    // The counts at the top agree: one update (croup), one withdrawal, one move.
    assert!(
        words(&html).contains("0 new, 1 updated, 1 withdrawn, 1 moved"),
        "{}",
        words(&html)
    );

    // The withdrawn guideline's own page gives the reason and links its replacement.
    let notice = words(&page(&built.output, "emergency/old-seizure.html"));
    assert!(
        notice.contains("Reason: Withdrawn: covered by Status epilepticus (approved by Emergency network on 28 April 2025)"),
        "{notice}"
    );
    assert!(
        notice.contains("Use instead: Status epilepticus"),
        "{notice}"
    );
    assert!(
        page(&built.output, "emergency/old-seizure.html")
            .contains("<a href=\"../emergency/status.html\">Status epilepticus</a>")
    );
}

#[test]
fn changes_command_shows_every_step_in_text_markdown_and_json() {
    let (_tmp, root) = repository();
    let dir = root.to_str().unwrap_or(".");
    let run = |format: &str| {
        let o = wardbook(&["changes", dir, "--from", "edition-1", "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        text(&o.stdout)
    };
    // HEAD, not the working tree: croup 1.3 is not in it.
    let out = run("text");
    assert!(
        out.contains("  Croup (guidelines/resp/croup.md), version 1.0 → 1.2\n    Summary: Wording.\n    Versions:\n      1.1, 2025-03-01: Review after 48 hours, not 24. (approved by Respiratory group on 2025-02-20)\n      1.2, 2025-05-01: Wording. (approved by Respiratory group on 2025-04-20)\n"),
        "{out}"
    );
    assert!(
        out.contains("  Old seizure pathway (guidelines/emergency/old-seizure.md), version 1\n    Reason: Withdrawn: covered by Status epilepticus\n    Approved by Emergency network on 2025-04-28; withdrawn on 2025-05-01\n    Use instead: Status epilepticus (guidelines/emergency/status.md)\n"),
        "{out}"
    );
    assert!(
        out.contains("\nMoved\n  Hypoglycaemia: Moved from Endocrine to Emergency; file guidelines/endocrine/hypo.md → guidelines/emergency/hypo.md; its old address endocrine/hypo.html still leads to it\n"),
        "{out}"
    );
    assert!(
        out.starts_with("Changes from edition-1 to HEAD: 0 new, 1 updated, 1 withdrawn, 1 moved\n"),
        "{out}"
    );

    let md = run("markdown");
    assert!(
        md.contains("  - Versions:\n    - 1.1, 2025-03-01: Review after 48 hours, not 24. (approved by Respiratory group on 2025-02-20)\n    - 1.2, 2025-05-01: Wording. (approved by Respiratory group on 2025-04-20)\n"),
        "{md}"
    );
    assert!(
        md.contains("  - Use instead: Status epilepticus (guidelines/emergency/status.md)\n"),
        "{md}"
    );

    let json: serde_json::Value = serde_json::from_str(&run("json")).expect("JSON");
    let steps = &json["updated"][0]["versions"];
    assert_eq!(steps[0]["version"], "1.1");
    assert_eq!(steps[0]["date"], "2025-03-01");
    assert_eq!(steps[0]["change_summary"], "Review after 48 hours, not 24.");
    assert_eq!(steps[0]["approved_by"], "Respiratory group");
    assert_eq!(steps[0]["approved_date"], "2025-02-20");
    assert_eq!(steps[1]["version"], "1.2");
    assert_eq!(steps.as_array().map(Vec::len), Some(2));
    let w = &json["withdrawn"][0]["withdrawal"];
    assert_eq!(w["reason"], "Withdrawn: covered by Status epilepticus");
    assert_eq!(w["approved_by"], "Emergency network");
    assert_eq!(w["date"], "2025-05-01");
    assert_eq!(w["replaced_by"]["source"], "guidelines/emergency/status.md");
    let m = &json["moved"][0];
    assert_eq!(m["from_section"], "Endocrine");
    assert_eq!(m["to_section"], "Emergency");
    assert_eq!(m["old_page"], "endocrine/hypo.html");
    assert_eq!(json["updated"].as_array().map(Vec::len), Some(1));
}

#[test]
fn replaced_by_is_checked_like_a_link() {
    let body = "Withdrawn.\n";
    let withdrawn = |to: &str| {
        guideline(
            "Old",
            "resp",
            "1",
            &format!("status: withdrawn\nreplaced_by: {to}\n"),
            body,
        )
    };
    let t = |to: &str| {
        BookTest::empty()
            .file(
                "book.toml",
                CONFIG.replace("[history]\nprevious_edition = \"edition-1\"\n", ""),
            )
            .file("guidelines/resp/old.md", withdrawn(to))
            .file(
                "guidelines/emergency/status.md",
                guideline("Status epilepticus", "emergency", "3", "", STATUS),
            )
    };
    // Relative to the file, and relative to the book folder: both resolve.
    for good in ["../emergency/status.md", "guidelines/emergency/status.md"] {
        let built = t(good).built();
        assert!(built.warnings.is_empty(), "{good}: {:?}", built.warnings);
        assert!(
            page(&built.output, "resp/old.html").contains(
                "Use instead: <a href=\"../emergency/status.html\">Status epilepticus</a>"
            )
        );
    }
    // A file that does not exist: an error at the value, with the file meant.
    let d = t("../emergency/statu.md").problems();
    assert_eq!(d.len(), 1, "{}", render_text(&d));
    assert_eq!(
        render_text(&d).lines().next().unwrap_or(""),
        "guidelines/resp/old.md:8:14: error[replaced-by]: replaced_by names guidelines/emergency/statu.md, which does not exist"
    );
    assert_eq!(
        d[0].help.as_deref(),
        Some("did you mean ../emergency/status.md?")
    );
    assert_eq!(d[0].span, "../emergency/statu.md".len());
    // Itself: an error.
    let d = t("old.md").problems();
    assert!(
        d[0].message.contains("the guideline itself"),
        "{}",
        render_text(&d)
    );
    // On a guideline that is not withdrawn: a warning, as nothing shows it.
    let built = BookTest::empty()
        .file(
            "book.toml",
            CONFIG.replace("[history]\nprevious_edition = \"edition-1\"\n", ""),
        )
        .file(
            "guidelines/resp/old.md",
            guideline(
                "Old",
                "resp",
                "1",
                "replaced_by: ../emergency/status.md\n",
                body,
            ),
        )
        .file(
            "guidelines/emergency/status.md",
            guideline("Status epilepticus", "emergency", "3", "", STATUS),
        )
        .built();
    assert_eq!(built.warnings.len(), 1);
    assert_eq!(built.warnings[0].rule, "replaced-by");
    assert!(Path::new(&built.warnings[0].file).ends_with("old.md"));
}

#[test]
fn an_uncommitted_version_is_held_to_the_governance_rules() {
    let (_tmp, root) = repository();
    let write =
        |text: String| std::fs::write(root.join("guidelines/resp/croup.md"), text).expect("write");
    let rules = |t: &BookTest| -> Vec<String> {
        t.check()
            .iter()
            .filter(|d| d.rule == "version-order" || d.rule == "summary-not-updated")
            .map(|d| {
                render_text(std::slice::from_ref(d))
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    };
    let t = BookTest::at(root.clone());
    // 1.3 in the working tree, with its own summary: nothing to say.
    assert!(rules(&t).is_empty(), "{:?}", rules(&t));
    // 1.3 with 1.2's summary, approved before 1.2 was: two warnings at their keys.
    write(croup(
        "1.3",
        "change_summary: Wording.\napproved_date: 2025-04-01\n",
        "48 hours",
    ));
    assert_eq!(
        rules(&t),
        [
            "guidelines/resp/croup.md:7:17: warning[summary-not-updated]: the change_summary of version 1.3 is the same as version 1.2's: \"Wording.\"",
            "guidelines/resp/croup.md:8:16: warning[summary-not-updated]: approved_date 2025-04-01 of version 1.3 is earlier than 2025-04-20, when version 1.2 was approved",
        ]
    );
    // 1.1 again, after 1.2: an error, and the build stops.
    write(croup("1.1", "change_summary: Back.\n", "48 hours"));
    assert_eq!(
        rules(&t),
        [
            "guidelines/resp/croup.md:6:10: error[version-order]: version 1.1 of \"Croup\" is not higher than its earlier version 1.2 (in force from 2025-05-01)"
        ]
    );
    assert!(t.problems().iter().any(|d| d.rule == "version-order"));
    // [lint] can lower it.
    let toml = format!("{CONFIG}[lint]\nversion-order = \"warning\"\n");
    std::fs::write(root.join("book.toml"), toml).expect("write book.toml");
    assert!(t.build().is_ok());
}

#[test]
fn no_history_is_a_flag_of_build_check_and_serve() {
    let mut t = BookTest::empty().file("book.toml", CONFIG).file(
        "guidelines/emergency/status.md",
        guideline("Status epilepticus", "emergency", "3", "", STATUS),
    );
    let root = t.scratch();
    let dir = root.to_str().unwrap_or(".");
    // Outside a repository, [history] makes check fail, saying so; --no-history does not ask.
    let o = t.run("check", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(
        text(&o.stdout).contains("error[history]"),
        "{}",
        text(&o.stdout)
    );
    let o = t.run("check", &["--no-history"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    let site = t.tmp().join("site");
    let o = wardbook(&[
        "build",
        dir,
        "--no-pdf",
        "--no-history",
        "--dest",
        site.to_str().unwrap_or("site"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for command in ["build", "check", "serve"] {
        let help = text(&wardbook(&[command, "--help"]).stdout);
        assert!(help.contains("--no-history"), "{command}: {help}");
    }
}
