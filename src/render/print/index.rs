//! The index at the back of the printed book: every printed guideline's title (in bold, with its
//! page), its keywords (with the guidelines that list them), and the other names a reader may
//! look under, taken from the clinical synonym list (`synonyms.toml` of the theme and the book):
//! abbreviations, UK/US drug names, lay terms. In comes the book, the printed guidelines and the
//! synonym list; out comes the `#wb-index(..)` call of `main.typ`, grouped by initial letter.
//!
//! A synonym gets a cross-reference ("bed wetting, *see* Nocturnal enuresis (bedwetting) 41")
//! when its synonym group names a printed guideline's whole title or one of its keywords, all
//! compared as normalised search terms (case, spelling, plurals do not count; no fragments). An
//! ambiguous abbreviation (`[means]`) points at each of its meanings that a guideline has, and its
//! meanings are never merged. A name that is already a title or keyword keeps its own entry.
//! Drafts and withdrawn guidelines are not printed, so nothing points at them.

use super::literal::string;
use super::markup::guideline_label;
use crate::content::Book;
use crate::render::search::synonyms::{self, Kind, Synonyms};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// One index entry. A title or keyword entry has `titles` and/or `keywords`; a synonym entry
/// has only `see`.
#[derive(Default)]
struct Term {
    /// The term as written in the book or the synonym list.
    shown: String,
    /// Guidelines it is the title of.
    titles: Vec<usize>,
    /// Guidelines that list it as a keyword.
    keywords: Vec<usize>,
    /// Guidelines it stands for through the synonym list, in book order.
    see: Vec<usize>,
}

/// Appends the `#wb-index(..)` call for the guidelines `printed` to `s`.
pub fn write(book: &Book, printed: &[usize], guesses: &[String], syn: &Synonyms, s: &mut String) {
    let mut terms = titles_and_keywords(book, printed);
    add_synonyms(&mut terms, &named(book, printed), syn);
    s.push_str("#wb-index((\n");
    for (letter, entries) in groups(book, &terms, guesses) {
        let _ = writeln!(s, "  ({}, ({},)),", string(&letter), entries.join(", "));
    }
    s.push_str("))\n");
}

/// Entries for the titles and keywords of the printed guidelines, by [`sort_key`].
fn titles_and_keywords(book: &Book, printed: &[usize]) -> BTreeMap<String, Term> {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    for &i in printed {
        let g = &book.guidelines[i];
        let t = terms.entry(sort_key(&g.front.title)).or_default();
        t.shown.clone_from(&g.front.title);
        t.titles.push(i);
    }
    for &i in printed {
        for k in &book.guidelines[i].front.keywords {
            let key = sort_key(k);
            if key.is_empty() {
                continue;
            }
            let t = terms.entry(key).or_default();
            if t.shown.is_empty() {
                t.shown.clone_from(k);
            }
            if !t.titles.contains(&i) && !t.keywords.contains(&i) {
                t.keywords.push(i);
            }
        }
    }
    terms
}

/// Printed guidelines by the normalised search terms of their title and of each keyword.
fn named(book: &Book, printed: &[usize]) -> BTreeMap<String, BTreeSet<usize>> {
    let mut named: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for &i in printed {
        let g = &book.guidelines[i];
        for phrase in std::iter::once(&g.front.title).chain(&g.front.keywords) {
            let key = synonyms::phrase_key(phrase);
            if !key.is_empty() {
                named.entry(key).or_default().insert(i);
            }
        }
    }
    named
}

/// Adds a cross-reference for each synonym that stands for a printed guideline's title or
/// keyword and is not itself one.
fn add_synonyms(
    terms: &mut BTreeMap<String, Term>,
    named: &BTreeMap<String, BTreeSet<usize>>,
    syn: &Synonyms,
) {
    // Normalised term → (as written, guidelines), so that `DKA` and `dka`, or the same word in
    // two groups, make one entry.
    let mut found: BTreeMap<&str, (&str, BTreeSet<usize>)> = BTreeMap::new();
    for e in syn.values() {
        let names = std::iter::once(&e.key).chain(&e.values);
        let members: Vec<(&str, &str)> = names
            .map(String::as_str)
            .zip(e.terms.iter().map(String::as_str))
            .collect();
        // [same]: every member stands for what any member names. [means]: only the key, and
        // only for what its meanings name.
        let (referrers, meanings) = match e.kind {
            Kind::Same => (&members[..], &members[..]),
            Kind::Means => (&members[..1], &members[1..]),
        };
        let targets: BTreeSet<usize> = meanings
            .iter()
            .filter_map(|(_, term)| named.get(*term))
            .flatten()
            .copied()
            .collect();
        if targets.is_empty() {
            continue;
        }
        for &(shown, term) in referrers {
            if named.contains_key(term) {
                continue;
            }
            let slot = found.entry(term).or_insert((shown, BTreeSet::new()));
            slot.1.extend(&targets);
        }
    }
    for (shown, targets) in found.into_values() {
        let key = sort_key(shown);
        if key.is_empty() || terms.contains_key(&key) {
            continue;
        }
        terms.insert(
            key,
            Term {
                shown: shown.to_string(),
                see: targets.into_iter().collect(),
                ..Term::default()
            },
        );
    }
}

