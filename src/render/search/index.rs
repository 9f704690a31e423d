//! The inverted index, built from the rendered guidelines (title, keywords, headings and text
//! blocks that `markdown::render` already produced; no HTML is read). For every term: the
//! guidelines that contain it, in which fields, how often in the body (a BM25 saturation
//! bucket) and under which heading it counts most. For every guideline: what a result shows
//! (title, page, headings, a few sentences chosen to cover its most telling words).

use super::text::{self, Cache};
use crate::content::Guideline;
use crate::markdown::{RESERVED_IDS, Rendered};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

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
    /// Next review date (ISO).
    pub review_date: String,
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

struct Sentence {
    heading: u32,
    text: String,
    terms: Vec<String>,
}

struct Analysed {
    stats: HashMap<String, Stat>,
    body_len: usize,
    title_terms: u32,
    sentences: Vec<Sentence>,
}

/// Builds the index of `docs` (already filtered to what may be found).
pub fn build(docs: &[Input<'_>]) -> Index {
    let analysed: Vec<Analysed> = docs
        .par_iter()
        .map_init(Cache::default, |cache, d| analyse(d, cache))
        .collect();
    let mut df: BTreeMap<&str, u32> = BTreeMap::new();
    for a in &analysed {
        for t in a.stats.keys() {
            *df.entry(t.as_str()).or_default() += 1;
        }
    }
    let terms: Vec<String> = df.keys().map(|t| t.to_string()).collect();
    let ids: HashMap<&str, usize> = df.keys().enumerate().map(|(i, t)| (*t, i)).collect();
    let n = analysed.len().max(1);
    let avg = analysed.iter().map(|a| a.body_len).sum::<usize>() as f64 / n as f64;
    let mut postings: Vec<Vec<Posting>> = vec![Vec::new(); terms.len()];
    for (doc, a) in analysed.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * a.body_len as f64 / avg.max(1.0));
        for (t, s) in &a.stats {
            postings[ids[t.as_str()]].push(posting(doc as u32, s, norm));
        }
    }
    for p in &mut postings {
        p.sort_by_key(|p| p.doc);
    }
    let idf = |t: &str| {
        let d = f64::from(df.get(t).copied().unwrap_or(1));
        (1.0 + (n as f64 - d + 0.5) / (d + 0.5)).ln()
    };
    let budget = (SNIPPET_BUDGET / n).max(SNIPPET_MIN);
    let records = docs
        .par_iter()
        .zip(analysed.par_iter())
        .map(|(d, a)| record(d, a, budget, &idf))
        .collect();
    Index {
        terms,
        postings,
        docs: records,
    }
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

fn analyse(d: &Input<'_>, cache: &mut Cache) -> Analysed {
    let mut stats: HashMap<String, Stat> = HashMap::new();
    let title: HashSet<String> = text::terms(&d.g.title, cache)
        .into_iter()
        .map(|t| t.term)
        .collect();
    for t in &title {
        stats.entry(t.clone()).or_default().flags |= TITLE;
    }
    for k in &d.g.keywords {
        for t in text::terms(k, cache) {
            stats.entry(t.term).or_default().flags |= KEYWORD;
        }
    }
    for (i, h) in d.r.headings.iter().enumerate() {
        for t in text::terms(&h.text, cache) {
            let s = stats.entry(t.term).or_default();
            s.flags |= HEADING;
            s.heading.get_or_insert(i as u32);
        }
    }
    let mut body_len = 0;
    let mut sentences = Vec::new();
    for block in &d.r.blocks {
        let heading = block.heading.map_or(0, |h| h as u32 + 1);
        let terms = text::terms(&block.text, cache);
        let mut tf: HashMap<&str, u32> = HashMap::new();
        for t in terms.iter().filter(|t| !text::is_short(&t.term)) {
            *tf.entry(t.term.as_str()).or_default() += 1;
            body_len += 1;
        }
        for (t, n) in tf {
            let s = stats.entry(t.to_string()).or_default();
            s.body_tf += n;
            if n > s.best_tf {
                s.best_tf = n;
                s.best_heading = heading;
            }
        }
        sentences.extend(split_sentences(&block.text, heading, &terms));
    }
    Analysed {
        stats,
        body_len,
        title_terms: title.len() as u32,
        sentences,
    }
}

