//! Governance checks on the book: the medication-safety lint over each guideline's prose,
//! `[lint]` configuration, and overdue reviews.
//!
//! ```text
//! prose ranges ─► prose::Prose ─► quantity::Scan ─► rules::RULES (dose, wording) ─► Findings
//!   (markdown)     (joined text)   (numbers, doses)   (per-book severity, [lint])       │
//!                                                      suppress::apply ◄─ Diagnostics ◄─┘
//! ```
//!
//! Errors by default (BNF/BNFC, NPSA): `trailing-zero`, `naked-decimal`, `units-abbreviation`,
//! `microgram-abbreviation`, `nanogram-abbreviation`. Warnings (ISMP), each reported only where it
//! can be precise: `cc-for-ml`, `unit-spacing`, `frequency-abbreviation`, `ratio-strength`;
//! `deep-nesting` (lists and quotes more than six levels deep, from the Markdown's blocks), and
//! `suppression` about `wardbook-allow` comments themselves.

mod dose;
mod nesting;
pub(crate) mod prose;
pub(crate) mod quantity;
pub mod rules;
mod suppress;
mod wording;

use crate::config::{BOOK_TOML, Config};
use crate::content::{Book, Guideline, ReviewStatus};
use crate::diag::{Diagnostic, Severity, did_you_mean, line_col};
use std::ops::Range;

/// One problem a rule found, in `Prose::text` coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule id.
    pub rule: &'static str,
    /// Start of the offending text.
    pub start: usize,
    /// End of the offending text.
    pub end: usize,
    /// `"<as written>": write "<fix>" (<why>)`.
    pub message: String,
}

/// Lint diagnostics for one guideline; `prose` are body byte ranges holding prose.
pub fn lint_guideline(g: &Guideline, prose: &[Range<usize>], config: &Config) -> Vec<Diagnostic> {
    let active: Vec<(&rules::Rule, Severity)> = rules::RULES
        .iter()
        .filter_map(|r| rules::severity(config, r).map(|s| (r, s)))
        .collect();
    if active.is_empty() {
        return Vec::new();
    }
    let joined = prose::Prose::new(g.body(), prose);
    let scan = quantity::Scan::new(&joined);
    let mut diags = Vec::new();
    for (rule, severity) in active {
        let mut findings = Vec::new();
        (rule.check)(&scan, &mut findings);
        diags.extend(findings.into_iter().map(|f| {
            to_diagnostic(g, &joined, f)
                .with_severity(severity)
                .with_help(rule.help)
        }));
    }
    diags.extend(nesting_diagnostics(g, config));
    suppress::apply(g, config, &mut diags);
    diags
}

/// `deep-nesting` warnings (or errors, as `[lint]` says) for one guideline.
fn nesting_diagnostics(g: &Guideline, config: &Config) -> Vec<Diagnostic> {
    let Some(severity) = rules::find(nesting::ID).and_then(|r| rules::severity(config, r)) else {
        return Vec::new();
    };
    nesting::too_deep(g.body())
        .into_iter()
        .map(|(at, depth)| {
            let (line, col) = line_col(g.body(), at);
            let message = format!(
                "lists and block quotes nested {depth} levels deep: a reader cannot follow more than {}",
                nesting::MAX_DEPTH
            );
            Diagnostic::error(&g.source, line + g.body_line - 1, col, nesting::ID, message)
                .with_severity(severity)
                .with_help(nesting::HELP)
                .with_source(&g.text, 1)
        })
        .collect()
}

/// A finding as a diagnostic at its file line and column, with the source line and caret.
fn to_diagnostic(g: &Guideline, prose: &prose::Prose, f: Finding) -> Diagnostic {
    let start = prose.body_start(f.start);
    let end = prose.body_end(f.end).max(start);
    let (line, col) = line_col(g.body(), start);
    let span = g.body()[start..end]
        .split('\n')
        .next()
        .map_or(1, |s| s.trim_end_matches('\r').chars().count());
    Diagnostic::error(&g.source, line + g.body_line - 1, col, f.rule, f.message)
        .with_source(&g.text, span)
}

/// Problems in `[lint]`: rule ids that do not exist, at the key's line and column in book.toml;
/// and networks without a `contact` (readers could not report a problem with their guidelines).
pub fn check_config(config: &Config) -> Vec<Diagnostic> {
    let mut diags = no_contact(config);
    if config.lint.keys().all(|k| rules::find(k).is_some()) {
        return diags;
    }
    diags.extend(unknown_rules(config));
    diags
}

/// A warning per `[[networks]]` entry without a `contact`, at its slug.
fn no_contact(config: &Config) -> Vec<Diagnostic> {
    let text = &config.text;
    config
        .networks
        .iter()
        .filter(|n| n.contact.is_none())
        .map(|n| {
            let quoted = format!("\"{}\"", n.slug);
            let (line, col) = text.find(&quoted).map_or((0, 0), |p| line_col(text, p));
            Diagnostic::error(
                BOOK_TOML,
                line,
                col,
                "network-contact",
                format!("network {quoted} has no contact"),
            )
            .with_severity(crate::diag::Severity::Warning)
            .with_help(
                "add contact = \"mailto:team@example.org\" (or a web address) to its [[networks]] \
                 table: each of its guideline pages links there to report a problem",
            )
            .with_source(text, quoted.chars().count())
        })
        .collect()
}

