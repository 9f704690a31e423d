//! Search: the index and the search page, built from the same parsed guidelines as the
//! pages. Only current guidelines are indexed: drafts (even with `--drafts`) and withdrawn ones
//! are never results.
//!
//! ```text
//! synonyms.toml (theme, book) ─► synonyms::load ─┐
//! Guideline + Rendered ─► index::build (par) ────┼─► encode::files ─► search/*.js + search.html
//! text.rs: tokenise, fold, stem (shared rules) ──┤
//! slug.rs: heading ids (markdown.rs's rule) ──────┘
//! ```
//!
//! A large index is written in parts that a query loads as it needs them (`split.rs`).
//!
//! `lookup.rs` reads a query against the synonym list as the browser does (for tests).
//!
//! The browser side is `themes/default/search.js` (plain ES2017, no modules) and
//! `templates/search.html`.

pub mod analyse;
pub mod encode;
pub mod index;
pub mod lookup;
pub mod memo;
pub mod model;
pub mod slug;
pub mod split;
pub mod synonyms;
pub mod text;

use crate::content::{Book, ReviewStatus, Status};
use crate::diag::Diagnostic;
use crate::render::{File, Site};
use serde::Serialize;
use std::collections::BTreeSet;
use tera::Context;

/// The book's own synonym file, beside book.toml.
pub const BOOK_SYNONYMS: &str = "synonyms.toml";

/// Field weights the browser scores with: title, keywords, headings, body (body at most this).
pub const WEIGHTS: [f64; 4] = [10.0, 9.0, 4.0, 3.0];

pub use memo::Memo;

/// The search page and index files. With a cache (serve), unchanged guidelines are not
/// analysed again.
pub fn build(site: &Site<'_>) -> Result<Vec<File>, Vec<Diagnostic>> {
    build_reusing(site, site.memo.search())
}

/// [`build`] with the analyses `memo` kept (and keeping this build's there); the same files
/// with or without.
pub fn build_reusing(site: &Site<'_>, memo: Option<&Memo>) -> Result<Vec<File>, Vec<Diagnostic>> {
    let syn = crate::timings::phase("search: synonyms", || load_synonyms(site))?;
    let book = site.book;
    let inputs: Vec<model::Input<'_>> = searchable(book)
        .map(|i| {
            let g = &book.guidelines[i];
            model::Input {
                g,
                r: &site.rendered[i],
                section_slug: &book.config.sections[g.section].slug,
            }
        })
        .collect();
    let idx = crate::timings::phase("search: index", || index::build_reusing(&inputs, memo));
    let mut files =
        crate::timings::phase("search: encode", || index_files(book, &inputs, &idx, &syn));
    let version = encode::version(&files);
    let page = search_page(site, &version, inputs.len()).map_err(|d| vec![d])?;
    files.push(("search.html".into(), page.into_bytes()));
    Ok(files)
}

/// Indices of the guidelines search may return: current ones only, in book order.
pub fn searchable(book: &Book) -> impl Iterator<Item = usize> + '_ {
    book.guidelines
        .iter()
        .enumerate()
        .filter(|(_, g)| g.front.status == Status::Current)
        .map(|(i, _)| i)
}

