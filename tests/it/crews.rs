//! Crews (contract, section 5) against hand-computed plans: every figure
//! (forward finish, each point's rollback, done, margin, the deadline, the
//! runbook's waits) worked out on paper first, in minutes from the window's
//! start. Each plan: `decide` 10 min, `verify` 20 min.

use retreat_core::sim::{Settings, Simulation};
use retreat_core::{Analysis, MonteCarloRuns, Options, analyze};

const HEAD: &str = "title: T\npurpose: p\nreason: r\ncurrent_state: c\nfuture_state: f\nmonitoring: m\n\
rollback: {decide: 10m, announce: Tell the desk, verify: {do: Check it all, takes: 20m}}\n";

fn simulate(window: &str, rest: &str) -> (Analysis, Simulation) {
    let text = format!("{HEAD}window: {{start: 2026-12-05T22:00:00Z, duration: {window}}}\n{rest}");
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(Settings::exactly(50, 7)), ..Options::default() };
    let mut analysis = analyze(&text, &options);
    assert!(!analysis.diagnostics.iter().any(|d| d.code.starts_with('P')), "{:#?}", analysis.diagnostics);
    let sim = analysis.simulation.take().expect("a plan with a window simulates");
    (analysis, sim)
}

fn m(secs: f64) -> f64 {
    secs / 60.0
}

/// `(step, fail, chain, uncrewed chain, done, margin)` per point, in minutes.
type Point = (String, f64, f64, f64, f64, f64);

fn points(a: &Analysis, sim: &Simulation) -> Vec<Point> {
    sim.points
        .iter()
        .map(|p| {
            let uncrewed = p.uncrewed_chain.expect("a plan with a crew gives the chain without it");
            (a.plan.steps[p.step].id().to_string(), m(p.fail), m(p.chain), m(uncrewed), m(p.done), m(p.margin))
        })
        .collect()
}

fn p(id: &str, fail: f64, chain: f64, uncrewed: f64, done: f64, margin: f64) -> Point {
    (id.to_string(), fail, chain, uncrewed, done, margin)
}

/// `(id, start, finish)` of every scheduled step, in list order, in minutes.
fn slots<'a>(a: &'a Analysis, sim: &Simulation) -> Vec<(&'a str, f64, f64)> {
    (0..sim.slots.len()).filter_map(|i| sim.slots[i].map(|s| (a.plan.steps[i].id(), m(s.start), m(s.finish)))).collect()
}

/// One undo of a runbook: `(undo, wave, ready, start, end, owner)`, in minutes.
type Undo<'a> = (&'a str, usize, f64, f64, f64, Option<&'a str>);

/// The runbook from `id`.
fn runbook<'a>(a: &'a Analysis, sim: &'a Simulation, id: &str) -> Vec<Undo<'a>> {
    let point = sim.points.iter().find(|p| a.plan.steps[p.step].id() == id).expect("point");
    let book = sim.runbook(&a.plan, a.graph.as_ref().expect("graph"), point);
    book.undos.iter().map(|u| (u.id, u.wave, m(u.ready), m(u.start), m(u.end), u.owner)).collect()
}

fn waves(a: &Analysis, sim: &Simulation, id: &str) -> Vec<Vec<String>> {
    let point = sim.points.iter().find(|p| a.plan.steps[p.step].id() == id).expect("point");
    let run = sim.rollback(a.graph.as_ref().expect("graph"), point);
    run.waves.into_iter().map(|w| w.into_iter().map(|i| a.plan.steps[i].id().to_string()).collect()).collect()
}

fn path<'a>(a: &'a Analysis, sim: &Simulation) -> Vec<&'a str> {
    sim.critical_path.iter().map(|&i| a.plan.steps[i].id()).collect()
}

