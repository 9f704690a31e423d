//! `wardbook serve`: build the book, serve it from memory, rebuild on every save, reload the page.
//!
//! ```text
//! notify ─► watch::next_batch ─► rebuild (crate::build_cached: the build's own pipeline)
//!                                   │ good: swap in the new Output, build number + 1
//!                                   │ bad:  keep the last good Output, keep the diagnostics
//!                                   ▼
//!            reload::Hub ──SSE──► every open page (reload, or show the overlay)
//! tiny_http workers ─► http::handle ─► the last good Output (+ live-reload script in HTML)
//! ```
//!
//! History (`[history]`) follows the repository: a poll of HEAD every [`HEAD_POLL`] rebuilds
//! when it moves, so a commit that changes no file still refreshes the version tables; the
//! history itself is read again only when HEAD or the previous edition moved.
//!
//! [`start`] returns a running [`Server`] (tests use port 0); [`Server::stop`] ends it. The
//! printed book is left out of the reload path: pages link it, and [`pdf`] builds it in the
//! background once saves pause.

pub mod http;
pub mod pdf;
pub mod reload;
pub mod watch;

use crate::config::{self, Config};
use crate::diag::{self, Diagnostic, Format};
use crate::output::Output;
use crate::{BuildError, BuildOptions};
use reload::{BuildStatus, Hub};
use std::collections::BTreeSet;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often serve looks at the repository's HEAD.
pub const HEAD_POLL: Duration = Duration::from_secs(1);

/// What to serve and how.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The book folder.
    pub root: PathBuf,
    /// Address to listen on (loopback unless asked).
    pub bind: IpAddr,
    /// Port (0: any free port; [`Server::addr`] tells which).
    pub port: u16,
    /// As-of date and drafts, as for `build`; with `pdf` the printed book is built in the
    /// background and served when ready (never on the reload path).
    pub build: BuildOptions,
    /// Print build results and diagnostics to the terminal.
    pub verbose: bool,
    /// Quiet time after the last file event before rebuilding.
    pub debounce: Duration,
    /// HTTP worker threads.
    pub workers: usize,
    /// The local adaptation to preview alone (its slug); `None` serves what `build` makes:
    /// the network book and every adaptation in its folder.
    pub adaptation: Option<String>,
}

impl ServeOptions {
    /// Defaults for the book at `root`: loopback, port 3000, today, no drafts, printing results.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions {
            root: root.into(),
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 3000,
            build: BuildOptions {
                as_of: crate::today(),
                drafts: false,
                pdf: true,
                history: true,
            },
            verbose: true,
            debounce: watch::QUIET,
            workers: 8,
            adaptation: None,
        }
    }
}

/// One good build, as served.
pub struct Site {
    /// Every file.
    pub output: Output,
    /// Build number (1 for the first good build; 0 while there has been none).
    pub build: u64,
    /// The book folder, symbolic links resolved: copied files must be inside it.
    pub root: PathBuf,
}

/// Counts of builds, for tests and the terminal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuildCount {
    /// Builds run (good or not), the first one included.
    pub runs: u64,
    /// Builds that failed.
    pub failed: u64,
    /// How long the last build took (loading included).
    pub last: Duration,
}

/// State shared by the HTTP workers and the rebuild thread.
pub struct Shared {
    site: RwLock<Arc<Site>>,
    status: RwLock<BuildStatus>,
    hub: Hub,
    count: Mutex<BuildCount>,
    built: Condvar,
    pdf: RwLock<Option<pdf::Pdf>>,
}

