//! The printed book, off the reload path: once saves have paused, the whole book is built again
//! with the PDF (the build's own pipeline, on one thread of its own so the rebuilds after the next
//! save keep the other cores), and the PDF is served when it is ready.
//!
//! In: (configuration, build number) after every good build. Out: the PDF bytes in
//! [`super::Shared`], served at the book's PDF file name while no newer build has been served.

use super::Shared;
use crate::BuildOptions;
use crate::config::Config;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long saves must pause before the PDF is built.
pub const IDLE: Duration = Duration::from_millis(1500);

/// A finished printed book.
#[derive(Debug, Clone)]
pub struct Pdf {
    /// File name at the site root.
    pub name: String,
    /// The PDF.
    pub bytes: Arc<Vec<u8>>,
    /// The build it belongs to.
    pub build: u64,
}

/// One request for a PDF: the book as of a good build.
pub struct Job {
    /// The configuration of that build.
    pub config: Config,
    /// Its number.
    pub build: u64,
}

/// Builds PDFs for the jobs on `rx` until it closes.
pub fn run(rx: &Receiver<Job>, shared: &Shared, opts: &BuildOptions, verbose: bool) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "wardbook-pdf".into())
        .build();
    let Ok(pool) = pool else { return };
    let last_problem = Mutex::new(String::new());
    while let Ok(mut job) = rx.recv() {
        loop {
            match rx.recv_timeout(IDLE) {
                Ok(newer) => job = newer,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let opts = BuildOptions {
            pdf: true,
            ..opts.clone()
        };
        let result = pool.install(|| crate::build_with_config(&job.config, &opts));
        let name = job.config.print.filename.clone();
        match result.map(|mut b| b.output.files.remove(&name)) {
            Ok(Some(content)) => match content.read() {
                Ok(bytes) if shared.site().build == job.build => shared.set_pdf(Pdf {
                    name,
                    bytes: Arc::new(bytes.into_owned()),
                    build: job.build,
                }),
                _ => {}
            },
            Ok(None) => {}
            Err(crate::BuildError::Problems(d)) => {
                let text = crate::diag::render(
                    &d.into_iter()
                        .filter(|d| d.severity == crate::diag::Severity::Error)
                        .collect::<Vec<_>>(),
                    crate::diag::Format::Text,
                );
                report(verbose, &last_problem, text);
            }
            Err(crate::BuildError::CannotRun(e)) => {
                report(verbose, &last_problem, format!("{e:#}\n"))
            }
        }
    }
}

/// Prints why the PDF was not built, once per different reason.
fn report(verbose: bool, last: &Mutex<String>, text: String) {
    let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
    if verbose && *last != text {
        eprint!("The printed book (PDF) was not built; the site is served without it:\n{text}");
    }
    *last = text;
}
