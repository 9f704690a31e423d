//! The comparison's rules, one case of a real change list each.

use super::*;

/// Each number change as `place: old → new` (`+ new`, `- old`; `(with block)` when whole).
fn numbers(old: &str, new: &str) -> Vec<String> {
    compare(old, new)
        .numbers
        .iter()
        .map(|n| {
            let whole = if n.with_block { " (with block)" } else { "" };
            match (&n.old, &n.new) {
                (Some(o), Some(n2)) => format!("{}: {o} → {n2}", n.place()),
                (None, Some(n2)) => format!("{}: + {n2}{whole}", n.place()),
                (Some(o), None) => format!("{}: - {o}{whole}", n.place()),
                (None, None) => String::new(),
            }
        })
        .collect()
}

fn changes(old: &str, new: &str) -> Vec<(BlockKind, ChangeKind, String)> {
    compare(old, new)
        .blocks
        .iter()
        .map(|b| (b.kind, b.change, b.place()))
        .collect()
}

const MIDAZOLAM: &str = "## Midazolam\n\n| Route | Dose | Max |\n|---|---|---|\n| IV/IO | 0.15 mg/kg | 10 mg |\n| IM | 0.2 mg/kg | 10 mg |\n| Buccal | 0.3 mg/kg | 10 mg |\n";

#[test]
fn a_swap_between_rows_reports_both_rows_with_their_place() {
    let new = MIDAZOLAM
        .replace("| IV/IO | 0.15", "| IV/IO | X")
        .replace("| IM | 0.2", "| IM | 0.15")
        .replace("| IV/IO | X", "| IV/IO | 0.2");
    assert_eq!(
        numbers(MIDAZOLAM, &new),
        [
            "Midazolam · IV/IO · Dose: 0.15 mg/kg → 0.2 mg/kg",
            "Midazolam · IM · Dose: 0.2 mg/kg → 0.15 mg/kg",
        ]
    );
    let c = compare(MIDAZOLAM, &new);
    assert_eq!(c.blocks.len(), 2);
    assert_eq!(c.blocks[0].kind, BlockKind::TableRow);
    assert_eq!(c.blocks[0].context, ["Midazolam", "IV/IO"]);
    assert_eq!(
        c.blocks[0].old.as_deref(),
        Some("IV/IO | 0.15 mg/kg | 10 mg")
    );
    assert_eq!(
        c.blocks[0].spans,
        [
            span(SpanOp::Same, "IV/IO | "),
            span(SpanOp::Deleted, "0.15"),
            span(SpanOp::Inserted, "0.2"),
            span(SpanOp::Same, " mg/kg | 10 mg"),
        ]
    );
}

fn span(op: SpanOp, text: &str) -> Span {
    Span {
        op,
        text: text.into(),
    }
}

#[test]
fn a_changed_maximum_is_one_change_in_its_cell() {
    let new = MIDAZOLAM.replace("| 0.3 mg/kg | 10 mg |", "| 0.3 mg/kg | 5 mg |");
    assert_eq!(
        numbers(MIDAZOLAM, &new),
        ["Midazolam · Buccal · Max: 10 mg → 5 mg"]
    );
    let old = "Buccal midazolam 0.3 mg/kg (max 10 mg); repeat once after 10 minutes.\n";
    let new = "Buccal midazolam 0.3 mg/kg (max 5 mg); repeat once after 10 minutes.\n";
    assert_eq!(numbers(old, new), ["Opening text: 10 mg → 5 mg"]);
}

#[test]
fn units_and_comparators_are_kept() {
    let table = |a: &str, b: &str, c: &str| {
        format!("| Age | Volume |\n|---|---|\n| {a} | {b} |\n\nGive paracetamol if over {c}.\n")
    };
    assert_eq!(
        numbers(
            &table("6-11y", "0.5 mls/kg", ">38.5º Celsius"),
            &table("6-12y", "0.4 mls/kg", ">38.0º Celsius")
        ),
        [
            "Age: 6-11y → 6-12y",
            "6-12y · Volume: 0.5 mls/kg → 0.4 mls/kg",
            "Opening text: >38.5º Celsius → >38.0º Celsius",
        ]
    );
    assert_eq!(
        numbers("- Age >11y: 5 %\n", "- Age >12y: 5 %\n"),
        ["Opening text: >11y → >12y"]
    );
}

