//! The book around the guidelines: the generated `main.typ` (document metadata, cover, how to
//! use the book, contents, the changes chapter (`changes.rs`), one opener per section, every
//! printed guideline, index) and the head of each guideline's own source (title heading, owning
//! network, version, review date, "Review overdue"). The look lives in the Typst template
//! `book.typ` (functions named `wb-*`); this module only writes data into calls to it, as Typst
//! string literals and escaped markup.

use super::literal::{escape, string};
use super::markup::guideline_label;
use crate::config::Paper;
use crate::content::{Book, Guideline, ReviewStatus};
use crate::render::Since;
use crate::render::copies::{guideline as guideline_copy, without_scheme};
use crate::render::search::synonyms::Synonyms;
use crate::render::views::long_date;
use std::fmt::Write as _;

/// The Typst template every book is set with.
pub const TEMPLATE: &str = include_str!("book.typ");

/// Virtual path of the template in the typst world.
pub const TEMPLATE_PATH: &str = "/template.typ";

/// For each guideline (index-aligned with `book.guidelines`), a number as wide as its page
/// number is likely to be: what the template shows before typst knows the pages (`wb-page`).
/// Estimated from the Markdown before it; only the number of digits matters, and a wrong guess
/// costs a layout pass, never a wrong number.
pub fn page_guesses(book: &Book, since: Option<Since<'_>>, printed: &[usize]) -> Vec<String> {
    // Measured on generated books: a page holds about this much Markdown.
    let per_page = match book.config.print.paper {
        Paper::A4 => 3200,
        Paper::A5 => 1500,
    };
    // Cover, how to use, and the contents at about 40 entries a page (in half pages from here).
    let sections = book.config.sections.len();
    let mut halves = 2 * (2 + (printed.len() + sections + 1).div_ceil(40));
    halves += super::changes::half_pages(since);
    let mut guesses = vec![String::new(); book.guidelines.len()];
    let mut section = None;
    for &i in printed {
        let g = &book.guidelines[i];
        if section != Some(g.section) {
            // An opener on a right-hand page: half the time a blank page before it.
            section = Some(g.section);
            halves += 3;
        }
        guesses[i] = "0".repeat((halves / 2 + 1).to_string().len());
        halves += 2 * (1 + g.body().len() / per_page);
    }
    guesses
}

/// The page's inside (binding) and outside margins in millimetres. Defined here and passed to
/// the template, because the layout check needs them too: text beyond them is off the text area.
pub fn side_margins_mm(paper: Paper) -> (f64, f64) {
    match paper {
        Paper::A4 => (25.0, 18.0),
        Paper::A5 => (17.0, 12.0),
    }
}

/// Virtual path of guideline `idx`'s source.
pub fn guideline_path(idx: usize) -> String {
    format!("/g/{idx}.typ")
}

/// The book's full title and the organisation line of its cover; an adaptation's printed book
/// says whose it is in both.
fn cover_names(cfg: &crate::config::Config) -> (String, Option<String>) {
    let meta = &cfg.book;
    let title = match &meta.edition {
        Some(e) => format!("{} {e}", meta.title),
        None => meta.title.clone(),
    };
    let Some(a) = &cfg.adapted else {
        return (title, meta.organisation.clone());
    };
    let local = format!("Local adaptation for {}", a.def.name);
    let organisation = match &meta.organisation {
        Some(o) => format!("{o}. {local}"),
        None => local.clone(),
    };
    (format!("{title} ({local})"), Some(organisation))
}

