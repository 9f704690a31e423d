//! The inverted index, built from the rendered guidelines (title, keywords, headings and text
//! blocks that `markdown::render` already produced; no HTML is read). For every term: the
//! guidelines that contain it, in which fields, how often in the body (a BM25 saturation
//! bucket) and under which heading it counts most. For every guideline: what a result shows
//! (title, page, headings, a few sentences chosen to cover its most telling words).

use super::text::{self, Cache};
use crate::content::Guideline;
use crate::markdown::{RESERVED_IDS, Rendered};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;
/// Body buckets: a body match is stored as 1..=3.
const BUCKETS: f64 = 3.0;
/// Snippet text kept for the whole book (bytes); a small book keeps every sentence.
const SNIPPET_BUDGET: usize = 560_000;
/// Snippet text kept per guideline at least (bytes).
const SNIPPET_MIN: usize = 240;
/// Longest snippet sentence (bytes); longer runs (lists without full stops) are cut.
const SENTENCE_MAX: usize = 200;
/// Sentences of each section that may be chosen for a snippet when a guideline's text does not
/// fit its budget whole.
const SNIPPET_SENTENCES: usize = 2;

/// Field flags of a posting.
pub const TITLE: u8 = 1;
/// In a keyword.
pub const KEYWORD: u8 = 2;
/// In a heading.
pub const HEADING: u8 = 4;
/// A heading number follows the flags (else the match counts at the top of the page).
pub const AT_HEADING: u8 = 8;
/// Body bucket, shifted.
pub const BODY_SHIFT: u8 = 4;

/// One guideline to index and the body rendered from it.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// The guideline.
    pub g: &'a Guideline,
    /// Its rendered body.
    pub r: &'a Rendered,
    /// Slug of its section.
    pub section_slug: &'a str,
}

/// One guideline containing one term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// Document number (index into [`Index::docs`]).
    pub doc: u32,
    /// `TITLE | KEYWORD | HEADING | AT_HEADING | body bucket << BODY_SHIFT`.
    pub flags: u8,
    /// With `AT_HEADING`: the index of the heading where the term counts most.
    pub heading: u32,
}

/// What a search result shows about a guideline.
#[derive(Debug, Clone, PartialEq)]
pub struct DocRecord {
    /// Title.
    pub title: String,
    /// Page path from the site root, URL-encoded.
    pub page: String,
    /// The page's section slug (pages are usually `<slug>/<stem>.html`).
    pub section_slug: String,
    /// Headings: text, and the id when the browser cannot derive it from the text.
    pub headings: Vec<(String, Option<String>)>,
    /// Snippet sentences: (0 or 1 + heading index, text), in page order.
    pub sentences: Vec<(u32, String)>,
    /// Distinct terms of the title (an exact title match covers all of them).
    pub title_terms: u32,
}

/// The whole index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    /// Terms, sorted.
    pub terms: Vec<String>,
    /// Postings per term, by document number.
    pub postings: Vec<Vec<Posting>>,
    /// Per document, in book order.
    pub docs: Vec<DocRecord>,
}

#[derive(Debug, Default, Clone)]
struct Stat {
    flags: u8,
    heading: Option<u32>,
    body_tf: u32,
    best_tf: u32,
    best_heading: u32,
}

/// A sentence of a text block, kept as a byte range until it is chosen for a snippet.
struct Sentence {
    heading: u32,
    block: u32,
    start: u32,
    end: u32,
    /// Its distinct body terms: a range of [`Analysed::sentence_terms`].
    terms: (u32, u32),
}

/// One guideline's terms, numbered locally (so later passes index arrays, not maps).
#[derive(Default)]
struct Analysed {
    /// Local term number → the term's number in the run's [`Cache`].
    terms: Vec<u32>,
    stats: Vec<Stat>,
    body_len: usize,
    title_terms: u32,
    sentences: Vec<Sentence>,
    /// Local term numbers of every sentence, one run after another.
    sentence_terms: Vec<u32>,
}

/// Cache term number → local term number of the guideline being analysed. Reused from one
/// guideline to the next of a run: an entry counts only if it points back at its term.
#[derive(Default)]
struct Locals {
    of: Vec<u32>,
}

