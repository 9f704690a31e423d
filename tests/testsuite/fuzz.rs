//! Property tests: no input of front matter or Markdown makes wardbook panic. Arbitrary text,
//! and text built from the pieces that trip parsers (fences, YAML punctuation, links, HTML,
//! tables, footnotes, multi-byte characters), goes through loading and rendering.

use crate::harness::{ONE_GUIDELINE_CONFIG, one_guideline_book, render_guidelines};
use proptest::prelude::*;
use std::path::Path;

fn render_all(text: String) {
    let (book, diags) = one_guideline_book(text);
    let _ = wardbook::diag::render(&diags, wardbook::diag::Format::Text);
    if let Some(book) = book {
        let r = render_guidelines(&book).remove(0);
        for range in &r.prose {
            assert!(
                book.guidelines[0].body().get(range.clone()).is_some(),
                "prose ranges are valid slices"
            );
        }
        let _ = wardbook::lint::lint_guideline(&book.guidelines[0], &r.prose, &book.config);
        let _ = wardbook::diag::render(&r.diags, wardbook::diag::Format::Text);
    }
}

/// Pieces of a guideline file that trip parsers, and arbitrary text.
pub fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n".to_string()),
        Just("title: \"T\"\n".to_string()),
        Just("section: resp\nnetwork: n\nreview_date: 2027-01-01\n".to_string()),
        Just("review_date: 2027-02-30\n".to_string()),
        Just("status: withdrawn\n".to_string()),
        Just("keywords: [a, {b: c}]\n".to_string()),
        Just(": - ? & * ! | > ' \" % @ `\n".to_string()),
        Just("# Heading\n".to_string()),
        Just("[link](other.md#x) [self](#heading) ![i](../../../x.png)\n".to_string()),
        Just("| a | b |\n| - | - |\n| 1 | 2 |\n".to_string()),
        Just("[^1]\n\n[^1]: note\n".to_string()),
        Just("<script>x</script><details><summary>s".to_string()),
        Just("```rust\nfn x() {}\n".to_string()),
        Just("- [x] t\n  - nested\n".to_string()),
        Just("> [!WARNING]\n> careful 5.0 mg .5 mL 10 U\n".to_string()),
        Just("µ ≥ 92% −1 \u{feff}\r\n".to_string()),
        "[ -~]{0,20}".prop_map(|s| s),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        render_all(text);
    }

    #[test]
    fn structured_pieces_never_panic(pieces in prop::collection::vec(piece(), 0..16)) {
        render_all(pieces.concat());
    }

    #[test]
    fn valid_front_matter_with_any_body_never_panics(body in prop::collection::vec(piece(), 0..12)) {
        let text = format!("---\ntitle: \"T\"\nsection: resp\nnetwork: n\nreview_date: 2027-01-01\n---\n{}", body.concat());
        render_all(text);
    }
}

proptest! {
    #[test]
    fn any_book_toml_never_panics(text in any::<String>(), extra in "[a-z_\\[\\]=\" \n]{0,60}") {
        let _ = wardbook::config::parse(Path::new("/b"), &text);
        let _ = wardbook::config::parse(Path::new("/b"), &format!("{ONE_GUIDELINE_CONFIG}{extra}"));
    }
}
