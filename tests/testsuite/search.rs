//! Search index building: the files a build writes for search, what they hold, what they
//! leave out, that they are the same bytes every time, and the book's own synonym list.

use crate::harness::*;
use std::path::Path;
use wardbook::BuildError;
use wardbook::render::search::{encode, index, model, synonyms::phrase_key, text};

/// Every search file of a built site: (path, text).
fn search_files(book: BookTest) -> Vec<(String, String)> {
    search_of(&book.built())
        .into_iter()
        .map(|(p, bytes)| (p, String::from_utf8(bytes).expect("utf-8")))
        .collect()
}

/// The JSON argument of `wardbookSearch.add("kind", n, <json>);`.
fn payload(js: &str) -> serde_json::Value {
    let start = js.find(',').expect("kind") + 1;
    let start = start + js[start..].find(',').expect("number") + 1;
    let end = js.rfind(");").expect("call");
    serde_json::from_str(&js[start..end]).expect("json")
}

fn file<'a>(files: &'a [(String, String)], path: &str) -> &'a str {
    &files.iter().find(|(p, _)| p == path).expect(path).1
}

#[test]
fn sample_book_writes_page_dictionary_shards_and_documents() {
    let files = search_files(BookTest::at(sample_root()));
    let page = file(&files, "search.html");
    assert!(page.contains("<ol id=\"search-results\""));
    assert!(page.contains("name=\"q\""));
    assert!(page.contains("href=\"a-z.html\""));
    assert!(files.iter().any(|(p, _)| p == "search/shard-0.js"));
    assert!(files.iter().any(|(p, _)| p == "search/docs-0.js"));
    let head = payload(file(&files, "search/terms.js"));
    // 26 guidelines, of which one draft (left out without --drafts) and one withdrawn.
    assert_eq!(head["n"], 24);
    let total: usize = files.iter().map(|(_, t)| t.len()).sum();
    assert!(total < 400_000, "sample index is {total} bytes");
}

#[test]
fn index_holds_title_keyword_heading_and_body_terms() {
    let files = search_files(BookTest::at(sample_root()));
    let head = payload(file(&files, "search/terms.js"));
    let terms: Vec<&str> = head["terms"].as_str().expect("terms").split(' ').collect();
    let shards: Vec<usize> = head["shards"]
        .as_array()
        .expect("shards")
        .iter()
        .map(|v| v.as_u64().expect("start") as usize)
        .collect();
    let df: Vec<u64> = head["df"]
        .as_array()
        .expect("df")
        .iter()
        .map(|v| v.as_u64().expect("number"))
        .collect();
    assert_eq!(df.len(), terms.len());
    assert!(
        df.iter().all(|&d| d >= 1),
        "every term is in some guideline"
    );
    // The document number of the bronchiolitis guideline, from the titles.
    let doc = head["titles"]
        .as_array()
        .expect("titles")
        .iter()
        .position(|t| t == "Bronchiolitis")
        .map(|d| d as u32);
    let doc = doc.expect("bronchiolitis is indexed");
    let flags_of = |word: &str| -> u8 {
        let term = text::normalize(word).expect("a term");
        let t = terms.binary_search(&term.as_str()).expect(&term);
        let s = shards.iter().rposition(|&s| s <= t).expect("shard");
        let shard = payload(file(&files, &format!("search/shard-{s}.js")));
        let postings = shard[t - shards[s]].as_str().expect("postings");
        decode(postings)
            .into_iter()
            .find(|(d, _)| *d == doc)
            .map_or(0, |(_, f)| f)
    };
    assert_ne!(flags_of("Bronchiolitis") & model::TITLE, 0);
    assert_ne!(flags_of("RSV") & model::KEYWORD, 0);
    assert_ne!(flags_of("features") & model::HEADING, 0);
    assert_ne!(flags_of("coryzal") >> model::BODY_SHIFT, 0);
    assert_eq!(flags_of("coryzal") & (model::TITLE | model::KEYWORD), 0);
}

