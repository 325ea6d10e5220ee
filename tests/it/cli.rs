//! The `retreat` command: exit codes, the contract's JSON, SARIF, and the
//! rule docs commands.

use crate::support;
use std::io::Read;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{TempFile, read, retreat};

const CLEAN: &str = "www/examples/hl7-engine-replacement.yaml";
const ERRORS: &str = "tests/fixtures/rules/R001/fires.yaml";
const WARNINGS: &str = "tests/fixtures/rules/R006/fires.yaml";

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn exit_status_follows_the_findings() {
    assert_eq!(retreat(&["lint", CLEAN], None, None).status, 0);
    assert_eq!(retreat(&["lint", ERRORS], None, None).status, 1);
    assert_eq!(retreat(&["lint", WARNINGS], None, None).status, 0);
    assert_eq!(retreat(&["lint", WARNINGS, "--deny", "warnings"], None, None).status, 1);
    assert_eq!(retreat(&["lint", CLEAN, "--deny", "warnings"], None, None).status, 0);
}

#[test]
fn json_is_exactly_the_contract_object() {
    let run = retreat(&["lint", ERRORS, "--format", "json"], None, None);
    assert_eq!(run.status, 1);
    let v = json(&run.stdout);
    let keys: Vec<&str> = v.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["diagnostics", "file", "plan_hash", "summary"]);
    assert_eq!(v["file"], ERRORS);
    assert!(v["plan_hash"].as_str().is_some_and(|h| h.starts_with("sha256:") && h.len() == 71));
    let d = &v["diagnostics"][0];
    let keys: Vec<&str> = d.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["code", "column", "line", "message", "severity", "step"]);
    assert_eq!(
        (d["code"].as_str(), d["severity"].as_str(), d["step"].as_str()),
        (Some("R001"), Some("error"), Some("move-files"))
    );
    let text = read(ERRORS);
    let line = d["line"].as_u64().expect("line") as usize;
    assert!(text.lines().nth(line - 1).is_some_and(|l| l.contains("- id: move-files")));
    assert_eq!(v["summary"], json(r#"{"errors": 1, "warnings": 0, "infos": 0}"#));
}

#[test]
fn json_step_is_null_where_no_step_applies() {
    let v = json(&retreat(&["lint", WARNINGS, "--format", "json"], None, None).stdout);
    assert_eq!(v["diagnostics"][0]["code"], "R006");
    assert!(v["diagnostics"][0]["step"].is_null());
}

#[test]
fn json_gives_one_object_per_file_per_line() {
    let run = retreat(&["lint", CLEAN, ERRORS, "--format", "json"], None, None);
    assert_eq!(run.status, 1);
    let files: Vec<Value> = run.stdout.lines().map(json).collect();
    assert_eq!(files.len(), 2);
    assert_eq!((files[0]["file"].as_str(), files[1]["file"].as_str()), (Some(CLEAN), Some(ERRORS)));
}

#[test]
fn severity_can_be_changed_per_rule() {
    let off = retreat(&["lint", WARNINGS, "--severity", "R006=off", "--format", "json"], None, None);
    assert_eq!(json(&off.stdout)["diagnostics"], json("[]"));
    let by_name = retreat(&["lint", WARNINGS, "--severity", "no-rollback-announce=error"], None, None);
    assert_eq!(by_name.status, 1);
    assert!(by_name.stdout.contains("error[R006"), "{}", by_name.stdout);
    for bad in ["R006", "R006=loud", "X999=off", "P001=off"] {
        let run = retreat(&["lint", WARNINGS, "--severity", bad], None, None);
        assert_eq!(run.status, 2, "--severity {bad}");
        assert!(run.stderr.contains("retreat: "), "{}", run.stderr);
    }
}

#[test]
fn wrong_arguments_exit_2() {
    for args in [
        &["lint"][..],
        &["lint", CLEAN, "--format", "xml"],
        &["frobnicate"],
        &["lint", CLEAN, "--deny", "infos"],
        &["explain"],
    ] {
        let run = retreat(args, None, None);
        assert_eq!(run.status, 2, "{args:?}");
    }
    let help = retreat(&["--help"], None, None);
    assert_eq!(help.status, 0);
    assert!(help.stdout.contains("retreat lint FILE..."));
    // After any command, with or without its operands, `--help` is the usage.
    for args in
        [&["forecast", "--help"][..], &["diff", "-h"], &["lint", CLEAN, "--help"], &["export", "x.yaml", "--help"]]
    {
        let run = retreat(args, None, None);
        assert_eq!((run.status, run.stdout.as_str()), (0, help.stdout.as_str()), "{args:?}");
    }
}

#[test]
fn standard_input_is_a_file_named_dash() {
    let run = retreat(&["lint", "-", "--format", "json"], None, Some(read(ERRORS).as_bytes()));
    assert_eq!(run.status, 1);
    assert_eq!(json(&run.stdout)["file"], "-");
}

#[test]
fn human_output_shows_the_line_a_caret_and_the_help() {
    let run = retreat(&["lint", ERRORS], None, None);
    let expected = [
        "error[R001 missing-undo]: step `move-files` changes the system",
        "--> tests/fixtures/rules/R001/fires.yaml:",
        "- id: move-files",
        "^^^^^^^^^^",
        "= help: add `undo:",
        "1 error, 0 warnings, 0 infos; plan hash sha256:",
    ];
    for piece in expected {
        assert!(run.stdout.contains(piece), "missing {piece:?} in\n{}", run.stdout);
    }
}

#[test]
fn sarif_has_rules_results_regions_and_suppressions() {
    let plan = read(ERRORS)
        .replace("  - id: move-files\n", "  - id: move-files\n    allow: {C009: the DBA owns every step}\n");
    let plan = plan.replace("    owner: DBA on call\n    do: Stop the database", "    do: Stop the database");
    let file = TempFile::new("plan with space.yaml", plan.as_bytes());
    let run = retreat(&["lint", file.path_str(), "--format", "sarif"], None, None);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let v = json(&run.stdout);
    assert_eq!(v["version"], "2.1.0");
    let sarif_run = &v["runs"][0];
    let rules = sarif_run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), retreat_core::RULES.len());
    assert!(rules.iter().all(|r| r["help"]["text"].as_str().is_some_and(|t| t.contains("## Fix"))));
    let results = sarif_run["results"].as_array().expect("results");
    let r001 = results.iter().find(|r| r["ruleId"] == "R001").expect("R001 result");
    assert_eq!(r001["level"], "error");
    let loc = &r001["locations"][0]["physicalLocation"];
    assert!(loc["artifactLocation"]["uri"].as_str().is_some_and(|u| u.ends_with("plan%20with%20space.yaml")));
    assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l > 1));
    assert_eq!(rules[r001["ruleIndex"].as_u64().expect("index") as usize]["id"], "R001");
    let c009 = results.iter().find(|r| r["ruleId"] == "C009").expect("suppressed C009 is kept");
    assert_eq!(c009["level"], "note");
    assert_eq!(c009["suppressions"][0]["justification"], "the DBA owns every step");
}

