//! The comparison of two versions of a guideline's Markdown body, block by block, as a
//! clinician reads it: which paragraphs, list items, table rows, headings, callouts and code
//! blocks were added, removed, changed, moved, renamed (a heading) or changed in form only,
//! with the words that changed marked, and every number that changed named with its whole
//! quantity as written and its place ("Midazolam · IV/IO · Dose: 0.15 mg/kg → 0.2 mg/kg").
//!
//! ```text
//! old, new ─► blocks (pulldown-cmark: ─► pair (kept in place, moved, ─► per changed block: word diff
//!              text, form, key,          alike: same row label,         (similar) → redline spans;
//!              context labels)           heading level, words)          numbers in each changed
//!                                                                       stretch → NumberChange
//! ```
//!
//! In: two Markdown bodies (no front matter). Out: [`Comparison`]. Needs no git and knows
//! nothing of the book's model: the change list (`history::changes`) and anything else that
//! compares two texts call [`compare`].
//!
//! The rules a clinician relies on:
//! - A number is compared only with the number it replaced in the same block (in the same table
//!   cell, in the same changed stretch of words), never with the same number elsewhere: a swap
//!   of two rows' doses reports both rows, and a number added or removed with its block is
//!   reported with it ([`NumberChange::with_block`]).
//! - A change of form only (spacing, `25mg` → `25 mg`, emphasis, line wrapping, list marker) is
//!   [`ChangeKind::FormatOnly`] and changes no number; a block whose words changed is
//!   [`ChangeKind::Changed`] however its form changed too, and its numbers are compared.
//! - A moved block (same text elsewhere) changes no number; its old context is kept.

mod blocks;
mod numbers;
mod pair;
mod words;

pub use blocks::BlockKind;
pub use numbers::UNITS;
pub use words::{Span, SpanOp, side, trimmed};

use blocks::Block;
use pair::{How, Paired};
use serde::Serialize;

/// The name of the place of a change before the body's first heading.
pub const OPENING: &str = "Opening text";

/// What happened to a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// Its words changed.
    Changed,
    /// It moved to another place (its words the same, its form perhaps not).
    Moved,
    /// A heading whose words changed (the section under it is compared as usual).
    Renamed,
    /// Only its form changed: spacing, emphasis, line wrapping, list marker, `25mg` → `25 mg`.
    FormatOnly,
}

impl ChangeKind {
    /// The change in words, for reports ("added", "format only"…).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Moved => "moved",
            ChangeKind::Renamed => "renamed",
            ChangeKind::FormatOnly => "format only",
        }
    }
}

/// One block that changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct BlockChange {
    /// What kind of block it is.
    pub kind: BlockKind,
    /// What happened to it.
    pub change: ChangeKind,
    /// The headings above it (in the new version; the old one when removed), outermost first.
    pub section: Vec<String>,
    /// Its context labels: `section`, then the callout or footnote it is in, its parent list
    /// items' first words, and a table row's label (its first cell).
    pub context: Vec<String>,
    /// For a moved block whose context changed: its context before.
    pub old_context: Option<Vec<String>>,
    /// Its old text as read (table cells joined by ` | `); `None` when added.
    pub old: Option<String>,
    /// Its new text as read; `None` when removed.
    pub new: Option<String>,
    /// The redline: the old and new text as kept, deleted and inserted spans (the old text is
    /// the kept and deleted spans, the new text the kept and inserted ones).
    pub spans: Vec<Span>,
}

impl BlockChange {
    /// Its place, for reading: the context labels joined by ` · `, or [`OPENING`].
    pub fn place(&self) -> String {
        place(&self.context)
    }
}

/// One number that changed, with its whole quantity as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct NumberChange {
    /// Its context labels: its block's, then for a table cell the row's label (unless the
    /// number is in it) and the column's header.
    pub context: Vec<String>,
    /// As it was (comparator, range and unit as written); `None` when added.
    pub old: Option<String>,
    /// As it is; `None` when removed.
    pub new: Option<String>,
    /// Index in [`Comparison::blocks`] of the block it is in.
    pub block: usize,
    /// True when it came or went with its whole block (an added or removed row, paragraph…).
    pub with_block: bool,
}

