//! Every limit the core enforces, in one place. Going past one is a diagnostic,
//! never a panic, a hang or a runaway allocation.

/// Largest plan text accepted, in bytes (32 MiB: a 100,000-step plan of
/// about 250 bytes a step fits).
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

/// Most steps in one plan.
pub const MAX_STEPS: usize = 100_000;

/// Deepest nesting of YAML/JSON collections. A plan needs about six levels.
pub const MAX_DEPTH: usize = 64;

/// Most nodes that aliases (`*name`) may add to the document when expanded.
/// An "alias bomb" (a billion laughs) hits this long before memory runs out.
pub const MAX_ALIAS_EXPANSION: u64 = 100_000;

/// Longest duration accepted anywhere (`takes`, `decide`, `window.duration`): 366 days.
pub const MAX_DURATION_SECS: u64 = 366 * 24 * 60 * 60;

/// Largest count a `crew` entry may give: more than a plan can have steps,
/// so a larger one could limit nothing more.
pub const MAX_CREW: u32 = 1_000_000;

/// Most parse errors reported for one file; the rest are counted in one last message.
pub const MAX_PARSE_ERRORS: usize = 1_000;

/// Most Monte Carlo runs one simulation does.
pub const MAX_RUNS: u32 = 1_000_000;

/// With crews, most undos the deterministic simulation's rollback schedules
/// place in all: each started set's rollback is scheduled (from the last
/// one's where it can), work that can grow as the square of the plan's
/// size. Past it, the rollbacks are simulated without crews, and the
/// simulation says so (`Simulation::rollback_crews_skipped`). A few
/// seconds on one core; the 10,000-step benchmark plan with one place per
/// owner needs about a quarter of it (9.6 million); the 100,000-step one
/// reaches it.
pub const MAX_CREW_WORK: u64 = 40_000_000;

/// With crews, most undos Monte Carlo's rollback schedules place in all
/// (each run schedules every started set's rollback, work that grows as the
/// square of the plan's size): the runs are cut to fit, at least one, and
/// the result says how many were made. A few seconds on one core.
pub const CREW_MONTE_CARLO_WORK: u64 = 50_000_000;

/// Largest plan a share link may unpack to, in bytes. A crafted link cannot
/// make the page allocate more than this (links are meant for plans that fit
/// in a URL; bigger plans travel as files).
pub const MAX_LINK_BYTES: usize = 4 * 1024 * 1024;

/// Most scheduled steps (failure points) for which `retreat simulate
/// --format json` writes every point's `undo_order` (section 4): each is as
/// long as the plan, so above this the points leave it out, the top level
/// says `"undo_order": "omitted"`, and `--point STEP` asks for one point's.
pub const MAX_POINTS_WITH_WAVES: usize = 1_000;

/// Most comparisons of a name with a step id that G001 spends suggesting
/// the closest id for unknown references: each suggestion compares the name
/// with every step's id, so a plan of many steps that gets every reference
/// wrong would otherwise take time in proportion to the square of its size.
/// Past it, each reference gets the help without a suggestion.
pub const MAX_SUGGESTION_COMPARISONS: usize = 5_000_000;
