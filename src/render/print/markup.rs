//! Markdown → Typst markup for one guideline body, from the same pulldown-cmark events (and
//! [`crate::markdown::options`]) the website is rendered from.
//!
//! Everything the author wrote reaches Typst as string literals in markup (`#"…";`), in which
//! no character is markup (only `\` and `"` are escaped), so `#`, `$`, `*`, `_`, `<`, `@`, `=`,
//! backticks, `//`, `--` and a `-` before a digit print literally, and a dose such as `0.5 mg`,
//! `≥ 92%` or `-1` reaches the page exactly as written. Structure is written as function calls
//! (`#list(..)`, `#wb-table(..)`), never as line-start markup. Functions named
//! `wb-*` are defined by the book template (`book.typ`).
//!
//! Comes in: the book, the link context, every guideline's rendered headings (for anchors) and
//! which guidelines are printed. Goes out: a [`Markup`] with the source text, a map from its
//! offsets back to the Markdown body (for diagnostics) and the images it shows.

use super::literal::{
    collapse, escape_into, escape_pieces_into, html_format, pieces, string, strip_tags,
};
use crate::content::{Book, Guideline, LinkContext};
use crate::markdown::Rendered;
use crate::paths::{is_external, join_relative};
use pulldown_cmark::{Alignment, BlockQuoteKind, Event, HeadingLevel, Parser, Tag};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::PathBuf;

/// Image types Typst can place.
const IMAGE_TYPES: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp"];

/// What converting needs to know about the whole book.
pub struct Context<'a> {
    /// The book.
    pub book: &'a Book,
    /// Resolves links between guidelines.
    pub links: &'a LinkContext<'a>,
    /// Rendered guidelines, index-aligned with `book.guidelines` (heading ids for anchors).
    pub rendered: &'a [Rendered],
    /// Whether each guideline (index-aligned) is in the printed book.
    pub printed: &'a [bool],
    /// Each guideline's likely page number width (see `book::page_guesses`).
    pub guesses: &'a [String],
}

/// An image a guideline shows: where Typst finds it and which book file it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Virtual path in the typst world (`/img/g3-0.png`).
    pub vpath: String,
    /// Path relative to the book folder.
    pub source: PathBuf,
}

/// A block whose lines typst cannot break at will, so that it may be too wide for the page:
/// problems inside it are reported at its first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The block's bytes in the Markdown body.
    pub range: Range<usize>,
    /// What it is.
    pub kind: BlockKind,
}

/// The kinds of [`Block`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A table; `top` when it stands in the guideline itself (not in a list or quote), where it
    /// may get a landscape page of its own.
    Table {
        /// Columns.
        columns: usize,
        /// Not inside a list, quote or footnote.
        top: bool,
    },
    /// A code block.
    Code,
}

/// Typst markup of one guideline body.
#[derive(Debug, Clone, Default)]
pub struct Markup {
    /// The Typst source.
    pub text: String,
    /// (offset in `text`, offset in the Markdown body), increasing: where each piece came from.
    pub map: Vec<(usize, usize)>,
    /// Images to put into the typst world.
    pub images: Vec<ImageRef>,
    /// Tables and code blocks, in body order.
    pub blocks: Vec<Block>,
}

impl Markup {
    /// The body offset that produced typst offset `pos` (the last mapped piece at or before it).
    pub fn body_offset(&self, pos: usize) -> Option<usize> {
        let i = self.map.partition_point(|&(t, _)| t <= pos);
        i.checked_sub(1).map(|i| self.map[i].1)
    }
}

/// Label of guideline `idx`'s title heading.
pub fn guideline_label(idx: usize) -> String {
    format!("g{idx}")
}

/// Converts the body of guideline `idx`.
pub fn guideline(ctx: &Context<'_>, idx: usize) -> Markup {
    let g = &ctx.book.guidelines[idx];
    let events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(g.body(), crate::markdown::options())
            .into_offset_iter()
            .collect();
    // Footnote definitions may follow their references: a first pass collects them.
    let mut first = Writer::new(ctx, g, idx, BTreeMap::new());
    first.run(&events);
    let mut second = Writer::new(ctx, g, idx, first.defs);
    second.run(&events);
    Markup {
        text: second.out,
        map: second.map,
        images: second.images,
        blocks: second.blocks,
    }
}

