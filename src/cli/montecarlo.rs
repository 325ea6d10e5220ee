//! Monte Carlo on every core. The core cuts the runs into batches whose
//! figures depend only on the seed and the batch's index
//! ([`Sampler::batch`]) and adds them up in index order ([`Tally`]), checking
//! when to stop only between batches; here, scoped threads run the batches.
//! So the figures are the same for any number of threads, and the same as
//! the core's own single-threaded run (lint's, the app's).
//!
//! A progress bar is shown on standard error while it runs, if standard
//! error is a terminal, the output is not JSON and the work has already
//! taken a second: short work shows nothing at all.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use retreat_core::sim::{MonteCarlo, Sampler, Settings, Tally};
use retreat_core::{Analysis, MonteCarloRuns, Options, add_monte_carlo, analyze_bytes};

/// How many batches each thread may run ahead of the tally: enough that no
/// thread waits for a slow one, few enough that little is run for nothing
/// once the figures are precise enough (and few batches wait in memory).
const AHEAD_PER_THREAD: u32 = 2;

/// How long the work runs before a progress bar is shown.
const BAR_DELAY: Duration = Duration::from_secs(1);

/// How Monte Carlo runs: the settings, on how many threads, and whether a
/// progress bar may be shown.
#[derive(Clone, Copy)]
pub struct Runs {
    pub settings: Settings,
    /// `None`: one per core.
    pub threads: Option<usize>,
    /// Whether a progress bar may be shown (not for JSON output).
    pub bar: bool,
}

impl Runs {
    /// The default settings on every core.
    pub fn default_for(json: bool) -> Runs {
        Runs { settings: Settings::DEFAULT, threads: None, bar: !json }
    }

    fn threads(&self) -> usize {
        self.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1)
    }
}

/// Analyses `bytes` as [`analyze_bytes`] does, with Monte Carlo figures (and
/// the T004 findings they give) from `runs`.
pub fn analyze(bytes: &[u8], runs: Runs) -> (Cow<'_, str>, Analysis) {
    let (text, mut analysis) =
        analyze_bytes(bytes, &Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() });
    let mc = match (&analysis.graph, &analysis.simulation) {
        // Nothing here shows the done-time histograms: not counting them
        // saves about a tenth of each run on big plans.
        (Some(graph), Some(sim)) => {
            Some(run(&Sampler::new(&analysis.plan, graph, sim, runs.settings).without_histograms(), runs))
        }
        _ => None,
    };
    if let Some(mc) = mc {
        add_monte_carlo(&mut analysis, mc, &Options::default());
    }
    (text, analysis)
}

/// What the threads share.
struct State {
    /// The next batch no thread has taken yet.
    taken: u32,
    /// Threads still running.
    live: usize,
    tally: Tally,
}

/// Runs `sampler`'s batches on `runs.threads()` threads.
fn run(sampler: &Sampler, runs: Runs) -> MonteCarlo {
    let settings = sampler.settings();
    let threads = runs.threads().min(settings.batches().max(1) as usize);
    let state = Mutex::new(State { taken: 0, live: threads, tally: sampler.tally() });
    let changed = Condvar::new();
    let mut bar = Bar::new(runs.bar, settings);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| work(sampler, &state, &changed, threads as u32 * AHEAD_PER_THREAD));
        }
        let mut s = lock(&state);
        while !s.tally.is_finished() && s.live > 0 {
            s = changed.wait_timeout(s, Duration::from_millis(100)).unwrap_or_else(PoisonError::into_inner).0;
            bar.show(s.tally.runs());
        }
    });
    bar.finish();
    state.into_inner().unwrap_or_else(PoisonError::into_inner).tally.result()
}

/// One thread: takes the next batch, runs it, hands it to the tally, until
/// the tally has enough; never more than `ahead` batches past the tally.
fn work(sampler: &Sampler, state: &Mutex<State>, changed: &Condvar, ahead: u32) {
    /// Counts the thread out however it ends, so that nobody waits for it.
    struct Leaving<'a>(&'a Mutex<State>, &'a Condvar);
    impl Drop for Leaving<'_> {
        fn drop(&mut self) {
            lock(self.0).live -= 1;
            self.1.notify_all();
        }
    }
    let _leaving = Leaving(state, changed);
    let batches = sampler.settings().batches();
    let mut s = lock(state);
    loop {
        if s.tally.is_finished() || s.taken >= batches {
            return;
        }
        if s.taken >= s.tally.next_batch() + ahead {
            s = changed.wait(s).unwrap_or_else(PoisonError::into_inner);
            continue;
        }
        let index = s.taken;
        s.taken += 1;
        drop(s);
        let batch = sampler.batch(index);
        s = lock(state);
        s.tally.add(batch);
        changed.notify_all();
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The progress bar: none until the work has taken [`BAR_DELAY`], and none
/// at all unless standard error is a terminal.
struct Bar {
    allowed: bool,
    started: Instant,
    settings: Settings,
    bar: Option<ProgressBar>,
}

impl Bar {
    fn new(wanted: bool, settings: Settings) -> Bar {
        Bar { allowed: wanted && std::io::stderr().is_terminal(), started: Instant::now(), settings, bar: None }
    }

    fn show(&mut self, runs: u32) {
        if !self.allowed || (self.bar.is_none() && self.started.elapsed() < BAR_DELAY) {
            return;
        }
        let settings = self.settings;
        let bar = self.bar.get_or_insert_with(|| {
            let total = u64::from(settings.most_runs());
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let template = match settings.precision {
                // The bar takes what the terminal's width leaves.
                Some(_) => "Monte Carlo {wide_bar} {pos}/{len} runs at most, {elapsed}",
                None => "Monte Carlo {wide_bar} {pos}/{len} runs, {elapsed}",
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar
        });
        bar.set_position(u64::from(runs));
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
