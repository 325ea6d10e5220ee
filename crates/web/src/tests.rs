//! Component and platform tests, run in headless Chromium by
//! wasm-bindgen-test (see scripts/test).

use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::Callback;

use super::analysis::analyse;
use super::findings::{Findings, FindingsProps};
use super::graph::{GraphProps, GraphView};
use super::odds_job::{Answer, Ask, Figures, Job, analysis_for_odds};
use super::ptr::Ptr;
use super::timeline::{Timeline, TimelineProps};
use retreat_core::sim::{MonteCarlo, Settings};
use retreat_core::{MonteCarloRuns, Options, analyze};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element to mount a component in.
fn root() -> web_sys::Element {
    let document = web_sys::window().and_then(|w| w.document()).expect("document");
    let div = document.create_element("div").expect("div");
    document.body().expect("body").append_child(&div).expect("append");
    div
}

async fn settle() {
    TimeoutFuture::new(20).await;
}

#[wasm_bindgen_test]
fn the_summary_line_reads_like_the_issue_says() {
    let (analysis, _) = analyse(retreat_core::EXAMPLE_PLAN);
    let line = super::findings::summary_line(&analysis);
    assert_eq!(line, "0 errors, 0 warnings; rollback fits from 11 of 11 points; deadline 02:35");
}

#[wasm_bindgen_test]
async fn findings_group_diagnostics_by_severity() {
    let text = retreat_core::examples::EXAMPLES.iter().find(|e| e.0 == "mistake-no-undo.yaml").expect("example").2;
    let (analysis, _) = analyse(text);
    let el = root();
    let props =
        FindingsProps { analysis: Ptr::new(analysis), text: Ptr::new(text.to_string()), on_jump: Callback::noop() };
    yew::Renderer::<Findings>::with_root_and_props(el.clone(), props).render();
    settle().await;
    let html = el.inner_html();
    assert!(html.contains("Errors (2)"), "{html}");
    // The missing undo, and what it leaves behind: the feed stays paused.
    assert!(html.contains("R001") && html.contains("R004"), "{html}");
    assert!(html.contains("step `stop-feed` changes the system"), "{html}");
}

#[wasm_bindgen_test]
async fn the_graph_draws_every_step_with_its_kind_in_words() {
    let (analysis, _) = analyse(retreat_core::EXAMPLE_PLAN);
    let steps = analysis.plan.steps.len();
    let el = root();
    let props = GraphProps {
        analysis: Ptr::new(analysis),
        text: Ptr::new(retreat_core::EXAMPLE_PLAN.to_string()),
        selected: None,
        failing: Some(8),
        on_select: Callback::noop(),
    };
    yew::Renderer::<GraphView>::with_root_and_props(el.clone(), props).render();
    settle().await;
    let nodes = el.query_selector_all("g.node").expect("query");
    assert_eq!(nodes.length() as usize, steps);
    let labels: Vec<String> = (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into::<web_sys::Element>().ok()?.get_attribute("aria-label"))
        .collect();
    assert!(labels.iter().any(|l| l == "Step go-no-go: go/no-go"), "{labels:?}");
    assert!(labels.iter().any(|l| l == "Step switch: change, has undo, fails here"), "{labels:?}");
    assert_eq!(el.query_selector_all("g.node.failing").expect("query").length(), 1);
    // Fitted: the whole drawing is the view, with buttons to zoom that say what they do.
    let svg = el.query_selector(".zoom-view svg").expect("query").expect("svg");
    assert!(
        svg.get_attribute("viewBox").is_some_and(|v| v.starts_with("0.00 -12.00 ")),
        "{:?}",
        svg.get_attribute("viewBox")
    );
    for label in ["Zoom in", "Zoom out", "Fit it all in the panel"] {
        assert!(el.query_selector(&format!("button[aria-label='{label}']")).expect("query").is_some(), "{label}");
    }
}

#[wasm_bindgen_test]
async fn the_timeline_draws_every_scheduled_step_and_the_rollback_of_the_failing_one() {
    let (analysis, _) = analyse(retreat_core::EXAMPLE_PLAN);
    let sim = analysis.simulation.as_ref().expect("sim");
    let scheduled = sim.slots.iter().filter(|s| s.is_some()).count();
    let switch = analysis.plan.steps.iter().position(|s| s.id() == "switch").expect("switch");
    let el = root();
    let props = TimelineProps {
        analysis: Ptr::new(analysis),
        text: Ptr::new(retreat_core::EXAMPLE_PLAN.to_string()),
        failing: Some(switch),
        on_fail: Callback::noop(),
    };
    yew::Renderer::<Timeline>::with_root_and_props(el.clone(), props).render();
    settle().await;
    assert_eq!(el.query_selector_all(".bars .forward").expect("query").length() as usize, scheduled);
    assert_eq!(el.query_selector_all(".bars .forward.failing").expect("query").length(), 1);
    let text = el.text_content().unwrap_or_default();
    assert!(text.contains("switch fails 23:05"), "{text}");
}

