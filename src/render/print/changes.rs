//! The printed book's "Changes in this edition" chapter, after the contents: the same lists as
//! `changes.html` (new, updated, withdrawn, moved since the previous edition), each guideline with
//! the page it starts on in this book, or "withdrawn" where it has none. It opens with the
//! guidelines whose numbers changed; an updated guideline lists its changed numbers with their
//! place, then each changed block old and new with the changed words marked (deleted struck
//! through, inserted bold), then the blocks whose form only changed; its versions since the previous edition and
//! its move. A withdrawn one has its reason, approval and replacement, a move its sections and
//! old address. Every text reaches the
//! template (`wb-changes` in `book.typ`) as a Typst string literal; the template sets each number
//! with its unit in a box, so no line breaks inside it.

use super::literal::string;
use super::markup::guideline_label;
use crate::content::{Book, Status};
use crate::history::changes::report::approval;
use crate::history::{ChangeList, Edition, Moved, Updated, Withdrawal};
use crate::render::Since;
use crate::render::changes::{BlockView, Guidelines, NumberView, views};
use crate::render::views::long_date;
use std::fmt::Write as _;
use std::path::Path;

/// Title of the chapter, in the contents and as its heading.
pub const TITLE: &str = "Changes in this edition";

/// Label of the chapter's heading (`book.typ` sets it).
pub const LABEL: &str = "wb-changes";

/// About how many half pages the chapter takes (for the page-number guesses after it): an entry
/// is a line or two, an updated guideline a line per section and number more.
pub fn half_pages(since: Option<Since<'_>>) -> usize {
    let Some((_, c)) = since else {
        return 0;
    };
    let lines = c.new.len()
        + c.withdrawn.len()
        + 2 * c.moved.len()
        + c.updated
            .iter()
            .map(|u| 3 + u.sections.len() + u.text.numbers.len() + 3 * u.text.blocks.len())
            .sum::<usize>();
    2 + lines / 25
}

/// The chapter's entry in the contents (a line of `wb-contents`' list).
pub fn contents_entry(guess: &str) -> String {
    format!(
        "  (title: {}, target: <{LABEL}>, guess: \"{guess}\", children: ()),\n",
        string(TITLE)
    )
}

/// Writes the chapter into `main.typ` (`s`): what changed `since` the previous edition.
/// `printed` are the printed guidelines' indices, `guesses` their page-number guesses.
pub fn write(
    book: &Book,
    (previous, changes): Since<'_>,
    printed: &[usize],
    guesses: &[String],
    s: &mut String,
) {
    let mut is_printed = vec![false; book.guidelines.len()];
    for &i in printed {
        is_printed[i] = true;
    }
    let at = Place {
        book,
        lookup: Guidelines::new(book),
        printed: &is_printed,
        guesses,
    };
    chapter(&at, previous, changes, s);
}

/// Where an entry's guideline is in the printed book.
struct Place<'a> {
    book: &'a Book,
    lookup: Guidelines<'a>,
    printed: &'a [bool],
    guesses: &'a [String],
}

impl Place<'_> {
    /// `target: <label>, guess: "…", note: none` for a printed guideline; otherwise no target
    /// and a note saying why it has no page.
    fn of(&self, source: &Path) -> String {
        match self.lookup.index(source) {
            Some(i) if self.printed[i] => format!(
                "target: <{}>, guess: \"{}\", note: none",
                guideline_label(i),
                self.guesses[i]
            ),
            Some(i) if self.book.guidelines[i].front.status == Status::Draft => {
                "target: none, guess: \"\", note: \"not printed (draft)\"".into()
            }
            _ => "target: none, guess: \"\", note: \"withdrawn\"".into(),
        }
    }
}

fn opt(v: Option<&str>) -> String {
    v.map_or_else(|| "none".to_string(), string)
}

fn strings<'s>(items: impl Iterator<Item = &'s str>) -> String {
    // A trailing comma keeps a one-item list an array in Typst.
    items.map(|t| string(t) + ", ").collect()
}

