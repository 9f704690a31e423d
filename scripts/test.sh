#!/usr/bin/env bash
# The whole test suite, as CI runs it: system packages, format and lint gates, Rust tests
# (unit, integration, property), the headless-Chromium tests of built sites; then the slim build
# (`--no-default-features`: no Typst, no serve) that working groups' CI compiles, the GitHub
# Action and pre-commit hook run locally with it, and the linters of everything that runs on
# GitHub (workflows, action, hooks, the docs' example workflow).
set -euo pipefail
cd "$(dirname "$0")/.."
# A missing or changed snapshot (tests/testsuite/snapshots) fails the run instead of being written.
export INSTA_UPDATE=no
bash scripts/system-deps.sh
# The PDF validators and the QR decoder the print tests run (a virtualenv of pinned PyPI packages).
WARDBOOK_PDF_VENV=$(bash scripts/pdf-tools.sh)
export WARDBOOK_PDF_VENV
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo build
cargo test
(
  cd tests/browser
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  node --test --test-concurrency=1 ./*.test.mjs
)
# The slim pass comes last: its binary replaces the full one in target/debug, which the
# browser tests above need.
cargo clippy --all-targets --no-default-features -- -D warnings
cargo build --no-default-features
# Of the test suite, the features module is what differs in a slim build (it asserts what each
# build must do); the modules needing Typst or serve are not compiled into it.
cargo test --no-default-features --test testsuite features::
bash scripts/lint-ci.sh
bash scripts/test-action.sh
