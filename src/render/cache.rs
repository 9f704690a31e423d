//! What one build can hand to the next (used by `serve`): each guideline's rendered Markdown and
//! its page, so a save of one guideline re-renders that guideline and the pages that list it.
//!
//! An entry is reused only when the guideline's whole file text is unchanged and nothing global
//! it depends on changed: for Markdown the configuration, as-of date, drafts flag and the set of
//! guidelines with their pages and statuses (links resolve against them); for a page also the
//! templates, the PDF flag and its previous/next neighbours. Anything else re-renders. Files
//! outside the guidelines (images that links point to) are not tracked: the caller says
//! [`Cache::forget_markdown`] when they change. `build` never uses a cache.

use crate::content::Book;
use crate::content::LinkContext;
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::output::{Content, Output};
use crate::theme::Theme;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Rendering kept between builds.
#[derive(Debug, Default)]
pub struct Cache {
    /// Bumped by [`Cache::forget_markdown`].
    generation: u64,
    /// Key of the global inputs of every guideline's Markdown, as of the last build.
    markdown_key: u64,
    /// Key of the global inputs of every guideline page, as of the last build.
    page_key: u64,
    /// By source path.
    entries: HashMap<PathBuf, Entry>,
    /// Sources in the last build's book order: what the link targets of entries index.
    sources: Vec<PathBuf>,
    /// Every other page of the last build: path → (context key, HTML).
    other_pages: HashMap<String, (u64, String)>,
    /// Files of the last build that depend only on the guidelines' front matter (list pages,
    /// reports, the print.html shell), by name, with their key.
    memos: HashMap<&'static str, (u64, Vec<super::File>)>,
    /// Each guideline's body as print.html shows it, from the last build.
    print_bodies: Vec<Option<Arc<str>>>,
    /// The listing key (`html::listing_key`) those bodies were made for.
    print_listing: u64,
    /// Each guideline's search analysis (handed to the build in [`PageReuse::search`]).
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
    /// Guideline pages rendered with the templates (the others came from the cache).
    pub pages: usize,
}

#[derive(Debug)]
struct Entry {
    /// The file text the entry was rendered from.
    text: std::sync::Arc<str>,
    /// The rendered Markdown (taken out during a build, put back after).
    rendered: Option<Rendered>,
    /// The page: key of its neighbours, and the HTML (shared with the output served).
    page: Option<(u64, Arc<Vec<u8>>)>,
}

/// A guideline page's HTML with the key of its neighbours.
type KeyedPage = (u64, Arc<Vec<u8>>);

/// Pages of the previous build that may be reused: guideline pages index-aligned with the book's
/// guidelines (each taken once: it moves into the new output, uncopied), and every other page by
/// path with the key of its template context.
#[derive(Debug, Default)]
pub struct PageReuse {
    pages: Vec<Mutex<Option<KeyedPage>>>,
    taken: std::sync::atomic::AtomicUsize,
    /// Key of the templates and global inputs.
    key: u64,
    /// Key of every guideline's front matter, in book order (`html::listing_key`).
    listing: u64,
    /// Other pages of the previous build: path → (context key, HTML).
    before: HashMap<String, (u64, String)>,
    /// Other pages of this build.
    now: Mutex<HashMap<String, (u64, String)>>,
    /// Files that depend only on the listing (front matter), by name, with their key.
    memos: Mutex<HashMap<&'static str, (u64, Vec<super::File>)>>,
    /// Guideline `i`'s print.html body from the previous build, while its Markdown and the
    /// listing are unchanged (taken once), index-aligned with the book's guidelines.
    print_bodies: Vec<Mutex<Option<Arc<str>>>>,
    /// This build's print.html bodies.
    print_bodies_now: Mutex<Vec<Option<Arc<str>>>>,
    /// The search index's analyses of the previous build, for this one.
    pub search: super::search::Memo,
}

