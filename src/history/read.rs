//! Reading the repository with gitoxide: discovering it from the book folder, resolving refs,
//! reading the history (the walk, then every changed blob's front matter in parallel), the book
//! at an earlier edition, and every file of a commit's tree (for `build --at`).

use super::blob;
use super::error::{HistoryError, git};
use super::walk::{self, Scope, Walk};
use super::{Commit, Edition, EditionFile, History, PassedOver};
use crate::config::Config;
use crate::content::OldText;
use gix::ObjectId;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file of a commit's tree, under the book folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    /// Book-relative path, `/`-separated.
    pub path: PathBuf,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The repository holding a book, opened once.
#[derive(Clone)]
pub struct Repo {
    repo: gix::ThreadSafeRepository,
    scope: Scope,
}

impl Repo {
    /// Opens the repository that holds the book at `config.root`; `Ok(None)` when the book is
    /// not in a git repository. A shallow clone is [`HistoryError::Shallow`]: call this only
    /// when history is wanted.
    pub fn discover(config: &Config) -> Result<Option<Repo>, HistoryError> {
        let Some(mut repo) = Repo::open(&config.root)? else {
            return Ok(None);
        };
        repo.check_complete()?;
        repo.set_book(config);
        Ok(Some(repo))
    }

    /// Opens the repository holding the folder `root` (a book folder), shallow or not; the
    /// guidelines folder is taken as the book folder until [`Repo::set_book`].
    pub fn open(root: &Path) -> Result<Option<Repo>, HistoryError> {
        use gix::discover::upwards::Error as E;
        if let Err(e) = gix::discover::upwards(root) {
            return match e.downcast_any_ref::<E>() {
                Some(
                    E::NoGitRepository { .. }
                    | E::NoGitRepositoryWithinCeiling { .. }
                    | E::NoGitRepositoryWithinFs { .. },
                ) => Ok(None),
                _ => Err(git(e)),
            };
        }
        let repo = gix::ThreadSafeRepository::discover(root).map_err(git)?;
        let workdir = repo
            .work_dir()
            .ok_or_else(|| git("the repository has no work tree"))?;
        let root = std::fs::canonicalize(root).map_err(git)?;
        let workdir = std::fs::canonicalize(workdir).map_err(git)?;
        let prefix = slashed(root.strip_prefix(&workdir).unwrap_or(Path::new("")));
        Ok(Some(Repo {
            repo,
            scope: Scope {
                prefix,
                source: String::new(),
            },
        }))
    }

    /// [`HistoryError::Shallow`] when the clone is shallow (its early history is missing).
    pub fn check_complete(&self) -> Result<(), HistoryError> {
        let local = self.local();
        if local.is_shallow().map_err(git)? {
            let dir = local.workdir().unwrap_or(local.git_dir()).to_path_buf();
            return Err(HistoryError::Shallow { repo: dir });
        }
        Ok(())
    }

    /// True when HEAD points at a branch with no commits yet (a new repository).
    pub fn is_unborn(&self) -> bool {
        self.local().head_id().is_err()
    }

    /// Takes the guidelines folder from `config` (a book read from another commit may keep its
    /// guidelines elsewhere); the book folder in the repository stays the same.
    pub fn set_book(&mut self, config: &Config) {
        let source = slashed(
            config
                .source
                .strip_prefix(&config.root)
                .unwrap_or(Path::new("")),
        );
        self.scope.source = if source.is_empty() {
            source
        } else {
            source + "/"
        };
    }

    /// Where the book is in the repository (its folder and its guidelines folder), as a key.
    pub(crate) fn scope_key(&self) -> String {
        format!("{}:{}", self.scope.prefix, self.scope.source)
    }

    /// The commit HEAD points at.
    pub fn head(&self) -> Result<Commit, HistoryError> {
        let repo = self.local();
        let id = repo.head_id().map_err(git)?.detach();
        commit_info(&repo, id)
    }

    /// The commit a tag, branch or commit id names.
    pub fn resolve(&self, rev: &str) -> Result<Commit, HistoryError> {
        let repo = self.local();
        let unknown = || HistoryError::UnknownRef { rev: rev.into() };
        if rev.trim().is_empty() {
            return Err(unknown());
        }
        let spec = format!("{rev}^{{commit}}");
        let id = repo
            .rev_parse_single(spec.as_str())
            .map_err(|_| unknown())?
            .detach();
        commit_info(&repo, id)
    }

