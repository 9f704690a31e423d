//! The printed book, read back with poppler (pdftotext, pdfinfo, pdffonts, pdftohtml): the
//! sample book's PDF has every guideline, a contents whose page numbers are the pages guidelines
//! start on, running heads and footers on every page, "Review overdue" where due, no drafts or
//! withdrawn guidelines, embedded fonts and identical bytes on a second build; a contents tagged
//! as nested lists; an index whose synonyms point at the pages of the guidelines they stand for
//! and never at a draft or withdrawn one; a fixture full of Typst-special characters and doses
//! comes out character for character.

use crate::harness::{self, *};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use wardbook::content::{Book, ReviewStatus, Status};
use wardbook::{BuildError, Built};

const NOTICE: &str = "Uncontrolled when printed - check";

fn build(root: &Path, drafts: bool) -> Result<Built, BuildError> {
    wardbook::build(root, &options(drafts, true))
}

fn load_book(root: &Path, drafts: bool) -> Book {
    harness::load_book(root, drafts).0
}

/// A PDF written to a temporary folder, with its pages' text.
struct Pdf {
    _dir: tempfile::TempDir,
    path: PathBuf,
    bytes: Vec<u8>,
    /// pdftotext of each page, whitespace collapsed to single spaces.
    pages: Vec<String>,
}

impl Pdf {
    fn of(built: &Built, name: &str) -> Pdf {
        let bytes = built
            .output
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in the output"))
            .to_vec();
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).expect("write pdf");
        let text = tool("pdftotext", &[path.to_str().expect("path"), "-"]);
        let mut pages: Vec<String> = text.split('\u{c}').map(norm).collect();
        if pages.last().is_some_and(String::is_empty) {
            pages.pop();
        }
        Pdf {
            _dir: dir,
            path,
            bytes,
            pages,
        }
    }

    fn all_text(&self) -> String {
        self.pages.join(" ")
    }

    fn tool(&self, name: &str, args: &[&str]) -> String {
        let mut all: Vec<&str> = args.to_vec();
        all.push(self.path.to_str().expect("path"));
        if name == "pdftotext" {
            all.push("-");
        }
        tool(name, &all)
    }
}

/// Runs a poppler tool (see [`crate::harness::poppler`]).
fn tool(name: &str, args: &[&str]) -> String {
    crate::harness::poppler(name, args)
}

/// Whitespace collapsed; the word joiner typst puts before outline page numbers removed.
fn norm(s: &str) -> String {
    s.replace('\u{2060}', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn sample() -> &'static (Book, Pdf) {
    static SAMPLE: OnceLock<(Book, Pdf)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let root = sample_root();
        let built = build(&root, false).unwrap_or_else(|e| panic!("sample build failed: {e:?}"));
        let book = load_book(&root, false);
        let pdf = Pdf::of(&built, &book.config.print.filename);
        (book, pdf)
    })
}

/// The sample book built with `--drafts` (the website publishes drafts; the book must not).
fn sample_with_drafts() -> &'static (Book, Pdf) {
    static SAMPLE: OnceLock<(Book, Pdf)> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let root = sample_root();
        let built = build(&root, true).unwrap_or_else(|e| panic!("drafts build failed: {e:?}"));
        let book = load_book(&root, true);
        let pdf = Pdf::of(&built, &book.config.print.filename);
        (book, pdf)
    })
}

/// Contents entries (title → printed page number), read from the raw layout of the contents.
fn contents(pdf: &Pdf) -> BTreeMap<String, usize> {
    let layout = pdf.tool("pdftotext", &["-layout", "-f", "1", "-l", "8"]);
    let mut entries = BTreeMap::new();
    let mut pending = String::new();
    let mut started = false;
    for line in layout.lines() {
        let line = line.replace('\u{2060}', "");
        let line = line.trim();
        if line == "Contents" {
            started = true;
            continue;
        }
        if !started || line.is_empty() || line.contains(NOTICE) || line.contains("Published ") {
            continue;
        }
        let digits = line.len() - line.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 || !line.contains(". .") {
            pending.push_str(line);
            pending.push(' ');
            continue;
        }
        let number: usize = line[line.len() - digits..].parse().expect("page number");
        let title = line[..line.len() - digits].trim_end_matches([' ', '.']);
        entries.insert(norm(&format!("{pending}{title}")), number);
        pending.clear();
        if title == "Index" {
            break;
        }
    }
    entries
}

