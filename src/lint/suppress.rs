//! Inline suppressions: `<!-- wardbook-allow trailing-zero: copied from the SPC -->` on the line of
//! a problem, or the line before, silences that rule there. Several rules may be listed, separated
//! by commas. The reason is required: a suppression without one is not honoured.
//!
//! In: a guideline and its lint diagnostics. Out: the diagnostics left, plus `suppression`
//! warnings for comments that give no reason, name an unknown rule, or suppress nothing.
//!
//! Only real HTML comments count (the body is parsed for them, and only when it mentions
//! `wardbook-allow`): the syntax shown in a code block is not a suppression.

use super::rules::{self, SUPPRESSION};
use crate::config::Config;
use crate::content::Guideline;
use crate::diag::{Diagnostic, did_you_mean, line_col};
use pulldown_cmark::{Event, Parser};
use std::ops::Range;

/// The keyword after `<!--`.
const KEYWORD: &str = "wardbook-allow";

/// One `wardbook-allow` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Allow {
    /// File line of `<!--`.
    line: usize,
    /// File line of `-->`.
    last_line: usize,
    /// Column of `<!--`.
    col: usize,
    /// Characters of the comment on its first line (for the caret).
    span: usize,
    /// Rule names as written.
    rules: Vec<String>,
    /// The reason after the colon, if any (`None` when there is no colon).
    reason: Option<String>,
}

impl Allow {
    /// True when the comment covers file line `line` (its own lines and the line after).
    fn covers(&self, line: usize) -> bool {
        self.line <= line && line <= self.last_line + 1
    }

    /// True when the comment is honoured for `rule`.
    fn allows(&self, rule: &str) -> bool {
        self.reason.as_deref().is_some_and(|r| !r.is_empty())
            && self.rules.iter().any(|r| r == rule)
    }
}

/// Removes the diagnostics a suppression covers from `diags` and adds warnings about the
/// suppressions themselves.
pub fn apply(g: &Guideline, config: &Config, diags: &mut Vec<Diagnostic>) {
    if !g.body().contains(KEYWORD) {
        return;
    }
    let allows = find(g);
    let mut used = vec![false; allows.len()];
    diags.retain(|d| {
        let hit = allows
            .iter()
            .position(|a| a.covers(d.line) && a.allows(&d.rule));
        if let Some(i) = hit {
            used[i] = true;
        }
        hit.is_none()
    });
    let Some(severity) = rules::find(SUPPRESSION).and_then(|r| rules::severity(config, r)) else {
        return;
    };
    for (a, used) in allows.iter().zip(used) {
        for (message, help) in problems(a, used, config) {
            let mut d = Diagnostic::warning(&g.source, a.line, a.col, SUPPRESSION, message)
                .with_severity(severity)
                .with_source(&g.text, a.span);
            if let Some(h) = help {
                d = d.with_help(h);
            }
            diags.push(d);
        }
    }
}

/// What is wrong with one suppression: (message, help).
fn problems(a: &Allow, used: bool, config: &Config) -> Vec<(String, Option<String>)> {
    let example =
        |rule: &str| format!("write <!-- {KEYWORD} {rule}: why the text must stay as it is -->");
    let first = a.rules.first().map_or("RULE", String::as_str);
    let Some(reason) = &a.reason else {
        return vec![(
            format!("{KEYWORD} has no reason after a colon, so it is ignored"),
            Some(example(first)),
        )];
    };
    let mut out = Vec::new();
    if a.rules.is_empty() {
        out.push((format!("{KEYWORD} names no rule"), Some(example("RULE"))));
    }
    for r in &a.rules {
        if rules::find(r).is_none() {
            let help = did_you_mean(r, rules::ids()).unwrap_or_else(|| {
                format!("rules: {}", rules::ids().collect::<Vec<_>>().join(", "))
            });
            out.push((format!("{KEYWORD} names an unknown rule `{r}`"), Some(help)));
        }
    }
    if reason.is_empty() {
        out.push((
            format!("{KEYWORD} gives no reason after the colon, so it is ignored"),
            Some(example(first)),
        ));
    } else if !used && a.rules.iter().any(|r| rule_is_on(config, r)) {
        out.push((
            format!(
                "{KEYWORD} {} suppresses nothing on this line or the next",
                a.rules.join(", ")
            ),
            Some("remove it, or move it to the line of the problem or the line before".into()),
        ));
    }
    out
}

/// True when `rule` is a known rule that this book has not switched off.
fn rule_is_on(config: &Config, rule: &str) -> bool {
    rules::find(rule).is_some_and(|r| rules::severity(config, r).is_some())
}

/// Every `wardbook-allow` comment in the body's HTML.
fn find(g: &Guideline) -> Vec<Allow> {
    html_ranges(g.body())
        .into_iter()
        .flat_map(|r| comments(g.body(), r))
        .filter_map(|(range, inner)| parse(g, range, inner))
        .collect()
}

/// Byte ranges of raw HTML in the body (blocks and inline), adjacent pieces merged.
fn html_ranges(body: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            continue;
        }
        match out.last_mut() {
            Some(last)
                if body[last.end.min(range.start)..range.start]
                    .trim()
                    .is_empty() =>
            {
                last.end = last.end.max(range.end);
            }
            _ => out.push(range),
        }
    }
    out
}

/// `<!-- … -->` comments in `body[range]`: (comment range, text inside).
fn comments(body: &str, range: Range<usize>) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let html = &body[range.clone()];
    let mut from = 0;
    while let Some(open) = html[from..].find("<!--").map(|i| from + i) {
        let inner_start = open + 4;
        let Some(close) = html[inner_start..].find("-->").map(|i| inner_start + i) else {
            break;
        };
        out.push((
            range.start + open..range.start + close + 3,
            &html[inner_start..close],
        ));
        from = close + 3;
    }
    out
}

/// A `wardbook-allow` comment, or `None` for any other comment.
fn parse(g: &Guideline, range: Range<usize>, inner: &str) -> Option<Allow> {
    let rest = inner.trim_start().strip_prefix(KEYWORD)?;
    if !rest.is_empty() && !rest.starts_with([' ', '\t', '\n', '\r', ':']) {
        return None;
    }
    let (names, reason) = match rest.split_once(':') {
        Some((n, r)) => (n, Some(r.trim().to_string())),
        None => (rest, None),
    };
    let rules = names
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let (line, col) = line_col(g.body(), range.start);
    let (last_line, _) = line_col(g.body(), range.end);
    let comment = &g.body()[range];
    Some(Allow {
        line: line + g.body_line - 1,
        last_line: last_line + g.body_line - 1,
        col,
        span: comment.lines().next().map_or(1, |l| l.chars().count()),
        rules,
        reason,
    })
}
