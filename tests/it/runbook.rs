//! The rollback runbook and the tightest point, through the public API:
//! every figure worked out on paper first, in minutes from the window's start.

use retreat_core::sim::{FailurePoint, Runbook, Simulation, Verdict};
use retreat_core::{Analysis, Options, analyze};

const HEAD: &str = "title: T\npurpose: p\nreason: r\ncurrent_state: c\nfuture_state: f\nmonitoring: m\n";

/// `a` first; `b` and `c` after it in parallel; the check `d` after both.
/// a 0–10, b 10–40, c 10–20, d 40–50. `c` warms a cache its undo leaves warm.
const PLAN: &str = "rollback:
  decide: 10m
  announce: Tell the desk
  verify: {do: Check it all, takes: 20m, owner: QA}
baseline: {svc: old}
steps:
  - {id: a, after: [], takes: 10m, owner: Ops, do: Change thing a, sets: {svc: new}, undo: {do: Revert thing a, takes: 5m, sets: {svc: old}}}
  - {id: b, after: [a], takes: 30m, owner: DBA, do: Change thing b, undo: {do: Revert thing b, takes: 20m, owner: Bob}}
  - {id: c, after: [a], takes: 10m, do: Change thing c, sets: {cache: warm}, undo: {do: Revert thing c, takes: 15m}}
  - {id: d, after: [b, c], kind: check, takes: 10m, do: Check all three things}
";

fn analysis(window: &str, steps: &str) -> Analysis {
    analyze(&format!("{HEAD}window: {window}\n{steps}"), &Options::default())
}

fn simulation(a: &Analysis) -> &Simulation {
    a.simulation.as_ref().expect("a plan with a window simulates")
}

fn point<'s>(a: &Analysis, sim: &'s Simulation, id: &str) -> &'s FailurePoint {
    sim.points.iter().find(|p| a.plan.steps[p.step].id() == id).expect("point")
}

fn runbook<'a>(a: &'a Analysis, id: &str) -> Runbook<'a> {
    let sim = simulation(a);
    sim.runbook(&a.plan, a.graph.as_ref().expect("graph"), point(a, sim, id))
}

fn m(secs: f64) -> f64 {
    secs / 60.0
}

/// `(id, wave, ready, start, end, what, owner)` per undo, in minutes.
type Undo<'a> = (&'a str, usize, f64, f64, f64, Option<&'a str>, Option<&'a str>);

fn undos<'a>(book: &Runbook<'a>) -> Vec<Undo<'a>> {
    book.undos.iter().map(|u| (u.id, u.wave, m(u.ready), m(u.start), m(u.end), u.what, u.owner)).collect()
}

#[test]
fn the_runbook_from_a_point_with_parallel_undos() {
    let a = analysis("{start: 2026-12-05T22:00:00Z, duration: 2h}", PLAN);
    // c fails at 20 while b (10–40) still runs: a, b and c are undone.
    let book = runbook(&a, "c");
    assert_eq!((book.id, book.what, m(book.fail)), ("c", Some("Change thing c"), 20.0));
    // Called at 20 + 10 and announced.
    assert_eq!((m(book.called), book.announce), (30.0, Some("Tell the desk")));
    // Wave 1: b's undo (20) and c's (15) at once, in list order; wave 2: a's
    // (5) once b's is done. Owners: b's undo names Bob, a's falls back to
    // its step's Ops, c has none.
    assert_eq!(
        undos(&book),
        [
            ("b", 0, 30.0, 30.0, 50.0, Some("Revert thing b"), Some("Bob")),
            ("c", 0, 30.0, 30.0, 45.0, Some("Revert thing c"), None),
            ("a", 1, 50.0, 50.0, 55.0, Some("Revert thing a"), Some("Ops")),
        ]
    );
    // Verified from 55 to 75; the window closes at 120: 45 minutes to spare.
    let v = &book.verify;
    assert_eq!((m(v.start), m(v.end), v.what, v.owner), (55.0, 75.0, Some("Check it all"), Some("QA")));
    assert_eq!(book.verdict, Verdict::Fits { margin: 45.0 * 60.0 });
    // a's undo puts the service back; nothing puts the cache back.
    let left: Vec<(&str, &str, &str, &str)> = book
        .leftovers
        .iter()
        .map(|l| (l.resource.as_str(), l.state.as_str(), l.baseline.as_str(), a.plan.steps[l.set_by].id()))
        .collect();
    assert_eq!(left, [("cache", "warm", "absent", "c")]);
}

#[test]
fn the_runbook_from_the_first_point_undoes_only_what_had_started() {
    let a = analysis("{start: 2026-12-05T22:00:00Z, duration: 2h}", PLAN);
    // a fails at 10, as b and c would start: only a is undone, 20–25.
    let book = runbook(&a, "a");
    assert_eq!(undos(&book), [("a", 0, 20.0, 20.0, 25.0, Some("Revert thing a"), Some("Ops"))]);
    assert_eq!((m(book.verify.start), m(book.verify.end)), (25.0, 45.0));
    assert_eq!(book.verdict, Verdict::Fits { margin: 75.0 * 60.0 });
    assert!(book.leftovers.is_empty());
}