/// (document, flags) of each posting.
fn decode(s: &str) -> Vec<(u32, u8)> {
    let digit = |c: u8| {
        encode::ALPHABET
            .iter()
            .position(|&a| a == c)
            .expect("digit") as u32
    };
    let b = s.as_bytes();
    let (mut i, mut doc, mut out) = (0, 0, Vec::new());
    let varint = |i: &mut usize| {
        let mut acc = 0;
        loop {
            let d = digit(b[*i]);
            *i += 1;
            acc = acc * 32 + (d & 31);
            if d < 32 {
                return acc;
            }
        }
    };
    while i < b.len() {
        let gap = varint(&mut i);
        doc = if out.is_empty() { gap } else { doc + gap };
        let flags = digit(b[i]) as u8;
        i += 1;
        if flags & model::AT_HEADING != 0 {
            varint(&mut i);
        }
        out.push((doc, flags));
    }
    out
}

#[test]
fn drafts_and_withdrawn_guidelines_are_never_indexed() {
    let built = BookTest::at(sample_root()).drafts(true).built();
    assert!(
        built
            .output
            .get("neonatal/neonatal-hypoglycaemia.html")
            .is_some(),
        "the draft is published with --drafts"
    );
    for (path, text) in search_files(BookTest::at(sample_root()).drafts(true)) {
        for needle in [
            "neonatal-hypoglycaemia",
            "Neonatal hypoglycaemia",
            "bronchiolitis-oxygen-thresholds",
            "oxygen thresholds",
        ] {
            assert!(!text.contains(needle), "{path} contains {needle}");
        }
    }
}

#[test]
fn same_book_gives_the_same_bytes() {
    let a = search_files(BookTest::at(sample_root()).drafts(true));
    let b = search_files(BookTest::at(sample_root()).drafts(true));
    assert_eq!(a.len(), b.len());
    for ((pa, ta), (pb, tb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ta == tb, "{pa} differs between two builds");
    }
}

#[test]
fn a_book_synonym_list_adds_replaces_and_removes_entries() {
    let files = search_files(BookTest::from_fixture("search-synonyms"));
    let head = payload(file(&files, "search/terms.js"));
    let rows = head["syn"].as_array().expect("syn");
    let row = |key: &str| rows.iter().find(|r| r[1] == key);
    let dka = row("DKA").expect("DKA entry");
    assert!(dka.to_string().contains("sugar crisis"));
    assert!(!dka.to_string().contains("diabetic ketoacidosis"));
    let stripes = row("stripes").expect("new entry");
    assert_eq!(stripes[4], phrase_key("zebra syndrome"));
    assert!(row("CP").is_none(), "CP was removed");
    assert!(row("ASD").is_some(), "other built-in entries stay");
}

#[test]
fn a_malformed_book_synonym_list_is_a_diagnostic_with_line_and_column() {
    let src = fixture("search-synonyms");
    let mut book = BookTest::empty();
    for f in [
        "book.toml",
        "guidelines/general/zebra-syndrome.md",
        "guidelines/general/diabetic-ketoacidosis.md",
    ] {
        book.write(f, std::fs::read(src.join(f)).expect("read fixture"));
    }
    let cases = [
        ("[same]\nDKA = \"sugar crisis\"\n", 2, 7),
        ("[same]\nDKA = [\"sugar crisis\"\n", 2, 22),
        ("[sames]\nDKA = [\"x\"]\n", 1, 2),
        ("[same]\nDKA = [\"x\"]\n\n[means]\ndka = [\"y\"]\n", 5, 1),
    ];
    for (text, line, col) in cases {
        book.write("synonyms.toml", text);
        let Err(BuildError::Problems(diags)) = book.build() else {
            panic!("{text:?} should stop the build");
        };
        let d = diags
            .iter()
            .find(|d| d.file == Path::new("synonyms.toml"))
            .unwrap_or_else(|| panic!("no synonyms.toml diagnostic for {text:?}: {diags:?}"));
        assert_eq!((d.line, d.col), (line, col), "{text:?}: {}", d.message);
        assert_eq!(d.rule, "synonyms");
    }
}

/// The search files of a built output.
fn search_of(built: &wardbook::Built) -> Vec<(String, Vec<u8>)> {
    built.files_where(|p| p.starts_with("search/") || p == "search.html")
}

