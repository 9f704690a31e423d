//! Text as Typst reads it literally. Everything an author wrote reaches the typst sources through
//! here: as a string literal in markup (`#"…";`) or in code (`"…"`), where only `\` and `"` need
//! escaping and no other character means anything, so `#`, `$`, `*`, `_`, `<`, `@`, `=`,
//! backticks, `//`, `--` and a `-` before a digit print as written. Also the little HTML a
//! guideline may hold: formatting tags map to Typst functions, anything else is reduced to text.

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
        if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
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
            HtmlPiece::Tag { name, .. } if !is_inline(&name) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
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
    fn string_literals() {
        assert_eq!(string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }

    #[test]
    fn strips_html() {
        assert_eq!(strip_tags("<p>a &amp; <b>b</b><!-- c --></p>"), "a & b \n");
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
            proptest::prop_assert_eq!(got.trim(), expected);
        }
    }
}
