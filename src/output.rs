//! The site as a set of files ([`Output`]), and [`commit`]: write it beside the destination, then
//! swap it in, so a failed or interrupted build never leaves a half-written site and the previous
//! site stays until the new one is complete. A marker file says a folder is ours: wardbook
//! refuses to replace a non-empty folder without it.
//!
//! `serve` keeps its Output in memory. `build` gives its Output a [`Staging`] folder: each file is
//! written there as soon as it is rendered (a 10,000-guideline book's pages are hundreds of MB),
//! and [`commit`] only adds the marker and swaps. A build that fails drops its Output, and the
//! staging folder goes with it.

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

/// Marker file at the root of every folder wardbook writes.
pub const MARKER: &str = ".wardbook-output";

/// The content of one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Bytes produced by the build (shared: serve's cache keeps pages without copying them).
    Bytes(Arc<Vec<u8>>),
    /// A file copied unchanged from the book (images, attachments): absolute source path.
    Copy(PathBuf),
    /// Already written to the output's staging folder (a `build`).
    Written,
}

impl Content {
    /// The bytes (reading a copied file). A file already written to staging has none here.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Content::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Content::Copy(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
            Content::Written => Err(std::io::Error::other("the file was written to disk")),
        }
    }
}

/// Every file of the site, keyed by `/`-separated path relative to the output root.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// Path → content; sorted, so writing and listing are deterministic.
    pub files: BTreeMap<String, Content>,
    /// Where files are written as they come, when the output goes to disk (`build`).
    staging: Option<Arc<Staging>>,
    /// Where this output's files go in the staging folder (`<slug>/` for an adaptation's site
    /// inside the network's; empty for the whole site).
    prefix: String,
}

impl PartialEq for Output {
    fn eq(&self, other: &Self) -> bool {
        self.files == other.files
    }
}

impl Output {
    /// An output that writes each file into `staging` as it is added.
    pub fn staged(staging: Staging) -> Output {
        Output {
            files: BTreeMap::new(),
            staging: Some(Arc::new(staging)),
            prefix: String::new(),
        }
    }

    /// Adds (or replaces) a generated file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let path = path.into();
        let content = self.prepare(&path, bytes.into());
        self.files.insert(path, content);
    }

    /// What to keep of a generated file: its bytes, or (staged) nothing once it is written.
    /// Callable from many threads at once; the result goes to [`Output::add`].
    pub fn prepare(&self, path: &str, bytes: Vec<u8>) -> Content {
        match &self.staging {
            Some(st) => {
                st.write(&format!("{}{path}", self.prefix), &bytes);
                Content::Written
            }
            None => Content::Bytes(Arc::new(bytes)),
        }
    }

    /// [`Output::prepare`] for a file produced piece by piece by `write` (a big file is then
    /// never whole in memory when staged). Any I/O error is `write`'s or the disk's.
    pub fn prepare_with(
        &self,
        path: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Content {
        match &self.staging {
            Some(st) => {
                st.stream(&format!("{}{path}", self.prefix), write);
                Content::Written
            }
            None => {
                let mut bytes = Vec::new();
                match write(&mut bytes) {
                    Ok(()) => Content::Bytes(Arc::new(bytes)),
                    Err(e) => unreachable!("writing to a Vec cannot fail: {e}"),
                }
            }
        }
    }

    /// Adds a file made by [`Output::prepare`].
    pub fn add(&mut self, path: String, content: Content) {
        self.files.insert(path, content);
    }

    /// Adds a file to be copied from `source`.
    pub fn copy(&mut self, path: impl Into<String>, source: PathBuf) {
        let path = path.into();
        if let Some(st) = &self.staging {
            st.copy(&format!("{}{path}", self.prefix), &source);
            self.files.insert(path, Content::Written);
        } else {
            self.files.insert(path, Content::Copy(source));
        }
    }

    /// An empty output for a site inside this one, in its folder `prefix` (`<slug>/`; empty
    /// for a site in this one's place): it writes into the same staging folder, and
    /// [`Output::absorb`] takes its files back.
    pub fn nested(&self, prefix: &str) -> Output {
        Output {
            files: BTreeMap::new(),
            staging: self.staging.clone(),
            prefix: format!("{}{prefix}", self.prefix),
        }
    }

    /// Adds the files of `inner` (made by [`Output::nested`] of this output) at their paths
    /// in this one.
    pub fn absorb(&mut self, inner: Output) {
        let extra = inner
            .prefix
            .strip_prefix(&self.prefix)
            .unwrap_or(&inner.prefix);
        for (path, content) in inner.files {
            self.files.insert(format!("{extra}{path}"), content);
        }
    }

    /// The generated bytes at `path`, if it is a generated file held in memory.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        match self.files.get(path) {
            Some(Content::Bytes(b)) => Some(b),
            _ => None,
        }
    }
}

