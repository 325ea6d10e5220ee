//! The run log (section 6): read against its plan with every problem a
//! diagnostic at its place, and what is sound kept.

use retreat_core::LineIndex;
use retreat_core::live::{self, Actual};

use crate::support::read;

/// The plan of section 1 of the contract, as printed there.
fn contract_plan() -> (retreat_core::Plan, Option<String>) {
    let parsed = retreat_core::parse(&crate::support::contract_example());
    (parsed.plan, parsed.hash)
}

fn step(plan: &retreat_core::Plan, id: &str) -> usize {
    plan.steps.iter().position(|s| s.id() == id).expect("step")
}

#[test]
fn a_sound_log_gives_each_steps_actual_times_and_now() {
    let (plan, hash) = contract_plan();
    let text = format!(
        "plan_hash: {}\nevents:\n  - {{ step: stop-feed, started: 2026-11-28T22:31:00Z, finished: 2026-11-28T22:44:00Z }}\n  - {{ step: switch, started: 2026-11-28T23:44:00+01:00 }}\n  - {{ rollback_called: 2026-11-28T23:10:00Z, note: the switch failed }}\n  - {{ undo: switch, started: 2026-11-28T23:12:00Z }}\n",
        hash.as_deref().expect("hash")
    );
    let parsed = live::read(&text, &plan, hash.as_deref());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let r = &parsed.record;
    assert_eq!(r.steps[step(&plan, "stop-feed")], Actual { started: Some(31.0 * 60.0), finished: Some(44.0 * 60.0) });
    // 23:44 at +01:00 is 22:44Z.
    assert_eq!(r.steps[step(&plan, "switch")], Actual { started: Some(44.0 * 60.0), finished: None });
    assert_eq!(r.undos[step(&plan, "switch")], Actual { started: Some(72.0 * 60.0), finished: None });
    assert_eq!(r.rollback_called, Some(70.0 * 60.0));
    // No `as_of`: now is the latest time in the log.
    assert_eq!(r.now, 72.0 * 60.0);
    let with_now = live::read(&format!("as_of: 2026-11-28T23:20:00Z\n{text}"), &plan, hash.as_deref());
    assert_eq!(with_now.record.now, 80.0 * 60.0);
    // JSON reads the same.
    let json =
        r#"{"events": [{"step": "stop-feed", "started": "2026-11-28T22:31:00Z", "finished": "2026-11-28T22:44:00Z"}]}"#;
    let from_json = live::read(json, &plan, hash.as_deref());
    assert_eq!(from_json.record.steps[step(&plan, "stop-feed")], r.steps[step(&plan, "stop-feed")]);
}

#[test]
fn one_bad_event_hides_neither_the_next_nor_the_sound_ones() {
    let (plan, hash) = contract_plan();
    let text = "events:\n  - { step: stop-fed, started: 2026-11-28T22:31:00Z }\n  - { step: backup, started: 2026-11-28T22:20:00Z, finished: 2026-11-28T22:10:00Z }\n  - { step: baseline, started: 2026-11-28T22:10:00Z, finished: 2026-11-28T22:20:00Z }\n  - { step: switch, started: soon }\n";
    let parsed = live::read(text, &plan, hash.as_deref());
    let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["G001", "P003", "P003"], "{:?}", parsed.diagnostics);
    assert_eq!(parsed.diagnostics[0].help.as_deref(), Some("did you mean `stop-feed`?"));
    let baseline = parsed.record.steps[step(&plan, "baseline")];
    assert_eq!(baseline, Actual { started: Some(600.0), finished: Some(1200.0) });
    assert_eq!(parsed.record.steps[step(&plan, "backup")], Actual::default());
}

#[test]
fn every_bad_log_gives_its_diagnostic_at_its_place() {
    let (plan, hash) = contract_plan();
    let manifest = read("tests/fixtures/bad-logs/MANIFEST");
    let mut checked = 0;
    for line in manifest.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let text = read(&format!("tests/fixtures/bad-logs/{}", parts[0]));
        let parsed = live::read(&text, &plan, hash.as_deref());
        let index = LineIndex::new(&text);
        let found: Vec<(&str, u32, u32)> = parsed
            .diagnostics
            .iter()
            .map(|d| {
                let at = index.line_col(d.span.start);
                (d.code, at.line, at.column)
            })
            .collect();
        let at = parts.get(2).map(|p| {
            let (l, c) = p.split_once(':').expect("line:column");
            (l.parse::<u32>().expect("line"), c.parse::<u32>().expect("column"))
        });
        let hit = found.iter().any(|&(code, l, c)| code == parts[1] && at.is_none_or(|at| at == (l, c)));
        assert!(hit, "{}: wanted {} at {at:?}, got {found:?}", parts[0], parts[1]);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} bad logs");
}

