//! Reading plans: files, standard input (`-`) and share links.

use std::io::Read;

use retreat_core::Analysis;
use retreat_core::limits::MAX_INPUT_BYTES;

use super::error::Error;

/// A plan file as read and analysed, ready to render.
pub struct Linted {
    pub path: String,
    pub text: String,
    pub analysis: Analysis,
}

/// Reads a plan file, or standard input for `-`, stopping just past the size
/// limit so that a huge file costs no more than the limit to reject (the core
/// reports the size).
pub fn read(path: &str) -> Result<Vec<u8>, Error> {
    let cap = (MAX_INPUT_BYTES + 1) as u64;
    let unreadable = |e: &std::io::Error| Error::Unreadable(format!("cannot read `{path}`: {}", describe(e)));
    let mut bytes = Vec::new();
    let result = if path == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut bytes)
    } else {
        let file = std::fs::File::open(path).map_err(|e| unreadable(&e))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(Error::Unreadable(format!("cannot read `{path}`: it is a directory")));
        }
        file.take(cap).read_to_end(&mut bytes)
    };
    result.map_err(|e| unreadable(&e))?;
    Ok(bytes)
}

/// A plan given as a file, or as a share link.
pub fn load_plan(source: &str) -> Result<Vec<u8>, Error> {
    if source.contains("#v") || source.starts_with("v1.") {
        return retreat_core::link::decode(source)
            .map(String::into_bytes)
            .map_err(|e| Error::Unreadable(format!("cannot open the link: {e}")));
    }
    read(source)
}

fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
