//! The theme's colours. `palette.css` holds them once, as custom properties in a `:root` block;
//! the other stylesheets only say `var(--wb-…)`. A book re-colours its site with a `palette.css`
//! of its own in `themes/<theme>/` that holds only the colours it changes.
//!
//! What goes into the site: `style.css` opens with the merged `:root` block, and every
//! declaration that uses a colour is written twice, first with the colour itself, so that
//! browsers without custom properties (Internet Explorer 11 on old ward PCs) keep every colour,
//! focus indicators included.

use std::collections::BTreeMap;

/// The theme file that holds the palette.
pub const FILE: &str = "palette.css";

/// Custom property name (`--wb-blue`) → value (`#005eb8`), from the `:root` blocks of `css`.
pub fn parse(css: &str) -> BTreeMap<String, String> {
    let css = strip_comments(css);
    let mut out = BTreeMap::new();
    let mut rest = css.as_str();
    while let Some(at) = rest.find(":root") {
        let after = &rest[at..];
        let (Some(open), Some(close)) = (after.find('{'), after.find('}')) else {
            break;
        };
        if open < close {
            for decl in after[open + 1..close].split(';') {
                if let Some((name, value)) = decl.split_once(':')
                    && name.trim().starts_with("--")
                {
                    out.insert(name.trim().to_string(), value.trim().to_string());
                }
            }
        }
        rest = &after[close + 1..];
    }
    out
}

/// The palette as a `:root` block, in name order.
pub fn root_block(palette: &BTreeMap<String, String>) -> String {
    let mut out = String::from(":root {\n");
    for (name, value) in palette {
        out.push_str(&format!("  {name}: {value};\n"));
    }
    out.push_str("}\n");
    out
}

/// `css` with each declaration that uses `var(--…)` preceded by the same declaration with the
/// palette's values in place of the variables (left as written when the palette lacks one).
pub fn with_fallbacks(css: &str, palette: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(css.len() * 5 / 4);
    let mut done = 0;
    let mut search = 0;
    while let Some(found) = css[search..].find("var(--") {
        let at = search + found;
        let start = css[..at].rfind(['{', ';']).map_or(0, |i| i + 1).max(done);
        let end = css[at..].find([';', '}']).map_or(css.len(), |i| at + i);
        let decl = &css[start..end];
        let resolved = resolve(decl, palette);
        out.push_str(&css[done..start]);
        let lead = &decl[..decl.len() - decl.trim_start().len()];
        out.push_str(lead);
        if resolved != decl {
            out.push_str(resolved.trim());
            out.push_str("; ");
        }
        out.push_str(decl.trim_start());
        done = end;
        search = end;
    }
    out.push_str(&css[done..]);
    out
}

/// `decl` with every `var(--name)` or `var(--name, fallback)` replaced by its palette value.
fn resolve(decl: &str, palette: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(decl.len());
    let mut rest = decl;
    while let Some(at) = rest.find("var(") {
        let Some(close) = rest[at..].find(')') else {
            break;
        };
        let inner = &rest[at + 4..at + close];
        let name = inner.split(',').next().unwrap_or_default().trim();
        match palette.get(name) {
            Some(value) => {
                out.push_str(&rest[..at]);
                out.push_str(value);
            }
            None => return decl.to_string(),
        }
        rest = &rest[at + close + 1..];
    }
    out.push_str(rest);
    out
}

fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(open) = rest.find("/*") {
        out.push_str(&rest[..open]);
        rest = rest[open..]
            .find("*/")
            .map_or("", |e| &rest[open + e + 2..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_book_palette_changes_only_its_own_colours() {
        let mut p = parse(":root { --wb-blue: #005eb8; /* a; b */ --wb-text: #212b32; }");
        p.extend(parse("/* ours */ :root { --wb-blue: #00a499; }"));
        assert_eq!(p["--wb-blue"], "#00a499");
        assert_eq!(p["--wb-text"], "#212b32");
        assert_eq!(
            root_block(&p),
            ":root {\n  --wb-blue: #00a499;\n  --wb-text: #212b32;\n}\n"
        );
    }

    #[test]
    fn declarations_with_colours_get_a_literal_first() {
        let p = parse(":root { --wb-blue: #005eb8; --wb-white: #fff; }");
        let css = "a { color: var(--wb-blue); }\nb { margin: 0; border: 1px solid var(--wb-blue); background: var(--wb-white) }\nc { color: var(--wb-x) }";
        assert_eq!(
            with_fallbacks(css, &p),
            "a { color: #005eb8; color: var(--wb-blue); }\nb { margin: 0; border: 1px solid #005eb8; border: 1px solid var(--wb-blue); background: #fff; background: var(--wb-white) }\nc { color: var(--wb-x) }"
        );
    }
}
