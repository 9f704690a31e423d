//! The printed book (issue 4): PDF through typst, and print.html. Placeholder: nothing yet.

use super::html::{File, Site};
use crate::content::Book;
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::theme::Theme;

/// The whole book as PDF bytes.
pub fn build_pdf(
    _book: &Book,
    _rendered: &[Rendered],
    _theme: &Theme,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    Err(vec![
        Diagnostic::error(
            "book.toml",
            0,
            0,
            "print",
            "the printed book is not implemented yet",
        )
        .with_help("build with --no-pdf"),
    ])
}

/// print.html: the whole book on one page.
pub fn print_html(_site: &Site<'_>) -> Result<Vec<File>, Vec<Diagnostic>> {
    Ok(Vec::new())
}
