//! What the history and book.toml add to a change list made by [`between`](super::between):
//! each updated guideline's versions since the earlier edition, oldest first, with the date
//! each came into force, its change summary and approval (the working tree's version, not
//! committed yet, last); each withdrawal's reason, approver, date and replacement
//! (`replaced_by`); each move's sections, as book.toml titles them, and old web address.

use super::{ChangeList, Moved, NowFile, Replacement, Step, Withdrawal};
use crate::config::Config;
use crate::content::OldText;
use crate::history::{FileHistory, History, ReplacedBy};
use std::collections::HashMap;
use std::path::Path;

/// Fills in `list` (made from `history`'s previous edition to `now`) what only history and
/// the book's sections tell.
pub fn annotate(list: &mut ChangeList, history: &History, config: &Config, now: &[NowFile]) {
    let by_path: HashMap<&Path, &NowFile> = now.iter().map(|f| (f.source.as_path(), f)).collect();
    for u in &mut list.updated {
        let front = by_path
            .get(u.source.as_path())
            .map(|f| OldText::read(f.text.clone()));
        u.versions = steps(history.file(&u.source), front.as_ref());
        if let Some(m) = &mut u.moved {
            place(m, config);
        }
    }
    for m in &mut list.moved {
        place(m, config);
    }
    for e in &mut list.withdrawn {
        let file = by_path.get(e.source.as_path()).copied();
        e.withdrawal = Some(withdrawal(&e.source, file, history, &by_path));
    }
}

/// The versions of a file introduced since the previous edition, oldest first, and the
/// working tree's (`now`) when it is another version not committed yet.
fn steps(fh: Option<&FileHistory>, now: Option<&OldText>) -> Vec<Step> {
    let mut out: Vec<Step> = fh
        .map(|fh| fh.revisions.iter().filter(|v| v.since_previous))
        .into_iter()
        .flatten()
        .map(|v| Step {
            version: v.version.clone(),
            amended: v.amended,
            date: Some(v.from),
            change_summary: v.change_summary.clone(),
            approved_by: v.approved_by.clone(),
            approved_date: v.approved_date.clone(),
        })
        .collect();
    let last = fh.and_then(|fh| fh.revisions.last().filter(|_| fh.removed.is_none()));
    if let Some(now) = now
        && let Some(version) = &now.front.version
        && last.is_none_or(|l| l.until.is_some() || l.version != *version)
    {
        out.push(Step {
            version: version.clone(),
            amended: false,
            date: None,
            change_summary: now.front.change_summary.clone(),
            approved_by: now.front.approved_by.clone(),
            approved_date: now.front.approved_date.clone(),
        });
    }
    out
}

/// The titles of a move's sections, and its old address when that is not its address now.
fn place(m: &mut Moved, config: &Config) {
    let section = |value: &Option<String>| {
        let value = value.as_deref()?.trim();
        config
            .sections
            .iter()
            .find(|s| s.slug == value || s.title.eq_ignore_ascii_case(value))
    };
    let page = |source: &Path, value: &Option<String>| {
        let stem = source.file_stem()?.to_string_lossy().into_owned();
        Some(format!("{}/{stem}.html", section(value)?.slug))
    };
    let old_page = page(&m.old_source, &m.from_section);
    m.old_page = old_page.filter(|old| page(&m.source, &m.to_section).as_ref() != Some(old));
    for value in [&mut m.from_section, &mut m.to_section] {
        if let Some(s) = section(value) {
            *value = Some(s.title.clone());
        }
    }
}

/// A withdrawn guideline's reason, approval and replacement (from `file`, its text now, when
/// it is still in the book) and the date history gives its withdrawal or removal.
fn withdrawal(
    source: &Path,
    file: Option<&NowFile>,
    history: &History,
    now: &HashMap<&Path, &NowFile>,
) -> Withdrawal {
    let fh = history.file(source);
    let date = fh.and_then(|fh| {
        let ended = fh.revisions.last().and_then(|v| v.until.as_ref());
        ended
            .filter(|u| matches!(u.by, ReplacedBy::Withdrawn | ReplacedBy::Removed))
            .map(|u| u.date)
            .or(fh.removed)
    });
    let Some(file) = file else {
        return Withdrawal {
            date,
            ..Withdrawal::default()
        };
    };
    let front = OldText::read(file.text.clone());
    let replaced_by = front.front.replaced_by.as_deref().and_then(|value| {
        let path = crate::content::replaced::resolve(source, value, |p| {
            p != source && now.contains_key(p)
        })?;
        let title = now
            .get(path.as_path())
            .map(|f| OldText::read(f.text.clone()))?;
        Some(Replacement {
            title: title.title_or(&path),
            source: path,
        })
    });
    Withdrawal {
        reason: front.front.change_summary.clone(),
        approved_by: front.front.approved_by.clone(),
        approved_date: front.front.approved_date.clone(),
        date,
        replaced_by,
    }
}
