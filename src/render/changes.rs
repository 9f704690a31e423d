//! `changes.html`, "Changes since <previous edition>": the guidelines new, updated, withdrawn
//! and moved since `[history] previous_edition`, each linking its page in this build. An updated
//! guideline shows its old and new version, its change summary, the sections whose text changed
//! and every number-with-unit that changed, old → new, exactly as written.
//!
//! In: the [`Site`] (the book's [`ChangeList`] and previous [`Edition`]). Out: the page, or no
//! file when the book has no previous edition. Also the lookup the printed book's "Changes in
//! this edition" chapter shares: which guideline of this build an entry names ([`Guidelines`]).

use super::cache::Hashed;
use super::views::long_date;
use super::{File, Site, html};
use crate::content::Book;
use crate::diag::Diagnostic;
use crate::history::{ChangeList, Edition, NumberChange};
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use tera::Context;

/// Path of the page.
pub const PAGE: &str = "changes.html";

/// The guidelines of this build by source path, to find the one a change-list entry names.
pub struct Guidelines<'a> {
    by_source: HashMap<&'a Path, usize>,
}

impl<'a> Guidelines<'a> {
    /// The lookup over `book`'s guidelines.
    pub fn new(book: &'a Book) -> Self {
        let by_source = book
            .guidelines
            .iter()
            .enumerate()
            .map(|(i, g)| (g.source.as_path(), i))
            .collect();
        Guidelines { by_source }
    }

    /// Index in `book.guidelines` of the guideline at `source`, if it is in this build.
    pub fn index(&self, source: &Path) -> Option<usize> {
        self.by_source.get(source).copied()
    }
}

/// `changes.html`, memoised by the change list, the previous edition and what the pages it links
/// show; no file without a previous edition.
pub fn build(site: &Site<'_>) -> Result<Vec<File>, Vec<Diagnostic>> {
    let Some((previous, changes)) = site.changes_since() else {
        return Ok(Vec::new());
    };
    let key = (
        Hashed(previous),
        Hashed(changes),
        html::listing_key(site.book),
    );
    site.memo.memo("changes", key, || {
        let view = ChangesView::new(site.book, previous, changes);
        let mut ctx = Context::new();
        ctx.insert("page_title", &format!("Changes since {}", previous.label));
        ctx.insert("changes", &view);
        let html = site.page("changes.html", PAGE, ctx).map_err(|d| vec![d])?;
        Ok(vec![(PAGE.to_string(), html.into_bytes())])
    })
}

/// A guideline an entry names, as the page links it.
#[derive(Debug, Serialize)]
struct Target {
    /// Title (as the change list gives it).
    title: String,
    /// Its page in this build, URL-encoded; `None` when it is not in this build (removed).
    page: Option<String>,
    /// `current`, `draft` or `withdrawn` when in this build; `removed` when not.
    status: &'static str,
    /// Book-relative source path.
    file: String,
}

impl Target {
    fn new(book: &Book, gs: &Guidelines<'_>, source: &Path, title: &str) -> Self {
        let g = gs.index(source).map(|i| &book.guidelines[i]);
        Target {
            title: title.to_string(),
            page: g.map(|g| crate::paths::encode_path(&g.page)),
            status: g.map_or("removed", |g| g.front.status.as_str()),
            file: file_name(source),
        }
    }
}

fn file_name(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// A new or withdrawn guideline.
#[derive(Debug, Serialize)]
struct EntryView {
    #[serde(flatten)]
    target: Target,
    version: Option<String>,
}

/// An updated guideline.
#[derive(Debug, Serialize)]
struct UpdatedView {
    #[serde(flatten)]
    target: Target,
    old_version: Option<String>,
    new_version: Option<String>,
    change_summary: Option<String>,
    sections: Vec<String>,
    numbers: Vec<NumberChange>,
}

/// A moved guideline.
#[derive(Debug, Serialize)]
struct MovedView {
    #[serde(flatten)]
    target: Target,
    old_file: String,
}

/// What `changes.html` shows.
#[derive(Debug, Serialize)]
struct ChangesView {
    since: String,
    since_date: String,
    since_date_iso: String,
    new: Vec<EntryView>,
    updated: Vec<UpdatedView>,
    withdrawn: Vec<EntryView>,
    moved: Vec<MovedView>,
}

impl ChangesView {
    fn new(book: &Book, previous: &Edition, c: &ChangeList) -> Self {
        let gs = Guidelines::new(book);
        let entry = |e: &crate::history::Entry| EntryView {
            target: Target::new(book, &gs, &e.source, &e.title),
            version: e.version.clone(),
        };
        ChangesView {
            since: previous.label.clone(),
            since_date: long_date(previous.commit.date),
            since_date_iso: previous.commit.date.to_string(),
            new: c.new.iter().map(entry).collect(),
            updated: c
                .updated
                .iter()
                .map(|u| UpdatedView {
                    target: Target::new(book, &gs, &u.source, &u.title),
                    old_version: u.old_version.clone(),
                    new_version: u.new_version.clone(),
                    change_summary: u.change_summary.clone(),
                    sections: u.sections.clone(),
                    numbers: u.numbers.clone(),
                })
                .collect(),
            withdrawn: c.withdrawn.iter().map(entry).collect(),
            moved: c
                .moved
                .iter()
                .map(|m| MovedView {
                    target: Target::new(book, &gs, &m.source, &m.title),
                    old_file: file_name(&m.old_source),
                })
                .collect(),
        }
    }
}
