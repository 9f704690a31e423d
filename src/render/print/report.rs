//! Typst's diagnostics as ours. A typst error or warning is a bug in the markup wardbook wrote,
//! not in the author's guideline, but it is reported at the guideline and Markdown line it came
//! from (through each source's offset map) so that it can be worked around and reported.

use super::markup::Markup;
use crate::content::Book;
use crate::diag::{Diagnostic, line_col};
use std::collections::HashMap;
use typst::WorldExt;
use typst::diag::SourceDiagnostic;
use typst::syntax::{DiagSpan, FileId};

/// One guideline's typst source: which guideline, how long its generated head is, its body map.
pub struct SourceInfo {
    /// Index into `book.guidelines`.
    pub idx: usize,
    /// Bytes of generated head (title, control block) before the body markup.
    pub head_len: usize,
    /// The body markup with its offset map.
    pub markup: Markup,
}

/// Every guideline source of the typst world, by file id.
#[derive(Default)]
pub struct Sources {
    by_file: HashMap<FileId, SourceInfo>,
}

impl Sources {
    /// Records the source of guideline `idx`.
    pub fn add(&mut self, id: FileId, idx: usize, head_len: usize, markup: Markup) {
        self.by_file.insert(
            id,
            SourceInfo {
                idx,
                head_len,
                markup,
            },
        );
    }

    /// The guideline file, line and column (file-relative, 1-based) that produced `span`.
    pub fn locate(
        &self,
        book: &Book,
        world: &dyn typst::World,
        span: DiagSpan,
    ) -> Option<(usize, usize, usize)> {
        let info = self.by_file.get(&span.id()?)?;
        let g = &book.guidelines[info.idx];
        let start = world.range(span).map_or(0, |r| r.start);
        let Some(pos) = start.checked_sub(info.head_len) else {
            // The title and control block come from the front matter at the top of the file.
            return Some((info.idx, 1, 1));
        };
        let body = info.markup.body_offset(pos).unwrap_or(0);
        let (l, c) = line_col(g.body(), body.min(g.body().len()));
        Some((info.idx, l + g.body_line - 1, c))
    }
}

/// `d` (a typst error or warning) as an error of ours.
pub fn diagnostic(
    book: &Book,
    world: &dyn typst::World,
    sources: &Sources,
    d: &SourceDiagnostic,
) -> Diagnostic {
    let spans = std::iter::once(d.span).chain(d.trace.iter().map(|t| DiagSpan::from(t.span)));
    let located = spans.clone().find_map(|s| sources.locate(book, world, s));
    let mut message = format!("the printed book cannot be typeset: {}", d.message);
    for hint in d.hints.iter() {
        message.push_str(&format!(" ({})", hint.v));
    }
    let font = d.message.contains("font");
    let help = if font {
        "the theme's fonts/ folder must hold the fonts the print template names (Liberation Sans)"
    } else {
        "this is a bug in wardbook's PDF output, not in the guideline: please report it; \
         `wardbook build --no-pdf` builds the website meanwhile"
    };
    match located {
        Some((idx, line, col)) => {
            let g = &book.guidelines[idx];
            Diagnostic::error(&g.source, line, col, "print", message)
                .with_help(help)
                .with_source(&g.text, 1)
        }
        None => {
            let place = spans
                .filter_map(|s| {
                    let id = s.id()?;
                    let range = world.range(s)?;
                    let text = world.source(id).ok()?;
                    let (l, c) = line_col(text.text(), range.start.min(text.text().len()));
                    Some(format!("{}:{l}:{c}", id.vpath().get_without_slash()))
                })
                .next();
            if let Some(place) = place {
                message.push_str(&format!(" [at {place}]"));
            }
            Diagnostic::error(crate::config::BOOK_TOML, 0, 0, "print", message).with_help(help)
        }
    }
}
