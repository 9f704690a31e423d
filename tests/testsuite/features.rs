//! The Cargo features `pdf` and `serve` as a user meets them: what `check`, `build` and `serve`
//! do and say with and without them. The suite runs this file twice, with the default features
//! and with `--no-default-features` (scripts/test.sh), and each test asserts what its build
//! must do: a slim binary never leaves out a check or the PDF silently.

use crate::harness::*;
use std::process::Output;

/// The phrase every "skipped because the binary was built without it" message carries.
const PRINT_SKIPPED: &str = "printed book's checks (typesetting the PDF) were skipped";
const NO_PDF: &str = "no printed book (PDF): this wardbook was built without the `pdf` feature";

/// `check` of the sample book (the repository root) in `format`.
fn check_sample(format: &str) -> Output {
    BookTest::at(sample_root()).run("check", &["--format", format])
}

#[test]
fn check_says_once_on_stderr_whether_the_print_checks_ran() {
    for format in ["text", "json", "github"] {
        let out = check_sample(format);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{format}: {stdout}{stderr}");
        let said = stderr.matches(PRINT_SKIPPED).count();
        assert_eq!(
            said,
            usize::from(!wardbook::features::PDF),
            "{format}: {stderr}"
        );
        // The report on stdout stays machine-readable: the note is never in it.
        assert!(!stdout.contains(PRINT_SKIPPED), "{format}: {stdout}");
        if format == "json" {
            serde_json::from_str::<serde_json::Value>(&stdout).expect("stdout is JSON");
        }
        if format == "github" && !wardbook::features::PDF {
            assert!(
                stderr.starts_with("::notice title=Printed book not checked::The printed"),
                "a workflow notice, shown on the run: {stderr}"
            );
        }
    }
}

#[test]
fn github_notice_is_one_well_formed_workflow_command() {
    let notice = wardbook::features::pdf_skipped_check(wardbook::diag::Format::Github);
    let (head, message) = notice
        .split_once("::The")
        .expect("`::` ends the properties");
    assert_eq!(head, "::notice title=Printed book not checked");
    // Data may not hold a line break or a bare `%`; the title no `:` or `,`.
    assert!(!message.contains(['\n', '\r', '%']), "{message}");
    assert!(message.contains("built without the `pdf` feature"));
    assert!(
        message.contains("--no-default-features"),
        "says how to get a full build"
    );
}

/// `build` of `book` on the command line into its `site/` folder, with `extra` arguments.
fn build(book: &mut BookTest, extra: &[&str]) -> Output {
    let dest = book.dest();
    let mut args = vec!["--dest", dest.to_str().expect("utf-8")];
    args.extend_from_slice(extra);
    book.run("build", &args)
}

#[test]
fn build_makes_the_pdf_or_says_why_not_and_links_none() {
    let mut book = BookTest::from_fixture("lint-clean");
    let out = build(&mut book, &[]);
    let dest = book.dest();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let config = book.config();
    let pdf = dest.join(&config.print.filename);
    let index = std::fs::read_to_string(dest.join("index.html")).expect("index.html");
    let links_pdf = index.contains(&format!("href=\"{}\"", config.print.filename));
    assert_eq!(pdf.is_file(), wardbook::features::PDF, "PDF made");
    assert_eq!(links_pdf, wardbook::features::PDF, "index links the PDF");
    assert_eq!(
        stderr.matches(NO_PDF).count(),
        usize::from(!wardbook::features::PDF),
        "{stderr}"
    );
    // The site itself does not depend on the feature.
    assert!(dest.join("print.html").is_file());
    assert!(dest.join("a-z.html").is_file());
}

#[test]
fn build_with_no_pdf_says_nothing_about_the_feature() {
    let mut book = BookTest::from_fixture("lint-clean");
    let out = build(&mut book, &["--no-pdf"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("`pdf` feature"), "{stderr}");
}

#[test]
fn library_build_asked_for_a_pdf_makes_one_only_with_the_feature() {
    let book = BookTest::from_fixture("lint-clean").pdf(true);
    let built = book.built();
    let config = book.config();
    let has_pdf = built.output.files.contains_key(&config.print.filename);
    assert_eq!(has_pdf, wardbook::features::PDF);
}

#[cfg(not(feature = "serve"))]
#[test]
fn serve_without_the_feature_explains_how_to_get_it() {
    let out = wardbook(&[
        "serve",
        sample_root().to_str().expect("utf-8"),
        "--port",
        "0",
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("built without the `serve` feature"),
        "{stderr}"
    );
    assert!(stderr.contains("--no-default-features"), "{stderr}");
    assert!(stderr.contains("wardbook build"), "{stderr}");
}

#[cfg(feature = "serve")]
#[test]
fn serve_with_the_feature_is_not_refused() {
    // A bad address stops serve before it listens: the full binary gets that far.
    let out = wardbook(&["serve", "--bind", "not-an-address"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is not an IP address"), "{stderr}");
    assert!(!stderr.contains("`serve` feature"), "{stderr}");
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_docs_quote_the_linted_example_workflow_verbatim() {
    // scripts/lint-ci.sh lints docs/examples/*.yml; the guide must show exactly that file.
    let example = read("docs/examples/check-guidelines.yml");
    let guide = read("docs/working-groups.md");
    assert!(
        guide.contains(&format!("```yaml\n{example}```\n")),
        "docs/working-groups.md does not quote docs/examples/check-guidelines.yml verbatim"
    );
    assert!(
        read("README.md").contains("(docs/working-groups.md)"),
        "README links the guide"
    );
}

#[test]
fn the_docs_list_every_input_of_the_action_and_the_action_passes_each_on() {
    let action = read("action.yml");
    let guide = read("docs/working-groups.md");
    let inputs = action
        .split("\ninputs:\n")
        .nth(1)
        .and_then(|rest| rest.split("\nruns:\n").next())
        .expect("action.yml has inputs: then runs:");
    let names: Vec<&str> = inputs
        .lines()
        .filter_map(|l| l.strip_prefix("  ")?.strip_suffix(':'))
        .filter(|n| !n.starts_with(' '))
        .collect();
    assert_eq!(names, ["book", "as-of", "deny-warnings", "version"]);
    for name in names {
        assert!(
            guide.contains(&format!("| `{name}` |")),
            "guide lists {name}"
        );
        let env = format!("${{{{ inputs.{name} }}}}");
        assert!(
            action.contains(&env),
            "action.yml passes {name} to its script"
        );
    }
}
