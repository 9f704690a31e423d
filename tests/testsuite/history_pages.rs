//! The history pages of the site (version tables, archived versions, archive.html, moved-file
//! pages), over the sample book with a history made by hand: the pages are a function of the
//! `History` value, so these tests do not need a repository. Each fact asserted (dates, versions,
//! notice text) comes from the history built here, not from the output.

use crate::harness::{as_of, options, repo};
use jiff::civil::Date;
use std::path::Path;
use std::sync::Arc;
use wardbook::content::{Book, LoadOptions, OldText};
use wardbook::history::{
    BookHistory, Commit, FileHistory, History, Move, Place, ReplacedBy, Revision, Until,
};
use wardbook::output::Output;

const CROUP: &str = "guidelines/respiratory/croup.md";
const WITHDRAWN: &str = "guidelines/respiratory/bronchiolitis-oxygen-thresholds.md";
const KAWASAKI: &str = "guidelines/cardiology/kawasaki-disease.md";
const ASTHMA: &str = "guidelines/respiratory/asthma-acute.md";
/// Text only croup 2.2 had.
const CROUP_22: &str = "Observe for at least 1 hour after nebulised adrenaline";
/// Text only croup 2.1 had.
const CROUP_21: &str = "SpO2 &lt; 88%";

fn date(s: &str) -> Date {
    s.parse().expect("date")
}

fn sample_text(source: &str) -> String {
    std::fs::read_to_string(repo().join(source)).expect("read sample guideline")
}

fn version(
    v: &str,
    from: &str,
    until: Option<(&str, ReplacedBy)>,
    source: &str,
    text: &str,
) -> Revision {
    Revision {
        version: v.into(),
        amended: false,
        from: date(from),
        commit: format!(
            "{:0<40}",
            format!(
                "{}{}",
                v.replace(['.', ' ', '/'], ""),
                from.replace('-', "")
            )
        ),
        until: until.map(|(d, by)| Until { date: date(d), by }),
        source: source.into(),
        places: vec![Place {
            source: source.into(),
            section: OldText::read(text.into()).front.section,
            since: date(from),
        }],
        text: Arc::from(text),
        title: None,
        change_summary: Some(format!("Summary of {v}")),
        approved_by: Some("Respiratory governance group".into()),
        approved_date: Some("2024-01-10".into()),
        since_previous: false,
    }
}

fn by(v: &str) -> ReplacedBy {
    ReplacedBy::Version(v.into())
}

