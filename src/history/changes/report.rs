//! A change list as `wardbook changes` prints it: plain text for a terminal, JSON for tools, and
//! Markdown for release notes. Every title, version, summary, heading and number appears exactly
//! as written (Markdown escapes its own special characters, which the reader does not see).
//!
//! An updated guideline lists its changed numbers first (`place: old → new`, or added/removed,
//! "with its table row" when the whole block came or went), then its changed blocks, each as
//! its old and new text with the words that changed marked (text: `[-deleted-]` and
//! `{+inserted+}`; Markdown: `~~deleted~~` and `**inserted**`, or `<del>` and `<strong>` round
//! a stretch that starts or ends with punctuation, where Markdown's marks would not take), then
//! the blocks whose form only changed, apart.
//!
//! The JSON object has the keys `from` and `to` (the refs compared, as given), and `new`,
//! `updated`, `withdrawn`, `moved` (arrays, in path order). An entry of `new` and `withdrawn` is
//! `{source, title, version, withdrawal}`, `withdrawal` being `null` for a new one and for a
//! withdrawn one `{reason, approved_by, approved_date, date, replaced_by}` (`replaced_by`:
//! `{source, title}` or `null`); of `updated`, `{source, title, old_version, new_version,
//! change_summary, sections, blocks, numbers, versions, moved}`: each block `{kind, change,
//! section, context, old_context, old, new, spans}` with each span `{op:
//! same|deleted|inserted, text}`, each number `{context, old, new, block, with_block}` (`block`
//! indexes `blocks`), each version since the earlier edition `{version, date, change_summary,
//! approved_by, approved_date, amended}` (oldest first; `date` `null` when not committed yet) and
//! `moved` a move as below or `null`; of `moved`, `{source, old_source, title, from_section,
//! to_section, old_page}`. Absent values are `null`; paths are book-relative with `/`; dates
//! are `YYYY-MM-DD`.

use super::{ChangeList, Entry, Moved, Step, Updated, Withdrawal};
use crate::compare::{BlockChange, ChangeKind, NumberChange, side, trimmed};
use serde::Serialize;
use std::fmt::Write;

/// How to print a change list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Plain text, for a terminal.
    Text,
    /// A JSON object with stable keys, for tools.
    Json,
    /// Markdown, for release notes.
    Markdown,
}

/// The change list from `from` to `to` (refs as the reader named them) in `format`; ends with
/// a newline.
pub fn render(list: &ChangeList, from: &str, to: &str, format: ReportFormat) -> String {
    match format {
        ReportFormat::Text => text(list, from, to),
        ReportFormat::Json => json(list, from, to),
        ReportFormat::Markdown => markdown(list, from, to),
    }
}

#[derive(Serialize)]
struct Json<'a> {
    from: &'a str,
    to: &'a str,
    #[serde(flatten)]
    changes: &'a ChangeList,
}

