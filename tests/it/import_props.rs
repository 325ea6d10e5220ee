//! Round trips over random plans: `export --to csv` then `import` gives
//! the same steps; and any spreadsheet at all imports to a plan without
//! P-codes, or to an error.

use proptest::prelude::*;
use retreat_import::{Format, Input, Source, import};

use crate::import::{assert_parses, reimport, steps_of};
use crate::properties::{plan, render};

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_plans_survive_export_to_csv_and_import(steps in plan(), uncertain in any::<bool>()) {
        let text = render(&steps, uncertain, false);
        let csv = retreat_core::export::csv(&crate::support::lint(&text).plan);
        prop_assert_eq!(steps_of(&reimport(&csv)), steps_of(&text));
    }

    #[test]
    fn any_spreadsheet_imports_cleanly_or_not_at_all(
        header in prop::collection::vec(prop::sample::select(vec![
            "id", "Task", "after", "Duration (h)", "best", "likely", "worst", "owner", "phase", "type", "Rollback",
            "undoTakes", "irreversible", "tags", "sets", "allow", "Status", "", "#",
        ]), 1..8),
        rows in prop::collection::vec(prop::collection::vec("[ -~\\n\u{e9}\u{200b},;\"']{0,12}", 0..8), 0..12),
    ) {
        let mut text = header.join(",");
        for r in &rows {
            text.push('\n');
            let cells: Vec<String> = r.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
            text.push_str(&cells.join(","));
        }
        let input = Input { name: "fuzz.csv", files: vec![Source { path: "fuzz.csv", bytes: text.as_bytes() }], main: Some("fuzz.csv") };
        if let Ok(imported) = import(&input, Some(Format::Csv)) {
            assert_parses(&imported.yaml);
        }
    }

    #[test]
    fn any_markdown_imports_cleanly_or_not_at_all(lines in prop::collection::vec("(#{1,3} |[-*] |1\\. |   - |\\| )?[ -~\u{e9}]{0,30}", 0..20)) {
        let text = lines.join("\n");
        let input = Input { name: "fuzz.md", files: vec![Source { path: "fuzz.md", bytes: text.as_bytes() }], main: Some("fuzz.md") };
        if let Ok(imported) = import(&input, Some(Format::Markdown)) {
            assert_parses(&imported.yaml);
        }
    }
}
