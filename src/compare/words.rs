//! The words that changed between two versions of a block's text (a `similar` diff of their
//! tokens: words, numbers such as `0.15` and `10,000` whole, runs of spaces, and each other
//! character alone, so that `once.` → `once, max` marks only what changed), as the spans of a
//! redline, and the changed stretches ("hunks") each side's changed words fall
//! in, so that the numbers of one stretch are paired with each other and with nothing else.
//!
//! A hunk is a run of deleted and inserted words that no kept word (other than a space)
//! interrupts; a number belongs to the first hunk it overlaps or touches on its side (so that
//! `5 mg` → `5 mg/kg` is one number changed, and `5 mg` → `5 mg and 10 mg` one added): in `IV 0.15 mg/kg, IM 0.2 mg/kg` → `IV 0.2 mg/kg, IM 0.15 mg/kg` there are two,
//! so each number pairs with its own replacement, and a swap reports both.

use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::ops::Range;

/// What a span of a redline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanOp {
    /// In both versions.
    Same,
    /// Only in the old version (struck through).
    Deleted,
    /// Only in the new version (bold).
    Inserted,
}

/// A stretch of a redline: text as written, and whether it was kept, deleted or inserted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// Kept, deleted or inserted.
    pub op: SpanOp,
    /// The text, as written.
    pub text: String,
}

/// One side of a redline: the old text (`old` true: kept and deleted spans) or the new text
/// (kept and inserted spans), each piece with whether it changed.
pub fn side(spans: &[Span], old: bool) -> Vec<(bool, &str)> {
    let shown = if old {
        SpanOp::Deleted
    } else {
        SpanOp::Inserted
    };
    spans
        .iter()
        .filter(|s| s.op == SpanOp::Same || s.op == shown)
        .map(|s| (s.op == shown, s.text.as_str()))
        .collect()
}

/// `text` split into its leading space, its core and its trailing space, so that marks go
/// round the words and not the spaces.
pub fn trimmed(text: &str) -> (&str, &str, &str) {
    let core = text.trim();
    let lead = &text[..text.len() - text.trim_start().len()];
    let tail = &text[lead.len() + core.len()..];
    (lead, core, tail)
}

/// The word diff of one pair of texts.
#[derive(Debug, Default)]
pub(crate) struct WordDiff {
    /// The redline: kept, deleted and inserted text in reading order (adjacent spans of one
    /// kind merged).
    pub spans: Vec<Span>,
    /// Each hunk's extent in the old text and in the new (empty on a side with nothing there).
    pub hunks: Vec<(Range<usize>, Range<usize>)>,
}

impl WordDiff {
    /// The first hunk a byte range of the old text (`old_side`) or new text overlaps or
    /// touches, if any.
    pub fn hunk(&self, old_side: bool, at: &Range<usize>) -> Option<usize> {
        self.hunks.iter().position(|(o, n)| {
            let r = if old_side { o } else { n };
            r.start <= at.end && at.start <= r.end
        })
    }
}

/// The word diff of `old` and `new`.
pub(crate) fn diff(old: &str, new: &str) -> WordDiff {
    let (a, b) = (tokens(old), tokens(new));
    let mut out = WordDiff::default();
    let (mut at_old, mut at_new) = (0, 0);
    let mut in_hunk = false;
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        if let DiffOp::Equal { old_index, len, .. } = op {
            for t in &a[old_index..old_index + len] {
                at_old += t.len();
                at_new += t.len();
                in_hunk &= t.trim().is_empty();
                push(&mut out.spans, SpanOp::Same, t);
            }
            continue;
        }
        if !in_hunk {
            out.hunks.push((at_old..at_old, at_new..at_new));
            in_hunk = true;
        }
        for t in &a[op.old_range()] {
            at_old += t.len();
            push(&mut out.spans, SpanOp::Deleted, t);
        }
        for t in &b[op.new_range()] {
            at_new += t.len();
            push(&mut out.spans, SpanOp::Inserted, t);
        }
        if let Some((o, n)) = out.hunks.last_mut() {
            o.end = at_old;
            n.end = at_new;
        }
    }
    out
}

/// `text` as tokens: runs of letters and digits (with the points and commas inside a number),
/// runs of spaces, and any other character alone.
fn tokens(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let mut j = i + 1;
        if c.is_alphanumeric() {
            while j < chars.len() {
                let (_, d) = chars[j];
                let inside_number = matches!(d, '.' | ',')
                    && chars[j - 1].1.is_ascii_digit()
                    && chars.get(j + 1).is_some_and(|(_, e)| e.is_ascii_digit());
                if !(d.is_alphanumeric() || inside_number) {
                    break;
                }
                j += 1;
            }
        } else if c.is_whitespace() {
            while j < chars.len() && chars[j].1.is_whitespace() {
                j += 1;
            }
        }
        let end = chars.get(j).map_or(text.len(), |(at, _)| *at);
        out.push(&text[start..end]);
        i = j;
    }
    out
}

/// Appends `text` to `spans`, merged into the last span when it is of the same kind.
pub(crate) fn push(spans: &mut Vec<Span>, op: SpanOp, text: &str) {
    if text.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => spans.push(Span {
            op,
            text: text.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redline(spans: &[Span]) -> String {
        spans
            .iter()
            .map(|s| match s.op {
                SpanOp::Same => s.text.clone(),
                SpanOp::Deleted => format!("[-{}-]", s.text),
                SpanOp::Inserted => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn changed_words_are_marked_and_grouped_in_hunks() {
        let d = diff("IV 0.15 mg/kg, IM 0.2 mg/kg", "IV 0.2 mg/kg, IM 0.15 mg/kg");
        assert_eq!(
            redline(&d.spans),
            "IV [-0.15-]{+0.2+} mg/kg, IM [-0.2-]{+0.15+} mg/kg"
        );
        assert_eq!(d.hunks, [(3..7, 3..6), (18..21, 17..21)]);
        assert_eq!(d.hunk(false, &(3..12)), Some(0));
        assert_eq!(d.hunk(true, &(0..2)), None);
        let d = diff(
            "Give once. If below 92%.",
            "Give once, max 10,000 units. If below 94%.",
        );
        assert_eq!(
            redline(&d.spans),
            "Give once{+, max 10,000 units+}. If below [-92-]{+94+}%."
        );
    }
}
