//! The heading-id rule of `markdown.rs` (`slugify`, `free_id`, `RESERVED_IDS`) as data for the
//! browser, which links a result to the heading that matched best. Shipping every id would
//! double the size of the document files, so search.js predicts the id of an ASCII heading from
//! its text with the [`SlugRules`] written into `search/terms.js`, and the index ships an id only
//! where that prediction would be wrong ([`shipped`]): the page links right even if the two rules
//! ever drift apart. `tests/fixtures/slug-cases.json` holds the cases both sides are tested with.

use crate::ids::{RESERVED_IDS, free_id, slugify};
use crate::markdown::Rendered;
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::sync::LazyLock;

/// What the browser needs to give a heading the id `markdown.rs` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlugRules {
    /// The ASCII characters a slug keeps, in code order (the rest are dropped)…
    pub from: String,
    /// …and what each becomes: one character each, at the same place.
    pub to: String,
    /// The id of a heading with nothing to keep.
    pub empty: String,
    /// What a character the table drops becomes when it stands between two digits ("12.5" gives
    /// "12-5", never "125"); empty if such characters are dropped like any other.
    pub between_digits: String,
    /// Ids the page itself uses, taken before any heading.
    pub reserved: &'static [&'static str],
    /// `to` by ASCII code (0: dropped), for [`SlugRules::slug`].
    #[serde(skip)]
    table: [u8; 128],
}

/// The rules, made once: they follow from `markdown.rs` alone.
static RULES: LazyLock<SlugRules> = LazyLock::new(read_rules);

/// The rules, read off `ids::slugify` one ASCII character at a time (between two letters,
/// since a slug is trimmed first) and off `ids::free_id`.
pub fn rules() -> &'static SlugRules {
    &RULES
}

fn read_rules() -> SlugRules {
    let mut from = String::new();
    let mut to = String::new();
    let mut table = [0u8; 128];
    for b in 0u8..128 {
        let c = char::from(b);
        let slug = slugify(&format!("a{c}a"));
        let mid = slug.strip_prefix('a').and_then(|s| s.strip_suffix('a'));
        // A character that does not become exactly one ASCII character cannot be a table entry: the
        // browser then drops it, and `shipped` sends the real id of any heading holding it.
        if let Some(m) = mid
            && let [t] = m.as_bytes()
            && t.is_ascii()
        {
            from.push(c);
            to.push_str(m);
            table[usize::from(b)] = *t;
        }
    }
    SlugRules {
        from,
        to,
        empty: free_id("", |_| false),
        between_digits: slugify("1.1").trim_matches(|c: char| c == '1').to_string(),
        reserved: RESERVED_IDS,
        table,
    }
}

impl SlugRules {
    /// The slug search.js computes for `text` (the heading's text, trimmed).
    pub fn slug(&self, text: &str) -> String {
        let bytes = text.trim().as_bytes();
        let mut out = String::with_capacity(bytes.len());
        for (i, &b) in bytes.iter().enumerate() {
            match self.table.get(usize::from(b)).copied() {
                Some(t) if t != 0 => out.push(char::from(t)),
                _ if out.ends_with(|c: char| c.is_ascii_digit())
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) =>
                {
                    out.push_str(&self.between_digits)
                }
                _ => {}
            }
        }
        out
    }
}

/// A page's headings as the document files hold them: `(text, Some(id))` where the browser's
/// prediction (the [`SlugRules`] for ASCII text, made unique as `free_id` does after the
/// reserved ids and the headings before) would not give the real id, else `(text, None)`.
pub fn shipped(rules: &SlugRules, headings: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
    let mut seen: FxHashSet<&str> = rules.reserved.iter().copied().collect();
    headings
        .iter()
        .map(|&(text, id)| {
            let predicted = free_id(&rules.slug(text), |x| seen.contains(x));
            seen.insert(id);
            let explicit = (predicted != id || !text.is_ascii()).then(|| id.to_string());
            (text.to_string(), explicit)
        })
        .collect()
}

/// [`shipped`] for a rendered guideline.
pub fn shipped_headings(rules: &SlugRules, r: &Rendered) -> Vec<(String, Option<String>)> {
    let pairs: Vec<(&str, &str)> = r
        .headings
        .iter()
        .map(|h| (h.text.as_str(), h.id.as_str()))
        .collect();
    shipped(rules, &pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_keeps_letters_and_digits_and_joins_words() {
        let r = rules();
        assert_eq!(r.from.len(), r.to.len());
        assert_eq!(r.slug("  Step 2: Oxygen_now "), "step-2-oxygen_now");
        assert_eq!(r.empty, "section");
        assert!(r.reserved.contains(&"search"));
    }

    #[test]
    fn ids_are_shipped_only_where_the_prediction_misses() {
        let r = rules();
        let got = shipped(
            r,
            &[
                ("Dose", "dose"),
                ("Dose", "dose-1"),
                ("Search", "search-1"),
                ("Barré", "barré"),
                ("Custom", "my-id"),
            ],
        );
        let ids: Vec<Option<&str>> = got.iter().map(|(_, id)| id.as_deref()).collect();
        assert_eq!(ids, [None, None, None, Some("barré"), Some("my-id")]);
    }
}
