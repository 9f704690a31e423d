//! Where every revision and every address of the book's history goes in this build, decided
//! once for the whole site ([`Plan::new`]) so that guideline pages, archived pages, archive.html
//! and the pages at old addresses agree:
//!
//! - each revision that is not the one on a guideline's page has an archived page, in the folder
//!   of the page address it had when it ended (so it keeps that address however the guideline
//!   moves later), named after its version (`v1.0.html`), or, when the name is taken (an amended
//!   revision of the same version), after its version and first date (`v1.0-2026-05-05.html`);
//!   names are given in the order revisions began, so an earlier build's names stay;
//! - each file has a target: its page in this build (current or withdrawn), else its last
//!   archived page (removed, or now a draft), else archive.html;
//! - every page address any revision was published at that is no page of this build leads to
//!   the file's target (a page saying where it went);
//! - every path a guideline file ever had leads to its target, for old texts' links.

use super::{folder_of, version_file};
use crate::config::Config;
use crate::content::{Book, Status};
use crate::history::{FileHistory, History};
use jiff::civil::Date;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Where the history's revisions and old addresses go in this build.
#[derive(Debug, Default)]
pub struct Plan {
    /// Per history file, per revision: its archived page (root-relative, not encoded); `None`
    /// for the revision on the guideline's page.
    pub pages: Vec<Vec<Option<String>>>,
    /// Per history file: its guideline in this build, if any.
    pub guideline: Vec<Option<usize>>,
    /// Per history file: where it is now (see the module documentation).
    pub target: Vec<String>,
    /// Old page addresses that are no page of this build: address, file, and the date the
    /// file left it.
    pub old: Vec<OldAddress>,
    /// Every path a guideline file ever had → its target.
    pub former: HashMap<PathBuf, String>,
}

/// A page address a guideline was published at and no longer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldAddress {
    /// Root-relative page path (`endocrine/hypoglycaemia.html`).
    pub page: String,
    /// Index of the history file.
    pub file: usize,
    /// The date it stopped being the file's address (moved, withdrawn or removed).
    pub left: Date,
}

impl Plan {
    /// The plan for `history` in the build of `book`; `existing` says whether a path is a file of
    /// the build already (a guideline page, a list page).
    pub fn new(book: &Book, history: &History, existing: &dyn Fn(&str) -> bool) -> Plan {
        let by_source: HashMap<&Path, usize> = book
            .guidelines
            .iter()
            .enumerate()
            .map(|(i, g)| (g.source.as_path(), i))
            .collect();
        let mut plan = Plan::default();
        for fh in &history.files {
            let gi = match fh.removed {
                None => by_source.get(fh.source.as_path()).copied(),
                Some(_) => None,
            };
            plan.guideline.push(gi);
            plan.pages.push(vec![None; fh.revisions.len()]);
        }
        plan.name_pages(book, history);
        for (i, fh) in history.files.iter().enumerate() {
            let target = match plan.guideline[i] {
                Some(g) => book.guidelines[g].page.clone(),
                None => plan.pages[i]
                    .iter()
                    .rev()
                    .flatten()
                    .next()
                    .cloned()
                    .unwrap_or_else(|| "archive.html".into()),
            };
            plan.target.push(target);
            plan.old_addresses(book, i, fh, existing);
        }
        plan.formers(history);
        plan
    }

