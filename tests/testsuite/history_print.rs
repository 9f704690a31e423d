//! The change list as readers see it: `changes.html` ("Changes since <previous edition>") and
//! the printed book's "Changes in this edition" chapter, from a book whose change list is given
//! as plain data. The page links each guideline's page in the build, shows old → new versions
//! and every changed number exactly as written (the arrow read as "changed to"), says "None." for
//! an empty list, and is neither made nor linked without a previous edition; the chapter (read
//! back with pdftotext) has its own contents entry and the page each updated guideline starts on.

use crate::harness::*;
use std::path::PathBuf;
use std::sync::Arc;
use wardbook::compare::{Comparison, NumberChange};
use wardbook::content::Book;
use wardbook::history::{
    BookHistory, ChangeList, Commit, Edition, Entry, History, Moved, Replacement, Step, Updated,
    Withdrawal,
};

const CONFIG: &str = "[book]\ntitle = \"Changes Book\"\nedition = \"2026-27\"\n\
[[sections]]\nslug = \"respiratory\"\ntitle = \"Respiratory\"\n\
[[sections]]\nslug = \"cardiac\"\ntitle = \"Cardiac\"\n\
[[networks]]\nslug = \"resp\"\nname = \"Respiratory Network\"\ncontact = \"mailto:resp@example.org\"\n";

/// A guideline file: `title`, in `section`, with `version`, `status` and `body`.
fn guideline(title: &str, section: &str, version: &str, status: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nsection: {section}\nnetwork: Respiratory Network\n\
         review_date: 2030-01-01\nversion: \"{version}\"\nstatus: {status}\n---\n\n{body}\n"
    )
}

/// A book of four guidelines: Croup (updated, long enough to start a few pages in), Bronchiolitis
/// (new), Old asthma (withdrawn) and Heart murmur (moved).
fn book_test() -> BookTest {
    let long: String = (1..=60)
        .map(|i| format!("## Part {i}\n\nObserve for 24 hours and give 0.15 mg/kg.\n\n"))
        .collect();
    BookTest::empty()
        .file("book.toml", CONFIG)
        .file(
            "guidelines/resp/bronchiolitis.md",
            guideline("Bronchiolitis", "Respiratory", "1.0", "current", &long),
        )
        .file(
            "guidelines/resp/croup.md",
            guideline(
                "Croup",
                "Respiratory",
                "3.0",
                "current",
                "## Treatment\n\nObserve for 48 hours.",
            ),
        )
        .file(
            "guidelines/resp/old-asthma.md",
            guideline(
                "Old asthma",
                "Respiratory",
                "4.1",
                "withdrawn",
                "Withdrawn.",
            ),
        )
        .file(
            "guidelines/cardiac/murmur.md",
            guideline("Heart murmur", "Cardiac", "1.2", "current", "Listen."),
        )
}

fn date(s: &str) -> jiff::civil::Date {
    s.parse().expect("date")
}

/// The previous edition, `edition-2024-26` of 3 March 2025.
fn history() -> History {
    History {
        tip: Commit {
            id: "b".repeat(40),
            date: date("2026-11-01"),
        },
        files: Vec::new(),
        previous: Some(Edition {
            label: "edition-2024-26".into(),
            commit: Commit {
                id: "a".repeat(40),
                date: date("2025-03-03"),
            },
            files: Vec::new(),
        }),
        passed_over: Vec::new(),
    }
}

fn entry(source: &str, title: &str, version: Option<&str>) -> Entry {
    Entry {
        source: PathBuf::from(source),
        title: title.into(),
        version: version.map(Into::into),
        withdrawal: None,
    }
}

fn number(section: &str, old: Option<&str>, new: Option<&str>) -> NumberChange {
    NumberChange {
        context: vec![section.into()],
        old: old.map(Into::into),
        new: new.map(Into::into),
        block: 0,
        with_block: false,
    }
}

