//! Loading: walks the source folder (any depth, sorted), reads each `.md` file, parses and
//! validates its front matter against the config, and returns the [`Book`] in book order with every
//! problem found as a diagnostic (all files are read even when some are broken).

use super::frontmatter::{self, RawFrontMatter};
use super::{Book, FrontMatter, Guideline, LoadOptions, ReviewStatus, Status};
use crate::config::Config;
use crate::diag::{Diagnostic, did_you_mean, line_col};
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Loads every guideline under `config.source`. Returns the book (possibly partial) and problems.
pub fn load(config: &Config, opts: &LoadOptions) -> anyhow::Result<(Book, Vec<Diagnostic>)> {
    load_cached(config, opts, None)
}

/// [`load`], reusing the files `cache` parsed before that have not changed (serve).
pub fn load_cached(
    config: &Config,
    opts: &LoadOptions,
    cache: Option<&mut super::cache::LoadCache>,
) -> anyhow::Result<(Book, Vec<Diagnostic>)> {
    let files = find_sources(&config.source)?;
    let results: Vec<(Option<Guideline>, Vec<Diagnostic>)> = match cache {
        Some(c) => c.load(config, opts, &files, load_one),
        None => files
            .par_iter()
            .map(|path| load_one(config, opts, path))
            .collect(),
    };
    let mut diags = Vec::new();
    let mut guidelines = Vec::new();
    for (g, d) in results {
        diags.extend(d);
        guidelines.extend(g);
    }
    check_duplicate_pages(&guidelines, &mut diags);
    let left_out = guidelines
        .iter()
        .filter(|g| g.front.status == Status::Draft && !opts.drafts)
        .map(|g| g.source.clone())
        .collect();
    guidelines.retain(|g| g.front.status != Status::Draft || opts.drafts);
    in_book_order(&mut guidelines);
    let book = Book {
        config: config.clone(),
        as_of: opts.as_of,
        drafts: opts.drafts,
        guidelines,
        left_out,
    };
    super::replaced::check(&book, &mut diags);
    Ok((book, diags))
}

/// Sorts `guidelines` in book order: by section, then `order` (those without one last), then
/// title, then path. The network book and every local adaptation use this one order.
pub fn in_book_order(guidelines: &mut [Guideline]) {
    // One lowercased title per guideline, not one per comparison.
    guidelines.sort_by_cached_key(|g| {
        (
            g.section,
            g.front.order.is_none(),
            g.front.order,
            g.front.title.to_lowercase(),
            g.source.clone(),
        )
    });
}

/// Every `.md` file under `source`, sorted, as absolute paths. Hidden files and folders are skipped.
pub fn find_sources(source: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if !source.is_dir() {
        anyhow::bail!(
            "the guidelines folder {} does not exist (set [build] source in book.toml)",
            source.display()
        );
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(source)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| anyhow::anyhow!("cannot read the guidelines folder: {e}"))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|x| x == "md") {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// The path of `abs` relative to the book folder, `/`-separated.
pub fn relative(config: &Config, abs: &Path) -> PathBuf {
    let rel = abs.strip_prefix(&config.root).unwrap_or(abs);
    PathBuf::from(rel.to_string_lossy().replace('\\', "/"))
}

fn load_one(
    config: &Config,
    opts: &LoadOptions,
    path: &Path,
) -> (Option<Guideline>, Vec<Diagnostic>) {
    let rel = relative(config, path);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::error(
                    rel,
                    0,
                    0,
                    "io",
                    format!("cannot read the file: {e}"),
                )],
            );
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return (
                None,
                vec![not_utf8(&rel, e.as_bytes(), e.utf8_error().valid_up_to())],
            );
        }
    };
    let mut diags = Vec::new();
    let g = parse_guideline(config, opts, &rel, text, &mut diags);
    (g, diags)
}

/// Parses one guideline from its text as if read from `rel` (book-relative path): what `load`
/// does for each file, without the file system. Used by tests and fuzzing.
pub fn parse_text(
    config: &Config,
    opts: &LoadOptions,
    rel: &Path,
    text: String,
) -> (Option<Guideline>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let g = parse_guideline(config, opts, rel, text, &mut diags);
    (g, diags)
}

fn not_utf8(rel: &Path, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let good = String::from_utf8_lossy(&bytes[..valid_up_to]);
    let (line, col) = line_col(&good, good.len());
    Diagnostic::error(
        rel,
        line,
        col,
        "not-utf8",
        format!("the file is not UTF-8 (byte 0x{:02X})", bytes[valid_up_to]),
    )
    .with_help("save the file as UTF-8 in your editor")
}

