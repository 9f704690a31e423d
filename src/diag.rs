//! Problems in a book as data: [`Diagnostic`] (file:line:col, rule, severity, message, help) and the
//! three ways `build` and `check` print them — `text` (gcc-style line, source line, caret, help),
//! `json` (an array of objects) and `github` (workflow commands that annotate a pull request).
//!
//! The text format is hand-written because its first line must be exactly
//! `path:line:col: error[rule]: message`, the shape editors and CI log parsers already understand;
//! the snippet renderers we looked at (annotate-snippets, codespan-reporting) put the location on a
//! second line.

use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How bad a problem is. Errors stop the build; warnings are printed and let it go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build (exit 1).
    Error,
    /// Printed, but the build goes on (unless `--deny-warnings`).
    Warning,
}

impl Severity {
    /// The word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem at one place in one file of the book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the book folder, with `/` separators (e.g. `guidelines/resp/croup.md`).
    pub file: PathBuf,
    /// 1-based line in the whole file (front matter included); 0 when the problem has no line.
    pub line: usize,
    /// 1-based column in characters; 0 when the problem has no column.
    pub col: usize,
    /// Rule id, e.g. `unknown-key`, `broken-link`, `trailing-zero`.
    pub rule: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it ("did you mean Respiratory?"), when we can say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The source line the problem is on, for the caret display.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters the caret underlines (at least 1).
    #[serde(skip)]
    pub span: usize,
}

impl Diagnostic {
    /// A new error at `file:line:col` (1-based) for `rule`.
    pub fn error(
        file: impl Into<PathBuf>,
        line: usize,
        col: usize,
        rule: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.into(),
            line,
            col,
            rule: rule.to_string(),
            severity: Severity::Error,
            message: message.into(),
            help: None,
            source_line: None,
            span: 1,
        }
    }

    /// A new warning; otherwise as [`Diagnostic::error`].
    pub fn warning(
        file: impl Into<PathBuf>,
        line: usize,
        col: usize,
        rule: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(file, line, col, rule, message)
        }
    }

    /// Adds a help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the severity (per-book rule severities are applied this way).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Attaches the source line (taken from `text`, the whole file) and the caret width.
    pub fn with_source(mut self, text: &str, span: usize) -> Self {
        if self.line > 0 {
            self.source_line = text
                .lines()
                .nth(self.line - 1)
                .map(|l| l.trim_end_matches('\r').to_string());
        }
        self.span = span.max(1);
        self
    }

    /// `path:line:col` (or less, where the problem has no line).
    pub fn location(&self) -> String {
        let file = display_path(&self.file);
        match (self.line, self.col) {
            (0, _) => file,
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        }
    }
}

/// A path as printed: `/` separators on every platform.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// "did you mean X?" for the candidate closest to `word`, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(suggest)
}

/// The help that suggests `candidate`: "did you mean Respiratory?".
pub fn suggest(candidate: &str) -> String {
    format!("did you mean {candidate}?")
}

/// The candidate closest to `word` (case-insensitive Jaro-Winkler above 0.8); the first of equals.
/// A candidate must also be a plausible slip: a few edits away (a third of the word's length,
/// transpositions counting once), or the word cut short (`review` for review_date). Jaro-Winkler
/// alone rewards a shared start, and `reveiwers` is not a misspelling of review_date.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let edits = (lower.chars().count() / 3).max(1);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let cand = c.to_lowercase();
        let score = strsim::jaro_winkler(&lower, &cand);
        if score <= 0.8 || best.is_some_and(|(b, _)| score <= b) {
            continue;
        }
        // The edit distance is the costly test (quadratic, allocating): only for a candidate
        // that would win on score.
        let slip = (lower.chars().count() >= 4 && cand.starts_with(&lower))
            || strsim::damerau_levenshtein(&lower, &cand) <= edits;
        if slip {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Key by which diagnostics are printed: file, then line, then column, then rule.
fn sort_key(d: &Diagnostic) -> (String, usize, usize, String, String) {
    (
        display_path(&d.file),
        d.line,
        d.col,
        d.rule.clone(),
        d.message.clone(),
    )
}

/// Sorts diagnostics by file and position and drops exact repeats.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by_key(sort_key);
    diags.dedup();
}

/// True when any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// Output formats of `check` (and, as text, of `build`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: error[rule]: message`, the source line, a caret and help.
    Text,
    /// A JSON array of diagnostic objects.
    Json,
    /// GitHub Actions workflow commands (`::error file=...`).
    Github,
}

/// Renders diagnostics in `format`; the result ends with a newline unless empty (text, github).
pub fn render(diags: &[Diagnostic], format: Format) -> String {
    match format {
        Format::Text => diags.iter().map(render_text).collect(),
        Format::Json => {
            let mut s =
                serde_json::to_string_pretty(&JsonList(diags)).unwrap_or_else(|_| "[]".into());
            s.push('\n');
            s
        }
        Format::Github => diags.iter().map(render_github).collect(),
    }
}

#[derive(Serialize)]
struct JsonList<'a>(&'a [Diagnostic]);

