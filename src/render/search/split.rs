//! The search index in parts, for a book whose `search/terms.js` would be larger than
//! `[search] split_kb` (a national library's dictionary and document table are megabytes, and a
//! ward PC would load them all before its first result). What a first query needs stays small at
//! any size, as Pagefind does with its fragments:
//!
//! - `search/terms.js`: the rules, synonyms, sections and networks as before, the first term of
//!   each part of the dictionary, and how many documents each document-table part holds;
//! - `search/words-N.js`: a run of the sorted dictionary (terms and document frequencies);
//!   a query loads the runs its words and prefixes fall in (a typo, every run);
//! - `search/meta-N.js`: a run of the document table (title, page, section, network, review,
//!   review date): loaded for the results shown;
//! - `search/facts-0.js`: every document's section and network, loaded only for a filter;
//! - `search/vocab-0.js`: the words of titles and keywords, loaded only for "did you mean".
//!
//! Postings and snippets (`shard-N.js`, `docs-N.js`) are as in one part, except that a title
//! posting carries its document's count of title terms ([`super::encode::postings_with`]).
//! The browser ranks with the same numbers either way, so the results are the same.

use super::encode::{Head, call};
use super::model::Index;
use serde::Serialize;

/// Target size of a run of the dictionary (bytes): 16 KB, less for an index split small.
fn words_bytes(split: usize) -> usize {
    (split / 32).clamp(1024, 16 * 1024)
}

/// Target size of a run of the document table (bytes): 8 KB, less for an index split small.
fn meta_bytes(split: usize) -> usize {
    (split / 64).clamp(512, 8 * 1024)
}

/// terms.js of an index in parts.
#[derive(Serialize)]
struct SplitHead<'a> {
    n: usize,
    rules: &'a super::text::Rules,
    slug: &'static super::slug::SlugRules,
    w: [f64; 4],
    sections: &'a [(&'a str, &'a str)],
    networks: &'a [(&'a str, &'a str)],
    chunk: usize,
    shards: &'a [usize],
    syn: &'a [Vec<serde_json::Value>],
    split: Split<'a>,
}

/// Where the parts are.
#[derive(Serialize)]
struct Split<'a> {
    /// Terms in the dictionary.
    terms: usize,
    /// First term number of each `words-N.js`.
    words: Vec<usize>,
    /// First term of each `words-N.js`.
    first: Vec<&'a str>,
    /// Documents per `meta-N.js`.
    meta: usize,
}

/// A run of the dictionary.
#[derive(Serialize)]
struct Words<'a> {
    /// Terms, space-separated.
    terms: String,
    /// Document frequency per term.
    df: &'a [u32],
}

/// A run of the document table: the lists of [`Head`] for its documents.
#[derive(Serialize)]
struct Meta<'a> {
    titles: &'a [String],
    pages: &'a [String],
    dates: &'a [i64],
    docs: [&'a [u32]; 4],
}

/// Every document's section and network (for the filters).
#[derive(Serialize)]
struct Facts<'a> {
    section: &'a [u32],
    network: &'a [u32],
}

/// The files of an index in parts besides the postings and snippets: terms.js and the runs.
/// `head` is filled as for one part.
pub fn files(head: &Head<'_>, index: &Index, split_bytes: usize) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let words = word_starts(&index.terms, &head.df, words_bytes(split_bytes));
    for (n, (&a, b)) in words
        .iter()
        .zip(words.iter().skip(1).chain([&index.terms.len()]))
        .enumerate()
    {
        let run = Words {
            terms: index.terms[a..*b].join(" "),
            df: &head.df[a..*b],
        };
        out.push((format!("search/words-{n}.js"), json_call("words", n, &run)));
    }
    let per_meta = meta_size(head, meta_bytes(split_bytes));
    for (n, start) in (0..head.n).step_by(per_meta).enumerate() {
        let r = start..(start + per_meta).min(head.n);
        let meta = Meta {
            titles: &head.titles[r.clone()],
            pages: &head.pages[r.clone()],
            dates: &head.dates[r.clone()],
            docs: std::array::from_fn(|k| &head.docs[k][r.clone()]),
        };
        out.push((format!("search/meta-{n}.js"), json_call("meta", n, &meta)));
    }
    let facts = Facts {
        section: &head.docs[0],
        network: &head.docs[1],
    };
    out.push(("search/facts-0.js".into(), json_call("facts", 0, &facts)));
    out.push((
        "search/vocab-0.js".into(),
        json_call("vocab", 0, &head.vocab),
    ));
    let split = SplitHead {
        n: head.n,
        rules: &head.rules,
        slug: head.slug,
        w: head.w,
        sections: &head.sections,
        networks: &head.networks,
        chunk: head.chunk,
        shards: &head.shards,
        syn: &head.syn,
        split: Split {
            terms: index.terms.len(),
            first: words.iter().map(|&a| index.terms[a].as_str()).collect(),
            words,
            meta: per_meta,
        },
    };
    out.push(("search/terms.js".into(), json_call("terms", 0, &split)));
    out
}

fn json_call(kind: &str, n: usize, data: &impl Serialize) -> Vec<u8> {
    call(kind, n, &serde_json::to_string(data).unwrap_or_default())
}

/// First term number of each run of the dictionary, so that runs hold about `target` bytes.
fn word_starts(terms: &[String], df: &[u32], target: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut size = 0;
    for (i, (t, d)) in terms.iter().zip(df).enumerate() {
        let len = t.len() + 2 + d.checked_ilog10().unwrap_or(0) as usize;
        if starts.is_empty() || size + len > target {
            starts.push(i);
            size = 0;
        }
        size += len;
    }
    starts
}

/// Documents per run of the document table, so that runs hold about `target` bytes.
fn meta_size(head: &Head<'_>, target: usize) -> usize {
    let bytes: usize = head
        .titles
        .iter()
        .zip(&head.pages)
        .map(|(t, p)| t.len() + p.len() + 24)
        .sum();
    let avg = bytes / head.n.max(1);
    (target / avg.max(1)).max(1)
}