#[test]
fn the_tightest_point_is_the_one_with_the_least_margin() {
    // Done at 45 (a), 75 (c), 95 (b), 105 (d): in a window of 2 h, d has 15 to spare.
    let a = analysis("{start: 2026-12-05T22:00:00Z, duration: 2h}", PLAN);
    let sim = simulation(&a);
    assert_eq!(sim.tightest().map(|p| a.plan.steps[p.step].id()), Some("d"));
    assert_eq!(runbook(&a, "d").verdict, Verdict::Fits { margin: 15.0 * 60.0 });
    // In 1 h 30 min, d's rollback is done 15 minutes late; it is still the tightest.
    let a = analysis("{start: 2026-12-05T22:00:00Z, duration: 90m}", PLAN);
    let sim = simulation(&a);
    assert_eq!(sim.tightest().map(|p| a.plan.steps[p.step].id()), Some("d"));
    let book = runbook(&a, "d");
    assert_eq!(
        undos(&book).iter().map(|u| (u.0, u.3, u.4)).collect::<Vec<_>>(),
        [("b", 60.0, 80.0), ("c", 60.0, 75.0), ("a", 80.0, 85.0)]
    );
    assert_eq!((m(book.verify.start), m(book.verify.end)), (85.0, 105.0));
    assert_eq!(book.verdict, Verdict::Overruns { by: 15.0 * 60.0 });
    // b is done at 95: 5 minutes late.
    assert_eq!(runbook(&a, "b").verdict, Verdict::Overruns { by: 5.0 * 60.0 });
}

#[test]
fn on_a_tie_the_tightest_point_is_the_earliest() {
    // x and y both fail at 10 with nothing to undo: the same margin; x comes first.
    let steps = "steps:
  - {id: x, kind: check, after: [], takes: 10m, do: Look at the first queue}
  - {id: y, kind: check, after: [], takes: 10m, do: Look at the second queue}
";
    let a = analysis("{start: 2026-12-05T22:00:00Z, duration: 1h}", steps);
    assert_eq!(simulation(&a).tightest().map(|p| a.plan.steps[p.step].id()), Some("x"));
    let book = runbook(&a, "y");
    assert!(book.undos.is_empty());
    // Nothing to undo: no decide, no verify given, so done at the failure.
    assert_eq!((m(book.called), m(book.verify.start), m(book.verify.end)), (10.0, 10.0, 10.0));
    assert_eq!((book.announce, book.verify.what, book.verify.owner), (None, None, None));
    assert_eq!(book.verdict, Verdict::Fits { margin: 50.0 * 60.0 });
}

#[test]
fn past_a_point_of_no_return_the_verdict_names_the_irreversible_steps() {
    let steps = format!(
        "{PLAN}  - {{id: e, after: [d], takes: 5m, do: Delete the old files, irreversible: They are gone}}
  - {{id: f, after: [e], kind: check, takes: 5m, do: Check the disk is free}}
"
    );
    let a = analysis("{start: 2026-12-05T22:00:00Z, duration: 2h}", &steps);
    for id in ["e", "f"] {
        let e = a.graph.as_ref().expect("graph").index["e"];
        assert_eq!(runbook(&a, id).verdict, Verdict::NoWayBack { irreversible: vec![e] }, "{id}");
    }
    // The tightest point is one a rollback is possible from.
    assert_eq!(simulation(&a).tightest().map(|p| a.plan.steps[p.step].id()), Some("d"));
    // With nothing but a point of no return, there is no tightest point.
    let only = "steps:\n  - {id: drop, after: [], takes: 5m, do: Drop the old table, irreversible: Gone}\n";
    assert_eq!(simulation(&analysis("{start: 2026-12-05T22:00:00Z, duration: 1h}", only)).tightest(), None);
}

/// The runbook holds the same undos at the same times as the rollback, and
/// its waves in order, on every point of the examples and of synthetic plans.
#[test]
fn the_runbook_agrees_with_the_rollback_everywhere() {
    let texts = retreat_core::examples::EXAMPLES
        .iter()
        .map(|e| e.2.to_string())
        .chain([(60, 1), (300, 2)].map(|(n, seed)| retreat_core::synth::plan(n, seed)));
    for text in texts {
        let a = analyze(&text, &Options::default());
        let (Some(sim), Some(graph)) = (&a.simulation, &a.graph) else { continue };
        for p in &sim.points {
            let (run, book) = (sim.rollback(graph, p), sim.runbook(&a.plan, graph, p));
            let waves: Vec<Vec<usize>> = run.waves.clone();
            let mut from_book: Vec<Vec<usize>> = Vec::new();
            for u in &book.undos {
                if from_book.len() <= u.wave {
                    from_book.push(Vec::new());
                }
                from_book[u.wave].push(u.step);
            }
            assert_eq!(from_book, waves, "point {}", p.step);
            for u in &book.undos {
                let r = run.undos.iter().find(|r| r.step == u.step).expect("the same undo");
                assert_eq!((u.ready, u.start, u.end), (r.start, r.start, r.finish));
            }
            assert_eq!((book.called, book.verify.start, book.verify.end), (run.called, run.verify_start, run.done));
            assert_eq!(book.verify.end, p.done);
            assert_eq!(book.leftovers, sim.leftovers(p));
        }
    }
}