/// Validates one file's text into a guideline; problems go to `diags`.
fn parse_guideline(
    config: &Config,
    opts: &LoadOptions,
    rel: &Path,
    text: String,
    diags: &mut Vec<Diagnostic>,
) -> Option<Guideline> {
    let Some(split) = frontmatter::split(&text) else {
        diags.push(
            Diagnostic::error(rel, 1, 1, "front-matter", "the file does not start with front matter")
                .with_help("start the file with a line `---`, the YAML keys (title, section, network, review_date), and another `---`")
                .with_source(&text, 1),
        );
        return None;
    };
    let before = diags.len();
    let (fm, misspelt) = front_matter(rel, &text, &split, diags)?;
    let field = FieldLocator {
        rel,
        text: &text,
        yaml: split.yaml,
        yaml_line: split.yaml_line,
    };
    let valid = validate(config, &field, fm, &misspelt, diags);
    let body = (text.len() - split.body.len(), split.body_line);
    match valid {
        Some(valid) if diags.len() == before => {
            assemble(config, opts, rel, text, body, valid, diags)
        }
        _ => None,
    }
}

/// The guideline made whole from its valid front matter and its file: `body` is the byte
/// offset and line where the Markdown starts. Problems of the file's name go to `diags`.
fn assemble(
    config: &Config,
    opts: &LoadOptions,
    rel: &Path,
    text: String,
    (body_start, body_line): (usize, usize),
    Valid {
        front,
        section,
        network,
    }: Valid,
    diags: &mut Vec<Diagnostic>,
) -> Option<Guideline> {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "index" {
        diags.push(
            Diagnostic::error(rel, 0, 0, "page-clash", "a guideline cannot be called index.md: its page would replace the section's index page")
                .with_help("rename the file"),
        );
        return None;
    }
    let page = format!("{}/{}.html", config.sections[section].slug, stem);
    let review = ReviewStatus::of(front.review_date, opts.as_of, config.review_warning_days);
    Some(Guideline {
        source: rel.to_path_buf(),
        stem,
        text: text.into(),
        body_start,
        body_line,
        front,
        section,
        network,
        page,
        review,
    })
}

/// The front matter of `text` (split off as `split`), with the keys the unknown keys look like
/// misspellings of. YAML problems go to `diags`; `None` when the YAML cannot be read at all.
fn front_matter(
    rel: &Path,
    text: &str,
    split: &frontmatter::Split<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(RawFrontMatter, Vec<&'static str>)> {
    // An unknown key is reported and its lines set aside, so the remaining keys are still
    // checked in the same run (a typo in one key must not hide a bad date in another).
    let mut yaml = std::borrow::Cow::Borrowed(split.yaml);
    // Keys an unknown key looks like a misspelling of (`titel` → title): the unknown key's error
    // already says so, so their absence is not reported again.
    let mut misspelt: Vec<&'static str> = Vec::new();
    let fm = loop {
        match frontmatter::parse(&yaml) {
            Ok(fm) => break fm,
            Err(e) => {
                let message = strip_location(&e.message);
                let (yl, col) = duplicate_key_at(split.yaml, &message).unwrap_or((e.line, e.col));
                let line = split.yaml_line + yl.saturating_sub(1);
                let meant = unknown_key(&message)
                    .map(|k| crate::diag::closest(k, frontmatter::KEYS.iter().copied()));
                misspelt.extend(meant.flatten());
                let unknown = meant.map(unknown_key_help);
                let help = unknown
                    .clone()
                    .or_else(|| duplicate_help(&message))
                    .unwrap_or_else(|| {
                        "front matter is YAML: check quotes, colons and indentation".into()
                    });
                let d = Diagnostic::error(
                    rel,
                    line,
                    col.max(1),
                    "front-matter",
                    format!("front matter: {message}"),
                )
                .with_source(text, 1)
                .with_help(help);
                diags.push(d);
                match unknown.and_then(|_| without_key_at(&yaml, e.line)) {
                    Some(rest) => yaml = std::borrow::Cow::Owned(rest),
                    None => return None,
                }
            }
        }
    };
    Some((fm, misspelt))
}

/// Finds where a front matter key is written, for diagnostics about its value.
struct FieldLocator<'a> {
    rel: &'a Path,
    text: &'a str,
    yaml: &'a str,
    yaml_line: usize,
}

impl FieldLocator<'_> {
    /// Line and column of `key`'s value (or of the end of the front matter when the key is absent).
    fn at(&self, key: &str) -> (usize, usize) {
        for (i, line) in self.yaml.lines().enumerate() {
            if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
                let value_off = line.len() - rest.trim_start().len();
                return (self.yaml_line + i, line[..value_off].chars().count() + 1);
            }
        }
        (self.yaml_line + self.yaml.lines().count(), 1)
    }

    fn error(&self, key: &str, rule: &str, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.at(key);
        let span = self
            .text
            .lines()
            .nth(line - 1)
            .map_or(1, |l| l.chars().count().saturating_sub(col - 1));
        Diagnostic::error(self.rel, line, col, rule, message).with_source(self.text, span)
    }
}

