//! The printed book never misprints a guideline silently, read back with poppler (pdftotext,
//! pdfinfo, pdffonts): tables of 2 to 30 columns either print every number and dose intact (in
//! smaller type or on a landscape page) or fail with one `print-overflow` error at the table's
//! line; code lines and unbroken strings likewise; a character no font has is one `print-glyph`
//! error per line naming every such character, fixed by a font in the theme's `fonts/` folder;
//! `wardbook check` (library and binary) reports all of this as `build` does; and nesting too
//! deep to read is one lint warning, with whatever typst cannot set one error per guideline.

use crate::harness::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use wardbook::diag::{Diagnostic, Severity};
use wardbook::{BuildError, Built};

const BOOK_TOML: &str = "[book]\ntitle = \"Print safety\"\n\n[[sections]]\nslug = \"tables\"\n\
title = \"Tables\"\n\n[[networks]]\nslug = \"fluids\"\nname = \"Fluids network\"\ncontact = \"mailto:fluids@example.org\"\n\n[print]\nfilename = \"book.pdf\"\n";

/// Lines of front matter before a guideline's body (so body line k is file line k + HEAD).
const HEAD: usize = 6;

/// A temporary book with one guideline per (stem, body), built with its PDF.
fn book(guidelines: &[(String, String)]) -> BookTest {
    let mut book = BookTest::empty().pdf(true).file("book.toml", BOOK_TOML);
    for (stem, body) in guidelines {
        let text = format!(
            "---\ntitle: Guideline {stem}\nsection: tables\nnetwork: fluids\nreview_date: 2030-01-01\n---\n{body}"
        );
        book.write(&format!("guidelines/tables/{stem}.md"), text);
    }
    book
}

fn file_of(stem: &str) -> PathBuf {
    PathBuf::from(format!("guidelines/tables/{stem}.md"))
}

fn errors(diags: &[Diagnostic], rule: &str) -> Vec<Diagnostic> {
    diags
        .iter()
        .filter(|d| d.rule == rule && d.severity == Severity::Error)
        .cloned()
        .collect()
}

/// Runs a poppler tool on `pdf` (see [`crate::harness::poppler`]).
fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let mut all = args.to_vec();
    all.push(pdf.to_str().expect("a UTF-8 path"));
    if name == "pdftotext" {
        all.push("-");
    }
    crate::harness::poppler(name, &all)
}