    /// The history of the book's guideline files on the first-parent line up to `tip`, with
    /// the book at `previous` (a ref) when given.
    pub fn read(&self, tip: &Commit, previous: Option<&str>) -> Result<History, HistoryError> {
        let repo = self.local();
        let tip_id = oid(tip)?;
        let previous = previous.map(|p| Ok((p, self.resolve(p)?))).transpose()?;
        let mark = previous.as_ref().map(|(_, c)| oid(c)).transpose()?;
        let local = || self.local();
        let walk = crate::timings::phase("history walk", || {
            walk::walk(&local, tip_id, &self.scope, mark)
        })?;
        // File by file, newest first: git stores an older version as a delta of a newer one,
        // so each read finds its base among the ones just read (the pack cache).
        let ids: Vec<ObjectId> = walk
            .files
            .iter()
            .flat_map(|events| events.iter().rev())
            .filter_map(|e| e.blob)
            .collect();
        let blobs = crate::timings::phase("history blobs", || self.read_blobs(ids))?;
        // Revisions introduced after this commit are new since the previous edition; an edition
        // off the first-parent line counts up to the last commit of its date or before.
        let since = previous.as_ref().and_then(|(_, c)| {
            walk.mark_line
                .or_else(|| walk.commits.iter().rposition(|l| l.date <= c.date))
        });
        let (mut files, passed): (Vec<_>, Vec<_>) = walk
            .files
            .par_iter()
            .map(|events| super::revisions::file_history(events, &walk.commits, &blobs, since))
            .unzip();
        files.sort_by(|a, b| {
            (&a.source, a.removed.is_none()).cmp(&(&b.source, b.removed.is_none()))
        });
        let mut passed_over: Vec<PassedOver> = passed.into_iter().flatten().collect();
        let order: HashMap<&str, usize> = walk
            .commits
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        passed_over.sort_by_key(|p| (order.get(p.commit.id.as_str()).copied(), p.source.clone()));
        let previous = match previous {
            Some((label, commit)) => Some(self.edition(&repo, label, commit, &walk, &blobs)?),
            None => None,
        };
        Ok(History {
            tip: tip.clone(),
            files,
            previous,
            passed_over,
        })
    }

    /// Every file under the book folder at `commit` (book.toml, guidelines, themes,
    /// templates…), sorted by path: what `build --at` builds from.
    pub fn tree_files(&self, commit: &Commit) -> Result<Vec<TreeFile>, HistoryError> {
        let repo = self.local();
        let paths = self.tree_blobs(&repo, oid(commit)?, "")?;
        let mut files: Vec<TreeFile> = paths
            .into_par_iter()
            .map_init(
                || self.local(),
                |repo, (path, id)| {
                    let bytes = repo.find_blob(id).map_err(git)?.take_data();
                    Ok(TreeFile {
                        path: path.into(),
                        bytes,
                    })
                },
            )
            .collect::<Result<_, HistoryError>>()?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// A handle for this thread, with the caches a history read needs: decoded objects (the
    /// trees diffed twice, as new then as old) and delta bases (each version of a file is
    /// usually stored as a delta of the next).
    fn local(&self) -> gix::Repository {
        let mut repo = self.repo.to_thread_local();
        repo.object_cache_size_if_unset(16 * 1024 * 1024);
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                16 * 1024 * 1024,
            ))
        });
        repo
    }

    /// Reads and parses each distinct blob once, in parallel.
    /// Each thread reads a contiguous run of `ids`, so keep versions of a file together.
    fn read_blobs(
        &self,
        mut ids: Vec<ObjectId>,
    ) -> Result<HashMap<ObjectId, Arc<OldText>>, HistoryError> {
        let mut seen = std::collections::HashSet::with_capacity(ids.len());
        ids.retain(|id| seen.insert(*id));
        let ids = crate::timings::phase("history blob order", || in_pack_order(&self.local(), ids));
        let per_thread = ids.len().div_ceil(rayon::current_num_threads()).max(1);
        let read = |chunk: &[ObjectId]| {
            let repo = self.local();
            chunk
                .iter()
                .map(|id| Ok((*id, repo.find_blob(*id).map_err(git)?.take_data())))
                .collect::<Result<Vec<_>, HistoryError>>()
        };
        let raw = crate::timings::phase("history blob read", || {
            ids.par_chunks(per_thread)
                .map(read)
                .collect::<Result<Vec<_>, _>>()
        })?;
        Ok(crate::timings::phase("history blob parse", || {
            blob::parse_all(raw.into_iter().flatten().collect())
        }))
    }

    /// Every blob under `under` (book-relative folder, empty or ending in `/`) in the book
    /// folder of `commit`, with its book-relative path.
    fn tree_blobs(
        &self,
        repo: &gix::Repository,
        commit: ObjectId,
        under: &str,
    ) -> Result<Vec<(String, ObjectId)>, HistoryError> {
        let tree_id = repo
            .find_commit(commit)
            .map_err(git)?
            .tree_id()
            .map_err(git)?
            .detach();
        let Some(book) = walk::book_tree(repo, tree_id, &self.scope.prefix)? else {
            return Ok(Vec::new());
        };
        let start = match under.trim_end_matches('/') {
            "" => Some(book),
            dir => walk::book_tree(repo, book.id, dir)?,
        };
        let mut out = Vec::new();
        if let Some(tree) = start {
            collect_blobs(repo, &tree, under.to_string(), &mut out)?;
        }
        Ok(out)
    }

    /// The book's guideline files at `commit`, each with its path at the tip.
    fn edition(
        &self,
        repo: &gix::Repository,
        label: &str,
        commit: Commit,
        walk: &Walk,
        known: &HashMap<ObjectId, Arc<OldText>>,
    ) -> Result<Edition, HistoryError> {
        let paths: Vec<(String, ObjectId)> = self
            .tree_blobs(repo, oid(&commit)?, &self.scope.source)?
            .into_iter()
            .filter(|(p, _)| self.scope.is_guideline(p))
            .collect();
        let tip_path: HashMap<usize, &String> = walk.at_tip.iter().map(|(p, f)| (*f, p)).collect();
        let now = |path: &String| -> Option<PathBuf> {
            match &walk.at_mark {
                Some(mark) => mark
                    .get(path)
                    .and_then(|f| tip_path.get(f))
                    .map(PathBuf::from),
                None => walk.at_tip.contains_key(path).then(|| PathBuf::from(path)),
            }
        };
        // On the first-parent line every blob of the edition was read already.
        let missing = paths
            .iter()
            .map(|(_, id)| *id)
            .filter(|id| !known.contains_key(id));
        let blobs = self.read_blobs(missing.collect())?;
        let mut files: Vec<EditionFile> = paths
            .iter()
            .map(|(path, id)| EditionFile {
                source: path.into(),
                now: now(path),
                text: known.get(id).unwrap_or_else(|| &blobs[id]).clone(),
            })
            .collect();
        files.sort_by(|a, b| a.source.cmp(&b.source));
        Ok(Edition {
            label: label.into(),
            commit,
            files,
        })
    }
}

