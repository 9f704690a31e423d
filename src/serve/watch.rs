//! Watching the book (notify) and turning bursts of file events into one rebuild.
//!
//! In: raw notify events on a channel. Out: a [`Batch`] of the book's changed files, once the
//! events have paused for a short quiet time (so an editor's save by rename, a delete, or a
//! `git checkout` of hundreds of files is one rebuild). Watched: `book.toml` and `synonyms.toml`
//! (the book folder itself, not recursively), and recursively the source folder, `templates/` and
//! `themes/`. Ignored: the output folder, hidden files and folders, editor temp files (`.swp`, `~`,
//! `.#x`, `#x#`, vim's `4913`, `.tmp`), and file opens (our own builds read every source).

use crate::config::{BOOK_TOML, Config};
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// What the rebuild thread receives.
pub enum Msg {
    /// A file system event (or a watcher error).
    Fs(notify::Result<notify::Event>),
    /// The repository's HEAD moved (a commit, checkout or reset): history is read again.
    Head,
    /// Stop serving.
    Stop,
}

/// How long to wait for more events after the last one, while a burst is small (an editor's
/// save, even by rename, sends its events within a millisecond or two)…
pub const QUIET: Duration = Duration::from_millis(10);
/// …and once it has touched more than [`SMALL_BURST`] files (a checkout or a search-and-replace).
pub const QUIET_BURST: Duration = Duration::from_millis(120);
/// Files in a burst up to which the short quiet time applies (an editor's save touches one or two).
pub const SMALL_BURST: usize = 3;
/// …and once it has touched more than [`LARGE_BURST`] files (surely a checkout: it may still be
/// writing, and the rebuild can wait a moment to be the only one).
pub const QUIET_LARGE: Duration = Duration::from_millis(300);
/// See [`QUIET_LARGE`].
pub const LARGE_BURST: usize = 50;
/// A steady stream of changes is still rebuilt this often.
pub const MAX_WAIT: Duration = Duration::from_secs(2);

/// The files the book is made of, for deciding which events matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// The book folder.
    pub root: PathBuf,
    /// The source folder.
    pub source: PathBuf,
    /// The output folder (ignored).
    pub output: PathBuf,
}

impl Paths {
    /// The paths of `config`'s book.
    pub fn of(config: &Config) -> Self {
        Paths {
            root: config.root.clone(),
            source: config.source.clone(),
            output: config.output.clone(),
        }
    }

    /// Folders watched recursively.
    fn trees(&self) -> [PathBuf; 4] {
        [
            self.source.clone(),
            self.root.join("templates"),
            self.root.join("themes"),
            self.root.join(crate::adapt::DIR),
        ]
    }

    /// True when a change to `path` can change the site.
    pub fn relevant(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) || is_temp(path) {
            return false;
        }
        if path.parent() == Some(self.root.as_path()) {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if matches!(
                name,
                BOOK_TOML | "synonyms.toml" | "templates" | "themes" | crate::adapt::DIR
            ) || path == self.source
            {
                return true;
            }
        }
        self.trees().iter().any(|t| match path.strip_prefix(t) {
            Ok(rel) => !rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.')),
            Err(_) => false,
        })
    }
}

