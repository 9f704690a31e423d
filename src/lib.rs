//! wardbook: a static-site generator for clinical guideline books.
//!
//! ```text
//! book.toml ─► config::load ─► content::load ─► render::render ─────────► Output ─► output::commit
//!              (Config)        (Book: model,     (markdown, lint, pages,   (files in    (write beside,
//!                               front matter)     search, reports, PDF)     memory)      then swap)
//! ```
//!
//! Every command is a library call: [`build`] produces an [`output::Output`] in memory (or the
//! diagnostics that stopped it), [`check`] runs the same pipeline and returns only diagnostics, and
//! `serve` calls [`build_cached`] (the same pipeline) on every change. Problems in the book are
//! [`diag::Diagnostic`]s; plumbing failures (no book.toml, I/O) are `anyhow` errors.
//!
//! The Cargo features `pdf` (the printed book, Typst) and `serve` are default; [`features`]
//! says what a binary built without them leaves out, and how it says so.

// A Diagnostic is the error value of page rendering: large, but only on the failure path.
#![allow(clippy::result_large_err)]

pub mod adapt;
pub mod cli;
pub mod compare;
pub mod config;
pub mod content;
pub mod dates;
pub mod diag;
pub mod features;
pub mod highlight;
pub mod history;
pub mod ids;
pub mod init;
pub mod lint;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod plain;
pub mod qr;
pub mod render;
pub mod sanitize;
#[cfg(feature = "serve")]
pub mod serve;
pub mod theme;
pub mod timings;

use diag::Diagnostic;

// A build allocates and frees millions of small strings across rayon's threads; glibc's malloc
// spent about an eighth of a build's time in itself. Declared in the library, so the binary,
// the tests and the benchmark examples all run with the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use jiff::civil::Date;
use std::path::Path;

/// What a build is asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildOptions {
    /// Review status is judged as of this date (the only date that reaches the output).
    pub as_of: Date,
    /// Include drafts, marked DRAFT.
    pub drafts: bool,
    /// Produce the printed book (PDF).
    pub pdf: bool,
    /// Read the book's git history when book.toml has `[history]`; `false` with `--no-history`
    /// (no version tables, archive or change list, and no question whether a repository is
    /// there).
    pub history: bool,
}

/// Why a build produced no output.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the book (exit 1). Warnings found alongside are included.
    Problems(Vec<Diagnostic>),
    /// The build could not run: no book, unreadable folder… (exit 2).
    CannotRun(anyhow::Error),
}

/// A successful build: the files, the warnings, and counts for the summary line.
#[derive(Debug)]
pub struct Built {
    /// Every file of the site, in memory.
    pub output: output::Output,
    /// Warnings (never errors: those stop the build).
    pub warnings: Vec<Diagnostic>,
    /// Guidelines published.
    pub guidelines: usize,
}

/// Loads the book at `root` and renders it in memory.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<Built, BuildError> {
    build_with_config(&load_config(root)?, opts)
}

/// [`build`] that writes each file into `staging` as soon as it is made, so the pages of a big
/// book are not all held in memory; [`output::commit`] then swaps the folder in. A failed build
/// drops the staging folder.
pub fn build_staged(
    root: &Path,
    opts: &BuildOptions,
    staging: output::Staging,
) -> Result<Built, BuildError> {
    build_selected_staged(root, opts, &adapt::Select::All, staging)
}

/// [`build_staged`] of the books `select` names: the network book and every adaptation (the
/// default), the network alone, or one adaptation alone as the whole site.
pub fn build_selected_staged(
    root: &Path,
    opts: &BuildOptions,
    select: &adapt::Select,
    staging: output::Staging,
) -> Result<Built, BuildError> {
    let config = load_config(root)?;
    let run = Run { at: None, select };
    build_inner(&config, opts, run, None, output::Output::staged(staging))
}

/// [`build_staged`] of the book as it stood at a commit (`build --at`): its files, and its
/// history up to that commit.
pub fn build_at_staged(
    at: &history::Checkout,
    opts: &BuildOptions,
    staging: output::Staging,
) -> Result<Built, BuildError> {
    let config = load_config(at.root())?;
    let mut repo = at.repo().clone();
    repo.set_book(&config);
    let run = Run {
        at: Some((&repo, at.commit())),
        select: &adapt::Select::All,
    };
    build_inner(&config, opts, run, None, output::Output::staged(staging))
}

fn load_config(root: &Path) -> Result<config::Config, BuildError> {
    config::load(root).map_err(|e| match e {
        config::ConfigError::Io(e) => BuildError::CannotRun(e),
        config::ConfigError::Invalid(d) => BuildError::Problems(d),
    })
}

