//! The dependency graph as SVG, laid out by `retreat_core::layout`. A node's shape
//! and label say what the step is (colour only repeats it): a box for a
//! change with an undo, a dashed box for one without, an octagon for a point
//! of no return, a pill for a check, a slanted box for a notice, a hexagon
//! for a go/no-go, a drum for a backup.
//!
//! The graph fits its panel, and zooms and pans (`zoom`). What is drawn is
//! worked out once per text ([`Drawing`]); a view of a big plan draws only
//! the nodes and edges near it, and only shapes when text would be too small
//! to read, so a plan of a thousand steps stays quick to move around.

use yew::prelude::*;

use super::ptr::Ptr;
use super::zoom::{Rect, use_zoom};
use retreat_core::layout::{NODE_HEIGHT, NODE_WIDTH, layout};
use retreat_core::model::{Phase, Shape, Step};
use retreat_core::{Analysis, show_invisible};

#[derive(Properties, PartialEq)]
pub struct GraphProps {
    pub analysis: Ptr<Analysis>,
    /// The text analysed: the graph is laid out again only for a new one
    /// (not when the odds come back with the same plan).
    pub text: Ptr<String>,
    pub selected: Option<usize>,
    pub failing: Option<usize>,
    pub on_select: Callback<usize>,
}

/// Room above the nodes for "fails here".
const TOP: f64 = 12.0;

/// What a step is, in words (shown on the node and read by screen readers):
/// the core's words, which the exported diagrams use too.
pub use retreat_core::export::shape_label as kind_label;

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