#[test]
fn explain_prints_a_rules_docs() {
    for code in ["R001", "missing-undo", "r001"] {
        let run = retreat(&["explain", code], None, None);
        assert_eq!(run.status, 0);
        assert!(run.stdout.starts_with("# R001 missing-undo\n\nDefault severity: error"), "{}", run.stdout);
        assert!(run.stdout.contains("## Why it matters"));
    }
    let run = retreat(&["explain", "R999"], None, None);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("`R999` is no rule"));
}

#[test]
fn rules_lists_every_rule() {
    let run = retreat(&["rules"], None, None);
    assert_eq!(run.status, 0);
    for rule in retreat_core::RULES {
        assert!(run.stdout.contains(&format!("{}  {}", rule.code, rule.name)), "{} missing", rule.code);
    }
}

#[test]
fn allow_silences_a_rule_with_a_reason() {
    let base = read(ERRORS);
    let step_level = base.replace(
        "  - id: move-files\n",
        "  - id: move-files\n    allow: {R001: the storage team keeps array A as it was}\n",
    );
    assert!(crate::support::codes(&step_level).is_empty());
    let plan_level = format!("allow: {{R001: array A stays untouched for a week}}\n{base}");
    assert!(crate::support::codes(&plan_level).is_empty());
    let elsewhere = base.replace("  - id: baseline\n", "  - id: baseline\n    allow: {R001: wrong step}\n");
    assert_eq!(crate::support::codes(&elsewhere), ["R001"]);
    let no_reason = base.replace("  - id: move-files\n", "  - id: move-files\n    allow: {R001: ''}\n");
    assert_eq!(crate::support::codes(&no_reason), ["R001", "P003"]);
}

