//! The app's state in one reducer: every change goes through [`Action`].
//!
//! The reducer is pure, as in yew's `function_todomvc`: it reads neither the
//! clock nor storage. A new text arrives analysed ([`Analysed`], made by
//! `analysis` in the event handler), times arrive in the action, and what the
//! browser keeps of the state (the draft) is written by an effect in `app`.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use super::ptr::Ptr;
use super::undo_log::Back;
use retreat_core::sim::MonteCarlo;
use retreat_core::{Analysis, Options, Span};

/// The panels on the right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Findings,
    Graph,
    Timeline,
    Rehearse,
    Odds,
    Compare,
    Report,
    Live,
}

impl Tab {
    pub const ALL: [(Tab, &'static str); 8] = [
        (Tab::Findings, "Findings"),
        (Tab::Graph, "Graph"),
        (Tab::Timeline, "Timeline"),
        (Tab::Rehearse, "Rehearse"),
        (Tab::Odds, "Odds"),
        (Tab::Compare, "Compare"),
        (Tab::Report, "Report"),
        (Tab::Live, "Live"),
    ];
}

/// A message across the top of the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// A plan the importer wrote (`retreat-import-web`, in the import worker).
pub struct Imported {
    pub format: String,
    pub yaml: String,
    /// The panel of guesses, as the importer writes it.
    pub guesses: Guesses,
}

/// The panel over the editor after an import: where the plan came from,
/// what could not be seen, every guess and every part left out. It stays
/// until dismissed or another plan is opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guesses {
    /// "Imported 3 steps from the pasted spreadsheet range (csv): ..."
    pub heading: String,
    /// The list's `<li>` items, every text in them escaped by the importer
    /// (`retreat_import_web::panel`).
    pub list_html: String,
}

/// The live window: the run log as recorded, and its board as the
/// on-demand module last drew it (`retreat_import_web::live`).
#[derive(Clone, Debug, PartialEq)]
pub struct Live {
    pub log: Ptr<String>,
    pub board: Option<Ptr<Board>>,
    /// The way back from each change, for "Undo" (newest last).
    pub history: Vec<Back>,
    /// A click is with the module: the next waits for its answer.
    pub busy: bool,
    pub error: Option<String>,
}

/// How many changes "Undo" can take back.
pub const LIVE_HISTORY: usize = 100;

#[derive(Clone, Debug, PartialEq)]
pub struct Board {
    /// With every plan text escaped by the module.
    pub html: String,
    /// Unix seconds; `None` once the rollback is called, or when no moment fits.
    pub deadline: Option<f64>,
    /// `HH:MM` on the window's clock.
    pub deadline_clock: String,
    pub called: bool,
}

/// Where the Monte Carlo simulation is.
#[derive(Clone, Debug, PartialEq)]
pub enum Odds {
    Running {
        done: u32,
        total: u32,
    },
    Done(Ptr<MonteCarlo>),
    /// Nothing to simulate (no window, or the plan does not parse).
    None,
}

impl Odds {
    /// Where a new analysis starts: Monte Carlo to come, if there is anything to simulate.
    fn of(analysis: &Analysis) -> Odds {
        if analysis.simulation.is_some() { Odds::Running { done: 0, total: 0 } } else { Odds::None }
    }
}

/// A text and its analysis: the reducer takes a new text only this way, so
/// it never analyses (and times) one itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysed {
    pub text: Ptr<String>,
    pub analysis: Ptr<Analysis>,
    /// How long the analysis took, in milliseconds.
    pub ms: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub text: Ptr<String>,
    pub analysis: Ptr<Analysis>,
    /// Bumped with every new analysis, so stale Monte Carlo work stops.
    pub generation: u64,
    /// How long the last analysis took, in milliseconds.
    pub analysis_ms: f64,
    pub tab: Tab,
    pub selected: Option<usize>,
    /// The step the user chose to fail.
    pub failing: Option<usize>,
    pub odds: Odds,
    /// How long the odds of this analysis took to come back, in milliseconds.
    pub odds_ms: Option<f64>,
    pub notice: Option<Notice>,
    /// A draft set aside when a link, an example or an import was opened over it.
    pub aside: Option<Ptr<String>>,
    /// The importer's guesses about the plan it wrote, until dismissed.
    pub guesses: Option<Ptr<Guesses>>,
    /// Where the editor should put its cursor next, with a counter so that
    /// the same span can be asked for twice.
    pub jump: Option<(Span, u64)>,
    /// Rehearsal: ticked runbook items, each with when it was ticked (ms on the clock).
    pub ticks: BTreeMap<usize, f64>,
    /// Rehearsal: when the clock was started (`performance.now()`, ms).
    pub clock_started: Option<f64>,
    /// The live window, from "Start the window" until it is ended.
    pub live: Option<Live>,
}

