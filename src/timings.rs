//! Phase timings for benchmarks: with `WARDBOOK_TIMINGS=1` in the environment, each timed phase
//! prints its wall-clock duration to stderr (`timing: load 41.2 ms`). Off by default, so output
//! and diagnostics never depend on the clock.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("WARDBOOK_TIMINGS").is_some_and(|v| v != "0"))
}

/// Runs `f`, printing how long it took when timings are on.
pub fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let value = f();
    eprintln!(
        "timing: {name} {:.1} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    value
}
