//! One guideline's analysis, the expensive part of the index build: every word of its title,
//! keywords, headings and text blocks turned into a term (tokenise, fold, stem: `text.rs`),
//! counted by field and heading, and its text cut into sentences for snippets. An [`Analysed`]
//! depends on nothing but that guideline's text and the snippet budget, so `serve` keeps it
//! between builds ([`super::memo`]) and a save re-analyses one guideline.

use super::model::{HEADING, Input, KEYWORD, TITLE};
use super::text::{self, Cache};
use std::num::NonZeroU32;

/// Longest snippet sentence (bytes); longer runs (lists without full stops) are cut.
pub const SENTENCE_MAX: usize = 200;
/// Sentences of each section that may be chosen for a snippet when a guideline's text does not
/// fit its budget whole.
const SNIPPET_SENTENCES: usize = 2;

/// How one guideline uses one term.
#[derive(Debug, Default, Clone)]
pub struct Stat {
    /// `TITLE | KEYWORD | HEADING`.
    pub flags: u8,
    /// 1 + the first heading holding the term (4 bytes, not 8: there are millions of these).
    pub heading: Option<NonZeroU32>,
    /// Uses in the text blocks.
    pub body_tf: u32,
    /// Most uses in one text block…
    pub best_tf: u32,
    /// …and 1 + the heading over that block (0: above every heading).
    pub best_heading: u32,
}

/// A sentence of a text block, kept as a byte range until it is chosen for a snippet.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// 1 + the heading over it (0: above every heading).
    pub heading: u32,
    /// Its text block.
    pub block: u32,
    /// Byte range in the block.
    pub start: u32,
    /// End of the range.
    pub end: u32,
    /// Its distinct body terms: a range of [`Analysed::sentence_terms`].
    pub terms: (u32, u32),
}

/// One guideline's terms, numbered locally (so later passes index arrays, not maps).
#[derive(Debug, Default, Clone)]
pub struct Analysed {
    /// Local term number → the term's number in the dictionary the caller keeps (first the
    /// run's [`Cache`], then renumbered by [`Analysed::renumber`]).
    pub terms: Vec<u32>,
    /// Local term number → its statistics.
    pub stats: Vec<Stat>,
    /// Body words counted (the BM25 document length).
    pub body_len: usize,
    /// Distinct terms of the title.
    pub title_terms: u32,
    /// Sentences snippets may be chosen from, in page order.
    pub sentences: Vec<Sentence>,
    /// Local term numbers of every sentence, one run after another.
    pub sentence_terms: Vec<u32>,
}

/// Per cache term, what the guideline being analysed has of it: its local number and the text
/// block being counted. Reused from one guideline to the next of a run: an entry counts only if
/// it carries the current guideline's number.
#[derive(Default)]
pub struct Locals {
    /// Number of the guideline being analysed in this run (from 1).
    doc: u32,
    /// By cache term number.
    of: Vec<Local>,
}

/// One cache term in the guideline being analysed.
#[derive(Debug, Default, Clone, Copy)]
struct Local {
    /// The guideline it belongs to ([`Locals::doc`]).
    doc: u32,
    /// Local term number.
    local: u32,
    /// 1 + the text block being counted (0: none yet).
    block: u32,
    /// Uses in that block so far.
    n: u32,
}

impl Locals {
    /// Starts the next guideline.
    fn next_doc(&mut self) {
        self.doc = self.doc.wrapping_add(1);
        if self.doc == 0 {
            self.of.clear();
            self.doc = 1;
        }
    }
}

impl Analysed {
    /// The entry of cache term `id`, with a local number (added if new).
    #[inline]
    fn entry<'l>(&mut self, id: u32, locals: &'l mut Locals) -> &'l mut Local {
        let i = id as usize;
        if locals.of.len() <= i {
            locals.of.resize(i + 1, Local::default());
        }
        let doc = locals.doc;
        let e = &mut locals.of[i];
        if e.doc != doc {
            *e = Local {
                doc,
                local: self.terms.len() as u32,
                block: 0,
                n: 0,
            };
            self.terms.push(id);
            self.stats.push(Stat::default());
        }
        e
    }

    /// The statistics of cache term `id` (added if new).
    fn stat(&mut self, id: u32, locals: &mut Locals) -> &mut Stat {
        let l = self.entry(id, locals).local;
        &mut self.stats[l as usize]
    }

    /// Counts a use of cache term `id` in text block `block`; returns its local number. A block's
    /// count goes into [`Stat`] when the term turns up in a later block, or in [`Analysed::finish`].
    #[inline]
    fn count(&mut self, id: u32, block: u32, headings: &[u32], locals: &mut Locals) -> u32 {
        let e = self.entry(id, locals);
        if e.block != block + 1 {
            flush(e, headings, &mut self.stats[e.local as usize]);
            e.block = block + 1;
            e.n = 0;
        }
        e.n += 1;
        e.local
    }

    /// Flushes every term's last block count.
    fn finish(&mut self, headings: &[u32], locals: &mut Locals) {
        for &id in &self.terms {
            if let Some(e) = locals.of.get(id as usize) {
                flush(e, headings, &mut self.stats[e.local as usize]);
            }
        }
    }

    /// Renumbers the terms through `map` (old number → new).
    pub fn renumber(&mut self, mut map: impl FnMut(u32) -> u32) {
        for t in &mut self.terms {
            *t = map(*t);
        }
    }
}