#[test]
fn a_plan_without_a_window_has_no_time_to_count_from() {
    let plan =
        retreat_core::parse("title: No window\nsteps:\n  - { id: a, do: Do the one thing now, takes: 5m }\n").plan;
    let parsed = live::read("events:\n  - { step: a, started: 2026-11-28T22:31:00Z }\n", &plan, None);
    assert_eq!(parsed.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), ["P003"]);
}

/// The contract plan's forecast from `log`.
fn forecast_of(log: &str) -> (retreat_core::Plan, live::Forecast) {
    let (plan, hash) = contract_plan();
    let graph = retreat_core::graph::PlanGraph::build(&plan);
    let sim = retreat_core::sim::simulate(&plan, &graph, None).expect("window");
    let parsed = live::read(log, &plan, hash.as_deref());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let f = live::forecast(&plan, &graph, &sim, &parsed.record).expect("forecast");
    (plan, f)
}

const M: f64 = 60.0;

#[test]
fn a_late_backup_moves_everything_after_it_and_the_deadline_stays() {
    // Planned: notify 0-5, baseline 5-15, backup 15-25, stop-feed 25-30,
    // switch 30-45, go-no-go 45-50, smoke 50-70. The backup ran 15 minutes
    // long; stop-feed started at 40 and it is 22:44.
    let (plan, f) = forecast_of(
        "as_of: 2026-11-28T22:44:00Z
events:
  - { step: notify, started: 2026-11-28T22:00:00Z, finished: 2026-11-28T22:05:00Z }
  - { step: baseline, started: 2026-11-28T22:05:00Z, finished: 2026-11-28T22:15:00Z }
  - { step: backup, started: 2026-11-28T22:15:00Z, finished: 2026-11-28T22:40:00Z }
  - { step: stop-feed, started: 2026-11-28T22:40:00Z }
",
    );
    let row = |id: &str| *f.steps.iter().find(|s| s.step == step(&plan, id)).expect("row");
    assert_eq!(f.now, 44.0 * M);
    let expect = [
        ("notify", live::Status::Done, 0.0, 5.0, 0.0),
        ("backup", live::Status::Done, 15.0, 40.0, 15.0),
        ("stop-feed", live::Status::Running, 40.0, 45.0, 15.0),
        ("switch", live::Status::Waiting, 45.0, 60.0, 15.0),
        ("smoke", live::Status::Waiting, 65.0, 85.0, 15.0),
    ];
    for (id, status, start, finish, late) in expect {
        let r = row(id);
        assert_eq!((r.status, r.start, r.finish, r.late), (status, start * M, finish * M, late * M), "{id}");
    }
    assert_eq!((f.forward_finish, f.forward_fits), (85.0 * M, true));
    // Called now: stop-feed (running) is undone, 5 min; 44 + 10 + 5 + 20.
    assert_eq!(f.rollback_now.chain, 5.0 * M);
    assert_eq!((f.rollback_now.done, f.rollback_now.margin, f.rollback_now.fits), (79.0 * M, 281.0 * M, true));
    // Once switch has started the chain is 25 min: 360 - 10 - 25 - 20 = 305.
    assert_eq!(f.deadline, Some(305.0 * M));
    assert_eq!(f.to_deadline(), Some(261.0 * M));
    let points: Vec<(usize, f64, f64, f64)> =
        f.points.iter().map(|p| (p.step, p.fail / M, p.chain / M, p.done / M)).collect();
    assert_eq!(
        points,
        [
            (step(&plan, "stop-feed"), 45.0, 5.0, 80.0),
            (step(&plan, "switch"), 60.0, 25.0, 115.0),
            (step(&plan, "go-no-go"), 65.0, 25.0, 120.0),
            (step(&plan, "smoke"), 85.0, 25.0, 140.0),
        ]
    );
}

