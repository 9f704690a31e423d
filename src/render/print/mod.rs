//! The printed book: a print-shop-ready PDF typeset by the Typst compiler used as a library, and
//! `print.html`, the whole book on one page for printing from a browser.
//!
//! ```text
//! Book + Rendered ─► markup (per guideline, rayon) ─► world (main.typ, template, /g/N.typ,
//!                     book (main.typ: cover,            images, fonts) ─► typst::compile
//!                     contents, sections, index)       ─► check (tofu, overflow) ─► typst_pdf
//! ```
//!
//! Drafts and withdrawn guidelines are left out. The as-of date is the print date and typst's
//! `today()`, and the PDF's id and timestamps derive from the book, so two builds give the same
//! bytes. Any typst error or warning means our generated markup is wrong (a missing font would
//! otherwise fall back silently); it becomes a [`Diagnostic`] naming the guideline where the span
//! can be mapped back to its Markdown, and one cause (a list too deep to set) is one error per
//! guideline however many places typst reports it at. `wardbook check` typesets too (in memory).
//!
//! What cannot be printed as written fails the build rather than misprint: the template sets a
//! table or code block in smaller type (down to 7 pt) or a table on a landscape page when it is
//! too wide, and `check` finds text that still crosses a cell border or leaves the text area,
//! and characters no font has.
//!
//! Without the `pdf` feature only `print.html` is compiled: everything Typst is gated here.

#[cfg(feature = "pdf")]
mod book;
#[cfg(feature = "pdf")]
mod changes;
#[cfg(feature = "pdf")]
mod check;
#[cfg(feature = "pdf")]
mod eol;
mod html;
#[cfg(feature = "pdf")]
mod index;
#[cfg(feature = "pdf")]
mod literal;
#[cfg(feature = "pdf")]
pub mod markup;
pub mod parts;
#[cfg(feature = "pdf")]
mod report;
#[cfg(feature = "pdf")]
mod world;

pub use html::print_html;

#[cfg(feature = "pdf")]
use crate::content::LinkContext;
use crate::content::{Book, Status};
#[cfg(feature = "pdf")]
use crate::diag::Diagnostic;
#[cfg(feature = "pdf")]
use crate::markdown::Rendered;
#[cfg(feature = "pdf")]
use crate::render::Since;
#[cfg(feature = "pdf")]
use crate::theme::Theme;
#[cfg(feature = "pdf")]
use rayon::prelude::*;
#[cfg(feature = "pdf")]
use report::Sources;
#[cfg(feature = "pdf")]
use typst::foundations::{Bytes, Datetime, Smart};
#[cfg(feature = "pdf")]
use typst_layout::PagedDocument;

/// Indices of the guidelines in the printed book, in book order: not drafts, not withdrawn.
pub fn printed(book: &Book) -> Vec<usize> {
    book.guidelines
        .iter()
        .enumerate()
        .filter(|(_, g)| g.front.status == Status::Current)
        .map(|(i, _)| i)
        .collect()
}

/// How the PDF is exported.
#[cfg(feature = "pdf")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// Tagged, to the book's [`standards`]: what `build` writes.
    Standards,
    /// Untagged and to no standard: only for comparing with the tagged export (tagging must not
    /// change the pages).
    Untagged,
}

/// The whole book as PDF bytes.
#[cfg(feature = "pdf")]
pub fn build_pdf(
    book: &Book,
    since: Option<Since<'_>>,
    rendered: &[Rendered],
    theme: &Theme,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    build_pdf_as(book, since, rendered, theme, Export::Standards)
}

/// The whole book as PDF bytes, exported as `export` says.
#[cfg(feature = "pdf")]
pub fn build_pdf_as(
    book: &Book,
    since: Option<Since<'_>>,
    rendered: &[Rendered],
    theme: &Theme,
    export: Export,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let (world, sources) =
        crate::timings::phase("pdf: markup", || world(book, since, rendered, theme))?;
    let warned = crate::timings::phase("pdf: typeset", || typst::compile::<PagedDocument>(&world));
    let mut diags = report::diagnostics(book, &world, &sources, &warned.warnings);
    // Typst memoises across compilations; a build is one compilation, so free it all now,
    // before the PDF export needs its own memory.
    typst::comemo::evict(0);
    let doc = match warned.output {
        Ok(doc) => doc,
        Err(errors) => {
            diags.extend(report::diagnostics(book, &world, &sources, &errors));
            return Err(diags);
        }
    };
    diags.extend(crate::timings::phase("pdf: check", || {
        check::document(book, &world, &sources, &doc)
    }));
    if !diags.is_empty() {
        return Err(diags);
    }
    let options = pdf_options(book, export)?;
    crate::timings::phase("pdf: export", || typst_pdf::pdf(&doc, &options))
        .map(eol::repair)
        .map_err(|errors| report::diagnostics(book, &world, &sources, &errors))
}

/// The standards the PDF conforms to: PDF/UA-1 (accessible: tagged, alt text, title shown)
/// always, and PDF/A-2a (archival, accessible level) unless `[print] pdf_a = false`. Typst
/// checks both while it exports; what it refuses is a diagnostic.
#[cfg(feature = "pdf")]
pub fn standards(book: &Book) -> Vec<typst_pdf::PdfStandard> {
    let mut list = vec![typst_pdf::PdfStandard::Ua_1];
    if book.config.print.pdf_a {
        list.push(typst_pdf::PdfStandard::A_2a);
    }
    list
}

