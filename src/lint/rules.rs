//! The rule table: one entry per lint rule — id, default severity, the check, and the help line
//! naming the guidance it comes from. Severity per book comes from `[lint]` in book.toml.

use super::quantity::Scan;
use super::{Finding, dose, nesting, wording};
use crate::config::{Config, LintLevel};
use crate::diag::Severity;

/// One lint rule.
pub struct Rule {
    /// Id used in diagnostics, `[lint]` and `wardbook-allow` comments.
    pub id: &'static str,
    /// Severity unless the book's `[lint]` says otherwise.
    pub default: Severity,
    /// Finds the rule's problems in a guideline's prose.
    pub check: fn(&Scan<'_>, &mut Vec<Finding>),
    /// The guidance behind the rule, shown as help.
    pub help: &'static str,
}

/// Id of the rule about `wardbook-allow` comments themselves.
pub const SUPPRESSION: &str = "suppression";

/// Every rule, errors first.
pub const RULES: &[Rule] = &[
    Rule {
        id: "trailing-zero",
        default: Severity::Error,
        check: dose::trailing_zero,
        help: "BNF: avoid unnecessary decimal points (3 mg, not 3.0 mg)",
    },
    Rule {
        id: "naked-decimal",
        default: Severity::Error,
        check: dose::naked_decimal,
        help: "BNF: write a zero in front of the decimal point (0.5 mL, not .5 mL)",
    },
    Rule {
        id: "units-abbreviation",
        default: Severity::Error,
        check: dose::units_abbreviation,
        help: "NPSA: \"units\" is written in full, never U or IU",
    },
    Rule {
        id: "microgram-abbreviation",
        default: Severity::Error,
        check: dose::microgram_abbreviation,
        help: "BNF: \"micrograms\" is written in full, never mcg, µg or ug",
    },
    Rule {
        id: "nanogram-abbreviation",
        default: Severity::Error,
        check: dose::nanogram_abbreviation,
        help: "BNF: \"nanograms\" is written in full, never ng",
    },
    Rule {
        id: "cc-for-ml",
        default: Severity::Warning,
        check: dose::cc_for_ml,
        help: "BNF: use mL (millilitres), not cc",
    },
    Rule {
        id: "unit-spacing",
        default: Severity::Warning,
        check: dose::unit_spacing,
        help: "ISMP: put a space between a number and its unit",
    },
    Rule {
        id: "frequency-abbreviation",
        default: Severity::Warning,
        check: wording::frequency_abbreviation,
        help: "ISMP: write how often in words (once daily, on alternate days)",
    },
    Rule {
        id: "ratio-strength",
        default: Severity::Warning,
        check: wording::ratio_strength,
        help: "ISMP: give strength as amount per volume; the ratio may follow in brackets, e.g. 1 mg/mL (1 in 1000)",
    },
    Rule {
        id: nesting::ID,
        default: Severity::Warning,
        check: no_check,
        help: nesting::HELP,
    },
    Rule {
        id: VERSION_ORDER,
        default: Severity::Error,
        check: no_check,
        help: VERSION_ORDER_HELP,
    },
    Rule {
        id: VERSION_NOT_BUMPED,
        default: Severity::Warning,
        check: no_check,
        help: VERSION_NOT_BUMPED_HELP,
    },
    Rule {
        id: SUMMARY_NOT_UPDATED,
        default: Severity::Warning,
        check: no_check,
        help: SUMMARY_NOT_UPDATED_HELP,
    },
    Rule {
        id: SUPPRESSION,
        default: Severity::Warning,
        check: no_check,
        help: "write <!-- wardbook-allow RULE: why the text must stay as it is --> on the line or the line before",
    },
];

/// `suppression` is reported while suppressions are applied, `deep-nesting` from the
/// Markdown's blocks (see [`super::nesting`]), and the governance rules (`version-order`,
/// `version-not-bumped`, `summary-not-updated`) by the stage that compares the book with its
/// earlier versions, not by a scan of the prose.
fn no_check(_: &Scan<'_>, _: &mut Vec<Finding>) {}

/// The rule with id `id`.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Every rule id, in table order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.id)
}

/// The severity of `rule` in this book, or `None` when `[lint]` switches it off.
pub fn severity(config: &Config, rule: &Rule) -> Option<Severity> {
    match config.lint.get(rule.id) {
        Some(LintLevel::Off) => None,
        Some(LintLevel::Warning) => Some(Severity::Warning),
        Some(LintLevel::Error) => Some(Severity::Error),
        None => Some(rule.default),
    }
}

/// Rule id of the governance check that a guideline whose text changed since the previous
/// edition has a new version: an error when a number changed (unless `[lint]` sets a level),
/// a warning for other text. Its text is compared with the previous edition's, not scanned.
pub const VERSION_NOT_BUMPED: &str = "version-not-bumped";

/// The guidance shown with `version-not-bumped`.
pub const VERSION_NOT_BUMPED_HELP: &str = "give the guideline a new `version` and a `change_summary` saying what changed, so readers see a new version and the change list shows it; if the change alters no guidance (a typo, layout), the warning may stand, or set [lint] version-not-bumped = \"off\"";

/// Rule id of the governance error that a guideline's version is not higher than every earlier
/// version of it (versions compared as dotted numbers: `1.10` is higher than `1.9`).
pub const VERSION_ORDER: &str = "version-order";

/// The guidance shown with `version-order`.
pub const VERSION_ORDER_HELP: &str = "give the guideline a version higher than every earlier one, compared as dotted numbers (1.10 is higher than 1.9), so readers and the archive can tell which is newer";

/// Rule id of the governance warning that a new version's `change_summary` is the previous
/// version's, or its `approved_date` is earlier than the previous version's date.
pub const SUMMARY_NOT_UPDATED: &str = "summary-not-updated";

/// The guidance shown with `summary-not-updated`.
pub const SUMMARY_NOT_UPDATED_HELP: &str = "a new version says what changed in it and when it was approved: write a new `change_summary` and the `approved_date` of this version";
