//! The medication-safety errors (BNF/BNFC, NPSA): ways of
//! writing a dose that are misread as a tenfold or larger dose.
//!
//! In: a [`Scan`] of one guideline's prose. Out: [`Finding`]s, each quoting the dose as written
//! and saying what to write instead and how it can be misread.

use super::Finding;
use super::quantity::{Number, Quantity, Scan, UnitKind, is_space};

/// The quoted text with every kind of space shown as a plain space (a wrapped dose stays on one line).
pub fn tidy(s: &str) -> String {
    s.chars()
        .map(|c| if is_space(c) { ' ' } else { c })
        .collect()
}

/// A finding for `rule` from `start` to the end of quantity `q`: `"<as written>": write "<fix>" (<why>)`.
fn finding(scan: &Scan<'_>, rule: &'static str, q: &Quantity, start: usize, why: &str) -> Finding {
    let text = scan.text();
    Finding {
        rule,
        start,
        end: q.end,
        message: format!(
            "\"{}\": write \"{}\" ({why})",
            tidy(&text[start..q.end]),
            tidy(&q.fixed_from(text, start))
        ),
    }
}

/// Numbers of dose quantities (not `cc`, which has its own rule) that `pick` selects.
fn dose_numbers<'s, 'a>(
    scan: &'s Scan<'a>,
    pick: fn(&Number<'a>) -> bool,
) -> impl Iterator<Item = (&'s Quantity<'a>, &'s Number<'a>)> {
    scan.quantities
        .iter()
        .filter(|q| q.kind != UnitKind::Cc)
        .flat_map(|q| q.numbers.iter().map(move |n| (q, n)))
        .filter(move |(_, n)| pick(n))
}

/// `trailing-zero`: `5.0 mg`, `0.50 mL`.
pub fn trailing_zero(scan: &Scan<'_>, out: &mut Vec<Finding>) {
    for (q, n) in dose_numbers(scan, Number::has_trailing_zero) {
        let why = format!("a trailing zero can be read as {} {}", n.misread(), q.unit);
        out.push(finding(scan, "trailing-zero", q, n.start, &why));
    }
}

/// `naked-decimal`: `.5 mL`.
pub fn naked_decimal(scan: &Scan<'_>, out: &mut Vec<Finding>) {
    for (q, n) in dose_numbers(scan, Number::is_naked) {
        let why = format!(
            "without a leading zero it can be read as {} {}",
            n.misread(),
            q.unit
        );
        out.push(finding(scan, "naked-decimal", q, n.start, &why));
    }
}

/// Quantities whose unit is of `kind`.
fn with_unit<'s, 'a>(scan: &'s Scan<'a>, kind: UnitKind) -> impl Iterator<Item = &'s Quantity<'a>> {
    scan.quantities.iter().filter(move |q| q.kind == kind)
}

/// `units-abbreviation`: `10 U`, `10u`, `400 IU`, `0.1 U/kg/hour`.
pub fn units_abbreviation(scan: &Scan<'_>, out: &mut Vec<Finding>) {
    for q in with_unit(scan, UnitKind::Units) {
        let why = if q.unit.eq_ignore_ascii_case("iu") {
            format!("{} can be misread as IV or 10", q.unit)
        } else {
            format!(
                "{} can be misread as 0 or 4, a tenfold or greater overdose",
                q.unit
            )
        };
        out.push(finding(scan, "units-abbreviation", q, q.start(), &why));
    }
}

/// `microgram-abbreviation`: `250 mcg`, `5 µg`, `5 μg`, `5 ug`.
pub fn microgram_abbreviation(scan: &Scan<'_>, out: &mut Vec<Finding>) {
    for q in with_unit(scan, UnitKind::Micrograms) {
        let why = format!("{} can be misread as mg, a thousandfold overdose", q.unit);
        out.push(finding(scan, "microgram-abbreviation", q, q.start(), &why));
    }
}

/// `nanogram-abbreviation`: `50 ng`.
pub fn nanogram_abbreviation(scan: &Scan<'_>, out: &mut Vec<Finding>) {
    for q in with_unit(scan, UnitKind::Nanograms) {
        let why = "ng can be misread as mg, a millionfold overdose";
        out.push(finding(scan, "nanogram-abbreviation", q, q.start(), why));
    }
}

/// `cc-for-ml` (warning): `5 cc`.
pub fn cc_for_ml(scan: &Scan<'_>, out: &mut Vec<Finding>) {
    for q in with_unit(scan, UnitKind::Cc) {
        let why = "cc can be misread as 00 or u";
        out.push(finding(scan, "cc-for-ml", q, q.start(), why));
    }
}

/// `unit-spacing` (warning): `10mg`, `2.5mL`. Left to the errors when the number or the unit is
/// itself wrong (their fix adds the space).
pub fn unit_spacing(scan: &Scan<'_>, out: &mut Vec<Finding>) {
    for q in with_unit(scan, UnitKind::Proper).filter(|q| q.run_together()) {
        let Some(n) = q.last() else { continue };
        if n.is_naked() || n.has_trailing_zero() {
            continue;
        }
        let why = "run together, the unit can be misread as more digits";
        out.push(finding(scan, "unit-spacing", q, n.start, why));
    }
}
