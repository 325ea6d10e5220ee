//! The JSON Schema editors use: generated from the format's field table,
//! shipped as www/retreat-plan.schema.json, and in agreement with the linter
//! on the examples (valid) and on broken plans (invalid).

use boon::{Compiler, Schemas};

use crate::support::{read, root};

fn schema() -> (Schemas, boon::SchemaIndex) {
    let mut schemas = Schemas::new();
    let mut compiler = Compiler::new();
    compiler.set_default_draft(boon::Draft::V7);
    let value: serde_json::Value =
        serde_json::from_str(&retreat_core::schema::json_schema_text()).expect("schema is JSON");
    compiler.add_resource("retreat-plan.schema.json", value).expect("resource");
    let index = compiler.compile("retreat-plan.schema.json", &mut schemas).expect("the schema compiles");
    (schemas, index)
}

fn valid(schemas: &Schemas, index: boon::SchemaIndex, text: &str) -> Result<(), String> {
    let json = retreat_core::parse::to_json(text).ok_or("not YAML")?;
    let value: serde_json::Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    schemas.validate(&value, index).map_err(|e| format!("{e}"))
}

#[test]
fn the_shipped_schema_is_the_generated_one() {
    assert_eq!(
        read("www/retreat-plan.schema.json"),
        retreat_core::schema::json_schema_text(),
        "run `retreat schema > www/retreat-plan.schema.json`"
    );
}

#[test]
fn every_example_and_clean_fixture_is_valid() {
    let (schemas, index) = schema();
    let mut files: Vec<_> =
        std::fs::read_dir(root().join("www/examples")).expect("dir").map(|e| e.expect("entry").path()).collect();
    files.extend(
        std::fs::read_dir(root().join("tests/fixtures/rules"))
            .expect("dir")
            .map(|e| e.expect("entry").path().join("passes.yaml")),
    );
    files.push(root().join("tests/fixtures/clean-base.yaml"));
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        if let Err(e) = valid(&schemas, index, &text) {
            panic!("{} should be valid: {e}", path.display());
        }
    }
    assert!(valid(&schemas, index, &retreat_core::examples::large()).is_ok());
}

#[test]
fn plans_the_linter_rejects_for_their_form_are_invalid() {
    let (schemas, index) = schema();
    // Each fixture whose mistake is of form (unknown field, invalid value,
    // unsupported version) fails the schema too.
    for code in ["P002", "P003", "P005"] {
        let text = read(&format!("tests/fixtures/rules/{code}/fires.yaml"));
        assert!(valid(&schemas, index, &text).is_err(), "{code} fires.yaml passes the schema");
    }
    let manifest = read("tests/fixtures/bad/MANIFEST");
    let mut rejected = 0;
    for line in manifest.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty() && !l.starts_with("generated:"))
    {
        let mut parts = line.split_whitespace();
        let (Some(file), Some(code)) = (parts.next(), parts.next()) else { continue };
        if code != "P002" && code != "P005" {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root().join("tests/fixtures/bad").join(file)) else { continue };
        if retreat_core::parse::to_json(&text).is_some() {
            assert!(valid(&schemas, index, &text).is_err(), "{file} ({code}) passes the schema");
            rejected += 1;
        }
    }
    assert!(rejected >= 10, "only {rejected} cases checked");
}

#[test]
fn the_schema_knows_crew() {
    let (schemas, index) = schema();
    let plan = |crew: &str| format!("title: T\ncrew: {crew}\nsteps: [{{id: a, do: x y z, owner: DBA}}]\n");
    assert!(valid(&schemas, index, &plan("{DBA: 1, \"*\": 2}")).is_ok());
    for bad in ["0", "-1", "lots", "[DBA]", "{DBA: 1.5}", "{DBA: lots}", "{DBA: 0}", "{DBA: \"2\"}"] {
        assert!(valid(&schemas, index, &plan(bad)).is_err(), "crew: {bad} passes the schema");
    }
}
