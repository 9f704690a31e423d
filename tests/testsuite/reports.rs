//! Review reports against `tests/fixtures/reports-basic`, a book with known review dates, built
//! as of 2026-11-21 with a 90-day "due" window. Expected days were worked out by calendar:
//! 2025-11-21 is 365 days before, 2026-11-20 one day, 2027-01-20 60 days after, 2027-02-19 90,
//! 2027-02-20 91, 2028-01-01 406, 2020-01-01 2516 days before.

use crate::harness::*;

/// The reports-basic fixture built as of [`AS_OF`], with or without drafts.
fn build(drafts: bool) -> wardbook::Built {
    BookTest::from_fixture("reports-basic")
        .drafts(drafts)
        .built()
}

fn file(built: &wardbook::Built, path: &str) -> String {
    built.page(path)
}

#[test]
fn csv_has_the_header_and_one_row_per_guideline() {
    let csv = file(&build(false), "reviews.csv");
    assert!(csv.ends_with("\r\n"));
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            "file,title,section,network,version,review_date,review_status,days_to_review,status",
            "guidelines/general/due-soon.md,Due soon,General,Alpha Network,3,2027-01-20,due,60,current",
            "guidelines/general/due-today.md,Due today,General,Alpha Network,,2026-11-21,due,0,current",
            "guidelines/special/just-current.md,Just current,General,Beta Network,,2027-02-20,current,91,current",
            "guidelines/general/old-overdue.md,Old overdue,General,Alpha Network,1.0,2025-11-21,overdue,-365,current",
            "guidelines/special/edge.md,Edge of the window,Special care,Beta Network,,2027-02-19,due,90,current",
            "guidelines/special/fits.md,\"Fits, faints and \"\"funny\"\" turns\",Special care,Alpha Network,'=1+1,2028-01-01,current,406,current",
            "guidelines/general/recently-overdue.md,Recently overdue,Special care,Alpha Network,2.1,2026-11-20,overdue,-1,current",
            "guidelines/special/withdrawn.md,Withdrawn one,Special care,Beta Network,,2020-01-01,overdue,-2516,withdrawn",
        ]
    );
}

#[test]
fn csv_includes_drafts_only_when_built_with_them() {
    let csv = file(&build(true), "reviews.csv");
    let draft: Vec<&str> = csv.lines().filter(|l| l.contains("draft.md")).collect();
    assert_eq!(
        draft,
        [
            "guidelines/special/draft.md,Draft one,Special care,Beta Network,,2026-12-01,due,10,draft"
        ]
    );
}

/// A table row: title, review status, days to review.
type Row = (String, String, String);
/// A network block: id, data attributes, rows.
type Block = (String, String, Vec<Row>);

/// The `<section id="network-…">` blocks of reviews.html: (id, data attributes, row titles in
/// order with their review status and days).
fn network_blocks(html: &str) -> Vec<Block> {
    html.split("<section id=\"")
        .skip(1)
        .map(|block| {
            let id = block.split('"').next().unwrap_or("").to_string();
            let head = block.split('>').next().unwrap_or("");
            let data: Vec<&str> = head.split(' ').filter(|a| a.starts_with("data-")).collect();
            let rows = block
                .split("<tr data-review-status=\"")
                .skip(1)
                .map(|row| {
                    let status = row.split('"').next().unwrap_or("").to_string();
                    let days = row
                        .split("data-days=\"")
                        .nth(1)
                        .and_then(|r| r.split('"').next())
                        .unwrap_or("")
                        .to_string();
                    let title = row
                        .split("\">")
                        .nth(2)
                        .and_then(|r| r.split("</a>").next())
                        .unwrap_or("")
                        .to_string();
                    (title, status, days)
                })
                .collect();
            (id, data.join(" ").replace('>', ""), rows)
        })
        .collect()
}

fn row(title: &str, status: &str, days: &str) -> Row {
    (title.into(), status.into(), days.into())
}

#[test]
fn review_page_groups_by_network_most_urgent_first() {
    let html = file(&build(false), "reviews.html");
    let blocks = network_blocks(&html);
    assert_eq!(
        blocks,
        [
            (
                "network-alpha".to_string(),
                "data-total=\"5\" data-overdue=\"2\" data-due=\"2\" data-current=\"1\"".to_string(),
                vec![
                    row("Old overdue", "overdue", "-365"),
                    row("Recently overdue", "overdue", "-1"),
                    row("Due today", "due", "0"),
                    row("Due soon", "due", "60"),
                    row("Fits, faints and &quot;funny&quot; turns", "current", "406"),
                ]
            ),
            (
                "network-beta".to_string(),
                "data-total=\"2\" data-overdue=\"0\" data-due=\"1\" data-current=\"1\"".to_string(),
                vec![
                    row("Edge of the window", "due", "90"),
                    row("Just current", "current", "91"),
                ]
            ),
            (
                "network-gamma".to_string(),
                "data-total=\"0\" data-overdue=\"0\" data-due=\"0\" data-current=\"0\"".to_string(),
                vec![]
            ),
        ]
    );
    assert!(html.contains("This network owns no guidelines yet."));
}

