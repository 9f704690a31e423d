//! `book.toml` → [`Config`]: first a raw serde structure that denies unknown keys (so a typo is
//! reported with its line and column), then a validated `Config` with defaults filled in and paths
//! resolved against the book folder.

use crate::diag::{Diagnostic, Severity, did_you_mean};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The name of the book's configuration file.
pub const BOOK_TOML: &str = "book.toml";

/// A validated book configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The book folder (absolute).
    pub root: PathBuf,
    /// `[book]`: title, edition, organisation, sample flag.
    pub book: BookMeta,
    /// Folder of the guidelines (absolute).
    pub source: PathBuf,
    /// Default output folder (absolute); `--dest` overrides it.
    pub output: PathBuf,
    /// Days before a review date in which a guideline is "due".
    pub review_warning_days: i64,
    /// Theme name: assets come from `themes/<theme>/` (the book's, else the built-in default).
    pub theme: String,
    /// Sections in book order.
    pub sections: Vec<SectionDef>,
    /// Owning networks / working groups, in the order given.
    pub networks: Vec<NetworkDef>,
    /// `[print]`: paper and PDF file name.
    pub print: PrintConfig,
    /// `[search] split_kb` in bytes: a search index whose first file (`search/terms.js`) would
    /// be larger is written in parts that a query loads as it needs them.
    pub search_split_bytes: usize,
    /// Severity of an overdue review (`[review] overdue`), warning by default.
    pub overdue_severity: Severity,
    /// Per-rule lint levels from `[lint]` (rule id → level).
    pub lint: BTreeMap<String, LintLevel>,
    /// Where each `[lint]` key is written in [`Config::text`] (byte range): the lint checks the
    /// rule ids after loading and points at them without reading book.toml again.
    pub lint_spans: BTreeMap<String, Range<usize>>,
    /// The text of book.toml as read, for the source line of diagnostics raised after loading.
    pub text: Arc<str>,
    /// `[history]`: read the book's git history (versions, archive, change list). `None` when
    /// the table is absent: history features are off.
    pub history: Option<HistoryConfig>,
    /// `[offline]`: the service worker that keeps the edition on the phone.
    pub offline: OfflineConfig,
    /// `[[adaptations]]`: the member hospitals' local adaptations of this (network) book, in
    /// the order given; each is built at `<dest>/<slug>/`.
    pub adaptations: Vec<AdaptationDef>,
    /// `[local.values]`: the values an adaptation may set, by name (`{{local:name}}` in text).
    pub local_values: BTreeMap<String, LocalValueDef>,
    /// The adaptation this configuration describes: `None` for the network book itself. Set
    /// only on the configuration of an adapted book (by `adapt`), so that every page, the
    /// printed book and the lists can say whose local adaptation they show.
    pub adapted: Option<Adapted>,
}

/// What an adapted book's configuration says of its adaptation (the pages read it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adapted {
    /// The adaptation.
    pub def: AdaptationDef,
    /// Network guidelines it does not use (source path → the reason): their pages say so.
    pub omitted: BTreeMap<PathBuf, String>,
}

/// One `[[adaptations]]` entry: a member hospital (trust) with its own local adaptation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdaptationDef {
    /// URL slug: the adaptation's material is in `adaptations/<slug>/`, its site at `<slug>/`.
    pub slug: String,
    /// The trust's name, shown wherever local text is marked.
    pub name: String,
}

/// One `[local.values]` entry: a value each adaptation may set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalValueDef {
    /// What the value is ("Hospital switchboard"), for the adaptation's authors.
    pub help: String,
    /// The text the network book shows in its place (and an adaptation that does not set it).
    pub network: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLocal {
    #[serde(default)]
    values: BTreeMap<String, LocalValueDef>,
}

/// `[history]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryConfig {
    /// The edition this one replaces: a tag, branch or commit. The change list and the
    /// `version-not-bumped` lint compare against it.
    #[serde(default)]
    pub previous_edition: Option<String>,
    /// Whether the history must be read (the default). When false, a book that is not in a
    /// git repository, or is in a shallow clone, builds without history after a warning
    /// (a source archive of the book, a CI checkout without `fetch-depth: 0`).
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