/// `b` and `c` run in parallel under different owners, but both their undos
/// are the DBA's (`c`'s through `undo.owner`), and the DBA undoes one thing
/// at a time. a 0–10, b 10–40, c 10–20, d 40–50.
const ONE_DBA: &str = "crew: {DBA: 1}
steps:
  - {id: a, after: [], owner: Ops, takes: 10m, do: Change thing a, undo: {do: Revert thing a, takes: 5m}}
  - {id: b, after: [a], owner: DBA, takes: 30m, do: Change thing b, undo: {do: Revert thing b, takes: 20m}}
  - {id: c, after: [a], owner: Net, takes: 10m, do: Change thing c, undo: {do: Revert thing c, takes: 15m, owner: DBA}}
  - {id: d, after: [b, c], kind: check, takes: 10m, do: Check all three things}
";

#[test]
fn two_undos_of_one_owner_that_would_run_in_parallel_run_one_after_the_other() {
    let (a, sim) = simulate("4h", ONE_DBA);
    // The DBA has one step forward: the forward plan is as without the crew.
    assert_eq!((m(sim.forward_finish), sim.uncrewed_forward_finish.map(m)), (50.0, Some(50.0)));
    assert_eq!(slots(&a, &sim), [("a", 0.0, 10.0), ("b", 10.0, 40.0), ("c", 10.0, 20.0), ("d", 40.0, 50.0)]);
    assert_eq!(path(&a, &sim), ["a", "b", "d"]);
    // From c (and later) b's and c's undos are both the DBA's: c's (the
    // later in the list) first, 0–15 after the call, then b's 15–35, then
    // a's 35–40 (Ops). Without the crew: b's and c's at once, then a's: 25.
    assert_eq!(
        points(&a, &sim),
        [
            p("a", 10.0, 5.0, 5.0, 45.0, 195.0),
            p("c", 20.0, 40.0, 25.0, 90.0, 150.0),
            p("b", 40.0, 40.0, 25.0, 110.0, 130.0),
            p("d", 50.0, 40.0, 25.0, 120.0, 120.0),
        ]
    );
    // T + 10 + chain + 20 <= 240: chain 40 once b and c have started (at 10).
    assert_eq!(sim.deadline.map(m), Some(170.0));
    // Called at 30: b's undo is ready at once but waits 15 min for the DBA.
    assert_eq!(
        runbook(&a, &sim, "c"),
        [
            ("c", 0, 30.0, 30.0, 45.0, Some("DBA")),
            ("b", 1, 30.0, 45.0, 65.0, Some("DBA")),
            ("a", 2, 65.0, 65.0, 70.0, Some("Ops")),
        ]
    );
    assert_eq!(waves(&a, &sim, "c"), [["c"], ["b"], ["a"]]);
    let point = &sim.points[1];
    let run = sim.rollback(a.graph.as_ref().expect("graph"), point);
    assert_eq!((m(run.called), m(run.verify_start), m(run.done)), (30.0, 70.0, 90.0));
}

/// Three DBA steps that could all start at once, and a crew of two.
const TWO_DBAS: &str = "crew: {DBA: 2}
steps:
  - {id: a, after: [], owner: DBA, takes: 10m, do: Change thing a, undo: {do: Revert thing a, takes: 5m}}
  - {id: b, after: [], owner: DBA, takes: 20m, do: Change thing b, undo: {do: Revert thing b, takes: 10m}}
  - {id: c, after: [], owner: DBA, takes: 30m, do: Change thing c, undo: {do: Revert thing c, takes: 15m}}
  - {id: d, after: [a, b, c], kind: check, takes: 5m, do: Check all three things}
";

