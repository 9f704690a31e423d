//! What a query's words reach through the synonym list, read the way the browser reads a query
//! (`plan` in `themes/default/search.js`): words left to right, each time the longest run of
//! consecutive words whose *set* of terms is a member of some entry, so that "sugar low", "low
//! sugars" and "low sugar" all find the `low sugar` member of the hypoglycaemia group. A run that
//! is an ambiguous key (`[means]`) is never resolved to one meaning: [`Found::readings`] lists
//! every one, and the search page shows them all.
//!
//! In comes the loaded list and a query; out come the runs the list knows. The page does this in
//! JavaScript; this is the same rule in Rust, for the Rust tests and any Rust caller, both checked
//! against `tests/fixtures/search-phrases.json`.

use super::synonyms::{Entry, Kind, Synonyms, set_key};
use super::text;
use std::collections::BTreeMap;

/// A run of query words the list knows.
#[derive(Debug, Clone)]
pub struct Found<'a> {
    /// The run's key ([`set_key`] of its words' terms).
    pub key: String,
    /// First query unit of the run (a word, or a hyphenated compound).
    pub start: usize,
    /// Units in the run.
    pub len: usize,
    /// The entries holding the key: as any member of a `[same]` group, or as the key of a
    /// `[means]` entry (its meanings do not lead back to it).
    pub entries: Vec<&'a Entry>,
}

impl Found<'_> {
    /// The meanings of the ambiguous keys among [`Found::entries`], as written (empty when the
    /// run is not ambiguous).
    pub fn readings(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|e| e.kind == Kind::Means)
            .flat_map(|e| e.values.iter().map(String::as_str))
            .collect()
    }

    /// Every phrase key the run searches: its own and each other member or meaning's.
    pub fn reaches(&self) -> Vec<&str> {
        let mut out = vec![self.key.as_str()];
        for e in &self.entries {
            for t in &e.terms {
                if !out.contains(&t.as_str()) {
                    out.push(t);
                }
            }
        }
        out
    }
}

/// Entries by the keys a query can reach them with.
pub struct Lookup<'a> {
    by_key: BTreeMap<&'a str, Vec<&'a Entry>>,
    /// Most terms in one key: no longer run can match.
    max_len: usize,
}

impl<'a> Lookup<'a> {
    /// Indexes `syn` by member: every member of a `[same]` group, only the key of a `[means]`
    /// entry.
    pub fn new(syn: &'a Synonyms) -> Self {
        let mut by_key: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
        let mut max_len = 1;
        for e in syn.values() {
            let members = match e.kind {
                Kind::Same => &e.terms[..],
                Kind::Means => &e.terms[..1],
            };
            for key in members {
                max_len = max_len.max(key.split(' ').count());
                let list = by_key.entry(key.as_str()).or_default();
                if !list.iter().any(|x| std::ptr::eq(*x, e)) {
                    list.push(e);
                }
            }
        }
        Lookup { by_key, max_len }
    }

    /// The runs of `query` the list knows, left to right, longest first at each word.
    pub fn find(&self, query: &str) -> Vec<Found<'a>> {
        let units = text::phrase_units_cached(query, &mut text::Cache::default());
        let mut out = Vec::new();
        let mut i = 0;
        while i < units.len() {
            let longest = self.max_len.min(units.len() - i);
            let hit = (1..=longest).rev().find_map(|len| {
                let key = set_key(units[i..i + len].concat());
                let entries = self.by_key.get(key.as_str())?;
                Some(Found {
                    key,
                    start: i,
                    len,
                    entries: entries.clone(),
                })
            });
            match hit {
                Some(f) => {
                    i += f.len;
                    out.push(f);
                }
                None => i += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::synonyms::{Source, load};

    fn list(text: &str) -> Synonyms {
        let (syn, diags) = load(&[Source {
            path: "synonyms.toml",
            text,
        }]);
        assert!(diags.is_empty(), "{diags:?}");
        syn
    }

    #[test]
    fn runs_match_in_any_order_and_number() {
        let syn = list("[same]\nhypo = [\"hypoglycaemia\", \"low blood sugar\", \"low sugar\"]\n");
        let lookup = Lookup::new(&syn);
        for q in ["sugar low", "low sugars", "Sugars, low", "blood sugar low"] {
            let found = lookup.find(q);
            assert_eq!(found.len(), 1, "{q}: {found:?}");
            let hypo = crate::render::search::synonyms::phrase_key("hypoglycaemia");
            assert!(found[0].reaches().contains(&hypo.as_str()), "{q}");
        }
        // The longest run wins, and the words after it are read on.
        let found = lookup.find("blood sugar low hypo");
        assert_eq!(
            found.iter().map(|f| (f.start, f.len)).collect::<Vec<_>>(),
            [(0, 3), (3, 1)]
        );
        assert!(lookup.find("sugar").is_empty());
    }

    #[test]
    fn an_ambiguous_key_gives_every_reading_and_its_meanings_do_not_lead_back() {
        let syn = list("[means]\nHI = [\"head injury\", \"hearing impairment\"]\n");
        let lookup = Lookup::new(&syn);
        let found = lookup.find("hi");
        assert_eq!(found[0].readings(), ["head injury", "hearing impairment"]);
        assert!(lookup.find("head injury").is_empty());
    }
}