/// PDF settings that depend only on the book: a stable document id, our name as creator, the
/// standards.
#[cfg(feature = "pdf")]
fn pdf_options(book: &Book, export: Export) -> Result<typst_pdf::PdfOptions, Vec<Diagnostic>> {
    let list = match export {
        Export::Standards => standards(book),
        Export::Untagged => Vec::new(),
    };
    let standards = typst_pdf::PdfStandards::new(&list).map_err(|e| {
        vec![Diagnostic::error(
            "book.toml",
            0,
            0,
            "print",
            format!("the PDF standards cannot be combined: {}", e.message()),
        )]
    })?;
    let meta = &book.config.book;
    Ok(typst_pdf::PdfOptions {
        ident: Smart::Custom(format!(
            "wardbook:{}:{}:{}",
            meta.title,
            meta.edition.as_deref().unwrap_or(""),
            book.as_of
        )),
        creator: Smart::Custom(Some(format!("wardbook {}", env!("CARGO_PKG_VERSION")))),
        timestamp: None,
        tagged: export == Export::Standards,
        standards,
        ..typst_pdf::PdfOptions::default()
    })
}

/// The typst world of `book`: template, main source, one source per printed guideline, images
/// and fonts; and what is needed to map typst's spans back to guidelines.
#[cfg(feature = "pdf")]
fn world(
    book: &Book,
    since: Option<Since<'_>>,
    rendered: &[Rendered],
    theme: &Theme,
) -> Result<(world::BookWorld, Sources), Vec<Diagnostic>> {
    let order = printed(book);
    let mut is_printed = vec![false; book.guidelines.len()];
    for &i in &order {
        is_printed[i] = true;
    }
    let links = LinkContext::new(book);
    let guesses = book::page_guesses(book, since, &order);
    let ctx = markup::Context {
        book,
        links: &links,
        rendered,
        printed: &is_printed,
        guesses: &guesses,
    };
    let bodies: Vec<(usize, markup::Markup)> = order
        .par_iter()
        .map(|&i| (i, markup::guideline(&ctx, i)))
        .collect();

    let mut wb = world::WorldBuilder::default();
    let mut diags = fonts(theme, &mut wb);
    // A broken synonym list is reported by search too; the build sorts out repeats.
    let syn =
        crate::render::search::load_synonyms_for(book, theme, None).unwrap_or_else(|mut d| {
            diags.append(&mut d);
            Default::default()
        });
    wb.source(
        world::MAIN,
        book::main_source(book, since, &order, &guesses, &syn),
    );
    wb.source(book::TEMPLATE_PATH, book::TEMPLATE.to_string());
    let mut sources = Sources::default();
    for (i, body) in bodies {
        diags.extend(images(book, i, &body, &mut wb));
        let path = book::guideline_path(i);
        let head = book::guideline_head(book, i);
        let text = format!("{head}{}{}", body.text, book::guideline_tail(book, i));
        wb.source(&path, text);
        if let Some(id) = world::file_id(&path) {
            sources.add(id, i, head.len(), body);
        }
    }
    let d = book.as_of;
    let today = Datetime::from_ymd(
        i32::from(d.year()),
        d.month().unsigned_abs(),
        d.day().unsigned_abs(),
    );
    let world = today.and_then(|t| wb.build(t));
    match world {
        Some(w) if diags.is_empty() => Ok((w, sources)),
        Some(_) => Err(diags),
        None => {
            diags.push(Diagnostic::error(
                "book.toml",
                0,
                0,
                "print",
                "the printed book could not be set up (bad as-of date or file path)",
            ));
            Err(diags)
        }
    }
}

/// Reads the images guideline `i` shows into the world; an unreadable one is an error.
#[cfg(feature = "pdf")]
fn images(
    book: &Book,
    i: usize,
    body: &markup::Markup,
    wb: &mut world::WorldBuilder,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for img in &body.images {
        match std::fs::read(book.config.root.join(&img.source)) {
            Ok(bytes) => {
                wb.file(&img.vpath, bytes);
            }
            Err(e) => diags.push(Diagnostic::error(
                &book.guidelines[i].source,
                0,
                0,
                "print",
                format!("cannot read image {}: {e}", img.source.display()),
            )),
        }
    }
    diags
}

/// The theme's fonts (`fonts/*.ttf`, `*.otf`) and typst's own (for code and rare characters).
#[cfg(feature = "pdf")]
fn fonts(theme: &Theme, wb: &mut world::WorldBuilder) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (name, bytes) in &theme.files {
        let is_font = name.starts_with("fonts/")
            && [".ttf", ".otf", ".ttc", ".otc"]
                .iter()
                .any(|e| name.to_ascii_lowercase().ends_with(e));
        if is_font && wb.font(Bytes::new(bytes.clone())) == 0 {
            diags.push(Diagnostic::error(
                format!("themes/{name}"),
                0,
                0,
                "print",
                format!("theme file {name} is not a font typst can read"),
            ));
        }
    }
    for data in typst_assets::fonts() {
        wb.font(Bytes::new(data));
    }
    diags
}
