//! The simulator against hand-computed plans: every figure (fail time, undo
//! order, rollback chain, done, margin, deadline, leftovers) worked out on
//! paper first, in minutes from the window's start.

use retreat_core::sim::{Settings, Simulation};
use retreat_core::{Analysis, MonteCarloRuns, Options, analyze};

fn simulate(text: &str) -> (Analysis, Simulation) {
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(Settings::exactly(200, 7)), ..Options::default() };
    let mut analysis = analyze(text, &options);
    let sim = analysis.simulation.take().expect("a plan with a window simulates");
    (analysis, sim)
}

/// `(step, fail, chain, done, margin, fits, no_way_back)` per point, in minutes.
fn figures(a: &Analysis, sim: &Simulation) -> Vec<(String, f64, f64, f64, f64, bool, bool)> {
    sim.points
        .iter()
        .map(|p| {
            let m = |s: f64| s / 60.0;
            (
                a.plan.steps[p.step].id().to_string(),
                m(p.fail),
                m(p.chain),
                m(p.done),
                m(p.margin),
                p.fits,
                p.no_way_back,
            )
        })
        .collect()
}

fn waves(a: &Analysis, sim: &Simulation, step: &str) -> Vec<Vec<String>> {
    let point = sim.points.iter().find(|p| a.plan.steps[p.step].id() == step).expect("point");
    let graph = a.graph.as_ref().expect("graph");
    sim.rollback(graph, point)
        .waves
        .into_iter()
        .map(|w| w.into_iter().map(|i| a.plan.steps[i].id().to_string()).collect())
        .collect()
}

fn s(v: &str) -> String {
    v.to_string()
}

const HEAD: &str = "title: T\npurpose: p\nreason: r\ncurrent_state: c\nfuture_state: f\nmonitoring: m\n";

/// Two branches after `a`; `c` fails while `b` is still running.
const PARALLEL: &str = "window: {start: 2026-12-05T22:00:00Z, duration: 4h}
rollback: {decide: 10m, announce: Tell the desk, verify: {do: Check it all, takes: 20m}}
steps:
  - {id: a, after: [], takes: 10m, do: Change thing a, undo: {do: Revert thing a, takes: 5m}}
  - {id: b, after: [a], takes: 30m, do: Change thing b, undo: {do: Revert thing b, takes: 20m}}
  - {id: c, after: [a], takes: 10m, do: Change thing c, undo: {do: Revert thing c, takes: 15m}}
  - {id: d, after: [b, c], kind: check, takes: 10m, do: Check all three things}
";

#[test]
fn parallel_branches_and_a_step_still_running() {
    let (a, sim) = simulate(&format!("{HEAD}{PARALLEL}"));
    assert_eq!(sim.forward_finish / 60.0, 50.0);
    assert_eq!(
        figures(&a, &sim),
        [
            (s("a"), 10.0, 5.0, 45.0, 195.0, true, false),
            // b started at 10 and runs until 40: it is undone too, in parallel with c.
            (s("c"), 20.0, 25.0, 75.0, 165.0, true, false),
            (s("b"), 40.0, 25.0, 95.0, 145.0, true, false),
            (s("d"), 50.0, 25.0, 105.0, 135.0, true, false),
        ]
    );
    assert_eq!(waves(&a, &sim, "a"), [[s("a")]]);
    assert_eq!(waves(&a, &sim, "c"), vec![vec![s("b"), s("c")], vec![s("a")]]);
    // T + 10 + chain(T) + 20 <= 240 with chain 25 once b and c have started.
    assert_eq!(sim.deadline.map(|t| t / 60.0), Some(185.0));
    let path: Vec<&str> = sim.critical_path.iter().map(|&i| a.plan.steps[i].id()).collect();
    assert_eq!(path, ["a", "b", "d"]);
    // The runbook's clock: c fails at 20, the rollback is called at 30; b's
    // undo (20) and c's (15) run at once, a's after b's.
    let graph = a.graph.as_ref().expect("graph");
    let run = sim.rollback(graph, &sim.points[1]);
    let times: Vec<(String, f64, f64)> =
        run.undos.iter().map(|u| (a.plan.steps[u.step].id().to_string(), u.start / 60.0, u.finish / 60.0)).collect();
    assert_eq!(times, [(s("b"), 30.0, 50.0), (s("c"), 30.0, 45.0), (s("a"), 50.0, 55.0)]);
    assert_eq!((run.called / 60.0, run.verify_start / 60.0, run.done / 60.0), (30.0, 55.0, 75.0));
}