/// An open container: what closes it, and how many inline-HTML formats were open at its start.
struct Frame {
    close: Closer,
    html_depth: usize,
}

enum Closer {
    /// Plain text to write.
    Text(String),
    /// A heading with its label.
    Heading(usize),
    /// A link, with what to print after its text.
    Link(LinkEnd),
    /// A footnote definition being collected (the output it interrupted).
    Footnote(String, String),
    /// A table row or head: pad to the column count, then write this.
    Row(String),
    /// A table cell: its length counts towards its column's width.
    Cell,
    /// A table: its column widths, then its end.
    Table,
    /// Strong emphasis (bold type is wider: table cells measure it so).
    Bold,
}

enum LinkEnd {
    /// ` (url)` unless the text already is the URL.
    External(String),
    /// ` (see Title, p. N)`; `target` is the guideline (for the page guess).
    Internal {
        title: String,
        label: String,
        target: usize,
    },
    /// ` (see Title on the website)`: the target is not in the printed book.
    Absent(String),
    /// A file beside the guideline, on the website only.
    File(String),
    /// Nothing to add.
    Nothing,
}

struct Writer<'c, 'a> {
    ctx: &'c Context<'a>,
    g: &'c Guideline,
    idx: usize,
    out: String,
    map: Vec<(usize, usize)>,
    images: Vec<ImageRef>,
    frames: Vec<Frame>,
    /// Open inline-HTML formats (`<sup>`…), closed with their container at the latest.
    html: Vec<&'static str>,
    headings: usize,
    /// Footnote label → markup (from the first pass).
    defs: BTreeMap<String, String>,
    /// Footnote labels already printed, in order.
    used: Vec<String>,
    /// Depth of footnote definitions being collected (their offsets are not mapped).
    in_footnote: usize,
    alt: Option<String>,
    /// Whether the image being read is marked decorative (printed as a PDF artifact).
    decorative: bool,
    link_text: Option<String>,
    code: Option<(String, String)>,
    /// Cells written in the current table row, and the table's column count.
    cells: usize,
    columns: usize,
    /// Per column of the current table: (longest cell, longest word), in characters.
    widths: Vec<(usize, usize)>,
    /// Characters in the table cell being written, if one is.
    cell: Option<usize>,
    /// Lines of text written from the HTML block being read: each further line starts with a
    /// line break, so text from two of its blocks never runs together.
    html_lines: usize,
    /// Per column of the current table: its widest-looking unbreakable pieces, for typst to
    /// measure (see [`Atom`]).
    atoms: Vec<Vec<Atom>>,
    /// Whether the table being written stands in the guideline itself.
    table_top: bool,
    /// In the table's header row.
    in_head: bool,
    /// Open strong emphasis (its pieces are measured bold).
    bold: usize,
    /// Open headings (their text stays free of boxes: see [`Writer::text`]).
    headings_open: usize,
    /// Tables and code blocks so far.
    blocks: Vec<Block>,
}

/// An unbreakable piece of a table cell as typst measures it: its text and how it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Atom {
    text: String,
    kind: AtomKind,
}

/// How an [`Atom`] is set (the numbers are the template's: `wb-atom`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AtomKind {
    Plain = 0,
    Bold = 1,
    Code = 2,
}

impl Atom {
    /// Roughly how wide it is, in characters of plain text: the order in which a column's
    /// pieces are kept for measuring (typst measures the kept ones exactly).
    fn weight(&self) -> usize {
        let n = self.text.chars().count();
        match self.kind {
            AtomKind::Plain => n * 10,
            AtomKind::Bold => n * 11,
            AtomKind::Code => n * 12,
        }
    }
}

/// How many pieces of each column typst measures: the widest by character count, and a few
/// more, because in proportional type a shorter word can be the wider one.
const ATOMS_PER_COLUMN: usize = 4;

