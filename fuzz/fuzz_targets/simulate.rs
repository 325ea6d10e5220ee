//! Simulate any plan: every failure point, the rollback of each, and a few
//! Monte Carlo runs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retreat_core::sim::Settings;
use retreat_core::{MonteCarloRuns, Options, analyze_bytes};

fuzz_target!(|data: &[u8]| {
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(Settings::exactly(3, 1)), ..Options::default() };
    let (_, analysis) = analyze_bytes(data, &options);
    if let (Some(sim), Some(graph)) = (&analysis.simulation, &analysis.graph) {
        for point in &sim.points {
            let run = sim.rollback(graph, point);
            assert!(run.done >= point.fail);
        }
        if let Some(mc) = &sim.monte_carlo {
            assert!(mc.p_rollback_fits.iter().all(|p| (0.0..=1.0).contains(p)));
        }
    }
});