/// A prep change, a step whose undo forgets a resource, a gate and a point of no return.
const PREP_AND_NO_WAY_BACK: &str = "window: {start: 2026-12-05T22:00:00+01:00, duration: 6h}
rollback: {decide: 15m, announce: Tell the desk, verify: {do: Check it all, takes: 30m}}
baseline: {db: old}
steps:
  - {id: prep1, phase: prep, takes: 1h, do: Mount the temporary share, sets: {temp: mounted}, undo: {do: Unmount the share, takes: 10m, sets: {temp: absent}}}
  - {id: s1, after: [], takes: 20m, do: Move the database over, sets: {db: new}, undo: {do: Move the database back, takes: 40m, sets: {db: old}}}
  - {id: s2, takes: 10m, do: Warm the new cache, sets: {cache: warm}, undo: {do: Leave the cache as it is, takes: 5m}}
  - {id: gate, kind: decision, takes: 5m, do: Go or no-go on the bridge}
  - {id: s3, takes: 10m, do: Drop the old database files, irreversible: The files are gone}
  - {id: check, kind: check, takes: 15m, do: Run the smoke queries again}
";

#[test]
fn prep_changes_irreversible_steps_and_leftovers() {
    let (a, sim) = simulate(&format!("{HEAD}{PREP_AND_NO_WAY_BACK}"));
    assert_eq!(
        figures(&a, &sim),
        [
            // The prep change is in every rollback: chain = 40 (s1) + 10 (prep1).
            (s("s1"), 20.0, 50.0, 115.0, 245.0, true, false),
            (s("s2"), 30.0, 55.0, 130.0, 230.0, true, false),
            (s("gate"), 35.0, 55.0, 135.0, 225.0, true, false),
            (s("s3"), 45.0, 55.0, 145.0, 215.0, true, true),
            (s("check"), 60.0, 55.0, 160.0, 200.0, true, true),
        ]
    );
    // Prep is undone last, after everything in the window.
    assert_eq!(waves(&a, &sim, "s2"), vec![vec![s("s2")], vec![s("s1")], vec![s("prep1")]]);
    // A rollback can be called until s3, the point of no return, starts.
    assert_eq!(sim.deadline.map(|t| t / 60.0), Some(35.0));
    let leftovers = |i: usize| -> Vec<(String, String, String)> {
        sim.leftovers(&sim.points[i])
            .iter()
            .map(|l| (l.resource.clone(), l.state.clone(), l.baseline.clone()))
            .collect()
    };
    assert!(leftovers(0).is_empty(), "{:?}", leftovers(0));
    assert_eq!(leftovers(1), [(s("cache"), s("warm"), s("absent"))]);
    assert_eq!(sim.clock(sim.points[1].fail), "22:30");
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"R004"), "{codes:?}");
    assert!(!codes.contains(&"T002") && !codes.contains(&"T005"), "{codes:?}");
}

#[test]
fn no_moment_fits_when_prep_alone_takes_too_long_to_undo() {
    let text = format!(
        "{HEAD}window: {{start: 2026-12-05T22:00:00Z, duration: 1h}}
rollback: {{decide: 10m, announce: Tell the desk, verify: {{do: Check it all, takes: 30m}}}}
steps:
  - {{id: p, phase: prep, takes: 1h, do: Install the new engine, undo: {{do: Remove the new engine, takes: 30m}}}}
  - {{id: x, takes: 10m, do: Switch to the new engine, undo: {{do: Switch back to the old one, takes: 10m}}}}
  - {{id: go, kind: decision, takes: 5m, do: Go or no-go on the bridge}}
"
    );
    let (a, sim) = simulate(&text);
    assert_eq!(sim.deadline, None);
    assert_eq!(figures(&a, &sim)[0], (s("x"), 10.0, 40.0, 90.0, -30.0, false, false));
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"T002") && codes.contains(&"T005"), "{codes:?}");
}

