//! The plan in other people's formats, as text: a calendar (`ics.rs`), the
//! dependency graph for Mermaid and Graphviz (`graph.rs`) and a spreadsheet
//! in the columns `retreat import` reads (`csv.rs`). Pure functions of the
//! analysis; the command line and the app only write the text out.

mod csv;
mod graph;
mod ics;

pub use csv::{COLUMNS, csv};
pub use graph::{dot, mermaid};
pub use ics::ics;

use crate::model::{Shape, Step};

/// What a step is, as the app's graph names it.
pub fn shape_label(step: &Step) -> &'static str {
    match step.shape() {
        Shape::Irreversible => "irreversible",
        Shape::Undoable => "change, has undo",
        Shape::NoUndo => "change, NO undo",
        Shape::Check => "check",
        Shape::Notify => "notify",
        Shape::Decision => "go/no-go",
        Shape::Backup => "backup",
    }
}
