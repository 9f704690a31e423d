//! What happens when book.toml has `[history]` and the history cannot be read because the book
//! is not in a git repository or the clone is shallow: an error at the `[history]` line that
//! says so, or, under `[history] required = false`, a warning that the history is missing, and
//! the build goes on without it. (`--no-history` skips the history before this is asked.)

use super::{HistoryError, Repo};
use crate::config::{BOOK_TOML, Config};
use crate::diag::{Diagnostic, Severity, line_col};

/// Rule id of the diagnostics about a history that cannot be read.
pub const RULE: &str = "history";

/// The repository holding the book, when history can be read. `Ok(None)` when it cannot and a
/// diagnostic saying why went to `diags` (an error unless `[history] required = false`); other
/// failures of reading the repository are returned.
pub fn open(config: &Config, diags: &mut Vec<Diagnostic>) -> Result<Option<Repo>, HistoryError> {
    let required = config.history.as_ref().is_none_or(|h| h.required);
    let why = match Repo::discover(config) {
        Ok(Some(repo)) => return Ok(Some(repo)),
        Ok(None) => HistoryError::NotARepository {
            dir: config.root.clone(),
        },
        Err(e @ HistoryError::Shallow { .. }) => e,
        Err(e) => return Err(e),
    };
    diags.push(missing(config, &why, required));
    Ok(None)
}

/// The diagnostic at book.toml's `[history]` line for a history that cannot be read.
pub fn missing(config: &Config, why: &HistoryError, required: bool) -> Diagnostic {
    let text = &config.text;
    let (line, col) = text
        .find("[history]")
        .map_or((0, 0), |at| line_col(text, at));
    let what = match why {
        HistoryError::NotARepository { dir } => format!(
            "book.toml has [history] but the book ({}) is not in a git repository, so there are no versions, archive or change list",
            dir.display()
        ),
        HistoryError::Shallow { repo } => format!(
            "book.toml has [history] but the git repository at {} is a shallow clone, so the history of the book is incomplete",
            repo.display()
        ),
        other => other.to_string(),
    };
    let (severity, message, help) = if required {
        (
            Severity::Error,
            what,
            "build in a full clone of the book's repository (`git fetch --unshallow`; in CI `fetch-depth: 0` for actions/checkout), or build without history: `--no-history` for this build, `required = false` under [history] for every build",
        )
    } else {
        (
            Severity::Warning,
            format!("{what}: building without history"),
            "the pages have no version tables or archive and there is no change list; build in a full clone of the book's repository to have them",
        )
    };
    Diagnostic::error(BOOK_TOML, line, col, RULE, message)
        .with_severity(severity)
        .with_help(help)
        .with_source(text, "[history]".len())
}
