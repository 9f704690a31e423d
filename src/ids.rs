//! Heading ids: the slug rule (GitHub-style, numbers kept apart), the ids the page templates
//! reserve, and how a repeated id is made unique. One definition for the pages, the search
//! index, the print book's file names and the rules shipped to the browser.

use std::collections::HashSet;

/// Ids the page templates use; headings never take them.
pub const RESERVED_IDS: &[&str] = &[
    "main-content",
    "contents",
    "search",
    "q",
    "top",
    "page-meta",
    "review",
];

/// A GitHub-style slug: lowercase, punctuation removed, spaces to hyphens; except that a
/// character removed between two digits leaves a hyphen, so "6–11 mL" or "12.5 mL" never gives
/// an id that reads as another number ("611", "125").
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' || c == '_' {
            out.push(if c == '_' { '_' } else { '-' });
        } else if out.ends_with(|p: char| p.is_ascii_digit())
            && chars.peek().is_some_and(char::is_ascii_digit)
        {
            out.push('-');
        }
    }
    out
}

/// The id [`unique_id`] would give `base` when `taken` says which ids are in use (not recorded).
pub fn free_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut id = base.to_string();
    let mut n = 1;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Makes `base` unique among `seen` the way GitHub does (`x`, `x-1`, `x-2`…).
pub fn unique_id(base: &str, seen: &mut HashSet<String>) -> String {
    let id = free_id(base, |id| seen.contains(id));
    seen.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs() {
        assert_eq!(
            slugify("Signs & symptoms (age < 5)"),
            "signs--symptoms-age--5"
        );
        assert_eq!(slugify("Step 2: Oxygen"), "step-2-oxygen");
        assert_eq!(
            slugify("Give 6–11 mL or 12.5 mL"),
            "give-6-11-ml-or-12-5-ml"
        );
        let mut seen = HashSet::new();
        assert_eq!(unique_id("a", &mut seen), "a");
        assert_eq!(unique_id("a", &mut seen), "a-1");
        assert_eq!(unique_id("a", &mut seen), "a-2");
    }
}
