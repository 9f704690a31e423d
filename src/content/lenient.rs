//! The lenient front-matter reader, beside the strict one ([`super::frontmatter`]): a guideline
//! file's text from any commit (or any text to compare), read for the few keys that history and
//! comparisons need. An old file may have keys since renamed or YAML that no longer parses, so
//! this never fails: what cannot be read reads as absent keys, and [`OldText::problem`] says why
//! the text could not have been built. Everything that reads old texts reads them here, once.

use super::frontmatter::{Scalar, split};
use std::sync::Arc;

/// One guideline file's text, split at its front matter and read leniently.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OldText {
    /// The whole file (invalid UTF-8 replaced, so a broken old file still shows).
    pub text: Arc<str>,
    /// Byte offset in `text` where the Markdown body starts (0 without front matter).
    pub body_start: usize,
    /// The keys read from the front matter.
    pub front: OldFront,
}

/// The front-matter keys history and comparisons read; every other key is ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OldFront {
    /// `title`, when it reads as text.
    pub title: Option<String>,
    /// `version`, written as the loader writes it (`2.3` and `"2.3"` alike).
    pub version: Option<String>,
    /// `status`, trimmed.
    pub status: Option<String>,
    /// `section`, as written (resolved against book.toml by whoever needs the page address).
    pub section: Option<String>,
    /// `change_summary`.
    pub change_summary: Option<String>,
    /// `approved_by`.
    pub approved_by: Option<String>,
    /// `approved_date`, as written.
    pub approved_date: Option<String>,
    /// `replaced_by`, as written (a path to another guideline).
    pub replaced_by: Option<String>,
    /// Why the text could not have been built (not UTF-8, no front matter, YAML that does not
    /// parse); `None` when it reads.
    pub problem: Option<String>,
}

impl OldText {
    /// Reads a blob's bytes; never fails.
    pub fn from_bytes(bytes: &[u8]) -> OldText {
        let mut t = OldText::read(String::from_utf8_lossy(bytes).into());
        if t.front.problem.is_none() && std::str::from_utf8(bytes).is_err() {
            t.front.problem = Some("the file is not UTF-8".into());
        }
        t
    }

    /// Reads `text`; never fails.
    pub fn read(text: Arc<str>) -> OldText {
        let (body_start, yaml) = yaml_of(&text);
        let front = OldFront::from_yaml(yaml);
        OldText {
            text,
            body_start,
            front,
        }
    }

    /// Reads `text` with front matter already read (the same YAML read once for many texts).
    pub fn with_front(text: Arc<str>, front: OldFront) -> OldText {
        let (body_start, _) = yaml_of(&text);
        OldText {
            text,
            body_start,
            front,
        }
    }

    /// The Markdown body (the whole text without front matter).
    pub fn body(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or_default()
    }

    /// `status: withdrawn`.
    pub fn withdrawn(&self) -> bool {
        self.front.status.as_deref() == Some("withdrawn")
    }

    /// `status: draft`: not part of the published book.
    pub fn draft(&self) -> bool {
        self.front.status.as_deref() == Some("draft")
    }

