//! What this binary was built with: the Cargo features `pdf` (Typst, the printed book) and
//! `serve` (file watching and the local server), both default, and what the commands say when
//! one is missing. A slim build (`--no-default-features`) compiles in a fraction of the time
//! for working groups' CI, which needs `check` and seldom the PDF; it must never leave out a
//! check silently, so every command that loses something to a missing feature says so here.

use crate::diag::Format;

/// Whether this binary can typeset the printed book (the `pdf` feature).
pub const PDF: bool = cfg!(feature = "pdf");

/// Whether this binary has `serve` (the `serve` feature).
pub const SERVE: bool = cfg!(feature = "serve");

/// How to get a full binary; one wording for every message.
const FULL_BUILD: &str = "install a full wardbook (a released binary, or `cargo install` without `--no-default-features`)";

/// What `build` says (on stderr) when asked for the PDF without the `pdf` feature.
pub fn pdf_skipped_build() -> String {
    format!(
        "note: no printed book (PDF): this wardbook was built without the `pdf` feature; the website, search and reports are complete. For the PDF, {FULL_BUILD}; --no-pdf silences this note."
    )
}

/// What `serve` says (on stderr, exit 2) without the `serve` feature.
pub fn serve_missing() -> String {
    format!(
        "error: this wardbook was built without the `serve` feature, so it cannot serve the book. To serve it, {FULL_BUILD}; or run `wardbook build` and open public/index.html."
    )
}

/// What `check` says once (on stderr, so the report on stdout stays machine-readable) without
/// the `pdf` feature; in `github` format as a workflow notice, so it shows on the run's summary.
pub fn pdf_skipped_check(format: Format) -> String {
    let what = format!(
        "printed book's checks (typesetting the PDF) were skipped: this wardbook was built without the `pdf` feature. Every other check ran. To run them, {FULL_BUILD}."
    );
    match format {
        // A workflow command's title ends at `::` and may not hold a bare `:` or `,`.
        Format::Github => format!("::notice title=Printed book not checked::The {what}"),
        Format::Text | Format::Json => format!("note: the {what}"),
    }
}
