#!/usr/bin/env bash
# The whole test suite, as CI runs it: system packages, format and lint gates, Rust tests
# (unit, integration, property), then the headless-Chromium tests of built sites.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo build
cargo test
cd tests/browser
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
node --test --test-concurrency=1 ./*.test.mjs