/// The entries as Typst dictionaries, grouped by initial letter (`#` for the rest).
fn groups(
    book: &Book,
    terms: &BTreeMap<String, Term>,
    guesses: &[String],
) -> Vec<(String, Vec<String>)> {
    let page = |i: usize| {
        format!(
            "(target: <{}>, guess: \"{}\")",
            guideline_label(i),
            guesses[i]
        )
    };
    let named_page = |i: usize| {
        format!(
            "(name: {}, target: <{}>, guess: \"{}\")",
            string(&book.guidelines[i].front.title),
            guideline_label(i),
            guesses[i]
        )
    };
    let list = |items: &[usize], f: &dyn Fn(usize) -> String| -> String {
        items.iter().map(|&i| f(i) + ", ").collect()
    };
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (key, t) in terms {
        let letter = key
            .chars()
            .next()
            .filter(|c| c.is_alphabetic())
            .map_or("#".to_string(), |c| c.to_uppercase().collect());
        let entry = format!(
            "(term: {}, pages: ({}), refs: ({}), see: ({}))",
            string(&t.shown),
            list(&t.titles, &page),
            list(&t.keywords, &named_page),
            list(&t.see, &named_page),
        );
        match groups.last_mut() {
            Some((l, list)) if *l == letter => list.push(entry),
            _ => groups.push((letter, vec![entry])),
        }
    }
    groups
}

/// Index order: case-insensitive, ignoring leading punctuation.
fn sort_key(term: &str) -> String {
    term.trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::synonyms::{Source, load};

    #[test]
    fn index_sorts_case_insensitively() {
        assert!(sort_key("asthma") < sort_key("Bronchiolitis"));
        assert_eq!(sort_key("\"Quoted\""), "quoted\"");
    }

    fn see_entries(named_terms: &[(&str, usize)], list: &str) -> BTreeMap<String, Vec<usize>> {
        let mut named: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for (phrase, i) in named_terms {
            named
                .entry(synonyms::phrase_key(phrase))
                .or_default()
                .insert(*i);
        }
        let (syn, diags) = load(&[Source {
            path: "synonyms.toml",
            text: list,
        }]);
        assert!(diags.is_empty(), "{diags:?}");
        let mut terms = BTreeMap::new();
        add_synonyms(&mut terms, &named, &syn);
        terms
            .into_values()
            .map(|t: Term| (t.shown, t.see))
            .collect()
    }

    #[test]
    fn synonyms_point_at_whole_terms_and_ambiguous_keys_at_each_meaning() {
        let list = "[same]\nDKA = [\"diabetic ketoacidosis\", \"ketoacidosis\"]\n\
                    seizure = [\"fit\", \"convulsion\"]\nasthma = [\"asthmatic\"]\n\
                    [means]\nCP = [\"cerebral palsy\", \"child protection\", \"chest pain\"]\n";
        let named = [
            ("Diabetic ketoacidosis", 3),
            ("Fits", 5),
            ("seizure", 7),
            ("child protection", 9),
            ("chest pain", 1),
            ("Acute asthma and wheeze", 2),
        ];
        let see = see_entries(&named, list);
        // A title matched whole (not "ketoacidosis" inside it): DKA and ketoacidosis point at it.
        assert_eq!(see["DKA"], [3]);
        assert_eq!(see["ketoacidosis"], [3]);
        // "Fits" names guideline 5 and normalises like "fit": its group points at 5 and 7.
        assert_eq!(see["convulsion"], [5, 7]);
        assert!(!see.contains_key("fit") && !see.contains_key("seizure"));
        // An ambiguous key lists each meaning that has a guideline, in book order.
        assert_eq!(see["CP"], [1, 9]);
        assert!(!see.contains_key("cerebral palsy"));
        // No guideline is titled or keyed "asthma" as a whole term.
        assert!(!see.contains_key("asthmatic"));
        assert_eq!(see.len(), 4, "{see:?}");
    }
}
