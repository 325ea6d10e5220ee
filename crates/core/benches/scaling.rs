//! `cargo bench --bench scaling`: how the deterministic simulation scales from
//! 10,000 to 100,000 steps (issue 3: at most 12 times).
//!
//! `cargo bench --bench simulate` times each size in its own run of samples,
//! so on a shared machine a slow phase can fall on one size only and skew
//! their ratio. This alternates the two sizes, one call each per round, and
//! reports each size's median and the ratio of the medians. (Each 10,000-step
//! call so follows a 100,000-step one instead of a call on the same plan: its
//! caches hold other data, as in use, where a simulation follows a parse.)

use retreat_core::graph::PlanGraph;
use retreat_core::sim::simulate;
use retreat_core::{parse, synth};
use std::hint::black_box;

#[path = "alternate.rs"]
mod alternate;

const ROUNDS: usize = 60;

fn main() {
    let sizes = [10_000, 100_000];
    let plans: Vec<_> = sizes.iter().map(|&n| parse(&synth::plan(n, 1)).plan).collect();
    let graphs: Vec<_> = plans.iter().map(PlanGraph::build).collect();
    let inputs: Vec<_> = plans.iter().zip(&graphs).collect();
    // The first five rounds warm up.
    let medians = alternate::medians(&inputs, ROUNDS, 5, |(plan, graph)| {
        drop(black_box(simulate(black_box(plan), graph, None)));
    });
    for (n, m) in sizes.iter().zip(&medians) {
        println!("deterministic simulation, {n} steps: median {m:.2} ms over {ROUNDS} rounds");
    }
    println!("100,000 against 10,000 steps: {:.1} times (budget 12)", medians[1] / medians[0]);
}