/// Builds every `search/*.js` file for an already built index.
pub fn index_files(
    book: &Book,
    inputs: &[model::Input<'_>],
    idx: &model::Index,
    syn: &synonyms::Synonyms,
) -> Vec<File> {
    let cfg = &book.config;
    let facts: Vec<encode::DocFacts> = inputs
        .iter()
        .map(|d| encode::DocFacts {
            section: d.g.section as u32,
            network: d.g.network as u32,
            review: match d.g.review {
                ReviewStatus::Current => 0,
                ReviewStatus::Due => 1,
                ReviewStatus::Overdue => 2,
            },
        })
        .collect();
    let head = encode::Head {
        n: inputs.len(),
        rules: text::rules(),
        slug: slug::rules(),
        w: WEIGHTS,
        sections: cfg
            .sections
            .iter()
            .map(|s| (s.slug.as_str(), s.title.as_str()))
            .collect(),
        networks: cfg
            .networks
            .iter()
            .map(|n| (n.slug.as_str(), n.name.as_str()))
            .collect(),
        docs: Default::default(),
        titles: Vec::new(),
        pages: Vec::new(),
        dates: inputs
            .iter()
            .map(|d| {
                crate::content::days_between(jiff::civil::date(1970, 1, 1), d.g.front.review_date)
            })
            .collect(),
        chunk: 0,
        terms: String::new(),
        df: Vec::new(),
        shards: Vec::new(),
        syn: synonyms::to_json(syn),
        vocab: vocab(inputs, syn),
    };
    let split_bytes = cfg.search_split_bytes;
    let mut encoded = encode::files(encode::Parts {
        index: idx,
        facts: &facts,
        head,
        split_bytes,
    });
    if encoded.split {
        let parts = split::files(&encoded.head, idx, split_bytes);
        encoded.files.extend(parts);
    } else {
        encoded.files.push(encode::terms_file(&encoded.head));
    }
    encoded.files
}

/// Words of titles, keywords and synonym keys as written (lowercase), for suggestions.
fn vocab(inputs: &[model::Input<'_>], syn: &synonyms::Synonyms) -> Vec<String> {
    let mut words = BTreeSet::new();
    let mut cache = text::Cache::default();
    let phrases = inputs
        .iter()
        .flat_map(|d| std::iter::once(&d.g.front.title).chain(&d.g.front.keywords))
        .map(String::as_str)
        .chain(syn.values().map(|e| e.key.as_str()));
    for p in phrases {
        for t in text::tokenize(p) {
            let w = t.text.to_lowercase();
            if w.chars().count() >= 3
                && !w.chars().all(|c| c.is_ascii_digit())
                && cache.id(&w).is_some()
            {
                words.insert(w);
            }
        }
    }
    words.into_iter().collect()
}

/// Reads the theme's synonyms.toml and the book's own, if any.
pub fn load_synonyms(site: &Site<'_>) -> Result<synonyms::Synonyms, Vec<Diagnostic>> {
    load_synonyms_for(site.book, site.theme, site.memo.search())
}

/// [`load_synonyms`] without a [`Site`]: the printed book's index uses it too.
pub fn load_synonyms_for(
    book: &Book,
    theme: &crate::theme::Theme,
    memo: Option<&Memo>,
) -> Result<synonyms::Synonyms, Vec<Diagnostic>> {
    let cfg = &book.config;
    let theme_path = format!("themes/{}/synonyms.toml", cfg.theme);
    let theme_label = if cfg.root.join(&theme_path).is_file() {
        theme_path
    } else {
        "themes/default/synonyms.toml (built in)".to_string()
    };
    let theme_text = theme
        .file("synonyms.toml")
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let book_path = cfg.root.join(BOOK_SYNONYMS);
    let book_text = if book_path.is_file() {
        match std::fs::read_to_string(&book_path) {
            Ok(t) => Some(t),
            Err(e) => {
                return Err(vec![Diagnostic::error(
                    BOOK_SYNONYMS,
                    0,
                    0,
                    "synonyms",
                    format!("cannot read {}: {e}", book_path.display()),
                )]);
            }
        }
    } else {
        None
    };
    let mut sources = vec![synonyms::Source {
        path: &theme_label,
        text: &theme_text,
    }];
    if let Some(t) = &book_text {
        sources.push(synonyms::Source {
            path: BOOK_SYNONYMS,
            text: t,
        });
    }
    let parse = || {
        let (syn, diags) = synonyms::load(&sources);
        if diags.is_empty() {
            Ok(syn)
        } else {
            Err(diags)
        }
    };
    match memo {
        Some(m) => m.synonyms(&theme_text, book_text.as_deref(), parse),
        None => parse(),
    }
}

#[derive(Serialize)]
struct Choice<'a> {
    slug: &'a str,
    title: &'a str,
}

fn search_page(site: &Site<'_>, version: &str, count: usize) -> Result<String, Diagnostic> {
    let cfg = &site.book.config;
    let mut ctx = Context::new();
    ctx.insert("page_title", "Search");
    ctx.insert("search_version", version);
    ctx.insert("search_count", &count);
    let sections: Vec<Choice<'_>> = cfg
        .sections
        .iter()
        .map(|s| Choice {
            slug: &s.slug,
            title: &s.title,
        })
        .collect();
    let networks: Vec<Choice<'_>> = cfg
        .networks
        .iter()
        .map(|n| Choice {
            slug: &n.slug,
            title: &n.name,
        })
        .collect();
    ctx.insert("search_sections", &sections);
    ctx.insert("search_networks", &networks);
    site.page("search.html", "search.html", ctx)
}
