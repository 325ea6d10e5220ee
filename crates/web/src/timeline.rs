//! The window as a Gantt chart: the forward steps on their schedule, the
//! rollback deadline, and for the chosen failure point the rollback: the
//! decision, the undos wave by wave, the verification and the margin (or the
//! overrun) at the window's end. Times on the window's own clock.
//!
//! The chart fits its panel, and zooms and pans (`zoom`). Its bars are
//! worked out once per text and failing step ([`Chart`]); a view of a big
//! plan draws only the rows near it, and their names only when readable,
//! kept at the view's left edge.

use yew::prelude::*;

use super::ptr::Ptr;
use super::zoom::{Rect, use_zoom};
use retreat_core::Analysis;
use retreat_core::sim::say;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub analysis: Ptr<Analysis>,
    /// The text analysed: the chart is worked out again only for a new one.
    pub text: Ptr<String>,
    pub failing: Option<usize>,
    pub on_fail: Callback<usize>,
}

const LABEL_W: f64 = 170.0;
const CHART_W: f64 = 760.0;
const WIDTH: f64 = LABEL_W + CHART_W + 20.0;
const ROW_H: f64 = 22.0;
const AXIS_H: f64 = 34.0;
/// A bar's height: the row's, less 3 px above and below.
const BAR_H: &str = "16";

fn tick_step(total_secs: f64) -> f64 {
    let minutes = [5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 240.0, 480.0, 1440.0];
    let want = total_secs / 60.0 / 10.0;
    minutes.iter().copied().find(|&m| m >= want).unwrap_or(1440.0) * 60.0
}

/// One row's bar, every attribute ready (a render only picks and clones).
struct Bar {
    /// The forward step it is, which a click fails.
    step: Option<usize>,
    class: &'static str,
    failing: bool,
    /// The label's baseline; the bar's left, top and width.
    label_y: AttrValue,
    x: AttrValue,
    y: AttrValue,
    w: AttrValue,
    label: AttrValue,
    title: AttrValue,
    bounds: Rect,
}

/// A vertical line across the chart, with its words.
struct Line {
    x: f64,
    text_x: f64,
    text_y: f64,
    text: String,
}

/// The chart of one text and failing step, ready to render.
pub struct Chart {
    height: f64,
    bars: Vec<Bar>,
    ticks: Vec<(f64, String)>,
    window_end: Line,
    deadline: Option<Line>,
    fail: Option<Line>,
    label: String,
}

impl Chart {
    fn new(analysis: &Analysis, failing: Option<usize>) -> Option<Chart> {
        let sim = analysis.simulation.as_ref()?;
        let steps = &analysis.plan.steps;
        let id_of = |i: usize| steps.get(i).map_or("", |s| s.id());
        let point = failing.and_then(|s| sim.points.iter().find(|p| p.step == s));
        let run = point.and_then(|p| analysis.graph.as_ref().map(|g| (p, sim.rollback(g, p))));
        let end = run.as_ref().map_or(0.0, |(_, r)| r.done);
        let total = (sim.window_length.max(sim.forward_finish).max(end) * 1.03).max(60.0);
        let x = |t: f64| LABEL_W + t / total * CHART_W;
        let mut rows: Vec<(usize, f64, f64)> =
            sim.slots.iter().enumerate().filter_map(|(i, s)| s.map(|s| (i, s.start, s.finish))).collect();
        retreat_core::order::sort_by_key(&mut rows, |r| (retreat_core::order::f64_key(r.1), r.0 as u64));
        let rollback_rows = run.as_ref().map_or(0, |(_, r)| r.undos.len() + 3);
        let height = AXIS_H + (rows.len() + rollback_rows + 2) as f64 * ROW_H + 10.0;
        let at = |v: f64| AttrValue::from(format!("{v:.1}"));
        let bar = |row: usize, from: f64, to: f64, class: &'static str, label: String, title: String| {
            let y = AXIS_H + row as f64 * ROW_H;
            let w = (x(to) - x(from)).max(2.0);
            Bar {
                step: None,
                class,
                failing: false,
                label_y: at(y + 15.0),
                x: at(x(from)),
                y: at(y + 3.0),
                w: at(w),
                label: label.into(),
                title: title.into(),
                bounds: Rect::new(0.0, y, x(from) + w, ROW_H),
            }
        };
        let mut bars: Vec<Bar> = rows
            .iter()
            .enumerate()
            .map(|(r, &(i, s, f))| {
                let id = retreat_core::show_invisible(id_of(i)).into_owned();
                let title = format!("{id}: {} to {} ({}). Click to fail here.", sim.clock(s), sim.clock(f), say(f - s));
                Bar { step: Some(i), failing: failing == Some(i), ..bar(r, s, f, "step", id, title) }
            })
            .collect();
        let mut fail = None;
        if let Some((p, r)) = &run {
            let base = rows.len() + 1;
            let id = id_of(p.step);
            let called =
                format!("{id} fails at {}; the rollback is called at {}", sim.clock(p.fail), sim.clock(r.called));
            bars.push(bar(base, p.fail, r.called, "decide", "decide".into(), called));
            for (k, u) in r.undos.iter().enumerate() {
                let uid = id_of(u.step);
                let owner = analysis.plan.steps.get(u.step).and_then(|s| s.undo_owner());
                let wait = super::rehearse::waits(u.ready, u.start, owner).map_or(String::new(), |w| format!(" ({w})"));
                let title = format!("undo of {uid}: {} to {}{wait}", sim.clock(u.start), sim.clock(u.finish));
                bars.push(bar(base + 1 + k, u.start, u.finish, "undo", format!("undo {uid}{wait}"), title));
            }
            let row = base + 1 + r.undos.len();
            let title = format!("verify: {} to {}", sim.clock(r.verify_start), sim.clock(r.done));
            bars.push(bar(row, r.verify_start, r.done, "verify", "verify".into(), title));
            let (from, to, class, label) = if p.margin >= 0.0 {
                (r.done, sim.window_length, "margin", format!("{} to spare", say(p.margin)))
            } else {
                (sim.window_length, r.done, "overrun", format!("{} over", say(-p.margin)))
            };
            bars.push(bar(row + 1, from, to, class, label.clone(), label));
            let fx = x(p.fail);
            fail = Some(Line {
                x: fx,
                text_x: fx + 4.0,
                text_y: AXIS_H + (base as f64) * ROW_H - 4.0,
                text: format!("⚡ {id} fails {}", sim.clock(p.fail)),
            });
        }
        let step = tick_step(total);
        let ticks = (0..=(total / step) as usize).map(|k| (x(k as f64 * step), sim.clock(k as f64 * step))).collect();
        let end_x = x(sim.window_length);
        Some(Chart {
            height,
            bars,
            ticks,
            window_end: Line {
                x: end_x,
                text_x: end_x + 4.0,
                text_y: AXIS_H + 12.0,
                text: format!("window ends {}", sim.clock(sim.window_length)),
            },
            deadline: sim.deadline.map(|t| Line {
                x: x(t),
                text_x: x(t) - 4.0,
                text_y: height - 4.0,
                text: format!("last rollback call {}", sim.clock(t)),
            }),
            fail,
            label: format!("Timeline of the window {} to {}", sim.clock(0.0), sim.clock(sim.window_length)),
        })
    }

    fn bounds(&self) -> Rect {
        Rect::new(0.0, 0.0, WIDTH, self.height)
    }
}

