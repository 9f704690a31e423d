//! Property tests of the search tokeniser (src/render/search/text.rs), a hand-written scanner
//! with a byte-at-a-time path for ASCII and a general one for the rest: on any text it never
//! panics, its words are in order, inside the text, on character boundaries and equal to the
//! text they span; its terms likewise; and the two paths agree on the ASCII part of a text.

use proptest::prelude::*;
use wardbook::render::search::text::{self, Cache};

/// Text that exercises the scanner's rules: letters, digits and the joiners `'`, `&`, `-` and
/// `#`, in ASCII and beyond (accents, ligatures, dotted capitals, combining marks, other
/// digits), and arbitrary Unicode.
fn text_input() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        "[a-zA-Z0-9]{1,8}",
        Just("'".to_string()),
        Just("&".to_string()),
        Just("-".to_string()),
        Just("#".to_string()),
        Just(" ".to_string()),
        Just(".".to_string()),
        Just("é".to_string()),
        Just("ß".to_string()),
        Just("İ".to_string()),
        Just("ﬁ".to_string()),
        Just("e\u{301}".to_string()),
        Just("٣".to_string()),
        Just("½".to_string()),
        Just("’".to_string()),
        Just("\u{2011}".to_string()),
        Just("µg".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop_oneof![
        prop::collection::vec(atom, 0..24).prop_map(|v| v.concat()),
        any::<String>(),
    ]
}

/// Asserts that `ranges` are in order and each is a non-empty slice of `text` on char boundaries.
fn assert_spans(text: &str, ranges: &[(usize, usize)], what: &str) {
    let mut last = 0;
    for &(start, end) in ranges {
        assert!(start < end, "{what}: empty span {start}..{end} in {text:?}");
        assert!(end <= text.len(), "{what}: {start}..{end} outside {text:?}");
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{what}: {start}..{end} splits a character of {text:?}"
        );
        assert!(
            start >= last,
            "{what}: {start}..{end} out of order in {text:?}"
        );
        last = start;
    }
}

/// The words of `text` as (text, start, end, hyphen_next).
fn words(text: &str) -> Vec<(String, usize, usize, bool)> {
    text::tokenize(text)
        .into_iter()
        .map(|t| (t.text.to_string(), t.start, t.end, t.hyphen_next))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn words_are_in_order_inside_the_text_on_char_boundaries(input in text_input()) {
        let tokens = text::tokenize(&input);
        let spans: Vec<(usize, usize)> = tokens.iter().map(|t| (t.start, t.end)).collect();
        assert_spans(&input, &spans, "word");
        for pair in spans.windows(2) {
            prop_assert!(pair[0].1 <= pair[1].0, "words overlap in {input:?}: {pair:?}");
        }
        for t in &tokens {
            prop_assert_eq!(t.text, &input[t.start..t.end]);
            let _ = text::normalize(t.text);
        }
    }

    #[test]
    fn terms_are_in_order_inside_the_text_on_char_boundaries(input in text_input()) {
        let terms = text::terms(&input, &mut Cache::default());
        let spans: Vec<(usize, usize)> = terms.iter().map(|t| (t.start, t.end)).collect();
        assert_spans(&input, &spans, "term");
        for t in &terms {
            prop_assert!(!t.term.is_empty(), "an empty term at {}..{} of {input:?}", t.start, t.end);
        }
        // Phrases (queries, synonyms) go through the same rules.
        let _ = text::phrase_units_cached(&input, &mut Cache::default());
    }

    #[test]
    fn the_ascii_and_general_paths_agree(input in "[ -~]{0,60}") {
        // A non-ASCII word after a space sends the whole text down the general path; the
        // words and terms before it must be those of the ASCII path.
        let mixed = format!("{input} é");
        let ascii_words = words(&input);
        let mut general_words = words(&mixed);
        general_words.retain(|w| w.2 <= input.len());
        prop_assert_eq!(ascii_words, general_words);
        let ascii_terms = text::terms(&input, &mut Cache::default());
        let mut general_terms = text::terms(&mixed, &mut Cache::default());
        general_terms.retain(|t| t.end <= input.len());
        prop_assert_eq!(ascii_terms, general_terms);
    }
}
