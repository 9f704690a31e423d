//! Markdown → HTML for one guideline, and everything else the other outputs need from the same
//! parse: headings (with unique ids by the rules of [`crate::ids`]), text blocks for the search
//! index, prose ranges for the medication-safety lint, links between guidelines (resolved by
//! [`crate::content::LinkContext`], their anchors checked after all pages are rendered), and
//! images to copy.
//!
//! No smart punctuation or other typographic rewriting: a dose reaches the page as written.

use crate::content::{Guideline, LinkContext, LinkError};
use crate::diag::Diagnostic;
use crate::ids::{RESERVED_IDS, slugify, unique_id};
use crate::paths::{decode, encode_path, is_external, join_relative, relative_link};
use crate::plain::Plain;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// pulldown-cmark options for every output: CommonMark plus GFM tables, footnotes,
/// strikethrough, task lists and alerts. Never `ENABLE_SMART_PUNCTUATION`.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// A heading of a guideline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Unique id on the page (GitHub-style slug).
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// Plain text under one heading (or before the first), for the search index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextBlock {
    /// Index into `Rendered::headings` of the heading above this text, if any.
    pub heading: Option<usize>,
    /// The text, words separated by single spaces, and by [`crate::plain::SEPARATOR`] where
    /// blocks, items, cells or lines meet.
    pub text: String,
}

/// A link from one guideline to another (or to itself, `#anchor`), to be checked once every
/// page's headings are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// Index of the target in `Book::guidelines`.
    pub target: usize,
    /// The `#anchor`, if any (percent-decoded).
    pub anchor: Option<String>,
    /// File line and column of the link.
    pub line: usize,
    /// Column (1-based, characters).
    pub col: usize,
}

/// A relative file (image or attachment) the page refers to, to be copied into the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    /// Path relative to the book folder (`guidelines/resp/img/chart.png`).
    pub source: PathBuf,
    /// Path in the output (`media/resp/img/chart.png`).
    pub output: String,
}

/// Everything rendering one guideline's body produced.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body as HTML (sanitised where it held raw HTML).
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Text under each heading.
    pub blocks: Vec<TextBlock>,
    /// Links to guidelines, to be checked for anchors later.
    pub links: Vec<LinkRef>,
    /// Relative files to copy.
    pub assets: Vec<Asset>,
    /// Byte ranges of the body (not the file) holding prose: no code, no link destinations.
    pub prose: Vec<Range<usize>>,
    /// Problems found while rendering (links, images, raw HTML).
    pub diags: Vec<Diagnostic>,
}

/// The language a code block names (the first word of a fence's info string), or "" for none.
pub fn code_language(kind: &CodeBlockKind<'_>) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
        CodeBlockKind::Indented => String::new(),
    }
}

/// Renders guideline `g` (index `idx`) to HTML and collects what the other outputs need.
pub fn render(
    g: &Guideline,
    ctx: &LinkContext<'_>,
    highlight: &crate::highlight::Highlighter,
) -> Rendered {
    let mut r = Renderer::new(g, ctx, highlight);
    let events = r.transform();
    let mut html = String::with_capacity(g.body().len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if r.raw_html {
        html = crate::sanitize::clean(&html);
    }
    // Every guideline's HTML stays in memory until the pages are built: keep only its length,
    // not the room its estimate and doubling left (20 MB at 10,000 guidelines).
    if html.capacity() > html.len() + html.len() / 8 {
        html = html.as_str().to_owned();
    }
    r.out.html = html;
    r.out
}

/// One guideline's event walk: the outputs so far, and the state of the walk (which heading,
/// code block or table head is open), one small method per Markdown event.
struct Renderer<'a, 'b> {
    g: &'a Guideline,
    ctx: &'a LinkContext<'b>,
    highlight: &'a crate::highlight::Highlighter,
    out: Rendered,
    seen_ids: HashSet<String>,
    raw_html: bool,
    /// Footnote labels in order of first appearance; the number is the position + 1.
    footnotes: Vec<String>,
    /// Lines counted so far, for the positions of links and problems (asked in text order).
    lines: std::cell::Cell<crate::diag::LineCursor>,
    /// The events of the page so far (headings and tables rewritten).
    events: Vec<Event<'a>>,
    /// The heading being read: its events wait until its text, and so its id, is known.
    heading: Option<OpenHeading<'a>>,
    /// The code block being read: its language and text, highlighted at its end.
    code: Option<(String, String)>,
    /// Inside a table's header row (its cells become `<th scope="col">`).
    in_table_head: bool,
    /// Index in `events` of the header cell being read.
    head_cell_start: usize,
    /// Tables so far, for their accessible labels ("Table 2: Dosing").
    tables: usize,
    /// Plain text of the current text block (under `block_heading`).
    text: Plain,
    /// Index in `out.headings` of the heading above the current text block.
    block_heading: Option<usize>,
    /// The image being read: where it starts, whether it is marked decorative, its alt text.
    image: Option<(usize, bool, String)>,
}

/// A heading being read.
struct OpenHeading<'a> {
    level: HeadingLevel,
    /// Its inline events, written out inside `<hN id="…">` at its end.
    inner: Vec<Event<'a>>,
    /// Its plain text, which gives the id.
    text: Plain,
}

