//! The book's history, read from its git repository in-process (gitoxide): each guideline's
//! revisions with the dates they were in force, their archived text, moves and withdrawals, and
//! the book as it stood at the previous edition, from which the change list is made.
//!
//! A guideline *revision* is a distinct published text of it; its front-matter `version` labels
//! it. Commits are taken in order on the first-parent line of the tip. A commit whose text of
//! the file cannot be read (not UTF-8, no front matter, YAML that does not parse) could not have
//! been built: it is passed over ([`PassedOver`]) and the revision before stays in force. So is
//! a draft (not published) and a text without a `version`. Otherwise a text starts a new
//! revision when its `version` differs from the revision in force, or when its body differs
//! (trailing blank space aside) with the same `version`: an edit without a version bump, an
//! *amended* revision of the same version. A text that changes only the front matter (a review
//! date, an approval) is the same revision, and its last such text is the one archived. A
//! revision is in force from the committer date of its first commit until the first commit that
//! replaces it (another revision, a withdrawal, the file's removal). Renames are followed, so a
//! moved file keeps its revisions.
//!
//! History is off (everything else works as without it) when book.toml has no `[history]`
//! table, or with `--no-history`. With `[history]`, a book that is not in a git repository or
//! is in a shallow clone is an error that says so, or a warning under `[history] required =
//! false` (then the build goes on without history): see [`required`].

mod attach;
mod blob;
mod cache;
pub mod changes;
mod error;
pub mod governance;
mod read;
pub mod required;
mod revisions;
mod walk;

pub use attach::{Cached, Checkout, for_book};
pub use changes::{ChangeList, Entry, Moved, NowFile, Replacement, Step, Updated, Withdrawal};
pub use error::HistoryError;
pub use read::{Repo, TreeFile};

use crate::dates::{de_date, de_opt_date, ser_date, ser_opt_date};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// A commit of the book's repository, as history reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Commit {
    /// The full hexadecimal object id.
    pub id: String,
    /// The committer date, in the committer's own time zone.
    #[serde(serialize_with = "ser_date", deserialize_with = "de_date")]
    pub date: Date,
}

/// What history knows of the book at one tip (HEAD, or the commit given to `--at`/`--to`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    /// The commit history was read up to.
    pub tip: Commit,
    /// Every guideline file that ever existed on the first-parent line, by its path at the tip
    /// (or its last path, when removed), sorted by that path.
    pub files: Vec<FileHistory>,
    /// The book at the edition this one replaces (`[history] previous_edition`), if set.
    pub previous: Option<Edition>,
    /// Commits whose text of a guideline could not have been built, oldest first: no revision.
    pub passed_over: Vec<PassedOver>,
}

/// A commit passed over for one file: its text of the file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassedOver {
    /// The commit.
    pub commit: Commit,
    /// Book-relative path of the file in that commit.
    pub source: PathBuf,
    /// Why the text cannot be read.
    pub why: String,
}

/// One guideline file through time, renames followed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileHistory {
    /// Book-relative source path (`guidelines/resp/croup.md`) at the tip, or the last path the
    /// file had before it was removed.
    pub source: PathBuf,
    /// Earlier paths, oldest first.
    pub moves: Vec<Move>,
    /// The date the file was removed from the book (it is not at the tip).
    #[serde(serialize_with = "ser_opt_date", deserialize_with = "de_opt_date")]
    pub removed: Option<Date>,
    /// Its revisions, oldest first. The last one is in force at the tip unless it has `until`.
    pub revisions: Vec<Revision>,
}

/// A rename of a guideline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    /// Book-relative path before the move.
    pub from: PathBuf,
    /// Book-relative path after the move.
    pub to: PathBuf,
    /// Committer date of the commit that moved it.
    #[serde(serialize_with = "ser_date", deserialize_with = "de_date")]
    pub date: Date,
}

/// One revision of a guideline: a distinct published text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// The front-matter `version` value, as written.
    pub version: String,
    /// True when the revision before it has the same version: its text was edited without a
    /// version bump.
    pub amended: bool,
    /// In force from: the committer date of the first commit with this text.
    #[serde(serialize_with = "ser_date", deserialize_with = "de_date")]
    pub from: Date,
    /// The commit that introduced it.
    pub commit: String,
    /// When and by what it was replaced; `None` while it is in force.
    pub until: Option<Until>,
    /// Book-relative path of the file when `text` was taken.
    pub source: PathBuf,
    /// Every place the revision was published at while in force (its path and front-matter
    /// `section`, which together make its page address), in the order first seen; never empty.
    pub places: Vec<Place>,
    /// The whole file (front matter and body) at the last commit before the revision was
    /// replaced; for the revision in force, at the tip.
    #[serde(skip)]
    pub text: Arc<str>,
    /// Front-matter `title` of that text.
    pub title: Option<String>,
    /// Front-matter `change_summary` of that text.
    pub change_summary: Option<String>,
    /// Front-matter `approved_by` of that text.
    pub approved_by: Option<String>,
    /// Front-matter `approved_date` of that text, as written.
    pub approved_date: Option<String>,
    /// True when it was introduced after the previous edition (`[history] previous_edition`)
    /// was made: one of the steps the change list shows.
    #[serde(skip)]
    pub since_previous: bool,
}

