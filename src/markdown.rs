//! Markdown → HTML for one guideline, and everything else the other outputs need from the same
//! parse: headings (with GitHub-style unique ids), text blocks for the search index, prose ranges for
//! the medication-safety lint, links between guidelines (checked after all pages are rendered),
//! and images to copy.
//!
//! No smart punctuation or other typographic rewriting: a dose reaches the page as written.

use crate::content::{Book, Guideline, Status};
use crate::diag::Diagnostic;
use crate::plain::Plain;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

/// pulldown-cmark options for every output: CommonMark plus GFM tables, footnotes,
/// strikethrough, task lists and alerts. Never `ENABLE_SMART_PUNCTUATION`.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// Ids the page templates use; headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "main-content",
    "contents",
    "search",
    "q",
    "top",
    "page-meta",
    "review",
];

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

/// Where links and images resolve: the book and a map from source path to guideline index.
pub struct LinkContext<'a> {
    /// The book being built.
    pub book: &'a Book,
    /// Source path (book-relative) → index in `book.guidelines`.
    pub by_source: HashMap<PathBuf, usize>,
    /// Every `.md` source path in the book, including drafts left out of this build.
    pub all_sources: BTreeMap<PathBuf, Status>,
}

impl<'a> LinkContext<'a> {
    /// Builds the lookup tables for `book`.
    pub fn new(book: &'a Book) -> Self {
        let by_source = book
            .guidelines
            .iter()
            .enumerate()
            .map(|(i, g)| (g.source.clone(), i))
            .collect();
        let mut all_sources: BTreeMap<PathBuf, Status> = book
            .guidelines
            .iter()
            .map(|g| (g.source.clone(), g.front.status))
            .collect();
        all_sources.extend(book.left_out.iter().map(|p| (p.clone(), Status::Draft)));
        LinkContext {
            book,
            by_source,
            all_sources,
        }
    }

    /// Resolves a link destination written in `from` to a guideline index and anchor.
    /// `Ok(None)` means "not a link to a guideline" (external, or a non-Markdown file).
    pub fn resolve(
        &self,
        from: &Path,
        dest: &str,
    ) -> Result<Option<(usize, Option<String>)>, LinkError> {
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(decode(a))),
            None => (dest, None),
        };
        if path.is_empty() {
            let own = self.by_source.get(from).copied();
            return Ok(own.map(|i| (i, anchor)));
        }
        if is_external(path) || !path.ends_with(".md") {
            return Ok(None);
        }
        let target = join_relative(from, &decode(path))
            .ok_or_else(|| LinkError::LeavesBook(path.to_string()))?;
        if let Some(&i) = self.by_source.get(&target) {
            return Ok(Some((i, anchor)));
        }
        Err(match self.all_sources.get(&target) {
            Some(Status::Draft) => LinkError::Draft(target),
            _ if self.book.config.root.join(&target).is_file() => LinkError::NotLoaded(target),
            _ => LinkError::Missing(target),
        })
    }
}

/// Why a link to a guideline does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// The path climbs out of the book folder.
    LeavesBook(String),
    /// The target is a draft that is not published.
    Draft(PathBuf),
    /// The target file exists but could not be loaded (its own errors are reported).
    NotLoaded(PathBuf),
    /// No such guideline file.
    Missing(PathBuf),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::LeavesBook(path) => write!(f, "link to {path} leaves the book folder"),
            LinkError::Draft(t) => {
                write!(f, "links to {}, a draft that is not published", t.display())
            }
            LinkError::NotLoaded(t) => write!(
                f,
                "links to {}, which has errors of its own (reported with it)",
                t.display()
            ),
            LinkError::Missing(t) => write!(f, "links to {}, which does not exist", t.display()),
        }
    }
}

/// True for `http:`, `mailto:`, `//host` and other URLs with a scheme.
pub fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `from`'s folder joined with relative `dest`, normalised; `None` if it climbs out of the book.
pub fn join_relative(from: &Path, dest: &str) -> Option<PathBuf> {
    let mut parts: Vec<String> = from.parent().map_or_else(Vec::new, |p| {
        p.components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    });
    for c in Path::new(dest).components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(PathBuf::from(parts.join("/")))
}

/// A GitHub-style slug: lowercase, punctuation removed, spaces to hyphens; except that a
/// character removed between two digits leaves a hyphen, so "6–11 mL" or "12.5 mL" never gives
/// an id that reads as another number ("611", "125").
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' || c == '_' {
            out.push(if c == '_' { '_' } else { '-' });
        } else if out.ends_with(|p: char| p.is_ascii_digit())
            && chars.peek().is_some_and(char::is_ascii_digit)
        {
            out.push('-');
        }
    }
    out
}

