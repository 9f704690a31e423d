//! The shared harness of the test suite: one as-of date, the paths of the sample book and the
//! fixture books, and [`BookTest`], a builder that takes a book from a fixture folder, the sample
//! book or inline files, runs `build`, `check` or `serve` on it (in-process or the built binary),
//! and hands back pages and diagnostics to assert on. Every test reaches the library through
//! here where it can, so a moved library path is fixed in one place.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use wardbook::diag::{Diagnostic, Format};
use wardbook::{BuildError, BuildOptions, Built};

/// The date every test judges review status by (the reference outputs are built as of it too).
pub const AS_OF: &str = "2026-11-21";

/// [`AS_OF`] as a date.
pub fn as_of() -> jiff::civil::Date {
    AS_OF.parse().expect("AS_OF is a date")
}

/// The repository root, which is also the sample book.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The folder of fixture book (or fixture file) `name` under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// Build options as of [`AS_OF`].
pub fn options(drafts: bool, pdf: bool) -> BuildOptions {
    BuildOptions {
        as_of: as_of(),
        drafts,
        pdf,
        history: true,
    }
}

/// Copies the folder `from` into `to` (created), files and subfolders.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Copies the sample book (book.toml, guidelines/ and its local adaptations) into `to`, without its `[history]`
/// table: the sample's history is this repository's, which a shallow clone or a source archive
/// does not have, so tests build the sample as it stands and give the same bytes on any
/// checkout. (History is tested over repositories made in the tests.)
pub fn copy_sample(to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    let toml = std::fs::read_to_string(repo().join("book.toml")).expect("read book.toml");
    std::fs::write(to.join("book.toml"), without_table(&toml, "history")).expect("write");
    copy_dir(&repo().join("guidelines"), &to.join("guidelines"));
    copy_dir(&repo().join("adaptations"), &to.join("adaptations"));
}

/// `toml` without the table `[name]` (its header and lines up to the next table).
pub fn without_table(toml: &str, name: &str) -> String {
    let header = format!("[{name}]");
    let mut out = String::new();
    let mut skipping = false;
    for line in toml.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            skipping = t == header;
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

/// A copy of the sample book made once per test run ([`copy_sample`]): for tests that only read
/// and build it.
pub fn sample_root() -> PathBuf {
    static ROOT: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        copy_sample(tmp.path());
        tmp
    })
    .path()
    .to_path_buf()
}

/// Every file under `dir` with its bytes, sorted by path relative to `dir`.
pub fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

/// Every file and folder under `dir`, relative to it, sorted.
pub fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            e.expect("walk")
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_path_buf()
        })
        .collect();
    out.sort();
    out
}

/// Runs the built `wardbook` binary with `args`.
pub fn wardbook(args: &[&str]) -> Output {
    command().args(args).output().expect("run wardbook")
}

/// The built `wardbook` binary, to add arguments to.
pub fn command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_wardbook"))
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8 output")
}

/// Diagnostics in the text format `check` prints.
pub fn render_text(diags: &[Diagnostic]) -> String {
    wardbook::diag::render(diags, Format::Text)
}

/// The built site, or a panic that shows the problems.
pub fn expect_built(result: Result<Built, BuildError>) -> Built {
    match result {
        Ok(b) => b,
        Err(BuildError::Problems(d)) => panic!("unexpected problems:\n{}", render_text(&d)),
        Err(BuildError::CannotRun(e)) => panic!("cannot run: {e:#}"),
    }
}

/// The problems of a build that must fail with problems.
pub fn expect_problems(result: Result<Built, BuildError>) -> Vec<Diagnostic> {
    match result {
        Ok(_) => panic!("the build should have failed"),
        Err(BuildError::Problems(d)) => d,
        Err(BuildError::CannotRun(e)) => panic!("could not run: {e:#}"),
    }
}

/// Reading the files of a built site.
pub trait Site {
    /// The bytes of `path`, which must have been built.
    fn bytes(&self, path: &str) -> &[u8];
    /// The text of `path`, which must have been built.
    fn page(&self, path: &str) -> String {
        String::from_utf8(self.bytes(path).to_vec()).expect("utf-8")
    }
    /// Every built path that satisfies `keep`, with its bytes, in path order.
    fn files_where(&self, keep: impl Fn(&str) -> bool) -> Vec<(String, Vec<u8>)>;
}

impl Site for Built {
    fn bytes(&self, path: &str) -> &[u8] {
        self.output
            .get(path)
            .unwrap_or_else(|| panic!("{path} is not built"))
    }

    fn files_where(&self, keep: impl Fn(&str) -> bool) -> Vec<(String, Vec<u8>)> {
        self.output
            .files
            .keys()
            .filter(|p| keep(p))
            .map(|p| (p.clone(), self.bytes(p).to_vec()))
            .collect()
    }
}