#[test]
fn a_step_far_past_its_finish_takes_the_log_past_the_deadline() {
    // Everything ran on time up to smoke, which started at 22:50 and is
    // still running at 03:30: a rollback now ends 25 min after the window.
    let (plan, f) = forecast_of(
        "as_of: 2026-11-29T03:30:00Z
events:
  - { step: notify, started: 2026-11-28T22:00:00Z, finished: 2026-11-28T22:05:00Z }
  - { step: baseline, started: 2026-11-28T22:05:00Z, finished: 2026-11-28T22:15:00Z }
  - { step: backup, started: 2026-11-28T22:15:00Z, finished: 2026-11-28T22:25:00Z }
  - { step: stop-feed, started: 2026-11-28T22:25:00Z, finished: 2026-11-28T22:30:00Z }
  - { step: switch, started: 2026-11-28T22:30:00Z, finished: 2026-11-28T22:45:00Z }
  - { step: go-no-go, started: 2026-11-28T22:45:00Z, finished: 2026-11-28T22:50:00Z }
  - { step: smoke, started: 2026-11-28T22:50:00Z }
",
    );
    let smoke = f.steps.iter().find(|s| s.step == step(&plan, "smoke")).expect("smoke");
    assert_eq!((smoke.status, smoke.finish, smoke.late), (live::Status::Running, 330.0 * M, 260.0 * M));
    assert_eq!((f.forward_finish, f.forward_fits), (330.0 * M, true));
    assert_eq!((f.rollback_now.done, f.rollback_now.fits), (385.0 * M, false));
    assert_eq!(f.deadline, Some(305.0 * M));
    assert_eq!(f.to_deadline(), Some(-25.0 * M));
    assert_eq!(f.points.len(), 1);
    assert_eq!((f.points[0].fail, f.points[0].margin, f.points[0].fits), (330.0 * M, -25.0 * M, false));
}

#[test]
fn a_log_that_matches_the_plan_gives_the_plans_own_figures() {
    let (plan, hash) = contract_plan();
    let graph = retreat_core::graph::PlanGraph::build(&plan);
    let sim = retreat_core::sim::simulate(&plan, &graph, None).expect("window");
    let clock = |secs: f64| {
        let t = 1_795_903_200 + secs as i64; // 2026-11-28T22:00:00Z
        let (h, m) = ((t % 86_400) / 3600, (t % 3600) / 60);
        let day = if t >= 1_795_910_400 { 29 } else { 28 };
        format!("2026-11-{day}T{h:02}:{m:02}:00Z")
    };
    // Every scheduled step done at its planned times; now is the last finish.
    let mut log = String::from("events:\n");
    for (i, s) in plan.steps.iter().enumerate() {
        if let Some(slot) = sim.slots[i] {
            log.push_str(&format!(
                "  - {{ step: {}, started: {}, finished: {} }}\n",
                s.id(),
                clock(slot.start),
                clock(slot.finish)
            ));
        }
    }
    let parsed = live::read(&log, &plan, hash.as_deref());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let f = live::forecast(&plan, &graph, &sim, &parsed.record).expect("forecast");
    assert_eq!(f.forward_finish, sim.forward_finish);
    assert_eq!(f.deadline, sim.deadline);
    assert!(f.steps.iter().all(|s| s.late == 0.0 && s.status == live::Status::Done), "{:?}", f.steps);
    assert!(f.points.is_empty());
}