#[test]
fn a_crew_of_two_runs_two_at_a_time() {
    let (a, sim) = simulate("4h", TWO_DBAS);
    // a and b take the two places at 0; c waits for a's, 10–40; d 40–45.
    // Without the crew: a, b, c from 0, d 30–35.
    assert_eq!((m(sim.forward_finish), sim.uncrewed_forward_finish.map(m)), (45.0, Some(35.0)));
    assert_eq!(slots(&a, &sim), [("a", 0.0, 10.0), ("b", 0.0, 20.0), ("c", 10.0, 40.0), ("d", 40.0, 45.0)]);
    // c waited for a's place: the critical path runs through a.
    assert_eq!(path(&a, &sim), ["a", "c", "d"]);
    // From b on, three undos: c's and b's take the places (last first), a's
    // waits for b's (10) and ends at 15: the same 15 as without the crew.
    assert_eq!(
        points(&a, &sim),
        [
            p("a", 10.0, 10.0, 10.0, 50.0, 190.0),
            p("b", 20.0, 15.0, 15.0, 65.0, 175.0),
            p("c", 40.0, 15.0, 15.0, 85.0, 155.0),
            p("d", 45.0, 15.0, 15.0, 90.0, 150.0),
        ]
    );
    assert_eq!(sim.deadline.map(m), Some(195.0));
    assert_eq!(
        runbook(&a, &sim, "b"),
        [
            ("b", 0, 30.0, 30.0, 40.0, Some("DBA")),
            ("c", 0, 30.0, 30.0, 45.0, Some("DBA")),
            ("a", 1, 30.0, 40.0, 45.0, Some("DBA")),
        ]
    );
}

/// `"*"` covers Ops (two steps); Net has one step, so its place limits
/// nothing; c has no owner and is never limited.
const EVERYONE: &str = "crew: {\"*\": 1}
steps:
  - {id: a, after: [], owner: Ops, takes: 10m, do: Change thing a, undo: {do: Revert thing a, takes: 10m}}
  - {id: b, after: [], owner: Ops, takes: 10m, do: Change thing b, undo: {do: Revert thing b, takes: 10m}}
  - {id: c, after: [], takes: 10m, do: Change thing c, undo: {do: Revert thing c, takes: 10m}}
  - {id: d, after: [], owner: Net, takes: 5m, do: Change thing d, undo: {do: Revert thing d, takes: 5m}}
";

#[test]
fn the_star_covers_every_owner_not_listed_and_a_step_without_owner_never_waits() {
    let (a, sim) = simulate("4h", EVERYONE);
    assert_eq!((m(sim.forward_finish), sim.uncrewed_forward_finish.map(m)), (20.0, Some(10.0)));
    assert_eq!(slots(&a, &sim), [("a", 0.0, 10.0), ("b", 10.0, 20.0), ("c", 0.0, 10.0), ("d", 0.0, 5.0)]);
    assert_eq!(path(&a, &sim), ["a", "b"]);
    // Until b starts (at 10), one Ops undo: all in parallel, 10. From b:
    // d's, c's and b's at once (last first), a's after b's: 20.
    assert_eq!(
        points(&a, &sim),
        [
            p("d", 5.0, 10.0, 10.0, 45.0, 195.0),
            p("a", 10.0, 10.0, 10.0, 50.0, 190.0),
            p("c", 10.0, 10.0, 10.0, 50.0, 190.0),
            p("b", 20.0, 20.0, 10.0, 70.0, 170.0),
        ]
    );
    assert_eq!(sim.deadline.map(m), Some(190.0));
    assert_eq!(
        runbook(&a, &sim, "b"),
        [
            ("b", 0, 30.0, 30.0, 40.0, Some("Ops")),
            ("c", 0, 30.0, 30.0, 40.0, None),
            ("d", 0, 30.0, 30.0, 35.0, Some("Net")),
            ("a", 1, 30.0, 40.0, 50.0, Some("Ops")),
        ]
    );
}

/// X undoes one thing at a time. r 0–10 (Y), u2 0–15, u1 10–20 (after r),
/// e 15–25 (after u2). Once u1 has started, the rollback undoes u2 (the
/// later in the list) before u1, and r (30 min) waits for u1: 10 + 10 + 30.
/// Once e has started too, u2 waits for e's undo (1 min), so u1 goes first
/// and r's undo overlaps u2's: 10 + 30. The chain shrinks as more starts.
const SHRINKS: &str = "crew: {X: 1}
steps:
  - {id: r, after: [], owner: Y, takes: 10m, do: Change thing r, undo: {do: Revert thing r, takes: 30m}}
  - {id: u1, after: [r], takes: 10m, do: Change thing u1, undo: {do: Revert thing u1, takes: 10m, owner: X}}
  - {id: u2, after: [], takes: 15m, do: Change thing u2, undo: {do: Revert thing u2, takes: 10m, owner: X}}
  - {id: e, after: [u2], takes: 10m, do: Change thing e, undo: {do: Revert thing e, takes: 1m}}