fn json(list: &ChangeList, from: &str, to: &str) -> String {
    let doc = Json {
        from,
        to,
        changes: list,
    };
    // Plain data with string keys: serialising it cannot fail.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A version for reading: as written, or "none".
fn version(v: Option<&str>) -> &str {
    v.unwrap_or("none")
}

/// `old → new` of an updated guideline's versions.
fn versions(u: &Updated) -> String {
    format!(
        "{} → {}",
        version(u.old_version.as_deref()),
        version(u.new_version.as_deref())
    )
}

/// One changed number: `24 hours → 48 hours`, `added 5 mg`, `removed 10 mL with its table row`.
pub fn number(n: &NumberChange, blocks: &[BlockChange]) -> String {
    let with = match blocks.get(n.block) {
        Some(b) if n.with_block => format!(" with its {}", b.kind.as_str()),
        _ => String::new(),
    };
    match (&n.old, &n.new) {
        (Some(o), Some(n)) => format!("{o} → {n}"),
        (None, Some(n)) => format!("added {n}{with}"),
        (Some(o), None) => format!("removed {o}{with}"),
        (None, None) => String::new(),
    }
}

/// A block's heading line: `Treatment · IV/IO, table row changed` (and where a moved block was).
fn block_line(b: &BlockChange) -> String {
    let mut s = format!("{}, {} {}", b.place(), b.kind.as_str(), b.change.as_str());
    if let Some(was) = &b.old_context {
        let was = if was.is_empty() {
            crate::compare::OPENING.to_string()
        } else {
            was.join(" · ")
        };
        s.push_str(&format!(" from {was}"));
    }
    s
}

/// How a report marks the changed words of one side: the marks round them, and how its text is
/// written.
struct Marks {
    /// Before and after a changed stretch.
    open: &'static str,
    close: &'static str,
    /// The same as HTML, for a stretch that starts or ends with punctuation, where Markdown's
    /// `~~` and `**` would not take.
    html: Option<(&'static str, &'static str)>,
    /// How text is written (Markdown escapes).
    esc: fn(&str) -> String,
}

const TEXT_DELETED: Marks = Marks {
    open: "[-",
    close: "-]",
    html: None,
    esc: plain,
};
const TEXT_INSERTED: Marks = Marks {
    open: "{+",
    close: "+}",
    html: None,
    esc: plain,
};
const MD_DELETED: Marks = Marks {
    open: "~~",
    close: "~~",
    html: Some(("<del>", "</del>")),
    esc: md,
};
const MD_INSERTED: Marks = Marks {
    open: "**",
    close: "**",
    html: Some(("<strong>", "</strong>")),
    esc: md,
};

/// One side of a block's redline, each changed stretch marked round its words (not its
/// spaces), every piece written as `m` writes text.
fn marked(b: &BlockChange, old: bool, m: &Marks) -> String {
    let mut s = String::new();
    for (changed, text) in side(&b.spans, old) {
        let (lead, core, tail) = trimmed(text);
        if !changed || core.is_empty() {
            s.push_str(&(m.esc)(text));
            continue;
        }
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let words = alnum(core.chars().next()) && alnum(core.chars().last());
        let (open, close) = match m.html {
            Some(html) if !words => html,
            _ => (m.open, m.close),
        };
        s.push_str(&(m.esc)(lead));
        s.push_str(open);
        s.push_str(&(m.esc)(core));
        s.push_str(close);
        s.push_str(&(m.esc)(tail));
    }
    s
}

/// The sides of a block's change a report shows, each `(label, old side?)`: old and new; a
/// moved or format-only block once, as it is now, when its text as read is the same.
pub fn sides(b: &BlockChange) -> Vec<(&'static str, bool)> {
    match b.change {
        ChangeKind::Added => vec![("New", false)],
        ChangeKind::Removed => vec![("Old", true)],
        ChangeKind::Moved | ChangeKind::FormatOnly if b.old == b.new => vec![("Now", false)],
        _ => vec![("Old", true), ("New", false)],
    }
}

fn plain(s: &str) -> String {
    s.to_string()
}

/// An updated guideline's numbers, changed blocks and format-only blocks, in text.
fn text_body(s: &mut String, u: &Updated) {
    let blocks = &u.text.blocks;
    if !u.text.numbers.is_empty() {
        s.push_str("    Numbers:\n");
    }
    for n in &u.text.numbers {
        let _ = writeln!(s, "      {}: {}", n.place(), number(n, blocks));
    }
    for (title, format_only) in [("Changes", false), ("Format only", true)] {
        let mut shown = blocks
            .iter()
            .filter(|b| (b.change == ChangeKind::FormatOnly) == format_only)
            .peekable();
        if shown.peek().is_some() {
            let _ = writeln!(s, "    {title}:");
        }
        for b in shown {
            let _ = writeln!(s, "      {}", block_line(b));
            for (label, old) in sides(b) {
                let marks = if old { &TEXT_DELETED } else { &TEXT_INSERTED };
                let _ = writeln!(s, "        {label}: {}", marked(b, old, marks));
            }
        }
    }
}

/// `text` with every line after the first indented by `indent`.
fn indented(text: &str, indent: &str) -> String {
    text.trim_end().replace('\n', &format!("\n{indent}"))
}

fn text(list: &ChangeList, from: &str, to: &str) -> String {
    let mut s = format!(
        "Changes from {from} to {to}: {} new, {} updated, {} withdrawn, {} moved\n",
        list.new.len(),
        list.updated.len(),
        list.withdrawn.len(),
        list.moved.len()
    );
    let entries = |s: &mut String, name: &str, entries: &[Entry]| {
        let _ = write!(s, "\n{name}\n");
        if entries.is_empty() {
            s.push_str("  none\n");
        }
        for e in entries {
            let _ = writeln!(
                s,
                "  {} ({}), version {}",
                e.title,
                e.source.display(),
                version(e.version.as_deref())
            );
        }
    };
    entries(&mut s, "New", &list.new);
    s.push_str("\nUpdated\n");
    if list.updated.is_empty() {
        s.push_str("  none\n");
    }
    for u in &list.updated {
        let _ = writeln!(
            s,
            "  {} ({}), version {}",
            u.title,
            u.source.display(),
            versions(u)
        );
        if let Some(summary) = &u.change_summary {
            let _ = writeln!(s, "    Summary: {}", indented(summary, "      "));
        }
        text_governance(&mut s, u);
        let _ = writeln!(s, "    Sections: {}", u.sections.join("; "));
        text_body(&mut s, u);
    }
    text_withdrawn(&mut s, &list.withdrawn);
    s.push_str("\nMoved\n");
    if list.moved.is_empty() {
        s.push_str("  none\n");
    }
    for m in &list.moved {
        let _ = writeln!(s, "  {}: {}", m.title, moved_text(m));
    }
    s
}

/// A version's date for reading: ISO, or "not committed yet".
fn step_date(d: Option<jiff::civil::Date>) -> String {
    d.map_or_else(|| "not committed yet".to_string(), |d| d.to_string())
}

/// "approved by X on D", "approved by X", "approved on D", or nothing (every surface of the
/// change list says an approval the same way).
pub fn approval(by: Option<&str>, on: Option<&str>) -> Option<String> {
    match (by, on) {
        (Some(b), Some(d)) => Some(format!("approved by {b} on {d}")),
        (Some(b), None) => Some(format!("approved by {b}")),
        (None, Some(d)) => Some(format!("approved on {d}")),
        (None, None) => None,
    }
}

/// One version since the earlier edition: `1.1, 2026-03-03: summary (approved by X on D)`;
/// a text edited without a new version is `1.1 (amended), …`.
fn step_text(step: &Step) -> String {
    let amended = if step.amended { " (amended)" } else { "" };
    let mut t = format!("{}{amended}, {}", step.version, step_date(step.date));
    if let Some(summary) = &step.change_summary {
        let _ = write!(t, ": {summary}");
    }
    if let Some(a) = approval(step.approved_by.as_deref(), step.approved_date.as_deref()) {
        let _ = write!(t, " ({a})");
    }
    t
}

/// `Moved from Endocrine to Emergency; file a → b; its old address e/x.html still leads to it`.
fn moved_text(m: &Moved) -> String {
    let mut t = match (&m.from_section, &m.to_section) {
        (Some(a), Some(b)) if a != b => format!("Moved from {a} to {b}; file "),
        _ => "File ".to_string(),
    };
    let _ = write!(t, "{} → {}", m.old_source.display(), m.source.display());
    if let Some(page) = &m.old_page {
        let _ = write!(t, "; its old address {page} still leads to it");
    }
    t
}

/// An updated guideline's move and versions since the earlier edition, in the text report.
fn text_governance(s: &mut String, u: &Updated) {
    if let Some(m) = &u.moved {
        let _ = writeln!(s, "    {}", moved_text(m));
    }
    if !u.versions.is_empty() {
        s.push_str("    Versions:\n");
    }
    for step in &u.versions {
        let _ = writeln!(s, "      {}", indented(&step_text(step), "        "));
    }
}

/// Why, by whom and when a guideline was withdrawn, and what replaces it: the lines under it.
fn withdrawal_lines(w: &Withdrawal) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(reason) = &w.reason {
        out.push(format!("Reason: {reason}"));
    }
    let approved = approval(w.approved_by.as_deref(), w.approved_date.as_deref());
    match (approved, w.date) {
        (Some(a), Some(d)) => out.push(format!("{}; withdrawn on {d}", capital(&a))),
        (Some(a), None) => out.push(capital(&a)),
        (None, Some(d)) => out.push(format!("Withdrawn on {d}")),
        (None, None) => {}
    }
    if let Some(r) = &w.replaced_by {
        out.push(format!("Use instead: {} ({})", r.title, r.source.display()));
    }
    out
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The withdrawn guidelines in the text report, each with its withdrawal.
fn text_withdrawn(s: &mut String, entries: &[Entry]) {
    s.push_str("\nWithdrawn\n");
    if entries.is_empty() {
        s.push_str("  none\n");
    }
    for e in entries {
        let _ = writeln!(
            s,
            "  {} ({}), version {}",
            e.title,
            e.source.display(),
            version(e.version.as_deref())
        );
        for line in e.withdrawal.iter().flat_map(withdrawal_lines) {
            let _ = writeln!(s, "    {}", indented(&line, "      "));
        }
    }
}

/// `s` with Markdown's special characters escaped, so it shows as written.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A path as inline code, with a fence longer than any run of backticks in it.
fn code(p: &std::path::Path) -> String {
    let p = p.to_string_lossy();
    let longest = p.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{p}{fence}")
    } else {
        format!("{fence} {p} {fence}")
    }
}

