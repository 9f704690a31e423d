//! The first-parent walk: every commit from the root to the tip, oldest first, and for each
//! guideline file (followed through renames) the commits that added, changed, moved or removed
//! it. Only the book folder's subtree is diffed, and a commit that leaves it unchanged is skipped
//! without a diff; unchanged subtrees inside it are skipped by the tree diff itself.

use super::Commit;
use super::error::{HistoryError, git};
use gix::ObjectId;
use gix::bstr::ByteSlice;
use gix::diff::tree_with_rewrites::{Change, Options};
use rayon::prelude::*;
use std::collections::HashMap;

/// One commit's effect on one file.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    /// Index into [`Walk::commits`].
    pub commit: usize,
    /// Book-relative path after the commit (the last path, for a removal).
    pub path: String,
    /// The file's blob after the commit; `None` when the commit removed it.
    pub blob: Option<ObjectId>,
    /// The path before, when the commit moved the file.
    pub moved_from: Option<String>,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    /// The first-parent line, oldest first.
    pub commits: Vec<Commit>,
    /// Each file's events, oldest first; a file is one identity through renames.
    pub files: Vec<Vec<Event>>,
    /// Guideline path → file, at the tip.
    pub at_tip: HashMap<String, usize>,
    /// Guideline path → file, just after the commit `mark` (when it is on the line).
    pub at_mark: Option<HashMap<String, usize>>,
    /// Index in `commits` of the commit `mark`, when it is on the line.
    pub mark_line: Option<usize>,
    /// Last path → file, for files removed (and not added back) by now.
    removed: HashMap<String, usize>,
}

/// Which paths are the book's guidelines, and where the book is in the repository.
#[derive(Debug, Clone)]
pub(crate) struct Scope {
    /// The book folder relative to the work tree, `/`-separated; empty at the root.
    pub prefix: String,
    /// The guidelines folder relative to the book folder, ending in `/` (empty: the book folder).
    pub source: String,
}

impl Scope {
    /// True for a `.md` file under the guidelines folder, not hidden (as the loader finds them).
    pub fn is_guideline(&self, path: &str) -> bool {
        path.strip_prefix(self.source.as_str()).is_some_and(|rest| {
            rest.ends_with(".md") && !rest.split('/').any(|c| c.starts_with('.') || c.is_empty())
        })
    }
}

