//! Cross-guideline link resolution: which guideline (and anchor) a relative link written in one
//! guideline points to, or why it points nowhere (a draft, a file with errors, no such file, a
//! path leaving the book). Built once per build from the loaded [`Book`].

use super::{Book, Status};
use crate::paths::{decode, is_external, join_relative};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Where links and images resolve: the book and a map from source path to guideline index.
pub struct LinkContext<'a> {
    /// The book being built.
    pub book: &'a Book,
    /// Source path (book-relative) → index in `book.guidelines`.
    pub by_source: HashMap<PathBuf, usize>,
    /// Every `.md` source path in the book, including drafts left out of this build.
    pub all_sources: BTreeMap<PathBuf, Status>,
    /// Whether a broken link's help searches the book for the file meant. Off where the
    /// diagnostics are dropped (archived old texts), as the search costs a scan of every file.
    pub suggest: bool,
    /// Source paths guidelines had before (old texts link them) → the root-relative page each
    /// leads to now; empty for the book's own pages.
    pub former: HashMap<PathBuf, String>,
}

impl<'a> LinkContext<'a> {
    /// Builds the lookup tables for `book`.
    pub fn new(book: &'a Book) -> Self {
        let by_source = book
            .guidelines
            .iter()
            .enumerate()
            .map(|(i, g)| (g.source.clone(), i))
            .collect();
        let mut all_sources: BTreeMap<PathBuf, Status> = book
            .guidelines
            .iter()
            .map(|g| (g.source.clone(), g.front.status))
            .collect();
        all_sources.extend(book.left_out.iter().map(|p| (p.clone(), Status::Draft)));
        LinkContext {
            book,
            by_source,
            all_sources,
            suggest: true,
            former: HashMap::new(),
        }
    }

    /// The page (root-relative) a link from `from` to a guideline no longer at the path it names
    /// leads to, when the path is one a guideline had ([`LinkContext::former`]).
    pub fn former_page(&self, from: &Path, dest: &str) -> Option<&str> {
        if self.former.is_empty() {
            return None;
        }
        let path = dest.split_once('#').map_or(dest, |(p, _)| p);
        let target = join_relative(from, &decode(path))?;
        self.former.get(&target).map(String::as_str)
    }

    /// Resolves a link destination written in `from` to a guideline index and anchor.
    /// `Ok(None)` means "not a link to a guideline" (external, or a non-Markdown file).
    pub fn resolve(
        &self,
        from: &Path,
        dest: &str,
    ) -> Result<Option<(usize, Option<String>)>, LinkError> {
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(decode(a))),
            None => (dest, None),
        };
        if path.is_empty() {
            let own = self.by_source.get(from).copied();
            return Ok(own.map(|i| (i, anchor)));
        }
        if is_external(path) || !path.ends_with(".md") {
            return Ok(None);
        }
        let target = join_relative(from, &decode(path))
            .ok_or_else(|| LinkError::LeavesBook(path.to_string()))?;
        if let Some(&i) = self.by_source.get(&target) {
            return Ok(Some((i, anchor)));
        }
        Err(match self.all_sources.get(&target) {
            Some(Status::Draft) => LinkError::Draft(target),
            _ if self.book.config.root.join(&target).is_file() => LinkError::NotLoaded(target),
            _ => LinkError::Missing(target),
        })
    }
}

/// Why a link to a guideline does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// The path climbs out of the book folder.
    LeavesBook(String),
    /// The target is a draft that is not published.
    Draft(PathBuf),
    /// The target file exists but could not be loaded (its own errors are reported).
    NotLoaded(PathBuf),
    /// No such guideline file.
    Missing(PathBuf),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::LeavesBook(path) => write!(f, "link to {path} leaves the book folder"),
            LinkError::Draft(t) => {
                write!(f, "links to {}, a draft that is not published", t.display())
            }
            LinkError::NotLoaded(t) => write!(
                f,
                "links to {}, which has errors of its own (reported with it)",
                t.display()
            ),
            LinkError::Missing(t) => write!(f, "links to {}, which does not exist", t.display()),
        }
    }
}
