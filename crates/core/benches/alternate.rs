//! The timing loop the scaling benchmarks share: every input once per round,
//! in turn, so that a slow phase of a shared machine falls on all of them
//! alike; the first `warmup` rounds are not counted. Gives each input's
//! median time in milliseconds.

use std::time::Instant;

pub fn medians<T>(inputs: &[T], rounds: usize, warmup: usize, mut work: impl FnMut(&T)) -> Vec<f64> {
    let mut times = vec![Vec::with_capacity(rounds); inputs.len()];
    for round in 0..rounds + warmup {
        for (i, input) in inputs.iter().enumerate() {
            let start = Instant::now();
            work(input);
            let elapsed = start.elapsed().as_secs_f64() * 1e3;
            if round >= warmup {
                times[i].push(elapsed);
            }
        }
    }
    times
        .iter_mut()
        .map(|t| {
            t.sort_by(f64::total_cmp);
            t[t.len() / 2]
        })
        .collect()
}