fn chapter(at: &Place<'_>, previous: &Edition, c: &ChangeList, s: &mut String) {
    let _ = writeln!(
        s,
        "#wb-changes(title: {}, since: {}, date: {},",
        string(TITLE),
        string(&previous.label),
        string(&long_date(previous.commit.date))
    );
    let simple = |e: &crate::history::Entry| {
        format!(
            "(title: {}, version: {}, {}), ",
            string(&e.title),
            opt(e.version.as_deref()),
            at.of(&e.source)
        )
    };
    let _ = writeln!(
        s,
        "  new: ({}),",
        c.new.iter().map(simple).collect::<String>()
    );
    let numbered: String = c
        .updated
        .iter()
        .filter(|u| u.text.numbers_changed())
        .map(|u| format!("(title: {}, {}), ", string(&u.title), at.of(&u.source)))
        .collect();
    let _ = writeln!(s, "  numbered: ({numbered}),");
    s.push_str("  updated: (\n");
    for u in &c.updated {
        let (numbers, blocks, format_only) = views(u);
        let numbers: String = numbers.iter().map(number).collect();
        let _ = writeln!(
            s,
            "    (title: {}, {}, old: {}, new: {}, summary: {}, sections: ({}), numbers: ({numbers}), blocks: ({}), format: ({}), {}),",
            string(&u.title),
            at.of(&u.source),
            opt(u.old_version.as_deref()),
            opt(u.new_version.as_deref()),
            opt(u.change_summary.as_deref()),
            strings(u.sections.iter().map(String::as_str)),
            blocks.iter().map(block).collect::<String>(),
            format_only.iter().map(block).collect::<String>(),
            governance(u),
        );
    }
    s.push_str("  ),\n");
    let withdrawn: String = c
        .withdrawn
        .iter()
        .map(|e| {
            format!(
                "(title: {}, version: {}, target: none, guess: \"\", note: \"withdrawn\", {}), ",
                string(&e.title),
                opt(e.version.as_deref()),
                withdrawal(at, e.withdrawal.as_ref()),
            )
        })
        .collect();
    let _ = writeln!(s, "  withdrawn: ({withdrawn}),");
    let moved: String = c
        .moved
        .iter()
        .map(|m| {
            format!(
                "(title: {}, from: {}, to: {}, {}, place: {}), ",
                string(&m.title),
                string(&file_name(&m.old_source)),
                string(&file_name(&m.source)),
                at.of(&m.source),
                string(&place(m)),
            )
        })
        .collect();
    let _ = writeln!(s, "  moved: ({moved}),\n)");
}

/// A changed number as a Typst dictionary.
fn number(n: &NumberView) -> String {
    format!(
        "(place: {}, old: {}, new: {}, with: {}), ",
        string(&n.place),
        opt(n.old.as_deref()),
        opt(n.new.as_deref()),
        opt(n.with)
    )
}

/// A changed block as a Typst dictionary: its line and its sides, each a list of pieces
/// (`mark`: "del", "ins" or none).
fn block(b: &BlockView) -> String {
    let mut line = format!("{} ({}, {}", b.place, b.kind, b.change);
    if let Some(was) = &b.was {
        line.push_str(&format!("; was under {was}"));
    }
    line.push(')');
    let sides: String = b
        .sides
        .iter()
        .map(|side| {
            let pieces: String = side
                .pieces
                .iter()
                .map(|p| {
                    format!(
                        "(mark: {}, lead: {}, text: {}, tail: {}), ",
                        opt(p.mark),
                        string(&p.lead),
                        string(&p.text),
                        string(&p.tail)
                    )
                })
                .collect();
            format!("(label: {}, pieces: ({pieces})), ", string(side.label))
        })
        .collect();
    format!("(line: {}, sides: ({sides})), ", string(&line))
}

fn file_name(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// "Moved from Endocrine to Emergency; its old web address e/x.html still leads to it."
fn place(m: &Moved) -> String {
    let mut t = match (&m.from_section, &m.to_section) {
        (Some(a), Some(b)) if a != b => format!("Moved from {a} to {b}"),
        _ => "Moved".to_string(),
    };
    if let Some(page) = &m.old_page {
        t.push_str(&format!("; its old web address {page} still leads to it"));
    }
    t.push('.');
    t
}

/// An updated guideline's versions since the previous edition and its move, as the fields
/// `steps: ((version, date, summary, approval), …), moved: "…" | none`.
fn governance(u: &Updated) -> String {
    let steps: String = u
        .versions
        .iter()
        .map(|v| {
            let date = v
                .date
                .map_or_else(|| "not committed yet".to_string(), long_date);
            format!(
                "(version: {}, date: {}, summary: {}, approval: {}), ",
                string(&if v.amended {
                    format!("{} (amended, no new version)", v.version)
                } else {
                    v.version.clone()
                }),
                string(&date),
                opt(v.change_summary.as_deref()),
                opt(approval(v.approved_by.as_deref(), v.approved_date.as_deref()).as_deref()),
            )
        })
        .collect();
    let moved = u.moved.as_ref().map(place);
    format!("steps: ({steps}), moved: {}", opt(moved.as_deref()))
}

/// A withdrawal as the fields `reason: "…" | none, approval: "…" | none, use: (title, target,
/// guess, note) | none`.
fn withdrawal(at: &Place<'_>, w: Option<&Withdrawal>) -> String {
    let Some(w) = w else {
        return "reason: none, approval: none, use: none".into();
    };
    let approved = approval(w.approved_by.as_deref(), w.approved_date.as_deref());
    let line = match (approved, w.date) {
        (Some(a), Some(d)) => Some(format!("A{}; withdrawn on {}.", &a[1..], long_date(d))),
        (Some(a), None) => Some(format!("A{}.", &a[1..])),
        (None, Some(d)) => Some(format!("Withdrawn on {}.", long_date(d))),
        (None, None) => None,
    };
    let replacement = w.replaced_by.as_ref().map_or_else(
        || "none".to_string(),
        |r| format!("(title: {}, {})", string(&r.title), at.of(&r.source)),
    );
    format!(
        "reason: {}, approval: {}, use: {replacement}",
        opt(w.reason.as_deref()),
        opt(line.as_deref())
    )
}
