//! libFuzzer target: any UTF-8 text through the search tokeniser.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| wardbook_fuzz::tokeniser_invariants(input));
