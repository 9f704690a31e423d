//! Live reload: the script injected into every HTML page `serve` sends (never into `build`
//! output), the build status it reads, and the hub that pushes that status to every open page over
//! Server-Sent Events (`/__wardbook/events`).
//!
//! In: a [`BuildStatus`] after every build. Out: `data: {json}` events on each open event stream.
//! The page reloads itself (keeping its scroll position) when the build number moves on, and shows
//! an overlay with the diagnostics (file:line:col, message, source line) while the last build failed.

use crate::diag::{Diagnostic, Severity};
use serde::Serialize;
use std::io::Write;
use std::sync::Mutex;

/// URL prefix of the server's own endpoints (no book page can live there: it starts with `__`).
pub const PREFIX: &str = "/__wardbook/";
/// The event stream.
pub const EVENTS: &str = "/__wardbook/events";
/// The script.
pub const SCRIPT: &str = "/__wardbook/reload.js";
/// The current status as JSON (what the event stream sends first).
pub const STATUS: &str = "/__wardbook/status";

/// The live-reload script (plain JavaScript, no dependencies).
pub const SCRIPT_JS: &str = include_str!("reload.js");

/// One diagnostic as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagView {
    /// `path:line:col`.
    pub location: String,
    /// Book-relative file.
    pub file: String,
    /// 1-based line (0: none).
    pub line: usize,
    /// 1-based column (0: none).
    pub col: usize,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// Rule id.
    pub rule: String,
    /// The message.
    pub message: String,
    /// The source line, if known.
    pub source_line: Option<String>,
    /// Caret width under the source line.
    pub span: usize,
    /// How to fix it.
    pub help: Option<String>,
}

impl DiagView {
    /// The view of `d`.
    pub fn new(d: &Diagnostic) -> Self {
        DiagView {
            location: d.location(),
            file: crate::diag::display_path(&d.file),
            line: d.line,
            col: d.col,
            severity: d.severity.as_str(),
            rule: d.rule.clone(),
            message: d.message.clone(),
            source_line: d.source_line.clone(),
            span: d.span,
            help: d.help.clone(),
        }
    }
}

/// What every open page needs to know: which build it should show, and whether the last build failed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildStatus {
    /// Number of the build being served (the last good one); pages of an older build reload.
    pub build: u64,
    /// Errors of the last build when it failed (the site is then still the last good build's).
    pub errors: Vec<DiagView>,
    /// Warnings of the last build, counted.
    pub warnings: usize,
}

impl BuildStatus {
    /// A status for a failed build: its errors (those in `first`, the files just saved, ahead of
    /// the others they cause, such as broken links to them); warnings are counted.
    pub fn failed(build: u64, diags: &[Diagnostic], first: &[String]) -> Self {
        let mut errors: Vec<DiagView> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(DiagView::new)
            .collect();
        errors.sort_by_key(|d| !first.contains(&d.file));
        BuildStatus {
            build,
            errors,
            warnings: diags
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count(),
        }
    }

    /// The status as one JSON line.
    pub fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The `<script>` tag injected into served pages, carrying the build the page belongs to.
pub fn script_tag(build: u64) -> String {
    format!("<script src=\"{SCRIPT}\" data-build=\"{build}\"></script>")
}

/// `html` with the live-reload script added before `</body>` (or at the end).
pub fn inject(html: &[u8], build: u64) -> Vec<u8> {
    let tag = script_tag(build);
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// Open event streams; every status change is written to all of them.
#[derive(Default)]
pub struct Hub {
    /// The writers of open streams (raw sockets past the response head).
    clients: Mutex<Vec<Box<dyn Write + Send>>>,
}

/// The response head of an event stream: no length, so the body runs until either side closes.
const STREAM_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\nConnection: close\r\n\r\nretry: 500\n\n";

impl Hub {
    /// Starts an event stream on `w` with the current status; keeps it while the client is there.
    /// The status is read under the hub's lock, so no publish can fall between it and the stream.
    pub fn add(&self, mut w: Box<dyn Write + Send>, status: impl FnOnce() -> BuildStatus) {
        let mut clients = self.lock();
        let first = format!("{STREAM_HEAD}data: {}\n\n", status().json());
        if w.write_all(first.as_bytes())
            .and_then(|()| w.flush())
            .is_ok()
        {
            clients.push(w);
        }
    }

    /// Sends `status` to every open stream, dropping the ones whose client has gone.
    pub fn publish(&self, status: &BuildStatus) {
        self.send(&format!("data: {}\n\n", status.json()));
    }

    /// A comment line, so streams whose client has gone are noticed and dropped.
    pub fn ping(&self) {
        self.send(": ping\n\n");
    }

    /// Open streams.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when no stream is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Closes every stream (on stop).
    pub fn close_all(&self) {
        self.lock().clear();
    }

    fn send(&self, text: &str) {
        self.lock().retain_mut(|w| {
            w.write_all(text.as_bytes())
                .and_then(|()| w.flush())
                .is_ok()
        });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Box<dyn Write + Send>>> {
        // A panic while writing cannot leave the list inconsistent: keep using it.
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_body_end() {
        let out = inject(b"<p></body></p></BODY></html>", 7);
        let s = String::from_utf8(out).expect("utf8");
        assert!(
            s.ends_with(&format!("{}</BODY></html>", script_tag(7))),
            "{s}"
        );
        let out = inject(b"<p>no body", 1);
        assert!(String::from_utf8(out).expect("utf8").ends_with("</script>"));
    }

    #[test]
    fn failed_status_keeps_errors_and_counts_warnings() {
        let d = vec![
            Diagnostic::error("g/a.md", 3, 1, "front-matter", "bad").with_source("a\nb\nc: [\n", 1),
            Diagnostic::warning("g/b.md", 1, 1, "x", "meh"),
        ];
        let s = BuildStatus::failed(4, &d, &[]);
        assert_eq!(s.errors.len(), 1);
        assert_eq!(s.errors[0].location, "g/a.md:3:1");
        assert_eq!(s.errors[0].source_line.as_deref(), Some("c: ["));
        assert_eq!(s.warnings, 1);
        assert!(s.json().contains("\"build\":4"));
    }
}
