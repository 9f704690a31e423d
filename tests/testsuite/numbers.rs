//! No surface may create, drop or merge a number. A property test writes guidelines with numbers
//! on both sides of every kind of boundary Markdown has (paragraphs, nested list items, table
//! cells and rows, hard breaks, raw `<br>` and block HTML, block quotes, footnotes, headings,
//! label lines) and with units, ranges, decimals, thousands separators, `≥` and `–`, then checks
//! every surface the build derives from them: each number a surface shows is a number of the
//! source, and every number of the source is on the page and, when the build typeset it, in the
//! PDF. Surfaces: the page's text, the search data (snippet text), `print.html` and the PDF
//! (pdftotext).
//!
//! The oracle here is deliberately independent of the code under test: it reads numbers with
//! its own tokeniser and strips HTML with its own rules (block tags and `<br>` are line breaks,
//! as a browser shows them).

use crate::harness::*;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::process::Command;
use wardbook::diag::Severity;
use wardbook::{BuildError, Built};

/// The number tokens of `text`: runs of digits with `.` or `,` between digits ("1,000", "0.5").
fn numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || (matches!(chars[i], '.' | ',')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                    && chars[i - 1].is_ascii_digit()))
        {
            i += 1;
        }
        out.push(chars[start..i].iter().collect());
    }
    out
}

/// HTML as a reader sees it: tags that start or end a block, and `<br>`, are line breaks;
/// formatting tags vanish; superscripts stand apart; common entities decoded.
fn html_text(html: &str) -> String {
    const INLINE: &[&str] = &[
        "a", "abbr", "b", "code", "em", "i", "span", "strong", "del", "s", "mark", "small",
    ];
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let end = rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
        let tag = &rest[lt..end];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if !INLINE.contains(&name.as_str()) {
            out.push('\n');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}

/// The part of `html` from the element that opens with `open` to the end of the body text:
/// everything between `open` and `close`.
fn between<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html
        .find(open)
        .unwrap_or_else(|| panic!("{open} not found"));
    let rest = &html[start..];
    let end = rest.find(close).unwrap_or(rest.len());
    &rest[..end]
}

/// One piece of a generated guideline: Markdown with numbers around one kind of boundary.
#[derive(Debug, Clone)]
enum Piece {
    Paragraphs(String, String),
    NestedList(String, String),
    ItemThenList(String, String),
    HardBreakSpaces(String, String),
    HardBreakBackslash(String, String),
    RawBr(String, String),
    BlockHtml(String, String),
    BlockQuote(String, String),
    Footnote(String),
    Heading(String, String),
    LabelLines(String, String),
    Table(Vec<String>, Vec<Vec<String>>),
}

fn quantity() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        (0u32..200).prop_map(|n| n.to_string()),
        (0u32..100, 1u32..10).prop_map(|(a, b)| format!("{a}.{b}")),
        (1u32..20, 0u32..1000).prop_map(|(a, b)| format!("{a},{b:03}")),
        (1u32..50, 1u32..50).prop_map(|(a, b)| format!("{a}–{}", a + b)),
        (1u32..50, 1u32..50).prop_map(|(a, b)| format!("{a} to {}", a + b)),
        (0u32..100).prop_map(|n| format!("≥ {n}")),
        (0u32..100).prop_map(|n| format!("<{n}")),
    ];
    let unit = prop_oneof![
        Just(""),
        Just(" mg"),
        Just(" mg/kg"),
        Just(" mL"),
        Just(" mL/hour"),
        Just("%"),
        Just(" hours"),
        Just(" kg"),
    ];
    (number, unit).prop_map(|(n, u)| format!("{n}{u}"))
}

fn piece() -> impl Strategy<Value = Piece> {
    let two = || (quantity(), quantity());
    prop_oneof![
        two().prop_map(|(a, b)| Piece::Paragraphs(a, b)),
        two().prop_map(|(a, b)| Piece::NestedList(a, b)),
        two().prop_map(|(a, b)| Piece::ItemThenList(a, b)),
        two().prop_map(|(a, b)| Piece::HardBreakSpaces(a, b)),
        two().prop_map(|(a, b)| Piece::HardBreakBackslash(a, b)),
        two().prop_map(|(a, b)| Piece::RawBr(a, b)),
        two().prop_map(|(a, b)| Piece::BlockHtml(a, b)),
        two().prop_map(|(a, b)| Piece::BlockQuote(a, b)),
        quantity().prop_map(Piece::Footnote),
        two().prop_map(|(a, b)| Piece::Heading(a, b)),
        two().prop_map(|(a, b)| Piece::LabelLines(a, b)),
        (2usize..=30)
            .prop_flat_map(|cols| {
                (
                    prop::collection::vec(quantity(), cols),
                    prop::collection::vec(prop::collection::vec(quantity(), cols), 1..4),
                )
            })
            .prop_map(|(head, rows)| Piece::Table(head, rows)),
    ]
}

