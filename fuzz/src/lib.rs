//! What the fuzz targets check, shared by them: the invariants of the Typst markup writer and of
//! the search tokeniser that the test suite's property tests (tests/testsuite/fuzz_markup.rs,
//! tests/testsuite/fuzz_tokeniser.rs) check on generated input, here on libFuzzer's.

use std::path::Path;
use wardbook::content::{Book, LoadOptions, parse_text};
use wardbook::render::print::markup;
use wardbook::render::search::text::{self, Cache};

const CONFIG: &str = "[book]\ntitle = \"F\"\n[[sections]]\nslug = \"resp\"\ntitle = \"Respiratory\"\n[[networks]]\nslug = \"n\"\nname = \"Net\"\n";
const FRONT: &str = "---\ntitle: \"T\"\nsection: resp\nnetwork: n\nreview_date: 2027-01-01\n---\n";

/// Writes `body` (a guideline's Markdown) as Typst markup: Typst's parser must read it without
/// a syntax error.
pub fn markup_parses(body: &str) {
    let Ok(config) = wardbook::config::parse(Path::new("/fuzz"), CONFIG) else {
        panic!("the fuzz book.toml is valid");
    };
    let opts = LoadOptions {
        as_of: jiff_date(),
        drafts: true,
    };
    let file = Path::new("guidelines/x/g.md");
    let (Some(g), _) = parse_text(&config, &opts, file, format!("{FRONT}{body}")) else {
        return;
    };
    let book = Book {
        config,
        as_of: opts.as_of,
        drafts: true,
        guidelines: vec![g],
        left_out: vec![],
    };
    let links = wardbook::content::LinkContext::new(&book);
    let highlighter = wardbook::highlight::Highlighter::default();
    let rendered = vec![wardbook::markdown::render(
        &book.guidelines[0],
        &links,
        &highlighter,
    )];
    let ctx = markup::Context {
        book: &book,
        links: &links,
        rendered: &rendered,
        printed: &[true],
        guesses: &[String::new()],
    };
    let source = markup::guideline(&ctx, 0).text;
    let (errors, _) = typst_syntax::parse(&source).errors_and_warnings();
    assert!(errors.is_empty(), "{errors:?}\n{body:?}\n{source}");
}

/// Tokenises `input`: words and terms in order, inside it, on character boundaries.
pub fn tokeniser_invariants(input: &str) {
    let mut last = 0;
    for t in text::tokenize(input) {
        assert!(
            t.start < t.end && t.end <= input.len() && t.start >= last,
            "{input:?}"
        );
        assert!(input.is_char_boundary(t.start) && input.is_char_boundary(t.end));
        assert_eq!(t.text, &input[t.start..t.end]);
        last = t.end;
    }
    let mut last = 0;
    for t in text::terms(input, &mut Cache::default()) {
        assert!(
            t.start < t.end && t.end <= input.len() && t.start >= last,
            "{input:?}"
        );
        assert!(input.is_char_boundary(t.start) && input.is_char_boundary(t.end));
        last = t.start;
    }
}

/// The as-of date the test suite uses.
fn jiff_date() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 21)
}