pub enum Action {
    /// The user typed: the new text, analysed.
    Edit(Analysed),
    /// Replace the text (an example, an import); the old text, if given,
    /// is kept aside. An import's guesses come with it; anything else
    /// opened drops the guesses of an earlier import.
    Load {
        analysed: Analysed,
        aside: Option<String>,
        notice: Option<Notice>,
        guesses: Option<Guesses>,
    },
    /// Close the panel of the importer's guesses.
    DismissGuesses,
    SetTab(Tab),
    /// Select a step and move the editor's cursor to it.
    Reveal(usize),
    /// Move the editor's cursor to `span` (a finding's), selecting its step.
    JumpTo {
        span: Span,
        step: Option<usize>,
    },
    Fail(Option<usize>),
    OddsProgress {
        generation: u64,
        done: u32,
        total: u32,
    },
    OddsDone {
        generation: u64,
        result: MonteCarlo,
        /// How long the job took, in milliseconds.
        ms: f64,
    },
    Notify(Option<Notice>),
    /// Bring back the draft kept aside (here analysed), keeping the plan it
    /// replaces aside in turn. Ignored unless it is the draft kept aside.
    RestoreAside(Analysed),
    /// Tick a runbook item off (or untick it): `at` is ms on the rehearsal clock.
    Tick {
        item: usize,
        at: f64,
    },
    /// The rehearsal clock started at `performance.now()` = this many ms.
    StartClock(f64),
    ResetClock,
    /// A run log to go live with: started, loaded from a file or a link,
    /// or restored from storage (the board follows).
    LiveOpen(String),
    /// A click was handed to the module.
    LiveBusy,
    /// The module's answer: the log after the click, and its board.
    LiveAnswer {
        log: String,
        board: Board,
    },
    LiveFailed(String),
    /// Take the last change to the log back.
    LiveUndo,
    LiveEnd,
}

impl State {
    pub fn new(opened: Analysed, aside: Option<String>, notice: Option<Notice>) -> State {
        State {
            odds: Odds::of(&opened.analysis),
            odds_ms: None,
            text: opened.text,
            analysis: opened.analysis,
            generation: 1,
            analysis_ms: opened.ms,
            tab: Tab::Findings,
            selected: None,
            failing: None,
            notice,
            aside: aside.map(Ptr::new),
            guesses: None,
            jump: None,
            ticks: BTreeMap::new(),
            clock_started: None,
            live: None,
        }
    }