impl<'a, 'b> Renderer<'a, 'b> {
    fn new(
        g: &'a Guideline,
        ctx: &'a LinkContext<'b>,
        highlight: &'a crate::highlight::Highlighter,
    ) -> Self {
        Renderer {
            g,
            ctx,
            highlight,
            out: Rendered::default(),
            seen_ids: RESERVED_IDS.iter().map(|s| s.to_string()).collect(),
            footnotes: Vec::new(),
            raw_html: false,
            lines: Default::default(),
            events: Vec::new(),
            heading: None,
            code: None,
            in_table_head: false,
            head_cell_start: 0,
            tables: 0,
            text: Plain::default(),
            block_heading: None,
            image: None,
        }
    }
}

impl<'a> Renderer<'a, '_> {
    /// File line and column of body byte offset `pos`.
    fn pos(&self, pos: usize) -> (usize, usize) {
        let mut cursor = self.lines.get();
        let (l, c) = cursor.line_col(self.g.body(), pos);
        self.lines.set(cursor);
        (l + self.g.body_line - 1, c)
    }

    fn diag(&self, pos: usize, rule: &str, message: String) -> Diagnostic {
        let (l, c) = self.pos(pos);
        Diagnostic::error(&self.g.source, l, c, rule, message).with_source(&self.g.text, 1)
    }

    fn transform(&mut self) -> Vec<Event<'a>> {
        let body: &'a str = self.g.body();
        for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
            self.event(event, range);
        }
        self.flush_block();
        std::mem::take(&mut self.events)
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        if is_boundary(&event) {
            self.plain().boundary();
        }
        if self.code.is_some() {
            self.code_event(event);
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range.start),
            Event::End(tag) => self.end(tag),
            Event::FootnoteReference(label) => {
                let (n, id) = self.footnote(&label);
                let html = format!(
                    "<sup class=\"footnote-reference\"><a href=\"#{id}\" id=\"ref-{id}\">{n}</a></sup>"
                );
                self.push(Event::Html(html.into()));
            }
            Event::TaskListMarker(done) => self.task_list_marker(done),
            Event::Html(ref h) | Event::InlineHtml(ref h) => {
                self.raw_html = true;
                self.check_raw_html(h, range.start);
                self.plain().push_html(h);
                self.push(event);
            }
            Event::Text(ref t) => {
                self.add_alt(t);
                self.add_prose(range);
                self.plain().push(t);
                self.push(event);
            }
            Event::Code(ref t) => {
                self.add_alt(t);
                self.plain().push(t);
                self.push(event);
            }
            Event::SoftBreak => {
                self.plain().space();
                self.push(event);
            }
            other => self.push(other),
        }
    }

    /// An event inside a code block: its text is kept, the block highlighted at its end.
    fn code_event(&mut self, event: Event<'a>) {
        match event {
            Event::Text(t) => {
                if let Some((_, buf)) = self.code.as_mut() {
                    buf.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, buf)) = self.code.take() {
                    let html = self.highlight.block(&lang, &buf);
                    self.events.push(Event::Html(html.into()));
                }
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'a>, pos: usize) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush_block();
                self.heading = Some(OpenHeading {
                    level,
                    inner: Vec::new(),
                    text: Plain::default(),
                });
            }
            Tag::CodeBlock(kind) => {
                self.code = Some((crate::markdown::code_language(&kind), String::new()));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let dest_url = self.link(&dest_url, pos);
                self.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let decorative = is_decorative(&title);
                // The marker is for wardbook, not a tooltip: a decorative image has no title.
                let title = if decorative { CowStr::from("") } else { title };
                self.image = Some((pos, decorative, String::new()));
                let dest_url = self.image(&dest_url, pos);
                self.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::Table(aligns) => self.start_table(aligns),
            Tag::TableHead => {
                self.in_table_head = true;
                self.events.push(Event::Start(Tag::TableHead));
            }
            Tag::TableCell if self.in_table_head => {
                self.head_cell_start = self.events.len();
                self.events.push(Event::Html("<th scope=\"col\">".into()))
            }
            Tag::FootnoteDefinition(label) => {
                let (n, id) = self.footnote(&label);
                self.events.push(Event::Html(
                    format!("<div class=\"footnote-definition\" id=\"{id}\"><span class=\"footnote-definition-label\">{n}.</span>\n").into(),
                ));
            }
            other => self.push(Event::Start(other)),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::Table => {
                self.events.push(Event::End(TagEnd::Table));
                self.events.push(Event::Html("</div>\n".into()));
            }
            TagEnd::TableHead => {
                self.in_table_head = false;
                self.events.push(Event::End(TagEnd::TableHead));
            }
            TagEnd::TableCell if self.in_table_head => {
                // An empty header cell (a table's corner) is no header: a <td> keeps
                // screen readers from announcing an empty column name.
                if self.events.len() == self.head_cell_start + 1 {
                    self.events[self.head_cell_start] = Event::Html("<td>".into());
                    self.events.push(Event::Html("</td>".into()));
                } else {
                    self.events.push(Event::Html("</th>".into()));
                }
            }
            TagEnd::FootnoteDefinition => self.events.push(Event::Html("</div>\n".into())),
            TagEnd::Image => {
                self.check_alt();
                self.push(Event::End(TagEnd::Image));
            }
            other => self.push(Event::End(other)),
        }
    }

    /// A heading's end: its id from its text, then its events inside `<hN id="…">`.
    fn end_heading(&mut self) {
        let Some(OpenHeading {
            level,
            inner,
            mut text,
        }) = self.heading.take()
        else {
            return;
        };
        let plain = text.take();
        let id = unique_id(&slugify(&plain), &mut self.seen_ids);
        let lvl = level as u8;
        self.events
            .push(Event::Html(format!("<h{lvl} id=\"{id}\">").into()));
        self.events.extend(inner);
        self.events.push(Event::Html(format!("</h{lvl}>\n").into()));
        self.out.headings.push(Heading {
            level: lvl,
            id,
            text: plain.trim().to_string(),
        });
        self.block_heading = Some(self.out.headings.len() - 1);
    }

    /// A table, wrapped in a scrollable region labelled by its number and the heading above it.
    fn start_table(&mut self, aligns: Vec<pulldown_cmark::Alignment>) {
        self.tables += 1;
        let tables = self.tables;
        let label = match self.out.headings.last() {
            Some(h) => format!("Table {tables}: {}", crate::highlight::escape(&h.text)),
            None => format!("Table {tables}"),
        };
        let wrap = format!(
            "<div class=\"table-wrap\" role=\"region\" aria-label=\"{label}\" tabindex=\"0\">"
        );
        self.events.push(Event::Html(wrap.into()));
        self.events.push(Event::Start(Tag::Table(aligns)));
    }

    fn task_list_marker(&mut self, done: bool) {
        let (checked, label) = if done {
            (" checked", "done")
        } else {
            ("", "not done")
        };
        self.events.push(Event::Html(
            format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ").into(),
        ));
    }

    /// Where plain text goes: the heading being read, else the text block.
    fn plain(&mut self) -> &mut Plain {
        match &mut self.heading {
            Some(h) => &mut h.text,
            None => &mut self.text,
        }
    }

    /// Where inline events go: the heading being read, else the page.
    fn push(&mut self, e: Event<'a>) {
        match &mut self.heading {
            Some(h) => h.inner.push(e),
            None => self.events.push(e),
        }
    }

    /// The number and element id of footnote `label` (numbered by first appearance).
    fn footnote(&mut self, label: &str) -> (usize, String) {
        let n = match self.footnotes.iter().position(|l| l == label) {
            Some(i) => i + 1,
            None => {
                self.footnotes.push(label.to_string());
                self.footnotes.len()
            }
        };
        (n, format!("fn-{}", slugify(label)))
    }

    /// Ends the current text block (before a heading, and at the end of the body).
    fn flush_block(&mut self) {
        let t = collapse_whitespace(&self.text.take());
        if !t.is_empty() {
            let heading = self.block_heading;
            self.out.blocks.push(TextBlock { heading, text: t });
        }
    }

    /// Records a prose range, merging it with the previous one when they touch.
    fn add_prose(&mut self, range: Range<usize>) {
        if let Some(last) = self.out.prose.last_mut()
            && last.end == range.start
        {
            last.end = range.end;
            return;
        }
        self.out.prose.push(range);
    }

    /// Rewrites a link destination; guideline links become `.html`, problems become diagnostics.
    fn link(&mut self, dest: &str, pos: usize) -> CowStr<'a> {
        let scheme = dest
            .split_once(':')
            .map(|(s, _)| s.trim().to_ascii_lowercase());
        if matches!(scheme.as_deref(), Some("javascript" | "vbscript" | "data")) {
            let d = self
                .diag(
                    pos,
                    "unsafe-html",
                    format!("link to a `{}:` URL removed", scheme.unwrap_or_default()),
                )
                .with_severity(crate::diag::Severity::Warning)
                .with_help("link to a page or a web address instead");
            self.out.diags.push(d);
            return CowStr::from("#");
        }
        match self.ctx.resolve(&self.g.source, dest) {
            Ok(Some((target, anchor))) => {
                let (line, col) = self.pos(pos);
                self.out.links.push(LinkRef {
                    target,
                    anchor: anchor.clone(),
                    line,
                    col,
                });
                let t = &self.ctx.book.guidelines[target];
                let mut href = if t.source == self.g.source {
                    String::new()
                } else {
                    format!("../{}", encode_path(&t.page))
                };
                if let Some(a) = anchor {
                    href.push('#');
                    href.push_str(&a);
                }
                CowStr::from(href)
            }
            Ok(None) if !is_external(dest) && !dest.starts_with('#') => {
                self.asset(dest, pos, "broken-link")
            }
            Ok(None) => CowStr::from(dest.to_string()),
            Err(_) if self.ctx.former_page(&self.g.source, dest).is_some() => {
                let page = self
                    .ctx
                    .former_page(&self.g.source, dest)
                    .unwrap_or_default();
                let mut href = format!("../{}", encode_path(page));
                if let Some((_, anchor)) = dest.split_once('#') {
                    href.push('#');
                    href.push_str(anchor);
                }
                CowStr::from(href)
            }
            Err(e) => {
                let help = self.link_help(dest, &e);
                let d = self.diag(pos, "broken-link", e.to_string()).with_help(help);
                self.out.diags.push(d);
                CowStr::from(dest.to_string())
            }
        }
    }

    /// Help for a broken guideline link: for a missing file, the closest existing file by name,
    /// as a relative link.
    fn link_help(&self, dest: &str, e: &LinkError) -> String {
        match e {
            LinkError::Draft(_) => {
                return "publish the draft first (remove `status: draft`), or build with --drafts"
                    .into();
            }
            LinkError::NotLoaded(_) => {
                return "fix that file's own errors, reported with it; the link will then work"
                    .into();
            }
            LinkError::LeavesBook(_) | LinkError::Missing(_) => {}
        }
        if !self.ctx.suggest {
            return String::new();
        }
        let path = decode(dest.split('#').next().unwrap_or(""));
        let wanted = Path::new(&path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let names: Vec<(String, &PathBuf)> = self
            .ctx
            .all_sources
            .keys()
            .map(|p| {
                (
                    p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    p,
                )
            })
            .collect();
        match crate::diag::closest(&wanted, names.iter().map(|(n, _)| n.as_str())) {
            Some(best) => {
                let target = names.iter().find(|(n, _)| n == best).map(|(_, p)| *p);
                let rel = target
                    .map(|t| relative_link(&self.g.source, t))
                    .unwrap_or_default();
                format!("did you mean {rel}?")
            }
            None => "link with a path relative to this file, e.g. ../infection/sepsis.md".into(),
        }
    }

    fn image(&mut self, dest: &str, pos: usize) -> CowStr<'a> {
        if is_external(dest) {
            let d = self.diag(pos, "external-image", format!("image {dest} is loaded from another site"))
                .with_help("ward PCs may not reach it: put the image in the book folder and link it relatively");
            self.out.diags.push(d);
            return CowStr::from(dest.to_string());
        }
        self.asset(dest, pos, "missing-image")
    }

    /// A relative file next to the guideline: checked, recorded for copying, link rewritten.
    fn asset(&mut self, dest: &str, pos: usize, rule: &str) -> CowStr<'a> {
        let path = dest.split(['#', '?']).next().unwrap_or("");
        let source = join_relative(&self.g.source, &decode(path));
        let root = &self.ctx.book.config.root;
        match source {
            Some(s) if root.join(&s).is_file() => {
                let src_dir = self
                    .ctx
                    .book
                    .config
                    .source
                    .strip_prefix(root)
                    .unwrap_or(Path::new(""));
                let inner = s.strip_prefix(src_dir).unwrap_or(&s);
                let output = format!("media/{}", inner.to_string_lossy().replace('\\', "/"));
                let href = format!("../{}", encode_path(&output));
                self.out.assets.push(Asset { source: s, output });
                CowStr::from(href)
            }
            _ => {
                let what = if rule == "missing-image" {
                    "image"
                } else {
                    "linked file"
                };
                let d = self
                    .diag(pos, rule, format!("{what} {dest} does not exist"))
                    .with_help("the path is relative to this guideline's file");
                self.out.diags.push(d);
                CowStr::from(dest.to_string())
            }
        }
    }

    fn add_alt(&mut self, text: &str) {
        if let Some((_, _, alt)) = self.image.as_mut() {
            alt.push_str(text);
        }
    }

    /// An image's end: it needs alt text, or to be marked decorative (and then has none).
    fn check_alt(&mut self) {
        let Some((pos, decorative, alt)) = self.image.take() else {
            return;
        };
        let problem = match (decorative, alt.trim().is_empty()) {
            (false, true) => "image has no alt text",
            (true, false) => "image is marked decorative but has alt text",
            _ => return,
        };
        let d = self.diag(pos, "image-alt", problem.to_string()).with_help(
            "describe the image in its brackets: ![Chest X-ray showing hyperinflation](xray.png); \
             an image that only decorates has empty brackets and the title \"decorative\": \
             ![](border.png \"decorative\")",
        );
        self.out.diags.push(d);
    }

    fn check_raw_html(&mut self, html: &str, pos: usize) {
        for problem in crate::sanitize::problems(html) {
            let d = self
                .diag(pos, "unsafe-html", format!("raw HTML {problem} removed"))
                .with_severity(crate::diag::Severity::Warning)
                .with_help("only simple formatting HTML (sup, sub, br, abbr, details…) is kept");
            self.out.diags.push(d);
        }
    }
}

/// Whether an image's title marks it decorative (`![](border.png "decorative")`): screen
/// readers skip it on the site (empty alt) and in the PDF (an artifact).
pub fn is_decorative(title: &str) -> bool {
    title.trim().eq_ignore_ascii_case("decorative")
}

/// True for events where two blocks, items, cells or lines meet: plain text keeps them apart.
fn is_boundary(event: &Event<'_>) -> bool {
    match event {
        Event::HardBreak | Event::Rule => true,
        Event::Start(tag) => !matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Superscript
                | Tag::Subscript
        ),
        Event::End(tag) => !matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        _ => false,
    }
}

/// `text` with runs of whitespace made single spaces and the ends trimmed, in one pass.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