/// Front matter that passed validation, with its section and network resolved.
struct Valid {
    front: FrontMatter,
    section: usize,
    network: usize,
}

fn validate(
    config: &Config,
    f: &FieldLocator<'_>,
    fm: RawFrontMatter,
    misspelt: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Option<Valid> {
    missing_fields(config, f, &fm, misspelt, diags);
    let title = fm.title.filter(|t| !t.trim().is_empty());
    let sections: Vec<(&str, &str)> = config
        .sections
        .iter()
        .map(|d| (d.title.as_str(), d.slug.as_str()))
        .collect();
    let networks: Vec<(&str, &str)> = config
        .networks
        .iter()
        .map(|d| (d.name.as_str(), d.slug.as_str()))
        .collect();
    let section = fm
        .section
        .as_deref()
        .and_then(|s| lookup(f, s, &sections, "section", diags));
    let network = fm
        .network
        .as_deref()
        .and_then(|n| lookup(f, n, &networks, "network", diags));
    let review_date = fm
        .review_date
        .and_then(|d| date(f, "review_date", &d.0, diags));
    let last_reviewed = fm
        .last_reviewed
        .and_then(|d| date(f, "last_reviewed", &d.0, diags));
    let approved_date = fm
        .approved_date
        .and_then(|d| date(f, "approved_date", &d.0, diags));
    let status = status(f, fm.status.as_deref(), diags);
    let (title, section, network, review_date) = (title?, section?, network?, review_date?);
    check_review_order(f, last_reviewed, review_date, diags);
    let front = FrontMatter {
        title: title.trim().to_string(),
        review_date,
        last_reviewed,
        version: fm.version.map(frontmatter::Scalar::into_string),
        authors: fm.authors.unwrap_or_default(),
        keywords: fm.keywords.unwrap_or_default(),
        status,
        order: fm.order,
        change_summary: non_empty(fm.change_summary),
        approved_by: non_empty(fm.approved_by),
        approved_date,
        replaced_by: non_empty(fm.replaced_by),
    };
    Some(Valid {
        front,
        section,
        network,
    })
}

/// A free-text key's value, trimmed; blank counts as absent.
fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Reports each required key the front matter lacks (an empty title counts as absent), except
/// those an unknown key already looks like a misspelling of.
fn missing_fields(
    config: &Config,
    f: &FieldLocator<'_>,
    fm: &RawFrontMatter,
    misspelt: &[&str],
    diags: &mut Vec<Diagnostic>,
) {
    let mut missing = |key: &str, example: &str| {
        if misspelt.contains(&key) {
            return;
        }
        diags.push(
            f.error(key, "missing-field", format!("front matter has no `{key}`"))
                .with_help(format!("add a line such as `{key}: {example}`")),
        );
    };
    if fm.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        missing("title", "\"Bronchiolitis\"");
    }
    if fm.section.is_none() {
        missing("section", &format!("\"{}\"", config.sections[0].title));
    }
    if fm.network.is_none() {
        missing("network", "\"<network name from book.toml>\"");
    }
    if fm.review_date.is_none() {
        missing("review_date", "2027-03-31");
    }
}

/// The `status` key: current when absent; an unknown value is an error (and counts as current).
fn status(f: &FieldLocator<'_>, value: Option<&str>, diags: &mut Vec<Diagnostic>) -> Status {
    match value {
        None | Some("current") => Status::Current,
        Some("draft") => Status::Draft,
        Some("withdrawn") => Status::Withdrawn,
        Some(other) => {
            let mut d = f.error(
                "status",
                "bad-status",
                format!("unknown status \"{other}\""),
            );
            d = d.with_help(
                did_you_mean(other, ["current", "draft", "withdrawn"])
                    .unwrap_or_else(|| "use current, draft or withdrawn".into()),
            );
            diags.push(d);
            Status::Current
        }
    }
}

/// The last review must come before the next one.
fn check_review_order(
    f: &FieldLocator<'_>,
    last_reviewed: Option<Date>,
    review_date: Date,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(last) = last_reviewed.filter(|&l| l > review_date) {
        diags.push(
            f.error(
                "last_reviewed",
                "bad-date",
                format!("last_reviewed {last} is after review_date {review_date}"),
            )
            .with_help("the next review comes after the last one"),
        );
    }
}

