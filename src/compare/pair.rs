//! Which block of the new version is which block of the old, and how it changed.
//!
//! 1. A diff of the two sequences of blocks by kind and key (`similar`, Myers) pairs the blocks
//!    kept in place: the same, or the same but for form.
//! 2. A block left over on both sides with the same kind and key moved (a reordered row or
//!    paragraph).
//! 3. In each stretch the diff could not keep, blocks are paired by likeness: a table row with
//!    the row of the same label (its first cell), a heading with a heading of the same level (a
//!    rename; the section's content pairs as usual under it), and any other block with the most
//!    alike block of its kind (at least half its words in common): an edited block pairs with
//!    itself.
//! 4. The rest were removed or added.
//!
//! The pairs come in the new version's order, each removed block after the block the one before
//! it was paired with.

use super::blocks::{Block, BlockKind};
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::{HashMap, VecDeque};
use std::ops::Range;

/// How a block changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum How {
    /// Not at all.
    Same,
    /// In form only.
    Format,
    /// It moved (and may have changed form).
    Moved,
    /// Its text changed.
    Changed,
    /// A heading whose text changed.
    Renamed,
    /// Only in the old version.
    Removed,
    /// Only in the new version.
    Added,
}

/// A block of the old version, of the new one, or of both, and how it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paired {
    /// Index in the old blocks.
    pub old: Option<usize>,
    /// Index in the new blocks.
    pub new: Option<usize>,
    /// How it changed.
    pub how: How,
}

/// The least likeness (words in common) for two blocks to be one edited block.
const ALIKE: f64 = 0.5;

/// Above this many candidate pairs in one stretch, only blocks near each other in it are
/// compared.
const MANY: usize = 10_000;

/// How near (in places within the stretch) blocks must be when there are [`MANY`] candidates.
const NEAR: usize = 20;

/// Pairs the blocks of `old` and `new`.
pub(crate) fn pair(old: &[Block], new: &[Block]) -> Vec<Paired> {
    let key = |b: &Block| (b.kind(), b.level, b.key.clone());
    let old_keys: Vec<_> = old.iter().map(key).collect();
    let new_keys: Vec<_> = new.iter().map(key).collect();
    let mut of_old: Vec<Option<usize>> = vec![None; old.len()];
    let mut of_new: Vec<Option<(usize, How)>> = vec![None; new.len()];
    let mut runs: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                let (o, n) = (old_index + k, new_index + k);
                let how = if old[o].form == new[n].form {
                    How::Same
                } else {
                    How::Format
                };
                of_old[o] = Some(n);
                of_new[n] = Some((o, how));
            }
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        match runs.last_mut() {
            Some((lo, ln)) if lo.end == o.start && ln.end == n.start => {
                lo.end = o.end;
                ln.end = n.end;
            }
            _ => runs.push((o, n)),
        }
    }
    let mut left: HashMap<_, VecDeque<usize>> = HashMap::new();
    for (o, k) in old_keys
        .iter()
        .enumerate()
        .filter(|(o, _)| of_old[*o].is_none())
    {
        left.entry(k).or_default().push_back(o);
    }
    for n in 0..new.len() {
        if of_new[n].is_some() {
            continue;
        }
        if let Some(o) = left.get_mut(&new_keys[n]).and_then(VecDeque::pop_front) {
            of_old[o] = Some(n);
            of_new[n] = Some((o, How::Moved));
        }
    }
    for (ro, rn) in runs {
        alike(old, new, (ro, rn), &mut of_old, &mut of_new);
    }
    ordered(&of_old, &of_new)
}

/// Pairs the blocks left unpaired in one stretch the diff could not keep, by likeness.
fn alike(
    old: &[Block],
    new: &[Block],
    (ro, rn): (Range<usize>, Range<usize>),
    of_old: &mut [Option<usize>],
    of_new: &mut [Option<(usize, How)>],
) {
    let os: Vec<usize> = ro.filter(|&o| of_old[o].is_none()).collect();
    let ns: Vec<usize> = rn.filter(|&n| of_new[n].is_none()).collect();
    let crowded = os.len() * ns.len() > MANY;
    let masked_old: Vec<String> = os.iter().map(|&o| masked(&old[o].key)).collect();
    let masked_new: Vec<String> = ns.iter().map(|&n| masked(&new[n].key)).collect();
    let mut candidates: Vec<(u32, usize, usize, usize)> = Vec::new();
    for (i, &o) in os.iter().enumerate() {
        for (j, &n) in ns.iter().enumerate() {
            let distance = i.abs_diff(j);
            if crowded && distance > NEAR {
                continue;
            }
            let words = dice(&masked_old[i], &masked_new[j]);
            if let Some(score) = likeness(&old[o], &new[n], words) {
                // Best first, then nearest, then in order.
                candidates.push((u32::MAX - score, distance, o, n));
            }
        }
    }
    candidates.sort_unstable();
    for (_, _, o, n) in candidates {
        if of_old[o].is_none() && of_new[n].is_none() {
            let how = if old[o].kind() == BlockKind::Heading {
                How::Renamed
            } else {
                How::Changed
            };
            of_old[o] = Some(n);
            of_new[n] = Some((o, how));
        }
    }
}