/// One diagnostic in the text format, with its snippet.
pub fn render_text(d: &Diagnostic) -> String {
    let mut out = format!(
        "{}: {}[{}]: {}\n",
        d.location(),
        d.severity.as_str(),
        d.rule,
        d.message
    );
    if let Some(src) = &d.source_line {
        let num = d.line.to_string();
        let pad = " ".repeat(num.len());
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{num} | {src}");
        if d.col > 0 {
            // Tabs keep their width so the caret lines up under the character.
            let lead: String = src
                .chars()
                .take(d.col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} | {lead}{}", "^".repeat(d.span.max(1)));
        }
    }
    if let Some(help) = &d.help {
        let pad = " ".repeat(if d.source_line.is_some() {
            d.line.to_string().len()
        } else {
            0
        });
        let _ = writeln!(out, "{pad} = help: {help}");
    }
    out
}

/// One diagnostic as a GitHub Actions workflow command.
fn render_github(d: &Diagnostic) -> String {
    let mut props = format!("file={}", escape_gh_property(&display_path(&d.file)));
    if d.line > 0 {
        let _ = write!(props, ",line={}", d.line);
    }
    if d.col > 0 {
        let _ = write!(props, ",col={}", d.col);
    }
    let _ = write!(props, ",title={}", escape_gh_property(&d.rule));
    let mut msg = d.message.clone();
    if let Some(h) = &d.help {
        msg.push_str(" (");
        msg.push_str(h);
        msg.push(')');
    }
    format!(
        "::{} {}::{}\n",
        d.severity.as_str(),
        props,
        escape_gh_data(&msg)
    )
}

fn escape_gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_gh_property(s: &str) -> String {
    escape_gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Line and column (1-based; column in characters) of byte offset `pos` in `text`.
pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
    LineCursor::default().line_col(text, pos)
}

/// [`line_col`] for many offsets into one text, counting lines on from the previous offset
/// asked: offsets in increasing order (a renderer's links) cost one pass over the text in all,
/// not one pass each. An earlier offset counts again from the top.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineCursor {
    /// Offset counted up to.
    pos: usize,
    /// Line at `pos` (from 1).
    line: usize,
    /// Start of that line.
    line_start: usize,
}

impl LineCursor {
    /// Line and column (from 1, in characters) of byte offset `pos` in `text` (an offset inside
    /// a character counts from that character's start; past the end, from the end).
    pub fn line_col(&mut self, text: &str, pos: usize) -> (usize, usize) {
        let pos = floor_char_boundary(text, pos.min(text.len()));
        if pos < self.pos || self.line == 0 {
            *self = LineCursor {
                pos: 0,
                line: 1,
                line_start: 0,
            };
        }
        for nl in memchr::memchr_iter(b'\n', &text.as_bytes()[self.pos..pos]) {
            self.line += 1;
            self.line_start = self.pos + nl + 1;
        }
        self.pos = pos;
        (self.line, text[self.line_start..pos].chars().count() + 1)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_format_has_location_caret_and_help() {
        let src = "a\nDose 5.0 mg daily\n";
        let d = Diagnostic::error(
            "g/croup.md",
            2,
            6,
            "trailing-zero",
            "\"5.0 mg\": write \"5 mg\"",
        )
        .with_help("a trailing zero can be read as 50")
        .with_source(src, 6);
        let out = render_text(&d);
        assert_eq!(
            out,
            "g/croup.md:2:6: error[trailing-zero]: \"5.0 mg\": write \"5 mg\"\n  |\n2 | Dose 5.0 mg daily\n  |      ^^^^^^\n  = help: a trailing zero can be read as 50\n"
        );
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::warning("a,b.md", 3, 1, "x", "50%\nnext");
        assert_eq!(
            render(&[d], Format::Github),
            "::warning file=a%2Cb.md,line=3,col=1,title=x::50%25%0Anext\n"
        );
    }

    #[test]
    fn line_col_counts_chars() {
        let t = "ab\nµx y";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, t.find('y').unwrap_or(0)), (2, 4));
    }

    #[test]
    fn line_cursor_agrees_with_line_col_in_any_order() {
        let t = "ab\nµx y\n\nlast line\r\nz";
        let mut cursor = LineCursor::default();
        // Increasing, repeated, backwards, inside a multi-byte character, past the end.
        for pos in [0, 1, 3, 3, 7, 9, 2, 4, 12, 200, 0, t.len()] {
            assert_eq!(cursor.line_col(t, pos), line_col(t, pos), "offset {pos}");
        }
    }

    #[test]
    fn did_you_mean_finds_close_word() {
        assert_eq!(
            did_you_mean("Respiratroy", ["Neonatal", "Respiratory"]).as_deref(),
            Some("did you mean Respiratory?")
        );
        assert_eq!(did_you_mean("zzz", ["Neonatal"]), None);
        let keys = ["title", "review_date", "authors", "last_reviewed"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("review", keys), Some("review_date"));
        assert_eq!(closest("lastreviewed", keys), Some("last_reviewed"));
        // A shared start is not enough: this is no slip for review_date.
        assert_eq!(closest("reveiwers", keys), None);
    }
}
