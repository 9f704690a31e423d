//! A guideline body cut at its headings: each heading's id (the rule the pages use, through
//! [`crate::ids`]) and the byte range of its section, from the heading to the next heading of
//! the same or a higher level. Local sections replace network sections by these ranges.

use crate::ids::{RESERVED_IDS, slugify, unique_id};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

/// One heading's section of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading's id on the page.
    pub id: String,
    /// 1 to 6.
    pub level: u8,
    /// Byte range in the body: the heading line to the start of the next heading of the same
    /// or a higher level (or the end).
    pub range: Range<usize>,
    /// Byte range of the heading itself.
    pub heading: Range<usize>,
}

/// Every heading's section of `body`, in order.
pub fn sections(body: &str) -> Vec<Section> {
    let mut seen: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    let mut heads: Vec<(u8, Range<usize>, String)> = Vec::new();
    let mut open: Option<(u8, Range<usize>, String)> = None;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some((level as u8, range, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, range, text)) = open.take() {
                    let id = unique_id(&slugify(&text), &mut seen);
                    heads.push((level, range, id));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = &mut open {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, text)) = &mut open {
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(heads.len());
    for (i, (level, range, id)) in heads.iter().enumerate() {
        let end = heads[i + 1..]
            .iter()
            .find(|(l, _, _)| l <= level)
            .map_or(body.len(), |(_, r, _)| r.start);
        out.push(Section {
            id: id.clone(),
            level: *level,
            range: range.start..end,
            heading: range.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_run_to_the_next_heading_of_their_level() {
        let body =
            "intro\n\n## Who to call\n\ntext\n\n### Out of hours\n\nmore\n\n## Treatment\n\nend\n";
        let s = sections(body);
        let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["who-to-call", "out-of-hours", "treatment"]);
        assert_eq!(
            &body[s[0].range.clone()],
            "## Who to call\n\ntext\n\n### Out of hours\n\nmore\n\n"
        );
        assert_eq!(&body[s[2].range.clone()], "## Treatment\n\nend\n");
    }
}
