//! Monte Carlo in batches: the same figures whatever ran them (one thread or
//! several, in any order, or a few runs at a time as the app does), `--runs N`
//! exactly, and the default that stops once every share is precise enough.

use retreat_core::sim::{MonteCarlo, Progress, Sampler, Settings};
use retreat_core::{Analysis, MonteCarloRuns, Options, analyze};

use crate::support::{TempFile, read, retreat};

const HEAD: &str = "title: T\npurpose: p\nreason: r\ncurrent_state: c\nfuture_state: f\nmonitoring: m\n";

/// One undo of [10m, 20m, 30m] that fits exactly when it takes at most 20m:
/// the rollback fits in about half the runs.
fn half_and_half() -> String {
    format!(
        "{HEAD}window: {{start: 2026-12-05T22:00:00Z, duration: 1h}}
rollback: {{decide: 10m, announce: Tell the desk, verify: {{do: Check it all, takes: 20m}}}}
steps:
  - {{id: x, takes: 10m, do: Switch to the new engine, undo: {{do: Switch back to the old one, takes: [10m, 20m, 30m]}}}}
"
    )
}

/// The hospital example with a window so short that many shares are far
/// from 0 and 1.
fn tight_hospital() -> String {
    read("www/examples/hl7-engine-replacement.yaml").replace(
        "window:\n  start: 2026-12-05T22:00:00+00:00\n  end: 2026-12-06T04:00:00+00:00",
        "window:\n  start: 2026-12-05T22:00:00+00:00\n  end: 2026-12-05T23:58:00+00:00",
    )
}

fn skip() -> Options {
    Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() }
}

fn in_core(text: &str, settings: Settings) -> MonteCarlo {
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(settings), ..Options::default() };
    analyze(text, &options).simulation.expect("sim").monte_carlo.expect("mc")
}

/// The app's way: a few runs at a time.
fn by_progress(a: &Analysis, settings: Settings, step: u32) -> MonteCarlo {
    let (plan, graph, sim) = (&a.plan, a.graph.as_ref().expect("graph"), a.simulation.as_ref().expect("sim"));
    let mut progress = Progress::new(plan, graph, sim, settings);
    while !progress.is_finished() {
        progress.advance(plan, graph, sim, step);
    }
    progress.result()
}

/// `retreat simulate --format json` with `args`, its `monte_carlo` object.
fn simulate_json(text: &str, args: &[&str]) -> serde_json::Value {
    let file = TempFile::new("plan.yaml", text.as_bytes());
    let mut all = vec!["simulate", file.path_str(), "--format", "json"];
    all.extend_from_slice(args);
    let run = retreat(&all, None, None);
    assert_eq!(run.status, 0, "{all:?}: {}", run.stderr);
    let got: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    got["monte_carlo"].clone()
}

