//! Numbers and dose quantities in prose: the shared scan every rule reads.
//!
//! In: [`Prose`]. Out: [`Scan`] — every standalone [`Number`] and every [`Quantity`] (numbers
//! followed by a dose unit, including both ends of a range such as `2–4 mg`).
//!
//! A number is a run of digits with at most one decimal point and optional thousands commas
//! (`10,000`), or a naked decimal (`.5`). It is not part of a larger word or number: a run that
//! touches a letter (`B12`, `SpO2`, `v2.0`) or holds two points (`1.2.3`, `21.11.2026`) is no
//! number, and neither is anything in a web address or after an ellipsis. Units match
//! case-sensitively as whole words (`NG` is a nasogastric tube, `mU` is not `U`, `µmol` is not
//! `µg`). A concentration per litre or decilitre (`3.0 mmol/L`, `40 IU/L`, `10.0 g/dL`) is a
//! laboratory value, not a dose, and `u/s` (ultrasound) and `U&E` are not units either.

use super::prose::Prose;

/// What a unit word is, for the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A unit written as the BNF asks: mg, g, mL, ml, mmol, microgram(s), nanogram(s), unit(s).
    Proper,
    /// `U`, `u`, `IU`, `iu`: "units" abbreviated.
    Units,
    /// `mcg`, `mcgs`, `µg` (micro sign), `μg` (Greek mu), `ug`: "micrograms" abbreviated.
    Micrograms,
    /// `ng`: "nanograms" abbreviated.
    Nanograms,
    /// `cc`: cubic centimetres for millilitres.
    Cc,
}

/// Every unit word the scan recognises, exactly as written.
const UNITS: &[(&str, UnitKind)] = &[
    ("mg", UnitKind::Proper),
    ("g", UnitKind::Proper),
    ("mL", UnitKind::Proper),
    ("ml", UnitKind::Proper),
    ("mmol", UnitKind::Proper),
    ("microgram", UnitKind::Proper),
    ("micrograms", UnitKind::Proper),
    ("nanogram", UnitKind::Proper),
    ("nanograms", UnitKind::Proper),
    ("unit", UnitKind::Proper),
    ("units", UnitKind::Proper),
    ("U", UnitKind::Units),
    ("u", UnitKind::Units),
    ("IU", UnitKind::Units),
    ("iu", UnitKind::Units),
    ("mcg", UnitKind::Micrograms),
    ("mcgs", UnitKind::Micrograms),
    ("µg", UnitKind::Micrograms),
    ("μg", UnitKind::Micrograms),
    ("ug", UnitKind::Micrograms),
    ("ng", UnitKind::Nanograms),
    ("cc", UnitKind::Cc),
];

/// What, after a unit word, makes it no dose: per litre or decilitre is a laboratory value
/// (`3.0 mmol/L`, `40 IU/L`, `10.0 g/dL`); `u/s` and `U/S` are ultrasound; `U&E` is urea and
/// electrolytes.
const NOT_A_DOSE_AFTER: &[&str] = &[
    "/L", "/l", "/dL", "/dl", "/litre", "/liter", "/s", "/S", "&",
];

/// Spaces allowed between a number and its unit (plain, tab, no-break, thin, narrow no-break).
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '\u{a0}' | '\u{2009}' | '\u{202f}'
    )
}

/// A standalone number in the prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number<'a> {
    /// Byte offset of the first character in `Prose::text`.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
    /// The number as written (`5.0`, `.5`, `10,000`).
    pub text: &'a str,
}

impl Number<'_> {
    /// The part after the decimal point, if there is a point.
    pub fn fraction(&self) -> Option<&str> {
        self.text.split_once('.').map(|(_, f)| f)
    }

    /// True for `.5`: a decimal point with nothing before it.
    pub fn is_naked(&self) -> bool {
        self.text.starts_with('.')
    }

    /// True for `5.0`, `0.50`: a decimal part ending in zero.
    pub fn has_trailing_zero(&self) -> bool {
        self.fraction().is_some_and(|f| f.ends_with('0'))
    }

    /// The number written safely: leading zero added, trailing zeros (and a bare point) dropped.
    pub fn normalised(&self) -> String {
        let Some((int, frac)) = self.text.split_once('.') else {
            return self.text.to_string();
        };
        let int = if int.is_empty() { "0" } else { int };
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            int.to_string()
        } else {
            format!("{int}.{frac}")
        }
    }

    /// The number as it reads if the decimal point is missed (`5.0` → `50`, `.5` → `5`).
    pub fn misread(&self) -> String {
        let digits: String = self.text.chars().filter(|c| *c != '.').collect();
        let trimmed = digits.trim_start_matches(['0', ',']);
        if trimmed.is_empty() {
            "0".into()
        } else {
            trimmed.into()
        }
    }

    /// The value, when it is a whole number without separators.
    pub fn integer(&self) -> Option<u64> {
        self.text.replace(',', "").parse().ok()
    }
}

