//! A guideline body cut into the blocks a clinician reads, each with its place: a paragraph, a
//! list item (its own text, without the items nested in it), a table's header row and each of
//! its rows, a heading, a callout (a paragraph in a quote), a code block, an HTML block.
//!
//! In: Markdown (pulldown-cmark with the book's options, so a `#` in a code block is no heading
//! and a setext heading is one). Out: [`Block`]s in document order, each with
//! - its text as read: the words of its inline content (emphasis markers, link targets and
//!   soft line breaks left out, runs of spaces as one; hard breaks, raw HTML and a list item's
//!   paragraphs meet as `plain` joins them, so numbers never run together), one text per
//!   table cell;
//! - its form: the same content with what the reader sees as form (emphasis, code ticks, line
//!   breaks, spacing, the list marker's kind, the heading level), so that two blocks with the
//!   same text and another form are a change of form only;
//! - its key: the text with the spaces between a number and its unit or comparator dropped
//!   (`25mg` and `25 mg` read the same), the measure of "the same block";
//! - its context: the headings above it, the callout or footnote it is in, and its parent list
//!   items (their first words); a table row also has its table's column headers.

use crate::plain::Plain;
use pulldown_cmark::{BlockQuoteKind, Event, Parser, Tag, TagEnd};
use serde::Serialize;

/// What kind of block a change is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A paragraph.
    Paragraph,
    /// A list item's own text (its nested items are blocks of their own).
    ListItem,
    /// A table's header row.
    TableHeader,
    /// A table's body row.
    TableRow,
    /// A heading.
    Heading,
    /// A paragraph in a quote or alert (`> [!WARNING]`).
    Callout,
    /// A fenced or indented code block.
    Code,
    /// A block of raw HTML.
    Html,
}

impl BlockKind {
    /// The kind in words, for reports ("paragraph", "list item", "table row"…).
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem => "list item",
            BlockKind::TableHeader => "table header",
            BlockKind::TableRow => "table row",
            BlockKind::Heading => "heading",
            BlockKind::Callout => "callout",
            BlockKind::Code => "code",
            BlockKind::Html => "HTML",
        }
    }
}

/// How many characters of a parent list item's text make its label.
const LABEL_CHARS: usize = 40;

/// One block of a body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Block {
    /// What it is; `None` only while it is being read.
    pub kind: Option<BlockKind>,
    /// Heading level (1–6) for a heading, 0 otherwise.
    pub level: u8,
    /// The headings above it, outermost first.
    pub section: Vec<String>,
    /// Its context labels: `section`, then the callout or footnote it is in and its parent list
    /// items.
    pub context: Vec<String>,
    /// Its text as read, one entry per table cell (one entry for any other block).
    pub cells: Vec<String>,
    /// For a table row: its table's column headers.
    pub columns: Vec<String>,
    /// Its form as written (see the module comment).
    pub form: String,
    /// What makes two blocks the same block (see the module comment).
    pub key: String,
}

impl Block {
    /// The text as read: the cells joined by ` | `.
    pub fn text(&self) -> String {
        self.cells.join(" | ")
    }

    /// The kind (a finished block always has one).
    pub fn kind(&self) -> BlockKind {
        self.kind.unwrap_or(BlockKind::Paragraph)
    }

    /// A table row's label: its first cell, when the row has more than one.
    pub fn row_label(&self) -> Option<&str> {
        (matches!(self.kind, Some(BlockKind::TableRow)) && self.cells.len() > 1)
            .then(|| self.cells[0].as_str())
            .filter(|l| !l.is_empty())
    }
}

/// An open container that gives the blocks in it context.
#[derive(Debug)]
enum Container {
    /// A list item (the index of its block).
    Item(usize),
    /// A quote or alert, labelled by its kind.
    Quote(Option<String>),
    /// A footnote definition, labelled.
    Footnote(String),
}

