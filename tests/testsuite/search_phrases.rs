//! Search phrases and shared rules: lay phrases and synonyms match whatever their word order and
//! number, an ambiguous abbreviation keeps every reading, and the heading-id rule the index ships
//! to the browser gives the ids `markdown.rs` gives. The cases are the fixture files the browser
//! suite reads too (`tests/fixtures/search-phrases.json`, `tests/fixtures/slug-cases.json`).

use crate::harness::lib_items::{RESERVED_IDS, slugify, unique_id};
use crate::harness::*;
use serde_json::Value;
use std::collections::{BTreeSet, HashSet};
use wardbook::render::search::lookup::Lookup;
use wardbook::render::search::synonyms::{self, Source, Synonyms};
use wardbook::render::search::{encode, slug, text};

/// A JSON fixture file under tests/fixtures.
fn json_fixture(name: &str) -> Value {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).expect("fixture");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn default_list() -> Synonyms {
    let text = std::fs::read_to_string(repo().join("themes/default/synonyms.toml")).expect("list");
    let (syn, diags) = synonyms::load(&[Source {
        path: "themes/default/synonyms.toml",
        text: &text,
    }]);
    assert!(diags.is_empty(), "{diags:?}");
    syn
}

fn str_of(v: &Value) -> &str {
    v.as_str().expect("a string")
}

#[test]
fn synonym_runs_are_found_in_any_word_order_and_number() {
    let syn = default_list();
    let lookup = Lookup::new(&syn);
    let cases = json_fixture("search-phrases.json");
    let cases = cases["runs"].as_array().expect("runs");
    assert!(cases.len() >= 5);
    for case in cases {
        let query = str_of(&case["query"]);
        let got: Vec<Value> = lookup
            .find(query)
            .iter()
            .map(|f| {
                serde_json::json!({
                    "start": f.start, "len": f.len, "key": f.key, "readings": f.readings(),
                })
            })
            .collect();
        assert_eq!(
            got,
            case["runs"].as_array().expect("runs").clone(),
            "{query}"
        );
    }
}

#[test]
fn word_order_and_plurals_do_not_change_a_phrase() {
    let key = synonyms::phrase_key;
    assert_eq!(key("sugar low"), key("low sugar"));
    assert_eq!(key("low sugars"), key("Low sugar"));
    assert_eq!(key("blood sugar low"), key("low blood sugar"));
    assert_eq!(key("temperature high"), key("high temperature"));
    assert_ne!(key("low sugar"), key("low blood sugar"));
    // A list may not hold one phrase twice in two orders: they are one entry.
    let (_, diags) = synonyms::load(&[Source {
        path: "synonyms.toml",
        text: "[same]\n\"low sugar\" = [\"hypo\"]\n\"sugar low\" = [\"x\"]\n",
    }]);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].line, 3);
}

/// The distinct terms of a guideline's title and keywords.
fn name_terms(g: &wardbook::content::Guideline) -> BTreeSet<String> {
    std::iter::once(&g.front.title)
        .chain(&g.front.keywords)
        .flat_map(|p| text::phrase_terms(p))
        .collect()
}

#[test]
fn every_relevance_query_reaches_its_guideline_by_name() {
    let (book, diags) = load_book(&fixture("search-phrases"), false);
    assert!(diags.is_empty(), "{diags:?}");
    let syn = default_list();
    let lookup = Lookup::new(&syn);
    let cases = json_fixture("search-phrases.json");
    for case in cases["relevance"].as_array().expect("relevance") {
        let (query, want) = (str_of(&case["query"]), str_of(&case["want"]));
        let g = book
            .guidelines
            .iter()
            .find(|g| g.page == want)
            .unwrap_or_else(|| panic!("{want} is not in the fixture book"));
        let names = name_terms(g);
        let units = text::phrase_units_cached(query, &mut text::Cache::default());
        let found = lookup.find(query);
        // Each word of the query, alone or in its synonym run, names the guideline: its terms, or
        // every term of some member the run searches, are in the title or keywords.
        for (u, terms) in units.iter().enumerate() {
            let run = found
                .iter()
                .find(|f| (f.start..f.start + f.len).contains(&u));
            let by_run = run.is_some_and(|f| {
                f.reaches()
                    .iter()
                    .any(|k| k.split(' ').all(|t| names.contains(t)))
            });
            let by_itself = terms.iter().all(|t| names.contains(t));
            assert!(
                by_run || by_itself,
                "{query}: word {u} ({terms:?}) does not reach {want} ({names:?})"
            );
        }
    }
}

