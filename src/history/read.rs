//! Reading the repository with gitoxide: discovering it from the book folder, resolving refs,
//! walking the first-parent line with renames followed, and reading a commit's tree.
//! (Interface first; the walk is filled in next.)

use super::{Commit, History};
use crate::config::Config;
use std::path::PathBuf;

/// Why history could not be read. Each message says what to do.
#[derive(Debug)]
pub enum HistoryError {
    /// The clone is shallow: earlier commits are missing, so dates would be wrong.
    Shallow {
        /// The repository's folder.
        repo: PathBuf,
    },
    /// A ref (tag, branch, commit) that does not resolve to a commit.
    UnknownRef {
        /// The ref as written.
        rev: String,
    },
    /// Any other failure of reading the repository.
    Git(String),
}

impl std::fmt::Display for HistoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HistoryError::Shallow { repo } => write!(
                f,
                "the git repository at {} is a shallow clone, so the history of the book is incomplete; \
                 fetch the whole history with `git fetch --unshallow` (in CI: `fetch-depth: 0` for \
                 actions/checkout), or remove [history] from book.toml",
                repo.display()
            ),
            HistoryError::UnknownRef { rev } => write!(
                f,
                "`{rev}` is not a tag, branch or commit of the book's repository; \
                 check the name (`git tag`, `git branch -a`) and fetch tags (`git fetch --tags`)"
            ),
            HistoryError::Git(e) => write!(f, "cannot read the book's git history: {e}"),
        }
    }
}

impl std::error::Error for HistoryError {}

/// One file of a commit's tree, under the book folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    /// Book-relative path, `/`-separated.
    pub path: PathBuf,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The repository holding a book, opened once.
pub struct Repo {
    _private: (),
}

impl Repo {
    /// Opens the repository that holds the book at `config.root`; `Ok(None)` when the book is
    /// not in a git repository.
    pub fn discover(config: &Config) -> Result<Option<Repo>, HistoryError> {
        let _ = config;
        Err(HistoryError::Git("not yet implemented".into()))
    }

    /// The commit HEAD points at.
    pub fn head(&self) -> Result<Commit, HistoryError> {
        Err(HistoryError::Git("not yet implemented".into()))
    }

    /// The commit a tag, branch or commit id names.
    pub fn resolve(&self, rev: &str) -> Result<Commit, HistoryError> {
        Err(HistoryError::UnknownRef { rev: rev.into() })
    }

    /// The history of the book's guideline files on the first-parent line up to `tip`, with
    /// the book at `previous` (a ref) when given.
    pub fn read(&self, tip: &Commit, previous: Option<&str>) -> Result<History, HistoryError> {
        let _ = (tip, previous);
        Err(HistoryError::Git("not yet implemented".into()))
    }

    /// Every file under the book folder at `commit` (book.toml, guidelines, themes,
    /// templates…), sorted by path: what `build --at` builds from.
    pub fn tree_files(&self, commit: &Commit) -> Result<Vec<TreeFile>, HistoryError> {
        let _ = commit;
        Err(HistoryError::Git("not yet implemented".into()))
    }
}