impl<'c, 'a> Writer<'c, 'a> {
    fn new(
        ctx: &'c Context<'a>,
        g: &'c Guideline,
        idx: usize,
        defs: BTreeMap<String, String>,
    ) -> Self {
        Writer {
            ctx,
            g,
            idx,
            out: String::with_capacity(g.body().len() * 5 / 4),
            map: Vec::new(),
            images: Vec::new(),
            frames: Vec::new(),
            html: Vec::new(),
            html_lines: 0,
            headings: 0,
            defs,
            used: Vec::new(),
            in_footnote: 0,
            alt: None,
            decorative: false,
            link_text: None,
            code: None,
            cells: 0,
            columns: 0,
            widths: Vec::new(),
            cell: None,
            atoms: Vec::new(),
            table_top: false,
            in_head: false,
            bold: 0,
            headings_open: 0,
            blocks: Vec::new(),
        }
    }

    fn run(&mut self, events: &[(Event<'_>, Range<usize>)]) {
        for (i, (event, range)) in events.iter().enumerate() {
            if self.in_footnote == 0 {
                self.map.push((self.out.len(), range.start));
                self.note_block(event, range);
            }
            if let Event::Start(Tag::BlockQuote(None)) = event
                && starts_with_warning(&events[i + 1..])
            {
                self.block_start();
                self.open_text("#wb-callout(kind: \"alert\")[\n", "]\n\n");
                continue;
            }
            self.event(event);
        }
    }

    fn event(&mut self, event: &Event<'_>) {
        if let Some((_, code)) = self.code.as_mut() {
            match event {
                Event::Text(t) => code.push_str(t),
                Event::End(_) => self.end_code(),
                _ => {}
            }
            return;
        }
        if let Some(alt) = self.alt.as_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::End(pulldown_cmark::TagEnd::Image) => self.end_image(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(_) => self.end(),
            Event::Text(t) => self.text(t),
            Event::Code(t) => {
                self.capture(t, AtomKind::Code);
                self.out.push_str("#raw(");
                self.out.push_str(&string(t));
                self.out.push_str(");");
            }
            Event::InlineMath(t) => self.text(&format!("${t}$")),
            Event::DisplayMath(t) => self.text(&format!("$${t}$$")),
            Event::Html(h) => self.block_html(h),
            Event::InlineHtml(h) => self.inline_html(h),
            Event::FootnoteReference(label) => self.footnote_ref(label),
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak();"),
            Event::Rule => {
                self.block_start();
                self.out.push_str("#wb-rule()\n\n");
            }
            Event::TaskListMarker(done) => {
                self.out.push_str(if *done {
                    "#wb-task(true);"
                } else {
                    "#wb-task(false);"
                });
            }
        }
    }

    fn text(&mut self, t: &str) {
        let kind = if self.in_head || self.bold > 0 {
            AtomKind::Bold
        } else {
            AtomKind::Plain
        };
        self.capture(t, kind);
        if self.headings_open > 0 {
            // Headings feed the PDF's outline, which takes plain text, not boxes.
            escape_into(t, &mut self.out);
        } else {
            escape_pieces_into(t, &mut self.out);
        }
    }

    fn capture(&mut self, t: &str, kind: AtomKind) {
        if let Some(lt) = self.link_text.as_mut() {
            lt.push_str(t);
        }
        self.measure(t, kind);
    }

    /// Counts `t` towards the width of the table column being written, if any.
    fn measure(&mut self, t: &str, kind: AtomKind) {
        let Some(len) = self.cell.as_mut() else {
            return;
        };
        *len += t.chars().count();
        let col = self.cells - 1;
        for piece in pieces(t) {
            let atom = Atom {
                text: collapse(&t[piece.range]),
                kind,
            };
            if let Some((_, word)) = self.widths.get_mut(col) {
                *word = (*word).max(atom.text.chars().count());
            }
            if let Some(kept) = self.atoms.get_mut(col)
                && !kept.contains(&atom)
            {
                kept.push(atom);
                kept.sort_by_key(|a| std::cmp::Reverse(a.weight()));
                kept.truncate(ATOMS_PER_COLUMN);
            }
        }
    }

    /// Records where a table or code block starts and ends in the body.
    fn note_block(&mut self, event: &Event<'_>, range: &Range<usize>) {
        let kind = match event {
            Event::Start(Tag::Table(aligns)) => BlockKind::Table {
                columns: aligns.len().max(1),
                top: self.frames.is_empty(),
            },
            Event::Start(Tag::CodeBlock(_)) => BlockKind::Code,
            _ => return,
        };
        self.blocks.push(Block {
            range: range.clone(),
            kind,
        });
    }

    /// Block-level content starts on a fresh line.
    fn block_start(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn open(&mut self, code: &str, close: Closer) {
        self.out.push_str(code);
        self.frames.push(Frame {
            close,
            html_depth: self.html.len(),
        });
    }

    fn open_text(&mut self, code: &str, close: &str) {
        self.open(code, Closer::Text(close.to_string()));
    }

    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.block_start();
                self.open_text("", "\n\n");
            }
            Tag::Heading { level, .. } => self.start_heading(*level),
            Tag::BlockQuote(kind) => {
                self.block_start();
                let kind = match kind {
                    None => "quote",
                    Some(BlockQuoteKind::Note) => "note",
                    Some(BlockQuoteKind::Tip) => "tip",
                    Some(BlockQuoteKind::Important) => "important",
                    Some(BlockQuoteKind::Warning) => "warning",
                    Some(BlockQuoteKind::Caution) => "caution",
                };
                self.open_text(&format!("#wb-callout(kind: \"{kind}\")[\n"), "]\n\n");
            }
            Tag::CodeBlock(kind) => {
                self.code = Some((crate::markdown::code_language(kind), String::new()));
            }
            Tag::HtmlBlock => {
                self.block_start();
                self.html_lines = 0;
                self.open_text("", "\n\n");
            }
            Tag::List(None) => {
                self.block_start();
                self.open_text("#list(\n", ")\n\n");
            }
            Tag::List(Some(n)) => {
                self.block_start();
                self.open_text(&format!("#enum(start: {n},\n"), ")\n\n");
            }
            Tag::Item => self.open_text("[", "],\n"),
            Tag::FootnoteDefinition(label) => {
                let label = label.to_string();
                let saved = std::mem::take(&mut self.out);
                self.in_footnote += 1;
                self.open("", Closer::Footnote(label, saved));
            }
            Tag::Table(aligns) => self.start_table(aligns),
            Tag::TableHead | Tag::TableRow | Tag::TableCell => self.start_table_part(tag),
            Tag::Emphasis => self.open_text("#emph[", "];"),
            Tag::Strong => {
                self.bold += 1;
                self.open("#strong[", Closer::Bold);
            }
            Tag::Strikethrough => self.open_text("#strike[", "];"),
            Tag::Superscript => self.open_text("#super[", "];"),
            Tag::Subscript => self.open_text("#sub[", "];"),
            Tag::Link { dest_url, .. } => self.start_link(dest_url),
            Tag::Image {
                dest_url, title, ..
            } => {
                self.alt = Some(String::new());
                self.decorative = crate::markdown::is_decorative(title);
                self.frames.push(Frame {
                    close: Closer::Text(dest_url.to_string()),
                    html_depth: self.html.len(),
                });
            }
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {
                self.block_start();
                self.open_text("", "\n\n");
            }
        }
    }

