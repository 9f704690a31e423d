//! Every copy knows its date and points home: the new `[book]` keys (`base_url`, `valid_until`,
//! `stale_after_days`) and `[[networks]] contact`, read and checked; each page embeds its
//! publish date and valid-until day (the earlier of review date and edition end); a guideline's
//! "Report a problem" link carries its title, version, edition and address; a network without a
//! contact is a `check` warning; every printed page of the book says book, edition, guideline
//! and version, published, valid until, "Uncontrolled when printed" and the address; and the QR
//! codes, decoded from a rendering of the PDF page (pdftoppm + zxing-cpp), give the live page and
//! the site.

use crate::harness::*;

const CONFIG: &str = "[book]\ntitle = \"Copies Book\"\nedition = \"2026-27\"\n\
base_url = \"https://guidelines.example.org/paeds\"\nvalid_until = 2027-03-31\n\
[[sections]]\nslug = \"resp\"\ntitle = \"Respiratory\"\n\
[[networks]]\nslug = \"mail\"\nname = \"Mail Network\"\ncontact = \"mailto:team@example.org\"\n\
[[networks]]\nslug = \"web\"\nname = \"Web Network\"\ncontact = \"https://example.org/report?form=1\"\n";

fn guideline(title: &str, network: &str, review: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nsection: resp\nnetwork: {network}\nreview_date: {review}\n\
         version: \"2.1\"\n---\n\n## Treatment\n\nObserve for 4 hours.\n"
    )
}

fn book() -> BookTest {
    BookTest::empty()
        .file("book.toml", CONFIG)
        .file(
            "guidelines/croup.md",
            guideline("Croup & cough", "mail", "2028-01-31"),
        )
        .file(
            "guidelines/asthma.md",
            guideline("Asthma", "web", "2027-01-15"),
        )
}

/// Percent-decoding of a URL part.
fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The `href` of the report link on a page.
fn report_href(page: &str) -> String {
    let at = page
        .find("class=\"report-problem\"")
        .expect("a report link");
    let rest = &page[at..];
    let start = rest.find("href=\"").expect("href") + 6;
    let end = rest[start..].find('"').expect("end");
    rest[start..start + end].replace("&amp;", "&")
}

#[test]
fn each_page_embeds_its_dates_and_a_guideline_is_valid_until_the_earlier_day() {
    let built = book().built();
    let croup = text(built.output.get("resp/croup.html").expect("croup"));
    assert!(croup.contains("data-published=\"2026-11-21\""), "{croup}");
    // The edition ends before the review date.
    assert!(croup.contains("data-valid-until=\"2027-03-31\""));
    assert!(
        croup.contains("data-current=\"https://guidelines.example.org/paeds/resp/croup.html\"")
    );
    // Without JavaScript the page still says when it was published.
    assert!(croup.contains(
        "This copy was published on <time datetime=\"2026-11-21\">21 November 2026</time>"
    ));
    let asthma = text(built.output.get("resp/asthma.html").expect("asthma"));
    // The review date comes first.
    assert!(asthma.contains("data-valid-until=\"2027-01-15\""));
    let home = text(built.output.get("index.html").expect("home"));
    assert!(home.contains("data-valid-until=\"2027-03-31\""));
    assert!(home.contains("data-stale-after-days=\"90\""));
}

#[test]
fn the_report_link_fills_in_title_version_edition_and_address() {
    let built = book().built();
    let croup = text(built.output.get("resp/croup.html").expect("croup"));
    let href = report_href(&croup);
    let (to, query) = href.split_once('?').expect("a query");
    assert_eq!(to, "mailto:team@example.org");
    let fields: Vec<(String, String)> = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), decode(v)))
        .collect();
    assert_eq!(fields[0].0, "subject");
    assert_eq!(
        fields[0].1,
        "Problem with guideline: Croup & cough (version 2.1)"
    );
    assert_eq!(fields[1].0, "body");
    for part in [
        "Guideline: Croup & cough",
        "Version: 2.1",
        "Edition: Copies Book 2026-27",
        "Address: https://guidelines.example.org/paeds/resp/croup.html",
    ] {
        assert!(fields[1].1.contains(part), "{part} in {:?}", fields[1].1);
    }
    // The printed form says where to report, as text.
    assert!(
        croup.contains(
            "Report a problem with this guideline to the Mail Network: team@example.org."
        )
    );
    let asthma = text(built.output.get("resp/asthma.html").expect("asthma"));
    let href = report_href(&asthma);
    assert!(href.starts_with("https://example.org/report?form=1&guideline=Asthma&version=2.1&edition=2026-27&address="), "{href}");
    assert!(
        decode(&href).ends_with("address=https://guidelines.example.org/paeds/resp/asthma.html")
    );
}

