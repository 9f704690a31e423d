//! Benchmark of the search index build (BENCHMARKS.md, "Search"): how long `search::build` takes
//! against the whole build, and how long a serve rebuild of the index takes after one guideline
//! changes. Loads the book and renders its Markdown once, then, back to back RUNS times each:
//!
//! - `search::build` alone, on the normal thread pool and on one thread (its CPU cost: on a
//!   2-core machine the pages leave no core idle for it);
//! - the whole in-memory build (`wardbook::build`, which includes the search phase);
//! - `search::build_reusing` with a memo warmed by a previous build, after one guideline's text
//!   changed (what `serve` does after a save).
//!
//! Prints medians, the search share of the build, the index size and a fingerprint of the search
//! files (to compare output bytes before and after a change).
//!
//! Usage: `cargo run --release --example search_bench -- BOOK_DIR [RUNS]`

use rayon::prelude::*;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use wardbook::content::LinkContext;
use wardbook::content::LoadOptions;
use wardbook::render::search;
use wardbook::render::{File, Site};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(args.get(1).map_or(".", String::as_str));
    let runs: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(9);
    let config = wardbook::config::load(&root)?;
    let as_of = "2026-11-21".parse()?;
    let load = LoadOptions {
        as_of,
        drafts: false,
    };
    let (book, _) = wardbook::content::load(&config, &load)?;
    let theme = wardbook::theme::load(&book.config)?;
    let tera = theme
        .tera()
        .map_err(|d| anyhow::anyhow!("templates: {d:?}"))?;
    let highlighter = wardbook::highlight::Highlighter::default();
    let ctx = LinkContext::new(&book);
    let rendered: Vec<_> = book
        .guidelines
        .par_iter()
        .map(|g| wardbook::markdown::render(g, &ctx, &highlighter))
        .collect();
    let memo = wardbook::render::Memo::default();
    let site = Site {
        book: &book,
        history: None,
        archive: None,
        tera: &tera,
        theme: &theme,
        rendered: &rendered,
        pdf: false,
        memo: &memo,
        adaptation: None,
    };
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let opts = wardbook::BuildOptions {
        as_of,
        drafts: false,
        pdf: false,
        history: true,
    };
    let fail = |d: Vec<wardbook::diag::Diagnostic>| anyhow::anyhow!("search failed: {d:?}");

    // One edited guideline: the first searchable one with a line added to its last text block.
    let edited_rendered = {
        let mut r = rendered.clone();
        let i = search::searchable(&book).next().unwrap_or(0);
        if let Some(b) = r.get_mut(i).and_then(|r| r.blocks.last_mut()) {
            b.text
                .push_str(" Edited for the benchmark: recheck capillary refill.");
        }
        r
    };
    let edited = Site {
        rendered: &edited_rendered,
        ..site_copy(&site)
    };

    let (mut alone, mut single, mut whole, mut fresh_memo, mut warm) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut files = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        files = search::build(&site).map_err(fail)?;
        alone.push(t.elapsed());
        let t = Instant::now();
        one.install(|| search::build(&site)).map_err(fail)?;
        single.push(t.elapsed());
        let t = Instant::now();
        let built = wardbook::build(&root, &opts).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        whole.push(t.elapsed());
        drop(built);
        let memo = search::Memo::default();
        let t = Instant::now();
        let with_memo = search::build_reusing(&site, Some(&memo)).map_err(fail)?;
        fresh_memo.push(t.elapsed());
        anyhow::ensure!(with_memo == files, "a memo changed the search files");
        let t = Instant::now();
        search::build_reusing(&edited, Some(&memo)).map_err(fail)?;
        warm.push(t.elapsed());
    }
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let index: usize = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/"))
        .map(|(_, b)| b.len())
        .sum();
    let (s, w) = (median(&mut alone), median(&mut whole));
    println!(
        "{} guidelines ({} searchable), {runs} runs, medians:",
        book.guidelines.len(),
        search::searchable(&book).count()
    );
    println!("  search::build            {:7.1} ms", ms(s));
    println!(
        "  search::build, 1 thread  {:7.1} ms",
        ms(median(&mut single))
    );
    println!("  whole build (in memory)  {:7.1} ms", ms(w));
    println!("  search share of build    {:7.1} %", 100.0 * ms(s) / ms(w));
    println!(
        "  first build with a memo  {:7.1} ms",
        ms(median(&mut fresh_memo))
    );
    println!(
        "  rebuild after one edit   {:7.1} ms",
        ms(median(&mut warm))
    );
    println!(
        "  index files {index} bytes ({} files), with search.html {bytes} bytes, fingerprint {:016x}",
        files.len() - 1,
        fingerprint(&files)
    );
    Ok(())
}

fn site_copy<'a>(s: &Site<'a>) -> Site<'a> {
    Site {
        book: s.book,
        history: s.history,
        archive: s.archive,
        tera: s.tera,
        theme: s.theme,
        rendered: s.rendered,
        pdf: s.pdf,
        memo: s.memo,
        adaptation: s.adaptation,
    }
}

fn median(xs: &mut [Duration]) -> Duration {
    xs.sort();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A hash of every file's path and bytes (stable across runs of the same binary).
fn fingerprint(files: &[File]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    files.hash(&mut h);
    h.finish()
}
