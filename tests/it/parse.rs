//! The parser: every P-code at its line and column, every problem of a file
//! reported at once, and the forms of values the contract allows.

use retreat_core::model::Duration;
use retreat_core::model::{Estimate, Kind, Phase};
use retreat_core::parse;

use crate::support::positions;

const HEAD: &str = "title: T\nwindow: {start: 2026-11-28T22:00:00Z, duration: 6h}\n";

/// `(code, line, column)` of one diagnostic.
type At = (&'static str, u32, u32);

/// `(text, [(code, line, column)])`: each text gives exactly these P-codes.
const CASES: &[(&str, &[At])] = &[
    // P001: a syntax error points where reading stopped.
    ("title: T\nsteps:\n  - id: a\n    do: x y z\n     takes: 5m\n", &[("P001", 5, 11)]),
    ("title: T\nsteps: [\n", &[("P001", 3, 1)]),
    ("title: T\ntitle: U\nsteps: [{id: a, do: x y z}]\n", &[("P001", 2, 1)]),
    ("title: T\n---\ntitle: U\n", &[("P003", 1, 1), ("P001", 2, 1)]),
    ("{\"title\": \"T\", \"steps\": [}\n", &[("P001", 1, 26)]),
    // P002: an unknown key, at the key.
    ("title: T\nstpes: []\n", &[("P003", 1, 1), ("P002", 2, 1)]),
    ("title: T\nsteps:\n  - id: a\n    do: x y z\n    tkaes: 5m\n", &[("P002", 5, 5)]),
    ("title: T\nsteps:\n  - id: a\n    do: x y z\n    undo: {do: u v w, take: 5m}\n", &[("P002", 5, 23)]),
    // P003: a value of the wrong form, at the value.
    ("title: T\nsteps:\n  - id: a\n    do: x y z\n    takes: 5 mins\n", &[("P003", 5, 12)]),
    ("title: T\nsteps:\n  - id: a b\n    do: x y z\n", &[("P003", 3, 9)]),
    ("title: T\nsteps:\n  - id: a\n    do: x y z\n    kind: chnge\n", &[("P003", 5, 11)]),
    ("title: T\nsteps:\n  - id: a\n    do: x y z\n    takes: [20m, 10m, 30m]\n", &[("P003", 5, 12)]),
    (
        "title: T\nwindow: {start: 2026-11-28T22:00:00, end: 2026-11-29T04:00:00Z}\nsteps: [{id: a, do: x y z}]\n",
        &[("P003", 2, 17)],
    ),
    ("title: T\nrollback: {confidence: 95}\nsteps: [{id: a, do: x y z}]\n", &[("P003", 2, 24)]),
    ("title: T\nsteps:\n  - id: a\n    do: x y z\n    allow: {C009: }\n", &[("P003", 5, 13)]),
    ("title: T\nsteps:\n  - id: a\n    do: x y z\n    allow: {X123: because}\n", &[("P003", 5, 13)]),
    ("title: T\nsteps:\n  - id: a\n    do: x y z\n    takes: 99999999999h\n", &[("P003", 5, 12)]),
    (
        "title: T\nwindow: {start: 9999-12-31T23:00:00Z, duration: 2h}\nsteps: [{id: a, do: x y z}]\n",
        &[("P003", 2, 49)],
    ),
    // `crew`: a mapping of owners to whole numbers of 1 or more.
    ("title: T\ncrew: 0\nsteps: [{id: a, do: x y z}]\n", &[("P003", 2, 7)]),
    ("title: T\ncrew: -1\nsteps: [{id: a, do: x y z}]\n", &[("P003", 2, 7)]),
    ("title: T\ncrew: lots\nsteps: [{id: a, do: x y z}]\n", &[("P003", 2, 7)]),
    ("title: T\ncrew: [DBA]\nsteps: [{id: a, do: x y z}]\n", &[("P003", 2, 7)]),
    ("title: T\ncrew: {DBA: 1.5}\nsteps: [{id: a, do: x y z}]\n", &[("P003", 2, 13)]),
    ("title: T\ncrew: {DBA: lots}\nsteps: [{id: a, do: x y z}]\n", &[("P003", 2, 13)]),
    (
        "title: T\ncrew: {DBA: 0, SRE: -2, Net: [1], Ops: 2000000}\nsteps: [{id: a, do: x y z}]\n",
        &[("P003", 2, 13), ("P003", 2, 21), ("P003", 2, 30), ("P003", 2, 40)],
    ),
    ("title: T\ncrew: {DBA: 1, \"*\": 2.0, SRE: 1000000}\nsteps: [{id: a, do: x y z}]\n", &[]),
    ("", &[("P003", 1, 1)]),
    ("steps:\n  - id: a\n    do: x y z\n", &[("P003", 1, 1)]),
    ("title: T\nsteps:\n  - do: x y z\n", &[("P003", 3, 5)]),
    // P004: the second use of an id.
    ("title: T\nsteps:\n  - id: a\n    do: x y z\n  - id: a\n    do: x y z\n", &[("P004", 5, 9)]),
    // P005: any version but 1.
    ("version: 2\ntitle: T\nsteps: [{id: a, do: x y z}]\n", &[("P005", 1, 10)]),
    ("version: 1\ntitle: T\nsteps: [{id: a, do: x y z}]\n", &[]),
];

#[test]
fn p_codes_point_at_their_line_and_column() {
    for (text, expected) in CASES {
        let got: Vec<_> = positions(text).into_iter().filter(|(c, _, _)| c.starts_with('P')).collect();
        assert_eq!(&got, expected, "for {text:?}");
    }
}

#[test]
fn one_bad_value_never_hides_the_next() {
    let text = "title: T\nsteps:\n  - id: a\n    do: x y z\n    takes: soon\n  - id: b\n    do: x y z\n    kind: chnge\n    color: red\n  - id: c d\n    do: x y z\n";
    let got: Vec<_> = positions(text).into_iter().filter(|(c, _, _)| c.starts_with('P')).collect();
    assert_eq!(got, [("P003", 5, 12), ("P003", 8, 11), ("P002", 9, 5), ("P003", 10, 9)]);
    // And the plan still holds all three steps.
    assert_eq!(parse(text).plan.steps.len(), 3);
}

#[test]
fn a_problem_inside_a_step_names_the_step() {
    let text = "title: T\nsteps:\n  - id: a\n    do: x y z\n    takes: soon\n  - id: b\n    do: x y z\n    color: red\n    undo: {do: u, take: 5m}\n  - do: x y z\nallow: {X999: why}\n";
    let got: Vec<_> = parse(text).diagnostics.iter().map(|d| (d.code, d.step.as_deref().map(str::to_string))).collect();
    let step = |id: &str| Some(id.to_string());
    assert_eq!(
        got,
        [("P003", step("a")), ("P002", step("b")), ("P002", step("b")), ("P003", step("#3")), ("P003", None)]
    );
}

#[test]
fn rules_still_run_around_a_bad_value() {
    // `takes` is unreadable, but the missing undo of `b` is still found.
    let text = format!(
        "{HEAD}steps:\n  - id: a\n    do: x y z\n    takes: soon\n    undo: {{do: u v w, takes: 5m}}\n  - id: b\n    do: x y z\n    takes: 5m\n"
    );
    let codes = crate::support::codes(&text);
    assert!(codes.contains(&"P003") && codes.contains(&"R001"), "{codes:?}");
    // The unreadable `takes` is not also reported as missing (T003).
    assert!(!codes.contains(&"T003"), "{codes:?}");
}

#[test]
fn durations_in_every_form() {
    let text = format!(
        "{HEAD}steps:\n  - {{id: a, do: x y z, takes: 15m}}\n  - {{id: b, do: x y z, takes: 1h30m}}\n  - {{id: c, do: x y z, takes: 45s}}\n  - {{id: d, do: x y z, takes: 20}}\n  - {{id: e, do: x y z, takes: [10m, 15m, 40m]}}\n  - {{id: f, do: x y z, takes: {{best: 1m, likely: 2m, worst: 1h}}}}\n  - {{id: g, do: x y z, takes: 2.5}}\n"
    );
    let plan = parse(&text).plan;
    let takes: Vec<_> = plan.steps.iter().map(|s| s.takes).collect();
    let fixed = |s| Some(Estimate::Fixed { secs: Duration(s) });
    assert_eq!(takes[..4], [fixed(900), fixed(5400), fixed(45), fixed(1200)]);
    assert_eq!(
        takes[4],
        Some(Estimate::ThreePoint { best: Duration(600), likely: Duration(900), worst: Duration(2400) })
    );
    assert_eq!(
        takes[5],
        Some(Estimate::ThreePoint { best: Duration(60), likely: Duration(120), worst: Duration(3600) })
    );
    assert_eq!(takes[6], fixed(150));
}

#[test]
fn windows_with_an_end_or_a_duration_and_any_offset() {
    let with_end = parse(
        "title: T\nwindow: {start: 2026-11-28T22:00:00+01:00, end: 2026-11-29T04:00:00+01:00}\nsteps: [{id: a, do: x y z}]\n",
    );
    let with_duration =
        parse("title: T\nwindow: {start: 2026-11-28T21:00:00Z, duration: 6h}\nsteps: [{id: a, do: x y z}]\n");
    let (a, b) = (with_end.plan.window.expect("window"), with_duration.plan.window.expect("window"));
    assert_eq!((a.start.unix, a.end.unix), (b.start.unix, b.end.unix));
    assert_eq!(a.start.offset, 3600);
    assert_eq!(a.length(), Duration(6 * 3600));
    let both = positions(
        "title: T\nwindow: {start: 2026-11-28T21:00:00Z, end: 2026-11-29T04:00:00Z, duration: 6h}\nsteps: [{id: a, do: x y z}]\n",
    );
    assert!(both.iter().any(|(c, l, _)| *c == "P003" && *l == 2), "{both:?}");
}

#[test]
fn after_defaults_to_the_previous_step() {
    let plan = parse("title: T\nsteps:\n  - {id: a, do: x y z}\n  - {id: b, do: x y z}\n  - {id: c, do: x y z, after: []}\n  - {id: d, do: x y z, after: a}\n").plan;
    let graph = retreat_core::graph::PlanGraph::build(&plan);
    assert_eq!(graph.after, vec![vec![], vec![0], vec![], vec![0]]);
}

#[test]
fn defaults_and_shorthands() {
    let plan = parse("title: T\nsteps:\n  - {id: a, do: x y z, undo: Put it back as it was}\n").plan;
    let step = &plan.steps[0];
    assert_eq!((step.phase, step.kind), (Phase::Implement, Kind::Change));
    assert_eq!(
        step.undo.as_ref().and_then(|u| u.do_.as_ref()).map(|t| t.value.as_str()),
        Some("Put it back as it was")
    );
}

#[test]
fn json_plans_read_like_yaml() {
    let yaml = "title: T\nsteps:\n  - id: a\n    do: x y z\n    takes: [10m, 15m, 40m]\n";
    let json = "{\n\t\"title\": \"T\",\n\t\"steps\": [{\"id\": \"a\", \"do\": \"x y z\", \"takes\": [\"10m\", \"15m\", \"40m\"]}]\n}\n";
    let (y, j) = (parse(yaml), parse(json));
    assert!(j.diagnostics.is_empty(), "{:?}", j.diagnostics);
    assert_eq!(y.plan.steps[0].takes, j.plan.steps[0].takes);
    assert_eq!(y.hash, j.hash);
}

/// The control-character check looks at 64 bytes at a time: a forbidden
/// character is found wherever it stands, also across a block's edge.
#[test]
fn a_forbidden_character_is_found_at_every_offset() {
    for bad in ["\u{1}", "\u{7f}", "\u{86}", "\u{fffe}"] {
        for at in [0, 1, 62, 63, 64, 65, 127, 128, 200] {
            let mut text = String::from("title: ");
            text.push_str(&"x".repeat(at));
            text.push_str(bad);
            text.push_str(" and more text after it\n");
            let parsed = parse(&text);
            let d = &parsed.diagnostics[0];
            assert_eq!((d.code, d.span.start as usize), ("P001", 7 + at), "{bad:?} at {at}");
            assert!(d.message.contains("control character"), "{}", d.message);
        }
    }
    // Characters that are not forbidden, at a block's edge, are text.
    let text = format!("title: {}é—ü\n", "x".repeat(56));
    assert!(parse(&text).diagnostics.iter().all(|d| d.code != "P001"));
}

#[test]
fn crew_counts_per_owner_and_the_rest() {
    let plan = parse("title: T\ncrew: {DBA: 1, \"*\": 2}\nsteps: [{id: a, do: x y z}]\n").plan;
    let crew = plan.crew.expect("crew");
    assert_eq!(crew.capacity(Some("DBA")), Some(1));
    assert_eq!(crew.capacity(Some("SRE")), Some(2), "`*` covers the owners not listed");
    assert_eq!(crew.capacity(Some("dba")), Some(2), "owners compare exactly as written");
    assert_eq!(crew.capacity(None), None, "a step without owner is never limited");
    let only = parse("title: T\ncrew: {DBA: 3}\nsteps: [{id: a, do: x y z}]\n").plan.crew.expect("crew");
    assert_eq!((only.capacity(Some("DBA")), only.capacity(Some("SRE"))), (Some(3), None));
    // Without `crew`, nobody is limited.
    assert_eq!(parse("title: T\nsteps: [{id: a, do: x y z}]\n").plan.crew, None);
}

#[test]
fn a_bad_crew_entry_leaves_the_others_and_the_rest_of_the_plan() {
    let text = "title: T\ncrew: {DBA: lots, SRE: 2, Net: 1.5}\nsteps:\n  - id: a\n    do: x y z\n    takes: soon\n";
    let parsed = parse(text);
    let crew = parsed.plan.crew.as_ref().expect("crew");
    let read: Vec<_> = crew.entries.iter().map(|e| (e.owner.value.as_str(), e.count)).collect();
    assert_eq!(read, [("SRE", 2)]);
    assert!(parsed.plan.is_invalid("crew"));
    let got: Vec<_> = positions(text).into_iter().filter(|(c, _, _)| c.starts_with('P')).collect();
    assert_eq!(got, [("P003", 2, 13), ("P003", 2, 32), ("P003", 6, 12)]);
    // A crew that is no mapping is no crew, and says so once.
    let scalar = parse("title: T\ncrew: 0\nsteps: [{id: a, do: x y z}]\n");
    assert_eq!((scalar.plan.crew, scalar.diagnostics.len()), (None, 1));
}

/// What users read for each mistake in `crew` (the fixtures in
/// tests/fixtures/bad/ with `crew` in their names).
#[test]
fn what_users_see_for_crew_mistakes() {
    let dir = crate::support::root().join("tests/fixtures/bad");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
        .filter(|n| n.contains("-crew-"))
        .collect();
    names.sort();
    assert!(names.len() >= 6, "{names:?}");
    let mut out = String::new();
    for name in &names {
        let run = crate::support::retreat(&["lint", name], Some(&dir), None);
        assert_eq!(run.status, 1, "{name}: {}", run.stderr);
        let findings: Vec<&str> = run.stdout.lines().filter(|l| !l.starts_with(name.as_str())).collect();
        out.push_str(&format!("== {name}\n{}\n", findings.join("\n").trim_end()));
    }
    insta::assert_snapshot!("crew_mistakes", out);
}
