//! Numbers with their whole quantity in a block's plain text, exactly as written, and which of
//! them changed between two versions of one block.
//!
//! A number is what the lint's scan calls a number (`lint::quantity`: `10,000`, `0.5`, `.5`,
//! never part of a word such as `SpO2` or of a web address); numbers joined by a range joint
//! (`2–4`, `1 to 2`, `6-11y`, and dates such as `2026-11-21`) are one. Its quantity takes in a
//! comparator written just before it (`<`, `>`, `≤`, `≥`, `<=`, `>=`, `±`, `~`, with or without a
//! space) and the unit after it, with or without a space: a unit of measure ([`UNITS`]) with any
//! `/`-joined words after it (`mg/kg/dose`, `breaths/min`, `mls/kg`), `%`, or a degree sign (`°`
//! or `º`) with its scale (`°C`, `º Celsius`).
//!
//! Two quantities are the same number when they differ only in spaces (`25mg` and `25 mg`,
//! `< 3` and `<3`): that is a change of form, never a number change ([`key`]).

use crate::lint::prose::Prose;
use crate::lint::quantity::{Scan, is_range_joint};
use std::ops::Range;

/// Words that are units when they follow a number.
pub const UNITS: &[&str] = &[
    // amounts and doses
    "mg",
    "g",
    "kg",
    "mL",
    "ml",
    "mls",
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
    "mcgs",
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
    "y",
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
    "degrees",
    "Celsius",
    "celsius",
];

/// Comparators that belong to the number after them, longest first.
const COMPARATORS: &[&str] = &[
    "<=", ">=", "=<", "=>", "<", ">", "≤", "≥", "⩽", "⩾", "±", "~", "≈",
];

/// Scales after a degree sign, longest first.
const SCALES: &[&str] = &["Celsius", "celsius", "Fahrenheit", "C", "F"];

/// Spaces allowed between a number and its unit, or a comparator and its number.
fn is_gap(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '\u{2009}' | '\u{202f}')
}

/// Where each quantity of `text` is, in order (byte ranges of `text`).
pub(crate) fn quantities(text: &str) -> Vec<Range<usize>> {
    let prose = Prose::new(text, std::slice::from_ref(&(0..text.len())));
    let scan = Scan::new(&prose);
    let t = &prose.text;
    let nums = &scan.numbers;
    let mut out = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let start = comparator_before(t, nums[i].start);
        let mut end = nums[i].end;
        while let Some(next) = nums.get(i + 1)
            && unit_after(t, end).is_none()
            && is_range_joint(&t[end..next.start])
        {
            end = next.end;
            i += 1;
        }
        let end = unit_after(t, end).unwrap_or(end);
        out.push(prose.body_start(start)..prose.body_end(end));
        i += 1;
    }
    out
}

/// The start of a comparator written just before `pos` (one gap allowed), or `pos`.
fn comparator_before(t: &str, pos: usize) -> usize {
    let before = t[..pos].trim_end_matches(is_gap);
    if t[..pos].len() - before.len() > 1 {
        return pos;
    }
    COMPARATORS
        .iter()
        .find(|c| before.ends_with(*c))
        .map_or(pos, |c| before.len() - c.len())
}