/// The id [`unique_id`] would give `base` when `taken` says which ids are in use (not recorded).
pub fn free_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut id = base.to_string();
    let mut n = 1;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Makes `base` unique among `seen` the way GitHub does (`x`, `x-1`, `x-2`…).
pub fn unique_id(base: &str, seen: &mut HashSet<String>) -> String {
    let id = free_id(base, |id| seen.contains(id));
    seen.insert(id.clone());
    id
}

/// Renders guideline `g` (index `idx`) to HTML and collects what the other outputs need.
pub fn render(
    g: &Guideline,
    ctx: &LinkContext<'_>,
    highlight: &crate::highlight::Highlighter,
) -> Rendered {
    let mut r = Renderer {
        g,
        ctx,
        highlight,
        out: Rendered::default(),
        seen_ids: RESERVED_IDS.iter().map(|s| s.to_string()).collect(),
        footnotes: Vec::new(),
        raw_html: false,
        lines: Default::default(),
    };
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
        let parser = Parser::new_ext(body, options()).into_offset_iter();
        let mut events: Vec<Event<'a>> = Vec::new();
        let mut heading: Option<(HeadingLevel, Vec<Event<'a>>, Plain)> = None;
        let mut code: Option<(String, String)> = None;
        let mut in_table_head = false;
        let mut head_cell_start = 0;
        let mut tables = 0;
        let mut text = Plain::default();
        let mut block_heading: Option<usize> = None;
        for (event, range) in parser {
            if is_boundary(&event) {
                plain(&mut heading, &mut text).boundary();
            }
            if let Some((lang, buf)) = code.as_mut() {
                match event {
                    Event::Text(t) => buf.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        let html = self.highlight.block(lang, buf);
                        events.push(Event::Html(html.into()));
                        code = None;
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    self.flush_block(&mut text, block_heading);
                    heading = Some((level, Vec::new(), Plain::default()));
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, inner, mut plain)) = heading.take() {
                        let plain = plain.take();
                        let id = unique_id(&slugify(&plain), &mut self.seen_ids);
                        let lvl = level as u8;
                        events.push(Event::Html(format!("<h{lvl} id=\"{id}\">").into()));
                        events.extend(inner);
                        events.push(Event::Html(format!("</h{lvl}>\n").into()));
                        self.out.headings.push(Heading {
                            level: lvl,
                            id,
                            text: plain.trim().to_string(),
                        });
                        block_heading = Some(self.out.headings.len() - 1);
                    }
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let lang = match kind {
                        CodeBlockKind::Fenced(info) => {
                            info.split_whitespace().next().unwrap_or("").to_string()
                        }
                        CodeBlockKind::Indented => String::new(),
                    };
                    code = Some((lang, String::new()));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest = self.link(&dest_url, range.start);
                    push(
                        &mut heading,
                        &mut events,
                        Event::Start(Tag::Link {
                            link_type,
                            dest_url: dest,
                            title,
                            id,
                        }),
                    );
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest = self.image(&dest_url, range.start);
                    push(
                        &mut heading,
                        &mut events,
                        Event::Start(Tag::Image {
                            link_type,
                            dest_url: dest,
                            title,
                            id,
                        }),
                    );
                }
                Event::Start(Tag::Table(aligns)) => {
                    tables += 1;
                    let label = match self.out.headings.last() {
                        Some(h) => format!("Table {tables}: {}", crate::highlight::escape(&h.text)),
                        None => format!("Table {tables}"),
                    };
                    let wrap = format!(
                        "<div class=\"table-wrap\" role=\"region\" aria-label=\"{label}\" tabindex=\"0\">"
                    );
                    events.push(Event::Html(wrap.into()));
                    events.push(Event::Start(Tag::Table(aligns)));
                }
                Event::End(TagEnd::Table) => {
                    events.push(Event::End(TagEnd::Table));
                    events.push(Event::Html("</div>\n".into()));
                }
                Event::Start(Tag::TableHead) => {
                    in_table_head = true;
                    events.push(Event::Start(Tag::TableHead));
                }
                Event::End(TagEnd::TableHead) => {
                    in_table_head = false;
                    events.push(Event::End(TagEnd::TableHead));
                }
                Event::Start(Tag::TableCell) if in_table_head => {
                    head_cell_start = events.len();
                    events.push(Event::Html("<th scope=\"col\">".into()))
                }
                Event::End(TagEnd::TableCell) if in_table_head => {
                    // An empty header cell (a table's corner) is no header: a <td> keeps
                    // screen readers from announcing an empty column name.
                    if events.len() == head_cell_start + 1 {
                        events[head_cell_start] = Event::Html("<td>".into());
                        events.push(Event::Html("</td>".into()));
                    } else {
                        events.push(Event::Html("</th>".into()));
                    }
                }
                Event::FootnoteReference(label) => {
                    let (n, id) = self.footnote(&label);
                    let html = format!(
                        "<sup class=\"footnote-reference\"><a href=\"#{id}\" id=\"ref-{id}\">{n}</a></sup>"
                    );
                    push(&mut heading, &mut events, Event::Html(html.into()));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let (n, id) = self.footnote(&label);
                    events.push(Event::Html(
                        format!("<div class=\"footnote-definition\" id=\"{id}\"><span class=\"footnote-definition-label\">{n}.</span>\n").into(),
                    ));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    events.push(Event::Html("</div>\n".into()))
                }
                Event::TaskListMarker(done) => {
                    let (checked, label) = if done {
                        (" checked", "done")
                    } else {
                        ("", "not done")
                    };
                    events.push(Event::Html(
                        format!(
                            "<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> "
                        )
                        .into(),
                    ));
                }
                Event::Html(ref h) | Event::InlineHtml(ref h) => {
                    self.raw_html = true;
                    self.check_raw_html(h, range.start);
                    plain(&mut heading, &mut text).push_html(h);
                    push(&mut heading, &mut events, event);
                }
                Event::Text(ref t) => {
                    self.add_prose(range.clone());
                    plain(&mut heading, &mut text).push(t);
                    push(&mut heading, &mut events, event);
                }
                Event::Code(ref t) => {
                    plain(&mut heading, &mut text).push(t);
                    push(&mut heading, &mut events, event);
                }
                Event::SoftBreak => {
                    plain(&mut heading, &mut text).space();
                    push(&mut heading, &mut events, event);
                }
                other => push(&mut heading, &mut events, other),
            }
        }
        self.flush_block(&mut text, block_heading);
        events
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

    fn flush_block(&mut self, text: &mut Plain, heading: Option<usize>) {
        let t = collapse_whitespace(&text.take());
        if !t.is_empty() {
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

/// Where plain text goes: the heading being read, else the text block.
fn plain<'p>(
    heading: &'p mut Option<(HeadingLevel, Vec<Event<'_>>, Plain)>,
    text: &'p mut Plain,
) -> &'p mut Plain {
    match heading {
        Some((_, _, plain)) => plain,
        None => text,
    }
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

