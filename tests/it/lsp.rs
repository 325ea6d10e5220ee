//! `retreat lsp` spoken to over a pipe, as an editor does: every answer
//! read back with a timeout, so a server that hangs fails the test.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    from: Receiver<Value>,
    next: i64,
}

impl Client {
    fn start(args: &[&str]) -> Client {
        Client::start_in(args, Value::Null)
    }

    /// A server for the workspace at `root` (a `file://` URI, or null).
    fn start_in(args: &[&str], root: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_retreat"))
            .arg("lsp")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("retreat lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let (to, from) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().expect("a length");
                    }
                }
                let mut body = vec![0; length];
                if out.read_exact(&mut body).is_err() {
                    return;
                }
                if to.send(serde_json::from_slice(&body).expect("JSON")).is_err() {
                    return;
                }
            }
        });
        let mut client = Client { child, stdin, from, next: 1 };
        let init = client.request("initialize", json!({"capabilities": {}, "processId": null, "rootUri": root}));
        assert_eq!(init["result"]["capabilities"]["hoverProvider"], true, "{init}");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    /// Several messages in one write, as a fast typist's editor sends them.
    fn send_all(&mut self, messages: &[Value]) {
        let mut all = String::new();
        for m in messages {
            let body = m.to_string();
            all.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        }
        self.stdin.write_all(all.as_bytes()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message the server sends.
    fn receive(&self) -> Value {
        self.from.recv_timeout(Duration::from_secs(30)).expect("the server answers within 30 s")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.receive();
            if m["id"] == id {
                return m;
            }
        }
    }

    /// The next notification of `method`.
    fn notification(&self, method: &str) -> Value {
        loop {
            let m = self.receive();
            if m["method"] == method {
                return m["params"].clone();
            }
        }
    }

    fn open(&mut self, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "yaml", "version": 1, "text": text}}),
        );
        self.diagnostics()
    }

    fn diagnostics(&self) -> Vec<Value> {
        let p = self.notification("textDocument/publishDiagnostics");
        assert_eq!(p["uri"], URI);
        p["diagnostics"].as_array().expect("a list").clone()
    }

    fn stop(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("the server exits");
        assert!(status.success(), "{status}");
    }
}

const URI: &str = "file:///work/plan.yaml";

fn at(line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
}

/// The contract example with one more step, written on one line with
/// non-ASCII text before a redundant `after` entry (`smoke` already comes
/// after `go-no-go`).
fn plan() -> String {
    let tidy = "  - { id: tidy, phase: verify, kind: check, do: Räum auf 🚑 in Zürich, after: [smoke, go-no-go], takes: 5m }\n";
    crate::support::contract_example().replace("  - id: retire-old\n", &format!("{tidy}  - id: retire-old\n"))
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags.iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

/// `text` with an LSP edit applied (ranges in UTF-16, one line each).
fn apply(text: &str, edit: &Value) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let offset = |p: &Value| {
        let (line, ch) = (p["line"].as_u64().unwrap() as usize, p["character"].as_u64().unwrap() as usize);
        let before: usize = lines[..line].iter().map(|l| l.len() + 1).sum();
        let units: Vec<u16> = lines[line].encode_utf16().take(ch).collect();
        before + String::from_utf16(&units).unwrap().len()
    };
    let (s, e) = (offset(&edit["range"]["start"]), offset(&edit["range"]["end"]));
    format!("{}{}{}", &text[..s], edit["newText"].as_str().unwrap(), &text[e..])
}

