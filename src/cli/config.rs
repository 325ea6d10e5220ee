//! `retreat.toml`: the settings a repository keeps for `retreat lint` and
//! `retreat lsp`, so the editor and CI judge a plan the same way.
//!
//! ```toml
//! docs-url = "https://github.com/acme/retreat/blob/main/docs/rules.md"
//!
//! [severity]
//! C009 = "off"
//! T003 = "error"
//! ```
//!
//! The file is the one named by `--config`, else the nearest `retreat.toml`
//! in the starting directory or one of its parents. `--severity` on the
//! command line wins over the file. A bad file stops the command with its
//! line and column: a setting that silently did nothing would be worse.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use retreat_core::Options;
use serde::Deserialize;
use toml::Spanned;

use super::error::Error;

pub const FILE_NAME: &str = "retreat.toml";

/// What the settings come to.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file they came from, if any.
    pub path: Option<PathBuf>,
    pub options: Options,
    /// Where the rules' docs are (`docs/rules.md` as published): findings
    /// link to `<docs-url>#<anchor>`.
    pub docs_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileSettings {
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    docs_url: Option<String>,
}

/// The nearest `retreat.toml` in `dir` or one of its parents.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())
}

/// The settings: the file `explicit` names, else the one found from `dir`,
/// then `flags` (the command line's `--severity`) over them.
pub fn load(explicit: Option<&str>, dir: &Path, flags: &Options) -> Result<Config, Error> {
    let path = match explicit {
        Some(p) => Some(PathBuf::from(p)),
        None => discover(dir),
    };
    let mut config = match &path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| Error::Usage(format!("cannot read the settings {}: {e}", p.display())))?;
            parse(&text).map_err(|why| Error::Usage(format!("{}:{why}", p.display())))?
        }
        None => Config::default(),
    };
    config.path = path;
    for (code, level) in &flags.severity {
        config.options.severity.insert(code, *level);
    }
    Ok(config)
}

/// The settings in `text`; `Err` is `LINE:COLUMN: what is wrong`.
pub fn parse(text: &str) -> Result<Config, String> {
    let at = |offset: usize| {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{line}:{column}")
    };
    let settings: FileSettings = toml::from_str(text).map_err(|e| {
        let place = e.span().map_or_else(|| "1:1".to_string(), |s| at(s.start));
        format!("{place}: {}", e.message())
    })?;
    let mut options = Options::default();
    for (code, level) in &settings.severity {
        options
            .set_severity(&format!("{}={}", code.get_ref(), level.get_ref()))
            .map_err(|why| format!("{}: {why}", at(code.span().start)))?;
    }
    Ok(Config { path: None, options, docs_url: settings.docs_url })
}

/// The link to rule `code`'s docs, when `docs-url` is set: the heading
/// `## R001 missing-undo` of `docs/rules.md` is anchored `#r001-missing-undo`.
pub fn rule_link(docs_url: &str, code: &str) -> Option<String> {
    let rule = retreat_core::rules::find(code)?;
    Some(format!("{docs_url}#{}-{}", rule.code.to_lowercase(), rule.name))
}