/// How alike two blocks are, in millionths, when they could be one edited block (`words`: the
/// share of their words in common, numbers masked): a table row with the same label scores
/// highest; a heading with any heading of the same level; other blocks of one kind with at
/// least [`ALIKE`] of their words in common.
fn likeness(a: &Block, b: &Block, words: f64) -> Option<u32> {
    if a.kind() != b.kind() || a.level != b.level {
        return None;
    }
    let same_label = match (a.row_label(), b.row_label()) {
        (Some(x), Some(y)) => super::blocks::key(x) == super::blocks::key(y),
        _ => false,
    };
    let score = if same_label {
        2.0 + words
    } else if a.kind() == BlockKind::Heading || words >= ALIKE {
        words
    } else {
        return None;
    };
    // Scores are at most 3.0: in millionths they fit a u32.
    Some((score * 1_000_000.0) as u32)
}

/// `key` with each run of digits (and the points and commas in it) as one `#`, so that a block
/// whose numbers changed is still like itself.
fn masked(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut in_number = false;
    for c in key.chars() {
        let digit = c.is_ascii_digit() || (in_number && matches!(c, '.' | ','));
        if digit && !in_number {
            out.push('#');
        } else if !digit {
            out.push(c);
        }
        in_number = digit;
    }
    out
}

/// The share of words two texts have in common (Dice's coefficient over word multisets).
fn dice(a: &str, b: &str) -> f64 {
    let mut x: Vec<&str> = a.split(' ').collect();
    let mut y: Vec<&str> = b.split(' ').collect();
    x.sort_unstable();
    y.sort_unstable();
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(y[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f64 / (x.len() + y.len()) as f64
}

/// The pairs in the new version's order, each removed block after the block the old block
/// before it was paired with (at the top when none was).
fn ordered(of_old: &[Option<usize>], of_new: &[Option<(usize, How)>]) -> Vec<Paired> {
    let mut out: Vec<((usize, usize, usize), Paired)> = Vec::new();
    for (n, p) in of_new.iter().enumerate() {
        let (old, how) = p.map_or((None, How::Added), |(o, how)| (Some(o), how));
        out.push((
            (n + 1, 0, 0),
            Paired {
                old,
                new: Some(n),
                how,
            },
        ));
    }
    let mut after = 0;
    for (o, p) in of_old.iter().enumerate() {
        match p {
            Some(n) => after = n + 1,
            None => out.push((
                (after, 1, o),
                Paired {
                    old: Some(o),
                    new: None,
                    how: How::Removed,
                },
            )),
        }
    }
    out.sort_by_key(|(k, _)| *k);
    out.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::super::blocks::blocks;
    use super::*;

    fn hows(old: &str, new: &str) -> Vec<(Option<usize>, Option<usize>, How)> {
        pair(&blocks(old), &blocks(new))
            .into_iter()
            .filter(|p| p.how != How::Same)
            .map(|p| (p.old, p.new, p.how))
            .collect()
    }

    #[test]
    fn edited_rows_pair_by_label_and_moves_are_moves() {
        let table = |a: &str, b: &str| {
            format!("| Route | Dose |\n|---|---|\n| IV/IO | {a} |\n| IM | {b} |\n")
        };
        assert_eq!(
            hows(
                &table("0.15 mg/kg", "0.2 mg/kg"),
                &table("0.2 mg/kg", "0.15 mg/kg")
            ),
            [
                (Some(1), Some(1), How::Changed),
                (Some(2), Some(2), How::Changed)
            ]
        );
        assert_eq!(
            hows(
                "A one.\n\nB two.\n\nC three.\n",
                "B two.\n\nC three.\n\nA one.\n"
            ),
            [(Some(0), Some(2), How::Moved)]
        );
        assert_eq!(
            hows(
                "# Low < 2.5 mmol/L\n\nTreat.\n",
                "# Low < 3.0 mmol/L\n\nTreat.\n"
            ),
            [(Some(0), Some(0), How::Renamed)]
        );
        assert_eq!(
            hows("Keep.\n\nGone away now.\n", "Keep.\n\nSomething else.\n"),
            [(Some(1), None, How::Removed), (None, Some(1), How::Added)]
        );
        assert_eq!(
            hows("Give 25mg.\n", "Give *25 mg*.\n"),
            [(Some(0), Some(0), How::Format)]
        );
    }
}
