//! Text as Typst reads it literally. Everything an author wrote reaches the typst sources through
//! here: as a string literal in markup (`#"…";`) or in code (`"…"`), where only `\` and `"` need
//! escaping and no other character means anything, so `#`, `$`, `*`, `_`, `<`, `@`, `=`,
//! backticks, `//`, `--` and a `-` before a digit print as written. Also the little HTML a
//! guideline may hold: formatting tags map to Typst functions, anything else is reduced to text.
//!
//! A number and the word after it (`12.5 mL/hour`, `2–4 mg/kg`, `≥ 92%`) are one [`piece`]: in
//! body text it is set in a Typst `box`, which a line never breaks, so a dose is never split
//! between two lines or inside its unit (the text stays exactly as written, unlike a no-break
//! space or word joiner would leave it in the PDF). Table layout measures the same pieces.

use std::ops::Range;

/// Appends `text` to `out` as Typst reads it literally: a string literal in markup
/// (`#"…";`), so no character of it is markup. Runs of whitespace become one space, as in HTML.
/// One string is one text element, far lighter for typst than markup text with escapes.
pub fn escape_into(text: &str, out: &mut String) {
    if text.is_empty() {
        return;
    }
    out.push_str("#\"");
    let mut space = false;
    for c in text.chars() {
        if breaks(c) {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            _ => out.push(c),
        }
    }
    out.push_str("\";");
}

/// [`escape_into`] with every number and the word after it in a `box` (see [`pieces`]).
pub fn escape_pieces_into(text: &str, out: &mut String) {
    let mut from = 0;
    for piece in pieces(text).filter(|p| p.joined) {
        escape_into(&text[from..piece.range.start], out);
        // Content, not a string argument: typst gives text from a string argument no source
        // position, and diagnostics need it.
        out.push_str("#box[");
        escape_into(&collapse(&text[piece.range.clone()]), out);
        out.push_str("];");
        from = piece.range.end;
    }
    escape_into(&text[from..], out);
}

/// `s` with every run of whitespace one space, as typst shows it ([`escape_into`]).
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in words(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[w]);
    }
    out
}

/// Whitespace a line may break at: any but the no-break spaces an author wrote on purpose.
fn breaks(c: char) -> bool {
    c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}'
}

/// A stretch of text no line should break inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Byte range in the text.
    pub range: Range<usize>,
    /// True when several words were joined (a number and its unit).
    pub joined: bool,
}

/// The words of `text` (split at whitespace), with a number joined to a comparison sign before
/// it (`≥ 92%`) and to the word after it (`12.5 mL/hour`, `2–4 mg/kg`, `3 days`).
pub fn pieces(text: &str) -> impl Iterator<Item = Piece> + '_ {
    let words: Vec<Range<usize>> = words(text).collect();
    let mut i = 0;
    std::iter::from_fn(move || {
        let first = i;
        let word = |k: usize| words.get(k).map(|r| &text[r.clone()]);
        word(first)?;
        let num = if word(i).is_some_and(is_sign) && word(i + 1).is_some_and(is_number) {
            i + 1
        } else {
            i
        };
        let mut last = first;
        if word(num).is_some_and(is_number) {
            last = num;
            if word(num + 1).is_some_and(is_unit) {
                last = num + 1;
            }
        }
        i = last + 1;
        Some(Piece {
            range: words[first].start..words[last].end,
            joined: last > first,
        })
    })
}

/// Byte ranges of the words of `text`, separated by whitespace lines may break at.
fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(at, c)| match (breaks(c), start) {
            (false, None) => {
                start = Some(at);
                None
            }
            (true, Some(s)) => {
                start = None;
                Some(s..at)
            }
            _ => None,
        })
}

/// A comparison or sign written apart from its number (`≥ 92%`, `± 2`).
fn is_sign(word: &str) -> bool {
    matches!(
        word,
        "≥" | "≤" | "<" | ">" | "~" | "±" | "+" | "-" | "−" | "×" | "="
    )
}

/// A number as doses are written: digits with points, commas, ranges or ratios (`12.5`,
/// `10,000`, `2–4`, `1:1000`), maybe after a bracket or sign; no letters.
fn is_number(word: &str) -> bool {
    let rest = word.trim_start_matches(['(', '[', '~', '≥', '≤', '<', '>', '±', '+', '-', '−']);
    rest.starts_with(|c: char| c.is_ascii_digit()) && !rest.chars().any(char::is_alphabetic)
}

/// A word that can follow a number as its unit (`mg`, `mL/hour`, `°C`, `%`, `years`): it starts
/// with a letter or unit sign and is short (a long word or address stays free to break).
fn is_unit(word: &str) -> bool {
    word.chars().count() <= 24
        && word.starts_with(|c: char| c.is_alphabetic() || matches!(c, '%' | '°' | '/'))
}

/// `text` as literal Typst markup (see [`escape_into`]).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(text, &mut out);
    out
}