impl Analysed {
    /// The local number of cache term `id` (added if new), and its statistics.
    fn stat(&mut self, id: u32, locals: &mut Locals) -> (u32, &mut Stat) {
        let i = id as usize;
        if locals.of.len() <= i {
            locals.of.resize(i + 1, u32::MAX);
        }
        let l = locals.of[i];
        let local = if (l as usize) < self.terms.len() && self.terms[l as usize] == id {
            l
        } else {
            let l = self.terms.len() as u32;
            locals.of[i] = l;
            self.terms.push(id);
            self.stats.push(Stat::default());
            l
        };
        (local, &mut self.stats[local as usize])
    }
}

/// Builds the index of `docs` (already filtered to what may be found).
pub fn build(docs: &[Input<'_>]) -> Index {
    let budget = (SNIPPET_BUDGET / docs.len().max(1)).max(SNIPPET_MIN);
    // Runs of guidelines in parallel, each run with its own word cache and term numbers…
    // Few runs: each starts with an empty cache and normalises its vocabulary again.
    let per_run = docs.len().div_ceil(rayon::current_num_threads()).max(1);
    let runs: Vec<(Cache, Vec<Analysed>)> = docs
        .par_chunks(per_run)
        .map(|run| {
            let mut cache = Cache::default();
            let mut locals = Locals::default();
            let analysed = run
                .iter()
                .map(|d| analyse(d, budget, &mut cache, &mut locals))
                .collect();
            (cache, analysed)
        })
        .collect();
    // …then one sorted dictionary, and every guideline's terms renumbered into it.
    let mut terms: Vec<&str> = Vec::new();
    for (cache, run) in &runs {
        let mut used = vec![false; cache.terms().len()];
        for a in run {
            for &t in &a.terms {
                used[t as usize] = true;
            }
        }
        terms.extend(
            cache
                .terms()
                .iter()
                .zip(&used)
                .filter(|(_, u)| **u)
                .map(|(t, _)| t.as_str()),
        );
    }
    terms.sort_unstable();
    terms.dedup();
    let ids: FxHashMap<&str, u32> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, i as u32))
        .collect();
    let mut analysed: Vec<(&Analysed, Vec<u32>)> = Vec::with_capacity(docs.len());
    for (cache, run) in &runs {
        let to_global: Vec<u32> = cache
            .terms()
            .iter()
            .map(|t| ids.get(t.as_str()).copied().unwrap_or(0))
            .collect();
        for a in run {
            analysed.push((a, a.terms.iter().map(|&t| to_global[t as usize]).collect()));
        }
    }
    let mut df = vec![0u32; terms.len()];
    for (_, g) in &analysed {
        for &t in g {
            df[t as usize] += 1;
        }
    }
    let n = analysed.len().max(1);
    let idf: Vec<f64> = df
        .iter()
        .map(|&d| (1.0 + (n as f64 - f64::from(d) + 0.5) / (f64::from(d) + 0.5)).ln())
        .collect();
    let avg = analysed.iter().map(|(a, _)| a.body_len).sum::<usize>() as f64 / n as f64;
    let mut postings: Vec<Vec<Posting>> =
        df.iter().map(|&d| Vec::with_capacity(d as usize)).collect();
    for (doc, (a, g)) in analysed.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * a.body_len as f64 / avg.max(1.0));
        for (s, &t) in a.stats.iter().zip(g) {
            postings[t as usize].push(posting(doc as u32, s, norm));
        }
    }
    let records = docs
        .par_iter()
        .zip(analysed.par_iter())
        .map(|(d, (a, g))| {
            let weights: Vec<f64> = a
                .stats
                .iter()
                .zip(g)
                .map(|(s, &t)| idf[t as usize] * tf_weight(s.body_tf))
                .collect();
            record(d, a, budget, &weights)
        })
        .collect();
    Index {
        terms: terms.into_iter().map(str::to_string).collect(),
        postings,
        docs: records,
    }
}

/// `1 + ln(tf)` (at least 1), from a table for the common small counts.
fn tf_weight(tf: u32) -> f64 {
    const SMALL: usize = 64;
    static TABLE: std::sync::OnceLock<[f64; SMALL]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| std::array::from_fn(|i| 1.0 + (i.max(1) as f64).ln()));
    table
        .get(tf as usize)
        .copied()
        .unwrap_or_else(|| 1.0 + f64::from(tf).ln())
}

