//! An adaptation's variance report: `variations.html` and `variations.csv`, every local value,
//! local section, whole replacement, local-only guideline and omission, the network's text and
//! the local text side by side as a redline, with the approval, the network version it was
//! approved against and whether the network has moved on since. Also the warning at each link
//! to a guideline the adaptation omits. The network book has neither.

use super::{File, Site};
use crate::adapt::{Applied, VariationKind};
use crate::content::Book;
use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use serde::Serialize;
use tera::Context;

/// Rule id of the warning at a link to an omitted guideline.
pub const LINK_TO_OMITTED: &str = "link-to-omitted";

/// A warning at every link from a guideline to one its adaptation omits, with the reason.
pub fn omitted_links(book: &Book, rendered: &[Rendered], diags: &mut Vec<Diagnostic>) {
    let Some(adapted) = &book.config.adapted else {
        return;
    };
    for (g, r) in book.guidelines.iter().zip(rendered) {
        if adapted.omitted.contains_key(&g.source) {
            continue;
        }
        for link in &r.links {
            let target = &book.guidelines[link.target];
            let Some(reason) = adapted.omitted.get(&target.source) else {
                continue;
            };
            diags.push(
                Diagnostic::warning(
                    &g.source,
                    link.line,
                    link.col,
                    LINK_TO_OMITTED,
                    format!(
                        "links to {}, which {} does not use: {reason}",
                        target.source.display(),
                        adapted.def.name
                    ),
                )
                .with_help(format!(
                    "the link leads to a page saying so; to point {} readers elsewhere, replace this section locally",
                    adapted.def.name
                ))
                .with_source(&g.text, 1),
            );
        }
    }
}

/// A stretch of a redline: text both sides have, or one side only.
#[derive(Debug, Serialize)]
struct Piece {
    /// `same`, `removed` (network only) or `added` (local only).
    kind: &'static str,
    text: String,
}

/// One block (paragraph, list item, table row, heading…) that differs, both sides.
#[derive(Debug, Serialize)]
struct RedRow {
    /// Where it is: the block's context labels.
    place: String,
    network: Vec<Piece>,
    local: Vec<Piece>,
}

/// One compared text: the blocks where the network's and the local differ.
#[derive(Debug, Serialize)]
struct Redline {
    /// Heading id for a section; empty for a whole text.
    id: String,
    rows: Vec<RedRow>,
}

/// The redline of `network` against `local`: the change list's comparison
/// ([`crate::compare`]), block by block, with the changed words marked.
fn redline(id: &str, network: &str, local: &str) -> Redline {
    let rows = crate::compare::compare(network, local)
        .blocks
        .iter()
        .map(|b| RedRow {
            place: b.place(),
            network: pieces(b, true),
            local: pieces(b, false),
        })
        .collect();
    Redline {
        id: id.to_string(),
        rows,
    }
}

/// One side of a changed block: its spans, or its whole text marked when it has none.
fn pieces(b: &crate::compare::BlockChange, network: bool) -> Vec<Piece> {
    let (text, mark) = if network {
        (&b.old, "removed")
    } else {
        (&b.new, "added")
    };
    let Some(text) = text else {
        return Vec::new();
    };
    if b.spans.is_empty() {
        return vec![Piece {
            kind: mark,
            text: text.clone(),
        }];
    }
    let mut out: Vec<Piece> = Vec::new();
    for (changed, t) in crate::compare::side(&b.spans, network) {
        let kind = if changed { mark } else { "same" };
        match out.last_mut() {
            Some(p) if p.kind == kind => p.text.push_str(t),
            _ => out.push(Piece {
                kind,
                text: t.to_string(),
            }),
        }
    }
    out
}

#[derive(Debug, Serialize)]
struct VariationView {
    title: String,
    page: String,
    file: String,
    kind: &'static str,
    redlines: Vec<Redline>,
    approved_by: Option<String>,
    approved_date: Option<String>,
    approved_against: Option<String>,
    network_version: Option<String>,
    /// `current`, `stale` or `stale-numbers`.
    standing: &'static str,
    stale_note: Option<String>,
}

