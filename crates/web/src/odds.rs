//! The odds: Monte Carlo figures, worked out in a web worker (`worker`) so
//! that typing never waits for them, with a progress bar; then, per failure
//! point, the chance a rollback fits, and a histogram of when it is done.
//! Where no worker can run, the same job runs in the page a few runs per
//! frame, with the same figures.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::clock::now_ms;
use super::odds_job::{Answer, Ask, Job};
use super::ptr::Ptr;
use super::state::Odds;
use super::worker::{self, Lease};
use retreat_core::sim::montecarlo::{BINS, SPAN};
use retreat_core::sim::{MonteCarlo, Settings};
use retreat_core::{Analysis, sim::say};

/// Runs per simulation in the app, as `retreat simulate` does by default.
pub const SETTINGS: Settings = Settings::DEFAULT;
/// Time the in-page fallback spends per chunk, so a frame is never held up for long.
const CHUNK_MS: f64 = 10.0;

/// Where a job is, for the app.
pub enum Report {
    Progress {
        done: u32,
        total: u32,
    },
    /// The figures, and how long they took from the start, in milliseconds.
    Done {
        result: MonteCarlo,
        ms: f64,
    },
}

/// Runs Monte Carlo for one analysis; dropping it stops the work.
pub struct Runner {
    _lease: Option<Lease>,
    _local: Rc<RefCell<Option<InPage>>>,
}

impl Runner {
    /// Starts `analysis` (of `text`, numbered `id`) in the worker, or in the
    /// page if the worker cannot run it; `report` hears every step.
    pub fn start(id: u64, text: &str, analysis: Ptr<Analysis>, report: Callback<Report>) -> Runner {
        let started = now_ms();
        let forward = Callback::from(move |answer: Answer| match answer {
            Answer::Progress { done, total, .. } => report.emit(Report::Progress { done, total }),
            Answer::Done { figures, .. } => {
                report.emit(Report::Done { result: figures.into(), ms: now_ms() - started })
            }
            Answer::Failed { .. } => {}
        });
        let local: Rc<RefCell<Option<InPage>>> = Rc::default();
        let on_answer = {
            let (local, analysis, forward) = (local.clone(), analysis.clone(), forward.clone());
            Callback::from(move |answer: Answer| match answer {
                Answer::Failed { .. } => *local.borrow_mut() = InPage::start(id, analysis.clone(), forward.clone()),
                answer => forward.emit(answer),
            })
        };
        let ask = Ask::Run { id, text: text.to_string(), runs: SETTINGS.runs, seed: SETTINGS.seed };
        let lease = worker::run(&ask, on_answer).ok();
        if lease.is_none() {
            *local.borrow_mut() = InPage::start(id, analysis, forward);
        }
        Runner { _lease: lease, _local: local }
    }
}

/// The fallback: the job in the page, in chunks between frames.
struct InPage {
    _next: Rc<RefCell<Option<Timeout>>>,
}

impl InPage {
    fn start(id: u64, analysis: Ptr<Analysis>, report: Callback<Answer>) -> Option<InPage> {
        let job = Rc::new(RefCell::new(Job::new(id, analysis, SETTINGS)?));
        let next = Rc::new(RefCell::new(None));
        chunk_later(job, next.clone(), report);
        Some(InPage { _next: next })
    }
}

/// The next chunk, on a timer that dies with the [`InPage`] holding it.
fn chunk_later(job: Rc<RefCell<Job>>, next: Rc<RefCell<Option<Timeout>>>, report: Callback<Answer>) {
    let slot = Rc::downgrade(&next);
    *next.borrow_mut() = Some(Timeout::new(0, move || {
        let Some(next) = slot.upgrade() else { return };
        let answer = job.borrow_mut().run_for(CHUNK_MS);
        let more = matches!(answer, Answer::Progress { .. });
        report.emit(answer);
        if more {
            chunk_later(job, next, report);
        }
    }));
}

#[derive(Properties, PartialEq)]
pub struct OddsProps {
    pub analysis: Ptr<Analysis>,
    pub odds: Odds,
    pub failing: Option<usize>,
    pub on_fail: Callback<usize>,
}

fn percent(p: f64) -> String {
    if p > 0.0 && p < 1.0 { format!("{:.1}%", p * 100.0) } else { format!("{:.0}%", p * 100.0) }
}

