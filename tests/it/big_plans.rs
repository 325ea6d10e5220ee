//! Big plans: the simulate JSON keeps section 4's bound (waves for every
//! point only up to 1,000 scheduled steps, `--point` for any point's), and
//! the work that used to grow as the plan's size squared stays linear.

use retreat_core::diff::compare;
use retreat_core::{MonteCarloRuns, Options, analyze, synth};
use serde_json::Value;

use crate::support::{Run, TempFile, retreat};

/// `retreat simulate FILE --format json --runs 1 ARGS...`.
fn simulate(file: &TempFile, args: &[&str]) -> Run {
    let mut all = vec!["simulate", file.path_str(), "--format", "json", "--runs", "1"];
    all.extend(args);
    retreat(&all, None, None)
}

fn json(run: &Run) -> Value {
    assert_eq!(run.status, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("one JSON object")
}

fn ids(points: &Value) -> Vec<&str> {
    points.as_array().expect("points").iter().map(|p| p["step"].as_str().expect("step")).collect()
}

#[test]
fn every_point_has_its_waves_up_to_1000_scheduled_steps_and_none_above() {
    // `synth::plan(n, _)` schedules its n steps (its two prep steps are no
    // failure points).
    for (steps, waves) in [(10, true), (1_000, true), (1_001, false), (5_000, false)] {
        let file = TempFile::new("plan.yaml", synth::plan(steps, 3).as_bytes());
        let run = simulate(&file, &[]);
        let out = json(&run);
        let points = out["failure_points"].as_array().expect("points");
        assert_eq!(points.len(), steps);
        for p in points {
            assert_eq!(p.get("undo_order").is_some(), waves, "{steps} steps, point {}", p["step"]);
        }
        let top = out.get("undo_order");
        assert_eq!(top, (!waves).then(|| Value::from("omitted")).as_ref(), "{steps} steps");
        if !waves {
            let per_step = run.stdout.len() / steps;
            assert!(per_step <= 1024, "{steps} steps: {per_step} bytes a step");
        }
    }
}

#[test]
fn point_writes_those_points_with_their_waves_and_no_others() {
    let small = TempFile::new("plan.yaml", synth::plan(300, 5).as_bytes());
    let big = TempFile::new("plan.yaml", synth::plan(3_000, 5).as_bytes());
    let everything = json(&simulate(&small, &[]));
    let cases: [(&TempFile, &[&str], &[&str]); 4] = [
        (&small, &["--point", "s42"], &["s42"]),
        // In the points' order (by fail time), each once.
        (&small, &["--point", "s299", "--point", "s7", "--point", "s299"], &["s7", "s299"]),
        (&big, &["--point", "s2999"], &["s2999"]),
        (&big, &["--point", "s1", "--point", "s1500"], &["s1", "s1500"]),
    ];
    for (file, args, expected) in cases {
        let out = json(&simulate(file, args));
        assert_eq!(ids(&out["failure_points"]), expected, "{args:?}");
        assert_eq!(out.get("undo_order"), None, "{args:?}: nothing is omitted");
        for p in out["failure_points"].as_array().expect("points") {
            let waves = p["undo_order"].as_array().expect("waves");
            assert!(!waves.is_empty(), "{args:?}: {}", p["step"]);
            if std::ptr::eq(file, &small) {
                // The same point as the whole output writes it.
                let whole =
                    everything["failure_points"].as_array().expect("points").iter().find(|q| q["step"] == p["step"]);
                assert_eq!(Some(p), whole, "{args:?}");
            }
        }
        if std::ptr::eq(file, &small) {
            // The rest of the object is the plan's, whatever the points.
            for key in ["window", "forward", "rollback_deadline_minutes", "monte_carlo"] {
                assert_eq!(out[key], everything[key], "{key}");
            }
        }
    }
}

#[test]
fn point_in_the_table_adds_its_waves() {
    let file = TempFile::new("plan.yaml", synth::plan(40, 5).as_bytes());
    let run = retreat(&["simulate", file.path_str(), "--runs", "1", "--point", "s12"], None, None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let table: Vec<&str> =
        run.stdout.lines().skip_while(|l| !l.starts_with("Failure points")).take_while(|l| !l.is_empty()).collect();
    assert_eq!(table.len(), 5, "{table:#?}");
    assert!(table[2].starts_with("  s12 "), "{table:#?}");
    // Its rollback, wave by wave: the undo of s12 among them, s1's (which
    // everything waits for) last.
    let waves = table[3].trim_start().strip_prefix("undo in waves: ").expect("the waves");
    assert!(waves.split("; then ").any(|w| w.split(", ").any(|s| s == "s12")), "{waves}");
    assert!(waves.ends_with("; then s1"), "{waves}");
    assert!(table[4].starts_with("  a complete rollback fits from "), "{table:#?}");
}

#[test]
fn point_naming_no_failure_point_is_told_with_the_closest_id() {
    let file = TempFile::new("plan.yaml", synth::plan(200, 5).as_bytes());
    let cases = [
        ("s12x", "`--point s12x`: no step `s12x` in the plan; did you mean `s12`?"),
        ("rollback-everything", "`--point rollback-everything`: no step `rollback-everything` in the plan"),
        ("notice", "`--point notice`: `notice` is a prep step, done before the window opens;"),
    ];
    for (name, message) in cases {
        for format in ["json", "human"] {
            let args =
                ["simulate", file.path_str(), "--runs", "1", "--format", format, "--point", "s3", "--point", name];
            let run = retreat(&args, None, None);
            assert_eq!(run.status, 2, "{name}: {}", run.stderr);
            assert_eq!(run.stdout, "", "{name}");
            assert!(run.stderr.starts_with(&format!("retreat: {message}")), "{name}: {}", run.stderr);
        }
    }
}

/// A plan of `steps` changes, each setting a resource of its own that its
/// undo does not set back: the point after step k leaves k + 1 resources
/// behind, n²/2 leftovers over all points.
fn plan_leaving_everything_behind(steps: usize) -> String {
    let mut text = String::from(
        "title: Leftovers\nwindow: {start: 2026-12-05T22:00:00Z, duration: 24h}\n\
         rollback: {decide: 10m, announce: Tell the desk, verify: {do: Check it all, takes: 10m}}\nsteps:\n",
    );
    for i in 0..steps {
        text.push_str(&format!(
            "  - id: s{i}\n    do: Change thing {i}\n    takes: 1m\n    sets: {{r{i}: new}}\n    \
             undo: {{do: Revert thing {i}, takes: 1m}}\n"
        ));
    }
    text
}

#[test]
fn leftovers_of_every_point_cost_no_more_than_the_plan() {
    // Kept for every point, these leftovers took 50 million entries (and
    // several gigabytes) for a 1.2 MB plan.
    let steps = 10_000;
    let file = TempFile::new("plan.yaml", plan_leaving_everything_behind(steps).as_bytes());
    let lint = retreat(&["lint", file.path_str(), "--format", "json"], None, None);
    assert_eq!(lint.status, 1, "{}", lint.stderr);
    let found: Value = serde_json::from_str(&lint.stdout).expect("json");
    let r004 = found["diagnostics"].as_array().expect("diagnostics").iter().filter(|d| d["code"] == "R004").count();
    assert_eq!(r004, steps, "one R004 for each step's resource");
    let last = format!("s{}", steps - 1);
    let out = json(&simulate(&file, &["--point", "s0", "--point", &last]));
    let counts: Vec<usize> = out["failure_points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["leftovers"].as_array().expect("leftovers").len())
        .collect();
    assert_eq!(counts, [1, steps]);
    // The table lists a few of each point's and counts the rest.
    let table = retreat(&["simulate", file.path_str(), "--runs", "1"], None, None);
    assert_eq!(table.status, 0, "{}", table.stderr);
    assert!(table.stdout.len() / steps <= 1024, "{} bytes", table.stdout.len());
    let more = format!("and {} more off their baseline (`--format json` lists them)", steps - 5);
    assert_eq!(table.stdout.lines().filter(|l| l.ends_with(&more)).count(), 1, "the last point's");
}

#[test]
fn diff_of_two_big_plans_matches_each_step_by_its_id() {
    // Every step of `after` in the other order, a hundred left out and
    // three renamed: matched by id, not place. (`benches/diff.rs` keeps the
    // time figure: linear, where it used to grow as the square.)
    let steps = 20_000;
    let options = Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() };
    let before = analyze(&synth::plan(steps, 1), &options);
    let mut after = before.clone();
    // (The two prep steps first, as the one with no `after` waits for the other.)
    after.plan.steps[2..].reverse();
    after.plan.steps.retain(|s| !s.id().ends_with("00") || s.id().len() < 4);
    let removed = steps / 100 - 1;
    for (k, step) in after.plan.steps.iter_mut().skip(2).take(3).enumerate() {
        step.id.value = format!("renamed-{k}");
    }
    let d = compare(&before, &after);
    assert_eq!(d.added, ["renamed-0", "renamed-1", "renamed-2"]);
    assert_eq!(d.removed.len(), removed + 3, "{:?}", &d.removed[..5]);
    assert_eq!(d.removed[removed..], ["s19997", "s19998", "s19999"]);
    assert!(d.changed.is_empty(), "{:?}", &d.changed[..1]);
    // The one line C005 quotes names a few steps and counts the rest.
    let summary = d.summary();
    assert!(summary.starts_with("`renamed-0`, `renamed-1`, `renamed-2` added; `s100`, `s200`,"), "{summary}");
    assert!(summary.contains(", `s1000` and "), "{summary}");
    assert!(summary.ends_with(&format!(" and {} more removed", removed + 3 - 10)), "{summary}");
}

#[test]
fn a_closed_pipe_ends_the_streamed_simulation_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let file = TempFile::new("plan.yaml", synth::plan(3_000, 5).as_bytes());
    for format in ["json", "human"] {
        let args = ["simulate", file.path_str(), "--format", format, "--runs", "1"];
        let full = retreat(&args, None, None);
        // Far more than a pipe holds, so the command is still writing when it closes.
        assert!(full.stdout.len() > 256 << 10, "{format}: {} bytes", full.stdout.len());
        let mut child = Command::new(env!("CARGO_BIN_EXE_retreat"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the retreat binary runs");
        let mut first = [0u8; 64];
        child.stdout.take().expect("piped").read_exact(&mut first).expect("the output begins");
        let out = child.wait_with_output().expect("it finishes");
        assert_eq!(out.status.code(), Some(full.status), "{format}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), full.stderr, "{format}");
    }
}

#[test]
fn a_step_after_every_other_step_is_checked_in_one_search() {
    // A chain of 20,000 checks and a last step that lists every one of them:
    // all but the chain's end are implied. Asked pair by pair, that took
    // 5 s for 20,000 steps (and grew as the square).
    let steps = 20_000;
    let mut text = String::from("title: Fan-in\nsteps:\n");
    for i in 0..steps {
        text.push_str(&format!("  - {{id: s{i}, kind: check, do: Check thing {i}, takes: 1m}}\n"));
    }
    let all: Vec<String> = (0..steps).map(|i| format!("s{i}")).collect();
    text.push_str(&format!("  - {{id: last, kind: check, do: Check it all, after: [{}]}}\n", all.join(", ")));
    let analysis = analyze(&text, &Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() });
    let implied: Vec<&str> =
        analysis.diagnostics.iter().filter(|d| d.code == "G003").map(|d| d.message.as_str()).collect();
    assert_eq!(implied.len(), steps - 1);
    assert_eq!(implied[7], "`s7` in the `after` of `last` is already implied: `s8` waits for it");
}

#[test]
fn suggestions_for_unknown_steps_stop_at_their_limit() {
    use retreat_core::limits::MAX_SUGGESTION_COMPARISONS;
    // Every step waits for a misspelt id: each suggestion compares it with
    // every id, n² in all, so only the first ones get one.
    let steps = 4_000;
    let mut text = String::from("title: Typos\nsteps:\n");
    for i in 0..steps {
        text.push_str(&format!("  - {{id: s-{i}, kind: check, do: Check thing {i}, after: [s{i}]}}\n"));
    }
    // A name seen before keeps its suggestion.
    text.push_str("  - {id: last, kind: check, do: Check it all, after: [s7]}\n");
    let analysis = analyze(&text, &Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() });
    let helps: Vec<&str> =
        analysis.diagnostics.iter().filter(|d| d.code == "G001").map(|d| d.help.as_deref().unwrap_or("")).collect();
    assert_eq!(helps.len(), steps + 1);
    let suggested = MAX_SUGGESTION_COMPARISONS / (steps + 1);
    assert!(suggested < steps);
    let did_you_mean = |h: &&str| h.starts_with("did you mean");
    assert!(helps[..suggested].iter().all(did_you_mean), "{:?}", &helps[..3]);
    assert_eq!(helps[7], "did you mean `s-7`?");
    assert!(!helps[suggested..steps].iter().any(did_you_mean), "{:?}", &helps[suggested..suggested + 3]);
    assert_eq!(helps[suggested], "name the id of a step in this plan, or add the step");
    assert_eq!(helps[steps], "did you mean `s-7`?");
}