/// [`build`] for an already loaded configuration (serve reloads book.toml itself).
pub fn build_with_config(
    config: &config::Config,
    opts: &BuildOptions,
) -> Result<Built, BuildError> {
    build_inner(
        config,
        opts,
        Run::default(),
        None,
        output::Output::default(),
    )
}

/// What [`build_cached`] keeps from one build to the next.
#[derive(Debug, Default)]
pub struct BuildCache {
    /// Parsed guideline files.
    pub load: content::LoadCache,
    /// Rendered guidelines and pages.
    pub render: render::Cache,
    /// The history last read, reused while HEAD and the previous edition's commit stay put.
    pub history: history::Cached,
}

/// [`build_with_config`] that reuses, and keeps for next time, each unchanged guideline's parse
/// and rendering (serve: one save re-renders one guideline). The output is the same as without.
pub fn build_cached(
    config: &config::Config,
    opts: &BuildOptions,
    cache: &mut BuildCache,
) -> Result<Built, BuildError> {
    build_cached_selected(config, opts, &adapt::Select::All, cache)
}

/// [`build_cached`] of the books `select` names (`serve --adaptation SLUG` previews one).
pub fn build_cached_selected(
    config: &config::Config,
    opts: &BuildOptions,
    select: &adapt::Select,
    cache: &mut BuildCache,
) -> Result<Built, BuildError> {
    let run = Run { at: None, select };
    build_inner(config, opts, run, Some(cache), output::Output::default())
}

/// Where a build's history ends and which books it makes.
#[derive(Clone, Copy)]
struct Run<'a> {
    /// The commit of `build --at`, with its repository.
    at: Option<(&'a history::Repo, &'a history::Commit)>,
    /// The books to make.
    select: &'a adapt::Select,
}

impl Default for Run<'_> {
    fn default() -> Self {
        Run {
            at: None,
            select: &adapt::Select::All,
        }
    }
}

fn build_inner(
    config: &config::Config,
    opts: &BuildOptions,
    run: Run<'_>,
    cache: Option<&mut BuildCache>,
    out: output::Output,
) -> Result<Built, BuildError> {
    // Without the `pdf` feature there is no printed book: pages must not link a PDF that is
    // never made. The command line says so; library callers see `pdf: false` in effect.
    let opts = &BuildOptions {
        pdf: opts.pdf && features::PDF,
        ..opts.clone()
    };
    let load_opts = content::LoadOptions {
        as_of: opts.as_of,
        drafts: opts.drafts,
    };
    let (load_cache, render_cache, history_cache) = match cache {
        Some(c) => (Some(&mut c.load), Some(&mut c.render), Some(&mut c.history)),
        None => (None, None, None),
    };
    let only = match run.select {
        adapt::Select::One(slug) => Some(known_adaptation(config, slug)?),
        _ => None,
    };
    let (mut book, mut diags) = timings::phase("load", || {
        content::load_cached(config, &load_opts, load_cache)
    })
    .map_err(BuildError::CannotRun)?;
    let found = timings::phase("history", || {
        if !opts.history {
            return Ok(None);
        }
        history::for_book(&book, &mut diags, run.at, history_cache)
    })
    .map_err(|e| match e.diagnostic(config) {
        Some(d) => BuildError::Problems(vec![d]),
        None => BuildError::CannotRun(anyhow::Error::new(e)),
    })?;
    diags.extend(lint::check_config(config));
    let adaptations = load_adaptations(&book, run.select, only, &mut diags)?;
    let raw = (!adaptations.is_empty()).then(|| book.clone());
    adapt::network_values(&mut book, &mut diags);
    let mut out = out;
    let mut guidelines = book.listed().count();
    let mut render_cache = render_cache;
    if only.is_none() {
        let rendered = render::render_cached(&book, found.as_ref(), opts, render_cache.take(), out)
            .map_err(BuildError::CannotRun)?;
        diags.extend(rendered.diags);
        out = rendered.output;
    }
    if let Some(raw) = &raw {
        let books = Books {
            raw,
            opts,
            load: &load_opts,
            network: &diags.clone(),
            history: found.as_ref(),
            alone: only.is_some(),
        };
        let count = build_adaptations(&books, &adaptations, render_cache, &mut out, &mut diags)?;
        if only.is_some() {
            guidelines = count;
        }
    }
    timings::phase("sort diagnostics", || diag::sort(&mut diags));
    if diag::has_errors(&diags) {
        return Err(BuildError::Problems(diags));
    }
    Ok(Built {
        output: out,
        warnings: diags,
        guidelines,
    })
}

/// Every adaptation's book, rendered into `out`; the guidelines the last one publishes.
fn build_adaptations(
    books: &Books<'_>,
    adaptations: &[adapt::Adaptation],
    mut cache: Option<&mut render::Cache>,
    out: &mut output::Output,
    diags: &mut Vec<Diagnostic>,
) -> Result<usize, BuildError> {
    let mut count = 0;
    for a in adaptations {
        let cache = cache.take();
        let (n, files, d) =
            timings::phase("adaptation", || build_adaptation(books, a, cache, out))?;
        diags.extend(d);
        out.absorb(files);
        count = n;
    }
    Ok(count)
}

