//! A Monte Carlo simulation run a few runs at a time (the app runs it
//! between frames), batch after batch in index order: the same figures as
//! [`super::montecarlo::run`] and as any number of threads running
//! [`Sampler::batch`].

use super::Simulation;
use super::montecarlo::{MonteCarlo, Running, Sampler, Settings, Tally};
use crate::graph::PlanGraph;
use crate::model::Plan;

/// A Monte Carlo simulation under way.
pub struct Progress {
    settings: Settings,
    tally: Tally,
    /// The batch under way, if one is.
    running: Option<Running>,
}

impl Progress {
    pub fn new(plan: &Plan, graph: &PlanGraph, sim: &Simulation, settings: Settings) -> Progress {
        // The sampler's settings: with crews, it may cap the runs.
        let sampler = Sampler::new(plan, graph, sim, settings);
        Progress { settings: sampler.settings(), tally: sampler.tally(), running: None }
    }

    /// Runs done so far, and the most there will be (the simulation may
    /// stop sooner, once precise enough).
    pub fn done(&self) -> (u32, u32) {
        let current = self.running.as_ref().map_or(0, |r| r.batch.runs());
        (self.tally.runs() + current, self.settings.most_runs())
    }

    pub fn is_finished(&self) -> bool {
        self.tally.is_finished()
    }

    /// Does up to `runs` more runs. `plan`, `graph` and `sim` must be the
    /// ones `new` saw.
    pub fn advance(&mut self, plan: &Plan, graph: &PlanGraph, sim: &Simulation, runs: u32) {
        let sampler = Sampler::new(plan, graph, sim, self.settings);
        let mut todo = runs;
        while todo > 0 && !self.tally.is_finished() {
            let running = self.running.get_or_insert_with(|| sampler.start(self.tally.next_batch()));
            todo -= sampler.advance(running, todo);
            if running.left == 0
                && let Some(done) = self.running.take()
            {
                self.tally.add(done.batch);
            }
        }
    }

    /// The figures of the batches done so far (final once [`Progress::is_finished`]).
    pub fn result(&self) -> MonteCarlo {
        self.tally.result()
    }
}
