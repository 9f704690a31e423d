//! Templates and theme assets: the defaults are built into the binary (`templates/`,
//! `themes/default/`), and a book overrides any file by putting one of the same name in its own
//! `templates/` or `themes/<theme>/` folder. Loaded once per build into a [`Theme`].

pub mod palette;

use crate::config::Config;
use crate::diag::Diagnostic;
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::Path;

static DEFAULT_TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Extensions of theme files that are copied into the site under `assets/`.
const WEB_ASSETS: &[&str] = &["css", "js", "svg", "png", "ico", "woff2"];

/// The templates and theme files of one build (defaults overlaid with the book's own).
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`base.html`) → text.
    pub templates: BTreeMap<String, String>,
    /// Theme file path (`style.css`, `fonts/x.ttf`, `synonyms.toml`) → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Template names the book overrides, with their book-relative paths (for diagnostics).
    pub overridden: BTreeMap<String, String>,
}

impl Theme {
    /// A theme file's bytes.
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(Vec::as_slice)
    }

    /// Theme files that belong in the site (`assets/<name>`).
    pub fn web_assets(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.files.iter().filter(|(name, _)| {
            Path::new(name.as_str())
                .extension()
                .is_some_and(|e| WEB_ASSETS.iter().any(|w| e == *w))
        })
    }

    /// A tera instance with every template, or a diagnostic naming the broken template.
    pub fn tera(&self) -> Result<tera::Tera, Diagnostic> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        // Tera's default escaper also turns `/` into `&#x2F;`, bloating every relative link.
        tera.set_escape_fn(crate::highlight::escape);
        // Text a page prints in its page margins (`@page` boxes take CSS strings only).
        tera.register_filter(
            "css_string",
            |v: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
                let s = tera::try_get_value!("css_string", "value", String, v);
                Ok(tera::Value::String(css_string(&s)))
            },
        );
        tera.add_raw_templates(self.templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| {
                let message = error_chain(&e);
                let file = self
                    .templates
                    .keys()
                    .find(|name| message.contains(&format!("'{name}'")))
                    .map_or_else(
                        || "templates".to_string(),
                        |name| format!("templates/{name}"),
                    );
                Diagnostic::error(file, 0, 0, "template", message)
                    .with_help("fix the template syntax (tera / Jinja2)")
            })?;
        Ok(tera)
    }
}

/// A tera error with its causes (tera puts the useful part in the source chain).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        cur = s.source();
    }
    msg
}

/// The built-in defaults overlaid with the book's `templates/` and `themes/<theme>/` files.
pub fn load(config: &Config) -> anyhow::Result<Theme> {
    let mut theme = Theme::default();
    collect(&DEFAULT_TEMPLATES, &mut |p, b| {
        theme
            .templates
            .insert(p.to_string(), String::from_utf8_lossy(b).into_owned());
    });
    collect(&DEFAULT_THEME, &mut |p, b| {
        theme.files.insert(p.to_string(), b.to_vec());
    });
    let tdir = config.root.join("templates");
    for (name, bytes) in read_tree(&tdir)? {
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("template {name} is not UTF-8"))?;
        if theme.templates.get(&name) != Some(&text) {
            theme
                .overridden
                .insert(name.clone(), format!("templates/{name}"));
        }
        theme.templates.insert(name, text);
    }
    let theme_dir = config.root.join("themes").join(&config.theme);
    let mut book_palette = None;
    if config.theme != "default" && !theme_dir.is_dir() {
        anyhow::bail!(
            "theme folder {} does not exist ([build] theme = \"{}\")",
            theme_dir.display(),
            config.theme
        );
    }
    for (name, bytes) in read_tree(&theme_dir)? {
        if name == palette::FILE {
            book_palette = Some(String::from_utf8_lossy(&bytes).into_owned());
        } else {
            theme.files.insert(name, bytes);
        }
    }
    apply_palette(&mut theme, book_palette.as_deref());
    Ok(theme)
}

/// Writes the palette into the stylesheets (see [`palette`]): the default colours with the
/// book's own over them.
fn apply_palette(theme: &mut Theme, book_palette: Option<&str>) {
    let default = theme
        .files
        .remove(palette::FILE)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let mut colours = palette::parse(&default);
    colours.extend(palette::parse(book_palette.unwrap_or_default()));
    for (name, bytes) in theme.files.iter_mut() {
        if !name.ends_with(".css") {
            continue;
        }
        let css = String::from_utf8_lossy(bytes);
        let mut out = palette::with_fallbacks(&css, &colours);
        // A stylesheet of the book's own that names no colour variable stays as written.
        if name == "style.css" && css.contains("var(--") {
            out = format!("{}{out}", palette::root_block(&colours));
        }
        *bytes = out.into_bytes();
    }
}

fn collect(dir: &Dir<'_>, f: &mut dyn FnMut(&str, &[u8])) {
    for file in dir.files() {
        f(
            &file.path().to_string_lossy().replace('\\', "/"),
            file.contents(),
        );
    }
    for sub in dir.dirs() {
        collect(sub, f);
    }
}

/// Every file under `dir` (which may be absent) as (relative `/` path, bytes), sorted.
pub fn read_tree(dir: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?;
        if entry.file_type().is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(entry.path())
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", entry.path().display()))?;
            out.push((rel, bytes));
        }
    }
    Ok(out)
}

/// `s` as a quoted CSS string that is safe inside an HTML `<style>` element: quotes,
/// backslashes, line breaks and `<` written as CSS escapes.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' | '\n' | '\r' | '\u{c}' => {
                out.push_str(&format!("\\{:x} ", u32::from(c)));
            }
            c if c.is_control() => out.push_str(&format!("\\{:x} ", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn css_strings_cannot_leave_the_string_or_the_style_element() {
        assert_eq!(super::css_string("SUPERSEDED: 1.0"), "\"SUPERSEDED: 1.0\"");
        assert_eq!(
            super::css_string("a\"b\\c</style>\n"),
            "\"a\\22 b\\5c c\\3c /style\\3e \\a \""
        );
    }
}
