//! Local adaptations (the fixture `adapt-basic`: a network book with two trusts, Alpha and
//! Beta): local values, local sections, whole replacements, local-only and omitted guidelines,
//! each marked in words with the trust's name on every surface; the variance report; stale
//! approvals; bad ids and values with did-you-mean; one `check` across all books; the build
//! flags (`serve --adaptation` is in the serve tests).

use crate::harness::*;
use wardbook::diag::{Diagnostic, Severity};

const ALPHA: &str = "Alpha Hospitals NHS Trust";
const BETA: &str = "Beta NHS Trust";

fn book() -> BookTest {
    BookTest::from_fixture("adapt-basic")
}

/// The visible text of an HTML page (tags dropped, entities decoded, spaces collapsed).
fn words(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace("&quot;", "\"");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn by_rule<'a>(d: &'a [Diagnostic], rule: &str) -> Vec<&'a Diagnostic> {
    d.iter().filter(|d| d.rule == rule).collect()
}

#[test]
fn build_makes_the_network_at_the_root_and_each_adaptation_in_its_folder() {
    let built = book().built();
    for path in [
        "index.html",
        "resp/asthma.html",
        "alpha/index.html",
        "alpha/resp/asthma.html",
        "alpha/variations.html",
        "alpha/variations.csv",
        "alpha/search.html",
        "alpha/reviews.html",
        "beta/index.html",
        "beta/variations.html",
    ] {
        assert!(built.output.files.contains_key(path), "{path} is built");
    }
    assert!(
        !built.output.files.contains_key("variations.html"),
        "the network has no variance report"
    );
    assert!(
        !built.output.files.contains_key("resp/alpha-clinic.html"),
        "local-only pages stay local"
    );
}

#[test]
fn local_values_show_the_network_text_or_the_trusts_marked_as_local() {
    let built = book().built();
    let network = words(&built.page("resp/asthma.html"));
    assert!(
        network.contains("Call the registrar through your hospital switchboard."),
        "{network}"
    );
    assert!(!network.contains("{{local:"), "no value is left unset");
    let beta = words(&built.page("beta/resp/wheeze.html"));
    assert!(!beta.contains("(local:"), "Beta sets no value: {beta}");
    let alpha = words(&built.page("alpha/resp/asthma.html"));
    assert!(
        alpha.contains(&format!("Alpha switchboard 0100 000 0000 (local: {ALPHA})")),
        "{alpha}"
    );
    assert!(
        alpha.contains("the regional retrieval service within 1 hour"),
        "unset value: network text"
    );
}

#[test]
fn a_local_section_replaces_the_network_section_marked_where_it_starts_and_ends() {
    let built = book().built();
    let page = built.page("alpha/resp/asthma.html");
    let text = words(&page);
    assert!(
        text.contains(&format!("Acute asthma (local variation, {ALPHA})")),
        "{text}"
    );
    assert!(
        text.contains(&format!("This page has local text from {ALPHA}")),
        "{text}"
    );
    let start = text
        .find(&format!(
            "Local text, {ALPHA}: this section is {ALPHA}'s own"
        ))
        .expect("opening words");
    let local = text
        .find("Alpha pathway: call the Alpha registrar")
        .expect("local text");
    let end = text
        .find(&format!("End of local text, {ALPHA}."))
        .expect("closing words");
    assert!(start < local && local < end);
    assert!(
        text.contains(
            "approved by Alpha governance group on 2026-11-02, against network version 2.0"
        )
    );
    assert!(
        !text.contains("Call the registrar through"),
        "the network's section is replaced"
    );
    assert!(
        text.contains("Oxygen saturation below 92% is severe."),
        "other sections are the network's"
    );
    assert!(
        page.contains("id=\"escalation\""),
        "the heading id is kept, so links to it still work"
    );
}

