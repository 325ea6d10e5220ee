//! Helpers shared by the tests.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use retreat_core::{Analysis, Options, analyze};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every file under `relative` (searched recursively), sorted by path, with
/// its bytes.
pub fn files_under(relative: &str) -> Vec<(String, Vec<u8>)> {
    let mut dirs = vec![root().join(relative)];
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("entry").path();
            if path.is_dir() { dirs.push(path) } else { files.push(path) }
        }
    }
    files.sort();
    files.into_iter().map(|p| (p.display().to_string(), std::fs::read(&p).expect("read"))).collect()
}

pub fn lint(text: &str) -> Analysis {
    analyze(text, &Options::default())
}

/// The codes of what `text` produces, in order.
pub fn codes(text: &str) -> Vec<&'static str> {
    lint(text).diagnostics.iter().map(|d| d.code).collect()
}

/// `(code, line, column)` of every diagnostic of `text`.
pub fn positions(text: &str) -> Vec<(&'static str, u32, u32)> {
    let index = retreat_core::LineIndex::new(text);
    lint(text)
        .diagnostics
        .iter()
        .map(|d| {
            let at = index.line_col(d.span.start);
            (d.code, at.line, at.column)
        })
        .collect()
}

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the `retreat` binary in `dir` (the repository root by default).
pub fn retreat(args: &[&str], dir: Option<&Path>, stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_retreat"));
    cmd.args(args)
        .current_dir(dir.map_or_else(root, Path::to_path_buf))
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the retreat binary runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // The child may stop reading early (at the size limit): ignore a broken pipe.
        let _ = pipe.write_all(input);
    }
    let out = child.wait_with_output().expect("the retreat binary finishes");
    Run {
        status: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A file in a fresh temporary directory, removed when the value is dropped.
pub struct TempFile {
    pub dir: PathBuf,
    pub path: PathBuf,
}

impl TempFile {
    pub fn new(name: &str, contents: &[u8]) -> TempFile {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("retreat-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(name);
        std::fs::write(&path, contents).expect("temp file");
        TempFile { dir, path }
    }

    pub fn path_str(&self) -> &str {
        self.path.to_str().expect("utf-8 temp path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The plan of section 1 of the contract, as printed there.
pub fn contract_example() -> String {
    let doc = read("docs/PLAN_FORMAT.md");
    let start = doc.find("```yaml\n").expect("yaml block") + "```yaml\n".len();
    let end = start + doc[start..].find("```").expect("block end");
    doc[start..end].to_string()
}
