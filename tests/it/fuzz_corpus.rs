//! The fuzzers' minimised corpora (fuzz/corpus/), replayed as ordinary tests
//! so CI guards what fuzzing found: each input must go through the same code
//! the fuzz targets drive without a panic.

use retreat_core::sim::Settings;
use retreat_core::{MonteCarloRuns, Options, analyze_bytes, link};

use crate::support::files_under;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    files_under(&format!("fuzz/corpus/{target}"))
}

#[test]
fn the_lint_corpus_replays() {
    let inputs = corpus("lint");
    assert!(inputs.len() >= 30, "{} inputs", inputs.len());
    let options = Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() };
    for (name, bytes) in inputs {
        let (_, analysis) = analyze_bytes(&bytes, &options);
        assert!(analysis.diagnostics.iter().all(|d| d.span.start <= d.span.end), "{name}");
    }
}

#[test]
fn the_simulate_corpus_replays() {
    let options = Options { monte_carlo: MonteCarloRuns::Exactly(Settings::exactly(3, 1)), ..Options::default() };
    for (name, bytes) in corpus("simulate") {
        let (_, analysis) = analyze_bytes(&bytes, &options);
        if let (Some(sim), Some(graph)) = (&analysis.simulation, &analysis.graph) {
            for point in &sim.points {
                assert!(sim.rollback(graph, point).done >= point.fail, "{name}");
            }
        }
    }
}

#[test]
fn the_link_corpus_replays() {
    for (name, bytes) in corpus("link") {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = link::decode(text);
            assert_eq!(link::decode(&link::encode(text)).as_deref(), Ok(text), "{name}");
        }
    }
}
