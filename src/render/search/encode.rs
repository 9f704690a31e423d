//! The index as script files the browser loads with `<script>` tags (fetch does not work from
//! file://): `search/terms.js` (the term dictionary, document table, normalisation rules and
//! synonyms: all a first query needs before it knows which postings to load),
//! `search/shard-N.js` (postings for a range of terms) and `search/docs-N.js` (what results show
//! for a run of guidelines). Each file calls `wardbookSearch.add(kind, number, data)`.
//!
//! Numbers are written as base-64 varints: five bits per character, the high bit of the six
//! meaning "more to come", most significant group first. A posting is
//! `varint(doc gap) flag-char [varint(heading) when the flags say AT_HEADING]`.

use super::model::{AT_HEADING, DocRecord, Index, Posting, TITLE};
use serde::Serialize;
use std::fmt::Write as _;

/// Digits of the varint encoding (no quote or backslash, so strings need no escaping).
pub const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
/// Target size of a postings shard (bytes).
const SHARD_BYTES: usize = 16 * 1024;
/// Target size of a document chunk (bytes).
const CHUNK_BYTES: usize = 6 * 1024;

/// Appends `v` as a varint.
pub fn varint(out: &mut Vec<u8>, v: u32) {
    if v < 32 {
        out.push(ALPHABET[v as usize]);
        return;
    }
    let groups = (32 - v.leading_zeros()).div_ceil(5);
    for g in (1..groups).rev() {
        out.push(ALPHABET[(((v >> (5 * g)) & 31) | 32) as usize]);
    }
    out.push(ALPHABET[(v & 31) as usize]);
}

/// Varint bytes as text (they are ASCII).
fn ascii(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_default()
}

/// Reads the varints of `s` back (for tests and tools).
pub fn decode_varints(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    for c in s.bytes() {
        let d = ALPHABET.iter().position(|&a| a == c).unwrap_or(0) as u32;
        acc = acc * 32 + (d & 31);
        if d < 32 {
            out.push(acc);
            acc = 0;
        }
    }
    out
}

/// One term's postings as a string.
pub fn postings_string(p: &[Posting]) -> String {
    postings_with(p, None)
}

/// [`postings_string`]; with `title_terms` (an index in parts), a title posting carries its
/// document's count of title terms where a heading would go (a title match never links to a
/// heading), so the browser needs no table of every document's count.
pub fn postings_with(p: &[Posting], title_terms: Option<&[u32]>) -> String {
    let mut s = Vec::with_capacity(p.len() * 4);
    let mut last = 0;
    for (i, x) in p.iter().enumerate() {
        varint(&mut s, if i == 0 { x.doc } else { x.doc - last });
        let (flags, heading) = match title_terms {
            Some(tt) if x.flags & TITLE != 0 => (
                x.flags | AT_HEADING,
                tt.get(x.doc as usize).copied().unwrap_or(0),
            ),
            _ => (x.flags, x.heading),
        };
        s.push(ALPHABET[flags as usize & 63]);
        if flags & AT_HEADING != 0 {
            varint(&mut s, heading);
        }
        last = x.doc;
    }
    ascii(s)
}

/// Per-document facts the first query needs for every document.
#[derive(Debug, Clone, Copy)]
pub struct DocFacts {
    /// Section index.
    pub section: u32,
    /// Network index.
    pub network: u32,
    /// 0 current, 1 due, 2 overdue.
    pub review: u32,
}

/// The contents of terms.js besides what [`Index`] holds.
#[derive(Debug, Serialize)]
pub struct Head<'a> {
    /// Documents.
    pub n: usize,
    /// Normalisation rules.
    pub rules: super::text::Rules,
    /// Heading-id rules.
    pub slug: &'static super::slug::SlugRules,
    /// Field weights: title, keyword, heading, body.
    pub w: [f64; 4],
    /// Sections: slug, title.
    pub sections: Vec<(&'a str, &'a str)>,
    /// Networks: slug, name.
    pub networks: Vec<(&'a str, &'a str)>,
    /// Per document, four lists: section, network, review (0 current, 1 due, 2 overdue), title
    /// term count. Plain JSON numbers: the browser reads them without a decoding loop.
    pub docs: [Vec<u32>; 4],
    /// Title per document (results show before their snippets arrive).
    pub titles: Vec<String>,
    /// Page per document: `""` when it is `<section>/<title slug>.html` ([`title_slug`]), else
    /// the stem, or `/` and the whole path.
    pub pages: Vec<String>,
    /// Next review date per document, in days since 1970-01-01.
    pub dates: Vec<i64>,
    /// Documents per chunk file.
    pub chunk: usize,
    /// Terms, space-separated.
    pub terms: String,
    /// Document frequency per term.
    pub df: Vec<u32>,
    /// First term of each shard.
    pub shards: Vec<usize>,
    /// Synonyms: key, kind, values…
    pub syn: Vec<Vec<serde_json::Value>>,
    /// Words of titles and keywords as written, for "did you mean".
    pub vocab: Vec<String>,
}