#[test]
fn retreat_forecast_shows_the_board_and_writes_the_contracts_json() {
    let dir = crate::support::root().join("tests/fixtures/live");
    let board = crate::support::retreat(&["forecast", "plan.yaml", "--log", "late.yaml"], Some(&dir), None);
    assert_eq!(board.status, 0, "{}", board.stderr);
    insta::assert_snapshot!("forecast_late_board", board.stdout);
    let run =
        crate::support::retreat(&["forecast", "plan.yaml", "--log", "late.yaml", "--format", "json"], Some(&dir), None);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["as_of_minutes"], 44.0);
    assert_eq!(v["forward"]["finish_minutes"], 85.0);
    assert_eq!(v["rollback_now"]["done_minutes"], 79.0);
    assert_eq!(
        (v["rollback_deadline_minutes"].as_f64(), v["minutes_to_deadline"].as_f64()),
        (Some(305.0), Some(261.0))
    );
    assert_eq!(
        v["steps"][2],
        serde_json::json!({"step": "backup", "status": "done", "start_minutes": 15.0, "finish_minutes": 40.0, "late_minutes": 15.0})
    );
    assert_eq!(v["failure_points"][1]["step"], "switch");
    // The odds from now: 1,000 runs from seed 1 unless told.
    assert_eq!((v["monte_carlo"]["runs"].as_u64(), v["monte_carlo"]["seed"].as_u64()), (Some(1000), Some(1)));
    assert_eq!(v["monte_carlo"]["p_rollback_fits"]["switch"], 1.0);
    let told = crate::support::retreat(
        &["forecast", "plan.yaml", "--log", "late.yaml", "--format", "json", "--runs", "50", "--seed", "3"],
        Some(&dir),
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&told.stdout).expect("json");
    assert_eq!((v["monte_carlo"]["runs"].as_u64(), v["monte_carlo"]["seed"].as_u64()), (Some(50), Some(3)));
    // Later, past the deadline: a rollback now ends after the window.
    let late = crate::support::retreat(
        &["forecast", "plan.yaml", "--log", "late.yaml", "--now", "2026-11-29T03:30:00Z"],
        Some(&dir),
        None,
    );
    assert!(
        late.stdout.contains(
            "The rollback deadline passed 5 min ago (03:25): a rollback now ends at 04:05, 5 min after the window."
        ),
        "{}",
        late.stdout
    );
    // A bad log still forecasts, with its findings on standard error and status 1.
    let bad = crate::support::retreat(
        &["forecast", "plan.yaml", "--log", "../bad-logs/01-unknown-step.yaml"],
        Some(&dir),
        None,
    );
    assert_eq!(bad.status, 1);
    assert!(bad.stderr.contains("G001") && bad.stdout.contains("Call a rollback by"), "{} {}", bad.stderr, bad.stdout);
    let missing = crate::support::retreat(&["forecast", "plan.yaml"], Some(&dir), None);
    assert_eq!(missing.status, 2, "{}", missing.stderr);
}

#[test]
fn retreat_review_reads_like_a_post_implementation_review() {
    let dir = crate::support::root().join("tests/fixtures/live");
    let md = crate::support::retreat(&["review", "plan.yaml", "rolled-back.yaml"], Some(&dir), None);
    assert_eq!(md.status, 0, "{}", md.stderr);
    for expected in [
        "# Post-implementation review: Replace the HL7 interface engine",
        "| `backup` | 22:15–22:25 | 22:15–22:40 | 15 min late |",
        "- Called at 23:30; by the plan its undos take 25 min.",
        "- **Why:** the new engine dropped ORU messages",
        "- The undos ran from 23:31 to 00:03: 33 min after the call, 8 min more than planned.",
        "| `backup` | \\[5m, 10m, 30m\\] | 25 min | `takes: [5m, 25m, 45m]` |",
        "## For the retry",
    ] {
        assert!(md.stdout.contains(expected), "missing {expected:?} in\n{}", md.stdout);
    }
    insta::assert_snapshot!("review_rolled_back", md.stdout);
    let html =
        crate::support::retreat(&["review", "plan.yaml", "rolled-back.yaml", "--format", "html"], Some(&dir), None);
    assert!(html.stdout.starts_with("<!doctype html>") && html.stdout.contains("<h1>Post-implementation review: "));
}

pub(crate) mod properties {
    use proptest::prelude::*;
    use retreat_core::graph::PlanGraph;
    use retreat_core::live::{self, Actual, Record, Status};

    use crate::properties::{plan, render};