fn printed(book: &Book) -> Vec<&wardbook::content::Guideline> {
    book.guidelines
        .iter()
        .filter(|g| g.front.status == Status::Current)
        .collect()
}

#[test]
fn every_printed_guideline_is_in_the_pdf_and_drafts_and_withdrawn_are_not() {
    let (book, pdf) = sample();
    let text = pdf.all_text();
    let listed = printed(book);
    assert!(listed.len() >= 20, "the sample book has its guidelines");
    for g in &listed {
        assert!(
            text.contains(&norm(&g.front.title)),
            "{} missing",
            g.front.title
        );
    }
    let withdrawn: Vec<_> = book
        .guidelines
        .iter()
        .filter(|g| g.front.status == Status::Withdrawn)
        .collect();
    assert!(
        !withdrawn.is_empty(),
        "the sample book has a withdrawn guideline"
    );
    for g in withdrawn {
        assert!(
            !text.contains(&norm(&g.front.title)),
            "withdrawn {} printed",
            g.front.title
        );
    }
    // Drafts: even a build that publishes drafts on the website leaves them out of the book.
    let (with_drafts, pdf_drafts) = sample_with_drafts();
    let drafts: Vec<_> = with_drafts
        .guidelines
        .iter()
        .filter(|g| g.front.status == Status::Draft)
        .collect();
    assert!(!drafts.is_empty(), "the sample book has a draft");
    let text = pdf_drafts.all_text();
    for g in drafts {
        assert!(
            !text.contains(&norm(&g.front.title)),
            "draft {} printed",
            g.front.title
        );
        assert!(!text.contains("DRAFT"));
    }
}

#[test]
fn contents_page_numbers_are_the_pages_guidelines_start_on() {
    let (book, pdf) = sample();
    let entries = contents(pdf);
    let listed = printed(book);
    for g in &listed {
        let n = *entries
            .get(&norm(&g.front.title))
            .unwrap_or_else(|| panic!("{} not in contents {entries:?}", g.front.title));
        let page = &pdf.pages[n - 1];
        // The printed number of that page is n, and the guideline's header block is on it.
        assert!(page.contains(&format!("Page {n}")), "page {n}: {page}");
        let head = format!("{} Owning network", norm(&g.front.title));
        assert!(
            page.contains(&head),
            "{} does not start on page {n}: {page}",
            g.front.title
        );
        let prev = &pdf.pages[n - 2];
        assert!(
            !prev.contains(&head),
            "{} starts before page {n}",
            g.front.title
        );
    }
    // Sections are listed too, each on the page of its opener.
    for (i, s) in book.config.sections.iter().enumerate() {
        if !listed.iter().any(|g| g.section == i) {
            continue;
        }
        let n = entries[&norm(&s.title)];
        assert!(
            pdf.pages[n - 1].contains("Section "),
            "opener of {}",
            s.title
        );
    }
    // The PDF outline has the same pages.
    let xml = pdf.tool("pdftohtml", &["-xml", "-stdout", "-i", "-q"]);
    for g in &listed {
        let n = entries[&norm(&g.front.title)];
        let item = format!(
            "<item page=\"{n}\">{}</item>",
            g.front.title.replace('&', "&amp;")
        );
        assert!(xml.contains(&item), "outline lacks {item}");
    }
}

