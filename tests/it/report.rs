//! The approval document, as Markdown and as HTML.

use crate::support::{TempFile, retreat};

#[test]
fn the_hospital_example_reads_as_an_approval_document() {
    let run =
        retreat(&["report", "hl7-engine-replacement.yaml"], Some(&crate::support::root().join("www/examples")), None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    for section in [
        "## The change",
        "## Purpose and reasons",
        "## The change window",
        "## Implementation plan",
        "## Rollback plan",
        "## Simulation",
        "## Open findings",
        "## Sign-off",
    ] {
        assert!(run.stdout.contains(section), "{section} missing");
    }
    insta::assert_snapshot!("report_hospital_example_md", run.stdout);
}

#[test]
fn plan_text_is_escaped_in_both_formats() {
    let hostile = "title: \"<script>alert(1)</script> **bold** [x](javascript:alert(1))\"\npurpose: \"| a | b |\"\nsteps:\n  - {id: a, do: \"<img src=x onerror=alert(1)>\", takes: 5m, undo: Put it back}\n";
    let file = TempFile::new("plan.yaml", hostile.as_bytes());
    let html = retreat(&["report", file.path_str(), "--format", "html"], None, None);
    assert_eq!(html.status, 0, "{}", html.stderr);
    assert!(!html.stdout.contains("<script>") && !html.stdout.contains("<img"), "{}", html.stdout);
    assert!(html.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.stdout.contains("Content-Security-Policy"));
    let md = retreat(&["report", file.path_str()], None, None);
    assert!(
        md.stdout.contains("\\<script\\>") && md.stdout.contains("\\*\\*bold\\*\\*") && md.stdout.contains("\\[x\\]"),
        "{}",
        md.stdout
    );
    assert!(md.stdout.contains("\\| a \\| b \\|"), "{}", md.stdout);
}

#[test]
fn a_plan_that_does_not_parse_gets_no_report() {
    let file = TempFile::new("plan.yaml", b"title: T\nsteps: [\n");
    let run = retreat(&["report", file.path_str()], None, None);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("does not parse"));
    assert_eq!(retreat(&["report", file.path_str(), "--format", "pdf"], None, None).status, 2);
}

const HOSPITAL: &str = "www/examples/hl7-engine-replacement.yaml";

#[test]
fn diff_lists_steps_fields_and_figures() {
    let run = retreat(&["diff", HOSPITAL, "www/examples/mistake-rollback-too-long.yaml"], None, None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Step switch changed:\n  undo.takes: [10m, 20m, 45m] -> [30m, 1h, 2h]\n\
         Plan window.end: 2026-12-06T04:00:00Z -> 2026-12-06T01:00:00Z\n\
         Figures:\n  rollback deadline: 02:35 -> 23:00\n  tightest margin: 2 h 45 min to spare -> 55 min over\n  \
         rollback fits from: 11 of 11 points -> 5 of 11 points\n  least P(rollback fits): 100.0% -> 0.0%\n"
    );
    let json = retreat(&["diff", HOSPITAL, "www/examples/mistake-no-undo.yaml", "--format", "json"], None, None);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["changed"][0]["step"], "stop-feed");
    assert_eq!(v["changed"][0]["fields"][0]["field"], "undo.do");
}

#[test]
fn diff_reads_links_too() {
    let link = retreat(&["link", HOSPITAL], None, None).stdout;
    let run = retreat(&["diff", link.trim(), HOSPITAL], None, None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "The plans are the same, as far as the analysis reads them.\n");
}

#[test]
fn diff_refuses_a_plan_it_cannot_read_instead_of_calling_every_step_removed() {
    let broken = TempFile::new("broken.yaml", b"steps: [ {id: a\n");
    let empty = TempFile::new("empty.yaml", b"\n");
    for (file, why) in [(&broken, "it does not parse (`retreat lint` shows where)"), (&empty, "it is empty")] {
        for args in [["diff", HOSPITAL, file.path_str()], ["diff", file.path_str(), HOSPITAL]] {
            let run = retreat(&args, None, None);
            assert_eq!((run.status, run.stdout.as_str()), (1, ""), "{args:?}");
            assert_eq!(run.stderr, format!("retreat: cannot compare with `{}`: {why}\n", file.path_str()));
        }
    }
}

#[test]
fn a_stale_approval_says_what_changed_since() {
    let changed = crate::support::read(HOSPITAL).replace("    takes: 20m\n", "    takes: 25m\n");
    let file = TempFile::new("plan.yaml", changed.as_bytes());
    let run = retreat(&["lint", file.path_str(), "--approved", HOSPITAL, "--format", "json"], None, None);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let c005 = v["diagnostics"].as_array().and_then(|d| d.iter().find(|d| d["code"] == "C005")).expect("C005");
    assert_eq!(
        c005["message"],
        "the approval by `Clinical systems lead` was given for another version of the plan; since then, `smoke` changed (takes); the plan's rollback.verify.takes changed"
    );
}

#[test]
fn the_schema_command_prints_the_shipped_schema() {
    let run = retreat(&["schema"], None, None);
    assert_eq!(run.status, 0);
    assert_eq!(run.stdout, crate::support::read("www/retreat-plan.schema.json"));
}

#[test]
fn an_approval_stanza_pasted_into_the_plan_signs_it_off() {
    let plan = "title: Swap the cache\nwindow: {start: 2026-12-12T22:00:00Z, duration: 2h}\napprovals:\nsteps:\n  - {id: a, do: Switch, takes: 5m, undo: Switch back}\n";
    let hash = retreat_core::analyze(plan, &retreat_core::Options::default()).hash.expect("the plan parses");
    let by = "Dr. O'Brien: \"chair\" # of the board";
    let stanza = retreat_core::report::approval_stanza(by, "Change board chair", "2026-12-01", &hash).expect("valid");
    let signed = plan.replace("approvals:\n", &format!("approvals:\n{stanza}"));
    let analysis = retreat_core::analyze(&signed, &retreat_core::Options::default());
    assert_eq!(analysis.hash.as_deref(), Some(hash.as_str()), "approvals are not part of the hash");
    let approval = analysis.plan.approvals.first().expect("one approval");
    assert_eq!(approval.by.as_ref().map(|b| b.value.as_str()), Some(by), "the name reads back unchanged");
    assert!(
        !analysis.diagnostics.iter().any(|d| d.code.starts_with('P') || d.code == "C005"),
        "{:?}",
        analysis.diagnostics
    );

    let changed = signed.replace("takes: 5m", "takes: 7m");
    let stale = retreat_core::analyze(&changed, &retreat_core::Options::default());
    assert!(stale.diagnostics.iter().any(|d| d.code == "C005"), "a change after approval is flagged");
}

#[test]
fn an_approval_stanza_refuses_what_would_not_read_back() {
    let hash = format!("sha256:{}", "a".repeat(64));
    let stanza = |by: &str, date: &str, hash: &str| retreat_core::report::approval_stanza(by, "", date, hash);
    assert!(stanza(" ", "2026-12-01", &hash).unwrap_err().contains("`by` is empty"));
    assert!(stanza("A\nB", "2026-12-01", &hash).unwrap_err().contains("line breaks"));
    assert!(stanza("Ann", "2026-02-30", &hash).unwrap_err().contains("not a calendar date"));
    assert!(stanza("Ann", "2026-12-01", "sha256:xyz").unwrap_err().contains("not a plan hash"));
    assert_eq!(
        stanza("Ann", "2026-12-01", &hash).unwrap(),
        format!("  - by: \"Ann\"\n    date: 2026-12-01\n    plan_hash: {hash}\n")
    );
}