    /// The plan's own schedule as a log up to `cut` seconds: steps planned
    /// to finish by then done, those planned to start by then running.
    pub(crate) fn as_planned(sim: &retreat_core::sim::Simulation, n: usize, cut: f64) -> Record {
        let steps = (0..n)
            .map(|x| match sim.slots[x] {
                Some(s) if s.finish <= cut => Actual { started: Some(s.start), finished: Some(s.finish) },
                Some(s) if s.start <= cut => Actual { started: Some(s.start), finished: None },
                _ => Actual::default(),
            })
            .collect();
        Record { steps, undos: vec![Actual::default(); n], rollback_called: None, rollback_note: None, now: cut }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn a_log_as_planned_gives_the_plans_figures_and_the_deadline_holds_from_now(
            steps in plan(), share in 0.0f64..1.2
        ) {
            let plan = retreat_core::parse(&render(&steps, false, false)).plan;
            let graph = PlanGraph::build(&plan);
            let sim = retreat_core::sim::simulate(&plan, &graph, None).expect("window");
            let cut = (sim.forward_finish * share).floor();
            let f = live::forecast(&plan, &graph, &sim, &as_planned(&sim, plan.steps.len(), cut)).expect("forecast");
            for s in &f.steps {
                let planned = sim.slots[s.step].expect("scheduled");
                prop_assert_eq!((s.start, s.finish), (planned.start, planned.finish), "step {}", s.step);
            }
            prop_assert_eq!(f.forward_finish, sim.forward_finish);
            prop_assert_eq!(f.deadline, sim.deadline);
            // While a rollback called now fits, the deadline is not before now.
            if f.rollback_now.fits && !f.rollback_now.no_way_back {
                prop_assert!(f.deadline.is_some_and(|d| d >= f.now), "{:?} {}", f.deadline, f.now);
            }
        }

        #[test]
        fn a_rollback_that_runs_as_planned_ends_when_the_plan_says(steps in plan(), share in 0.0f64..1.0) {
            let plan = retreat_core::parse(&render(&steps, false, false)).plan;
            let graph = PlanGraph::build(&plan);
            let sim = retreat_core::sim::simulate(&plan, &graph, None).expect("window");
            let cut = (sim.forward_finish * share).floor();
            let mut record = as_planned(&sim, plan.steps.len(), cut);
            record.rollback_called = Some(cut);
            // Called now, nothing undone yet: the forecast is the plan's.
            let r = live::rollback(&plan, &graph, &sim, &record).expect("called");
            let close = |a: f64, b: f64| (a - b).abs() < 1e-6;
            for u in &r.undos {
                prop_assert!(u.status == Status::Waiting);
                prop_assert!(close(u.start, u.planned_start) && close(u.finish, u.planned_finish), "{:?}", u);
            }
            prop_assert!(close(r.done, r.planned_done), "{} {}", r.done, r.planned_done);
            prop_assert!(r.planned_done >= cut + sim.decide + sim.verify - 1e-6);
            // Every undo recorded as planned: done, and still on time.
            for u in &r.undos {
                record.undos[u.step] = Actual { started: Some(u.planned_start), finished: Some(u.planned_finish) };
            }
            record.now = r.planned_done;
            let done = live::rollback(&plan, &graph, &sim, &record).expect("called");
            prop_assert!(done.undone);
            prop_assert!(close(done.done, r.planned_done), "{} {}", done.done, r.planned_done);
        }

        #[test]
        fn finishing_a_step_moves_no_step_already_done(steps in plan(), share in 0.0f64..1.0, late in 0.0f64..3600.0) {
            let plan = retreat_core::parse(&render(&steps, false, false)).plan;
            let graph = PlanGraph::build(&plan);
            let sim = retreat_core::sim::simulate(&plan, &graph, None).expect("window");
            let cut = (sim.forward_finish * share).floor();
            let mut record = as_planned(&sim, plan.steps.len(), cut);
            let before = live::forecast(&plan, &graph, &sim, &record).expect("forecast");
            let Some(running) = before.steps.iter().find(|s| s.status == Status::Running) else { return Ok(()) };
            record.steps[running.step].finished = Some(running.start.max(cut) + late);
            record.now = running.start.max(cut) + late;
            let after = live::forecast(&plan, &graph, &sim, &record).expect("forecast");
            for (b, a) in before.steps.iter().zip(&after.steps) {
                if b.status == Status::Done {
                    prop_assert_eq!((a.start, a.finish), (b.start, b.finish), "step {}", b.step);
                }
            }
        }
    }
}