#[test]
fn the_contract_example_gives_the_contracts_figures() {
    let plan = crate::support::contract_example();
    let file = crate::support::TempFile::new("plan.yaml", plan.as_bytes());
    let run = crate::support::retreat(&["simulate", file.path_str(), "--format", "json"], None, None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let got: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let expected: serde_json::Value = serde_json::from_str(
        r#"{"window": {"start": "2026-11-28T22:00:00Z", "end": "2026-11-29T04:00:00Z"},
            "forward": {"finish_minutes": 70.0, "fits": true,
                        "critical_path": ["notify", "baseline", "backup", "stop-feed", "switch", "go-no-go", "smoke"]},
            "rollback_deadline_minutes": 305.0}"#,
    )
    .expect("expected");
    for key in ["window", "forward", "rollback_deadline_minutes"] {
        assert_eq!(got[key], expected[key], "{key}");
    }
    let switch =
        got["failure_points"].as_array().expect("points").iter().find(|p| p["step"] == "switch").expect("switch");
    let expected_switch: serde_json::Value = serde_json::from_str(
        r#"{"step": "switch", "fail_minutes": 45.0,
            "undo_order": [["switch"], ["stop-feed"]], "rollback_minutes": 25.0,
            "done_minutes": 100.0, "margin_minutes": 260.0, "fits": true,
            "no_way_back": false, "leftovers": []}"#,
    )
    .expect("expected");
    assert_eq!(switch, &expected_switch);
    // Every share is 1.0: 200 runs pin them to a percentage point (95%), so
    // the default stops there (the contract's 10,000 was the old fixed count).
    let mc = &got["monte_carlo"];
    assert_eq!(
        (mc["runs"].as_u64(), mc["seed"].as_u64(), mc["p_forward_fits"].as_f64()),
        (Some(200), Some(1), Some(1.0))
    );
    assert_eq!(mc["p_rollback_fits"]["switch"].as_f64(), Some(1.0));
    let half_width = mc["half_width"].as_f64().expect("half_width");
    assert!(half_width > 0.0 && half_width <= 0.01, "{half_width}");
    let keys: Vec<&str> = mc.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["half_width", "p_forward_fits", "p_rollback_fits", "runs", "seed"]);
    let keys: Vec<&str> = got.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["failure_points", "forward", "monte_carlo", "rollback_deadline_minutes", "window"]);
}

#[test]
fn a_symmetric_estimate_fits_about_half_the_time_at_its_likely_value() {
    // The undo takes [10m, 20m, 30m]; the rollback fits exactly when it takes
    // at most 20m: 10 + 10 (decide) + undo + 20 (verify) <= 60.
    let text = format!(
        "{HEAD}window: {{start: 2026-12-05T22:00:00Z, duration: 1h}}
rollback: {{decide: 10m, announce: Tell the desk, verify: {{do: Check it all, takes: 20m}}}}
steps:
  - {{id: x, takes: 10m, do: Switch to the new engine, undo: {{do: Switch back to the old one, takes: [10m, 20m, 30m]}}}}
"
    );
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(Settings::exactly(10_000, 3)), ..Options::default() };
    let sim = analyze(&text, &options).simulation.expect("sim");
    assert!(sim.points[0].fits && sim.points[0].margin == 0.0);
    let p = sim.monte_carlo.expect("mc").p_rollback_fits[0];
    assert!((0.47..=0.53).contains(&p), "fits in {p} of the runs");
}

#[test]
fn the_same_seed_gives_the_same_figures() {
    let text = crate::support::read("www/examples/hl7-engine-replacement.yaml").replace(
        "window:\n  start: 2026-12-05T22:00:00+00:00\n  end: 2026-12-06T04:00:00+00:00",
        "window:\n  start: 2026-12-05T22:00:00+00:00\n  end: 2026-12-05T23:58:00+00:00",
    );
    let run = |seed| {
        let options =
            Options { monte_carlo: MonteCarloRuns::Exactly(Settings::exactly(2_000, seed)), ..Options::default() };
        analyze(&text, &options).simulation.expect("sim").monte_carlo.expect("mc")
    };
    let (a, b, c) = (run(11), run(11), run(12));
    assert_eq!(a, b);
    assert!(a.p_forward_fits > 0.0 && a.p_forward_fits < 1.0, "{a:?}");
    assert_ne!(a.p_forward_fits, c.p_forward_fits);
}

