//! libFuzzer target: any UTF-8 Markdown through the Typst markup writer.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| wardbook_fuzz::markup_parses(body));
