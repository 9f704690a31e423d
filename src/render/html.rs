//! Site pages with tera: one page per guideline (withdrawn ones as a notice), section, network,
//! home, A-Z and 404 pages, and [`Site::page`], the one way every renderer fills a template.
//! Scheduling these beside the search index, reports and print.html is the orchestrator's
//! ([`super::render_site`]). Every link is relative (`root` is `""` or `"../"`), so the site works
//! from any sub-path and from file://.

use super::cache::{Hashed, Lazy};
use super::views::{BookView, Counts, GuidelineView};
use super::{File, Site};
use crate::content::{Book, Guideline, Status};
use crate::diag::Diagnostic;
use crate::output::{Content, Output};
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

/// A guideline page needs an on-page contents list from this many `##` headings.
const TOC_MIN_HEADINGS: usize = 4;

impl Site<'_> {
    /// Renders `template` for the page at `path` (root-relative), with the common context added:
    /// `book`, `root` (relative prefix to the site root), `page_path`. Memoised by the whole
    /// context the template receives.
    pub fn page(&self, template: &str, path: &str, ctx: Context) -> Result<String, Diagnostic> {
        let ctx = self.common(path, ctx);
        let key = Lazy(|| (template, Hashed(ctx.clone().into_json())));
        self.memo
            .memo(path, key, || self.render(template, path, &ctx))
    }

    /// [`Site::page`] rendered afresh (the caller caches it its own way).
    pub fn page_fresh(
        &self,
        template: &str,
        path: &str,
        ctx: Context,
    ) -> Result<String, Diagnostic> {
        self.render(template, path, &self.common(path, ctx))
    }

    fn common(&self, path: &str, mut ctx: Context) -> Context {
        let depth = path.matches('/').count();
        let archive = self.history.is_some();
        ctx.insert("book", &BookView::new(self.book, self.pdf, archive));
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("page_path", path);
        if !ctx.contains_key("copy") {
            ctx.insert("copy", &super::copies::page(self.book, path));
        }
        ctx.insert("offline", &self.book.config.offline);
        ctx
    }

    fn render(&self, template: &str, path: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera.render(template, ctx).map_err(|e| {
            let file = self
                .theme
                .overridden
                .get(template)
                .cloned()
                .unwrap_or_else(|| format!("templates/{template}"));
            Diagnostic::error(
                file,
                0,
                0,
                "template",
                format!("rendering {path}: {}", crate::theme::error_chain(&e)),
            )
        })
    }

    /// Views of the listed guidelines in `gs`.
    pub fn views<'g>(&self, gs: impl Iterator<Item = &'g Guideline>) -> Vec<GuidelineView> {
        gs.map(|g| GuidelineView::new(self.book, g)).collect()
    }
}

#[derive(Serialize)]
struct TocEntry<'a> {
    id: &'a str,
    text: &'a str,
}

#[derive(Serialize, Hash)]
struct NavLink {
    title: String,
    page: String,
}

#[derive(Serialize)]
struct SectionView {
    slug: String,
    title: String,
    counts: Counts,
}

/// Previous and next listed guideline in the same section, for every guideline (by index).
pub fn section_neighbours(book: &Book) -> Vec<(Option<usize>, Option<usize>)> {
    let mut nav = vec![(None, None); book.guidelines.len()];
    let mut last_in_section: Vec<Option<usize>> = vec![None; book.config.sections.len()];
    for (i, g) in book
        .guidelines
        .iter()
        .enumerate()
        .filter(|(_, g)| g.is_listed())
    {
        if let Some(prev) = last_in_section[g.section] {
            nav[i].0 = Some(prev);
            nav[prev].1 = Some(i);
        }
        last_in_section[g.section] = Some(i);
    }
    nav
}

/// Guideline `i`'s page, into `out`; memoised by what it shows: the guideline's front matter,
/// its rendered body and its neighbours.
pub(super) fn guideline_page(
    site: &Site<'_>,
    i: usize,
    nav: (Option<usize>, Option<usize>),
    out: &Output,
) -> Result<Content, Diagnostic> {
    let book = site.book;
    let g = &book.guidelines[i];
    let key = Lazy(|| {
        let links = (nav_link(book, nav.0), nav_link(book, nav.1));
        let history = super::archive::history_key(site.history);
        let replacement = book.replacement(g).map(Guideline::shown);
        (g.shown(), site.memo.body(i), links, history, replacement)
    });
    site.memo.memo(&g.page, key, || {
        render_guideline_page(site, i, nav).map(|html| out.prepare(&g.page, html.into_bytes()))
    })
}

fn render_guideline_page(
    site: &Site<'_>,
    i: usize,
    (prev, next): (Option<usize>, Option<usize>),
) -> Result<String, Diagnostic> {
    let book = site.book;
    let g = &book.guidelines[i];
    let r = &site.rendered[i];
    let mut ctx = Context::new();
    ctx.insert("g", &GuidelineView::new(book, g));
    ctx.insert("page_title", &g.front.title);
    ctx.insert(
        "versions",
        &super::archive::table(site.history, site.archive, g),
    );
    let gcopy = super::copies::guideline(book, g);
    ctx.insert("copy", &gcopy.copy);
    ctx.insert("gcopy", &gcopy);
    if g.front.status == Status::Withdrawn {
        ctx.insert("replaced_by", &book.replacement(g).map(nav_to));
        return site.render("withdrawn.html", &g.page, &site.common(&g.page, ctx));
    }
    let h2: Vec<TocEntry<'_>> = r
        .headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| TocEntry {
            id: &h.id,
            text: &h.text,
        })
        .collect();
    if h2.len() >= TOC_MIN_HEADINGS {
        ctx.insert("toc", &h2);
    }
    ctx.insert("body", &r.html);
    ctx.insert("prev", &nav_link(book, prev));
    ctx.insert("next", &nav_link(book, next));
    site.render("guideline.html", &g.page, &site.common(&g.page, ctx))
}

