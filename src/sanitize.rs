//! Raw HTML in guidelines: an allowlist (ammonia's defaults plus what our own Markdown rendering
//! emits) cleans the page body, and [`problems`] names what would be removed so that the author
//! gets a warning at the right line instead of silently losing markup.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Elements allowed beyond ammonia's defaults (ours, or harmless in guidelines).
const EXTRA_TAGS: [&str; 6] = [
    "details",
    "summary",
    "input",
    "figure",
    "figcaption",
    "mark",
];

fn builder() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(EXTRA_TAGS);
        b.add_generic_attributes([
            "id",
            "class",
            "role",
            "aria-label",
            "aria-hidden",
            "tabindex",
            "lang",
        ]);
        b.add_tag_attributes("th", ["scope", "style"]);
        b.add_tag_attributes("td", ["style"]);
        b.add_tag_attributes("input", ["type", "disabled", "checked"]);
        b.add_tag_attributes("abbr", ["title"]);
        b.add_tag_attributes("details", ["open"]);
        b.link_rel(None);
        b
    })
}

/// The body HTML with everything outside the allowlist removed.
pub fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

/// What in a raw HTML fragment the sanitiser will remove: disallowed elements, event handlers,
/// `javascript:` URLs. Empty when the fragment is fine.
pub fn problems(fragment: &str) -> Vec<String> {
    static TAGS: OnceLock<HashSet<String>> = OnceLock::new();
    let tags = TAGS.get_or_init(|| {
        let b = builder();
        let mut t: HashSet<String> = b.clone_tags().into_iter().map(str::to_string).collect();
        t.extend(EXTRA_TAGS.map(String::from));
        t
    });
    let mut out = Vec::new();
    for piece in crate::plain::html_pieces(fragment) {
        let crate::plain::HtmlPiece::Tag { name, raw, .. } = piece else {
            continue;
        };
        if !tags.contains(&name) {
            out.push(format!("<{name}>"));
        }
        for attr in raw.trim_end_matches(['>', '/']).split_whitespace().skip(1) {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") && attr.contains('=') {
                out.push(format!(
                    "event handler `{}`",
                    attr.split('=').next().unwrap_or(&attr)
                ));
            }
        }
    }
    let lower = fragment.to_ascii_lowercase();
    if lower.contains("javascript:") {
        out.push("`javascript:` URL".into());
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_scripts_handlers_and_js_urls() {
        assert_eq!(
            problems("<sup>2</sup> <abbr title=\"x\">y</abbr>"),
            Vec::<String>::new()
        );
        assert_eq!(problems("<script>alert(1)</script>"), vec!["<script>"]);
        assert_eq!(problems("<div><38 kg</div>"), Vec::<String>::new());
        assert_eq!(
            problems("<img src=x onerror=alert(1)>"),
            vec!["event handler `onerror`"]
        );
        assert_eq!(
            problems("<a href=\"javascript:x()\">a</a>"),
            vec!["`javascript:` URL"]
        );
    }

    #[test]
    fn clean_keeps_allowed_and_drops_scripts() {
        let out = clean(
            "<div>a<sup>2</sup><script>x</script><details><summary>s</summary>t</details></div>",
        );
        assert_eq!(
            out,
            "<div>a<sup>2</sup><details><summary>s</summary>t</details></div>"
        );
    }
}