";

#[test]
fn the_deadline_stops_where_a_longer_chain_first_does_not_fit() {
    // Window 88 min: T + 10 + chain + 20 <= 88, so chain <= 58 - T.
    let (a, sim) = simulate("88m", SHRINKS);
    assert_eq!((m(sim.forward_finish), sim.uncrewed_forward_finish.map(m)), (25.0, Some(25.0)));
    assert_eq!(
        points(&a, &sim),
        [
            p("r", 10.0, 30.0, 30.0, 70.0, 18.0),
            p("u2", 15.0, 50.0, 40.0, 95.0, -7.0),
            p("u1", 20.0, 40.0, 40.0, 90.0, -2.0),
            p("e", 25.0, 40.0, 40.0, 95.0, -7.0),
        ]
    );
    // Up to 10 (r and u2 started): 10 + 30 <= 58. From just after 10 to 15
    // (u1 started too): chain 50, which fits only up to 8: no moment after
    // 10 fits, though after 15 (chain 40) moments up to 18 would again.
    assert_eq!(sim.deadline.map(m), Some(10.0));
    assert_eq!(
        runbook(&a, &sim, "u2"),
        [
            ("u2", 0, 25.0, 25.0, 35.0, Some("X")),
            ("u1", 1, 25.0, 35.0, 45.0, Some("X")),
            ("r", 2, 45.0, 45.0, 75.0, Some("Y")),
        ]
    );
    assert_eq!(
        runbook(&a, &sim, "u1"),
        [
            ("u1", 0, 30.0, 30.0, 40.0, Some("X")),
            ("e", 0, 30.0, 30.0, 31.0, None),
            ("r", 1, 40.0, 40.0, 70.0, Some("Y")),
            ("u2", 1, 31.0, 40.0, 50.0, Some("X")),
        ]
    );
}

#[test]
fn without_the_crew_the_same_plan_keeps_todays_figures() {
    let (a, sim) = simulate("88m", &SHRINKS.replace("crew: {X: 1}\n", ""));
    assert_eq!(sim.uncrewed_forward_finish, None);
    assert!(sim.points.iter().all(|p| p.uncrewed_chain.is_none()));
    let chains: Vec<f64> = sim.points.iter().map(|p| m(p.chain)).collect();
    assert_eq!(chains, [30.0, 40.0, 40.0, 40.0]);
    // T + 40 <= 58 from u1's start (10) on: 18.
    assert_eq!(sim.deadline.map(m), Some(18.0));
    assert_eq!(a.plan.crew, None);
}

#[test]
fn a_crew_that_limits_nobody_changes_no_figure() {
    for crew in ["crew: {X: 2}\n", "crew: {\"*\": 5, X: 3}\n", "crew: {}\n", "crew: {Nobody: 1}\n"] {
        let (_, with) = simulate("88m", &SHRINKS.replace("crew: {X: 1}\n", crew));
        let (_, without) = simulate("88m", &SHRINKS.replace("crew: {X: 1}\n", ""));
        assert_eq!(with.uncrewed_forward_finish, Some(without.forward_finish), "{crew}");
        for (a, b) in with.points.iter().zip(&without.points) {
            assert_eq!((a.chain, a.done, a.uncrewed_chain), (b.chain, b.done, Some(b.chain)), "{crew}");
        }
        assert_eq!(
            (with.deadline, &with.slots, with.monte_carlo),
            (without.deadline, &without.slots, without.monte_carlo)
        );
    }
}