impl Piece {
    fn markdown(&self, n: usize) -> String {
        match self {
            Piece::Paragraphs(a, b) => format!("Weight {a}\n\n{b} twice daily"),
            Piece::NestedList(a, b) => format!("- Weight {a}\n  - {b} twice daily"),
            Piece::ItemThenList(a, b) => format!("- Age {a}\n  - Loading dose\n- {b}"),
            Piece::HardBreakSpaces(a, b) => format!("Give {a}  \n{b} then"),
            Piece::HardBreakBackslash(a, b) => format!("Give {a}\\\n{b} then"),
            Piece::RawBr(a, b) => format!("Give {a}<br>{b} then"),
            Piece::BlockHtml(a, b) => format!("<div>{a}</div><div>{b}</div>"),
            Piece::BlockQuote(a, b) => format!("> Dose {a}\n>\n> {b}\n\nAfter {a}"),
            Piece::Footnote(a) => format!("See the note[^{n}].\n\n[^{n}]: {a}"),
            Piece::Heading(a, b) => format!("## Step {a}\n\n{b} then"),
            Piece::LabelLines(a, b) => format!("Weight:\n{a}\nDose:\n{b}"),
            Piece::Table(head, rows) => {
                let line = |cells: &[String]| format!("| {} |", cells.join(" | "));
                let mut t = vec![line(head), format!("|{}", "---|".repeat(head.len()))];
                t.extend(rows.iter().map(|r| line(r)));
                t.join("\n")
            }
        }
    }
}

const FRONT: &str =
    "---\ntitle: \"Numbers check\"\nsection: Tests\nnetwork: net\nreview_date: 2099-01-01\n---\n";

/// A one-guideline book with `body` as the guideline's text.
fn book(body: &str) -> BookTest {
    BookTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"Numbers book\"\n\n[[sections]]\nslug = \"tests\"\ntitle = \"Tests\"\n\n\
             [[networks]]\nslug = \"net\"\nname = \"Test network\"\ncontact = \"mailto:net@example.org\"\n",
        )
        .file("guidelines/check.md", format!("{FRONT}{body}\n"))
}

/// The text the search shows from its document chunks: heading texts and snippet sentences.
/// A chunk is a list of `[headings, sentences]`; a heading is `"text"` or `["text", "id"]`
/// (an id is a URL fragment, not text a reader is shown), sentences alternate heading number
/// and text.
fn search_strings(built: &Built) -> String {
    let mut all = String::new();
    for name in built.output.files.keys() {
        if !(name.starts_with("search/docs-") && name.ends_with(".js")) {
            continue;
        }
        let js = built.page(name);
        let data = js
            .find('[')
            .and_then(|s| js.rfind(']').map(|e| &js[s..=e]))
            .expect("a JSON array in the chunk");
        let docs: Vec<(Vec<serde_json::Value>, Vec<serde_json::Value>)> =
            serde_json::from_str(data).expect("chunk JSON: [[headings, sentences], …]");
        for (headings, sentences) in docs {
            for h in headings {
                let text = match &h {
                    serde_json::Value::Array(pair) => pair[0].as_str(),
                    other => other.as_str(),
                };
                all.push_str(text.expect("a heading's text"));
                all.push('\n');
            }
            for s in sentences.iter().filter_map(|v| v.as_str()) {
                all.push_str(s);
                all.push('\n');
            }
        }
    }
    assert!(!all.is_empty(), "the search data holds no text");
    all
}

