//! `cargo bench --bench simulate`: the simulator on generated plans.
//! Budgets (issue 3): 10k steps under 50 ms, 100k at most 12 times that,
//! 10,000 Monte Carlo runs of a 300-step plan under 1 s.

use divan::{Bencher, black_box};
use retreat_core::graph::PlanGraph;
use retreat_core::sim::{Settings, simulate};
use retreat_core::{examples, parse, synth};

fn main() {
    divan::main();
}

/// Every failure point of a generated plan, deterministic figures only.
#[divan::bench(args = [10_000, 100_000], sample_count = 20)]
fn deterministic(bencher: Bencher, steps: usize) {
    let plan = parse(&synth::plan(steps, 1)).plan;
    let graph = PlanGraph::build(&plan);
    bencher.bench(|| simulate(black_box(&plan), &graph, None));
}

/// 10,000 runs of the app's large example (300 steps), on this one thread.
#[divan::bench(sample_count = 5)]
fn monte_carlo_10k_runs_large_example(bencher: Bencher) {
    let plan = parse(&examples::large()).plan;
    let graph = PlanGraph::build(&plan);
    bencher.bench(|| simulate(black_box(&plan), &graph, Some(Settings::exactly(10_000, 1))));
}

/// The default: until every share is known to a point (95%), at most 10,000 runs.
#[divan::bench(sample_count = 5)]
fn monte_carlo_default_large_example(bencher: Bencher) {
    let plan = parse(&examples::large()).plan;
    let graph = PlanGraph::build(&plan);
    bencher.bench(|| simulate(black_box(&plan), &graph, Some(Settings::DEFAULT)));
}

#[divan::bench(sample_count = 5)]
fn monte_carlo_10k_runs_300_steps(bencher: Bencher) {
    let plan = parse(&synth::plan(300, 1)).plan;
    let graph = PlanGraph::build(&plan);
    bencher.bench(|| simulate(black_box(&plan), &graph, Some(Settings::exactly(10_000, 1))));
}
