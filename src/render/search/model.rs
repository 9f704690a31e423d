//! The search's shared data: what goes in (one guideline and its rendered body), the field
//! flags of a match, and what comes out (postings, result records, the whole index). Analysis,
//! memo and index building each read these, and none of them reads another's types back.

use crate::content::Guideline;
use crate::markdown::Rendered;

/// Field flags of a posting.
pub const TITLE: u8 = 1;
/// In a keyword.
pub const KEYWORD: u8 = 2;
/// In a heading.
pub const HEADING: u8 = 4;
/// A heading number follows the flags (else the match counts at the top of the page).
pub const AT_HEADING: u8 = 8;
/// Body bucket, shifted.
pub const BODY_SHIFT: u8 = 4;

/// One guideline to index and the body rendered from it.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// The guideline.
    pub g: &'a Guideline,
    /// Its rendered body.
    pub r: &'a Rendered,
    /// Slug of its section.
    pub section_slug: &'a str,
}

/// One guideline containing one term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// Document number (index into [`Index::docs`]).
    pub doc: u32,
    /// `TITLE | KEYWORD | HEADING | AT_HEADING | body bucket << BODY_SHIFT`.
    pub flags: u8,
    /// With `AT_HEADING`: the index of the heading where the term counts most.
    pub heading: u32,
}

/// What a search result shows about a guideline.
#[derive(Debug, Clone, PartialEq)]
pub struct DocRecord {
    /// Title.
    pub title: String,
    /// Page path from the site root, URL-encoded.
    pub page: String,
    /// The page's section slug (pages are usually `<slug>/<stem>.html`).
    pub section_slug: String,
    /// Headings: text, and the id when the browser cannot derive it from the text.
    pub headings: Vec<(String, Option<String>)>,
    /// Snippet sentences: (0 or 1 + heading index, text), in page order.
    pub sentences: Vec<(u32, String)>,
    /// Distinct terms of the title (an exact title match covers all of them).
    pub title_terms: u32,
}

/// The whole index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    /// Terms, sorted.
    pub terms: Vec<String>,
    /// Postings per term, by document number.
    pub postings: Vec<Vec<Posting>>,
    /// Per document, in book order.
    pub docs: Vec<DocRecord>,
}