#[test]
fn link_and_open_use_the_apps_codec() {
    let run = retreat(&["link", CLEAN, "--base", "https://retreat.example/app/#old"], None, None);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let url = run.stdout.trim();
    assert!(url.starts_with("https://retreat.example/app/#v1."), "{url}");
    let opened = retreat(&["open", url], None, None);
    assert_eq!(opened.status, 0);
    assert_eq!(opened.stdout, read(CLEAN));
    let broken = retreat(&["open", &url[..url.len() - 10]], None, None);
    assert_eq!(broken.status, 1);
    assert!(broken.stderr.contains("damaged or cut short"), "{}", broken.stderr);
    // A plan too big for any link to open is refused, not printed.
    let big = format!("{}\n# {}\n", read(CLEAN), "x".repeat(retreat_core::limits::MAX_LINK_BYTES));
    let file = TempFile::new("big.yaml", big.as_bytes());
    let run = retreat(&["link", file.path_str()], None, None);
    assert_eq!((run.status, run.stdout.as_str()), (2, ""));
    assert!(run.stderr.contains("a link carries at most 4 MiB of plan; share the file instead"), "{}", run.stderr);
}

#[test]
fn monte_carlo_runs_are_limited() {
    let run = retreat(&["simulate", CLEAN, "--runs", "1000001"], None, None);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("from 1 to 1000000"), "{}", run.stderr);
}