/// One of each kind of change; numbers with characters HTML and Typst treat specially.
fn changes() -> ChangeList {
    ChangeList {
        new: vec![entry(
            "guidelines/resp/bronchiolitis.md",
            "Bronchiolitis",
            Some("1.0"),
        )],
        updated: vec![Updated {
            source: PathBuf::from("guidelines/resp/croup.md"),
            title: "Croup".into(),
            old_version: Some("2.3".into()),
            new_version: Some("3.0".into()),
            change_summary: Some("Observation extended to 48 hours after dexamethasone.".into()),
            sections: vec!["Treatment".into(), "Discharge".into()],
            text: Comparison {
                // A changed paragraph and one changed in form only, for the redline.
                blocks: wardbook::compare::compare(
                    "## Treatment\n\nObserve for 24 hours.\n\nGive 25mg.\n",
                    "## Treatment\n\nObserve for 48 hours after dexamethasone.\n\nGive 25 mg.\n",
                )
                .blocks,
                numbers: vec![
                    number("Treatment", Some("24 hours"), Some("48 hours")),
                    number("Treatment", Some("<5 kg"), Some("≤ 5 kg")),
                    number("Discharge", None, Some("0.15 mg/kg")),
                    number("Discharge", Some("SpO2 92%"), None),
                ],
            },
            versions: vec![
                Step {
                    version: "2.4".into(),
                    amended: false,
                    date: Some(date("2025-09-01")),
                    change_summary: Some("Dexamethasone 0.15 mg/kg once.".into()),
                    approved_by: Some("Respiratory group".into()),
                    approved_date: Some("2025-08-20".into()),
                },
                Step {
                    version: "3.0".into(),
                    amended: false,
                    date: Some(date("2026-10-01")),
                    change_summary: Some(
                        "Observation extended to 48 hours after dexamethasone.".into(),
                    ),
                    approved_by: None,
                    approved_date: None,
                },
            ],
            moved: None,
        }],
        withdrawn: vec![
            Entry {
                withdrawal: Some(Withdrawal {
                    reason: Some("Withdrawn: covered by the cardiac pathway.".into()),
                    approved_by: Some("Cardiac network".into()),
                    approved_date: Some("2026-09-30".into()),
                    date: Some(date("2026-10-02")),
                    replaced_by: Some(Replacement {
                        source: PathBuf::from("guidelines/cardiac/murmur.md"),
                        title: "Heart murmur".into(),
                    }),
                }),
                ..entry("guidelines/resp/old-asthma.md", "Old asthma", Some("4.1"))
            },
            entry("guidelines/resp/gone.md", "Removed pathway", Some("1.0")),
        ],
        moved: vec![Moved {
            source: PathBuf::from("guidelines/cardiac/murmur.md"),
            old_source: PathBuf::from("guidelines/resp/murmur.md"),
            title: "Heart murmur".into(),
            from_section: Some("Respiratory".into()),
            to_section: Some("Cardiac".into()),
            old_page: Some("resp/murmur.html".into()),
        }],
    }
}

/// A book and what its history adds.
type WithHistory = (Book, Option<BookHistory>);

/// `t`'s book with `changes` since the previous edition (none: no history at all).
fn book_with(t: &BookTest, changes: Option<ChangeList>) -> WithHistory {
    let (book, diags) = load_book(&t.root(), false);
    assert!(diags.is_empty(), "{}", render_text(&diags));
    let history = changes.map(|c| BookHistory {
        history: Arc::new(history()),
        changes: Some(Arc::new(c)),
        cached: false,
    });
    (book, history)
}

/// The book rendered in memory (with the PDF when `pdf`), which must have no problems.
fn render((book, history): &WithHistory, pdf: bool) -> wardbook::output::Output {
    let r =
        wardbook::render::render(book, history.as_ref(), &options(false, pdf)).expect("renders");
    assert!(r.diags.is_empty(), "{}", render_text(&r.diags));
    r.output
}

fn page(out: &wardbook::output::Output, path: &str) -> String {
    text(out.get(path).unwrap_or_else(|| panic!("{path} not built")))
}

/// The text of an HTML fragment, tags removed and whitespace collapsed (entities left as they
/// are, so that an escaped `<` shows as `&lt;`).
fn words(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The part of `html` from the element with `id` to the end of its `<section>`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let end = html[start..].find("</section>").expect("section ends") + start;
    &html[start..end]
}

