//! The bad-input corpus (tests/fixtures/bad/): malformed and hostile plans,
//! each with the diagnostic it must produce (MANIFEST). Every file must end in
//! that finding and exit status 1: never a pass, a refusal or a panic.

use retreat_core::{LineIndex, Options, analyze_bytes};

use crate::support::{read, retreat, root};

struct Case {
    name: String,
    code: String,
    at: Option<(u32, u32)>,
}

fn manifest() -> Vec<Case> {
    read("tests/fixtures/bad/MANIFEST")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            let at = parts.get(2).map(|p| {
                let (line, col) = p.split_once(':').expect("line:column");
                (line.parse().expect("line"), col.parse().expect("column"))
            });
            Case { name: parts[0].to_string(), code: parts[1].to_string(), at }
        })
        .collect()
}

/// `(code, line, column)` of every finding for `bytes`.
fn findings(bytes: &[u8]) -> Vec<(String, u32, u32)> {
    let (text, analysis) = analyze_bytes(bytes, &Options::default());
    let index = LineIndex::new(&text);
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let at = index.line_col(d.span.start);
            (d.code.to_string(), at.line, at.column)
        })
        .collect()
}

fn check(case: &Case, found: &[(String, u32, u32)]) {
    let hit = found.iter().any(|(code, line, col)| *code == case.code && case.at.is_none_or(|at| at == (*line, *col)));
    assert!(hit, "{}: wanted {} at {:?}, got {found:?}", case.name, case.code, case.at);
}

/// The cases too big to keep as files, built as MANIFEST describes.
fn generate(name: &str) -> Vec<u8> {
    let steps = |chained: bool| {
        let mut t = String::from("title: More steps than the limit\nsteps:\n");
        for i in 0..=retreat_core::limits::MAX_STEPS {
            let after = if chained { "" } else { " after: []," };
            t.push_str(&format!("  - {{id: s{i}, kind: check,{after} do: Record reading number {i}, takes: 1m}}\n"));
        }
        t.into_bytes()
    };
    match name {
        "more-than-100000-steps" => steps(false),
        "more-than-100000-steps-chained" => steps(true),
        "over-32-mib" => "# padding\n".repeat(3_400_000).into_bytes(),
        "nesting-100000-deep" => "[".repeat(100_000).into_bytes(),
        other => panic!("no generator for {other}"),
    }
}

#[test]
fn every_bad_plan_gives_its_finding() {
    let cases = manifest();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let dir = root().join("tests/fixtures/bad");
    for case in &cases {
        if let Some(name) = case.name.strip_prefix("generated:") {
            check(case, &findings(&generate(name)));
            continue;
        }
        let run = retreat(&["lint", &case.name, "--format", "json"], Some(&dir), None);
        assert_eq!(run.status, 1, "{}: exit {} {}", case.name, run.status, run.stderr);
        check(case, &findings(&std::fs::read(dir.join(&case.name)).expect("fixture")));
    }
}

#[test]
fn every_file_is_in_the_manifest() {
    let listed: Vec<String> = manifest().into_iter().map(|c| c.name).collect();
    for entry in std::fs::read_dir(root().join("tests/fixtures/bad")).expect("dir") {
        let name = entry.expect("entry").file_name().into_string().expect("utf-8");
        assert!(name == "MANIFEST" || listed.contains(&name), "{name} is not in MANIFEST");
    }
}
