//! `cargo bench --bench diff`: how comparing two versions of a plan scales
//! from 10,000 to 50,000 steps. Linear (each step found by its id in a map),
//! so about 5 times; it used to search the other plan for every step, 25
//! times and more (two 50,000-step plans took minutes).
//!
//! Sizes alternate, one call each per round (see `scaling.rs`), and the
//! medians' ratio is reported against a budget of 8.

use retreat_core::diff::compare;
use retreat_core::{MonteCarloRuns, Options, analyze, synth};
use std::hint::black_box;

#[path = "alternate.rs"]
mod alternate;

const ROUNDS: usize = 20;

fn main() {
    let sizes = [10_000, 50_000];
    let options = Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() };
    // Two versions that differ in nearly every step, the second in the
    // opposite order: the worst case for a search by place.
    let pairs: Vec<_> = sizes
        .iter()
        .map(|&n| {
            let before = analyze(&synth::plan(n, 1), &options);
            let mut after = analyze(&synth::plan(n, 2), &options);
            after.plan.steps[2..].reverse();
            (before, after)
        })
        .collect();
    let medians = alternate::medians(&pairs, ROUNDS, 2, |(before, after)| {
        drop(black_box(compare(black_box(before), black_box(after))));
    });
    for (n, m) in sizes.iter().zip(&medians) {
        println!("diff of two {n}-step plans: median {m:.1} ms over {ROUNDS} rounds");
    }
    println!("50,000 against 10,000 steps: {:.1} times (budget 8)", medians[1] / medians[0]);
}
