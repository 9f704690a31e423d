//! The clinical synonym list: the default theme's `synonyms.toml`, with the book's own
//! `synonyms.toml` (beside book.toml) adding or replacing entries. Read once per build, checked,
//! and written into the index for the browser, which expands queries with it.
//!
//! ```toml
//! [same]   # every member means the same: typing any one also searches the others
//! DKA = ["diabetic ketoacidosis"]
//! [means]  # an ambiguous word: typing it searches each meaning (meanings are not merged)
//! ASD = ["autism spectrum disorder", "atrial septal defect"]
//! ```
//!
//! An entry is known by its key as normalised for search ([`phrase_key`]: `DKA` and `dka` are one
//! entry, and so are `low sugar` and `sugar low`); a book entry replaces the default one with that
//! key, and an empty list removes it. Problems are diagnostics at the file's line and column. The
//! page shows every meaning of an ambiguous key, so a `[means]` key should be no `[same]` member.

use super::text;
use crate::diag::Diagnostic;
use serde::Serialize;
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};

/// The two kinds of entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Kind {
    /// Equivalent words: typing any member searches all members.
    Same,
    /// An ambiguous word: typing the key searches every meaning.
    Means,
}

/// One entry of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key as written (`DKA`).
    pub key: String,
    /// Same or means.
    pub kind: Kind,
    /// The other members, or the meanings, as written.
    pub values: Vec<String>,
    /// [`phrase_key`] of the key and of each value, in that order.
    pub terms: Vec<String>,
}

/// Entries by normalised key (sorted, so the output is deterministic).
pub type Synonyms = BTreeMap<String, Entry>;

/// A synonym file to read: its text and the path to name in diagnostics.
pub struct Source<'a> {
    /// Path for diagnostics (`synonyms.toml`, `themes/default/synonyms.toml`).
    pub path: &'a str,
    /// The file's text.
    pub text: &'a str,
}

/// The normalised form of a phrase: its distinct terms, sorted, joined by single spaces (empty
/// if it has none). Word order and repeats do not count, as plurals and spelling do not: "low
/// blood sugar", "blood sugar low" and "low blood sugars" are one phrase to search.
pub fn phrase_key(phrase: &str) -> String {
    set_key(text::phrase_terms(phrase))
}

fn phrase_key_cached(phrase: &str, cache: &mut text::Cache) -> String {
    set_key(text::phrase_terms_cached(phrase, cache))
}

/// The key of a set of terms: sorted (by code point, as search.js sorts them), deduplicated,
/// space-separated.
pub fn set_key(mut terms: Vec<String>) -> String {
    terms.sort_unstable();
    terms.dedup();
    terms.join(" ")
}

