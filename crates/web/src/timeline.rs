//! The window as a Gantt chart: the forward steps on their schedule, the
//! rollback deadline, and for the chosen failure point the rollback: the
//! decision, the undos wave by wave, the verification and the margin (or the
//! overrun) at the window's end. Times on the window's own clock.

use yew::prelude::*;

use super::ptr::Ptr;
use retreat_core::Analysis;
use retreat_core::sim::say;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub analysis: Ptr<Analysis>,
    pub failing: Option<usize>,
    pub on_fail: Callback<usize>,
}

const LABEL_W: f64 = 170.0;
const CHART_W: f64 = 760.0;
const ROW_H: f64 = 22.0;
const AXIS_H: f64 = 34.0;

fn tick_step(total_secs: f64) -> f64 {
    let minutes = [5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 240.0, 480.0, 1440.0];
    let want = total_secs / 60.0 / 10.0;
    minutes.iter().copied().find(|&m| m >= want).unwrap_or(1440.0) * 60.0
}

#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let analysis = &props.analysis;
    let Some(sim) = &analysis.simulation else {
        return html! { <p class="empty">{ "Add a `window` (start and end) to see the plan on its timeline." }</p> };
    };
    let steps = &analysis.plan.steps;
    let point = props.failing.and_then(|s| sim.points.iter().find(|p| p.step == s));
    let run = point.and_then(|p| analysis.graph.as_ref().map(|g| (p, sim.rollback(g, p))));
    let end = run.as_ref().map_or(0.0, |(_, r)| r.done);
    let total = (sim.window_length.max(sim.forward_finish).max(end) * 1.03).max(60.0);
    let x = |t: f64| LABEL_W + t / total * CHART_W;
    let mut rows: Vec<(usize, f64, f64)> =
        sim.slots.iter().enumerate().filter_map(|(i, s)| s.map(|s| (i, s.start, s.finish))).collect();
    retreat_core::order::sort_by_key(&mut rows, |r| (retreat_core::order::f64_key(r.1), r.0 as u64));
    let rollback_rows = run.as_ref().map_or(0, |(_, r)| r.undos.len() + 3);
    let height = AXIS_H + (rows.len() + rollback_rows + 2) as f64 * ROW_H + 10.0;
    let step = tick_step(total);
    let ticks = (0..=(total / step) as usize).map(|k| {
        let t = k as f64 * step;
        html! {
            <g class="tick">
                <line x1={x(t).to_string()} x2={x(t).to_string()} y1={(AXIS_H - 6.0).to_string()} y2={height.to_string()} />
                <text x={x(t).to_string()} y={(AXIS_H - 10.0).to_string()}>{ sim.clock(t) }</text>
            </g>
        }
    });
    let bar = |row: usize, from: f64, to: f64, class: &'static str, label: String, title: String| {
        let y = AXIS_H + row as f64 * ROW_H;
        let w = (x(to) - x(from)).max(2.0);
        html! {
            <g class={classes!("bar", class)}>
                <title>{ title }</title>
                <text class="row-label" x="4" y={(y + 15.0).to_string()}>{ label }</text>
                <rect x={x(from).to_string()} y={(y + 3.0).to_string()} width={w.to_string()} height={(ROW_H - 6.0).to_string()} rx="2" />
            </g>
        }
    };
    let forward = rows.iter().enumerate().map(|(r, &(i, s, f))| {
        let id = retreat_core::show_invisible(steps.get(i).map_or("", |s| s.id())).into_owned();
        let onclick = {
            let on_fail = props.on_fail.clone();
            Callback::from(move |_| on_fail.emit(i))
        };
        let failing = props.failing == Some(i);
        html! {
            <g class={classes!("forward", failing.then_some("failing"))} {onclick}>
                { bar(r, s, f, "step", id.clone(), format!("{id}: {} to {} ({}). Click to fail here.", sim.clock(s), sim.clock(f), say(f - s))) }
            </g>
        }
    });
    let mut rollback = Vec::new();
    if let Some((p, r)) = &run {
        let base = rows.len() + 1;
        let id = steps.get(p.step).map_or("", |s| s.id());
        rollback.push(bar(
            base,
            p.fail,
            r.called,
            "decide",
            "decide".into(),
            format!("{id} fails at {}; the rollback is called at {}", sim.clock(p.fail), sim.clock(r.called)),
        ));
        for (k, u) in r.undos.iter().enumerate() {
            let uid = steps.get(u.step).map_or("", |s| s.id());
            rollback.push(bar(
                base + 1 + k,
                u.start,
                u.finish,
                "undo",
                format!("undo {uid}"),
                format!("undo of {uid}: {} to {}", sim.clock(u.start), sim.clock(u.finish)),
            ));
        }
        let row = base + 1 + r.undos.len();
        rollback.push(bar(
            row,
            r.verify_start,
            r.done,
            "verify",
            "verify".into(),
            format!("verify: {} to {}", sim.clock(r.verify_start), sim.clock(r.done)),
        ));
        let (from, to, class, label) = if p.margin >= 0.0 {
            (r.done, sim.window_length, "margin", format!("{} to spare", say(p.margin)))
        } else {
            (sim.window_length, r.done, "overrun", format!("{} over", say(-p.margin)))
        };
        rollback.push(bar(row + 1, from, to, class, label.clone(), label));
        let fx = x(p.fail);
        rollback.push(html! {
            <g class="fail-line">
                <line x1={fx.to_string()} x2={fx.to_string()} y1={AXIS_H.to_string()} y2={height.to_string()} />
                <text x={(fx + 4.0).to_string()} y={(AXIS_H + (base as f64) * ROW_H - 4.0).to_string()}>{ format!("⚡ {id} fails {}", sim.clock(p.fail)) }</text>
            </g>
        });
    }
    let end_x = x(sim.window_length);
    let deadline = sim.deadline.map(|t| {
        let dx = x(t);
        html! {
            <g class="deadline">
                <line x1={dx.to_string()} x2={dx.to_string()} y1={(AXIS_H - 4.0).to_string()} y2={height.to_string()} />
                <text x={(dx - 4.0).to_string()} y={(height - 4.0).to_string()}>{ format!("last rollback call {}", sim.clock(t)) }</text>
            </g>
        }
    });
    html! {
        <div class="timeline">
            <p class="legend">
                { "Click a step to fail it there. Dashed: the last moment a rollback can be called. Solid: the window's end." }
            </p>
            <div class="timeline-scroll">
                <svg width={(LABEL_W + CHART_W + 20.0).to_string()} height={height.to_string()} role="img"
                     aria-label={format!("Timeline of the window {} to {}", sim.clock(0.0), sim.clock(sim.window_length))}>
                    { for ticks }
                    { for forward }
                    { for rollback }
                    <g class="window-end">
                        <line x1={end_x.to_string()} x2={end_x.to_string()} y1={(AXIS_H - 4.0).to_string()} y2={height.to_string()} />
                        <text x={(end_x + 4.0).to_string()} y={(AXIS_H + 12.0).to_string()}>{ format!("window ends {}", sim.clock(sim.window_length)) }</text>
                    </g>
                    { for deadline }
                </svg>
            </div>
        </div>
    }
}
