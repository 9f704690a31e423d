//! Serve's cache against the model: a change to a front-matter field that a list page shows
//! (title on the section and A-Z pages, version on the reviews page) reaches those pages under
//! `build_cached` (serve's in-process build), byte for byte what a fresh, uncached build of the
//! same files gives.

use crate::harness::{as_of, copy_dir};
use std::path::{Path, PathBuf};
use wardbook::{BuildCache, BuildOptions, Built};

/// The guideline the tests edit.
const EDITED: &str = "guidelines/cardiology/kawasaki-disease.md";

fn book() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("book.toml"), tmp.path().join("book.toml")).expect("copy book.toml");
    copy_dir(&repo.join("guidelines"), &tmp.path().join("guidelines"));
    tmp
}

fn options() -> BuildOptions {
    BuildOptions {
        as_of: as_of(),
        drafts: false,
        pdf: false,
        history: true,
    }
}

fn cached(root: &Path, cache: &mut BuildCache) -> Built {
    let config = wardbook::config::load(root).expect("book.toml");
    match wardbook::build_cached(&config, &options(), cache) {
        Ok(b) => b,
        Err(_) => panic!("the sample book builds"),
    }
}

fn fresh(root: &Path) -> Built {
    let config = wardbook::config::load(root).expect("book.toml");
    match wardbook::build_with_config(&config, &options()) {
        Ok(b) => b,
        Err(_) => panic!("the sample book builds"),
    }
}

fn page(b: &Built, path: &str) -> String {
    let bytes = b.output.get(path).unwrap_or_else(|| panic!("{path} built"));
    String::from_utf8(bytes.to_vec()).expect("UTF-8 page")
}

/// Rewrites the edited guideline's front matter line `from` to `to`, and tells the cache, as
/// serve's watcher does.
fn edit(root: &Path, cache: &mut BuildCache, from: &str, to: &str) {
    let path: PathBuf = root.join(EDITED);
    let text = std::fs::read_to_string(&path).expect("read guideline");
    assert!(text.contains(from), "{EDITED} has {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write guideline");
    cache.load.forget(&path);
}

/// Every file of the cached build is the fresh build's, and no file is missing from either.
fn assert_same_as_fresh(cached: &Built, root: &Path) {
    let fresh = fresh(root);
    let paths = |b: &Built| b.output.files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(cached), paths(&fresh), "the same files");
    for path in fresh.output.files.keys() {
        assert!(
            cached.output.get(path) == fresh.output.get(path),
            "{path} differs between the cached and a fresh build"
        );
    }
}

#[test]
fn a_new_title_reaches_the_section_and_a_to_z_pages_under_the_cache() {
    let tmp = book();
    let root = tmp.path();
    let mut cache = BuildCache::default();
    let before = cached(root, &mut cache);
    // A second unchanged build fills the cache with the first build's values.
    let again = cached(root, &mut cache);
    assert_eq!(page(&before, "a-z.html"), page(&again, "a-z.html"));
    for p in ["cardiology/index.html", "a-z.html"] {
        assert!(page(&before, p).contains("Kawasaki disease"), "{p}");
    }

    edit(
        root,
        &mut cache,
        "title: Kawasaki disease",
        "title: Kawasaki disease (KD)",
    );
    let after = cached(root, &mut cache);
    for p in ["cardiology/index.html", "a-z.html", "reviews.html"] {
        assert!(
            page(&after, p).contains("Kawasaki disease (KD)"),
            "{p} shows the new title under the cache"
        );
    }
    assert_same_as_fresh(&after, root);
}

#[test]
fn a_new_version_reaches_the_reviews_page_under_the_cache() {
    let tmp = book();
    let root = tmp.path();
    let mut cache = BuildCache::default();
    cached(root, &mut cache);
    let before = cached(root, &mut cache);
    assert!(!page(&before, "reviews.html").contains("<td>7.5</td>"));

    edit(root, &mut cache, "version: \"2.2\"", "version: \"7.5\"");
    let after = cached(root, &mut cache);
    assert!(
        page(&after, "reviews.html").contains("<td>7.5</td>"),
        "reviews.html shows the new version under the cache"
    );
    assert_ne!(page(&before, "reviews.html"), page(&after, "reviews.html"));
    assert_same_as_fresh(&after, root);
}
