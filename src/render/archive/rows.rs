//! The versions of one guideline as the site shows them: one [`Row`] per version, newest first,
//! with the dates it was in force, what replaced it and the page it is read on (the current page
//! for the version in force, an archived page for every other). The working tree counts as a
//! version of its own when its `version` differs from the last committed one.

use super::version_file;
use crate::content::{Guideline, Status};
use crate::history::{FileHistory, ReplacedBy, Version};
use crate::render::views::long_date;
use serde::Serialize;

/// What ended a row's time in force, as the notice and the table say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "version")]
pub enum Ended {
    /// Replaced by this version.
    Version(String),
    /// Replaced by the working tree's version, not yet committed.
    Uncommitted(String),
    /// The guideline was withdrawn.
    Withdrawn,
    /// The file was removed from the book.
    Removed,
}

/// One version in a guideline's version table and in the archive.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The `version` value as written (empty when the file has none).
    pub version: String,
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
    /// True for the version in force (the current page's).
    pub in_force: bool,
    /// True for the working tree's version when it is not committed yet.
    pub uncommitted: bool,
    /// Where it is read, root-relative and URL-encoded: the current page, the archived page,
    /// or empty (a version in force with no page of its own: a withdrawn guideline's has one).
    pub page: String,
    /// Its change summary, or empty.
    pub change_summary: String,
    /// Who approved it, or empty.
    pub approved_by: String,
    /// When it was approved, as written, or empty.
    pub approved_date: String,
    /// Index into the file's `versions` (for its archived text), `None` for the working one.
    #[serde(skip)]
    pub index: Option<usize>,
    /// The archived page's path (root-relative, not encoded), for a version that has one.
    #[serde(skip)]
    pub file: Option<String>,
}

/// The rows of `fh` (the history of the file) for the guideline `g` now in the book (`None`
/// when the file was removed), newest first. `base` is the folder of its archived pages
/// (`respiratory/croup`); `taken` says whether an archived path is already used, so that two
/// versions never share a file.
pub fn rows(
    fh: &FileHistory,
    g: Option<&Guideline>,
    base: &str,
    taken: &mut dyn FnMut(&str) -> bool,
) -> Vec<Row> {
    let current = g.filter(|g| g.front.status != Status::Withdrawn);
    let last = fh.versions.last();
    let working = g.and_then(|g| g.front.version.as_deref()).filter(|w| {
        fh.removed.is_none() && last.is_some_and(|l| l.until.is_none() && l.version != *w)
    });
    let mut out = Vec::with_capacity(fh.versions.len() + 1);
    if let (Some(_), Some(g)) = (working, g) {
        let mut row = working_row(g);
        row.in_force = current.is_some();
        row.page = crate::paths::encode_path(&g.page);
        out.push(row);
    }
    for (i, v) in fh.versions.iter().enumerate().rev() {
        let is_last = i + 1 == fh.versions.len();
        let ended = match (&v.until, working) {
            (Some(u), _) => Some(match &u.by {
                ReplacedBy::Version(x) => Ended::Version(x.clone()),
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
        let file = match (&ended, current) {
            (None, Some(_)) => None,
            _ => Some(archived_path(base, v, taken)),
        };
        let page = match (&file, current) {
            (Some(f), _) => crate::paths::encode_path(f),
            (None, Some(g)) => crate::paths::encode_path(&g.page),
            (None, None) => String::new(),
        };
        out.push(Row {
            version: v.version.clone(),
            from: long_date(v.from),
            from_iso: v.from.to_string(),
            until: until.map(long_date).unwrap_or_default(),
            until_iso: until.map(|d| d.to_string()).unwrap_or_default(),
            in_force: ended.is_none() && current.is_some(),
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

/// The row of the working tree's version of `g`, which no commit has yet.
pub fn working_row(g: &Guideline) -> Row {
    let f = &g.front;
    Row {
        version: f.version.clone().unwrap_or_default(),
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

/// The archived page of `v` under `base`, unique: the version's file name
/// ([`version_file`]), or, when another version already has it (the same value used twice),
/// that name with the commit's short id.
fn archived_path(base: &str, v: &Version, taken: &mut dyn FnMut(&str) -> bool) -> String {
    let name = version_file(&v.version);
    let path = format!("{base}/{name}.html");
    if !taken(&path) {
        return path;
    }
    let short = v.commit.get(..12).unwrap_or(&v.commit);
    let mut path = format!("{base}/{name}-{short}.html");
    let mut n = 2;
    while taken(&path) {
        path = format!("{base}/{name}-{short}-{n}.html");
        n += 1;
    }
    path
}