/// `a` and `b` both write `r`, and nothing orders their undos. The DBA
/// undoes one thing at a time: from `c`, `b`'s undo is ready at 1 (after
/// `c`'s), but the DBA is busy with `a`'s (0–10 after the call), so `b`'s
/// runs 10–15 and writes `r` last. Forward: a 0–10, b 10–20, c 20–30.
const SHARED: &str = "crew: {DBA: 1}
baseline: {r: old}
steps:
  - {id: a, after: [], owner: DBA, takes: 10m, do: Point the feed at the new engine, sets: {r: new},
     undo: {do: Point the feed back at the old engine, takes: 10m, sets: {r: old}}}
  - {id: b, after: [], owner: DBA, takes: 10m, do: Drain the feed into the new queue, sets: {r: draining},
     undo: {do: Stop draining the feed into the queue, takes: 5m, sets: {r: paused}}}
  - {id: c, after: [b], owner: Ops, takes: 10m, do: Start the queue reader service, undo: {do: Stop the queue reader service, takes: 1m}}
";

fn leftovers_of(a: &Analysis, sim: &Simulation, id: &str) -> Vec<(String, String, String, String)> {
    let point = sim.points.iter().find(|p| a.plan.steps[p.step].id() == id).expect("point");
    sim.leftovers(point)
        .into_iter()
        .map(|l| (l.resource, l.state, l.baseline, a.plan.steps[l.set_by].id().to_string()))
        .collect()
}

#[test]
fn leftovers_follow_the_crew_schedule_of_each_rollback() {
    let (a, sim) = simulate("4h", SHARED);
    assert_eq!(slots(&a, &sim), [("a", 0.0, 10.0), ("b", 10.0, 20.0), ("c", 20.0, 30.0)]);
    assert_eq!(
        points(&a, &sim),
        [
            p("a", 10.0, 10.0, 10.0, 50.0, 190.0),
            p("b", 20.0, 15.0, 10.0, 65.0, 175.0),
            p("c", 30.0, 15.0, 10.0, 75.0, 165.0),
        ]
    );
    // From b: both undos ready at once, b's first (last in the list): a's
    // ends last, r is back to old.
    assert_eq!(leftovers_of(&a, &sim, "b"), []);
    // Called at 40: b's undo is ready at 41 and waits for the DBA until 50.
    assert_eq!(
        runbook(&a, &sim, "c"),
        [
            ("a", 0, 40.0, 40.0, 50.0, Some("DBA")),
            ("c", 0, 40.0, 40.0, 41.0, Some("Ops")),
            ("b", 1, 41.0, 50.0, 55.0, Some("DBA")),
        ]
    );
    let left = ("r".to_string(), "paused".to_string(), "old".to_string(), "b".to_string());
    assert_eq!(leftovers_of(&a, &sim, "c"), [left]);
    let r004: Vec<&str> = a.diagnostics.iter().filter(|d| d.code == "R004").map(|d| d.message.as_str()).collect();
    assert_eq!(
        r004,
        [
            "if `c` fails at 22:30, the rollback leaves `r` `paused` instead of its baseline `old`: the undo of `b` sets it to `paused`",
            "the undos of `a` and `b` set `r` to `old` and `paused`, and nothing orders them: `DBA` takes them one at a time, and which one wins is left to chance",
        ]
    );
    // Without the crew, b's undo runs 1–6 and a's 0–10: a's writes last.
    let (a, sim) = simulate("4h", &SHARED.replace("crew: {DBA: 1}\n", ""));
    assert_eq!(leftovers_of(&a, &sim, "c"), []);
}

