//! The usage text (`retreat --help`), written from the command table in
//! `args.rs`: it lists exactly the commands and options the parser reads.

use super::args::{COMMANDS, Spec};

const HEAD: &str = "retreat: lint and simulate rollback plans\n\nUsage:\n";

const TAIL: &str = "  retreat --version

FILE may be `-` for standard input. LEVEL is error, warning, info or off.
Exit status: 0 without errors, 1 with errors (or warnings under --deny warnings),
2 when a file cannot be read or the arguments are wrong.
";

/// Where a command's options wrap onto another line.
const WIDTH: usize = 100;
/// What a command does comes three spaces after its line, that line padded
/// to this width first: short lines line up, long ones stay short.
const ABOUT_AFTER: usize = 27;

pub fn text() -> String {
    let mut out = String::from(HEAD);
    for spec in COMMANDS {
        for line in synopsis(spec) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str(TAIL);
    out
}

/// `  retreat NAME OPERANDS [--option VALUE]...`, wrapped under the first
/// option, then what it does and the options' notes.
fn synopsis(spec: &Spec) -> Vec<String> {
    let mut first = format!("  retreat {}", spec.name);
    if !spec.operands.is_empty() {
        first.push(' ');
        first.push_str(spec.operands);
    }
    let indent = first.len() + 1;
    let mut lines = vec![first];
    for opt in spec.options {
        let piece = format!("[--{} {}]{}", opt.long, opt.value, if opt.repeats { "..." } else { "" });
        match lines.last_mut() {
            Some(line) if line.len() + 1 + piece.len() <= WIDTH => {
                line.push(' ');
                line.push_str(&piece);
            }
            _ => lines.push(format!("{:indent$}{piece}", "")),
        }
    }
    let notes: Vec<String> = spec.options.iter().filter_map(|o| o.note.map(|n| format!("--{}: {n}", o.long))).collect();
    let notes = (!notes.is_empty()).then(|| format!("({})", notes.join("; ")));
    let about: Vec<String> = spec.summary.map(str::to_string).into_iter().chain(notes).collect();
    if let Some(line) = lines.last_mut().filter(|_| !about.is_empty()) {
        *line = format!("{line:<ABOUT_AFTER$}   {}", about.join(" "));
    }
    lines
}
