//! From the network [`Book`] and one adaptation's material to the adapted `Book`: local values
//! set, local sections put in place of the network's (marked in words where they start and
//! end), whole replacements and local-only guidelines marked likewise, omitted guidelines kept
//! as a notice page (so links to them still lead somewhere, and say why). [`Applied`] keeps
//! what the variance report shows and where each line of composed text came from, so that a
//! problem found in composed text is reported at its own file and line.

use super::front::{self, LocalFront, Replaces};
use super::sections::{Section, sections};
use super::values::{Values, escape_markdown, substitute};
use super::{Adaptation, Omission};
use crate::config::{AdaptationDef, Adapted, Config, NetworkDef};
use crate::content::{Book, Guideline, LoadOptions, Status};
use crate::diag::{Diagnostic, did_you_mean};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What an adaptation adds beyond its `Book`: the variance report's rows and the line map.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// The adaptation.
    pub def: Option<AdaptationDef>,
    /// Book-relative path of its adaptation.toml.
    pub toml_path: PathBuf,
    /// Every declared local value, with the network's text and this adaptation's setting.
    pub values: Vec<ValueRow>,
    /// Every local section file, whole replacement and local-only guideline, in path order.
    pub variations: Vec<Variation>,
    /// Every omitted network guideline.
    pub omitted: Vec<Omitted>,
    /// Where the lines of each composed guideline came from, by its source path in the book.
    maps: BTreeMap<PathBuf, LineMap>,
}

/// One declared local value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueRow {
    /// Its name (`{{local:name}}`).
    pub name: String,
    /// What it is.
    pub help: String,
    /// The network's text.
    pub network: String,
    /// The adaptation's setting, if it sets one.
    pub local: Option<String>,
}

/// An omitted network guideline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Omitted {
    /// Its source path.
    pub source: PathBuf,
    /// Its title in the network book.
    pub title: String,
    /// Its page (a notice saying it is not used here, and why).
    pub page: String,
    /// Why.
    pub reason: String,
}

/// One local variation of the network book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variation {
    /// The guideline's source path in the book (the network's path for a local section file).
    pub source: PathBuf,
    /// The adaptation's file (book-relative).
    pub file: PathBuf,
    /// The guideline's title, unmarked.
    pub title: String,
    /// Its page.
    pub page: String,
    /// What varies.
    pub kind: VariationKind,
    /// The approval, for local sections and whole replacements.
    pub approval: Option<Approval>,
    /// The network guideline's version now.
    pub network_version: Option<String>,
    /// Whether the network moved on since the approval (set by [`super::stale`]).
    pub stale: Option<Stale>,
}

/// How a variation's approval stands against the network now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The network version it was approved against.
    pub approved_against: String,
    /// The network's version now (`None`: the network guideline has no version).
    pub now: Option<String>,
    /// Numbers of the replaced network text that changed since (old → new), when history
    /// could say.
    pub numbers: Option<Vec<(Option<String>, Option<String>)>>,
}

impl Stale {
    /// True when a number in the replaced network text changed: an error.
    pub fn numbers_changed(&self) -> bool {
        self.numbers.as_ref().is_some_and(|n| !n.is_empty())
    }
}

/// What a variation replaces or adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariationKind {
    /// Named sections: each id with the network's text and the local text (Markdown).
    Sections(Vec<SectionText>),
    /// The whole text: the network's body and the local body.
    Whole {
        /// The network's body.
        network: String,
        /// The local body.
        local: String,
    },
    /// A guideline only this adaptation has: its body.
    LocalOnly {
        /// The local body.
        local: String,
    },
}

/// One replaced section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionText {
    /// The heading id.
    pub id: String,
    /// The network's section (heading included).
    pub network: String,
    /// The local section (heading included).
    pub local: String,
}

/// Who approved local text, when, against which network version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The network version it was approved against.
    pub against: String,
    /// Line of `approved_against` in the local file.
    pub against_line: usize,
    /// Who approved it.
    pub by: String,
    /// When.
    pub date: jiff::civil::Date,
}

/// Lines of composed text mapped back to their files.
#[derive(Debug, Clone, Default)]
struct LineMap {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone)]
struct Segment {
    /// First composed line (1-based) and how many.
    from: usize,
    len: usize,
    /// The file and its first line; `fixed` maps every line to `orig` (words we added).
    file: PathBuf,
    orig: usize,
    fixed: bool,
    text: Arc<str>,
}

/// Composed text being built, with its line map.
struct Composer {
    out: String,
    line: usize,
    map: LineMap,
}