    fn start_heading(&mut self, level: HeadingLevel) {
        self.block_start();
        // `#` and `##` sit under the guideline title (level 2); deeper levels follow.
        let level = match level {
            HeadingLevel::H1 | HeadingLevel::H2 => 3,
            HeadingLevel::H3 => 4,
            HeadingLevel::H4 => 5,
            HeadingLevel::H5 | HeadingLevel::H6 => 6,
        };
        let k = self.headings;
        self.headings += 1;
        self.headings_open += 1;
        self.open(
            &format!("#heading(level: {level}, outlined: false, bookmarked: false)["),
            Closer::Heading(k),
        );
    }

    fn start_table(&mut self, aligns: &[Alignment]) {
        self.block_start();
        self.columns = aligns.len().max(1);
        self.widths = vec![(0, 0); self.columns];
        self.atoms = vec![Vec::new(); self.columns];
        self.table_top = self.frames.is_empty();
        let mut code = format!("#wb-table(columns: {}, align: (", self.columns);
        for a in aligns {
            code.push_str(match a {
                Alignment::None => "start, ",
                Alignment::Left => "left, ",
                Alignment::Center => "center, ",
                Alignment::Right => "right, ",
            });
        }
        if aligns.is_empty() {
            code.push_str("start, ");
        }
        code.push_str("),\n");
        self.open(&code, Closer::Table);
    }

