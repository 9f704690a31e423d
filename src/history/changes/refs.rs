//! The change list between two commits of the book's repository, as `wardbook changes` prints
//! it: the book at `--from` (renames followed) against the published guideline files at `--to`
//! (default HEAD), both read from the repository, never from the working tree.

use super::{ChangeList, NowFile, between};
use crate::history::{Repo, TreeFile};
use std::path::Path;

/// The change list of the book in `book_dir` from the ref `from` to the ref `to` (HEAD when
/// `None`). Fails, with a message that says what to do, when the book is not in a git
/// repository, the clone is shallow, or a ref does not resolve.
pub fn between_refs(book_dir: &Path, from: &str, to: Option<&str>) -> anyhow::Result<ChangeList> {
    let config = crate::config::load(book_dir)?;
    let repo = Repo::discover(&config)?.ok_or_else(|| {
        anyhow::anyhow!(
            "{} is not in a git repository, so it has no earlier editions to compare with; \
             `wardbook changes` reads the book's git history (run it in a clone of the book)",
            book_dir.display()
        )
    })?;
    let tip = match to {
        Some(rev) => repo.resolve(rev)?,
        None => repo.head()?,
    };
    let history = repo.read(&tip, Some(from))?;
    let edition = history.previous.as_ref().ok_or_else(|| {
        anyhow::anyhow!("the book at `{from}` could not be read from the repository")
    })?;
    let guidelines = config
        .source
        .strip_prefix(&config.root)
        .unwrap_or(Path::new(""));
    let now: Vec<NowFile> = repo
        .tree_files(&tip)?
        .into_iter()
        .filter(|f| is_guideline(&f.path, guidelines))
        .map(|TreeFile { path, bytes }| NowFile {
            source: path,
            text: String::from_utf8_lossy(&bytes).into(),
        })
        .collect();
    let mut list = between(edition, &now);
    super::annotate(&mut list, &history, &config, &now);
    Ok(list)
}

/// A `.md` file under the guidelines folder, not hidden: what the loader reads.
fn is_guideline(path: &Path, guidelines: &Path) -> bool {
    path.starts_with(guidelines)
        && path.extension().is_some_and(|x| x == "md")
        && !path
            .strip_prefix(guidelines)
            .unwrap_or(path)
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guideline_files_are_markdown_under_the_folder_and_not_hidden() {
        let g = Path::new("guidelines");
        assert!(is_guideline(Path::new("guidelines/resp/croup.md"), g));
        assert!(!is_guideline(Path::new("guidelines/resp/croup.txt"), g));
        assert!(!is_guideline(Path::new("guidelines/.drafts/x.md"), g));
        assert!(!is_guideline(Path::new("README.md"), g));
        assert!(!is_guideline(Path::new("guidelinesx/a.md"), g));
        assert!(is_guideline(Path::new("README.md"), Path::new("")));
    }
}
