//! The governance rules that read a guideline's earlier versions: `version-order` (the version
//! in force is higher than every earlier one, compared as dotted numbers) and
//! `summary-not-updated` (a new version has its own `change_summary`, and an `approved_date`
//! not earlier than the previous version's date). Each diagnostic is at the front-matter key it
//! is about, with the rule's help; `[lint]` sets its level.
//!
//! Only the version in force now (the working tree's front matter) is judged, against the
//! revisions of other versions before it in the history (an amended text of the same version is
//! no earlier version): a mistake in versions long replaced cannot be fixed, so it
//! is not reported.

use super::{FileHistory, History, Revision};
use crate::content::{Book, Guideline, Status};
use crate::diag::{Diagnostic, Severity};
use crate::lint::rules::{
    SUMMARY_NOT_UPDATED, SUMMARY_NOT_UPDATED_HELP, VERSION_ORDER, VERSION_ORDER_HELP,
};
use jiff::civil::Date;
use std::cmp::Ordering;

/// `version-order` and `summary-not-updated` diagnostics for every guideline of `book` that is
/// not withdrawn and has a `version`, against its versions in `history`.
pub fn check(history: &History, book: &Book) -> Vec<Diagnostic> {
    let level = |id| {
        crate::lint::rules::find(id).and_then(|r| crate::lint::rules::severity(&book.config, r))
    };
    let (order, summary) = (level(VERSION_ORDER), level(SUMMARY_NOT_UPDATED));
    let mut out = Vec::new();
    for g in &book.guidelines {
        let (Some(version), Some(fh)) = (g.front.version.as_deref(), history.file(&g.source))
        else {
            continue;
        };
        if g.front.status == Status::Withdrawn {
            continue;
        }
        let earlier = earlier(fh, version);
        if let Some(severity) = order {
            out.extend(version_order(g, version, earlier, severity));
        }
        if let (Some(severity), Some(previous)) = (summary, earlier.last())
            && previous.version != version
        {
            out.extend(summary_not_updated(g, version, previous, severity));
        }
    }
    out
}

/// The revisions of `fh` before the version in force now, whose value is `version`: all
/// committed revisions when the working tree's version is not committed yet, else all but the
/// trailing ones of that version (its amended texts).
fn earlier<'h>(fh: &'h FileHistory, version: &str) -> &'h [Revision] {
    let revisions = &fh.revisions;
    let in_force = fh.removed.is_none()
        && revisions
            .last()
            .is_some_and(|l| l.until.is_none() && l.version == version);
    if !in_force {
        return revisions;
    }
    let same = revisions
        .iter()
        .rev()
        .take_while(|r| r.version == version)
        .count();
    &revisions[..revisions.len() - same]
}

/// A version as dotted numbers (`1.10` → [1, 10]; a leading `v` aside); `None` when a part is
/// not a number (`2a`, `draft`), and then it is compared with nothing.
fn dotted(version: &str) -> Option<Vec<u64>> {
    let v = version.trim();
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
    v.split('.').map(|p| p.trim().parse().ok()).collect()
}

/// `a` against `b` as dotted numbers, missing parts counting as 0 (`1` = `1.0`); `None` when
/// either is not a dotted number.
pub fn compare_versions(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (dotted(a)?, dotted(b)?);
    let n = a.len().max(b.len());
    let at = |v: &[u64], i: usize| v.get(i).copied().unwrap_or(0);
    Some(
        (0..n)
            .map(|i| at(&a, i).cmp(&at(&b, i)))
            .fold(Ordering::Equal, Ordering::then),
    )
}

/// The `version-order` error for `g` when `version` is not higher than an earlier version;
/// names the highest such.
fn version_order(
    g: &Guideline,
    version: &str,
    earlier: &[Revision],
    severity: Severity,
) -> Option<Diagnostic> {
    let worst = earlier
        .iter()
        .filter(|e| compare_versions(version, &e.version).is_some_and(Ordering::is_le))
        .max_by(|a, b| compare_versions(&a.version, &b.version).unwrap_or(Ordering::Equal))?;
    let (line, col, span) = crate::content::frontmatter::key_at(&g.text, "version");
    let message = format!(
        "version {version} of \"{}\" is not higher than its earlier version {} (in force from {})",
        g.front.title, worst.version, worst.from
    );
    Some(
        Diagnostic::error(&g.source, line, col, VERSION_ORDER, message)
            .with_severity(severity)
            .with_help(VERSION_ORDER_HELP)
            .with_source(&g.text, span),
    )
}

/// The `summary-not-updated` warnings for `g`, a new version `version` after `previous`: the
/// same `change_summary`, an `approved_date` earlier than the previous version's (its
/// `approved_date`, or when it has none, the date it came into force).
fn summary_not_updated(
    g: &Guideline,
    version: &str,
    previous: &Revision,
    severity: Severity,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = |key: &str, message: String| {
        let (line, col, span) = crate::content::frontmatter::key_at(&g.text, key);
        Diagnostic::error(&g.source, line, col, SUMMARY_NOT_UPDATED, message)
            .with_severity(severity)
            .with_help(SUMMARY_NOT_UPDATED_HELP)
            .with_source(&g.text, span)
    };
    if let Some(summary) = &g.front.change_summary
        && previous.change_summary.as_deref().map(str::trim) == Some(summary.as_str())
    {
        out.push(at(
            "change_summary",
            format!(
                "the change_summary of version {version} is the same as version {}'s: \"{summary}\"",
                previous.version
            ),
        ));
    }
    let approved = previous
        .approved_date
        .as_deref()
        .and_then(|d| crate::content::parse_date(d.trim()));
    let (then, what): (Date, &str) = match approved {
        Some(d) => (d, "was approved"),
        None => (previous.from, "came into force"),
    };
    if let Some(date) = g.front.approved_date.filter(|d| *d < then) {
        out.push(at(
            "approved_date",
            format!(
                "approved_date {date} of version {version} is earlier than {then}, when version {} {what}",
                previous.version
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_dotted_numbers() {
        assert_eq!(compare_versions("1.10", "1.9"), Some(Ordering::Greater));
        assert_eq!(compare_versions("4.9", "5.0"), Some(Ordering::Less));
        assert_eq!(compare_versions("1", "1.0"), Some(Ordering::Equal));
        assert_eq!(compare_versions("v2", "1.9.9"), Some(Ordering::Greater));
        assert_eq!(compare_versions("2a", "1"), None);
        assert_eq!(compare_versions("1..2", "1"), None);
    }
}