#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let chart = {
        let analysis = props.analysis.clone();
        use_memo((props.text.clone(), props.failing), move |(_, failing)| Chart::new(&analysis, *failing).map(Ptr::new))
    };
    let zoom = use_zoom(chart.as_ref().as_ref().map_or(Rect::new(0.0, 0.0, WIDTH, 200.0), |c| c.bounds()));
    let Some(c) = chart.as_ref() else {
        return html! { <p class="empty">{ "Add a `window` (start and end) to see the plan on its timeline." }</p> };
    };
    let line = |class: &'static str, l: &Line, from: f64| {
        html! {
            <g class={class}>
                <line x1={l.x.to_string()} x2={l.x.to_string()} y1={from.to_string()} y2={c.height.to_string()} />
                <text x={l.text_x.to_string()} y={l.text_y.to_string()}>{ l.text.clone() }</text>
            </g>
        }
    };
    let ticks = c.ticks.iter().map(|(x, label)| {
        html! {
            <g class="tick">
                <line x1={x.to_string()} x2={x.to_string()} y1={(AXIS_H - 6.0).to_string()} y2={c.height.to_string()} />
                <text x={x.to_string()} y={(AXIS_H - 10.0).to_string()}>{ label.clone() }</text>
            </g>
        }
    });
    let body = html! {
        <>
            { for ticks }
            <Bars chart={c.clone()} region={zoom.region} labels=false on_fail={props.on_fail.clone()} />
            { for c.fail.as_ref().map(|l| line("fail-line", l, AXIS_H)) }
            { line("window-end", &c.window_end, AXIS_H - 4.0) }
            { for c.deadline.as_ref().map(|l| line("deadline", l, AXIS_H - 4.0)) }
            if zoom.detail {
                // The rows' names stay at the view's left edge as it moves.
                <g class="row-labels" transform={format!("translate({:.1} 0)", zoom.view.x.max(0.0))}>
                    <Bars chart={c.clone()} region={zoom.region} labels=true on_fail={props.on_fail.clone()} />
                </g>
            }
        </>
    };
    html! {
        <div class="timeline">
            <p class="legend">
                { "Click a step to fail it there. Dashed: the last moment a rollback can be called. Solid: the window's end." }
            </p>
            { zoom.bar("Zoom the timeline") }
            { zoom.frame(c.label.clone(), body) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BarsProps {
    chart: Ptr<Chart>,
    /// Draw only the rows that meet this region (`None`: all).
    region: Option<Rect>,
    /// The rows' names instead of their bars.
    labels: bool,
    on_fail: Callback<usize>,
}

/// The rows in the region, as bars or as names: a component of its own, so
/// that a move of the view that keeps the region redraws none of them. A
/// click on a forward step's bar or name fails it there.
#[function_component(Bars)]
fn bars(props: &BarsProps) -> Html {
    let shows = |r: &Rect| props.region.is_none_or(|v| v.intersects(r));
    let bars = props.chart.bars.iter().filter(|b| shows(&b.bounds)).map(|b| {
        let drawn = if props.labels {
            html! { <text class="row-label" x="4" y={b.label_y.clone()}>{ b.label.clone() }</text> }
        } else {
            html! {
                <g class={classes!("bar", b.class)}>
                    <title>{ b.title.clone() }</title>
                    <rect x={b.x.clone()} y={b.y.clone()} width={b.w.clone()} height={BAR_H} rx="2" />
                </g>
            }
        };
        match b.step {
            Some(i) => {
                let onclick = props.on_fail.reform(move |_: MouseEvent| i);
                html! { <g class={if b.failing { "forward failing" } else { "forward" }} {onclick}>{ drawn }</g> }
            }
            None => drawn,
        }
    });
    html! { <g class={if props.labels { "labels" } else { "bars" }}>{ for bars }</g> }
}
