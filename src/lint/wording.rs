//! Medication-safety warnings about wording around a dose (ISMP error-prone abbreviations):
//! frequency abbreviations and ratio strengths. Each fires only where it can be precise.
//!
//! In: a [`Scan`]. Out: [`Finding`]s.

use super::Finding;
use super::quantity::{Number, Scan, is_space};
use std::ops::Range;

/// A frequency abbreviation, what to write instead, why, and whether it needs a dose before it.
struct Frequency {
    /// As written (case-sensitive, whole word).
    word: &'static str,
    /// The words to write.
    fix: &'static str,
    /// How it is misread.
    why: &'static str,
    /// Only reported after a dose in the same sentence (`OD` is also "overdose" and "right eye").
    after_dose: bool,
}

const QD_WHY: &str = "QD is misread as QID, four times a day";
const QOD_WHY: &str = "QOD is misread as QD or QID";
const OD_WHY: &str = "OD is also read as \"right eye\" or \"overdose\"";

/// Builds a [`Frequency`] (keeps the table one line per word).
const fn freq(
    word: &'static str,
    fix: &'static str,
    why: &'static str,
    after_dose: bool,
) -> Frequency {
    Frequency {
        word,
        fix,
        why,
        after_dose,
    }
}

const FREQUENCIES: &[Frequency] = &[
    freq("QD", "once daily", QD_WHY, false),
    freq("qd", "once daily", QD_WHY, false),
    freq("q.d.", "once daily", QD_WHY, false),
    freq("QOD", "on alternate days", QOD_WHY, false),
    freq("qod", "on alternate days", QOD_WHY, false),
    freq("q.o.d.", "on alternate days", QOD_WHY, false),
    freq("OD", "once daily", OD_WHY, true),
    freq("od", "once daily", OD_WHY, true),
    freq("o.d.", "once daily", OD_WHY, true),
];

/// How far after the end of a dose (in bytes) an `OD` still belongs to it.
const DOSE_REACH: usize = 40;

/// Runs of ASCII letters and points that start with `q` or `o` (either case), with their start
/// offsets: the only places a frequency abbreviation can be, found in one pass whatever the size
/// of the table. Runs starting with another letter are skipped without being walked twice.
fn dotted_words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphabetic() || b == b'.';
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            // The next q or o (`| 0x20` folds only Q and O onto them) that starts a run.
            let at = bytes[i..]
                .iter()
                .position(|&b| matches!(b | 0x20, b'q' | b'o'))?;
            let start = i + at;
            i = start + 1;
            if start > 0 && is_word(bytes[start - 1]) {
                continue;
            }
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
            return Some((start, &text[start..i]));
        }
    })
}

/// The frequency abbreviation `word` (at `start`) is, if any: the whole run, or the run less a
/// full stop that ends the sentence (`… OD.`). Letters or digits either side make it part of a
/// longer word.
fn frequency_at(text: &str, start: usize, word: &str) -> Option<&'static Frequency> {
    // Most words are ruled out by length or first letter before any comparison (every entry
    // of FREQUENCIES starts with q or o, in either case).
    let first = word.as_bytes().first().map(|b| b | 0x20);
    if !(2..=7).contains(&word.len()) || !matches!(first, Some(b'q' | b'o')) {
        return None;
    }
    let end = start + word.len();
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    if glued(text[..start].chars().next_back()) || glued(text[end..].chars().next()) {
        return None;
    }
    FREQUENCIES.iter().find(|f| {
        f.word == word
            || (!f.word.ends_with('.')
                && word.strip_suffix('.') == Some(f.word)
                && ends_sentence(text, end - 1))
    })
}

/// True when the point at `pos` ends a sentence (followed by a space, a break or the end).
fn ends_sentence(text: &str, pos: usize) -> bool {
    text[pos + 1..]
        .chars()
        .next()
        .is_none_or(|c| c.is_whitespace() || c == super::prose::BREAK)
}

/// True when a dose ends shortly before `pos`, in the same sentence.
fn after_dose(scan: &Scan<'_>, pos: usize) -> bool {
    let sentence = scan.prose.sentence(pos);
    scan.quantities
        .iter()
        .any(|q| q.start() >= sentence.start && q.end <= pos && pos - q.end <= DOSE_REACH)
}

