//! History in the build pipeline: reading it for a loaded book (HEAD, or the commit of
//! `build --at`), reusing the last reading while nothing it depends on moved (serve), the change
//! list and `version-not-bumped` against the previous edition, the governance rules over the
//! versions (`version-order`, `summary-not-updated`), and the checkout of a commit's
//! book folder that `build --at` builds from.

use super::{BookHistory, Commit, History, HistoryError, NowFile, PassedOver, Repo, changes};
use crate::config::{BOOK_TOML, Config};
use crate::content::Book;
use crate::diag::{Diagnostic, line_col};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The last history read, kept between builds (serve) and reused while HEAD and the previous
/// edition's commit stay the same.
#[derive(Debug, Default)]
pub struct Cached {
    /// Tip commit id and previous-edition commit id the history was read for.
    key: Option<(String, Option<String>)>,
    history: Option<Arc<History>>,
}

/// Reads the history of `book` (tip: `at`, or HEAD of the repository holding the book) and,
/// with a previous edition, the change list and the `version-not-bumped` diagnostics, with the
/// governance rules over the versions. `None` without `[history]` or before the first commit;
/// outside a git repository or in a shallow clone too, after a diagnostic that says the history
/// is missing ([`super::required`]).
pub fn for_book(
    book: &Book,
    diags: &mut Vec<Diagnostic>,
    at: Option<(&Repo, &Commit)>,
    cache: Option<&mut Cached>,
) -> Result<Option<BookHistory>, HistoryError> {
    let Some(config) = book.config.history.as_ref() else {
        return Ok(None);
    };
    let found;
    let (repo, tip) = match at {
        Some((repo, commit)) => {
            repo.check_complete()?;
            (repo, commit.clone())
        }
        None => {
            found = super::required::open(&book.config, diags)?;
            match &found {
                Some(repo) if !repo.is_unborn() => (repo, repo.head()?),
                _ => return Ok(None),
            }
        }
    };
    let previous = config.previous_edition.as_deref();
    // The disk cache is the book folder's; a `--at` checkout is a temporary folder.
    let disk = at.is_none().then_some(book.config.root.as_path());
    let (history, cached) = crate::timings::phase("history read", || {
        read_cached(repo, &tip, previous, cache, disk)
    })?;
    diags.extend(history.passed_over.iter().map(passed_over));
    let mut changes = None;
    if let Some(edition) = &history.previous {
        let now: Vec<NowFile> = book
            .guidelines
            .iter()
            .map(|g| NowFile {
                source: g.source.clone(),
                text: g.text.clone(),
            })
            .collect();
        let mut list = changes::between(edition, &now);
        changes::annotate(&mut list, &history, &book.config, &now);
        changes = Some(Arc::new(list));
        diags.extend(changes::version_not_bumped(edition, book));
    }
    diags.extend(super::governance::check(&history, book));
    Ok(Some(BookHistory {
        history,
        changes,
        cached,
    }))
}

/// The warning for a commit whose text of a guideline was passed over.
fn passed_over(p: &PassedOver) -> Diagnostic {
    let short = p.commit.id.get(..12).unwrap_or(&p.commit.id);
    Diagnostic::warning(
        &p.source,
        0,
        0,
        PASSED_OVER,
        format!(
            "commit {short} of {} was passed over: {}; it could not have been built, so it is \
             no revision and the text before it stays in force in the archive",
            p.commit.date, p.why
        ),
    )
    .with_help(
        "nothing to fix in today's file: the archive shows what could have been published; \
         build that commit (`wardbook build --at <commit>`) to see the problem",
    )
}

/// Rule id of the warning for a commit passed over.
pub const PASSED_OVER: &str = "history-passed-over";