/// Everything needed to write the files.
pub struct Parts<'a> {
    /// The index.
    pub index: &'a Index,
    /// Facts per document.
    pub facts: &'a [DocFacts],
    /// The rest of terms.js.
    pub head: Head<'a>,
    /// terms.js holds the whole dictionary and document table up to this size (bytes); a
    /// larger index is written in parts ([`super::split`]).
    pub split_bytes: usize,
}

/// The index files, and what terms.js holds.
pub struct Encoded<'a> {
    /// Every index file but terms.js: postings shards and snippet chunks.
    pub files: Vec<(String, Vec<u8>)>,
    /// The contents of terms.js.
    pub head: Head<'a>,
    /// True when terms.js would be larger than [`Parts::split_bytes`]: the index is then written
    /// in parts (`split.rs`), and title postings carry their document's count of title terms.
    pub split: bool,
}

/// Writes every index file but terms.js ([`terms_file`] or, split, `split.rs` writes it).
pub fn files(mut parts: Parts<'_>) -> Encoded<'_> {
    let index = parts.index;
    let records: Vec<String> = index.docs.iter().map(doc_json).collect();
    let avg = records.iter().map(String::len).sum::<usize>() / records.len().max(1);
    let chunk = (CHUNK_BYTES / avg.max(1)).max(1);
    parts.head.chunk = chunk;
    fill_head(&mut parts);
    let whole = serde_json::to_string(&parts.head).map_or(0, |h| h.len());
    let split = whole > parts.split_bytes;
    let title_terms: Option<Vec<u32>> =
        split.then(|| index.docs.iter().map(|d| d.title_terms).collect());
    let postings: Vec<String> = {
        use rayon::prelude::*;
        index
            .postings
            .par_iter()
            .map(|p| postings_with(p, title_terms.as_deref()))
            .collect()
    };
    let mut out = Vec::new();
    parts.head.shards = shard_starts(&index.terms, &postings);
    for (n, w) in shard_bounds(&parts.head.shards, index.terms.len()).enumerate() {
        // Postings use only ALPHABET characters: no JSON escaping needed.
        let data = format!("[\"{}\"]", postings[w.0..w.1].join("\",\""));
        out.push((format!("search/shard-{n}.js"), call("shard", n, &data)));
    }
    for (n, c) in records.chunks(chunk).enumerate() {
        let data = format!("[{}]", c.join(","));
        out.push((format!("search/docs-{n}.js"), call("docs", n, &data)));
    }
    Encoded {
        files: out,
        head: parts.head,
        split,
    }
}

/// `search/terms.js` of an index in one part.
pub fn terms_file(head: &Head<'_>) -> (String, Vec<u8>) {
    let head = serde_json::to_string(head).unwrap_or_default();
    ("search/terms.js".into(), call("terms", 0, &head))
}

/// Everything of terms.js that does not depend on how the postings are sharded: the document
/// table (title, page, section, network, review, title terms) and the dictionary.
fn fill_head(parts: &mut Parts<'_>) {
    let index = parts.index;
    parts.head.titles = index.docs.iter().map(|d| d.title.clone()).collect();
    parts.head.pages = index.docs.iter().map(short_page).collect();
    for (f, d) in parts.facts.iter().zip(&index.docs) {
        for (list, v) in
            parts
                .head
                .docs
                .iter_mut()
                .zip([f.section, f.network, f.review, d.title_terms])
        {
            list.push(v);
        }
    }
    parts.head.terms = index.terms.join(" ");
    parts.head.df = index.postings.iter().map(|p| p.len() as u32).collect();
}

/// One script file: `wardbookSearch.add("kind", n, data);`.
pub fn call(kind: &str, n: usize, data: &str) -> Vec<u8> {
    // JSON allows U+2028 and U+2029 in strings, but JavaScript before ES2019 does not.
    let b = data.as_bytes();
    let separators = memchr::memchr_iter(0xE2, b)
        .any(|i| b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)));
    let data = if separators {
        std::borrow::Cow::Owned(
            data.replace('\u{2028}', "\\u2028")
                .replace('\u{2029}', "\\u2029"),
        )
    } else {
        std::borrow::Cow::Borrowed(data)
    };
    format!("wardbookSearch.add(\"{kind}\",{n},{data});\n").into_bytes()
}