fn flush(e: &Local, headings: &[u32], s: &mut Stat) {
    if e.block == 0 {
        return;
    }
    s.body_tf += e.n;
    if e.n > s.best_tf {
        s.best_tf = e.n;
        s.best_heading = headings[e.block as usize - 1];
    }
}

/// Counts one guideline's terms by field and heading, and cuts its text into sentences: all of them
/// when the text fits the snippet `budget` (then shown whole), else each section's opening ones,
/// with their terms, for the snippet chooser.
pub fn analyse(d: &Input<'_>, budget: usize, cache: &mut Cache, locals: &mut Locals) -> Analysed {
    let size: usize = d.r.blocks.iter().map(|b| b.text.len()).sum();
    locals.next_doc();
    let mut a = Analysed {
        terms: Vec::with_capacity(64 + size / 24),
        stats: Vec::with_capacity(64 + size / 24),
        sentences: Vec::with_capacity(8 + size / 80),
        sentence_terms: Vec::with_capacity(size / 32),
        ..Analysed::default()
    };
    // Local numbers follow first use, never the cache's numbers: an analysis is then the same
    // whichever run (and cache) made it.
    let mut ids = Vec::new();
    text::each_term(&d.g.front.title, cache, |h, _, _| ids.push(h.id));
    for t in ids.drain(..) {
        a.stat(t, locals).flags |= TITLE;
    }
    a.title_terms = a.terms.len() as u32;
    for k in &d.g.front.keywords {
        text::each_term(k, cache, |h, _, _| ids.push(h.id));
    }
    for t in ids.drain(..) {
        a.stat(t, locals).flags |= KEYWORD;
    }
    for (i, h) in d.r.headings.iter().enumerate() {
        text::each_term(&h.text, cache, |h, _, _| ids.push(h.id));
        for t in ids.drain(..) {
            let s = a.stat(t, locals);
            s.flags |= HEADING;
            s.heading
                .get_or_insert(NonZeroU32::MIN.saturating_add(i as u32));
        }
    }
    let fits = size <= budget;
    let headings: Vec<u32> =
        d.r.blocks
            .iter()
            .map(|b| b.heading.map_or(0, |h| h as u32 + 1))
            .collect();
    let mut words = Vec::new();
    for (b, block) in d.r.blocks.iter().enumerate() {
        let (cuts, limit) = cuts(&block.text, fits);
        words.clear();
        text::each_term(&block.text, cache, |hit, start, end| {
            if hit.short {
                return;
            }
            let id = a.count(hit.id, b as u32, &headings, locals);
            a.body_len += 1;
            if end <= limit {
                words.push((start as u32, end as u32, id));
            }
        });
        split_sentences(&block.text, &cuts, (b as u32, headings[b]), &words, &mut a);
    }
    a.finish(&headings, locals);
    // The vectors were sized by estimate and grew by doubling; a book's analyses are all alive
    // at once (hundreds of MB at 10,000 guidelines), so they keep only what they hold.
    compact(&mut a.terms);
    compact(&mut a.stats);
    compact(&mut a.sentences);
    compact(&mut a.sentence_terms);
    a
}

/// Reallocates `v` to its length when it holds much more room than that (`shrink_to_fit`
/// may keep the block: allocators reuse a block for a size over half of it).
fn compact<T: Clone>(v: &mut Vec<T>) {
    if v.capacity() > v.len() + v.len() / 8 {
        *v = v.as_slice().to_vec();
    }
}

/// Where a block's sentences end, and up to where their words are wanted: all of them when the
/// guideline's text fits its budget, else the first [`SNIPPET_SENTENCES`].
fn cuts(block: &str, fits: bool) -> (Vec<usize>, usize) {
    if fits {
        return (sentence_ends(block), 0);
    }
    // Only the opening sentences are wanted: stop looking after them.
    let mut cuts: Vec<usize> = inner_sentence_ends(block).take(SNIPPET_SENTENCES).collect();
    if cuts.len() < SNIPPET_SENTENCES {
        cuts.push(block.len());
    }
    for c in &mut cuts {
        if *c > SNIPPET_SENTENCES * SENTENCE_MAX {
            let at = floor_boundary(block, SNIPPET_SENTENCES * SENTENCE_MAX);
            *c = outside_number(block, 0, at);
        }
    }
    cuts.dedup();
    let limit = cuts.last().copied().unwrap_or(0);
    (cuts, limit)
}

/// Ends of the sentences of a text block: after `.`, `!` or `?` and a space, before a capital or
/// digit; the block's end last.
pub fn sentence_ends(block: &str) -> Vec<usize> {
    inner_sentence_ends(block).chain([block.len()]).collect()
}