#[test]
fn changes_page_lists_every_kind_of_change_with_links() {
    let t = book_test();
    let out = render(&book_with(&t, Some(changes())), false);
    let html = page(&out, "changes.html");
    assert!(
        html.contains("<h1>Changes since edition-2024-26</h1>"),
        "{html}"
    );
    assert!(html.contains("<time datetime=\"2025-03-03\">3 March 2025</time>"));

    let new = section(&html, "changes-new");
    assert!(new.contains("<a href=\"respiratory/bronchiolitis.html\">Bronchiolitis</a>"));

    let updated = section(&html, "changes-updated");
    assert!(
        updated.contains("<a href=\"respiratory/croup.html\">Croup</a>"),
        "{updated}"
    );
    let text = words(updated);
    assert!(text.contains("Version 2.3 → changed to 3.0"), "{text}");
    assert!(text.contains("Observation extended to 48 hours after dexamethasone."));
    assert!(
        text.contains("Sections whose text changed: Treatment Discharge"),
        "{text}"
    );
    // Every number exactly as given, old → new; the arrow is hidden from screen readers, which
    // read "changed to" instead.
    assert!(
        text.contains("Treatment: 24 hours → changed to 48 hours"),
        "{text}"
    );
    assert!(
        text.contains("Treatment: &lt;5 kg → changed to ≤ 5 kg"),
        "{text}"
    );
    assert!(text.contains("Discharge: 0.15 mg/kg (added)"), "{text}");
    assert!(text.contains("Discharge: SpO2 92% (removed)"), "{text}");
    assert!(updated.contains(
        "<span class=\"change-arrow\" aria-hidden=\"true\">→</span><span class=\"visually-hidden\">changed to</span>"
    ));
    // Every version since the previous edition, oldest first, each with its date, summary and
    // approval.
    assert!(
        text.contains("Versions since edition-2024-26, oldest first: 2.4 , 1 September 2025 : Dexamethasone 0.15 mg/kg once. (approved by Respiratory group on 2025-08-20) 3.0 , 1 October 2026 : Observation extended to 48 hours after dexamethasone."),
        "{text}"
    );
    assert!(updated.contains("<time datetime=\"2025-09-01\">1 September 2025</time>"));

    // A withdrawn guideline still in the book links its page (the withdrawal notice); a removed
    // one has no page to link.
    let withdrawn = section(&html, "changes-withdrawn");
    assert!(withdrawn.contains("<a href=\"respiratory/old-asthma.html\">Old asthma</a>"));
    let text = words(withdrawn);
    assert!(
        text.contains("Old asthma , version 4.1 (withdrawn)"),
        "{text}"
    );
    assert!(
        text.contains("Removed pathway, version 1.0 (removed from the book)"),
        "{text}"
    );
    assert!(!withdrawn.contains("gone.html"));
    // Its reason, approval and date, and a link to the guideline that replaces it.
    assert!(
        text.contains("Withdrawn: covered by the cardiac pathway. Approved by Cardiac network on 2026-09-30; withdrawn on 2 October 2026 . Use instead: Heart murmur"),
        "{text}"
    );
    assert!(withdrawn.contains(
        "<p class=\"replaced-by\">Use instead: <a href=\"cardiac/murmur.html\">Heart murmur</a></p>"
    ));

    let moved = section(&html, "changes-moved");
    assert!(moved.contains("<a href=\"cardiac/murmur.html\">Heart murmur</a>"));
    assert!(
        words(moved)
            .contains("guidelines/resp/murmur.md → changed to guidelines/cardiac/murmur.md")
    );
    assert!(
        words(moved).contains("Heart murmur : Moved from Respiratory to Cardiac (file guidelines/resp/murmur.md → changed to guidelines/cardiac/murmur.md ) ; its old address resp/murmur.html still leads to it."),
        "{}",
        words(moved)
    );

    // Every link of the page leads to a page of the build.
    for part in html.split("href=\"").skip(1) {
        let target = &part[..part.find('"').expect("quoted")];
        let path = target.split('#').next().expect("path");
        if !path.is_empty() && !path.starts_with("http") {
            assert!(
                out.get(path).is_some(),
                "changes.html links {target}, not built"
            );
        }
    }
    // The home page links it.
    assert!(
        page(&out, "index.html")
            .contains("<a href=\"changes.html\">Changes since edition-2024-26</a>")
    );
}

#[test]
fn empty_lists_say_none() {
    let t = book_test();
    let out = render(&book_with(&t, Some(ChangeList::default())), false);
    let html = page(&out, "changes.html");
    for id in [
        "changes-new",
        "changes-updated",
        "changes-withdrawn",
        "changes-moved",
    ] {
        assert!(words(section(&html, id)).ends_with("None."), "{id}: {html}");
    }
}

