//! The change list a clinician can act on, from a repository made in the test: an edition
//! tagged, then the kinds of change working groups make to doses, each of which an earlier
//! change list misreported. Every changed number is named once, with its whole quantity as
//! written (units, ranges and comparators kept) and its place (heading, row label, column
//! header); a swap between two rows reports both rows; a number in a heading is one change;
//! `25mg` → `25 mg` is a change of form only. Checked in `wardbook changes` (JSON, text,
//! Markdown) and on the built `changes.html`.

use crate::git::GitRepo;
use crate::harness::*;
use std::path::PathBuf;

fn guideline(title: &str, version: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nsection: resp\nnetwork: n\nreview_date: 2030-01-01\nversion: \"{version}\"\n---\n{body}"
    )
}

const SEIZURE: &str = "## Midazolam\n\n| Route | Dose | Maximum |\n|---|---|---|\n| IV/IO | 0.15 mg/kg | 10 mg |\n| IM | 0.2 mg/kg | 10 mg |\n\n- Buccal: 0.3 mg/kg (maximum 10 mg)\n";
const FEVER: &str = "## Paracetamol\n\n| Age | Dose |\n|---|---|\n| 6-11y | 15 mg/kg |\n| >11y | 500 mg |\n\nRound the dose to the nearest 25mg.\n\nTreat if the temperature is >38.5º Celsius.\n";
const FLUIDS: &str = "## Oral rehydration\n\n| Weight | ORS volume |\n|---|---|\n| 10-20 kg | 20 mls |\n| 20-30 kg | 25 mls |\n\nThen 0.5 mls/kg every 10 minutes.\n";
const ADRENAL: &str =
    "## Hydrocortisone\n\n| Day | Dose |\n|---|---|\n| Well day | 10 mg |\n| Sick day | 11 mg |\n";

/// The hypoglycaemia guideline with `threshold` in its heading and thirty lines under it.
fn hypo(threshold: &str) -> String {
    let steps: String = (1..=30)
        .map(|i| format!("Step {i}: recheck the glucose.\n\n"))
        .collect();
    format!("## Hypoglycaemia {threshold}\n\n{steps}")
}

/// A repository: edition-1 (tagged) with five guidelines, then one commit changing each.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = GitRepo::init(&tmp.path().join("book"));
    let files = |v: &str, seizure: &str, fever: &str, fluids: &str, adrenal: &str, hy: &str| {
        repo.write(
            "guidelines/resp/seizure.md",
            guideline("Seizure", v, seizure),
        )
        .write("guidelines/resp/fever.md", guideline("Fever", v, fever))
        .write("guidelines/resp/fluids.md", guideline("Fluids", v, fluids))
        .write(
            "guidelines/resp/adrenal.md",
            guideline("Adrenal", v, adrenal),
        )
        .write("guidelines/resp/hypo.md", guideline("Hypoglycaemia", v, hy));
    };
    repo.write(
        "book.toml",
        format!("{ONE_GUIDELINE_CONFIG}[history]\nprevious_edition = \"edition-1\"\n"),
    );
    files(
        "1.0",
        SEIZURE,
        FEVER,
        FLUIDS,
        ADRENAL,
        &hypo("< 2.5 mmol/L"),
    );
    repo.commit("2025-01-31", "Edition 1");
    repo.tag("edition-1");
    let seizure = SEIZURE
        .replace("| IV/IO | 0.15", "| IV/IO | X")
        .replace("| IM | 0.2", "| IM | 0.15")
        .replace("| IV/IO | X", "| IV/IO | 0.2")
        .replace("(maximum 10 mg)", "(maximum 5 mg)");
    let fever = FEVER
        .replace("6-11y", "6-12y")
        .replace(">11y", ">12y")
        .replace("25mg", "25 mg")
        .replace(">38.5º", ">38.0º");
    let fluids = FLUIDS
        .replace("25 mls", "30 mls")
        .replace("0.5 mls", "0.4 mls");
    let adrenal = ADRENAL.replace("11 mg", "12 mg");
    files(
        "1.1",
        &seizure,
        &fever,
        &fluids,
        &adrenal,
        &hypo("< 3.0 mmol/L"),
    );
    repo.commit("2025-06-30", "Dose changes");
    let root = repo.dir().to_path_buf();
    (tmp, root)
}

/// `wardbook changes` on `root` from edition-1 in `format`.
fn changes(root: &std::path::Path, format: &str) -> String {
    let dir = root.to_str().unwrap_or(".");
    let o = wardbook(&["changes", dir, "--from", "edition-1", "--format", format]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    text(&o.stdout)
}

/// Each updated guideline's numbers as `place: old → new` (or `+ new`, `- old`), by title.
fn numbers(json: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    let s = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let list = json["updated"].as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|u| {
            let nums = u["numbers"].as_array().cloned().unwrap_or_default();
            let shown = nums
                .iter()
                .map(|n| {
                    let place: Vec<String> = n["context"]
                        .as_array()
                        .map(|c| c.iter().filter_map(s).collect())
                        .unwrap_or_default();
                    let change = match (s(&n["old"]), s(&n["new"])) {
                        (Some(o), Some(n)) => format!("{o} → {n}"),
                        (None, Some(n)) => format!("+ {n}"),
                        (Some(o), None) => format!("- {o}"),
                        (None, None) => String::new(),
                    };
                    format!("{}: {change}", place.join(" · "))
                })
                .collect();
            (s(&u["title"]).unwrap_or_default(), shown)
        })
        .collect()
}