#[test]
fn contents_is_tagged_as_a_list_of_sections_each_with_its_guidelines() {
    let (book, pdf) = sample();
    let tree = pdf.tool("pdfinfo", &["-struct-text"]);
    let start = tree
        .find("H1 \"Contents\"")
        .unwrap_or_else(|| panic!("no Contents heading in the tag tree: {tree}"));
    let after = &tree[start..];
    let end = after[1..].find("H1 ").map_or(after.len(), |e| e + 1);
    let lines: Vec<(usize, &str)> = after[..end]
        .lines()
        .map(|l| (l.len() - l.trim_start().len(), l.trim_start()))
        .collect();
    let depth_of = |tag: &str| -> Vec<usize> {
        lines
            .iter()
            .filter(|(_, l)| l.split_whitespace().next() == Some(tag))
            .map(|(d, _)| *d)
            .collect()
    };
    let sections = book
        .config
        .sections
        .iter()
        .enumerate()
        .filter(|(i, _)| printed(book).iter().any(|g| g.section == *i))
        .count();
    let lists = depth_of("L");
    let outer = lists.iter().min().copied().expect("a list");
    assert_eq!(
        lists.iter().filter(|&&d| d == outer).count(),
        1,
        "{lists:?}"
    );
    assert_eq!(
        lists.len(),
        1 + sections,
        "one list per section inside the contents"
    );
    // One item per section, per guideline and for the index.
    let items = depth_of("LI");
    assert_eq!(items.len(), sections + printed(book).len() + 1);
    assert!(items.iter().all(|&d| d > outer));
}

#[test]
fn running_heads_and_footers_are_on_every_page() {
    let (book, pdf) = sample();
    let edition = book.config.book.edition.clone().expect("edition");
    for (i, page) in pdf.pages.iter().enumerate() {
        let n = i + 1;
        assert!(page.contains(NOTICE), "page {n} lacks the notice: {page}");
        assert!(page.contains(&format!("Page {n}")), "page {n} number");
        assert!(page.contains("Published 21 November 2026"), "page {n} date");
        assert!(page.contains("Valid until "), "page {n} valid until");
        assert!(
            page.contains("guidelines.example.org/paediatrics/"),
            "page {n} lacks the address of the current version: {page}"
        );
        assert!(
            page.contains(&format!("Edition {edition}")),
            "page {n} edition"
        );
    }
    // Every page of a guideline (from its start to the next start) has its running head: the
    // first line of the page's layout is the section and the guideline title.
    let layout = pdf.tool("pdftotext", &["-layout"]);
    let first_lines: Vec<String> = layout
        .split('\u{c}')
        .map(|p| norm(p.lines().find(|l| !l.trim().is_empty()).unwrap_or("")))
        .collect();
    let entries = contents(pdf);
    let mut starts: Vec<(usize, &wardbook::content::Guideline)> = printed(book)
        .into_iter()
        .map(|g| (entries[&norm(&g.front.title)], g))
        .collect();
    starts.sort_by_key(|(n, _)| *n);
    let mut heads = 0;
    for (k, (n, g)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(*n + 1, |(m, _)| *m);
        let section = &book.config.sections[g.section].title;
        let head = norm(&format!("{section} {}", g.front.title));
        for p in *n..end {
            let page = &pdf.pages[p - 1];
            let blank = page.starts_with(&book.config.book.title);
            if blank || (page.contains("Section ") && !page.contains("Owning network")) {
                // A blank left-hand page, or the next section's opener.
                assert_ne!(first_lines[p - 1], head, "page {p}");
                continue;
            }
            assert_eq!(first_lines[p - 1], head, "running head of page {p}");
            heads += 1;
        }
    }
    assert!(heads > starts.len(), "guidelines run over several pages");
}

#[test]
fn overdue_guidelines_say_so() {
    let (book, pdf) = sample();
    let entries = contents(pdf);
    let mut overdue = 0;
    for g in printed(book) {
        let page = &pdf.pages[entries[&norm(&g.front.title)] - 1];
        let says = page.contains("Review overdue");
        assert_eq!(says, g.review == ReviewStatus::Overdue, "{}", g.front.title);
        overdue += usize::from(says);
    }
    assert!(overdue >= 2, "the sample book has overdue guidelines");
}

