//! A change list as `wardbook changes` prints it: plain text for a terminal, JSON for tools, and
//! Markdown for release notes. Every title, version, summary, heading and number appears exactly
//! as written (Markdown escapes its own special characters, which the reader does not see).
//!
//! The JSON object has the keys `from` and `to` (the refs compared, as given), and `new`,
//! `updated`, `withdrawn`, `moved` (arrays, in path order). An entry of `new` and `withdrawn` is
//! `{source, title, version}`; of `updated`, `{source, title, old_version, new_version,
//! change_summary, sections, numbers}` with each number `{section, old, new}`; of `moved`,
//! `{source, old_source, title}`. Absent values are `null`; paths are book-relative with `/`.

use super::{ChangeList, Entry, Updated};
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

/// One changed number: `24 hours → 48 hours`, `added 5 mg`, `removed 10 mL`.
fn number(old: Option<&str>, new: Option<&str>) -> String {
    match (old, new) {
        (Some(o), Some(n)) => format!("{o} → {n}"),
        (None, Some(n)) => format!("added {n}"),
        (Some(o), None) => format!("removed {o}"),
        (None, None) => String::new(),
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
        let _ = writeln!(s, "    Sections: {}", u.sections.join("; "));
        for n in &u.numbers {
            let _ = writeln!(
                s,
                "    {}: {}",
                n.section,
                number(n.old.as_deref(), n.new.as_deref())
            );
        }
    }
    entries(&mut s, "Withdrawn", &list.withdrawn);
    s.push_str("\nMoved\n");
    if list.moved.is_empty() {
        s.push_str("  none\n");
    }
    for m in &list.moved {
        let _ = writeln!(
            s,
            "  {}: {} → {}",
            m.title,
            m.old_source.display(),
            m.source.display()
        );
    }
    s
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
        let sections: Vec<String> = u.sections.iter().map(|h| md(h)).collect();
        let _ = writeln!(s, "  - Sections changed: {}", sections.join("; "));
        for n in &u.numbers {
            let _ = writeln!(
                s,
                "  - {}: {}",
                md(&n.section),
                md(&number(n.old.as_deref(), n.new.as_deref()))
            );
        }
    }
    entries(&mut s, "Withdrawn", &list.withdrawn);
    s.push_str("\n## Moved\n\n");
    if list.moved.is_empty() {
        s.push_str("None.\n");
    }
    for m in &list.moved {
        let _ = writeln!(
            s,
            "- **{}**: {} → {}",
            md(&m.title),
            code(&m.old_source),
            code(&m.source)
        );
    }
    s
}