/// `[book]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookMeta {
    /// Title of the book, e.g. "Paediatric Guidelines".
    pub title: String,
    /// Edition label, e.g. "2026-27".
    #[serde(default)]
    pub edition: Option<String>,
    /// Publishing organisation.
    #[serde(default)]
    pub organisation: Option<String>,
    /// When true every page says "Sample content - not for clinical use".
    #[serde(default)]
    pub sample: bool,
    /// Where the live site is (`https://…/`, ending in `/`): printed pages and stale copies
    /// point there, and printed guidelines carry a QR code of their live page.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The last day this edition is valid (a TOML date): no copy is "valid until" later.
    #[serde(default, deserialize_with = "toml_date")]
    pub valid_until: Option<jiff::civil::Date>,
    /// Days after publishing after which a copy says it may be out of date (default 90).
    #[serde(default = "default_stale_after_days")]
    pub stale_after_days: i64,
}

fn default_stale_after_days() -> i64 {
    90
}

/// A TOML date (`2027-03-31`, unquoted) as a civil date; a time or a quoted string is refused.
fn toml_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<jiff::civil::Date>, D::Error> {
    let v = toml::value::Datetime::deserialize(d)?;
    match (v.date, v.time, v.offset) {
        (Some(date), None, None) => jiff::civil::Date::new(
            i16::try_from(date.year).map_err(serde::de::Error::custom)?,
            i8::try_from(date.month).map_err(serde::de::Error::custom)?,
            i8::try_from(date.day).map_err(serde::de::Error::custom)?,
        )
        .map(Some)
        .map_err(serde::de::Error::custom),
        _ => Err(serde::de::Error::custom(
            "expected a date without a time, like 2027-03-31",
        )),
    }
}

/// One `[[sections]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    /// URL slug; the section's pages live under `<slug>/`.
    pub slug: String,
    /// Display title.
    pub title: String,
}

/// One `[[networks]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkDef {
    /// URL slug; the network's page is `networks/<slug>.html`.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Where readers report a problem with the network's guidelines: a `mailto:` or an
    /// `https://` address. Without one, `check` warns.
    #[serde(default)]
    pub contact: Option<String>,
}

/// `[offline]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OfflineConfig {
    /// Served over http(s), a service worker keeps the whole edition for use without signal.
    #[serde(default)]
    pub enabled: bool,
    /// Days without reaching the site after which each page opens behind a notice.
    #[serde(default = "default_lockout_days")]
    pub lockout_days: i64,
}

fn default_lockout_days() -> i64 {
    14
}

impl Default for OfflineConfig {
    fn default() -> Self {
        OfflineConfig {
            enabled: false,
            lockout_days: default_lockout_days(),
        }
    }
}

/// Paper size of the printed book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// ISO A4 (the default).
    A4,
    /// ISO A5, the pocket book.
    A5,
}

/// `[print]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintConfig {
    /// Paper size.
    pub paper: Paper,
    /// PDF file name at the output root.
    pub filename: String,
    /// Whether the PDF also conforms to PDF/A-2a (archival); PDF/UA-1 (accessible) always.
    pub pdf_a: bool,
    /// The largest print.html that holds the whole book, in bytes: a larger book is printed one
    /// section per page (a section larger still, in parts), and print.html lists those pages.
    pub html_page_bytes: usize,
}

