//! What `retreat import` hands the importer: a file, or every file of a
//! directory worth reading, within the importer's limits. Symbolic links
//! are not followed and hidden entries (`.git`) are skipped, so a tree
//! cannot loop or drag a repository's history in.

use std::io::Read;
use std::path::{Path, PathBuf};

use retreat_import::limits::{MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES};

use super::error::Error;

/// The files an importer may want, by extension.
const WANTED: [&str; 11] = ["plan", "sql", "xml", "yaml", "yml", "json", "csv", "tsv", "md", "markdown", "txt"];
/// How deep a directory is searched.
const MAX_DEPTH: usize = 12;

/// A file's bytes, read no further than one byte past the limit (the
/// importer reports the size).
pub fn read_capped(path: &Path) -> Result<Vec<u8>, Error> {
    let shown = path.display();
    let file =
        std::fs::File::open(path).map_err(|e| Error::Unreadable(format!("cannot read `{shown}`: {}", describe(&e))))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Unreadable(format!("cannot read `{shown}`: {}", describe(&e))))?;
    Ok(bytes)
}

/// Every wanted file under `dir`, as (`/`-separated path inside it, bytes),
/// sorted by path.
pub fn read_tree(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut pending: Vec<(PathBuf, String, usize)> = vec![(dir.to_path_buf(), String::new(), 0)];
    let shown = dir.display();
    while let Some((path, rel, depth)) = pending.pop() {
        let entries = std::fs::read_dir(&path)
            .map_err(|e| Error::Unreadable(format!("cannot read `{}`: {}", path.display(), describe(&e))))?;
        for entry in entries {
            let entry =
                entry.map_err(|e| Error::Unreadable(format!("cannot read `{}`: {}", path.display(), describe(&e))))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let kind =
                entry.file_type().map_err(|e| Error::Unreadable(format!("cannot read `{name}`: {}", describe(&e))))?;
            let inner = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
            if kind.is_dir() && depth < MAX_DEPTH {
                pending.push((entry.path(), inner, depth + 1));
            } else if kind.is_file() && WANTED.iter().any(|e| name.to_ascii_lowercase().ends_with(&format!(".{e}"))) {
                if out.len() >= MAX_FILES {
                    return Err(Error::Unreadable(format!(
                        "`{shown}` holds more than {MAX_FILES} files to read: point at the project's own directory"
                    )));
                }
                let bytes = read_capped(&entry.path())?;
                total += bytes.len();
                if total > MAX_TOTAL_BYTES {
                    return Err(Error::Unreadable(format!(
                        "the files under `{shown}` come to more than {} MiB: point at the project's own directory",
                        MAX_TOTAL_BYTES >> 20
                    )));
                }
                out.push((inner, bytes));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