#[test]
fn the_simulate_command_prints_a_table_a_deadline_and_a_timeline() {
    let run = crate::support::retreat(
        &["simulate", "hl7-engine-replacement.yaml", "--runs", "2000"],
        Some(&crate::support::root().join("www/examples")),
        None,
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    insta::assert_snapshot!("simulate_hospital_example", run.stdout);
}

#[test]
fn the_simulate_command_refuses_what_it_cannot_simulate() {
    let no_window = crate::support::TempFile::new("plan.yaml", b"title: T\nsteps: [{id: a, do: x y z}]\n");
    let run = crate::support::retreat(&["simulate", no_window.path_str()], None, None);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("has no `window`"), "{}", run.stderr);
    let broken = crate::support::TempFile::new("plan.yaml", b"title: T\nsteps: [\n");
    let run = crate::support::retreat(&["simulate", broken.path_str()], None, None);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("does not parse"), "{}", run.stderr);
    for args in [
        &["simulate"][..],
        &["simulate", "x.yaml", "--runs", "0"],
        &["simulate", "x.yaml", "--seed", "-1"],
        &["simulate", "a.yaml", "b.yaml"],
    ] {
        assert_eq!(crate::support::retreat(args, None, None).status, 2, "{args:?}");
    }
}

#[test]
fn monte_carlo_a_few_runs_at_a_time_gives_the_same_figures() {
    let text = crate::support::read("tests/fixtures/rules/T004/fires.yaml");
    let settings = Settings::exactly(600, 5);
    let whole = analyze(&text, &Options { monte_carlo: MonteCarloRuns::Exactly(settings), ..Options::default() });
    let mut parts = analyze(&text, &Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() });
    assert!(!parts.diagnostics.iter().any(|d| d.code == "T004"));
    let (plan, graph, sim) =
        (&parts.plan, parts.graph.as_ref().expect("graph"), parts.simulation.as_ref().expect("sim"));
    let mut progress = retreat_core::sim::Progress::new(plan, graph, sim, settings);
    while !progress.is_finished() {
        progress.advance(plan, graph, sim, 7);
    }
    let mc = progress.result();
    assert_eq!(Some(&mc), whole.simulation.as_ref().and_then(|s| s.monte_carlo.as_ref()));
    assert_eq!(mc.done_histograms[0].iter().sum::<u32>(), 600);
    retreat_core::add_monte_carlo(&mut parts, mc, &Options::default());
    assert_eq!(parts.diagnostics, whole.diagnostics);
}

/// The same figures come out of the wasm build (`crates/web/src/tests.rs` asserts
/// the very same numbers in Chromium).
#[test]
fn monte_carlo_figures_are_pinned_across_platforms() {
    let text = crate::support::read("www/examples/mistake-rollback-too-long.yaml");
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(Settings::exactly(500, 3)), ..Options::default() };
    let sim = analyze(&text, &options).simulation.expect("sim");
    let mc = sim.monte_carlo.expect("mc");
    assert_eq!(mc.p_forward_fits, 1.0);
    assert_eq!(mc.p_rollback_fits[5..8], [0.166, 0.058, 0.02]);
}

#[test]
fn a_plan_whose_steps_were_built_without_the_parser_simulates_the_same() {
    let (a, sim) = simulate(&format!("{HEAD}{PREP_AND_NO_WAY_BACK}"));
    let graph = a.graph.as_ref().expect("graph");
    let mut by_hand = a.plan.clone();
    by_hand.step_columns = Default::default();
    assert_eq!(by_hand.columns().into_owned(), a.plan.step_columns);
    let again = retreat_core::sim::simulate(&by_hand, graph, None).expect("simulates");
    assert_eq!(again.points, sim.points);
    for (p, q) in again.points.iter().zip(&sim.points) {
        assert_eq!(again.leftovers(p), sim.leftovers(q));
    }
    assert!(sim.points.iter().any(|p| !sim.leftovers(p).is_empty()), "the plan leaves something behind");
    assert_eq!((again.deadline, again.started_order), (sim.deadline, sim.started_order));
}