/// Severity of a lint rule as configured per book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    /// The rule reports errors.
    Error,
    /// The rule reports warnings.
    Warning,
    /// The rule is switched off.
    Off,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    book: BookMeta,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    sections: Vec<SectionDef>,
    #[serde(default)]
    networks: Vec<NetworkDef>,
    #[serde(default)]
    print: RawPrint,
    #[serde(default)]
    review: RawReview,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    history: Option<HistoryConfig>,
    #[serde(default)]
    offline: OfflineConfig,
    #[serde(default)]
    adaptations: Vec<AdaptationDef>,
    #[serde(default)]
    local: RawLocal,
    /// Keys with their spans, for diagnostics about unknown rule ids.
    #[serde(default)]
    lint: BTreeMap<toml::Spanned<String>, LintLevel>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    source: Option<String>,
    output: Option<String>,
    review_warning_days: Option<i64>,
    theme: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPrint {
    paper: Option<Paper>,
    filename: Option<String>,
    pdf_a: Option<bool>,
    html_page_mb: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    split_kb: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawReview {
    overdue: Option<LintLevel>,
}

/// Why a configuration could not be had.
#[derive(Debug)]
pub enum ConfigError {
    /// No book here, or it could not be read: the command cannot run (exit 2).
    Io(anyhow::Error),
    /// The file is there but wrong: problems in the book (exit 1).
    Invalid(Vec<Diagnostic>),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Io(e) => write!(f, "{e:#}"),
            ConfigError::Invalid(d) => {
                f.write_str(&crate::diag::render(d, crate::diag::Format::Text))
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// Reads and validates `<root>/book.toml`.
pub fn load(root: &Path) -> Result<Config, ConfigError> {
    let path = root.join(BOOK_TOML);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        ConfigError::Io(anyhow::anyhow!(
            "cannot read {}: {e} (is this a wardbook book folder?)",
            path.display()
        ))
    })?;
    let root = std::path::absolute(root).map_err(|e| ConfigError::Io(e.into()))?;
    parse(&root, &text).map_err(ConfigError::Invalid)
}

/// Parses and validates the text of a `book.toml` for the book at `root`.
pub fn parse(root: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_error(text, &e)])?;
    let diags = check(&raw, text);
    if !diags.is_empty() {
        return Err(diags);
    }
    let filename = raw
        .print
        .filename
        .unwrap_or_else(|| default_pdf_name(&raw.book));
    let lint_spans = raw
        .lint
        .keys()
        .map(|k| (k.get_ref().clone(), k.span()))
        .collect();
    let mut book = raw.book;
    if let Some(url) = book.base_url.as_mut()
        && !url.ends_with('/')
    {
        url.push('/');
    }
    Ok(Config {
        root: root.to_path_buf(),
        source: root.join(raw.build.source.as_deref().unwrap_or("guidelines")),
        output: root.join(raw.build.output.as_deref().unwrap_or("public")),
        review_warning_days: raw.build.review_warning_days.unwrap_or(REVIEW_WARNING_DAYS),
        theme: raw.build.theme.unwrap_or_else(|| "default".into()),
        book,
        sections: raw.sections,
        networks: raw.networks,
        print: PrintConfig {
            paper: raw.print.paper.unwrap_or(Paper::A4),
            filename,
            pdf_a: raw.print.pdf_a.unwrap_or(true),
            html_page_bytes: (raw.print.html_page_mb.unwrap_or(HTML_PAGE_MB) * 1e6) as usize,
        },
        search_split_bytes: (raw.search.split_kb.unwrap_or(SEARCH_SPLIT_KB) as usize)
            .saturating_mul(1000),
        overdue_severity: match raw.review.overdue {
            Some(LintLevel::Error) => Severity::Error,
            _ => Severity::Warning,
        },
        lint: raw
            .lint
            .into_iter()
            .map(|(k, level)| (k.into_inner(), level))
            .collect(),
        lint_spans,
        text: text.into(),
        history: raw.history,
        offline: raw.offline,
        adaptations: raw.adaptations,
        local_values: raw.local.values,
        adapted: None,
    })
}

/// print.html holds the whole book up to this many MB (`[print] html_page_mb`): a browser opens
/// a page of this size in a few seconds; at 100,000 guidelines the book is 800 MB.
const HTML_PAGE_MB: f64 = 20.0;

/// The search's first file holds the whole dictionary and document table up to this many KB
/// (`[search] split_kb`); a larger index is loaded in parts.
const SEARCH_SPLIT_KB: u64 = 512;

/// Days before a review date in which a guideline is "due", unless book.toml says otherwise.
const REVIEW_WARNING_DAYS: i64 = 90;

