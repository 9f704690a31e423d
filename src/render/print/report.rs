//! Typst's diagnostics as ours. A typst error or warning is a bug in the markup wardbook wrote,
//! not in the author's guideline, but it is reported at the guideline and Markdown line it came
//! from (through each source's offset map) so that it can be worked around and reported.

use super::markup::{BlockKind, Markup};
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
        let (info, body) = self.origin(world, span)?;
        // The title and control block (no body offset) come from the front matter at the top.
        let (line, col) = body.map_or((1, 1), |at| line_col_of(book, info.idx, at));
        Some((info.idx, line, col))
    }

    /// [`Sources::locate`], but at the first line of the table or code block holding `span`,
    /// if one does, and with its kind.
    pub fn locate_block(
        &self,
        book: &Book,
        world: &dyn typst::World,
        span: DiagSpan,
    ) -> Option<(usize, usize, usize, Option<BlockKind>)> {
        let (info, body) = self.origin(world, span)?;
        let Some(at) = body else {
            return Some((info.idx, 1, 1, None));
        };
        let block = info
            .markup
            .blocks
            .iter()
            .rfind(|b| b.range.start <= at && at < b.range.end);
        let at = block.map_or(at, |b| b.range.start);
        let (line, col) = line_col_of(book, info.idx, at);
        Some((info.idx, line, col, block.map(|b| b.kind)))
    }

    /// The guideline source that produced `span`, and the body offset (`None`: the generated
    /// head, which comes from the front matter).
    fn origin(
        &self,
        world: &dyn typst::World,
        span: DiagSpan,
    ) -> Option<(&SourceInfo, Option<usize>)> {
        let info = self.by_file.get(&span.id()?)?;
        let start = world.range(span).map_or(0, |r| r.start);
        let body = start
            .checked_sub(info.head_len)
            .map(|pos| info.markup.body_offset(pos).unwrap_or(0));
        Some((info, body))
    }
}

/// File line and column of offset `at` in guideline `idx`'s body.
fn line_col_of(book: &Book, idx: usize, at: usize) -> (usize, usize) {
    let g = &book.guidelines[idx];
    let (l, c) = line_col(g.body(), at.min(g.body().len()));
    (l + g.body_line - 1, c)
}

/// `found` (typst's errors or warnings) as ours, one per guideline: a single cause (a list too
/// deep to set) makes typst report the same problem at hundreds of places. The first one is
/// shown, with how many more there were; problems typst cannot place in a guideline are kept
/// apart, one per message.
pub fn diagnostics(
    book: &Book,
    world: &dyn typst::World,
    sources: &Sources,
    found: &[SourceDiagnostic],
) -> Vec<Diagnostic> {
    let mut by_place: Vec<(String, Diagnostic, usize)> = Vec::new();
    for d in found {
        let ours = diagnostic(book, world, sources, d);
        let key = if ours.line > 0 {
            ours.file.display().to_string()
        } else {
            ours.message.clone()
        };
        match by_place.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, more)) => *more += 1,
            None => by_place.push((key, ours, 0)),
        }
    }
    by_place
        .into_iter()
        .map(|(_, mut d, more)| {
            if more > 0 {
                d.message.push_str(&format!(
                    " (and {more} more typst problems in this guideline, likely the same cause)"
                ));
            }
            d
        })
        .collect()
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
    } else if d.message.contains("depth") {
        // Typst's own limits on nesting: a list or quote hundreds of levels deep.
        "the guideline nests lists or quotes deeper than the printed book can set: flatten it \
         (see the deep-nesting warning)"
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
