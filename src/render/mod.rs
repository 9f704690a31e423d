//! Rendering: from the loaded [`Book`] to every output file, in memory.
//!
//! 1. Markdown of every guideline, in parallel (rayon), with the lint on the same parse.
//! 2. Links between guidelines checked against the targets' heading ids.
//! 3. Pages (tera) in parallel; lists, search index, reports; the PDF on its own thread meanwhile.
//!
//! This module is the orchestrator: it owns [`Site`] (what every renderer reads) and [`File`],
//! and runs the phases ([`render_site`]). Each output module (`html`, `search`, `reports`,
//! `print`) takes the [`Site`] and returns files; none reads Markdown or HTML again, and none
//! schedules another. With a [`Cache`] (serve), guidelines whose text and global inputs are
//! unchanged skip step 1, and step 3 memoises its pages and files through one seam, [`Memo`],
//! that the renderers call the same way under `build`.

pub mod archive;
pub mod cache;
pub mod changes;
pub mod copies;
pub mod html;
pub mod offline;
pub mod print;
pub mod reports;
pub mod search;
pub mod variations;
pub mod views;

use crate::BuildOptions;
use crate::content::{Book, LinkContext};
use crate::diag::Diagnostic;
use crate::history::{BookHistory, ChangeList, Edition};
use crate::markdown::{self, Rendered};
use crate::output::{Content, Output};
use crate::theme::Theme;
use rayon::prelude::*;

pub use cache::{Cache, Memo};

/// The result of rendering: files, and every problem found on the way.
#[derive(Debug, Default)]
pub struct RenderResult {
    /// All output files.
    pub output: Output,
    /// Problems found while rendering (links, lint, templates, PDF).
    pub diags: Vec<Diagnostic>,
}

/// Renders the whole site (and, with `opts.pdf`, the printed book), with what `history` found
/// when the book has history.
pub fn render(
    book: &Book,
    history: Option<&BookHistory>,
    opts: &BuildOptions,
) -> anyhow::Result<RenderResult> {
    render_cached(book, history, opts, None, Output::default())
}

/// [`render`] into `out` (empty; in memory or staged to disk), reusing what `cache` kept from
/// the previous build and keeping this one's.
pub fn render_cached(
    book: &Book,
    history: Option<&BookHistory>,
    opts: &BuildOptions,
    cache: Option<&mut Cache>,
    out: Output,
) -> anyhow::Result<RenderResult> {
    let beside = Beside {
        history,
        adaptation: None,
    };
    render_adapted(book, beside, opts, cache, out)
}

/// What travels beside the [`Book`] into rendering: its history and, for an adaptation's book,
/// what the adaptation adds (the variance report, links to omitted guidelines).
#[derive(Clone, Copy, Default)]
pub struct Beside<'a> {
    /// What the book's history adds, when it has history.
    pub history: Option<&'a BookHistory>,
    /// What the adaptation adds; `None` for the network book.
    pub adaptation: Option<&'a crate::adapt::Applied>,
}

/// [`render_cached`] with everything that travels beside the book.
pub fn render_adapted(
    book: &Book,
    Beside {
        history,
        adaptation,
    }: Beside<'_>,
    opts: &BuildOptions,
    mut cache: Option<&mut Cache>,
    out: Output,
) -> anyhow::Result<RenderResult> {
    let theme = crate::timings::phase("theme", || crate::theme::load(&book.config))?;
    let ctx = crate::timings::phase("link context", || LinkContext::new(book));
    let kept = match cache.as_deref_mut() {
        Some(c) => crate::timings::phase("take cache", || c.take_markdown(book, &ctx)),
        None => vec![None; book.guidelines.len()],
    };
    let fresh = kept.iter().filter(|k| k.is_none()).count();
    let rendered = crate::timings::phase("markdown+lint", || render_markdown(book, &ctx, kept));
    let mut result = RenderResult {
        diags: crate::timings::phase("copy diagnostics", || cache::diagnostics(&rendered)),
        ..RenderResult::default()
    };
    crate::timings::phase("anchors+review", || {
        check_anchors(book, &rendered, &mut result.diags);
        variations::omitted_links(book, &rendered, &mut result.diags);
        result.diags.extend(crate::lint::review_diagnostics(book));
    });
    let tera = match crate::timings::phase("tera", || theme.tera()) {
        Ok(t) => t,
        Err(d) => {
            result.diags.push(d);
            return Ok(result);
        }
    };
    let memo = match cache.as_deref_mut() {
        Some(c) => c.memo(&theme, opts.pdf),
        None => Memo::default(),
    };
    let plan = history.map(|h| {
        crate::timings::phase("archive plan", || {
            let pages: std::collections::HashSet<&str> =
                book.guidelines.iter().map(|g| g.page.as_str()).collect();
            archive::Plan::new(book, &h.history, &|p| pages.contains(p))
        })
    });
    let site = Site {
        book,
        history,
        archive: plan.as_ref(),
        tera: &tera,
        theme: &theme,
        rendered: &rendered,
        pdf: opts.pdf,
        memo: &memo,
        adaptation,
    };
    let build_pdf = opts.pdf && !cache.as_ref().is_some_and(|c| c.defer_pdf);
    render_outputs(&site, build_pdf, out, &mut result);
    if let Some(c) = cache {
        c.last.markdown = fresh;
        crate::timings::phase("store cache", || c.store(book, rendered, memo));
    }
    Ok(result)
}