/// What users read about crews: the simulation's line, the JSON's `crew`
/// object beside the contract's fields, and the report's sentence.
#[test]
fn simulate_and_report_say_what_the_crews_cost() {
    let dir = crate::support::root().join("tests/fixtures/crews");
    // a 0-30 and b 30-50 (the DBA's one place), c 50-60: 20 min later than
    // a and b side by side; the rollbacks from b and c undo a and b one
    // after the other, 15 min longer.
    let human = crate::support::retreat(&["simulate", "one-dba.yaml", "--runs", "10"], Some(&dir), None);
    assert!(
        human.stdout.contains("Crews     the steps finish 20 min later than with unlimited hands; 2 of 3 rollbacks take longer, by up to 15 min (failing at step b)"),
        "{}",
        human.stdout
    );
    let json =
        crate::support::retreat(&["simulate", "one-dba.yaml", "--runs", "10", "--format", "json"], Some(&dir), None);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(
        v["crew"],
        serde_json::json!({"forward_longer_minutes": 20.0, "rollbacks_longer": 2, "most_longer_minutes": 15.0,
                           "most_longer_at": "b", "rollbacks_without_crews": false})
    );
    assert_eq!(v["forward"]["finish_minutes"], 60.0);
    let report = crate::support::retreat(&["report", "one-dba.yaml"], Some(&dir), None);
    assert!(report.stdout.contains("- Crews: the steps finish 20 min later"), "{}", report.stdout);
    // Without `crew`, no such field or line.
    let plain = crate::support::retreat(
        &["simulate", "../../../www/examples/hl7-engine-replacement.yaml", "--runs", "10", "--format", "json"],
        Some(&dir),
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&plain.stdout).expect("json");
    assert!(v.get("crew").is_none());
}

#[test]
fn a_called_rollback_places_what_is_left_in_the_owners_queues() {
    // ONE_DBA as planned, the rollback called at 45: its undos may begin
    // at 55. By the plan, c's undo 55–70 and b's 70–90 (both the DBA's),
    // a's 90–95, verified by 115. c's undo took 5 min (55–60) and it is
    // 61: the DBA takes b's at once, 61–81, then a's runs 81–86; done 106.
    let log = "as_of: 2026-12-05T23:01:00Z\nevents:
  - { step: a, started: 2026-12-05T22:00:00Z, finished: 2026-12-05T22:10:00Z }
  - { step: b, started: 2026-12-05T22:10:00Z, finished: 2026-12-05T22:40:00Z }
  - { step: c, started: 2026-12-05T22:10:00Z, finished: 2026-12-05T22:20:00Z }
  - { step: d, started: 2026-12-05T22:40:00Z }
  - { rollback_called: 2026-12-05T22:45:00Z }
  - { undo: c, started: 2026-12-05T22:55:00Z, finished: 2026-12-05T23:00:00Z }
";
    let rollback = |log: &str| {
        let (a, sim) = simulate("4h", ONE_DBA);
        let parsed = retreat_core::live::read(log, &a.plan, None);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let r = retreat_core::live::rollback(&a.plan, a.graph.as_ref().expect("graph"), &sim, &parsed.record);
        let r = r.expect("called");
        let rows: Vec<(String, &str, f64, f64, f64, f64)> = r
            .undos
            .iter()
            .map(|u| {
                let id = a.plan.steps[u.step].id().to_string();
                (id, u.status.as_str(), m(u.planned_start), m(u.planned_finish), m(u.start), m(u.finish))
            })
            .collect();
        (rows, m(r.planned_done), m(r.done), m(r.margin))
    };
    let row = |id: &str, status, ps, pf, s, f| (id.to_string(), status, ps, pf, s, f);
    assert_eq!(
        rollback(log),
        (
            vec![
                row("c", "done", 55.0, 70.0, 55.0, 60.0),
                row("b", "waiting", 70.0, 90.0, 61.0, 81.0),
                row("a", "waiting", 90.0, 95.0, 81.0, 86.0),
            ],
            115.0,
            106.0,
            134.0
        )
    );
    // Nothing undone yet at 58: c's undo 58–73, and b's waits for the DBA
    // until 73 (not the plan's 70), 73–93; a's 93–98.
    let (early, _) = log.split_once("  - { undo: c").expect("the undo's line");
    let early = early.replace("23:01:00Z", "22:58:00Z");
    let (rows, _, done, _) = rollback(&early);
    assert_eq!(
        rows,
        [
            row("c", "waiting", 55.0, 70.0, 58.0, 73.0),
            row("b", "waiting", 70.0, 90.0, 73.0, 93.0),
            row("a", "waiting", 90.0, 95.0, 93.0, 98.0),
        ]
    );
    assert_eq!(done, 118.0);
    // c's undo still running at 75 (due at 70): it holds the DBA until now,
    // so b's runs 75–95 and a's 95–100.
    let late = log.replace(", finished: 2026-12-05T23:00:00Z }", " }").replace("23:01:00Z", "23:15:00Z");
    let (rows, _, done, _) = rollback(&late);
    assert_eq!(rows[0], row("c", "running", 55.0, 70.0, 55.0, 75.0));
    assert_eq!(rows[1..], [row("b", "waiting", 70.0, 90.0, 75.0, 95.0), row("a", "waiting", 90.0, 95.0, 95.0, 100.0)]);
    assert_eq!(done, 120.0);
}

