//! The integration test suite: one binary (as mdBook's `tests/testsuite`), one module per area,
//! all building their books through the shared [`harness`]. Modules that need a Cargo feature
//! are compiled only with it, so the suite also compiles in the slim build
//! (`--no-default-features`), whose pass in scripts/test.sh runs the `features` module.

mod harness;

mod adapt;
mod build;
mod changes_cases;
mod changes_property;
mod check;
mod copies;
mod features;
mod fuzz;
#[cfg(feature = "pdf")]
mod fuzz_markup;
mod fuzz_tokeniser;
mod git;
mod hazard_log;
mod history_addresses;
mod history_changes;
mod history_pages;
mod history_print;
mod history_read;
mod history_revisions;
mod history_steps;
mod lint;
mod model_cache;
#[cfg(feature = "pdf")]
mod numbers;
#[cfg(feature = "pdf")]
mod print;
mod print_pages;
#[cfg(feature = "pdf")]
mod print_safety;
#[cfg(feature = "pdf")]
mod print_standards;
mod reports;
mod search;
mod search_phrases;
#[cfg(feature = "serve")]
mod serve;
mod snapshots;
mod theme_palette;
