//! From one file's events (the commits that changed it) to its [`FileHistory`]: revisions with
//! the dates they were in force, what replaced each, the archived text, moves, and the commits
//! passed over because their text could not have been built. Pure: the repository was read
//! before; this applies the rules in the module documentation of history.

use super::walk::Event;
use super::{Commit, FileHistory, Move, PassedOver, Place, ReplacedBy, Revision, Until};
use crate::content::OldText;
use gix::ObjectId;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A revision opened and not yet closed: its version, whether it amends the one before, where it
/// started, and the last text seen.
struct Open<'a> {
    version: String,
    amended: bool,
    from: usize,
    last: (&'a str, &'a OldText),
    places: Vec<Place>,
}

impl Open<'_> {
    /// Notes the place of a text of this revision, at `date`.
    fn seen_at(&mut self, path: &str, text: &OldText, date: jiff::civil::Date) {
        let section = &text.front.section;
        let known = self
            .places
            .iter()
            .any(|p| p.source.as_os_str() == path && p.section == *section);
        if !known {
            self.places.push(Place {
                source: path.into(),
                section: section.clone(),
                since: date,
            });
        }
    }
}

/// What one readable, published text does to the revision open before it.
enum Step {
    /// The same text as far as readers are concerned (the body and version are unchanged):
    /// it becomes the revision's last text.
    Same,
    /// The revision ends here, replaced by this.
    Ends(ReplacedBy),
}

/// The history of one file from its events, oldest first (never empty), and the commits whose
/// text of it was passed over.
///
/// Revisions introduced after the commit at index `since` (the previous edition's) are marked
/// new since it.
pub(crate) fn file_history(
    events: &[Event],
    commits: &[Commit],
    blobs: &HashMap<ObjectId, Arc<OldText>>,
    since: Option<usize>,
) -> (FileHistory, Vec<PassedOver>) {
    let mut revisions: Vec<Revision> = Vec::new();
    let mut passed = Vec::new();
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
        let Some(text) = ev.blob.and_then(|b| blobs.get(&b)) else {
            if let Some(o) = open.take() {
                revisions.push(close(
                    o,
                    commits,
                    since,
                    Some((ev.commit, ReplacedBy::Removed)),
                ));
            }
            removed = Some(date);
            continue;
        };
        removed = None;
        if let Some(why) = &text.front.problem {
            passed.push(PassedOver {
                commit: commits[ev.commit].clone(),
                source: ev.path.as_str().into(),
                why: why.clone(),
            });
            continue;
        }
        // A draft is not part of the published book, and a text without a version has nothing
        // to label a revision with: the revision before stays in force.
        if text.draft() || (text.front.version.is_none() && !text.withdrawn()) {
            continue;
        }
        if let Some(mut o) = open.take() {
            match step(&o, text) {
                Step::Same => {
                    o.last = (&ev.path, text);
                    o.seen_at(&ev.path, text, date);
                    open = Some(o);
                    continue;
                }
                Step::Ends(by) => revisions.push(close(o, commits, since, Some((ev.commit, by)))),
            }
        }
        if let (false, Some(v)) = (text.withdrawn(), &text.front.version) {
            open = Some(opened(v, revisions.last(), ev, text, date));
        }
    }
    if let Some(o) = open {
        revisions.push(close(o, commits, since, None));
    }
    let source = events
        .last()
        .map(|e| e.path.as_str().into())
        .unwrap_or_default();
    let history = FileHistory {
        source,
        moves,
        removed,
        revisions,
    };
    (history, passed)
}

/// A revision of version `v` opened by `text` at event `ev` (of `date`), after `before`.
fn opened<'a>(
    v: &str,
    before: Option<&Revision>,
    ev: &'a Event,
    text: &'a OldText,
    date: jiff::civil::Date,
) -> Open<'a> {
    let amended = before.is_some_and(|r| {
        r.version == v
            && !matches!(
                r.until.as_ref().map(|u| &u.by),
                Some(ReplacedBy::Withdrawn | ReplacedBy::Removed)
            )
    });
    let mut o = Open {
        version: v.to_string(),
        amended,
        from: ev.commit,
        last: (&ev.path, text),
        places: Vec::new(),
    };
    o.seen_at(&ev.path, text, date);
    o
}

/// What the published, readable `text` does to the open revision `o`.
fn step(o: &Open<'_>, text: &OldText) -> Step {
    if text.withdrawn() {
        return Step::Ends(ReplacedBy::Withdrawn);
    }
    match &text.front.version {
        Some(v) if *v != o.version => Step::Ends(ReplacedBy::Version(v.clone())),
        _ if o.last.1.body().trim_end() != text.body().trim_end() => {
            Step::Ends(ReplacedBy::Amended)
        }
        _ => Step::Same,
    }
}

