//! Hostile and broken input: every case ends in a clear diagnostic or message
//! with exit status 1 or 2, never a panic (101). How fast is measured in
//! `crates/core/benches/lint.rs`, not here.

use crate::support::{TempFile, retreat};

/// Runs `retreat lint` on a file with `contents`; returns (status, stdout, stderr).
fn lint_file(contents: &[u8]) -> (i32, String, String) {
    let file = TempFile::new("plan.yaml", contents);
    let run = retreat(&["lint", file.path_str(), "--format", "json"], None, None);
    (run.status, run.stdout, run.stderr)
}

fn codes_of(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json.lines().next().unwrap_or("")).expect("json output");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn message_of(json: &str, code: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(json.lines().next().unwrap_or("")).expect("json output");
    v["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == code))
        .and_then(|d| d["message"].as_str())
        .unwrap_or_else(|| panic!("no {code} in {json}"))
        .to_string()
}

#[test]
fn a_missing_file_is_a_message_and_status_2() {
    let run = retreat(&["lint", "no/such/plan.yaml"], None, None);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("cannot read `no/such/plan.yaml`: no such file"), "{}", run.stderr);
}

#[test]
fn a_directory_is_a_message_and_status_2() {
    let run = retreat(&["lint", "tests"], None, None);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("directory"), "{}", run.stderr);
}

#[test]
fn an_empty_file_says_so() {
    let (status, out, _) = lint_file(b"");
    assert_eq!(status, 1);
    assert!(message_of(&out, "P003").contains("the file is empty"));
}

#[test]
fn binary_junk_is_not_text() {
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let (status, out, _) = lint_file(&junk);
    assert_eq!(status, 1);
    assert!(message_of(&out, "P001").contains("not UTF-8"));
}

#[test]
fn control_characters_are_a_syntax_error() {
    let (status, out, _) = lint_file(b"title: T\x00\x01\x02\nsteps: []\n");
    assert_eq!(status, 1);
    assert_eq!(codes_of(&out), ["P001"]);
}

#[test]
fn ten_megabytes_of_unknown_keys() {
    let mut text = String::from("title: T\nsteps: [{id: a, do: x y z}]\n");
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!("note-{i}: some text that is not part of the plan format at all\n"));
        i += 1;
    }
    let (status, out, _) = lint_file(text.as_bytes());
    assert_eq!(status, 1);
    let codes = codes_of(&out);
    // Parse errors stop at a thousand, and say how many more there were.
    assert!(codes.len() <= 1_100, "{} diagnostics", codes.len());
    assert!(out.contains("more problems were not reported"));
}

#[test]
fn ten_megabytes_in_one_value() {
    let text = format!("title: T\nsteps: [{{id: a, do: x y z}}]\npurpose: {}\n", "word ".repeat(2 * 1024 * 1024));
    let (status, _, stderr) = lint_file(text.as_bytes());
    assert!(status == 0 || status == 1, "status {status}: {stderr}");
}

#[test]
fn more_than_the_size_limit_is_refused_up_front() {
    let text = "# padding\n".repeat(3_400_000);
    let (status, out, _) = lint_file(text.as_bytes());
    assert_eq!(status, 1);
    assert!(message_of(&out, "P001").contains("32 MiB plans are limited to"));
    // The same through standard input.
    let run = retreat(&["lint", "-", "--format", "json"], None, Some(text.as_bytes()));
    assert_eq!(run.status, 1);
    assert!(run.stdout.contains("32 MiB plans are limited to"));
}

#[test]
fn nesting_ten_thousand_deep() {
    for deep in ["[".repeat(10_000), "{a: ".repeat(10_000), format!("title: {}", "- ".repeat(10_000))] {
        let (status, out, _) = lint_file(deep.as_bytes());
        assert_eq!(status, 1);
        assert_eq!(codes_of(&out), ["P001"], "for {}...", &deep[..20]);
    }
}

#[test]
fn an_alias_bomb_is_stopped() {
    let mut bomb = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (prev, name) in ('a'..'i').zip('b'..='i') {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    bomb.push_str("title: T\nsteps: [{id: s, do: x y z, tags: *i}]\n");
    let (status, out, _) = lint_file(bomb.as_bytes());
    assert_eq!(status, 1);
    assert!(message_of(&out, "P001").contains("aliases expand to more than"));
}

#[test]
fn a_recursive_alias_is_a_syntax_error() {
    let (status, out, _) = lint_file(b"title: &t [*t]\n");
    assert_eq!(status, 1);
    assert!(codes_of(&out).contains(&"P001".to_string()), "{out}");
}

#[test]
fn a_million_character_line_is_shown_cut_short() {
    let line = format!("title: T\nsteps: [{{id: a, do: x y z, takes: {}}}]\n", "9".repeat(1_000_000));
    let file = TempFile::new("plan.yaml", line.as_bytes());
    let run = retreat(&["lint", file.path_str()], None, None);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stdout.contains("P003"), "{}", &run.stdout[..run.stdout.len().min(500)]);
    let longest = run.stdout.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 400, "a line of {longest} bytes was printed");
}

#[test]
fn more_than_the_step_limit_is_reported_and_the_rest_checked() {
    let mut text = String::from("title: T\nsteps:\n");
    for i in 0..=retreat_core::limits::MAX_STEPS {
        text.push_str(&format!("- {{id: s{i}, do: Check thing {i} now, kind: check}}\n"));
    }
    let parsed = retreat_core::parse(&text);
    assert_eq!(parsed.plan.steps.len(), retreat_core::limits::MAX_STEPS);
    let limit = parsed.diagnostics.iter().find(|d| d.code == "P003").expect("P003");
    assert!(limit.message.contains("the limit is 100000"), "{}", limit.message);
}