fn unknown_rules(config: &Config) -> Vec<Diagnostic> {
    let text = &config.text;
    config
        .lint
        .keys()
        .filter(|k| rules::find(k).is_none())
        .map(|k| {
            let span = config.lint_spans.get(k).cloned();
            let (line, col) = span.clone().map_or((0, 0), |s| line_col(text, s.start));
            let help = did_you_mean(k, rules::ids()).unwrap_or_else(|| {
                format!(
                    "lint rules: {}",
                    rules::ids().collect::<Vec<_>>().join(", ")
                )
            });
            Diagnostic::error(
                BOOK_TOML,
                line,
                col,
                "config",
                format!("[lint] names an unknown rule `{k}`"),
            )
            .with_help(help)
            .with_source(
                text,
                span.and_then(|s| text.get(s))
                    .map_or(1, |s| s.chars().count()),
            )
        })
        .collect()
}

/// One diagnostic per overdue guideline, at its `review_date` line: a warning, or an error when
/// `[review] overdue = "error"`.
pub fn review_diagnostics(book: &Book) -> Vec<Diagnostic> {
    book.listed()
        .filter(|g| g.review == ReviewStatus::Overdue)
        .map(|g| {
            let (line, col) = find_key(&g.text, "review_date");
            Diagnostic::error(
                &g.source,
                line,
                col,
                "review-overdue",
                format!("review overdue since {}", g.front.review_date),
            )
            .with_severity(book.config.overdue_severity)
            .with_help("review the guideline and set a new review_date")
            .with_source(&g.text, 10)
        })
        .collect()
}

/// Line and column of the value of front matter `key` in the file text.
fn find_key(text: &str, key: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let col = line.len() - rest.trim_start().len() + 1;
            return (i + 1, col);
        }
    }
    (1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TOML: &str = "[book]\ntitle = \"T\"\n[[sections]]\nslug = \"s\"\ntitle = \"S\"\n";

    fn guideline(body: &str) -> Guideline {
        let text = format!("---\ntitle: T\n---\n{body}");
        Guideline {
            source: "guidelines/s/t.md".into(),
            stem: "t".into(),
            front: crate::content::FrontMatter {
                title: "T".into(),
                review_date: jiff::civil::date(2030, 1, 1),
                last_reviewed: None,
                version: None,
                authors: Vec::new(),
                keywords: Vec::new(),
                status: crate::content::Status::Current,
                order: None,
                change_summary: None,
                approved_by: None,
                approved_date: None,
                replaced_by: None,
            },
            section: 0,
            network: 0,
            review: ReviewStatus::Current,
            body_start: text.len() - body.len(),
            body_line: 4,
            text: text.into(),
            page: "s/t.html".into(),
        }
    }

    fn config() -> Config {
        crate::config::parse(std::path::Path::new("/b"), TOML).expect("valid config")
    }

    #[test]
    fn reports_at_file_line_and_column() {
        let g = guideline("Intro.\n\nGive 5.0 mg and 10 U.\n");
        let d = lint_guideline(&g, &[0..6, 8..29], &config());
        let at: Vec<(usize, usize, &str)> =
            d.iter().map(|d| (d.line, d.col, d.rule.as_str())).collect();
        assert_eq!(at, [(6, 6, "trailing-zero"), (6, 17, "units-abbreviation")]);
        assert_eq!(d[0].source_line.as_deref(), Some("Give 5.0 mg and 10 U."));
        assert_eq!(d[0].span, 6);
    }

    #[rustfmt::skip]
    const TOKENS: &[&str] = &[
        "5", "0", ".", ",", " ", "mg", "mL", "U", "mcg", "µg", "ng", "cc", "&micro;", "&nbsp;",
        "**", "\n", "\n\n", "1", ":", "1000", "in", "OD", "q.d.", "adrenaline", "/L", "-", "–",
        "u/s", "&", "U&E", "µ", "http://x/", "é", "€", "<!-- wardbook-allow trailing-zero: x -->",
        "<!-- wardbook-allow", "-->", "`", "|", "> ", "[a](b)", "\\", "(", "mg/mL (",
    ];

    proptest! {
        #[test]
        fn never_panics_and_stays_in_the_file(
            picks in proptest::collection::vec(0..TOKENS.len(), 0..60),
            cuts in proptest::collection::vec(0usize..200, 0..6),
        ) {
            let body: String = picks.iter().map(|&i| TOKENS[i]).collect();
            let mut bounds: Vec<usize> = cuts
                .iter()
                .map(|c| c % (body.len() + 1))
                .filter(|&c| body.is_char_boundary(c))
                .collect();
            bounds.push(0);
            bounds.push(body.len());
            bounds.sort_unstable();
            bounds.dedup();
            let ranges: Vec<Range<usize>> = bounds
                .windows(2)
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(_, w)| w[0]..w[1])
                .collect();
            let g = guideline(&body);
            let lines: Vec<&str> = g.text.split('\n').collect();
            for d in lint_guideline(&g, &ranges, &config()) {
                prop_assert!(d.line >= g.body_line && d.line <= lines.len(), "{d:?}");
                let len = lines[d.line - 1].chars().count();
                prop_assert!(d.col >= 1 && d.col <= len + 1, "{d:?}");
            }
        }
    }
}
