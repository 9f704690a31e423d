//! print.html of a book too large for one page: one page per section (a large section in
//! parts), print.html their contents, every guideline printed once, every link between
//! guidelines leading to the page the other is printed on; a small book keeps one page.

use crate::harness::*;
use std::collections::{BTreeMap, BTreeSet};

/// The sample book with `[print] html_page_mb = mb`, built in memory: its print pages by name.
fn print_pages(mb: &str) -> BTreeMap<String, String> {
    let mut book = BookTest::sample();
    let toml = std::fs::read_to_string(book.root().join("book.toml")).expect("book.toml");
    book.write(
        "book.toml",
        format!("{toml}\n[print]\nhtml_page_mb = {mb}\n"),
    );
    book.built()
        .files_where(|p| p == "print.html" || p.starts_with("print-"))
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8(b).expect("utf-8")))
        .collect()
}

/// The values of `attr="…"` in `html`.
fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    html.split(&format!(" {attr}=\""))
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect()
}

#[test]
fn a_large_book_prints_one_page_per_section_and_print_html_lists_them() {
    let whole = print_pages("20");
    assert_eq!(
        whole.keys().collect::<Vec<_>>(),
        ["print.html"],
        "a small book is one page"
    );
    // 0.03 MB: small sections on a page of their own, larger ones in parts.
    let pages = print_pages("0.03");
    let contents = &pages["print.html"];
    assert!(pages.len() > 3, "{:?}", pages.keys());
    assert!(
        !contents.contains("class=\"guideline-body\""),
        "no guideline on the contents page"
    );
    let listed: BTreeSet<&str> = attrs(contents, "href")
        .into_iter()
        .filter(|h| h.starts_with("print-"))
        .collect();
    let parts: BTreeSet<&str> = pages
        .keys()
        .map(String::as_str)
        .filter(|p| *p != "print.html")
        .collect();
    assert_eq!(listed, parts, "print.html links every page of the book");
    assert!(
        parts.iter().any(|p| p.ends_with("-2.html")),
        "a section in parts: {parts:?}"
    );
    // Every guideline of the one page is printed once, on one of the pages, with the same body
    // apart from its links.
    let articles = |html: &str| -> Vec<String> {
        html.split("<article class=\"print-guideline\" id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next().map(str::to_string))
            .collect()
    };
    let mut printed: Vec<String> = parts.iter().flat_map(|p| articles(&pages[*p])).collect();
    printed.sort();
    let mut want = articles(&whole["print.html"]);
    want.sort();
    assert_eq!(printed, want);
    // Every page's ids are unique, and every link to an element lands on one, on that page or
    // the page it names.
    let ids: BTreeMap<&str, BTreeSet<&str>> = pages
        .iter()
        .map(|(p, html)| (p.as_str(), attrs(html, "id").into_iter().collect()))
        .collect();
    let mut across = 0;
    for (p, html) in &pages {
        assert_eq!(
            attrs(html, "id").len(),
            ids[p.as_str()].len(),
            "duplicate ids in {p}"
        );
        for href in attrs(html, "href") {
            let Some((file, id)) = href.split_once('#') else {
                continue;
            };
            let file = if file.is_empty() { p.as_str() } else { file };
            if !file.starts_with("print") {
                continue;
            }
            across += usize::from(file != p);
            let target = ids
                .get(file)
                .unwrap_or_else(|| panic!("{p} links to {file}, not built"));
            assert!(
                target.contains(id),
                "{p} links to {file}#{id}, which is not there"
            );
        }
        assert!(html.contains("Uncontrolled when printed"), "{p}");
    }
    assert!(
        across > 0,
        "some guideline links to one printed on another page"
    );
}

#[test]
fn html_page_mb_must_be_a_size() {
    let book = BookTest::sample();
    let toml = std::fs::read_to_string(book.root().join("book.toml")).expect("book.toml");
    let mut book = book;
    book.write("book.toml", format!("{toml}\n[print]\nhtml_page_mb = -1\n"));
    let problems = book.problems();
    let text = render_text(&problems);
    assert!(
        text.contains("html_page_mb must be a number of megabytes"),
        "{text}"
    );
    assert!(text.contains("book.toml:"), "{text}");
}
