//! The front matter of a local section file (a file in an adaptation's `guidelines/` at the
//! path of a network guideline): which sections it replaces (`sections: [id, …]`, or
//! `sections: whole`), the network version it was approved against, by whom and when. Read
//! through the content module's YAML reader, validated here with a diagnostic at each key.

use crate::content::frontmatter::{self, Scalar};
use crate::diag::{Diagnostic, line_col};
use jiff::civil::Date;
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    sections: Option<RawSections>,
    approved_against: Option<Scalar>,
    approved_by: Option<String>,
    approved_date: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSections {
    Ids(Vec<String>),
    Word(String),
}

/// The keys a local section file has.
pub const KEYS: &[&str] = &[
    "sections",
    "approved_against",
    "approved_by",
    "approved_date",
];

/// What a local section file replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replaces {
    /// The whole guideline's text (`sections: whole`).
    Whole,
    /// These sections, by heading id, each with its line and column in the file.
    Sections(Vec<(String, usize, usize)>),
}

/// A local section file's validated front matter and where its body starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFront {
    /// What it replaces.
    pub replaces: Replaces,
    /// The network guideline's version the local text was approved against.
    pub approved_against: String,
    /// Line of `approved_against` in the file (for the stale warning).
    pub approved_against_line: usize,
    /// Who approved the local text.
    pub approved_by: String,
    /// When.
    pub approved_date: Date,
    /// Byte offset of the body in the file.
    pub body_start: usize,
    /// 1-based line of the body.
    pub body_line: usize,
}

/// Reads the front matter of the local section file `file` (book-relative) from `text`.
pub fn read(file: &Path, text: &str) -> Result<LocalFront, Vec<Diagnostic>> {
    let err = |line, col, msg: String, help: &str| {
        Diagnostic::error(file, line, col, "local-front-matter", msg)
            .with_help(help)
            .with_source(text, 1)
    };
    let Some(split) = frontmatter::split(text) else {
        return Err(vec![err(
            1,
            1,
            "a local section file starts with front matter".into(),
            "start it with `---`, sections, approved_against, approved_by, approved_date, `---`",
        )]);
    };
    let raw: Raw = frontmatter::parse_as(split.yaml).map_err(|e| {
        let help = match crate::diag::did_you_mean(unknown(&e.message), KEYS.iter().copied()) {
            Some(h) => h,
            None => format!("the keys of a local section file: {}", KEYS.join(", ")),
        };
        vec![err(split.yaml_line + e.line - 1, e.col, e.message, &help)]
    })?;
    let at = |key: &str| -> (usize, usize) {
        let pos = split.yaml.find(&format!("{key}:")).unwrap_or(0);
        let (l, c) = line_col(split.yaml, pos);
        (split.yaml_line + l - 1, c)
    };
    let mut diags = Vec::new();
    let mut need = |key: &str, v: Option<String>| -> String {
        match v.filter(|s| !s.trim().is_empty()) {
            Some(v) => v,
            None => {
                diags.push(err(
                    1,
                    1,
                    format!("the local section file does not say its {key}"),
                    "a local section file says sections, approved_against, approved_by and approved_date",
                ));
                String::new()
            }
        }
    };
    let approved_against = need(
        "approved_against",
        raw.approved_against.map(Scalar::into_string),
    );
    let approved_by = need("approved_by", raw.approved_by);
    let date_text = need("approved_date", raw.approved_date);
    let replaces = replaces(raw.sections, split.yaml, split.yaml_line, &mut diags, &err);
    let approved_date = crate::content::parse_date(&date_text);
    if approved_date.is_none() && !date_text.is_empty() {
        let (l, c) = at("approved_date");
        diags.push(err(
            l,
            c,
            format!("approved_date {date_text:?} is not a date"),
            "write it as YYYY-MM-DD",
        ));
    }
    match approved_date {
        Some(approved_date) if diags.is_empty() => Ok(LocalFront {
            replaces,
            approved_against,
            approved_against_line: at("approved_against").0,
            approved_by,
            approved_date,
            body_start: text.len() - split.body.len(),
            body_line: split.body_line,
        }),
        _ => Err(diags),
    }
}

/// What `sections:` says is replaced: `whole`, or heading ids with their lines and columns.
fn replaces(
    sections: Option<RawSections>,
    yaml: &str,
    yaml_line: usize,
    diags: &mut Vec<Diagnostic>,
    err: &dyn Fn(usize, usize, String, &str) -> Diagnostic,
) -> Replaces {
    let at = |needle: &str| {
        let (l, c) = line_col(yaml, yaml.find(needle).unwrap_or(0));
        (yaml_line + l - 1, c)
    };
    match sections {
        None => {
            diags.push(err(
                1,
                1,
                "the local section file does not say its sections".into(),
                "write sections: [heading-id, …] for named sections, or sections: whole",
            ));
            Replaces::Whole
        }
        Some(RawSections::Word(w)) if w == "whole" => Replaces::Whole,
        Some(RawSections::Word(w)) => {
            let (l, c) = at("sections:");
            diags.push(err(
                l,
                c,
                format!("sections: {w} is neither a list of heading ids nor `whole`"),
                "write sections: [heading-id, …] or sections: whole",
            ));
            Replaces::Whole
        }
        Some(RawSections::Ids(ids)) => Replaces::Sections(
            ids.into_iter()
                .map(|id| {
                    let (l, c) = at(id.as_str());
                    (id, l, c)
                })
                .collect(),
        ),
    }
}

/// The key serde_yaml names in "unknown field `x`, expected …".
fn unknown(message: &str) -> &str {
    message
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
        .unwrap_or("")
}