/// What serde cannot check of a well-formed book.toml: a title, sections, URL-safe and unique
/// slugs, a review window that is not negative.
fn check(raw: &RawConfig, text: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let at = |needle: &str| {
        text.find(needle)
            .map_or((0, 0), |pos| crate::diag::line_col(text, pos))
    };
    if raw.book.title.trim().is_empty() {
        let (l, c) = at("title");
        diags.push(
            Diagnostic::error(BOOK_TOML, l, c, "config", "[book] title is empty")
                .with_source(text, 5),
        );
    }
    if raw.sections.is_empty() {
        diags.push(
            Diagnostic::error(BOOK_TOML, 0, 0, "config", "the book has no sections")
                .with_help("add at least one [[sections]] table with slug and title"),
        );
    }
    check_slugs(
        text,
        raw.sections.iter().map(|s| s.slug.as_str()),
        "sections",
        &mut diags,
    );
    check_slugs(
        text,
        raw.networks.iter().map(|n| n.slug.as_str()),
        "networks",
        &mut diags,
    );
    if raw.sections.iter().any(|s| s.slug == "networks") {
        let (l, c) = at("\"networks\"");
        diags.push(
            Diagnostic::error(
                BOOK_TOML,
                l,
                c,
                "config",
                "a section cannot use the slug \"networks\" (network pages live there)",
            )
            .with_source(text, 10),
        );
    }
    check_addresses(raw, text, &mut diags);
    check_adaptations(raw, text, &mut diags);
    if raw.build.review_warning_days.unwrap_or(REVIEW_WARNING_DAYS) < 0 {
        let (l, c) = at("review_warning_days");
        diags.push(
            Diagnostic::error(
                BOOK_TOML,
                l,
                c,
                "config",
                "review_warning_days cannot be negative",
            )
            .with_source(text, 19),
        );
    }
    if raw
        .print
        .html_page_mb
        .is_some_and(|mb| !mb.is_finite() || mb < 0.0)
    {
        let (l, c) = at("html_page_mb");
        diags.push(
            Diagnostic::error(
                BOOK_TOML,
                l,
                c,
                "config",
                "html_page_mb must be a number of megabytes, 0 or more",
            )
            .with_help("0 prints every guideline on a page of its own; the default is 20")
            .with_source(text, 12),
        );
    }
    diags
}

/// `base_url` is an http(s) address; each network's `contact` a `mailto:` or http(s) address;
/// the day counts are not negative.
fn check_addresses(raw: &RawConfig, text: &str, diags: &mut Vec<Diagnostic>) {
    let mut bad = |needle: &str, message: String, help: &str| {
        let (l, c) = text
            .find(needle)
            .map_or((0, 0), |pos| crate::diag::line_col(text, pos));
        diags.push(
            Diagnostic::error(BOOK_TOML, l, c, "config", message)
                .with_help(help)
                .with_source(text, needle.chars().count()),
        );
    };
    let web = |u: &str| u.starts_with("https://") || u.starts_with("http://");
    if let Some(url) = &raw.book.base_url
        && !(web(url) && url.len() > "https://".len())
    {
        bad(
            url,
            format!("base_url {url:?} is not a web address"),
            "give the live site's address, e.g. https://guidelines.example.org/paediatrics/",
        );
    }
    for n in &raw.networks {
        if let Some(c) = &n.contact
            && !(web(c) || c.starts_with("mailto:") && c.contains('@'))
        {
            bad(
                c,
                format!(
                    "contact {c:?} of network {:?} is neither mailto: nor a web address",
                    n.slug
                ),
                "write mailto:team@example.org or https://example.org/report",
            );
        }
    }
    for (key, days) in [
        ("stale_after_days", raw.book.stale_after_days),
        ("lockout_days", raw.offline.lockout_days),
    ] {
        if days < 1 {
            bad(
                key,
                format!("{key} must be at least 1"),
                "a number of days, e.g. 90",
            );
        }
    }
}

/// Top-level names of the site that an adaptation's folder (`<slug>/`) must not take.
const RESERVED_TOP: &[&str] = &["assets", "search", "networks"];

/// Adaptation slugs are URL-safe and unique, and their folders do not clash with a section's
/// or the site's own; local value names are what `{{local:name}}` can name.
fn check_adaptations(raw: &RawConfig, text: &str, diags: &mut Vec<Diagnostic>) {
    check_slugs(
        text,
        raw.adaptations.iter().map(|a| a.slug.as_str()),
        "adaptations",
        diags,
    );
    for a in &raw.adaptations {
        let clash = RESERVED_TOP.contains(&a.slug.as_str())
            || raw.sections.iter().any(|s| s.slug == a.slug);
        if clash {
            let quoted = format!("\"{}\"", a.slug);
            let (l, c) = text
                .rfind(&quoted)
                .map_or((0, 0), |p| crate::diag::line_col(text, p));
            diags.push(
                Diagnostic::error(
                    BOOK_TOML,
                    l,
                    c,
                    "config",
                    format!("[[adaptations]] slug {quoted} is also a folder of the network site"),
                )
                .with_help("the adaptation's site is built at <dest>/<slug>/: choose another slug")
                .with_source(text, quoted.chars().count()),
            );
        }
    }
    for name in raw.local.values.keys() {
        if !is_value_name(name) {
            let (l, c) = text
                .find(name.as_str())
                .map_or((0, 0), |p| crate::diag::line_col(text, p));
            diags.push(
                Diagnostic::error(
                    BOOK_TOML,
                    l,
                    c,
                    "config",
                    format!(
                        "[local.values] name {name:?} cannot be written as {{{{local:{name}}}}}"
                    ),
                )
                .with_help("use lowercase letters, digits, hyphens and underscores")
                .with_source(text, name.chars().count()),
            );
        }
    }
}

