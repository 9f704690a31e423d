//! Every address a guideline ever had leads somewhere: a repository made in the test with every
//! kind of move (a `git mv` across sections without a version change, a rename with a version
//! change after it, a section changed in the front matter alone, a rename of a file whose old
//! versions are archived, a withdrawal, a removal). The site is built at every commit; every
//! file any of those sites had must be in the site built at the tip, and every link of every
//! archived page and every page at an old address must lead to a file of that site (never to a
//! `.md` source path).

use crate::git::GitRepo;
use crate::harness::*;
use std::collections::BTreeSet;
use std::path::Path;

const BOOK_TOML: &str = "[book]\ntitle = \"Addresses book\"\n\n[history]\n\n\
    [[sections]]\nslug = \"endocrine\"\ntitle = \"Endocrine\"\n\n\
    [[sections]]\nslug = \"emergency\"\ntitle = \"Emergency\"\n\n\
    [[sections]]\nslug = \"respiratory\"\ntitle = \"Respiratory\"\n\n\
    [[networks]]\nslug = \"n\"\nname = \"Network\"\ncontact = \"mailto:n@example.org\"\n";

/// A guideline in `section` at `version` whose body is `body` under a Treatment heading.
fn text(title: &str, section: &str, version: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nsection: {section}\nnetwork: n\nreview_date: 2030-01-01\n\
         version: \"{version}\"\n---\n\n## Treatment\n\n{body}\n"
    )
}

/// The history: commit dates, and what each commit does.
fn make_history(repo: &GitRepo) -> Vec<String> {
    let hypo = |section: &str, v: &str| {
        text(
            "Hypoglycaemia",
            section,
            v,
            "See [croup](../respiratory/croup.md).",
        )
    };
    let croup = |v: &str, body: &str| text("Croup", "respiratory", v, body);
    repo.write("book.toml", BOOK_TOML);
    repo.write("guidelines/endocrine/hypo.md", hypo("endocrine", "1.0"));
    repo.write(
        "guidelines/respiratory/croup.md",
        croup(
            "1.0",
            "Check [glucose](../endocrine/hypo.md#treatment) first.",
        ),
    );
    repo.write(
        "guidelines/respiratory/whooping.md",
        text("Whooping cough", "respiratory", "1.0", "Cough."),
    );
    repo.write(
        "guidelines/respiratory/old-asthma.md",
        text(
            "Old asthma",
            "respiratory",
            "1.0",
            "Wheeze; see [DKA](../endocrine/dka.md) and [croup](croup.md).",
        ),
    );
    repo.write(
        "guidelines/endocrine/dka.md",
        text("DKA", "endocrine", "1.0", "Fluids."),
    );
    let mut commits = vec![repo.commit("2024-01-10", "first edition")];
    repo.write(
        "guidelines/respiratory/croup.md",
        croup(
            "2.0",
            "Check [glucose](../endocrine/hypo.md#treatment) and give steroid.",
        ),
    );
    commits.push(repo.commit("2024-02-10", "croup 2.0"));
    // Across sections with the file, no new version.
    repo.mv(
        "guidelines/endocrine/hypo.md",
        "guidelines/emergency/hypo.md",
    );
    repo.write("guidelines/emergency/hypo.md", hypo("emergency", "1.0"));
    // Links to a moved file are fixed in the same commit (an amended text of croup 2.0).
    let croup_to = |to: &str| {
        croup(
            "2.0",
            &format!("Check [glucose](../emergency/{to}#treatment) and give steroid."),
        )
    };
    repo.write("guidelines/respiratory/croup.md", croup_to("hypo.md"));
    commits.push(repo.commit("2024-03-10", "hypo to emergency"));
    // A rename with a version change: a chain of moves.
    repo.mv(
        "guidelines/emergency/hypo.md",
        "guidelines/emergency/hypoglycaemia.md",
    );
    repo.write(
        "guidelines/emergency/hypoglycaemia.md",
        hypo("emergency", "2.0"),
    );
    repo.write(
        "guidelines/respiratory/croup.md",
        croup_to("hypoglycaemia.md"),
    );
    commits.push(repo.commit("2024-04-10", "hypoglycaemia 2.0"));
    // The section changed in the front matter alone: the page moves, the file does not.
    repo.write(
        "guidelines/endocrine/dka.md",
        text("DKA", "emergency", "1.0", "Fluids."),
    );
    commits.push(repo.commit("2024-05-10", "dka to emergency"));
    repo.write(
        "guidelines/respiratory/whooping.md",
        text("Whooping cough", "respiratory", "1.0", "Cough.")
            .replace("---\n\n##", "status: withdrawn\n---\n\n##"),
    );
    commits.push(repo.commit("2024-06-10", "whooping withdrawn"));
    repo.rm("guidelines/respiratory/old-asthma.md");
    commits.push(repo.commit("2024-07-10", "old asthma removed"));
    // A file whose old versions are archived moves, with a new version.
    repo.mv(
        "guidelines/respiratory/croup.md",
        "guidelines/respiratory/laryngotracheobronchitis.md",
    );
    repo.write(
        "guidelines/respiratory/laryngotracheobronchitis.md",
        croup("3.0", "Check glucose; give steroid."),
    );
    repo.write(
        "guidelines/emergency/hypoglycaemia.md",
        hypo("emergency", "2.0").replace("croup.md", "laryngotracheobronchitis.md"),
    );
    commits.push(repo.commit("2024-08-10", "croup renamed, 3.0"));
    commits
}