/// `frequency-abbreviation` (warning): `QD`, `QOD` anywhere; `OD` after a dose.
pub fn frequency_abbreviation(scan: &Scan<'_>, out: &mut Vec<Finding>) {
    let text = scan.text();
    for (i, word) in dotted_words(text) {
        let Some(f) = frequency_at(text, i, word) else {
            continue;
        };
        if scan.prose.in_address(i) || (f.after_dose && !after_dose(scan, i)) {
            continue;
        }
        out.push(Finding {
            rule: "frequency-abbreviation",
            start: i,
            end: i + f.word.len(),
            message: format!("\"{}\": write \"{}\" ({})", f.word, f.fix, f.why),
        });
    }
}

/// Words that make `1 in 1000` a strength rather than a rate ("1 in 1000 births").
const STRENGTH_WORDS: &[&str] = &["adrenaline", "epinephrine"];

/// `ratio-strength` (warning): `1:1000`, `1:10,000`, and `1 in 1000` next to a dose or adrenaline.
/// Not reported in brackets after a strength per mL (`1 mg/mL (1 in 1000)`), as the fix suggests.
pub fn ratio_strength(scan: &Scan<'_>, out: &mut Vec<Finding>) {
    let text = scan.text();
    for (a, b) in scan.numbers.iter().zip(scan.numbers.iter().skip(1)) {
        if a.text != "1" {
            continue;
        }
        let Some(per_ml) = ratio_per_ml(b) else {
            continue;
        };
        let joint = &text[a.end..b.start];
        let strength = match joint.trim_matches(is_space) {
            ":" => joint == ":" || (joint.starts_with(is_space) && joint.ends_with(is_space)),
            "in" => joint.len() > 2 && near_strength_word(scan, a.start..b.end),
            _ => false,
        };
        if !strength || bracketed_after_per_ml(text, a.start) {
            continue;
        }
        out.push(Finding {
            rule: "ratio-strength",
            start: a.start,
            end: b.end,
            message: format!(
                "\"{}\": write the strength as \"{per_ml}\" (ratio strengths are misread and need arithmetic)",
                super::dose::tidy(&text[a.start..b.end])
            ),
        });
    }
}

/// `1:N` as an amount per mL (1 g in N mL), when N is a whole number of thousands.
fn ratio_per_ml(n: &Number) -> Option<String> {
    let n = n.integer()?;
    if n < 1000 || n % 1000 != 0 {
        return None;
    }
    let micrograms = 1_000_000 / n;
    Some(if micrograms >= 1000 && micrograms % 1000 == 0 {
        format!("{} mg/mL", micrograms / 1000)
    } else if 1_000_000 % n == 0 {
        format!("{micrograms} micrograms/mL")
    } else {
        format!("{:.1} micrograms/mL", 1_000_000.0 / n as f64)
    })
}

/// True when the sentence around `at` names adrenaline or holds a dose.
fn near_strength_word(scan: &Scan<'_>, at: Range<usize>) -> bool {
    let sentence = scan.prose.sentence(at.start);
    let lower = scan.text()[sentence.clone()].to_lowercase();
    STRENGTH_WORDS.iter().any(|w| lower.contains(w))
        || scan
            .quantities
            .iter()
            .any(|q| q.start() >= sentence.start && q.end <= sentence.end)
}

/// True for `… mg/mL (1 in 1000)`: the ratio in brackets after a strength per mL.
fn bracketed_after_per_ml(text: &str, pos: usize) -> bool {
    let before = text[..pos].trim_end_matches(is_space);
    before
        .strip_suffix('(')
        .map(|b| b.trim_end_matches(is_space))
        .is_some_and(|b| b.ends_with("/mL") || b.ends_with("/ml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_words_are_the_runs_that_start_with_q_or_o() {
        let text = "Give 5 mg OD. body q.d. (QOD) zqd foo.od Oral-qd x";
        let runs: Vec<(usize, &str)> = dotted_words(text).collect();
        let expected: Vec<(usize, &str)> = ["OD.", "q.d.", "QOD", "Oral", "qd"]
            .iter()
            .map(|w| (text.rfind(w).unwrap_or(usize::MAX), *w))
            .collect();
        assert_eq!(runs, expected);
    }

    #[test]
    fn every_frequency_starts_with_the_letters_frequency_at_looks_for() {
        for f in FREQUENCIES {
            let first = f.word.as_bytes()[0] | 0x20;
            assert!(matches!(first, b'q' | b'o'), "{}", f.word);
        }
    }
}