fn view(v: &crate::adapt::Variation) -> VariationView {
    let (kind, redlines) = match &v.kind {
        VariationKind::Sections(secs) => (
            "sections",
            secs.iter()
                .map(|s| redline(&s.id, &s.network, &s.local))
                .collect(),
        ),
        VariationKind::Whole { network, local } => ("whole", vec![redline("", network, local)]),
        VariationKind::LocalOnly { local } => ("local-only", vec![redline("", "", local)]),
    };
    let (standing, stale_note) = match &v.stale {
        None => ("current", None),
        Some(s) => {
            let now = s.now.as_deref().unwrap_or("none");
            let note = match &s.numbers {
                Some(n) if !n.is_empty() => format!(
                    "The network is now at version {now}; numbers in the replaced network text changed since version {}: {}.",
                    s.approved_against,
                    n.iter()
                        .map(|(o, n)| format!(
                            "{} → {}",
                            o.as_deref().unwrap_or("(none)"),
                            n.as_deref().unwrap_or("(none)")
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some(_) => format!(
                    "The network is now at version {now}; no number in the replaced network text changed."
                ),
                None => format!(
                    "The network is now at version {now}; its numbers could not be compared with version {}.",
                    s.approved_against
                ),
            };
            let level = if s.numbers_changed() {
                "stale-numbers"
            } else {
                "stale"
            };
            (level, Some(note))
        }
    };
    VariationView {
        title: v.title.clone(),
        page: v.page.clone(),
        file: v.file.to_string_lossy().replace('\\', "/"),
        kind,
        redlines,
        approved_by: v.approval.as_ref().map(|a| a.by.clone()),
        approved_date: v.approval.as_ref().map(|a| a.date.to_string()),
        approved_against: v.approval.as_ref().map(|a| a.against.clone()),
        network_version: v.network_version.clone(),
        standing,
        stale_note,
    }
}

/// `variations.html` and `variations.csv` of an adaptation's book; nothing for the network's.
pub fn build(site: &Site<'_>) -> Result<Vec<File>, Vec<Diagnostic>> {
    let Some(a) = site.adaptation else {
        return Ok(Vec::new());
    };
    let views: Vec<VariationView> = a.variations.iter().map(view).collect();
    let mut ctx = Context::new();
    ctx.insert("page_title", "Local variations");
    ctx.insert("variations", &views);
    ctx.insert("values", &values_view(a));
    ctx.insert("omitted", &omitted_view(a));
    let stale = views.iter().filter(|v| v.standing != "current").count();
    ctx.insert("stale", &stale);
    let html = site
        .page_fresh("variations.html", "variations.html", ctx)
        .map_err(|d| vec![d])?;
    Ok(vec![
        ("variations.html".into(), html.into_bytes()),
        ("variations.csv".into(), csv(a, &views)),
    ])
}

fn values_view(a: &Applied) -> Vec<serde_json::Value> {
    a.values
        .iter()
        .map(|v| {
            serde_json::json!({
                "name": v.name, "help": v.help, "network": v.network, "local": v.local,
            })
        })
        .collect()
}

fn omitted_view(a: &Applied) -> Vec<serde_json::Value> {
    a.omitted
        .iter()
        .map(|o| serde_json::json!({"title": o.title, "page": o.page, "reason": o.reason}))
        .collect()
}

/// The report as CSV (RFC 4180, as `reviews.csv`): one row per value, replaced section, whole or local-only text, omission.
fn csv(a: &Applied, views: &[VariationView]) -> Vec<u8> {
    let header = [
        "kind",
        "guideline",
        "section",
        "file",
        "network_text",
        "local_text",
        "approved_by",
        "approved_date",
        "approved_against",
        "network_version",
        "standing",
    ];
    let mut rows = value_rows(a);
    rows.extend(text_rows(a, views));
    rows.extend(omission_rows(a));
    let mut out = header.join(",");
    out.push_str("\r\n");
    for r in &rows {
        let fields: Vec<String> = r.iter().map(|f| super::reports::text_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// One CSV row: the eleven fields of [`csv`]'s header.
type Row = [String; 11];

fn value_rows(a: &Applied) -> Vec<Row> {
    let file: String = a.toml_path.to_string_lossy().into();
    a.values
        .iter()
        .map(|v| {
            let standing = if v.local.is_some() { "set" } else { "network" };
            let e = String::new;
            [
                "value".into(),
                e(),
                v.name.clone(),
                file.clone(),
                v.network.clone(),
                v.local.clone().unwrap_or_default(),
                e(),
                e(),
                e(),
                e(),
                standing.into(),
            ]
        })
        .collect()
}

fn text_rows(a: &Applied, views: &[VariationView]) -> Vec<Row> {
    let mut rows = Vec::new();
    for (v, view) in a.variations.iter().zip(views) {
        let texts: Vec<(String, String, String)> = match &v.kind {
            VariationKind::Sections(s) => s
                .iter()
                .map(|s| (s.id.clone(), s.network.clone(), s.local.clone()))
                .collect(),
            VariationKind::Whole { network, local } => {
                vec![(String::new(), network.clone(), local.clone())]
            }
            VariationKind::LocalOnly { local } => {
                vec![(String::new(), String::new(), local.clone())]
            }
        };
        for (id, network, local) in texts {
            rows.push([
                view.kind.into(),
                v.title.clone(),
                id,
                view.file.clone(),
                network,
                local,
                view.approved_by.clone().unwrap_or_default(),
                view.approved_date.clone().unwrap_or_default(),
                view.approved_against.clone().unwrap_or_default(),
                view.network_version.clone().unwrap_or_default(),
                view.standing.into(),
            ]);
        }
    }
    rows
}

fn omission_rows(a: &Applied) -> Vec<Row> {
    let file: String = a.toml_path.to_string_lossy().into();
    let e = String::new;
    a.omitted
        .iter()
        .map(|o| {
            [
                "omission".into(),
                o.title.clone(),
                e(),
                file.clone(),
                e(),
                o.reason.clone(),
                e(),
                e(),
                e(),
                e(),
                "omitted".into(),
            ]
        })
        .collect()
}
