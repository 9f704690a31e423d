//! Plain text derived from a guideline for every surface that is not its page: search text and
//! snippets, heading text in lists. The one rule it keeps: wherever two blocks, list items, table
//! cells or lines meet, the text keeps them apart, so that numbers on either side can never run
//! together ("Weight 1" over a nested "2 mg/kg" must not read "Weight 12 mg/kg").
//!
//! A meeting point becomes [`SEPARATOR`] (a middle dot between spaces) unless the text before it
//! already ends a sentence or clause (`.`, `!`, `?`, `:`, `;`), where one space reads naturally and
//! still keeps the numbers apart. Raw HTML goes through [`Plain::push_html`]: block-level tags and
//! `<br>` are meeting points, `<sup>` is written `^` (so `10<sup>9</sup>` reads `10^9`, never
//! `109`), formatting tags vanish.

/// What stands between two blocks, items, cells or lines in plain text.
pub const SEPARATOR: &str = " · ";

/// Plain text under construction: words as written, meeting points made visible.
#[derive(Debug, Default)]
pub struct Plain {
    text: String,
    /// A meeting point was passed since the last text.
    boundary: bool,
}

impl Plain {
    /// The text so far.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Takes the text, leaving this empty.
    pub fn take(&mut self) -> String {
        self.boundary = false;
        std::mem::take(&mut self.text)
    }

    /// Adds text as written.
    pub fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        let mut s = s;
        if std::mem::take(&mut self.boundary) {
            let before = self.text.trim_end();
            if !before.is_empty() {
                let ends_clause = before.ends_with(['.', '!', '?', ':', ';']);
                self.text.truncate(before.len());
                self.text
                    .push_str(if ends_clause { " " } else { SEPARATOR });
            }
            s = s.trim_start();
        }
        self.text.push_str(s);
    }

    /// A space within one block (a soft line break).
    pub fn space(&mut self) {
        self.text.push(' ');
    }

    /// Marks a meeting point of blocks, items, cells or lines (any number of them make one).
    pub fn boundary(&mut self) {
        self.boundary = true;
    }

    /// Adds raw HTML (a block or one inline tag): its text, with its block tags as meeting points.
    pub fn push_html(&mut self, html: &str) {
        for piece in html_pieces(html) {
            match piece {
                HtmlPiece::Text(t) => self.push_entities(t),
                HtmlPiece::Tag { name, closing, .. } => match name.as_str() {
                    "sup" => {
                        if !closing {
                            self.push("^");
                        }
                    }
                    n if is_inline(n) => {}
                    _ => self.boundary(),
                },
                HtmlPiece::Comment => {}
            }
        }
    }

    /// Adds text from raw HTML, its whitespace collapsed and common entities decoded (an entity
    /// it does not know stays as written: it can never become a digit).
    fn push_entities(&mut self, text: &str) {
        if text.trim().is_empty() {
            if !text.is_empty() && !self.text.is_empty() {
                self.space();
            }
            return;
        }
        let decoded = decode_entities(text);
        self.push(&decoded);
    }
}

/// A piece of raw HTML, as [`html_pieces`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HtmlPiece<'a> {
    /// Text between tags, entities not yet decoded.
    Text(&'a str),
    /// A start or end tag: its lowercase name.
    Tag {
        /// `div`, `br`, `sup`…
        name: String,
        /// `</name>`.
        closing: bool,
        /// The whole tag as written, attributes included.
        raw: &'a str,
    },
    /// A comment, doctype or processing instruction.
    Comment,
}

/// Raw HTML cut into text and tags the way a browser reads it: `<` starts a tag only before a
/// letter, `/` or `!`, so "<5 kg" and "< 3 months" stay text (a dose must never be taken for
/// a tag and dropped).
pub fn html_pieces(html: &str) -> impl Iterator<Item = HtmlPiece<'_>> {
    let mut rest = html;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let tag_at = rest.match_indices('<').map(|(i, _)| i).find(|&i| {
            rest[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?')
        });
        match tag_at {
            Some(0) => {
                let end = if rest.starts_with("<!--") {
                    rest.find("-->").map(|e| e + 3)
                } else {
                    rest.find('>').map(|e| e + 1)
                };
                let Some(end) = end else {
                    // An unclosed tag is text, as a browser shows it.
                    let all = std::mem::take(&mut rest);
                    return Some(HtmlPiece::Text(all));
                };
                let tag = &rest[..end];
                rest = &rest[end..];
                if tag.starts_with("<!") || tag.starts_with("<?") {
                    return Some(HtmlPiece::Comment);
                }
                let closing = tag.starts_with("</");
                let name = tag
                    .trim_start_matches(['<', '/'])
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                Some(HtmlPiece::Tag {
                    name,
                    closing,
                    raw: tag,
                })
            }
            Some(i) => {
                let (text, after) = rest.split_at(i);
                rest = after;
                Some(HtmlPiece::Text(text))
            }
            None => Some(HtmlPiece::Text(std::mem::take(&mut rest))),
        }
    })
}

/// HTML elements that sit inside a line of text; every other tag starts or ends a block.
pub fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "time"
            | "u"
            | "var"
    )
}

pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&e| e <= 10).and_then(|e| {
            let c = match &rest[1..e] {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                n => numeric_entity(n),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn numeric_entity(name: &str) -> Option<char> {
    let n = name.strip_prefix('#')?;
    let code = match n.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => n.parse().ok()?,
    };
    char::from_u32(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(parts: &[Option<&str>]) -> String {
        let mut p = Plain::default();
        for part in parts {
            match part {
                Some(s) => p.push(s),
                None => p.boundary(),
            }
        }
        p.take()
    }

    #[test]
    fn meeting_points_keep_numbers_apart() {
        assert_eq!(
            of(&[Some("Weight 1"), None, Some("2 mg/kg")]),
            "Weight 1 · 2 mg/kg"
        );
        assert_eq!(of(&[Some("62"), None, None, Some("0.7 mL")]), "62 · 0.7 mL");
        assert_eq!(
            of(&[Some("Give oxygen."), None, Some("Then")]),
            "Give oxygen. Then"
        );
        assert_eq!(of(&[None, Some("first")]), "first");
    }

    #[test]
    fn raw_html_breaks_and_superscripts() {
        let mut p = Plain::default();
        p.push("Give 1");
        p.push_html("<br>");
        p.push("5 mL");
        assert_eq!(p.take(), "Give 1 · 5 mL");
        p.push_html("<div>1</div><div>5</div> 10<sup>9</sup>/L <b>bold</b>&amp;&#8805;3 &zz;");
        assert_eq!(p.take(), "1 · 5 · 10^9/L bold&≥3 &zz;");
        p.push_html("<div><5 kg</div><div>< 3 months<!-- x --></div><p>2");
        assert_eq!(p.take(), "<5 kg · < 3 months · 2");
    }
}