    /// Names every archived page, revisions taken in the order they began.
    fn name_pages(&mut self, book: &Book, history: &History) {
        let mut order: Vec<(Date, &Path, usize, usize)> = Vec::new();
        for (i, fh) in history.files.iter().enumerate() {
            let shown = self.guideline[i]
                .map(|g| &book.guidelines[g])
                .filter(|g| g.front.status == Status::Current);
            let last = fh.revisions.len().checked_sub(1);
            for (r, rev) in fh.revisions.iter().enumerate() {
                let on_page = Some(r) == last
                    && rev.until.is_none()
                    && shown.is_some_and(|g| g.front.version.as_deref() == Some(&rev.version));
                if !on_page {
                    order.push((rev.from, fh.source.as_path(), i, r));
                }
            }
        }
        order.sort();
        let mut taken = HashSet::new();
        for (_, _, i, r) in order {
            let fh = &history.files[i];
            let rev = &fh.revisions[r];
            let folder = rev
                .places
                .iter()
                .rev()
                .find_map(|p| address(&book.config, &p.source, p.section.as_deref()))
                .or_else(|| self.guideline[i].map(|g| book.guidelines[g].page.clone()))
                .map(|page| folder_of(&page).to_string())
                .unwrap_or_else(|| format!("removed/{}", stem(&fh.source)));
            let name = version_file(&rev.version);
            let mut path = format!("{folder}/{name}.html");
            if !taken.insert(path.clone()) {
                path = format!("{folder}/{name}-{}.html", rev.from);
                let mut n = 2;
                while !taken.insert(path.clone()) {
                    path = format!("{folder}/{name}-{}-{n}.html", rev.from);
                    n += 1;
                }
            }
            self.pages[i][r] = Some(path);
        }
    }

    /// The old addresses of file `i` that are no page of this build.
    fn old_addresses(
        &mut self,
        book: &Book,
        i: usize,
        fh: &FileHistory,
        existing: &dyn Fn(&str) -> bool,
    ) {
        let now = self.guideline[i].map(|g| book.guidelines[g].page.as_str());
        // Each address the file had, with the date of the first place after it that differs.
        let mut seen: Vec<(String, Date)> = Vec::new();
        for rev in &fh.revisions {
            for p in &rev.places {
                let Some(page) = address(&book.config, &p.source, p.section.as_deref()) else {
                    continue;
                };
                if let Some(last) = seen.last_mut().filter(|(a, _)| *a != page) {
                    last.1 = p.since;
                }
                seen.retain(|(a, _)| *a != page);
                seen.push((page, p.since));
            }
        }
        let end = fh
            .revisions
            .last()
            .and_then(|r| r.until.as_ref().map(|u| u.date))
            .or(fh.removed);
        let last = seen.len().saturating_sub(1);
        for (k, (page, left)) in seen.into_iter().enumerate() {
            let left = if k == last { end.unwrap_or(left) } else { left };
            if Some(page.as_str()) == now || existing(&page) {
                continue;
            }
            if let Some(o) = self.old.iter_mut().find(|o| o.page == page) {
                if left > o.left {
                    *o = OldAddress {
                        page,
                        file: i,
                        left,
                    };
                }
                continue;
            }
            self.old.push(OldAddress {
                page,
                file: i,
                left,
            });
        }
        self.old.sort_by(|a, b| a.page.cmp(&b.page));
    }

    /// Every path a file ever had → its target; a path two files had goes to the later one.
    fn formers(&mut self, history: &History) {
        let mut when: HashMap<PathBuf, Date> = HashMap::new();
        for (i, fh) in history.files.iter().enumerate() {
            let mut paths: Vec<(PathBuf, Date)> = Vec::new();
            for rev in &fh.revisions {
                let end = rev.until.as_ref().map_or(Date::MAX, |u| u.date);
                paths.extend(rev.places.iter().map(|p| (p.source.clone(), end)));
            }
            paths.extend(fh.moves.iter().map(|m| (m.from.clone(), m.date)));
            paths.push((fh.source.clone(), fh.removed.unwrap_or(Date::MAX)));
            for (path, date) in paths {
                if when.get(&path).is_none_or(|d| date >= *d) {
                    when.insert(path.clone(), date);
                    self.former.insert(path, self.target[i].clone());
                }
            }
        }
    }
}

/// The page address of a guideline at `source` whose front matter names `section`: the
/// section's slug (its slug exactly, or its name in any case, as the loader matches it) and the
/// file name; `None` when book.toml has no such section.
pub fn address(config: &Config, source: &Path, section: Option<&str>) -> Option<String> {
    let section = section?.trim();
    let s = config
        .sections
        .iter()
        .find(|s| s.slug == section || s.title.eq_ignore_ascii_case(section))?;
    Some(format!("{}/{}.html", s.slug, stem(source)))
}

fn stem(source: &Path) -> String {
    source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
