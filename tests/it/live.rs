//! The run log (section 6): read against its plan with every problem a
//! diagnostic at its place, and what is sound kept.

use retreat_core::LineIndex;
use retreat_core::live::{self, Actual};

use crate::support::read;

/// The plan of section 1 of the contract, as printed there.
fn contract_plan() -> (retreat_core::Plan, Option<String>) {
    let doc = read("docs/PLAN_FORMAT.md");
    let start = doc.find("```yaml\n").expect("yaml block") + "```yaml\n".len();
    let end = start + doc[start..].find("```").expect("block end");
    let parsed = retreat_core::parse(&doc[start..end]);
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