/// Splits a text block into sentences (at `.`, `!` or `?` before a capital or digit), cutting
/// long runs at spaces, with the distinct body terms of each.
fn split_sentences(block: &str, heading: u32, terms: &[text::Term]) -> Vec<Sentence> {
    let mut cuts = vec![0];
    let b = block.as_bytes();
    for i in 1..b.len().saturating_sub(1) {
        if b[i] == b' '
            && matches!(b[i - 1], b'.' | b'!' | b'?')
            && (b[i + 1].is_ascii_uppercase() || b[i + 1].is_ascii_digit())
        {
            cuts.push(i + 1);
        }
    }
    cuts.push(block.len());
    let mut out = Vec::new();
    for w in cuts.windows(2) {
        let mut start = w[0];
        while start < w[1] {
            let mut end = w[1];
            if end - start > SENTENCE_MAX {
                let limit = ceil_boundary(block, start + SENTENCE_MAX);
                end = block[..limit]
                    .rfind(' ')
                    .filter(|&e| e > start)
                    .unwrap_or(limit);
            }
            let text = block[start..end].trim();
            if !text.is_empty() {
                let mut ts: Vec<String> = terms
                    .iter()
                    .filter(|t| t.start >= start && t.end <= end && !text::is_short(&t.term))
                    .map(|t| t.term.clone())
                    .collect();
                ts.sort();
                ts.dedup();
                out.push(Sentence {
                    heading,
                    text: text.to_string(),
                    terms: ts,
                });
            }
            start = end;
        }
    }
    out
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

fn record(d: &Input<'_>, a: &Analysed, budget: usize, idf: &dyn Fn(&str) -> f64) -> DocRecord {
    DocRecord {
        title: d.g.title.clone(),
        page: crate::markdown::encode_path(&d.g.page),
        section_slug: d.section_slug.to_string(),
        headings: headings(d.r),
        sentences: choose_sentences(a, budget, idf),
        title_terms: a.title_terms,
        review_date: d.g.review_date.to_string(),
    }
}

/// Headings, with the id only where the browser's ASCII slug rule would not give it.
fn headings(r: &Rendered) -> Vec<(String, Option<String>)> {
    let mut seen: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
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
fn predict_id(base: &str, seen: &HashSet<String>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut id = base.to_string();
    let mut n = 1;
    while seen.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
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
fn choose_sentences(a: &Analysed, budget: usize, idf: &dyn Fn(&str) -> f64) -> Vec<(u32, String)> {
    let total: usize = a.sentences.iter().map(|s| s.text.len()).sum();
    let keep: Vec<usize> = if total <= budget {
        (0..a.sentences.len()).collect()
    } else {
        greedy(a, budget, idf)
    };
    keep.into_iter()
        .map(|i| (a.sentences[i].heading, a.sentences[i].text.clone()))
        .collect()
}

fn greedy(a: &Analysed, budget: usize, idf: &dyn Fn(&str) -> f64) -> Vec<usize> {
    let weight = |t: &str| {
        let tf = a.stats.get(t).map_or(1, |s| s.body_tf.max(1));
        idf(t) * (1.0 + f64::from(tf).ln())
    };
    let mut covered: HashSet<&str> = HashSet::new();
    let mut chosen: Vec<usize> = Vec::new();
    let mut left = budget;
    loop {
        let mut best: Option<(f64, usize)> = None;
        for (i, s) in a.sentences.iter().enumerate() {
            if chosen.contains(&i) || s.text.len() > left {
                continue;
            }
            let gain: f64 = s
                .terms
                .iter()
                .filter(|t| !covered.contains(t.as_str()))
                .map(|t| weight(t))
                .sum::<f64>()
                / (s.text.len() as f64).sqrt();
            if gain > 0.0 && best.is_none_or(|(g, _)| gain > g) {
                best = Some((gain, i));
            }
        }
        let Some((_, i)) = best else { break };
        chosen.push(i);
        left -= a.sentences[i].text.len();
        covered.extend(a.sentences[i].terms.iter().map(String::as_str));
    }
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_full_stops_before_capitals() {
        let block = "Give oxygen. Check sats e.g. every hour. 5 mg daily? Yes";
        let long = "ranges 30–40 ".repeat(40);
        let mut c = Cache::default();
        let parts = split_sentences(&long, 0, &text::terms(&long, &mut c));
        assert!(parts.len() > 1 && parts.iter().all(|p| p.text.len() <= SENTENCE_MAX + 3));
        let mut c = Cache::default();
        let terms = text::terms(block, &mut c);
        let s: Vec<String> = split_sentences(block, 0, &terms)
            .into_iter()
            .map(|s| s.text)
            .collect();
        assert_eq!(s, ["Give oxygen.", "Check sats e.g. every hour.", "5 mg daily?", "Yes"]);
    }

    #[test]
    fn ascii_slug_matches_markdown_slugify() {
        for t in ["Step 2: Oxygen", "Signs & symptoms (age < 5)", "a_b - c"] {
            assert_eq!(ascii_slug(t), crate::markdown::slugify(t));
        }
    }
}