/// The history at `tip`: from `cache` (serve's, in memory) when it was read for the same tip
/// and previous edition, else from the disk cache under `disk` (the book folder) when its key
/// is the same, else read from the repository (and kept in both). The flag says whether it
/// came from a cache (no blob read).
fn read_cached(
    repo: &Repo,
    tip: &Commit,
    previous: Option<&str>,
    cache: Option<&mut Cached>,
    disk: Option<&Path>,
) -> Result<(Arc<History>, bool), HistoryError> {
    let resolved = previous.map(|p| repo.resolve(p)).transpose()?;
    let key = (tip.id.clone(), resolved.as_ref().map(|c| c.id.clone()));
    if let Some(c) = &cache
        && let (Some(k), Some(h)) = (&c.key, &c.history)
        && *k == key
    {
        return Ok((h.clone(), true));
    }
    let disk_key = super::cache::key(
        &repo.scope_key(),
        &tip.id,
        previous.zip(resolved.as_ref().map(|c| c.id.as_str())),
    );
    let file = disk.map(super::cache::path);
    let kept = file
        .as_deref()
        .and_then(|f| super::cache::load(f, &disk_key));
    let from_cache = kept.is_some();
    let history = match kept {
        Some(h) => Arc::new(h),
        None => {
            let h = repo.read(tip, previous)?;
            if let Some(f) = &file {
                crate::timings::phase("history cache write", || {
                    super::cache::store(f, &disk_key, &h)
                });
            }
            Arc::new(h)
        }
    };
    if let Some(cache) = cache {
        *cache = Cached {
            key: Some(key),
            history: Some(history.clone()),
        };
    }
    Ok((history, from_cache))
}

impl HistoryError {
    /// The error as a diagnostic on book.toml's `previous_edition` line, when that is what
    /// does not resolve; other failures are not the book's text and stay errors.
    pub fn diagnostic(&self, config: &Config) -> Option<Diagnostic> {
        let HistoryError::UnknownRef { rev } = self else {
            return None;
        };
        let previous = config.history.as_ref()?.previous_edition.as_ref()?;
        if previous != rev {
            return None;
        }
        let text = &config.text;
        let pos = text
            .find("previous_edition")
            .and_then(|at| text[at..].find(rev.as_str()).map(|i| at + i));
        let (line, col) = pos.map_or((0, 0), |p| line_col(text, p));
        let d = Diagnostic::error(
            BOOK_TOML,
            line,
            col,
            "unknown-edition",
            format!("[history] previous_edition `{rev}` is not a tag, branch or commit of the book's repository"),
        )
        .with_help(
            "check the name (`git tag`, `git branch -a`), fetch tags (`git fetch --tags`), or remove previous_edition",
        );
        Some(if pos.is_some() {
            d.with_source(text, rev.chars().count())
        } else {
            d
        })
    }
}

/// The book folder as it was at a commit, written out to a temporary folder (removed when
/// dropped): what `build --at` builds.
pub struct Checkout {
    _dir: tempfile::TempDir,
    root: PathBuf,
    repo: Repo,
    commit: Commit,
}

impl Checkout {
    /// Resolves `rev` in the repository holding `book_dir` and writes every file of the book
    /// folder at that commit to a temporary folder.
    pub fn new(book_dir: &Path, rev: &str) -> Result<Checkout, HistoryError> {
        let repo = Repo::open(book_dir)?.ok_or_else(|| HistoryError::NotARepository {
            dir: book_dir.to_path_buf(),
        })?;
        let commit = repo.resolve(rev)?;
        let files = repo.tree_files(&commit)?;
        let io = |what: &str, p: &Path, e: std::io::Error| {
            HistoryError::Git(format!("cannot {what} {}: {e}", p.display()))
        };
        let dir = tempfile::Builder::new()
            .prefix("wardbook-at-")
            .tempdir()
            .map_err(|e| io("create a temporary folder in", &std::env::temp_dir(), e))?;
        let root = dir.path().join("book");
        for f in &files {
            let to = root.join(&f.path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
            }
            std::fs::write(&to, &f.bytes).map_err(|e| io("write", &to, e))?;
        }
        std::fs::create_dir_all(&root).map_err(|e| io("create", &root, e))?;
        Ok(Checkout {
            _dir: dir,
            root,
            repo,
            commit,
        })
    }

    /// The book folder of the checkout.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The repository it was read from.
    pub fn repo(&self) -> &Repo {
        &self.repo
    }

    /// The commit it was read at.
    pub fn commit(&self) -> &Commit {
        &self.commit
    }
}
