//! Numbers with their units in a stretch of Markdown, exactly as written, and which of them
//! changed between two versions of the same section.
//!
//! A number is what the lint's scan calls a number (`lint::quantity`: `10,000`, `0.5`, `.5`,
//! never part of a word such as `SpO2` or of a web address); numbers joined by a range joint
//! (`2–4`, `1 to 2`, and dates such as `2026-11-21`) are one. The unit is the word that follows
//! on the same line, with or without a space, when it is a unit of measure ([`UNITS`]) or `%` or
//! `°C`, with any `/`-joined words after it (`mg/kg/dose`, `breaths/min`, `mL/kg/hour`). Ordered
//! list markers (`1.` at the start of a line) are not numbers of the text.
//!
//! Changed numbers are found with a diff of the two sequences (`similar`, Myers): numbers the
//! diff keeps never show; in a run replaced by another, numbers are paired by unit
//! (`24 hours` → `48 hours`), the rest shown as removed or added; a number removed in one place
//! and added unchanged in another (a reordered paragraph) cancels out.

use crate::lint::prose::Prose;
use crate::lint::quantity::{Scan, is_range_joint};
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::collections::{HashMap, VecDeque};

/// Words that are units when they follow a number.
pub const UNITS: &[&str] = &[
    // amounts and doses
    "mg",
    "g",
    "kg",
    "mL",
    "ml",
    "L",
    "l",
    "dL",
    "dl",
    "mmol",
    "mol",
    "micromol",
    "microgram",
    "micrograms",
    "nanogram",
    "nanograms",
    "mcg",
    "µg",
    "μg",
    "ug",
    "ng",
    "unit",
    "units",
    "U",
    "IU",
    "cc",
    "mEq",
    "kcal",
    "dose",
    "doses",
    "tablet",
    "tablets",
    "puff",
    "puffs",
    "drop",
    "drops",
    "sachet",
    "sachets",
    "times",
    // time
    "s",
    "sec",
    "secs",
    "second",
    "seconds",
    "min",
    "mins",
    "minute",
    "minutes",
    "h",
    "hr",
    "hrs",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "yr",
    "yrs",
    // observations and sizes
    "breaths",
    "beats",
    "bpm",
    "mmHg",
    "kPa",
    "cm",
    "mm",
    "m",
    "km",
    "centile",
    "kJ",
    "J",
];

/// Spaces allowed between a number and its unit (not a line break).
fn is_gap(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '\u{2009}' | '\u{202f}')
}

/// Every number with its unit in `text`, as written, in order.
pub(crate) fn with_units(text: &str) -> Vec<&str> {
    let masked = mask_list_markers(text);
    let prose = Prose::new(&masked, std::slice::from_ref(&(0..masked.len())));
    let scan = Scan::new(&prose);
    let t = &prose.text;
    let nums = &scan.numbers;
    let mut out = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let start = nums[i].start;
        let mut end = nums[i].end;
        while let Some(next) = nums.get(i + 1)
            && unit_after(t, end).is_none()
            && !t[end..next.start].contains('\n')
            && is_range_joint(&t[end..next.start])
        {
            end = next.end;
            i += 1;
        }
        let end = unit_after(t, end).unwrap_or(end);
        out.push(&text[prose.body_start(start)..prose.body_end(end)]);
        i += 1;
    }
    out
}

/// The end of the unit that follows `pos` in `t`, if one does.
fn unit_after(t: &str, pos: usize) -> Option<usize> {
    let rest = &t[pos..];
    let word = rest.trim_start_matches(is_gap);
    let at = pos + rest.len() - word.len();
    if word.starts_with('%') {
        return Some(at + 1);
    }
    if let Some(deg) = word.strip_prefix('°') {
        let scale = usize::from(deg.starts_with(['C', 'F']));
        return Some(at + '°'.len_utf8() + scale);
    }
    let len = word
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(word.len());
    if len == 0 || !UNITS.contains(&&word[..len]) {
        return None;
    }
    let mut end = len;
    while let Some(tail) = word[end..].strip_prefix('/') {
        let more = tail
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(tail.len());
        if more == 0 {
            break;
        }
        end += 1 + more;
    }
    let glued = word[end..].starts_with(|c: char| c.is_numeric() || c == '_');
    (!glued).then_some(at + end)
}