/// First term index of each shard, so that shards hold about [`SHARD_BYTES`] of postings.
fn shard_starts(terms: &[String], postings: &[String]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut size = 0;
    for (i, (t, p)) in terms.iter().zip(postings).enumerate() {
        let len = p.len() + t.len() + 3;
        if size > 0 && size + len > SHARD_BYTES {
            starts.push(i);
            size = 0;
        }
        size += len;
    }
    starts
}

fn shard_bounds(starts: &[usize], n: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    starts
        .iter()
        .enumerate()
        .map(move |(i, &s)| (s, starts.get(i + 1).copied().unwrap_or(n)))
}

/// `[headings, sentences]`: headings are `"text"` or `["text", "id"]`, sentences a flat list
/// `heading, "text", heading, "text"…`.
fn doc_json(d: &DocRecord) -> String {
    let mut s = String::with_capacity(256);
    s.push_str("[[");
    for (i, (text, id)) in d.headings.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        match id {
            Some(id) => {
                s.push('[');
                push_str(&mut s, text);
                s.push(',');
                push_str(&mut s, id);
                s.push(']');
            }
            None => push_str(&mut s, text),
        }
    }
    s.push_str("],[");
    for (i, (h, text)) in d.sentences.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "{h},");
        push_str(&mut s, text);
    }
    s.push_str("]]");
    s
}

/// The stem the browser guesses from a title: ASCII letters and digits lowercased, apostrophes
/// dropped, every other run of characters one hyphen, none at either end (`Cow's milk: infants`
/// → `cows-milk-infants`).
pub fn title_slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut gap = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '\u{2019}' {
            gap = true;
        }
    }
    out
}

/// `stem` for `<section>/<stem>.html` (the browser adds the rest), else `/` + the whole path.
fn short_page(d: &DocRecord) -> String {
    let stem = d
        .page
        .strip_prefix(&d.section_slug)
        .and_then(|p| p.strip_prefix('/'))
        .and_then(|p| p.strip_suffix(".html"))
        .filter(|p| !p.contains('/') && !p.is_empty());
    match stem {
        Some(s) if s == title_slug(&d.title) => String::new(),
        Some(s) => s.to_string(),
        None => format!("/{}", d.page),
    }
}

/// Appends `s` as a JSON string literal.
fn push_str(out: &mut String, s: &str) {
    if s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }
}

/// FNV-1a over every file: the version the search page asks for, so a browser never mixes
/// files of two builds.
pub fn version(files: &[(String, Vec<u8>)]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        // FNV-1a over 8-byte words: the same content always gives the same version.
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h ^= u64::from_le_bytes(w);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for &b in chunks.remainder() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for (path, bytes) in files {
        eat(path.as_bytes());
        eat(bytes);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped_like_serde() {
        for t in [
            "plain",
            "quote \" and \\ back",
            "tab\tnew\nline \u{1}",
            "µg – ≥ 92%",
            "",
        ] {
            let mut s = String::new();
            push_str(&mut s, t);
            assert_eq!(
                serde_json::from_str::<String>(&s).ok().as_deref(),
                Some(t),
                "{s}"
            );
        }
    }

    #[test]
    fn line_separators_are_escaped_for_old_browsers() {
        let js = String::from_utf8(call("docs", 0, "[\"a\u{2028}b\u{2029}\"]")).unwrap_or_default();
        assert_eq!(
            js,
            "wardbookSearch.add(\"docs\",0,[\"a\\u2028b\\u2029\"]);\n"
        );
    }

    #[test]
    fn title_slugs() {
        assert_eq!(
            title_slug("Cow's milk: infants (under 1)"),
            "cows-milk-infants-under-1"
        );
        assert_eq!(
            title_slug("  Acute asthma -- wheeze "),
            "acute-asthma-wheeze"
        );
        assert_eq!(title_slug("Guillain-Barré"), "guillain-barr");
    }

    #[test]
    fn varints_round_trip() {
        let mut s = Vec::new();
        let vals = [0, 1, 31, 32, 1023, 1024, 70_000, u32::MAX];
        for v in vals {
            varint(&mut s, v);
        }
        assert_eq!(decode_varints(&ascii(s)), vals);
        let mut one = Vec::new();
        varint(&mut one, 31);
        assert_eq!(one.len(), 1);
    }
}