fn posting(doc: u32, s: &Stat, norm: f64) -> Posting {
    let mut flags = s.flags;
    if s.body_tf > 0 {
        let tf = f64::from(s.body_tf);
        let sat = tf * (K1 + 1.0) / (tf + norm) / (K1 + 1.0);
        let bucket = (sat * BUCKETS).ceil().clamp(1.0, BUCKETS) as u8;
        flags |= bucket << BODY_SHIFT;
    }
    // A body term earns a heading when most of its uses sit under one heading: common words
    // spread over the page link to the top (and keep the index small).
    let heading = match s.heading {
        Some(h) => Some(h),
        None if s.best_heading > 0 && s.best_tf * 2 > s.body_tf => Some(s.best_heading - 1),
        None => None,
    };
    if heading.is_some() {
        flags |= AT_HEADING;
    }
    let heading = heading.unwrap_or(0);
    Posting {
        doc,
        flags,
        heading,
    }
}

/// Counts one guideline's terms by field and heading, and cuts its text into sentences: all of them
/// when the text fits the snippet `budget` (then shown whole), else each section's opening ones,
/// with their terms, for [`greedy`] to choose from.
fn analyse(d: &Input<'_>, budget: usize, cache: &mut Cache, locals: &mut Locals) -> Analysed {
    let size: usize = d.r.blocks.iter().map(|b| b.text.len()).sum();
    let mut a = Analysed {
        terms: Vec::with_capacity(64 + size / 24),
        stats: Vec::with_capacity(64 + size / 24),
        sentences: Vec::with_capacity(8 + size / 80),
        sentence_terms: Vec::with_capacity(size / 32),
        ..Analysed::default()
    };
    let mut title: Vec<u32> = text::term_ids(&d.g.title, cache)
        .into_iter()
        .map(|t| t.0)
        .collect();
    title.sort_unstable();
    title.dedup();
    a.title_terms = title.len() as u32;
    for &t in &title {
        a.stat(t, locals).1.flags |= TITLE;
    }
    for k in &d.g.keywords {
        for (t, _, _) in text::term_ids(k, cache) {
            a.stat(t, locals).1.flags |= KEYWORD;
        }
    }
    for (i, h) in d.r.headings.iter().enumerate() {
        for (t, _, _) in text::term_ids(&h.text, cache) {
            let s = a.stat(t, locals).1;
            s.flags |= HEADING;
            s.heading.get_or_insert(i as u32);
        }
    }
    let fits = d.r.blocks.iter().map(|b| b.text.len()).sum::<usize>() <= budget;
    let mut counts: Vec<u32> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    for (b, block) in d.r.blocks.iter().enumerate() {
        let heading = block.heading.map_or(0, |h| h as u32 + 1);
        let ids = text::term_ids(&block.text, cache);
        let mut cuts = sentence_ends(&block.text);
        let limit = if fits {
            0
        } else {
            cuts.truncate(SNIPPET_SENTENCES);
            for c in &mut cuts {
                *c = (*c).min(SNIPPET_SENTENCES * SENTENCE_MAX);
            }
            cuts.dedup();
            cuts.last().copied().unwrap_or(0) as u32
        };
        let mut words = Vec::new();
        for (t, start, end) in ids {
            if cache.is_short(t) {
                continue;
            }
            let id = a.stat(t, locals).0;
            if counts.len() <= id as usize {
                counts.resize(id as usize + 1, 0);
            }
            if counts[id as usize] == 0 {
                touched.push(id);
            }
            counts[id as usize] += 1;
            a.body_len += 1;
            if (end as u32) <= limit {
                words.push((start as u32, end as u32, id));
            }
        }
        for id in touched.drain(..) {
            let n = std::mem::take(&mut counts[id as usize]);
            let s = &mut a.stats[id as usize];
            s.body_tf += n;
            if n > s.best_tf {
                s.best_tf = n;
                s.best_heading = heading;
            }
        }
        split_sentences(&block.text, &cuts, (b as u32, heading), &words, &mut a);
    }
    a
}

/// Ends of the sentences of a text block: after `.`, `!` or `?` and a space, before a capital or
/// digit; the block's end last.
fn sentence_ends(block: &str) -> Vec<usize> {
    let b = block.as_bytes();
    memchr::memchr3_iter(b'.', b'!', b'?', b)
        .filter(|&p| {
            p + 2 < b.len()
                && b[p + 1] == b' '
                && (b[p + 2].is_ascii_uppercase() || b[p + 2].is_ascii_digit())
        })
        .map(|p| p + 2)
        .chain([block.len()])
        .collect()
}