/// A book under test: a fixture folder, the sample book or inline files, built or checked as of
/// [`AS_OF`]. A fixture is read in place until a test changes a file; then (and for inline and
/// sample books) it lives in a temporary folder `book/` beside an empty `site/` to build into.
pub struct BookTest {
    /// The fixture (or other folder) the book is read from until it is changed.
    source: Option<PathBuf>,
    /// The temporary folder holding `book/` once the book is copied or written.
    tmp: Option<tempfile::TempDir>,
    /// Builds and checks include drafts.
    drafts: bool,
    /// Builds make the printed book (PDF).
    pdf: bool,
}

impl BookTest {
    /// The fixture book tests/fixtures/`name`.
    pub fn from_fixture(name: &str) -> Self {
        BookTest::at(fixture(name))
    }

    /// The book at `root`, read in place until a file is changed.
    pub fn at(root: PathBuf) -> Self {
        BookTest {
            source: Some(root),
            tmp: None,
            drafts: false,
            pdf: false,
        }
    }

    /// A scratch copy of the sample book (book.toml and guidelines/).
    pub fn sample() -> Self {
        let mut t = BookTest::empty();
        copy_sample(&t.scratch());
        t
    }

    /// An empty book folder, to fill with [`BookTest::file`].
    pub fn empty() -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(tmp.path().join("book")).expect("mkdir");
        BookTest {
            source: None,
            tmp: Some(tmp),
            drafts: false,
            pdf: false,
        }
    }

    /// Writes `contents` to `path` (relative to the book), creating folders.
    pub fn file(mut self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        self.write(path, contents);
        self
    }

    /// [`BookTest::file`] on a book already in use (a test that edits as it goes).
    pub fn write(&mut self, path: &str, contents: impl AsRef<[u8]>) {
        let to = self.scratch().join(path);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::write(to, contents).expect("write");
    }

    /// Includes drafts in builds.
    pub fn drafts(mut self, drafts: bool) -> Self {
        self.drafts = drafts;
        self
    }

    /// Asks builds for the printed book (PDF).
    pub fn pdf(mut self, pdf: bool) -> Self {
        self.pdf = pdf;
        self
    }

    /// The book's folder: the fixture itself until it is changed.
    pub fn root(&self) -> PathBuf {
        match (&self.tmp, &self.source) {
            (Some(tmp), _) => tmp.path().join("book"),
            (None, Some(source)) => source.clone(),
            (None, None) => unreachable!("a book has a folder"),
        }
    }

    /// The book's folder in the temporary copy, copying the fixture on first use.
    pub fn scratch(&mut self) -> PathBuf {
        if self.tmp.is_none() {
            let tmp = tempfile::tempdir().expect("temp dir");
            copy_dir(
                self.source.as_ref().expect("a fixture"),
                &tmp.path().join("book"),
            );
            self.tmp = Some(tmp);
        }
        self.root()
    }

    /// The temporary folder around the book (for a `site/` to build into, and the like).
    pub fn tmp(&mut self) -> PathBuf {
        self.scratch();
        self.tmp.as_ref().expect("copied").path().to_path_buf()
    }

    /// The folder `build` on the command line writes into, beside the book.
    pub fn dest(&mut self) -> PathBuf {
        self.tmp().join("site")
    }

    /// The options this book is built with.
    pub fn options(&self) -> BuildOptions {
        options(self.drafts, self.pdf)
    }

    /// Builds the book in memory.
    pub fn build(&self) -> Result<Built, BuildError> {
        wardbook::build(&self.root(), &self.options())
    }

    /// Builds the book, which must succeed.
    pub fn built(&self) -> Built {
        expect_built(self.build())
    }

    /// Builds the book, which must fail with problems: those problems.
    pub fn problems(&self) -> Vec<Diagnostic> {
        expect_problems(self.build())
    }

    /// The problems of a book.toml that does not load.
    pub fn check_config_problems(&self) -> Vec<Diagnostic> {
        match wardbook::config::load(&self.root()) {
            Err(wardbook::config::ConfigError::Invalid(d)) => d,
            Err(e) => panic!("book.toml cannot be read: {e}"),
            Ok(_) => panic!("book.toml should have problems"),
        }
    }

    /// `check` in-process: every diagnostic, errors and warnings.
    pub fn check(&self) -> Vec<Diagnostic> {
        wardbook::check(&self.root(), as_of(), self.drafts).expect("check runs")
    }

    /// Runs the binary's `command` on this book with `extra` arguments, as of [`AS_OF`]
    /// unless `extra` gives `--as-of`.
    pub fn run(&self, command: &str, extra: &[&str]) -> Output {
        let mut cmd = self::command();
        cmd.arg(command).arg(self.root()).args(extra);
        if !extra.contains(&"--as-of") {
            cmd.args(["--as-of", AS_OF]);
        }
        cmd.output().expect("run wardbook")
    }

    /// The configuration of the book.
    pub fn config(&self) -> wardbook::config::Config {
        wardbook::config::load(&self.root()).expect("book.toml")
    }

    /// Serve's options for this book: port 0, quiet, as of [`AS_OF`], no PDF unless asked.
    #[cfg(feature = "serve")]
    pub fn serve_options(&self) -> wardbook::serve::ServeOptions {
        let mut o = wardbook::serve::ServeOptions::new(self.root());
        o.port = 0;
        o.verbose = false;
        o.build.as_of = as_of();
        o.build.pdf = self.pdf;
        o.build.drafts = self.drafts;
        o
    }

    /// Starts serving this book in-process.
    #[cfg(feature = "serve")]
    pub fn serve(&self) -> wardbook::serve::Server {
        wardbook::serve::start(self.serve_options()).expect("serve starts")
    }
}

