//! Synthetic plans of any size, for benchmarks, property tests and the app's
//! large example. Deterministic: the same size and seed give the same text.

use std::fmt::Write;

/// A small, fast generator (SplitMix64): enough for shaping test plans.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// A valid YAML plan of `steps` steps. Each step after the first waits for one
/// to three of the ten steps before it; every fifth is a check, every tenth a
/// backup, and the rest are changes with an undo that restores what they set.
/// Like a real system, the plan has far fewer resources than steps: one per
/// hundred steps (at least 20), each changed by many of them.
pub fn plan(steps: usize, seed: u64) -> String {
    let mut rng = Mix(seed);
    let mut out = String::with_capacity(steps * 200 + 1024);
    let _ = write!(
        out,
        "title: Synthetic plan of {steps} steps\n\
         purpose: Benchmark\nreason: Benchmark\ncurrent_state: Before\nfuture_state: After\nmonitoring: Dashboards\n\
         window: {{start: 2026-12-05T22:00:00Z, duration: {}h}}\n\
         rollback:\n  decide: 10m\n  announce: Tell the service desk we are rolling back\n  \
         verify: {{do: Re-run the baseline checks and compare, takes: 20m}}\n  confidence: 0.9\n\
         approvals: [{{by: Change board}}]\n\
         steps:\n  - id: security-review\n    phase: prep\n    kind: check\n    tags: [security]\n    \
         do: Review accounts and firewall rules for the change\n    takes: 30m\n  \
         - id: notice\n    phase: prep\n    kind: notify\n    do: Tell the users about the downtime\n    takes: 5m\n",
        // Long enough for the forward plan: the chains are about steps/4 deep.
        (steps / 20).clamp(6, 24 * 300)
    );
    let resources = (steps / 100).max(20);
    for i in 0..steps {
        let _ = write!(out, "  - id: s{i}\n    owner: Team {}\n", i % 7);
        if i > 0 {
            let count = 1 + rng.below(3);
            let mut after: Vec<u64> = (0..count).map(|_| i as u64 - 1 - rng.below((i as u64).min(10))).collect();
            after.sort_unstable();
            after.dedup();
            let names: Vec<String> = after.iter().map(|a| format!("s{a}")).collect();
            let _ = writeln!(out, "    after: [{}]", names.join(", "));
        } else {
            out.push_str("    after: []\n");
        }
        let takes = 1 + rng.below(20);
        let kind = if i == 0 || i % 5 == 4 {
            "check"
        } else if i % 10 == 3 {
            "backup"
        } else {
            "change"
        };
        let _ = writeln!(out, "    kind: {kind}");
        if i % 3 == 0 {
            let _ = writeln!(out, "    takes: [{}m, {}m, {}m]", takes, takes + 2, takes * 3 + 5);
        } else {
            let _ = writeln!(out, "    takes: {takes}m");
        }
        match kind {
            "check" => {
                let _ = writeln!(out, "    do: Check the state of component {i} against the baseline");
            }
            "backup" => {
                let _ =
                    writeln!(out, "    backs_up: [data-{i}]\n    do: Back up the data of component {i} to the share");
            }
            _ => {
                let _ = writeln!(
                    out,
                    "    do: Reconfigure component {c} for the new release\n    sets: {{ c{c}: new }}\n    \
                     undo: {{ do: Restore component {c} to its old configuration, takes: {}m, sets: {{ c{c}: absent }} }}",
                    1 + rng.below(10),
                    c = i % resources
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_seed_same_plan() {
        assert_eq!(super::plan(50, 7), super::plan(50, 7));
        assert_ne!(super::plan(50, 7), super::plan(50, 8));
    }
}