/// Every guideline's Markdown rendered and linted, in parallel, except those `kept` from the
/// previous build.
fn render_markdown(
    book: &Book,
    ctx: &LinkContext<'_>,
    kept: Vec<Option<Rendered>>,
) -> Vec<Rendered> {
    let highlighter = crate::highlight::Highlighter::shared();
    book.guidelines
        .par_iter()
        .zip(kept)
        .map(|(g, kept)| {
            kept.unwrap_or_else(|| {
                let mut r = markdown::render(g, ctx, highlighter);
                r.diags
                    .extend(crate::lint::lint_guideline(g, &r.prose, &book.config));
                // Only the lint reads prose ranges: free them before the pages are built
                // (tens of MB on a 10,000-guideline book).
                r.prose = Vec::new();
                r
            })
        })
        .collect()
}

/// The site's pages and, with `build_pdf`, the PDF (on its own thread meanwhile), into
/// `result`, with the files the guidelines link to.
fn render_outputs(site: &Site<'_>, build_pdf: bool, out: Output, result: &mut RenderResult) {
    let book = site.book;
    let (pdf, pages) = rayon::join(
        || {
            if build_pdf {
                typeset(book, site.changes_since(), site.rendered, site.theme)
            } else {
                None
            }
        },
        || crate::timings::phase("site", || render_site(site, out)),
    );
    match pages {
        Ok(out) => result.output = out,
        Err(d) => result.diags.extend(d),
    }
    if let Some(pdf) = pdf {
        match pdf {
            Ok(bytes) => result
                .output
                .insert(book.config.print.filename.clone(), bytes),
            Err(d) => result.diags.extend(d),
        }
    }
    for r in site.rendered {
        for a in &r.assets {
            result
                .output
                .copy(a.output.clone(), book.config.root.join(&a.source));
        }
    }
    offline::write(book, &mut result.output);
}

/// What every renderer reads: the book, templates, theme, and each guideline's rendered body.
/// Its page-filling methods ([`Site::page`]) are in [`html`].
pub struct Site<'a> {
    /// The book.
    pub book: &'a Book,
    /// What the book's history adds (versions, archive, change list), when it has history.
    pub history: Option<&'a BookHistory>,
    /// Where the history's revisions and old addresses go in this build (with history).
    pub archive: Option<&'a archive::Plan>,
    /// Templates.
    pub tera: &'a tera::Tera,
    /// Theme files.
    pub theme: &'a Theme,
    /// Rendered bodies, index-aligned with `book.guidelines`.
    pub rendered: &'a [Rendered],
    /// Whether the printed book is built (the home page links it).
    pub pdf: bool,
    /// What pages and files are memoised through (kept between builds only under serve).
    pub memo: &'a Memo,
    /// What the adaptation adds, when this is an adaptation's book.
    pub adaptation: Option<&'a crate::adapt::Applied>,
}

impl<'a> Site<'a> {
    /// The previous edition and what changed since, when the book has both.
    pub fn changes_since(&self) -> Option<Since<'a>> {
        self.history?.changes_since()
    }
}

/// The previous edition and what changed since it.
pub type Since<'a> = (&'a Edition, &'a ChangeList);

/// One output file: root-relative path and bytes.
pub type File = (String, Vec<u8>);

