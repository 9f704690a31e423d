//! Local values in guideline text: `{{local:name}}` names a value that `[local.values]`
//! declares. The network book shows the declared network text; an adaptation shows its own
//! setting, marked in words as local with the trust's name. The braces cannot be taken for
//! Markdown (which gives `{` no meaning) or for clinical text (no dose, range or unit uses them).

use crate::config::{Config, LocalValueDef};
use crate::diag::{Diagnostic, did_you_mean, line_col};
use std::collections::BTreeMap;
use std::path::Path;

/// What opens a local value in text.
pub const OPEN: &str = "{{local:";
/// What closes it.
pub const CLOSE: &str = "}}";

/// One `{{local:name}}` in a text: its byte range and the name written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention<'a> {
    /// Byte range of the whole `{{local:name}}`.
    pub range: std::ops::Range<usize>,
    /// The name between `local:` and `}}`, trimmed.
    pub name: &'a str,
}

/// Every `{{local:…}}` in `text` from byte `from` on, in order; an opening without its `}}` on
/// the same line is reported as a mention of the rest of the line (always an unknown name).
pub fn mentions(text: &str, from: usize) -> Vec<Mention<'_>> {
    let mut out = Vec::new();
    let mut pos = from;
    while let Some(i) = text.get(pos..).and_then(|t| t.find(OPEN)) {
        let start = pos + i;
        let after = start + OPEN.len();
        let line_end = text[after..].find('\n').map_or(text.len(), |e| after + e);
        let (name_end, end) = match text[after..line_end].find(CLOSE) {
            Some(c) => (after + c, after + c + CLOSE.len()),
            None => (line_end, line_end),
        };
        out.push(Mention {
            range: start..end,
            name: text[after..name_end].trim(),
        });
        pos = end.max(after);
    }
    out
}

/// `s` with every ASCII punctuation character backslash-escaped, so that a value's text reaches
/// the page exactly as written whatever Markdown would make of it.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The text that takes the place of a value: the network's, or an adaptation's marked local.
pub struct Values<'a> {
    /// The declarations (`[local.values]`).
    pub declared: &'a BTreeMap<String, LocalValueDef>,
    /// The adaptation's settings, and the trust's name to mark them with; `None` in the
    /// network book.
    pub local: Option<(&'a BTreeMap<String, String>, &'a str)>,
}

impl Values<'_> {
    /// The Markdown for value `name`, or `None` when nothing declares it.
    pub fn markdown(&self, name: &str) -> Option<String> {
        let def = self.declared.get(name)?;
        let set = self
            .local
            .and_then(|(set, trust)| Some((set.get(name)?, trust)));
        Some(match set {
            Some((value, trust)) => format!(
                "{} (local: {})",
                escape_markdown(value),
                escape_markdown(trust)
            ),
            None => escape_markdown(&def.network),
        })
    }
}

/// `text` with every `{{local:name}}` from byte `from` on replaced by `values`, or `None` when
/// it has none. A name no declaration has is an error at its line and column in `file`.
pub fn substitute(
    config: &Config,
    file: &Path,
    text: &str,
    from: usize,
    values: &Values<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let found = mentions(text, from);
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0;
    for m in &found {
        out.push_str(&text[last..m.range.start]);
        match values.markdown(m.name) {
            Some(md) => out.push_str(&md),
            None => {
                diags.push(unknown_value(config, file, text, m));
                out.push_str(&text[m.range.clone()]);
            }
        }
        last = m.range.end;
    }
    out.push_str(&text[last..]);
    Some(out)
}

fn unknown_value(config: &Config, file: &Path, text: &str, m: &Mention<'_>) -> Diagnostic {
    let (line, col) = line_col(text, m.range.start);
    let names = config.local_values.keys().map(String::as_str);
    let help = did_you_mean(m.name, names).unwrap_or_else(|| {
        if config.local_values.is_empty() {
            "declare it in book.toml: [local.values] name = { help = \"…\", network = \"…\" }"
                .to_string()
        } else {
            let all: Vec<&str> = config.local_values.keys().map(String::as_str).collect();
            format!("the declared local values: {}", all.join(", "))
        }
    });
    let written = &text[m.range.clone()];
    Diagnostic::error(
        file,
        line,
        col,
        "unknown-local-value",
        format!("{written} names no value declared in [local.values] of book.toml"),
    )
    .with_help(help)
    .with_source(text, written.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_mentions_and_unclosed_ones() {
        let t = "a {{local:switchboard}} b {{local: bleep }}\n{{local:oops\nend";
        let m = mentions(t, 0);
        let names: Vec<&str> = m.iter().map(|m| m.name).collect();
        assert_eq!(names, ["switchboard", "bleep", "oops"]);
        assert_eq!(&t[m[0].range.clone()], "{{local:switchboard}}");
        assert_eq!(&t[m[2].range.clone()], "{{local:oops");
    }

    #[test]
    fn escapes_every_markdown_punctuation() {
        assert_eq!(escape_markdown("ext. 5555 *"), "ext\\. 5555 \\*");
        assert_eq!(escape_markdown("01902 307999"), "01902 307999");
    }
}
