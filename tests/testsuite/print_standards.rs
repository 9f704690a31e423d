//! The printed book as an accessible, archival document, checked by outside validators: the
//! sample book's PDF and a book holding every kind of block (tables, nested and task lists,
//! images, a decorative image, callouts, code, footnotes, links, the changes chapter) pass
//! `page-validation` (profiles `ua1` and `2a`) and `pdfua` with no failure; without PDF/A the
//! archival check fails while PDF/UA still passes (the checkers can fail); and Typst's known
//! problems with tagged export are watched: tagging adds no pages (it did around links in Typst
//! 0.15.1) and every link annotation has text.
//!
//! The validators are PyPI packages in a virtualenv that scripts/pdf-tools.sh makes (the suite's
//! set-up, scripts/test.sh, runs it and sets `WARDBOOK_PDF_VENV`); without it a test fails.

use crate::git::GitRepo;
use crate::harness::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use wardbook::render::print::{Export, build_pdf_as};

/// The virtualenv holding the validators.
pub fn venv() -> PathBuf {
    let dir = std::env::var_os("WARDBOOK_PDF_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home = std::env::var_os("HOME").expect("HOME");
            PathBuf::from(home).join(".cache/wardbook/pdf-venv")
        });
    assert!(
        dir.join("bin/python").exists(),
        "no PDF validators at {} (run scripts/pdf-tools.sh)",
        dir.display()
    );
    dir
}

/// Runs scripts/pdf-check.py on `pdf` with `profiles`: (passed, its report).
fn validate(pdf: &Path, profiles: &str) -> (bool, String) {
    let out = Command::new(venv().join("bin/python"))
        .arg(repo().join("scripts/pdf-check.py"))
        .args(["--profiles", profiles])
        .arg(pdf)
        .output()
        .expect("run pdf-check.py");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), report)
}

/// `bytes` written as `name` in `dir`.
fn write_pdf(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

/// The every-block book in a git repository: `other.md` at version 1.0 in the earlier edition
/// (tag `edition-1`), then the fixture as it is, so the book has a changes chapter.
fn blocks_book(dir: &Path) -> PathBuf {
    let root = dir.join("book");
    let repo = GitRepo::init(&root);
    copy_dir(&fixture("print-blocks"), &root);
    let other = std::fs::read_to_string(root.join("guidelines/resp/other.md")).expect("other.md");
    repo.write(
        "guidelines/resp/other.md",
        other
            .replace("version: \"2.0\"", "version: \"1.0\"")
            .replace("4 hours", "2 hours"),
    );
    std::fs::remove_file(root.join("guidelines/resp/blocks.md")).expect("rm");
    repo.commit("2025-01-10", "edition 1");
    repo.tag("edition-1");
    copy_dir(&fixture("print-blocks"), &root);
    repo.commit("2026-01-10", "edition 2");
    root
}

/// The PDF of the book at `root`, built with `build`.
fn pdf_of(root: &Path) -> Vec<u8> {
    let built = expect_built(wardbook::build(root, &options(false, true)));
    let config = wardbook::config::load(root).expect("config");
    built
        .output
        .get(&config.print.filename)
        .expect("the PDF is built")
        .to_vec()
}

#[test]
fn sample_book_pdf_passes_pdf_ua_and_pdf_a_validators() {
    let tmp = tempfile::tempdir().expect("tmp");
    let pdf = write_pdf(tmp.path(), "sample.pdf", &pdf_of(&repo()));
    let (ok, report) = validate(&pdf, "ua1,2a");
    assert!(ok, "{report}");
    assert!(report.contains(": 0 failures"), "{report}");
}

#[test]
fn every_kind_of_block_passes_pdf_ua_and_pdf_a_validators() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = blocks_book(tmp.path());
    let bytes = pdf_of(&root);
    let pdf = write_pdf(tmp.path(), "blocks.pdf", &bytes);
    let text = poppler("pdftotext", &[pdf.to_str().expect("path"), "-"]);
    for part in [
        "Changes in this edition",
        "a point under that",
        "A footnote from a table cell.",
        "observe every 15 minutes",
        "Stop and call for help.",
    ] {
        assert!(text.contains(part), "{part} not printed:\n{text}");
    }
    let (ok, report) = validate(&pdf, "ua1,2a");
    assert!(ok, "{report}");
}

#[test]
fn without_pdf_a_the_archival_check_fails_and_pdf_ua_still_passes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = blocks_book(tmp.path());
    let toml = std::fs::read_to_string(root.join("book.toml")).expect("book.toml");
    std::fs::write(
        root.join("book.toml"),
        format!("{toml}\n[print]\npdf_a = false\n"),
    )
    .expect("write");
    let pdf = write_pdf(tmp.path(), "ua-only.pdf", &pdf_of(&root));
    let (ok, report) = validate(&pdf, "ua1");
    assert!(ok, "{report}");
    let (ok, report) = validate(&pdf, "2a");
    assert!(
        !ok,
        "a PDF without PDF/A identification passed PDF/A-2a:\n{report}"
    );
}

