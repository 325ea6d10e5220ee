//! `retreat export`: the calendar is valid RFC 5545 (CRLF, folded at 75
//! octets, escaped, parsed back by the `icalendar` crate), and the graphs
//! show every step with its kind.

use crate::support::{lint, read, retreat};

const EXAMPLE: &str = "www/examples/hl7-engine-replacement.yaml";

fn calendar(plan: &str) -> String {
    retreat_core::export::ics(&lint(plan)).expect("a calendar")
}

fn check_ics(ics: &str) {
    assert!(ics.ends_with("\r\n"));
    for line in ics.split_terminator("\r\n") {
        assert!(!line.contains('\n') && !line.contains('\r'), "a bare line end in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let unfolded = icalendar::parser::unfold(ics);
    let parsed = icalendar::parser::read_calendar(&unfolded).unwrap_or_else(|e| panic!("{e}\n{ics}"));
    let events: Vec<_> = parsed.components.iter().filter(|c| c.name == "VEVENT").collect();
    assert!(!events.is_empty());
    for e in &events {
        for required in ["UID", "DTSTAMP", "DTSTART", "SUMMARY"] {
            assert!(e.properties.iter().any(|p| p.name == required), "{required} missing");
        }
    }
}

#[test]
fn the_calendar_is_valid_and_has_the_deadline_with_an_alarm() {
    let ics = calendar(&read(EXAMPLE));
    check_ics(&ics);
    let unfolded = icalendar::parser::unfold(&ics);
    let parsed = icalendar::parser::read_calendar(&unfolded).expect("parses");
    let events: Vec<_> = parsed.components.iter().filter(|c| c.name == "VEVENT").collect();
    assert_eq!(events.len(), 2);
    let prop = |e: &icalendar::parser::Component, n: &str| {
        e.properties.iter().find(|p| p.name == n).map(|p| p.val.as_str().to_string()).unwrap_or_default()
    };
    assert_eq!(prop(events[0], "DTSTART"), "20261205T220000Z");
    assert_eq!(prop(events[0], "DTEND"), "20261206T040000Z");
    assert_eq!(prop(events[0], "DTSTAMP"), "20261205T220000Z", "DTSTAMP is the window's start");
    assert!(prop(events[1], "SUMMARY").starts_with("Rollback deadline"));
    assert!(events[1].components.iter().any(|c| c.name == "VALARM"), "the deadline has an alarm");
    // Exported twice, the same text.
    assert_eq!(ics, calendar(&read(EXAMPLE)));
    insta::assert_snapshot!("export_ics_example", ics.replace("\r\n", "⏎\n"));
}

#[test]
fn the_calendar_keeps_the_windows_offset_and_escapes_text() {
    let plan = "title: \"Ward 7, lab; and a very long title that needs folding because it is over seventy-five octets \\\\ end\"\n\
                window: {start: 2026-03-28T23:00:00+01:00, duration: 3h}\nrollback: {decide: 5m}\n\
                steps:\n  - {id: a, kind: check, do: Look at the system carefully, takes: 10m}\n  \
                - {id: b, do: Change the system setting, takes: 20m, undo: {do: Put the setting back, takes: 10m}}\n";
    let ics = calendar(plan);
    check_ics(&ics);
    assert!(ics.contains("TZID:UTC+01:00"), "{ics}");
    assert!(ics.contains("DTSTART;TZID=UTC+01:00:20260328T230000"), "{ics}");
    assert!(ics.contains("DTSTAMP:20260328T220000Z"), "{ics}");
    assert!(ics.contains("\r\n "), "long lines are folded");
    let unfolded = icalendar::parser::unfold(&ics);
    assert!(unfolded.contains("Ward 7\\, lab\\; and"), "{unfolded}");
    assert!(unfolded.contains("\\\\ end"), "{unfolded}");
}

#[test]
fn a_plan_without_a_window_has_no_calendar() {
    let run = retreat(&["export", "tests/fixtures/rules/T006/fires.yaml", "--to", "ics"], None, None);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("has no `window`"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn the_graphs_show_every_step_with_its_kind() {
    for to in ["mermaid", "dot"] {
        let run = retreat(&["export", EXAMPLE, "--to", to], None, None);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let plan = lint(&read(EXAMPLE)).plan;
        for step in &plan.steps {
            assert!(run.stdout.contains(step.id()), "{to}: {}", step.id());
        }
        for label in ["change, has undo", "go/no-go", "backup", "check", "notify", "post · irreversible"] {
            assert!(run.stdout.contains(label), "{to}: {label}");
        }
        insta::assert_snapshot!(format!("export_{to}_example"), run.stdout);
    }
}
