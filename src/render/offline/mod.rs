//! The offline copy (`[offline] enabled = true`): `sw.js`, the service worker, at the site root
//! (so that its scope is the whole site), and `offline.json`, the edition it keeps: an id that
//! changes whenever any file does, and every file of the site. Pages register the worker only
//! when served over http(s) (`assets/copies.js`); from file:// nothing changes.

use crate::content::Book;
use crate::output::Output;
use serde::Serialize;
use std::hash::{Hash, Hasher};

/// The service worker's source.
const SW: &str = include_str!("sw.js");

/// The service worker's path at the site root.
pub const SW_PATH: &str = "sw.js";

/// The manifest's path at the site root.
pub const MANIFEST_PATH: &str = "offline.json";

#[derive(Serialize)]
struct Manifest<'a> {
    /// Changes whenever the edition's files do.
    edition: String,
    /// The book's edition label, for people reading the file.
    label: Option<&'a str>,
    /// Every file of the site, root-relative.
    files: Vec<&'a str>,
}

/// Adds `sw.js` and `offline.json` to `out` when the book asks for an offline copy. The id
/// hashes what the files are made from (book.toml, every guideline file, the as-of date, the
/// list of files and this wardbook's version), not the written bytes, which a build has already
/// sent to disk.
pub fn write(book: &Book, out: &mut Output) {
    if !book.config.offline.enabled {
        return;
    }
    let files: Vec<String> = out
        .files
        .keys()
        .filter(|p| p.as_str() != SW_PATH && p.as_str() != MANIFEST_PATH)
        .cloned()
        .collect();
    let mut h = rustc_hash::FxHasher::default();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    book.config.text.hash(&mut h);
    book.as_of.to_string().hash(&mut h);
    for g in &book.guidelines {
        g.text.hash(&mut h);
    }
    files.hash(&mut h);
    let manifest = Manifest {
        edition: format!("{:016x}", h.finish()),
        label: book.config.book.edition.as_deref(),
        files: files.iter().map(String::as_str).collect(),
    };
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    out.insert(MANIFEST_PATH, json);
    out.insert(SW_PATH, SW.as_bytes().to_vec());
}
