//! The example plans the app offers, built into the binary.

/// `(file name, what it shows, text)`; the first is the app's default.
pub const EXAMPLES: &[(&str, &str, &str)] = &[
    (
        "hl7-engine-replacement.yaml",
        "Replace a hospital's HL7 interface engine overnight",
        include_str!("../../../www/examples/hl7-engine-replacement.yaml"),
    ),
    (
        "mistake-no-undo.yaml",
        "Mistake: a step with no inverse",
        include_str!("../../../www/examples/mistake-no-undo.yaml"),
    ),
    (
        "mistake-undo-needs-missing-backup.yaml",
        "Mistake: an undo relying on a backup nobody waited for",
        include_str!("../../../www/examples/mistake-undo-needs-missing-backup.yaml"),
    ),
    (
        "mistake-rollback-too-long.yaml",
        "Mistake: a rollback that no longer fits",
        include_str!("../../../www/examples/mistake-rollback-too-long.yaml"),
    ),
    (
        "mistake-left-behind.yaml",
        "Mistake: \"temporary\" things left behind",
        include_str!("../../../www/examples/mistake-left-behind.yaml"),
    ),
    (
        "mistake-no-baseline.yaml",
        "Mistake: no baseline check",
        include_str!("../../../www/examples/mistake-no-baseline.yaml"),
    ),
    (
        "mistake-nobody-told.yaml",
        "Mistake: stakeholders never told",
        include_str!("../../../www/examples/mistake-nobody-told.yaml"),
    ),
];

/// The large example: a generated plan of this many steps.
pub const LARGE_STEPS: usize = 300;

/// What each team of the large example can run at once: its busiest
/// moment in the plan's schedule (what C010 suggests), so that opening it
/// shows no double-booked owner, while the rollbacks still wait for them.
const LARGE_CREW: &str = "crew: {Team 0: 2, Team 1: 2, Team 2: 3, Team 3: 4, Team 4: 2, Team 5: 3, Team 6: 2}\n";

/// A generated plan of [`LARGE_STEPS`] steps, for trying the app at scale.
pub fn large() -> String {
    crate::synth::plan(LARGE_STEPS, 7) + LARGE_CREW
}