/// Editor and tool scratch files: never part of the book.
pub fn is_temp(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name == ".DS_Store"
        || [".swp", ".swo", ".swx", ".tmp", ".part", ".crdownload"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Changed files gathered for one rebuild.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Every relevant path that changed (created, written, renamed, removed).
    pub paths: BTreeSet<PathBuf>,
    /// The watcher lost events (queue overflow): trust nothing cached.
    pub rescan: bool,
    /// Relevant events seen.
    pub events: usize,
    /// The repository's HEAD moved: pages that show history are made again.
    pub head_moved: bool,
}

impl Batch {
    /// Adds one notify event; true when it was relevant.
    fn add(&mut self, ev: notify::Result<notify::Event>, paths: &Paths) -> bool {
        let ev = match ev {
            Ok(ev) => ev,
            Err(_) => {
                self.rescan = true;
                self.events += 1;
                return true;
            }
        };
        if ev.need_rescan() {
            self.rescan = true;
            self.events += 1;
            return true;
        }
        if !changes_content(&ev.kind) {
            return false;
        }
        let before = self.paths.len();
        self.paths.extend(
            ev.paths
                .into_iter()
                .filter(|p| paths.relevant(p))
                .collect::<Vec<_>>(),
        );
        let relevant = self.paths.len() > before;
        self.events += usize::from(relevant);
        relevant
    }

    /// True when `book.toml` changed (the configuration is reloaded).
    pub fn config_changed(&self, paths: &Paths) -> bool {
        self.rescan || self.paths.contains(&paths.root.join(BOOK_TOML))
    }

    /// True when something other than a guideline's text changed in the source folder (an image
    /// appeared or went: links to it change), or folders came or went.
    pub fn files_changed(&self, paths: &Paths) -> bool {
        self.rescan
            || self
                .paths
                .iter()
                .any(|p| p.starts_with(&paths.source) && p.extension().is_none_or(|e| e != "md"))
    }

    /// True when the watched folders themselves may have come or gone (watches are renewed).
    pub fn folders_changed(&self, paths: &Paths) -> bool {
        self.rescan
            || self
                .paths
                .iter()
                .any(|p| p.parent() == Some(paths.root.as_path()) && p.extension().is_none())
    }
}

/// Opening or reading a file changes nothing; every other kind of event may.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Waits for the next relevant change, then gathers events until they pause. `None` on stop.
pub fn next_batch(rx: &Receiver<Msg>, paths: &Paths, quiet: Duration) -> Option<Batch> {
    let mut batch = Batch::default();
    loop {
        match rx.recv() {
            Ok(Msg::Fs(ev)) => {
                if batch.add(ev, paths) {
                    break;
                }
            }
            Ok(Msg::Head) => {
                batch.head_moved = true;
                break;
            }
            Ok(Msg::Stop) | Err(_) => return None,
        }
    }
    let start = Instant::now();
    let mut deadline = start + quiet;
    loop {
        let now = Instant::now();
        if now >= deadline || now.duration_since(start) >= MAX_WAIT {
            return Some(batch);
        }
        match rx.recv_timeout(deadline - now) {
            Ok(Msg::Fs(ev)) => {
                if batch.add(ev, paths) {
                    let q = match batch.paths.len() {
                        n if n > LARGE_BURST => QUIET_LARGE.max(quiet),
                        n if n > SMALL_BURST => QUIET_BURST.max(quiet),
                        _ => quiet,
                    };
                    deadline = Instant::now() + q;
                }
            }
            Ok(Msg::Head) => batch.head_moved = true,
            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return None,
            Err(RecvTimeoutError::Timeout) => return Some(batch),
        }
    }
}

/// The notify watcher and what it currently watches.
pub struct Watch {
    watcher: RecommendedWatcher,
    watched: Vec<PathBuf>,
}

impl Watch {
    /// A watcher sending its events to `tx`.
    pub fn new(tx: Sender<Msg>) -> anyhow::Result<Self> {
        let watcher = notify::recommended_watcher(move |ev| {
            let _serve_stopped = tx.send(Msg::Fs(ev));
        })
        .map_err(|e| anyhow::anyhow!("cannot watch the book for changes: {e}"))?;
        Ok(Watch {
            watcher,
            watched: Vec::new(),
        })
    }

    /// Watches the book folder (not recursively) and its source, `templates/` and `themes/`
    /// folders (recursively, when they exist); forgets what was watched before.
    pub fn set(&mut self, paths: &Paths) -> anyhow::Result<()> {
        for p in self.watched.drain(..) {
            let _already_gone = self.watcher.unwatch(&p);
        }
        self.watcher
            .watch(&paths.root, RecursiveMode::NonRecursive)
            .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", paths.root.display()))?;
        self.watched.push(paths.root.clone());
        for tree in paths.trees() {
            if tree.is_dir() && !self.watched.contains(&tree) {
                self.watcher
                    .watch(&tree, RecursiveMode::Recursive)
                    .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", tree.display()))?;
                self.watched.push(tree);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind};

    fn paths() -> Paths {
        Paths {
            root: "/b".into(),
            source: "/b/guidelines".into(),
            output: "/b/public".into(),
        }
    }

    fn ev(kind: EventKind, p: &str) -> Msg {
        Msg::Fs(Ok(notify::Event::new(kind).add_path(p.into())))
    }

    #[test]
    fn relevance() {
        let p = paths();
        for yes in [
            "/b/book.toml",
            "/b/guidelines/resp/croup.md",
            "/b/guidelines/img/x.png",
            "/b/templates/base.html",
            "/b/themes/default/style.css",
            "/b/synonyms.toml",
        ] {
            assert!(p.relevant(Path::new(yes)), "{yes}");
        }
        for no in [
            "/b/public/index.html",
            "/b/guidelines/resp/.croup.md.swp",
            "/b/guidelines/resp/croup.md~",
            "/b/guidelines/resp/.#croup.md",
            "/b/guidelines/resp/4913",
            "/b/guidelines/.git/index",
            "/b/notes.txt",
            "/elsewhere/x.md",
        ] {
            assert!(!p.relevant(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn a_burst_is_one_batch_and_opens_are_ignored() {
        let (tx, rx) = std::sync::mpsc::channel();
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        tx.send(ev(open, "/b/guidelines/a.md")).expect("send");
        for i in 0..500 {
            let kind = EventKind::Modify(ModifyKind::Any);
            tx.send(ev(kind, &format!("/b/guidelines/g{i}.md")))
                .expect("send");
        }
        tx.send(ev(
            EventKind::Create(CreateKind::File),
            "/b/guidelines/x.swp",
        ))
        .expect("send");
        let b = next_batch(&rx, &paths(), QUIET).expect("batch");
        assert_eq!(b.paths.len(), 500);
        assert!(!b.config_changed(&paths()));
        assert!(!b.files_changed(&paths()));
        tx.send(Msg::Stop).expect("send");
        assert!(next_batch(&rx, &paths(), QUIET).is_none());
    }
}