/// The material of the adaptations `select` names (none for `--network-only`).
fn load_adaptations(
    book: &content::Book,
    select: &adapt::Select,
    only: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<adapt::Adaptation>, BuildError> {
    if *select == adapt::Select::NetworkOnly {
        return Ok(Vec::new());
    }
    let sources: Vec<_> = book.guidelines.iter().map(|g| g.source.clone()).collect();
    let (a, d) = adapt::load(&book.config, &sources, only).map_err(BuildError::CannotRun)?;
    diags.extend(d);
    Ok(a)
}

/// What every adaptation's build reads: the network book before its local values were set,
/// the options, and the network's own problems (not reported again).
struct Books<'a> {
    raw: &'a content::Book,
    opts: &'a BuildOptions,
    load: &'a content::LoadOptions,
    network: &'a [Diagnostic],
    /// What the network book's history found (an adaptation's change list and archive are the
    /// network's; stale approvals are judged against its versions).
    history: Option<&'a history::BookHistory>,
    /// The adaptation is the whole site (`--adaptation SLUG`), not a folder of the network's.
    alone: bool,
}

/// One adaptation's book, rendered into `out`'s folder `<slug>/` (or, `alone`, its root):
/// the guidelines it publishes, its files and its problems.
/// Only an adaptation built alone (`serve --adaptation`) is given the render cache.
fn build_adaptation(
    books: &Books<'_>,
    a: &adapt::Adaptation,
    cache: Option<&mut render::Cache>,
    out: &output::Output,
) -> Result<(usize, output::Output, Vec<Diagnostic>), BuildError> {
    let alone = books.alone;
    let mut diags = Vec::new();
    let (book, mut applied) = adapt::apply(books.raw, a, books.load, &mut diags);
    let history = books.history.map(|h| h.history.as_ref());
    adapt::stale::check(&mut applied, history, &mut diags);
    let beside = render::Beside {
        history: books.history,
        adaptation: Some(&applied),
    };
    let prefix = if alone {
        String::new()
    } else {
        format!("{}/", a.def.slug)
    };
    let rendered = render::render_adapted(&book, beside, books.opts, cache, out.nested(&prefix))
        .map_err(BuildError::CannotRun)?;
    diags.extend(rendered.diags);
    let diags = applied.finish(diags, books.network);
    Ok((book.listed().count(), rendered.output, diags))
}

/// The configured adaptation `slug`, or why not (with the slugs there are).
fn known_adaptation<'a>(config: &config::Config, slug: &'a str) -> Result<&'a str, BuildError> {
    if config.adaptations.iter().any(|a| a.slug == slug) {
        return Ok(slug);
    }
    let slugs = config.adaptations.iter().map(|a| a.slug.as_str());
    let help = diag::did_you_mean(slug, slugs).unwrap_or_else(|| {
        let all: Vec<&str> = config.adaptations.iter().map(|a| a.slug.as_str()).collect();
        if all.is_empty() {
            "book.toml lists no [[adaptations]]".into()
        } else {
            format!("the adaptations: {}", all.join(", "))
        }
    });
    Err(BuildError::CannotRun(anyhow::anyhow!(
        "there is no local adaptation {slug:?} in book.toml ({help})"
    )))
}

/// Runs every check `build` runs, writes nothing, and returns every diagnostic (sorted).
/// `drafts` as in build: without it drafts are validated but their bodies are not rendered.
/// The printed book is typeset too (in memory), so that a character no font has or a table
/// too wide for the page fails `check` in CI just as it would fail `build`.
pub fn check(root: &Path, as_of: Date, drafts: bool) -> Result<Vec<Diagnostic>, anyhow::Error> {
    let opts = BuildOptions {
        as_of,
        drafts,
        pdf: true,
        history: true,
    };
    check_with(root, &opts)
}

/// [`check`] with every build option (`check --no-history`); the printed book is typeset
/// whatever `opts.pdf` says.
pub fn check_with(root: &Path, opts: &BuildOptions) -> Result<Vec<Diagnostic>, anyhow::Error> {
    let opts = BuildOptions {
        pdf: true,
        ..opts.clone()
    };
    match build(root, &opts) {
        Ok(b) => Ok(b.warnings),
        Err(BuildError::Problems(d)) => Ok(d),
        Err(BuildError::CannotRun(e)) => Err(e),
    }
}

/// Today's date in the local time zone (the default as-of date).
pub fn today() -> Date {
    jiff::Zoned::now().date()
}