/// Splits a text block into sentences at `cuts` ([`sentence_ends`]), cutting long runs at spaces,
/// with the distinct terms of each (`words`: byte range and term, in order).
fn split_sentences(
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
                    .unwrap_or(limit);
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

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

fn record(d: &Input<'_>, a: &Analysed, budget: usize, weights: &[f64]) -> DocRecord {
    DocRecord {
        title: d.g.title.clone(),
        page: crate::markdown::encode_path(&d.g.page),
        section_slug: d.section_slug.to_string(),
        headings: headings(d.r),
        sentences: choose_sentences(d, a, budget, weights),
        title_terms: a.title_terms,
    }
}

/// Headings, with the id only where the browser's ASCII slug rule would not give it.
fn headings(r: &Rendered) -> Vec<(String, Option<String>)> {
    let mut seen: FxHashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    r.headings
        .iter()
        .map(|h| {
            let predicted = predict_id(&ascii_slug(&h.text), &seen);
            seen.insert(h.id.clone());
            let id = (predicted != h.id || !h.text.is_ascii()).then(|| h.id.clone());
            (h.text.clone(), id)
        })
        .collect()
}

/// The id `markdown::unique_id` would give `base` after `seen` (without recording it).
fn predict_id(base: &str, seen: &FxHashSet<String>) -> String {
    crate::markdown::free_id(base, |id| seen.contains(id))
}

/// The slug rule of `markdown::slugify` for ASCII text (what search.js does).
fn ascii_slug(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            ' ' | '-' => Some('-'),
            '_' => Some('_'),
            _ => None,
        })
        .collect()
}

/// Sentences covering the guideline's most telling words within `budget` bytes, in page order.
fn choose_sentences(
    d: &Input<'_>,
    a: &Analysed,
    budget: usize,
    weights: &[f64],
) -> Vec<(u32, String)> {
    let text = |s: &Sentence| -> &str {
        d.r.blocks
            .get(s.block as usize)
            .and_then(|b| b.text.get(s.start as usize..s.end as usize))
            .map_or("", str::trim)
    };
    let total: usize = a.sentences.iter().map(|s| (s.end - s.start) as usize).sum();
    let keep: Vec<usize> = if total <= budget {
        (0..a.sentences.len()).collect()
    } else {
        greedy(a, budget, weights)
    };
    keep.into_iter()
        .map(|i| (a.sentences[i].heading, text(&a.sentences[i]).to_string()))
        .collect()
}

/// Picks sentences by uncovered term weight per square root of length until the budget is spent.
fn greedy(a: &Analysed, budget: usize, weights: &[f64]) -> Vec<usize> {
    let sentences = &a.sentences;
    let terms = |s: &Sentence| &a.sentence_terms[s.terms.0 as usize..s.terms.1 as usize];
    let mut covered = vec![false; weights.len()];
    let mut chosen = vec![false; sentences.len()];
    let mut left = budget;
    loop {
        let mut best: Option<(f64, usize)> = None;
        for (i, s) in sentences.iter().enumerate() {
            let len = (s.end - s.start) as usize;
            if chosen[i] || len > left {
                continue;
            }
            let gain: f64 = terms(s)
                .iter()
                .filter(|&&t| !covered[t as usize])
                .map(|&t| weights[t as usize])
                .sum::<f64>()
                / (len as f64).sqrt();
            if gain > 0.0 && best.is_none_or(|(g, _)| gain > g) {
                best = Some((gain, i));
            }
        }
        let Some((_, i)) = best else { break };
        chosen[i] = true;
        left -= (sentences[i].end - sentences[i].start) as usize;
        for &t in terms(&sentences[i]) {
            covered[t as usize] = true;
        }
    }
    (0..sentences.len()).filter(|&i| chosen[i]).collect()
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

    #[test]
    fn ascii_slug_matches_markdown_slugify() {
        for t in ["Step 2: Oxygen", "Signs & symptoms (age < 5)", "a_b - c"] {
            assert_eq!(ascii_slug(t), crate::markdown::slugify(t));
        }
    }
}
