//! Property tests of the Typst markup writer (src/render/print/markup.rs), which turns a
//! guideline's Markdown into Typst source by hand: on any Markdown it never panics and writes
//! source that Typst's own parser reads without a syntax error; and every number of the text
//! (each run of digits) reaches the source whole, not split, merged or dropped.

use crate::fuzz::piece;
use crate::harness::{one_guideline_book, print_markup};
use proptest::prelude::*;
use std::collections::BTreeMap;

const FRONT: &str = "---\ntitle: \"T\"\nsection: resp\nnetwork: n\nreview_date: 2027-01-01\n---\n";

/// The Typst markup of a guideline whose body is `body`.
fn markup(body: &str) -> String {
    let (book, diags) = one_guideline_book(format!("{FRONT}{body}"));
    let book = book.unwrap_or_else(|| panic!("valid front matter parses: {diags:?}"));
    print_markup(&book, 0)
}

/// Asserts that Typst parses `source` (markup mode, as a guideline's file) without errors.
fn assert_parses(source: &str, body: &str) {
    let (errors, _) = typst_syntax::parse(source).errors_and_warnings();
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert!(
        messages.is_empty(),
        "typst syntax errors {messages:?}\n--- markdown ---\n{body}\n--- typst ---\n{source}"
    );
}

/// How often each maximal run of ASCII digits occurs in `text`.
fn digit_runs(text: &str) -> BTreeMap<&str, usize> {
    let mut runs = BTreeMap::new();
    for run in text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| !r.is_empty())
    {
        *runs.entry(run).or_insert(0) += 1;
    }
    runs
}

/// A number as guidelines write them: doses, ranges, decimals, thousands, signs, comparisons.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,6}",
        "[0-9]{1,3}\\.[0-9]{1,3}",
        "[0-9]{1,2},[0-9]{3}",
        "-[0-9]{1,3}",
        "≥ ?[0-9]{1,3}%?",
        "[0-9]{1,3}–[0-9]{1,3}",
        "[0-9]{1,3} ?(mg|mL|micrograms|mg/kg|mmol/L|%)",
        "1 in [0-9]{1,5}",
    ]
}

/// Words around numbers: plain, and the characters Typst and Markdown treat specially.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,8}",
        Just("#".to_string()),
        Just("$".to_string()),
        Just("@".to_string()),
        Just("<".to_string()),
        Just("=".to_string()),
        Just("\\".to_string()),
        Just("\"".to_string()),
        Just("//".to_string()),
        Just("--".to_string()),
        Just("~".to_string()),
        Just("µ".to_string()),
    ]
}

/// Prose where every digit is text: words and numbers, some emphasised or in code spans.
fn prose() -> impl Strategy<Value = String> {
    let item = prop_oneof![
        3 => word(),
        3 => number(),
        1 => number().prop_map(|n| format!("**{n}**")),
        1 => number().prop_map(|n| format!("*{n} x*")),
        1 => number().prop_map(|n| format!("`{n}`")),
    ];
    prop::collection::vec(item, 1..8).prop_map(|v| format!("Text {}", v.join(" ")))
}

/// A block whose text is prose: paragraph, list item, quote, heading, table, hard break.
fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        prose(),
        prose().prop_map(|p| format!("- {p}")),
        (prose(), prose()).prop_map(|(a, b)| format!("- {a}\n  - {b}")),
        prose().prop_map(|p| format!("> {p}")),
        prose().prop_map(|p| format!("## {p}")),
        (prose(), prose()).prop_map(|(a, b)| format!("| H |\n|---|\n| {a} |\n| {b} |")),
        (prose(), prose()).prop_map(|(a, b)| format!("{a}  \n{b}")),
        (prose(), prose()).prop_map(|(a, b)| format!("{a}\n{b}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_markdown_gives_typst_that_parses(body in prop::collection::vec(piece(), 0..12)) {
        let body = body.concat();
        assert_parses(&markup(&body), &body);
    }

    #[test]
    fn every_number_of_the_text_reaches_the_typst_whole(blocks in prop::collection::vec(block(), 1..6)) {
        let body = blocks.join("\n\n");
        let source = markup(&body);
        assert_parses(&source, &body);
        let written = digit_runs(&source);
        for (run, n) in digit_runs(&body) {
            let got = written.get(run).copied().unwrap_or(0);
            prop_assert!(
                got >= n,
                "{run} is in the text {n} time(s) but in the typst {got}\n--- markdown ---\n{body}\n--- typst ---\n{source}"
            );
        }
    }
}

#[test]
fn the_oracles_catch_what_they_look_for() {
    // The properties above are only as good as their checks: a Typst syntax error is found, and
    // a number split or merged is told apart from the same digits whole.
    let (errors, _) = typst_syntax::parse("#\"unclosed string").errors_and_warnings();
    assert!(!errors.is_empty());
    assert_parses(&markup("Give 0.5 mg, then 10–20 mL/kg."), "");
    let runs = digit_runs("12 and 1 2 and 123");
    assert_eq!(runs.get("12"), Some(&1));
    assert_eq!(runs.get("1"), Some(&1));
    assert_eq!(runs.get("123"), Some(&1));
    let source = markup("Give 1,250 mg ≥ 92%.");
    for run in ["1", "250", "92"] {
        assert!(digit_runs(&source).contains_key(run), "{run} in {source}");
    }
}
