//! Checks of the laid-out book that typst does not make itself, because each would misprint a
//! guideline without a word: a character no font has (typst prints an empty box, a "tofu", where
//! a `µ` or `≥` should be), and text that does not fit where it stands: text of a table cell
//! running across a cell border (over the next cell's number), or any text running past the
//! edge of the text area or off the paper (a long unbroken string, a code line).
//!
//! One cause is one diagnostic: the missing characters of a source line are named together,
//! and a table or code block that does not fit is reported once, at its first line.

use super::markup::BlockKind;
use super::report::Sources;
use crate::content::Book;
use crate::diag::Diagnostic;
use std::collections::BTreeMap;
use std::path::PathBuf;
use typst::layout::{Abs, Frame, FrameItem, Point};
use typst::syntax::DiagSpan;
use typst::text::TextItem;
use typst::visualize::Geometry;
use typst_layout::PagedDocument;

/// The smallest type (points) a table or code block is set in before it counts as too wide;
/// the template's `wb-min-size` is the same.
pub const MIN_TYPE_PT: f64 = 7.0;

/// How far past a cell border text may reach before it counts as crossing it (points).
const BORDER_SLACK_PT: f64 = 0.5;

/// How far past the text area (the page inside its side margins) text may reach, as a share of
/// its type size: typst lets a final full stop, comma or hyphen hang a little into the margin
/// (overhang), which is no overflow.
const AREA_SLACK_EM: f64 = 0.4;

/// Problems in the laid-out `doc`: one per source line for missing characters, one per table,
/// code block or source line for overflow.
pub fn document(
    book: &Book,
    world: &dyn typst::World,
    sources: &Sources,
    doc: &PagedDocument,
) -> Vec<Diagnostic> {
    let mut found = Found::default();
    let (inside, outside) = super::book::side_margins_mm(book.config.print.paper);
    for (n, page) in doc.pages().iter().enumerate() {
        let mut borders = Vec::new();
        walk_shapes(&page.frame, Point::zero(), &mut borders);
        borders.sort_by_key(|b| b.x);
        // Bound on the left, the inside margin is on the left of odd (right-hand) pages.
        let (left, right) = if n % 2 == 0 {
            (inside, outside)
        } else {
            (outside, inside)
        };
        let (a0, a1) = (Abs::mm(left), page.frame.width() - Abs::mm(right));
        walk(&page.frame, Point::zero(), &mut |pos, text| {
            found.glyphs(book, world, sources, text);
            let x1 = pos.x + text.width();
            let slack = text.size * AREA_SLACK_EM;
            let off = pos.x < a0 - slack || x1 > a1 + slack;
            if off || crosses(&borders, pos, x1, text.size) {
                found.overflow(book, world, sources, text, n + 1);
            }
        });
    }
    found.into_diagnostics(book)
}

/// A vertical border on a page: a table's cell border or a box's side.
struct Border {
    x: Abs,
    top: Abs,
    bottom: Abs,
}

/// True when a text run from `pos` to `x1` crosses a border beside its line.
fn crosses(borders: &[Border], pos: Point, x1: Abs, size: Abs) -> bool {
    let slack = Abs::pt(BORDER_SLACK_PT);
    let (top, bottom) = (pos.y - size * 0.7, pos.y + size * 0.2);
    let from = borders.partition_point(|b| b.x <= pos.x + slack);
    borders[from..]
        .iter()
        .take_while(|b| b.x < x1 - slack)
        .any(|b| b.top < bottom && b.bottom > top)
}

