//! `cargo bench --bench lint`: how long linting takes, parse included.
//! The figures go into the closing notes; budgets are in the issues.

use divan::{Bencher, black_box};
use retreat_core::parse::Hashing;
use retreat_core::{MonteCarloRuns, Options, analyze, synth};

fn main() {
    divan::main();
}

/// A generated plan of n steps, each after one to three earlier steps.
#[divan::bench(args = [1_000, 10_000])]
fn lint_generated_plan(bencher: Bencher, steps: usize) {
    let text = synth::plan(steps, 1);
    let options = Options::default();
    bencher.bench(|| analyze(black_box(&text), &options));
}

/// The same without T004's Monte Carlo runs (parse, graph, rules and the
/// deterministic simulation only).
#[divan::bench(args = [1_000, 10_000])]
fn lint_generated_plan_without_monte_carlo(bencher: Bencher, steps: usize) {
    let text = synth::plan(steps, 1);
    let options = Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() };
    bencher.bench(|| analyze(black_box(&text), &options));
}

/// Parsing alone (YAML, the typed plan and the plan hash).
#[divan::bench(args = [10_000])]
fn parse_generated_plan(bencher: Bencher, steps: usize) {
    let text = synth::plan(steps, 1);
    bencher.bench(|| retreat_core::parse(black_box(&text)));
}

/// What the app does on each keystroke of its 300-step example (Monte Carlo
/// follows apart, in slices; the hash only when an approval carries one).
#[divan::bench]
fn app_keystroke_300_steps(bencher: Bencher) {
    let text = retreat_core::examples::large();
    let options = Options { monte_carlo: MonteCarloRuns::Skip, hashing: Hashing::WhenApproved, ..Options::default() };
    bencher.bench(|| analyze(black_box(&text), &options));
}

#[divan::bench]
fn lint_hospital_example(bencher: Bencher) {
    let options = Options::default();
    bencher.bench(|| analyze(black_box(retreat_core::EXAMPLE_PLAN), &options));
}

/// Bad input: each must end in a diagnostic well within a second.
mod bad_input {
    use super::*;

    fn lint(bencher: Bencher, text: String) {
        let options = Options::default();
        bencher.bench(|| analyze(black_box(&text), &options));
    }

    #[divan::bench(sample_count = 10)]
    fn ten_megabytes_of_unknown_keys(bencher: Bencher) {
        let mut text = String::from("title: T\nsteps: [{id: a, do: x y z}]\n");
        let mut i = 0;
        while text.len() < 10 * 1024 * 1024 {
            text.push_str(&format!("note-{i}: some text that is not part of the plan format at all\n"));
            i += 1;
        }
        lint(bencher, text);
    }

    #[divan::bench(sample_count = 10)]
    fn ten_megabyte_value(bencher: Bencher) {
        lint(
            bencher,
            format!("title: T\nsteps: [{{id: a, do: x y z}}]\npurpose: {}\n", "word ".repeat(2 * 1024 * 1024)),
        );
    }

    #[divan::bench(sample_count = 10)]
    fn thirty_two_megabytes_of_comments(bencher: Bencher) {
        lint(bencher, "# padding that is only a comment, line after line\n".repeat(32 * 1024 * 1024 / 51));
    }

    #[divan::bench]
    fn nesting_ten_thousand_deep(bencher: Bencher) {
        lint(bencher, "{a: ".repeat(10_000));
    }

    #[divan::bench]
    fn alias_bomb(bencher: Bencher) {
        let mut bomb = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (prev, name) in ('a'..'i').zip('b'..='i') {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        lint(bencher, bomb);
    }

    #[divan::bench(sample_count = 10)]
    fn million_character_line(bencher: Bencher) {
        lint(bencher, format!("title: T\nsteps: [{{id: a, do: x y z, takes: {}}}]\n", "9".repeat(1_000_000)));
    }
}

/// What the full YAML parser (`saphyr-parser`) alone takes for the same text,
/// events only: the fast reader (src/parse/fast.rs) builds the tree, the plan
/// and its hash in less.
#[divan::bench(args = [10_000])]
fn full_yaml_parser_events_only(bencher: Bencher, steps: usize) {
    let text = synth::plan(steps, 1);
    bencher.bench(|| {
        let mut parser = saphyr_parser::Parser::new_from_str(black_box(&text));
        let mut events = 0;
        while let Some(Ok(_)) = parser.next_event() {
            events += 1;
        }
        events
    });
}