/// [`sentence_ends`] but the block's end, found lazily.
fn inner_sentence_ends(block: &str) -> impl Iterator<Item = usize> + '_ {
    let b = block.as_bytes();
    memchr::memchr3_iter(b'.', b'!', b'?', b)
        .filter(|&p| {
            p + 2 < b.len()
                && b[p + 1] == b' '
                && (b[p + 2].is_ascii_uppercase() || b[p + 2].is_ascii_digit())
        })
        .map(|p| p + 2)
}

/// Splits a text block into sentences at `cuts` ([`sentence_ends`]), cutting long runs at spaces,
/// with the distinct terms of each (`words`: byte range and term, in order).
pub fn split_sentences(
    block: &str,
    cuts: &[usize],
    (index, heading): (u32, u32),
    words: &[(u32, u32, u32)],
    a: &mut Analysed,
) {
    let mut w = 0;
    let mut from = 0;
    for &to in cuts {
        let mut start = from;
        while start < to {
            let mut end = to;
            if end - start > SENTENCE_MAX {
                let limit = ceil_boundary(block, start + SENTENCE_MAX);
                end = block[..limit]
                    .rfind(' ')
                    .filter(|&e| e > start)
                    .unwrap_or_else(|| outside_number(block, start, limit));
            }
            let first = a.sentence_terms.len();
            while w < words.len() && (words[w].0 as usize) < end {
                if words[w].0 as usize >= start && words[w].1 as usize <= end {
                    a.sentence_terms.push(words[w].2);
                }
                w += 1;
            }
            a.sentence_terms[first..].sort_unstable();
            let mut kept = first;
            for i in first..a.sentence_terms.len() {
                if i == first || a.sentence_terms[i] != a.sentence_terms[kept - 1] {
                    a.sentence_terms[kept] = a.sentence_terms[i];
                    kept += 1;
                }
            }
            a.sentence_terms.truncate(kept);
            if !block[start..end].trim().is_empty() {
                a.sentences.push(Sentence {
                    heading,
                    block: index,
                    start: start as u32,
                    end: end as u32,
                    terms: (first as u32, kept as u32),
                });
            }
            start = end;
        }
        from = to;
    }
}

/// `at`, or the nearest cut before it (after `start`) that is not inside a number: a run with no
/// space is cut there, and the two halves of "100.5" must never read as "100." and "5".
fn outside_number(block: &str, start: usize, at: usize) -> usize {
    let b = block.as_bytes();
    let numeric = |c: u8| c.is_ascii_digit() || c == b'.' || c == b',';
    let inside = |i: usize| i > 0 && i < b.len() && numeric(b[i - 1]) && numeric(b[i]);
    let mut cut = at;
    while cut > start + 1 && inside(cut) {
        cut -= 1;
    }
    if !inside(cut) && cut > start {
        return cut;
    }
    // Digits all the way back: the sentence runs on to the number's end instead.
    let mut cut = at;
    while inside(cut) {
        cut += 1;
    }
    cut
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_full_stops_before_capitals() {
        let block = "Give oxygen. Check sats e.g. every hour. 5 mg daily? Yes";
        let long = "ranges 30–40 ".repeat(40);
        let mut a = Analysed::default();
        split_sentences(&long, &sentence_ends(&long), (0, 0), &[], &mut a);
        let parts = a.sentences;
        assert!(
            parts.len() > 1
                && parts
                    .iter()
                    .all(|p| p.end - p.start <= SENTENCE_MAX as u32 + 3)
        );
        let mut a = Analysed::default();
        split_sentences(block, &sentence_ends(block), (0, 0), &[], &mut a);
        let s: Vec<&str> = a
            .sentences
            .into_iter()
            .map(|s| block[s.start as usize..s.end as usize].trim())
            .collect();
        // A long block's opening sentences end on a character, and never inside a number.
        for pad in 0..4 {
            let block = format!("{}{}", "x".repeat(396 + pad), " · 100.5 mL · ".repeat(30));
            let (cuts, _) = cuts(&block, false);
            for &c in &cuts {
                assert!(block.is_char_boundary(c), "cut {c} inside a character");
                let b = block.as_bytes();
                assert!(!(c < b.len() && b[c - 1].is_ascii_digit() && b[c] == b'.'));
            }
        }
        // Runs with no space are cut between words and numbers, never inside a number.
        for run in ["dose12.5mg/kg".repeat(40), "1234567.89".repeat(40)] {
            let mut a = Analysed::default();
            split_sentences(&run, &sentence_ends(&run), (0, 0), &[], &mut a);
            let b = run.as_bytes();
            let numeric = |c: u8| c.is_ascii_digit() || c == b'.';
            for p in &a.sentences[1..] {
                let at = p.start as usize;
                assert!(
                    !(numeric(b[at - 1]) && numeric(b[at])),
                    "cut at {at} in {run}"
                );
            }
        }
        assert_eq!(
            s,
            [
                "Give oxygen.",
                "Check sats e.g. every hour.",
                "5 mg daily?",
                "Yes"
            ]
        );
    }
}
