//! Governance checks on the book: the medication-safety lint over each guideline's prose
//! (issue 6, placeholder for now), `[lint]` configuration, and overdue reviews.

use crate::config::Config;
use crate::content::{Book, Guideline, ReviewStatus};
use crate::diag::Diagnostic;
use std::ops::Range;

/// Lint diagnostics for one guideline; `prose` are body byte ranges holding prose.
pub fn lint_guideline(
    _g: &Guideline,
    _prose: &[Range<usize>],
    _config: &Config,
) -> Vec<Diagnostic> {
    Vec::new()
}

/// Problems in `[lint]` (unknown rule ids).
pub fn check_config(_config: &Config) -> Vec<Diagnostic> {
    Vec::new()
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
                format!("review overdue since {}", g.review_date),
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
