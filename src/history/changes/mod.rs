//! The change list between two states of the book: new, updated (versions, change summary,
//! the sections whose text changed, every number-with-unit that changed as old → new),
//! withdrawn and moved guidelines. One list feeds `changes.html`, the printed book's
//! "Changes in this edition" chapter and `wardbook changes` ([`report`]). Also the
//! `version-not-bumped` warning, which compares the same two states.
//!
//! How a guideline is classed, from the earlier edition's file (renames followed through
//! [`EditionFile::now`](super::EditionFile)) to the file now:
//! - **new**: published now, not published at the edition (no file, a draft, or withdrawn then
//!   and reinstated now);
//! - **withdrawn**: published at the edition, and now `status: withdrawn`, removed, or a draft
//!   (a draft is not part of the published book);
//! - **moved**: its path changed (whatever else happened to it);
//! - **updated**: published at both, not withdrawn, and its text differs. The two bodies are
//!   compared block by block ([`crate::compare`]): every changed number with its place, then
//!   every changed block with its words marked. The sections named are those of the changed
//!   blocks (the text before the first heading is [`OPENING`]); when no block of the body
//!   changed, the front matter did, and the one section named is [`FRONT_MATTER`].
//!
//! The front matter of both texts is read leniently (title, version, status, change_summary):
//! YAML that does not parse reads as absent keys, and a title falls back to the file name.
//! Every list is in book-relative path order (the path now; a removed file's path at the
//! edition), so the same two states always give the same list.

mod refs;
pub mod report;
mod steps;

pub use crate::compare::OPENING;
pub use refs::between_refs;
pub use steps::annotate;

use super::{Edition, EditionFile};
use crate::compare::Comparison;
use crate::content::{Book, OldText};
use crate::diag::{Diagnostic, Severity};
use crate::lint::rules::{VERSION_NOT_BUMPED, VERSION_NOT_BUMPED_HELP};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use std::path::PathBuf;
use std::sync::Arc;

/// The name given when only the front matter changed (no block of the body did).
pub const FRONT_MATTER: &str = "Front matter";

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
    /// For a withdrawn or removed guideline: why, who approved it, when, and what replaces it;
    /// `None` for a new one.
    pub withdrawal: Option<Withdrawal>,
}

/// How a guideline was withdrawn: the withdrawing version's front matter and the date.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Withdrawal {
    /// The reason: the withdrawing version's `change_summary`; `None` for a removed file.
    pub reason: Option<String>,
    /// The withdrawing version's `approved_by`.
    pub approved_by: Option<String>,
    /// The withdrawing version's `approved_date`, as written.
    pub approved_date: Option<String>,
    /// The date of the commit that withdrew (or removed) it; `None` when not committed yet.
    #[serde(serialize_with = "crate::dates::ser_opt_date")]
    pub date: Option<jiff::civil::Date>,
    /// The guideline to use instead (`replaced_by`), when it names one that exists.
    pub replaced_by: Option<Replacement>,
}

/// The guideline a withdrawn one names in `replaced_by`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replacement {
    /// Its book-relative path.
    pub source: PathBuf,
    /// Its title.
    pub title: String,
}

/// One version of a guideline made since the earlier edition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// The `version` value, as written.
    pub version: String,
    /// True when its text was edited without a new version (an amended revision of the
    /// version before it).
    pub amended: bool,
    /// The date it came into force (the commit that introduced it); `None` when the working
    /// tree's version is not committed yet.
    #[serde(serialize_with = "crate::dates::ser_opt_date")]
    pub date: Option<jiff::civil::Date>,
    /// Its `change_summary`.
    pub change_summary: Option<String>,
    /// Its `approved_by`.
    pub approved_by: Option<String>,
    /// Its `approved_date`, as written.
    pub approved_date: Option<String>,
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
    /// What changed in the body: its changed blocks (`blocks`) and numbers (`numbers`).
    #[serde(flatten)]
    pub text: Comparison,
    /// Every version since the earlier edition, oldest first (from history; empty when the
    /// version did not change).
    pub versions: Vec<Step>,
    /// Where it moved from, when its file moved too (a moved guideline is listed once: here
    /// when its text changed, else among the moves).
    pub moved: Option<Moved>,
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
    /// The title of its section at the earlier edition (its `section` then, as book.toml
    /// names it now; as written when book.toml has no such section).
    pub from_section: Option<String>,
    /// The title of its section now.
    pub to_section: Option<String>,
    /// Its web address at the earlier edition, root-relative (`endocrine/dka.html`), when it
    /// is not its address now; a page there leads to the new one.
    pub old_page: Option<String>,
}

