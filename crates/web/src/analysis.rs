//! A new text analysed for the reducer, by the event handler that has it:
//! the core's deterministic analysis (Monte Carlo follows in chunks, see
//! `odds`), timed on the page's clock, and stale approvals explained from the
//! versions this browser kept. The clock and storage are read here, so that
//! the reducer reads neither.

use std::cell::RefCell;
use std::rc::Rc;

use super::clock::now_ms;
use super::ptr::Ptr;
use super::share;
use super::state::Analysed;
use retreat_core::{Analysis, MonteCarloRuns, Options, analyze};

/// `text` and its analysis, for an [`Action`](super::state::Action).
pub fn analysed(text: String) -> Analysed {
    let (analysis, ms) = analyse(&text);
    Analysed { text: Ptr::new(text), analysis: Ptr::new(analysis), ms }
}

/// The deterministic analysis, and how long it took in milliseconds.
pub fn analyse(text: &str) -> (Analysis, f64) {
    let start = now_ms();
    let options = Options {
        monte_carlo: MonteCarloRuns::Skip,
        hashing: retreat_core::parse::Hashing::WhenApproved,
        ..Options::default()
    };
    let mut analysis = analyze(text, &options);
    explain_stale_approvals(&mut analysis);
    (analysis, now_ms() - start)
}

thread_local! {
    /// The last approved version read back, by its hash: a stale plan is
    /// re-analysed per keystroke, the version it was approved at is not.
    static APPROVED: RefCell<Option<(String, Rc<Analysis>)>> = const { RefCell::new(None) };
}

/// When an approval is stale (C005) and this browser made the approval entry
/// for it, says what changed since (`retreat_core::explain_stale`).
fn explain_stale_approvals(analysis: &mut Analysis) {
    if !analysis.diagnostics.iter().any(|d| d.code == "C005") {
        return;
    }
    let hashes: Vec<String> = analysis
        .plan
        .approvals
        .iter()
        .filter_map(|a| a.plan_hash.as_ref())
        .map(|h| h.value.to_ascii_lowercase())
        .collect();
    for hash in hashes {
        let cached = APPROVED.with_borrow(|c| c.as_ref().filter(|(h, _)| *h == hash).map(|(_, a)| a.clone()));
        let approved = match cached {
            Some(a) => a,
            None => {
                let Some(text) = share::load_approved(&hash) else { continue };
                let options = Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() };
                let a = Rc::new(analyze(&text, &options));
                APPROVED.set(Some((hash, a.clone())));
                a
            }
        };
        retreat_core::explain_stale(analysis, &approved);
    }
}