/// Where a revision was published: the file's path and its `section`, from a date on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// Book-relative path.
    pub source: PathBuf,
    /// Front-matter `section`, as written.
    pub section: Option<String>,
    /// Committer date of the first commit with this path and section.
    #[serde(serialize_with = "ser_date", deserialize_with = "de_date")]
    pub since: Date,
}

/// The end of a revision's time in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Until {
    /// Committer date of the commit that replaced it.
    #[serde(serialize_with = "ser_date", deserialize_with = "de_date")]
    pub date: Date,
    /// What replaced it.
    pub by: ReplacedBy,
}

/// What ended a revision's time in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "version")]
pub enum ReplacedBy {
    /// Another version (its `version` value).
    Version(String),
    /// An amended text of the same version (edited without a version bump).
    Amended,
    /// The guideline was withdrawn (`status: withdrawn`).
    Withdrawn,
    /// The file was removed from the book.
    Removed,
}

/// The book at an earlier edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edition {
    /// The ref as written in book.toml or on the command line (`edition-2024-26`).
    pub label: String,
    /// The commit it resolves to.
    pub commit: Commit,
    /// Every guideline file of the book at that commit, sorted by path.
    pub files: Vec<EditionFile>,
}

/// One guideline file as it was at an earlier edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionFile {
    /// Book-relative path at the edition.
    pub source: PathBuf,
    /// Its path at the tip, renames followed; `None` when it has been removed since.
    pub now: Option<PathBuf>,
    /// The whole file at the edition, read leniently.
    #[serde(skip)]
    pub text: Arc<crate::content::OldText>,
}

/// What history adds to a build, beside the book (the model knows nothing of git): the history
/// read and, with a previous edition, what changed since. Rendering reads it from its `Site`.
#[derive(Debug, Clone)]
pub struct BookHistory {
    /// The history read up to the tip.
    pub history: Arc<History>,
    /// What changed since `[history] previous_edition`, when it is set.
    pub changes: Option<Arc<ChangeList>>,
    /// True when the history came from a cache kept by an earlier build (no blob was read).
    pub cached: bool,
}

impl BookHistory {
    /// History without a change list (no previous edition).
    pub fn new(history: History) -> BookHistory {
        BookHistory {
            history: Arc::new(history),
            changes: None,
            cached: false,
        }
    }

    /// The previous edition and what changed since, when there are both; `None` otherwise, and
    /// then no changes page or chapter is made.
    pub fn changes_since(&self) -> Option<(&Edition, &ChangeList)> {
        Some((self.history.previous.as_ref()?, self.changes.as_deref()?))
    }
}

impl FileHistory {
    /// The revision in force on `day`: the text the published book held that day (the last
    /// one to start on or before it and not ended by then); `None` before the first, or when
    /// the guideline was withdrawn or removed by then.
    pub fn in_force_on(&self, day: Date) -> Option<&Revision> {
        self.revisions
            .iter()
            .rev()
            .find(|r| r.from <= day)
            .filter(|r| r.until.as_ref().is_none_or(|u| u.date > day))
    }
}

impl History {
    /// The history of the file at `source`: its path at the tip, or else the last path of a
    /// removed file.
    pub fn file(&self, source: &std::path::Path) -> Option<&FileHistory> {
        let i = self.file_index(source).or_else(|| {
            let i = self.files.partition_point(|f| f.source.as_path() < source);
            self.files.get(i).filter(|f| f.source == source).map(|_| i)
        })?;
        Some(&self.files[i])
    }

    /// The index in `files` of the file at `source` (its path at the tip), not removed.
    pub fn file_index(&self, source: &std::path::Path) -> Option<usize> {
        let i = self
            .files
            .partition_point(|f| (f.source.as_path(), f.removed.is_none()) < (source, true));
        self.files
            .get(i)
            .filter(|f| f.source == source && f.removed.is_none())
            .map(|_| i)
    }
}