impl Composer {
    fn new() -> Self {
        Composer {
            out: String::new(),
            line: 1,
            map: LineMap::default(),
        }
    }

    /// Appends `s`, whose first line is line `orig` of `file` (or, `fixed`, all of it is).
    fn push(&mut self, s: &str, file: &Path, text: &Arc<str>, orig: usize, fixed: bool) {
        if s.is_empty() {
            return;
        }
        let len = s.matches('\n').count() + usize::from(!s.ends_with('\n'));
        self.map.segments.push(Segment {
            from: self.line,
            len,
            file: file.to_path_buf(),
            orig,
            fixed,
            text: text.clone(),
        });
        self.out.push_str(s);
        self.line += s.matches('\n').count();
    }
}

/// Line (1-based) at byte `pos` of `s`, counting from `first`.
fn line_at(s: &str, pos: usize, first: usize) -> usize {
    first + s[..pos.min(s.len())].matches('\n').count()
}

/// The network book's local values: every `{{local:name}}` shows the network's text.
pub fn network_values(book: &mut Book, diags: &mut Vec<Diagnostic>) {
    let config = book.config.clone();
    let values = Values {
        declared: &config.local_values,
        local: None,
    };
    for g in &mut book.guidelines {
        if let Some(t) = substitute(&config, &g.source, &g.text, g.body_start, &values, diags) {
            g.text = t.into();
        }
    }
}