#[test]
fn fonts_are_embedded_and_metadata_is_set() {
    let (book, pdf) = sample();
    let fonts = pdf.tool("pdffonts", &[]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    assert!(fonts.contains("LiberationSans"), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "font not embedded: {row}");
    }
    let info = pdf.tool("pdfinfo", &[]);
    let title = &book.config.book.title;
    let info = norm(&info);
    assert!(info.contains(&format!("Title: {title}")), "{info}");
    assert!(info.contains("Tagged: yes"), "{info}");
    assert!(info.contains("(A4)"), "{info}");
    assert!(info.contains("Partners in Paediatrics"), "{info}");
    assert!(info.contains("Sat Nov 21 00:00:00 2026"), "{info}");
}

#[test]
fn index_lists_titles_and_keywords_with_pages() {
    let (book, pdf) = sample();
    let entries = contents(pdf);
    let index_page = entries["Index"];
    let index: String = pdf.pages[index_page - 1..].join(" ");
    for g in printed(book) {
        let n = entries[&norm(&g.front.title)];
        assert!(
            index.contains(&format!("{} {n}", norm(&g.front.title))),
            "index lacks {} {n}",
            g.front.title
        );
        for k in &g.front.keywords {
            assert!(index.contains(&norm(k)), "index lacks keyword {k}");
        }
    }
    let bronchiolitis = printed(book)
        .into_iter()
        .find(|g| g.front.keywords.iter().any(|k| k == "RSV"))
        .expect("a guideline with keyword RSV");
    let n = entries[&norm(&bronchiolitis.front.title)];
    assert!(
        index.contains(&format!("RSV: {} {n}", bronchiolitis.front.title)),
        "{index}"
    );
}

/// The text of the index pages in reading order (column by column), without running heads and
/// footers, lines joined again (a title broken after a hyphen made whole).
fn index_text(book: &Book, pdf: &Pdf) -> String {
    let first = contents(pdf)["Index"];
    let raw = pdf.tool("pdftotext", &["-f", &first.to_string()]);
    let footer = format!("{} · Edition", book.config.book.title);
    let mut text = String::new();
    for line in raw.lines().map(str::trim) {
        let furniture = line.is_empty()
            || line == "Index"
            || line.starts_with(NOTICE)
            || line.starts_with("Published ")
            || line.starts_with(&footer)
            || line
                .strip_prefix("Page ")
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
        if furniture {
            continue;
        }
        if !text.is_empty() && !text.ends_with('-') {
            text.push(' ');
        }
        text.push_str(line);
    }
    norm(&text)
}