/// The PDF's text from the guideline's first words to the end of the page of its last.
fn pdf_text(built: &Built) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = built
        .output
        .files
        .keys()
        .find(|n| n.ends_with(".pdf"))
        .expect("a PDF")
        .to_string();
    let path = dir.path().join("book.pdf");
    std::fs::write(&path, built.output.get(&name).expect("pdf")).expect("write pdf");
    let out = Command::new("pdftotext")
        .args([path.to_str().expect("path"), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/system-deps.sh");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let start = text.find(OPENING).expect("the guideline's opening words");
    let closing = text.rfind(CLOSING).expect("the guideline's closing words");
    // Footnotes print at the foot of the page the closing words are on.
    let end = text[closing..]
        .find('\u{c}')
        .map_or(text.len(), |e| closing + e);
    // Running heads and footers between pages carry page numbers: keep the body's lines only.
    text[start..end]
        .split('\u{c}')
        .map(page_body)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A page's text without its running head (first line) and footer (last lines), which the
/// first page of the guideline's text does not have above its opening words.
fn page_body(page: &str) -> String {
    let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
    let keep = |l: &&str| !FOOTER_MARKERS.iter().any(|m| l.contains(m));
    lines
        .into_iter()
        .filter(keep)
        .collect::<Vec<_>>()
        .join("\n")
}

const OPENING: &str = "Opening words";
const CLOSING: &str = "Closing words";
/// Words of the running heads and footers (page furniture, not guideline text).
const FOOTER_MARKERS: &[&str] = &[
    "Numbers book",
    "Numbers check",
    "Page ",
    "Uncontrolled",
    "Published ",
];

fn assert_subset(surface: &str, shown: &[String], source: &BTreeSet<String>, body: &str) {
    for n in shown {
        assert!(
            source.contains(n),
            "{surface} shows the number {n:?}, which is in no source line\n--- source ---\n{body}"
        );
    }
}

fn assert_all_shown(surface: &str, shown: &[String], source: &BTreeSet<String>, body: &str) {
    let shown: BTreeSet<&String> = shown.iter().collect();
    for n in source {
        assert!(
            shown.contains(n),
            "{surface} drops the number {n:?}\n--- source ---\n{body}"
        );
    }
}

fn check(pieces: &[Piece]) {
    // Footnotes are labelled with the numbers the page shows for them (1, 2… in order), so that
    // a footnote mark is a number of the source.
    let mut footnotes = 0;
    let parts: Vec<String> = pieces
        .iter()
        .map(|p| {
            if matches!(p, Piece::Footnote(_)) {
                footnotes += 1;
            }
            p.markdown(footnotes)
        })
        .collect();
    let body = format!(
        "{OPENING} here.\n\n{}\n\n{CLOSING} here.",
        parts.join("\n\n")
    );
    let source: BTreeSet<String> = numbers(&body).into_iter().collect();
    let book = book(&body);
    let site = book
        .build()
        .unwrap_or_else(|e| panic!("site build: {e:?}\n{body}"));
    let page = site.page("tests/check.html");
    let page = html_text(between(
        &page,
        "<div class=\"guideline-body\">",
        "<div class=\"review-dates\"",
    ));
    let shown = numbers(&page);
    assert_subset("the page", &shown, &source, &body);
    assert_all_shown("the page", &shown, &source, &body);

    let search = search_strings(&site);
    assert_subset("the search data", &numbers(&search), &source, &body);

    let print = site.page("print.html");
    let print = html_text(between(&print, OPENING, CLOSING));
    assert_subset("print.html", &numbers(&print), &source, &body);
    assert_all_shown("print.html", &numbers(&print), &source, &body);

    match book.pdf(true).build() {
        Ok(book) => {
            let pdf = pdf_text(&book);
            assert_subset("the PDF", &numbers(&pdf), &source, &body);
            assert_all_shown("the PDF", &numbers(&pdf), &source, &body);
        }
        Err(BuildError::Problems(diags)) => {
            let other: Vec<_> = diags
                .iter()
                .filter(|d| d.severity == Severity::Error && d.rule != "print-overflow")
                .collect();
            assert!(other.is_empty(), "the PDF build failed: {other:?}\n{body}");
        }
        Err(e) => panic!("the PDF build could not run: {e:?}"),
    }
}

proptest! {
    // Each case builds the site and typesets the PDF: a few dozen cases find a merged boundary
    // (every kind is drawn with the same weight, several per case).
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]
    #[test]
    fn no_surface_creates_drops_or_merges_a_number(
        pieces in prop::collection::vec(piece(), 1..6)
    ) {
        check(&pieces);
    }
}

#[test]
fn the_reported_cases_keep_their_numbers() {
    // The two ways a snippet once read a tenfold dose, and a list item before its nested list.
    check(&[Piece::NestedList("1".into(), "2 mg/kg".into())]);
    check(&[Piece::RawBr("1".into(), "5 mL".into())]);
    check(&[Piece::ItemThenList("< 3 month".into(), "4".into())]);
}

#[test]
fn the_oracle_reads_numbers_as_a_clinician_does() {
    assert_eq!(
        numbers("1,000 mL, 0.5 mg. 2–4 ≥ 5 v2.3 1."),
        ["1,000", "0.5", "2", "4", "5", "2.3", "1"]
    );
    assert_eq!(html_text("<li>Weight 1<ul><li>2 mg"), "\nWeight 1\n\n2 mg");
}