/// The adapted book for `a`, derived from the network book `network` (loaded, values not yet
/// set), and what it adds. Problems of the adaptation's own files go to `diags`.
pub fn apply(
    network: &Book,
    a: &Adaptation,
    opts: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> (Book, Applied) {
    let config = adapted_config(&network.config, a);
    let trust = a.def.name.clone();
    let mut applied = Applied {
        def: Some(a.def.clone()),
        toml_path: a.toml_path.clone(),
        values: value_rows(&config, a),
        ..Applied::default()
    };
    let mut guidelines = network.guidelines.clone();
    let overlay_dir = Path::new(super::DIR).join(&a.def.slug).join("guidelines");
    for (rel, text) in &a.overlay {
        let file = overlay_dir.join(rel);
        let source = crate::content::relative_path(&config, &config.source.join(rel));
        match guidelines.iter().position(|g| g.source == source) {
            Some(i) => {
                let Ok(lf) = front::read(&file, text).map_err(|d| diags.extend(d)) else {
                    continue;
                };
                let g = &mut guidelines[i];
                if let Some(v) = vary(g, &file, text, &lf, &trust, &mut applied.maps, diags) {
                    applied.variations.push(v);
                }
            }
            // A network guideline that is not in the book (its own errors are reported with
            // it, or it is a draft): the file is its local section, with nothing to apply to.
            None if config.source.join(rel).is_file() => {}
            None => {
                let v = local_only(&config, opts, &source, &file, text, &trust, diags);
                if let Some((g, v, map)) = v {
                    clash_check(&guidelines, &g, &file, diags);
                    applied.maps.insert(g.source.clone(), map);
                    applied.variations.push(v);
                    guidelines.push(g);
                }
            }
        }
    }
    for o in &a.omit {
        if let Some(g) = guidelines.iter_mut().find(|g| g.source == o.source) {
            applied.omitted.push(omit(g, o, &trust));
        }
    }
    set_values(&config, a, &mut guidelines, diags);
    crate::content::in_book_order(&mut guidelines);
    applied.variations.sort_by(|x, y| x.source.cmp(&y.source));
    let book = Book {
        config,
        guidelines,
        ..network.clone()
    };
    (book, applied)
}

/// The network's configuration as the adaptation's: marked as adapted, with the trust as the
/// owner of its local-only guidelines.
fn adapted_config(network: &Config, a: &Adaptation) -> Config {
    let mut config = network.clone();
    config.networks.push(NetworkDef {
        slug: a.def.slug.clone(),
        name: a.def.name.clone(),
        // The trust's own guidelines have no network contact to report to.
        contact: None,
    });
    config.adapted = Some(Adapted {
        def: a.def.clone(),
        omitted: a
            .omit
            .iter()
            .map(|o| (o.source.clone(), o.reason.clone()))
            .collect(),
    });
    config
}

fn value_rows(config: &Config, a: &Adaptation) -> Vec<ValueRow> {
    config
        .local_values
        .iter()
        .map(|(name, def)| ValueRow {
            name: name.clone(),
            help: def.help.clone(),
            network: def.network.clone(),
            local: a.values.get(name).cloned(),
        })
        .collect()
}

/// Every guideline's `{{local:name}}` set to the adaptation's value (marked) or the network's.
fn set_values(
    config: &Config,
    a: &Adaptation,
    guidelines: &mut [Guideline],
    diags: &mut Vec<Diagnostic>,
) {
    let values = Values {
        declared: &config.local_values,
        local: Some((&a.values, &a.def.name)),
    };
    for g in guidelines {
        if let Some(t) = substitute(config, &g.source, &g.text, g.body_start, &values, diags) {
            g.text = t.into();
        }
    }
}

/// A network guideline with a local section file applied; `None` (and diagnostics) when the
/// file names a section the guideline does not have.
fn vary(
    g: &mut Guideline,
    file: &Path,
    text: &Arc<str>,
    lf: &LocalFront,
    trust: &str,
    maps: &mut BTreeMap<PathBuf, LineMap>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Variation> {
    let approval = Approval {
        against: lf.approved_against.clone(),
        against_line: lf.approved_against_line,
        by: lf.approved_by.clone(),
        date: lf.approved_date,
    };
    let (kind, composer) = match &lf.replaces {
        Replaces::Whole => whole(g, file, text, lf, &approval, trust),
        Replaces::Sections(ids) => {
            let (chosen, kind) = choose(g, file, text, lf, ids, diags)?;
            (
                kind,
                compose_sections(g, file, text, lf, &chosen, &approval, trust),
            )
        }
    };
    let marked = match kind {
        VariationKind::Whole { .. } => "local text",
        _ => "local variation",
    };
    let title = g.front.title.clone();
    g.front.title = format!("{title} ({marked}, {trust})");
    g.text = composer.out.into();
    maps.insert(g.source.clone(), composer.map);
    Some(Variation {
        source: g.source.clone(),
        file: file.to_path_buf(),
        title,
        page: g.page.clone(),
        kind,
        approval: Some(approval),
        network_version: g.front.version.clone(),
        stale: None,
    })
}

/// The network and local sections a local section file replaces, checked: every id is a
/// heading of both, sections do not overlap, and the local text has nothing outside them.
fn choose(
    g: &Guideline,
    file: &Path,
    text: &str,
    lf: &LocalFront,
    ids: &[(String, usize, usize)],
    diags: &mut Vec<Diagnostic>,
) -> Option<(Vec<(Section, Section)>, VariationKind)> {
    let net = sections(g.body());
    let local_body = &text[lf.body_start..];
    let loc = sections(local_body);
    let before = diags.len();
    let mut chosen = Vec::new();
    for (id, line, col) in ids {
        let at = Named {
            file,
            text,
            id,
            line: *line,
            col: *col,
        };
        if let Some(pair) = pair_of(g, &net, &loc, &at, diags) {
            chosen.push(pair);
        }
    }
    check_outside(file, text, lf, &loc, ids, diags);
    chosen.sort_by_key(|(n, _)| n.range.start);
    for w in chosen.windows(2) {
        if w[0].0.range.end > w[1].0.range.start {
            diags.push(Diagnostic::error(
                file,
                lf.body_line,
                1,
                "unknown-local-section",
                format!(
                    "sections #{} and #{} overlap: list only the outer one",
                    w[0].0.id, w[1].0.id
                ),
            ));
        }
    }
    if diags.len() > before {
        return None;
    }
    let body = g.body();
    let kind = VariationKind::Sections(
        chosen
            .iter()
            .map(|(n, l)| SectionText {
                id: n.id.clone(),
                network: body[n.range.clone()].to_string(),
                local: local_body[l.range.clone()].to_string(),
            })
            .collect(),
    );
    Some((chosen, kind))
}

/// One heading id named in a local section file, and where.
struct Named<'a> {
    file: &'a Path,
    text: &'a str,
    id: &'a str,
    line: usize,
    col: usize,
}

/// The network section and the local section with the id `at` names, or why not.
fn pair_of(
    g: &Guideline,
    net: &[Section],
    loc: &[Section],
    at: &Named<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Section, Section)> {
    let id = at.id;
    let error = |message: String| {
        Diagnostic::error(at.file, at.line, at.col, "unknown-local-section", message)
            .with_source(at.text, id.chars().count())
    };
    let Some(n) = net.iter().find(|s| s.id == id) else {
        let help = did_you_mean(id, net.iter().map(|s| s.id.as_str())).unwrap_or_else(|| {
            let all: Vec<&str> = net.iter().map(|s| s.id.as_str()).collect();
            format!(
                "the headings of {}: #{}",
                g.source.display(),
                all.join(", #")
            )
        });
        let message = format!(
            "{} has no section with the heading id #{id}",
            g.source.display()
        );
        diags.push(error(message).with_help(help));
        return None;
    };
    let Some(l) = loc.iter().find(|s| s.id == id) else {
        let message =
            format!("the local text has no heading with the id #{id} to put in its place");
        let help = "start the local section with the network's heading, word for word";
        diags.push(error(message).with_help(help));
        return None;
    };
    Some((n.clone(), l.clone()))
}

/// Local text that no listed section holds would never be shown: an error at its line.
fn check_outside(
    file: &Path,
    text: &str,
    lf: &LocalFront,
    loc: &[Section],
    ids: &[(String, usize, usize)],
    diags: &mut Vec<Diagnostic>,
) {
    let body = &text[lf.body_start..];
    let listed: Vec<&Section> = loc
        .iter()
        .filter(|s| ids.iter().any(|(id, ..)| id == &s.id))
        .collect();
    let covered = |pos: usize| listed.iter().any(|s| s.range.contains(&pos));
    let mut pos = 0;
    for line in body.split_inclusive('\n') {
        if !line.trim().is_empty() && !covered(pos) {
            let l = line_at(body, pos, lf.body_line);
            diags.push(
                Diagnostic::error(
                    file,
                    l,
                    1,
                    "unknown-local-section",
                    "this local text is outside the sections the front matter lists, and would not be shown",
                )
                .with_help("add its heading's id to `sections`, or remove the text")
                .with_source(text, line.trim_end().chars().count()),
            );
            return;
        }
        pos += line.len();
    }
}

/// The words that open and close local text.
fn opening(trust: &str, what: &str, a: &Approval) -> String {
    format!(
        "**Local text, {t}:** {what} is {t}'s own, not the network's (approved by {by} on {date}, against network version {v}).\n\n",
        t = escape_markdown(trust),
        by = escape_markdown(&a.by),
        date = a.date,
        v = escape_markdown(&a.against),
    )
}

fn closing(trust: &str) -> String {
    format!("*End of local text, {}.*\n\n", escape_markdown(trust))
}

/// Text made to end with a blank line, so the words after it are a paragraph of their own.
fn with_blank_line(s: &str) -> String {
    let t = s.trim_end_matches(['\n', ' ', '\r']);
    format!("{t}\n\n")
}

fn whole(
    g: &Guideline,
    file: &Path,
    text: &Arc<str>,
    lf: &LocalFront,
    a: &Approval,
    trust: &str,
) -> (VariationKind, Composer) {
    let mut c = Composer::new();
    c.push(&g.text[..g.body_start], &g.source, &g.text, 1, false);
    c.push(
        &opening(trust, "this whole guideline", a),
        file,
        text,
        1,
        true,
    );
    let local = &text[lf.body_start..];
    c.push(&with_blank_line(local), file, text, lf.body_line, false);
    let end = line_at(text, text.len(), 1);
    c.push(&closing(trust), file, text, end, true);
    let kind = VariationKind::Whole {
        network: g.body().to_string(),
        local: local.to_string(),
    };
    (kind, c)
}

fn compose_sections(
    g: &Guideline,
    file: &Path,
    text: &Arc<str>,
    lf: &LocalFront,
    chosen: &[(Section, Section)],
    a: &Approval,
    trust: &str,
) -> Composer {
    let body = g.body();
    let local = &text[lf.body_start..];
    let mut c = Composer::new();
    c.push(&g.text[..g.body_start], &g.source, &g.text, 1, false);
    let intro = format!(
        "**This page has local text from {}** in the sections marked below; the rest is the network's text.\n\n",
        escape_markdown(trust)
    );
    c.push(&intro, file, text, 1, true);
    let mut pos = 0;
    for (n, l) in chosen {
        let piece = &body[pos..n.range.start];
        c.push(
            piece,
            &g.source,
            &g.text,
            line_at(body, pos, g.body_line),
            false,
        );
        let head_end = l.heading.end.min(l.range.end);
        let head = with_newline(&local[l.range.start..head_end]);
        let at = line_at(local, l.range.start, lf.body_line);
        c.push(&format!("{head}\n"), file, text, at, false);
        c.push(&opening(trust, "this section", a), file, text, at, true);
        let rest = &local[head_end..l.range.end];
        let trimmed = rest.trim_start_matches(['\n', '\r']);
        let rest_line = line_at(local, head_end + rest.len() - trimmed.len(), lf.body_line);
        c.push(&with_blank_line(trimmed), file, text, rest_line, false);
        c.push(
            &closing(trust),
            file,
            text,
            line_at(local, l.range.end, lf.body_line),
            true,
        );
        pos = n.range.end;
    }
    c.push(
        &body[pos..],
        &g.source,
        &g.text,
        line_at(body, pos, g.body_line),
        false,
    );
    c
}

fn with_newline(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n")
    }
}

