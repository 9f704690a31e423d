//! Search index building (issue 3): the files a build writes for search, what they hold, what they
//! leave out, that they are the same bytes every time, and the book's own synonym list.

use std::path::{Path, PathBuf};
use wardbook::render::search::{encode, index, synonyms::phrase_key, text};
use wardbook::{BuildError, BuildOptions, build};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn opts(drafts: bool) -> BuildOptions {
    BuildOptions {
        as_of: jiff::civil::date(2026, 11, 21),
        drafts,
        pdf: false,
    }
}

/// Every search file of a built site: (path, text).
fn search_files(root: &Path, drafts: bool) -> Vec<(String, String)> {
    let built = build(root, &opts(drafts)).expect("book builds");
    built
        .output
        .files
        .keys()
        .filter(|p| p.starts_with("search/") || *p == "search.html")
        .map(|p| {
            let bytes = built.output.get(p).expect("generated file");
            (p.clone(), String::from_utf8(bytes.to_vec()).expect("utf-8"))
        })
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
    let files = search_files(&repo(), false);
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
    let files = search_files(&repo(), false);
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
    assert_ne!(flags_of("Bronchiolitis") & index::TITLE, 0);
    assert_ne!(flags_of("RSV") & index::KEYWORD, 0);
    assert_ne!(flags_of("features") & index::HEADING, 0);
    assert_ne!(flags_of("coryzal") >> index::BODY_SHIFT, 0);
    assert_eq!(flags_of("coryzal") & (index::TITLE | index::KEYWORD), 0);
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
        if flags & index::AT_HEADING != 0 {
            varint(&mut i);
        }
        out.push((doc, flags));
    }
    out
}

#[test]
fn drafts_and_withdrawn_guidelines_are_never_indexed() {
    let built = build(&repo(), &opts(true)).expect("builds with drafts");
    assert!(
        built
            .output
            .get("neonatal/neonatal-hypoglycaemia.html")
            .is_some(),
        "the draft is published with --drafts"
    );
    for (path, text) in search_files(&repo(), true) {
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
    let a = search_files(&repo(), true);
    let b = search_files(&repo(), true);
    assert_eq!(a.len(), b.len());
    for ((pa, ta), (pb, tb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ta == tb, "{pa} differs between two builds");
    }
}

#[test]
fn a_book_synonym_list_adds_replaces_and_removes_entries() {
    let root = repo().join("tests/fixtures/search-synonyms");
    let files = search_files(&root, false);
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
    let dir = tempfile::tempdir().expect("temp dir");
    let src = repo().join("tests/fixtures/search-synonyms");
    for f in [
        "book.toml",
        "guidelines/general/zebra-syndrome.md",
        "guidelines/general/diabetic-ketoacidosis.md",
    ] {
        let to = dir.path().join(f);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(src.join(f), to).expect("copy");
    }
    let cases = [
        ("[same]\nDKA = \"sugar crisis\"\n", 2, 7),
        ("[same]\nDKA = [\"sugar crisis\"\n", 2, 22),
        ("[sames]\nDKA = [\"x\"]\n", 1, 2),
        ("[same]\nDKA = [\"x\"]\n\n[means]\ndka = [\"y\"]\n", 5, 1),
    ];
    for (text, line, col) in cases {
        std::fs::write(dir.path().join("synonyms.toml"), text).expect("write");
        let Err(BuildError::Problems(diags)) = build(dir.path(), &opts(false)) else {
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

/// Benchmark (ignored by default): how long building the search files takes, against the whole
/// build, for the book in `WARDBOOK_BENCH_BOOK`. Recorded in BENCHMARKS.md:
/// `WARDBOOK_BENCH_BOOK=/tmp/c2000 cargo test --release --test search -- --ignored --nocapture`
#[test]
#[ignore = "benchmark: needs WARDBOOK_BENCH_BOOK"]
fn bench_search_share_of_build_time() {
    use std::time::Instant;
    use wardbook::markdown::{self, LinkContext};
    let Some(root) = std::env::var_os("WARDBOOK_BENCH_BOOK").map(PathBuf::from) else {
        return;
    };
    let config = wardbook::config::load(&root).expect("book.toml");
    let load = wardbook::content::LoadOptions {
        as_of: opts(false).as_of,
        drafts: false,
    };
    let (book, _) = wardbook::content::load(&config, &load).expect("book loads");
    let theme = wardbook::theme::load(&config).expect("theme");
    let tera = theme.tera().expect("templates");
    let highlighter = wardbook::highlight::Highlighter::default();
    let ctx = LinkContext::new(&book);
    let rendered: Vec<_> = book
        .guidelines
        .iter()
        .map(|g| markdown::render(g, &ctx, &highlighter))
        .collect();
    let site = wardbook::render::html::Site {
        book: &book,
        tera: &tera,
        theme: &theme,
        rendered: &rendered,
        pdf: false,
        reuse: None,
    };
    let mut search = Vec::new();
    let mut whole = Vec::new();
    let mut bytes = 0;
    let reps: usize = std::env::var("WARDBOOK_BENCH_REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    for _ in 0..reps {
        let t = Instant::now();
        let files = wardbook::render::search::build(&site).expect("search builds");
        search.push(t.elapsed().as_secs_f64());
        bytes = files.iter().map(|(_, b)| b.len()).sum::<usize>();
        let t = Instant::now();
        if std::env::var_os("WARDBOOK_BENCH_SEARCH_ONLY").is_none() {
            build(&root, &opts(false)).expect("book builds");
        }
        whole.push(t.elapsed().as_secs_f64());
    }
    search.sort_by(f64::total_cmp);
    whole.sort_by(f64::total_cmp);
    let (s, w) = (search[reps / 2], whole[reps / 2]);
    println!(
        "{} guidelines: search files {bytes} bytes built in {:.0} ms (median of {reps}); whole build {:.0} ms; search is {:.1}% of the build",
        book.guidelines.len(),
        s * 1000.0,
        w * 1000.0,
        100.0 * s / w
    );
}
