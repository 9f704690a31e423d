//! Review reports for the core team and other tools:
//!
//! - `reviews.html`: per owning network, overdue first (most overdue at the top), then due, then
//!   current, with counts per network and in total; each network block is `#network-<slug>`.
//! - `reviews.csv`: one row per guideline in this build (withdrawn ones too, by status), header
//!   [`CSV_HEADER`]; RFC 4180 quoting, CRLF line ends.
//! - `manifest.json`: every published guideline's metadata and page path.
//!
//! In: the [`Site`] (book and templates). Out: the three files. Everything is judged as of the
//! build's as-of date, so the same book and date give byte-identical reports.

use super::views::{Counts, GuidelineView};
use super::{File, Site};
use crate::content::{Book, Guideline, ReviewStatus, days_between};
use crate::diag::Diagnostic;
use serde::Serialize;
use tera::Context;

/// The header of `reviews.csv`, exactly.
pub const CSV_HEADER: &str =
    "file,title,section,network,version,review_date,review_status,days_to_review,status";

/// Version of the manifest's shape; raised when a field changes meaning or goes away.
const MANIFEST_FORMAT: u32 = 1;

/// The shape of a manifest too large for one file: `guidelines` gives way to `parts`.
const MANIFEST_SPLIT_FORMAT: u32 = 2;

/// manifest.json holds every guideline up to this size (bytes): at 100,000 guidelines it would
/// be 70 MB.
pub const MANIFEST_BYTES: usize = 20_000_000;

/// The report files.
pub fn build(site: &Site<'_>) -> Result<Vec<File>, Vec<Diagnostic>> {
    let page = reviews_page(site).map_err(|d| vec![d])?;
    let mut files = vec![
        ("reviews.html".into(), page.into_bytes()),
        ("reviews.csv".into(), csv(site.book).into_bytes()),
    ];
    files.extend(manifest_files(site.book, MANIFEST_BYTES).map_err(|d| vec![d])?);
    Ok(files)
}

/// `manifest.json`; when it would be larger than `limit` bytes, one file per section
/// (`manifest/<section>.json`: the section's guidelines) and a manifest.json that lists them
/// (`parts`: section, file, count) in place of `guidelines`, with format 2.
pub fn manifest_files(book: &Book, limit: usize) -> Result<Vec<File>, Diagnostic> {
    let mut whole = Manifest::new(book);
    let bytes = json(&whole)?;
    if bytes.len() <= limit {
        return Ok(vec![("manifest.json".into(), bytes)]);
    }
    let entries = whole.guidelines.take().unwrap_or_default();
    let mut files = Vec::new();
    let mut parts = Vec::new();
    for (si, sec) in book.config.sections.iter().enumerate() {
        let guidelines: Vec<&ManifestEntry<'_>> =
            entries.iter().filter(|e| e.section_index == si).collect();
        if guidelines.is_empty() {
            continue;
        }
        let file = format!("manifest/{}.json", sec.slug);
        let part = SectionManifest {
            format: MANIFEST_SPLIT_FORMAT,
            section: &sec.slug,
            guidelines,
        };
        files.push((file.clone(), json(&part)?));
        parts.push(ManifestPart {
            section: &sec.slug,
            count: part.guidelines.len(),
            file,
        });
    }
    whole.format = MANIFEST_SPLIT_FORMAT;
    whole.parts = Some(parts);
    files.insert(0, ("manifest.json".into(), json(&whole)?));
    Ok(files)
}

/// A manifest file as pretty JSON.
fn json(v: &impl Serialize) -> Result<Vec<u8>, Diagnostic> {
    serde_json::to_vec_pretty(v).map_err(|e| {
        Diagnostic::error(
            "manifest.json",
            0,
            0,
            "report",
            format!("cannot write the manifest: {e}"),
        )
    })
}

/// One section's file of a manifest in parts.
#[derive(Debug, Serialize)]
struct SectionManifest<'a> {
    /// Shape version ([`MANIFEST_SPLIT_FORMAT`]).
    format: u32,
    /// The section's slug.
    section: &'a str,
    /// The section's guidelines with a page, in book order.
    guidelines: Vec<&'a ManifestEntry<'a>>,
}