impl NumberChange {
    /// Its place, for reading: the context labels joined by ` · `, or [`OPENING`].
    pub fn place(&self) -> String {
        place(&self.context)
    }
}

fn place(context: &[String]) -> String {
    if context.is_empty() {
        OPENING.to_string()
    } else {
        context.join(" · ")
    }
}

/// What changed between two versions of a body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Comparison {
    /// Every block that changed, in the new version's order (a removed block where it was).
    pub blocks: Vec<BlockChange>,
    /// Every number that changed, added or was removed, in the same order.
    pub numbers: Vec<NumberChange>,
}

impl Comparison {
    /// True when any number changed, was added or was removed.
    pub fn numbers_changed(&self) -> bool {
        !self.numbers.is_empty()
    }

    /// True when no block changed at all (not even in form).
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// True when only the form of blocks changed (and something did).
    pub fn format_only(&self) -> bool {
        !self.is_empty()
            && self
                .blocks
                .iter()
                .all(|b| b.change == ChangeKind::FormatOnly)
    }

    /// The sections whose blocks changed, each named once in order: a heading's own text for a
    /// changed heading, otherwise the nearest heading above, or [`OPENING`].
    pub fn sections(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for b in &self.blocks {
            let own = (b.kind == BlockKind::Heading)
                .then(|| b.new.clone().or_else(|| b.old.clone()))
                .flatten();
            let name = own
                .or_else(|| b.section.last().cloned())
                .unwrap_or_else(|| OPENING.to_string());
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
}

/// Compares two versions of a guideline's Markdown body.
pub fn compare(old: &str, new: &str) -> Comparison {
    let (a, b) = (blocks::blocks(old), blocks::blocks(new));
    let mut out = Comparison::default();
    for p in pair::pair(&a, &b) {
        let (old, new) = (p.old.map(|o| &a[o]), p.new.map(|n| &b[n]));
        let change = match p.how {
            How::Same => continue,
            How::Format => ChangeKind::FormatOnly,
            How::Moved => ChangeKind::Moved,
            How::Changed => ChangeKind::Changed,
            How::Renamed => ChangeKind::Renamed,
            How::Removed => ChangeKind::Removed,
            How::Added => ChangeKind::Added,
        };
        out.add(p, change, old, new);
    }
    out
}

impl Comparison {
    /// Adds one paired block and its numbers.
    fn add(&mut self, p: Paired, change: ChangeKind, old: Option<&Block>, new: Option<&Block>) {
        let Some(shown) = new.or(old) else { return };
        let index = self.blocks.len();
        let context = block_context(shown);
        let old_context = old
            .map(block_context)
            .filter(|c| change == ChangeKind::Moved && *c != context);
        let mut spans = Vec::new();
        match (old, new) {
            (Some(o), Some(n)) => {
                let compare_numbers = matches!(p.how, How::Changed | How::Renamed);
                for (i, j) in cell_pairs(o, n) {
                    if !spans.is_empty() {
                        words::push(&mut spans, SpanOp::Same, " | ");
                    }
                    let side = |b: &Block, c: Option<usize>| c.map(|c| b.cells[c].clone());
                    let (x, y) = (side(o, i), side(n, j));
                    let diff = words::diff(x.as_deref().unwrap_or(""), y.as_deref().unwrap_or(""));
                    for s in &diff.spans {
                        words::push(&mut spans, s.op, &s.text);
                    }
                    if compare_numbers {
                        let at =
                            j.map_or_else(|| number_context(o, i), |j| number_context(n, Some(j)));
                        self.cell_numbers((x.as_deref(), y.as_deref()), &diff, &at, index);
                    }
                }
            }
            (Some(o), None) => self.whole(o, SpanOp::Deleted, index, &mut spans),
            (None, Some(n)) => self.whole(n, SpanOp::Inserted, index, &mut spans),
            (None, None) => {}
        }
        self.blocks.push(BlockChange {
            kind: shown.kind(),
            change,
            section: shown.section.clone(),
            context,
            old_context,
            old: old.map(Block::text),
            new: new.map(Block::text),
            spans,
        });
    }

    /// The numbers of a block added (`op` inserted) or removed (`op` deleted) whole, and its
    /// redline.
    fn whole(&mut self, b: &Block, op: SpanOp, index: usize, spans: &mut Vec<Span>) {
        words::push(spans, op, &b.text());
        for (c, cell) in b.cells.iter().enumerate() {
            for q in numbers::quantities(cell) {
                let q = Some(cell[q].to_string());
                let (old, new) = if op == SpanOp::Deleted {
                    (q, None)
                } else {
                    (None, q)
                };
                self.numbers.push(NumberChange {
                    context: number_context(b, Some(c)),
                    old,
                    new,
                    block: index,
                    with_block: true,
                });
            }
        }
    }

    /// The numbers that changed in one pair of cells (or one block's text), each changed
    /// stretch of words paired on its own.
    fn cell_numbers(
        &mut self,
        (old, new): (Option<&str>, Option<&str>),
        diff: &words::WordDiff,
        context: &[String],
        index: usize,
    ) {
        let mut hunks: std::collections::BTreeMap<usize, (Vec<&str>, Vec<&str>)> =
            std::collections::BTreeMap::new();
        for (text, old_side) in [(old, true), (new, false)] {
            let Some(text) = text else { continue };
            for q in numbers::quantities(text) {
                if let Some(h) = diff.hunk(old_side, &q) {
                    let entry = hunks.entry(h).or_default();
                    let side = if old_side { &mut entry.0 } else { &mut entry.1 };
                    side.push(&text[q]);
                }
            }
        }
        for (removed, added) in hunks.values() {
            for (o, n) in numbers::pair(removed, added) {
                self.numbers.push(NumberChange {
                    context: context.to_vec(),
                    old: o.map(str::to_string),
                    new: n.map(str::to_string),
                    block: index,
                    with_block: false,
                });
            }
        }
    }
}

/// A block's context labels as a change shows them: a table row's label last.
fn block_context(b: &Block) -> Vec<String> {
    let mut c = b.context.clone();
    c.extend(b.row_label().map(str::to_string));
    c
}

/// The context labels of a number in cell `cell` of `b`: the block's, then a table row's label
/// (unless the number is in it) and the cell's column header.
fn number_context(b: &Block, cell: Option<usize>) -> Vec<String> {
    let mut c = b.context.clone();
    let Some(cell) = cell.filter(|_| b.kind() == BlockKind::TableRow) else {
        return c;
    };
    if cell > 0 {
        c.extend(b.row_label().map(str::to_string));
    }
    c.extend(b.columns.get(cell).filter(|h| !h.is_empty()).cloned());
    c
}

/// Which cell of `old` is which cell of `new`: by column header when both tables have it, else
/// by place; cells only in the new row, then those only in the old one, unpaired.
fn cell_pairs(old: &Block, new: &Block) -> Vec<(Option<usize>, Option<usize>)> {
    let mut taken = vec![false; old.cells.len()];
    let mut out = Vec::new();
    for j in 0..new.cells.len() {
        let by_header = new.columns.get(j).and_then(|h| {
            (0..old.cells.len()).find(|&i| !taken[i] && old.columns.get(i) == Some(h))
        });
        let i = by_header.or((j < old.cells.len() && !taken[j]).then_some(j));
        if let Some(i) = i {
            taken[i] = true;
        }
        out.push((i, Some(j)));
    }
    out.extend(
        (0..old.cells.len())
            .filter(|&i| !taken[i])
            .map(|i| (Some(i), None)),
    );
    out
}

#[cfg(test)]
mod tests;
