//! The front matter history needs from an old version of a guideline file: read leniently,
//! because a file in an old commit may have keys that have since been renamed, or YAML that
//! no longer parses. What does not parse counts as "no front matter" (no version).

use crate::content::frontmatter::{Scalar, split};
use gix::ObjectId;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::HashMap;
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
    /// `section`, as written (a slug or a title).
    pub section: Option<String>,
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
    section: Option<Scalar>,
}

/// Reads `bytes` (a blob) as a guideline file (one at a time: the tests' way).
#[cfg(test)]
pub(crate) fn parse(bytes: &[u8]) -> Parsed {
    let text: Arc<str> = String::from_utf8_lossy(bytes).into();
    let front = front(&text);
    Parsed { text, ..front }
}

/// Reads many blobs, in parallel. Most commits change a body and not its front matter, so
/// each distinct front matter is parsed once.
pub(crate) fn parse_all(blobs: Vec<(ObjectId, Vec<u8>)>) -> HashMap<ObjectId, Arc<Parsed>> {
    let texts: Vec<(ObjectId, Arc<str>)> = blobs
        .into_par_iter()
        .map(|(id, bytes)| (id, String::from_utf8_lossy(&bytes).into()))
        .collect();
    let mut distinct: HashMap<&str, usize> = HashMap::new();
    let keys: Vec<usize> = texts
        .iter()
        .map(|(_, t)| {
            let yaml = split(t).map_or("", |s| s.yaml);
            let next = distinct.len();
            *distinct.entry(yaml).or_insert(next)
        })
        .collect();
    let mut yamls: Vec<(&str, usize)> = distinct.into_iter().collect();
    yamls.sort_by_key(|(_, i)| *i);
    let fronts: Vec<Parsed> = yamls.par_iter().map(|(y, _)| from_yaml(y)).collect();
    texts
        .into_iter()
        .zip(keys)
        .map(|((id, text), k)| {
            let front = fronts[k].clone();
            (id, Arc::new(Parsed { text, ..front }))
        })
        .collect()
}

/// The keys of the front matter of `text` (no text).
#[cfg(test)]
fn front(text: &str) -> Parsed {
    split(text).map_or_else(Parsed::default, |s| from_yaml(s.yaml))
}

fn from_yaml(yaml: &str) -> Parsed {
    if yaml.is_empty() {
        return Parsed::default();
    }
    let raw = serde_yaml::from_str::<Lenient>(yaml).unwrap_or_default();
    Parsed {
        version: raw.version.map(Scalar::into_string),
        withdrawn: raw
            .status
            .is_some_and(|s| s.into_string().trim() == "withdrawn"),
        title: raw.title.map(Scalar::into_string),
        change_summary: raw.change_summary.map(Scalar::into_string),
        approved_by: raw.approved_by.map(Scalar::into_string),
        approved_date: raw.approved_date.map(Scalar::into_string),
        section: raw.section.map(Scalar::into_string),
        text: Arc::from(""),
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

    #[test]
    fn parse_all_shares_front_matter_and_keeps_each_text() {
        let id = |b: u8| ObjectId::from_bytes_or_panic(&[b; 20]);
        let all = parse_all(vec![
            (id(1), b"---\nversion: 1\n---\nA\n".to_vec()),
            (id(2), b"---\nversion: 1\n---\nB\n".to_vec()),
            (id(3), b"---\nversion: 2\n---\nB\n".to_vec()),
        ]);
        assert_eq!(all[&id(1)].version.as_deref(), Some("1"));
        assert_eq!(&*all[&id(2)].text, "---\nversion: 1\n---\nB\n");
        assert_eq!(all[&id(3)].version.as_deref(), Some("2"));
        assert_eq!(*all[&id(1)], parse(b"---\nversion: 1\n---\nA\n"));
    }
}