/// The built book's PDF in `dir`.
fn write_pdf(built: &Built, dir: &Path) -> PathBuf {
    let bytes = built
        .output
        .get("book.pdf")
        .expect("book.pdf in the output");
    let path = dir.join("book.pdf");
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

/// A weight-band table of `columns` columns, as a fluids guideline has it: a maintenance row
/// of bare numbers, a rate row of doses with units. Every value is unique to `seed`.
fn band_table(seed: usize, columns: usize) -> (String, Vec<String>) {
    let bands = columns - 1;
    let mut values = Vec::new();
    let mut head = String::from("| Weight |");
    let mut rule = String::from("| --- |");
    let mut maintenance = String::from("| Maintenance |");
    let mut rate = String::from("| Rate |");
    for b in 0..bands {
        head.push_str(&format!(" {} kg |", 3 + 2 * b));
        rule.push_str(" ---: |");
        let m = format!("{seed}{b:02}.5");
        let r = format!("{}.{} mL/hour", seed * 100 + b, b % 9 + 1);
        maintenance.push_str(&format!(" {m} |"));
        rate.push_str(&format!(" {r} |"));
        values.push(m);
        values.push(r);
    }
    let table = format!("{head}\n{rule}\n{maintenance}\n{rate}\n");
    (table, values)
}

fn table_guideline(columns: usize) -> (String, String, Vec<String>) {
    let (table, values) = band_table(columns, columns);
    let body = format!("\nFluids by weight.\n\n{table}\nAfter the table.\n");
    (format!("t{columns:02}"), body, values)
}

/// Body line of the table in [`table_guideline`]'s body, as a file line.
const TABLE_LINE: usize = HEAD + 4;

#[test]
fn tables_of_2_to_30_columns_print_intact_or_fail_once_at_the_table() {
    let all: Vec<(String, String, Vec<String>)> = (2..=30).map(table_guideline).collect();
    let first = book(
        &all.iter()
            .map(|(s, b, _)| (s.clone(), b.clone()))
            .collect::<Vec<_>>(),
    );
    let diags = first.check();
    let over = errors(&diags, "print-overflow");
    // Every other problem would hide what this test is about.
    assert_eq!(
        errors(&diags, "print").len() + errors(&diags, "print-glyph").len(),
        0,
        "{diags:#?}"
    );
    let mut by_file: BTreeMap<PathBuf, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &over {
        by_file.entry(d.file.clone()).or_default().push(d);
    }
    for (file, ds) in &by_file {
        assert_eq!(
            ds.len(),
            1,
            "one error per table in {}: {ds:#?}",
            file.display()
        );
        let d = ds[0];
        assert_eq!((d.line, d.col), (TABLE_LINE, 1), "{d:#?}");
        assert!(
            d.help
                .as_deref()
                .is_some_and(|h| h.contains("split the table")),
            "{d:#?}"
        );
        assert!(d.message.contains("7 pt"), "{d:#?}");
    }
    let too_wide: Vec<usize> = (2..=30)
        .filter(|n| by_file.contains_key(&file_of(&format!("t{n:02}"))))
        .collect();
    // Wider tables of the same kind are never the ones that fit.
    assert!(
        too_wide.windows(2).all(|w| w[1] == w[0] + 1) && too_wide.last() == Some(&30),
        "{too_wide:?}"
    );
    // A fluids table of two dozen weight bands, doses with units in every cell, fits.
    assert!(too_wide.first().is_some_and(|&n| n > 12), "{too_wide:?}");

    // Without the tables that cannot fit, the book builds, and every number is in the PDF's
    // text exactly as written: no digits run into the next cell's, no unit is broken.
    let fitting: Vec<&(String, String, Vec<String>)> = all
        .iter()
        .filter(|(s, _, _)| !by_file.contains_key(&file_of(s)))
        .collect();
    let second = book(
        &fitting
            .iter()
            .map(|(s, b, _)| (s.clone(), b.clone()))
            .collect::<Vec<_>>(),
    );
    let built = second.build().unwrap_or_else(|e| panic!("build: {e:?}"));
    let pdf = write_pdf(&built, &second.root());
    let text = tool("pdftotext", &["-layout"], &pdf);
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    for (stem, _, values) in &fitting {
        for v in values {
            let ok = if v.contains(' ') {
                joined.contains(&format!(" {v} "))
            } else {
                words.contains(&v.as_str())
            };
            assert!(ok, "{stem}: {v:?} is not intact in the PDF text");
        }
    }
}

/// Page sizes (width, height in points) of the PDF, from pdfinfo.
fn page_sizes(pdf: &Path) -> Vec<(f64, f64)> {
    let info = tool("pdfinfo", &["-f", "1", "-l", "999"], pdf);
    info.lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size: "))
        .map(|l| {
            let dims: Vec<f64> = l
                .split_once(" size: ")
                .map(|(_, r)| r)
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (dims[0], dims[1])
        })
        .collect()
}

#[test]
fn a_wide_table_gets_a_landscape_page_and_a_narrow_one_does_not() {
    let (wide, wide_values) = band_table(77, 10);
    let (narrow, _) = band_table(55, 4);
    let dir = book(&[
        ("narrow".into(), format!("\nBefore.\n\n{narrow}\nAfter.\n")),
        ("wide".into(), format!("\nBefore.\n\n{wide}\nAfter.\n")),
    ]);
    let built = dir.build().unwrap_or_else(|e| panic!("build: {e:?}"));
    let pdf = write_pdf(&built, &dir.root());
    let sizes = page_sizes(&pdf);
    let landscape: Vec<usize> = sizes
        .iter()
        .enumerate()
        .filter(|(_, (w, h))| w > h)
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(landscape.len(), 1, "{sizes:?}");
    let page = landscape[0].to_string();
    let text = tool("pdftotext", &["-layout", "-f", &page, "-l", &page], &pdf);
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for v in &wide_values {
        assert!(
            joined.contains(v.as_str()),
            "{v:?} not on the landscape page: {text}"
        );
    }
    assert!(
        !joined.contains("Before."),
        "the landscape page holds only the table"
    );
}

#[test]
fn a_too_wide_table_in_a_list_is_one_error_that_says_why() {
    let (table, _) = band_table(9, 30);
    let indented: String = table.lines().map(|l| format!("   {l}\n")).collect();
    let dir = book(&[(
        "listed".into(),
        format!("\n1. Weigh the child.\n\n{indented}"),
    )]);
    let over = errors(&dir.check(), "print-overflow");
    assert_eq!(over.len(), 1, "{over:#?}");
    assert_eq!((over[0].line, over[0].col), (HEAD + 4, 4), "{:#?}", over[0]);
    assert!(
        over[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("out of the list"))
    );
}

#[test]
fn a_long_code_line_is_set_smaller_and_a_longer_one_is_one_error() {
    let fits = format!("{}=0.5", "dose_".repeat(22));
    let long = "x".repeat(400);
    let dir = book(&[
        ("code".into(), format!("\nCode:\n\n```\n{fits}\n```\n")),
        (
            "long".into(),
            format!("\nCode:\n\n```\n{long}\n{long}\n```\n\nAnd {long} in prose.\n"),
        ),
    ]);
    let diags = dir.check();
    let over = errors(&diags, "print-overflow");
    let at: Vec<(PathBuf, usize, usize)> = over
        .iter()
        .map(|d| (d.file.clone(), d.line, d.col))
        .collect();
    assert_eq!(
        at,
        [
            (file_of("long"), HEAD + 4, 1),
            (file_of("long"), HEAD + 9, 1)
        ],
        "{over:#?}"
    );
    assert!(over[0].message.contains("code block"), "{:#?}", over[0]);
    // The line that fits in smaller type prints whole.
    let dir = book(&[("code".into(), format!("\nCode:\n\n```\n{fits}\n```\n"))]);
    let built = dir.build().unwrap_or_else(|e| panic!("build: {e:?}"));
    let pdf = write_pdf(&built, &dir.root());
    let text = tool("pdftotext", &[], &pdf);
    assert!(text.contains(&fits), "{fits} not whole in {text}");
}

/// A line of Punjabi (Gurmukhi) as a parent-information leaflet has it.
const GURMUKHI: &str = "ਬੱਚੇ ਨੂੰ ਪਾਣੀ ਦਿਓ";

fn gurmukhi_book() -> BookTest {
    book(&[(
        "leaflet".into(),
        format!("\nInformation for parents.\n\nPunjabi: {GURMUKHI}\n\nGive 5 mL.\n"),
    )])
}

#[test]
fn check_reports_a_missing_glyph_once_per_line_naming_every_character() {
    let dir = gurmukhi_book();
    let diags = dir.check();
    let glyph = errors(&diags, "print-glyph");
    assert_eq!(glyph.len(), 1, "{glyph:#?}");
    let d = &glyph[0];
    assert_eq!((d.file.clone(), d.line), (file_of("leaflet"), HEAD + 4));
    for c in GURMUKHI.chars().filter(|c| !c.is_whitespace()) {
        assert!(
            d.message.contains(&format!("U+{:04X}", c as u32)),
            "{c:?} not named: {d:#?}"
        );
    }
    let help = d.help.as_deref().unwrap_or("");
    assert!(
        help.contains("themes/default/fonts/") && help.contains(".ttf"),
        "{help}"
    );

    // The binary: `check` fails (exit 1) where `build` would.
    let out = dir.run("check", &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("guidelines/tables/leaflet.md:{}:", HEAD + 4))
            && stdout.contains("error[print-glyph]"),
        "{stdout}"
    );
    assert!(stdout.ends_with("1 error(s), 0 warning(s)\n"), "{stdout}");
}