fn push<'a>(
    heading: &mut Option<(HeadingLevel, Vec<Event<'a>>, Plain)>,
    events: &mut Vec<Event<'a>>,
    e: Event<'a>,
) {
    match heading {
        Some((_, inner, _)) => inner.push(e),
        None => events.push(e),
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

/// The relative link from the file `from` to the file `to` (both book-relative).
pub fn relative_link(from: &Path, to: &Path) -> String {
    let from_dir: Vec<_> = from
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    let to_parts: Vec<_> = to.components().collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from_dir.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Percent-encodes characters that cannot stand in a URL path (spaces, `#`, `?`, `%`…).
pub fn encode_path(p: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    percent_encoding::utf8_percent_encode(p, SET).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs() {
        assert_eq!(
            slugify("Signs & symptoms (age < 5)"),
            "signs--symptoms-age--5"
        );
        assert_eq!(slugify("Step 2: Oxygen"), "step-2-oxygen");
        assert_eq!(
            slugify("Give 6–11 mL or 12.5 mL"),
            "give-6-11-ml-or-12-5-ml"
        );
        let mut seen = HashSet::new();
        assert_eq!(unique_id("a", &mut seen), "a");
        assert_eq!(unique_id("a", &mut seen), "a-1");
        assert_eq!(unique_id("a", &mut seen), "a-2");
    }

    #[test]
    fn joins_relative_paths() {
        let from = Path::new("guidelines/resp/croup.md");
        assert_eq!(
            join_relative(from, "../inf/sepsis.md"),
            Some(PathBuf::from("guidelines/inf/sepsis.md"))
        );
        assert_eq!(
            join_relative(from, "./x.md"),
            Some(PathBuf::from("guidelines/resp/x.md"))
        );
        assert_eq!(join_relative(from, "../../../x.md"), None);
    }

    #[test]
    fn relative_links_between_files() {
        let from = Path::new("guidelines/resp/croup.md");
        assert_eq!(
            relative_link(from, Path::new("guidelines/resp/asthma.md")),
            "asthma.md"
        );
        assert_eq!(
            relative_link(from, Path::new("guidelines/inf/sepsis.md")),
            "../inf/sepsis.md"
        );
    }

    #[test]
    fn external_links() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("a.md#x:y"));
    }
}