/// A local value's name: lowercase letters, digits, `-` and `_`, not empty.
pub fn is_value_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Default PDF name from the title and edition: `paediatric-guidelines-2026-27.pdf`.
fn default_pdf_name(book: &BookMeta) -> String {
    let mut stem = crate::ids::slugify(&book.title);
    if let Some(ed) = &book.edition {
        stem.push('-');
        stem.push_str(&crate::ids::slugify(ed));
    }
    if stem.is_empty() {
        stem = "book".into();
    }
    format!("{stem}.pdf")
}

/// Slugs must be unique, non-empty and URL-safe (lowercase letters, digits, hyphens).
fn check_slugs<'a>(
    text: &str,
    slugs: impl Iterator<Item = &'a str>,
    table: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen = std::collections::BTreeSet::new();
    for slug in slugs {
        let quoted = format!("\"{slug}\"");
        let (l, c) = text
            .find(&quoted)
            .map_or((0, 0), |p| crate::diag::line_col(text, p));
        let ok = !slug.is_empty()
            && slug
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
        if !ok {
            diags.push(
                Diagnostic::error(
                    BOOK_TOML,
                    l,
                    c,
                    "config",
                    format!("[[{table}]] slug {quoted} is not URL-safe"),
                )
                .with_help("use lowercase letters, digits and hyphens")
                .with_source(text, quoted.chars().count()),
            );
        }
        if !seen.insert(slug) {
            diags.push(Diagnostic::error(
                BOOK_TOML,
                l,
                c,
                "config",
                format!("[[{table}]] slug {quoted} is used twice"),
            ));
        }
    }
}

/// A TOML or schema error as a diagnostic at its line and column, with "did you mean" for unknown keys.
fn toml_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let (line, col, span) = match e.span() {
        Some(r) => {
            let (l, c) = crate::diag::line_col(text, r.start);
            (
                l,
                c,
                text.get(r.clone()).map_or(1, |s| s.chars().count().max(1)),
            )
        }
        None => (0, 0, 1),
    };
    let message = e.message().trim().to_string();
    let mut d =
        Diagnostic::error(BOOK_TOML, line, col, "config", message.clone()).with_source(text, span);
    if let Some(help) = unknown_field_help(&message) {
        d = d.with_help(help);
    }
    d
}

/// From serde's "unknown field `x`, expected one of `a`, `b`" builds "did you mean a?".
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(field, candidates.iter().copied())
        .or_else(|| Some(format!("known keys here: {}", candidates.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str =
        "[book]\ntitle = \"T\"\n[[sections]]\nslug = \"resp\"\ntitle = \"Respiratory\"\n";

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse(Path::new("/b"), MIN).expect("valid");
        assert_eq!(c.source, Path::new("/b/guidelines"));
        assert_eq!(c.output, Path::new("/b/public"));
        assert_eq!(c.review_warning_days, 90);
        assert_eq!(c.print.filename, "t.pdf");
        assert_eq!(c.overdue_severity, Severity::Warning);
    }

    #[test]
    fn unknown_key_reports_line_col_and_suggestion() {
        let text = format!("{MIN}[build]\nsoruce = \"x\"\n");
        let d = parse(Path::new("/b"), &text).expect_err("invalid");
        assert_eq!((d[0].line, d[0].col), (7, 1));
        assert!(d[0].message.contains("soruce"), "{}", d[0].message);
        assert_eq!(d[0].help.as_deref(), Some("did you mean source?"));
    }

    #[test]
    fn bad_slug_and_no_sections() {
        let d = parse(Path::new("/b"), "[book]\ntitle = \"T\"\n").expect_err("no sections");
        assert!(d[0].message.contains("no sections"));
        let d = parse(
            Path::new("/b"),
            "[book]\ntitle = \"T\"\n[[sections]]\nslug = \"Re sp\"\ntitle = \"R\"\n",
        )
        .expect_err("bad slug");
        assert_eq!(d[0].line, 4);
    }
}