fn nav_link(book: &Book, j: Option<usize>) -> Option<NavLink> {
    j.map(|j| nav_to(&book.guidelines[j]))
}

/// A link to the page of `g`: its title and root-relative, URL-encoded page.
fn nav_to(g: &Guideline) -> NavLink {
    NavLink {
        title: g.front.title.clone(),
        page: crate::paths::encode_path(&g.page),
    }
}

/// [`list_pages`], memoised by what they show of the guidelines (serve reuses them while no
/// guideline's front matter changed).
pub(super) fn list_pages_reused(site: &Site<'_>) -> Result<Vec<File>, Vec<Diagnostic>> {
    // The home page links the change list, naming the previous edition, when there is one.
    let since = site.changes_since().map(|(previous, _)| &previous.label);
    let key = (listing_key(site.book), since);
    site.memo.memo("lists", key, || list_pages(site))
}

/// Key of what the list pages, reports and print.html show of the guidelines: everything but
/// their bodies ([`Guideline::shown`]), in book order.
pub fn listing_key(book: &Book) -> impl std::hash::Hash + '_ {
    Lazy(|| {
        book.guidelines
            .iter()
            .map(Guideline::shown)
            .collect::<Vec<_>>()
    })
}

fn list_pages(site: &Site<'_>) -> Result<Vec<File>, Vec<Diagnostic>> {
    let book = site.book;
    let cfg = &book.config;
    let sections: Vec<SectionView> = cfg
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| SectionView {
            slug: s.slug.clone(),
            title: s.title.clone(),
            counts: Counts::of(book.in_section(i)),
        })
        .collect();
    // Every list page is rendered on its own (in parallel); the A-Z list is the biggest.
    let (mut pages, a_z) = rayon::join(
        || {
            let mut pages: Vec<(String, Result<String, Diagnostic>)> = cfg
                .sections
                .par_iter()
                .enumerate()
                .map(|(i, s)| section_page(site, &sections[i], i, s))
                .collect();
            pages.par_extend(
                cfg.networks
                    .par_iter()
                    .enumerate()
                    .map(|(i, n)| network_page(site, i, n)),
            );
            pages.push(home_page(site, &sections));
            let mut ctx = Context::new();
            ctx.insert("page_title", "Page not found");
            pages.push(("404.html".into(), site.page("404.html", "404.html", ctx)));
            pages
        },
        || a_z_page(site),
    );
    pages.push(a_z);
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for (path, r) in pages {
        match r {
            Ok(html) => files.push((path, html.into_bytes())),
            Err(d) => errors.push(d),
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// A rendered page: its path and HTML (or the template problem).
type PageResult = (String, Result<String, Diagnostic>);

fn section_page(
    site: &Site<'_>,
    view: &SectionView,
    i: usize,
    s: &crate::config::SectionDef,
) -> PageResult {
    let mut ctx = Context::new();
    ctx.insert("page_title", &s.title);
    ctx.insert("section", view);
    ctx.insert("guidelines", &site.views(site.book.in_section(i)));
    let path = format!("{}/index.html", s.slug);
    let html = site.page("section.html", &path, ctx);
    (path, html)
}

fn network_page(site: &Site<'_>, i: usize, n: &crate::config::NetworkDef) -> PageResult {
    let book = site.book;
    let mut ctx = Context::new();
    ctx.insert("page_title", &n.name);
    ctx.insert(
        "network",
        &serde_json::json!({"slug": n.slug, "name": n.name}),
    );
    ctx.insert("counts", &Counts::of(book.of_network(i)));
    ctx.insert("guidelines", &site.views(book.of_network(i)));
    let path = format!("networks/{}.html", n.slug);
    let html = site.page("network.html", &path, ctx);
    (path, html)
}

fn home_page(site: &Site<'_>, sections: &[SectionView]) -> PageResult {
    let book = site.book;
    let networks: Vec<serde_json::Value> = book
        .config
        .networks
        .iter()
        .enumerate()
        .map(|(i, n)| {
            serde_json::json!({"slug": n.slug, "name": n.name, "counts": Counts::of(book.of_network(i))})
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("page_title", "Home");
    ctx.insert("sections", sections);
    ctx.insert("networks", &networks);
    ctx.insert("counts", &Counts::of(book.listed()));
    let since = site.changes_since().map(|(previous, _)| &previous.label);
    ctx.insert("changes_since", &since);
    let html = site.page("index.html", "index.html", ctx);
    ("index.html".into(), html)
}

fn a_z_page(site: &Site<'_>) -> PageResult {
    let mut all = site.views(site.book.listed());
    all.sort_by(|a, b| (a.title.to_lowercase(), &a.page).cmp(&(b.title.to_lowercase(), &b.page)));
    let mut letters: Vec<(String, Vec<GuidelineView>)> = Vec::new();
    for v in all {
        let letter = v.title.chars().next().map_or("#".into(), |c| {
            if c.is_alphabetic() {
                c.to_uppercase().collect()
            } else {
                "#".to_string()
            }
        });
        match letters.last_mut() {
            Some((l, list)) if *l == letter => list.push(v),
            _ => letters.push((letter, vec![v])),
        }
    }
    let mut ctx = Context::new();
    ctx.insert("page_title", "A to Z of guidelines");
    ctx.insert("letters", &letters);
    let html = site.page("a-z.html", "a-z.html", ctx);
    ("a-z.html".into(), html)
}