/// Collects the vertical lines and the sides of rectangles in `frame` (at `origin`).
fn walk_shapes(frame: &Frame, origin: Point, out: &mut Vec<Border>) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            FrameItem::Group(group) => {
                let t = group.transform;
                walk_shapes(&group.frame, Point::new(at.x + t.tx, at.y + t.ty), out);
            }
            FrameItem::Shape(shape, _) => match &shape.geometry {
                Geometry::Line(to) if to.x.abs() < Abs::pt(0.01) && to.y != Abs::zero() => {
                    let (a, b) = (at.y, at.y + to.y);
                    out.push(Border {
                        x: at.x,
                        top: a.min(b),
                        bottom: a.max(b),
                    });
                }
                Geometry::Rect(size) if size.x > Abs::zero() && size.y > Abs::zero() => {
                    for x in [at.x, at.x + size.x] {
                        out.push(Border {
                            x,
                            top: at.y,
                            bottom: at.y + size.y,
                        });
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
}

/// Missing characters of one source line, in the order they appear.
struct Tofu {
    place: Place,
    chars: Vec<char>,
}

/// Text that does not fit: where, on which page, and a piece of it.
struct Overflow {
    place: Place,
    page: usize,
    snippet: String,
}

/// What was found, keyed so that one cause gives one diagnostic.
#[derive(Default)]
struct Found {
    /// By file and line.
    glyphs: BTreeMap<(Option<PathBuf>, usize), Tofu>,
    /// By file, line and column of the block or text.
    overflows: BTreeMap<(Option<PathBuf>, usize, usize), Overflow>,
}

impl Found {
    /// Notes the characters of `text` that no font has.
    fn glyphs(
        &mut self,
        book: &Book,
        world: &dyn typst::World,
        sources: &Sources,
        text: &TextItem,
    ) {
        for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
            let s = text.text.get(glyph.range()).unwrap_or("");
            if s.chars().all(invisible) {
                continue;
            }
            let place = locate(book, world, sources, glyph.span.0.into(), false);
            let entry = self
                .glyphs
                .entry((place.file.clone(), place.line))
                .or_insert_with(|| Tofu {
                    place,
                    chars: Vec::new(),
                });
            for c in s.chars().filter(|c| !invisible(*c)) {
                if !entry.chars.contains(&c) {
                    entry.chars.push(c);
                }
            }
        }
    }

    /// Notes that `text` (on page `page`) does not fit: at its block, or its own line.
    fn overflow(
        &mut self,
        book: &Book,
        world: &dyn typst::World,
        sources: &Sources,
        text: &TextItem,
        page: usize,
    ) {
        let span = text
            .glyphs
            .iter()
            .map(|g| DiagSpan::from(g.span.0))
            .find(|s| sources.locate(book, world, *s).is_some())
            .unwrap_or_else(DiagSpan::detached);
        let place = locate(book, world, sources, span, true);
        let key = (place.file.clone(), place.line, place.col);
        let snippet: String = text.text.chars().take(40).collect();
        self.overflows.entry(key).or_insert(Overflow {
            place,
            page,
            snippet,
        });
    }

    fn into_diagnostics(self, book: &Book) -> Vec<Diagnostic> {
        let theme = &book.config.theme;
        let mut out: Vec<Diagnostic> = self
            .glyphs
            .into_values()
            .map(|t| glyph_diagnostic(&t, theme))
            .collect();
        out.extend(
            self.overflows
                .into_values()
                .map(|o| overflow_diagnostic(&o.place, o.page, &o.snippet)),
        );
        out
    }
}

/// One diagnostic naming every character of a line that no font has.
fn glyph_diagnostic(t: &Tofu, theme: &str) -> Diagnostic {
    let shown: Vec<String> = t.chars.iter().map(|&c| show(c)).collect();
    let codes: Vec<String> = t
        .chars
        .iter()
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect();
    let message = if t.chars.len() == 1 {
        format!(
            "the character \"{}\" ({}) is in none of the book's fonts and would print as an empty box",
            shown[0], codes[0]
        )
    } else {
        format!(
            "{} characters on this line are in none of the book's fonts and would print as empty boxes: \"{}\" ({})",
            t.chars.len(),
            shown.join(" "),
            codes.join(" ")
        )
    };
    t.place.diag("print-glyph", message).with_help(format!(
        "add a font that has them to the folder themes/{theme}/fonts/ in the book folder (a \
         TrueType .ttf or OpenType .otf, .ttc or .otc file; not .woff or .woff2): the printed \
         book falls back to it for characters Liberation Sans lacks (e.g. NotoSansGurmukhi-Regular.ttf \
         from Google's Noto fonts for Punjabi); or write the text another way"
    ))
}

/// A character as the message shows it: a combining mark (a vowel sign) on a dotted circle, as
/// script charts show them, so that it does not join the quote mark before it.
fn show(c: char) -> String {
    if unicode_normalization::char::is_combining_mark(c) {
        format!("\u{25CC}{c}")
    } else {
        c.to_string()
    }
}

/// One diagnostic for text that does not fit, worded for what it is in.
fn overflow_diagnostic(place: &Place, page: usize, snippet: &str) -> Diagnostic {
    let min = MIN_TYPE_PT;
    let (message, help) = match place.block {
        Some(BlockKind::Table { columns, top }) => (
            format!(
                "this table of {columns} columns is too wide for the printed page{}: even in \
                 {min} pt type, the smallest the book uses, the text of its cells would run across \
                 the cell borders (page {page}: {snippet:?})",
                if top { ", even a landscape one" } else { "" }
            ),
            if top {
                "split the table into narrower tables (fewer columns each, e.g. one for each range \
                 of weights), or turn it round so that the many values run down the rows"
            } else {
                "split the table into narrower tables with fewer columns, or move it out of the \
                 list or quote so that it can have a landscape page of its own"
            },
        ),
        Some(BlockKind::Code) => (
            format!(
                "a line of this code block is too wide for the printed page even in {min} pt \
                 type (page {page}: {snippet:?})"
            ),
            "break the long line: lines of code only break at spaces",
        ),
        None => (
            format!("text runs past the edge of the printed page {page}: {snippet:?}"),
            "a long unbroken string (an address, a code, a run of characters) cannot be broken \
             across lines: add spaces, shorten it, or give a web address as a link with short text",
        ),
    };
    place.diag("print-overflow", message).with_help(help)
}

/// Characters that legitimately have no glyph (spaces, joiners, soft hyphens).
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

/// Where a problem is: a guideline's file, line and column (of the table or code block holding
/// it, when asked for), or the book as a whole; and the guideline's text for the source line.
struct Place {
    file: Option<PathBuf>,
    line: usize,
    col: usize,
    text: Option<String>,
    block: Option<BlockKind>,
}

impl Place {
    fn diag(&self, rule: &str, message: String) -> Diagnostic {
        let file = self
            .file
            .clone()
            .unwrap_or_else(|| crate::config::BOOK_TOML.into());
        let d = Diagnostic::error(file, self.line, self.col, rule, message);
        match &self.text {
            Some(text) => d.with_source(text, 1),
            None => d,
        }
    }
}

fn locate(
    book: &Book,
    world: &dyn typst::World,
    sources: &Sources,
    span: DiagSpan,
    in_block: bool,
) -> Place {
    let found = if in_block {
        sources.locate_block(book, world, span)
    } else {
        sources
            .locate(book, world, span)
            .map(|(i, l, c)| (i, l, c, None))
    };
    match found {
        Some((idx, line, col, block)) => {
            let g = &book.guidelines[idx];
            Place {
                file: Some(g.source.clone()),
                line,
                col,
                text: Some(g.text.to_string()),
                block,
            }
        }
        None => Place {
            file: None,
            line: 0,
            col: 0,
            text: None,
            block: None,
        },
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
    fn the_template_sets_the_same_smallest_type() {
        let line = format!("#let wb-min-size = {MIN_TYPE_PT}pt");
        assert!(super::super::book::TEMPLATE.contains(&line), "{line}");
    }

    #[test]
    fn vowel_signs_are_shown_on_a_dotted_circle() {
        assert_eq!(show('\u{0A71}'), "\u{25CC}\u{0A71}");
        assert_eq!(show('ਬ'), "ਬ");
        assert_eq!(show('µ'), "µ");
    }

    #[test]
    fn spaces_and_joiners_are_invisible() {
        assert!(invisible(' '));
        assert!(invisible('\u{200D}'));
        assert!(!invisible('µ'));
        assert!(!invisible('≥'));
    }

    #[test]
    fn text_crosses_a_border_only_beside_it() {
        let border = |x: f64, top: f64, bottom: f64| Border {
            x: Abs::pt(x),
            top: Abs::pt(top),
            bottom: Abs::pt(bottom),
        };
        let borders = [border(50.0, 0.0, 100.0), border(120.0, 0.0, 20.0)];
        let size = Abs::pt(10.0);
        let at = |x: f64, y: f64| Point::new(Abs::pt(x), Abs::pt(y));
        // Within a cell, or touching its border within the slack: fine.
        assert!(!crosses(&borders, at(10.0, 50.0), Abs::pt(50.3), size));
        // Across the border between two cells.
        assert!(crosses(&borders, at(10.0, 50.0), Abs::pt(60.0), size));
        // Past a border that ends above the line.
        assert!(!crosses(&borders, at(60.0, 50.0), Abs::pt(130.0), size));
        assert!(crosses(&borders, at(60.0, 15.0), Abs::pt(130.0), size));
    }
}
