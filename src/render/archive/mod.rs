//! The book's history on the site: each guideline page's version table ([`table`]), a page
//! for every superseded, withdrawn or removed version (`<section>/<stem>/v<version>.html`),
//! `archive.html` (every guideline and version with its dates, for "what was in force on
//! date D" without JavaScript) and a small page at each moved guideline's old address.
//!
//! Archived pages are never guideline pages of the book: they are not in `Book::guidelines`,
//! so search, lists, reports and print never see them; each is `noindex` and says at the top
//! that it must not be used for patient care.
//!
//! The version's file name ([`version_file`]): `v`, then the version with ASCII lower-case
//! letters, digits, `.` and `-` kept and every other byte written `_XX` (upper-case hex), so two
//! different versions never share a file name, even on a case-insensitive file system.

mod old;
mod pages;
pub mod plan;
pub mod rows;

pub use pages::add_pages;
pub use plan::Plan;
pub use rows::Row;

use crate::content::Guideline;
use crate::history::BookHistory;
use serde::Serialize;

/// How many revisions a guideline page's version table shows; the rest are on archive.html.
pub const TABLE_ROWS: usize = 10;

/// A guideline page's version table: its newest revisions, and where the whole list is.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// The newest [`TABLE_ROWS`] rows, newest first.
    pub rows: Vec<Row>,
    /// How many rows there are in all.
    pub total: usize,
    /// The whole list: root-relative link to the guideline's entry on archive.html.
    pub all: String,
}

/// File name (without `.html`) of an archived version's page: see the module comment.
pub fn version_file(version: &str) -> String {
    let mut name = String::with_capacity(version.len() + 1);
    name.push('v');
    for b in version.bytes() {
        match b {
            b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' => name.push(char::from(b)),
            _ => name.push_str(&format!("_{b:02X}")),
        }
    }
    name
}

/// Folder of `g`'s archived pages: its page path without `.html` (`respiratory/croup`).
pub fn folder_of(page: &str) -> &str {
    page.strip_suffix(".html").unwrap_or(page)
}

/// The version table of guideline `g`, newest first: from history when the book has it and the
/// file is in it; `None` without history.
pub fn table(history: Option<&BookHistory>, plan: Option<&Plan>, g: &Guideline) -> Option<Table> {
    let (history, plan) = (&history?.history, plan?);
    let file = history.file_index(&g.source);
    let mut rows = match file {
        Some(i) => rows::rows(&history.files[i], &plan.pages[i], Some(g)),
        None => vec![rows::working_row(g)],
    };
    let total = rows.len();
    rows.truncate(TABLE_ROWS);
    // A draft has nothing published, so no entry of its own on archive.html.
    let all = match file {
        _ if g.front.status == crate::content::Status::Draft => "archive.html".into(),
        Some(i) => format!("archive.html#{}", pages::entry_id(plan, i)),
        None => format!("archive.html#g-{}", folder_of(&g.page)),
    };
    Some(Table { rows, total, all })
}

/// What a page's version table depends on besides the guideline itself: the history read.
pub fn history_key(history: Option<&BookHistory>) -> Option<(&str, Option<&str>)> {
    history.map(|h| &*h.history).map(|h| {
        (
            h.tip.id.as_str(),
            h.previous.as_ref().map(|p| p.commit.id.as_str()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::version_file;

    #[test]
    fn version_file_names_are_safe_and_distinct() {
        assert_eq!(version_file("2.3"), "v2.3");
        assert_eq!(version_file("2.3 draft"), "v2.3_20draft");
        assert_eq!(version_file("V2"), "v_562");
        assert_eq!(version_file("../x"), "v.._2Fx");
        assert_eq!(version_file("é"), "v_C3_A9");
        let cases = [
            "2.3", "2.3a", "2.3A", "2.3_41", "2.3_", "2_3", "2/3", "2%3", "",
        ];
        let names: std::collections::HashSet<String> = cases
            .iter()
            .map(|c| version_file(c).to_lowercase())
            .collect();
        assert_eq!(names.len(), cases.len(), "{names:?}");
        for c in cases {
            let n = version_file(c);
            assert!(
                n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)),
                "{n}"
            );
        }
    }
}