#[test]
fn serve_cache_gives_the_same_search_files_as_a_fresh_build() {
    let book = BookTest::sample();
    let config = book.config();
    let mut cache = wardbook::BuildCache::default();
    let page = book.root().join("guidelines/respiratory/bronchiolitis.md");
    let original = std::fs::read_to_string(&page).expect("read");
    let edits = [
        original.clone(),
        format!("{original}\nA zygomatic rash needs review. Check capillary refill.\n"),
        original.replace("Bronchiolitis", "Bronchiolitis in infants"),
        original,
    ];
    for (n, text) in edits.iter().enumerate() {
        std::fs::write(&page, text).expect("write");
        let cached = wardbook::build_cached(&config, &book.options(), &mut cache).expect("builds");
        let fresh = book.built();
        let (a, b) = (search_of(&cached), search_of(&fresh));
        assert_eq!(a.len(), b.len(), "edit {n}: file count");
        for ((pa, ta), (pb, tb)) in a.iter().zip(&b) {
            assert_eq!(pa, pb, "edit {n}");
            assert!(ta == tb, "edit {n}: {pa} differs from a fresh build");
        }
        let has_new_word = a.iter().any(|(p, t)| {
            p == "search/terms.js" && String::from_utf8_lossy(t).contains(" zygomat")
        });
        assert_eq!(
            has_new_word,
            n == 1,
            "edit {n}: the added word is searchable"
        );
    }
}

#[test]
fn a_memo_reanalyses_only_changed_guidelines() {
    use wardbook::render::search::Memo;
    let (book, _) = load_book(&sample_root(), false);
    let mut rendered = render_guidelines(&book);
    let searchable: Vec<usize> = wardbook::render::search::searchable(&book).collect();
    let index_of = |rendered: &[lib_items::Rendered], memo: Option<&Memo>| {
        let inputs: Vec<model::Input<'_>> = searchable
            .iter()
            .map(|&i| model::Input {
                g: &book.guidelines[i],
                r: &rendered[i],
                section_slug: &book.config.sections[book.guidelines[i].section].slug,
            })
            .collect();
        index::build_reusing(&inputs, memo)
    };
    let memo = Memo::default();
    assert_eq!(index_of(&rendered, Some(&memo)), index_of(&rendered, None));
    assert_eq!(memo.analysed(), searchable.len());
    assert_eq!(index_of(&rendered, Some(&memo)), index_of(&rendered, None));
    assert_eq!(memo.analysed(), 0, "nothing changed");
    let edited = searchable[3];
    let block = rendered[edited].blocks.last_mut().expect("a text block");
    block.text.push_str(" Zygomatic rash: review.");
    let with_memo = index_of(&rendered, Some(&memo));
    assert_eq!(memo.analysed(), 1, "only the edited guideline");
    assert_eq!(with_memo, index_of(&rendered, None));
    assert!(with_memo.terms.iter().any(|t| t.starts_with("zygomat")));
}

/// The search-large fixture with `extra` appended to its book.toml.
fn large_with(extra: &str) -> Vec<(String, String)> {
    let mut book = BookTest::from_fixture("search-large");
    let toml = std::fs::read_to_string(book.root().join("book.toml")).expect("book.toml");
    book.write("book.toml", format!("{toml}\n{extra}\n"));
    search_files(book)
}

fn numbers(v: &serde_json::Value) -> Vec<u64> {
    v.as_array()
        .expect("list")
        .iter()
        .map(|n| n.as_u64().expect("number"))
        .collect()
}

