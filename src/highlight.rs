//! Fenced code → HTML with syntect, as CSS classes (`hl-…`) rather than inline colours, so the
//! theme's stylesheet decides colours and contrast. The syntax set loads once, lazily, only when
//! a book has code blocks (as bat does).

use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Highlights code blocks; shared by all render threads.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    /// The highlighter of the process: the syntax set is loaded at most once, however many
    /// builds run (serve rebuilds on every save).
    pub fn shared() -> &'static Highlighter {
        static SHARED: OnceLock<Highlighter> = OnceLock::new();
        SHARED.get_or_init(Highlighter::default)
    }

    /// A `<pre><code>` block for `code` in language `lang` (plain, escaped, when unknown).
    pub fn block(&self, lang: &str, code: &str) -> String {
        let lang_attr = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", escape(lang))
        };
        let body = if lang.is_empty() {
            None
        } else {
            self.highlight(lang, code)
        };
        let body = body.unwrap_or_else(|| escape(code));
        format!("<pre class=\"code\"><code{lang_attr}>{body}</code></pre>\n")
    }

    fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        let ss = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let syntax = ss.find_syntax_by_token(lang)?;
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    }
}

/// The stylesheet for the `hl-` classes (a light theme with dark, high-contrast colours); made
/// once per process (loading syntect's themes costs milliseconds on every serve rebuild).
pub fn css() -> &'static str {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(|| {
        let themes = syntect::highlighting::ThemeSet::load_defaults();
        themes
            .themes
            .get("InspiredGitHub")
            .and_then(|t| syntect::html::css_for_theme_with_class_style(t, STYLE).ok())
            .unwrap_or_default()
    })
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_language_is_plain_and_escaped() {
        let h = Highlighter::default();
        let out = h.block("nosuchlang", "a < b && 0.5 mg");
        assert_eq!(
            out,
            "<pre class=\"code\"><code class=\"language-nosuchlang\">a &lt; b &amp;&amp; 0.5 mg</code></pre>\n"
        );
    }

    #[test]
    fn known_language_gets_classes_and_keeps_text() {
        let h = Highlighter::default();
        let out = h.block("json", "{\"dose\": 0.5}\n");
        assert!(out.contains("hl-"), "{out}");
        assert!(out.contains("0.5"), "{out}");
    }
}