/// Walks the first-parent line of `tip`, recording guideline file events. `local` makes a
/// repository handle for the calling thread: the commits' diffs are made in parallel, each
/// thread taking a run of consecutive commits newest first (git stores an older tree as a delta
/// of a newer one), and applied in order afterwards.
pub(crate) fn walk(
    local: &(dyn Fn() -> gix::Repository + Sync),
    tip: ObjectId,
    scope: &Scope,
    mark: Option<ObjectId>,
) -> Result<Walk, HistoryError> {
    let line = crate::timings::phase("history line", || first_parent_line(&local(), tip))?;
    let trees: Vec<ObjectId> = line.iter().map(|(_, t)| *t).collect();
    let per_thread = trees.len().div_ceil(rayon::current_num_threads()).max(1);
    let starts: Vec<usize> = (0..trees.len()).step_by(per_thread).collect();
    let diffs = crate::timings::phase("history diffs", || {
        starts
            .par_iter()
            .map(|&start| {
                let end = (start + per_thread).min(trees.len());
                diff_run(&local(), &trees, start..end, &scope.prefix)
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    let mut diffs: Vec<(usize, Vec<Change>)> = diffs.into_iter().flatten().collect();
    diffs.sort_by_key(|(idx, _)| *idx);
    let mut diffs = diffs.into_iter().peekable();
    let mut walk = Walk::default();
    let mark = mark.map(|m| m.to_string());
    for (idx, (commit, _)) in line.into_iter().enumerate() {
        walk.commits.push(commit);
        if let Some((_, changes)) = diffs.next_if(|(i, _)| *i == idx) {
            walk.apply(idx, changes, scope);
        }
        if mark.as_ref() == Some(&walk.commits[idx].id) {
            walk.at_mark = Some(walk.at_tip.clone());
            walk.mark_line = Some(idx);
        }
    }
    Ok(walk)
}

/// The changes each commit in `run` (indices into `trees`, the commits' trees) made to the book
/// folder, against the commit before it; commits that left the folder alone are left out.
fn diff_run(
    repo: &gix::Repository,
    trees: &[ObjectId],
    run: std::ops::Range<usize>,
    prefix: &str,
) -> Result<Vec<(usize, Vec<Change>)>, HistoryError> {
    let mut cache = repo.diff_resource_cache_for_tree_diff().map_err(git)?;
    let mut state = gix::diff::tree::State::default();
    let empty = repo.empty_tree();
    let mut out = Vec::new();
    let mut older: Option<Option<gix::Tree<'_>>> = None;
    for idx in run {
        let old = match (older.take(), idx) {
            (Some(t), _) => t,
            (None, 0) => None,
            (None, _) => book_tree(repo, trees[idx - 1], prefix)?,
        };
        let new = book_tree(repo, trees[idx], prefix)?;
        let unchanged = match (&old, &new) {
            (Some(a), Some(b)) => a.id == b.id,
            (None, None) => true,
            _ => false,
        };
        if !unchanged {
            let (a, b) = (
                old.as_ref().unwrap_or(&empty),
                new.as_ref().unwrap_or(&empty),
            );
            out.push((idx, diff(repo, a, b, &mut cache, &mut state)?));
        }
        older = Some(new);
    }
    Ok(out)
}

/// The commits from the root to `tip` following first parents, oldest first, with their trees.
fn first_parent_line(
    repo: &gix::Repository,
    tip: ObjectId,
) -> Result<Vec<(Commit, ObjectId)>, HistoryError> {
    let mut line = Vec::new();
    let mut next = Some(tip);
    while let Some(id) = next {
        let c = repo.find_commit(id).map_err(git)?;
        let time = c.time().map_err(git)?;
        let tree = c.tree_id().map_err(git)?.detach();
        next = c.parent_ids().next().map(|p| p.detach());
        line.push((
            Commit {
                id: id.to_string(),
                date: date_of(time),
            },
            tree,
        ));
    }
    line.reverse();
    Ok(line)
}

/// A git time as the civil date in its own offset.
pub(crate) fn date_of(time: gix::date::Time) -> jiff::civil::Date {
    let offset = jiff::tz::Offset::from_seconds(time.offset).unwrap_or(jiff::tz::Offset::UTC);
    jiff::Timestamp::from_second(time.seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(offset.to_time_zone())
        .date()
}

/// The book folder's tree in the commit tree `tree_id`; `None` when the commit has no such folder.
pub(crate) fn book_tree<'r>(
    repo: &'r gix::Repository,
    tree_id: ObjectId,
    prefix: &str,
) -> Result<Option<gix::Tree<'r>>, HistoryError> {
    let mut tree = repo.find_tree(tree_id).map_err(git)?;
    if prefix.is_empty() {
        return Ok(Some(tree));
    }
    match tree.peel_to_entry_by_path(prefix).map_err(git)? {
        Some(e) if e.mode().is_tree() => Ok(Some(repo.find_tree(e.object_id()).map_err(git)?)),
        _ => Ok(None),
    }
}

/// The changes from `old` to `new` (book trees), renames detected as git does by default.
fn diff(
    repo: &gix::Repository,
    old: &gix::Tree<'_>,
    new: &gix::Tree<'_>,
    cache: &mut gix::diff::blob::Platform,
    state: &mut gix::diff::tree::State,
) -> Result<Vec<Change>, HistoryError> {
    let mut out = Vec::new();
    let options = Options {
        location: Some(gix::diff::tree::recorder::Location::Path),
        rewrites: Some(gix::diff::Rewrites::default()),
    };
    let kind = repo.object_hash();
    gix::diff::tree_with_rewrites(
        gix::objs::TreeRefIter::from_bytes(&old.data, kind),
        gix::objs::TreeRefIter::from_bytes(&new.data, kind),
        cache,
        state,
        &repo.objects,
        |change| {
            out.push(change.into_owned());
            Ok(std::ops::ControlFlow::Continue(()))
        },
        options,
    )
    .map_err(git)?;
    cache.clear_resource_cache_keep_allocation();
    Ok(out)
}

impl Walk {
    /// Records one commit's changes: removals (and the sources of moves) first, so that a path
    /// freed and reused in the same commit goes to the right file.
    fn apply(&mut self, commit: usize, changes: Vec<Change>, scope: &Scope) {
        let mut later = Vec::new();
        for change in changes {
            match change {
                Change::Deletion {
                    location,
                    entry_mode,
                    ..
                } if entry_mode.is_blob() => {
                    let path = location.to_str_lossy().into_owned();
                    if let Some(file) = self.at_tip.remove(&path) {
                        self.push(file, commit, path, None, None);
                    }
                }
                Change::Rewrite {
                    source_location,
                    entry_mode,
                    location,
                    id,
                    copy,
                    ..
                } if entry_mode.is_blob() => {
                    let from = source_location.to_str_lossy().into_owned();
                    let to = location.to_str_lossy().into_owned();
                    let file = if copy {
                        None
                    } else {
                        self.at_tip.remove(&from)
                    };
                    match (file, scope.is_guideline(&to)) {
                        (Some(f), true) => later.push((Some(f), to, id, Some(from))),
                        (Some(f), false) => self.push(f, commit, from, None, None),
                        (None, true) => later.push((None, to, id, None)),
                        (None, false) => {}
                    }
                }
                Change::Addition {
                    location,
                    entry_mode,
                    id,
                    ..
                }
                | Change::Modification {
                    location,
                    entry_mode,
                    id,
                    ..
                } if entry_mode.is_blob() => {
                    let path = location.to_str_lossy().into_owned();
                    if scope.is_guideline(&path) {
                        later.push((None, path, id, None));
                    }
                }
                _ => {}
            }
        }
        for (file, path, id, from) in later {
            let file = file
                .or_else(|| self.at_tip.get(&path).copied())
                .or_else(|| self.removed.remove(&path))
                .unwrap_or_else(|| {
                    self.files.push(Vec::new());
                    self.files.len() - 1
                });
            self.at_tip.insert(path.clone(), file);
            self.push(file, commit, path, Some(id), from);
        }
    }

    fn push(
        &mut self,
        file: usize,
        commit: usize,
        path: String,
        blob: Option<ObjectId>,
        moved_from: Option<String>,
    ) {
        if blob.is_none() {
            self.removed.insert(path.clone(), file);
        }
        self.files[file].push(Event {
            commit,
            path,
            blob,
            moved_from,
        });
    }
}
