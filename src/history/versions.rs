//! From one file's events (the commits that changed it) to its [`FileHistory`]: versions with
//! the dates they were in force, what replaced each, the archived text, and moves. Pure: the
//! repository was read before; this applies the rules in the module documentation of history.

use super::walk::Event;
use super::{Commit, FileHistory, Move, ReplacedBy, Until, Version};
use crate::content::OldText;
use gix::ObjectId;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A version opened and not yet closed: where it started, and the last text seen.
struct Open<'a> {
    version: String,
    from: usize,
    last: (&'a str, &'a OldText),
}

/// The history of one file from its events, oldest first (never empty).
pub(crate) fn file_history(
    events: &[Event],
    commits: &[Commit],
    blobs: &HashMap<ObjectId, Arc<OldText>>,
) -> FileHistory {
    let mut versions = Vec::new();
    let mut moves = Vec::new();
    let mut open: Option<Open<'_>> = None;
    let mut removed = None;
    for ev in events {
        let date = commits[ev.commit].date;
        if let Some(from) = &ev.moved_from {
            moves.push(Move {
                from: from.into(),
                to: ev.path.as_str().into(),
                date,
            });
        }
        let Some(parsed) = ev.blob.and_then(|b| blobs.get(&b)) else {
            if let Some(o) = open.take() {
                versions.push(close(o, commits, Some((ev.commit, ReplacedBy::Removed))));
            }
            removed = Some(date);
            continue;
        };
        removed = None;
        if let Some(mut o) = open.take() {
            let by = if parsed.withdrawn() {
                Some(ReplacedBy::Withdrawn)
            } else {
                parsed
                    .front
                    .version
                    .as_ref()
                    .filter(|v| **v != o.version)
                    .map(|v| ReplacedBy::Version(v.clone()))
            };
            match by {
                Some(by) => versions.push(close(o, commits, Some((ev.commit, by)))),
                None => {
                    o.last = (&ev.path, parsed);
                    open = Some(o);
                }
            }
        }
        if open.is_none() && !parsed.withdrawn() {
            open = parsed.front.version.as_ref().map(|v| Open {
                version: v.clone(),
                from: ev.commit,
                last: (&ev.path, parsed),
            });
        }
    }
    if let Some(o) = open {
        versions.push(close(o, commits, None));
    }
    FileHistory {
        source: events
            .last()
            .map(|e| e.path.as_str().into())
            .unwrap_or_default(),
        moves,
        removed,
        versions,
    }
}

/// A finished version: replaced at commit `end` by what it says, or in force (`None`).
fn close(o: Open<'_>, commits: &[Commit], end: Option<(usize, ReplacedBy)>) -> Version {
    let (path, p) = o.last;
    Version {
        version: o.version,
        from: commits[o.from].date,
        commit: commits[o.from].id.clone(),
        until: end.map(|(c, by)| Until {
            date: commits[c].date,
            by,
        }),
        source: PathBuf::from(path),
        text: p.text.clone(),
        title: p.front.title.clone(),
        change_summary: p.front.change_summary.clone(),
        approved_by: p.front.approved_by.clone(),
        approved_date: p.front.approved_date.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn setup(texts: &[&str]) -> (Vec<Commit>, HashMap<ObjectId, Arc<OldText>>, Vec<ObjectId>) {
        let commits = (0..texts.len())
            .map(|i| Commit {
                id: format!("c{i}"),
                date: date(2025, 1, 1 + i as i8),
            })
            .collect();
        let mut blobs = HashMap::new();
        let mut ids = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let mut raw = [0u8; 20];
            raw[0] = i as u8 + 1;
            let id = ObjectId::from_bytes_or_panic(&raw);
            blobs.insert(id, Arc::new(OldText::from_bytes(t.as_bytes())));
            ids.push(id);
        }
        (commits, blobs, ids)
    }

    fn ev(commit: usize, path: &str, blob: Option<ObjectId>) -> Event {
        Event {
            commit,
            path: path.into(),
            blob,
            moved_from: None,
        }
    }

    #[test]
    fn an_edit_within_a_version_moves_the_archived_text_forward() {
        let (commits, blobs, ids) = setup(&[
            "---\nversion: 1\n---\na\n",
            "---\nversion: 1\n---\nb\n",
            "---\nversion: 2\n---\nc\n",
        ]);
        let events: Vec<_> = (0..3).map(|i| ev(i, "g/x.md", Some(ids[i]))).collect();
        let h = file_history(&events, &commits, &blobs);
        assert_eq!(h.versions.len(), 2);
        let v1 = &h.versions[0];
        assert_eq!(v1.from, date(2025, 1, 1));
        let until = v1.until.as_ref().expect("replaced");
        assert_eq!(until.date, date(2025, 1, 3));
        assert_eq!(until.by, ReplacedBy::Version("2".into()));
        assert!(v1.text.ends_with("b\n"));
        assert!(h.versions[1].until.is_none());
        assert!(h.versions[1].text.ends_with("c\n"));
    }

    #[test]
    fn a_file_without_version_has_none_and_removal_ends_one() {
        let (commits, blobs, ids) = setup(&["---\ntitle: A\n---\n", "---\nversion: 3\n---\n"]);
        let h = file_history(&[ev(0, "x.md", Some(ids[0]))], &commits, &blobs);
        assert!(h.versions.is_empty());
        let h = file_history(
            &[ev(0, "x.md", Some(ids[1])), ev(1, "x.md", None)],
            &commits,
            &blobs,
        );
        assert_eq!(h.removed, Some(date(2025, 1, 2)));
        let until = h.versions[0].until.as_ref().expect("removed");
        assert_eq!(
            (until.date, &until.by),
            (date(2025, 1, 2), &ReplacedBy::Removed)
        );
    }
}
