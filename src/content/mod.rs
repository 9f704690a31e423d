//! The book model: [`Book`] holds the validated [`Config`] and every [`Guideline`] in book order.
//! Built once by [`load`], read-only afterwards (rendering, search, print, reports all read it).

pub mod cache;
pub(crate) mod frontmatter;
mod lenient;
mod links;
mod load;
pub mod replaced;

pub use load::{find_sources, in_book_order, parse_date, parse_text, relative as relative_path};

pub use cache::LoadCache;
pub use lenient::{OldFront, OldText, yaml_of};
pub use links::{LinkContext, LinkError};
pub use load::{load, load_cached};

use crate::config::Config;
use crate::dates::{ser_date, ser_opt_date};
use jiff::civil::Date;
use serde::Serialize;
use std::path::PathBuf;

/// Publication status from front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Published (the default).
    Current,
    /// Not yet approved: left out unless `--drafts`, then marked DRAFT everywhere.
    Draft,
    /// No longer to be used: keeps its URL with a withdrawal notice, left out of every list.
    Withdrawn,
}

impl Status {
    /// `current`, `draft` or `withdrawn`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Draft => "draft",
            Status::Withdrawn => "withdrawn",
        }
    }
}

/// Review status of a guideline against the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    /// The review date has passed.
    Overdue,
    /// The review date falls within the warning window.
    Due,
    /// The review date is further away than the warning window.
    Current,
}

impl ReviewStatus {
    /// `overdue`, `due` or `current`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Overdue => "overdue",
            ReviewStatus::Due => "due",
            ReviewStatus::Current => "current",
        }
    }

    /// Review status of `review_date` as of `as_of`, with a "due" window of `warning_days`.
    pub fn of(review_date: Date, as_of: Date, warning_days: i64) -> Self {
        if review_date < as_of {
            ReviewStatus::Overdue
        } else if days_between(as_of, review_date) <= warning_days {
            ReviewStatus::Due
        } else {
            ReviewStatus::Current
        }
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

/// A guideline's front matter as validated: every field the author writes in the YAML except
/// `section` and `network`, which are resolved against book.toml into [`Guideline::section`] and
/// [`Guideline::network`]. Derives `Hash` so that serve's cache keys for pages that show front
/// matter are derived from it: a field added here is part of every such key without more code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FrontMatter {
    /// Title.
    pub title: String,
    /// Next review date.
    #[serde(serialize_with = "ser_date")]
    pub review_date: Date,
    /// Date of the last review, if given.
    #[serde(serialize_with = "ser_opt_date")]
    pub last_reviewed: Option<Date>,
    /// Version label, if given.
    pub version: Option<String>,
    /// Authors, in the order given.
    pub authors: Vec<String>,
    /// Extra search terms.
    pub keywords: Vec<String>,
    /// Publication status.
    pub status: Status,
    /// Order within the section (lower first); unordered guidelines follow, by title.
    pub order: Option<i64>,
    /// What changed in this version, in a sentence or two (shown on the page and in the
    /// version table).
    pub change_summary: Option<String>,
    /// Who approved this version (a person, committee or group).
    pub approved_by: Option<String>,
    /// When this version was approved.
    #[serde(serialize_with = "ser_opt_date")]
    pub approved_date: Option<Date>,
    /// For a withdrawn guideline, the guideline to use instead, as written: a path relative to
    /// this file or to the book folder ([`Book::replacement`] finds it).
    pub replaced_by: Option<String>,
}

/// One guideline: where it comes from (source path, text, where the body starts), its front
/// matter, and what the loader computes from both (section and network indices, page, review
/// status). Built whole by the loader, once the front matter is valid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guideline {
    /// Source path relative to the book folder, `/`-separated (`guidelines/resp/croup.md`).
    pub source: PathBuf,
    /// File name without `.md`; the page is `<section-slug>/<stem>.html`.
    pub stem: String,
    /// The whole source text (for diagnostics' source lines); shared, so that serve's load
    /// cache hands out guidelines without copying every file's text on each rebuild.
    #[serde(skip)]
    pub text: std::sync::Arc<str>,
    /// Byte offset in `text` where the Markdown body starts (after the closing `---`); the
    /// body is read through [`Guideline::body`], not kept twice.
    #[serde(skip)]
    pub body_start: usize,
    /// 1-based line of the file on which `body` starts (for diagnostics in the body).
    pub body_line: usize,
    /// The validated front matter.
    #[serde(flatten)]
    pub front: FrontMatter,
    /// Index into `Config::sections`.
    pub section: usize,
    /// Index into `Config::networks`.
    pub network: usize,
    /// Page path relative to the output root, `/`-separated (`respiratory/croup.html`).
    pub page: String,
    /// Review status as of the build's as-of date.
    pub review: ReviewStatus,
}

impl Guideline {
    /// The Markdown body: everything after the front matter's closing `---`.
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or_default()
    }

    /// True when the guideline appears in lists, search and print (not withdrawn).
    pub fn is_listed(&self) -> bool {
        self.front.status != Status::Withdrawn
    }

    /// Everything about the guideline but its text: source path, front matter and what is
    /// computed from them. Pages that list guidelines show only this, so serve's cache keys
    /// such pages by it. The destructuring is exhaustive on purpose: a field added to
    /// `Guideline` does not compile until it is placed here or among the text fields.
    pub fn shown(&self) -> impl std::hash::Hash + '_ {
        let Guideline {
            source,
            stem,
            text: _,
            body_start: _,
            body_line: _,
            front,
            section,
            network,
            page,
            review,
        } = self;
        (source, stem, front, section, network, page, review)
    }
}

/// Options that change what is loaded and how it is judged.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadOptions {
    /// The date review status is computed against.
    pub as_of: Date,
    /// Include drafts (marked DRAFT).
    pub drafts: bool,
}

/// The whole book, in book order: by section order, then `order`, then title, then path.
#[derive(Debug, Clone)]
pub struct Book {
    /// The validated configuration.
    pub config: Config,
    /// The as-of date of this build.
    pub as_of: Date,
    /// Whether drafts are included.
    pub drafts: bool,
    /// Every guideline that is published in this build (drafts only with `--drafts`; withdrawn ones
    /// are here, marked, because their pages remain).
    pub guidelines: Vec<Guideline>,
    /// Source paths of drafts left out of this build (a link to one is an error, not a 404).
    pub left_out: Vec<PathBuf>,
}

impl Book {
    /// Guidelines that appear in lists, search and print: not withdrawn.
    pub fn listed(&self) -> impl Iterator<Item = &Guideline> {
        self.guidelines.iter().filter(|g| g.is_listed())
    }

    /// Listed guidelines of section `idx`, in book order.
    pub fn in_section(&self, idx: usize) -> impl Iterator<Item = &Guideline> {
        self.listed().filter(move |g| g.section == idx)
    }

    /// Listed guidelines owned by network `idx`, in book order.
    pub fn of_network(&self, idx: usize) -> impl Iterator<Item = &Guideline> {
        self.listed().filter(move |g| g.network == idx)
    }

    /// The guideline whose source is `source` (relative to the book folder).
    pub fn by_source(&self, source: &std::path::Path) -> Option<&Guideline> {
        self.guidelines.iter().find(|g| g.source == source)
    }
}
