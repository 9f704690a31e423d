//! `wardbook serve`, in process on port 0, over plain TCP: pages, content types, HEAD, 404,
//! live rebuilds after edits (by write, rename, new file, delete, template, book.toml), the error
//! overlay's data while a front matter is broken, recovery, path traversal in every spelling,
//! 250 concurrent requests, clients that hang up mid-response, and bursts that rebuild once.

use crate::harness::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use wardbook::serve::{self, ServeOptions, Server};

const WAIT: Duration = Duration::from_secs(20);

/// A temporary copy of the sample book.
fn book() -> BookTest {
    BookTest::sample()
}

/// Serve's options for the book at `root` (the harness's: port 0, quiet, as of [`AS_OF`]).
fn options(root: &Path) -> ServeOptions {
    BookTest::at(root.to_path_buf()).serve_options()
}

fn start(root: &Path) -> Server {
    serve::start(options(root)).expect("serve starts")
}

/// A response: status, headers (lower-case names), body.
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends a raw request line (the target exactly as given) and reads the whole response.
fn request(addr: SocketAddr, method: &str, target: &str) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    parse(&raw)
}

fn parse(raw: &[u8]) -> Resp {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Resp {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    }
}

fn get(server: &Server, path: &str) -> Resp {
    request(server.addr(), "GET", path)
}

/// Waits until `f` holds, polling; panics with `what` after the wait.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("timed out waiting for: {what}");
}

/// Removes the injected live-reload script.
fn strip_script(body: &str) -> String {
    match body.find("<script src=\"/__wardbook/reload.js\"") {
        Some(start) => {
            let end = body[start..].find("</script>").expect("script end") + start + 9;
            format!("{}{}", &body[..start], &body[end..])
        }
        None => body.to_string(),
    }
}

/// Every file `build` makes for the book at `root` is served with the same bytes.
fn assert_same_as_build(server: &Server, root: &Path) {
    let opts = options(root).build;
    let built = wardbook::build(root, &opts).expect("book builds");
    for (path, content) in &built.output.files {
        let expected = content.read().expect("readable");
        let r = get(server, &format!("/{}", lib_items::encode_path(path)));
        assert_eq!(r.status, 200, "{path}");
        if path.ends_with(".html") {
            assert!(r.text().contains("/__wardbook/reload.js"), "{path}");
            assert_eq!(
                strip_script(&r.text()),
                String::from_utf8_lossy(&expected),
                "{path} differs from build"
            );
        } else {
            assert_eq!(r.body, expected.as_ref(), "{path} differs from build");
        }
    }
}

fn guideline(root: &Path) -> PathBuf {
    root.join("guidelines/respiratory/bronchiolitis.md")
}

