//! The archive's files: the archived version pages, `archive.html` and the moved-file pages,
//! made together (they share the version rows) and memoised under one key: the history read
//! (tip and previous edition) and what the site shows of every guideline.

use super::old;
use super::rows::{Ended, Row, rows, working_row};
use super::{folder_of, history_key};
use crate::content::{Book, Guideline, LinkContext, Status};
use crate::diag::Diagnostic;
use crate::history::FileHistory;
use crate::output::Output;
use crate::render::Site;
use crate::render::views::long_date;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use tera::Context;

/// Generated pages and the files to copy for them.
type Made = (Vec<(String, Vec<u8>)>, Vec<(String, PathBuf)>);

/// One archived page: its path, its HTML and the files its body refers to.
type Archived = (String, Vec<u8>, Vec<(String, PathBuf)>);

/// Adds the archive's pages to `out` (nothing without history). Never replaces a file already
/// in `out`. Returns template problems.
pub fn add_pages(site: &Site<'_>, out: &mut Output) -> Vec<Diagnostic> {
    let book = site.book;
    if site.history.is_none() {
        return Vec::new();
    }
    let existing: Vec<String> = out.files.keys().cloned().collect();
    let key = (
        history_key(site.history),
        crate::render::html::listing_key(book),
        &existing,
    );
    let made: Result<Made, Vec<Diagnostic>> =
        site.memo.memo("archive", key, || make(site, &existing));
    match made {
        Ok((files, copies)) => {
            for (path, bytes) in files {
                if !out.files.contains_key(&path) {
                    out.insert(path, bytes);
                }
            }
            for (path, source) in copies {
                if !out.files.contains_key(&path) {
                    out.copy(path, source);
                }
            }
            Vec::new()
        }
        Err(d) => d,
    }
}

/// One guideline file in the archive: its title, where it is now, its rows.
#[derive(Serialize)]
struct Entry {
    title: String,
    /// `current`, `draft`, `withdrawn` or `removed`.
    status: &'static str,
    /// The current page (encoded), or empty when removed.
    page: String,
    rows: Vec<Row>,
    #[serde(skip)]
    file: Option<usize>,
    #[serde(skip)]
    guideline: Option<usize>,
}

/// A section of archive.html.
#[derive(Serialize)]
struct Group {
    title: String,
    entries: Vec<Entry>,
}