    /// A table's header row, a row or a cell.
    fn start_table_part(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::TableHead => {
                self.cells = 0;
                self.in_head = true;
                self.open("table.header(", Closer::Row("),\n".into()));
            }
            Tag::TableRow => {
                self.cells = 0;
                self.in_head = false;
                self.open("", Closer::Row("\n".into()));
            }
            _ => {
                self.cells += 1;
                self.cell = Some(0);
                self.open("[", Closer::Cell);
            }
        }
    }

    fn start_link(&mut self, dest: &str) {
        self.link_text = Some(String::new());
        if is_external(dest) {
            self.open(
                &format!("#link({})[", string(dest)),
                Closer::Link(LinkEnd::External(dest.to_string())),
            );
            return;
        }
        let end = match self.ctx.links.resolve(&self.g.source, dest) {
            Ok(Some((target, anchor))) => self.internal_target(target, anchor.as_deref()),
            Ok(None) if !dest.is_empty() && !dest.starts_with('#') => {
                let name = dest.rsplit('/').next().unwrap_or(dest);
                LinkEnd::File(name.to_string())
            }
            _ => LinkEnd::Nothing,
        };
        let code = match &end {
            LinkEnd::Internal { label, .. } => format!("#wb-link(<{label}>)["),
            _ => "#[".to_string(),
        };
        self.open(&code, Closer::Link(end));
    }

    fn internal_target(&self, target: usize, anchor: Option<&str>) -> LinkEnd {
        let tg = &self.ctx.book.guidelines[target];
        if !self.ctx.printed.get(target).copied().unwrap_or(false) {
            return LinkEnd::Absent(tg.front.title.clone());
        }
        let heading = anchor.and_then(|a| {
            self.ctx
                .rendered
                .get(target)
                .and_then(|r| r.headings.iter().position(|h| h.id == a))
        });
        match heading {
            Some(k) => {
                let title = if target == self.idx {
                    self.ctx.rendered[target].headings[k].text.clone()
                } else {
                    tg.front.title.clone()
                };
                LinkEnd::Internal {
                    title,
                    label: format!("g{target}-h{k}"),
                    target,
                }
            }
            None => LinkEnd::Internal {
                title: tg.front.title.clone(),
                label: guideline_label(target),
                target,
            },
        }
    }

    fn end(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        while self.html.len() > frame.html_depth {
            self.html.pop();
            self.out.push_str("];");
        }
        match frame.close {
            Closer::Text(t) => self.out.push_str(&t),
            Closer::Heading(k) => {
                self.headings_open -= 1;
                self.out.push_str(&format!("] <g{}-h{k}>\n\n", self.idx));
            }
            Closer::Bold => {
                self.bold -= 1;
                self.out.push_str("];");
            }
            Closer::Link(end) => self.end_link(end),
            Closer::Footnote(label, saved) => {
                let def = std::mem::replace(&mut self.out, saved);
                self.in_footnote -= 1;
                self.defs
                    .entry(label)
                    .or_insert_with(|| def.trim().to_string());
            }
            Closer::Cell => {
                let len = self.cell.take().unwrap_or(0);
                if let Some((cell, _)) = self.widths.get_mut(self.cells - 1) {
                    *cell = (*cell).max(len);
                }
                self.out.push_str("], ");
            }
            Closer::Table => self.end_table(),
            Closer::Row(close) => {
                for _ in self.cells..self.columns {
                    self.out.push_str("[], ");
                }
                self.out.push_str(&close);
            }
        }
    }

    fn end_link(&mut self, end: LinkEnd) {
        let text = self.link_text.take().unwrap_or_default();
        self.out.push_str("];");
        match end {
            LinkEnd::External(url) => {
                let shown = url.strip_prefix("mailto:").unwrap_or(&url);
                if text.trim() != shown && text.trim() != url {
                    self.out.push_str(" (");
                    escape_into(shown, &mut self.out);
                    self.out.push(')');
                }
            }
            LinkEnd::Internal {
                title,
                label,
                target,
            } => {
                self.out.push_str(" (see ");
                escape_into(&title, &mut self.out);
                let guess = self.ctx.guesses.get(target).map_or("0", String::as_str);
                self.out
                    .push_str(&format!(", p. #wb-page(<{label}>, \"{guess}\");)"));
            }
            LinkEnd::Absent(title) => {
                self.out.push_str(" (see ");
                escape_into(&title, &mut self.out);
                self.out.push_str(" on the website)");
            }
            LinkEnd::File(name) => {
                self.out.push_str(" (");
                escape_into(&name, &mut self.out);
                self.out.push_str(" on the website)");
            }
            LinkEnd::Nothing => {}
        }
    }

    fn end_code(&mut self) {
        let Some((lang, code)) = self.code.take() else {
            return;
        };
        self.block_start();
        // The template sets the block in smaller type when its longest word would not fit.
        let longest = code
            .split_whitespace()
            .max_by_key(|w| w.chars().count())
            .unwrap_or("");
        self.out.push_str("#wb-code(");
        self.out.push_str(&string(longest));
        self.out.push_str(", raw(block: true, ");
        if !lang.is_empty() {
            self.out.push_str(&format!("lang: {}, ", string(&lang)));
        }
        self.out
            .push_str(&string(code.strip_suffix('\n').unwrap_or(&code)));
        self.out.push_str("))\n\n");
    }

    /// Closes `#wb-table(`: the column weights, the pieces to measure, where it stands.
    fn end_table(&mut self) {
        let widths: Vec<String> = self
            .widths
            .iter()
            .map(|&w| column_weight(w).to_string())
            .collect();
        let mut atoms = String::new();
        for column in &self.atoms {
            atoms.push('(');
            for a in column {
                let _ = write!(atoms, "({}, {}),", string(&a.text), a.kind as u8);
            }
            atoms.push_str("),");
        }
        let _ = write!(
            self.out,
            "widths: ({},), atoms: ({atoms}), top: {},\n)\n\n",
            widths.join(", "),
            self.table_top
        );
    }

    fn end_image(&mut self) {
        let alt = self.alt.take().unwrap_or_default();
        let Some(Frame {
            close: Closer::Text(dest),
            ..
        }) = self.frames.pop()
        else {
            return;
        };
        match self.image(&dest) {
            // Screen readers skip a decorative image: an artifact, not a figure.
            Some(vpath) if self.decorative => self
                .out
                .push_str(&format!("#box(pdf.artifact(image({})));", string(&vpath))),
            // An image without alt text is an `image-alt` error before typst sees it; its file
            // name stands in so that typst does not report it a second time.
            Some(vpath) => self.out.push_str(&format!(
                "#box(image({}, alt: {}));",
                string(&vpath),
                string(if alt.trim().is_empty() { &dest } else { &alt })
            )),
            None => {
                self.out.push_str("\\[Image: ");
                escape_into(if alt.is_empty() { &dest } else { &alt }, &mut self.out);
                self.out.push_str("\\]");
            }
        }
    }

    /// The virtual path of a local image Typst can show, recorded for the world.
    fn image(&mut self, dest: &str) -> Option<String> {
        if is_external(dest) {
            return None;
        }
        let path = dest.split(['#', '?']).next().unwrap_or("");
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let source = join_relative(&self.g.source, &decoded)?;
        let ext = source.extension()?.to_str()?.to_ascii_lowercase();
        if !IMAGE_TYPES.contains(&ext.as_str())
            || !self.ctx.book.config.root.join(&source).is_file()
        {
            return None;
        }
        let vpath = format!("/img/g{}-{}.{ext}", self.idx, self.images.len());
        self.images.push(ImageRef {
            vpath: vpath.clone(),
            source,
        });
        Some(vpath)
    }

    fn footnote_ref(&mut self, label: &str) {
        let def = (self.in_footnote == 0)
            .then(|| self.defs.get(label))
            .flatten();
        let Some(def) = def else {
            escape_into(&format!("[^{label}]"), &mut self.out);
            return;
        };
        if let Some(n) = self.used.iter().position(|l| l == label) {
            self.out
                .push_str(&format!("#footnote(<g{}-fn{n}>);", self.idx));
            return;
        }
        let n = self.used.len();
        let code = format!("#footnote[{def}]<g{}-fn{n}>", self.idx);
        self.out.push_str(&code);
        self.used.push(label.to_string());
    }

    fn inline_html(&mut self, html: &str) {
        let tag = html.trim().trim_start_matches('<').trim_end_matches('>');
        let tag = tag.trim_end_matches('/').trim();
        let (closing, name) = match tag.strip_prefix('/') {
            Some(n) => (true, n.trim()),
            None => (false, tag.split_whitespace().next().unwrap_or("")),
        };
        let name = name.to_ascii_lowercase();
        if name == "br" {
            self.out.push_str("#linebreak();");
            return;
        }
        let Some(func) = html_format(&name) else {
            return;
        };
        if closing {
            if self.html.last() == Some(&func) {
                self.html.pop();
                self.out.push_str("];");
            }
        } else {
            self.html.push(func);
            self.out.push_str(&format!("#{func}["));
        }
    }

    fn block_html(&mut self, html: &str) {
        let text = strip_tags(html);
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if self.html_lines > 0 {
                self.out.push_str("#linebreak();");
            }
            escape_into(line, &mut self.out);
            self.html_lines += 1;
        }
    }
}

