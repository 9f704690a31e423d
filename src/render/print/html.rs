//! `print.html`: the whole printed book on one page, for printing from a browser — the same
//! guidelines as the PDF (no drafts, no withdrawn), each with its control block, in book order.
//!
//! The guideline bodies are the HTML already rendered for the site, with their ids prefixed by
//! the guideline (`g12-red-flags`: every guideline has an "Introduction") and their links made to
//! work from the site root: a link to a printed guideline becomes an in-page link, anything else
//! (images, withdrawn pages) a root-relative one.

use super::parts::{self, Part};
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

/// One page of a split book, as print.html's contents lists it.
#[derive(Serialize)]
struct PageLink<'a> {
    /// File name at the site root.
    file: &'a str,
    /// The section's title.
    title: &'a str,
    /// The part's number within its section, and how many parts the section has.
    number: usize,
    of: usize,
    /// Guidelines on the page.
    count: usize,
    /// Titles of its first and last guideline.
    first: &'a str,
    last: &'a str,
}

/// What a page of print.html holds.
struct PageSpec<'a> {
    /// File name at the site root.
    file: &'a str,
    /// The guidelines printed on it, in book order.
    guidelines: &'a [usize],
    /// When the book is split: this page's part.
    part: Option<&'a Part>,
}

/// Where each printed guideline's body links to: its page and the page of every guideline.
struct Links<'a> {
    /// Encoded page path → guideline index, for the printed guidelines.
    pages: HashMap<String, usize>,
    /// Per guideline index, the print page it is on (`print.html` when the book is one page).
    file_of: HashMap<usize, &'a str>,
}

/// print.html: the whole book on one page, or for a book larger than `[print] html_page_mb`,
/// the contents of its pages per section ([`parts`]). Each page is written into `out` piece by
/// piece (at 10,000 guidelines the whole book is over 80 MB). The shells and each body are
/// memoised (serve keeps those of unchanged guidelines).
pub fn print_html(
    site: &Site<'_>,
    out: &Output,
) -> Result<Vec<(String, Content)>, Vec<Diagnostic>> {
    let book = site.book;
    let order = printed(book);
    let sized: Vec<(usize, usize, usize)> = order
        .iter()
        .map(|&i| (i, book.guidelines[i].section, site.rendered[i].html.len()))
        .collect();
    let slugs: Vec<&str> = book
        .config
        .sections
        .iter()
        .map(|s| s.slug.as_str())
        .collect();
    let split = parts::plan(&sized, &slugs, book.config.print.html_page_bytes);
    let mut file_of: HashMap<usize, &str> = order.iter().map(|&i| (i, PRINT_HTML)).collect();
    for p in split.iter().flatten() {
        file_of.extend(p.guidelines.iter().map(|&i| (i, p.file.as_str())));
    }
    let links = Links {
        pages: order
            .iter()
            .map(|&i| (encode_path(&book.guidelines[i].page), i))
            .collect(),
        file_of,
    };
    let plan_key = site.memo.hash(&split);
    let Some(split) = &split else {
        let page = PageSpec {
            file: PRINT_HTML,
            guidelines: &order,
            part: None,
        };
        return Ok(vec![write_page(site, out, &page, &links, plan_key)?]);
    };
    let mut files = vec![contents_page(site, out, split, order.len(), plan_key)?];
    let pages: Vec<Result<(String, Content), Vec<Diagnostic>>> = split
        .par_iter()
        .map(|p| {
            let page = PageSpec {
                file: &p.file,
                guidelines: &p.guidelines,
                part: Some(p),
            };
            write_page(site, out, &page, &links, plan_key)
        })
        .collect();
    for p in pages {
        files.push(p?);
    }
    Ok(files)
}

/// The single print.html's name, and the contents page's of a split book.
const PRINT_HTML: &str = "print.html";

