//! The front matter history needs from an old version of a guideline file: read leniently,
//! because a file in an old commit may have keys that have since been renamed, or YAML that
//! no longer parses. What does not parse counts as "no front matter" (no version).

use crate::content::frontmatter::{Scalar, split};
use serde::Deserialize;
use std::sync::Arc;

/// A guideline file at one commit: its whole text and the keys history reads.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Parsed {
    /// The whole file (invalid UTF-8 replaced, so an old broken file still shows).
    pub text: Arc<str>,
    /// `version`, as the loader writes it.
    pub version: Option<String>,
    /// `status: withdrawn`.
    pub withdrawn: bool,
    /// `title`.
    pub title: Option<String>,
    /// `change_summary`.
    pub change_summary: Option<String>,
    /// `approved_by`.
    pub approved_by: Option<String>,
    /// `approved_date`, as written.
    pub approved_date: Option<String>,
}

/// The keys history reads; every other key is ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Lenient {
    version: Option<Scalar>,
    status: Option<Scalar>,
    title: Option<Scalar>,
    change_summary: Option<Scalar>,
    approved_by: Option<Scalar>,
    approved_date: Option<Scalar>,
}

/// Reads `bytes` (a blob) as a guideline file.
pub(crate) fn parse(bytes: &[u8]) -> Parsed {
    let text: Arc<str> = String::from_utf8_lossy(bytes).into();
    let raw = split(&text)
        .and_then(|s| serde_yaml::from_str::<Lenient>(s.yaml).ok())
        .unwrap_or_default();
    Parsed {
        version: raw.version.map(Scalar::into_string),
        withdrawn: raw
            .status
            .is_some_and(|s| s.into_string().trim() == "withdrawn"),
        title: raw.title.map(Scalar::into_string),
        change_summary: raw.change_summary.map(Scalar::into_string),
        approved_by: raw.approved_by.map(Scalar::into_string),
        approved_date: raw.approved_date.map(Scalar::into_string),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_keys_and_ignores_others() {
        let p = parse(
            b"---\ntitle: Croup\nversion: 2.3\nstatus: withdrawn\nold_key: x\n\
              change_summary: Dose changed.\napproved_by: Group\napproved_date: 2025-01-02\n---\nBody\n",
        );
        assert_eq!(p.version.as_deref(), Some("2.3"));
        assert!(p.withdrawn);
        assert_eq!(p.title.as_deref(), Some("Croup"));
        assert_eq!(p.change_summary.as_deref(), Some("Dose changed."));
        assert_eq!(p.approved_by.as_deref(), Some("Group"));
        assert_eq!(p.approved_date.as_deref(), Some("2025-01-02"));
        assert!(p.text.ends_with("Body\n"));
    }

    #[test]
    fn broken_yaml_or_no_front_matter_has_no_version() {
        assert_eq!(parse(b"---\nversion: [\n---\n").version, None);
        assert_eq!(parse(b"# Just a body\n").version, None);
        assert_eq!(
            parse(b"---\nversion: \"3\"\n---\n").version.as_deref(),
            Some("3")
        );
        assert!(!parse(b"---\nstatus: current\n---\n").withdrawn);
    }
}
