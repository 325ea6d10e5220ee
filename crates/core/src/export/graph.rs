//! The dependency graph as Mermaid and Graphviz (DOT) text, each step drawn
//! as the app draws it: the shape and the label say what it is (a box for
//! a change, an octagon or double box for a point of no return, a stadium
//! for a check, a parallelogram for a notification, a hexagon for a
//! go/no-go, a cylinder for a backup), the phase too when it is not
//! `implement`; a change without an undo is drawn dashed and red.

use std::fmt::Write;

use super::shape_label;
use crate::graph::PlanGraph;
use crate::model::{Phase, Plan, Shape, Step};

fn label(step: &Step) -> String {
    let phase = match step.phase {
        Phase::Implement => "",
        Phase::Prep => "prep · ",
        Phase::Verify => "verify · ",
        Phase::Post => "post · ",
    };
    format!("{phase}{}", shape_label(step))
}

/// `flowchart LR` with one node per step (`n0`, `n1`, ...: step ids may
/// hold characters Mermaid reads as edges) and one edge per dependency.
pub fn mermaid(plan: &Plan, graph: &PlanGraph) -> String {
    let mut out = String::from("flowchart LR\n");
    if let Some(t) = &plan.title {
        let _ = writeln!(out, "  %% {}", t.value.replace(['\n', '\r'], " "));
    }
    for (i, step) in plan.steps.iter().enumerate() {
        let text = format!("{}<br/>{}", mermaid_text(step.id()), mermaid_text(&label(step)));
        let (open, close) = match step.shape() {
            Shape::Irreversible => ("[[", "]]"),
            Shape::Undoable | Shape::NoUndo => ("[", "]"),
            Shape::Check => ("([", "])"),
            Shape::Notify => ("[/", "/]"),
            Shape::Decision => ("{{", "}}"),
            Shape::Backup => ("[(", ")]"),
        };
        let _ = writeln!(out, "  n{i}{open}\"{text}\"{close}");
    }
    for i in 0..plan.steps.len().min(graph.len()) {
        for d in graph.deps(i) {
            let _ = writeln!(out, "  n{d} --> n{i}");
        }
    }
    out.push_str("  classDef noundo stroke:#c0392b,stroke-width:2px,stroke-dasharray:5 3;\n");
    out.push_str("  classDef irreversible stroke:#6c3483,stroke-width:3px;\n");
    let no_undo: Vec<String> = plan
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.shape() == Shape::NoUndo)
        .map(|(i, _)| format!("n{i}"))
        .collect();
    let irreversible: Vec<String> = plan
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.shape() == Shape::Irreversible)
        .map(|(i, _)| format!("n{i}"))
        .collect();
    for (class, nodes) in [("noundo", no_undo), ("irreversible", irreversible)] {
        if !nodes.is_empty() {
            let _ = writeln!(out, "  class {} {class};", nodes.join(","));
        }
    }
    out
}

/// Text inside a Mermaid `"..."` label: entity codes for what it would read.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A `digraph`, left to right.
pub fn dot(plan: &Plan, graph: &PlanGraph) -> String {
    let title = plan.title.as_ref().map_or("plan", |t| t.value.as_str());
    let mut out =
        format!("digraph \"{}\" {{\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n", dot_text(title));
    for step in &plan.steps {
        let (shape, style) = match step.shape() {
            Shape::Irreversible => ("octagon", "bold"),
            Shape::Undoable => ("box", "solid"),
            Shape::NoUndo => ("box", "dashed"),
            Shape::Check => ("box", "rounded"),
            Shape::Notify => ("parallelogram", "solid"),
            Shape::Decision => ("hexagon", "solid"),
            Shape::Backup => ("cylinder", "solid"),
        };
        let colour = if step.shape() == Shape::NoUndo { ", color=\"#c0392b\"" } else { "" };
        let _ = writeln!(
            out,
            "  \"{id}\" [label=\"{id}\\n{}\", shape={shape}, style={style}{colour}];",
            dot_text(&label(step)),
            id = dot_text(step.id())
        );
    }
    for i in 0..plan.steps.len().min(graph.len()) {
        for d in graph.deps(i) {
            let _ = writeln!(out, "  \"{}\" -> \"{}\";", dot_text(plan.steps[d].id()), dot_text(plan.steps[i].id()));
        }
    }
    out.push_str("}\n");
    out
}

/// Text inside a DOT `"..."` string.
fn dot_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace(['\n', '\r'], " ")
}
