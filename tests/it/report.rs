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