/// One change whose time is uncertain (10 to 50 min, likely 20), in a
/// window of 40 min.
const UNSURE: &str = "title: T\npurpose: p\nreason: r\ncurrent_state: c\nfuture_state: f\nmonitoring: m\n\
rollback: {decide: 5m, announce: Tell the desk, verify: {do: Check it all, takes: 5m}}\n\
window: {start: 2026-12-05T22:00:00Z, duration: 40m}\n\
steps:\n  - {id: a, owner: Ops, takes: [10m, 20m, 50m], do: Change thing a, undo: {do: Revert thing a, takes: 5m}}\n";

fn odds_of(log: &str, seed: u64) -> live::Odds {
    let analysis = retreat_core::analyze(UNSURE, &retreat_core::Options::default());
    let (graph, sim) = (analysis.graph.as_ref().expect("graph"), analysis.simulation.as_ref().expect("window"));
    let parsed = live::read(log, &analysis.plan, None);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let f = live::forecast(&analysis.plan, graph, sim, &parsed.record).expect("forecast");
    live::odds(&analysis.plan, graph, sim, &parsed.record, &f, 2_000, seed).expect("odds")
}

#[test]
fn the_odds_draw_only_what_has_not_finished() {
    let started = "events:\n  - { step: a, started: 2026-12-05T22:00:00Z";
    // Done at 45 min: the window is already overrun, whatever the draws.
    let done = odds_of(&format!("{started}, finished: 2026-12-05T22:45:00Z }}\n"), 1);
    assert_eq!((done.runs, done.forward_fits), (2_000, 0.0));
    // Running at 35 min: it fits when its drawn time is at most 40 min
    // (most runs, not all: the worst case is 50).
    let running = odds_of(&format!("as_of: 2026-12-05T22:35:00Z\n{started} }}\n"), 1);
    assert!(running.forward_fits > 0.8 && running.forward_fits < 1.0, "{running:?}");
    // A rollback called at 35 ends at 35 + 5 + 5 + 5 = 50: never in time.
    assert_eq!((running.rollback_now_fits, running.deadline_ahead), (0.0, 0.0));
    // Running at 42 min: past the window already.
    let late = odds_of(&format!("as_of: 2026-12-05T22:42:00Z\n{started} }}\n"), 1);
    assert_eq!(late.forward_fits, 0.0);
    // Not started at 0: called now, nothing to undo (0 + 5 + 0 + 5).
    let ahead = odds_of("as_of: 2026-12-05T22:00:00Z\nevents: []\n", 1);
    assert_eq!(ahead.rollback_now_fits, 1.0);
    assert!(ahead.forward_fits > 0.8 && ahead.forward_fits < 1.0, "{ahead:?}");
    // One seed, one set of figures; another seed, other draws.
    assert_eq!(odds_of("as_of: 2026-12-05T22:00:00Z\nevents: []\n", 1), ahead);
    assert_ne!(odds_of("as_of: 2026-12-05T22:00:00Z\nevents: []\n", 2).forward_fits, ahead.forward_fits);
}

/// What the log says, without where it says it.
fn events_of(parsed: &live::ParsedLog) -> Vec<[Option<String>; 6]> {
    let text = |t: &Option<retreat_core::model::Text>| t.as_ref().map(|t| t.value.clone());
    let time = |s: &Option<live::Stamp>| s.as_ref().map(|s| (s.at.unix, s.at.offset)).map(|t| format!("{t:?}"));
    parsed
        .log
        .events
        .iter()
        .map(|e| {
            [text(&e.step), text(&e.undo), time(&e.started), time(&e.finished), time(&e.rollback_called), text(&e.note)]
        })
        .collect()
}