/// Renders every site page. Errors are template problems (a book's broken override).
/// Pages go into `out` as they are made (written at once when `out` is staged to disk).
pub fn render_site(site: &Site<'_>, mut out: Output) -> Result<Output, Vec<Diagnostic>> {
    let book = site.book;
    let nav = html::section_neighbours(book);
    // The search index is built alongside the pages: search on one core, the guideline pages
    // and then print.html, the lists and the reports on the other (and on both once either is
    // done). Each branch writes its files as it makes them (staged output), so that no file is
    // left to be written on one core after both are done.
    let (search, (pages, [lists, reports], print)) = rayon::join(
        || crate::timings::phase("search", || prepared(&out, search::build(site))),
        || {
            let pages: Vec<Result<(String, Content), Diagnostic>> =
                crate::timings::phase("guideline pages", || {
                    book.guidelines
                        .par_iter()
                        .enumerate()
                        .map(|(i, g)| {
                            html::guideline_page(site, i, nav[i], &out)
                                .map(|content| (g.page.clone(), content))
                        })
                        .collect()
                });
            // Lists, reports and print.html are independent: whichever core finishes its
            // share first (search or pages) picks up the rest. print.html goes first: part of
            // it (its shell, writing it out) runs on one core, and the small, independent list
            // and report pages then fill both cores at the end.
            let (print, (lists, reports)) = rayon::join(
                || crate::timings::phase("print.html", || print::print_html(site, &out)),
                || {
                    rayon::join(
                        || {
                            crate::timings::phase("lists", || {
                                prepared(&out, html::list_pages_reused(site))
                            })
                        },
                        || {
                            crate::timings::phase("reports", || {
                                prepared(&out, reports_reused(site))
                            })
                        },
                    )
                },
            );
            let others = [lists, reports];
            (pages, others, print)
        },
    );
    let mut errors = Vec::new();
    for p in pages {
        match p {
            Ok((path, content)) => out.add(path, content),
            Err(d) => errors.push(d),
        }
    }
    let [changes, variations] = [changes::build(site), variations::build(site)];
    let (changes, variations) = (prepared(&out, changes), prepared(&out, variations));
    for files in [print, lists, search, reports, changes, variations] {
        match files {
            Ok(files) => {
                for (path, content) in files {
                    out.add(path, content);
                }
            }
            Err(mut d) => errors.append(&mut d),
        }
    }
    errors.extend(archive::add_pages(site, &mut out));
    add_assets(site, &mut out);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(out)
}

/// The theme's web assets and the highlighting stylesheet, under `assets/`.
fn add_assets(site: &Site<'_>, out: &mut Output) {
    for (name, bytes) in site.theme.web_assets() {
        out.insert(format!("assets/{name}"), bytes.clone());
    }
    out.insert("assets/highlight.css", crate::highlight::css());
}

/// `files` made ready for `out` ([`Output::prepare`]: written at once when staged), in parallel.
fn prepared(
    out: &Output,
    files: Result<Vec<File>, Vec<Diagnostic>>,
) -> Result<Vec<(String, Content)>, Vec<Diagnostic>> {
    Ok(files?
        .into_par_iter()
        .map(|(path, bytes)| {
            let content = out.prepare(&path, bytes);
            (path, content)
        })
        .collect())
}

/// The reports, memoised like the lists.
fn reports_reused(site: &Site<'_>) -> Result<Vec<File>, Vec<Diagnostic>> {
    let key = html::listing_key(site.book);
    site.memo.memo("reports", key, || reports::build(site))
}

/// The printed book as PDF bytes, or its problems.
#[cfg(feature = "pdf")]
fn typeset(
    book: &Book,
    since: Option<Since<'_>>,
    rendered: &[Rendered],
    theme: &crate::theme::Theme,
) -> Option<Result<Vec<u8>, Vec<Diagnostic>>> {
    Some(crate::timings::phase("pdf", || {
        print::build_pdf(book, since, rendered, theme)
    }))
}

/// A binary built without the `pdf` feature has no typesetter: no PDF (the build normalises
/// `BuildOptions::pdf` to false, so the pages do not link one either).
#[cfg(not(feature = "pdf"))]
fn typeset(
    _book: &Book,
    _since: Option<Since<'_>>,
    _rendered: &[Rendered],
    _theme: &crate::theme::Theme,
) -> Option<Result<Vec<u8>, Vec<Diagnostic>>> {
    None
}

/// Every `#anchor` of a link must be a heading id (or footnote) of its target page.
fn check_anchors(book: &Book, rendered: &[Rendered], diags: &mut Vec<Diagnostic>) {
    for (g, r) in book.guidelines.iter().zip(rendered) {
        for link in &r.links {
            let Some(anchor) = &link.anchor else { continue };
            let target = &rendered[link.target];
            if target.headings.iter().any(|h| &h.id == anchor) {
                continue;
            }
            let tg = &book.guidelines[link.target];
            let ids = target.headings.iter().map(|h| h.id.as_str());
            let help = crate::diag::did_you_mean(anchor, ids).unwrap_or_else(|| {
                let all: Vec<&str> = target.headings.iter().map(|h| h.id.as_str()).collect();
                format!("headings of {}: #{}", tg.source.display(), all.join(", #"))
            });
            diags.push(
                Diagnostic::error(
                    &g.source,
                    link.line,
                    link.col,
                    "broken-anchor",
                    format!(
                        "{} has no heading with the id #{anchor}",
                        tg.source.display()
                    ),
                )
                .with_help(help)
                .with_source(&g.text, 1),
            );
        }
    }
}
