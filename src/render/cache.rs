//! What one build can hand to the next (used by `serve`), behind one seam: [`Memo`].
//!
//! Renderers call [`Memo::memo`] with a name, a key of everything the value is made from and
//! a closure that makes it; they do not know whether they run under `build` (no cache: the
//! closure simply runs) or `serve` (a value whose name and key are as in the previous build is
//! the previous build's). Every key also holds the global inputs of the build: configuration,
//! as-of date, drafts flag, the set of guidelines with their pages and statuses, templates and
//! the PDF flag.
//!
//! Each guideline's rendered Markdown is kept too, reused while the guideline's whole file text
//! and those global inputs are unchanged; it gets a body key ([`Memo::body`]) that pages built
//! from it put into their keys, so a page is remade exactly when its body or anything else it
//! shows changed. Files outside the guidelines (images that links point to) are not tracked:
//! the caller says [`Cache::forget_markdown`] when they change. `build` never uses a cache.

use crate::content::Book;
use crate::content::LinkContext;
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::theme::Theme;
use std::any::Any;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Rendering kept between builds.
#[derive(Debug, Default)]
pub struct Cache {
    /// Bumped by [`Cache::forget_markdown`].
    generation: u64,
    /// Key of the global inputs of every guideline's Markdown, as of the last build.
    markdown_key: u64,
    /// By source path.
    entries: HashMap<PathBuf, Entry>,
    /// Sources in the last build's book order: what the link targets of entries index.
    sources: Vec<PathBuf>,
    /// Body keys of this build's guidelines, index-aligned with its book (set when the
    /// Markdown is taken, handed to the [`Memo`]).
    bodies: Vec<u64>,
    /// The next body key to hand out: each fresh rendering gets a new one.
    next_body: u64,
    /// The memoised values of the last build.
    kept: Values,
    /// Each guideline's search analysis (handed to the build through the [`Memo`]).
    search: super::search::Memo,
    /// What the last build rendered afresh.
    pub last: Stats,
    /// Link the printed book from the pages, but leave building it to the caller (serve builds
    /// it in the background, off the reload path).
    pub defer_pdf: bool,
}

/// Work done by one build.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Guidelines whose Markdown was rendered (the others came from the cache).
    pub markdown: usize,
    /// Memoised values made afresh: pages, lists, reports (the others came from the cache).
    pub made: usize,
}

#[derive(Debug)]
struct Entry {
    /// The file text the entry was rendered from.
    text: std::sync::Arc<str>,
    /// The rendered Markdown (taken out during a build, put back after).
    rendered: Option<Rendered>,
    /// Its body key.
    body: u64,
}

/// Memoised values by name: the key each was made under, and the value (of whatever type its
/// renderer made).
#[derive(Default)]
struct Values(HashMap<String, (u64, Box<dyn Any + Send + Sync>)>);

impl std::fmt::Debug for Values {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} values", self.0.len())
    }
}

/// The memoisation seam renderers call (see the module doc). [`Memo::default`] is `build`'s:
/// nothing is kept and every closure runs.
#[derive(Default)]
pub struct Memo {
    /// Off under `build`.
    on: bool,
    /// Key of the global inputs, part of every key.
    base: u64,
    /// Body key of each guideline, index-aligned with the book.
    bodies: Vec<u64>,
    /// Values of the previous build (each taken at most once).
    before: Mutex<Values>,
    /// Values of this build.
    now: Mutex<Values>,
    /// Values made afresh.
    made: AtomicUsize,
    /// The search index's analyses of the previous build, for this one.
    search: Option<super::search::Memo>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("on", &self.on)
            .field("before", &*lock(&self.before))
            .finish()
    }
}

impl Memo {
    /// The value `make` makes, or, under serve, the previous build's value of `name` when its
    /// key (with the global inputs) is the same. `key` is hashed only under serve, so it may be
    /// a lazy view of the data (see [`Lazy`] and [`Hashed`]).
    pub fn memo<T: Clone + Send + Sync + 'static>(
        &self,
        name: &str,
        key: impl Hash,
        make: impl FnOnce() -> T,
    ) -> T {
        if !self.on {
            return make();
        }
        let key = hash_of(|h| (self.base, &key).hash(h));
        let before = lock(&self.before).0.remove(name);
        let kept = before
            .filter(|(k, _)| *k == key)
            .and_then(|(_, v)| v.downcast::<T>().ok());
        let value = match kept {
            Some(v) => *v,
            None => {
                self.made.fetch_add(1, Ordering::Relaxed);
                make()
            }
        };
        lock(&self.now)
            .0
            .insert(name.to_string(), (key, Box::new(value.clone())));
        value
    }

    /// `key` hashed under serve, 0 under build: for a key shared by many [`Memo::memo`] calls,
    /// computed once.
    pub fn hash(&self, key: impl Hash) -> u64 {
        if self.on { hash_of(|h| key.hash(h)) } else { 0 }
    }

    /// Key of guideline `i`'s rendered Markdown: equal keys, same rendering (0 under build).
    pub fn body(&self, i: usize) -> u64 {
        self.bodies.get(i).copied().unwrap_or_default()
    }

    /// The search index's kept analyses (serve), or none (build).
    pub fn search(&self) -> Option<&super::search::Memo> {
        self.search.as_ref()
    }
}

/// A key made only when the memo hashes it (under serve): building `build`'s keys would be
/// wasted work.
pub struct Lazy<F>(pub F);

impl<K: Hash, F: Fn() -> K> Hash for Lazy<F> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.0)().hash(state);
    }
}

/// Hashes a serialisable value by its serialisation: for keys of data whose type is not
/// `Hash` (a template context), computed only when the memo hashes it.
pub struct Hashed<T: serde::Serialize>(pub T);