/// `s` as a Typst string literal (quotes included).
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Typst function for an inline HTML formatting tag.
pub fn html_format(name: &str) -> Option<&'static str> {
    Some(match name {
        "sup" => "super",
        "sub" => "sub",
        "b" | "strong" => "strong",
        "i" | "em" => "emph",
        "u" | "ins" => "underline",
        "s" | "del" | "strike" => "strike",
        _ => return None,
    })
}

/// The text of an HTML fragment: comments and tags removed, common entities decoded, and a
/// line break wherever a block tag or `<br>` stood (so text from two blocks never runs together).
pub fn strip_tags(html: &str) -> String {
    use crate::plain::{HtmlPiece, decode_entities, html_pieces, is_inline};
    let mut out = String::with_capacity(html.len());
    for piece in html_pieces(html) {
        match piece {
            HtmlPiece::Text(t) => out.push_str(&decode_entities(t)),
            HtmlPiece::Tag { name, .. }
                if !is_inline(&name) && !out.is_empty() && !out.ends_with('\n') =>
            {
                out.push('\n')
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_a_string_literal() {
        assert_eq!(
            escape("#x $y$ *b* _i_ // <l> @r = `c`"),
            "#\"#x $y$ *b* _i_ // <l> @r = `c`\";"
        );
        assert_eq!(escape("a \\ \"b\""), "#\"a \\\\ \\\"b\\\"\";");
        assert_eq!(
            escape("-1 mg\n0.5 mg  ≥ 92% µ"),
            "#\"-1 mg 0.5 mg ≥ 92% µ\";"
        );
        assert_eq!(escape(""), "");
    }

    #[test]
    fn numbers_keep_their_units() {
        let joined = |t: &str| -> Vec<String> {
            pieces(t)
                .filter(|p| p.joined)
                .map(|p| t[p.range].to_string())
                .collect()
        };
        assert_eq!(
            joined("Give 12.5 mL/hour, then 2–4 mg/kg (max. 1 g) if SpO2 ≥ 92%"),
            ["12.5 mL/hour,", "2–4 mg/kg", "1 g)", "≥ 92%"]
        );
        // Letters make no number; a no-break space the author wrote already keeps its pair.
        assert!(joined("B12 and v2.0 and 10\u{a0}mg stay words").is_empty());
        assert!(joined("12 https://example.org/a-very-long-address-of-a-page").is_empty());
        let mut out = String::new();
        escape_pieces_into("Rate  12.5 mL/hour now", &mut out);
        assert_eq!(out, "#\"Rate \";#box[#\"12.5 mL/hour\";];#\" now\";");
    }

    #[test]
    fn string_literals() {
        assert_eq!(string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }

    #[test]
    fn strips_html() {
        assert_eq!(strip_tags("<p>a &amp; <b>b</b><!-- c --></p>"), "a & b\n");
        assert_eq!(strip_tags("<div><5 kg</div><div>2</div>"), "<5 kg\n2\n");
    }

    /// The text typst lays out for `source` (one line: the page grows to fit).
    fn typeset(source: &str) -> String {
        use typst::layout::FrameItem;
        let mut wb = super::super::world::WorldBuilder::default();
        for font in typst_assets::fonts() {
            wb.font(typst::foundations::Bytes::new(font));
        }
        let main = format!("#set page(width: auto, height: auto)\n{source}\n");
        wb.source(super::super::world::MAIN, main);
        let today = typst::foundations::Datetime::from_ymd(2026, 11, 21).expect("date");
        let world = wb.build(today).expect("world");
        let doc = typst::compile::<typst_layout::PagedDocument>(&world)
            .output
            .expect("compiles");
        fn collect(frame: &typst::layout::Frame, text: &mut String) {
            for (_, item) in frame.items() {
                match item {
                    FrameItem::Text(t) => text.push_str(&t.text),
                    FrameItem::Group(g) => collect(&g.frame, text),
                    _ => {}
                }
            }
        }
        let mut text = String::new();
        for page in doc.pages() {
            collect(&page.frame, &mut text);
        }
        text
    }

    #[test]
    fn markup_text_would_not_print_literally() {
        // The reason for string literals: as markup, these change or vanish.
        assert_ne!(typeset("a -- b -1 *c*"), "a -- b -1 *c*");
        assert_eq!(typeset(&escape("a -- b -1 *c*")), "a -- b -1 *c*");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Whatever the author writes, typst prints exactly that (whitespace collapsed).
        #[test]
        fn any_text_prints_literally(s in "[a-z0-9 #$*_<>@\\\\=`/.:;'\"+~()\\[\\]{}µμ≥≤−–—°±×%-]{1,40}") {
            let expected = s.split_whitespace().collect::<Vec<_>>().join(" ");
            let got = typeset(&escape(&s));
            proptest::prop_assert_eq!(got.trim(), &expected);
            let mut boxed = String::new();
            escape_pieces_into(&s, &mut boxed);
            let got = typeset(&boxed);
            proptest::prop_assert_eq!(got.trim(), expected);
        }
    }
}
