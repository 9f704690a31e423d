//! URL and path helpers shared by every output: percent-encoding and decoding, relative links
//! between book files, joining a relative link onto its file's folder, and telling external URLs
//! from book-relative ones.

use std::path::{Component, Path, PathBuf};

/// True for `http:`, `mailto:`, `//host` and other URLs with a scheme.
pub fn is_external(dest: &str) -> bool {
    dest.starts_with("//")
        || dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// `s` percent-decoded (invalid UTF-8 replaced), as link destinations and anchors are compared.
pub fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `from`'s folder joined with relative `dest`, normalised; `None` if it climbs out of the book.
pub fn join_relative(from: &Path, dest: &str) -> Option<PathBuf> {
    let mut parts: Vec<String> = from.parent().map_or_else(Vec::new, |p| {
        p.components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    });
    for c in Path::new(dest).components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(PathBuf::from(parts.join("/")))
}

/// The relative link from the file `from` to the file `to` (both book-relative).
pub fn relative_link(from: &Path, to: &Path) -> String {
    let from_dir: Vec<_> = from
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    let to_parts: Vec<_> = to.components().collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from_dir.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Percent-encodes characters that cannot stand in a URL path (spaces, `#`, `?`, `%`…).
pub fn encode_path(p: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    percent_encoding::utf8_percent_encode(p, SET).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        let from = Path::new("guidelines/resp/croup.md");
        assert_eq!(
            join_relative(from, "../inf/sepsis.md"),
            Some(PathBuf::from("guidelines/inf/sepsis.md"))
        );
        assert_eq!(
            join_relative(from, "./x.md"),
            Some(PathBuf::from("guidelines/resp/x.md"))
        );
        assert_eq!(join_relative(from, "../../../x.md"), None);
    }

    #[test]
    fn relative_links_between_files() {
        let from = Path::new("guidelines/resp/croup.md");
        assert_eq!(
            relative_link(from, Path::new("guidelines/resp/asthma.md")),
            "asthma.md"
        );
        assert_eq!(
            relative_link(from, Path::new("guidelines/inf/sepsis.md")),
            "../inf/sepsis.md"
        );
    }

    #[test]
    fn external_links() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("a.md#x:y"));
    }
}