    /// The title, or the file name when the front matter has none.
    pub fn title_or(&self, source: &std::path::Path) -> String {
        self.front.title.clone().unwrap_or_else(|| {
            source
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
    }
}

/// The body's byte offset and the YAML between the fences (`None`: no front matter).
pub fn yaml_of(text: &str) -> (usize, Option<&str>) {
    match split(text) {
        Some(s) => (text.len() - s.body.len(), Some(s.yaml)),
        None => (0, None),
    }
}

impl OldFront {
    /// Reads the YAML of a front matter (`None`: the text has none).
    pub fn from_yaml(yaml: Option<&str>) -> OldFront {
        let Some(yaml) = yaml else {
            return OldFront {
                problem: Some("the file does not start with front matter".into()),
                ..OldFront::default()
            };
        };
        let map = match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
            Ok(serde_yaml::Value::Mapping(m)) => m,
            Ok(serde_yaml::Value::Null) => serde_yaml::Mapping::new(),
            Ok(_) => {
                return OldFront {
                    problem: Some("its front matter is not a list of `key: value` lines".into()),
                    ..OldFront::default()
                };
            }
            Err(e) => {
                let line = e.location().map_or(1, |l| l.line());
                return OldFront {
                    problem: Some(format!(
                        "its front matter does not parse (YAML line {line}: {})",
                        first_line(&e.to_string())
                    )),
                    ..OldFront::default()
                };
            }
        };
        // A key whose value is not a scalar (a list, say) reads as absent: the old text's
        // problem to have, not the reader's.
        let text = |key: &str| match map.get(key)? {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(number(n)),
            _ => None,
        };
        OldFront {
            title: text("title"),
            version: text("version"),
            status: text("status").map(|s| s.trim().to_string()),
            section: text("section"),
            change_summary: text("change_summary"),
            approved_by: text("approved_by"),
            approved_date: text("approved_date"),
            replaced_by: text("replaced_by"),
            problem: None,
        }
    }
}

/// A YAML number as the strict reader writes a version ([`Scalar::into_string`]).
fn number(n: &serde_yaml::Number) -> String {
    let scalar = if let Some(i) = n.as_i64() {
        Scalar::Int(i)
    } else if let Some(f) = n.as_f64() {
        Scalar::Float(f)
    } else {
        Scalar::Text(n.to_string())
    };
    scalar.into_string()
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> OldText {
        OldText::read(s.into())
    }

    #[test]
    fn reads_the_keys_and_ignores_others() {
        let p = read(
            "---\ntitle: Croup\nversion: 2.3\nstatus: withdrawn\nold_key: x\n\
             change_summary: Dose changed.\napproved_by: Group\napproved_date: 2025-01-02\n---\nBody\n",
        );
        assert_eq!(p.front.version.as_deref(), Some("2.3"));
        assert!(p.withdrawn() && !p.draft());
        assert_eq!(p.front.title.as_deref(), Some("Croup"));
        assert_eq!(p.front.change_summary.as_deref(), Some("Dose changed."));
        assert_eq!(p.front.approved_by.as_deref(), Some("Group"));
        assert_eq!(p.front.approved_date.as_deref(), Some("2025-01-02"));
        assert_eq!(p.body(), "Body\n");
        assert_eq!(p.front.problem, None);
    }

    #[test]
    fn broken_yaml_or_no_front_matter_reads_as_absent_keys_with_a_problem() {
        let f = read("---\ntitle: [unclosed\nversion: 2\n---\nBody\n");
        assert_eq!((&f.front.title, &f.front.version), (&None, &None));
        assert_eq!(f.body(), "Body\n");
        assert!(
            f.front
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("does not parse")),
            "{f:?}"
        );
        let f = read("# No front matter\n");
        assert_eq!(f.body(), "# No front matter\n");
        assert_eq!(f.title_or(std::path::Path::new("g/croup.md")), "croup");
        assert!(f.front.problem.is_some());
        let f = read("---\ntitle:\n  - a list\n---\n");
        assert_eq!(f.front.title, None);
        assert_eq!(
            read("---\nversion: \"3\"\n---\n").front.version.as_deref(),
            Some("3")
        );
        assert!(!read("---\nstatus: current\n---\n").withdrawn());
        assert_eq!(read("---\n---\nBody\n").front.problem, None);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_a_problem_and_still_show() {
        let t = OldText::from_bytes(b"---\nversion: 1\n---\nBad \xff byte\n");
        assert_eq!(t.front.version.as_deref(), Some("1"));
        assert_eq!(t.front.problem.as_deref(), Some("the file is not UTF-8"));
        assert!(t.body().starts_with("Bad "));
    }
}