#[wasm_bindgen_test]
fn the_odds_job_gives_the_figures_of_one_go() {
    // What the worker runs, a slice at a time, against the core's all at once.
    let text =
        retreat_core::examples::EXAMPLES.iter().find(|e| e.0 == "mistake-rollback-too-long.yaml").expect("example").2;
    let settings = Settings::exactly(500, 3);
    let analysis = Ptr::new(analysis_for_odds(text));
    let mut job = Job::new(7, analysis.clone(), settings).expect("something to simulate");
    let mut slices = 0;
    let figures = loop {
        slices += 1;
        match job.run_for(0.0) {
            Answer::Done { id, figures } => break (id, figures),
            Answer::Progress { id, done, total } => assert_eq!((id, total), (7, 500), "{done}"),
            Answer::Failed { why, .. } => panic!("{why}"),
        }
    };
    assert_eq!(figures.0, 7);
    assert!(slices > 1, "one slice did it all");
    let (graph, sim) = (analysis.graph.as_ref().expect("graph"), analysis.simulation.as_ref().expect("sim"));
    let one_go = retreat_core::sim::montecarlo::run(&analysis.plan, graph, sim, settings);
    assert_eq!(MonteCarlo::from(figures.1.clone()), one_go);
    assert_eq!(figures.1.p_rollback_fits[5..8], [0.166, 0.058, 0.02]);
}

#[wasm_bindgen_test]
fn the_worker_messages_cross_unchanged() {
    let ask = Ask::Run { id: 3, text: "title: ünïcödé\n".into(), runs: 10_000, seed: 1 };
    let sent = serde_wasm_bindgen::to_value(&ask).expect("to JS");
    assert_eq!(serde_wasm_bindgen::from_value::<Ask>(sent).expect("from JS"), ask);
    let figures = Figures {
        runs: 10,
        seed: 1,
        // Every bit of an f64 survives.
        p_forward_fits: 0.1 + 0.2,
        p_rollback_fits: vec![1.0 / 3.0, 0.0],
        half_width: 0.009_8,
        done_histograms: vec![vec![1, 2, 3], vec![]],
        forward_histogram: vec![9; 30],
    };
    let answer = Answer::Done { id: 3, figures };
    let sent = serde_wasm_bindgen::to_value(&answer).expect("to JS");
    assert_eq!(serde_wasm_bindgen::from_value::<Answer>(sent).expect("from JS"), answer);
}

#[wasm_bindgen_test]
fn monte_carlo_gives_the_native_figures() {
    // The same numbers as `tests/it/simulate.rs` asserts natively.
    let text =
        retreat_core::examples::EXAMPLES.iter().find(|e| e.0 == "mistake-rollback-too-long.yaml").expect("example").2;
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(Settings::exactly(500, 3)), ..Options::default() };
    let mc = analyze(text, &options).simulation.expect("sim").monte_carlo.expect("mc");
    assert_eq!(mc.p_forward_fits, 1.0);
    assert_eq!(mc.p_rollback_fits[5..8], [0.166, 0.058, 0.02]);
}

#[wasm_bindgen_test]
fn links_made_natively_open_in_the_browser() {
    let link = retreat_core::link::encode(retreat_core::EXAMPLE_PLAN);
    assert_eq!(retreat_core::link::decode(&link).as_deref(), Ok(retreat_core::EXAMPLE_PLAN));
    assert_eq!(retreat_core::link::decode("v1.AAAA"), Err(retreat_core::link::LinkError::Corrupt));
}

#[derive(yew::Properties, PartialEq)]
struct PanelProps {
    guesses: Ptr<super::state::Guesses>,
    on_dismiss: Callback<yew::MouseEvent>,
}

#[yew::function_component(Panel)]
fn panel(props: &PanelProps) -> yew::Html {
    super::guesses::guesses_panel(&props.guesses, &props.on_dismiss)
}

#[wasm_bindgen_test]
async fn the_guesses_panel_lists_the_importers_words_and_can_be_dismissed() {
    let guesses = super::state::Guesses {
        heading: "Imported 2 steps from the pasted spreadsheet range (csv): 1 guess".into(),
        list_html: "<li class=\"guess\"><span class=\"guess-kind\">guess</span>title: the file name</li>".into(),
    };
    let dismissed = std::rc::Rc::new(std::cell::Cell::new(false));
    let seen = dismissed.clone();
    let el = root();
    let props = PanelProps { guesses: Ptr::new(guesses), on_dismiss: Callback::from(move |_| seen.set(true)) };
    yew::Renderer::<Panel>::with_root_and_props(el.clone(), props).render();
    settle().await;
    let html = el.inner_html();
    assert!(html.contains("from the pasted spreadsheet range (csv)"), "{html}");
    assert_eq!(el.query_selector_all("li.guess").expect("query").length(), 1, "{html}");
    let button: web_sys::HtmlElement =
        el.query_selector("button.dismiss").expect("query").expect("a dismiss button").unchecked_into();
    button.click();
    assert!(dismissed.get());
}
