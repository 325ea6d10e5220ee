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
//! message while the server keeps the text it had.

mod features;
mod text;

use std::collections::HashMap;
use std::error::Error as StdError;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{notification as n, request as r};
use retreat_core::{Analysis, Options};
use serde_json::Value;

/// The biggest document analysed; a bigger one gets one error diagnostic.
pub const MAX_DOCUMENT: usize = 16 * 1024 * 1024;

/// An open document and its latest analysis.
pub(crate) struct Doc {
    pub text: String,
    pub analysis: Option<Analysis>,
}

/// Serves until the client says `exit`; `Err` only when stdio fails.
pub fn serve(options: Options) -> Result<(), Box<dyn StdError + Sync + Send>> {
    let (connection, io_threads) = Connection::stdio();
    let (id, _) = connection.initialize_start()?;
    connection.initialize_finish(
        id,
        serde_json::json!({
            "capabilities": features::capabilities(),
            "serverInfo": {"name": "retreat", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    let mut server = Server { options, docs: HashMap::new() };
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req)? {
                    break;
                }
                let resp = server.request(req);
                connection.sender.send(Message::Response(resp))?;
            }
            Message::Notification(note) => {
                for out in server.notification(note) {
                    connection.sender.send(Message::Notification(out))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    drop(connection);
    io_threads.join()?;
    Ok(())
}

struct Server {
    options: Options,
    docs: HashMap<String, Doc>,
}

impl Server {
    fn analyse(&self, text: &str) -> Option<Analysis> {
        (text.len() <= MAX_DOCUMENT).then(|| retreat_core::analyze(text, &self.options))
    }

    /// The diagnostics of `uri` as a notification.
    fn publish(&self, uri: &str) -> Option<Notification> {
        let doc = self.docs.get(uri)?;
        let diagnostics = features::diagnostics(doc);
        let params = serde_json::json!({"uri": uri, "diagnostics": diagnostics});
        Some(Notification::new(n::PublishDiagnostics::METHOD.into(), params))
    }

    fn notification(&mut self, note: Notification) -> Vec<Notification> {
        let uri = note.params.pointer("/textDocument/uri").and_then(Value::as_str).map(str::to_string);
        let Some(uri) = uri else { return Vec::new() };
        match note.method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                let text = note.params.pointer("/textDocument/text").and_then(Value::as_str).unwrap_or("").to_string();
                let analysis = self.analyse(&text);
                self.docs.insert(uri.clone(), Doc { text, analysis });
            }
            n::DidChangeTextDocument::METHOD => {
                let Some(doc) = self.docs.get(&uri) else { return Vec::new() };
                let changes = note.params.get("contentChanges").and_then(Value::as_array).cloned().unwrap_or_default();
                let mut next = doc.text.clone();
                for change in &changes {
                    match text::apply(&next, change) {
                        Ok(t) => next = t,
                        Err(why) => return vec![show_error(&format!("retreat: a change to {uri} was refused: {why}"))],
                    }
                }
                let analysis = self.analyse(&next);
                self.docs.insert(uri.clone(), Doc { text: next, analysis });
            }
            n::DidCloseTextDocument::METHOD => {
                self.docs.remove(&uri);
                let params = serde_json::json!({"uri": uri, "diagnostics": []});
                return vec![Notification::new(n::PublishDiagnostics::METHOD.into(), params)];
            }
            _ => return Vec::new(),
        }
        self.publish(&uri).into_iter().collect()
    }

    fn request(&mut self, req: Request) -> Response {
        let Request { id, method, params } = req;
        let uri = params.pointer("/textDocument/uri").and_then(Value::as_str).unwrap_or("").to_string();
        let Some(doc) = self.docs.get(&uri) else {
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
            r::GotoDefinition::METHOD => at().map(|o| features::definition(doc, &uri, o)),
            r::References::METHOD => at().map(|o| features::references(doc, &uri, o)),
            r::Completion::METHOD => at().map(|o| features::completion(doc, o)),
            r::CodeActionRequest::METHOD => {
                let range = params.get("range").and_then(|r| text::range_offsets(&doc.text, r));
                range.map(|(s, e)| features::code_actions(doc, &uri, s, e))
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