fn make(site: &Site<'_>, existing: &[String]) -> Result<Made, Vec<Diagnostic>> {
    let book = site.book;
    let history = &site.history.expect("called with history").history;
    // Old texts' own problems are dropped, so their broken links need no suggestions.
    let ctx = LinkContext {
        suggest: false,
        ..LinkContext::new(book)
    };
    let mut taken: HashSet<String> = existing.iter().cloned().collect();
    let entries = entries(book, &ctx, &history.files, &mut taken);
    let jobs: Vec<(&Entry, &Row)> = entries
        .iter()
        .flat_map(|e| e.rows.iter().map(move |r| (e, r)))
        .filter(|(_, r)| r.file.is_some())
        .collect();
    let archived: Vec<Result<Archived, Diagnostic>> = jobs
        .par_iter()
        .map(|(e, r)| archived_page(site, &ctx, e, r))
        .collect();
    let mut files = Vec::new();
    let mut copies = Vec::new();
    let mut errors = Vec::new();
    for a in archived {
        match a {
            Ok((path, html, assets)) => {
                files.push((path, html));
                copies.extend(assets);
            }
            Err(d) => errors.push(d),
        }
    }
    for page in moved_pages(site, &ctx, &history.files, &mut taken) {
        match page {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    match archive_page(site, entries) {
        Ok(html) => files.push(("archive.html".into(), html.into_bytes())),
        Err(d) => errors.push(d),
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    copies.sort();
    copies.dedup();
    Ok((files, copies))
}

/// Every guideline file of history (and every guideline of the book that history does not know
/// yet), with its rows and its archived pages' paths reserved in `taken`.
fn entries(
    book: &Book,
    ctx: &LinkContext<'_>,
    files: &[FileHistory],
    taken: &mut HashSet<String>,
) -> Vec<Entry> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, fh) in files.iter().enumerate() {
        let gi = ctx.by_source.get(&fh.source).copied();
        let g = gi.map(|i| &book.guidelines[i]);
        // A draft (in the book or left out of this build), and a file at the tip that is not a
        // guideline of this build, have nothing published to archive.
        let unpublished = match g {
            Some(g) => g.front.status == Status::Draft,
            None => fh.removed.is_none(),
        };
        if unpublished || fh.versions.is_empty() {
            continue;
        }
        seen.insert(fh.source.clone());
        let base = match g {
            Some(g) => folder_of(&g.page).to_string(),
            None => removed_folder(book, fh),
        };
        let mut reserve = |p: &str| !taken.insert(p.to_string());
        let rows = rows(fh, g, &base, &mut reserve);
        out.push(Entry {
            title: g.map_or_else(|| last_title(book, fh), |g| g.front.title.clone()),
            status: g.map_or("removed", |g| g.front.status.as_str()),
            page: g.map_or_else(String::new, |g| crate::paths::encode_path(&g.page)),
            rows,
            file: Some(i),
            guideline: gi,
        });
    }
    for (gi, g) in book.guidelines.iter().enumerate() {
        if g.front.status != Status::Draft && !seen.contains(&g.source) {
            out.push(Entry {
                title: g.front.title.clone(),
                status: g.front.status.as_str(),
                page: crate::paths::encode_path(&g.page),
                rows: vec![working_row(g)],
                file: None,
                guideline: Some(gi),
            });
        }
    }
    out
}

/// The title of a removed file: its last version's, as history recorded it or as its text
/// says (else its file name).
fn last_title(book: &Book, fh: &FileHistory) -> String {
    match fh.versions.iter().rev().find_map(|v| v.title.clone()) {
        Some(t) => t,
        None => fh.versions.last().map_or_else(
            || fh.source.to_string_lossy().into_owned(),
            |v| old::guideline(book, v, None).front.title,
        ),
    }
}

/// Folder of a removed file's archived pages: `<section-slug>/<stem>` with the section its last
/// version's front matter names (mapped through book.toml), else `removed/<stem>`.
fn removed_folder(book: &Book, fh: &FileHistory) -> String {
    let last = fh.versions.last().expect("versions checked non-empty");
    let g = old::guideline(book, last, None);
    if g.page.is_empty() {
        format!("removed/{}", g.stem)
    } else {
        folder_of(&g.page).to_string()
    }
}

/// The notice of an archived page, as the template shows it.
#[derive(Serialize)]
struct Notice<'a> {
    ended: &'a Ended,
    date: &'a str,
    /// The current page of the guideline (encoded), or `archive.html` when it is gone.
    current: String,
}

fn archived_page(
    site: &Site<'_>,
    ctx: &LinkContext<'_>,
    e: &Entry,
    r: &Row,
) -> Result<Archived, Diagnostic> {
    let book = site.book;
    let history = &site.history.expect("called with history").history;
    let path = r.file.clone().expect("filtered to archived rows");
    let fh = &history.files[e.file.expect("archived rows come from history")];
    let v = &fh.versions[r.index.expect("committed version")];
    let current = e.guideline.map(|i| &book.guidelines[i]);
    let body = old::render(book, ctx, v, current, &path);
    let mut c = Context::new();
    let title = &body.g.front.title;
    c.insert(
        "page_title",
        &format!("{title}, version {} (superseded)", r.version),
    );
    c.insert("title", title);
    c.insert("row", r);
    c.insert("versions", &e.rows);
    c.insert("section", &section_of(book, &body.g, current));
    c.insert("current_title", &e.title);
    c.insert("g", &serde_json::json!({ "title": e.title }));
    c.insert(
        "notice",
        &Notice {
            ended: r.ended.as_ref().expect("archived rows have ended"),
            date: &r.until,
            current: if e.page.is_empty() {
                "archive.html".into()
            } else {
                e.page.clone()
            },
        },
    );
    c.insert("body", &body.html);
    let html = site.page_fresh("superseded.html", &path, c)?;
    let assets = body
        .assets
        .into_iter()
        .map(|a| (a.output, book.config.root.join(a.source)))
        .collect();
    Ok((path, html.into_bytes(), assets))
}

