//! One Monte Carlo job, wherever it runs (the odds' web worker, or the page
//! when no worker can start), and the messages that carry it: the plan's text
//! and the runs in ([`Ask`]), progress and the figures out ([`Answer`]).
//!
//! The protocol is deliberately narrow: the worker analyses the text itself
//! (the same deterministic analysis as the page's, so the same failure
//! points in the same order) and sends back plain figures. Swapping the core
//! call (`Job::new`, `Job::run_for`) changes nothing else.

use serde::{Deserialize, Serialize};

use super::clock::now_ms;
use super::ptr::Ptr;
use retreat_core::sim::{MonteCarlo, Progress, Settings};
use retreat_core::{Analysis, MonteCarloRuns, Options, analyze};

/// What the page sends the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Ask {
    /// Simulate `text`, dropping whatever job came before. `id` comes back
    /// in every answer (the app uses its analysis' generation).
    Run { id: u64, text: String, runs: u32, seed: u64 },
    /// Drop the job under way, if any.
    Stop,
}

/// What the worker sends back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Progress {
        id: u64,
        done: u32,
        total: u32,
    },
    Done {
        id: u64,
        figures: Figures,
    },
    /// The job could not run (the text gave nothing to simulate, or the
    /// worker could not start); `id` 0 when no job was known yet.
    Failed {
        id: u64,
        why: String,
    },
}

/// [`MonteCarlo`], as data that crosses to the page and back unchanged
/// (numbers are JavaScript numbers, so every bit of an `f64` survives).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub runs: u32,
    pub seed: u64,
    pub p_forward_fits: f64,
    pub p_rollback_fits: Vec<f64>,
    pub half_width: f64,
    pub done_histograms: Vec<Vec<u32>>,
    pub forward_histogram: Vec<u32>,
}

impl From<MonteCarlo> for Figures {
    fn from(m: MonteCarlo) -> Figures {
        Figures {
            runs: m.runs,
            seed: m.seed,
            p_forward_fits: m.p_forward_fits,
            p_rollback_fits: m.p_rollback_fits,
            half_width: m.half_width,
            done_histograms: m.done_histograms,
            forward_histogram: m.forward_histogram,
        }
    }
}

impl From<Figures> for MonteCarlo {
    fn from(f: Figures) -> MonteCarlo {
        MonteCarlo {
            runs: f.runs,
            seed: f.seed,
            p_forward_fits: f.p_forward_fits,
            p_rollback_fits: f.p_rollback_fits,
            half_width: f.half_width,
            done_histograms: f.done_histograms,
            forward_histogram: f.forward_histogram,
        }
    }
}

/// The deterministic analysis the odds are drawn over: the page's, without
/// what Monte Carlo does not read (approvals' hashes, what changed since).
pub fn analysis_for_odds(text: &str) -> Analysis {
    let options = Options {
        monte_carlo: MonteCarloRuns::Skip,
        hashing: retreat_core::parse::Hashing::WhenApproved,
        ..Options::default()
    };
    analyze(text, &options)
}

/// A job under way: its analysis and how far the runs are.
pub struct Job {
    pub id: u64,
    analysis: Ptr<Analysis>,
    progress: Progress,
}

impl Job {
    /// `None` when the analysis has nothing to simulate.
    pub fn new(id: u64, analysis: Ptr<Analysis>, settings: Settings) -> Option<Job> {
        let (graph, sim) = (analysis.graph.as_ref()?, analysis.simulation.as_ref()?);
        let progress = Progress::new(&analysis.plan, graph, sim, settings);
        Some(Job { id, analysis, progress })
    }

    /// Runs for about `budget_ms` (in batches that grow from 8 runs, so a
    /// big plan's first batch is short; one batch at least), then says where
    /// the job is.
    pub fn run_for(&mut self, budget_ms: f64) -> Answer {
        let a = &*self.analysis;
        let (Some(graph), Some(sim)) = (a.graph.as_ref(), a.simulation.as_ref()) else {
            return Answer::Failed { id: self.id, why: "nothing to simulate".into() };
        };
        let start = now_ms();
        let mut batch = 8;
        // At least one batch, however short the budget.
        loop {
            self.progress.advance(&a.plan, graph, sim, batch);
            if self.progress.is_finished() || now_ms() - start >= budget_ms {
                break;
            }
            batch = (batch * 2).min(512);
        }
        if self.progress.is_finished() {
            Answer::Done { id: self.id, figures: self.progress.result().into() }
        } else {
            let (done, total) = self.progress.done();
            Answer::Progress { id: self.id, done, total }
        }
    }
}