/// The change list from the book at `previous` to the guideline files `now` (the working
/// tree's, or another commit's), renames followed through `previous`'s `now` paths.
pub fn between(previous: &Edition, now: &[NowFile]) -> ChangeList {
    let by_path: HashMap<&Path, usize> = now
        .iter()
        .enumerate()
        .map(|(i, f)| (f.source.as_path(), i))
        .collect();
    let at = |old: &EditionFile| old.now.as_deref().and_then(|p| by_path.get(p).copied());
    let mut seen = vec![false; now.len()];
    for old in previous.files.iter().filter(|f| !f.text.draft()) {
        if let Some(i) = at(old) {
            seen[i] = true;
        }
    }
    // Each guideline is classed (and its two texts compared) on its own: in parallel, the
    // parts merged and then sorted, so the list is the same whatever the order of the work.
    let parts: Vec<ChangeList> = previous
        .files
        .par_iter()
        .filter(|old| !old.text.draft())
        .map(|old| {
            let mut part = ChangeList::default();
            compare(old, &old.text, at(old).map(|i| &now[i]), &mut part);
            part
        })
        .collect();
    let mut list = ChangeList::default();
    for part in parts {
        list.new.extend(part.new);
        list.updated.extend(part.updated);
        list.withdrawn.extend(part.withdrawn);
        list.moved.extend(part.moved);
    }
    for (f, _) in now.iter().zip(&seen).filter(|(_, seen)| !**seen) {
        let front = OldText::read(f.text.clone());
        if !front.draft() && !front.withdrawn() {
            list.new.push(entry(&f.source, &front));
        }
    }
    list.new.sort_by(|a, b| a.source.cmp(&b.source));
    list.updated.sort_by(|a, b| a.source.cmp(&b.source));
    list.withdrawn.sort_by(|a, b| a.source.cmp(&b.source));
    list.moved.sort_by(|a, b| a.source.cmp(&b.source));
    list
}

/// Classes one guideline published at the edition (`old`, read as `before`) against its file
/// now, if any.
fn compare(old: &EditionFile, before: &OldText, now: Option<&NowFile>, list: &mut ChangeList) {
    let after = now.map(|f| (f, OldText::read(f.text.clone())));
    let Some((file, after)) = after.filter(|(_, a)| !a.draft()) else {
        if !before.withdrawn() {
            list.withdrawn.push(entry(&old.source, before));
        }
        return;
    };
    let mut moved = (file.source != old.source).then(|| Moved {
        source: file.source.clone(),
        old_source: old.source.clone(),
        title: after.title_or(&file.source),
        from_section: before.front.section.clone(),
        to_section: after.front.section.clone(),
        old_page: None,
    });
    match (before.withdrawn(), after.withdrawn()) {
        (false, true) => list.withdrawn.push(entry(&file.source, &after)),
        (true, false) => list.new.push(entry(&file.source, &after)),
        // A move is an update only when its text or version changed, not for its new path
        // and section alone.
        (false, false)
            if moved.is_some()
                && same_text(before.body(), after.body())
                && before.front.version == after.front.version => {}
        (false, false) if old.text.text != file.text => {
            let mut u = updated(before, file, &after);
            u.moved = moved.take();
            list.updated.push(u);
        }
        _ => {}
    }
    list.moved.extend(moved);
}

fn entry(source: &Path, front: &OldText) -> Entry {
    Entry {
        source: source.to_path_buf(),
        title: front.title_or(source),
        version: front.front.version.clone(),
        withdrawal: None,
    }
}

/// What changed in a guideline whose text changed.
fn updated(before: &OldText, file: &NowFile, after: &OldText) -> Updated {
    let text = crate::compare::compare(before.body(), after.body());
    let mut sections = text.sections();
    if sections.is_empty() {
        sections.push(FRONT_MATTER.into());
    }
    Updated {
        source: file.source.clone(),
        title: after.title_or(&file.source),
        old_version: before.front.version.clone(),
        new_version: after.front.version.clone(),
        change_summary: after.front.change_summary.clone(),
        sections,
        text,
        versions: Vec::new(),
        moved: None,
    }
}

