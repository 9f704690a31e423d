//! Front matter: splits a guideline file into YAML and body, and parses the YAML into
//! [`RawFrontMatter`]. This is the only module that touches `serde_yaml` (frozen upstream), so a
//! replacement parser changes this file alone.

use serde::Deserialize;

/// Front matter keys as written; validated into a `Guideline` by the loader.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub section: Option<String>,
    pub network: Option<String>,
    pub review_date: Option<DateText>,
    pub version: Option<Scalar>,
    pub last_reviewed: Option<DateText>,
    pub authors: Option<Vec<String>>,
    pub keywords: Option<Vec<String>>,
    pub status: Option<String>,
    pub order: Option<i64>,
    pub change_summary: Option<String>,
    pub approved_by: Option<String>,
    pub approved_date: Option<DateText>,
    pub replaced_by: Option<String>,
}

/// The known front matter keys (for "did you mean").
pub const KEYS: &[&str] = &[
    "title",
    "section",
    "network",
    "review_date",
    "version",
    "last_reviewed",
    "authors",
    "keywords",
    "status",
    "order",
    "change_summary",
    "approved_by",
    "approved_date",
    "replaced_by",
];

/// A date as YAML gives it: always a string here (YAML 1.2 has no date type in serde_yaml).
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct DateText(pub String);

/// A version may be written `2.1` (a YAML number) or `"2.1"`; both become the text as written.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
}

/// Where a YAML problem is: line and column within the YAML text (1-based), and the message.
#[derive(Debug)]
pub struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// The file split at its front matter fences.
#[derive(Debug)]
pub struct Split<'a> {
    /// YAML text between the fences.
    pub yaml: &'a str,
    /// 1-based file line on which the YAML starts (the line after the opening `---`).
    pub yaml_line: usize,
    /// Everything after the closing fence line.
    pub body: &'a str,
    /// 1-based file line on which the body starts.
    pub body_line: usize,
}

/// Splits `text` at `---` fences; `None` when the file does not start with front matter.
pub fn split(text: &str) -> Option<Split<'_>> {
    let text_nobom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = text.len() - text_nobom.len();
    let first_end = text_nobom.find('\n')?;
    if text_nobom[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = offset + first_end + 1;
    let mut pos = yaml_start;
    let mut line = 2;
    while pos <= text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            let body_start = (end + 1).min(text.len());
            return Some(Split {
                yaml: &text[yaml_start..pos],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        if end == text.len() {
            break;
        }
        pos = end + 1;
        line += 1;
    }
    None
}

/// Parses the YAML of the front matter.
pub fn parse(yaml: &str) -> Result<RawFrontMatter, YamlError> {
    parse_as(yaml)
}

/// Parses front matter YAML into any shape (a local section's front matter has its own keys):
/// the one YAML reader, for files that are not guidelines too.
pub fn parse_as<T: serde::de::DeserializeOwned>(yaml: &str) -> Result<T, YamlError> {
    if yaml.trim().is_empty() {
        return Err(YamlError {
            line: 1,
            col: 1,
            message: "the front matter is empty".into(),
        });
    }
    serde_yaml::from_str(yaml).map_err(|e| {
        let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        YamlError {
            line,
            col,
            message: e.to_string(),
        }
    })
}

/// Line, column (1-based) and width in characters of the value of the front matter's top-level
/// `key` in the whole file `text`; (1, 1, 1) when it cannot be found.
pub fn key_at(text: &str, key: &str) -> (usize, usize, usize) {
    for (i, line) in text.lines().enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if matches!(line.trim_end(), "---" | "...") {
            break;
        }
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let value = rest.trim_start();
            let col = line.len() - value.len();
            let width = value.trim_end().chars().count();
            return (i + 1, line[..col].chars().count() + 1, width.max(1));
        }
    }
    (1, 1, 1)
}

impl Scalar {
    /// The value as text.
    pub fn into_string(self) -> String {
        match self {
            Scalar::Text(s) => s,
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_found_in_the_front_matter_only() {
        let text = "---\ntitle: T\nversion: \"1.2\"\n---\nversion: 9\n";
        assert_eq!(key_at(text, "version"), (3, 10, 5));
        assert_eq!(key_at(text, "approved_date"), (1, 1, 1));
    }
}