/// Numbers followed by a dose unit: `5 mg`, `2–4 mg/kg`, `10U`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity<'a> {
    /// The numbers (one, or both ends of a range), in order.
    pub numbers: Vec<Number<'a>>,
    /// The unit as written.
    pub unit: &'a str,
    /// What the unit is.
    pub kind: UnitKind,
    /// Byte offset of the unit in `Prose::text`.
    pub unit_start: usize,
    /// Byte offset just past the unit.
    pub end: usize,
}

impl<'a> Quantity<'a> {
    /// Start of the first number.
    pub fn start(&self) -> usize {
        self.numbers.first().map_or(self.unit_start, |n| n.start)
    }

    /// The last number (the one the unit is written against).
    pub fn last(&self) -> Option<&Number<'a>> {
        self.numbers.last()
    }

    /// True when the last number runs straight into the unit (`10mg`).
    pub fn run_together(&self) -> bool {
        self.last().is_some_and(|n| n.end == self.unit_start)
    }

    /// The unit written in full: `units`, `micrograms`, `nanograms`, `mL` (singular after 1).
    pub fn proper_unit(&self) -> String {
        let one = self
            .last()
            .is_some_and(|n| n.fraction().is_none() && n.integer() == Some(1));
        let full = match self.kind {
            UnitKind::Proper => return self.unit.to_string(),
            UnitKind::Cc => return "mL".into(),
            UnitKind::Units => "units",
            UnitKind::Micrograms => "micrograms",
            UnitKind::Nanograms => "nanograms",
        };
        if one {
            full.trim_end_matches('s').into()
        } else {
            full.into()
        }
    }

    /// The text from `from` to the end of the unit, written safely: every number normalised, one
    /// space, the unit in full.
    pub fn fixed_from(&self, text: &str, from: usize) -> String {
        let mut out = String::new();
        let mut at = from;
        for n in self.numbers.iter().filter(|n| n.start >= from) {
            out.push_str(&text[at..n.start]);
            out.push_str(&n.normalised());
            at = n.end;
        }
        out.push(' ');
        out.push_str(&self.proper_unit());
        out
    }
}

/// Everything the rules read: the prose, its numbers and its dose quantities.
#[derive(Debug, Clone)]
pub struct Scan<'a> {
    /// The joined prose.
    pub prose: &'a Prose,
    /// Standalone numbers, in order.
    pub numbers: Vec<Number<'a>>,
    /// Dose quantities (laboratory concentrations left out), in order.
    pub quantities: Vec<Quantity<'a>>,
}

impl<'a> Scan<'a> {
    /// Scans `prose`.
    pub fn new(prose: &'a Prose) -> Self {
        let numbers = numbers(prose);
        let quantities = quantities(prose, &numbers);
        Scan {
            prose,
            numbers,
            quantities,
        }
    }

    /// The prose text.
    pub fn text(&self) -> &str {
        &self.prose.text
    }
}

/// Every standalone number in `prose`.
fn numbers(prose: &Prose) -> Vec<Number<'_>> {
    let text = &prose.text;
    let bytes = text.as_bytes();
    let is_run = |b: u8| b.is_ascii_digit() || b == b'.' || b == b',';
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < bytes.len() && is_run(bytes[end]) {
            end += 1;
        }
        let run_end = end;
        while end > i && matches!(bytes[end - 1], b'.' | b',') {
            end -= 1;
        }
        let free = !prose
            .char_before(i)
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | ','))
            && !prose
                .char_at(run_end)
                .is_some_and(|c| c.is_numeric() || c == '_');
        let candidate = &text[i..end];
        if free && well_formed(candidate) && !prose.in_address(i) {
            out.push(Number {
                start: i,
                end,
                text: candidate,
            });
        }
        i = run_end.max(i + 1);
    }
    out
}