impl Shared {
    /// The site being served (the last good build).
    pub fn site(&self) -> Arc<Site> {
        Arc::clone(&self.site.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The status every page is told.
    pub fn status(&self) -> BuildStatus {
        self.status
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_status(&self, status: BuildStatus) {
        *self.status.write().unwrap_or_else(|e| e.into_inner()) = status;
    }

    fn set_site(&self, site: Site) {
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(site);
    }

    /// The printed book, once built in the background.
    pub fn pdf(&self) -> Option<pdf::Pdf> {
        self.pdf.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set_pdf(&self, pdf: pdf::Pdf) {
        *self.pdf.write().unwrap_or_else(|e| e.into_inner()) = Some(pdf);
    }

    fn count(&self) -> std::sync::MutexGuard<'_, BuildCount> {
        self.count.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running server.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    http: Arc<tiny_http::Server>,
    stopping: Arc<AtomicBool>,
    tx: Sender<watch::Msg>,
    threads: Vec<JoinHandle<()>>,
}

/// Builds the book, starts watching it and serving it; returns once the first build is served.
pub fn start(opts: ServeOptions) -> anyhow::Result<Server> {
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener.local_addr()?;
    let root = std::path::absolute(&opts.root)?;
    let real_root = std::fs::canonicalize(&root)
        .map_err(|e| anyhow::anyhow!("cannot open the book folder {}: {e}", root.display()))?;
    let http = Arc::new(
        tiny_http::Server::from_listener(listener, None)
            .map_err(|e| anyhow::anyhow!("cannot serve on {addr}: {e}"))?,
    );
    let shared = Arc::new(Shared {
        site: RwLock::new(Arc::new(placeholder(real_root.clone()))),
        status: RwLock::new(BuildStatus::default()),
        hub: Hub::default(),
        count: Mutex::new(BuildCount::default()),
        built: Condvar::new(),
        pdf: RwLock::new(None),
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let pdf_jobs = opts.build.pdf.then(|| {
        let (jobs, queue) = std::sync::mpsc::channel();
        let (shared, build, verbose) = (Arc::clone(&shared), opts.build.clone(), opts.verbose);
        // Not joined on stop: a PDF under way may take a while, and nothing waits for it.
        std::thread::spawn(move || pdf::run(&queue, &shared, &build, verbose));
        jobs
    });
    let mut builder = Builder {
        opts: opts.clone(),
        root,
        real_root,
        config: None,
        cache: new_cache(opts.build.pdf),
        pdf_jobs,
        watch: watch::Watch::new(tx.clone())?,
        shared: Arc::clone(&shared),
        warnings: BTreeSet::new(),
    };
    builder.rebuild(&watch::Batch::default());
    let stopping = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    threads.push(std::thread::spawn(move || builder.run(&rx)));
    for _ in 0..opts.workers.max(1) {
        let (http, shared, stopping) = (Arc::clone(&http), Arc::clone(&shared), stopping.clone());
        threads.push(std::thread::spawn(move || {
            worker(&http, &shared, &stopping)
        }));
    }
    let (shared2, stopping2) = (Arc::clone(&shared), stopping.clone());
    threads.push(std::thread::spawn(move || pinger(&shared2, &stopping2)));
    let (root2, tx2, stopping3) = (opts.root.clone(), tx.clone(), stopping.clone());
    threads.push(std::thread::spawn(move || {
        head_poll(&root2, &tx2, &stopping3)
    }));
    Ok(Server {
        addr,
        shared,
        http,
        stopping,
        tx,
        threads,
    })
}

/// Binds the listening socket, with a clear message when the port is taken.
fn bind(ip: IpAddr, port: u16) -> anyhow::Result<TcpListener> {
    TcpListener::bind((ip, port)).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "port {port} on {ip} is already in use (another wardbook serve?); choose another with --port, e.g. --port {}, or --port 0 for any free port",
            port.wrapping_add(1).max(1024)
        ),
        std::io::ErrorKind::AddrNotAvailable => {
            anyhow::anyhow!("{ip} is not an address of this computer (--bind)")
        }
        _ => anyhow::anyhow!("cannot listen on {ip}:{port}: {e}"),
    })
}

/// The site before any good build: a page that shows the overlay.
fn placeholder(root: PathBuf) -> Site {
    let mut output = Output::default();
    let page = "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>wardbook serve</title></head><body><main><h1>The book has not built yet</h1><p>Fix the problems shown and save: this page reloads by itself.</p></main></body></html>\n";
    output.insert("index.html", page);
    output.insert("404.html", page);
    Site {
        output,
        build: 0,
        root,
    }
}

fn worker(http: &tiny_http::Server, shared: &Shared, stopping: &AtomicBool) {
    loop {
        match http.recv() {
            Ok(rq) => http::handle(rq, shared),
            Err(_) if stopping.load(Ordering::SeqCst) => return,
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// Pings open event streams so the ones whose page has gone are dropped.
fn pinger(shared: &Shared, stopping: &AtomicBool) {
    let mut last = Instant::now();
    while !stopping.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
        if last.elapsed() >= Duration::from_secs(10) {
            shared.hub.ping();
            last = Instant::now();
        }
    }
}

/// Tells the rebuild thread when the HEAD of the repository holding the book moves (checked
/// every [`HEAD_POLL`]; a book outside a repository is looked for again each time, in case it
/// becomes one).
fn head_poll(root: &Path, tx: &Sender<watch::Msg>, stopping: &AtomicBool) {
    let head = || {
        crate::history::Repo::open(root)
            .ok()
            .flatten()
            .and_then(|r| r.head().ok())
            .map(|c| c.id)
    };
    let mut last = head();
    let mut since = Instant::now();
    while !stopping.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
        if since.elapsed() < HEAD_POLL {
            continue;
        }
        since = Instant::now();
        let now = head();
        if now != last {
            last = now;
            if tx.send(watch::Msg::Head).is_err() {
                return;
            }
        }
    }
}

impl Server {
    /// The address served (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://addr/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The status pages are told (build number, errors of a failed build).
    pub fn status(&self) -> BuildStatus {
        self.shared.status()
    }

    /// Builds run so far.
    pub fn builds(&self) -> BuildCount {
        *self.shared.count()
    }

    /// Waits until more than `runs` builds have run; false on timeout.
    pub fn wait_for_build(&self, runs: u64, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut count = self.shared.count();
        while count.runs <= runs {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            count = match self.shared.built.wait_timeout(count, left) {
                Ok((c, _)) => c,
                Err(e) => e.into_inner().0,
            };
        }
        true
    }

    /// Open live-reload streams.
    pub fn streams(&self) -> usize {
        self.shared.hub.len()
    }

    /// Stops serving: closes the live-reload streams, ends every thread, frees the port.
    pub fn stop(mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        let _builder_gone = self.tx.send(watch::Msg::Stop);
        for _ in 0..self.threads.len() {
            self.http.unblock();
        }
        self.shared.hub.close_all();
        for t in self.threads.drain(..) {
            let _thread_panicked = t.join();
        }
    }
}

/// The rebuild thread's state.
struct Builder {
    opts: ServeOptions,
    root: PathBuf,
    real_root: PathBuf,
    config: Option<Config>,
    cache: crate::BuildCache,
    /// Where good builds are sent for their PDF (when serve builds one).
    pdf_jobs: Option<Sender<pdf::Job>>,
    watch: watch::Watch,
    shared: Arc<Shared>,
    /// Warnings already printed (each is printed once).
    warnings: BTreeSet<String>,
}

impl Builder {
    fn run(&mut self, rx: &std::sync::mpsc::Receiver<watch::Msg>) {
        loop {
            let paths = self.paths();
            let Some(batch) = watch::next_batch(rx, &paths, self.opts.debounce) else {
                return;
            };
            self.rebuild(&batch);
        }
    }

    fn paths(&self) -> watch::Paths {
        match &self.config {
            Some(c) => watch::Paths::of(c),
            None => watch::Paths {
                root: self.root.clone(),
                source: self.root.join("guidelines"),
                output: self.root.join("public"),
            },
        }
    }

    /// Reloads what `batch` says changed, builds, and publishes the result.
    fn rebuild(&mut self, batch: &watch::Batch) {
        let only_head = batch.head_moved && batch.paths.is_empty() && !batch.rescan;
        if only_head && self.config.as_ref().is_some_and(|c| c.history.is_none()) {
            return; // Nothing shown depends on HEAD.
        }
        let start = Instant::now();
        let paths = self.paths();
        let config = self.reload_config(batch, &paths);
        let new_paths = self.paths();
        let rewatch =
            self.shared.count().runs == 0 || new_paths != paths || batch.folders_changed(&paths);
        if rewatch && let Err(e) = self.watch.set(&new_paths) {
            self.say(&format!("warning: {e:#}; changes may not be seen"));
        }
        if let Err(d) = config {
            return self.failed(d, batch, start);
        }
        let Some(config) = &self.config else { return };
        let built = crate::timings::phase("build", || {
            let select = match &self.opts.adaptation {
                Some(slug) => crate::adapt::Select::One(slug.clone()),
                None => crate::adapt::Select::All,
            };
            crate::build_cached_selected(config, &self.opts.build, &select, &mut self.cache)
        });
        match built {
            Ok(built) => self.good(built, batch, start),
            Err(BuildError::Problems(d)) => self.failed(d, batch, start),
            Err(BuildError::CannotRun(e)) => self.failed(vec![cannot_run(&e)], batch, start),
        }
    }

    /// Loads book.toml when it changed (or never loaded); forgets cached rendering as needed.
    fn reload_config(
        &mut self,
        batch: &watch::Batch,
        paths: &watch::Paths,
    ) -> Result<(), Vec<Diagnostic>> {
        if self.config.is_some() && !batch.config_changed(paths) {
            if batch.files_changed(paths) {
                self.cache.render.forget_markdown();
            }
            for p in &batch.paths {
                self.cache.load.forget(p);
            }
            if batch.rescan {
                self.cache.load = crate::content::LoadCache::default();
            }
            if batch.head_moved {
                // Pages show history: make them again (guidelines stay parsed).
                let load = std::mem::take(&mut self.cache.load);
                self.cache = new_cache(self.opts.build.pdf);
                self.cache.load = load;
            }
            return Ok(());
        }
        self.cache = new_cache(self.opts.build.pdf);
        self.config = None;
        match config::load(&self.root) {
            Ok(c) => {
                self.config = Some(c);
                Ok(())
            }
            Err(config::ConfigError::Invalid(d)) => Err(d),
            Err(config::ConfigError::Io(e)) => Err(vec![cannot_run(&e)]),
        }
    }

    fn good(&mut self, built: crate::Built, batch: &watch::Batch, start: Instant) {
        crate::timings::phase("publish", || self.publish_good(built, batch, start));
    }

    fn publish_good(&mut self, built: crate::Built, batch: &watch::Batch, start: Instant) {
        let build = self.shared.site().build + 1;
        let pages = built.output.files.len();
        self.shared.set_site(Site {
            output: built.output,
            build,
            root: self.real_root.clone(),
        });
        self.publish(BuildStatus {
            build,
            errors: Vec::new(),
            warnings: built.warnings.len(),
        });
        self.finish(false, start);
        if let (Some(jobs), Some(config)) = (&self.pdf_jobs, &self.config) {
            let _pdf_thread_gone = jobs.send(pdf::Job {
                config: config.clone(),
                build,
            });
        }
        let new: Vec<Diagnostic> = built
            .warnings
            .into_iter()
            .filter(|d| self.warnings.insert(diag::render_text(d)))
            .collect();
        self.print_diags(&new);
        let what = changed_files(batch, &self.root);
        self.say(&format!(
            "{} {} in {} ms: {} guidelines, {pages} files{what}",
            clock(),
            if build == 1 { "Built" } else { "Rebuilt" },
            start.elapsed().as_millis(),
            built.guidelines,
        ));
    }

    fn failed(&mut self, diags: Vec<Diagnostic>, batch: &watch::Batch, start: Instant) {
        let build = self.shared.site().build;
        let saved: Vec<String> = batch
            .paths
            .iter()
            .map(|p| diag::display_path(p.strip_prefix(&self.root).unwrap_or(p)))
            .collect();
        let status = BuildStatus::failed(build, &diags, &saved);
        let errors = status.errors.len();
        self.publish(status);
        self.finish(true, start);
        self.print_diags(&diags);
        let kept = if build == 0 {
            "nothing to serve yet"
        } else {
            "still serving the last good build"
        };
        self.say(&format!(
            "{} Build failed in {} ms: {errors} error(s); {kept}.",
            clock(),
            start.elapsed().as_millis()
        ));
    }

    fn publish(&self, status: BuildStatus) {
        self.shared.set_status(status.clone());
        self.shared.hub.publish(&status);
    }

    fn finish(&self, failed: bool, start: Instant) {
        let mut c = self.shared.count();
        c.last = start.elapsed();
        c.runs += 1;
        c.failed += u64::from(failed);
        self.shared.built.notify_all();
    }

    fn say(&self, line: &str) {
        if self.opts.verbose {
            let mut out = std::io::stdout().lock();
            let _terminal_gone = writeln!(out, "{line}");
        }
    }

    fn print_diags(&self, diags: &[Diagnostic]) {
        if self.opts.verbose && !diags.is_empty() {
            let mut err = std::io::stderr().lock();
            let _terminal_gone = err.write_all(diag::render(diags, Format::Text).as_bytes());
        }
    }
}

/// A build cache; the PDF, when wanted, is linked but left to the background thread.
fn new_cache(pdf: bool) -> crate::BuildCache {
    let mut cache = crate::BuildCache::default();
    cache.render.defer_pdf = pdf;
    cache
}

/// A plumbing failure (no book.toml, unreadable folder) as a diagnostic for the overlay.
fn cannot_run(e: &anyhow::Error) -> Diagnostic {
    Diagnostic::error(config::BOOK_TOML, 0, 0, "cannot-build", format!("{e:#}"))
}

/// `: a.md` or `: 3 files` for the terminal line.
fn changed_files(batch: &watch::Batch, root: &Path) -> String {
    match batch.paths.len() {
        0 => String::new(),
        1 => batch.paths.iter().next().map_or(String::new(), |p| {
            format!(
                " ({})",
                diag::display_path(p.strip_prefix(root).unwrap_or(p))
            )
        }),
        n => format!(" ({n} files changed)"),
    }
}

fn clock() -> String {
    jiff::Zoned::now().strftime("%H:%M:%S").to_string()
}