#[test]
fn the_server_shows_what_lint_shows_and_answers_hover_definition_completion() {
    let text = plan();
    let mut c = Client::start(&[]);
    let diags = c.open(&text);
    // The same findings as `retreat lint`, in the same order.
    let file = crate::support::TempFile::new("plan.yaml", text.as_bytes());
    let lint = crate::support::retreat(&["lint", "plan.yaml", "--format", "json"], Some(&file.dir), None);
    let lint: Value = serde_json::from_str(&lint.stdout).expect("json");
    let lint_codes: Vec<String> =
        lint["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes(&diags), lint_codes);
    assert!(lint_codes.contains(&"G003".to_string()), "{lint_codes:?}");
    // Same places: LSP counts from 0, lint from 1; the columns agree where
    // the line is ASCII.
    for (d, l) in diags.iter().zip(lint["diagnostics"].as_array().unwrap()) {
        assert_eq!(d["range"]["start"]["line"].as_u64().unwrap() + 1, l["line"].as_u64().unwrap(), "{d}");
    }
    // Columns are UTF-16 units: "🚑" is two, so the G003 on `go-no-go`
    // starts one unit after the character count lint gives.
    let g003 = diags.iter().find(|d| d["code"] == "G003").expect("G003");
    let (l, col) = find(&text, "go-no-go]");
    assert_eq!(
        (g003["range"]["start"]["line"].as_u64(), g003["range"]["start"]["character"].as_u64()),
        (Some(l.into()), Some(col.into()))
    );
    let by_lint = lint["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "G003").unwrap();
    assert_eq!(by_lint["column"].as_u64(), Some(u64::from(col))); // 1-based characters: col + 1 - 1

    // Hover on a step id gives its schedule; on a finding, the rule's docs.
    let (l, col) = find(&text, "- id: switch");
    let hover = c.request("textDocument/hover", at(l, col + 7));
    let value = hover["result"]["contents"]["value"].as_str().expect("markdown").to_string();
    assert!(value.starts_with("**switch**") && value.contains("Runs 22:30–22:45"), "{value}");
    let on = c.request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": g003["range"]["start"]}));
    assert!(on["result"]["contents"]["value"].as_str().unwrap().contains("## What it checks"), "{on}");

    // Definition of an id in an `after`, and its references.
    let (l, col) = find(&text, "after: [smoke");
    let def = c.request("textDocument/definition", at(l, col + 9));
    let (dl, _) = find(&text, "- id: smoke");
    assert_eq!(def["result"]["range"]["start"]["line"], dl, "{def}");
    let refs = c.request("textDocument/references", at(l, col + 9));
    assert!(refs["result"].as_array().unwrap().len() >= 2, "{refs}");

    // Completion offers the step ids and the kinds.
    let done = c.request("textDocument/completion", at(l, col + 8));
    let labels: Vec<&str> = done["result"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"baseline") && labels.contains(&"backup") && labels.contains(&"notify"), "{labels:?}");

    // The G003 quick fix, applied, leaves a plan lint finds no G003 in.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": g003["range"], "context": {"diagnostics": [g003]}}),
    );
    let fix = &actions["result"][0];
    assert_eq!(fix["kind"], "quickfix", "{actions}");
    let fixed = apply(&text, &fix["edit"]["changes"][URI][0]);
    assert!(fixed.contains("after: [smoke], takes"), "{fixed}");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    let after = c.diagnostics();
    assert!(!codes(&after).contains(&"G003".to_string()), "{:?}", codes(&after));

    // Inlay hints: when each scheduled step runs, after its id.
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}}}),
    );
    let labels: Vec<&str> = hints["result"].as_array().unwrap().iter().map(|h| h["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"22:30–22:45"), "{labels:?}");

    // The C005 fix puts the plan's hash into the approval: C005 goes.
    let c005 = after.iter().find(|d| d["code"] == "C005").expect("the contract example's placeholder hash");
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": c005["range"], "context": {"diagnostics": [c005]}}),
    );
    let approved = apply(&fixed, &actions["result"][0]["edit"]["changes"][URI][0]);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": approved}]}),
    );
    assert!(!codes(&c.diagnostics()).contains(&"C005".to_string()), "{approved}");

    // Document symbols: the steps, under their phases.
    let symbols = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": URI}}));
    let phases = symbols["result"].as_array().unwrap();
    let names: Vec<&str> = phases.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["prep", "implement", "verify", "post"], "{symbols}");
    let steps: usize = phases.iter().map(|p| p["children"].as_array().unwrap().len()).sum();
    assert_eq!(steps, 10, "{symbols}");
    let verify: Vec<&str> =
        phases[2]["children"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert!(verify.contains(&"tidy"), "{verify:?}");
    c.stop();
}

#[test]
fn the_r001_fix_adds_an_undo_that_lints_clean_of_r001() {
    let text =
        plan().replace("    undo: { do: Resume the inbound HL7 feed, takes: 5m, sets: { hl7-feed: flowing } }\n", "");
    let mut c = Client::start(&[]);
    let diags = c.open(&text);
    let r001 = diags.iter().find(|d| d["code"] == "R001").unwrap_or_else(|| panic!("R001 in {:?}", codes(&diags)));
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": r001["range"], "context": {"diagnostics": [r001]}}),
    );
    let fix = actions["result"].as_array().unwrap().iter().find(|a| a["title"].as_str().unwrap().contains("undo"));
    let fixed = apply(&text, &fix.expect("an undo fix")["edit"]["changes"][URI][0]);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert!(!codes(&c.diagnostics()).contains(&"R001".to_string()), "{fixed}");
    c.stop();
}

