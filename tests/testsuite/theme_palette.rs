//! The theme's colours live once, in `palette.css`: a book re-colours its site with a
//! `themes/<theme>/palette.css` holding only the colours it changes, and every declaration that
//! uses a colour keeps a literal value first for browsers without custom properties.

use std::path::Path;
use wardbook::BuildOptions;

fn style_css(root: &Path) -> String {
    let opts = BuildOptions {
        as_of: "2026-11-21".parse().expect("date"),
        drafts: false,
        pdf: false,
        history: true,
    };
    let built = wardbook::build(root, &opts).expect("the book builds");
    String::from_utf8(
        built
            .output
            .get("assets/style.css")
            .expect("style.css")
            .to_vec(),
    )
    .expect("utf-8")
}

#[test]
fn a_book_recolours_its_theme_with_a_palette_of_its_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("book.toml"), dir.path().join("book.toml")).expect("book.toml");
    let g = dir.path().join("guidelines/respiratory");
    std::fs::create_dir_all(&g).expect("guidelines");
    std::fs::write(
        g.join("wheeze.md"),
        "---\ntitle: Wheeze\nsection: respiratory\nnetwork: resp-network\nreview_date: 2099-01-01\n---\nText.\n",
    )
    .expect("guideline");
    let default = style_css(dir.path());
    let theme = dir.path().join("themes/default");
    std::fs::create_dir_all(&theme).expect("theme");
    std::fs::write(theme.join("palette.css"), ":root { --wb-blue: #00a499; }\n").expect("palette");
    let ours = style_css(dir.path());

    assert!(default.contains("--wb-blue: #005eb8;") && ours.contains("--wb-blue: #00a499;"));
    assert!(
        ours.contains("--wb-text: #212b32;"),
        "colours the book leaves alone stay"
    );
    assert!(
        ours.contains("background: #00a499; background: var(--wb-blue);"),
        "the literal fallback follows the book's colour"
    );
    assert!(!ours.contains("#005eb8"), "the old blue is gone everywhere");
}

#[test]
fn every_colour_declaration_has_a_literal_fallback_first() {
    let css = style_css(Path::new(env!("CARGO_MANIFEST_DIR")));
    let body = &css[css.find("}\n").expect("the :root block") + 2..];
    for decl in body.split([';', '{', '}']).filter(|d| d.contains("var(--")) {
        let prop = decl.trim().split(':').next().expect("a property");
        let before = &body[..body.find(decl).expect("declaration")];
        let literal = before.rsplit([';', '{']).nth(1).unwrap_or_default();
        assert!(
            literal.trim().starts_with(&format!("{prop}:")) && !literal.contains("var("),
            "{decl:?} has no literal {prop} before it"
        );
    }
}