/// The section an archived page names: its own front matter's when it parsed, else the current
/// guideline's; `None` for a fallback without either.
fn section_of(book: &Book, old: &Guideline, current: Option<&Guideline>) -> Option<String> {
    if old.page.is_empty() && current.is_none() {
        return None;
    }
    Some(book.config.sections[old.section].title.clone())
}

fn archive_page(site: &Site<'_>, entries: Vec<Entry>) -> Result<String, Diagnostic> {
    let book = site.book;
    let mut by_section: BTreeMap<usize, Vec<Entry>> = BTreeMap::new();
    let mut removed_section = Vec::new();
    for e in entries {
        let section = e.guideline.map(|i| book.guidelines[i].section).or_else(|| {
            let fh = &site.history?.history.files[e.file?];
            let g = old::guideline(book, fh.versions.last()?, None);
            (!g.page.is_empty()).then_some(g.section)
        });
        match section {
            Some(s) => by_section.entry(s).or_default().push(e),
            None => removed_section.push(e),
        }
    }
    let mut groups: Vec<Group> = by_section
        .into_iter()
        .map(|(s, entries)| Group {
            title: book.config.sections[s].title.clone(),
            entries,
        })
        .collect();
    if !removed_section.is_empty() {
        groups.push(Group {
            title: "Section no longer in the book".into(),
            entries: removed_section,
        });
    }
    for g in &mut groups {
        g.entries.sort_by(|a, b| {
            (a.title.to_lowercase(), &a.page).cmp(&(b.title.to_lowercase(), &b.page))
        });
    }
    let mut c = Context::new();
    c.insert("page_title", "Archive of guideline versions");
    c.insert("groups", &groups);
    c.insert(
        "history_tip",
        &site.history.map(|h| long_date(h.history.tip.date)),
    );
    site.page_fresh("archive.html", "archive.html", c)
}

/// A page at each old address of a moved guideline that is not a page of this build.
fn moved_pages(
    site: &Site<'_>,
    ctx: &LinkContext<'_>,
    files: &[FileHistory],
    taken: &mut HashSet<String>,
) -> Vec<Result<(String, Vec<u8>), Diagnostic>> {
    let book = site.book;
    let mut out = Vec::new();
    for fh in files {
        let Some(g) = ctx.by_source.get(&fh.source).map(|&i| &book.guidelines[i]) else {
            continue;
        };
        if g.front.status == Status::Draft {
            continue;
        }
        for m in &fh.moves {
            let old_page = old_address(book, fh, &m.from, g);
            if old_page == g.page || !taken.insert(old_page.clone()) {
                continue;
            }
            let mut c = Context::new();
            c.insert("page_title", &format!("{} has moved", g.front.title));
            c.insert("title", &g.front.title);
            let target = crate::paths::encode_path(&g.page);
            let root = "../".repeat(old_page.matches('/').count());
            let redirect = serde_json::to_string(&format!("{root}{target}"))
                .unwrap_or_default()
                .replace("</", "<\\/");
            c.insert("redirect", &redirect);
            c.insert("target", &target);
            c.insert("moved_on", &long_date(m.date));
            out.push(
                site.page_fresh("moved.html", &old_page, c)
                    .map(|html| (old_page, html.into_bytes())),
            );
        }
    }
    out
}

/// The page address a file had at its old path `from`: the section its text named then (from
/// the last version taken at that path), else today's section, with the old file name.
fn old_address(book: &Book, fh: &FileHistory, from: &std::path::Path, g: &Guideline) -> String {
    let stem = from
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let section = fh
        .versions
        .iter()
        .rev()
        .find(|v| v.source == from)
        .map(|v| old::guideline(book, v, Some(g)))
        .map_or(g.section, |og| og.section);
    format!("{}/{stem}.html", book.config.sections[section].slug)
}
