//! `retreat import`: every fixture (written the way each tool's own
//! documentation writes its files) imports to a plan that parses without a
//! P-code, and what users see is snapshotted: the plan, and its findings.

use retreat_import::{Format, Input, Source, import};

use crate::support::{files_under, lint, retreat, root};

/// Every fixture: `tests/fixtures/import/<format>/<file or directory>`.
const FIXTURES: [&str; 18] = [
    "csv/messy-change-sheet.csv",
    "csv/service-desk-backout.csv",
    "csv/jira-export.csv",
    "csv/project-export.tsv",
    "csv/excel-semicolon.csv",
    "markdown/wiki-checklist.md",
    "markdown/runbook-table.md",
    "markdown/bullets.md",
    "markdown/runbook-rollback-section.md",
    "sqitch/flipr",
    "sqitch/reworked",
    "sqitch/cross-project.plan",
    "liquibase/xml-project",
    "liquibase/changelog.yaml",
    "liquibase/changelog.json",
    "flyway/basic",
    "flyway/versions",
    "flyway/nested",
];

/// The findings of `yaml`, one a line: code, step, message.
pub fn findings(yaml: &str) -> String {
    lint(yaml)
        .diagnostics
        .iter()
        .map(|d| format!("{} {}: {}\n", d.code, d.step.as_deref().unwrap_or("-"), d.message))
        .collect()
}

/// Asserts that `yaml` reads without a single P-code.
pub fn assert_parses(yaml: &str) {
    let p: Vec<String> =
        lint(yaml).diagnostics.iter().filter(|d| d.code.starts_with('P')).map(|d| d.message.clone()).collect();
    assert!(p.is_empty(), "P-codes {p:?} in\n{yaml}");
}

#[test]
fn every_fixture_imports_to_a_plan_without_p_codes() {
    for fixture in FIXTURES {
        let run = retreat(&["import", fixture], Some(&root().join("tests/fixtures/import")), None);
        assert_eq!(run.status, 0, "{fixture}: {}", run.stderr);
        assert!(run.stderr.starts_with("retreat: imported "), "{fixture}: {}", run.stderr);
        assert_parses(&run.stdout);
        let name = fixture.replace(['/', '.'], "_");
        insta::assert_snapshot!(format!("import_{name}"), run.stdout);
        insta::assert_snapshot!(format!("import_{name}_lint"), findings(&run.stdout));
    }
}

#[test]
fn the_format_is_detected_and_from_overrides_it() {
    let dir = root().join("tests/fixtures/import");
    for (fixture, format) in FIXTURES.iter().zip([
        "csv",
        "csv",
        "csv",
        "csv",
        "csv",
        "markdown",
        "markdown",
        "markdown",
        "markdown",
        "sqitch",
        "sqitch",
        "sqitch",
        "liquibase",
        "liquibase",
        "liquibase",
        "flyway",
        "flyway",
        "flyway",
    ]) {
        let run = retreat(&["import", fixture], Some(&dir), None);
        assert!(
            run.stdout.lines().next().is_some_and(|l| l.contains(&format!("({format})"))),
            "{fixture}: {}",
            run.stdout
        );
    }
    // A changelog piped in says what it is in its first element.
    let xml = std::fs::read(dir.join("liquibase/xml-project/db.changelog-master.xml")).expect("fixture");
    let piped = retreat(&["import", "-"], None, Some(&xml));
    assert_eq!(piped.status, 0, "{}", piped.stderr);
    assert!(piped.stdout.starts_with("# Imported from `stdin` (liquibase)"), "{}", piped.stdout);
    // A Markdown table read as Markdown; a .txt spreadsheet read when told.
    let sheet = crate::support::TempFile::new("steps.txt", b"Task,Owner\nStop the feed at the listener,Ops\n");
    let run = retreat(&["import", sheet.path_str(), "--from", "csv"], None, None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("do: Stop the feed at the listener"), "{}", run.stdout);
}

#[test]
fn pasted_text_imports_without_a_file_name() {
    // What the app hands over: a tab-separated range copied from a sheet.
    let range = "Task\tDuration\tOwner\nNotify the service desk\t5\tOps\nStop the feed\t10\tOps\n";
    let input =
        Input { name: "", files: vec![Source { path: "pasted", bytes: range.as_bytes() }], main: Some("pasted") };
    let imported = import(&input, Some(Format::Csv)).expect("imports");
    assert_parses(&imported.yaml);
    assert_eq!(imported.steps, 2);
    assert!(imported.yaml.contains("title: pasted"), "{}", imported.yaml);
}

