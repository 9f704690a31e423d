//! The change list between two states of the book: new, updated (versions, change summary,
//! the sections whose text changed, every number-with-unit that changed as old → new),
//! withdrawn and moved guidelines. One list feeds `changes.html`, the printed book's
//! "Changes in this edition" chapter and `wardbook changes`.
//! (Interface first; the comparison is filled in next.)

use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

/// One guideline file on the newer side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct NowFile {
    /// Book-relative path.
    pub source: PathBuf,
    /// The whole file.
    pub text: Arc<str>,
}

/// What changed between an edition and now.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ChangeList {
    /// Guidelines that were not in the earlier edition.
    pub new: Vec<Entry>,
    /// Guidelines whose text changed.
    pub updated: Vec<Updated>,
    /// Guidelines withdrawn or removed since.
    pub withdrawn: Vec<Entry>,
    /// Guidelines whose file moved (their old address redirects).
    pub moved: Vec<Moved>,
}

/// A guideline in a change list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Book-relative path (the newer one, or the last one when removed).
    pub source: PathBuf,
    /// Title.
    pub title: String,
    /// Version, if the front matter has one.
    pub version: Option<String>,
}

/// A guideline whose text changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Updated {
    /// Book-relative path now.
    pub source: PathBuf,
    /// Title now.
    pub title: String,
    /// Version at the earlier edition.
    pub old_version: Option<String>,
    /// Version now.
    pub new_version: Option<String>,
    /// `change_summary` now.
    pub change_summary: Option<String>,
    /// Headings of the sections whose text changed, in document order.
    pub sections: Vec<String>,
    /// Every number-with-unit that changed.
    pub numbers: Vec<NumberChange>,
}

/// A number with its unit, before and after (`24 hours` → `48 hours`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberChange {
    /// The section it is in.
    pub section: String,
    /// As it was; `None` when added.
    pub old: Option<String>,
    /// As it is; `None` when removed.
    pub new: Option<String>,
}

/// A guideline whose file moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    /// Book-relative path now.
    pub source: PathBuf,
    /// Book-relative path at the earlier edition.
    pub old_source: PathBuf,
    /// Title now.
    pub title: String,
}

/// The change list from the book at `previous` to the guideline files `now` (the working
/// tree's, or another commit's), renames followed through `previous`'s `now` paths.
pub fn between(previous: &super::Edition, now: &[NowFile]) -> ChangeList {
    let _ = (previous, now);
    ChangeList::default()
}

/// `version-not-bumped` warnings: each guideline of `book` whose text changed since `previous`
/// while its `version` stayed the same, naming the file.
pub fn version_not_bumped(
    previous: &super::Edition,
    book: &crate::content::Book,
) -> Vec<crate::diag::Diagnostic> {
    let _ = (previous, book);
    Vec::new()
}
