//! `retreat lsp`: a Language Server over stdio (`lsp-server`, `lsp-types`,
//! the crates rust-analyzer is built on). It only dispatches: every answer
//! comes from the core's analysis of the document, the same one `retreat
//! lint` makes with the same `--severity` settings, so the editor shows the
//! same findings at the same places.
//!
//! - `text.rs`: byte offsets to LSP positions (UTF-16 code units) and back,
//!   and edits applied to a document;
//! - `features.rs`: diagnostics, hover, definition, references, completion,
//!   code actions, document symbols, inlay hints, each from an [`Analysis`].
//!
//! Documents are synced in full; a change that carries a range is applied
//! too, and one whose range lies outside the text is refused with an error
//! message while the server keeps the text it had. A change is analysed once
//! typing pauses for [`DEBOUNCE`], or at once when a request asks about it.
//!
//! The settings are lint's: `--severity`, over a `retreat.toml` (`--config`,
//! else the nearest one from the workspace's root, see `config.rs`), read
//! again when the editor reports a changed `retreat.toml` (the server asks
//! to watch it where the editor can), and every document judged again.

mod features;
mod text;

use std::collections::HashMap;
use std::error::Error as StdError;
use std::time::Duration;

use crossbeam_channel::RecvTimeoutError;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{notification as n, request as r};
use retreat_core::Analysis;
use serde_json::Value;

use super::args::LspArgs;
use super::config::{self, Config};

/// The biggest document analysed; a bigger one gets one error diagnostic.
pub const MAX_DOCUMENT: usize = 16 * 1024 * 1024;

/// An open document and its latest analysis.
pub(crate) struct Doc {
    pub text: String,
    /// `None` for a document over [`MAX_DOCUMENT`].
    pub analysis: Option<Analysis>,
    /// The text changed since `analysis` was made.
    pub stale: bool,
}

