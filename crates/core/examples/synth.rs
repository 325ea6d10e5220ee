//! Prints a generated plan: `retreat_core::synth::plan(N, SEED)`, the plans
//! the benchmarks use, as a file the command line (or any other tool) can read.
//!
//! `cargo run --release -p retreat-core --example synth -- 10000 > plan.yaml`
//! (SEED defaults to 1, as in the benchmarks).

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: synth STEPS [SEED]   (prints retreat_core::synth::plan(STEPS, SEED); SEED defaults to 1)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (steps, seed) = match args.as_slice() {
        [n] => (n.parse::<usize>(), Ok(1)),
        [n, s] => (n.parse::<usize>(), s.parse::<u64>()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (Ok(steps), Ok(seed)) = (steps, seed) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = retreat_core::synth::plan(steps, seed);
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) ends the output; anything else is an error.
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::FAILURE
        }
    }
}