/// Pages of a PDF, by pdfinfo.
fn page_count(pdf: &Path) -> usize {
    let info = poppler("pdfinfo", &[pdf.to_str().expect("path")]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the pages")
}

#[test]
fn tagging_adds_no_pages_and_every_link_has_text() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = blocks_book(tmp.path());
    let (book, diags) = load_book(&root, false);
    assert!(diags.is_empty(), "{}", render_text(&diags));
    let rendered = render_guidelines(&book);
    let theme = wardbook::theme::load(&book.config).expect("theme");
    // Without the changes chapter (history is read only by a whole build): the links are in the
    // guidelines.
    let export = |how| build_pdf_as(&book, None, &rendered, &theme, how).expect("exports");
    let tagged = write_pdf(tmp.path(), "tagged.pdf", &export(Export::Standards));
    let untagged = write_pdf(tmp.path(), "untagged.pdf", &export(Export::Untagged));
    assert_eq!(page_count(&tagged), page_count(&untagged));
    // pdfua's UA-18 rules: every link and other annotation has an alternate description.
    let (ok, report) = validate(&tagged, "");
    assert!(ok, "{report}");
    let links = Command::new(venv().join("bin/python"))
        .args([
            "-c",
            "import sys, pikepdf\n\
             pdf = pikepdf.open(sys.argv[1])\n\
             n = 0\n\
             for page in pdf.pages:\n\
             \x20   for a in page.obj.get('/Annots', []):\n\
             \x20       if a.get('/Subtype') == '/Link':\n\
             \x20           n += 1\n\
             \x20           assert str(a.get('/Contents', '')).strip(), a\n\
             print(n)",
        ])
        .arg(&tagged)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&links.stdout);
    assert!(
        links.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&links.stderr)
    );
    let count: usize = stdout.trim().parse().expect("a count");
    assert!(count >= 3, "the book has links: {count}");
}

/// A one-guideline book whose body is `body`, with the fixture's test image beside it.
fn image_book(body: &str) -> BookTest {
    BookTest::empty()
        .file("book.toml", ONE_GUIDELINE_CONFIG)
        .file(
            "guidelines/img/dot.png",
            std::fs::read(fixture("print-blocks/guidelines/img/dot.png")).expect("png"),
        )
        .file(
            "guidelines/resp/g.md",
            format!(
                "---\ntitle: G\nsection: resp\nnetwork: n\nreview_date: 2030-01-01\n---\n\n{body}\n"
            ),
        )
        .pdf(true)
}

#[test]
fn an_image_without_alt_text_is_an_error_at_its_line_for_site_and_book() {
    let t = image_book("Text.\n\n![](../img/dot.png)\n\nMore ![ ](../img/dot.png \"a title\").");
    for diags in [t.check(), t.problems()] {
        let alt: Vec<_> = diags.iter().filter(|d| d.rule == "image-alt").collect();
        let at: Vec<_> = alt.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(at, [(10, 1), (12, 6)], "{}", render_text(&diags));
        assert!(
            alt[0]
                .help
                .as_deref()
                .is_some_and(|h| h.contains("decorative"))
        );
        // The lint stops it before Typst: no second report from the printed book.
        assert!(
            diags.iter().all(|d| d.rule == "image-alt"),
            "{}",
            render_text(&diags)
        );
    }
    let t = image_book("![Dot](../img/dot.png \"decorative\")");
    let diags = t.check();
    assert_eq!(diags.len(), 1, "{}", render_text(&diags));
    assert!(
        diags[0]
            .message
            .contains("marked decorative but has alt text")
    );
}

#[test]
fn a_decorative_image_has_empty_alt_on_the_site_and_is_an_artifact_in_the_pdf() {
    let t = image_book("A mark: ![](../img/dot.png \"decorative\") and ![A dot](../img/dot.png).");
    let built = t.built();
    let page = text(built.output.get("resp/g.html").expect("page"));
    assert!(
        page.contains("<img src=\"../media/img/dot.png\" alt=\"\" />"),
        "{page}"
    );
    assert!(page.contains("alt=\"A dot\""), "{page}");
    assert!(!page.contains("title=\"decorative\""), "{page}");
    let (book, _) = load_book(&t.root(), false);
    let markup = print_markup(&book, 0);
    assert!(markup.contains("#box(pdf.artifact(image("), "{markup}");
    assert!(markup.contains("alt: \"A dot\""), "{markup}");
}
