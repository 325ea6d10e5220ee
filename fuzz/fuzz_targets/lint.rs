//! Parse and lint any bytes: never a panic, a hang or a runaway allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retreat_core::{MonteCarloRuns, Options, analyze_bytes};

fuzz_target!(|data: &[u8]| {
    let options = Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() };
    let (_, analysis) = analyze_bytes(data, &options);
    for d in &analysis.diagnostics {
        assert!(d.span.start <= d.span.end);
    }
});
