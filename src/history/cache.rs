//! What a history read found, kept on disk between builds: `.wardbook/history.cache` in the
//! book folder (the folder holds a `.gitignore` of `*`, so git ignores it; deleting it only
//! costs the next build a full read). The file starts with its key: the cache format, this
//! program's version, the book's place in the repository, the tip commit and the previous
//! edition (its name and commit). A file whose key differs, or that does not read, is never
//! used: the history is read from the repository again and the file replaced. So a build whose
//! HEAD has not moved reads no blob.
//!
//! Layout: the key line; the history without its texts as one JSON line; then every text
//! (each revision's, then each edition file's, in that order), each as its byte length in
//! decimal on a line and the bytes.

use super::History;
use crate::content::OldText;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Changes whenever what a read finds, or how it is written here, changes.
const FORMAT: &str = "wardbook-history-cache 1";

/// The cache file of the book at `root`.
pub fn path(root: &Path) -> PathBuf {
    root.join(".wardbook").join("history.cache")
}

/// The key of a read: everything the history found depends on.
pub fn key(scope: &str, tip: &str, previous: Option<(&str, &str)>) -> String {
    let (label, id) = previous.unwrap_or(("", ""));
    let key = serde_json::json!([FORMAT, env!("CARGO_PKG_VERSION"), scope, tip, label, id]);
    key.to_string()
}

/// The history kept under `key` at `file`, or `None` when there is none, its key differs, or it
/// does not read.
pub fn load(file: &Path, key: &str) -> Option<History> {
    let bytes = std::fs::read(file).ok()?;
    let mut rest = bytes.as_slice();
    if line(&mut rest)? != key.as_bytes() {
        return None;
    }
    let mut history: History = serde_json::from_slice(line(&mut rest)?).ok()?;
    let mut text = || -> Option<Arc<str>> {
        let len: usize = std::str::from_utf8(line(&mut rest)?).ok()?.parse().ok()?;
        let (t, after) = (rest.get(..len)?, rest.get(len..)?);
        rest = after;
        Some(Arc::from(std::str::from_utf8(t).ok()?))
    };
    for f in &mut history.files {
        for r in &mut f.revisions {
            r.text = text()?;
        }
    }
    if let Some(e) = &mut history.previous {
        for f in &mut e.files {
            f.text = Arc::new(OldText::read(text()?));
        }
    }
    rest.is_empty().then_some(history)
}

/// Keeps `history` under `key` at `file`: written beside it and renamed into place, so a build
/// stopped halfway leaves no broken file. Failing to write is no error (the cache is only a
/// cache).
pub fn store(file: &Path, key: &str, history: &History) {
    let Some(dir) = file.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        let _best_effort = std::fs::write(&ignore, "# wardbook's cache: safe to delete.\n*\n");
    }
    let Ok(json) = serde_json::to_vec(history) else {
        return;
    };
    let mut out = Vec::with_capacity(json.len() + 1024);
    let _ = writeln!(out, "{key}");
    out.extend_from_slice(&json);
    out.push(b'\n');
    let mut text = |t: &str| {
        let _ = writeln!(out, "{}", t.len());
        out.extend_from_slice(t.as_bytes());
    };
    for f in &history.files {
        for r in &f.revisions {
            text(&r.text);
        }
    }
    if let Some(e) = &history.previous {
        for f in &e.files {
            text(&f.text.text);
        }
    }
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, &out).is_ok() && std::fs::rename(&tmp, file).is_err() {
        let _best_effort = std::fs::remove_file(&tmp);
    }
}

/// The bytes up to the next newline, which is skipped.
fn line<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let at = rest.iter().position(|&b| b == b'\n')?;
    let (l, after) = rest.split_at(at);
    *rest = &after[1..];
    Some(l)
}
