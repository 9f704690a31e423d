//! The archive's files: the archived version pages, `archive.html` and the moved-file pages,
//! made together (they share the version rows) and memoised under one key: the history read
//! (tip and previous edition) and what the site shows of every guideline.

use super::old;
use super::plan::Plan;
use super::rows::{Ended, Row, rows, working_row};
use super::{folder_of, history_key};
use crate::content::{Book, Guideline, LinkContext, Status};
use crate::diag::Diagnostic;
use crate::history::{FileHistory, History};
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
    let (Some(found), Some(plan)) = (site.history, site.archive) else {
        return Vec::new();
    };
    let existing: Vec<String> = out.files.keys().cloned().collect();
    let key = (
        history_key(site.history),
        crate::render::html::listing_key(site.book),
        &existing,
    );
    let made: Result<Made, Vec<Diagnostic>> = site
        .memo
        .memo("archive", key, || make(site, &found.history, plan));
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
    /// The current page (encoded), or empty when it has none in this build.
    page: String,
    /// The id of its entry on archive.html.
    id: String,
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

fn make(site: &Site<'_>, history: &History, plan: &Plan) -> Result<Made, Vec<Diagnostic>> {
    let book = site.book;
    // Old texts' own problems are dropped, so their broken links need no suggestions; a link to
    // a file since moved or removed leads to where it is now.
    let ctx = LinkContext {
        suggest: false,
        former: plan.former.clone(),
        ..LinkContext::new(book)
    };
    let entries = entries(book, history, plan);
    let jobs: Vec<(&Entry, &Row)> = entries
        .iter()
        .flat_map(|e| e.rows.iter().map(move |r| (e, r)))
        .filter(|(_, r)| r.file.is_some())
        .collect();
    let archived: Vec<Result<Archived, Diagnostic>> = jobs
        .par_iter()
        .map(|(e, r)| archived_page(site, &ctx, history, e, r))
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
    for page in old_address_pages(site, history, plan) {
        match page {
            Ok(f) => files.push(f),
            Err(d) => errors.push(d),
        }
    }
    match archive_page(site, history, entries) {
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

/// Every guideline file of history that has a revision (and every guideline of the book that
/// history does not know yet), with its rows.
fn entries(book: &Book, history: &History, plan: &Plan) -> Vec<Entry> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, fh) in history.files.iter().enumerate() {
        if fh.revisions.is_empty() {
            continue;
        }
        let gi = plan.guideline[i];
        let g = gi.map(|i| &book.guidelines[i]);
        if let Some(g) = g {
            seen.insert(g.source.clone());
        }
        out.push(Entry {
            title: g.map_or_else(|| last_title(book, fh), |g| g.front.title.clone()),
            status: g.map_or("removed", |g| g.front.status.as_str()),
            page: g.map_or_else(String::new, |g| crate::paths::encode_path(&g.page)),
            id: entry_id(plan, i),
            rows: rows(fh, &plan.pages[i], g),
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
                id: format!("g-{}", folder_of(&g.page)),
                rows: vec![working_row(g)],
                file: None,
                guideline: Some(gi),
            });
        }
    }
    out
}

/// The id of history file `i`'s entry on archive.html: from the folder of where it is now.
pub fn entry_id(plan: &Plan, i: usize) -> String {
    format!("g-{}", folder_of(&plan.target[i]))
}

/// The title of a file not in this build: its last revision's, as history recorded it or as
/// its text says (else its file name).
fn last_title(book: &Book, fh: &FileHistory) -> String {
    match fh.revisions.iter().rev().find_map(|v| v.title.clone()) {
        Some(t) => t,
        None => fh.revisions.last().map_or_else(
            || fh.source.to_string_lossy().into_owned(),
            |v| old::guideline(book, v, None).front.title,
        ),
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
    history: &History,
    e: &Entry,
    r: &Row,
) -> Result<Archived, Diagnostic> {
    let book = site.book;
    let path = r.file.clone().expect("filtered to archived rows");
    let fh = &history.files[e.file.expect("archived rows come from history")];
    let v = &fh.revisions[r.index.expect("committed revision")];
    let current = e.guideline.map(|i| &book.guidelines[i]);
    let body = old::render(book, ctx, v, current, &path);
    let mut c = Context::new();
    let title = &body.g.front.title;
    c.insert(
        "page_title",
        &format!("{title}, version {} (superseded)", r.label),
    );
    c.insert("title", title);
    c.insert("row", r);
    c.insert("section", &section_of(book, &body.g, current));
    c.insert("current_title", &e.title);
    c.insert("all_versions", &format!("archive.html#{}", e.id));
    c.insert("g", &serde_json::json!({ "title": e.title }));
    let now = if e.page.is_empty() {
        "archive.html"
    } else {
        e.page.as_str()
    };
    c.insert("copy", &crate::render::copies::elsewhere(book, now));
    c.insert(
        "notice",
        &Notice {
            ended: r.ended.as_ref().expect("archived rows have ended"),
            date: &r.until,
            current: now.to_string(),
        },
    );
    c.insert("body", &body.html);
    c.insert("print_notice", &crate::theme::css_string(&r.notice));
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

fn archive_page(
    site: &Site<'_>,
    history: &History,
    entries: Vec<Entry>,
) -> Result<String, Diagnostic> {
    let book = site.book;
    let mut by_section: BTreeMap<usize, Vec<Entry>> = BTreeMap::new();
    let mut removed_section = Vec::new();
    for e in entries {
        let section = e.guideline.map(|i| book.guidelines[i].section).or_else(|| {
            let fh = &history.files[e.file?];
            let g = old::guideline(book, fh.revisions.last()?, None);
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
    c.insert("history_tip", &long_date(history.tip.date));
    site.page_fresh("archive.html", "archive.html", c)
}

/// A page at each old address that is no page of this build, leading to where the guideline is
/// now (its page, or its last archived page, or the archive).
fn old_address_pages(
    site: &Site<'_>,
    history: &History,
    plan: &Plan,
) -> Vec<Result<(String, Vec<u8>), Diagnostic>> {
    let book = site.book;
    plan.old
        .iter()
        .map(|o| {
            let fh = &history.files[o.file];
            let g = plan.guideline[o.file].map(|i| &book.guidelines[i]);
            let title = g.map_or_else(|| last_title(book, fh), |g| g.front.title.clone());
            let kind = match g {
                Some(g) if g.front.status == Status::Withdrawn => "withdrawn",
                Some(_) => "moved",
                None if fh.removed.is_some() => "removed",
                None => "archived",
            };
            let mut c = Context::new();
            c.insert(
                "page_title",
                &format!("{title} is no longer at this address"),
            );
            c.insert("title", &title);
            let target = crate::paths::encode_path(&plan.target[o.file]);
            let root = "../".repeat(o.page.matches('/').count());
            let redirect = serde_json::to_string(&format!("{root}{target}"))
                .unwrap_or_default()
                .replace("</", "<\\/");
            c.insert("redirect", &redirect);
            c.insert("target", &target);
            c.insert("kind", kind);
            c.insert("moved_on", &long_date(o.left));
            c.insert(
                "copy",
                &crate::render::copies::elsewhere(book, &plan.target[o.file]),
            );
            site.page_fresh("moved.html", &o.page, c)
                .map(|html| (o.page.clone(), html.into_bytes()))
        })
        .collect()
}
