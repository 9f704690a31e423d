//! Local adaptations: one network book, an adaptation of it for each member hospital (trust).
//!
//! `book.toml` lists them (`[[adaptations]]`) and declares the local values they may set
//! (`[local.values]`). Each adaptation's material is in `adaptations/<slug>/`: its
//! `adaptation.toml` (`[values]`, `omit`) and its `guidelines/` overlay, where a file at a
//! network guideline's path replaces named sections of it (or the whole text) and a file at
//! any other path is a local-only guideline. This module reads that material ([`load`]) and
//! derives from the network [`Book`] an ordinary `Book` per adaptation ([`apply`]) in which
//! every local value, section and guideline is marked as local, in words, with the trust's
//! name; what the adaptation adds beyond the model (the variations for the variance report,
//! where each line of composed text came from) travels beside it as [`Applied`]. The content
//! model knows nothing of adaptations: the renderers see a book like any other.

pub mod apply;
pub mod front;
pub mod sections;
pub mod stale;
pub mod values;

pub use apply::{Applied, Variation, VariationKind, apply, network_values};

use crate::config::{AdaptationDef, Config};
use crate::diag::{Diagnostic, did_you_mean, line_col};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folder holding every adaptation's material, in the book folder.
pub const DIR: &str = "adaptations";
/// Each adaptation's own settings file.
pub const TOML: &str = "adaptation.toml";

/// Which books a build makes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Select {
    /// The network book at the root and every adaptation at `<slug>/` (the default).
    #[default]
    All,
    /// The network book alone (`--network-only`).
    NetworkOnly,
    /// One adaptation alone, as the whole site (`--adaptation SLUG`).
    One(String),
}

/// One adaptation's material as read from `adaptations/<slug>/`.
#[derive(Debug, Clone)]
pub struct Adaptation {
    /// Its `[[adaptations]]` entry.
    pub def: AdaptationDef,
    /// Book-relative path of its adaptation.toml.
    pub toml_path: PathBuf,
    /// The local values it sets, by name.
    pub values: BTreeMap<String, String>,
    /// The network guidelines it does not use.
    pub omit: Vec<Omission>,
    /// The files of its `guidelines/` overlay: path relative to the overlay folder (as the
    /// network guideline's is to the guidelines folder) and the file's text.
    pub overlay: Vec<(PathBuf, std::sync::Arc<str>)>,
}

/// A network guideline an adaptation does not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Omission {
    /// Book-relative source path of the network guideline.
    pub source: PathBuf,
    /// Why the trust does not use it.
    pub reason: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    values: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
    #[serde(default)]
    omit: Vec<RawOmit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOmit {
    path: toml::Spanned<String>,
    reason: String,
}

/// Reads the material of the adaptation `slug` (every one listed when `None`). Problems in an
/// adaptation.toml are diagnostics; an unreadable folder is an `anyhow` error.
pub fn load(
    config: &Config,
    network_sources: &[PathBuf],
    only: Option<&str>,
) -> anyhow::Result<(Vec<Adaptation>, Vec<Diagnostic>)> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for def in &config.adaptations {
        if only.is_some_and(|s| s != def.slug) {
            continue;
        }
        let dir = Path::new(DIR).join(&def.slug);
        let toml_path = dir.join(TOML);
        let abs = config.root.join(&toml_path);
        let raw = if abs.is_file() {
            let text = std::fs::read_to_string(&abs)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", abs.display()))?;
            read_toml(config, &toml_path, &text, network_sources, &mut diags)
        } else {
            Raw::default()
        };
        let overlay = read_overlay(&config.root.join(&dir).join("guidelines"))?;
        out.push(Adaptation {
            def: def.clone(),
            toml_path,
            values: raw
                .values
                .into_iter()
                .map(|(k, v)| (k.into_inner(), v.into_inner()))
                .collect(),
            omit: raw
                .omit
                .into_iter()
                .map(|o| Omission {
                    source: source_path(config, o.path.get_ref()),
                    reason: o.reason,
                })
                .collect(),
            overlay,
        });
    }
    Ok((out, diags))
}

/// The book-relative source path of a path written relative to the guidelines folder.
fn source_path(config: &Config, rel: &str) -> PathBuf {
    let abs = config.source.join(rel);
    crate::content::relative_path(config, &abs)
}

/// Every `.md` file of an overlay folder with its text (none when there is no folder).
fn read_overlay(dir: &Path) -> anyhow::Result<Vec<(PathBuf, std::sync::Arc<str>)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for abs in crate::content::find_sources(dir)? {
        let rel = abs.strip_prefix(dir).unwrap_or(&abs);
        let rel = PathBuf::from(rel.to_string_lossy().replace('\\', "/"));
        let text = std::fs::read_to_string(&abs)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", abs.display()))?;
        out.push((rel, text.into()));
    }
    Ok(out)
}