#[test]
fn a_log_written_out_reads_back_as_it_was() {
    let (plan, hash) = contract_plan();
    let tricky = format!(
        "plan_hash: {}\nas_of: 2026-11-28T23:50:00+01:00\nevents:\n  - {{ step: stop-feed, started: 2026-11-28T22:31:00Z, finished: 2026-11-28T22:44:00Z }}\n  - {{ rollback_called: 2026-11-28T22:50:00Z, note: \"ORU: dropped # 3, \\\"all\\\" of them, Zürich 🚑\" }}\n  - {{ undo: stop-feed, started: 2026-11-28T22:52:00Z }}\n",
        hash.as_deref().expect("hash")
    );
    let mut logs = vec![tricky, "events: []\n".to_string()];
    for f in ["late.yaml", "rolled-back.yaml"] {
        logs.push(read(&format!("tests/fixtures/live/{f}")));
    }
    for text in &logs {
        let first = live::read(text, &plan, hash.as_deref());
        assert!(first.diagnostics.is_empty(), "{text}: {:?}", first.diagnostics);
        let written = live::write(&first.log);
        let again = live::read(&written, &plan, hash.as_deref());
        assert!(again.diagnostics.is_empty(), "{written}: {:?}", again.diagnostics);
        assert_eq!(again.record, first.record, "{written}");
        assert_eq!(events_of(&again), events_of(&first), "{written}");
        assert_eq!(live::write(&again.log), written, "writing is stable");
    }
    // A value that could not be read is left out; the rest is kept.
    let bad = live::read("events:\n  - { step: switch, started: soon }\n", &plan, hash.as_deref());
    assert_eq!(live::write(&bad.log), "events:\n  - { step: switch }\n");
}

/// The contract plan's rollback as the log records it.
fn rollback_of(log: &str) -> (retreat_core::Plan, live::LiveRollback) {
    let (plan, hash) = contract_plan();
    let graph = retreat_core::graph::PlanGraph::build(&plan);
    let sim = retreat_core::sim::simulate(&plan, &graph, None).expect("window");
    let parsed = live::read(log, &plan, hash.as_deref());
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let r = live::rollback(&plan, &graph, &sim, &parsed.record).expect("a rollback was called");
    (plan, r)
}

#[test]
fn a_rollback_under_way_is_forecast_from_its_actual_undos() {
    // Called at 23:30 (90 min): its undos may begin at 100 (decide is
    // 10 min). By the plan: switch's undo 100-120, then stop-feed's
    // 120-125, verified by 145. Switch's undo actually started at 91 and
    // it is 23:40: it ends at 91 + 20 = 111, and stop-feed's follows it,
    // 111-116, so the rollback is done at 116 + 20 = 136 (00:16).
    let log = include_str!("../fixtures/live/rolled-back.yaml");
    let running = log.replace("finished: 2026-11-28T23:58:00Z }\n", "}\n");
    let running: String = running.lines().take(8).map(|l| format!("{l}\n")).collect();
    let (plan, r) = rollback_of(&format!("as_of: 2026-11-28T23:40:00Z\n{running}"));
    assert_eq!(r.called, 90.0 * M);
    let rows: Vec<(&str, live::Status, f64, f64, f64, f64)> = r
        .undos
        .iter()
        .map(|u| {
            let id = plan.steps[u.step].id();
            (id, u.status, u.planned_start / M, u.planned_finish / M, u.start / M, u.finish / M)
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("switch", live::Status::Running, 100.0, 120.0, 91.0, 111.0),
            ("stop-feed", live::Status::Waiting, 120.0, 125.0, 111.0, 116.0)
        ]
    );
    assert_eq!((r.planned_done / M, r.done / M, r.margin / M), (145.0, 136.0, 224.0));
    assert!(!r.undone && !r.no_way_back);
    // Both undos done: switch's 91-118, stop-feed's 118-123; verified by 143.
    let (_, done) = rollback_of(log);
    assert!(done.undone);
    assert_eq!((done.done / M, done.margin / M), (143.0, 217.0));
    // No call, no rollback.
    let (plan, hash) = contract_plan();
    let graph = retreat_core::graph::PlanGraph::build(&plan);
    let sim = retreat_core::sim::simulate(&plan, &graph, None).expect("window");
    let none = live::read("events: []\n", &plan, hash.as_deref());
    assert!(live::rollback(&plan, &graph, &sim, &none.record).is_none());
}

