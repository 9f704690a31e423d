//! Entry point: parse the command line and hand over to [`wardbook::cli`].

use clap::Parser;

// A build allocates and frees millions of small strings across rayon's threads; glibc's malloc
// spent about an eighth of a build's time in itself and kept freed memory fragmented.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = wardbook::cli::Cli::parse();
    std::process::ExitCode::from(wardbook::cli::run(cli))
}
