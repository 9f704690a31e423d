//! An archived version's text rendered as a page body: a [`Guideline`] made from the old text
//! (its own front matter when that still parses against today's book.toml, else the current
//! guideline's metadata with the old body, else a minimal one from what history recorded),
//! through the same Markdown renderer as every page. The old text's own problems (lint, broken
//! links) are not the author's to fix now, so they are dropped; its links are rewritten to
//! resolve from the archived page's deeper folder.

use crate::content::{
    Book, FrontMatter, Guideline, LinkContext, LoadOptions, ReviewStatus, Status,
};
use crate::history::Revision;
use crate::markdown::{self, Asset};

/// The old text's body as HTML for the page at `page`, and the files it links to.
pub struct OldBody {
    /// The guideline made from the old text (its front matter is what the page shows).
    pub g: Guideline,
    /// Body HTML, links relative to `page`.
    pub html: String,
    /// Images and files the body refers to (from the working tree), to be copied.
    pub assets: Vec<Asset>,
}

/// Renders version `v` for the page `page`; `current` is the guideline now in the book, if any.
pub fn render(
    book: &Book,
    ctx: &LinkContext<'_>,
    v: &Revision,
    current: Option<&Guideline>,
    page: &str,
) -> OldBody {
    let mut g = guideline(book, v, current);
    g.page = page.to_string();
    let r = markdown::render(&g, ctx, crate::highlight::Highlighter::shared());
    // The renderer writes links for a page one folder deep (`../section/page.html`).
    let extra = "../".repeat(page.matches('/').count().saturating_sub(1));
    let html = if extra.is_empty() {
        r.html
    } else {
        r.html
            .replace("href=\"../", &format!("href=\"{extra}../"))
            .replace("src=\"../", &format!("src=\"{extra}../"))
    };
    OldBody {
        g,
        html,
        assets: r.assets,
    }
}

/// The guideline of the old text: parsed whole when it can be, else its body under the current
/// guideline's (or a minimal) front matter. Never fails.
pub fn guideline(book: &Book, v: &Revision, current: Option<&Guideline>) -> Guideline {
    let opts = LoadOptions {
        as_of: book.as_of,
        drafts: true,
    };
    let (parsed, _old_problems) =
        crate::content::parse_text(&book.config, &opts, &v.source, v.text.to_string());
    if let Some(g) = parsed {
        return g;
    }
    let (body_start, body_line) = body_of(&v.text);
    let mut g = match current {
        Some(c) => c.clone(),
        None => minimal(book, v),
    };
    g.source = v.source.clone();
    g.text = v.text.clone();
    g.body_start = body_start;
    g.body_line = body_line;
    g.front.version = Some(v.version.clone());
    g.front.change_summary = v.change_summary.clone();
    g.front.approved_by = v.approved_by.clone();
    g.front.approved_date = None;
    if let Some(t) = &v.title {
        g.front.title = t.clone();
    }
    g
}

/// A guideline for an old text that neither parses nor has a current guideline: the title
/// history recorded (else the file name), the first section and network.
fn minimal(book: &Book, v: &Revision) -> Guideline {
    let stem = v
        .source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Guideline {
        source: v.source.clone(),
        stem: stem.clone(),
        text: v.text.clone(),
        body_start: 0,
        body_line: 1,
        front: FrontMatter {
            title: v.title.clone().unwrap_or(stem),
            review_date: book.as_of,
            last_reviewed: None,
            version: Some(v.version.clone()),
            authors: Vec::new(),
            keywords: Vec::new(),
            status: Status::Current,
            order: None,
            change_summary: None,
            approved_by: None,
            approved_date: None,
            replaced_by: None,
        },
        section: 0,
        network: 0,
        page: String::new(),
        review: ReviewStatus::Current,
    }
}

/// Byte offset and 1-based line where the body starts: after a closing `---` line of front
/// matter that opens the file, else at the start.
fn body_of(text: &str) -> (usize, usize) {
    let first = text.split_inclusive('\n').next().unwrap_or("");
    if first.trim_end() != "---" {
        return (0, 1);
    }
    let mut offset = first.len();
    for (n, line) in text[first.len()..].split_inclusive('\n').enumerate() {
        offset += line.len();
        if line.trim_end() == "---" {
            return (offset, n + 3);
        }
    }
    (0, 1)
}

#[cfg(test)]
mod tests {
    use super::body_of;

    #[test]
    fn body_starts_after_the_front_matter() {
        assert_eq!(body_of("---\na: 1\n---\nBody\n"), (13, 4));
        assert_eq!(&"---\na: 1\n---\nBody\n"[13..], "Body\n");
        assert_eq!(body_of("No front matter\n"), (0, 1));
        assert_eq!(body_of("---\nnever closed\n"), (0, 1));
        assert_eq!(body_of(""), (0, 1));
    }
}