/// A section's file, as manifest.json lists it.
#[derive(Debug, Serialize)]
struct ManifestPart<'a> {
    /// The section's slug.
    section: &'a str,
    /// The file, relative to the site root.
    file: String,
    /// Guidelines in it.
    count: usize,
}

/// One row of the review table: the guideline and how far its review date is.
#[derive(Debug, Serialize)]
struct ReviewRow {
    /// The guideline as lists show it.
    #[serde(flatten)]
    g: GuidelineView,
    /// "Overdue by 12 days", "Due today", "Due in 30 days", "Current, review in 400 days".
    when: String,
}

/// One network's block of the review page.
#[derive(Debug, Serialize)]
struct NetworkBlock {
    /// Slug (the block's id is `network-<slug>`).
    slug: String,
    /// Display name.
    name: String,
    /// Counts of its guidelines.
    counts: Counts,
    /// Its guidelines, most urgent first.
    rows: Vec<ReviewRow>,
}

fn reviews_page(site: &Site<'_>) -> Result<String, Diagnostic> {
    let book = site.book;
    let networks: Vec<NetworkBlock> = book
        .config
        .networks
        .iter()
        .enumerate()
        .map(|(i, n)| NetworkBlock {
            slug: n.slug.clone(),
            name: n.name.clone(),
            counts: Counts::of(book.of_network(i)),
            rows: rows(book, book.of_network(i)),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("page_title", "Review status");
    ctx.insert("counts", &Counts::of(book.listed()));
    ctx.insert("networks", &networks);
    site.page("reviews.html", "reviews.html", ctx)
}

/// Rows for `gs`, most urgent first: overdue (most overdue at the top), due, then current.
fn rows<'a>(book: &Book, gs: impl Iterator<Item = &'a Guideline>) -> Vec<ReviewRow> {
    let mut gs: Vec<&Guideline> = gs.collect();
    gs.sort_by_cached_key(|g| {
        (
            urgency(g.review),
            g.front.review_date,
            g.front.title.to_lowercase(),
            g.page.clone(),
        )
    });
    gs.into_iter()
        .map(|g| ReviewRow {
            g: GuidelineView::new(book, g),
            when: when(g.review, days_between(book.as_of, g.front.review_date)),
        })
        .collect()
}

/// Sort rank of a review status: overdue first.
fn urgency(r: ReviewStatus) -> u8 {
    match r {
        ReviewStatus::Overdue => 0,
        ReviewStatus::Due => 1,
        ReviewStatus::Current => 2,
    }
}

/// The review status and how far the review date is, in words: "Overdue by 12 days",
/// "Due today", "Due in 30 days", "Current, review in 400 days".
fn when(review: ReviewStatus, days: i64) -> String {
    let n = |d: i64| format!("{d} day{}", if d == 1 { "" } else { "s" });
    match review {
        ReviewStatus::Overdue => format!("Overdue by {}", n(-days)),
        ReviewStatus::Due if days == 0 => "Due today".into(),
        ReviewStatus::Due => format!("Due in {}", n(days)),
        ReviewStatus::Current => format!("Current, review in {}", n(days)),
    }
}

/// `reviews.csv`: a row per guideline of this build, in book order.
fn csv(book: &Book) -> String {
    let mut out = String::with_capacity(128 * (book.guidelines.len() + 1));
    out.push_str(CSV_HEADER);
    out.push_str("\r\n");
    for g in &book.guidelines {
        let v = GuidelineView::new(book, g);
        let days = v.days_to_review.to_string();
        let fields = [
            text_field(&v.file),
            text_field(&v.title),
            text_field(&v.section),
            text_field(&v.network),
            text_field(&v.version),
            v.review_date_iso.clone(),
            v.review.to_string(),
            days,
            v.status.to_string(),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A free-text CSV field: quoted when needed (RFC 4180), and kept from being read as a formula by
/// a spreadsheet (a leading `=`, `+`, `-` or `@` gets a `'` in front, as OWASP advises).
pub(crate) fn text_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `manifest.json`: the book and every guideline with a page in this build.
#[derive(Debug, Serialize)]
struct Manifest<'a> {
    /// Shape version of this file.
    format: u32,
    /// The generator and its version.
    generator: String,
    /// Book title.
    title: &'a str,
    /// Edition, if any.
    edition: Option<&'a str>,
    /// Organisation, if any.
    organisation: Option<&'a str>,
    /// The date review statuses are judged against (ISO).
    as_of: String,
    /// Whether drafts are included.
    drafts: bool,
    /// Counts over listed guidelines.
    counts: Counts,
    /// Every guideline with a page, in book order (absent from a manifest in parts).
    #[serde(skip_serializing_if = "Option::is_none")]
    guidelines: Option<Vec<ManifestEntry<'a>>>,
    /// A manifest in parts: each section's file.
    #[serde(skip_serializing_if = "Option::is_none")]
    parts: Option<Vec<ManifestPart<'a>>>,
}

/// One guideline in the manifest.
#[derive(Debug, Serialize)]
struct ManifestEntry<'a> {
    /// Source file relative to the book folder.
    file: String,
    /// Page path relative to the site root.
    page: &'a str,
    /// Title.
    title: &'a str,
    /// Section slug.
    section: &'a str,
    /// Section title.
    section_title: &'a str,
    /// Owning network's slug.
    network: &'a str,
    /// Owning network's name.
    network_name: &'a str,
    /// Version label, if any.
    version: Option<&'a str>,
    /// Next review date (ISO).
    review_date: String,
    /// Last review date (ISO), if any.
    last_reviewed: Option<String>,
    /// `overdue`, `due` or `current`.
    review_status: &'static str,
    /// Days from the as-of date to the review date (negative when overdue).
    days_to_review: i64,
    /// `current`, `draft` or `withdrawn`.
    status: &'static str,
    /// Authors.
    authors: &'a [String],
    /// Search keywords.
    keywords: &'a [String],
    /// The section's index (to split the manifest by section; not written).
    #[serde(skip)]
    section_index: usize,
}

impl<'a> Manifest<'a> {
    fn new(book: &'a Book) -> Self {
        let meta = &book.config.book;
        Manifest {
            format: MANIFEST_FORMAT,
            generator: format!("wardbook {}", env!("CARGO_PKG_VERSION")),
            title: &meta.title,
            edition: meta.edition.as_deref(),
            organisation: meta.organisation.as_deref(),
            as_of: book.as_of.to_string(),
            drafts: book.drafts,
            counts: Counts::of(book.listed()),
            guidelines: Some(
                book.guidelines
                    .iter()
                    .map(|g| ManifestEntry::new(book, g))
                    .collect(),
            ),
            parts: None,
        }
    }
}

impl<'a> ManifestEntry<'a> {
    fn new(book: &'a Book, g: &'a Guideline) -> Self {
        let s = &book.config.sections[g.section];
        let n = &book.config.networks[g.network];
        ManifestEntry {
            file: crate::diag::display_path(&g.source),
            page: &g.page,
            title: &g.front.title,
            section: &s.slug,
            section_title: &s.title,
            network: &n.slug,
            network_name: &n.name,
            version: g.front.version.as_deref(),
            review_date: g.front.review_date.to_string(),
            last_reviewed: g.front.last_reviewed.map(|d| d.to_string()),
            review_status: g.review.as_str(),
            days_to_review: days_between(book.as_of, g.front.review_date),
            status: g.front.status.as_str(),
            authors: &g.front.authors,
            keywords: &g.front.keywords,
            section_index: g.section,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(text_field("Croup"), "Croup");
        assert_eq!(text_field("Fits, faints"), "\"Fits, faints\"");
        assert_eq!(text_field("The \"red\" book"), "\"The \"\"red\"\" book\"");
        assert_eq!(text_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }

    #[test]
    fn when_in_words() {
        assert_eq!(when(ReviewStatus::Overdue, -1), "Overdue by 1 day");
        assert_eq!(when(ReviewStatus::Overdue, -30), "Overdue by 30 days");
        assert_eq!(when(ReviewStatus::Due, 0), "Due today");
        assert_eq!(when(ReviewStatus::Due, 1), "Due in 1 day");
        assert_eq!(
            when(ReviewStatus::Current, 400),
            "Current, review in 400 days"
        );
    }
}