/// A finished revision: replaced at commit `end` by what it says, or in force (`None`).
fn close(
    o: Open<'_>,
    commits: &[Commit],
    since: Option<usize>,
    end: Option<(usize, ReplacedBy)>,
) -> Revision {
    let (path, p) = o.last;
    Revision {
        version: o.version,
        amended: o.amended,
        from: commits[o.from].date,
        commit: commits[o.from].id.clone(),
        until: end.map(|(c, by)| Until {
            date: commits[c].date,
            by,
        }),
        source: PathBuf::from(path),
        places: o.places,
        text: p.text.clone(),
        title: p.front.title.clone(),
        change_summary: p.front.change_summary.clone(),
        approved_by: p.front.approved_by.clone(),
        approved_date: p.front.approved_date.clone(),
        since_previous: since.is_some_and(|s| o.from > s),
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
    fn an_edit_without_a_version_bump_is_a_new_revision_of_the_same_version() {
        let (commits, blobs, ids) = setup(&[
            "---\nversion: 1\n---\na\n",
            "---\nversion: 1\nchange_summary: x\n---\na\n\n",
            "---\nversion: 1\n---\nb\n",
            "---\nversion: 2\n---\nc\n",
        ]);
        let events: Vec<_> = (0..4).map(|i| ev(i, "g/x.md", Some(ids[i]))).collect();
        let (h, passed) = file_history(&events, &commits, &blobs, None);
        assert!(passed.is_empty());
        let got: Vec<_> = h
            .revisions
            .iter()
            .map(|r| {
                (
                    r.version.as_str(),
                    r.amended,
                    r.from,
                    r.until.clone().map(|u| (u.date, u.by)),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "1",
                    false,
                    date(2025, 1, 1),
                    Some((date(2025, 1, 3), ReplacedBy::Amended))
                ),
                (
                    "1",
                    true,
                    date(2025, 1, 3),
                    Some((date(2025, 1, 4), ReplacedBy::Version("2".into())))
                ),
                ("2", false, date(2025, 1, 4), None),
            ]
        );
        // The front matter alone changed in the second commit: the same revision, its last text.
        assert!(h.revisions[0].text.contains("change_summary: x"));
        assert!(h.revisions[1].text.ends_with("b\n"));
    }

    #[test]
    fn an_unreadable_or_draft_text_is_no_revision_and_the_one_before_stays_in_force() {
        let (commits, blobs, ids) = setup(&[
            "---\nversion: 1.2\n---\n2 to 4 hours\n",
            "---\nversion: [1.3\n---\nafter 4 hours\n",
            "---\nversion: 1.3\nstatus: draft\n---\nafter 4 hours\n",
            "---\nversion: 1.3\n---\nafter 4 hours\n",
        ]);
        let events: Vec<_> = (0..4).map(|i| ev(i, "g/croup.md", Some(ids[i]))).collect();
        let (h, passed) = file_history(&events, &commits, &blobs, None);
        assert_eq!(h.revisions.len(), 2);
        assert!(h.revisions[0].text.contains("2 to 4 hours"));
        let until = h.revisions[0].until.as_ref().expect("replaced");
        assert_eq!(
            (until.date, &until.by),
            (date(2025, 1, 4), &ReplacedBy::Version("1.3".into()))
        );
        assert_eq!(passed.len(), 1);
        assert_eq!(passed[0].commit.id, "c1");
        assert_eq!(passed[0].source, PathBuf::from("g/croup.md"));
        assert!(
            passed[0].why.contains("does not parse"),
            "{}",
            passed[0].why
        );
    }

    #[test]
    fn a_file_without_version_has_none_and_removal_ends_one() {
        let (commits, blobs, ids) = setup(&["---\ntitle: A\n---\n", "---\nversion: 3\n---\n"]);
        let (h, _) = file_history(&[ev(0, "x.md", Some(ids[0]))], &commits, &blobs, None);
        assert!(h.revisions.is_empty());
        let (h, _) = file_history(
            &[ev(0, "x.md", Some(ids[1])), ev(1, "x.md", None)],
            &commits,
            &blobs,
            None,
        );
        assert_eq!(h.removed, Some(date(2025, 1, 2)));
        let until = h.revisions[0].until.as_ref().expect("removed");
        assert_eq!(
            (until.date, &until.by),
            (date(2025, 1, 2), &ReplacedBy::Removed)
        );
    }
}