/// The walk over one body's events: the state each event needs.
#[derive(Default)]
struct Walker {
    blocks: Vec<Block>,
    /// The headings above the current place: (level, text).
    headings: Vec<(u8, String)>,
    /// Containers open at the current place, outermost first.
    containers: Vec<Container>,
    /// Blocks collecting inline content, innermost last.
    open: Vec<usize>,
    /// The current table's column headers.
    columns: Vec<String>,
    /// The marker kind of each open list (`-`, `*`, `+`, `1.`, `1)`).
    lists: Vec<String>,
    /// Each block's text while it is read, one per cell (index as `blocks`).
    plains: Vec<Vec<Plain>>,
}

/// The blocks of `body`, in document order.
pub(crate) fn blocks(body: &str) -> Vec<Block> {
    let mut w = Walker::default();
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(tag) => w.start(tag, &body[range]),
            Event::End(tag) => w.end(tag),
            event => w.inline(event),
        }
    }
    w.blocks
}

impl Walker {
    fn start(&mut self, tag: Tag<'_>, source: &str) {
        match tag {
            Tag::Paragraph => self.paragraph(),
            Tag::Heading { level, .. } => {
                self.headings.retain(|(l, _)| *l < level as u8);
                let b = self.open_block(BlockKind::Heading);
                self.blocks[b].level = level as u8;
                self.blocks[b].form = "#".repeat(level as usize) + " ";
            }
            Tag::BlockQuote(kind) => self
                .containers
                .push(Container::Quote(kind.map(quote_label))),
            Tag::CodeBlock(_) => {
                self.open_block(BlockKind::Code);
            }
            Tag::HtmlBlock => {
                self.open_block(BlockKind::Html);
            }
            Tag::List(first) => self.lists.push(first.map_or_else(
                || source.trim_start().chars().take(1).collect(),
                |_| marker_kind(source),
            )),
            Tag::Item => {
                let b = self.open_block(BlockKind::ListItem);
                self.blocks[b].form = self.lists.last().cloned().unwrap_or_default() + " ";
                self.containers.push(Container::Item(b));
            }
            Tag::FootnoteDefinition(label) => self
                .containers
                .push(Container::Footnote(format!("Footnote {label}"))),
            Tag::Table(_) => self.columns.clear(),
            Tag::TableHead => {
                self.open_block(BlockKind::TableHeader);
            }
            Tag::TableRow => {
                let b = self.open_block(BlockKind::TableRow);
                self.blocks[b].columns = self.columns.clone();
            }
            Tag::TableCell => self.cell(),
            tag => self.form(match tag {
                Tag::Emphasis => "*",
                Tag::Strong => "**",
                Tag::Strikethrough => "~~",
                Tag::Superscript => "^",
                Tag::Subscript => "~",
                Tag::Link { .. } | Tag::Image { .. } => "[",
                _ => "",
            }),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                if let Some(b) = self.open.pop()
                    && self.blocks[b].kind != Some(BlockKind::ListItem)
                {
                    self.finish(b);
                }
            }
            TagEnd::Heading(_) => {
                if let Some(b) = self.open.pop() {
                    self.finish(b);
                    let level = self.blocks[b].level;
                    self.headings.push((level, self.blocks[b].text()));
                }
            }
            TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::TableRow => self.close(),
            TagEnd::TableHead => {
                if let Some(b) = self.open.pop() {
                    self.finish(b);
                    self.columns = self.blocks[b].cells.clone();
                }
            }
            TagEnd::Item => {
                self.containers.pop();
                self.close();
            }
            TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition => {
                self.containers.pop();
            }
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Emphasis => self.form("*"),
            TagEnd::Strong => self.form("**"),
            TagEnd::Strikethrough => self.form("~~"),
            TagEnd::Superscript => self.form("^"),
            TagEnd::Subscript => self.form("~"),
            TagEnd::Link | TagEnd::Image => self.form("]"),
            _ => {}
        }
    }

    /// Text, code, breaks and raw HTML: into the open block's text (through [`Plain`], so
    /// that a hard break or `<br>` keeps the numbers on either side apart and `10<sup>9</sup>`
    /// reads `10^9`) and its form.
    fn inline(&mut self, event: Event<'_>) {
        let Some(&b) = self.open.last() else { return };
        if self.plains[b].is_empty() {
            self.plains[b].push(Plain::default());
        }
        let Some(text) = self.plains[b].last_mut() else {
            return;
        };
        let form = &mut self.blocks[b].form;
        match &event {
            Event::Text(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                text.push(t);
                form.push_str(t);
            }
            Event::Code(t) => {
                text.push(t);
                form.push('`');
                form.push_str(t);
                form.push('`');
            }
            Event::SoftBreak => {
                text.space();
                form.push('\n');
            }
            Event::HardBreak => {
                text.boundary();
                form.push_str("\\\n");
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                text.push_html(h);
                form.push_str(h);
            }
            Event::FootnoteReference(r) => {
                form.push_str("[^");
                form.push_str(r);
                form.push(']');
            }
            Event::TaskListMarker(done) => {
                let m = if *done { "[x] " } else { "[ ] " };
                text.push(m);
                form.push_str(m);
            }
            _ => {}
        }
    }

    /// A paragraph: more text of the list item it is in, or a block of its own.
    fn paragraph(&mut self) {
        if let Some(Container::Item(b)) = self.containers.last() {
            let b = *b;
            if let Some(text) = self.plains[b].last_mut().filter(|t| !t.as_str().is_empty()) {
                text.boundary();
                self.blocks[b].form.push_str("\n\n");
            }
            self.open.push(b);
            return;
        }
        let in_quote = matches!(self.containers.last(), Some(Container::Quote(_)));
        let kind = if in_quote {
            BlockKind::Callout
        } else {
            BlockKind::Paragraph
        };
        self.open_block(kind);
    }

    /// A new table cell in the open row.
    fn cell(&mut self) {
        if let Some(&b) = self.open.last() {
            self.plains[b].push(Plain::default());
            self.blocks[b].form.push('|');
        }
    }

    /// Opens a block of `kind` at the current place, returning its index.
    fn open_block(&mut self, kind: BlockKind) -> usize {
        let section: Vec<String> = self.headings.iter().map(|(_, h)| h.clone()).collect();
        let mut context = section.clone();
        for c in &self.containers {
            match c {
                Container::Item(i) => {
                    let text = self.plains[*i].first().map_or("", Plain::as_str);
                    context.extend(Some(label(text)).filter(|l| !l.is_empty()));
                }
                Container::Quote(Some(l)) | Container::Footnote(l) => context.push(l.clone()),
                Container::Quote(None) => {}
            }
        }
        self.blocks.push(Block {
            kind: Some(kind),
            section,
            context,
            ..Block::default()
        });
        self.plains.push(Vec::new());
        self.open.push(self.blocks.len() - 1);
        self.blocks.len() - 1
    }

    /// Closes the innermost open block.
    fn close(&mut self) {
        if let Some(b) = self.open.pop() {
            self.finish(b);
        }
    }

    /// Settles a block's text and key once all of its content is read.
    fn finish(&mut self, b: usize) {
        let block = &mut self.blocks[b];
        block.cells = self.plains[b]
            .iter_mut()
            .map(|t| squash(&t.take()))
            .collect();
        if block.cells.is_empty() {
            block.cells.push(String::new());
        }
        block.key = key(&block.text());
    }

    fn form(&mut self, s: &str) {
        if let Some(&b) = self.open.last() {
            self.blocks[b].form.push_str(s);
        }
    }
}