#[function_component(OddsView)]
pub fn odds_view(props: &OddsProps) -> Html {
    let analysis = &props.analysis;
    let Some(sim) = &analysis.simulation else {
        return html! { <p class="empty">{ "Add a `window` to see the odds of a rollback fitting in it." }</p> };
    };
    let mc = match &props.odds {
        Odds::Running { done, total } => {
            let value = if *total == 0 { 0 } else { done * 100 / total };
            return html! {
                <div class="odds">
                    <p>{ format!("Simulating up to {} runs with every three-point estimate drawn at random…", SETTINGS.runs) }</p>
                    <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow={value.to_string()} aria-label="Monte Carlo progress">
                        <div class="progress-bar" style={format!("width: {value}%")} />
                    </div>
                    <p class="muted">{ format!("{done} of {total} runs") }</p>
                </div>
            };
        }
        Odds::None => return html! { <p class="empty">{ "Nothing to simulate." }</p> },
        Odds::Done(mc) => mc.clone(),
    };
    let steps = &analysis.plan.steps;
    let wanted =
        analysis.plan.rollback.as_ref().and_then(|r| r.confidence).unwrap_or(retreat_core::rules::DEFAULT_CONFIDENCE);
    let rows = sim.points.iter().zip(&mc.p_rollback_fits).map(|(p, &share)| {
        let id = retreat_core::show_invisible(steps.get(p.step).map_or("", |s| s.id())).into_owned();
        let selected = props.failing == Some(p.step);
        let onclick = {
            let on_fail = props.on_fail.clone();
            let s = p.step;
            Callback::from(move |_| on_fail.emit(s))
        };
        let low = share < wanted && !p.no_way_back;
        html! {
            <tr class={classes!(selected.then_some("selected"), low.then_some("low"))}>
                <td><button class="link-button" {onclick}>{ id }</button></td>
                <td>{ sim.clock(p.fail) }</td>
                <td class="share">
                    if p.no_way_back {
                        { "no way back" }
                    } else {
                        <span class="share-bar"><span style={format!("width: {:.1}%", share * 100.0)} /></span>
                        { percent(share) }
                    }
                </td>
            </tr>
        }
    });
    let chosen = props
        .failing
        .and_then(|s| sim.points.iter().position(|p| p.step == s))
        .and_then(|k| Some((k, mc.done_histograms.get(k)?)));
    let histogram = chosen.map(|(k, bins)| {
        let point = &sim.points[k];
        let id = steps.get(point.step).map_or("", |s| s.id());
        let (w, h, pad) = (600.0, 160.0, 24.0);
        let most = bins.iter().copied().max().unwrap_or(1).max(1) as f64;
        let bw = w / BINS as f64;
        let bin_secs = SPAN * sim.window_length / BINS as f64;
        let end_x = BINS as f64 / SPAN * bw;
        let bars = bins.iter().enumerate().map(|(b, &count)| {
            let bh = count as f64 / most * (h - pad);
            let late = (b as f64 + 1.0) * bin_secs > sim.window_length;
            html! {
                <rect class={classes!("bin", late.then_some("late"))} x={(b as f64 * bw + 1.0).to_string()} y={(h - pad - bh).to_string()} width={(bw - 2.0).to_string()} height={bh.to_string()}>
                    <title>{ format!("{}–{}: {count} runs", sim.clock(b as f64 * bin_secs), sim.clock((b as f64 + 1.0) * bin_secs)) }</title>
                </rect>
            }
        });
        let labels = (0..=BINS).step_by(5).map(|b| {
            html! { <text class="axis" x={(b as f64 * bw).to_string()} y={(h - 6.0).to_string()}>{ sim.clock(b as f64 * bin_secs) }</text> }
        });
        html! {
            <figure class="histogram">
                <figcaption>{ format!("When the rollback is done if `{id}` fails, over {} runs (last bar: later still)", mc.runs) }</figcaption>
                <svg width={w.to_string()} height={h.to_string()} role="img" aria-label={format!("Histogram of rollback done times for {id}")}>
                    { for bars }
                    <line class="window-end" x1={end_x.to_string()} x2={end_x.to_string()} y1="0" y2={(h - pad).to_string()} />
                    <text class="axis" x={(end_x + 4.0).to_string()} y="12">{ format!("window ends {}", sim.clock(sim.window_length)) }</text>
                    { for labels }
                </svg>
            </figure>
        }
    });
    html! {
        <div class="odds">
            <p class="headline">
                { format!("The forward plan finishes inside the window in {} of {} runs (seed {}). ", percent(mc.p_forward_fits), mc.runs, mc.seed) }
                { format!("The plan asks a rollback to fit in {:.0}% of runs. ", wanted * 100.0) }
                { format!("With likely durations it is done after {}.", say(sim.forward_finish)) }
            </p>
            <table class="odds-table">
                <thead><tr><th>{ "fails at step" }</th><th>{ "at" }</th><th>{ "rollback fits" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            { for histogram }
        </div>
    }
}