#[test]
fn a_log_that_started_a_step_before_its_dependency_rolls_back_what_ran() {
    // b waits for a in the plan, but the log starts b alone, and the
    // rollback is called at 5: only b's undo runs (from 15; it is 20).
    let plan = "crew: {DBA: 1}
steps:
  - {id: a, after: [], owner: DBA, takes: 10m, do: Change thing a, undo: {do: Revert thing a, takes: 5m}}
  - {id: b, after: [a], owner: DBA, takes: 10m, do: Change thing b, undo: {do: Revert thing b, takes: 5m}}
";
    let log = "as_of: 2026-12-05T22:20:00Z\nevents:
  - { step: b, started: 2026-12-05T22:00:00Z }
  - { rollback_called: 2026-12-05T22:05:00Z }
";
    let (a, sim) = simulate("4h", plan);
    let parsed = retreat_core::live::read(log, &a.plan, None);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let graph = a.graph.as_ref().expect("graph");
    let r = retreat_core::live::rollback(&a.plan, graph, &sim, &parsed.record).expect("called");
    let rows: Vec<_> =
        r.undos.iter().map(|u| (a.plan.steps[u.step].id(), m(u.planned_start), m(u.start), m(u.finish))).collect();
    assert_eq!(rows, [("b", 15.0, 20.0, 25.0)]);
    assert_eq!(m(r.done), 45.0);
    // The forecast before the call takes the same set.
    let before =
        retreat_core::live::read(&log.replace("  - { rollback_called: 2026-12-05T22:05:00Z }\n", ""), &a.plan, None);
    let f = retreat_core::live::forecast(&a.plan, graph, &sim, &before.record).expect("a window");
    assert_eq!(m(f.rollback_now.chain), 5.0);
}

/// The DBA's two changes, one place, and a check after both.
const ONE_DBA_TWO_CHANGES: &str = "steps:
  - {id: a, after: [], owner: DBA, takes: 10m, do: Change thing a, undo: {do: Revert thing a, takes: 5m}}
  - {id: b, after: [], owner: DBA, takes: 20m, do: Change thing b, undo: {do: Revert thing b, takes: 10m}}
  - {id: c, after: [a, b], kind: check, takes: 5m, do: Check both things}
";

