//! The `replaced_by` front-matter key of a withdrawn guideline: the guideline to use instead,
//! a path written relative to the guideline's own file (`../emergency/status.md`) or to the book
//! folder (`guidelines/emergency/status.md`). Resolved one way everywhere ([`resolve`]: the
//! withdrawn page, the change list, old texts read from history) and checked after loading like
//! a link ([`check`]): a file that does not exist is an error at the value, with "did you mean".

use super::{Book, Guideline, Status};
use crate::diag::{Diagnostic, Severity};
use crate::paths::{decode, join_relative};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Rule id of the diagnostics about `replaced_by`.
pub const RULE: &str = "replaced-by";

/// The book-relative paths `value` may name, written in the file `from`: relative to its
/// folder first, then to the book folder (without duplicates, never outside the book).
pub fn candidates(from: &Path, value: &str) -> Vec<PathBuf> {
    let value = decode(value.trim());
    let mut out: Vec<PathBuf> = [
        join_relative(from, &value),
        join_relative(Path::new(""), &value),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.dedup();
    out
}

/// The guideline `value` names from the file `from`: the first of its [`candidates`] that
/// `exists` says is a guideline.
pub fn resolve(from: &Path, value: &str, exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    candidates(from, value).into_iter().find(|p| exists(p))
}

impl Book {
    /// The guideline of this build that `g`'s `replaced_by` names, if any.
    pub fn replacement(&self, g: &Guideline) -> Option<&Guideline> {
        let value = g.front.replaced_by.as_deref()?;
        let path = resolve(&g.source, value, |p| self.by_source(p).is_some())?;
        self.by_source(&path).filter(|r| r.source != g.source)
    }
}

/// Problems of every `replaced_by` in `book`: a path to no guideline (an error, with the
/// closest file name as "did you mean"), to a draft left out of the build or to itself
/// (errors), to a withdrawn guideline, or on a guideline that is not withdrawn (warnings).
pub fn check(book: &Book, diags: &mut Vec<Diagnostic>) {
    let by_source: HashMap<&Path, &Guideline> = book
        .guidelines
        .iter()
        .map(|g| (g.source.as_path(), g))
        .collect();
    for g in &book.guidelines {
        let Some(value) = g.front.replaced_by.as_deref() else {
            continue;
        };
        let found = resolve(&g.source, value, |p| {
            by_source.contains_key(p) || book.left_out.iter().any(|l| l == p)
        });
        let problem = match found.as_deref().map(|p| (p, by_source.get(p))) {
            None => Some((
                Severity::Error,
                missing(book, g, value),
                did_you_mean(book, g, value),
            )),
            Some((p, None)) => Some((
                Severity::Error,
                format!(
                    "replaced_by names {}, a draft that is not published",
                    p.display()
                ),
                "publish the draft first (remove `status: draft`), or build with --drafts".into(),
            )),
            Some((_, Some(r))) if r.source == g.source => Some((
                Severity::Error,
                "replaced_by names the guideline itself".into(),
                "name the guideline that replaces this one".into(),
            )),
            Some((_, Some(r))) if r.front.status == Status::Withdrawn => Some((
                Severity::Warning,
                format!(
                    "replaced_by names {}, which is withdrawn too",
                    r.source.display()
                ),
                "name the guideline in use now (the one that replaced it)".into(),
            )),
            Some(_) if g.front.status != Status::Withdrawn => Some((
                Severity::Warning,
                "replaced_by is set but the guideline is not withdrawn, so nothing shows it".into(),
                "add `status: withdrawn` if this guideline is replaced, or remove replaced_by"
                    .into(),
            )),
            Some(_) => None,
        };
        if let Some((severity, message, help)) = problem {
            let (line, col, span) = super::frontmatter::key_at(&g.text, "replaced_by");
            diags.push(
                Diagnostic::error(&g.source, line, col, RULE, message)
                    .with_severity(severity)
                    .with_help(help)
                    .with_source(&g.text, span),
            );
        }
    }
}

/// "replaced_by names X, which does not exist" (the path relative to the file, as meant).
fn missing(book: &Book, g: &Guideline, value: &str) -> String {
    let tried = candidates(&g.source, value);
    match tried.first() {
        Some(p) if !p.to_string_lossy().ends_with(".md") => format!(
            "replaced_by names {}, which is not a guideline file (.md)",
            p.display()
        ),
        Some(p) if book.config.root.join(p).is_file() => format!(
            "replaced_by names {}, which has errors of its own (reported with it)",
            p.display()
        ),
        Some(p) => format!("replaced_by names {}, which does not exist", p.display()),
        None => format!("replaced_by names {value}, which is outside the book folder"),
    }
}

/// "did you mean ../emergency/status.md?" for the guideline file whose name is closest to the
/// one written, as a path relative to `g`'s file; else how to write the path.
fn did_you_mean(book: &Book, g: &Guideline, value: &str) -> String {
    let wanted = Path::new(value.trim())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let names: Vec<(String, &Path)> = book
        .guidelines
        .iter()
        .filter(|o| o.source != g.source)
        .map(|o| {
            let name = o.source.file_name().unwrap_or_default();
            (name.to_string_lossy().into_owned(), o.source.as_path())
        })
        .collect();
    match crate::diag::closest(&wanted, names.iter().map(|(n, _)| n.as_str())) {
        Some(best) => {
            let target = names.iter().find(|(n, _)| n == best).map(|(_, p)| *p);
            let rel = target
                .map(|t| crate::paths::relative_link(&g.source, t))
                .unwrap_or_default();
            format!("did you mean {rel}?")
        }
        None => "write the path of the guideline that replaces this one, relative to this file (../emergency/status.md) or to the book folder (guidelines/emergency/status.md)".into(),
    }
}