#[test]
fn serves_the_build_with_types_head_404_and_no_cache() {
    let b = book();
    let s = b.serve();
    assert_same_as_build(&s, &b.root());
    let built = wardbook::build(&b.root(), &options(&b.root()).build).expect("builds");
    assert!(built.output.files.contains_key("index.html"));

    let home = get(&s, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-cache"));
    assert!(home.text().contains("data-build=\"1\""));

    let css = get(&s, "/assets/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.text().contains("__wardbook"), "no script outside HTML");
    let js = get(&s, "/__wardbook/reload.js");
    assert_eq!(js.status, 200);
    assert!(
        js.header("content-type")
            .is_some_and(|t| t.starts_with("text/javascript"))
    );

    let head = request(s.addr(), "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(home.body.len().to_string().as_str())
    );

    let missing = get(&s, "/respiratory/no-such-guideline.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Page not found"));
    assert!(missing.text().contains("/__wardbook/reload.js"));

    let dir = get(&s, "/respiratory");
    assert_eq!(dir.status, 301);
    assert_eq!(dir.header("location"), Some("/respiratory/"));
    assert_eq!(get(&s, "/respiratory/").status, 200);

    assert_eq!(request(s.addr(), "POST", "/").status, 405);
    assert_eq!(s.builds().runs, 1);
    s.stop();
}

#[test]
fn an_edit_is_served_at_once_and_matches_a_fresh_build() {
    let b = book();
    let s = b.serve();
    let file = guideline(&b.root());
    let text = std::fs::read_to_string(&file).expect("read");
    let page = "/respiratory/bronchiolitis.html";
    assert!(!get(&s, page).text().contains("Zebra-marker"));

    std::fs::write(&file, format!("{text}\nZebra-marker paragraph.\n")).expect("write");
    eventually("the edit to be served", || {
        get(&s, page).text().contains("Zebra-marker")
    });
    assert!(s.status().build >= 2);
    assert!(s.status().errors.is_empty());
    // The incremental build is byte-identical to a fresh full build.
    assert_same_as_build(&s, &b.root());

    // A front matter change reaches the lists, reports and print.html shell kept between builds.
    let edited = std::fs::read_to_string(&file).expect("read");
    let title_line = edited
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("a title line");
    std::fs::write(
        &file,
        edited.replacen(title_line, "title: Bronchiolitis renamed by a test", 1),
    )
    .expect("write");
    eventually("the new title in the A-Z list", || {
        get(&s, "/a-z.html")
            .text()
            .contains("Bronchiolitis renamed by a test")
    });
    assert!(
        get(&s, "/print.html")
            .text()
            .contains("Bronchiolitis renamed by a test")
    );
    assert!(
        get(&s, "/reviews.html")
            .text()
            .contains("Bronchiolitis renamed by a test")
    );
    assert_same_as_build(&s, &b.root());
    s.stop();
}

/// Reads `data:` lines of an event stream until `want` matches one; returns it.
fn read_event(r: &mut impl BufRead, want: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + WAIT;
    let mut line = String::new();
    while Instant::now() < deadline {
        line.clear();
        if r.read_line(&mut line).expect("event stream open") == 0 {
            panic!("event stream closed");
        }
        if let Some(data) = line.strip_prefix("data: ")
            && want(data)
        {
            return data.to_string();
        }
    }
    panic!("no matching event");
}

fn events(addr: SocketAddr) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(s, "GET /__wardbook/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("send");
    let mut r = BufReader::new(s);
    let mut status = String::new();
    r.read_line(&mut status).expect("status line");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    r
}

#[test]
fn a_broken_save_shows_the_overlay_data_and_keeps_serving_then_recovers() {
    let b = book();
    let s = b.serve();
    let mut stream = events(s.addr());
    let first = read_event(&mut stream, |_| true);
    assert!(first.contains("\"build\":1"), "{first}");

    let file = guideline(&b.root());
    let good = std::fs::read_to_string(&file).expect("read");
    let broken = good.replacen("title:", "title: [unclosed\ntitle:", 1);
    std::fs::write(&file, &broken).expect("write");

    let event = read_event(&mut stream, |d| d.contains("\"errors\":[{"));
    let status: serde_json::Value = serde_json::from_str(&event).expect("json");
    let err = &status["errors"][0];
    assert_eq!(err["file"], "guidelines/respiratory/bronchiolitis.md");
    assert!(err["line"].as_u64().unwrap_or(0) >= 2, "{err}");
    assert!(err["col"].as_u64().unwrap_or(0) >= 1, "{err}");
    assert!(err["source_line"].is_string(), "{err}");
    assert!(!err["message"].as_str().unwrap_or("").is_empty());
    assert_eq!(status["build"], 1, "the last good build is still served");

    // Every page, the broken one included, is still served from the last good build.
    let page = get(&s, "/respiratory/bronchiolitis.html");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("data-build=\"1\""));
    assert_eq!(get(&s, "/respiratory/croup.html").status, 200);
    assert_eq!(get(&s, "/").status, 200);
    let polled: serde_json::Value =
        serde_json::from_slice(&get(&s, "/__wardbook/status").body).expect("status json");
    assert_eq!(polled["errors"][0]["file"], err["file"]);

    std::fs::write(&file, format!("{good}\nFixed-marker.\n")).expect("fix");
    let event = read_event(&mut stream, |d| d.contains("\"errors\":[]"));
    assert!(event.contains("\"build\":2"), "{event}");
    assert!(
        get(&s, "/respiratory/bronchiolitis.html")
            .text()
            .contains("Fixed-marker")
    );
    s.stop();
}