/// A guideline only the adaptation has: loaded as the network loads its own (as if at its path
/// in the guidelines folder, so its links are written as the network's are), marked local.
fn local_only(
    config: &Config,
    opts: &LoadOptions,
    source: &Path,
    file: &Path,
    text: &Arc<str>,
    trust: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Guideline, Variation, LineMap)> {
    let (g, d) = crate::content::parse_text(config, opts, source, text.to_string());
    let before = diags.len();
    for mut d in d {
        d.file = file.to_path_buf();
        diags.push(d);
    }
    let mut g = g.filter(|_| diags.len() == before)?;
    if g.front.status == Status::Draft && !opts.drafts {
        return None;
    }
    let mut c = Composer::new();
    c.push(&text[..g.body_start], file, text, 1, false);
    let words = format!(
        "**Local guideline, {t}:** this guideline is {t}'s own; it is not part of the network book.\n\n",
        t = escape_markdown(trust)
    );
    c.push(&words, file, text, 1, true);
    c.push(&with_blank_line(g.body()), file, text, g.body_line, false);
    let end = line_at(text, text.len(), 1);
    c.push(&closing(trust), file, text, end, true);
    let local = g.body().to_string();
    let title = g.front.title.clone();
    g.front.title = format!("{title} (local guideline, {trust})");
    g.text = c.out.into();
    let v = Variation {
        source: g.source.clone(),
        file: file.to_path_buf(),
        title,
        page: g.page.clone(),
        kind: VariationKind::LocalOnly { local },
        approval: None,
        network_version: None,
        stale: None,
    };
    Some((g, v, c.map))
}

