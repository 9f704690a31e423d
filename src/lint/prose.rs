//! The prose of one guideline as a single string for the rules to scan, with a map back to body
//! byte offsets for diagnostics.
//!
//! In: the body and its prose ranges (from `markdown::render`: text of paragraphs, headings, lists,
//! tables, quotes, footnotes; never code or link destinations). Out: [`Prose`].
//!
//! Ranges separated only by a soft line break, emphasis markers or a backslash escape are joined,
//! so `**5.0** mg`, `5\.0 mg` and a dose wrapped over two lines are seen whole. Other ranges (table
//! cells, list items, paragraphs, text around inline code) are separated by [`BREAK`], which is
//! neither a space nor part of a word, so no match runs across it. A few HTML entities that matter
//! for doses (`&nbsp;`, `&micro;`…) are decoded.

use std::ops::Range;

/// Separator between pieces of prose that do not run on into each other.
pub const BREAK: char = '\u{1}';

/// Entities decoded before scanning: a non-breaking space must still separate a number from its
/// unit, and `&micro;g` is still an abbreviated microgram.
const ENTITIES: &[(&str, char)] = &[
    ("&nbsp;", '\u{a0}'),
    ("&#160;", '\u{a0}'),
    ("&#xA0;", '\u{a0}'),
    ("&#xa0;", '\u{a0}'),
    ("&thinsp;", '\u{2009}'),
    ("&#8239;", '\u{202f}'),
    ("&micro;", 'µ'),
    ("&#181;", 'µ'),
    ("&mu;", 'μ'),
    ("&#956;", 'μ'),
];

/// One stretch of `Prose::text` copied from (or decoded from) one stretch of the body.
#[derive(Debug, Clone, Copy)]
struct Piece {
    /// Start in `Prose::text`.
    text: usize,
    /// Length in `Prose::text`.
    text_len: usize,
    /// Start in the body.
    body: usize,
    /// Length in the body.
    body_len: usize,
}

/// The joined prose of one guideline.
#[derive(Debug, Clone, Default)]
pub struct Prose {
    /// The text the rules scan.
    pub text: String,
    /// Where each stretch of `text` came from, in order.
    pieces: Vec<Piece>,
}

impl Prose {
    /// Joins the prose `ranges` of `body`.
    pub fn new(body: &str, ranges: &[Range<usize>]) -> Self {
        let mut p = Prose::default();
        let mut last_end: Option<usize> = None;
        for r in ranges {
            let Some(slice) = body.get(r.clone()) else {
                continue;
            };
            if let Some(end) = last_end {
                match body.get(end..r.start) {
                    Some(gap) if joins(gap) => {
                        if gap.chars().any(char::is_whitespace) {
                            p.text.push(' ');
                        }
                    }
                    _ => p.text.push(BREAK),
                }
            }
            p.push_decoded(slice, r.start);
            last_end = Some(r.end);
        }
        p
    }

    /// The whole of `body` as one piece of prose (for tests).
    #[cfg(test)]
    pub fn whole(body: &str) -> Self {
        Self::new(body, std::slice::from_ref(&(0..body.len())))
    }

    /// Appends `slice` (found at body offset `at`), decoding the entities we know.
    fn push_decoded(&mut self, slice: &str, at: usize) {
        let mut done = 0;
        let mut search = 0;
        while let Some(rel) = slice[search..].find('&') {
            let amp = search + rel;
            match ENTITIES.iter().find(|(e, _)| slice[amp..].starts_with(e)) {
                Some((entity, ch)) => {
                    self.push_piece(&slice[done..amp], at + done, amp - done);
                    self.push_piece(ch.encode_utf8(&mut [0; 4]), at + amp, entity.len());
                    done = amp + entity.len();
                    search = done;
                }
                None => search = amp + 1,
            }
        }
        self.push_piece(&slice[done..], at + done, slice.len() - done);
    }

    fn push_piece(&mut self, s: &str, body: usize, body_len: usize) {
        if s.is_empty() {
            return;
        }
        self.pieces.push(Piece {
            text: self.text.len(),
            text_len: s.len(),
            body,
            body_len,
        });
        self.text.push_str(s);
    }