#[test]
fn path_traversal_is_refused_in_every_spelling() {
    let b = book();
    let root = &b.root();
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.png"), "TOP-SECRET").expect("write");
    let img = root.join("guidelines/respiratory/img");
    std::fs::create_dir_all(&img).expect("mkdir");
    std::os::unix::fs::symlink(outside.path().join("secret.png"), img.join("chart.png"))
        .expect("symlink");
    let file = guideline(root);
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, format!("{text}\n![Chart](img/chart.png)\n")).expect("write");
    let s = start(root);
    assert_eq!(s.status().errors, vec![], "the book builds");

    let symlinked = get(&s, "/media/respiratory/img/chart.png");
    assert_eq!(symlinked.status, 403);
    assert!(!symlinked.text().contains("TOP-SECRET"));

    let book_toml = std::fs::read_to_string(root.join("book.toml")).expect("read");
    assert!(book_toml.contains("[book]"));
    for target in [
        "/../book.toml",
        "/respiratory/../../book.toml",
        "/%2e%2e/book.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/.%2e/book.toml",
        "/respiratory%2f..%2f..%2fbook.toml",
        "/respiratory%2F..%2F..%2Fbook.toml",
        "/..%5cbook.toml",
        "/..\\book.toml",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/C:/Windows/win.ini",
        "/./../book.toml",
        "/%00",
        "http://example.org/../book.toml",
        "/etc/passwd",
        "/guidelines/respiratory/bronchiolitis.md",
        "/book.toml",
    ] {
        let r = request(s.addr(), "GET", target);
        assert!(
            matches!(r.status, 400 | 403 | 404),
            "{target}: status {}",
            r.status
        );
        let t = r.text();
        assert!(!t.contains("[book]") && !t.contains("root:"), "{target}");
    }
    s.stop();
}

#[test]
fn serves_250_concurrent_requests_and_survives_clients_hanging_up() {
    let b = book();
    let s = b.serve();
    let addr = s.addr();
    let expected = get(&s, "/respiratory/bronchiolitis.html").body;
    // Clients that hang up after the request, mid-response, and in the middle of an event stream.
    for i in 0..60 {
        let mut c = TcpStream::connect(addr).expect("connect");
        let target = if i % 3 == 0 {
            "/__wardbook/events"
        } else {
            "/respiratory/bronchiolitis.html"
        };
        write!(c, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").expect("send");
        if i % 2 == 0 {
            let mut buf = [0_u8; 64];
            let _partial = c.read(&mut buf);
        }
        drop(c);
    }
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(250));
    let threads: Vec<_> = (0..250)
        .map(|i| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                let path = match i % 3 {
                    0 => "/respiratory/bronchiolitis.html",
                    1 => "/assets/style.css",
                    _ => "/",
                };
                let r = request(addr, "GET", path);
                (path, r.status, r.body)
            })
        })
        .collect();
    for t in threads {
        let (path, status, body) = t.join().expect("client thread");
        assert_eq!(status, 200, "{path}");
        if path == "/respiratory/bronchiolitis.html" {
            assert_eq!(body, expected);
        }
    }
    assert_eq!(get(&s, "/").status, 200, "still serving");
    s.stop();
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err()
            || request_fails(addr),
        "the port is closed after stop"
    );
}