/// The hand-made history: croup 2.1 -> 2.2 -> 2.3 (moved from an old name), a withdrawal, a
/// removed file (one whose text still parses, one whose text does not), Kawasaki with the
/// same version value twice and an uncommitted working version, and asthma moved from a path
/// whose old address is croup's page.
fn history() -> History {
    let croup = sample_text(CROUP);
    let c22 = croup
        .replace(
            "Observe for at least 2 hours after nebulised adrenaline",
            CROUP_22,
        )
        .replace("version: \"2.3\"", "version: \"2.2\"");
    let c21 = c22
        .replace("SpO2 < 92%", "SpO2 < 88%")
        .replace("version: \"2.2\"", "version: \"2.1\"");
    assert!(
        c22.contains(CROUP_22) && c21.contains("SpO2 < 88%"),
        "sample croup changed"
    );
    let old_croup = "guidelines/respiratory/laryngotracheobronchitis.md";
    let withdrawn = sample_text(WITHDRAWN);
    let whooping = "---\ntitle: Whooping cough\nsection: Respiratory\nnetwork: PiP Respiratory Network\nreview_date: 2026-03-31\nversion: \"1.0\"\n---\n\nCough lasting 14 days or more.\n";
    let kawasaki = sample_text(KAWASAKI);
    let mut files = vec![
        FileHistory {
            source: CROUP.into(),
            moves: vec![Move {
                from: old_croup.into(),
                to: CROUP.into(),
                date: date("2024-05-01"),
            }],
            removed: None,
            revisions: vec![
                version(
                    "2.1",
                    "2024-03-01",
                    Some(("2024-09-16", by("2.2"))),
                    old_croup,
                    &c21,
                ),
                version(
                    "2.2",
                    "2024-09-16",
                    Some(("2025-06-02", by("2.3"))),
                    CROUP,
                    &c22,
                ),
                version("2.3", "2025-06-02", None, CROUP, &croup),
            ],
        },
        FileHistory {
            source: WITHDRAWN.into(),
            moves: vec![],
            removed: None,
            revisions: vec![version(
                "1.2",
                "2023-09-01",
                Some(("2025-08-01", ReplacedBy::Withdrawn)),
                WITHDRAWN,
                &withdrawn,
            )],
        },
        FileHistory {
            source: "guidelines/respiratory/whooping-cough.md".into(),
            moves: vec![],
            removed: Some(date("2025-10-06")),
            revisions: vec![version(
                "1.0",
                "2024-03-01",
                Some(("2025-10-06", ReplacedBy::Removed)),
                "guidelines/respiratory/whooping-cough.md",
                whooping,
            )],
        },
        FileHistory {
            source: "guidelines/old/broken.md".into(),
            moves: vec![],
            removed: Some(date("2025-01-01")),
            revisions: vec![version(
                "0.9 beta/2",
                "2024-03-01",
                None,
                "guidelines/old/broken.md",
                "---\ntitle: [unclosed\n---\nBroken front matter, body kept.\n",
            )],
        },
        FileHistory {
            source: KAWASAKI.into(),
            moves: vec![],
            removed: None,
            revisions: vec![
                version(
                    "1.0",
                    "2024-01-01",
                    Some(("2024-02-01", by("2.0"))),
                    KAWASAKI,
                    &kawasaki,
                ),
                version(
                    "2.0",
                    "2024-02-01",
                    Some(("2024-03-01", by("1.0"))),
                    KAWASAKI,
                    &kawasaki,
                ),
                version("1.0", "2024-03-01", None, KAWASAKI, &kawasaki),
            ],
        },
        FileHistory {
            source: ASTHMA.into(),
            moves: vec![Move {
                from: "guidelines/old/croup.md".into(),
                to: ASTHMA.into(),
                date: date("2024-04-01"),
            }],
            removed: None,
            revisions: vec![version(
                "3.1",
                "2024-04-01",
                None,
                ASTHMA,
                &sample_text(ASTHMA),
            )],
        },
    ];
    // Croup 2.1 was published at its old name, then moved (same text) before it was replaced.
    let first = &mut files[0].revisions[0];
    first.source = CROUP.into();
    first.places.push(Place {
        source: CROUP.into(),
        section: Some("Respiratory".into()),
        since: date("2024-05-01"),
    });
    files.sort_by(|a, b| a.source.cmp(&b.source));
    History {
        tip: Commit {
            id: "a".repeat(40),
            date: date("2025-10-06"),
        },
        files,
        previous: None,
        passed_over: Vec::new(),
    }
}

/// A book and what its history adds.
type WithHistory = (Book, Option<BookHistory>);

fn sample_book(history: Option<History>) -> WithHistory {
    let config = wardbook::config::load(&repo()).expect("sample book.toml");
    let opts = LoadOptions {
        as_of: as_of(),
        drafts: false,
    };
    let (book, _) = wardbook::content::load(&config, &opts).expect("load sample");
    (book, history.map(BookHistory::new))
}

fn render((book, history): &WithHistory) -> Output {
    let r =
        wardbook::render::render(book, history.as_ref(), &options(false, false)).expect("render");
    let errors: Vec<_> = r
        .diags
        .iter()
        .filter(|d| d.severity == wardbook::diag::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    r.output
}

fn built() -> &'static Output {
    static SITE: std::sync::OnceLock<Output> = std::sync::OnceLock::new();
    SITE.get_or_init(|| render(&sample_book(Some(history()))))
}