#[test]
fn a_large_index_is_written_in_parts_that_hold_the_same_index() {
    let whole = large_with("");
    let parts = large_with("[search]\nsplit_kb = 1");
    let head = payload(file(&whole, "search/terms.js"));
    let split = payload(file(&parts, "search/terms.js"));
    assert!(
        head.get("split").is_none(),
        "one part below the default size"
    );
    assert!(split.get("titles").is_none() && split.get("terms").is_none());
    for key in [
        "n", "rules", "slug", "w", "sections", "networks", "chunk", "syn",
    ] {
        assert_eq!(split[key], head[key], "{key}");
    }
    // The dictionary's runs, in order, are the whole dictionary.
    let info = &split["split"];
    let runs: Vec<serde_json::Value> = (0..info["words"].as_array().expect("runs").len())
        .map(|n| payload(file(&parts, &format!("search/words-{n}.js"))))
        .collect();
    assert!(runs.len() > 1, "the dictionary is in several runs");
    let terms: Vec<&str> = runs
        .iter()
        .flat_map(|r| r["terms"].as_str().expect("terms").split(' '))
        .collect();
    assert_eq!(terms.join(" "), head["terms"].as_str().expect("terms"));
    let df: Vec<u64> = runs.iter().flat_map(|r| numbers(&r["df"])).collect();
    assert_eq!(df, numbers(&head["df"]));
    let mut start = 0;
    for (n, r) in runs.iter().enumerate() {
        assert_eq!(info["words"][n], start as u64);
        assert_eq!(
            info["first"][n],
            r["terms"]
                .as_str()
                .expect("t")
                .split(' ')
                .next()
                .expect("first")
        );
        start += r["df"].as_array().expect("df").len();
    }
    assert_eq!(info["terms"], start as u64);
    // The document table's runs are the whole table; facts and vocabulary as in one part.
    let per = info["meta"].as_u64().expect("meta") as usize;
    let n = head["n"].as_u64().expect("n") as usize;
    let meta: Vec<serde_json::Value> = (0..n.div_ceil(per))
        .map(|k| payload(file(&parts, &format!("search/meta-{k}.js"))))
        .collect();
    assert!(meta.len() > 1, "the document table is in several runs");
    for key in ["titles", "pages", "dates"] {
        let joined: Vec<&serde_json::Value> = meta
            .iter()
            .flat_map(|m| m[key].as_array().expect(key))
            .collect();
        let want: Vec<&serde_json::Value> = head[key].as_array().expect(key).iter().collect();
        assert_eq!(joined, want, "{key}");
    }
    for k in 0..4 {
        let joined: Vec<u64> = meta.iter().flat_map(|m| numbers(&m["docs"][k])).collect();
        assert_eq!(joined, numbers(&head["docs"][k]), "docs[{k}]");
    }
    let facts = payload(file(&parts, "search/facts-0.js"));
    assert_eq!(facts["section"], head["docs"][0]);
    assert_eq!(facts["network"], head["docs"][1]);
    assert_eq!(payload(file(&parts, "search/vocab-0.js")), head["vocab"]);
    // Snippets are the same; postings the same, a title posting carrying the title's terms.
    let title_terms = numbers(&head["docs"][3]);
    for (path, text) in &whole {
        if path.starts_with("search/docs-") {
            assert_eq!(file(&parts, path), text, "{path}");
        }
    }
    let (one, other) = (all_postings(&whole, &head), all_postings(&parts, &split));
    assert_eq!(one.len(), terms.len());
    assert_eq!(one.len(), other.len());
    for (a, b) in one.iter().zip(&other) {
        let (a, b) = (decode_full(a), decode_full(b));
        assert_eq!(a.len(), b.len());
        for ((doc, flags, heading), (doc2, flags2, heading2)) in a.into_iter().zip(b) {
            assert_eq!(
                (doc, flags & !model::AT_HEADING),
                (doc2, flags2 & !model::AT_HEADING)
            );
            if flags & model::TITLE != 0 {
                assert_eq!(heading2, Some(title_terms[doc as usize] as u32));
            } else {
                assert_eq!((flags, heading), (flags2, heading2));
            }
        }
    }
    let shards = split["shards"].as_array().expect("shards").len();
    let files = head["shards"].as_array().expect("shards").len();
    assert_eq!(
        whole.len() - files + shards + runs.len() + meta.len() + 2,
        parts.len()
    );
}

/// Every term's postings, in term order, from the shards `head` lists.
fn all_postings(files: &[(String, String)], head: &serde_json::Value) -> Vec<String> {
    (0..head["shards"].as_array().expect("shards").len())
        .flat_map(|n| {
            let shard = payload(file(files, &format!("search/shard-{n}.js")));
            shard
                .as_array()
                .expect("shard")
                .iter()
                .map(|p| p.as_str().expect("postings").to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// (document, flags, heading) of each posting.
fn decode_full(s: &str) -> Vec<(u32, u8, Option<u32>)> {
    let digit = |c: u8| {
        encode::ALPHABET
            .iter()
            .position(|&a| a == c)
            .expect("digit") as u8
    };
    // Walk the characters: a varint ends on a digit below 32; the flags are one character.
    let b = s.as_bytes();
    let (mut i, mut doc, mut out) = (0, 0u32, Vec::new());
    let varint = |i: &mut usize| {
        let mut acc = 0u32;
        loop {
            let d = u32::from(digit(b[*i]));
            *i += 1;
            acc = acc * 32 + (d & 31);
            if d < 32 {
                return acc;
            }
        }
    };
    while i < b.len() {
        let gap = varint(&mut i);
        doc = if out.is_empty() { gap } else { doc + gap };
        let flags = digit(b[i]);
        i += 1;
        let heading = (flags & model::AT_HEADING != 0).then(|| varint(&mut i));
        out.push((doc, flags, heading));
    }
    out
}
