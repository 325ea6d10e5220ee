//! The dependency graph as SVG, laid out by `retreat_core::layout`. A node's shape
//! and label say what the step is (colour only repeats it): a box for a
//! change with an undo, a dashed box for one without, an octagon for a point
//! of no return, a pill for a check, a slanted box for a notice, a hexagon
//! for a go/no-go, a drum for a backup.

use yew::prelude::*;

use super::ptr::Ptr;
use retreat_core::layout::{NODE_HEIGHT, NODE_WIDTH, layout};
use retreat_core::model::{Phase, Shape, Step};
use retreat_core::{Analysis, show_invisible};

#[derive(Properties, PartialEq)]
pub struct GraphProps {
    pub analysis: Ptr<Analysis>,
    pub selected: Option<usize>,
    pub failing: Option<usize>,
    pub on_select: Callback<usize>,
}

/// What a step is, in words (shown on the node and read by screen readers).
pub fn kind_label(step: &Step) -> &'static str {
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

fn shape_class(step: &Step) -> &'static str {
    match step.shape() {
        Shape::Irreversible => "irreversible",
        Shape::Undoable => "change",
        Shape::NoUndo => "change no-undo",
        Shape::Check => "check",
        Shape::Notify => "notify",
        Shape::Decision => "decision",
        Shape::Backup => "backup",
    }
}

fn shape(step: &Step, x: f64, y: f64) -> Html {
    let (w, h) = (NODE_WIDTH, NODE_HEIGHT);
    let points = |pts: &[(f64, f64)]| {
        pts.iter().map(|(px, py)| format!("{:.1},{:.1}", x + px, y + py)).collect::<Vec<_>>().join(" ")
    };
    match step.shape() {
        Shape::Irreversible => {
            let c = 10.0;
            html! { <polygon class="shape" points={points(&[(c, 0.0), (w - c, 0.0), (w, c), (w, h - c), (w - c, h), (c, h), (0.0, h - c), (0.0, c)])} /> }
        }
        Shape::Undoable | Shape::NoUndo => {
            html! { <rect class="shape" x={x.to_string()} y={y.to_string()} width={w.to_string()} height={h.to_string()} rx="3" /> }
        }
        Shape::Check => {
            html! { <rect class="shape" x={x.to_string()} y={y.to_string()} width={w.to_string()} height={h.to_string()} rx={(h / 2.0).to_string()} /> }
        }
        Shape::Notify => {
            html! { <polygon class="shape" points={points(&[(12.0, 0.0), (w, 0.0), (w - 12.0, h), (0.0, h)])} /> }
        }
        Shape::Decision => {
            html! { <polygon class="shape" points={points(&[(14.0, 0.0), (w - 14.0, 0.0), (w, h / 2.0), (w - 14.0, h), (14.0, h), (0.0, h / 2.0)])} /> }
        }
        Shape::Backup => {
            let r = 6.0;
            let d = format!(
                "M{x0},{y0} a{rx},{r} 0 0,0 {w},0 v{hh} a{rx},{r} 0 0,1 -{w},0 z M{x0},{y0} a{rx},{r} 0 0,1 {w},0",
                x0 = x,
                y0 = y + r,
                rx = w / 2.0,
                hh = h - 2.0 * r
            );
            html! { <path class="shape" d={d} /> }
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_string() } else { format!("{}…", s.chars().take(max - 1).collect::<String>()) }
}

#[function_component(GraphView)]
pub fn graph_view(props: &GraphProps) -> Html {
    let analysis = &props.analysis;
    // Laid out again only for a new analysis.
    let drawn = use_memo(analysis.clone(), |a| a.graph.as_ref().map(layout));
    let Some(graph) = &analysis.graph else {
        return html! { <p class="empty">{ "The plan does not parse yet: fix the syntax error to see its graph." }</p> };
    };
    let Some(l) = drawn.as_ref() else { return html! {} };
    let steps = &analysis.plan.steps;
    let edges = l.edges.iter().map(|e| {
        let pts = e.points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
        let hot = props.selected.is_some_and(|s| s == e.from || s == e.to);
        html! { <polyline class={classes!("edge", hot.then_some("hot"))} points={pts} marker-end="url(#arrow)" /> }
    });
    let nodes = l.nodes.iter().map(|n| {
        let Some(step) = steps.get(n.step) else { return html! {} };
        let i = n.step;
        let selected = props.selected == Some(i);
        let failing = props.failing == Some(i);
        let phase = match step.phase {
            Phase::Prep => "prep · ",
            Phase::Post => "post · ",
            Phase::Verify => "verify · ",
            Phase::Implement => "",
        };
        let label = format!("{}{}", phase, kind_label(step));
        let onclick = {
            let on_select = props.on_select.clone();
            Callback::from(move |_| on_select.emit(i))
        };
        let onkeydown = {
            let on_select = props.on_select.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    on_select.emit(i);
                }
            })
        };
        let aria = format!("Step {}: {}{}", show_invisible(step.id()), label, if failing { ", fails here" } else { "" });
        html! {
            <g class={classes!("node", shape_class(step), (step.phase == Phase::Prep || step.phase == Phase::Post).then_some("offstage"), selected.then_some("selected"), failing.then_some("failing"))}
               tabindex="0" role="button" aria-label={aria} aria-pressed={selected.to_string()} {onclick} {onkeydown}>
                <title>{ show_invisible(&format!("{}\n{}", step.id(), step.do_.as_ref().map_or("", |d| d.as_str()))).into_owned() }</title>
                { shape(step, n.x, n.y) }
                <text class="node-id" x={(n.x + NODE_WIDTH / 2.0).to_string()} y={(n.y + 19.0).to_string()}>{ truncate(&show_invisible(step.id()), 20) }</text>
                <text class="node-kind" x={(n.x + NODE_WIDTH / 2.0).to_string()} y={(n.y + 35.0).to_string()}>{ label }</text>
                if failing {
                    <text class="fails-here" x={(n.x + NODE_WIDTH / 2.0).to_string()} y={(n.y - 5.0).to_string()}>{ "⚡ fails here" }</text>
                }
            </g>
        }
    });
    let width = l.width.max(200.0);
    let height = l.height.max(80.0) + 12.0;
    html! {
        <div class="graph">
            <p class="legend">
                { "Shapes: box = change with undo · dashed box = change without undo · octagon = irreversible · pill = check · slanted = notify · hexagon = go/no-go · drum = backup. " }
                { format!("{} steps, {} dependencies, {} crossings.", steps.len(), graph.graph.edge_count(), l.crossings) }
            </p>
            <div class="graph-scroll">
                <svg width={width.to_string()} height={height.to_string()} viewBox={format!("0 -12 {width} {height}")} role="img" aria-label="Dependency graph of the plan's steps">
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                        </marker>
                    </defs>
                    <g class="edges">{ for edges }</g>
                    <g class="nodes">{ for nodes }</g>
                </svg>
            </div>
        </div>
    }
}
