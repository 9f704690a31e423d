//! HTTP for `serve` (tiny_http): a small pool of workers answers requests from the site in memory.
//!
//! In: a request target. Out: the file of the last good build at that path (HTML pages with the
//! live-reload script added), the 404 page, a redirect from `/section` to `/section/`, or one of the
//! server's own endpoints (`/__wardbook/…`). Only GET and HEAD. Every response says
//! `Cache-Control: no-cache`. A target that tries to leave the site in any spelling (`..`,
//! `%2e%2e`, `%2f`, `%5c`, `//abs`, `C:`) is refused with 400; a copied file whose source (after
//! following symbolic links) is outside the book folder is refused with 403.

use super::Shared;
use super::reload;
use crate::output::Content;
use std::borrow::Cow;
use std::path::Path;
use tiny_http::{Header, Method, Request, Response};

/// Why a request target was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The target is not an origin-form path (`*`, `http://…`).
    NotAPath,
    /// An encoded separator or NUL (`%2f`, `%5c`, `%00`), or a backslash.
    EncodedSeparator,
    /// Not UTF-8 once decoded.
    NotUtf8,
    /// A `.` or `..` segment, an empty segment (`//`), or a drive (`C:`).
    Traversal,
}

/// The site path (`respiratory/croup.html`) a request target asks for, or why it is refused.
/// Directories (`/`, `/respiratory/`) ask for their `index.html`.
pub fn site_path(target: &str) -> Result<String, Refused> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(rest) = path.strip_prefix('/') else {
        return Err(Refused::NotAPath);
    };
    let lower = rest.to_ascii_lowercase();
    if rest.contains('\\') || ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Err(Refused::EncodedSeparator);
    }
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .map_err(|_| Refused::NotUtf8)?;
    if decoded.contains(['\\', '\0']) {
        return Err(Refused::EncodedSeparator);
    }
    let mut segments: Vec<&str> = decoded.split('/').collect();
    let dir = segments.last() == Some(&"");
    if dir {
        segments.pop();
    }
    for (i, s) in segments.iter().enumerate() {
        let drive = i == 0 && s.len() == 2 && s.ends_with(':');
        if s.is_empty() || *s == "." || *s == ".." || drive {
            return Err(Refused::Traversal);
        }
    }
    let mut key = segments.join("/");
    if dir || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Ok(key)
}

/// The Content-Type of a site file, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Sends a response; a client that has gone away is not an error worth reporting.
fn send(rq: Request, status: u16, ctype: &str, body: Vec<u8>, extra: &[(&str, &str)]) {
    let mut resp = Response::from_data(body)
        .with_status_code(status)
        // Always a Content-Length (tiny_http would switch big bodies to chunked encoding).
        .with_chunked_threshold(usize::MAX);
    let fixed = [
        ("Content-Type", ctype),
        ("Cache-Control", "no-cache"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    for (n, v) in fixed.iter().chain(extra) {
        if let Some(h) = header(n, v) {
            resp.add_header(h);
        }
    }
    let _client_gone = rq.respond(resp);
}

fn text(rq: Request, status: u16, msg: &str) {
    send(
        rq,
        status,
        "text/plain; charset=utf-8",
        msg.as_bytes().to_vec(),
        &[],
    );
}

/// Answers one request.
pub fn handle(rq: Request, shared: &Shared) {
    if !matches!(rq.method(), Method::Get | Method::Head) {
        send(
            rq,
            405,
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n".to_vec(),
            &[("Allow", "GET, HEAD")],
        );
        return;
    }
    let target = rq.url().to_string();
    let path = target.split(['?', '#']).next().unwrap_or("");
    if path.starts_with(reload::PREFIX) {
        return endpoint(rq, path, shared);
    }
    match site_path(&target) {
        Ok(key) => file(rq, &key, path, shared),
        Err(why) => text(rq, 400, &format!("bad request path ({why:?})\n")),
    }
}

fn endpoint(rq: Request, path: &str, shared: &Shared) {
    match path {
        reload::EVENTS => {
            if *rq.method() == Method::Head {
                return send(rq, 200, "text/event-stream", Vec::new(), &[]);
            }
            let writer = rq.into_writer();
            shared.hub.add(writer, || shared.status());
        }
        reload::SCRIPT => send(
            rq,
            200,
            "text/javascript; charset=utf-8",
            reload::SCRIPT_JS.as_bytes().to_vec(),
            &[],
        ),
        reload::STATUS => send(
            rq,
            200,
            "application/json",
            shared.status().json().into_bytes(),
            &[],
        ),
        _ => text(rq, 404, "no such endpoint\n"),
    }
}

fn file(rq: Request, key: &str, raw_path: &str, shared: &Shared) {
    let site = shared.site();
    let Some(content) = site.output.files.get(key) else {
        if let Some(pdf) = shared.pdf().filter(|p| p.name == key) {
            return send(rq, 200, "application/pdf", pdf.bytes.to_vec(), &[]);
        }
        let dir_index = format!("{key}/index.html");
        if site.output.files.contains_key(&dir_index) {
            let location = format!("{raw_path}/");
            return send(
                rq,
                301,
                "text/plain; charset=utf-8",
                Vec::new(),
                &[("Location", &location)],
            );
        }
        return not_found(rq, &site);
    };
    let bytes = match read(content, &site.root) {
        Ok(b) => b,
        Err(status) => return text(rq, status, "this file cannot be served\n"),
    };
    let ctype = content_type(key);
    let body = if ctype.starts_with("text/html") {
        reload::inject(&bytes, site.build)
    } else {
        bytes.into_owned()
    };
    send(rq, 200, ctype, body, &[]);
}

/// The bytes of a site file; a copied file must still be inside the book folder.
fn read<'a>(content: &'a Content, root: &Path) -> Result<Cow<'a, [u8]>, u16> {
    if let Content::Copy(src) = content {
        let real = std::fs::canonicalize(src).map_err(|_| 404_u16)?;
        if !real.starts_with(root) {
            return Err(403);
        }
    }
    content.read().map_err(|_| 404)
}

fn not_found(rq: Request, site: &super::Site) {
    match site.output.get("404.html") {
        Some(page) => send(
            rq,
            404,
            "text/html; charset=utf-8",
            reload::inject(page, site.build),
            &[],
        ),
        None => text(rq, 404, "not found\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_targets_to_site_paths() {
        assert_eq!(site_path("/").as_deref(), Ok("index.html"));
        assert_eq!(site_path("/?x=1").as_deref(), Ok("index.html"));
        assert_eq!(
            site_path("/respiratory/").as_deref(),
            Ok("respiratory/index.html")
        );
        assert_eq!(site_path("/a%20b.html#x").as_deref(), Ok("a b.html"));
        assert_eq!(site_path("/respiratory").as_deref(), Ok("respiratory"));
    }

    #[test]
    fn refuses_every_traversal_spelling() {
        for t in [
            "/../book.toml",
            "/a/../../x",
            "/%2e%2e/book.toml",
            "/%2E%2E/x",
            "/.%2e/x",
            "/a%2f..%2fb",
            "/a%2F..",
            "/..%5cbook.toml",
            "/a\\b",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/./index.html",
            "/a/%00",
            "http://evil/x",
            "*",
            "/%ff",
        ] {
            assert!(site_path(t).is_err(), "{t} must be refused");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.woff2"), "font/woff2");
        assert_eq!(content_type("x.pdf"), "application/pdf");
        assert_eq!(content_type("x.svg"), "image/svg+xml");
        assert_eq!(content_type("x"), "application/octet-stream");
    }
}