/// Reads the default list and then each override in order; later files replace earlier entries.
pub fn load(sources: &[Source<'_>]) -> (Synonyms, Vec<Diagnostic>) {
    let mut all = Synonyms::new();
    let mut diags = Vec::new();
    let mut cache = text::Cache::default();
    for src in sources {
        let (entries, mut d) = parse_cached(src, &mut cache);
        diags.append(&mut d);
        for (key, entry) in entries {
            match entry {
                Some(e) => {
                    all.insert(key, e);
                }
                None => {
                    all.remove(&key);
                }
            }
        }
    }
    (all, diags)
}

/// Parses one file: normalised key → entry, or `None` for "remove this key".
pub fn parse(src: &Source<'_>) -> (BTreeMap<String, Option<Entry>>, Vec<Diagnostic>) {
    parse_cached(src, &mut text::Cache::default())
}

fn parse_cached(
    src: &Source<'_>,
    cache: &mut text::Cache,
) -> (BTreeMap<String, Option<Entry>>, Vec<Diagnostic>) {
    let mut out = BTreeMap::new();
    let mut diags = Vec::new();
    let doc = match DeTable::parse(src.text) {
        Ok(d) => d,
        Err(e) => {
            let pos = e.span().map_or(0, |s| s.start);
            diags.push(diag_at(src, pos, e.message().trim().to_string()));
            return (out, diags);
        }
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    // In file order, so that a repeated key is reported where it is repeated.
    let mut tables: Vec<_> = doc.get_ref().iter().collect();
    tables.sort_by_key(|(k, _)| k.span().start);
    for (table, value) in tables {
        let kind = match table.get_ref().as_ref() {
            "same" => Kind::Same,
            "means" => Kind::Means,
            other => {
                diags.push(
                    diag_at(
                        src,
                        table.span().start,
                        format!("unknown table [{other}] in the synonym list"),
                    )
                    .with_help("use [same] for words that mean the same, [means] for ambiguous abbreviations"),
                );
                continue;
            }
        };
        let DeValue::Table(entries) = value.get_ref() else {
            diags.push(diag_at(
                src,
                value.span().start,
                format!("`{}` must be a table of entries", table.get_ref()),
            ));
            continue;
        };
        let mut entries: Vec<_> = entries.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        for (key, list) in entries {
            let pos = key.span().start;
            match entry(src, kind, key.get_ref(), list, cache) {
                Ok((norm, e)) => {
                    if let Some(first) = seen.insert(norm.clone(), pos) {
                        let (l, _) = crate::diag::line_col(src.text, first);
                        diags.push(
                            diag_at(
                                src,
                                pos,
                                format!("`{}` is already an entry (line {l})", key.get_ref()),
                            )
                            .with_help("keys are compared as search terms: case, spelling and plurals do not count"),
                        );
                        continue;
                    }
                    out.insert(norm, e);
                }
                Err(d) => diags.push(d),
            }
        }
    }
    (out, diags)
}

/// Checks one `key = [values]` entry.
fn entry(
    src: &Source<'_>,
    kind: Kind,
    key: &str,
    list: &toml::Spanned<DeValue<'_>>,
    cache: &mut text::Cache,
) -> Result<(String, Option<Entry>), Diagnostic> {
    let norm = phrase_key_cached(key, cache);
    if norm.is_empty() {
        return Err(diag_at(
            src,
            list.span().start,
            format!("the key `{key}` has no searchable word (only stop words or punctuation)"),
        ));
    }
    let DeValue::Array(items) = list.get_ref() else {
        return Err(diag_at(
            src,
            list.span().start,
            format!("`{key}` must be a list of strings, e.g. {key} = [\"...\"]"),
        ));
    };
    let mut values = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for item in items.iter() {
        let DeValue::String(s) = item.get_ref() else {
            return Err(diag_at(
                src,
                item.span().start,
                format!("`{key}`: every value must be a string in quotes"),
            ));
        };
        let v = phrase_key_cached(s, cache);
        if v.is_empty() {
            return Err(diag_at(
                src,
                item.span().start,
                format!("`{s}` has no searchable word (only stop words or punctuation)"),
            ));
        }
        if v != norm && !keys.contains(&v) {
            values.push(s.to_string());
            keys.push(v);
        }
    }
    if items.is_empty() {
        return Ok((norm, None));
    }
    let mut terms = vec![norm.clone()];
    terms.extend(keys);
    Ok((
        norm,
        Some(Entry {
            key: key.to_string(),
            kind,
            values,
            terms,
        }),
    ))
}

fn diag_at(src: &Source<'_>, pos: usize, message: String) -> Diagnostic {
    let (l, c) = crate::diag::line_col(src.text, pos);
    Diagnostic::error(src.path, l, c, "synonyms", message).with_source(src.text, 1)
}

/// The list as the browser reads it: per entry `[kind (0 same, 1 means), key, key terms,
/// value, value terms, …]`, terms already normalised ([`phrase_key`]) so the page need not.
pub fn to_json(syn: &Synonyms) -> Vec<Vec<serde_json::Value>> {
    syn.values()
        .map(|e| {
            let mut row = vec![serde_json::Value::from(match e.kind {
                Kind::Same => 0,
                Kind::Means => 1,
            })];
            for (phrase, terms) in std::iter::once(&e.key).chain(&e.values).zip(&e.terms) {
                row.push(phrase.clone().into());
                row.push(terms.clone().into());
            }
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source<'_> {
        Source {
            path: "synonyms.toml",
            text,
        }
    }

    #[test]
    fn book_entries_replace_and_remove_defaults() {
        let default = "[same]\nDKA = [\"diabetic ketoacidosis\"]\nfits = [\"seizure\"]\n";
        let book = "[same]\ndka = [\"ketoacidosis\"]\n[means]\nFITS = []\n";
        let (all, diags) = load(&[src(default), src(book)]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(all.len(), 1);
        assert_eq!(all["dka"].values, ["ketoacidosis"]);
    }

    #[test]
    fn default_list_is_clean_and_covers_the_ambiguous_ones() {
        let text = include_str!("../../../themes/default/synonyms.toml");
        let (all, diags) = load(&[src(text)]);
        assert!(diags.is_empty(), "{diags:#?}");
        assert!(all.len() >= 300, "only {} entries", all.len());
        for key in ["asd", "cp", "om", "pe"] {
            let e = &all[key];
            assert_eq!(e.kind, Kind::Means, "{key}");
            assert!(e.values.len() >= 2, "{key}: {:?}", e.values);
        }
        for key in [
            "dka",
            "uti",
            "nai",
            "gord",
            "t1dm",
            "adrenaline",
            "paracetamol",
        ] {
            assert!(all.contains_key(&phrase_key(key)), "{key} missing");
        }
        assert!(
            all[&phrase_key("seizure")]
                .values
                .iter()
                .any(|v| v == "fit")
        );
    }

    #[test]
    fn default_same_groups_do_not_chain_unlike_things() {
        let text = include_str!("../../../themes/default/synonyms.toml");
        let (all, _) = load(&[src(text)]);
        // The terms a query for `word` reaches through the [same] groups holding it.
        let reached = |word: &str| -> Vec<&str> {
            let key = phrase_key(word);
            all.values()
                .filter(|e| e.kind == Kind::Same && e.terms.contains(&key))
                .flat_map(|e| e.terms.iter().map(String::as_str))
                .collect()
        };
        // Stridor (upper airway) is not wheeze (lower airway), though both are "noisy breathing".
        assert!(
            !reached("stridor").contains(&"wheez"),
            "{:?}",
            reached("stridor")
        );
        assert!(
            !reached("wheeze").contains(&"stridor"),
            "{:?}",
            reached("wheeze")
        );
        // GAS (group A streptococcus) is not a blood gas: "gas" is ambiguous, in [means] only.
        assert!(reached("gas").is_empty(), "{:?}", reached("gas"));
        assert_eq!(all[&phrase_key("GAS")].kind, Kind::Means);
        assert_eq!(all[&phrase_key("noisy breathing")].kind, Kind::Means);
    }

    #[test]
    fn malformed_file_has_line_and_column() {
        let (_, d) = parse(&src("[same]\nDKA = \"diabetic\"\n"));
        assert_eq!((d[0].line, d[0].col), (2, 7), "{d:?}");
        let (_, d) = parse(&src("[same]\nDKA = [\"a\"\n"));
        assert_eq!(d[0].line, 2, "{d:?}");
        let (_, d) = parse(&src("[sames]\nDKA = [\"a b\"]\n"));
        assert_eq!((d[0].line, d[0].col), (1, 2), "{d:?}");
        let (_, d) = parse(&src("[same]\nDKA = [\"x\"]\ndka = [\"y\"]\n"));
        assert_eq!((d[0].line, d[0].col), (3, 1), "{d:?}");
        let (_, d) = parse(&src("[same]\nthe = [\"x\"]\n"));
        assert_eq!(d[0].line, 2, "{d:?}");
    }
}
