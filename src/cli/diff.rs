//! `retreat diff`: what the core's comparison of two plans found, as lines
//! for people or as its JSON.

use retreat_core::diff::PlanDiff;
use retreat_core::show_invisible;

pub fn json(d: &PlanDiff) -> String {
    // Serialising plain structs of strings cannot fail.
    format!("{}\n", serde_json::to_string(d).unwrap_or_default())
}

pub fn human(d: &PlanDiff) -> String {
    let mut t = String::new();
    let id_list = |ids: &[String]| ids.iter().map(|i| show_invisible(i).into_owned()).collect::<Vec<_>>().join(", ");
    if !d.added.is_empty() {
        t.push_str(&format!("Steps added: {}\n", id_list(&d.added)));
    }
    if !d.removed.is_empty() {
        t.push_str(&format!("Steps removed: {}\n", id_list(&d.removed)));
    }
    for c in &d.changed {
        t.push_str(&format!("Step {} changed:\n", show_invisible(&c.step)));
        for f in &c.fields {
            t.push_str(&format!("  {}: {} -> {}\n", f.field, shown(&f.before), shown(&f.after)));
        }
    }
    for f in &d.plan {
        t.push_str(&format!("Plan {}: {} -> {}\n", f.field, shown(&f.before), shown(&f.after)));
    }
    if d.is_empty() {
        t.push_str("The plans are the same, as far as the analysis reads them.\n");
    }
    if !d.figures.is_empty() {
        t.push_str("Figures:\n");
        for f in &d.figures {
            t.push_str(&format!("  {}: {} -> {}\n", f.field, f.before, f.after));
        }
    }
    t
}

/// A value for the diff's lines: `(none)` when empty, invisible characters written out.
fn shown(v: &str) -> String {
    if v.is_empty() { "(none)".into() } else { show_invisible(v).into_owned() }
}
