//! A guideline body cut into sections for comparison: a section is a heading (any level) and
//! the text under it up to the next heading; the text before the first heading is the
//! guideline's opening, named [`OPENING`]. Headings are found by the Markdown parser, so a `#`
//! in a code block is no heading and setext headings (`Title` over `===`) are.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The name of the text before the first heading.
pub const OPENING: &str = "Opening text";

/// The name given when only the front matter changed (no section of the body did).
pub const FRONT_MATTER: &str = "Front matter";

/// One section of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section<'a> {
    /// The heading's text ([`OPENING`] for the text before the first heading).
    pub heading: String,
    /// Which occurrence of this heading text it is (0 for the first), so that two sections
    /// both headed "Dose" are told apart.
    pub nth: usize,
    /// The section's text as written, its heading line included.
    pub text: &'a str,
}

impl Section<'_> {
    /// What pairs a section with its counterpart in the other text.
    pub fn key(&self) -> (&str, usize) {
        (&self.heading, self.nth)
    }
}

/// The sections of `body`, in document order. An empty opening is left out.
pub(crate) fn sections(body: &str) -> Vec<Section<'_>> {
    let mut starts: Vec<(usize, String)> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => open = Some((range.start, String::new())),
            Event::End(TagEnd::Heading(_)) => starts.extend(open.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = &mut open {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, h)) = &mut open {
                    h.push(' ');
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(starts.len() + 1);
    let first = starts.first().map_or(body.len(), |(at, _)| *at);
    if !body[..first].trim().is_empty() {
        out.push(Section {
            heading: OPENING.into(),
            nth: 0,
            text: &body[..first],
        });
    }
    for (i, (at, heading)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(body.len(), |(next, _)| *next);
        let heading = heading.trim().to_string();
        let nth = out.iter().filter(|s| s.heading == heading).count();
        out.push(Section {
            heading,
            nth,
            text: &body[*at..end],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(body: &str) -> Vec<(String, usize, &str)> {
        sections(body)
            .into_iter()
            .map(|s| (s.heading, s.nth, s.text))
            .collect()
    }

    #[test]
    fn headings_of_any_level_start_sections() {
        let body = "Intro.\n\n# Assess\n\nLook.\n\n```\n# not a heading\n```\n\nDose\n====\n\nGive.\n\n### Dose\n\nAgain.\n";
        let got = cut(body);
        let names: Vec<(&str, usize)> = got.iter().map(|(h, n, _)| (h.as_str(), *n)).collect();
        assert_eq!(
            names,
            [(OPENING, 0), ("Assess", 0), ("Dose", 0), ("Dose", 1)]
        );
        assert_eq!(got[0].2, "Intro.\n\n");
        assert!(got[1].2.contains("# not a heading"));
        assert_eq!(got[3].2, "### Dose\n\nAgain.\n");
        let joined: String = got.iter().map(|(_, _, t)| *t).collect();
        assert_eq!(joined, body);
    }

    #[test]
    fn no_opening_when_the_body_starts_with_a_heading() {
        let got = cut("\n# A *b* `c`\nx\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "A b c");
    }
}