/// A font with Gurmukhi that the machine has (Debian's fonts-lohit-guru, installed by
/// scripts/system-deps.sh).
const GURMUKHI_FONT: &str = "/usr/share/fonts/truetype/lohit-punjabi/Lohit-Gurmukhi.ttf";

#[test]
fn a_font_in_the_themes_fonts_folder_supplies_missing_characters() {
    let dir = gurmukhi_book();
    let fonts = dir.root().join("themes/default/fonts");
    std::fs::create_dir_all(&fonts).expect("mkdir");
    let font = std::fs::read(GURMUKHI_FONT)
        .unwrap_or_else(|e| panic!("{GURMUKHI_FONT}: {e} (run scripts/system-deps.sh)"));
    std::fs::write(fonts.join("Lohit-Gurmukhi.ttf"), font).expect("copy font");
    let diags = dir.check();
    assert!(diags.is_empty(), "{diags:#?}");
    let built = dir.build().unwrap_or_else(|e| panic!("build: {e:?}"));
    let pdf = write_pdf(&built, &dir.root());
    assert!(tool("pdffonts", &[], &pdf).contains("Lohit-Gurmukhi"));
    let text = tool("pdftotext", &[], &pdf);
    assert!(text.contains("Punjabi:"), "{text}");
    let words: Vec<&str> = GURMUKHI.split_whitespace().collect();
    assert!(words.iter().any(|w| text.contains(w)), "{text}");
}

