//! The example plans shipped with the app, and the contract's own example.

use crate::support::{codes, read, retreat, root};

#[test]
fn the_hospital_example_is_clean() {
    let text = read("www/examples/hl7-engine-replacement.yaml");
    assert_eq!(text, retreat_core::EXAMPLE_PLAN);
    let analysis = crate::support::lint(&text);
    assert!(analysis.diagnostics.is_empty(), "{:#?}", analysis.diagnostics);
    // Its approval is for this very version of the plan.
    let hash = analysis.hash.expect("hash");
    assert!(text.contains(&format!("plan_hash: {hash}")), "update the example's plan_hash to {hash}");
}

#[test]
fn each_mistake_example_shows_its_mistake() {
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("www/examples")).expect("examples") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        if !name.starts_with("mistake-") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("example");
        let shows = text
            .lines()
            .find_map(|l| l.strip_prefix("# shows: "))
            .unwrap_or_else(|| panic!("{name} has no `# shows: CODE` line"));
        let found = codes(&text);
        assert!(found.contains(&shows), "{name} should show {shows}, gives {found:?}");
        seen += 1;
    }
    assert!(seen >= 4, "only {seen} mistake examples");
}

use crate::support::contract_example;

#[test]
fn the_contract_example_reports_only_what_the_contract_implies() {
    // Its approval's `plan_hash: sha256:...` is a placeholder, so C005; no step
    // has an owner, so C009 for each of the seven scheduled steps. Nothing else.
    let found = codes(&contract_example());
    assert_eq!(found, ["C005", "C009", "C009", "C009", "C009", "C009", "C009", "C009"]);
    let file = crate::support::TempFile::new("plan.yaml", contract_example().as_bytes());
    let run = retreat(&["lint", "plan.yaml", "--format", "json"], Some(&file.dir), None);
    insta::assert_snapshot!("contract_example_lint_json", run.stdout);
}

/// Someone opening an example sees no double-booked owner they did not
/// cause: each example declares its crew or keeps its owners apart (C010).
#[test]
fn no_bundled_example_double_books_an_owner() {
    for (name, _, text) in retreat_core::examples::EXAMPLES {
        let found = codes(text);
        assert!(!found.contains(&"C010"), "{name}: {found:?}");
    }
    assert!(!codes(&retreat_core::examples::large()).is_empty(), "the large example lints");
}