/// One page of print.html: its shell with each guideline's body spliced in, written piece by
/// piece.
fn write_page(
    site: &Site<'_>,
    out: &Output,
    page: &PageSpec<'_>,
    links: &Links<'_>,
    plan_key: u64,
) -> Result<(String, Content), Vec<Diagnostic>> {
    let book = site.book;
    let listing = site.memo.hash(crate::render::html::listing_key(book));
    let shell = site
        .memo
        .memo(&format!("{} shell", page.file), (listing, plan_key), || {
            shell(site, page)
        })
        .map_err(|d| vec![d])?;
    // A body shows its guideline's rendered Markdown with links made from every guideline's
    // page, title, number and print page: keyed by its body, the listing and the split.
    let body = |i: usize| {
        let g = &book.guidelines[i];
        let key = (listing, site.memo.body(i), i, plan_key);
        site.memo.memo(&format!("print.html#{}", g.page), key, || {
            let here = Here {
                idx: i,
                file: page.file,
            };
            Arc::new(rewrite(
                &site.rendered[i].html,
                &here,
                &g.front.title,
                links,
            ))
        })
    };
    let content = out.prepare_with(page.file, |w| {
        let mut rest = shell.as_str();
        // Bodies are rewritten in parallel a batch at a time, so a big book's are never all
        // in memory at once.
        for batch in page.guidelines.chunks(128) {
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
    Ok((page.file.to_string(), content))
}

/// The page with a marker where each guideline's body goes.
fn shell(site: &Site<'_>, page: &PageSpec<'_>) -> Result<String, Diagnostic> {
    let book = site.book;
    let mut sections = Vec::new();
    for (si, sec) in book.config.sections.iter().enumerate() {
        let guidelines: Vec<PrintGuideline> = page
            .guidelines
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
    ctx.insert("count", &printed(book).len());
    if let Some(p) = page.part {
        ctx.insert("page_title", &print_title(site, p));
        ctx.insert("part", &page_link(site, p));
    }
    site.page_fresh("print.html", page.file, ctx)
}

/// The title of a page of a split book: its section, and its part if the section has several.
fn print_title(site: &Site<'_>, p: &Part) -> String {
    let title = &site.book.config.sections[p.section].title;
    if p.of > 1 {
        format!("{title}, part {} of {}, for printing", p.number, p.of)
    } else {
        format!("{title}, for printing")
    }
}

fn page_link<'a>(site: &Site<'a>, p: &'a Part) -> PageLink<'a> {
    let book = site.book;
    let title_of = |i: Option<&usize>| i.map_or("", |&i| book.guidelines[i].front.title.as_str());
    PageLink {
        file: &p.file,
        title: &book.config.sections[p.section].title,
        number: p.number,
        of: p.of,
        count: p.guidelines.len(),
        first: title_of(p.guidelines.first()),
        last: title_of(p.guidelines.last()),
    }
}

/// print.html of a split book: the cover and the list of its pages.
fn contents_page(
    site: &Site<'_>,
    out: &Output,
    split: &[Part],
    count: usize,
    plan_key: u64,
) -> Result<(String, Content), Vec<Diagnostic>> {
    let listing = site.memo.hash(crate::render::html::listing_key(site.book));
    let html = site
        .memo
        .memo("print.html contents", (listing, plan_key), || {
            let mut ctx = Context::new();
            ctx.insert("page_title", "The whole book, for printing");
            ctx.insert("sections", &Vec::<PrintSection>::new());
            ctx.insert("count", &count);
            let pages: Vec<PageLink<'_>> = split.iter().map(|p| page_link(site, p)).collect();
            ctx.insert("pages", &pages);
            site.page_fresh("print.html", PRINT_HTML, ctx)
        })
        .map_err(|d| vec![d])?;
    Ok((
        PRINT_HTML.to_string(),
        out.prepare(PRINT_HTML, html.into_bytes()),
    ))
}

/// The guideline whose body is being rewritten, and the page it is printed on.
struct Here<'a> {
    idx: usize,
    file: &'a str,
}

/// The placeholder for guideline `i`'s body in the rendered print.html shell.
fn body_marker(i: usize) -> String {
    format!("<!--wardbook-print-body-{i}-->")
}

/// Rewrites the `id`, `href` and `src` attributes of guideline `idx`'s body for print.html, and
/// names its tables after the guideline too ("Croup, table 1: Severity": every guideline may
/// have a "Table 1: Severity", and landmarks on one page need distinct names).
fn rewrite(html: &str, here: &Here<'_>, title: &str, links: &Links<'_>) -> String {
    let idx = here.idx;
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
            _ => out.push_str(&link(value, here, links)),
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

/// A link of the page of the guideline `here`, made to work on its print page: a link to a
/// printed guideline goes to its element there (on this page, or on the page it is printed on).
fn link(value: &str, here: &Here<'_>, links: &Links<'_>) -> String {
    if let Some(anchor) = value.strip_prefix('#') {
        return format!("#g{}-{anchor}", here.idx);
    }
    let Some(rel) = value.strip_prefix("../") else {
        return value.to_string();
    };
    let (path, anchor) = match rel.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (rel, None),
    };
    let Some(&t) = links.pages.get(path) else {
        return rel.to_string();
    };
    let page = match links.file_of.get(&t) {
        Some(&f) if f != here.file => f,
        _ => "",
    };
    match anchor {
        Some(a) => format!("{page}#g{t}-{a}"),
        None => format!("{page}#g{t}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_ids_and_links() {
        let links = Links {
            pages: HashMap::from([("infection/sepsis.html".to_string(), 7)]),
            file_of: HashMap::from([(7, "print.html"), (3, "print.html")]),
        };
        let here = Here {
            idx: 3,
            file: "print.html",
        };
        let html = r##"<h2 id="red-flags">R</h2><a href="../infection/sepsis.html#signs">s</a> <a href="#red-flags">r</a> <a href="https://x.org/">x</a><img src="../media/a.png" alt=""> <a href="../respiratory/old.html">o</a><div aria-label="Table 1: Doses">"##;
        assert_eq!(
            rewrite(html, &here, "Croup & cough", &links),
            r##"<h2 id="g3-red-flags">R</h2><a href="#g7-signs">s</a> <a href="#g3-red-flags">r</a> <a href="https://x.org/">x</a><img src="media/a.png" alt=""> <a href="respiratory/old.html">o</a><div aria-label="Croup &amp; cough, table 1: Doses">"##
        );
        // Split by section: a link to a guideline printed on another page goes to that page.
        let split = Links {
            file_of: HashMap::from([(7, "print-infection.html"), (3, "print-resp.html")]),
            ..links
        };
        let here = Here {
            idx: 3,
            file: "print-resp.html",
        };
        let html = r##"<a href="../infection/sepsis.html#signs">s</a><a href="../infection/sepsis.html">t</a><a href="#x">x</a>"##;
        assert_eq!(
            rewrite(html, &here, "Croup", &split),
            r##"<a href="print-infection.html#g7-signs">s</a><a href="print-infection.html#g7">t</a><a href="#g3-x">x</a>"##
        );
    }
}