/// An updated guideline's numbers, changed blocks and format-only blocks, in Markdown.
fn markdown_body(s: &mut String, u: &Updated) {
    let blocks = &u.text.blocks;
    if !u.text.numbers.is_empty() {
        s.push_str("  - Numbers changed:\n");
    }
    for n in &u.text.numbers {
        let _ = writeln!(s, "    - {}: {}", md(&n.place()), md(&number(n, blocks)));
    }
    for (title, format_only) in [("Changes", false), ("Format only", true)] {
        let mut shown = blocks
            .iter()
            .filter(|b| (b.change == ChangeKind::FormatOnly) == format_only)
            .peekable();
        if shown.peek().is_some() {
            let _ = writeln!(s, "  - {title}:");
        }
        for b in shown {
            let _ = writeln!(s, "    - {}", md(&block_line(b)));
            for (label, old) in sides(b) {
                let marks = if old { &MD_DELETED } else { &MD_INSERTED };
                let _ = writeln!(s, "      - {label}: {}", marked(b, old, marks));
            }
        }
    }
}

fn markdown(list: &ChangeList, from: &str, to: &str) -> String {
    let mut s = format!(
        "# Changes since {}\n\nFrom {} to {}.\n",
        md(from),
        md(from),
        md(to)
    );
    let entries = |s: &mut String, name: &str, entries: &[Entry]| {
        let _ = write!(s, "\n## {name}\n\n");
        if entries.is_empty() {
            s.push_str("None.\n");
        }
        for e in entries {
            let _ = writeln!(
                s,
                "- **{}** ({}), version {}",
                md(&e.title),
                code(&e.source),
                md(version(e.version.as_deref()))
            );
        }
    };
    entries(&mut s, "New", &list.new);
    s.push_str("\n## Updated\n\n");
    if list.updated.is_empty() {
        s.push_str("None.\n");
    }
    for u in &list.updated {
        let _ = writeln!(
            s,
            "- **{}** ({}), version {}",
            md(&u.title),
            code(&u.source),
            md(&versions(u))
        );
        if let Some(summary) = &u.change_summary {
            let _ = writeln!(s, "  - Summary: {}", indented(&md(summary), "    "));
        }
        markdown_governance(&mut s, u);
        let sections: Vec<String> = u.sections.iter().map(|h| md(h)).collect();
        let _ = writeln!(s, "  - Sections changed: {}", sections.join("; "));
        markdown_body(&mut s, u);
    }
    markdown_withdrawn(&mut s, &list.withdrawn);
    s.push_str("\n## Moved\n\n");
    if list.moved.is_empty() {
        s.push_str("None.\n");
    }
    for m in &list.moved {
        let _ = writeln!(s, "- **{}**: {}", md(&m.title), moved_markdown(m));
    }
    s
}