impl PageReuse {
    /// The previous page of guideline `i` when its neighbours' key is still `nav`.
    pub fn take(&self, i: usize, nav: u64) -> Option<Arc<Vec<u8>>> {
        let mut slot = lock(self.pages.get(i)?);
        let html = match slot.take() {
            Some((key, html)) if key == nav => Some(html),
            _ => None,
        };
        if html.is_some() {
            self.taken
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        html
    }

    /// The page `render` makes of `ctx`, or the previous build's when template and context
    /// are the same.
    pub fn memo(
        &self,
        template: &str,
        path: &str,
        ctx: tera::Context,
        render: impl FnOnce(&tera::Context) -> Result<String, Diagnostic>,
    ) -> Result<String, Diagnostic> {
        let json = ctx.into_json();
        let key = hash_of(|h| {
            self.key.hash(h);
            template.hash(h);
            let _hashing_cannot_fail = serde_json::to_writer(HashWriter(h), &json);
        });
        let html = match self.before.get(path) {
            Some((k, html)) if *k == key => html.clone(),
            _ => render(&tera::Context::from_value(json).unwrap_or_default())?,
        };
        lock(&self.now).insert(path.to_string(), (key, html.clone()));
        Ok(html)
    }

    /// The files `render` makes, or the previous build's files of that `name` when the listing
    /// key (every guideline's front matter) and the templates are the same.
    pub fn files(
        &self,
        name: &'static str,
        render: impl FnOnce() -> Result<Vec<super::File>, Vec<Diagnostic>>,
    ) -> Result<Vec<super::File>, Vec<Diagnostic>> {
        let key = hash_of(|h| (self.key, self.listing).hash(h));
        let before = lock(&self.memos).remove(name);
        let files = match before {
            Some((k, files)) if k == key => files,
            _ => render()?,
        };
        lock(&self.memos).insert(name, (key, files.clone()));
        Ok(files)
    }

    /// Guideline `i`'s print.html body: the previous build's, or what `make` makes (kept for
    /// the next build either way).
    pub fn print_body(&self, i: usize, make: impl FnOnce() -> String) -> Arc<str> {
        let kept = self.print_bodies.get(i).and_then(|slot| lock(slot).take());
        let body = kept.unwrap_or_else(|| make().into());
        let mut now = lock(&self.print_bodies_now);
        if let Some(slot) = now.get_mut(i) {
            *slot = Some(Arc::clone(&body));
        }
        body
    }

    /// Pages taken.
    pub fn taken(&self) -> usize {
        self.taken.load(std::sync::atomic::Ordering::Relaxed)
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
        book.guidelines
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
                Some(r)
            })
            .collect()
    }

    /// Pages of the previous build whose Markdown was reused (`reused[i]`) and whose templates
    /// are unchanged.
    pub fn pages(&mut self, book: &Book, theme: &Theme, pdf: bool, reused: &[bool]) -> PageReuse {
        let key = hash_of(|h| {
            self.markdown_key.hash(h);
            pdf.hash(h);
            theme.templates.hash(h);
            theme.overridden.hash(h);
        });
        if key != self.page_key {
            for e in self.entries.values_mut() {
                e.page = None;
            }
            self.page_key = key;
        }
        let pages = book
            .guidelines
            .iter()
            .zip(reused)
            .map(|(g, &hit)| {
                let e = self.entries.get_mut(&g.source)?;
                if hit { e.page.take() } else { None }
            })
            .map(Mutex::new)
            .collect();
        // A print.html body depends on its guideline's rendered Markdown and, through its
        // links, on every guideline's page, title and number: the listing must be as before.
        let listing = super::html::listing_key(book);
        let old_bodies = std::mem::take(&mut self.print_bodies);
        let same_book = listing == self.print_listing && old_bodies.len() == book.guidelines.len();
        self.print_listing = listing;
        let print_bodies = old_bodies
            .into_iter()
            .zip(reused)
            .map(|(body, &hit)| if same_book && hit { body } else { None })
            .chain(std::iter::repeat(None))
            .take(book.guidelines.len())
            .map(Mutex::new)
            .collect();
        PageReuse {
            pages,
            taken: Default::default(),
            key,
            listing,
            before: std::mem::take(&mut self.other_pages),
            now: Mutex::default(),
            memos: Mutex::new(std::mem::take(&mut self.memos)),
            print_bodies,
            print_bodies_now: Mutex::new(vec![None; book.guidelines.len()]),
            search: std::mem::take(&mut self.search),
        }
    }

    /// Keeps `rendered`, the guideline pages of `output` and the other pages of `reuse` for the
    /// next build.
    pub fn store(
        &mut self,
        book: &Book,
        rendered: Vec<Rendered>,
        output: &Output,
        reuse: Option<PageReuse>,
    ) {
        if let Some(r) = reuse {
            self.last.pages = book.guidelines.len() - r.taken();
            self.other_pages = r.now.into_inner().unwrap_or_else(|e| e.into_inner());
            self.memos = r.memos.into_inner().unwrap_or_else(|e| e.into_inner());
            self.print_bodies = r
                .print_bodies_now
                .into_inner()
                .unwrap_or_else(|e| e.into_inner());
            self.search = r.search;
        }
        let mut old = std::mem::take(&mut self.entries);
        let navs = super::html::nav_keys(book);
        for ((g, r), nav) in book.guidelines.iter().zip(rendered).zip(navs) {
            let page = match output.files.get(&g.page) {
                Some(Content::Bytes(b)) => Some((nav, b.clone())),
                _ => None,
            };
            let text = match old.remove(&g.source) {
                Some(e) if e.text == g.text => e.text,
                _ => g.text.clone(),
            };
            let entry = Entry {
                text,
                rendered: Some(r),
                page,
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
