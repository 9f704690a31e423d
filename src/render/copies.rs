//! What every copy of a page says about itself, once for the site, its print style and the
//! printed book: when it was published (the build's as-of date, so output stays deterministic),
//! until when it is valid (the earlier of a guideline's review date and the edition's
//! `valid_until`), where the current version is (`[book] base_url`), a QR code of that address,
//! and how to report a problem with a guideline (its network's `contact`, the fields filled in).

use crate::content::{Book, Guideline};
use crate::render::views::long_date;
use jiff::civil::Date;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

/// What a page or printed guideline says about its copy.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct CopyView {
    /// The day this copy was published, long form ("6 December 2026").
    pub published: String,
    /// The same day, ISO form, for the page's script.
    pub published_iso: String,
    /// The last day this copy is valid, long form; empty when nothing bounds it.
    pub valid_until: String,
    /// The same day, ISO form, or empty.
    pub valid_until_iso: String,
    /// The address of the current version of this page on the live site, if the book has one.
    pub address: Option<String>,
    /// The same address without its scheme, as printed under a QR code.
    pub short: Option<String>,
    /// The live site's address (`[book] base_url`), if any.
    pub site: Option<String>,
    /// Days after publishing after which the page says it may be out of date.
    pub stale_after_days: i64,
    /// The line every printed page carries in its bottom margin: the book and edition (and a
    /// guideline's title and version), published, valid until, "Uncontrolled when printed" and
    /// where the current version is.
    pub print_line: String,
}

/// A guideline's copy: the page's, with the guideline's own validity, QR code and report link.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct GuidelineCopy {
    /// The page's copy facts.
    pub copy: CopyView,
    /// The QR code of the live page (SVG), if the book has a `base_url`.
    pub qr: Option<String>,
    /// Where to report a problem, if the owning network has a contact.
    pub report: Option<Report>,
}

/// "Report a problem with this guideline".
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct Report {
    /// The link, with title, version, edition and address filled in.
    pub href: String,
    /// The contact as printed: the mail address, or the web address.
    pub contact: String,
    /// The owning network's name.
    pub network: String,
}

/// Printed size of a guideline's QR code on the site's print style.
pub const QR_SIZE_PRINT: &str = "22mm";

/// The copy facts of the site page at `path` (root-relative), valid until the edition ends.
pub fn page(book: &Book, path: &str) -> CopyView {
    view(book, path, book.config.book.valid_until)
}

/// The copy facts of a page that is not the current version of anything (a superseded or
/// withdrawn version, an old address): published with the site, valid on no day, and pointing
/// to `current` (root-relative), where the guideline is now, never to itself.
pub fn elsewhere(book: &Book, current: &str) -> CopyView {
    view(book, current, None)
}

/// The copy facts, QR code and report link of guideline `g`.
pub fn guideline(book: &Book, g: &Guideline) -> GuidelineCopy {
    let valid = match book.config.book.valid_until {
        Some(end) => end.min(g.front.review_date),
        None => g.front.review_date,
    };
    let mut copy = view(book, &g.page, Some(valid));
    let version = g
        .front
        .version
        .as_deref()
        .map(|v| format!(", version {v}"))
        .unwrap_or_default();
    copy.print_line = print_line(
        book,
        Some(&format!("{}{version}", g.front.title)),
        &copy,
        &g.page,
    );
    let qr = copy.address.as_deref().and_then(|a| {
        crate::qr::svg(
            a,
            QR_SIZE_PRINT,
            &format!("QR code of the current version's address: {a}"),
        )
    });
    let report = report(book, g, copy.address.as_deref());
    GuidelineCopy { copy, qr, report }
}

fn view(book: &Book, path: &str, valid: Option<Date>) -> CopyView {
    let site = book.config.book.base_url.clone();
    let address = site
        .as_ref()
        .map(|base| format!("{base}{}", crate::paths::encode_path(path)));
    let mut copy = CopyView {
        published: long_date(book.as_of),
        published_iso: book.as_of.to_string(),
        valid_until: valid.map(long_date).unwrap_or_default(),
        valid_until_iso: valid.map(|d| d.to_string()).unwrap_or_default(),
        short: address.as_deref().map(without_scheme),
        address,
        site,
        stale_after_days: book.config.book.stale_after_days,
        print_line: String::new(),
    };
    copy.print_line = print_line(book, None, &copy, path);
    copy
}

/// "Paediatric Guidelines, edition 2026-27 · Croup, version 2.3 · Published … · Valid until … ·
/// Uncontrolled when printed · Current version: …" (`what`: the guideline and its version).
fn print_line(book: &Book, what: Option<&str>, copy: &CopyView, path: &str) -> String {
    let b = &book.config.book;
    let mut parts = vec![match &b.edition {
        Some(e) => format!("{}, edition {e}", b.title),
        None => b.title.clone(),
    }];
    parts.extend(what.map(str::to_string));
    parts.push(format!("Published {}", copy.published));
    if !copy.valid_until.is_empty() {
        parts.push(format!("Valid until {}", copy.valid_until));
    }
    parts.push("Uncontrolled when printed".into());
    parts.push(match &copy.short {
        Some(short) => format!("Current version: {short}"),
        None => format!("Current version: the guidelines website ({path})"),
    });
    parts.join(" · ")
}

/// `https://a.org/b` → `a.org/b`.
pub fn without_scheme(url: &str) -> String {
    url.split_once("://")
        .map_or(url, |(_, rest)| rest)
        .to_string()
}

/// Characters escaped in a query value or mail field: all but letters, digits and `-._~`.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, QUERY).to_string()
}

/// The report link of `g`: a mail with subject and body, or the web form with query values.
fn report(book: &Book, g: &Guideline, address: Option<&str>) -> Option<Report> {
    let network = &book.config.networks[g.network];
    let contact = network.contact.as_deref()?;
    let meta = &book.config.book;
    let version = g.front.version.as_deref().unwrap_or("none");
    let edition = meta.edition.as_deref().unwrap_or("none");
    let address = address.map_or_else(|| g.page.clone(), str::to_string);
    let href = if let Some(mail) = contact.strip_prefix("mailto:") {
        let subject = format!(
            "Problem with guideline: {} (version {version})",
            g.front.title
        );
        let body = format!(
            "Guideline: {}\nVersion: {version}\nEdition: {} {edition}\nAddress: {address}\n\n\
             The problem:\n",
            g.front.title, meta.title
        );
        format!(
            "mailto:{mail}?subject={}&body={}",
            enc(&subject),
            enc(&body)
        )
    } else {
        let join = if contact.contains('?') { '&' } else { '?' };
        format!(
            "{contact}{join}guideline={}&version={}&edition={}&address={}",
            enc(&g.front.title),
            enc(version),
            enc(edition),
            enc(&address)
        )
    };
    Some(Report {
        href,
        contact: contact
            .strip_prefix("mailto:")
            .unwrap_or(contact)
            .to_string(),
        network: network.name.clone(),
    })
}