#[test]
fn a_number_in_a_heading_is_one_change() {
    let body = |t: &str| {
        let rest: String = (0..30).map(|i| format!("Step {i}: check.\n\n")).collect();
        format!("## Hypoglycaemia {t}\n\n{rest}")
    };
    let c = compare(&body("< 2.5 mmol/L"), &body("< 3.0 mmol/L"));
    assert_eq!(
        changes(&body("< 2.5 mmol/L"), &body("< 3.0 mmol/L")),
        [(BlockKind::Heading, ChangeKind::Renamed, OPENING.into())]
    );
    assert_eq!(c.numbers.len(), 1);
    assert_eq!(
        (c.numbers[0].old.as_deref(), c.numbers[0].new.as_deref()),
        (Some("< 2.5 mmol/L"), Some("< 3.0 mmol/L"))
    );
    assert_eq!(c.sections(), ["Hypoglycaemia < 3.0 mmol/L"]);
}

#[test]
fn form_only_changes_are_apart_and_never_hide_a_number() {
    let old = "## Dose\n\nGive 25mg of\nparacetamol.\n\n- one\n- two\n";
    let new = "## Dose\n\nGive *25 mg* of paracetamol.\n\n* one\n* two\n";
    let c = compare(old, new);
    assert!(c.format_only(), "{c:#?}");
    assert!(!c.numbers_changed());
    assert_eq!(c.blocks.len(), 3);
    let new = "## Dose\n\nGive *30 mg* of paracetamol.\n\n* one\n* two\n";
    assert_eq!(numbers(old, new), ["Dose: 25mg → 30 mg"]);
    assert_eq!(compare(old, new).blocks[0].change, ChangeKind::Changed);
}

#[test]
fn rows_added_and_removed_take_their_numbers_with_them() {
    let old = "| Weight | ORS |\n|---|---|\n| 10-20 kg | 20 mls |\n| 20-30 kg | 25 mls |\n";
    let new = "| Weight | ORS |\n|---|---|\n| 10-20 kg | 20 mls |\n| 20-30 kg | 30 mls |\n| 30-40 kg | 35 mls |\n";
    assert_eq!(
        numbers(old, new),
        [
            "20-30 kg · ORS: 25 mls → 30 mls",
            "Weight: + 30-40 kg (with block)",
            "30-40 kg · ORS: + 35 mls (with block)",
        ]
    );
}

#[test]
fn moves_renames_and_nested_items() {
    let old = "## Plan\n\nFirst 5 mg.\n\nThen 2–4 hours of 1,000 mL.\n\n## Croup\n\n- Dexamethasone\n  - 0.15 mg/kg once\n";
    let new = "## Plan\n\nThen 2–4 hours of 1,000 mL.\n\nFirst 5 mg.\n\n## Croup in children\n\n- Dexamethasone\n  - 0.6 mg/kg once\n";
    assert_eq!(
        changes(old, new),
        [
            (BlockKind::Paragraph, ChangeKind::Moved, "Plan".into()),
            (BlockKind::Heading, ChangeKind::Renamed, OPENING.into()),
            (
                BlockKind::ListItem,
                ChangeKind::Changed,
                "Croup in children · Dexamethasone".into()
            ),
        ]
    );
    assert_eq!(
        numbers(old, new),
        ["Croup in children · Dexamethasone: 0.15 mg/kg → 0.6 mg/kg"]
    );
}

#[test]
fn a_number_is_compared_with_what_replaced_it_next_to_it() {
    assert_eq!(
        numbers("Give 5 mg now.\n", "Give 5 mg/kg now.\n"),
        ["Opening text: 5 mg → 5 mg/kg"]
    );
    assert_eq!(
        numbers("Give 5 mg now.\n", "Give 5 mg and 10 mg now.\n"),
        ["Opening text: + 10 mg"]
    );
    assert_eq!(
        numbers(
            "IV 0.15 mg/kg, IM 0.2 mg/kg.\n",
            "IV 0.2 mg/kg, IM 0.15 mg/kg.\n"
        ),
        [
            "Opening text: 0.15 mg/kg → 0.2 mg/kg",
            "Opening text: 0.2 mg/kg → 0.15 mg/kg"
        ]
    );
}

#[test]
fn nothing_changed_is_empty() {
    let c = compare(MIDAZOLAM, MIDAZOLAM);
    assert!(c.is_empty() && !c.numbers_changed());
    assert!(compare("", "").is_empty());
}