/// A node's outline as one SVG path, its top-left corner at `(x, y)`.
fn outline(kind: Shape, x: f64, y: f64) -> String {
    let (w, h) = (NODE_WIDTH, NODE_HEIGHT);
    let polygon = |pts: &[(f64, f64)]| {
        let mut d = String::new();
        for (k, (px, py)) in pts.iter().enumerate() {
            d.push_str(&format!("{}{:.1},{:.1}", if k == 0 { "M" } else { " L" }, x + px, y + py));
        }
        d + " Z"
    };
    // A rectangle with corners of radius `r`.
    let rounded = |r: f64| {
        format!(
            "M{:.1},{y:.1} H{:.1} A{r},{r} 0 0,1 {:.1},{:.1} V{:.1} A{r},{r} 0 0,1 {:.1},{:.1} H{:.1} A{r},{r} 0 0,1 {x:.1},{:.1} V{:.1} A{r},{r} 0 0,1 {:.1},{y:.1} Z",
            x + r,
            x + w - r,
            x + w,
            y + r,
            y + h - r,
            x + w - r,
            y + h,
            x + r,
            y + h - r,
            y + r,
            x + r,
        )
    };
    match kind {
        Shape::Irreversible => {
            let c = 10.0;
            polygon(&[(c, 0.0), (w - c, 0.0), (w, c), (w, h - c), (w - c, h), (c, h), (0.0, h - c), (0.0, c)])
        }
        Shape::Undoable | Shape::NoUndo => rounded(3.0),
        Shape::Check => rounded(h / 2.0),
        Shape::Notify => polygon(&[(12.0, 0.0), (w, 0.0), (w - 12.0, h), (0.0, h)]),
        Shape::Decision => {
            polygon(&[(14.0, 0.0), (w - 14.0, 0.0), (w, h / 2.0), (w - 14.0, h), (14.0, h), (0.0, h / 2.0)])
        }
        Shape::Backup => {
            let r = 6.0;
            format!(
                "M{x0},{y0} a{rx},{r} 0 0,0 {w},0 v{hh} a{rx},{r} 0 0,1 -{w},0 z M{x0},{y0} a{rx},{r} 0 0,1 {w},0",
                x0 = x,
                y0 = y + r,
                rx = w / 2.0,
                hh = h - 2.0 * r
            )
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_string() } else { format!("{}…", s.chars().take(max - 1).collect::<String>()) }
}

/// A step as drawn, every attribute ready (a render only picks and clones).
struct Node {
    step: usize,
    /// Its classes, but for being selected or failing.
    class: String,
    outline: AttrValue,
    title: AttrValue,
    aria: String,
    id: AttrValue,
    label: AttrValue,
    /// The centre line, and the baselines of the id, the kind and "fails here".
    x: AttrValue,
    y: [AttrValue; 3],
    bounds: Rect,
}

struct Edge {
    from: usize,
    to: usize,
    points: AttrValue,
    bounds: Rect,
}

/// The graph of one text, laid out and put in words.
pub struct Drawing {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    /// The whole drawing (the `viewBox` that fits it).
    bounds: Rect,
    crossings: usize,
}

impl Drawing {
    fn new(analysis: &Analysis) -> Option<Drawing> {
        let graph = analysis.graph.as_ref()?;
        let l = layout(graph);
        let steps = &analysis.plan.steps;
        let at = |v: f64| AttrValue::from(format!("{v:.1}"));
        let nodes = l
            .nodes
            .iter()
            .filter_map(|n| {
                let step = steps.get(n.step)?;
                let phase = match step.phase {
                    Phase::Prep => "prep · ",
                    Phase::Post => "post · ",
                    Phase::Verify => "verify · ",
                    Phase::Implement => "",
                };
                let label = format!("{}{}", phase, kind_label(step));
                let offstage = step.phase == Phase::Prep || step.phase == Phase::Post;
                let id = show_invisible(step.id());
                Some(Node {
                    step: n.step,
                    class: format!("node {}{}", shape_class(step), if offstage { " offstage" } else { "" }),
                    outline: outline(step.shape(), n.x, n.y).into(),
                    title: show_invisible(&format!("{}\n{}", step.id(), step.do_.as_ref().map_or("", |d| d.as_str())))
                        .into_owned()
                        .into(),
                    aria: format!("Step {id}: {label}"),
                    id: truncate(&id, 20).into(),
                    label: label.into(),
                    x: at(n.x + NODE_WIDTH / 2.0),
                    y: [at(n.y + 19.0), at(n.y + 35.0), at(n.y - 5.0)],
                    bounds: Rect::new(n.x, n.y - TOP, NODE_WIDTH, NODE_HEIGHT + TOP),
                })
            })
            .collect();
        let edges = l
            .edges
            .iter()
            .map(|e| Edge {
                from: e.from,
                to: e.to,
                points: e.points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ").into(),
                bounds: Rect::around(e.points.iter().copied()),
            })
            .collect();
        let bounds = Rect::new(0.0, -TOP, l.width.max(200.0), l.height.max(80.0) + TOP);
        Some(Drawing { nodes, edges, bounds, crossings: l.crossings })
    }
}

#[function_component(GraphView)]
pub fn graph_view(props: &GraphProps) -> Html {
    let drawing = {
        let analysis = props.analysis.clone();
        use_memo(props.text.clone(), move |_| Drawing::new(&analysis).map(Ptr::new))
    };
    let zoom = use_zoom(drawing.as_ref().as_ref().map_or(Rect::new(0.0, 0.0, 200.0, 80.0), |d| d.bounds));
    let analysis = &props.analysis;
    let (Some(graph), Some(drawing)) = (&analysis.graph, drawing.as_ref()) else {
        return html! { <p class="empty">{ "The plan does not parse yet: fix the syntax error to see its graph." }</p> };
    };
    let body = html! {
        <>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                </marker>
            </defs>
            <GraphBody drawing={drawing.clone()} region={zoom.region} detail={zoom.detail}
                       selected={props.selected} failing={props.failing} on_select={props.on_select.clone()} />
        </>
    };
    html! {
        <div class="graph">
            <p class="legend">
                { "Shapes: box = change with undo · dashed box = change without undo · octagon = irreversible · pill = check · slanted = notify · hexagon = go/no-go · drum = backup. " }
                { format!("{} steps, {} dependencies, {} crossings.", analysis.plan.steps.len(), graph.graph.edge_count(), drawing.crossings) }
            </p>
            { zoom.bar("Zoom the graph") }
            { zoom.frame("Dependency graph of the plan's steps".into(), body) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct GraphBodyProps {
    drawing: Ptr<Drawing>,
    /// Draw only what meets this region (`None`: everything).
    region: Option<Rect>,
    /// Draw the words on the nodes.
    detail: bool,
    selected: Option<usize>,
    failing: Option<usize>,
    on_select: Callback<usize>,
}

/// The edges and nodes in the region: a component of its own, so that a
/// move of the view that keeps the region redraws none of them.
#[function_component(GraphBody)]
fn graph_body(props: &GraphBodyProps) -> Html {
    let d = &props.drawing;
    let shows = |r: &Rect| props.region.is_none_or(|v| v.intersects(r));
    let edges = d.edges.iter().filter(|e| shows(&e.bounds)).map(|e| {
        let hot = props.selected.is_some_and(|s| s == e.from || s == e.to);
        html! { <polyline class={if hot { "edge hot" } else { "edge" }} points={e.points.clone()} marker-end="url(#arrow)" /> }
    });
    let nodes = d.nodes.iter().filter(|n| shows(&n.bounds)).map(|n| {
        let i = n.step;
        let selected = props.selected == Some(i);
        let failing = props.failing == Some(i);
        let onclick = props.on_select.reform(move |_: MouseEvent| i);
        let onkeydown = {
            let on_select = props.on_select.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    on_select.emit(i);
                }
            })
        };
        let class = match (selected, failing) {
            (false, false) => n.class.clone(),
            _ => format!("{}{}{}", n.class, if selected { " selected" } else { "" }, if failing { " failing" } else { "" }),
        };
        let aria = if failing { format!("{}, fails here", n.aria) } else { n.aria.clone() };
        html! {
            <g {class} tabindex="0" role="button" aria-label={aria} aria-pressed={if selected { "true" } else { "false" }} {onclick} {onkeydown}>
                <title>{ n.title.clone() }</title>
                <path class="shape" d={n.outline.clone()} />
                if props.detail {
                    <text class="node-id" x={n.x.clone()} y={n.y[0].clone()}>{ n.id.clone() }</text>
                    <text class="node-kind" x={n.x.clone()} y={n.y[1].clone()}>{ n.label.clone() }</text>
                    if failing {
                        <text class="fails-here" x={n.x.clone()} y={n.y[2].clone()}>{ "⚡ fails here" }</text>
                    }
                }
            </g>
        }
    });
    html! {
        <>
            <g class="edges">{ for edges }</g>
            <g class="nodes">{ for nodes }</g>
        </>
    }
}