#[test]
fn a_whole_replacement_says_so_and_keeps_none_of_the_network_text() {
    let text = words(&book().built().page("beta/resp/asthma.html"));
    assert!(
        text.contains(&format!("Acute asthma (local text, {BETA})")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "Local text, {BETA}: this whole guideline is {BETA}'s own"
        )),
        "{text}"
    );
    assert!(text.contains("Beta's whole local asthma text."));
    assert!(!text.contains("Oxygen saturation below 92%"), "{text}");
}

#[test]
fn a_local_only_guideline_is_marked_in_lists_search_and_print() {
    let built = book().built();
    let title = format!("Alpha asthma nurse clinic (local guideline, {ALPHA})");
    let page = words(&built.page("alpha/resp/alpha-clinic.html"));
    assert!(page.contains(&title), "{page}");
    assert!(page.contains(&format!(
        "Local guideline, {ALPHA}: this guideline is {ALPHA}'s own"
    )));
    assert!(words(&built.page("alpha/a-z.html")).contains(&title));
    assert!(words(&built.page("alpha/resp/index.html")).contains(&title));
    assert!(words(&built.page("alpha/print.html")).contains(&title));
    let terms = built.page("alpha/search/terms.js");
    assert!(terms.contains(&title), "search results show the mark");
    assert!(
        words(&built.page("alpha/networks/alpha.html")).contains(&title),
        "owned by the trust"
    );
}

#[test]
fn print_html_marks_local_sections() {
    let built = book().built();
    let print = words(&built.page("alpha/print.html"));
    assert!(
        print.contains(&format!("Local adaptation for {ALPHA}")),
        "the banner"
    );
    assert!(
        print.contains(&format!("Local text, {ALPHA}: this section")),
        "{print}"
    );
}

#[test]
fn an_omitted_guideline_is_a_notice_and_links_to_it_warn_with_the_reason() {
    let mut t = book();
    let built = t.built();
    let notice = words(&built.page("beta/resp/croup.html"));
    assert!(notice.contains(&format!("Not used at {BETA}")), "{notice}");
    assert!(notice.contains("Beta has no children's ward: children with croup go to Alpha."));
    assert!(!notice.contains("Give oxygen"), "{notice}");
    assert!(
        !words(&built.page("beta/a-z.html")).contains("Croup"),
        "not listed"
    );
    assert!(
        !words(&built.page("beta/print.html")).contains("Give oxygen"),
        "not printed"
    );
    let links = by_rule(&built.warnings, "link-to-omitted");
    assert_eq!(links.len(), 1, "{links:?}");
    let d = links[0];
    assert_eq!(
        (d.file.to_str(), d.line),
        (Some("guidelines/resp/wheeze.md"), 10)
    );
    assert!(
        d.message
            .contains("in the local adaptation beta (Beta NHS Trust)"),
        "{}",
        d.message
    );
    assert!(
        d.message.contains("Beta has no children's ward"),
        "{}",
        d.message
    );
    let _ = t.scratch();
}

#[test]
fn every_page_of_an_adaptation_says_whose_it_is_and_the_network_says_nothing() {
    let built = book().built();
    for path in [
        "alpha/index.html",
        "alpha/resp/croup.html",
        "alpha/search.html",
    ] {
        let page = built.page(path);
        assert!(
            page.contains(&format!("<strong>Local adaptation for {ALPHA}</strong>")),
            "{path}"
        );
    }
    assert!(!built.page("index.html").contains("Local adaptation"));
}