fn request_fails(addr: SocketAddr) -> bool {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return true;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = write!(s, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut buf = Vec::new();
    !matches!(s.read_to_end(&mut buf), Ok(n) if n > 0)
}

#[test]
fn a_burst_of_changes_is_one_rebuild_and_temp_files_none() {
    let b = book();
    let s = b.serve();
    assert_eq!(s.builds().runs, 1);
    // Our own build reads every file: that must not trigger another build.
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(s.builds().runs, 1, "no rebuild loop");

    let dir = &b.root().join("guidelines/respiratory");
    std::fs::write(dir.join(".bronchiolitis.md.swp"), "x").expect("swp");
    std::fs::write(dir.join("bronchiolitis.md~"), "x").expect("backup");
    std::fs::write(dir.join("4913"), "x").expect("vim probe");
    std::fs::create_dir_all(b.root().join("public")).expect("output dir");
    std::fs::write(b.root().join("public/index.html"), "x").expect("output");
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(
        s.builds().runs,
        1,
        "temp files and the output folder are ignored"
    );

    // Every guideline rewritten (a checkout), plus new files: one rebuild.
    let files: Vec<PathBuf> = walk(&b.root().join("guidelines"));
    assert!(files.len() >= 20);
    for f in &files {
        let t = std::fs::read_to_string(f).expect("read");
        std::fs::write(f, format!("{t}\nBurst-marker.\n")).expect("write");
    }
    for i in 0..200 {
        let t = format!(
            "---\ntitle: \"Burst {i}\"\nsection: Respiratory\nnetwork: resp-network\nreview_date: 2027-06-30\n---\n\nBody {i}.\n"
        );
        std::fs::write(dir.join(format!("burst-{i}.md")), t).expect("write");
    }
    assert!(s.wait_for_build(1, WAIT), "a rebuild");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(s.builds().runs, 2, "the burst is one rebuild");
    assert!(
        get(&s, "/respiratory/burst-199.html")
            .text()
            .contains("Body 199.")
    );
    assert!(get(&s, "/").text().contains("data-build=\"2\""));
    s.stop();
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn saves_by_rename_new_files_deletes_templates_and_book_toml() {
    let b = book();
    let root = &b.root();
    let s = start(root);

    // An editor's save: write a temporary file, rename it over the guideline.
    let file = guideline(root);
    let text = std::fs::read_to_string(&file).expect("read");
    let tmp = file.with_file_name(".bronchiolitis.md.tmp");
    std::fs::write(&tmp, format!("{text}\nRenamed-marker.\n")).expect("write");
    std::fs::rename(&tmp, &file).expect("rename");
    eventually("a save by rename", || {
        get(&s, "/respiratory/bronchiolitis.html")
            .text()
            .contains("Renamed-marker")
    });

    // A new guideline appears (and in its section's list); deleted, it is gone.
    let new = root.join("guidelines/respiratory/new-one.md");
    std::fs::write(
        &new,
        "---\ntitle: \"Brand new guideline\"\nsection: Respiratory\nnetwork: resp-network\nreview_date: 2027-06-30\n---\n\nNew body.\n",
    )
    .expect("write");
    eventually("a new guideline", || {
        get(&s, "/respiratory/new-one.html").status == 200
            && get(&s, "/respiratory/")
                .text()
                .contains("Brand new guideline")
    });
    std::fs::remove_file(&new).expect("delete");
    eventually("a deleted guideline", || {
        get(&s, "/respiratory/new-one.html").status == 404
    });

    // A template override re-renders every page.
    let templates = root.join("templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    let base = std::fs::read_to_string(repo().join("templates/base.html")).expect("base");
    std::fs::write(
        templates.join("base.html"),
        base.replace("<body>", "<body data-template-marker>"),
    )
    .expect("write");
    eventually("a template change", || {
        get(&s, "/respiratory/croup.html")
            .text()
            .contains("data-template-marker")
    });

    // book.toml reloads everything.
    let toml = std::fs::read_to_string(root.join("book.toml")).expect("read");
    std::fs::write(
        root.join("book.toml"),
        toml.replace("Paediatric Guidelines", "Renamed Book"),
    )
    .expect("write");
    eventually("a book.toml change", || {
        get(&s, "/neonatal/").text().contains("Renamed Book")
    });
    assert_same_as_build(&s, root);
    s.stop();
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let b = book();
    let s = b.serve();
    let mut o = options(&b.root());
    o.port = s.addr().port();
    let err = serve::start(o).err().expect("the port is taken");
    let msg = format!("{err:#}");
    assert!(
        msg.contains("already in use") && msg.contains("--port"),
        "{msg}"
    );
    s.stop();
}

#[test]
fn a_book_that_never_built_shows_its_problems_then_builds() {
    let b = book();
    let toml_path = b.root().join("book.toml");
    let toml = std::fs::read_to_string(&toml_path).expect("read");
    std::fs::write(&toml_path, toml.replace("[book]", "[book]\ntitel = \"x\"")).expect("write");
    let s = b.serve();
    let status = s.status();
    assert_eq!(status.build, 0);
    assert_eq!(status.errors[0].file, "book.toml");
    assert_eq!(status.errors[0].line, 2);
    let home = get(&s, "/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("/__wardbook/reload.js"));
    std::fs::write(&toml_path, toml).expect("fix");
    eventually("the first good build", || s.status().build == 1);
    assert!(get(&s, "/").text().contains("Paediatric Guidelines"));
    s.stop();
}

#[test]
fn the_printed_book_is_linked_and_built_off_the_reload_path() {
    let b = book();
    let mut o = options(&b.root());
    o.build.pdf = true;
    let s = serve::start(o).expect("serve starts");
    let config = wardbook::config::load(&b.root()).expect("config");
    let name = config.print.filename.clone();
    assert!(
        get(&s, "/").text().contains(&name),
        "the home page links the PDF"
    );
    let file = guideline(&b.root());
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, format!("{text}\nPdf-marker.\n")).expect("write");
    eventually("the edit", || {
        get(&s, "/respiratory/bronchiolitis.html")
            .text()
            .contains("Pdf-marker")
    });
    let mut full = options(&b.root()).build;
    full.pdf = true;
    match wardbook::build(&b.root(), &full) {
        // The pipeline makes a PDF: serve serves one once saves pause.
        Ok(built) => {
            assert!(built.output.files.contains_key(&name));
            eventually("the PDF", || {
                let r = get(&s, &format!("/{name}"));
                r.status == 200
                    && r.header("content-type") == Some("application/pdf")
                    && r.body.starts_with(b"%PDF")
            });
        }
        // It cannot: the site is served all the same, without the file.
        Err(_) => {
            std::thread::sleep(wardbook::serve::pdf::IDLE + Duration::from_millis(500));
            assert_eq!(get(&s, &format!("/{name}")).status, 404);
            assert!(s.status().errors.is_empty(), "no error on the pages");
        }
    }
    s.stop();
}

#[test]
fn serve_previews_one_local_adaptation_and_reloads_its_local_text() {
    let mut t = BookTest::from_fixture("adapt-basic");
    let root = t.scratch();
    let mut o = options(&root);
    o.adaptation = Some("alpha".into());
    let server = serve::start(o).expect("serve starts");
    eventually("the adaptation is served", || {
        get(&server, "/resp/asthma.html")
            .text()
            .contains("Alpha pathway: call the Alpha registrar")
    });
    assert_eq!(get(&server, "/variations.html").status, 200);
    let file = root.join("adaptations/alpha/guidelines/resp/asthma.md");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace("Alpha pathway", "Revised Alpha pathway"),
    )
    .expect("write");
    eventually("the local text is rebuilt", || {
        get(&server, "/resp/asthma.html")
            .text()
            .contains("Revised Alpha pathway")
    });
}