#[test]
fn bad_input_gets_an_error_and_the_server_keeps_serving() {
    let mut c = Client::start(&["--severity", "G003=off"]);
    let diags = c.open(&plan());
    assert!(!codes(&diags).contains(&"G003".to_string()), "--severity applies: {:?}", codes(&diags));
    // A change whose range is outside the text: refused, said, nothing lost.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 9999, "character": 0}, "end": {"line": 9999, "character": 3}}, "text": "x"}]}),
    );
    let said = c.notification("window/showMessage");
    assert!(said["message"].as_str().unwrap().contains("outside the document"), "{said}");
    // A position past the end, and a document that is not open: errors.
    let past = c.request("textDocument/hover", at(9999, 0));
    assert!(past.get("error").is_some(), "{past}");
    let closed = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nope.yaml"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(closed.get("error").is_some(), "{closed}");
    // A huge document: one diagnostic that says so.
    let huge = format!("title: x\n#{}\n", "y".repeat(17 * 1024 * 1024));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": huge}]}),
    );
    let big = c.diagnostics();
    assert!(big.len() == 1 && big[0]["message"].as_str().unwrap().contains("does not analyse"), "{big:?}");
    // Still serving: the plan again, with its findings.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 4}, "contentChanges": [{"text": plan()}]}),
    );
    assert!(!c.diagnostics().is_empty());
    c.stop();
}

/// `text` with the quick fix titled with `title` of the first finding of
/// `code` applied.
fn fixed_by(c: &mut Client, text: &str, diags: &[Value], code: &str, title: &str) -> String {
    let d = diags.iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("{code} in {:?}", codes(diags)));
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let fix = actions["result"].as_array().unwrap().iter().find(|a| a["title"].as_str().unwrap().contains(title));
    apply(text, &fix.unwrap_or_else(|| panic!("`{title}` in {actions}"))["edit"]["changes"][URI][0])
}

fn change(c: &mut Client, version: u32, text: &str) -> Vec<Value> {
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [{"text": text}]}),
    );
    c.diagnostics()
}

#[test]
fn the_irreversible_and_crew_fixes_leave_plans_lint_clean_of_their_finding() {
    let mut c = Client::start(&[]);
    // R001's second fix: `irreversible`, with a reason to fill in.
    let text =
        plan().replace("    undo: { do: Resume the inbound HL7 feed, takes: 5m, sets: { hl7-feed: flowing } }\n", "");
    let diags = c.open(&text);
    let fixed = fixed_by(&mut c, &text, &diags, "R001", "irreversible");
    assert!(fixed.contains("    irreversible: Write why this step cannot be undone\n"), "{fixed}");
    assert!(!codes(&change(&mut c, 2, &fixed)).contains(&"R001".to_string()), "{fixed}");
    // A step written as a flow mapping gets its `undo` as one more entry.
    let flow =
        plan().replace("  - id: retire-old\n", "  - { id: flow-step, do: Change it, takes: 5m }\n  - id: retire-old\n");
    let diags = change(&mut c, 20, &flow);
    let r001: Vec<&Value> = diags.iter().filter(|d| d["code"] == "R001").collect();
    assert_eq!(r001.len(), 1, "{:?}", codes(&diags));
    let fixed = fixed_by(&mut c, &flow, &diags, "R001", "undo");
    assert!(
        fixed.contains(
            "  - { id: flow-step, do: Change it, takes: 5m, undo: {do: Write how to undo this step, takes: 15m} }\n"
        ),
        "{fixed}"
    );
    assert!(!codes(&change(&mut c, 21, &fixed)).contains(&"R001".to_string()), "{fixed}");
    // C010 without a `crew`: one is declared above `steps:`.
    let text = include_str!("../fixtures/rules/C010/fires.yaml").to_string();
    let diags = change(&mut c, 3, &text);
    let fixed = fixed_by(&mut c, &text, &diags, "C010", "crew");
    assert!(fixed.contains("crew: {DBA on call: 2}\nsteps:"), "{fixed}");
    assert!(!codes(&change(&mut c, 4, &fixed)).contains(&"C010".to_string()), "{fixed}");
    // With a `crew` that leaves the owner out: the entry joins it.
    let text = text.replace("steps:\n", "crew: {Lab systems manager: 1}\nsteps:\n");
    let diags = change(&mut c, 5, &text);
    let fixed = fixed_by(&mut c, &text, &diags, "C010", "crew");
    assert!(fixed.contains("crew: {Lab systems manager: 1, DBA on call: 2}\n"), "{fixed}");
    assert!(!codes(&change(&mut c, 6, &fixed)).contains(&"C010".to_string()), "{fixed}");
    // Written as a block, the entry is a line below the last one.
    let text = text.replace("crew: {Lab systems manager: 1}\n", "crew:\n  Lab systems manager: 1\n");
    let diags = change(&mut c, 7, &text);
    let fixed = fixed_by(&mut c, &text, &diags, "C010", "crew");
    assert!(fixed.contains("crew:\n  Lab systems manager: 1\n  DBA on call: 2\nsteps:"), "{fixed}");
    assert!(!codes(&change(&mut c, 8, &fixed)).contains(&"C010".to_string()), "{fixed}");
    c.stop();
}