/// The share of the spare width a table column gets, from its longest cell and longest piece
/// (in characters). The template first gives every column what its widest piece needs; what is
/// left goes, as in a browser's automatic table layout, by how much longer the column's text is
/// than that piece (computed here, because typst measuring every cell of every table costs
/// about a sixth of the whole layout): long prose columns get most of the room, a column of
/// doses that already fit on one line little.
fn column_weight((cell, word): (usize, usize)) -> usize {
    cell.saturating_sub(word).min(60) + 1
}

/// Words that make a plain block quote a warning when its text starts with them.
const WARNING_WORDS: &[&str] = &[
    "warning",
    "caution",
    "important",
    "danger",
    "red flag",
    "do not",
];

/// True when the first text inside a block quote (the events after its start) is a warning word.
fn starts_with_warning(events: &[(Event<'_>, Range<usize>)]) -> bool {
    let first = events.iter().find_map(|(e, _)| match e {
        Event::Text(t) => Some(Some(t.trim_start().to_lowercase())),
        Event::End(pulldown_cmark::TagEnd::BlockQuote(_)) => Some(None),
        _ => None,
    });
    first
        .flatten()
        .is_some_and(|t| WARNING_WORDS.iter().any(|w| t.starts_with(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_share_the_width_by_content() {
        // A dose column of short cells gets less than a column of advice.
        assert!(column_weight((8, 4)) < column_weight((45, 9)));
        // A column whose cells are one piece each already has what it needs.
        assert_eq!(column_weight((12, 12)), 1);
        // Very long cells do not take the whole table.
        assert_eq!(column_weight((500, 8)), 61);
        assert_eq!(column_weight((0, 0)), 1);
    }

    #[test]
    fn maps_offsets_back() {
        let m = Markup {
            map: vec![(0, 0), (10, 4), (20, 9)],
            ..Markup::default()
        };
        assert_eq!(m.body_offset(0), Some(0));
        assert_eq!(m.body_offset(15), Some(4));
        assert_eq!(m.body_offset(25), Some(9));
    }
}