fn page(path: &str) -> String {
    let bytes = built()
        .get(path)
        .unwrap_or_else(|| panic!("{path} not built"));
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

/// Every relative `href`/`src` of `html` (at `path`), resolved against the site root.
fn relative_targets(path: &str, html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in html.split(attr).skip(1) {
            let url = part.split('"').next().unwrap_or("");
            if url.is_empty() || url.starts_with('#') || url.contains(':') || url.starts_with("//")
            {
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

fn assert_links_resolve(path: &str) {
    let html = page(path);
    for t in relative_targets(path, &html) {
        let known = built().files.contains_key(&t) || t.starts_with("media/");
        assert!(known, "{path} links {t}, which is not in the site");
    }
}

/// The rows of the version table on `html`: each row's text with tags stripped.
fn table_rows(html: &str) -> Vec<String> {
    let table = html
        .split("<table class=\"version-table\">")
        .nth(1)
        .expect("a version table");
    let body = table
        .split("<tbody>")
        .nth(1)
        .and_then(|t| t.split("</tbody>").next())
        .expect("tbody");
    body.split("<tr").skip(1).map(strip_tags).collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = true; // the split left the rest of `<tr ...>`
    for c in s.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn guideline_page_lists_every_version_newest_first() {
    let html = page("respiratory/croup.html");
    let rows = table_rows(&html);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows[0].starts_with("2.3 in force 2 June 2025 to now"),
        "{}",
        rows[0]
    );
    assert!(
        rows[1]
            .starts_with("2.2 superseded 16 September 2024 to 2 June 2025 replaced by version 2.3"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].starts_with(
            "2.1 superseded 1 March 2024 to 16 September 2024 replaced by version 2.2"
        ),
        "{}",
        rows[2]
    );
    assert!(
        rows[1].contains("Summary of 2.2")
            && rows[1].contains("Respiratory governance group, 2024-01-10")
    );
    assert!(html.contains("<caption>Versions of Croup, newest first"));
    assert!(html.contains("<th scope=\"col\">Version</th>"));
    assert!(html.contains("href=\"../respiratory/croup/v2.2.html\""));
    assert!(html.contains("href=\"../respiratory/croup/v2.1.html\""));
    // "in force" is said in words, once, on the current version only.
    assert_eq!(html.matches(">in force<").count(), 1);
    assert_links_resolve("respiratory/croup.html");
}

#[test]
fn superseded_page_has_the_old_text_and_the_notice() {
    let path = "respiratory/croup/v2.2.html";
    let html = page(path);
    assert!(html.contains("<main id=\"main-content\" tabindex=\"-1\" data-status=\"superseded\">"));
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(html.contains("Superseded on 2 June 2025 by version 2.3: do not use for patient care"));
    assert!(html.contains(
        "<a href=\"../../respiratory/croup.html\">Read the current version of Croup</a>"
    ));
    assert!(html.contains(CROUP_22), "the archived text in full");
    assert!(
        !html.contains("Observe for at least 2 hours"),
        "not the current text"
    );
    // The notice comes before the old text.
    assert!(html.find("superseded-notice").unwrap() < html.find(CROUP_22).unwrap());
    assert_links_resolve(path);
    let v21 = page("respiratory/croup/v2.1.html");
    assert!(v21.contains(CROUP_21));
    assert!(
        v21.contains("Superseded on 16 September 2024 by version 2.2: do not use for patient care")
    );
}

#[test]
fn an_old_copy_points_to_the_current_version_not_to_itself() {
    // With `[book] base_url`, a page says where its current version is: for a superseded page
    // that is the guideline's page, and for an old address the page it now leads to.
    let base = "https://guidelines.example.org/paediatrics/";
    let current = format!("data-current=\"{base}respiratory/croup.html\"");
    for path in [
        "respiratory/croup/v2.2.html",
        "respiratory/laryngotracheobronchitis.html",
    ] {
        let html = page(path);
        assert!(html.contains(&current), "{path} points elsewhere");
        assert!(
            html.contains(
                "Current version: guidelines.example.org/paediatrics/respiratory/croup.html"
            ),
            "{path}'s printed footer points elsewhere"
        );
        assert!(
            !html.contains(&format!("{base}{path}")),
            "{path} names itself"
        );
    }
    // A superseded copy is valid on no day: it gives no "valid until".
    assert!(page("respiratory/croup/v2.2.html").contains("data-valid-until=\"\""));
}

#[test]
fn withdrawn_and_removed_versions_say_so() {
    let w = page("respiratory/bronchiolitis-oxygen-thresholds/v1.2.html");
    assert!(w.contains("Withdrawn on 1 August 2025: do not use for patient care"));
    assert!(w.contains("data-status=\"superseded\""));
    let wp = page("respiratory/bronchiolitis-oxygen-thresholds.html");
    assert!(
        !wp.contains(">in force<"),
        "a withdrawn guideline has no version in force"
    );
    assert!(wp.contains("href=\"../respiratory/bronchiolitis-oxygen-thresholds/v1.2.html\""));
    let r = page("respiratory/whooping-cough/v1.0.html");
    assert!(r.contains("Removed from the book on 6 October 2025: do not use for patient care"));
    assert!(r.contains("Cough lasting 14 days or more."));
    assert!(r.contains("href=\"../../archive.html\""));
    // A removed file whose text no longer parses: kept under removed/, body shown.
    let b = page("removed/broken/v0.9_20beta_2F2.html");
    assert!(b.contains("Broken front matter, body kept."));
    assert!(b.contains("Removed from the book on 1 January 2025"));
    for p in [
        "respiratory/whooping-cough/v1.0.html",
        "removed/broken/v0.9_20beta_2F2.html",
    ] {
        assert_links_resolve(p);
    }
}

#[test]
fn uncommitted_version_and_repeated_values() {
    let html = page("cardiology/kawasaki-disease.html");
    let rows = table_rows(&html);
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(
        rows[0].starts_with("2.2 in force not yet committed"),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].starts_with(
            "1.0 superseded 1 March 2024 to not yet committed replaced by version 2.2"
        ),
        "{}",
        rows[1]
    );
    // The value 1.0 was used twice: two files, neither replacing the other; the first to be
    // published keeps the plain name (so an earlier build's address stays).
    let a = "cardiology/kawasaki-disease/v1.0-2024-03-01.html";
    let b = "cardiology/kawasaki-disease/v1.0.html";
    assert!(
        page(a)
            .contains("Superseded by version 2.2 (not yet committed): do not use for patient care")
    );
    assert!(page(b).contains("Superseded on 1 February 2024 by version 2.0"));
}

#[test]
fn archived_pages_are_left_out_of_search_lists_reports_and_print() {
    let site = built();
    let mut checked = 0;
    for path in site.files.keys() {
        let shared = path.starts_with("search/")
            || path.ends_with("index.html")
            || [
                "a-z.html",
                "print.html",
                "reviews.html",
                "reviews.csv",
                "manifest.json",
            ]
            .contains(&path.as_str())
            || path.starts_with("networks/");
        if !shared {
            continue;
        }
        checked += 1;
        let text = String::from_utf8_lossy(site.get(path).expect("in memory"));
        for needle in [
            "croup/v2.2",
            "croup/v2.1",
            CROUP_22,
            "whooping-cough",
            "Whooping cough",
        ] {
            assert!(!text.contains(needle), "{path} mentions {needle}");
        }
    }
    assert!(checked >= 8, "only {checked} shared files checked");
}

#[test]
fn moved_files_keep_their_old_address() {
    let path = "respiratory/laryngotracheobronchitis.html";
    let html = page(path);
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(html.contains("location.replace(\"../respiratory/croup.html\" + location.hash)"));
    assert!(html.contains("This guideline has moved to <a href=\"../respiratory/croup.html\" id=\"moved-link\">Croup</a>"));
    // Asthma's old address is croup's page: the real page is never replaced.
    let croup = page("respiratory/croup.html");
    assert!(croup.contains("<h1>Croup</h1>") && !croup.contains("has moved"));
}

#[test]
fn archive_lists_every_guideline_and_version() {
    let html = page("archive.html");
    let (book, _) = sample_book(None);
    for g in &book.guidelines {
        assert!(
            html.contains(&format!(">{}</a>", tera_escape(&g.front.title))),
            "{} missing",
            g.front.title
        );
    }
    assert!(html.contains("Whooping cough") && html.contains("removed from the book"));
    assert!(html.contains("<a href=\"respiratory/croup/v2.1.html\">2.1</a>"));
    assert!(html.contains("<time datetime=\"2024-09-16\">16 September 2024</time>"));
    assert!(page("index.html").contains("href=\"archive.html\""));
    assert!(
        page("a-z.html").contains("href=\"archive.html\""),
        "footer link"
    );
    assert_links_resolve("archive.html");
}

fn tera_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

#[test]
fn without_history_there_is_no_archive() {
    let out = render(&sample_book(None));
    assert!(out.get("archive.html").is_none());
    assert!(
        !out.files.keys().any(|p| p.contains("/v")),
        "no archived pages"
    );
    let croup = String::from_utf8(out.get("respiratory/croup.html").unwrap().to_vec()).unwrap();
    assert!(!croup.contains("version-table") && !croup.contains("archive.html"));
}

#[test]
fn history_pages_are_deterministic() {
    let again = render(&sample_book(Some(history())));
    let first = built();
    let paths: Vec<&String> = first.files.keys().collect();
    assert_eq!(paths, again.files.keys().collect::<Vec<_>>());
    for p in paths {
        assert_eq!(first.get(p), again.get(p), "{p} differs between two builds");
    }
}

#[test]
fn snapshots_of_the_history_pages() {
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    for (name, path) in [
        ("history-superseded", "respiratory/croup/v2.2.html"),
        ("history-archive", "archive.html"),
        ("history-moved", "respiratory/laryngotracheobronchitis.html"),
    ] {
        s.set_description(format!(
            "{path} of the sample book with a hand-made history"
        ));
        s.bind(|| insta::assert_snapshot!(name, page(path)));
    }
}