/// Two texts the same but for trailing blank space.
fn same_text(a: &str, b: &str) -> bool {
    a.trim_end() == b.trim_end()
}

/// `version-not-bumped` diagnostics: each guideline of `book` whose text changed since
/// `previous` while its `version` stayed the same, naming the file. An error when a number
/// changed (its whole quantity, as the change list shows it), a warning for other text (form
/// only included); a level set in `[lint]` applies to both.
///
/// Only the body counts (a new review date is no new guidance); trailing blank space aside.
/// Drafts and withdrawn guidelines are left out, and so is a guideline with no `version` at
/// either edition: there is no version to bump (the version table needs one, but that is not
/// this rule's question). The diagnostic is at the `version:` line, or line 1.
pub fn version_not_bumped(previous: &Edition, book: &Book) -> Vec<Diagnostic> {
    let Some(severity) = crate::lint::rules::find(VERSION_NOT_BUMPED)
        .and_then(|r| crate::lint::rules::severity(&book.config, r))
    else {
        return Vec::new();
    };
    let set = book.config.lint.contains_key(VERSION_NOT_BUMPED);
    let by_path: HashMap<&Path, &crate::content::Guideline> = book
        .guidelines
        .iter()
        .map(|g| (g.source.as_path(), g))
        .collect();
    let mut out: Vec<Diagnostic> = previous
        .files
        .iter()
        .filter_map(|old| {
            let g = by_path.get(old.now.as_deref()?)?;
            let before = &*old.text;
            let version = g.front.version.as_deref()?;
            let skip = g.front.status != crate::content::Status::Current
                || before.draft()
                || before.withdrawn()
                || before.front.version.as_deref() != Some(version)
                || same_text(before.body(), g.body());
            if skip {
                return None;
            }
            let numbers = crate::compare::compare(before.body(), g.body()).numbers;
            let (line, col, span) = version_at(&g.text);
            let message = not_bumped_message(g, &previous.label, version, &numbers);
            let severity = match (numbers.is_empty(), set) {
                (false, false) => Severity::Error,
                _ => severity,
            };
            Some(
                Diagnostic::warning(&g.source, line, col, VERSION_NOT_BUMPED, message)
                    .with_severity(severity)
                    .with_help(VERSION_NOT_BUMPED_HELP)
                    .with_source(&g.text, span),
            )
        })
        .collect();
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

/// What `version-not-bumped` says of `g`: the first changed number with its place, when a
/// number changed, else that its text changed.
fn not_bumped_message(
    g: &crate::content::Guideline,
    since: &str,
    version: &str,
    numbers: &[crate::compare::NumberChange],
) -> String {
    let title = &g.front.title;
    let Some(n) = numbers.first() else {
        return format!(
            "the text of \"{title}\" changed since {since} but its version is still {version}"
        );
    };
    let change = match (&n.old, &n.new) {
        (Some(o), Some(n)) => format!("{o} → {n}"),
        (None, Some(n)) => format!("{n} added"),
        (Some(o), None) => format!("{o} removed"),
        (None, None) => String::new(),
    };
    let more = match numbers.len() {
        1 => String::new(),
        k => format!(" and {} more", k - 1),
    };
    format!(
        "numbers in \"{title}\" changed since {since} ({}: {change}{more}) but its version is still {version}",
        n.place()
    )
}

/// Line, column (1-based) and width in characters of the value of the front matter's top-level
/// `version:` key in the whole file `text`; (1, 1, 1) when it cannot be found.
fn version_at(text: &str) -> (usize, usize, usize) {
    for (i, line) in text.lines().enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if matches!(line.trim_end(), "---" | "...") {
            break;
        }
        if let Some(rest) = line.strip_prefix("version:") {
            let value = rest.trim_start();
            let col = line.len() - value.len();
            let width = value.trim_end().chars().count();
            return (i + 1, line[..col].chars().count() + 1, width);
        }
    }
    (1, 1, 1)
}