/// The load options of the content model as of [`AS_OF`].
pub fn load_options(drafts: bool) -> wardbook::content::LoadOptions {
    wardbook::content::LoadOptions {
        as_of: as_of(),
        drafts,
    }
}

/// The book's content model (its guidelines loaded and validated) and the load's diagnostics.
pub fn load_book(root: &Path, drafts: bool) -> (wardbook::content::Book, Vec<Diagnostic>) {
    let config = wardbook::config::load(root).expect("book.toml");
    wardbook::content::load(&config, &load_options(drafts)).expect("book loads")
}

/// Each guideline's Markdown rendered as the build renders it (links resolved against `book`).
pub fn render_guidelines(book: &wardbook::content::Book) -> Vec<lib_items::Rendered> {
    let ctx = wardbook::content::LinkContext::new(book);
    let highlighter = wardbook::highlight::Highlighter::default();
    book.guidelines
        .iter()
        .map(|g| wardbook::markdown::render(g, &ctx, &highlighter))
        .collect()
}

/// Library items the tests name that the redesign moves between modules (the slug and
/// heading-id rules, URL encoding, rendered Markdown): one `use` to fix when they move.
pub mod lib_items {
    pub use wardbook::ids::{RESERVED_IDS, slugify, unique_id};
    pub use wardbook::markdown::Rendered;
    #[cfg(feature = "serve")]
    pub use wardbook::paths::encode_path;
}

/// The book.toml of [`one_guideline_book`]: section `resp`, network `n`.
pub const ONE_GUIDELINE_CONFIG: &str = "[book]\ntitle = \"F\"\n[[sections]]\nslug = \"resp\"\ntitle = \"Respiratory\"\n[[networks]]\nslug = \"n\"\nname = \"Net\"\ncontact = \"mailto:n@example.org\"\n";

/// A book of one guideline file whose whole text (front matter and body) is `text`, parsed as
/// `check` parses a file but without a folder (drafts included): the book if the file parsed, and
/// the file's diagnostics.
pub fn one_guideline_book(text: String) -> (Option<wardbook::content::Book>, Vec<Diagnostic>) {
    let config = wardbook::config::parse(Path::new("/nonexistent-book"), ONE_GUIDELINE_CONFIG)
        .expect("config");
    let opts = load_options(true);
    let path = Path::new("guidelines/x/g.md");
    let (g, diags) = wardbook::content::parse_text(&config, &opts, path, text);
    let book = g.map(|g| wardbook::content::Book {
        config,
        as_of: opts.as_of,
        drafts: true,
        guidelines: vec![g],
        left_out: vec![],
    });
    (book, diags)
}

/// The Typst markup the printed book sets guideline `idx` of `book` with (every guideline
/// printed).
#[cfg(feature = "pdf")]
pub fn print_markup(book: &wardbook::content::Book, idx: usize) -> String {
    use wardbook::render::print::markup;
    let rendered = render_guidelines(book);
    let links = wardbook::content::LinkContext::new(book);
    let printed = vec![true; book.guidelines.len()];
    let guesses = vec![String::new(); book.guidelines.len()];
    let ctx = markup::Context {
        book,
        links: &links,
        rendered: &rendered,
        printed: &printed,
        guesses: &guesses,
    };
    markup::guideline(&ctx, idx).text
}

/// Runs a poppler tool (pdftotext, pdfinfo, pdffonts, pdftohtml) and returns its output; a
/// missing tool fails the test, never skips it (scripts/system-deps.sh installs poppler-utils).
#[cfg(feature = "pdf")]
pub fn poppler(name: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name} (install poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}
