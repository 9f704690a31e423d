//! The command line (clap derive): `build`, `check`, `serve`, `init`, `changes`. Each command parses its
//! arguments and calls the library; exit codes: 0 done, 1 problems in the book, 2 could not run.

use crate::diag::{self, Format};
use clap::{Parser, Subcommand};
use jiff::civil::Date;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// wardbook: clinical guidelines as a website and a printed book.
#[derive(Debug, Parser)]
#[command(name = "wardbook", version, about, propagate_version = true)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the website (and printed book) of the book in BOOK_DIR.
    Build(BuildArgs),
    /// Run every check of `build` and write nothing (for working groups' CI).
    Check(CheckArgs),
    /// Serve the book locally and rebuild on every save.
    Serve(ServeArgs),
    /// Create a new book with one example guideline.
    Init {
        /// Folder for the new book (created if needed).
        dir: PathBuf,
    },
    /// Print what changed in the book since an earlier edition (new, updated, withdrawn and
    /// moved guidelines, with every changed number), read from its git history.
    Changes(ChangesArgs),
}

/// What every command that reads a book takes: the folder, the as-of date and whether to read
/// the history.
#[derive(Debug, clap::Args)]
pub struct BookArgs {
    /// The book folder (holding book.toml).
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// Judge review dates as of this date (YYYY-MM-DD; default today).
    #[arg(long, value_parser = parse_as_of)]
    pub as_of: Option<Date>,
    /// Do not read the book's git history, even with [history] in book.toml: no version
    /// tables, archive or change list, and no error when the book is not in a full clone.
    #[arg(long)]
    pub no_history: bool,
}

impl BookArgs {
    /// The as-of date: the one given, or today.
    fn as_of(&self) -> Date {
        self.as_of.unwrap_or_else(crate::today)
    }
}

/// Arguments of `build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The book and the as-of date.
    #[command(flatten)]
    pub book: BookArgs,
    /// Output folder (default: [build] output, `public`).
    #[arg(long)]
    pub dest: Option<PathBuf>,
    /// Include draft guidelines, marked DRAFT.
    #[arg(long)]
    pub drafts: bool,
    /// Skip the printed book (PDF).
    #[arg(long)]
    pub no_pdf: bool,
    /// Print only problems.
    #[arg(long, short)]
    pub quiet: bool,
    /// Build the book as it stood at this tag, branch or commit: its files are read from the
    /// repository, not the working tree, and its history ends there. The as-of date defaults
    /// to that commit's date (not today), so the same ref always builds the same bytes.
    #[arg(long, value_name = "REF")]
    pub at: Option<String>,
    /// Build only this hospital's local adaptation (an `[[adaptations]]` slug), as the whole
    /// site at the root of the destination. Default: the network book at the root and every
    /// adaptation in `<slug>/`.
    #[arg(long, value_name = "SLUG", conflicts_with = "network_only")]
    pub adaptation: Option<String>,
    /// Build the network book alone, without its local adaptations.
    #[arg(long)]
    pub network_only: bool,
}

impl BuildArgs {
    /// The books `--adaptation` and `--network-only` ask for.
    fn select(&self) -> crate::adapt::Select {
        match (&self.adaptation, self.network_only) {
            (Some(slug), _) => crate::adapt::Select::One(slug.clone()),
            (None, true) => crate::adapt::Select::NetworkOnly,
            (None, false) => crate::adapt::Select::All,
        }
    }
}

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The book and the as-of date.
    #[command(flatten)]
    pub book: BookArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Check drafts' content as well (as `build --drafts` would publish them).
    #[arg(long)]
    pub drafts: bool,
}

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The book and the as-of date.
    #[command(flatten)]
    pub book: BookArgs,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Address to listen on; anything but loopback exposes drafts to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include draft guidelines, marked DRAFT.
    #[arg(long)]
    pub drafts: bool,
    /// Do not build the printed book (PDF) in the background.
    #[arg(long)]
    pub no_pdf: bool,
    /// Preview only this hospital's local adaptation (an `[[adaptations]]` slug), as the whole
    /// site. Default: what `build` makes, the network book and every adaptation in `<slug>/`.
    #[arg(long, value_name = "SLUG")]
    pub adaptation: Option<String>,
}