#[test]
fn every_changed_dose_is_named_once_with_its_quantity_and_place() {
    let (_tmp, root) = repository();
    let json: serde_json::Value = serde_json::from_str(&changes(&root, "json")).expect("JSON");
    assert_eq!(
        numbers(&json),
        [
            (
                "Adrenal".to_string(),
                vec!["Hydrocortisone · Sick day · Dose: 11 mg → 12 mg".to_string()]
            ),
            (
                "Fever".into(),
                vec![
                    "Paracetamol · Age: 6-11y → 6-12y".into(),
                    "Paracetamol · Age: >11y → >12y".into(),
                    "Paracetamol: >38.5º Celsius → >38.0º Celsius".into(),
                ]
            ),
            (
                "Fluids".into(),
                vec![
                    "Oral rehydration · 20-30 kg · ORS volume: 25 mls → 30 mls".into(),
                    "Oral rehydration: 0.5 mls/kg → 0.4 mls/kg".into(),
                ]
            ),
            (
                "Hypoglycaemia".into(),
                vec![": < 2.5 mmol/L → < 3.0 mmol/L".into()]
            ),
            (
                "Seizure".into(),
                vec![
                    "Midazolam · IV/IO · Dose: 0.15 mg/kg → 0.2 mg/kg".into(),
                    "Midazolam · IM · Dose: 0.2 mg/kg → 0.15 mg/kg".into(),
                    "Midazolam: 10 mg → 5 mg".into(),
                ]
            ),
        ]
    );
}

/// The blocks of the updated guideline `title` as (kind, change).
fn blocks(json: &serde_json::Value, title: &str) -> Vec<(String, String)> {
    let list = json["updated"].as_array().cloned().unwrap_or_default();
    let u = list
        .iter()
        .find(|u| u["title"] == title)
        .unwrap_or_else(|| panic!("{title} not updated"));
    u["blocks"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|b| {
            (
                b["kind"].as_str().unwrap_or("").to_string(),
                b["change"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_heading_is_one_change_and_a_space_is_form_only() {
    let (_tmp, root) = repository();
    let json: serde_json::Value = serde_json::from_str(&changes(&root, "json")).expect("JSON");
    assert_eq!(
        blocks(&json, "Hypoglycaemia"),
        [("heading".to_string(), "renamed".to_string())]
    );
    let fever = blocks(&json, "Fever");
    assert!(
        fever.contains(&("paragraph".into(), "format_only".into())),
        "{fever:?}"
    );
    let text = changes(&root, "text");
    assert!(
        text.contains(
            "    Format only:\n      Paracetamol, paragraph format only\n        Old: Round the dose to the nearest [-25mg-].\n        New: Round the dose to the nearest {+25 mg+}.\n"
        ),
        "{text}"
    );
    assert!(!text.contains("25mg →"), "{text}");
}

#[test]
fn each_changed_row_is_shown_old_and_new_with_its_words_marked() {
    let (_tmp, root) = repository();
    let text = changes(&root, "text");
    assert!(
        text.contains(
            "      Midazolam · IV/IO, table row changed\n        Old: IV/IO | [-0.15-] mg/kg | 10 mg\n        New: IV/IO | {+0.2+} mg/kg | 10 mg\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "      Midazolam · IM, table row changed\n        Old: IM | [-0.2-] mg/kg | 10 mg\n        New: IM | {+0.15+} mg/kg | 10 mg\n"
        ),
        "{text}"
    );
    // Numbers come first in each entry.
    let seizure = &text[text.find("Seizure (").expect("seizure")..];
    assert!(
        seizure.find("Numbers:") < seizure.find("Changes:"),
        "{seizure}"
    );
    let md = changes(&root, "markdown");
    assert!(
        md.contains("      - Old: Buccal: 0.3 mg/kg (maximum ~~10~~ mg)\n      - New: Buccal: 0.3 mg/kg (maximum **5** mg)\n"),
        "{md}"
    );
}

#[test]
fn changes_html_counts_and_links_the_guidelines_whose_numbers_changed() {
    let (_tmp, root) = repository();
    let out = root.join("site");
    let o = wardbook(&[
        "build",
        root.to_str().unwrap_or("."),
        "--dest",
        out.to_str().unwrap_or("site"),
        "--no-pdf",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let page = std::fs::read_to_string(out.join("changes.html")).expect("changes.html");
    assert!(
        page.contains("<strong>Numbers changed in 5 guidelines:</strong> <a href=\"#updated-1\">Adrenal</a>, <a href=\"#updated-2\">Fever</a>"),
        "{page}"
    );
    assert!(page.contains("it is not guidance"), "{page}");
    assert!(
        page.contains("IV/IO | <del><span class=\"visually-hidden\">deleted: </span>0.15<span class=\"visually-hidden\"> (end deleted)</span></del> mg/kg | 10 mg"),
        "{page}"
    );
    assert!(
        page.contains("IV/IO | <ins><span class=\"visually-hidden\">inserted: </span>0.2<span class=\"visually-hidden\"> (end inserted)</span></ins> mg/kg | 10 mg"),
        "{page}"
    );
}