    /// Body offset of the start of whatever begins at `pos` in `text`.
    pub fn body_start(&self, pos: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.text <= pos);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some(p) if pos < p.text + p.text_len => p.body + (pos - p.text).min(p.body_len),
            Some(p) => self
                .pieces
                .get(i)
                .map_or(p.body + p.body_len, |next| next.body),
            None => self.pieces.first().map_or(0, |p| p.body),
        }
    }

    /// Body offset of the end of whatever ends at `pos` in `text`.
    pub fn body_end(&self, pos: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.text < pos);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some(p) if pos >= p.text + p.text_len => p.body + p.body_len,
            Some(p) => p.body + (pos - p.text).min(p.body_len),
            None => self.pieces.first().map_or(0, |p| p.body),
        }
    }

    /// The character before byte offset `pos`, if any.
    pub fn char_before(&self, pos: usize) -> Option<char> {
        self.text.get(..pos)?.chars().next_back()
    }

    /// The character at byte offset `pos`, if any.
    pub fn char_at(&self, pos: usize) -> Option<char> {
        self.text.get(pos..)?.chars().next()
    }

    /// True when `pos` lies in a web address or e-mail address written as text (their digits
    /// and letters are not doses).
    pub fn in_address(&self, pos: usize) -> bool {
        let is_sep = |c: char| c.is_whitespace() || c == BREAK || c == '<' || c == '>';
        let start = self.text[..pos]
            .char_indices()
            .rev()
            .find(|(_, c)| is_sep(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = self.text[pos..]
            .find(is_sep)
            .map_or(self.text.len(), |i| pos + i);
        let word = &self.text[start..end];
        word.contains("://") || word.starts_with("www.") || word.contains('@')
    }

    /// The sentence around `pos`: bounded by `.`, `!`, `?` or `;` followed by a space, and by
    /// breaks between pieces of prose.
    pub fn sentence(&self, pos: usize) -> Range<usize> {
        let t = &self.text;
        let mut start = 0;
        for (i, c) in t[..pos].char_indices().rev() {
            if c == BREAK {
                start = i + c.len_utf8();
                break;
            }
            if c.is_whitespace() && t[..i].ends_with(['.', '!', '?', ';']) {
                start = i;
                break;
            }
        }
        let mut end = t.len();
        for (i, c) in t[pos..].char_indices() {
            let at = pos + i;
            let next_is_space = t[at + c.len_utf8()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == BREAK);
            if c == BREAK || (matches!(c, '.' | '!' | '?' | ';') && next_is_space) {
                end = at;
                break;
            }
        }
        start..end
    }
}

/// True when the text between two prose ranges is only markup that does not end a run of text:
/// at most one line break (a soft break), emphasis markers, a blockquote marker, a backslash.
fn joins(gap: &str) -> bool {
    gap.matches('\n').count() <= 1
        && gap
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '*' | '_' | '~' | '>' | '\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_emphasis_and_soft_breaks_but_not_cells() {
        let body = "Give **5.0** mg\nnow | 3 | mg";
        let ranges = [7..10, 12..19, 22..23, 26..28];
        let p = Prose::new(body, &ranges);
        assert_eq!(p.text, format!("5.0 mg\nnow{BREAK}3{BREAK}mg"));
        assert_eq!(p.body_start(0), 7);
        assert_eq!(p.body_end(3), 10);
        assert_eq!(p.body_start(4), 13);
        assert_eq!(p.body_start(p.text.find('3').unwrap_or(0)), 22);
    }

    #[test]
    fn decodes_entities_and_maps_back() {
        let body = "Give 5&nbsp;mg and 2 &micro;g";
        let p = Prose::whole(body);
        assert_eq!(p.text, "Give 5\u{a0}mg and 2 µg");
        let mg = p.text.find("mg").unwrap_or(0);
        assert_eq!(p.body_start(mg), body.find("mg").unwrap_or(0));
        let mu = p.text.find('µ').unwrap_or(0);
        assert_eq!(p.body_start(mu), body.find("&micro;").unwrap_or(0));
        assert_eq!(p.body_end(p.text.len()), body.len());
    }

    #[test]
    fn sentences_and_addresses() {
        let p = Prose::whole("Max. 1 g daily. Then OD; see www.x.org/10mg");
        let od = p.text.find("OD").unwrap_or(0);
        assert_eq!(&p.text[p.sentence(od)], " Then OD");
        assert!(p.in_address(p.text.find("10mg").unwrap_or(0)));
        assert!(!p.in_address(od));
        let nbsp = Prose::whole("see\u{a0}5 mg");
        assert!(!nbsp.in_address(nbsp.text.find('5').unwrap_or(0)));
    }
}
