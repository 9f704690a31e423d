//! `print.html`: the whole printed book on one page, for printing from a browser — the same
//! guidelines as the PDF (no drafts, no withdrawn), each with its control block, in book order.
//!
//! The guideline bodies are the HTML already rendered for the site, with their ids prefixed by
//! the guideline (`g12-red-flags`: every guideline has an "Introduction") and their links made to
//! work from the site root: a link to a printed guideline becomes an in-page link, anything else
//! (images, withdrawn pages) a root-relative one.

use super::printed;
use crate::diag::Diagnostic;
use crate::output::{Content, Output};
use crate::paths::encode_path;
use crate::render::Site;
use crate::render::views::GuidelineView;
use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use tera::Context;

#[derive(Serialize)]
struct PrintGuideline {
    /// Element id of the guideline (`g12`).
    id: String,
    /// The guideline's view (title, network, dates…).
    g: GuidelineView,
    /// A marker where the body goes: bodies are spliced in after the template has rendered,
    /// so a large book's text is not copied into and through tera's context (at 10,000
    /// guidelines that held several hundred MB at once).
    body: String,
}

#[derive(Serialize)]
struct PrintSection {
    slug: String,
    title: String,
    guidelines: Vec<PrintGuideline>,
}

/// print.html: the whole book on one page, written into `out` piece by piece (at 10,000
/// guidelines it is over 80 MB). The shell and each body are memoised (serve keeps those of
/// unchanged guidelines).
pub fn print_html(site: &Site<'_>, out: &Output) -> Result<(String, Content), Vec<Diagnostic>> {
    let book = site.book;
    let order = printed(book);
    let listing = site.memo.hash(crate::render::html::listing_key(book));
    let shell = site
        .memo
        .memo("print.html shell", listing, || shell(site, &order))
        .map_err(|d| vec![d])?;
    let pages: HashMap<String, usize> = order
        .iter()
        .map(|&i| (encode_path(&book.guidelines[i].page), i))
        .collect();
    // A body shows its guideline's rendered Markdown with links made from every guideline's
    // page, title and number: keyed by its body and the listing.
    let body = |i: usize| {
        let g = &book.guidelines[i];
        let key = (listing, site.memo.body(i), i);
        site.memo.memo(&format!("print.html#{}", g.page), key, || {
            Arc::new(rewrite(&site.rendered[i].html, i, &g.front.title, &pages))
        })
    };
    let content = out.prepare_with("print.html", |w| {
        let mut rest = shell.as_str();
        // Bodies are rewritten in parallel a batch at a time, so a big book's are never all
        // in memory at once.
        for batch in order.chunks(128) {
            let bodies: Vec<Arc<String>> = batch.par_iter().map(|&i| body(i)).collect();
            for (&i, html) in batch.iter().zip(bodies) {
                let marker = body_marker(i);
                let Some(at) = rest.find(&marker) else {
                    continue;
                };
                w.write_all(&rest.as_bytes()[..at])?;
                w.write_all(html.as_bytes())?;
                rest = &rest[at + marker.len()..];
            }
        }
        w.write_all(rest.as_bytes())
    });
    Ok(("print.html".to_string(), content))
}

/// The print.html page with a marker where each guideline's body goes.
fn shell(site: &Site<'_>, order: &[usize]) -> Result<String, Diagnostic> {
    let book = site.book;
    let mut sections = Vec::new();
    for (si, sec) in book.config.sections.iter().enumerate() {
        let guidelines: Vec<PrintGuideline> = order
            .iter()
            .filter(|&&i| book.guidelines[i].section == si)
            .map(|&i| PrintGuideline {
                id: format!("g{i}"),
                g: GuidelineView::new(book, &book.guidelines[i]),
                body: body_marker(i),
            })
            .collect();
        if !guidelines.is_empty() {
            sections.push(PrintSection {
                slug: sec.slug.clone(),
                title: sec.title.clone(),
                guidelines,
            });
        }
    }
    let mut ctx = Context::new();
    ctx.insert("page_title", "The whole book, for printing");
    ctx.insert("sections", &sections);
    ctx.insert("count", &order.len());
    site.page_fresh("print.html", "print.html", ctx)
}

/// The placeholder for guideline `i`'s body in the rendered print.html shell.
fn body_marker(i: usize) -> String {
    format!("<!--wardbook-print-body-{i}-->")
}

/// Rewrites the `id`, `href` and `src` attributes of guideline `idx`'s body for print.html, and
/// names its tables after the guideline too ("Croup, table 1: Severity": every guideline may
/// have a "Table 1: Severity", and landmarks on one page need distinct names).
fn rewrite(html: &str, idx: usize, title: &str, pages: &HashMap<String, usize>) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut done = 0;
    // One pass over the body for all four attributes (a search per attribute from each match
    // rescanned the rest of the body: quadratic, and the slowest part of a big book's build).
    for m in attributes().find_iter(html) {
        if m.start() < done {
            continue;
        }
        let value_start = m.end();
        let Some(len) = html[value_start..].find('"') else {
            break;
        };
        out.push_str(&html[done..value_start]);
        let value = &html[value_start..value_start + len];
        match ATTRS[m.pattern().as_usize()] {
            " id=\"" => out.push_str(&format!("g{idx}-{value}")),
            " aria-label=\"" => match value.strip_prefix("Table ") {
                Some(rest) => {
                    let title = crate::highlight::escape(title);
                    out.push_str(&format!("{title}, table {rest}"));
                }
                None => out.push_str(value),
            },
            _ => out.push_str(&link(value, idx, pages)),
        }
        done = value_start + len;
    }
    out.push_str(&html[done..]);
    out
}

/// The attributes [`rewrite`] changes.
const ATTRS: [&str; 4] = [" id=\"", " href=\"", " src=\"", " aria-label=\""];

/// A matcher for [`ATTRS`], built once.
fn attributes() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::new(ATTRS).unwrap_or_else(|e| unreachable!("fixed patterns: {e}"))
    })
}

/// A link of guideline `idx`'s page, made to work on print.html.
fn link(value: &str, idx: usize, pages: &HashMap<String, usize>) -> String {
    if let Some(anchor) = value.strip_prefix('#') {
        return format!("#g{idx}-{anchor}");
    }
    let Some(rel) = value.strip_prefix("../") else {
        return value.to_string();
    };
    let (path, anchor) = match rel.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (rel, None),
    };
    match (pages.get(path), anchor) {
        (Some(t), Some(a)) => format!("#g{t}-{a}"),
        (Some(t), None) => format!("#g{t}"),
        (None, _) => rel.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_ids_and_links() {
        let pages = HashMap::from([("infection/sepsis.html".to_string(), 7)]);
        let html = r##"<h2 id="red-flags">R</h2><a href="../infection/sepsis.html#signs">s</a> <a href="#red-flags">r</a> <a href="https://x.org/">x</a><img src="../media/a.png" alt=""> <a href="../respiratory/old.html">o</a><div aria-label="Table 1: Doses">"##;
        assert_eq!(
            rewrite(html, 3, "Croup & cough", &pages),
            r##"<h2 id="g3-red-flags">R</h2><a href="#g7-signs">s</a> <a href="#g3-red-flags">r</a> <a href="https://x.org/">x</a><img src="media/a.png" alt=""> <a href="respiratory/old.html">o</a><div aria-label="Croup &amp; cough, table 1: Doses">"##
        );
    }
}