/// `ids` in the order their objects are stored in their packs. A packed object that is a delta
/// is stored after its base, so reading in this order finds each base already decoded (in the
/// pack cache) instead of decoding its whole delta chain again. Loose objects go last.
fn in_pack_order(repo: &gix::Repository, ids: Vec<ObjectId>) -> Vec<ObjectId> {
    use gix::odb::pack::Find;
    let mut odb = repo.objects.clone().into_inner();
    odb.prevent_pack_unload();
    let mut at: HashMap<ObjectId, (u32, u64)> = HashMap::new();
    let mut packs = std::collections::HashSet::new();
    let mut buf = Vec::new();
    for id in &ids {
        if at.contains_key(id) {
            continue;
        }
        let Ok(Some(loc)) = odb.location_by_oid(id, &mut buf) else {
            continue;
        };
        if packs.insert(loc.pack_id)
            && let Ok(Some(all)) = odb.pack_offsets_and_oid(loc.pack_id)
        {
            at.extend(all.into_iter().map(|(off, oid)| (oid, (loc.pack_id, off))));
        }
    }
    let mut ids = ids;
    ids.sort_by_key(|id| at.get(id).copied().unwrap_or((u32::MAX, 0)));
    ids
}

/// Pushes every blob in `tree` (whose path is `path`, empty or ending in `/`) onto `out`.
fn collect_blobs(
    repo: &gix::Repository,
    tree: &gix::Tree<'_>,
    path: String,
    out: &mut Vec<(String, ObjectId)>,
) -> Result<(), HistoryError> {
    for entry in tree.iter() {
        let entry = entry.map_err(git)?;
        let name = format!("{path}{}", entry.inner.filename);
        if entry.inner.mode.is_tree() {
            let sub = repo.find_tree(entry.inner.oid.to_owned()).map_err(git)?;
            collect_blobs(repo, &sub, name + "/", out)?;
        } else if entry.inner.mode.is_blob() {
            out.push((name, entry.inner.oid.to_owned()));
        }
    }
    Ok(())
}

fn commit_info(repo: &gix::Repository, id: ObjectId) -> Result<Commit, HistoryError> {
    let c = repo.find_commit(id).map_err(git)?;
    Ok(Commit {
        id: id.to_string(),
        date: walk::date_of(c.time().map_err(git)?),
    })
}

fn oid(commit: &Commit) -> Result<ObjectId, HistoryError> {
    ObjectId::from_hex(commit.id.as_bytes()).map_err(git)
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}
