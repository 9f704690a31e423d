//! The inverted index, built from the rendered guidelines (title, keywords, headings and text
//! blocks that `markdown::render` already produced; no HTML is read). For every term: the
//! guidelines that contain it, in which fields, how often in the body (a BM25 saturation
//! bucket) and under which heading it counts most. For every guideline: what a result shows
//! (title, page, headings, a few sentences chosen to cover its most telling words).

use super::analyse::{self, Analysed, Locals, Sentence, Stat};
use super::memo::{self, Dict, Memo};
use super::model::{AT_HEADING, BODY_SHIFT, DocRecord, Index, Input, Posting};
use super::text::Cache;
use rayon::prelude::*;
use std::sync::Arc;

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

/// Builds the index of `docs` (already filtered to what may be found).
pub fn build(docs: &[Input<'_>]) -> Index {
    build_reusing(docs, None)
}

/// [`build`], reusing the analyses `memo` kept from the previous build (for guidelines whose
/// text is unchanged) and keeping this build's for the next. The same index either way.
pub fn build_reusing(docs: &[Input<'_>], memo: Option<&Memo>) -> Index {
    let budget = (SNIPPET_BUDGET / docs.len().max(1)).max(SNIPPET_MIN);
    let mut kept = memo.map(Memo::take).unwrap_or_default();
    let keys: Vec<u64> = match memo {
        Some(_) => docs.par_iter().map(|d| memo::key(d, budget)).collect(),
        None => Vec::new(),
    };
    let mut slots: Vec<Option<Arc<Analysed>>> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let key = keys.get(i)?;
            let (k, a) = kept.docs.get(&d.g.page)?;
            (k == key).then(|| Arc::clone(a))
        })
        .collect();
    kept.analysed = crate::timings::phase("search: analyse", || {
        analyse_missing(docs, budget, &mut slots, &mut kept.dict)
    });
    let analysed: Vec<Arc<Analysed>> = slots.into_iter().flatten().collect();
    // One sorted dictionary of the terms in use, and every guideline's terms renumbered into it.
    let dict = &kept.dict;
    let mut used = vec![false; dict.len()];
    for a in &analysed {
        for &t in &a.terms {
            used[t as usize] = true;
        }
    }
    let mut order: Vec<u32> = (0..dict.len() as u32)
        .filter(|&t| used[t as usize])
        .collect();
    order.sort_unstable_by(|&x, &y| dict.term(x).cmp(dict.term(y)));
    let mut to_final = vec![0u32; dict.len()];
    for (f, &t) in order.iter().enumerate() {
        to_final[t as usize] = f as u32;
    }
    let terms: Vec<String> = order.iter().map(|&t| dict.term(t).to_string()).collect();
    let globals: Vec<Vec<u32>> = analysed
        .iter()
        .map(|a| a.terms.iter().map(|&t| to_final[t as usize]).collect())
        .collect();
    let index = crate::timings::phase("search: index_of", || {
        index_of(docs, budget, &analysed, &globals, terms)
    });
    if let Some(m) = memo {
        kept.docs = docs
            .iter()
            .zip(keys)
            .zip(analysed)
            .map(|((d, k), a)| (d.g.page.clone(), (k, a)))
            .collect();
        m.store(kept, index.terms.len());
    }
    index
}