#[test]
fn an_unknown_option_or_a_missing_value_is_told_clearly() {
    let cases: [(&[&str], String); 9] = [
        (&["lint", CLEAN, "--frobnicate"], "invalid option '--frobnicate'".into()),
        (&["lint", CLEAN, "-z"], "invalid option '-z'".into()),
        (&["--frobnicate"], "invalid option '--frobnicate'".into()),
        (&["lint", CLEAN, "--format"], "missing argument for option '--format'".into()),
        (&["simulate", CLEAN, "--runs"], "missing argument for option '--runs'".into()),
        (&["link", CLEAN, "--base"], "missing argument for option '--base'".into()),
        (&["diff", CLEAN], "`retreat diff` needs two plans, A and B".into()),
        (&["simulate", CLEAN, ERRORS], format!("unexpected argument \"{ERRORS}\"")),
        (&["frobnicate"], "unknown command `frobnicate`".into()),
    ];
    for (args, message) in cases {
        let run = retreat(args, None, None);
        assert_eq!(run.status, 2, "{args:?}");
        assert_eq!(run.stderr, format!("retreat: {message}\nRun `retreat --help` for usage.\n"), "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
    }
}

/// A command's line in the usage text: its name, operands and options (each
/// with the value it shows).
struct Synopsis {
    name: String,
    operands: Vec<String>,
    options: Vec<(String, String)>,
}

/// The commands of `retreat --help`, with the options on their lines and on
/// the lines they wrap onto.
fn synopses(usage: &str) -> Vec<Synopsis> {
    let mut commands: Vec<Synopsis> = Vec::new();
    for line in usage.lines() {
        let text = line.trim_start();
        if let Some(rest) = text.strip_prefix("retreat ").filter(|r| !r.starts_with('-')) {
            let mut words = rest.split_whitespace();
            let name = words.next().expect("a command name").to_string();
            let operands = words.take_while(|w| w.chars().all(|c| c.is_ascii_uppercase() || c == '.' || c == '|'));
            commands.push(Synopsis { name, operands: operands.map(str::to_string).collect(), options: Vec::new() });
        } else if !text.starts_with('[') {
            continue;
        }
        let Some(command) = commands.last_mut() else { continue };
        for piece in line.split('[').skip(1) {
            let inside = piece.split(']').next().unwrap_or_default();
            if let Some((name, value)) = inside.strip_prefix("--").and_then(|o| o.split_once(' ')) {
                command.options.push((name.to_string(), value.to_string()));
            }
        }
    }
    commands
}

/// Values to give an option whose usage shows `value`: each choice of
/// `human|json`, or an example for a name such as `N`.
fn samples(value: &str) -> Vec<&str> {
    if value.chars().any(|c| c.is_ascii_lowercase()) {
        return value.split('|').collect();
    }
    let sample = match value {
        "N" => "5",
        "S" => "7",
        "URL" => "https://retreat.example/app/",
        "CODE=LEVEL" => "C009=off",
        "FILE|LINK" => "no/such/plan.yaml",
        "STEP" => "switch",
        "LOG" => "no/such/log.yaml",
        "TIME" => "2026-11-28T23:00:00Z",
        "FILE" => "docs/retreat.example.toml",
        other => panic!("the usage text shows a value `{other}`: add an example of it here"),
    };
    vec![sample]
}

#[test]
fn the_usage_text_lists_exactly_what_the_parser_reads() {
    let usage = retreat(&["--help"], None, None);
    assert_eq!(usage.status, 0);
    let commands = synopses(&usage.stdout);
    let names: Vec<&str> = commands.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "lint", "diff", "simulate", "report", "forecast", "review", "link", "import", "export", "open", "schema",
            "explain", "lsp", "rules"
        ]
    );
    let mut every_option: Vec<&str> = commands.iter().flat_map(|c| &c.options).map(|(n, _)| n.as_str()).collect();
    every_option.sort_unstable();
    every_option.dedup();
    assert!(every_option.len() >= 7, "{every_option:?}");
    let missing = "no/such/plan.yaml";
    for command in &commands {
        // Options first: `open` reads nothing after its LINK.
        let operands = vec![missing; command.operands.len()];
        let run_with = |option: &str, value: &str| {
            let mut args = vec![command.name.as_str(), option, value];
            args.extend(&operands);
            (retreat(&args, None, None), args.join(" "))
        };
        for &option in &every_option {
            let flag = format!("--{option}");
            match command.options.iter().find(|(name, _)| name == option) {
                Some((_, value)) => {
                    // Taken: the arguments are read in full, then the plans.
                    for sample in samples(value) {
                        let (run, args) = run_with(&flag, sample);
                        if command.name == "rules" {
                            assert_eq!(run.status, 0, "{args}: {}", run.stderr);
                            continue;
                        }
                        if command.operands.is_empty() {
                            // `lsp`: taken, then the server stops as stdin is closed.
                            assert!(run.stderr.contains("the language server stopped"), "{args}: {}", run.stderr);
                            continue;
                        }
                        assert_eq!(run.status, 2, "{args}: {}", run.stderr);
                        assert!(
                            run.stderr.starts_with(&format!("retreat: cannot read `{missing}`")),
                            "{args}: {}",
                            run.stderr
                        );
                    }
                    if value.contains('|') && value.chars().any(|c| c.is_ascii_lowercase()) {
                        let (run, args) = run_with(&flag, "nonsense");
                        assert_eq!(run.status, 2, "{args}");
                        assert!(!run.stderr.contains("cannot read"), "{args}: {}", run.stderr);
                    }
                }
                None => {
                    let (run, args) = run_with(&flag, "x");
                    assert_eq!(run.status, 2, "{args}");
                    assert!(
                        run.stderr.starts_with(&format!("retreat: invalid option '{flag}'")),
                        "{args}: {}",
                        run.stderr
                    );
                }
            }
        }
    }
    assert!(usage.stdout.contains("\n  retreat --version\n"));
    let version = retreat(&["--version"], None, None);
    assert_eq!((version.status, version.stdout), (0, format!("retreat {}\n", env!("CARGO_PKG_VERSION"))));
}

/// A plan of `steps` steps, none saying how it is undone: an R001 error for
/// each, and output in proportion.
fn plan_with_many_findings(steps: usize) -> String {
    let mut text = String::from("title: Many changes\nsteps:\n");
    for i in 0..steps {
        text.push_str(&format!("  - id: s{i}\n    do: Change thing number {i}\n    takes: 1m\n"));
    }
    text
}

