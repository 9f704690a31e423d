//! `changes.html`, "Changes since <previous edition>": the guidelines new, updated, withdrawn
//! and moved since `[history] previous_edition`, each linking its page in this build. The top
//! of the page counts the updated guidelines whose numbers changed and links to each. An updated
//! guideline shows its old and new version, its change summary, the sections whose text
//! changed, every number that changed with its place (old → new, exactly as written), then each
//! changed block old and new with the changed words marked (`<del>` struck through, `<ins>` bold,
//! each announced by visually hidden text, "deleted"/"inserted", as screen readers do not
//! announce the elements themselves), then the blocks whose form only changed, apart.
//! Every updated guideline also lists every version since the previous edition (date, summary,
//! approval) and where it moved from; a withdrawn one shows its reason, approval and date and
//! links the guideline that replaces it; a move names the sections and the old address.
//!
//! In: the [`Site`] (the book's [`ChangeList`] and previous [`Edition`]). Out: the page, or no
//! file when the book has no previous edition. Also the lookup the printed book's "Changes in
//! this edition" chapter shares: which guideline of this build an entry names ([`Guidelines`]).

use super::cache::Hashed;
use super::views::long_date;
use super::{File, Site, html};
use crate::compare::{BlockChange, ChangeKind, side, trimmed};
use crate::content::Book;
use crate::diag::Diagnostic;
use crate::history::changes::report;
use crate::history::{ChangeList, Edition, Moved, Step, Updated, Withdrawal};
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
    /// Why, by whom and when it was withdrawn, and what replaces it.
    withdrawal: Option<WithdrawalView>,
}

/// A withdrawal as the page says it.
#[derive(Debug, Serialize)]
struct WithdrawalView {
    reason: Option<String>,
    approved_by: Option<String>,
    approved_date: Option<String>,
    /// The date it was withdrawn (long form), or empty.
    date: String,
    /// The same, ISO, or empty.
    date_iso: String,
    /// The guideline to use instead.
    replaced_by: Option<Target>,
}

/// One version since the previous edition.
#[derive(Debug, Serialize)]
struct StepView {
    version: String,
    /// Its text was edited without a new version.
    amended: bool,
    /// The date it came into force (long form), or empty when not committed yet.
    date: String,
    /// The same, ISO, or empty.
    date_iso: String,
    change_summary: Option<String>,
    approved_by: Option<String>,
    approved_date: Option<String>,
}

/// Where a moved guideline was: its section then and now, its old address.
#[derive(Debug, Serialize)]
struct PlaceView {
    from_section: Option<String>,
    to_section: Option<String>,
    /// Its old address, root-relative, as text, when it had another.
    old_page_text: Option<String>,
    old_file: String,
}

impl PlaceView {
    fn new(m: &Moved) -> Self {
        PlaceView {
            from_section: m.from_section.clone(),
            to_section: m.to_section.clone(),
            old_page_text: m.old_page.clone(),
            old_file: file_name(&m.old_source),
        }
    }
}

impl StepView {
    fn new(s: &Step) -> Self {
        StepView {
            version: s.version.clone(),
            amended: s.amended,
            date: s.date.map(long_date).unwrap_or_default(),
            date_iso: s.date.map(|d| d.to_string()).unwrap_or_default(),
            change_summary: s.change_summary.clone(),
            approved_by: s.approved_by.clone(),
            approved_date: s.approved_date.clone(),
        }
    }
}

impl WithdrawalView {
    fn new(book: &Book, gs: &Guidelines<'_>, w: &Withdrawal) -> Self {
        WithdrawalView {
            reason: w.reason.clone(),
            approved_by: w.approved_by.clone(),
            approved_date: w.approved_date.clone(),
            date: w.date.map(long_date).unwrap_or_default(),
            date_iso: w.date.map(|d| d.to_string()).unwrap_or_default(),
            replaced_by: w
                .replaced_by
                .as_ref()
                .map(|r| Target::new(book, gs, &r.source, &r.title)),
        }
    }
}

/// An updated guideline.
#[derive(Debug, Serialize)]
struct UpdatedView {
    #[serde(flatten)]
    target: Target,
    /// The id of its entry on the page.
    id: String,
    old_version: Option<String>,
    new_version: Option<String>,
    change_summary: Option<String>,
    sections: Vec<String>,
    numbers: Vec<NumberView>,
    /// Blocks whose words changed (added, removed, changed, moved, renamed).
    blocks: Vec<BlockView>,
    /// Blocks whose form only changed.
    format_only: Vec<BlockView>,
    /// Every version since the previous edition, oldest first.
    versions: Vec<StepView>,
    /// Where it moved from, when it moved too.
    moved: Option<PlaceView>,
}

/// A changed number as the page shows it.
#[derive(Debug, Serialize)]
pub(crate) struct NumberView {
    /// Its context labels joined.
    pub place: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// The kind of block it came or went with ("table row"), when it did.
    pub with: Option<&'static str>,
}

