//! Benchmark of the printed book alone (BENCHMARKS.md, "Print"): loads the book and renders its
//! Markdown once, then times `print::build_pdf` (markup, typst layout, checks, PDF export) RUNS
//! times, each in a fresh typst cache as in a `build`. Peak memory: run it under
//! `/usr/bin/time -v` with RUNS = 1.
//!
//! Usage: `cargo run --release --example print_bench -- BOOK_DIR [RUNS]`

use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;
use wardbook::content::LinkContext;
use wardbook::content::LoadOptions;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(args.get(1).map_or(".", String::as_str));
    let runs: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    let config = wardbook::config::load(&root)?;
    let opts = LoadOptions {
        as_of: "2026-11-21".parse()?,
        drafts: false,
    };
    let (book, _) = wardbook::content::load(&config, &opts)?;
    let theme = wardbook::theme::load(&book.config)?;
    let highlighter = wardbook::highlight::Highlighter::default();
    let ctx = LinkContext::new(&book);
    let rendered: Vec<_> = book
        .guidelines
        .par_iter()
        .map(|g| wardbook::markdown::render(g, &ctx, &highlighter))
        .collect();
    for run in 1..=runs {
        let start = Instant::now();
        let pdf = wardbook::render::print::build_pdf(&book, None, &rendered, &theme);
        let took = start.elapsed();
        match pdf {
            Ok(bytes) => println!(
                "run {run}: {:.2} s, {} bytes, {} guidelines",
                took.as_secs_f64(),
                bytes.len(),
                wardbook::render::print::printed(&book).len()
            ),
            Err(d) => anyhow::bail!("the PDF failed: {d:?}"),
        }
    }
    Ok(())
}
