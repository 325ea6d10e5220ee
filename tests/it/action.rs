//! The GitHub Action's script (scripts/action.sh), run locally on the
//! bundled examples the way the action runs it: SARIF out, a job summary
//! with each plan's figures, the status of the lint.

use std::process::Command;

use crate::support::root;

#[test]
fn the_actions_script_lints_the_examples_and_summarises_their_figures() {
    let dir = std::env::temp_dir().join(format!("retreat-action-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (sarif, summary) = (dir.join("out.sarif"), dir.join("summary.md"));
    let run = Command::new("bash")
        .arg("scripts/action.sh")
        .current_dir(root())
        .env("PLANS", "www/examples/hl7-engine-replacement.yaml www/examples/mistake-*.yaml")
        .env("RETREAT", env!("CARGO_BIN_EXE_retreat"))
        .env("SARIF", &sarif)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("BASE_REF", "HEAD")
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    // The mistake examples have errors: the lint's status 1 is the script's.
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif")).expect("json");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "R001"), "{results:?}");
    let summary = std::fs::read_to_string(&summary).expect("summary");
    for expected in [
        "| Plan | Window | Steps done | Rollback deadline | Tightest point (margin) | Findings |",
        "| `www/examples/hl7-engine-replacement.yaml` | 2026-12-05T22:00:00Z to 2026-12-06T04:00:00Z | 23:50 | 02:35 | announce-done (165 min) | 0 errors, 0 warnings |",
        "| `www/examples/mistake-rollback-too-long.yaml` | 2026-12-05T22:00:00Z to 2026-12-06T01:00:00Z | 23:50 | 23:00 |",
        "### Against `HEAD`",
    ] {
        assert!(summary.contains(expected), "missing {expected:?} in\n{summary}");
    }
    // The same plans as at HEAD: nothing moved (unless the tree is edited).
    assert!(summary.contains("(no figure moved)") || summary.contains("Figures:"), "{summary}");
    let none = Command::new("bash")
        .arg("scripts/action.sh")
        .current_dir(root())
        .env("PLANS", "no/such/*.plan.yaml")
        .env("RETREAT", env!("CARGO_BIN_EXE_retreat"))
        .env("GITHUB_STEP_SUMMARY", dir.join("none.md"))
        .output()
        .expect("bash runs");
    assert_eq!(none.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_action_and_the_hook_run_the_script_and_the_command() {
    let action = crate::support::read("action.yml");
    assert!(action.contains("using: composite") && action.contains("scripts/action.sh"));
    assert!(action.contains("github/codeql-action/upload-sarif"));
    let hooks = crate::support::read(".pre-commit-hooks.yaml");
    assert!(hooks.contains("id: retreat-lint") && hooks.contains("entry: retreat lint"));
}