/// A folder beside the destination that a build writes into before [`commit`] swaps it in. It
/// is removed when dropped unless it was swapped in.
#[derive(Debug)]
pub struct Staging {
    /// The destination (absolute).
    dest: PathBuf,
    /// The staging folder, `.<name>.wardbook-new-<pid>` beside `dest`.
    dir: PathBuf,
    /// True when `dest` holds a previous site of ours (unchanged files are hard-linked from it).
    previous: bool,
    /// Folders already created in `dir`.
    dirs: Mutex<HashSet<PathBuf>>,
    /// The first write that failed (reported by [`commit`]).
    failed: Mutex<Option<String>>,
}

impl Staging {
    /// Checks that `dest` may be replaced and clears a stale staging folder beside it. Nothing
    /// is created until the first file is written (a book that fails to load leaves no trace).
    pub fn new(dest: &Path) -> Result<Staging> {
        let dest = std::path::absolute(dest)
            .with_context(|| format!("bad destination {}", dest.display()))?;
        check_replaceable(&dest)?;
        let parent = dest
            .parent()
            .context("the destination has no parent folder")?;
        let name = dest
            .file_name()
            .context("the destination has no name")?
            .to_string_lossy()
            .into_owned();
        let dir = parent.join(format!(".{name}.wardbook-new-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot clear {}", dir.display()))?;
        }
        Ok(Staging {
            previous: dest.join(MARKER).exists(),
            dest,
            dir,
            dirs: Mutex::new(HashSet::new()),
            failed: Mutex::new(None),
        })
    }

    /// Writes one generated file. A file whose bytes equal the same file in the previous site is
    /// hard-linked rather than written: creating thousands of inodes dominates a rebuild's time
    /// on ext4, and a link costs none. The old site is only ever unlinked, never modified, so
    /// sharing inodes with it is safe.
    fn write(&self, path: &str, bytes: &[u8]) {
        let target = self.dir.join(path);
        let result = self.make_parent(&target).and_then(|()| {
            let old = self.dest.join(path);
            if self.previous && same_bytes(&old, bytes) {
                std::fs::hard_link(&old, &target).or_else(|_| std::fs::write(&target, bytes))
            } else {
                std::fs::write(&target, bytes)
            }
        });
        self.note(result, &target);
    }

    /// Writes one generated file through a buffer, piece by piece.
    fn stream(
        &self,
        path: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        let target = self.dir.join(path);
        let result = self.make_parent(&target).and_then(|()| {
            let mut file = std::io::BufWriter::new(std::fs::File::create(&target)?);
            write(&mut file)?;
            std::io::Write::flush(&mut file)
        });
        self.note(result, &target);
    }

    /// Copies a file of the book unchanged.
    fn copy(&self, path: &str, source: &Path) {
        let target = self.dir.join(path);
        let result = self
            .make_parent(&target)
            .and_then(|()| std::fs::copy(source, &target).map(|_| ()));
        self.note(result, &target);
    }

    fn make_parent(&self, target: &Path) -> std::io::Result<()> {
        let Some(parent) = target.parent() else {
            return Ok(());
        };
        let mut dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
        if dirs.contains(parent) {
            return Ok(());
        }
        std::fs::create_dir_all(parent)?;
        dirs.insert(parent.to_path_buf());
        Ok(())
    }

    /// Remembers the first failure (the build goes on; [`commit`] reports it).
    fn note(&self, result: std::io::Result<()>, target: &Path) {
        if let Err(e) = result {
            let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
            failed.get_or_insert_with(|| format!("cannot write {}: {e}", target.display()));
        }
    }

    /// Writes the files of `output` not yet on disk, then the marker.
    fn complete(&self, output: &Output) -> Result<()> {
        output
            .files
            .par_iter()
            .for_each(|(path, content)| match content {
                Content::Bytes(b) => self.write(path, b),
                Content::Copy(src) => self.copy(path, src),
                Content::Written => {}
            });
        if let Some(e) = self
            .failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            bail!(e);
        }
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create {}", self.dir.display()))?;
        std::fs::write(
            self.dir.join(MARKER),
            "This folder is written by wardbook; it is replaced on every build.\n",
        )
        .context("cannot write the output marker")
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.dir.exists() {
            let _cleanup_failed_leaves_a_hidden_folder = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes `output` to `dest`: into a sibling folder first (or the output's own staging folder,
/// already holding most files), then swapped in place of `dest`.
pub fn commit(output: &Output, dest: &Path) -> Result<()> {
    let fresh;
    let staging = match &output.staging {
        Some(st) => {
            let abs = std::path::absolute(dest)
                .with_context(|| format!("bad destination {}", dest.display()))?;
            if st.dest != abs {
                bail!(
                    "this output was written for {}, not {}",
                    st.dest.display(),
                    abs.display()
                );
            }
            st.as_ref()
        }
        None => {
            fresh = Staging::new(dest)?;
            &fresh
        }
    };
    staging.complete(output)?;
    swap(&staging.dir, &staging.dest)
}

/// True when the file at `path` holds exactly `bytes` (a regular file, not a link).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// A destination may be replaced when it does not exist, is empty, or carries our marker.
fn check_replaceable(dest: &Path) -> Result<()> {
    if !dest.exists() {
        return Ok(());
    }
    if !dest.is_dir() {
        bail!(
            "{} exists and is not a folder; choose another --dest",
            dest.display()
        );
    }
    let empty = std::fs::read_dir(dest)
        .with_context(|| format!("cannot read {}", dest.display()))?
        .next()
        .is_none();
    if !empty && !dest.join(MARKER).exists() {
        bail!(
            "{} is not empty and was not written by wardbook; refusing to replace it (choose another --dest, or empty it)",
            dest.display()
        );
    }
    Ok(())
}

/// Moves the old site aside, the new one in, and removes the old one.
fn swap(staging: &Path, dest: &Path) -> Result<()> {
    let parent = dest.parent().unwrap_or(Path::new("."));
    let name = dest.file_name().unwrap_or_default().to_string_lossy();
    let old = parent.join(format!(".{name}.wardbook-old-{}", std::process::id()));
    let had_old = dest.exists();
    if had_old {
        std::fs::rename(dest, &old)
            .with_context(|| format!("cannot move the old site {} aside", dest.display()))?;
    }
    if let Err(e) = std::fs::rename(staging, dest) {
        if had_old {
            let _restore = std::fs::rename(&old, dest);
        }
        return Err(e).with_context(|| format!("cannot move the new site into {}", dest.display()));
    }
    if had_old {
        remove_tree(&old)
            .with_context(|| format!("cannot remove the old site at {}", old.display()))?;
    }
    Ok(())
}

/// Removes a folder tree, its top-level entries in parallel (unlinking thousands of pages is a
/// noticeable part of a rebuild, and the section folders are independent).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|e| {
        if e.file_type()?.is_dir() {
            std::fs::remove_dir_all(e.path())
        } else {
            std::fs::remove_file(e.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_our_folder_and_refuses_others() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dest = tmp.path().join("public");
        let mut out = Output::default();
        out.insert("a/b.html", "one");
        commit(&out, &dest).expect("first commit");
        assert_eq!(
            std::fs::read_to_string(dest.join("a/b.html")).expect("read"),
            "one"
        );
        let mut out2 = Output::default();
        out2.insert("c.html", "two");
        commit(&out2, &dest).expect("second commit");
        assert!(!dest.join("a/b.html").exists());
        let mut out3 = out2.clone();
        out3.insert("d.html", "three");
        commit(&out3, &dest).expect("third commit reuses c.html");
        assert_eq!(
            std::fs::read_to_string(dest.join("c.html")).expect("read"),
            "two"
        );
        assert_eq!(
            std::fs::read_to_string(dest.join("d.html")).expect("read"),
            "three"
        );
        let mut out4 = out3.clone();
        out4.insert("c.html", "changed");
        commit(&out4, &dest).expect("fourth commit");
        assert_eq!(
            std::fs::read_to_string(dest.join("c.html")).expect("read"),
            "changed"
        );

        let foreign = tmp.path().join("docs");
        std::fs::create_dir(&foreign).expect("mkdir");
        std::fs::write(foreign.join("keep.txt"), "mine").expect("write");
        let err = commit(&out, &foreign).expect_err("must refuse");
        assert!(err.to_string().contains("not written by wardbook"), "{err}");
        assert_eq!(
            std::fs::read_to_string(foreign.join("keep.txt")).expect("read"),
            "mine"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).expect("ls").collect();
        assert_eq!(leftovers.len(), 2, "no staging folders left behind");
    }

    #[test]
    fn staged_output_is_on_disk_before_commit_and_gone_if_dropped() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dest = tmp.path().join("site");
        let mut first = Output::default();
        first.insert("keep.html", "previous site");
        commit(&first, &dest).expect("first site");

        let mut out = Output::staged(Staging::new(&dest).expect("staging"));
        out.insert("s/page.html", "new");
        assert_eq!(out.files.get("s/page.html"), Some(&Content::Written));
        let staged: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("ls")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("wardbook-new"))
            .collect();
        assert_eq!(
            staged.len(),
            1,
            "the page is written beside the site at once"
        );
        drop(out);
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("ls")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["site"], "a dropped build leaves no staging folder");
        assert_eq!(
            std::fs::read_to_string(dest.join("keep.html")).expect("read"),
            "previous site"
        );

        let mut out = Output::staged(Staging::new(&dest).expect("staging"));
        out.insert("s/page.html", "new");
        out.insert("keep.html", "previous site");
        commit(&out, &dest).expect("commit");
        assert_eq!(
            std::fs::read_to_string(dest.join("s/page.html")).expect("read"),
            "new"
        );
        assert!(dest.join(MARKER).exists());
        assert!(commit(&out, &tmp.path().join("elsewhere")).is_err());
    }
}