/// Analyses the guidelines whose slot is empty, in parallel runs, each run with its own word
/// cache; their terms are then numbered in `dict`. Returns how many it analysed.
fn analyse_missing(
    docs: &[Input<'_>],
    budget: usize,
    slots: &mut [Option<Arc<Analysed>>],
    dict: &mut Dict,
) -> usize {
    let todo: Vec<usize> = (0..slots.len()).filter(|&i| slots[i].is_none()).collect();
    // Few runs: each starts with an empty cache and normalises its vocabulary again.
    let per_run = todo.len().div_ceil(rayon::current_num_threads()).max(1);
    let runs: Vec<(Cache, Vec<(usize, Analysed)>)> = todo
        .par_chunks(per_run)
        .map(|run| {
            let mut cache = Cache::default();
            let mut locals = Locals::default();
            let analysed = run
                .iter()
                .map(|&i| {
                    (
                        i,
                        analyse::analyse(&docs[i], budget, &mut cache, &mut locals),
                    )
                })
                .collect();
            (cache, analysed)
        })
        .collect();
    for (cache, run) in runs {
        let mut to_dict = vec![u32::MAX; cache.terms().len()];
        for (i, mut a) in run {
            a.renumber(|t| {
                let d = &mut to_dict[t as usize];
                if *d == u32::MAX {
                    *d = dict.intern(cache.term(t));
                }
                *d
            });
            slots[i] = Some(Arc::new(a));
        }
    }
    todo.len()
}

/// Postings and result records from the analyses (`globals`: each one's terms as numbers in
/// `terms`).
fn index_of(
    docs: &[Input<'_>],
    budget: usize,
    analysed: &[Arc<Analysed>],
    globals: &[Vec<u32>],
    terms: Vec<String>,
) -> Index {
    let mut df = vec![0u32; terms.len()];
    for g in globals {
        for &t in g {
            df[t as usize] += 1;
        }
    }
    let n = analysed.len().max(1);
    let idf: Vec<f64> = df
        .iter()
        .map(|&d| (1.0 + (n as f64 - f64::from(d) + 0.5) / (f64::from(d) + 0.5)).ln())
        .collect();
    let avg = analysed.iter().map(|a| a.body_len).sum::<usize>() as f64 / n as f64;
    // The postings and the result records are independent.
    let (postings, records) = rayon::join(
        || postings_of(analysed, globals, &df, avg),
        || {
            docs.par_iter()
                .zip(analysed.par_iter().zip(globals))
                .map(|(d, (a, g))| {
                    let weights: Vec<f64> = a
                        .stats
                        .iter()
                        .zip(g)
                        .map(|(s, &t)| idf[t as usize] * tf_weight(s.body_tf))
                        .collect();
                    record(d, a, budget, &weights)
                })
                .collect()
        },
    );
    Index {
        terms,
        postings,
        docs: records,
    }
}

/// Every term's postings, in document order. Each thread fills the postings of one range of
/// terms (ranges of about equal numbers of postings), reading every document's terms.
fn postings_of(
    analysed: &[Arc<Analysed>],
    globals: &[Vec<u32>],
    df: &[u32],
    avg: f64,
) -> Vec<Vec<Posting>> {
    let norms: Vec<f64> = analysed
        .iter()
        .map(|a| K1 * (1.0 - B + B * a.body_len as f64 / avg.max(1.0)))
        .collect();
    let total: u64 = df.iter().map(|&d| u64::from(d)).sum();
    let ranges = rayon::current_num_threads().max(1) as u64;
    let mut bounds = vec![0usize];
    let mut sum = 0u64;
    for (t, &d) in df.iter().enumerate() {
        sum += u64::from(d);
        if sum * ranges >= total * bounds.len() as u64 && t + 1 < df.len() {
            bounds.push(t + 1);
        }
    }
    bounds.push(df.len());
    bounds.dedup();
    let runs: Vec<Vec<Vec<Posting>>> = bounds
        .par_windows(2)
        .map(|w| {
            let (lo, hi) = (w[0] as u32, w[1] as u32);
            let mut postings: Vec<Vec<Posting>> = df[w[0]..w[1]]
                .iter()
                .map(|&d| Vec::with_capacity(d as usize))
                .collect();
            for (doc, (a, g)) in analysed.iter().zip(globals).enumerate() {
                for (s, &t) in a.stats.iter().zip(g) {
                    if (lo..hi).contains(&t) {
                        postings[(t - lo) as usize].push(posting(doc as u32, s, norms[doc]));
                    }
                }
            }
            postings
        })
        .collect();
    runs.into_iter().flatten().collect()
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
        Some(h) => Some(h.get() - 1),
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

fn record(d: &Input<'_>, a: &Analysed, budget: usize, weights: &[f64]) -> DocRecord {
    DocRecord {
        title: d.g.front.title.clone(),
        page: crate::paths::encode_path(&d.g.page),
        section_slug: d.section_slug.to_string(),
        headings: super::slug::shipped_headings(super::slug::rules(), d.r),
        sentences: choose_sentences(d, a, budget, weights),
        title_terms: a.title_terms,
    }
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