#[test]
fn every_step_field_survives_a_spreadsheet() {
    // One of each field, with text a spreadsheet would take for a formula.
    let plan = "title: All fields\nsteps:\n  - id: a\n    phase: prep\n    kind: backup\n    do: \"=Copy the table, then check\"\n    \
                backs_up: [routes, \"rules; old\"]\n    takes: [1m, 2m, 3m]\n    tags: [security]\n    owner: Ops\n  \
                - id: b\n    after: [a]\n    do: \"Change it; carefully\\nthen look\"\n    verify: Look at it\n    \
                sets: {r1: on, r2: off}\n    destroys: [routes]\n    undo: {do: Undo it, takes: [1m, 5m, 9m], sets: {r1: off}, needs: [a], owner: DBA}\n    \
                allow: {C009: Nobody owns this, T003: Timed elsewhere}\n  - id: c\n    after: []\n    do: Delete the old VM for good\n    \
                irreversible: The VM is gone\n";
    let before = lint(plan);
    assert!(before.diagnostics.iter().all(|d| !d.code.starts_with('P')), "{:?}", before.diagnostics);
    let csv = retreat_core::export::csv(&before.plan);
    let back = reimport(&csv);
    assert_eq!(steps_of(&back), steps_of(plan), "{csv}\n{back}");
}

/// The plan a CSV text imports to.
pub fn reimport(csv: &str) -> String {
    let input = Input {
        name: "plan.csv",
        files: vec![Source { path: "plan.csv", bytes: csv.as_bytes() }],
        main: Some("plan.csv"),
    };
    let imported = import(&input, None).unwrap_or_else(|e| panic!("{e}\n{csv}"));
    assert_parses(&imported.yaml);
    imported.yaml
}

/// Every step field a plan gives, spans and the like left out, as text.
pub fn steps_of(yaml: &str) -> Vec<String> {
    let a = lint(yaml);
    let t = |x: &Option<retreat_core::model::Text>| x.as_ref().map(|t| t.value.clone());
    let ts = |x: &[retreat_core::model::Text]| x.iter().map(|t| t.value.clone()).collect::<Vec<_>>();
    let sets = |x: &[retreat_core::model::StateSet]| {
        x.iter().map(|s| format!("{}={}", s.resource.value, s.state.value)).collect::<Vec<_>>()
    };
    a.plan
        .steps
        .iter()
        .map(|s| {
            let undo = s.undo.as_ref().map(|u| {
                format!("{:?} {:?} {:?} {:?} {:?}", t(&u.do_), u.takes, sets(&u.sets), ts(&u.needs), t(&u.owner))
            });
            let allow: Vec<String> = s.allow.iter().map(|a| format!("{}={}", a.code.value, a.reason.value)).collect();
            format!(
                "{} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                s.id(),
                t(&s.do_),
                s.phase,
                s.kind,
                s.after.as_ref().map(|a| ts(a)),
                s.takes,
                t(&s.owner),
                ts(&s.tags),
                t(&s.verify),
                sets(&s.sets),
                ts(&s.destroys),
                ts(&s.backs_up),
                undo,
                t(&s.irreversible),
                allow
            )
        })
        .collect()
}

#[test]
fn every_bundled_example_survives_export_to_csv_and_import() {
    let examples = files_under("www/examples");
    assert!(examples.len() >= 7);
    for (path, bytes) in examples {
        let text = String::from_utf8(bytes).expect("UTF-8");
        let csv = retreat_core::export::csv(&lint(&text).plan);
        assert_eq!(steps_of(&reimport(&csv)), steps_of(&text), "{path}");
    }
}

#[test]
fn the_command_line_round_trip() {
    let example = "www/examples/hl7-engine-replacement.yaml";
    let run = retreat(&["export", example, "--to", "csv"], None, None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stderr.contains("window, rollback, baseline, approvals have no place"), "{}", run.stderr);
    let sheet = crate::support::TempFile::new("plan.csv", run.stdout.as_bytes());
    let back = retreat(&["import", sheet.path_str()], None, None);
    assert_eq!(back.status, 0, "{}", back.stderr);
    assert_eq!(steps_of(&back.stdout), steps_of(&crate::support::read(example)));
    let windowed = crate::support::TempFile::new(
        "one.yaml",
        b"version: 1\nwindow: {start: 2026-11-28T22:00:00Z, end: 2026-11-29T04:00:00Z}\nsteps:\n  - {id: a, do: Look, kind: check}\n",
    );
    let run = retreat(&["export", windowed.path_str(), "--to", "csv"], None, None);
    assert_eq!(run.stderr, "retreat: the spreadsheet holds the steps; the plan's window has no place in it\n");
}