/// `(step, status, start, finish, late)` per step, and `(step, fail,
/// chain, done, margin)` per point ahead, in minutes.
type Board = (Vec<(String, &'static str, f64, f64, f64)>, Vec<(String, f64, f64, f64, f64)>);

fn forecast(rest: &str, log: &str) -> (retreat_core::live::Forecast, Board) {
    let (a, sim) = simulate("4h", rest);
    let parsed = retreat_core::live::read(log, &a.plan, None);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let graph = a.graph.as_ref().expect("graph");
    let f = retreat_core::live::forecast(&a.plan, graph, &sim, &parsed.record).expect("a window");
    let id = |x: usize| a.plan.steps[x].id().to_string();
    let steps = f.steps.iter().map(|s| (id(s.step), s.status.as_str(), m(s.start), m(s.finish), m(s.late))).collect();
    let points = f.points.iter().map(|p| (id(p.step), m(p.fail), m(p.chain), m(p.done), m(p.margin))).collect();
    (f, (steps, points))
}

#[test]
fn the_forecast_places_what_is_left_with_the_crews() {
    // Planned with one DBA: a 0–10, b 10–30, c 30–35. The team started b
    // first, at 0; at 5, b holds the DBA until 20, so a runs 20–30 and c
    // 30–35 (without the crew: a 5–15, c 20–25).
    let log = "as_of: 2026-12-05T22:05:00Z\nevents:\n  - { step: b, started: 2026-12-05T22:00:00Z }\n";
    let (f, (steps, points)) = forecast(&format!("crew: {{DBA: 1}}\n{ONE_DBA_TWO_CHANGES}"), log);
    let s = |id: &str, status, start, finish, late| (id.to_string(), status, start, finish, late);
    assert_eq!(
        steps,
        [s("a", "waiting", 20.0, 30.0, 20.0), s("b", "running", 0.0, 20.0, -10.0), s("c", "waiting", 30.0, 35.0, 0.0)]
    );
    assert_eq!(m(f.forward_finish), 35.0);
    // A rollback now undoes b alone: 5 + 10 + 10 + 20.
    assert_eq!((m(f.rollback_now.chain), m(f.rollback_now.done)), (10.0, 45.0));
    // Once a has started, its undo and b's are both the DBA's: 5 + 10 = 15,
    // so the deadline is 240 - 10 - 20 - 15 = 195 (200 without the crew).
    assert_eq!(f.deadline.map(m), Some(195.0));
    assert!(!f.rollback_crews_skipped);
    let p = |id: &str, fail, chain, done, margin| (id.to_string(), fail, chain, done, margin);
    assert_eq!(
        points,
        [p("b", 20.0, 10.0, 60.0, 180.0), p("a", 30.0, 15.0, 75.0, 165.0), p("c", 35.0, 15.0, 80.0, 160.0)]
    );

    // The same log without the crew: a 5–15, c 20–25, the undos at once.
    let (f, (steps, points)) = forecast(ONE_DBA_TWO_CHANGES, log);
    assert_eq!(
        steps,
        [s("a", "waiting", 5.0, 15.0, 5.0), s("b", "running", 0.0, 20.0, 0.0), s("c", "waiting", 20.0, 25.0, 0.0)]
    );
    assert_eq!(f.deadline.map(m), Some(200.0));
    assert_eq!(
        points,
        [p("a", 15.0, 10.0, 55.0, 185.0), p("b", 20.0, 10.0, 60.0, 180.0), p("c", 25.0, 10.0, 65.0, 175.0)]
    );
}

#[test]
fn a_forecast_where_the_team_ran_more_at_once_than_the_crew_waits_for_enough_to_end() {
    // A crew of one, but the team runs a and b at once since 0 (a until
    // 10, b until 20). Planned: a 0–10, b 10–30, d 30–40.
    let plan = format!(
        "crew: {{DBA: 1}}\n{ONE_DBA_TWO_CHANGES}  - {{id: d, after: [], owner: DBA, takes: 10m, do: Change thing d, undo: {{do: Revert thing d, takes: 5m}}}}\n"
    );
    let log = "as_of: 2026-12-05T22:02:00Z\nevents:\n  - { step: a, started: 2026-12-05T22:00:00Z }\n  - { step: b, started: 2026-12-05T22:00:00Z }\n";
    let (_, (steps, _)) = forecast(&plan, log);
    // d waits until both a (10) and b (20) are done: the DBA has one place.
    assert_eq!(steps[3], ("d".to_string(), "waiting", 20.0, 30.0, -10.0));
    assert_eq!(steps[2], ("c".to_string(), "waiting", 20.0, 25.0, -10.0));
}