/// The files of the site built from the repository's work tree as it is.
fn site(root: &Path) -> wardbook::output::Output {
    match wardbook::build(root, &options(false, false)) {
        Ok(b) => b.output,
        Err(wardbook::BuildError::Problems(d)) => panic!("{}", render_text(&d)),
        Err(wardbook::BuildError::CannotRun(e)) => panic!("{e:#}"),
    }
}

/// Every relative link target (`href`, `src`) of `html` at `path`, resolved from the site root.
fn links(path: &str, html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let url = part.split('"').next().unwrap_or("");
            if url.is_empty() || url.starts_with('#') || url.contains(':') {
                continue;
            }
            let url = url.split('#').next().unwrap_or("");
            let joined =
                wardbook::paths::join_relative(Path::new(path), &wardbook::paths::decode(url))
                    .unwrap_or_else(|| panic!("{path}: {url} climbs out of the site"));
            out.push(joined.to_string_lossy().into_owned());
        }
    }
    out
}

#[test]
fn every_address_any_earlier_site_had_leads_somewhere() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = GitRepo::init(tmp.path());
    let commits = make_history(&repo);
    let mut ever: BTreeSet<String> = BTreeSet::new();
    for c in &commits {
        repo.git("2024-12-01", &["checkout", "-q", c]);
        ever.extend(site(tmp.path()).files.keys().cloned());
    }
    // The loop ended at the tip.
    let tip = site(tmp.path());
    let missing: Vec<&String> = ever.iter().filter(|p| tip.get(p).is_none()).collect();
    assert!(missing.is_empty(), "addresses lost: {missing:?}");
    // The addresses that moved lead on to the guideline's page now.
    let text = |p: &str| String::from_utf8_lossy(tip.get(p).expect(p)).into_owned();
    for (old, now) in [
        ("endocrine/hypo.html", "emergency/hypoglycaemia.html"),
        ("emergency/hypo.html", "emergency/hypoglycaemia.html"),
        ("endocrine/dka.html", "emergency/dka.html"),
        (
            "respiratory/croup.html",
            "respiratory/laryngotracheobronchitis.html",
        ),
        (
            "respiratory/old-asthma.html",
            "respiratory/old-asthma/v1.0.html",
        ),
    ] {
        let html = text(old);
        assert!(
            html.contains(&format!("href=\"../{now}\" id=\"moved-link\"")),
            "{old} does not lead to {now}: {html}"
        );
    }
    assert!(text("respiratory/old-asthma.html").contains("removed from the book on 10 July 2024"));
    // Every link of every archived page and old-address page leads to a file of the site.
    let mut checked = 0;
    for (path, bytes) in tip.files.iter() {
        let html = String::from_utf8_lossy(&bytes.read().expect("in memory")).into_owned();
        let archived = html.contains("data-status=\"superseded\"");
        let moved = html.contains("data-status=\"moved\"");
        if !(archived || moved) {
            continue;
        }
        checked += 1;
        for target in links(path, &html) {
            assert!(
                !target.ends_with(".md"),
                "{path} links a source path {target}"
            );
            assert!(
                tip.get(&target).is_some(),
                "{path} links {target}, not in the site"
            );
        }
    }
    assert!(checked >= 8, "{checked} archived and moved pages checked");
    // The archived croup 1.0 linked hypo.md: it now leads to the page it moved to, anchor kept.
    let croup1 = text("respiratory/croup/v1.0.html");
    assert!(
        croup1.contains("href=\"../../emergency/hypoglycaemia.html#treatment\""),
        "{croup1}"
    );
}