/// How long the server waits for typing to pause before it analyses a
/// changed document (a request about it analyses it at once).
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Serves until the client says `exit`; `Err` only when stdio fails.
pub fn serve(args: LspArgs) -> Result<(), Box<dyn StdError + Sync + Send>> {
    let (connection, io_threads) = Connection::stdio();
    let (id, init) = connection.initialize_start()?;
    connection.initialize_finish(
        id,
        serde_json::json!({
            "capabilities": features::capabilities(),
            "serverInfo": {"name": "retreat", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    // The settings of the workspace the editor opened, else of the
    // directory the server was started in.
    let root = ["/rootUri", "/workspaceFolders/0/uri"]
        .iter()
        .find_map(|p| init.pointer(p).and_then(Value::as_str).and_then(text::file_path))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    let mut server = Server { config: Config::default(), docs: HashMap::new(), root, args };
    if let Some(why) = server.load_config() {
        connection.sender.send(Message::Notification(why))?;
    }
    // Told when a `retreat.toml` changes, where the editor can watch files.
    let watch = "/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration";
    if init.pointer(watch).and_then(Value::as_bool) == Some(true) {
        let params = serde_json::json!({"registrations": [{"id": "retreat.toml", "method": n::DidChangeWatchedFiles::METHOD,
            "registerOptions": {"watchers": [{"globPattern": format!("**/{}", config::FILE_NAME)}]}}]});
        let register = Request::new(RequestId::from(0), r::RegisterCapability::METHOD.into(), params);
        connection.sender.send(Message::Request(register))?;
    }
    loop {
        let next = if server.docs.values().any(|d| d.stale) {
            connection.receiver.recv_timeout(DEBOUNCE)
        } else {
            connection.receiver.recv().map_err(|_| RecvTimeoutError::Disconnected)
        };
        let mut out = Vec::new();
        match next {
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => out.extend(server.refresh_all()),
            Ok(Message::Request(req)) => {
                if connection.handle_shutdown(&req)? {
                    break;
                }
                let (notes, resp) = server.request(req);
                out.extend(notes.into_iter().map(Message::Notification));
                out.push(Message::Response(resp));
            }
            Ok(Message::Notification(note)) => out.extend(server.notification(note)),
            Ok(Message::Response(_)) => {}
        }
        for message in out {
            connection.sender.send(message)?;
        }
    }
    drop(connection);
    io_threads.join()?;
    Ok(())
}

struct Server {
    config: Config,
    docs: HashMap<String, Doc>,
    /// Where `retreat.toml` is looked for, and the command line's settings.
    root: std::path::PathBuf,
    args: LspArgs,
}

impl Server {
    fn analyse(&self, text: &str) -> Option<Analysis> {
        (text.len() <= MAX_DOCUMENT).then(|| retreat_core::analyze(text, &self.config.options))
    }

    /// Analyses `uri` if it changed since; its diagnostics if so.
    fn refresh(&mut self, uri: &str) -> Option<Message> {
        let doc = self.docs.get(uri).filter(|d| d.stale)?;
        let analysis = self.analyse(&doc.text);
        let doc = self.docs.get_mut(uri)?;
        (doc.analysis, doc.stale) = (analysis, false);
        self.publish(uri)
    }

    /// Every changed document analysed, once typing has paused.
    fn refresh_all(&mut self) -> Vec<Message> {
        let stale: Vec<String> = self.docs.iter().filter(|(_, d)| d.stale).map(|(u, _)| u.clone()).collect();
        stale.iter().filter_map(|uri| self.refresh(uri)).collect()
    }

    /// The diagnostics of `uri` as a notification.
    fn publish(&self, uri: &str) -> Option<Message> {
        let doc = self.docs.get(uri)?;
        let diagnostics = features::diagnostics(doc, self.config.docs_url.as_deref());
        let params = serde_json::json!({"uri": uri, "diagnostics": diagnostics});
        Some(Message::Notification(Notification::new(n::PublishDiagnostics::METHOD.into(), params)))
    }

    /// (Re)reads the settings; on a bad file, the command line's alone, and
    /// the message that says why.
    fn load_config(&mut self) -> Option<Notification> {
        match config::load(self.args.config.as_deref(), &self.root, &self.args.options) {
            Ok(config) => {
                self.config = config;
                None
            }
            Err(e) => {
                self.config = Config { options: self.args.options.clone(), ..Config::default() };
                Some(show_error(&format!("retreat: {e}")))
            }
        }
    }

    fn notification(&mut self, note: Notification) -> Vec<Message> {
        if note.method == n::DidChangeWatchedFiles::METHOD {
            // A `retreat.toml` changed: every document is judged again.
            let mut out: Vec<Message> = self.load_config().map(Message::Notification).into_iter().collect();
            for doc in self.docs.values_mut() {
                doc.stale = true;
            }
            out.extend(self.refresh_all());
            return out;
        }
        let uri = note.params.pointer("/textDocument/uri").and_then(Value::as_str).map(str::to_string);
        let Some(uri) = uri else { return Vec::new() };
        match note.method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                let text = note.params.pointer("/textDocument/text").and_then(Value::as_str).unwrap_or("").to_string();
                self.docs.insert(uri.clone(), Doc { text, analysis: None, stale: true });
                self.refresh(&uri).into_iter().collect()
            }
            // Only the text is taken now: the analysis waits for a pause.
            n::DidChangeTextDocument::METHOD => {
                let Some(doc) = self.docs.get_mut(&uri) else { return Vec::new() };
                let changes = note.params.get("contentChanges").and_then(Value::as_array).cloned().unwrap_or_default();
                let mut next = doc.text.clone();
                for change in &changes {
                    match text::apply(&next, change) {
                        Ok(t) => next = t,
                        Err(why) => {
                            return vec![Message::Notification(show_error(&format!(
                                "retreat: a change to {uri} was refused: {why}"
                            )))];
                        }
                    }
                }
                (doc.text, doc.stale) = (next, true);
                Vec::new()
            }
            n::DidCloseTextDocument::METHOD => {
                self.docs.remove(&uri);
                let params = serde_json::json!({"uri": uri, "diagnostics": []});
                vec![Message::Notification(Notification::new(n::PublishDiagnostics::METHOD.into(), params))]
            }
            _ => Vec::new(),
        }
    }

    /// The answer to `req`, after the diagnostics of its document if the
    /// request made the server analyse it first.
    fn request(&mut self, req: Request) -> (Vec<Notification>, Response) {
        let uri = req.params.pointer("/textDocument/uri").and_then(Value::as_str).unwrap_or("").to_string();
        let notes = match self.refresh(&uri) {
            Some(Message::Notification(note)) => vec![note],
            _ => Vec::new(),
        };
        (notes, self.answer(req, &uri))
    }

    fn answer(&self, req: Request, uri: &str) -> Response {
        let Request { id, method, params } = req;
        let Some(doc) = self.docs.get(uri) else {
            return match method.as_str() {
                r::HoverRequest::METHOD
                | r::GotoDefinition::METHOD
                | r::References::METHOD
                | r::Completion::METHOD
                | r::CodeActionRequest::METHOD
                | r::DocumentSymbolRequest::METHOD
                | r::InlayHintRequest::METHOD => failure(id, ErrorCode::InvalidParams, "the document is not open"),
                _ => failure(id, ErrorCode::MethodNotFound, &format!("`{method}` is not served")),
            };
        };
        let at = || params.get("position").and_then(|p| text::offset(&doc.text, p));
        let answer = match method.as_str() {
            r::HoverRequest::METHOD => at().map(|o| features::hover(doc, o)),
            r::GotoDefinition::METHOD => at().map(|o| features::definition(doc, uri, o)),
            r::References::METHOD => at().map(|o| features::references(doc, uri, o)),
            r::Completion::METHOD => at().map(|o| features::completion(doc, o)),
            r::CodeActionRequest::METHOD => {
                let range = params.get("range").and_then(|r| text::range_offsets(&doc.text, r));
                range.map(|(s, e)| features::code_actions(doc, uri, s, e, self.config.docs_url.as_deref()))
            }
            r::DocumentSymbolRequest::METHOD => Some(features::symbols(doc)),
            r::InlayHintRequest::METHOD => Some(features::inlay_hints(doc)),
            _ => return failure(id, ErrorCode::MethodNotFound, &format!("`{method}` is not served")),
        };
        match answer {
            Some(result) => Response::new_ok(id, result),
            None => failure(id, ErrorCode::InvalidParams, "the position is outside the document"),
        }
    }
}

fn failure(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_string())
}

fn show_error(message: &str) -> Notification {
    Notification::new(n::ShowMessage::METHOD.into(), serde_json::json!({"type": 1, "message": message}))
}