/// Arguments of `changes`.
#[derive(Debug, clap::Args)]
pub struct ChangesArgs {
    /// The book folder (holding book.toml), in a git repository.
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// The earlier edition: a tag, branch or commit.
    #[arg(long, value_name = "REF")]
    pub from: String,
    /// The later state: a tag, branch or commit (default: HEAD; the working tree is not read).
    #[arg(long, value_name = "REF")]
    pub to: Option<String>,
    /// Output format: text for a terminal, json for tools, markdown for release notes.
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::history::changes::report::ReportFormat,
}

fn parse_as_of(s: &str) -> Result<Date, String> {
    crate::content::parse_date(s)
        .ok_or_else(|| format!("`{s}` is not a date in the form YYYY-MM-DD"))
}

/// Runs the parsed command; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Build(a) => build(a),
        Command::Check(a) => check(a),
        Command::Serve(a) => serve(a),
        Command::Init { dir } => match crate::init::init(&dir) {
            Ok(()) => {
                println!(
                    "Created a new book in {}. Build it with: wardbook build {}",
                    dir.display(),
                    dir.display()
                );
                0
            }
            Err(e) => fail(&e),
        },
        Command::Changes(a) => changes(a),
    }
}

fn fail(e: &anyhow::Error) -> u8 {
    eprintln!("error: {e:#}");
    2
}

fn print_diags(diags: &[diag::Diagnostic]) {
    let mut err = std::io::stderr().lock();
    let _write_to_stderr_failed = err.write_all(diag::render(diags, Format::Text).as_bytes());
}

fn build(a: BuildArgs) -> u8 {
    let start = std::time::Instant::now();
    let checkout = match &a.at {
        Some(rev) => match crate::history::Checkout::new(&a.book.book_dir, rev) {
            Ok(c) => Some(c),
            Err(e) => return fail(&anyhow::Error::new(e)),
        },
        None => None,
    };
    let as_of = match (&checkout, a.book.as_of) {
        (Some(c), None) => c.commit().date,
        _ => a.book.as_of(),
    };
    let opts = crate::BuildOptions {
        as_of,
        drafts: a.drafts,
        pdf: !a.no_pdf,
        history: !a.book.no_history,
    };
    if !a.no_pdf && !crate::features::PDF {
        eprintln!("{}", crate::features::pdf_skipped_build());
    }
    let select = a.select();
    let spinner = (!a.quiet && std::io::stderr().is_terminal()).then(|| {
        let s = indicatif::ProgressBar::new_spinner().with_message("building…");
        s.enable_steady_tick(std::time::Duration::from_millis(100));
        s
    });
    let dest = match a.dest {
        Some(d) => d,
        None => default_dest(&a.book.book_dir, checkout.as_ref()),
    };
    let staging = match crate::output::Staging::new(&dest) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let result = crate::timings::phase("build", || match &checkout {
        Some(c) => crate::build_at_staged(c, &opts, staging),
        None => crate::build_selected_staged(&a.book.book_dir, &opts, &select, staging),
    });
    if let Some(s) = &spinner {
        s.finish_and_clear();
    }
    let built = match result {
        Ok(b) => b,
        Err(crate::BuildError::CannotRun(e)) => return fail(&e),
        Err(crate::BuildError::Problems(d)) => {
            print_diags(&d);
            let errors = d
                .iter()
                .filter(|d| d.severity == diag::Severity::Error)
                .count();
            eprintln!(
                "Build failed: {errors} error(s), {} warning(s); the previous site was left as it was.",
                d.len() - errors
            );
            return 1;
        }
    };
    crate::timings::phase("print warnings", || print_diags(&built.warnings));
    if let Err(e) = crate::timings::phase("write", || crate::output::commit(&built.output, &dest)) {
        return fail(&e);
    }
    if !a.quiet {
        let pages = built
            .output
            .files
            .keys()
            .filter(|p| p.ends_with(".html"))
            .count();
        println!(
            "Built {} guidelines: {pages} pages, 0 errors, {} warnings in {:.2} s → {}",
            built.guidelines,
            built.warnings.len(),
            start.elapsed().as_secs_f64(),
            dest.display()
        );
    }
    0
}