/// [`moved_text`] in Markdown: paths as code.
fn moved_markdown(m: &Moved) -> String {
    let mut t = match (&m.from_section, &m.to_section) {
        (Some(a), Some(b)) if a != b => format!("Moved from {} to {}; file ", md(a), md(b)),
        _ => "File ".to_string(),
    };
    let _ = write!(t, "{} → {}", code(&m.old_source), code(&m.source));
    if let Some(page) = &m.old_page {
        let _ = write!(
            t,
            "; its old address {} still leads to it",
            code(std::path::Path::new(page))
        );
    }
    t
}

/// An updated guideline's move and versions since the earlier edition, in Markdown.
fn markdown_governance(s: &mut String, u: &Updated) {
    if let Some(m) = &u.moved {
        let _ = writeln!(s, "  - {}", moved_markdown(m));
    }
    if !u.versions.is_empty() {
        s.push_str("  - Versions:\n");
    }
    for step in &u.versions {
        let _ = writeln!(s, "    - {}", indented(&md(&step_text(step)), "      "));
    }
}

/// The withdrawn guidelines in Markdown, each with its withdrawal.
fn markdown_withdrawn(s: &mut String, entries: &[Entry]) {
    s.push_str("\n## Withdrawn\n\n");
    if entries.is_empty() {
        s.push_str("None.\n");
    }
    for e in entries {
        let _ = writeln!(
            s,
            "- **{}** ({}), version {}",
            md(&e.title),
            code(&e.source),
            md(version(e.version.as_deref()))
        );
        for line in e.withdrawal.iter().flat_map(withdrawal_lines) {
            let _ = writeln!(s, "  - {}", indented(&md(&line), "    "));
        }
    }
}