#[test]
fn the_variance_report_shows_values_texts_and_omissions_with_a_redline() {
    let built = book().built();
    let alpha = built.page("alpha/variations.html");
    let w = words(&alpha);
    assert!(w.contains("Hospital switchboard {{local:switchboard}} your hospital switchboard Alpha switchboard 0100 000 0000"), "{w}");
    assert!(w.contains("not set: the network text is shown"));
    assert!(w.contains("Approved by Alpha governance group"));
    assert!(w.contains("Approved against network version 2.0"));
    assert!(w.contains("In step with the network version."));
    assert!(
        alpha.contains("<del><span class=\"visually-hidden\">[network only: </span>Call<span"),
        "{alpha}"
    );
    assert!(
        alpha.contains(
            "<ins><span class=\"visually-hidden\">[local only: </span>Alpha pathway: call<span"
        ),
        "{alpha}"
    );
    let beta = words(&built.page("beta/variations.html"));
    assert!(
        beta.contains("Croup : Beta has no children's ward"),
        "{beta}"
    );
    assert!(beta.contains("The whole guideline replaced by local text"));
    let csv = built.page("alpha/variations.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "kind,guideline,section,file,network_text,local_text,approved_by,approved_date,approved_against,network_version,standing"
        )
    );
    assert!(csv.contains("value,,switchboard,adaptations/alpha/adaptation.toml,your hospital switchboard,Alpha switchboard 0100 000 0000,,,,,set"), "{csv}");
    assert!(
        csv.contains(
            "sections,Acute asthma,escalation,adaptations/alpha/guidelines/resp/asthma.md,"
        ),
        "{csv}"
    );
}