/// The configured output folder (`[build] output`), in the book folder even for `--at`, whose
/// book.toml is read from the commit.
fn default_dest(
    book_dir: &std::path::Path,
    checkout: Option<&crate::history::Checkout>,
) -> PathBuf {
    let root = checkout.map_or(book_dir, |c| c.root());
    match crate::config::load(root) {
        Ok(c) => match c.output.strip_prefix(root) {
            Ok(rel) => book_dir.join(rel),
            Err(_) => c.output,
        },
        Err(_) => book_dir.join("public"),
    }
}

/// `check`: the build's checks, nothing written. Exit 0 clean (warnings allowed unless
/// `--deny-warnings`), 1 problems, 2 cannot run (no book, bad arguments, stdout unwritable).
fn check(a: CheckArgs) -> u8 {
    let as_of = a.book.as_of();
    let opts = crate::BuildOptions {
        as_of,
        drafts: a.drafts,
        pdf: true,
        history: !a.book.no_history,
    };
    let diags = match crate::check_with(&a.book.book_dir, &opts) {
        Ok(d) => d,
        Err(e) => return fail(&e),
    };
    let errors = diags
        .iter()
        .filter(|d| d.severity == diag::Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    if !crate::features::PDF {
        eprintln!("{}", crate::features::pdf_skipped_check(a.format));
    }
    let mut report = diag::render(&diags, a.format);
    if a.format == Format::Text {
        report.push_str(&format!("{errors} error(s), {warnings} warning(s)\n"));
    }
    let written = std::io::stdout()
        .lock()
        .write_all(report.as_bytes())
        .and_then(|()| std::io::stdout().lock().flush());
    match written {
        // A reader that stops early (`| head`) does not change the verdict.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            fail(&anyhow::anyhow!("cannot write the report: {e}"))
        }
        _ => u8::from(errors > 0 || (a.deny_warnings && warnings > 0)),
    }
}

/// `changes`: the change list between two refs, printed. Exit 0 done, 2 cannot run (not a
/// repository, shallow clone, unknown ref, stdout unwritable).
fn changes(a: ChangesArgs) -> u8 {
    use crate::history::changes::{between_refs, report};
    let list = match between_refs(&a.book_dir, &a.from, a.to.as_deref()) {
        Ok(l) => l,
        Err(e) => return fail(&e),
    };
    let out = report::render(&list, &a.from, a.to.as_deref().unwrap_or("HEAD"), a.format);
    let written = std::io::stdout()
        .lock()
        .write_all(out.as_bytes())
        .and_then(|()| std::io::stdout().lock().flush());
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            fail(&anyhow::anyhow!("cannot write the change list: {e}"))
        }
        _ => 0,
    }
}

/// `serve` in a binary built without it: say how to get it.
#[cfg(not(feature = "serve"))]
fn serve(_a: ServeArgs) -> u8 {
    eprintln!("{}", crate::features::serve_missing());
    2
}

#[cfg(feature = "serve")]
fn serve(a: ServeArgs) -> u8 {
    let Ok(bind) = a.bind.parse::<std::net::IpAddr>() else {
        eprintln!(
            "error: --bind {} is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for every network)",
            a.bind
        );
        return 2;
    };
    if !bind.is_loopback() {
        eprintln!(
            "warning: serving on {bind}: anyone who can reach this computer can read the book, drafts included (use --bind 127.0.0.1 to keep it on this computer)"
        );
    }
    let mut opts = crate::serve::ServeOptions::new(&a.book.book_dir);
    opts.bind = bind;
    opts.port = a.port;
    opts.build.as_of = a.book.as_of();
    opts.build.drafts = a.drafts;
    opts.build.pdf = !a.no_pdf;
    opts.adaptation = a.adaptation;
    opts.build.history = !a.book.no_history;
    let (tx, rx) = std::sync::mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _already_stopping = tx.send(());
    }) {
        return fail(&anyhow::anyhow!("cannot handle Ctrl-C: {e}"));
    }
    let server = match crate::serve::start(opts) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let url = if bind.is_unspecified() {
        format!("http://localhost:{}/", server.addr().port())
    } else {
        server.url()
    };
    println!(
        "Serving {} at {url} (Ctrl-C to stop)",
        a.book.book_dir.display()
    );
    if a.open {
        open_browser(&url);
    }
    let _sender_gone = rx.recv();
    server.stop();
    println!("Stopped.");
    0
}

/// Opens `url` in the default browser; a failure is only reported.
#[cfg(feature = "serve")]
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = cmd.spawn() {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}