#[test]
fn check_runs_the_print_checks_as_build_does() {
    let (table, _) = band_table(3, 30);
    let dir = book(&[("wide".into(), format!("\nTable:\n\n{table}"))]);
    let from_check = errors(&dir.check(), "print-overflow");
    let from_build = match dir.build() {
        Err(BuildError::Problems(d)) => errors(&d, "print-overflow"),
        other => panic!("the build should fail: {other:?}"),
    };
    assert_eq!(from_check.len(), 1, "{from_check:#?}");
    assert_eq!(from_check, from_build);
}

fn nested_list(levels: usize) -> String {
    (0..levels)
        .map(|i| format!("{}- step {}\n", "  ".repeat(i), i + 1))
        .collect()
}

#[test]
fn deep_nesting_is_one_warning_and_what_typst_cannot_set_one_error() {
    let dir = book(&[
        ("eight".into(), format!("\nSteps:\n\n{}", nested_list(8))),
        ("deep".into(), format!("\nSteps:\n\n{}", nested_list(400))),
    ]);
    let diags = dir.check();
    let nesting: Vec<&Diagnostic> = diags.iter().filter(|d| d.rule == "deep-nesting").collect();
    let at: Vec<(PathBuf, usize, Severity)> = nesting
        .iter()
        .map(|d| (d.file.clone(), d.line, d.severity))
        .collect();
    assert_eq!(
        at,
        [
            (file_of("deep"), HEAD + 10, Severity::Warning),
            (file_of("eight"), HEAD + 10, Severity::Warning),
        ],
        "{nesting:#?}"
    );
    assert!(nesting[0].message.contains("400 levels"));
    let per_file = |f: &Path| {
        diags
            .iter()
            .filter(|d| d.severity == Severity::Error && d.file == f)
            .count()
    };
    // Typst's parser gives up on a list 400 levels deep, at hundreds of places: one error.
    assert_eq!(per_file(&file_of("deep")), 1, "{diags:#?}");
    let typst = diags
        .iter()
        .find(|d| d.rule == "print" && d.file == file_of("deep"))
        .expect("the typst error");
    assert!(
        typst
            .help
            .as_deref()
            .is_some_and(|h| h.contains("deep-nesting")),
        "{typst:#?}"
    );
    assert_eq!(per_file(&file_of("eight")), 0, "{diags:#?}");
}

#[test]
fn text_running_into_the_margin_is_an_error_though_it_stays_on_the_paper() {
    // About 500 pt of one word on a 473 pt wide text area: into the margin, not off the paper.
    let word = "x".repeat(95);
    let (table, _) = band_table(6, 16);
    let rates: String = table
        .lines()
        .filter(|l| !l.starts_with("| Maintenance"))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = book(&[
        ("word".into(), format!("\nA code: {word}\n")),
        ("rates".into(), format!("\nRates:\n\n{rates}")),
    ]);
    let over = errors(&dir.check(), "print-overflow");
    let at: Vec<(PathBuf, usize)> = over.iter().map(|d| (d.file.clone(), d.line)).collect();
    // Fifteen doses with units in a row do not fit a landscape page at 7 pt: their cells stay
    // whole, but the table would run into the margin.
    assert_eq!(
        at,
        [(file_of("rates"), HEAD + 4), (file_of("word"), HEAD + 2)],
        "{over:#?}"
    );
}

#[test]
fn sixteen_weight_bands_of_rates_print_whole_with_their_units() {
    // The table that used to break "12.5 mL/hour" inside its unit.
    let rates: Vec<String> = (0..15).map(|b| format!("{}.5 mL/hour", 12 + b)).collect();
    let head: String = (0..15).map(|b| format!(" {} kg |", 3 + 2 * b)).collect();
    let row: String = rates.iter().map(|r| format!(" {r} |")).collect();
    let table = format!(
        "| Weight |{head}\n| --- |{}\n| Rate |{row}\n",
        " ---: |".repeat(15)
    );
    let dir = book(&[("rates".into(), format!("\nRates:\n\n{table}"))]);
    let built = dir.build().unwrap_or_else(|e| panic!("build: {e:?}"));
    let pdf = write_pdf(&built, &dir.root());
    let text = tool("pdftotext", &["-layout"], &pdf);
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for r in &rates {
        assert!(
            joined.contains(&format!(" {r} ")),
            "{r:?} not whole in {text}"
        );
    }
}