/// `text` with each ordered list marker (`1.`, `12)` at the start of a line, after any
/// indent and quote markers) blanked to spaces of the same length, so offsets stay the same.
fn mask_list_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let lead = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
        let rest = &line[lead..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let marker = (1..=9).contains(&digits)
            && rest[digits..].starts_with(['.', ')'])
            && rest[digits + 1..].starts_with([' ', '\t', '\n', '\r']);
        if marker {
            out.push_str(&line[..lead]);
            out.extend(std::iter::repeat_n(' ', digits + 1));
            out.push_str(&rest[digits + 1..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// One changed number: old → new, `None` on the side where it is absent.
pub(crate) type Change<'a> = (Option<&'a str>, Option<&'a str>);

/// A run of the diff that is not kept: the numbers removed there and the numbers added there,
/// each `None` once struck out as moved.
type Run<'a> = (Vec<Option<&'a str>>, Vec<Option<&'a str>>);

/// The numbers that changed from `old` to `new`, in document order.
pub(crate) fn changed<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<Change<'a>> {
    let mut runs: Vec<Run<'a>> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        let (o, n) = match op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index, old_len, ..
            } => (old_index..old_index + old_len, 0..0),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (0..0, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        runs.push((
            old[o].iter().copied().map(Some).collect(),
            new[n].iter().copied().map(Some).collect(),
        ));
    }
    cancel_moves(&mut runs);
    let mut out = Vec::new();
    for (removed, added) in runs {
        let removed: Vec<&str> = removed.into_iter().flatten().collect();
        let added: Vec<&str> = added.into_iter().flatten().collect();
        pair(&removed, &added, &mut out);
    }
    out
}

/// The unit of a number-with-unit: what follows its last digit, spaces trimmed.
fn unit_of(n: &str) -> &str {
    let last_digit = n.rfind(|c: char| c.is_ascii_digit()).map_or(0, |i| i + 1);
    n[last_digit..].trim_start_matches(is_gap)
}

/// Pairs the numbers removed and added in one run: each removed number with the first unpaired
/// added number of the same unit (`24 hours` → `48 hours`, not → `10,000 units`); what is left
/// is paired one to one only when as many were removed as added (a unit changed too), and
/// otherwise shown as removed and added. Pairs and removals come in the old order, then the
/// additions left over in the new order.
fn pair<'a>(removed: &[&'a str], added: &[&'a str], out: &mut Vec<Change<'a>>) {
    let mut partner: Vec<Option<usize>> = vec![None; removed.len()];
    let mut taken = vec![false; added.len()];
    for (r, old) in removed.iter().enumerate() {
        let same = (0..added.len()).find(|&a| !taken[a] && unit_of(added[a]) == unit_of(old));
        if let Some(a) = same {
            partner[r] = Some(a);
            taken[a] = true;
        }
    }
    let lone_old: Vec<usize> = (0..removed.len())
        .filter(|&r| partner[r].is_none())
        .collect();
    let lone_new: Vec<usize> = (0..added.len()).filter(|&a| !taken[a]).collect();
    if lone_old.len() == lone_new.len() {
        for (&r, &a) in lone_old.iter().zip(&lone_new) {
            partner[r] = Some(a);
            taken[a] = true;
        }
    }
    for (r, old) in removed.iter().enumerate() {
        out.push((Some(*old), partner[r].map(|a| added[a])));
    }
    out.extend(
        (0..added.len())
            .filter(|&a| !taken[a])
            .map(|a| (None, Some(added[a]))),
    );
}

/// Strikes out each number removed in one place and added, as written, in another: it moved
/// (a reordered paragraph), it did not change.
fn cancel_moves(runs: &mut [Run<'_>]) {
    let mut added: HashMap<&str, VecDeque<(usize, usize)>> = HashMap::new();
    for (r, (_, a)) in runs.iter().enumerate() {
        for (k, n) in a.iter().enumerate() {
            added
                .entry(n.unwrap_or_default())
                .or_default()
                .push_back((r, k));
        }
    }
    for r in 0..runs.len() {
        for k in 0..runs[r].0.len() {
            let Some(n) = runs[r].0[k] else { continue };
            if let Some((ar, ak)) = added.get_mut(n).and_then(VecDeque::pop_front) {
                runs[r].0[k] = None;
                runs[ar].1[ak] = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_units_as_written() {
        let text = "Give 0.15 mg/kg (max 10,000 units) every 24 hours; 5mg; 2–4 hours; \
                    RR > 40 breaths/min; 38.5°C; 3 mL/kg/hour; 95 %; 1 to 2 days; SpO2 92%; \
                    on 2026-11-21; 3 children; 5&nbsp;mg.";
        assert_eq!(
            with_units(text),
            [
                "0.15 mg/kg",
                "10,000 units",
                "24 hours",
                "5mg",
                "2–4 hours",
                "40 breaths/min",
                "38.5°C",
                "3 mL/kg/hour",
                "95 %",
                "1 to 2 days",
                "92%",
                "2026-11-21",
                "3",
                "5&nbsp;mg",
            ]
        );
    }

    #[test]
    fn list_markers_and_line_breaks_are_not_part_of_numbers() {
        let text = "1. Give 5\nmg\n 12) then 2.\n> 3. x\n";
        assert_eq!(with_units(text), ["5", "2"]);
    }

    #[test]
    fn a_changed_number_pairs_old_with_new() {
        let old = ["5 mg", "24 hours", "10 mL"];
        let new = ["5 mg", "48 hours", "10 mL", "2 g"];
        assert_eq!(
            changed(&old, &new),
            [(Some("24 hours"), Some("48 hours")), (None, Some("2 g"))]
        );
        assert_eq!(changed(&new, &old)[1], (Some("2 g"), None));
        // A number added before a changed one of the same unit does not take its place.
        let new = ["5 mg", "10,000 units", "48 hours", "10 mL"];
        assert_eq!(
            changed(&old, &new),
            [
                (Some("24 hours"), Some("48 hours")),
                (None, Some("10,000 units"))
            ]
        );
        // One replaced by one: the unit changed too.
        assert_eq!(changed(&["5 mg"], &["5 g"]), [(Some("5 mg"), Some("5 g"))]);
    }

    #[test]
    fn reordered_numbers_do_not_change() {
        let old = ["5 mg", "24 hours", "10 mL", "1 g"];
        let new = ["10 mL", "1 g", "5 mg", "24 hours"];
        assert_eq!(changed(&old, &new), []);
        // Moved and changed: no pairing can be trusted, so it shows as removed and added.
        let new = ["10 mL", "1 g", "5 mg", "48 hours"];
        assert_eq!(
            changed(&old, &new),
            [(Some("24 hours"), None), (None, Some("48 hours"))]
        );
    }
}