/// Two guidelines on one page: a local-only guideline named like a network one in another folder.
fn clash_check(guidelines: &[Guideline], g: &Guideline, file: &Path, diags: &mut Vec<Diagnostic>) {
    if let Some(other) = guidelines.iter().find(|o| o.page == g.page) {
        diags.push(
            Diagnostic::error(
                file,
                0,
                0,
                "page-clash",
                format!(
                    "this local guideline's page {} is also the page of {}",
                    g.page,
                    other.source.display()
                ),
            )
            .with_help("rename the file"),
        );
    }
}

/// An omitted guideline: left out of lists, search and print (as withdrawn), its page a notice
/// saying the trust does not use it and why.
fn omit(g: &mut Guideline, o: &Omission, trust: &str) -> Omitted {
    let notice = format!(
        "**Not used at {}.** {}\n",
        escape_markdown(trust),
        escape_markdown(&o.reason)
    );
    let mut text = g.text[..g.body_start].to_string();
    text.push_str(&notice);
    g.text = text.into();
    g.front.status = Status::Withdrawn;
    Omitted {
        source: g.source.clone(),
        title: g.front.title.clone(),
        page: g.page.clone(),
        reason: o.reason.clone(),
    }
}

impl Applied {
    /// The adaptation's slug.
    pub fn slug(&self) -> &str {
        self.def.as_ref().map_or("", |d| d.slug.as_str())
    }

    /// Problems found in the adapted book, at their own files and lines: those in composed
    /// text are mapped back to the network's or the adaptation's file; those the network's
    /// build already reported (`network`) are dropped; the others in network files say which
    /// adaptation they belong to.
    pub fn finish(&self, diags: Vec<Diagnostic>, network: &[Diagnostic]) -> Vec<Diagnostic> {
        let own = Path::new(super::DIR).join(self.slug());
        let name = self.def.as_ref().map_or("", |d| d.name.as_str());
        diags
            .into_iter()
            .map(|d| self.remap(d))
            .filter(|d| !network.contains(d))
            .map(|mut d| {
                if !d.file.starts_with(&own) {
                    d.message = format!(
                        "in the local adaptation {} ({name}): {}",
                        self.slug(),
                        d.message
                    );
                }
                d
            })
            .collect()
    }

    fn remap(&self, mut d: Diagnostic) -> Diagnostic {
        let Some(map) = self.maps.get(&d.file) else {
            return d;
        };
        let Some(s) = map
            .segments
            .iter()
            .find(|s| d.line >= s.from && d.line < s.from + s.len)
        else {
            return d;
        };
        let line = if s.fixed {
            s.orig
        } else {
            s.orig + (d.line - s.from)
        };
        d.file = s.file.clone();
        d.line = line;
        d.source_line = s
            .text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        d
    }
}
