//! What one index build can hand to the next (serve): every guideline's [`Analysed`] with a key of
//! everything its analysis read, and the term dictionary their numbers point into. A build
//! reuses an analysis whose key is unchanged and analyses the rest, so a save re-analyses one
//! guideline. The index is the same bytes with or without a memo: an analysis depends only on
//! its key's inputs, and the final dictionary is sorted afresh from the terms in use.

use super::analyse::Analysed;
use super::model::Input;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

/// Term numbers shared by the analyses of every build (only ever grows; see [`Memo::store`]).
#[derive(Debug, Default)]
pub struct Dict {
    /// Term → number.
    ids: FxHashMap<String, u32>,
    /// Number → term.
    terms: Vec<String>,
}

impl Dict {
    /// The number of `term` (added if new).
    pub fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.ids.insert(term.to_string(), id);
        self.terms.push(term.to_string());
        id
    }

    /// The term numbered `id`.
    pub fn term(&self, id: u32) -> &str {
        self.terms.get(id as usize).map_or("", String::as_str)
    }

    /// Terms numbered so far.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// True before the first term.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// The memo's contents between builds.
#[derive(Debug, Default)]
pub struct Kept {
    /// Numbers the kept analyses' terms point into.
    pub dict: Dict,
    /// By page: the key of the analysis and the analysis.
    pub docs: FxHashMap<String, (u64, Arc<Analysed>)>,
    /// Guidelines the last build analysed afresh (the others were reused).
    pub analysed: usize,
}

/// Analysed guidelines kept between builds (`render::Cache` holds one for `serve`).
#[derive(Default)]
pub struct Memo {
    kept: Mutex<Kept>,
    /// The last good parse of the synonym files, with the texts it was parsed from (they
    /// rarely change between serve rebuilds, and parsing them costs milliseconds).
    synonyms: Mutex<Option<ParsedSynonyms>>,
}

/// Theme synonyms text, the book's synonyms text (if any), and what they parse to.
type ParsedSynonyms = (String, Option<String>, super::synonyms::Synonyms);

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.lock();
        f.debug_struct("Memo")
            .field("terms", &kept.dict.len())
            .field("docs", &kept.docs.len())
            .finish()
    }
}

impl Memo {
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The synonyms of `theme_text` and `book_text`: the last parse when the texts are the
    /// same, else `parse`'s result (kept when it is good).
    pub fn synonyms<E>(
        &self,
        theme_text: &str,
        book_text: Option<&str>,
        parse: impl FnOnce() -> Result<super::synonyms::Synonyms, E>,
    ) -> Result<super::synonyms::Synonyms, E> {
        let mut last = self.synonyms.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((t, b, syn)) = last.as_ref()
            && t == theme_text
            && b.as_deref() == book_text
        {
            return Ok(syn.clone());
        }
        let syn = parse()?;
        *last = Some((
            theme_text.to_string(),
            book_text.map(str::to_string),
            syn.clone(),
        ));
        Ok(syn)
    }

    /// Guidelines the last build analysed afresh (the others were reused).
    pub fn analysed(&self) -> usize {
        self.lock().analysed
    }

    /// Takes the contents out for a build (a memo in use by two builds at once gives the second
    /// an empty one: slower, never wrong).
    pub fn take(&self) -> Kept {
        std::mem::take(&mut *self.lock())
    }

    /// Keeps this build's analyses (`docs`, by page) for the next. The dictionary is dropped
    /// with them once most of its terms are no longer used by any (after many edits).
    pub fn store(&self, mut kept: Kept, used_terms: usize) {
        if kept.dict.len() > 2 * used_terms + 10_000 {
            kept = Kept {
                analysed: kept.analysed,
                ..Kept::default()
            };
        }
        *self.lock() = kept;
    }
}

/// The key of everything [`super::analyse::analyse`] reads of a guideline, with the budget.
pub fn key(d: &Input<'_>, budget: usize) -> u64 {
    let mut h = FxHasher::default();
    d.g.front.title.hash(&mut h);
    d.g.front.keywords.hash(&mut h);
    d.r.headings.len().hash(&mut h);
    for heading in &d.r.headings {
        heading.text.hash(&mut h);
    }
    d.r.blocks.len().hash(&mut h);
    for b in &d.r.blocks {
        b.heading.hash(&mut h);
        b.text.hash(&mut h);
    }
    budget.hash(&mut h);
    h.finish()
}