/// An adaptation.toml parsed and checked: known keys, declared values on one line, omitted
/// paths that are network guidelines, with a reason.
fn read_toml(
    config: &Config,
    file: &Path,
    text: &str,
    network_sources: &[PathBuf],
    diags: &mut Vec<Diagnostic>,
) -> Raw {
    let at = |span| span_at(text, span);
    let raw: Raw = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let (l, c, w) = e.span().map_or((0, 0, 1), at);
            let mut d = Diagnostic::error(file, l, c, "adaptation-config", e.message().trim())
                .with_source(text, w);
            if let Some(field) = e.message().strip_prefix("unknown field `") {
                let field = field.split('`').next().unwrap_or("");
                let help = did_you_mean(field, ["values", "omit", "path", "reason"])
                    .unwrap_or_else(|| "an adaptation.toml has [values] and omit".into());
                d = d.with_help(help);
            }
            diags.push(d);
            return Raw::default();
        }
    };
    check_values(config, file, text, &raw, diags);
    check_omissions(config, file, text, &raw, network_sources, diags);
    raw
}

/// Where a span of `text` is: line, column and width in characters.
fn span_at(text: &str, span: std::ops::Range<usize>) -> (usize, usize, usize) {
    let (l, c) = line_col(text, span.start);
    (l, c, text.get(span).map_or(1, |s| s.chars().count()))
}

/// Every value set is declared, and one line of text.
fn check_values(config: &Config, file: &Path, text: &str, raw: &Raw, diags: &mut Vec<Diagnostic>) {
    let at = |span| span_at(text, span);
    for (name, value) in &raw.values {
        let (l, c, w) = at(name.span());
        if !config.local_values.contains_key(name.get_ref()) {
            let names = config.local_values.keys().map(String::as_str);
            let help = did_you_mean(name.get_ref(), names).unwrap_or_else(|| {
                "declare it in book.toml's [local.values] first, or remove it".into()
            });
            diags.push(
                Diagnostic::error(
                    file,
                    l,
                    c,
                    "unknown-local-value",
                    format!(
                        "the local value {} is not declared in [local.values] of book.toml",
                        name.get_ref()
                    ),
                )
                .with_help(help)
                .with_source(text, w),
            );
        }
        if value.get_ref().contains('\n') || value.get_ref().trim().is_empty() {
            let (l, c, w) = at(value.span());
            diags.push(
                Diagnostic::error(
                    file,
                    l,
                    c,
                    "adaptation-config",
                    format!(
                        "the local value {} must be one line of text",
                        name.get_ref()
                    ),
                )
                .with_source(text, w),
            );
        }
    }
}

/// Every omitted path is a network guideline, and says why it is omitted.
fn check_omissions(
    config: &Config,
    file: &Path,
    text: &str,
    raw: &Raw,
    network_sources: &[PathBuf],
    diags: &mut Vec<Diagnostic>,
) {
    let at = |span| span_at(text, span);
    for o in &raw.omit {
        let source = source_path(config, o.path.get_ref());
        let (l, c, w) = at(o.path.span());
        if !network_sources.contains(&source) {
            let rels: Vec<String> = network_sources
                .iter()
                .map(|s| relative_to_source(config, s))
                .collect();
            let help = did_you_mean(o.path.get_ref(), rels.iter().map(String::as_str))
                .unwrap_or_else(|| "give the path as in the guidelines folder".into());
            diags.push(
                Diagnostic::error(
                    file,
                    l,
                    c,
                    "adaptation-config",
                    format!(
                        "omit: {} is not a guideline of the network book",
                        o.path.get_ref()
                    ),
                )
                .with_help(help)
                .with_source(text, w),
            );
        }
        if o.reason.trim().is_empty() {
            diags.push(
                Diagnostic::error(
                    file,
                    l,
                    c,
                    "adaptation-config",
                    format!("omit: {} gives no reason", o.path.get_ref()),
                )
                .with_help("say why the trust does not use it: readers following a link see it")
                .with_source(text, w),
            );
        }
    }
}

/// A book-relative source path as relative to the guidelines folder (`respiratory/croup.md`).
pub fn relative_to_source(config: &Config, source: &Path) -> String {
    let abs = config.root.join(source);
    abs.strip_prefix(&config.source)
        .unwrap_or(source)
        .to_string_lossy()
        .replace('\\', "/")
}
