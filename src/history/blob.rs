//! Old versions of guideline files as history reads them: every changed blob, read leniently
//! ([`OldText`], the content module's lenient reader) in parallel, each distinct front matter
//! parsed once (most commits change a body and not its front matter).

use crate::content::{OldFront, OldText, yaml_of};
use gix::ObjectId;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Reads many blobs, in parallel.
pub(crate) fn parse_all(blobs: Vec<(ObjectId, Vec<u8>)>) -> HashMap<ObjectId, Arc<OldText>> {
    let texts: Vec<(ObjectId, Arc<str>, bool)> = blobs
        .into_par_iter()
        .map(|(id, bytes)| {
            let utf8 = std::str::from_utf8(&bytes).is_ok();
            (id, String::from_utf8_lossy(&bytes).into(), utf8)
        })
        .collect();
    let mut distinct: HashMap<Option<&str>, usize> = HashMap::new();
    let keys: Vec<usize> = texts
        .iter()
        .map(|(_, t, _)| {
            let yaml = yaml_of(t).1;
            let next = distinct.len();
            *distinct.entry(yaml).or_insert(next)
        })
        .collect();
    let mut yamls: Vec<(Option<&str>, usize)> = distinct.into_iter().collect();
    yamls.sort_by_key(|(_, i)| *i);
    let fronts: Vec<OldFront> = yamls
        .par_iter()
        .map(|(y, _)| OldFront::from_yaml(*y))
        .collect();
    texts
        .into_iter()
        .zip(keys)
        .map(|((id, text, utf8), k)| {
            let mut front = fronts[k].clone();
            if !utf8 && front.problem.is_none() {
                front.problem = Some("the file is not UTF-8".into());
            }
            (id, Arc::new(OldText::with_front(text, front)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_all_shares_front_matter_and_keeps_each_text() {
        let id = |b: u8| ObjectId::from_bytes_or_panic(&[b; 20]);
        let all = parse_all(vec![
            (id(1), b"---\nversion: 1\n---\nA\n".to_vec()),
            (id(2), b"---\nversion: 1\n---\nB\n".to_vec()),
            (id(3), b"---\nversion: 2\n---\nB\n".to_vec()),
            (id(4), b"---\nversion: 2\n---\nB\xff\n".to_vec()),
        ]);
        assert_eq!(all[&id(1)].front.version.as_deref(), Some("1"));
        assert_eq!(&*all[&id(2)].text, "---\nversion: 1\n---\nB\n");
        assert_eq!(all[&id(2)].body(), "B\n");
        assert_eq!(all[&id(3)].front.version.as_deref(), Some("2"));
        assert_eq!(
            *all[&id(1)],
            OldText::from_bytes(b"---\nversion: 1\n---\nA\n")
        );
        assert_eq!(
            *all[&id(4)],
            OldText::from_bytes(b"---\nversion: 2\n---\nB\xff\n")
        );
        assert!(all[&id(4)].front.problem.is_some());
    }
}
