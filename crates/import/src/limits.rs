//! The importer's limits: whatever the input, the work and the memory it
//! takes stay bounded, and past a limit the import stops with an error.

/// The largest file read, as for a plan (32 MiB): a spreadsheet past it is
/// refused before it is parsed.
pub const MAX_FILE_BYTES: usize = retreat_core::limits::MAX_INPUT_BYTES;
/// Files a directory may hand over (the command line stops reading there).
pub const MAX_FILES: usize = 10_000;
/// All files of a directory together.
pub const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;
/// Nesting of XML elements and YAML collections.
pub const MAX_DEPTH: usize = 64;
/// XML events or YAML nodes in one changelog.
pub const MAX_NODES: usize = 2_000_000;
/// Changelogs including changelogs.
pub const MAX_INCLUDE_DEPTH: usize = 32;