#[test]
fn a_network_without_a_contact_is_a_check_warning_at_its_slug() {
    let t = BookTest::empty()
        .file(
            "book.toml",
            CONFIG.replace("contact = \"mailto:team@example.org\"\n", ""),
        )
        .file(
            "guidelines/croup.md",
            guideline("Croup", "mail", "2028-01-31"),
        );
    let diags = t.check();
    assert_eq!(diags.len(), 1, "{}", render_text(&diags));
    let d = &diags[0];
    assert_eq!((d.rule.as_str(), d.line, d.col), ("network-contact", 10, 8));
    assert_eq!(d.severity, wardbook::diag::Severity::Warning);
    // No report link on its pages.
    let page = text(t.built().output.get("resp/croup.html").expect("page"));
    assert!(!page.contains("report-problem"));
}

#[test]
fn bad_addresses_and_dates_in_book_toml_are_errors_at_their_line() {
    for (from, to, line) in [
        (
            "valid_until = 2027-03-31",
            "valid_until = \"2027-03-31\"",
            5,
        ),
        (
            "valid_until = 2027-03-31",
            "valid_until = 2027-03-31T10:00:00",
            5,
        ),
        (
            "https://guidelines.example.org/paeds",
            "guidelines.example.org",
            4,
        ),
        ("mailto:team@example.org", "team@example.org", 12),
    ] {
        let t = BookTest::empty().file("book.toml", CONFIG.replace(from, to));
        let diags = t.check_config_problems();
        assert_eq!(diags.len(), 1, "{to}: {}", render_text(&diags));
        assert_eq!(
            (diags[0].rule.as_str(), diags[0].line),
            ("config", line),
            "{to}"
        );
    }
}

#[cfg(feature = "pdf")]
/// The QR codes zxing-cpp reads in page `page` of `pdf`, rendered at 200 dpi.
fn qr_codes(pdf: &std::path::Path, page: usize) -> Vec<String> {
    let dir = pdf.parent().expect("dir");
    let stem = dir.join(format!("page{page}"));
    let n = page.to_string();
    poppler(
        "pdftoppm",
        &[
            "-r",
            "200",
            "-f",
            &n,
            "-l",
            &n,
            "-singlefile",
            "-png",
            pdf.to_str().expect("p"),
            stem.to_str().expect("s"),
        ],
    );
    let venv = crate::print_standards::venv();
    let out = std::process::Command::new(venv.join("bin/python"))
        .args([
            "-c",
            "import sys, zxingcpp\nfrom PIL import Image\n\
             for r in zxingcpp.read_barcodes(Image.open(sys.argv[1])): print(r.text)",
        ])
        .arg(stem.with_extension("png"))
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[cfg(feature = "pdf")]
#[test]
fn every_printed_page_points_home_and_its_qr_code_decodes_to_the_live_page() {
    let built = book().pdf(true).built();
    let tmp = tempfile::tempdir().expect("tmp");
    let pdf = tmp.path().join("book.pdf");
    std::fs::write(
        &pdf,
        built.output.get("copies-book-2026-27.pdf").expect("pdf"),
    )
    .expect("write");
    let path = pdf.to_str().expect("path");
    let all = poppler("pdftotext", &[path, "-"]);
    let pages: Vec<String> = all
        .split('\u{c}')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    let mut croup_page = None;
    for (i, p) in pages.iter().enumerate() {
        for part in [
            "Copies Book · Edition 2026-27",
            "Published 21 November 2026",
            "Valid until ",
            "Uncontrolled when printed - check guidelines.example.org/paeds/",
        ] {
            assert!(p.contains(part), "page {}: {part} missing: {p}", i + 1);
        }
        if p.contains("Croup & cough, version 2.1") {
            assert!(p.contains("Valid until 31 March 2027"), "{p}");
            assert!(
                p.contains("guidelines.example.org/paeds/resp/croup.html"),
                "{p}"
            );
            croup_page.get_or_insert(i + 1);
        }
    }
    assert!(
        all.contains("Report a problem with this guideline to the Mail Network: team@example.org.")
    );
    let croup_page = croup_page.unwrap_or_else(|| panic!("a page of Croup: {pages:#?}"));
    assert_eq!(
        qr_codes(&pdf, croup_page),
        ["https://guidelines.example.org/paeds/resp/croup.html"]
    );
    // The back matter: the site itself.
    assert_eq!(
        qr_codes(&pdf, pages.len()),
        ["https://guidelines.example.org/paeds/"]
    );
}