#[test]
fn each_click_changes_only_what_it_is_about() {
    use live::edit::{self, Mark, Subject};
    let (plan, hash) = contract_plan();
    let at = |t: &str| retreat_core::units::parse_timestamp(t).expect("time");
    let feed = Subject { step: "stop-feed", undo: false };
    let mut log = edit::fresh(hash.as_deref());
    edit::record(&mut log, Subject { step: "notify", undo: false }, Mark::Finished, at("2026-11-28T22:05:00Z"));
    edit::record(&mut log, feed, Mark::Started, at("2026-11-28T22:31:00Z"));
    let read = |log: &retreat_core::live::RunLog| {
        let parsed = live::read(&live::write(log), &plan, hash.as_deref());
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        parsed.record
    };
    let r = read(&log);
    // A finish without a start: started then too.
    assert_eq!(r.steps[step(&plan, "notify")], Actual { started: Some(300.0), finished: Some(300.0) });
    assert_eq!(r.steps[step(&plan, "stop-feed")], Actual { started: Some(31.0 * M), finished: None });
    edit::record(&mut log, feed, Mark::Finished, at("2026-11-28T22:36:00Z"));
    edit::record(&mut log, Subject { step: "stop-feed", undo: true }, Mark::Started, at("2026-11-28T22:50:00Z"));
    edit::call_rollback(&mut log, at("2026-11-28T22:49:00Z"), Some(" the feed would not pause "));
    let r = read(&log);
    assert_eq!(r.steps[step(&plan, "stop-feed")], Actual { started: Some(31.0 * M), finished: Some(36.0 * M) });
    assert_eq!(r.undos[step(&plan, "stop-feed")], Actual { started: Some(50.0 * M), finished: None });
    assert_eq!((r.rollback_called, r.rollback_note.as_deref()), (Some(49.0 * M), Some("the feed would not pause")));
    // Taken back: the finish, then the start; notify is untouched.
    edit::clear(&mut log, feed, Mark::Finished);
    assert_eq!(read(&log).steps[step(&plan, "stop-feed")], Actual { started: Some(31.0 * M), finished: None });
    edit::clear(&mut log, feed, Mark::Started);
    let r = read(&log);
    assert_eq!(r.steps[step(&plan, "stop-feed")], Actual::default());
    assert_eq!(r.steps[step(&plan, "notify")], Actual { started: Some(300.0), finished: Some(300.0) });
    assert_eq!(r.undos[step(&plan, "stop-feed")], Actual { started: Some(50.0 * M), finished: None });
}

#[test]
fn a_typed_time_is_the_one_nearest_the_time_it_replaces() {
    use live::edit::at_clock;
    let near = retreat_core::units::parse_timestamp("2026-11-28T23:50:00Z").expect("time").unix;
    let iso = |t: Option<retreat_core::model::Timestamp>| t.map(retreat_core::units::format_timestamp);
    // Past midnight: the next day.
    assert_eq!(iso(at_clock("00:05", 0, near)).as_deref(), Some("2026-11-29T00:05:00Z"));
    assert_eq!(iso(at_clock("23:41", 0, near)).as_deref(), Some("2026-11-28T23:41:00Z"));
    // On the window's own clock (+01:00: 00:40 there is 23:40Z).
    assert_eq!(iso(at_clock("00:40", 3600, near)).as_deref(), Some("2026-11-29T00:40:00+01:00"));
    for bad in ["24:00", "12:60", "noon", "", "-1:30"] {
        assert_eq!(at_clock(bad, 0, near), None, "{bad}");
    }
}

#[test]
fn retreat_forecast_follows_a_called_rollback_undo_by_undo() {
    let dir = crate::support::root().join("tests/fixtures/live");
    let board = crate::support::retreat(&["forecast", "plan.yaml", "--log", "rolled-back.yaml"], Some(&dir), None);
    assert_eq!(board.status, 0, "{}", board.stderr);
    insta::assert_snapshot!("forecast_rolled_back_board", board.stdout);
    assert!(!board.stdout.contains("Odds from now"), "no odds of steps a rollback stopped");
    let run = crate::support::retreat(
        &["forecast", "plan.yaml", "--log", "rolled-back.yaml", "--format", "json"],
        Some(&dir),
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let r = &v["rollback_called"];
    assert_eq!((r["called_minutes"].as_f64(), r["done_minutes"].as_f64()), (Some(90.0), Some(143.0)));
    assert_eq!((r["planned_done_minutes"].as_f64(), r["undone"].as_bool()), (Some(145.0), Some(true)));
    assert_eq!(
        r["undos"][0],
        serde_json::json!({"step": "switch", "status": "done", "start_minutes": 91.0, "finish_minutes": 118.0,
                           "planned_start_minutes": 100.0, "planned_finish_minutes": 120.0})
    );
    assert!(v.get("monte_carlo").is_none());
}
