//! Checks of the laid-out book that typst does not make itself, because each would misprint a
//! guideline without a word: a character no font has (typst prints an empty box, a "tofu", where
//! a `µ` or `≥` should be), and text that runs off the paper (a table or code line too wide).

use super::report::Sources;
use crate::content::Book;
use crate::diag::Diagnostic;
use std::collections::BTreeSet;
use typst::layout::{Abs, Frame, FrameItem, Point};
use typst::syntax::DiagSpan;
use typst::text::TextItem;
use typst_layout::PagedDocument;

/// How close to the paper's edge text may come before it counts as running off the page.
const EDGE_MM: f64 = 4.0;

/// Problems in the laid-out `doc`, each reported once per guideline and kind.
pub fn document(
    book: &Book,
    world: &dyn typst::World,
    sources: &Sources,
    doc: &PagedDocument,
) -> Vec<Diagnostic> {
    let mut seen = BTreeSet::new();
    let mut diags = Vec::new();
    for (n, page) in doc.pages().iter().enumerate() {
        let width = page.frame.width();
        let edge = Abs::mm(EDGE_MM);
        walk(&page.frame, Point::zero(), &mut |pos, text| {
            for glyph in &text.glyphs {
                if glyph.id != 0 {
                    continue;
                }
                let ch = text.text.get(glyph.range()).unwrap_or("");
                if ch.chars().all(invisible) {
                    continue;
                }
                let place = locate(book, world, sources, glyph.span.0.into());
                if seen.insert((place.0.clone(), "glyph", ch.to_string())) {
                    let code: Vec<String> =
                        ch.chars().map(|c| format!("U+{:04X}", c as u32)).collect();
                    diags.push(
                        place
                            .diag(
                                "print-glyph",
                                format!(
                                    "the character {ch:?} ({}) is in none of the book's fonts and would print as an empty box",
                                    code.join(" ")
                                ),
                            )
                            .with_help("write it another way, or add a font that has it to the theme's fonts/ folder"),
                    );
                }
            }
            let end = pos.x + text.width();
            if end > width - edge || pos.x < edge {
                let span = text
                    .glyphs
                    .first()
                    .map_or(DiagSpan::detached(), |g| g.span.0.into());
                let place = locate(book, world, sources, span);
                if seen.insert((place.0.clone(), "overflow", String::new())) {
                    let snippet: String = text.text.chars().take(40).collect();
                    diags.push(
                        place
                            .diag(
                                "print-overflow",
                                format!("text runs off page {} of the printed book: {snippet:?}", n + 1),
                            )
                            .with_help("a table or code line is too wide for the page: shorten it, or split the table"),
                    );
                }
            }
        });
    }
    diags
}

/// Characters that legitimately have no glyph (spaces, joiners, soft hyphens).
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

/// Where a problem is: a guideline's file, line and column, or the book as a whole.
struct Place(Option<std::path::PathBuf>, usize, usize, Option<String>);

impl Place {
    fn diag(&self, rule: &str, message: String) -> Diagnostic {
        let file = self
            .0
            .clone()
            .unwrap_or_else(|| crate::config::BOOK_TOML.into());
        let d = Diagnostic::error(file, self.1, self.2, rule, message);
        match &self.3 {
            Some(text) => d.with_source(text, 1),
            None => d,
        }
    }
}

fn locate(book: &Book, world: &dyn typst::World, sources: &Sources, span: DiagSpan) -> Place {
    match sources.locate(book, world, span) {
        Some((idx, line, col)) => {
            let g = &book.guidelines[idx];
            Place(Some(g.source.clone()), line, col, Some(g.text.to_string()))
        }
        None => Place(None, 0, 0, None),
    }
}

/// Calls `f` with every text run of `frame` and its position on the page (translations only:
/// the book neither scales nor rotates text).
fn walk(frame: &Frame, origin: Point, f: &mut dyn FnMut(Point, &TextItem)) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            FrameItem::Group(group) => {
                let t = group.transform;
                walk(&group.frame, Point::new(at.x + t.tx, at.y + t.ty), f);
            }
            FrameItem::Text(text) => f(at, text),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_and_joiners_are_invisible() {
        assert!(invisible(' '));
        assert!(invisible('\u{200D}'));
        assert!(!invisible('µ'));
        assert!(!invisible('≥'));
    }
}