#[test]
fn field_names_complete_where_a_key_is_written() {
    let mut c = Client::start(&[]);
    let text = plan();
    c.open(&text);
    let labels = |c: &mut Client, line: u32, ch: u32| -> Vec<String> {
        let r = c.request("textDocument/completion", at(line, ch));
        r["result"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
    };
    // In a step (under `- id: ...`), the step's fields.
    let (l, _) = find(&text, "    undo: { do: Resume the inbound HL7 feed");
    let step = labels(&mut c, l, 4);
    assert!(step.contains(&"takes".into()) && step.contains(&"irreversible".into()), "{step:?}");
    assert!(!step.contains(&"window".into()), "{step:?}");
    // At the top level, the plan's fields.
    let (l, _) = find(&text, "steps:");
    let top = labels(&mut c, l, 0);
    assert!(top.contains(&"window".into()) && top.contains(&"crew".into()), "{top:?}");
    // After a key's colon: values (the step ids), not fields.
    let (l, col) = find(&text, "after: [smoke");
    let value = labels(&mut c, l, col + 8);
    assert!(value.contains(&"smoke".into()) && !value.contains(&"takes".into()), "{value:?}");
    // In a block `undo:` under a step, the undo's fields.
    let block = text.replacen(
        "    undo: { do: Resume the inbound HL7 feed, takes: 5m, sets: { hl7-feed: flowing } }\n",
        "    undo:\n      do: Resume the inbound HL7 feed\n      \n",
        1,
    );
    assert_ne!(block, text);
    change(&mut c, 2, &block);
    let (l, _) = find(&block, "      do: Resume the inbound HL7 feed\n");
    let fields = labels(&mut c, l + 1, 6);
    assert!(fields.contains(&"needs".into()) && !fields.contains(&"phase".into()), "{fields:?}");
    c.stop();
}

#[test]
fn retreat_toml_sets_severities_and_links_codes_to_their_docs_and_typing_is_debounced() {
    let settings = "docs-url = \"https://example.org/rules.md\"\n\n[severity]\nG003 = \"off\"\n";
    let dir = crate::support::TempFile::new("retreat.toml", settings.as_bytes());
    let root = format!("file://{}", dir.dir.display());
    let mut c = Client::start_in(&[], json!(root));
    let diags = c.open(&plan());
    assert!(!codes(&diags).contains(&"G003".to_string()), "the file's severity applies: {:?}", codes(&diags));
    let r = diags.iter().find(|d| d["code"] == "C005").expect("C005");
    assert_eq!(r["codeDescription"]["href"], "https://example.org/rules.md#c005-stale-approval", "{r}");
    // Three changes in one burst: the server analyses the last one only.
    let with_g001 = plan().replace("after: [smoke, go-no-go]", "after: [smoke, nowhere]");
    let without_undo =
        plan().replace("    undo: { do: Resume the inbound HL7 feed, takes: 5m, sets: { hl7-feed: flowing } }\n", "");
    let changes: Vec<Value> = [with_g001.as_str(), &plan(), &without_undo]
        .iter()
        .enumerate()
        .map(|(v, t)| {
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
                   "params": {"textDocument": {"uri": URI, "version": v + 2}, "contentChanges": [{"text": t}]}})
        })
        .collect();
    c.send_all(&changes);
    let first = codes(&c.diagnostics());
    assert!(first.contains(&"R001".to_string()) && !first.contains(&"G001".to_string()), "{first:?}");
    // The file changes: the editor says so, and the findings follow it.
    std::fs::write(&dir.path, "[severity]\nG003 = \"warning\"\nR001 = \"off\"\n").expect("rewrite");
    let changed = json!([{"uri": format!("{root}/retreat.toml"), "type": 2}]);
    c.notify("workspace/didChangeWatchedFiles", json!({ "changes": changed }));
    let now = c.diagnostics();
    let g003 = now.iter().find(|d| d["code"] == "G003").expect("G003 is back");
    assert_eq!(g003["severity"], 2, "{g003}");
    assert!(!codes(&now).contains(&"R001".to_string()) && g003.get("codeDescription").is_none());
    c.stop();
    // A bad file: the editor is told where, and the server still serves.
    let bad = crate::support::TempFile::new("retreat.toml", b"[severity]\nR999 = \"off\"\n");
    let mut c = Client::start_in(&[], json!(format!("file://{}", bad.dir.display())));
    let said = c.notification("window/showMessage");
    assert!(said["message"].as_str().unwrap().contains("retreat.toml:2:1: `R999` is no rule"), "{said}");
    assert!(!c.open(&plan()).is_empty());
    c.stop();
}

/// The 0-based line and UTF-16 column of `needle` in `text`.
fn find(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle} in the plan"));
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line as u32, text[start..at].encode_utf16().count() as u32)
}