/// A quote's label from its alert kind.
fn quote_label(kind: BlockQuoteKind) -> String {
    match kind {
        BlockQuoteKind::Note => "Note",
        BlockQuoteKind::Tip => "Tip",
        BlockQuoteKind::Important => "Important",
        BlockQuoteKind::Warning => "Warning",
        BlockQuoteKind::Caution => "Caution",
    }
    .to_string()
}

/// An ordered list's marker kind from its source: `1.` or `1)`, whatever the number.
fn marker_kind(source: &str) -> String {
    let rest = source
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit());
    format!("1{}", rest.chars().next().unwrap_or('.'))
}

/// A parent list item's label: its first words, cut at a word boundary.
fn label(text: &str) -> String {
    let text = squash(text);
    if text.chars().count() <= LABEL_CHARS {
        return text;
    }
    let cut: String = text.chars().take(LABEL_CHARS).collect();
    let at = cut.rfind(' ').filter(|&i| i > 0).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// `s` with each run of ASCII white space as one space, trimmed (other spaces, such as a
/// no-break space, as written).
pub(crate) fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The key of a text: every kind of space as one plain space, and none between a digit and a
/// unit or a comparator and a digit (one pass: it is made for every block of both versions).
pub(crate) fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            space = prev.is_some();
            continue;
        }
        if std::mem::take(&mut space) {
            let number_unit = prev.is_some_and(|p| p.is_ascii_digit())
                && (c.is_alphabetic() || matches!(c, '%' | '°' | 'º'));
            let comparator_number = prev.is_some_and(|p| matches!(p, '<' | '>' | '≤' | '≥' | '±'))
                && (c.is_ascii_digit() || c == '.');
            if !number_unit && !comparator_number {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(body: &str) -> Vec<(BlockKind, String, String)> {
        blocks(body)
            .into_iter()
            .map(|b| (b.kind(), b.context.join(" · "), b.text()))
            .collect()
    }

    #[test]
    fn blocks_with_their_context() {
        let body = "Intro *here*.\n\n## Midazolam\n\n| Route | Dose |\n|---|---|\n| IV/IO | 0.15 mg/kg |\n\n- Give\n  - buccal\n    10 mg\n\n> [!WARNING]\n> Check 5 mg.\n\n```\n# not a heading\n```\n";
        assert_eq!(
            shown(body),
            [
                (BlockKind::Paragraph, "".into(), "Intro here.".into()),
                (BlockKind::Heading, "".into(), "Midazolam".into()),
                (
                    BlockKind::TableHeader,
                    "Midazolam".into(),
                    "Route | Dose".into()
                ),
                (
                    BlockKind::TableRow,
                    "Midazolam".into(),
                    "IV/IO | 0.15 mg/kg".into()
                ),
                (BlockKind::ListItem, "Midazolam".into(), "Give".into()),
                (
                    BlockKind::ListItem,
                    "Midazolam · Give".into(),
                    "buccal 10 mg".into()
                ),
                (
                    BlockKind::Callout,
                    "Midazolam · Warning".into(),
                    "Check 5 mg.".into()
                ),
                (
                    BlockKind::Code,
                    "Midazolam".into(),
                    "# not a heading".into()
                ),
            ]
        );
        assert_eq!(blocks(body)[3].columns, ["Route", "Dose"]);
    }

    #[test]
    fn form_and_key() {
        let a = &blocks("Give **25mg**\nnow.\n")[0];
        let b = &blocks("Give 25 mg now.\n")[0];
        assert_eq!(
            (a.text(), b.text()),
            ("Give 25mg now.".into(), "Give 25 mg now.".into())
        );
        assert_eq!(a.key, b.key);
        assert_ne!(a.form, b.form);
        let (x, y) = (&blocks("- a\n")[0], &blocks("* a\n")[0]);
        assert_eq!(x.key, y.key);
        assert_ne!(x.form, y.form);
        assert_eq!(blocks("1. a\n")[0].form, blocks("3. a\n")[0].form);
        assert_ne!(key("5 10 mg"), key("510 mg"));
        assert_eq!(key("< 2.5 mmol/L"), key("<2.5\u{a0}mmol/L"));
    }

    #[test]
    fn breaks_and_raw_html_keep_numbers_apart() {
        let texts: Vec<String> =
            blocks("Weight 1\\\n2 mg/kg and 10<sup>9</sup>/L<br>5 mg\n\n- a 5\n\n  b 6\n")
                .iter()
                .map(Block::text)
                .collect();
        assert_eq!(texts, ["Weight 1 · 2 mg/kg and 10^9/L · 5 mg", "a 5 · b 6"]);
    }

    #[test]
    fn long_parent_items_are_cut_at_a_word() {
        assert_eq!(
            label("Give the first dose of the antibiotic within one hour of arrival"),
            "Give the first dose of the antibiotic…"
        );
    }
}
