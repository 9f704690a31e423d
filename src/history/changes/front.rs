//! The few front-matter keys a comparison needs (title, version, status, section and the
//! version's governance: change_summary, approved_by, approved_date, replaced_by), read
//! leniently from a guideline file's text at any commit: an old file may have keys since
//! renamed, or YAML that no longer parses. What does not parse reads as absent; the body is
//! still split off, so the comparison goes on.

use crate::content::frontmatter::{Scalar, split};
use serde::Deserialize;

/// One guideline file's text, split and read for comparison.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Front<'a> {
    /// `title`, when it reads as text.
    pub title: Option<String>,
    /// `version`, written as the loader writes it (`2.3` and `"2.3"` alike).
    pub version: Option<String>,
    /// `status`, trimmed.
    pub status: Option<String>,
    /// `change_summary`.
    pub change_summary: Option<String>,
    /// `section`, as written (a slug or a title).
    pub section: Option<String>,
    /// `approved_by`.
    pub approved_by: Option<String>,
    /// `approved_date`, as written.
    pub approved_date: Option<String>,
    /// `replaced_by`, as written (a path to another guideline).
    pub replaced_by: Option<String>,
    /// The YAML between the fences (empty without front matter).
    pub yaml: &'a str,
    /// The Markdown body (the whole text without front matter).
    pub body: &'a str,
}

/// The keys read; every other key is ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Lenient {
    title: Option<Scalar>,
    version: Option<Scalar>,
    status: Option<Scalar>,
    change_summary: Option<Scalar>,
    section: Loose,
    approved_by: Loose,
    approved_date: Loose,
    replaced_by: Loose,
}

/// A key read as text when it is a scalar, and as absent otherwise (a list, a map), without
/// failing the keys beside it.
#[derive(Debug, Default)]
struct Loose(Option<String>);

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde_yaml::Value;
        Ok(Loose(match Value::deserialize(d)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }))
    }
}

impl<'a> Front<'a> {
    /// Reads `text`; never fails.
    pub fn read(text: &'a str) -> Self {
        let Some(s) = split(text) else {
            return Front {
                body: text,
                ..Front::default()
            };
        };
        let raw = serde_yaml::from_str::<Lenient>(s.yaml).unwrap_or_default();
        Front {
            title: raw.title.map(Scalar::into_string),
            version: raw.version.map(Scalar::into_string),
            status: raw.status.map(|s| s.into_string().trim().to_string()),
            change_summary: raw.change_summary.map(Scalar::into_string),
            section: raw.section.0,
            approved_by: raw.approved_by.0,
            approved_date: raw.approved_date.0,
            replaced_by: raw.replaced_by.0,
            yaml: s.yaml,
            body: s.body,
        }
    }

    /// `status: withdrawn`.
    pub fn withdrawn(&self) -> bool {
        self.status.as_deref() == Some("withdrawn")
    }

    /// `status: draft`: not part of the published book.
    pub fn draft(&self) -> bool {
        self.status.as_deref() == Some("draft")
    }

    /// The title, or the file name when the front matter has none.
    pub fn title_or(&self, source: &std::path::Path) -> String {
        self.title.clone().unwrap_or_else(|| {
            source
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_keys_it_needs_and_ignores_the_rest() {
        let f = Front::read(
            "---\ntitle: Croup\nversion: 2.3\nstatus: withdrawn\nold_key: x\nchange_summary: Dose.\n---\n# Body\n",
        );
        assert_eq!(f.title.as_deref(), Some("Croup"));
        assert_eq!(f.version.as_deref(), Some("2.3"));
        assert!(f.withdrawn() && !f.draft());
        assert_eq!(f.change_summary.as_deref(), Some("Dose."));
        assert_eq!(f.body, "# Body\n");
    }

    #[test]
    fn bad_yaml_or_no_front_matter_reads_as_absent_keys() {
        let f = Front::read("---\ntitle: [unclosed\nversion: 2\n---\nBody\n");
        assert_eq!((f.title, f.version), (None, None));
        assert_eq!(f.body, "Body\n");
        let f = Front::read("# No front matter\n");
        assert_eq!(f.body, "# No front matter\n");
        assert_eq!(f.title_or(std::path::Path::new("g/croup.md")), "croup");
        let f = Front::read("---\ntitle:\n  - a list\n---\n");
        assert_eq!(f.title, None);
    }
}