/// Finds front matter value `value` of `key` (`section` or `network`) among the (name, slug)
/// pairs of book.toml: the slug exactly, or the name in any case. Unknown: an error with "did
/// you mean" or the list of names.
fn lookup(
    f: &FieldLocator<'_>,
    value: &str,
    items: &[(&str, &str)],
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let found = items
        .iter()
        .position(|(name, slug)| *slug == value || name.eq_ignore_ascii_case(value));
    if found.is_none() {
        let candidates = items.iter().flat_map(|(name, slug)| [*name, *slug]);
        let help = did_you_mean(value, candidates).unwrap_or_else(|| {
            if items.is_empty() {
                format!("add a [[{key}s]] table with slug and name to book.toml")
            } else {
                let names: Vec<&str> = items.iter().map(|(name, _)| *name).collect();
                format!("{key}s in book.toml: {}", names.join(", "))
            }
        });
        let message = format!("unknown {key} \"{value}\"");
        diags.push(
            f.error(key, &format!("unknown-{key}"), message)
                .with_help(help),
        );
    }
    found
}

/// Parses a strict `YYYY-MM-DD` date that exists in the calendar.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    s.parse::<Date>().ok()
}

fn date(f: &FieldLocator<'_>, key: &str, s: &str, diags: &mut Vec<Diagnostic>) -> Option<Date> {
    let d = parse_date(s.trim());
    if d.is_none() {
        diags.push(
            f.error(
                key,
                "bad-date",
                format!("`{key}` \"{s}\" is not a real date in the form YYYY-MM-DD"),
            )
            .with_help("write the date as e.g. 2027-03-31"),
        );
    }
    d
}

/// serde_yaml puts " at line L column C" (lines of the YAML, not the file) into its messages;
/// we print the file location ourselves, so those are removed.
fn strip_location(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + " at line ".len()..];
        let after_line = tail.trim_start_matches(|c: char| c.is_ascii_digit());
        match after_line.strip_prefix(" column ") {
            Some(t) => rest = t.trim_start_matches(|c: char| c.is_ascii_digit()),
            None => {
                out.push_str(" at line ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

fn duplicate_help(message: &str) -> Option<String> {
    let key = message
        .strip_prefix("duplicate field `")?
        .split('`')
        .next()?;
    Some(format!("`{key}` is given twice: keep one of the two lines"))
}

/// serde reports a duplicate key where the mapping starts; the author needs the second one.
fn duplicate_key_at(yaml: &str, message: &str) -> Option<(usize, usize)> {
    let key = message
        .strip_prefix("duplicate field `")?
        .split('`')
        .next()?;
    yaml.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .nth(1)
        .map(|(i, _)| (i + 1, 1))
}

/// `yaml` with the key on (1-based) `line` and its indented or listed value lines blanked (same
/// lengths, so every other line keeps its place); `None` when that line holds no key.
fn without_key_at(yaml: &str, line: usize) -> Option<String> {
    let mut out = String::with_capacity(yaml.len());
    let mut in_key = false;
    let mut found = false;
    for (i, l) in yaml.split_inclusive('\n').enumerate() {
        let continues = l.starts_with([' ', '\t', '-']);
        if i + 1 == line && !continues && l.contains(':') {
            in_key = true;
            found = true;
        } else if !continues {
            in_key = false;
        }
        if in_key {
            out.extend(l.chars().map(|c| if c == '\n' { c } else { ' ' }));
        } else {
            out.push_str(l);
        }
    }
    found.then_some(out)
}

/// The key an "unknown field" message names.
fn unknown_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split_once('`').map(|(field, _)| field)
}

/// Help for an unknown key: the key it most likely means (from [`crate::diag::closest`]), else
/// the list of keys.
fn unknown_key_help(meant: Option<&str>) -> String {
    match meant {
        Some(key) => crate::diag::suggest(key),
        None => format!("known keys: {}", frontmatter::KEYS.join(", ")),
    }
}

/// Two guidelines that would be written to the same page: an error naming both.
fn check_duplicate_pages(guidelines: &[Guideline], diags: &mut Vec<Diagnostic>) {
    let mut by_page: BTreeMap<&str, Vec<&Guideline>> = BTreeMap::new();
    for g in guidelines {
        by_page.entry(g.page.as_str()).or_default().push(g);
    }
    for (page, gs) in by_page {
        for g in gs.iter().skip(1) {
            diags.push(
                Diagnostic::error(
                    &g.source,
                    1,
                    1,
                    "page-clash",
                    format!(
                        "{} and {} would both be published as {page}",
                        gs[0].source.display(),
                        g.source.display()
                    ),
                )
                .with_help("rename one of the files, or move one to another section"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_dates() {
        assert!(parse_date("2027-02-28").is_some());
        assert!(parse_date("2027-02-30").is_none());
        assert!(parse_date("2027-2-3").is_none());
        assert!(parse_date("27-02-2027").is_none());
    }

    #[test]
    fn strips_serde_yaml_location() {
        assert_eq!(
            strip_location("unknown field `titel` at line 2 column 1"),
            "unknown field `titel`"
        );
    }
}