/// The end of the unit that follows `pos` in `t`, if one does.
fn unit_after(t: &str, pos: usize) -> Option<usize> {
    let rest = &t[pos..];
    let word = rest.trim_start_matches(is_gap);
    let at = pos + rest.len() - word.len();
    if word.starts_with('%') {
        return Some(at + 1);
    }
    if let Some(deg) = word.strip_prefix(['°', 'º']) {
        let sign = word.len() - deg.len();
        let scale = deg.trim_start_matches(is_gap);
        let gap = deg.len() - scale.len();
        let len = SCALES
            .iter()
            .find(|s| scale.starts_with(*s) && !scale[s.len()..].starts_with(char::is_alphanumeric))
            .map_or(0, |s| gap + s.len());
        return Some(at + sign + len);
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

/// What makes two quantities the same number: the quantity without its spaces.
pub(crate) fn key(q: &str) -> String {
    q.chars()
        .filter(|c| !is_gap(*c) && !c.is_whitespace())
        .collect()
}

/// The unit of a quantity: what follows its last digit, spaces trimmed.
fn unit_of(n: &str) -> &str {
    let last_digit = n.rfind(|c: char| c.is_ascii_digit()).map_or(0, |i| i + 1);
    n[last_digit..].trim_start_matches(is_gap)
}

/// A test of two quantities for pairing.
type Alike = fn(&str, &str) -> bool;

/// One changed number: old → new, `None` on the side where it is absent.
pub(crate) type Pair<'a> = (Option<&'a str>, Option<&'a str>);

/// Pairs the quantities removed and added in one changed stretch of a block: one the same but
/// for spaces on both sides did not change; then each removed quantity with the first unpaired
/// added one of the same unit (`24 hours` → `48 hours`, not → `10,000 units`); what is left is
/// paired one to one only when as many were removed as added (a unit changed too), and
/// otherwise shown as removed and added. Pairs and removals come in the old order, then the
/// additions left over in the new order.
pub(crate) fn pair<'a>(removed: &[&'a str], added: &[&'a str]) -> Vec<Pair<'a>> {
    let mut partner: Vec<Option<usize>> = vec![None; removed.len()];
    let mut taken = vec![false; added.len()];
    let mut same = vec![false; removed.len()];
    let rules: [Alike; 2] = [|a, b| key(a) == key(b), |a, b| unit_of(a) == unit_of(b)];
    for (rule, alike) in rules.iter().enumerate() {
        for (r, old) in removed.iter().enumerate() {
            if partner[r].is_some() {
                continue;
            }
            if let Some(a) = (0..added.len()).find(|&a| !taken[a] && alike(old, added[a])) {
                partner[r] = Some(a);
                taken[a] = true;
                same[r] = rule == 0;
            }
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
    let mut out: Vec<Pair<'a>> = (0..removed.len())
        .filter(|&r| !same[r])
        .map(|r| (Some(removed[r]), partner[r].map(|a| added[a])))
        .collect();
    out.extend(
        (0..added.len())
            .filter(|&a| !taken[a])
            .map(|a| (None, Some(added[a]))),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> Vec<&str> {
        quantities(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn quantities_keep_units_and_comparators_as_written() {
        let text = "Give 0.15 mg/kg (max 10,000 units) every 24 hours; 5mg; 2–4 hours; \
                    RR > 40 breaths/min; 38.5°C; 3 mL/kg/hour; 95 %; 1 to 2 days; SpO2 92%; \
                    on 2026-11-21; 3 children; 5\u{a0}mg; 6-11y; >11y; 0.5 mls/kg; \
                    >38.5º Celsius; < 2.5 mmol/L; ≥ 5 years; 36 º C.";
        assert_eq!(
            written(text),
            [
                "0.15 mg/kg",
                "10,000 units",
                "24 hours",
                "5mg",
                "2–4 hours",
                "> 40 breaths/min",
                "38.5°C",
                "3 mL/kg/hour",
                "95 %",
                "1 to 2 days",
                "92%",
                "2026-11-21",
                "3",
                "5\u{a0}mg",
                "6-11y",
                ">11y",
                "0.5 mls/kg",
                ">38.5º Celsius",
                "< 2.5 mmol/L",
                "≥ 5 years",
                "36 º C",
            ]
        );
    }

    #[test]
    fn a_changed_number_pairs_old_with_new() {
        assert_eq!(
            pair(&["24 hours"], &["48 hours", "2 g"]),
            [(Some("24 hours"), Some("48 hours")), (None, Some("2 g"))]
        );
        assert_eq!(
            pair(&["24 hours"], &["10,000 units", "48 hours"]),
            [
                (Some("24 hours"), Some("48 hours")),
                (None, Some("10,000 units"))
            ]
        );
        // One replaced by one: the unit changed too.
        assert_eq!(pair(&["5 mg"], &["5 g"]), [(Some("5 mg"), Some("5 g"))]);
        // Spaces only: no number change.
        assert_eq!(pair(&["25mg", "< 3"], &["25 mg", "<3"]), []);
        assert_eq!(pair(&["2 g", "1 g"], &["1 g"]), [(Some("2 g"), None)]);
    }
}
