//! Why history could not be read, each message saying what to do.

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
    /// The book folder is not in a git repository (and something needs one: `--at`).
    NotARepository {
        /// The book folder.
        dir: PathBuf,
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
            HistoryError::NotARepository { dir } => write!(
                f,
                "{} is not in a git repository, so it has no commits to build from; \
                 build without --at, or run wardbook in the book's repository",
                dir.display()
            ),
            HistoryError::Git(e) => write!(f, "cannot read the book's git history: {e}"),
        }
    }
}

impl std::error::Error for HistoryError {}

/// A failure of gix, as a [`HistoryError::Git`].
pub(crate) fn git(e: impl std::fmt::Display) -> HistoryError {
    HistoryError::Git(e.to_string())
}