/// `main.typ` for the guidelines `printed` (indices into `book.guidelines`, in book order), with
/// the synonym list for the index.
pub fn main_source(
    book: &Book,
    since: Option<Since<'_>>,
    printed: &[usize],
    guesses: &[String],
    syn: &Synonyms,
) -> String {
    let cfg = &book.config;
    let meta = &cfg.book;
    let mut s = String::with_capacity(4096 + printed.len() * 160);
    let _ = writeln!(s, "#import \"{TEMPLATE_PATH}\": *");
    let (full_title, organisation) = cover_names(cfg);
    let authors = match &meta.organisation {
        Some(o) => format!("({},)", string(o)),
        None => "()".into(),
    };
    let d = book.as_of;
    let _ = writeln!(
        s,
        "#set document(title: {}, author: {authors}, description: {}, keywords: ({}), \
         date: datetime(year: {}, month: {}, day: {}))",
        string(&full_title),
        string(&format!(
            "{full_title}: the printed book, as of {}. Uncontrolled when printed.",
            long_date(d)
        )),
        cfg.sections
            .iter()
            .map(|sec| string(&sec.title) + ", ")
            .collect::<String>(),
        d.year(),
        d.month(),
        d.day()
    );
    let paper = match cfg.print.paper {
        Paper::A4 => "a4",
        Paper::A5 => "a5",
    };
    let site = meta.base_url.as_deref().map(without_scheme);
    let book_args = format!(
        "title: {}, edition: {}, organisation: {}, printed: {}, site: {}, valid: {}",
        string(&meta.title),
        opt(meta.edition.as_deref()),
        opt(organisation.as_deref()),
        string(&long_date(d)),
        opt(site.as_deref()),
        opt(meta.valid_until.map(long_date).as_deref()),
    );
    let (inside, outside) = side_margins_mm(cfg.print.paper);
    let _ = writeln!(
        s,
        "#show: wb-book.with(paper: \"{paper}\", inside: {inside}mm, outside: {outside}mm, {book_args})"
    );
    let _ = writeln!(
        s,
        "#wb-cover({book_args}, sample: {})",
        if meta.sample { "true" } else { "false" }
    );
    let _ = writeln!(
        s,
        "#wb-how-to-use({book_args}, count: {}, sample: {})",
        printed.len(),
        meta.sample
    );
    contents(book, since.is_some(), printed, guesses, &mut s);
    if let Some(since) = since {
        super::changes::write(book, since, printed, guesses, &mut s);
    }
    sections(book, printed, guesses, &mut s);
    super::index::write(book, printed, guesses, syn, &mut s);
    back_matter(book, &mut s);
    s
}

/// The back matter, when the book has a live site: its address and QR code.
fn back_matter(book: &Book, s: &mut String) {
    let meta = &book.config.book;
    if let Some(base) = &meta.base_url {
        let qr = crate::qr::svg(base, "40mm", "QR code of the guidelines website");
        let _ = writeln!(
            s,
            "#wb-back(site: {}, qr: {}, valid: {})",
            string(&without_scheme(base)),
            opt(qr.as_deref()),
            opt(meta.valid_until.map(long_date).as_deref()),
        );
    }
}

fn opt(v: Option<&str>) -> String {
    v.map_or_else(|| "none".to_string(), string)
}

/// Label of section `si`'s opener heading.
fn section_label(si: usize) -> String {
    format!("s{si}")
}

/// The printed guidelines of each section, for sections that have any: (section index, members).
fn by_section(book: &Book, printed: &[usize]) -> Vec<(usize, Vec<usize>)> {
    (0..book.config.sections.len())
        .map(|si| {
            let members = printed
                .iter()
                .copied()
                .filter(|&i| book.guidelines[i].section == si)
                .collect::<Vec<_>>();
            (si, members)
        })
        .filter(|(_, m)| !m.is_empty())
        .collect()
}