#[test]
fn batches_in_any_order_on_any_threads_give_the_same_figures() {
    let text = tight_hospital();
    let a = analyze(&text, &skip());
    let (plan, graph, sim) = (&a.plan, a.graph.as_ref().expect("graph"), a.simulation.as_ref().expect("sim"));
    let settings = Settings::exactly(1_050, 11);
    let sampler = Sampler::new(plan, graph, sim, settings);
    let batches = settings.batches();
    assert_eq!(batches, 11, "the last batch is short");
    // Last to first, and from three threads taking every third batch.
    let mut backwards = sampler.tally();
    for index in (0..batches).rev() {
        backwards.add(sampler.batch(index));
    }
    let mut threaded = sampler.tally();
    let done: Vec<_> = std::thread::scope(|s| {
        let sampler = &sampler;
        let handles: Vec<_> = (0..3)
            .map(|t| s.spawn(move || (t..batches).step_by(3).map(|i| sampler.batch(i)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("thread")).collect()
    });
    for batch in done {
        threaded.add(batch);
    }
    let whole = in_core(&text, settings);
    let lean = Sampler::new(plan, graph, sim, settings).without_histograms();
    let mut without = lean.tally();
    for index in 0..batches {
        without.add(lean.batch(index));
    }
    let without = without.result();
    assert!(without.done_histograms.is_empty());
    assert_eq!(MonteCarlo { done_histograms: whole.done_histograms.clone(), ..without }, whole);
    assert_eq!(backwards.result(), whole);
    assert_eq!(threaded.result(), whole);
    assert_eq!(by_progress(&a, settings, 37), whole);
    assert_eq!(whole.runs, 1_050);
    assert!(whole.p_rollback_fits.iter().any(|&p| p > 0.05 && p < 0.95), "{whole:?}");
}

#[test]
fn the_command_gives_the_same_figures_on_1_2_and_4_threads() {
    let text = tight_hospital();
    for args in [&["--seed", "4"][..], &["--runs", "1234", "--seed", "4"]] {
        let runs: Vec<serde_json::Value> =
            ["1", "2", "4"].iter().map(|t| simulate_json(&text, &[args, &["--threads", t]].concat())).collect();
        assert_eq!(runs[0], runs[1], "{args:?}");
        assert_eq!(runs[0], runs[2], "{args:?}");
        // And the same as the core's own run on this thread, and the app's.
        let settings =
            if args.len() > 2 { Settings::exactly(1234, 4) } else { Settings { seed: 4, ..Settings::DEFAULT } };
        let mc = in_core(&text, settings);
        let app = by_progress(&analyze(&text, &skip()), settings, 64);
        assert_eq!(app, mc);
        // (serde_json reads floats back to within a unit in the last place.)
        let close = |json: &serde_json::Value, x: f64| json.as_f64().is_some_and(|j| (j - x).abs() < 1e-12);
        assert_eq!(runs[0]["runs"].as_u64(), Some(u64::from(mc.runs)));
        assert!(close(&runs[0]["half_width"], mc.half_width), "{}", runs[0]);
        assert!(close(&runs[0]["p_forward_fits"], mc.p_forward_fits), "{}", runs[0]);
        let a = analyze(&text, &skip());
        let points = &a.simulation.as_ref().expect("sim").points;
        for (p, &share) in points.iter().zip(&mc.p_rollback_fits) {
            assert!(close(&runs[0]["p_rollback_fits"][a.plan.steps[p.step].id()], share), "{}", runs[0]);
        }
    }
}

#[test]
fn runs_n_makes_exactly_n_runs() {
    // Every share of the contract's example is 1.0: the default stops at
    // 200 runs, `--runs` does not stop early.
    let text = read("www/examples/hl7-engine-replacement.yaml");
    for n in [1, 150, 1234] {
        let mc = simulate_json(&text, &["--runs", &n.to_string()]);
        assert_eq!(mc["runs"].as_u64(), Some(n), "{mc}");
    }
}

#[test]
fn the_default_stops_once_every_share_is_precise_enough() {
    // Shares at 0 or 1: 200 runs give a Wilson half-width under 1 point.
    let text = read("www/examples/hl7-engine-replacement.yaml");
    let mc = in_core(&text, Settings::DEFAULT);
    assert!(mc.p_rollback_fits.iter().chain([&mc.p_forward_fits]).all(|&p| p == 0.0 || p == 1.0), "{mc:?}");
    assert_eq!(mc.runs, 200);
    assert!(mc.half_width <= 0.01, "{}", mc.half_width);
    // Shares in between take longer; those near one half take the most,
    // and still fewer than 10,000 runs reach one point.
    let tight = in_core(&tight_hospital(), Settings::DEFAULT);
    assert!(tight.runs > 200 && tight.runs < 10_000, "{}", tight.runs);
    assert!(tight.half_width <= 0.01, "{}", tight.half_width);
    // Independent runs need about 9,600 for a share of one half.
    let alone = Settings { antithetic: false, ..Settings::DEFAULT };
    let half = in_core(&half_and_half(), alone);
    assert!((0.47..=0.53).contains(&half.p_rollback_fits[0]), "{half:?}");
    assert!(half.runs >= 9_000 && half.runs < 10_000 && half.half_width <= 0.01, "{} {}", half.runs, half.half_width);
    // In antithetic pairs, this undo (it fits below its median) fits in
    // exactly one run of every pair: the pairs' variance is nil, and the
    // runs are only cut twentyfold (`MIN_DEFF`), to 9,604 / 20 rounded up
    // to a batch.
    let paired = in_core(&half_and_half(), Settings::DEFAULT);
    assert_eq!(paired.runs, 500, "{paired:?}");
    assert!((0.48..=0.52).contains(&paired.p_rollback_fits[0]), "{paired:?}");
    assert!(paired.half_width <= 0.01, "{}", paired.half_width);
}

#[test]
fn antithetic_pairs_agree_with_independent_runs() {
    // Every share of the paired default within both intervals of the one
    // 10,000 independent runs give (a generous bound: their sum).
    // The synthetic plan of 100 steps: its forward share and ten rollback
    // shares lie between 0.05 and 0.95.
    let text = retreat_core::synth::plan(100, 1);
    let paired = in_core(&text, Settings::DEFAULT);
    let alone = in_core(&text, Settings { antithetic: false, ..Settings::exactly(10_000, 9) });
    assert!(paired.runs < alone.runs, "{} runs", paired.runs);
    let shares = paired
        .p_rollback_fits
        .iter()
        .zip(&alone.p_rollback_fits)
        .chain([(&paired.p_forward_fits, &alone.p_forward_fits)]);
    for (k, (p, q)) in shares.enumerate() {
        assert!((p - q).abs() <= paired.half_width + alone.half_width, "share {k}: {p} against {q}");
    }
    let middle = paired.p_rollback_fits.iter().filter(|&&p| p > 0.05 && p < 0.95).count();
    assert!(middle >= 5, "{middle} shares away from 0 and 1");
}

#[test]
fn the_most_runs_are_made_when_the_precision_is_not_reached() {
    // Half a point cannot be had from 10,000 runs of a share near one half.
    let settings = Settings { precision: Some(0.005), antithetic: false, ..Settings::DEFAULT };
    let mc = in_core(&half_and_half(), settings);
    assert_eq!(mc.runs, 10_000);
    assert!(mc.half_width > 0.005 && mc.half_width < 0.01, "{}", mc.half_width);
    let text = half_and_half();
    let json = simulate_json(&text, &[]);
    assert!(json["runs"].as_u64().is_some_and(|r| r < 10_000), "{json}");
}

#[test]
fn a_long_simulation_off_a_terminal_prints_nothing_on_stderr() {
    // Long enough (over a second in a debug build) for the progress bar to
    // show on a terminal; here standard error is a pipe, and stays empty.
    // The plan has errors, which both runs tell on standard error alike.
    let plan = retreat_core::synth::plan(1_500, 1);
    let file = TempFile::new("plan.yaml", plan.as_bytes());
    let run = |runs: &str| retreat(&["simulate", file.path_str(), "--runs", runs, "--threads", "1"], None, None);
    let start = std::time::Instant::now();
    let long = run("600");
    let took = start.elapsed();
    let short = run("1");
    assert_eq!((long.status, short.status), (0, 0), "{}", long.stderr);
    assert!(long.stdout.contains("of 600 simulated runs"), "{}", &long.stdout[..400.min(long.stdout.len())]);
    assert_eq!(long.stderr, short.stderr, "took {took:?}");
    assert!(!long.stderr.contains(['\r', '\u{1b}']), "{:?}", long.stderr);
}

#[test]
fn wilson_half_widths_are_honest_at_0_and_1() {
    use retreat_core::sim::montecarlo::wilson_half_width;
    // 1.96² / (2 (n + 1.96²)) at a share of 1.0: just under a point at 200 runs.
    assert!(wilson_half_width(100, 100) > 0.01);
    assert!(wilson_half_width(200, 200) < 0.01 && wilson_half_width(0, 200) == wilson_half_width(200, 200));
    // Near the normal approximation's 1.96 sqrt(p (1 - p) / n) in the middle.
    let h = wilson_half_width(5_000, 10_000);
    assert!((h - 0.0098).abs() < 0.0001, "{h}");
    assert_eq!(wilson_half_width(0, 0), 0.5);
}

/// With crews each run schedules every started set's rollback: the runs
/// are cut to the crews' work budget, the same for every seed and setting,
/// and the result says how many were made; `Progress` (the app) counts to
/// the same cut.
#[test]
fn with_crews_the_runs_are_cut_to_a_work_budget_and_reported() {
    let text = format!("{}crew: {{\"*\": 1}}\n", retreat_core::synth::plan(1500, 4));
    let analysis = analyze(&text, &Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() });
    let (plan, graph, sim) =
        (&analysis.plan, analysis.graph.as_ref().expect("graph"), analysis.simulation.as_ref().expect("sim"));
    let cut = Sampler::new(plan, graph, sim, Settings::exactly(100_000, 1)).settings().runs;
    assert!((1..1_000).contains(&cut), "{cut} runs");
    assert_eq!(Sampler::new(plan, graph, sim, Settings { seed: 9, ..Settings::DEFAULT }).settings().runs, cut);
    // Fewer runs than the cut are not touched.
    assert_eq!(Sampler::new(plan, graph, sim, Settings::exactly(cut - 1, 1)).settings().runs, cut - 1);
    let progress = Progress::new(plan, graph, sim, Settings::exactly(100_000, 1));
    assert_eq!(progress.done(), (0, cut));
    // Without the crew, nothing is cut.
    let plain = analyze(
        &retreat_core::synth::plan(1500, 4),
        &Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() },
    );
    let plain_sim = plain.simulation.as_ref().expect("sim");
    let runs =
        Sampler::new(&plain.plan, plain.graph.as_ref().expect("graph"), plain_sim, Settings::exactly(100_000, 1));
    assert_eq!(runs.settings().runs, 100_000);
}
