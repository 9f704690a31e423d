//! Parsed guideline files kept between loads (used by `serve`): a file is read and parsed again
//! only when the caller says it changed ([`LoadCache::forget`], from the file watcher) or its size
//! or modification time differ; everything is parsed again when the configuration, as-of date or
//! drafts flag change. `build` never uses it.

use super::{Guideline, LoadOptions};
use crate::config::Config;
use crate::diag::Diagnostic;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What loading one file gave: the guideline (when valid) and its problems.
pub type Loaded = (Option<Guideline>, Vec<Diagnostic>);

/// Size and modification time of a file when it was parsed.
type Stamp = (u64, Option<SystemTime>);

/// Parsed files by absolute path.
#[derive(Debug, Default)]
pub struct LoadCache {
    /// Key of the configuration and options the entries were parsed with.
    key: u64,
    files: HashMap<PathBuf, (Stamp, Loaded)>,
}

impl LoadCache {
    /// Marks `path` changed: it is read again on the next load.
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(path);
    }

    /// Loads `files` with `load_one`, reusing unchanged entries; keeps the results.
    pub fn load(
        &mut self,
        config: &Config,
        opts: &LoadOptions,
        files: &[PathBuf],
        load_one: fn(&Config, &LoadOptions, &Path) -> Loaded,
    ) -> Vec<Loaded> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        format!("{config:?}{opts:?}").hash(&mut h);
        if h.finish() != self.key {
            self.files.clear();
            self.key = h.finish();
        }
        let mut old = std::mem::take(&mut self.files);
        let fresh: Vec<(Stamp, Option<Loaded>)> = files
            .par_iter()
            .map(|path| {
                let stamp = stamp(path);
                let unchanged =
                    stamp.1.is_some() && old.get(path).is_some_and(|(s, _)| *s == stamp);
                (stamp, (!unchanged).then(|| load_one(config, opts, path)))
            })
            .collect();
        let kept: Vec<(PathBuf, (Stamp, Loaded))> = files
            .iter()
            .zip(fresh)
            .map(|(path, (stamp, loaded))| {
                let loaded = loaded
                    .or_else(|| old.remove(path).map(|(_, l)| l))
                    .unwrap_or_else(|| load_one(config, opts, path));
                (path.clone(), (stamp, loaded))
            })
            .collect();
        let out = kept.par_iter().map(|(_, (_, l))| l.clone()).collect();
        self.files = kept.into_iter().collect();
        out
    }
}

fn stamp(path: &Path) -> Stamp {
    match std::fs::metadata(path) {
        Ok(m) => (m.len(), m.modified().ok()),
        Err(_) => (0, None),
    }
}