/// Every place `title` is followed by a page number in `text`: those numbers.
fn pages_after(text: &str, title: &str) -> Vec<usize> {
    text.match_indices(title)
        .filter_map(|(at, _)| {
            let rest = text[at + title.len()..].strip_prefix(' ')?;
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

/// The printed guidelines that have one of `keywords`, in book order.
fn with_keyword<'a>(book: &'a Book, keywords: &[&str]) -> Vec<&'a wardbook::content::Guideline> {
    printed(book)
        .into_iter()
        .filter(|g| {
            g.front
                .keywords
                .iter()
                .any(|k| keywords.contains(&k.as_str()))
        })
        .collect()
}

/// How the index names `guidelines`: "Title page; Title page".
fn see(entries: &BTreeMap<String, usize>, guidelines: &[&wardbook::content::Guideline]) -> String {
    guidelines
        .iter()
        .map(|g| {
            format!(
                "{} {}",
                norm(&g.front.title),
                entries[&norm(&g.front.title)]
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn index_sends_synonyms_to_the_page_of_the_guideline_they_stand_for() {
    let (book, pdf) = sample();
    let entries = contents(pdf);
    let index = index_text(book, pdf);
    // Wherever the index names a guideline with a page, it is the page the guideline starts on.
    let mut checked = 0;
    for g in printed(book) {
        let n = entries[&norm(&g.front.title)];
        let found = pages_after(&index, &norm(&g.front.title));
        assert!(
            found.contains(&n),
            "index lacks {} {n}: {index}",
            g.front.title
        );
        assert!(
            found.iter().all(|&p| p == n),
            "{} is on page {n}, the index says {found:?}",
            g.front.title
        );
        checked += found.len();
    }
    let see_entries = index.matches(", see ").count();
    assert!(
        see_entries >= 40,
        "only {see_entries} synonym entries: {index}"
    );
    assert!(checked > see_entries, "{checked} references checked");

    // A lay term of the default list for a guideline's keyword ("bedwetting").
    let enuresis = with_keyword(book, &["bedwetting"]);
    assert_eq!(enuresis.len(), 1);
    let want = format!("bed wetting, see {}", see(&entries, &enuresis));
    assert!(index.contains(&want), "no `{want}` in {index}");
    // A word of a synonym group whose members are keywords of two guidelines: both, in book
    // order ("convulsing" is in the group of "seizure" and "fit").
    let seizures = with_keyword(book, &["seizure", "fits"]);
    assert_eq!(seizures.len(), 2);
    let want = format!("convulsing, see {}", see(&entries, &seizures));
    assert!(index.contains(&want), "no `{want}` in {index}");
    // An ambiguous abbreviation (CP: cerebral palsy, child protection, chest pain) lists the
    // one meaning the book has a guideline for, and only that.
    let protection = with_keyword(book, &["child protection"]);
    assert_eq!(protection.len(), 1);
    let want = format!("CP, see {} ", see(&entries, &protection));
    let at = index
        .find(&want)
        .unwrap_or_else(|| panic!("no `{want}` in {index}"));
    let next = &index[at + want.len()..];
    assert!(!next.starts_with(';'), "CP lists more: {next}");
    // A synonym that is itself a keyword keeps its keyword entry instead of a cross-reference.
    let dka = with_keyword(book, &["DKA"]);
    assert!(index.contains(&format!("DKA: {}", see(&entries, &dka))));
    assert!(!index.contains("DKA, see"), "{index}");
    // A name that matches only part of a term gets nothing ("asthmatic": no guideline is
    // titled or keyed plain "asthma").
    assert!(!index.contains("asthmatic"), "{index}");
}

#[test]
fn index_never_points_at_drafts_or_withdrawn_guidelines() {
    use wardbook::render::search::synonyms::{Source, load, phrase_key};
    let (book, pdf) = sample_with_drafts();
    let index = index_text(book, pdf);
    let text = std::fs::read_to_string(repo().join("themes/default/synonyms.toml"))
        .expect("synonyms.toml");
    let (syn, diags) = load(&[Source {
        path: "synonyms.toml",
        text: &text,
    }]);
    assert!(diags.is_empty(), "{diags:?}");
    let names = |current: bool| -> Vec<String> {
        book.guidelines
            .iter()
            .filter(|g| (g.front.status == Status::Current) == current)
            .flat_map(|g| std::iter::once(&g.front.title).chain(&g.front.keywords))
            .map(|p| phrase_key(p))
            .collect()
    };
    let (printed_names, left_out) = (names(true), names(false));
    // Synonym groups that name only guidelines left out of the book (the draft's "neonatal
    // hypoglycaemia", the withdrawn one's "oxygen saturation"): none of their words is indexed.
    let mut groups = 0;
    for e in syn.values() {
        let about_left_out = e.terms.iter().any(|t| left_out.contains(t));
        let about_printed = e.terms.iter().any(|t| printed_names.contains(t));
        if !about_left_out || about_printed {
            continue;
        }
        groups += 1;
        for word in std::iter::once(&e.key).chain(&e.values) {
            let entry = format!(" {}, see ", norm(word));
            assert!(
                !index.contains(&entry),
                "`{entry}` points at a guideline left out"
            );
        }
    }
    assert!(
        groups >= 2,
        "the sample's left-out guidelines have synonyms ({groups})"
    );
    for g in book
        .guidelines
        .iter()
        .filter(|g| g.front.status != Status::Current)
    {
        assert!(
            !index.contains(&norm(&g.front.title)),
            "{} is in the index",
            g.front.title
        );
    }
}

#[test]
fn two_builds_give_the_same_bytes() {
    let (book, pdf) = sample();
    let again = build(&sample_root(), false).expect("second build");
    let bytes = again.output.get(&book.config.print.filename).expect("pdf");
    assert!(
        bytes == pdf.bytes.as_slice(),
        "the PDF differs between builds"
    );
}

fn special() -> &'static (Book, Pdf) {
    static SPECIAL: OnceLock<(Book, Pdf)> = OnceLock::new();
    SPECIAL.get_or_init(|| {
        let root = fixture("print-special");
        let built = build(&root, false).unwrap_or_else(|e| panic!("fixture build failed: {e:?}"));
        let book = load_book(&root, false);
        let pdf = Pdf::of(&built, "special.pdf");
        (book, pdf)
    })
}

#[test]
fn typst_special_characters_and_doses_print_exactly() {
    let (_, pdf) = special();
    let text = pdf.all_text();
    let exact = [
        "Typst #specials: $math$ *stars* <label> @ref",
        "Doses: 0.5 mg & ≥ 92%",
        "Paracetamol 15 mg/kg (max. 1 g) every 6 hours",
        "Salbutamol 2.5 mg; ipratropium 0.25 mg",
        "Give 0.5 mg, then 0.05 mg/kg if needed",
        "SpO2 ≥ 92% and < 94%; temperature ≤ 38 °C",
        "Bilirubin 350 µmol/L; glucose 2.6 mmol/L",
        "Greek mu μ and micro sign µ differ",
        "Base excess −5 mmol/L (minus sign)",
        "Base excess -5 mmol/L (hyphen-minus)",
        "Ages 2–5 years (en dash) — or longer (em dash)",
        "Hash # dollar $ star * underscore _ at @ equals =",
        "Less < greater > backslash \\ backtick ` tilde ~",
        "#set text(red) and #let x = 1 and <label> and @ref",
        "a // b and /* not a comment */ and https://x.org/a_b",
        "a -- b --- c ... d -? e ~ f",
        "\"double\" 'single' it's",
        "= heading? - list? + enum? / term: no",
        "1. not a list; 2) not either",
        "[brackets] and {braces} and (parens)",
        "Inline #raw $x$ <y> @z \\n code",
        "#let dose = 0.5 // mg",
        "$ x^2 $ <label> @ref",
        "Never give 10 times the dose: 0.5 mL, not 5 mL.",
        "Footnote with a dose of 0.5 mg and a $ sign.",
        "NICE NG9 (https://www.nice.org.uk/guidance/ng9)",
        "https://www.bnfc.org/",
        "mail (pharmacy@example.org)",
    ];
    for s in exact {
        assert!(text.contains(s), "not printed exactly: {s:?}\n{text}");
    }
    // Table cells: pdftotext's word spacing inside tables is its own, so compare without spaces.
    let squashed: String = text.split_whitespace().collect();
    for cell in [
        "Adrenaline#1",
        "10micrograms/kg",
        "Glucose$10$",
        "2mL/kg",
        "<1h",
        "Insulin@0.05",
        "0.05units/kg/hour",
        "≥1year",
    ] {
        assert!(squashed.contains(cell), "table cell {cell:?} not printed");
    }
    // The exact characters, not look-alikes: no typographic rewriting happened.
    assert!(
        !text.contains('“') && !text.contains('’'),
        "quotes were curled"
    );
}

#[test]
fn links_print_their_target_and_page() {
    let (book, pdf) = special();
    let entries = contents(pdf);
    let target = book
        .guidelines
        .iter()
        .find(|g| g.stem == "target")
        .expect("target");
    let n = entries[&norm(&target.front.title)];
    let text = pdf.all_text();
    let see = format!("the other guideline (see {}, p. {n})", target.front.title);
    assert!(text.contains(&see), "{see} not in {text}");
    // A link to a heading gives the page the heading is on (here the same page).
    assert!(text.contains(&format!(
        "its second part (see {}, p. {n})",
        target.front.title
    )));
}

#[test]
fn a5_paper_and_images_and_footnotes() {
    let (_, pdf) = special();
    let info = pdf.tool("pdfinfo", &[]);
    // A5 is 148 mm x 210 mm: 419.53 pt x 595.28 pt.
    assert!(info.contains("419.528 x 595.276 pts"), "{info}");
    let images = pdf.tool("pdfimages", &["-list"]);
    assert!(
        images.lines().count() >= 3,
        "the image is missing: {images}"
    );
    // Footnotes are numbered per guideline, and a repeated reference reuses the number.
    assert!(
        pdf.all_text()
            .contains("A statement with a footnote1 and the same again1.")
    );
}

#[test]
fn a_missing_font_is_an_error_not_a_silent_fallback() {
    let mut copy = BookTest::from_fixture("print-special").pdf(true);
    let dir = copy.scratch();
    let fonts = dir.join("themes/default/fonts");
    std::fs::create_dir_all(&fonts).expect("mkdir");
    for face in ["Regular", "Bold", "Italic", "BoldItalic"] {
        std::fs::write(
            fonts.join(format!("LiberationSans-{face}.ttf")),
            b"not a font",
        )
        .expect("write");
    }
    let d = copy.problems();
    assert!(
        d.iter()
            .any(|d| d.rule == "print" && d.message.contains("font")),
        "{d:?}"
    );
}

#[test]
fn a_character_no_font_has_is_an_error_at_its_line() {
    let mut copy = BookTest::from_fixture("print-special").pdf(true);
    let dir = copy.scratch();
    let file = dir.join("guidelines/other/target.md");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, format!("{text}\nDose chart: 每日 twice\n")).expect("write");
    let line = text.lines().count() + 2;
    let d = copy.problems();
    let glyph = d
        .iter()
        .find(|d| d.rule == "print-glyph")
        .unwrap_or_else(|| panic!("no glyph error in {d:?}"));
    assert_eq!(glyph.file, Path::new("guidelines/other/target.md"));
    assert_eq!(glyph.line, line, "{glyph:?}");
}

#[test]
fn text_too_wide_for_the_page_is_an_error() {
    let mut copy = BookTest::from_fixture("print-special").pdf(true);
    let dir = copy.scratch();
    let file = dir.join("guidelines/other/target.md");
    let text = std::fs::read_to_string(&file).expect("read");
    let long = "x".repeat(400);
    std::fs::write(&file, format!("{text}\n```\n{long}\n```\n")).expect("write");
    let d = copy.problems();
    let over = d
        .iter()
        .find(|d| d.rule == "print-overflow")
        .unwrap_or_else(|| panic!("no overflow error in {d:?}"));
    assert_eq!(over.file, Path::new("guidelines/other/target.md"));
}

#[test]
fn a_books_own_synonyms_reach_the_index_printed_literally() {
    let mut copy = BookTest::from_fixture("print-special").pdf(true);
    let dir = copy.scratch();
    std::fs::write(
        dir.join("synonyms.toml"),
        "[same]\n\"$posology* <#1>\" = [\"dosing\", \"dose finding\"]\n",
    )
    .expect("write synonyms.toml");
    let built = build(&dir, false).unwrap_or_else(|e| panic!("build: {e:?}"));
    let book = load_book(&dir, false);
    let pdf = Pdf::of(&built, &book.config.print.filename);
    let entries = contents(&pdf);
    let index = index_text(&book, &pdf);
    let doses = with_keyword(&book, &["dosing"]);
    assert_eq!(doses.len(), 1);
    for name in ["$posology* <#1>", "dose finding"] {
        let want = format!("{name}, see {}", see(&entries, &doses));
        assert!(index.contains(&want), "no `{want}` in {index}");
    }
}

#[test]
fn print_html_holds_the_whole_book_with_unique_ids() {
    let built = build(&sample_root(), false).expect("build");
    let book = load_book(&sample_root(), false);
    let html = String::from_utf8(built.output.get("print.html").expect("print.html").to_vec())
        .expect("utf-8");
    for g in &book.guidelines {
        let present = html.contains(&format!(">{}</h2>", g.front.title.replace('&', "&amp;")));
        assert_eq!(
            present,
            g.front.status == Status::Current,
            "{}",
            g.front.title
        );
    }
    assert!(html.contains(NOTICE));
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids in print.html");
    for href in html.split(" href=\"#").skip(1) {
        let target = href.split('"').next().expect("href");
        assert!(unique.contains(target), "link to missing #{target}");
    }
}
