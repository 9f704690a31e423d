//! Benchmark of `wardbook serve` (BENCHMARKS.md, "Serve"): from the write of one edited guideline
//! to the reload event reaching a client of the event stream, and a burst of changed files.
//!
//! Usage: `cargo run --release --example serve_bench -- BOOK_DIR [EDITS] [BURST]`
//! BOOK_DIR is copied to a temporary folder first (e.g. one made by gen_corpus.py).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let src = PathBuf::from(args.get(1).map_or("book", String::as_str));
    let edits: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(40);
    let burst: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(500);
    let tmp = tempfile::tempdir()?;
    copy_tree(&src, tmp.path())?;
    let mut files = Vec::new();
    walk(&tmp.path().join("guidelines"), &mut files)?;
    files.sort();

    let mut opts = wardbook::serve::ServeOptions::new(tmp.path());
    opts.port = 0;
    opts.verbose = std::env::var_os("SERVE_BENCH_VERBOSE").is_some();
    opts.build.as_of = jiff::civil::date(2026, 11, 21);
    let t = Instant::now();
    let server = wardbook::serve::start(opts)?;
    println!(
        "{} guidelines; first build and serve: {} ms",
        files.len(),
        t.elapsed().as_millis()
    );
    anyhow::ensure!(server.status().errors.is_empty(), "the book must build");
    let mut events = connect(server.addr())?;
    let mut build = next_build(&mut events, 0)?;

    let mut latencies = Vec::new();
    let mut rebuilds = Vec::new();
    for i in 0..edits {
        let f = &files[(i * 7919) % files.len()];
        let text = std::fs::read_to_string(f)?;
        std::thread::sleep(Duration::from_millis(150));
        let t0 = Instant::now();
        std::fs::write(f, format!("{text}\nEdit {i} for the benchmark.\n"))?;
        build = next_build(&mut events, build)?;
        latencies.push(t0.elapsed());
        rebuilds.push(server.builds().last);
    }
    report("write → reload event", &mut latencies);
    report("rebuild (load + render + swap)", &mut rebuilds);

    // The reload event goes out just before the build is counted: settle first, then count.
    std::thread::sleep(Duration::from_millis(300));
    let runs = server.builds().runs;
    let t0 = Instant::now();
    for f in files.iter().take(burst) {
        let text = std::fs::read_to_string(f)?;
        std::fs::write(f, format!("{text}\nBurst edit.\n"))?;
    }
    let written = t0.elapsed();
    build = next_build(&mut events, build)?;
    let first = t0.elapsed();
    std::thread::sleep(Duration::from_secs(2));
    let extra = server.builds().runs - runs;
    println!(
        "burst of {} files: written in {} ms, reload event after {} ms, rebuilds: {extra} (build {build}, {} ms)",
        burst.min(files.len()),
        written.as_millis(),
        first.as_millis(),
        server.builds().last.as_millis()
    );
    server.stop();
    Ok(())
}

fn report(what: &str, v: &mut [Duration]) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms (n={})",
        ms(v[v.len() / 2]),
        ms(v[v.len() * 9 / 10]),
        ms(v[0]),
        ms(v[v.len() - 1]),
        v.len()
    );
}

fn connect(addr: std::net::SocketAddr) -> anyhow::Result<BufReader<TcpStream>> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    write!(s, "GET /__wardbook/events HTTP/1.1\r\nHost: {addr}\r\n\r\n")?;
    Ok(BufReader::new(s))
}

/// Reads events until one announces a build after `after`; returns its number.
fn next_build(r: &mut impl BufRead, after: u64) -> anyhow::Result<u64> {
    let mut line = String::new();
    loop {
        line.clear();
        anyhow::ensure!(r.read_line(&mut line)? > 0, "event stream closed");
        if let Some(data) = line.strip_prefix("data: ") {
            let v: serde_json::Value = serde_json::from_str(data)?;
            anyhow::ensure!(
                v["errors"].as_array().is_none_or(Vec::is_empty),
                "build failed: {data}"
            );
            let b = v["build"].as_u64().unwrap_or(0);
            if b > after {
                return Ok(b);
            }
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_tree(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}