    /// This state with a new text: a new generation, the choices that still
    /// point at a step kept, the rehearsal and the jump dropped.
    fn with_text(&self, new: Analysed) -> State {
        let steps = new.analysis.plan.steps.len();
        State {
            odds: Odds::of(&new.analysis),
            odds_ms: None,
            text: new.text,
            analysis: new.analysis,
            generation: self.generation + 1,
            analysis_ms: new.ms,
            tab: self.tab,
            selected: self.selected.filter(|&s| s < steps),
            failing: self.failing.filter(|&s| s < steps),
            notice: self.notice.clone(),
            aside: self.aside.clone(),
            guesses: self.guesses.clone(),
            jump: None,
            ticks: BTreeMap::new(),
            clock_started: None,
            live: self.live.clone(),
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = match action {
            Action::Edit(new) if *new.text == *self.text => return self,
            Action::Edit(new) => self.with_text(new),
            Action::Load { analysed, aside, notice, guesses } => {
                let mut next = self.with_text(analysed);
                if let Some(old) = aside {
                    next.aside = Some(Ptr::new(old));
                }
                next.notice = notice;
                next.guesses = guesses.map(Ptr::new);
                next.selected = None;
                next.failing = None;
                next
            }
            Action::RestoreAside(draft) => {
                if self.aside.as_deref() != Some(&*draft.text) {
                    return self;
                }
                let mut next = self.with_text(draft);
                next.aside = Some(self.text.clone());
                next.guesses = None;
                next.notice = Some(Notice {
                    kind: NoticeKind::Info,
                    text: "Your draft is back. The plan it replaced is kept aside in turn.".into(),
                });
                next
            }
            other => {
                let mut next = (*self).clone();
                match other {
                    Action::SetTab(tab) => next.tab = tab,
                    Action::Reveal(step) => {
                        next.selected = Some(step);
                        if let Some(s) = next.analysis.plan.steps.get(step) {
                            next.jump = Some((s.anchor(), next.jump.map_or(1, |(_, n)| n + 1)));
                        }
                    }
                    Action::JumpTo { span, step } => {
                        next.selected = step;
                        next.jump = Some((span, next.jump.map_or(1, |(_, n)| n + 1)));
                    }
                    Action::Fail(step) => {
                        next.failing = step;
                        next.ticks.clear();
                        next.clock_started = None;
                    }
                    Action::OddsProgress { generation, done, total } if generation == self.generation => {
                        next.odds = Odds::Running { done, total };
                    }
                    Action::OddsDone { generation, result, ms } if generation == self.generation => {
                        next.odds_ms = Some(ms);
                        let mut analysis = (*self.analysis).clone();
                        retreat_core::add_monte_carlo(&mut analysis, result.clone(), &Options::default());
                        next.analysis = Ptr::new(analysis);
                        next.odds = Odds::Done(Ptr::new(result));
                    }
                    Action::OddsProgress { .. } | Action::OddsDone { .. } => return self,
                    Action::Notify(notice) => next.notice = notice,
                    Action::DismissGuesses => next.guesses = None,
                    Action::Tick { item, at } => {
                        if next.ticks.remove(&item).is_none() {
                            next.ticks.insert(item, at);
                        }
                    }
                    Action::StartClock(at) => {
                        next.clock_started = Some(at);
                        next.ticks.clear();
                    }
                    Action::ResetClock => {
                        next.clock_started = None;
                        next.ticks.clear();
                    }
                    Action::LiveOpen(log) => {
                        let mut history = next.live.take().map(|l| l.history).unwrap_or_default();
                        if let Some(old) = self.live.as_ref().map(|l| l.log.clone()).filter(|old| **old != log) {
                            remember(&mut history, Back::between(&old, &log));
                        }
                        next.live = Some(Live { log: Ptr::new(log), board: None, history, busy: false, error: None });
                        next.tab = Tab::Live;
                    }
                    Action::LiveBusy => {
                        if let Some(l) = &mut next.live {
                            l.busy = true;
                        }
                    }
                    Action::LiveAnswer { log, board } => {
                        let Some(l) = &mut next.live else { return self };
                        if *l.log != log {
                            remember(&mut l.history, Back::between(&l.log, &log));
                            l.log = Ptr::new(log);
                        }
                        (l.board, l.busy, l.error) = (Some(Ptr::new(board)), false, None);
                    }
                    Action::LiveFailed(why) => {
                        if let Some(l) = &mut next.live {
                            (l.busy, l.error) = (false, Some(why));
                        }
                    }
                    Action::LiveUndo => {
                        if let Some(l) = &mut next.live
                            && let Some(back) = l.history.pop()
                        {
                            match back.apply(&l.log) {
                                Some(before) => l.log = Ptr::new(before),
                                None => l.history.clear(),
                            }
                        }
                    }
                    Action::LiveEnd => next.live = None,
                    Action::Edit(_) | Action::Load { .. } | Action::RestoreAside(_) => {}
                }
                next
            }
        };
        if next.failing.is_none() {
            // Rehearse something from the start: the step whose failure hurts most.
            next.failing = default_failing(&next.analysis);
        }
        Rc::new(next)
    }
}

/// Keeps `back` for "Undo", forgetting the oldest beyond [`LIVE_HISTORY`].
fn remember(history: &mut Vec<Back>, back: Back) {
    history.push(back);
    if history.len() > LIVE_HISTORY {
        history.remove(0);
    }
}

/// The point with the least margin (a point of no return last).
pub fn default_failing(analysis: &Analysis) -> Option<usize> {
    let sim = analysis.simulation.as_ref()?;
    sim.tightest().or_else(|| sim.points.first()).map(|p| p.step)
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use retreat_core::{MonteCarloRuns, analyze};

    /// What `analysis::analysed` gives, without the clock or storage.
    fn analysed(text: &str) -> Analysed {
        let options = Options { monte_carlo: MonteCarloRuns::Skip, ..Options::default() };
        Analysed { text: Ptr::new(text.to_string()), analysis: Ptr::new(analyze(text, &options)), ms: 1.5 }
    }

    fn opened() -> Rc<State> {
        Rc::new(State::new(analysed(retreat_core::EXAMPLE_PLAN), Some("my draft".into()), None))
    }

    #[test]
    fn the_same_action_on_the_same_state_gives_the_same_state() {
        let state = opened();
        let edited = analysed("title: Edited\n");
        let one = state.clone().reduce(Action::Edit(edited.clone()));
        let two = state.clone().reduce(Action::Edit(edited));
        assert_eq!(one, two);
        assert_eq!((one.generation, one.analysis_ms, one.text.as_str()), (2, 1.5, "title: Edited\n"));
        let tab = |s: &Rc<State>| s.clone().reduce(Action::SetTab(Tab::Odds));
        assert_eq!(tab(&state), tab(&state));
    }

    #[test]
    fn an_edit_that_changes_nothing_keeps_the_state() {
        let state = opened();
        let next = state.clone().reduce(Action::Edit(analysed(retreat_core::EXAMPLE_PLAN)));
        assert!(Rc::ptr_eq(&state, &next));
    }

    #[test]
    fn only_the_draft_kept_aside_is_restored() {
        let state = opened();
        let other = state.clone().reduce(Action::RestoreAside(analysed("not the draft")));
        assert!(Rc::ptr_eq(&state, &other));
        let back = state.clone().reduce(Action::RestoreAside(analysed("my draft")));
        assert_eq!(back.text.as_str(), "my draft");
        assert_eq!(back.aside.as_deref().map(String::as_str), Some(retreat_core::EXAMPLE_PLAN));
    }

    #[test]
    fn odds_of_an_older_analysis_are_dropped() {
        let state = opened().reduce(Action::Edit(analysed(retreat_core::examples::EXAMPLES[1].2)));
        let stale = state.clone().reduce(Action::OddsProgress { generation: 1, done: 5, total: 10 });
        assert!(Rc::ptr_eq(&state, &stale));
        let fresh = state.clone().reduce(Action::OddsProgress { generation: 2, done: 5, total: 10 });
        assert_eq!(fresh.odds, Odds::Running { done: 5, total: 10 });
    }

    fn guesses() -> Guesses {
        Guesses { heading: "Imported 1 step".into(), list_html: "<li class=\"guess\">generated</li>".into() }
    }

    #[test]
    fn an_import_keeps_the_draft_aside_and_lists_its_guesses_until_dismissed() {
        let state = Rc::new(State::new(analysed("title: Mine\n"), None, None));
        let imported = state.clone().reduce(Action::Load {
            analysed: analysed("title: Imported\nsteps: []\n"),
            aside: Some("title: Mine\n".into()),
            notice: None,
            guesses: Some(guesses()),
        });
        assert_eq!(imported.aside.as_deref().map(String::as_str), Some("title: Mine\n"));
        assert_eq!(imported.guesses.as_deref(), Some(&guesses()));
        // Typing keeps them; dismissing, restoring the draft or an example drops them.
        let typed = imported.clone().reduce(Action::Edit(analysed("title: Imported 2\nsteps: []\n")));
        assert!(typed.guesses.is_some());
        assert!(typed.clone().reduce(Action::DismissGuesses).guesses.is_none());
        let back = typed.clone().reduce(Action::RestoreAside(analysed("title: Mine\n")));
        assert_eq!((back.text.as_str(), back.guesses.is_none()), ("title: Mine\n", true));
        let example = typed.reduce(Action::Load {
            analysed: analysed(retreat_core::EXAMPLE_PLAN),
            aside: None,
            notice: None,
            guesses: None,
        });
        assert!(example.guesses.is_none());
    }

    fn board(deadline: Option<f64>) -> Board {
        Board { html: "<p>board</p>".into(), deadline, deadline_clock: "23:47".into(), called: false }
    }

    #[test]
    fn each_change_to_the_live_log_can_be_taken_back_and_a_look_is_not_a_change() {
        let live = opened().reduce(Action::LiveOpen("events: []\n".into()));
        assert_eq!(live.tab, Tab::Live);
        let busy = live.reduce(Action::LiveBusy);
        assert!(busy.live.as_ref().is_some_and(|l| l.busy));
        let one = busy.reduce(Action::LiveAnswer { log: "events: [a]\n".into(), board: board(Some(1.0)) });
        let looked = one.clone().reduce(Action::LiveAnswer { log: "events: [a]\n".into(), board: board(Some(2.0)) });
        let l = looked.live.as_ref().expect("live");
        assert_eq!((l.log.as_str(), l.history.len(), l.busy), ("events: [a]\n", 1, false));
        assert_eq!(l.board.as_ref().and_then(|b| b.deadline), Some(2.0));
        let undone = looked.reduce(Action::LiveUndo);
        assert_eq!(undone.live.as_ref().map(|l| l.log.as_str()), Some("events: []\n"));
        // An edit of the plan keeps the window live; ending it does not.
        let edited = undone.reduce(Action::Edit(analysed("title: Edited\n")));
        assert!(edited.live.is_some());
        assert!(edited.reduce(Action::LiveEnd).live.is_none());
    }

    #[test]
    fn a_jump_selects_the_step_and_counts() {
        let span = Span::new(3, 9);
        let one = opened().reduce(Action::JumpTo { span, step: Some(2) });
        let two = one.clone().reduce(Action::JumpTo { span, step: Some(2) });
        assert_eq!((one.selected, one.jump), (Some(2), Some((span, 1))));
        assert_eq!(two.jump, Some((span, 2)));
    }
}
