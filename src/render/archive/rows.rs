//! The revisions of one guideline as the site shows them: one [`Row`] per revision, newest
//! first, with the dates it was in force, what replaced it, the warning in words when it is no
//! longer in force, and the page it is read on (the current page for the revision in force, an
//! archived page for every other, as the plan placed it). The working tree counts as a version
//! of its own when its `version` differs from the last committed one.

use crate::content::{Guideline, Status};
use crate::history::{FileHistory, ReplacedBy, Revision};
use crate::render::views::long_date;
use serde::Serialize;

/// What ended a row's time in force, as the notice and the table say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "version")]
pub enum Ended {
    /// Replaced by this version.
    Version(String),
    /// Replaced by an amended text of the same version (no new version).
    Amended(String),
    /// Replaced by the working tree's version, not yet committed.
    Uncommitted(String),
    /// The guideline was withdrawn.
    Withdrawn,
    /// The file was removed from the book.
    Removed,
}

/// One revision in a guideline's version table and in the archive.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The `version` value as written (empty when the file has none).
    pub version: String,
    /// The version as the table names the revision: `1.0`, or `1.0, amended 5 May 2026 (no new
    /// version)` for an edit without a version bump.
    pub label: String,
    /// In force from (long form), or empty when not yet committed.
    pub from: String,
    /// In force from, ISO form, or empty.
    pub from_iso: String,
    /// In force until (long form), empty while in force or when replaced by uncommitted work.
    pub until: String,
    /// In force until, ISO form, or empty.
    pub until_iso: String,
    /// What replaced it; `None` while in force.
    pub ended: Option<Ended>,
    /// For a revision no longer in force, the warning in words, as every printed page of its
    /// archived page and the archive say it (`SUPERSEDED: do not use for patient care, …`).
    pub notice: String,
    /// True for the revision in force (the current page's).
    pub in_force: bool,
    /// True for the working tree's version when it is not committed yet.
    pub uncommitted: bool,
    /// Where it is read, root-relative and URL-encoded: the current page, the archived page,
    /// or empty (a revision in force with no page of its own).
    pub page: String,
    /// Its change summary, or empty.
    pub change_summary: String,
    /// Who approved it, or empty.
    pub approved_by: String,
    /// When it was approved, as written, or empty.
    pub approved_date: String,
    /// Index into the file's `revisions` (for its archived text), `None` for the working one.
    #[serde(skip)]
    pub index: Option<usize>,
    /// The archived page's path (root-relative, not encoded), for a revision that has one.
    #[serde(skip)]
    pub file: Option<String>,
}

/// The rows of `fh` (the history of the file) for the guideline `g` now in the book (`None`
/// when it is not in this build), newest first. `pages` are its revisions' archived pages
/// (from the plan).
pub fn rows(fh: &FileHistory, pages: &[Option<String>], g: Option<&Guideline>) -> Vec<Row> {
    let current = g.filter(|g| g.front.status != Status::Withdrawn);
    let last = fh.revisions.last();
    let working = g.and_then(|g| g.front.version.as_deref()).filter(|w| {
        fh.removed.is_none() && last.is_some_and(|l| l.until.is_none() && l.version != *w)
    });
    let mut out = Vec::with_capacity(fh.revisions.len() + 1);
    if let (Some(_), Some(g)) = (working, g) {
        let mut row = working_row(g);
        row.in_force = current.is_some();
        out.push(row);
    }
    for (i, v) in fh.revisions.iter().enumerate().rev() {
        let is_last = i + 1 == fh.revisions.len();
        let ended = match (&v.until, working) {
            (Some(u), _) => Some(match &u.by {
                ReplacedBy::Version(x) => Ended::Version(x.clone()),
                ReplacedBy::Amended => Ended::Amended(v.version.clone()),
                ReplacedBy::Withdrawn => Ended::Withdrawn,
                ReplacedBy::Removed => Ended::Removed,
            }),
            (None, Some(w)) if is_last => Some(Ended::Uncommitted(w.to_string())),
            (None, _) if is_last && fh.removed.is_some() => Some(Ended::Removed),
            (None, _) if current.is_none() && g.is_some() => Some(Ended::Withdrawn),
            (None, _) => None,
        };
        let until = v.until.as_ref().map(|u| u.date).or(match ended {
            Some(Ended::Removed) => fh.removed,
            _ => None,
        });
        let file = pages.get(i).cloned().flatten();
        let page = match (&file, current) {
            (Some(f), _) => crate::paths::encode_path(f),
            (None, Some(g)) => crate::paths::encode_path(&g.page),
            (None, None) => String::new(),
        };
        let label = label(v);
        let until_long = until.map(long_date).unwrap_or_default();
        out.push(Row {
            version: v.version.clone(),
            notice: ended
                .as_ref()
                .map(|e| notice(&label, e, &until_long))
                .unwrap_or_default(),
            label,
            from: long_date(v.from),
            from_iso: v.from.to_string(),
            until: until_long,
            until_iso: until.map(|d| d.to_string()).unwrap_or_default(),
            in_force: ended.is_none() && current.is_some() && file.is_none(),
            ended,
            uncommitted: false,
            page,
            change_summary: v.change_summary.clone().unwrap_or_default(),
            approved_by: v.approved_by.clone().unwrap_or_default(),
            approved_date: v.approved_date.clone().unwrap_or_default(),
            index: Some(i),
            file,
        });
    }
    out
}

/// The version as the table names a revision.
fn label(v: &Revision) -> String {
    if v.amended {
        format!(
            "{}, amended {} (no new version)",
            v.version,
            long_date(v.from)
        )
    } else {
        v.version.clone()
    }
}

/// The warning of a revision no longer in force, in words (`label` names it, `until` is the
/// long date it ended, or empty).
pub fn notice(label: &str, ended: &Ended, until: &str) -> String {
    let warn = "do not use for patient care";
    match ended {
        Ended::Version(v) => {
            format!("SUPERSEDED: {warn}, version {label} replaced on {until} by version {v}")
        }
        Ended::Amended(_) => format!(
            "SUPERSEDED: {warn}, version {label} replaced on {until} by an amended text (no new version)"
        ),
        Ended::Uncommitted(v) => format!(
            "SUPERSEDED: {warn}, version {label} replaced by version {v} (not yet committed)"
        ),
        Ended::Withdrawn => format!("WITHDRAWN: {warn}, version {label} withdrawn on {until}"),
        Ended::Removed => {
            format!("WITHDRAWN: {warn}, version {label} removed from the book on {until}")
        }
    }
}

/// The row of the working tree's version of `g`, which no commit has yet.
pub fn working_row(g: &Guideline) -> Row {
    let f = &g.front;
    Row {
        version: f.version.clone().unwrap_or_default(),
        label: f.version.clone().unwrap_or_default(),
        notice: String::new(),
        from: String::new(),
        from_iso: String::new(),
        until: String::new(),
        until_iso: String::new(),
        ended: None,
        in_force: g.is_listed(),
        uncommitted: true,
        page: crate::paths::encode_path(&g.page),
        change_summary: f.change_summary.clone().unwrap_or_default(),
        approved_by: f.approved_by.clone().unwrap_or_default(),
        approved_date: f.approved_date.map(|d| d.to_string()).unwrap_or_default(),
        index: None,
        file: None,
    }
}