/// `123`, `1.5`, `.5`, `10,000`, `10,000.5`: one point at most, commas only between groups of three.
fn well_formed(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    if int.is_empty() {
        return frac.is_some();
    }
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    let first_ok = !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit());
    let has_commas = int.contains(',');
    first_ok
        && (!has_commas || first.len() <= 3)
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// The unit directly after `pos` (after optional spaces): (start, end, unit text, kind).
fn unit_after(prose: &Prose, pos: usize) -> Option<(usize, usize, UnitKind)> {
    let text = &prose.text;
    let rest = &text[pos..];
    let start = pos + (rest.len() - rest.trim_start_matches(is_space).len());
    let word_len = text[start..]
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(text.len() - start);
    let end = start + word_len;
    let tail = &text[end..];
    let compound = tail.starts_with('-') && tail[1..].starts_with(char::is_alphabetic);
    if word_len == 0
        || compound
        || prose
            .char_at(end)
            .is_some_and(|c| c.is_numeric() || c == '_')
    {
        return None;
    }
    let kind = UNITS
        .iter()
        .find(|(u, _)| *u == &text[start..end])
        .map(|(_, k)| *k)?;
    let not_a_dose = NOT_A_DOSE_AFTER.iter().any(|p| {
        tail.strip_prefix(p)
            .is_some_and(|rest| p.ends_with('&') || !rest.starts_with(char::is_alphanumeric))
    });
    (!not_a_dose).then_some((start, end, kind))
}

/// True when the text between two numbers makes them a range: a dash or "to", with spaces.
pub(crate) fn is_range_joint(between: &str) -> bool {
    let t = between.trim_matches(is_space);
    matches!(t, "-" | "–" | "—" | "to") && (t != "to" || t.len() < between.len())
}

/// Every dose quantity: a number and its unit, or a range whose second number has the unit.
fn quantities<'a>(prose: &'a Prose, numbers: &[Number<'a>]) -> Vec<Quantity<'a>> {
    let mut out = Vec::new();
    for (i, n) in numbers.iter().enumerate() {
        let Some((unit_start, end, kind)) = unit_after(prose, n.end) else {
            continue;
        };
        let mut nums = vec![*n];
        if let Some(prev) = i.checked_sub(1).map(|j| &numbers[j])
            && is_range_joint(&prose.text[prev.end..n.start])
        {
            nums.insert(0, *prev);
        }
        out.push(Quantity {
            numbers: nums,
            unit: &prose.text[unit_start..end],
            kind,
            unit_start,
            end,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_of(s: &str) -> (Vec<String>, Vec<String>) {
        let prose = Prose::whole(s);
        let scan = Scan::new(&prose);
        let nums = scan.numbers.iter().map(|n| n.text.to_string()).collect();
        let qs = scan
            .quantities
            .iter()
            .map(|q| prose.text[q.start()..q.end].to_string())
            .collect();
        (nums, qs)
    }

    #[test]
    fn numbers_stand_alone() {
        let (nums, _) =
            scan_of("B12 SpO2 v2.0 21.11.2026 2026-11-21 5. 10,000 .5 1,5 x.5 3rd ...5");
        assert_eq!(nums, ["2026", "11", "21", "5", "10,000", ".5", "3"]);
    }

    #[test]
    fn quantities_need_whole_unit_words() {
        let (_, qs) = scan_of(
            "5 mg, 2–4 mg/kg, 1 to 2 mL, 10U, 3 NG, 5 mU, 5 µmol, 5 mgs, 3.0 mmol/L, 40 IU/L, 2 U-bend, day 1 u/s, 2 U&Es, 2 g.",
        );
        assert_eq!(qs, ["5 mg", "2–4 mg", "1 to 2 mL", "10U", "2 g"]);
    }

    #[test]
    fn normalises_and_misreads() {
        fn n(t: &str) -> Number<'_> {
            Number {
                start: 0,
                end: t.len(),
                text: t,
            }
        }
        assert_eq!(n("5.0").normalised(), "5");
        assert_eq!(n("0.50").normalised(), "0.5");
        assert_eq!(n(".5").normalised(), "0.5");
        assert_eq!(n("1.10").misread(), "110");
        assert_eq!(n("0.50").misread(), "50");
        assert!(n("2.50").has_trailing_zero() && !n("2.05").has_trailing_zero());
    }
}