#[test]
fn without_a_previous_edition_there_is_no_changes_page_or_link() {
    let t = book_test();
    let out = render(&book_with(&t, None), false);
    assert!(out.get("changes.html").is_none());
    assert!(!page(&out, "index.html").contains("changes.html"));
    // History without a previous edition: still none.
    let (book, _) = book_with(&t, None);
    let mut h = history();
    h.previous = None;
    let out = render(&(book, Some(BookHistory::new(h))), false);
    assert!(out.get("changes.html").is_none());
    assert!(!page(&out, "index.html").contains("changes.html"));
}

#[test]
fn changes_page_is_the_same_bytes_every_time_and_matches_its_snapshot() {
    let t = book_test();
    let book = book_with(&t, Some(changes()));
    let first = page(&render(&book, false), "changes.html");
    assert_eq!(first, page(&render(&book, false), "changes.html"));
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s.set_description("changes.html of a book with one change of each kind");
    s.bind(|| insta::assert_snapshot!("page-changes", first));
}

#[cfg(feature = "pdf")]
mod print {
    use super::*;

    /// The PDF's pages as text (pdftotext), whitespace collapsed.
    fn pdf_pages(book: &WithHistory) -> Vec<String> {
        let out = render(book, true);
        let bytes = out.get(&book.0.config.print.filename).expect("pdf built");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("book.pdf");
        std::fs::write(&path, bytes).expect("write pdf");
        let text = poppler("pdftotext", &[path.to_str().expect("path"), "-"]);
        text.split('\u{c}')
            .map(|p| {
                p.replace('\u{2060}', "")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The page numbers written after `title` on `page`, dot leaders skipped.
    fn page_after(page: &str, title: &str) -> Option<usize> {
        let at = page.find(title)? + title.len();
        page[at..]
            .split_whitespace()
            .find(|w| !w.chars().all(|c| c == '.'))
            .and_then(|w| w.parse().ok())
    }

    #[test]
    fn printed_book_has_a_changes_chapter_with_page_numbers() {
        let t = book_test();
        let pages = pdf_pages(&book_with(&t, Some(changes())));
        let chapter = pages
            .iter()
            .position(|p| p.starts_with("Changes in this edition"))
            .unwrap_or_else(|| panic!("no chapter: {pages:#?}"));
        let contents = pages
            .iter()
            .position(|p| p.starts_with("Contents"))
            .expect("contents");
        assert!(contents < chapter, "the chapter follows the contents");
        let first_section = pages
            .iter()
            .position(|p| p.contains("Section 1"))
            .expect("a section opener");
        assert!(
            chapter < first_section,
            "the chapter comes before the first section"
        );
        // The contents list the chapter with its page.
        assert_eq!(
            page_after(&pages[contents], "Changes in this edition"),
            Some(chapter + 1),
            "{}",
            pages[contents]
        );

        let text = pages[chapter..first_section].join(" ");
        assert!(text.contains("Version 2.3 → 3.0"), "{text}");
        assert!(text.contains("Treatment: 24 hours → 48 hours"), "{text}");
        assert!(text.contains("Treatment: <5 kg → ≤ 5 kg"), "{text}");
        assert!(text.contains("Discharge: 0.15 mg/kg (added)"), "{text}");
        assert!(text.contains("Discharge: SpO2 92% (removed)"), "{text}");
        // The guidelines whose numbers changed come first; then each changed block, old and new.
        assert!(
            text.contains("Numbers changed in 1 guideline: Croup"),
            "{text}"
        );
        assert!(text.contains("Treatment (paragraph, changed)"), "{text}");
        assert!(text.contains("Old: Observe for 24 hours."), "{text}");
        assert!(
            text.contains("New: Observe for 48 hours after dexamethasone."),
            "{text}"
        );
        assert!(text.contains("Changed in form only"), "{text}");
        assert!(text.contains("Old: Give 25mg. New: Give 25 mg."), "{text}");
        assert!(text.contains("Old asthma"), "{text}");
        assert!(text.contains("Removed pathway"), "{text}");
        // Each printed guideline's page is the page it starts on (its control block); the
        // withdrawn ones have none. Croup comes after Bronchiolitis, which is several pages long.
        // Every version since the previous edition, oldest first, with date and approval.
        assert!(
            text.contains("Versions since edition-2024-26: 1. 2.4, 1 September 2025: Dexamethasone 0.15 mg/kg once. (approved by Respiratory group on 2025-08-20) 2. 3.0, 1 October 2026: Observation extended"),
            "{text}"
        );
        // A withdrawal: its reason, approval and date, and the guideline to use instead.
        assert!(
            text.contains("Withdrawn: covered by the cardiac pathway. Approved by Cardiac network on 2026-09-30; withdrawn on 2 October 2026. Use instead: Heart murmur (page "),
            "{text}"
        );
        assert!(
            text.contains("Moved from Respiratory to Cardiac; its old web address resp/murmur.html still leads to it. File guidelines/resp/murmur.md → guidelines/cardiac/murmur.md."),
            "{text}"
        );
        let murmur_page = text
            .split("Use instead: Heart murmur (page ")
            .nth(1)
            .and_then(|t| t.split(')').next())
            .and_then(|n| n.parse::<usize>().ok())
            .expect("the replacement's page");
        for title in ["Croup", "Bronchiolitis", "Heart murmur"] {
            // The moved guideline's row is in the list of moves (the withdrawal names it first).
            let hay = match title {
                "Heart murmur" => &text[text.rfind("Moved Heart murmur").expect("moved")..],
                _ => text.as_str(),
            };
            let n = page_after(hay, title).unwrap_or_else(|| panic!("no page for {title}: {text}"));
            if title == "Heart murmur" {
                assert_eq!(n, murmur_page, "the replacement's page is the guideline's");
            }
            let start = pages
                .iter()
                .position(|p| p.contains(&format!("{title} Owning network")))
                .unwrap_or_else(|| panic!("{title} not printed"));
            assert_eq!(n, start + 1, "{title}");
            assert!(pages[start].contains(&format!("Page {n}")));
        }
        assert!(page_after(&text, "Croup").expect("croup") > 5);
        let withdrawn = &text[text.find("Withdrawn").expect("withdrawn list")..];
        assert!(withdrawn.contains("Old asthma"));
        assert!(
            withdrawn
                .split("Old asthma")
                .nth(1)
                .expect("after")
                .trim_start_matches([' ', '.'])
                .starts_with("withdrawn"),
            "{withdrawn}"
        );
    }

    /// Text that means something to Typst (markup, code, labels, escapes) in every field.
    const NASTY: [&str; 6] = [
        "#set page(width: 1cm) ]) \" \\ // <g0> @x",
        "$x$ *b* _i_ = -1 -- `c`",
        "){ #panic(\"no\") }",
        "[#box[a]] <wb-changes>",
        "50 mg/kg ≥ 92% (max 4 g)",
        "\\\" \\n",
    ];

    #[test]
    fn any_text_in_the_change_list_prints_exactly_as_written() {
        let t = book_test();
        let mut c = changes();
        let u = &mut c.updated[0];
        u.title = format!("Croup {}", NASTY[0]);
        u.old_version = Some(NASTY[1].into());
        u.change_summary = Some(NASTY[2].into());
        u.sections = vec![NASTY[3].into()];
        u.text.numbers = vec![number(NASTY[3], Some(NASTY[4]), Some(NASTY[5]))];
        c.new[0].title = NASTY[5].into();
        c.withdrawn[1].title = NASTY[2].into();
        c.moved[0].old_source = PathBuf::from(NASTY[1]);
        let mut book = book_with(&t, Some(c));
        let mut h = history();
        h.previous.as_mut().expect("previous").label = NASTY[0].into();
        book.1.as_mut().expect("history").history = Arc::new(h);
        let text = pdf_pages(&book).join(" ");
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in NASTY {
            assert!(
                text.contains(&norm(s)),
                "{s:?} not printed as written: {text}"
            );
        }
        assert!(
            text.contains(&norm(&format!("{} → {}", NASTY[4], NASTY[5]))),
            "{text}"
        );
    }

    #[test]
    fn printed_book_without_a_previous_edition_has_no_changes_chapter() {
        let t = book_test();
        let pages = pdf_pages(&book_with(&t, None));
        let all = pages.join(" ");
        assert!(!all.contains("Changes in this edition"), "{all}");
        assert!(!all.contains("since edition"), "{all}");
    }
}

/// The same page and chapter from a repository made in the test: the change list computed by
/// the build from the book's git history since the tagged previous edition.
mod end_to_end {
    use super::*;
    use crate::git::GitRepo;

    const TOML: &str = "\n[history]\nprevious_edition = \"edition-2024-26\"\n";

    /// Croup 2.2 (observe for 1 hour), a murmur guideline under resp/ and a current asthma
    /// guideline, tagged `edition-2024-26` on 16 September 2024; then Croup 3.0 (2 hours), a new
    /// Bronchiolitis, asthma withdrawn and the murmur file moved, on 2 June 2025.
    fn repository() -> (tempfile::TempDir, BookTest) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let repo = GitRepo::init(&tmp.path().join("book"));
        let croup = |v: &str, hours: &str| {
            guideline(
                "Croup",
                "Respiratory",
                v,
                "current",
                &format!("## Treatment\n\nObserve for {hours}."),
            )
        };
        repo.write("book.toml", format!("{CONFIG}{TOML}"))
            .write("guidelines/resp/croup.md", croup("2.2", "1 hour"))
            .write(
                "guidelines/resp/murmur.md",
                guideline("Heart murmur", "Cardiac", "1.2", "current", "Listen."),
            )
            .write(
                "guidelines/resp/old-asthma.md",
                guideline("Old asthma", "Respiratory", "4.1", "current", "Text."),
            );
        repo.commit("2024-09-16", "Edition 2024-26");
        repo.tag("edition-2024-26");
        let summary = "change_summary: Observation extended to 2 hours.\nreview_date:";
        repo.write(
            "guidelines/resp/croup.md",
            croup("3.0", "2 hours").replacen("review_date:", summary, 1),
        )
        .write(
            "guidelines/resp/bronchiolitis.md",
            guideline("Bronchiolitis", "Respiratory", "1.0", "current", "New."),
        )
        .write(
            "guidelines/resp/old-asthma.md",
            guideline(
                "Old asthma",
                "Respiratory",
                "4.2",
                "withdrawn",
                "Withdrawn.",
            ),
        )
        .mv("guidelines/resp/murmur.md", "guidelines/cardiac/murmur.md");
        repo.commit("2025-06-02", "Croup 3.0 and other changes");
        let book = BookTest::at(repo.dir().to_path_buf());
        (tmp, book)
    }

    /// A draft in the repository is left out of this build; the archive must neither list it
    /// nor fail on a file of history that is not a guideline of the build.
    #[test]
    fn a_draft_in_the_repository_is_not_archived() {
        let (_tmp, t) = repository();
        let repo = GitRepo::init(&t.root());
        repo.write(
            "guidelines/resp/draft-sepsis.md",
            guideline("Draft sepsis", "Respiratory", "0.1", "draft", "Not yet."),
        );
        repo.commit("2025-07-01", "Draft sepsis guideline");
        let built = t.built();
        let archive = built.page("archive.html");
        assert!(archive.contains("Croup"), "{archive}");
        assert!(!archive.contains("Draft sepsis"), "{archive}");
    }

    #[test]
    fn changes_page_from_a_repository() {
        let (_tmp, t) = repository();
        let built = t.built();
        let html = built.page("changes.html");
        assert!(
            html.contains("<h1>Changes since edition-2024-26</h1>"),
            "{html}"
        );
        assert!(html.contains("<time datetime=\"2024-09-16\">16 September 2024</time>"));
        let text = words(section(&html, "changes-updated"));
        assert!(text.contains("Croup"), "{text}");
        assert!(text.contains("Version 2.2 → changed to 3.0"), "{text}");
        assert!(text.contains("Observation extended to 2 hours."), "{text}");
        assert!(text.contains("1 hour → changed to 2 hours"), "{text}");
        assert!(words(section(&html, "changes-new")).contains("Bronchiolitis"));
        assert!(words(section(&html, "changes-withdrawn")).contains("Old asthma"));
        let moved = section(&html, "changes-moved");
        assert!(
            moved.contains("<a href=\"cardiac/murmur.html\">Heart murmur</a>"),
            "{moved}"
        );
        assert!(built.page("index.html").contains("href=\"changes.html\""));
    }

    #[cfg(feature = "pdf")]
    #[test]
    fn changes_chapter_from_a_repository() {
        let (_tmp, t) = repository();
        let t = t.pdf(true);
        let (book, _) = load_book(&t.root(), false);
        let built = t.built();
        let bytes = built.output.get(&book.config.print.filename).expect("pdf");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("book.pdf");
        std::fs::write(&path, bytes).expect("write");
        let text = poppler("pdftotext", &[path.to_str().expect("path"), "-"]);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("Changes in this edition"), "{text}");
        assert!(text.contains("1 hour → 2 hours"), "{text}");
    }
}
