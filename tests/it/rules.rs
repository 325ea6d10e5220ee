//! Every rule: its fixture fires it (and nothing else), its fixed fixture is
//! clean, its docs have the four sections, and what users see is snapshotted.

use retreat_core::RULES;

use crate::support::{codes, read, retreat, root};

#[test]
fn each_rule_fires_on_its_fixture_and_not_on_the_fix() {
    for rule in RULES {
        let dir = format!("tests/fixtures/rules/{}", rule.code);
        let fires = codes(&read(&format!("{dir}/fires.yaml")));
        assert!(fires.contains(&rule.code), "{}: fires.yaml gives {fires:?}", rule.code);
        assert!(fires.iter().all(|c| *c == rule.code), "{}: fires.yaml also gives {fires:?}", rule.code);
        let passes = codes(&read(&format!("{dir}/passes.yaml")));
        assert!(passes.is_empty(), "{}: passes.yaml gives {passes:?}", rule.code);
    }
}

#[test]
fn every_fixture_directory_belongs_to_a_rule() {
    for entry in std::fs::read_dir(root().join("tests/fixtures/rules")).expect("fixtures") {
        let name = entry.expect("entry").file_name().into_string().expect("utf-8 name");
        assert!(RULES.iter().any(|r| r.code == name), "fixtures for unknown rule {name}");
    }
}

#[test]
fn what_users_see_for_each_rule() {
    for rule in RULES {
        let dir = root().join("tests/fixtures/rules").join(rule.code);
        let run = retreat(&["lint", "fires.yaml"], Some(&dir), None);
        assert_eq!(
            run.status,
            i32::from(rule.severity == retreat_core::Severity::Error),
            "{}: {}",
            rule.code,
            run.stderr
        );
        insta::assert_snapshot!(rule.code, run.stdout);
    }
}

#[test]
fn docs_have_the_four_sections_and_an_example() {
    for rule in RULES {
        let mut last = 0;
        for heading in ["## What it checks", "## Why it matters", "## Example", "## Fix"] {
            let at = rule.docs.find(heading).unwrap_or_else(|| panic!("{} docs lack {heading}", rule.code));
            assert!(at >= last, "{}: {heading} out of order", rule.code);
            last = at;
        }
        assert!(rule.docs.contains("```yaml"), "{} docs have no YAML example", rule.code);
        assert!(!rule.summary.is_empty(), "{} has no summary", rule.code);
    }
}

#[test]
fn the_registry_matches_the_contract_table() {
    let contract = read("docs/PLAN_FORMAT.md");
    let table: Vec<(String, String)> = contract
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let code = cells.get(1)?;
            let ok = code.len() == 4
                && code.as_bytes()[0].is_ascii_uppercase()
                && code[1..].bytes().all(|b| b.is_ascii_digit());
            ok.then(|| (code.to_string(), format!("{} {}", cells[2], cells[3])))
        })
        .collect();
    assert!(table.len() >= 25, "read {} rules from the contract", table.len());
    for rule in RULES {
        let row = table.iter().find(|(c, _)| c == rule.code);
        let (_, name_severity) = row.unwrap_or_else(|| panic!("{} is not in the contract", rule.code));
        assert_eq!(name_severity, &format!("{} {}", rule.name, rule.severity.as_str()), "{}", rule.code);
    }
}