/// The contents: the changes chapter (when there is one), sections with their guidelines, then
/// the index, each with its page.
fn contents(book: &Book, changes: bool, printed: &[usize], guesses: &[String], s: &mut String) {
    s.push_str("#wb-contents((\n");
    // The chapter follows the contents, which take a page per 40 entries or so.
    let after_contents =
        (3 + (printed.len() + book.config.sections.len()).div_ceil(40)).to_string();
    let guess = "0".repeat(after_contents.len());
    if changes {
        s.push_str(&super::changes::contents_entry(&guess));
    }
    for (si, members) in by_section(book, printed) {
        let title = &book.config.sections[si].title;
        let first = members.first().map_or("0", |&i| guesses[i].as_str());
        let _ = writeln!(
            s,
            "  (title: {}, target: <{}>, guess: \"{first}\", children: (",
            string(title),
            section_label(si)
        );
        for i in members {
            let _ = writeln!(
                s,
                "    (title: {}, target: <{}>, guess: \"{}\"),",
                string(&book.guidelines[i].front.title),
                guideline_label(i),
                guesses[i]
            );
        }
        s.push_str("  )),\n");
    }
    let last = printed.last().map_or("0", |&i| guesses[i].as_str());
    let _ = writeln!(
        s,
        "  (title: \"Index\", target: <wb-index>, guess: \"{last}\", children: ()),\n))"
    );
}

/// One opener per section that has printed guidelines, then the guidelines themselves.
fn sections(book: &Book, printed: &[usize], guesses: &[String], s: &mut String) {
    for (number, (si, members)) in by_section(book, printed).into_iter().enumerate() {
        let sec = &book.config.sections[si];
        let number = number + 1;
        let entries: String = members
            .iter()
            .map(|&i| {
                format!(
                    "(title: {}, target: <{}>, guess: \"{}\"), ",
                    string(&book.guidelines[i].front.title),
                    guideline_label(i),
                    guesses[i]
                )
            })
            .collect();
        let _ = writeln!(
            s,
            "#wb-section(number: {number}, title: {})\n#heading(level: 1)[{}] <{}>\n\
             #wb-section-list(({entries}))",
            string(&sec.title),
            escape(&sec.title),
            section_label(si)
        );
        for i in members {
            let _ = writeln!(s, "#include \"{}\"", guideline_path(i));
        }
    }
}

/// The head of guideline `idx`'s source: running-head mark, title heading, control block.
pub fn guideline_head(book: &Book, idx: usize) -> String {
    let g: &Guideline = &book.guidelines[idx];
    let section = &book.config.sections[g.section].title;
    let network = &book.config.networks[g.network].name;
    let review = match g.review {
        ReviewStatus::Overdue => "overdue",
        ReviewStatus::Due => "due",
        ReviewStatus::Current => "current",
    };
    let c = guideline_copy(book, g);
    let copy = format!(
        "(version: {}, valid: {}, short: {}, qr: {})",
        opt(g.front.version.as_deref()),
        string(&c.copy.valid_until),
        opt(c.copy.short.as_deref()),
        opt(c
            .copy
            .address
            .as_deref()
            .and_then(|a| crate::qr::svg(a, "13mm", ""))
            .as_deref()),
    );
    format!(
        "#import \"{TEMPLATE_PATH}\": *\n#wb-start(section: {}, title: {}, copy: {copy})\n#heading(level: 2)[{}] <{}>\n\
         #wb-meta(network: {}, version: {}, review: {}, last: {}, status: \"{review}\")\n\n",
        string(section),
        string(&g.front.title),
        escape(&g.front.title),
        guideline_label(idx),
        string(network),
        opt(g.front.version.as_deref()),
        string(&long_date(g.front.review_date)),
        opt(g.front.last_reviewed.map(long_date).as_deref()),
    )
}

/// The end of guideline `idx`'s source: where to report a problem with it (as text: a printed
/// page has no link to follow), then the end mark.
pub fn guideline_tail(book: &Book, idx: usize) -> String {
    let g = &book.guidelines[idx];
    let report = guideline_copy(book, g).report.map_or_else(
        || "none".to_string(),
        |r| {
            string(&format!(
                "Report a problem with this guideline to the {}: {}.",
                r.network, r.contact
            ))
        },
    );
    format!("\n#wb-report({report})\n#wb-end()\n")
}