/// Runs `retreat` with standard output a pipe that is closed once the first
/// bytes have come through; returns the exit status and standard error.
fn with_output_closed_early(args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_retreat"))
        .args(args)
        .current_dir(crate::support::root())
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the retreat binary runs");
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).expect("the output begins");
    drop(stdout);
    let out = child.wait_with_output().expect("the retreat binary finishes");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_with_the_usual_status() {
    let plan = TempFile::new("many.yaml", plan_with_many_findings(3_000).as_bytes());
    let path = plan.path_str();
    let cases: [(&[&str], i32); 6] = [
        (&["lint", path], 1),
        (&["lint", path, "--format", "json"], 1),
        (&["lint", path, "--format", "sarif"], 1),
        (&["lint", path, "--severity", "R001=warning"], 0),
        (&["lint", path, "--severity", "R001=warning", "--deny", "warnings"], 1),
        (&["lint", path, path, "--severity", "R001=info", "--format", "json"], 0),
    ];
    for (args, status) in cases {
        let full = retreat(args, None, None);
        assert_eq!(full.status, status, "{args:?}: {}", full.stderr);
        // Far more than a pipe holds (64 KiB), so the command is still writing when the pipe closes.
        assert!(full.stdout.len() > 512 << 10, "{args:?}: {} bytes", full.stdout.len());
        assert_eq!(with_output_closed_early(args), (status, String::new()), "{args:?}");
    }
    // An unreadable file is still told, and still makes the status 2.
    let (status, stderr) = with_output_closed_early(&["lint", path, "no/such/plan.yaml"]);
    assert_eq!((status, stderr.as_str()), (2, "retreat: cannot read `no/such/plan.yaml`: no such file\n"));
}

#[test]
fn lint_reads_retreat_toml_and_the_command_line_wins() {
    let plan = include_str!("../fixtures/rules/C010/fires.yaml");
    let settings = "[severity]\nC010 = \"error\"\nC009 = \"off\"\n";
    let file = support::TempFile::new("retreat.toml", settings.as_bytes());
    std::fs::write(file.dir.join("plan.yaml"), plan).expect("plan");
    let codes = |run: &support::Run| -> Vec<(String, String)> {
        let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d["code"].as_str().unwrap().into(), d["severity"].as_str().unwrap().into()))
            .collect()
    };
    // Found in the working directory: C010 is an error now, C009 is off.
    let found = support::retreat(&["lint", "plan.yaml", "--format", "json"], Some(&file.dir), None);
    assert_eq!(found.status, 1, "{}", found.stderr);
    assert!(codes(&found).contains(&("C010".into(), "error".into())), "{:?}", codes(&found));
    assert!(!codes(&found).iter().any(|(c, _)| c == "C009"), "{:?}", codes(&found));
    // `--severity` over the file.
    let flag = support::retreat(&["lint", "plan.yaml", "-f", "json", "-s", "C010=info"], Some(&file.dir), None);
    assert!(codes(&flag).contains(&("C010".into(), "info".into())), "{:?}", codes(&flag));
    // `--config` names another file; a bad one stops lint with its place.
    let bad = support::TempFile::new("strict.toml", b"[severity]\nC010 = \"loud\"\n");
    let run = support::retreat(&["lint", "plan.yaml", "--config", bad.path_str()], Some(&file.dir), None);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("strict.toml:2:1: `loud` is no severity"), "{}", run.stderr);
    let typo = support::TempFile::new("retreat.toml", b"[severty]\n");
    let run = support::retreat(&["lint", "plan.yaml", "--config", typo.path_str()], Some(&file.dir), None);
    assert!(run.status == 2 && run.stderr.contains("retreat.toml:1:"), "{}", run.stderr);
}

#[test]
fn docs_rules_md_is_every_rules_docs() {
    let run = support::retreat(&["rules", "--format", "markdown"], None, None);
    let written = std::fs::read_to_string(support::root().join("docs/rules.md")).expect("docs/rules.md");
    assert!(
        written == run.stdout,
        "docs/rules.md is not the registry's: run `cargo run -q -- rules --format markdown > docs/rules.md`"
    );
    for rule in retreat_core::RULES {
        assert!(written.contains(&format!("\n## {} {}\n", rule.code, rule.name)), "{}", rule.code);
    }
}