#[test]
fn a_network_version_past_the_approval_is_a_stale_warning() {
    let mut t = book();
    let text = std::fs::read_to_string(t.root().join("guidelines/resp/asthma.md")).expect("read");
    t.write(
        "guidelines/resp/asthma.md",
        text.replace("version: \"2.0\"", "version: \"2.1\""),
    );
    let built = t.built();
    let stale = by_rule(&built.warnings, "local-variation-stale");
    assert_eq!(
        stale.len(),
        2,
        "Alpha's sections and Beta's whole text: {stale:?}"
    );
    assert!(stale.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(
        stale[0].file.to_str(),
        Some("adaptations/alpha/guidelines/resp/asthma.md")
    );
    assert_eq!(stale[0].line, 3, "at approved_against");
    assert!(
        stale[0]
            .message
            .contains("approved against network version 2.0, and the network's is now version 2.1"),
        "{}",
        stale[0].message
    );
    let report = words(&built.page("alpha/variations.html"));
    assert!(report.contains("Out of step."), "{report}");
}

#[test]
fn problems_in_local_text_are_reported_at_their_own_file_and_line() {
    let mut t = book();
    t.write(
        "adaptations/alpha/guidelines/resp/asthma.md",
        "---\nsections: [escalation]\napproved_against: \"2.0\"\napproved_by: \"A\"\napproved_date: 2026-11-02\n---\n## Escalation\n\nGive 5.0 mg of the drug.\n",
    );
    let d = t.problems();
    let tz = by_rule(&d, "trailing-zero");
    assert_eq!(tz.len(), 1, "{d:?}");
    assert_eq!(
        tz[0].file.to_str(),
        Some("adaptations/alpha/guidelines/resp/asthma.md")
    );
    assert_eq!(tz[0].line, 9);
    assert_eq!(
        tz[0].source_line.as_deref(),
        Some("Give 5.0 mg of the drug.")
    );
}

#[test]
fn a_broken_network_guideline_is_reported_once_not_again_through_its_local_section() {
    // The network guideline's front matter breaks; the trust's local section file at its path
    // is still a local section, not a local-only guideline with a front matter of its own.
    let mut t = book();
    let path = t.root().join("guidelines/resp/asthma.md");
    let text = std::fs::read_to_string(&path).expect("network asthma");
    t.write(
        "guidelines/resp/asthma.md",
        text.replacen("review_date:", "review_date: 2027-01-01\nreview_date:", 1),
    );
    let d = t.problems();
    let errors: Vec<_> = d.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(
        errors
            .iter()
            .any(|d| d.file.to_str() == Some("guidelines/resp/asthma.md")
                && d.rule == "front-matter"),
        "{errors:?}"
    );
    // A link to the broken guideline says so, as in the network book; nothing else is blamed
    // on the trust's files.
    let local: Vec<_> = errors
        .iter()
        .filter(|d| d.file.starts_with("adaptations"))
        .filter(|d| !(d.rule == "broken-link" && d.message.contains("has errors of its own")))
        .collect();
    assert!(local.is_empty(), "{local:?}");
}

#[test]
fn unknown_values_settings_sections_and_paths_are_errors_with_did_you_mean() {
    let mut t = book();
    t.write(
        "guidelines/resp/wheeze.md",
        std::fs::read_to_string(t.root().join("guidelines/resp/wheeze.md"))
            .expect("read")
            .replace(
                "Network wheeze treatment text.",
                "Call {{local:swichboard}}.",
            ),
    );
    t.write(
        "adaptations/alpha/adaptation.toml",
        "[values]\nswitchbord = \"x\"\n",
    );
    t.write(
        "adaptations/beta/adaptation.toml",
        "[[omit]]\npath = \"resp/crop.md\"\nreason = \"r\"\n",
    );
    let text =
        std::fs::read_to_string(t.root().join("adaptations/alpha/guidelines/resp/asthma.md"))
            .expect("read");
    t.write(
        "adaptations/alpha/guidelines/resp/asthma.md",
        text.replace("[escalation]", "[escalaton]"),
    );
    let d = t.problems();
    let help = |file: &str, rule: &str| {
        d.iter()
            .find(|d| d.file.to_str() == Some(file) && d.rule == rule)
            .unwrap_or_else(|| panic!("{file} {rule}: {d:?}"))
            .help
            .clone()
    };
    assert_eq!(
        help("guidelines/resp/wheeze.md", "unknown-local-value").as_deref(),
        Some("did you mean switchboard?")
    );
    assert_eq!(
        help("adaptations/alpha/adaptation.toml", "unknown-local-value").as_deref(),
        Some("did you mean switchboard?")
    );
    assert_eq!(
        help("adaptations/beta/adaptation.toml", "adaptation-config").as_deref(),
        Some("did you mean resp/croup.md?")
    );
    assert_eq!(
        help(
            "adaptations/alpha/guidelines/resp/asthma.md",
            "unknown-local-section"
        )
        .as_deref(),
        Some("did you mean escalation?")
    );
    let unknown_value = d
        .iter()
        .filter(|d| {
            d.rule == "unknown-local-value" && d.file.to_str() == Some("guidelines/resp/wheeze.md")
        })
        .count();
    assert_eq!(unknown_value, 1, "reported once, not once per book: {d:?}");
}

#[test]
fn check_runs_every_book_and_names_the_adaptation() {
    let mut t = book();
    // Beta uses croup after all, and replaces asthma whole: croup's link to asthma's
    // #escalation breaks in Beta's book only.
    t.write("adaptations/beta/adaptation.toml", "");
    let o = t.run("check", &[]);
    let out = text_of(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("guidelines/resp/croup.md:10:45:"), "{out}");
    assert!(out.contains("error[broken-anchor]: in the local adaptation beta (Beta NHS Trust): guidelines/resp/asthma.md has no heading with the id #escalation"), "{out}");
    assert!(!out.contains("in the local adaptation alpha"), "{out}");
}

fn text_of(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn build_flags_choose_the_books() {
    let mut t = book();
    let dest = t.dest();
    let d = dest.to_str().expect("utf-8");
    let o = t.run(
        "build",
        &["--dest", d, "--no-pdf", "--quiet", "--adaptation", "alpha"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o.stderr));
    assert!(
        dest.join("variations.html").is_file(),
        "the adaptation alone, at the root"
    );
    assert!(!dest.join("alpha").exists());
    let o = t.run(
        "build",
        &["--dest", d, "--no-pdf", "--quiet", "--network-only"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text_of(&o.stderr));
    assert!(!dest.join("variations.html").exists() && !dest.join("alpha").exists());
    let o = t.run(
        "build",
        &["--dest", d, "--no-pdf", "--quiet", "--adaptation", "alpah"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text_of(&o.stderr)
            .contains("there is no local adaptation \"alpah\" in book.toml (did you mean alpha?)"),
        "{}",
        text_of(&o.stderr)
    );
}

#[test]
fn an_adaptation_slug_cannot_take_a_folder_of_the_network_site() {
    let mut t = book();
    let toml = std::fs::read_to_string(t.root().join("book.toml")).expect("read");
    t.write(
        "book.toml",
        toml.replace("slug = \"beta\"", "slug = \"resp\""),
    );
    let d = t.problems();
    assert!(
        d.iter().any(|d| d
            .message
            .contains("[[adaptations]] slug \"resp\" is also a folder of the network site")),
        "{d:?}"
    );
}

#[test]
fn a_changed_number_in_the_replaced_network_text_makes_the_stale_approval_an_error() {
    use crate::git::git_at;
    let mut t = book();
    let root = t.scratch();
    let toml = std::fs::read_to_string(root.join("book.toml")).expect("read");
    t.write("book.toml", format!("{toml}\n[history]\n"));
    git_at(&root, "2026-10-01", &["init", "-q"]);
    git_at(&root, "2026-10-01", &["add", "."]);
    git_at(&root, "2026-10-01", &["commit", "-q", "-m", "edition"]);
    let asthma = root.join("guidelines/resp/asthma.md");
    let text = std::fs::read_to_string(&asthma).expect("read");
    // Version 2.1 changes a number outside Alpha's local section, and one inside it.
    let text = text
        .replace("version: \"2.0\"", "version: \"2.1\"")
        .replace("below 92% is severe", "below 94% is severe");
    t.write("guidelines/resp/asthma.md", &text);
    git_at(&root, "2026-11-10", &["commit", "-q", "-am", "2.1"]);
    let stale_of = |d: &[Diagnostic], slug: &str| -> Diagnostic {
        d.iter()
            .find(|d| {
                d.rule == "local-variation-stale"
                    && d.file.starts_with(format!("adaptations/{slug}"))
            })
            .cloned()
            .unwrap_or_else(|| panic!("{slug} is stale: {d:?}"))
    };
    let d = t.problems();
    let alpha = stale_of(&d, "alpha");
    assert_eq!(alpha.severity, Severity::Warning, "{alpha:?}");
    assert!(
        alpha
            .message
            .ends_with("no number in the replaced network text changed"),
        "{}",
        alpha.message
    );
    let beta = stale_of(&d, "beta");
    assert_eq!(
        beta.severity,
        Severity::Error,
        "Beta replaced the whole text: {beta:?}"
    );
    assert!(
        beta.message
            .ends_with("numbers in the replaced network text changed: 92% → 94%"),
        "{}",
        beta.message
    );
    t.write(
        "guidelines/resp/asthma.md",
        text.replace("within 1 hour", "within 30 minutes"),
    );
    git_at(&root, "2026-11-12", &["commit", "-q", "-am", "2.1 again"]);
    let alpha = stale_of(&t.problems(), "alpha");
    assert_eq!(alpha.severity, Severity::Error, "{alpha:?}");
    assert!(
        alpha
            .message
            .ends_with("numbers in the replaced network text changed: 1 hour → 30 minutes"),
        "{}",
        alpha.message
    );
}

#[cfg(feature = "pdf")]
#[test]
fn the_printed_book_of_an_adaptation_marks_local_text_and_says_whose_it_is() {
    let built = book().pdf(true).built();
    let pdf = |path: &str| {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("book.pdf");
        std::fs::write(&file, built.bytes(path)).expect("write pdf");
        let text = poppler("pdftotext", &[file.to_str().expect("path"), "-"]);
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let alpha = pdf("alpha/adaptation-test-book-2026-27.pdf");
    assert!(
        alpha.contains(&format!("Local adaptation for {ALPHA}")),
        "the cover: {alpha}"
    );
    assert!(
        alpha.contains(&format!(
            "Local text, {ALPHA}: this section is {ALPHA}'s own"
        )),
        "{alpha}"
    );
    assert!(alpha.contains(&format!("End of local text, {ALPHA}.")));
    assert!(
        alpha.contains(&format!("(local: {ALPHA})")),
        "a local value"
    );
    assert!(
        alpha.contains(&format!("(local guideline, {ALPHA})")),
        "a local-only title"
    );
    let network = pdf("adaptation-test-book-2026-27.pdf");
    assert!(!network.contains("Local adaptation for") && !network.contains("Local text,"));
}