#[test]
fn short_ambiguous_abbreviations_keep_every_reading() {
    let syn = default_list();
    let lookup = Lookup::new(&syn);
    for (abbr, readings) in [
        ("HI", &["head injury", "hearing impairment"][..]),
        ("KD", &["Kawasaki disease", "ketogenic diet"]),
        ("BD", &["twice daily", "bipolar disorder"]),
        ("CLD", &["chronic lung disease", "chronic liver disease"]),
        (
            "ICD",
            &[
                "intercostal drain",
                "implantable cardioverter defibrillator",
            ],
        ),
    ] {
        let found = lookup.find(abbr);
        assert_eq!(found.len(), 1, "{abbr}");
        assert_eq!(found[0].readings(), readings, "{abbr}");
    }
    // No [means] key is also a member of a [same] group: that group would be searched as if it
    // were the only reading, its members listed as plain "also searched as".
    for e in syn.values() {
        if e.kind != synonyms::Kind::Means {
            continue;
        }
        let found = lookup.find(&e.key);
        let groups: Vec<&str> = found
            .iter()
            .flat_map(|f| &f.entries)
            .filter(|x| x.kind == synonyms::Kind::Same)
            .map(|x| x.key.as_str())
            .collect();
        assert!(
            groups.is_empty(),
            "{} is ambiguous but a member of {groups:?}",
            e.key
        );
    }
}

fn pairs(v: &Value) -> Vec<(&str, &str)> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|p| (str_of(&p[0]), str_of(&p[1])))
        .collect()
}

#[test]
fn slugs_and_heading_ids_follow_markdown_and_the_shipped_rules() {
    let cases = json_fixture("slug-cases.json");
    let rules = slug::rules();
    for (text, want) in pairs(&cases["slugs"]) {
        assert_eq!(slugify(text), want, "markdown.rs slugify({text:?})");
        assert_eq!(rules.slug(text), want, "shipped rules on {text:?}");
    }
    for page in cases["pages"].as_array().expect("pages") {
        let headings = pairs(&page["headings"]);
        let mut seen: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
        for &(text, id) in &headings {
            assert_eq!(
                unique_id(&slugify(text), &mut seen),
                id,
                "markdown.rs id of {text:?}"
            );
        }
        let shipped: Vec<Value> = slug::shipped(rules, &headings)
            .into_iter()
            .map(|(text, id)| match id {
                Some(id) => serde_json::json!([text, id]),
                None => Value::from(text),
            })
            .collect();
        assert_eq!(&Value::from(shipped), &page["shipped"]);
    }
    for (title, stem) in pairs(&cases["titles"]) {
        assert_eq!(encode::title_slug(title), stem, "{title:?}");
    }
}

#[test]
fn terms_js_ships_the_heading_id_rules_of_markdown_rs() {
    let js = BookTest::from_fixture("search-phrases")
        .built()
        .page("search/terms.js");
    let start = js.find("{").expect("data");
    let end = js.rfind(");").expect("call");
    let head: Value = serde_json::from_str(&js[start..end]).expect("json");
    let reserved: Vec<&str> = head["slug"]["reserved"]
        .as_array()
        .expect("reserved")
        .iter()
        .map(str_of)
        .collect();
    assert_eq!(reserved, RESERVED_IDS);
    assert_eq!(head["slug"]["empty"], unique_id("", &mut HashSet::new()));
    let (from, to) = (str_of(&head["slug"]["from"]), str_of(&head["slug"]["to"]));
    assert_eq!(from.chars().count(), to.chars().count());
    for (f, t) in from.chars().zip(to.chars()) {
        assert_eq!(slugify(&format!("x{f}y")), format!("x{t}y"), "{f:?}");
    }
    // Every other ASCII character is dropped by markdown.rs too.
    for c in (0u8..128).map(char::from).filter(|c| !from.contains(*c)) {
        assert_eq!(slugify(&format!("x{c}y")), "xy", "{c:?}");
    }
}