/// A changed block as the page shows it.
#[derive(Debug, Serialize)]
pub(crate) struct BlockView {
    /// Its context labels joined.
    pub place: String,
    /// "paragraph", "table row"…
    pub kind: &'static str,
    /// "changed", "added", "format only"…
    pub change: &'static str,
    /// Where a moved block was, when its place changed.
    pub was: Option<String>,
    /// Its old and/or new text with the changed words marked.
    pub sides: Vec<SideView>,
}

/// One side of a block's redline.
#[derive(Debug, Serialize)]
pub(crate) struct SideView {
    /// "Old", "New" or "Now".
    pub label: &'static str,
    pub pieces: Vec<Piece>,
}

/// A piece of a side: kept text, or a changed stretch (`mark` "del" or "ins") whose spaces
/// (`lead`, `tail`) stay outside the mark.
#[derive(Debug, Serialize)]
pub(crate) struct Piece {
    pub mark: Option<&'static str>,
    pub lead: String,
    pub text: String,
    pub tail: String,
}

/// The numbers and blocks of an updated guideline, as the page and the printed chapter show
/// them: (numbers, changed blocks, format-only blocks).
pub(crate) fn views(u: &Updated) -> (Vec<NumberView>, Vec<BlockView>, Vec<BlockView>) {
    let blocks = &u.text.blocks;
    let numbers = u
        .text
        .numbers
        .iter()
        .map(|n| NumberView {
            place: n.place(),
            old: n.old.clone(),
            new: n.new.clone(),
            with: blocks
                .get(n.block)
                .filter(|_| n.with_block)
                .map(|b| b.kind.as_str()),
        })
        .collect();
    let (format_only, changed): (Vec<&BlockChange>, Vec<&BlockChange>) = blocks
        .iter()
        .partition(|b| b.change == ChangeKind::FormatOnly);
    let view = |bs: Vec<&BlockChange>| bs.into_iter().map(block_view).collect();
    (numbers, view(changed), view(format_only))
}

fn block_view(b: &BlockChange) -> BlockView {
    let sides = report::sides(b)
        .into_iter()
        .map(|(label, old)| SideView {
            label,
            pieces: side(&b.spans, old)
                .into_iter()
                .map(|(changed, text)| {
                    let (lead, core, tail) = trimmed(text);
                    match changed && !core.is_empty() {
                        true => Piece {
                            mark: Some(if old { "del" } else { "ins" }),
                            lead: lead.into(),
                            text: core.into(),
                            tail: tail.into(),
                        },
                        false => Piece {
                            mark: None,
                            lead: String::new(),
                            text: text.into(),
                            tail: String::new(),
                        },
                    }
                })
                .collect(),
        })
        .collect();
    BlockView {
        place: b.place(),
        kind: b.kind.as_str(),
        change: b.change.as_str(),
        was: b.old_context.as_ref().map(|c| {
            if c.is_empty() {
                crate::compare::OPENING.to_string()
            } else {
                c.join(" · ")
            }
        }),
        sides,
    }
}

/// A guideline whose numbers changed, as the top of the page links it.
#[derive(Debug, Serialize)]
struct Numbered {
    title: String,
    id: String,
}

/// A moved guideline.
#[derive(Debug, Serialize)]
struct MovedView {
    #[serde(flatten)]
    target: Target,
    #[serde(flatten)]
    place: PlaceView,
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
    /// The updated guidelines whose numbers changed.
    numbers_changed: Vec<Numbered>,
}

impl ChangesView {
    fn new(book: &Book, previous: &Edition, c: &ChangeList) -> Self {
        let gs = Guidelines::new(book);
        let entry = |e: &crate::history::Entry| EntryView {
            target: Target::new(book, &gs, &e.source, &e.title),
            version: e.version.clone(),
            withdrawal: e
                .withdrawal
                .as_ref()
                .map(|w| WithdrawalView::new(book, &gs, w)),
        };
        ChangesView {
            since: previous.label.clone(),
            since_date: long_date(previous.commit.date),
            since_date_iso: previous.commit.date.to_string(),
            new: c.new.iter().map(entry).collect(),
            updated: c
                .updated
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    let (numbers, blocks, format_only) = views(u);
                    UpdatedView {
                        target: Target::new(book, &gs, &u.source, &u.title),
                        id: updated_id(i),
                        old_version: u.old_version.clone(),
                        new_version: u.new_version.clone(),
                        change_summary: u.change_summary.clone(),
                        sections: u.sections.clone(),
                        numbers,
                        blocks,
                        format_only,
                        versions: u.versions.iter().map(StepView::new).collect(),
                        moved: u.moved.as_ref().map(PlaceView::new),
                    }
                })
                .collect(),
            numbers_changed: c
                .updated
                .iter()
                .enumerate()
                .filter(|(_, u)| u.text.numbers_changed())
                .map(|(i, u)| Numbered {
                    title: u.title.clone(),
                    id: updated_id(i),
                })
                .collect(),
            withdrawn: c.withdrawn.iter().map(entry).collect(),
            moved: c
                .moved
                .iter()
                .map(|m| MovedView {
                    target: Target::new(book, &gs, &m.source, &m.title),
                    place: PlaceView::new(m),
                })
                .collect(),
        }
    }
}

/// The id of the `i`th updated guideline's entry.
fn updated_id(i: usize) -> String {
    format!("updated-{}", i + 1)
}