#[test]
fn review_page_shows_totals_links_and_words() {
    let html = file(&build(false), "reviews.html");
    assert!(html.contains(
        "As of 21 November 2026: 7 guidelines, <span data-count=\"overdue\">2</span> overdue for review, <span data-count=\"due\">3</span> due for review, <span data-count=\"current\">2</span> current."
    ), "{html}");
    for text in [
        "<a href=\"general/old-overdue.html\">Old overdue</a>",
        "<td>Special care</td>",
        "<td>2.1</td>",
        "<time datetime=\"2025-11-21\">21 November 2025</time>",
        "Overdue by 365 days",
        "Overdue by 1 day<",
        "Due today",
        "Due in 60 days",
        "Current, review in 406 days",
        "<a href=\"#network-alpha\">Alpha Network</a>",
        "<a href=\"networks/alpha.html\">Alpha Network</a>",
        "href=\"reviews.csv\"",
    ] {
        assert!(html.contains(text), "missing {text}");
    }
    assert!(!html.contains("Withdrawn one"));
    assert!(!html.contains("Draft one"));
}

#[test]
fn drafts_are_marked_on_the_review_page() {
    let html = file(&build(true), "reviews.html");
    assert!(html.contains(
        "<a href=\"special/draft.html\">Draft one</a> <strong class=\"tag tag-draft\">DRAFT</strong>"
    ));
}

#[test]
fn network_pages_and_home_link_to_their_report_block() {
    let built = build(false);
    let home = file(&built, "index.html");
    assert!(home.contains("href=\"reviews.html\""));
    let html = file(&built, "reviews.html");
    for n in ["alpha", "beta", "gamma"] {
        let page = file(&built, &format!("networks/{n}.html"));
        let link = format!("../reviews.html#network-{n}");
        assert!(page.contains(&link), "networks/{n}.html lacks {link}");
        assert!(html.contains(&format!("<section id=\"network-{n}\"")));
    }
}

#[test]
fn manifest_lists_every_published_guideline() {
    let built = build(false);
    let v: serde_json::Value =
        serde_json::from_str(&file(&built, "manifest.json")).expect("valid JSON");
    assert_eq!(v["title"], "Reports fixture");
    assert_eq!(v["edition"], "2026-27");
    assert_eq!(v["as_of"], AS_OF);
    assert_eq!(v["counts"]["total"], 7);
    assert_eq!(v["counts"]["overdue"], 2);
    let gs = v["guidelines"].as_array().expect("guidelines");
    assert_eq!(gs.len(), 8);
    for g in gs {
        let page = g["page"].as_str().expect("page");
        assert!(
            built.output.files.contains_key(page),
            "{page} is not in the site"
        );
    }
    let fits = gs
        .iter()
        .find(|g| g["file"] == "guidelines/special/fits.md")
        .expect("fits");
    assert_eq!(
        fits,
        &serde_json::json!({
            "file": "guidelines/special/fits.md",
            "page": "special/fits.html",
            "title": "Fits, faints and \"funny\" turns",
            "section": "special",
            "section_title": "Special care",
            "network": "alpha",
            "network_name": "Alpha Network",
            "version": "=1+1",
            "review_date": "2028-01-01",
            "last_reviewed": null,
            "review_status": "current",
            "days_to_review": 406,
            "status": "current",
            "authors": ["Dr A", "Dr B"],
            "keywords": ["seizure"],
        })
    );
    let old = gs
        .iter()
        .find(|g| g["title"] == "Old overdue")
        .expect("old");
    assert_eq!(old["last_reviewed"], "2022-11-21");
    assert_eq!(old["days_to_review"], -365);
    let withdrawn = gs
        .iter()
        .find(|g| g["title"] == "Withdrawn one")
        .expect("w");
    assert_eq!(withdrawn["status"], "withdrawn");
}

#[test]
fn reports_are_deterministic() {
    let a = build(false);
    let b = build(false);
    for f in ["reviews.html", "reviews.csv", "manifest.json"] {
        // `bytes` fails when a report is missing: two missing reports are not "the same".
        let (first, second) = (a.bytes(f), b.bytes(f));
        assert!(!first.is_empty(), "{f} is empty");
        assert_eq!(first, second, "{f} differs between builds");
    }
}

#[test]
fn a_large_manifest_is_written_one_file_per_section() {
    let (book, _) = load_book(&fixture("reports-basic"), false);
    let parse = |b: &[u8]| -> serde_json::Value { serde_json::from_slice(b).expect("valid JSON") };
    let whole = wardbook::render::reports::manifest_files(&book, usize::MAX).expect("manifest");
    assert_eq!(whole.len(), 1, "a small manifest is one file");
    let one = parse(&whole[0].1);
    let files = wardbook::render::reports::manifest_files(&book, 100).expect("manifest");
    assert!(
        files.len() > 2,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let head = parse(&files[0].1);
    assert_eq!(files[0].0, "manifest.json");
    assert_eq!(head["format"], 2);
    assert!(head.get("guidelines").is_none());
    for key in ["title", "edition", "as_of", "counts", "drafts", "generator"] {
        assert_eq!(head[key], one[key], "{key}");
    }
    // The sections' files, in the order manifest.json lists them, hold every guideline once.
    let mut joined = Vec::new();
    for part in head["parts"].as_array().expect("parts") {
        let name = part["file"].as_str().expect("file");
        let (_, bytes) = files.iter().find(|f| f.0 == name).expect(name);
        let sec = parse(bytes);
        assert_eq!(sec["section"], part["section"]);
        let gs = sec["guidelines"].as_array().expect("guidelines");
        assert_eq!(part["count"], gs.len());
        assert!(gs.iter().all(|g| g["section"] == part["section"]));
        joined.extend(gs.iter().cloned());
    }
    assert_eq!(&joined, one["guidelines"].as_array().expect("guidelines"));
    assert_eq!(
        files.len(),
        head["parts"].as_array().expect("parts").len() + 1
    );
}
