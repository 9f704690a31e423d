//! Keeping local text in step: a local section or whole replacement approved against a network
//! version that is no longer the network's is `local-variation-stale` — a warning, or an error
//! when a number (with its unit) in the replaced network text changed since that version, in
//! the terms of the change list's comparison. The earlier text comes from the book's history;
//! without it, or when that version is not in it, the warning says numbers could not be compared.

use super::apply::{Applied, Stale, VariationKind};
use crate::diag::Diagnostic;
use crate::history::History;

/// Rule id of the stale warning and error.
pub const RULE: &str = "local-variation-stale";

/// Marks every variation whose approval the network has moved past, with its diagnostic.
pub fn check(applied: &mut Applied, history: Option<&History>, diags: &mut Vec<Diagnostic>) {
    let slug = applied.slug().to_string();
    for v in &mut applied.variations {
        let Some(a) = &v.approval else { continue };
        let moved = v.network_version.as_deref() != Some(a.against.as_str());
        let old = history.and_then(|h| old_body(h, &v.source, &a.against, a.date));
        let numbers = old.map(|old| match &v.kind {
            VariationKind::Sections(secs) => {
                let old_secs = super::sections::sections(&old);
                secs.iter()
                    .flat_map(|s| {
                        let before = old_secs
                            .iter()
                            .find(|o| o.id == s.id)
                            .map_or("", |o| &old[o.range.clone()]);
                        numbers(before, &s.network)
                    })
                    .collect()
            }
            VariationKind::Whole { network, .. } => numbers(&old, network),
            VariationKind::LocalOnly { .. } => Vec::new(),
        });
        let stale = Stale {
            approved_against: a.against.clone(),
            now: v.network_version.clone(),
            numbers,
        };
        // An edit without a version bump that changed a number is out of step too.
        if !moved && !stale.numbers_changed() {
            continue;
        }
        diags.push(diagnostic(&slug, v, &stale));
        v.stale = Some(stale);
    }
}

fn diagnostic(slug: &str, v: &super::Variation, s: &Stale) -> Diagnostic {
    let now = s
        .now
        .as_deref()
        .map_or("no version".to_string(), |n| format!("version {n}"));
    let line = v.approval.as_ref().map_or(0, |a| a.against_line);
    let base = if s.now.as_deref() == Some(s.approved_against.as_str()) {
        format!(
            "the network text that the local text for {} in {slug} replaces was edited since its approval, still as version {}",
            v.source.display(),
            s.approved_against
        )
    } else {
        format!(
            "the local text for {} in {slug} was approved against network version {}, and the network's is now {now}",
            v.source.display(),
            s.approved_against
        )
    };
    let d = match &s.numbers {
        Some(n) if !n.is_empty() => {
            let list: Vec<String> = n
                .iter()
                .map(|(o, n)| {
                    format!(
                        "{} → {}",
                        o.as_deref().unwrap_or("(none)"),
                        n.as_deref().unwrap_or("(none)")
                    )
                })
                .collect();
            Diagnostic::error(
                &v.file,
                line,
                1,
                RULE,
                format!(
                    "{base}; numbers in the replaced network text changed: {}",
                    list.join(", ")
                ),
            )
        }
        Some(_) => Diagnostic::warning(
            &v.file,
            line,
            1,
            RULE,
            format!("{base}; no number in the replaced network text changed"),
        ),
        None => Diagnostic::warning(
            &v.file,
            line,
            1,
            RULE,
            format!(
                "{base}; its numbers could not be compared (version {} is not in the book's history)",
                s.approved_against
            ),
        ),
    };
    d.with_help("review the local text against the network's, then set approved_against, approved_by and approved_date to the new approval")
}

/// The numbers (with their units) that changed from `old` to `new`, old → new, in the terms
/// of the change list's comparison.
fn numbers(old: &str, new: &str) -> Vec<(Option<String>, Option<String>)> {
    crate::compare::compare(old, new)
        .numbers
        .into_iter()
        .map(|n| (n.old, n.new))
        .collect()
}

/// The body of `source`'s network version `version` as approved on `approved` (the revision of
/// that version in force that day; else its last revision), from history.
fn old_body(
    h: &History,
    source: &std::path::Path,
    version: &str,
    approved: jiff::civil::Date,
) -> Option<String> {
    let file = h.files.iter().find(|f| f.source == source)?;
    let of_version = || file.revisions.iter().filter(|r| r.version == version);
    let in_force = of_version()
        .find(|r| r.from <= approved && r.until.as_ref().is_none_or(|u| u.date > approved));
    let r = in_force.or_else(|| of_version().next_back())?;
    let split = crate::content::frontmatter::split(&r.text)?;
    Some(split.body.to_string())
}
