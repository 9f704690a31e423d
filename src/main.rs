//! Entry point: parse the command line and hand over to [`wardbook::cli`].

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = wardbook::cli::Cli::parse();
    std::process::ExitCode::from(wardbook::cli::run(cli))
}
