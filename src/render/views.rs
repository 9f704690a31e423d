//! Template views: the plain, serialisable shapes of the model that templates (site pages,
//! reports, print.html) read. Dates are formatted here, once, the NHS way ("21 November 2026").

use crate::content::{Book, Guideline, ReviewStatus, Status, days_between};
use jiff::civil::Date;
use serde::Serialize;

/// "21 November 2026".
pub fn long_date(d: Date) -> String {
    d.strftime("%-d %B %Y").to_string()
}

/// The book's metadata as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct BookView {
    /// Title.
    pub title: String,
    /// Edition, if any.
    pub edition: Option<String>,
    /// Organisation, if any.
    pub organisation: Option<String>,
    /// Sample content banner on every page.
    pub sample: bool,
    /// The as-of date, long form.
    pub as_of: String,
    /// The as-of date, ISO form.
    pub as_of_iso: String,
    /// File name of the PDF, when one is built.
    pub pdf: Option<String>,
    /// Whether the site has `archive.html` (the book has history).
    pub archive: bool,
    /// The trust's name, when this is a local adaptation's site (every page says so, and
    /// links its `variations.html`).
    pub adapted: Option<String>,
}

impl BookView {
    /// The view of `book`; `pdf` says whether the printed book is part of this build, `archive`
    /// whether the site has history.
    pub fn new(book: &Book, pdf: bool, archive: bool) -> Self {
        let b = &book.config.book;
        BookView {
            title: b.title.clone(),
            edition: b.edition.clone(),
            organisation: b.organisation.clone(),
            sample: b.sample,
            as_of: long_date(book.as_of),
            as_of_iso: book.as_of.to_string(),
            pdf: pdf.then(|| book.config.print.filename.clone()),
            archive,
            adapted: book.config.adapted.as_ref().map(|a| a.def.name.clone()),
        }
    }
}

/// One guideline as lists, pages and reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct GuidelineView {
    /// Title.
    pub title: String,
    /// Page path from the site root (`respiratory/croup.html`), URL-encoded.
    pub page: String,
    /// Source file relative to the book folder.
    pub file: String,
    /// Section title and slug.
    pub section: String,
    /// Section slug.
    pub section_slug: String,
    /// Owning network's name.
    pub network: String,
    /// Owning network's slug.
    pub network_slug: String,
    /// Version label or empty.
    pub version: String,
    /// Review date, long form.
    pub review_date: String,
    /// Review date, ISO form.
    pub review_date_iso: String,
    /// Last reviewed, long form, or empty.
    pub last_reviewed: String,
    /// Last reviewed, ISO form, or empty.
    pub last_reviewed_iso: String,
    /// `overdue`, `due` or `current`.
    pub review: &'static str,
    /// Days from the as-of date to the review date (negative when overdue).
    pub days_to_review: i64,
    /// `current`, `draft` or `withdrawn`.
    pub status: &'static str,
    /// Authors.
    pub authors: Vec<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// What changed in this version, or empty.
    pub change_summary: String,
    /// Who approved this version, or empty.
    pub approved_by: String,
    /// When this version was approved, long form, or empty.
    pub approved_date: String,
    /// When this version was approved, ISO form, or empty.
    pub approved_date_iso: String,
    /// Why the local adaptation does not use this guideline, when it omits it.
    pub omitted: Option<String>,
}

impl GuidelineView {
    /// The view of `g` in `book`.
    pub fn new(book: &Book, g: &Guideline) -> Self {
        let s = &book.config.sections[g.section];
        let n = &book.config.networks[g.network];
        GuidelineView {
            title: g.front.title.clone(),
            page: crate::paths::encode_path(&g.page),
            file: g.source.to_string_lossy().replace('\\', "/"),
            section: s.title.clone(),
            section_slug: s.slug.clone(),
            network: n.name.clone(),
            network_slug: n.slug.clone(),
            version: g.front.version.clone().unwrap_or_default(),
            review_date: long_date(g.front.review_date),
            review_date_iso: g.front.review_date.to_string(),
            last_reviewed: g.front.last_reviewed.map(long_date).unwrap_or_default(),
            last_reviewed_iso: g
                .front
                .last_reviewed
                .map(|d| d.to_string())
                .unwrap_or_default(),
            review: g.review.as_str(),
            days_to_review: days_between(book.as_of, g.front.review_date),
            status: g.front.status.as_str(),
            authors: g.front.authors.clone(),
            keywords: g.front.keywords.clone(),
            change_summary: g.front.change_summary.clone().unwrap_or_default(),
            approved_by: g.front.approved_by.clone().unwrap_or_default(),
            approved_date: g.front.approved_date.map(long_date).unwrap_or_default(),
            approved_date_iso: g
                .front
                .approved_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
            omitted: book
                .config
                .adapted
                .as_ref()
                .and_then(|a| a.omitted.get(&g.source).cloned()),
        }
    }
}

/// Counts of review statuses in a list.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// All guidelines.
    pub total: usize,
    /// Overdue.
    pub overdue: usize,
    /// Due.
    pub due: usize,
    /// Current.
    pub current: usize,
    /// Drafts (only with `--drafts`).
    pub draft: usize,
}

impl Counts {
    /// Counts over `gs`.
    pub fn of<'a>(gs: impl Iterator<Item = &'a Guideline>) -> Self {
        let mut c = Counts::default();
        for g in gs {
            c.total += 1;
            match g.review {
                ReviewStatus::Overdue => c.overdue += 1,
                ReviewStatus::Due => c.due += 1,
                ReviewStatus::Current => c.current += 1,
            }
            if g.front.status == Status::Draft {
                c.draft += 1;
            }
        }
        c
    }
}