impl<T: serde::Serialize> Hash for Hashed<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let _hashing_cannot_fail = serde_json::to_writer(HashWriter(state), &self.0);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Feeds serialised bytes straight into a hasher.
struct HashWriter<'a, H: Hasher>(&'a mut H);

impl<H: Hasher> std::io::Write for HashWriter<'_, H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hash_of(f: impl FnOnce(&mut std::collections::hash_map::DefaultHasher)) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    f(&mut h);
    h.finish()
}

impl Cache {
    /// Drops every rendered guideline (files their links point to may have come or gone).
    pub fn forget_markdown(&mut self) {
        self.generation += 1;
    }

    /// Takes out the rendered Markdown still valid for `book`, index-aligned with its guidelines.
    pub fn take_markdown(&mut self, book: &Book, ctx: &LinkContext<'_>) -> Vec<Option<Rendered>> {
        let key = self.markdown_key(book, ctx);
        if key != self.markdown_key {
            self.entries.clear();
            self.markdown_key = key;
        }
        let index: HashMap<&PathBuf, usize> = book
            .guidelines
            .iter()
            .enumerate()
            .map(|(i, g)| (&g.source, i))
            .collect();
        let remap: Vec<Option<usize>> =
            self.sources.iter().map(|s| index.get(s).copied()).collect();
        let kept: Vec<Option<(Rendered, u64)>> = book
            .guidelines
            .iter()
            .map(|g| {
                let e = self.entries.get_mut(&g.source)?;
                if e.text != g.text {
                    return None;
                }
                let mut r = e.rendered.take()?;
                for link in &mut r.links {
                    link.target = remap.get(link.target).copied().flatten()?;
                }
                Some((r, e.body))
            })
            .collect();
        self.bodies = kept
            .iter()
            .map(|k| match k {
                Some((_, body)) => *body,
                None => {
                    self.next_body += 1;
                    self.next_body
                }
            })
            .collect();
        kept.into_iter().map(|k| k.map(|(r, _)| r)).collect()
    }

    /// The memo for this build of `book` (after [`Cache::take_markdown`]): the previous
    /// build's values, under a key of the global inputs.
    pub fn memo(&mut self, theme: &Theme, pdf: bool) -> Memo {
        let base = hash_of(|h| {
            self.markdown_key.hash(h);
            pdf.hash(h);
            theme.templates.hash(h);
            theme.overridden.hash(h);
        });
        Memo {
            on: true,
            base,
            bodies: self.bodies.clone(),
            before: Mutex::new(std::mem::take(&mut self.kept)),
            now: Mutex::default(),
            made: AtomicUsize::new(0),
            search: Some(std::mem::take(&mut self.search)),
        }
    }

    /// Keeps `rendered` and the values of `memo` for the next build.
    pub fn store(&mut self, book: &Book, rendered: Vec<Rendered>, memo: Memo) {
        self.last.made = memo.made.into_inner();
        self.kept = memo.now.into_inner().unwrap_or_else(|e| e.into_inner());
        self.search = memo.search.unwrap_or_default();
        let mut old = std::mem::take(&mut self.entries);
        let bodies = std::mem::take(&mut self.bodies);
        for ((g, r), body) in book.guidelines.iter().zip(rendered).zip(bodies) {
            let text = match old.remove(&g.source) {
                Some(e) if e.text == g.text => e.text,
                _ => g.text.clone(),
            };
            let entry = Entry {
                text,
                rendered: Some(r),
                body,
            };
            self.entries.insert(g.source.clone(), entry);
        }
        self.sources = book.guidelines.iter().map(|g| g.source.clone()).collect();
    }

    fn markdown_key(&self, book: &Book, ctx: &LinkContext<'_>) -> u64 {
        hash_of(|h| {
            self.generation.hash(h);
            format!("{:?}", book.config).hash(h);
            book.as_of.hash(h);
            book.drafts.hash(h);
            for (source, status) in &ctx.all_sources {
                source.hash(h);
                status.as_str().hash(h);
            }
            for g in &book.guidelines {
                g.page.hash(h);
            }
        })
    }
}

/// Diagnostics of rendered guidelines, copied (the rendered values go back into the cache).
pub fn diagnostics(rendered: &[Rendered]) -> Vec<Diagnostic> {
    rendered
        .iter()
        .flat_map(|r| r.diags.iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo of the next build, holding what `memo` kept.
    fn next(memo: Memo) -> Memo {
        Memo {
            on: true,
            before: Mutex::new(memo.now.into_inner().unwrap_or_default()),
            ..Memo::default()
        }
    }

    #[test]
    fn build_runs_every_closure_and_keeps_nothing() {
        let memo = Memo::default();
        let runs = AtomicUsize::new(0);
        for _ in 0..2 {
            memo.memo("page", 1, || runs.fetch_add(1, Ordering::Relaxed));
        }
        assert_eq!(runs.into_inner(), 2);
        assert!(lock(&memo.now).0.is_empty());
    }

    #[test]
    fn serve_reuses_a_value_while_its_key_is_the_same() {
        let first = Memo {
            on: true,
            ..Memo::default()
        };
        assert_eq!(first.memo("a", ("title", 1), || "made".to_string()), "made");
        assert_eq!(first.memo("b", 7, || 10_u32), 10);
        let second = next(first);
        assert_eq!(
            second.memo("a", ("title", 1), || "again".to_string()),
            "made"
        );
        assert_eq!(
            second.memo("b", 8, || 11_u32),
            11,
            "a new key makes it again"
        );
        assert_eq!(second.made.load(Ordering::Relaxed), 1);
        let third = next(second);
        // The same name asked for as another type is made afresh, never mis-cast.
        assert_eq!(third.memo("b", 8, || "text".to_string()), "text");
    }
}
