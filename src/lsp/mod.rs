//! `netvault lsp`: a language server over stdio (rust-analyzer's `lsp-server`, synchronous: one
//! thread answers, in order). It holds the vault parsed in memory ([`state::Vault`]), with the
//! editor's unsaved buffers in place of their files, and keeps it live from the editor's
//! notifications and from the same file-system watcher `netvault watch` uses ([`crate::watch`]);
//! it needs no index, so it takes no lock and runs beside a `watch`.
//!
//! Features, one file each: [`diagnostics`] (every `validate` rule on the buffers as typed),
//! [`complete`] (contacts after `[[` and in `introduced_by`, keys, values, hashtags),
//! [`navigate`] (hover cards, definition, references, workspace symbols), [`rename`] (a
//! contact: its file and every mention, one `WorkspaceEdit`), [`actions`] (fix a typo key, log
//! today, snooze, done, follow-up). [`convert`] turns URIs and UTF-16 positions into paths and
//! byte offsets; [`links`] finds where a text names contacts.
//!
//! A handler that panics is answered with an error and the server goes on; a malformed buffer
//! is parsed as every file is (problems are diagnostics). Idle, the server blocks on its two
//! channels: no polling.

mod actions;
mod complete;
mod convert;
mod diagnostics;
mod links;
mod navigate;
mod rename;
mod state;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc;

use jiff::civil::Date;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, DiagnosticSeverity, HoverProviderCapability, InitializeParams,
    OneOf, RenameOptions, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::boundary::Boundary;
use crate::config::VaultConfig;
use crate::error::{Error, Result};
use crate::vault;

pub use state::Vault;

/// What the command resolved: the vault when `--vault` named one (else the editor's workspace
/// decides), the working directory, and the clock (`--today` fixes it).
pub struct Setup<'a> {
    pub vault: Option<(PathBuf, VaultConfig, Boundary)>,
    pub cwd: PathBuf,
    pub today: &'a dyn Fn() -> Date,
}

/// What the server's one thread waits for.
enum Event {
    Lsp(Message),
    Fs(crate::watch::Message),
    /// The editor closed the connection.
    Closed,
}

/// Per-code severities from the client's `initializationOptions`:
/// `{"severity": {"unknown-field-typo": "error", "missing-field": "off"}}`.
type Severities = HashMap<String, Option<DiagnosticSeverity>>;

struct Server<'a> {
    vault: Vault,
    today: &'a dyn Fn() -> Date,
    severities: Severities,
    sender: Sender,
    /// Documents whose diagnostics may be out of date.
    dirty: bool,
    shutting_down: bool,
}

/// Sends one message to the editor; false once the connection is closed. (`lsp-server`'s
/// channel behind a closure: its crate is not a dependency of ours.)
type Sender = Box<dyn Fn(Message) -> bool>;

fn io_error(e: impl std::fmt::Display) -> Error {
    Error::io("stdio", std::io::Error::other(e.to_string()))
}

/// Serve one editor on stdin/stdout until it sends `exit` (or closes the pipe).
pub fn serve(setup: &Setup<'_>) -> Result<()> {
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection.initialize_start().map_err(io_error)?;
    let init: InitializeParams = serde_json::from_value(params).map_err(io_error)?;
    let opened = open_vault(setup, &init).and_then(|(root, config, boundary)| Vault::load(root, config, boundary));
    let vault = match opened {
        Ok(v) => v,
        Err(e) => {
            let message = format!("netvault lsp: {e}");
            let _ = connection
                .sender
                .send(Response::new_err(id, ErrorCode::RequestFailed as i32, message).into());
            drop(connection);
            let _ = io_threads.join();
            return Err(e);
        }
    };
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": {"name": "netvault", "version": env!("CARGO_PKG_VERSION")},
    });
    connection.initialize_finish(id, result).map_err(io_error)?;
    let severities = severities(init.initialization_options.as_ref());
    let lsp_sender = connection.sender.clone();
    let sender: Sender = Box::new(move |m| lsp_sender.send(m).is_ok());

    let (tx, rx) = mpsc::channel::<Event>();
    let receiver = connection.receiver.clone();
    let lsp_tx = tx.clone();
    std::thread::spawn(move || {
        for message in receiver {
            if lsp_tx.send(Event::Lsp(message)).is_err() {
                return;
            }
        }
        let _ = lsp_tx.send(Event::Closed);
    });
    let (watch_tx, watch_rx) = mpsc::channel();
    // Without a watcher (a kernel limit, an odd file system) the server still works on what
    // the editor sends; it says so in its log.
    let watch = crate::watch::start(&vault.real_root, watch_tx)
        .inspect_err(|e| eprintln!("netvault lsp: not watching the vault's files: {e}"))
        .ok();
    std::thread::spawn(move || {
        for message in watch_rx {
            if tx.send(Event::Fs(message)).is_err() {
                return;
            }
        }
    });
    drop(connection);

    let mut server = Server {
        vault,
        today: setup.today,
        severities,
        sender,
        dirty: false,
        shutting_down: false,
    };
    'serve: while let Ok(event) = rx.recv() {
        if !server.handle(event) {
            break;
        }
        // Everything already queued first (a burst of keystrokes), then diagnostics once.
        while let Ok(event) = rx.try_recv() {
            if !server.handle(event) {
                break 'serve;
            }
        }
        if server.dirty {
            server.dirty = false;
            server.publish_diagnostics();
        }
    }
    drop(watch);
    drop(server);
    io_threads.join().map_err(io_error)?;
    Ok(())
}

/// The vault: `--vault`, else the nearest vault around the editor's workspace folder (the
/// folder itself when none holds `.netvault/`), else around the working directory.
fn open_vault(setup: &Setup<'_>, init: &InitializeParams) -> Result<(PathBuf, VaultConfig, Boundary)> {
    if let Some(v) = &setup.vault {
        return Ok(v.clone());
    }
    #[allow(deprecated)] // reason: old clients send only rootUri
    let workspace = init
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|f| f.uri.clone())
        .or_else(|| init.root_uri.clone())
        .and_then(|uri| convert::uri_to_path(&uri));
    let start = workspace.unwrap_or_else(|| setup.cwd.clone());
    let root = vault::find_root(None, &start).unwrap_or(start);
    let config = vault::load_config(&root)?;
    let boundary = Boundary::new(&root)?;
    Ok((root, config, boundary))
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::INCREMENTAL)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["[".into(), "#".into(), ":".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

fn severities(options: Option<&Value>) -> Severities {
    let Some(map) = options.and_then(|o| o.get("severity")).and_then(Value::as_object) else {
        return Severities::new();
    };
    map.iter()
        .filter_map(|(code, level)| {
            let level = match level.as_str()?.to_ascii_lowercase().as_str() {
                "error" => Some(DiagnosticSeverity::ERROR),
                "warning" => Some(DiagnosticSeverity::WARNING),
                "information" | "info" => Some(DiagnosticSeverity::INFORMATION),
                "hint" => Some(DiagnosticSeverity::HINT),
                "off" | "none" => None,
                _ => return None,
            };
            Some((code.clone(), level))
        })
        .collect()
}

fn params<P: DeserializeOwned>(value: Value) -> std::result::Result<P, String> {
    serde_json::from_value(value).map_err(|e| format!("invalid parameters: {e}"))
}

fn json(value: impl serde::Serialize) -> std::result::Result<Value, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
}

impl Server<'_> {
    fn send(&self, message: Message) {
        if !(self.sender)(message) {
            eprintln!("netvault lsp: the editor's connection is closed");
        }
    }

    /// One event; false when the server must stop.
    fn handle(&mut self, event: Event) -> bool {
        match event {
            Event::Closed => false,
            Event::Fs(crate::watch::Message::Batch(batch)) => {
                self.dirty |= self.vault.apply(&batch);
                true
            }
            Event::Fs(crate::watch::Message::Errors(_)) => {
                let rescan = crate::watch::Batch {
                    rescan: true,
                    ..crate::watch::Batch::default()
                };
                self.dirty |= self.vault.apply(&rescan);
                true
            }
            // Watching stopped for good (a kernel limit) or was never the server's to stop:
            // what the editor sends still counts; answers to our own requests are none.
            Event::Fs(crate::watch::Message::TooManyWatches | crate::watch::Message::Stop)
            | Event::Lsp(Message::Response(_)) => true,
            Event::Lsp(Message::Request(request)) => {
                self.request(request);
                true
            }
            Event::Lsp(Message::Notification(n)) if n.method == "exit" => false,
            Event::Lsp(Message::Notification(n)) => {
                let method = n.method.clone();
                if let Err(problem) = crate::quiet_panics(|| self.notification(n)) {
                    eprintln!("netvault lsp: {method} panicked: {problem}; the server goes on");
                }
                true
            }
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if request.method == "shutdown" {
            self.shutting_down = true;
            self.send(Response::new_ok(id, Value::Null).into());
            return;
        }
        if self.shutting_down {
            let message = "the server is shutting down".to_string();
            self.send(Response::new_err(id, ErrorCode::InvalidRequest as i32, message).into());
            return;
        }
        let method = request.method.clone();
        let response = match crate::quiet_panics(|| self.answer(&request.method, request.params)) {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(message)) => Response::new_err(id, ErrorCode::RequestFailed as i32, message),
            Err(problem) => {
                eprintln!("netvault lsp: {method} panicked: {problem}; the server goes on");
                let message = format!("netvault lsp: {method} failed inside the server ({problem}); please report it");
                Response::new_err(id, ErrorCode::InternalError as i32, message)
            }
        };
        self.send(response.into());
    }

    fn answer(&mut self, method: &str, p: Value) -> std::result::Result<Value, String> {
        let today = (self.today)();
        let v = &self.vault;
        match method {
            "textDocument/completion" => json(complete::complete(v, &params(p)?, today)),
            "textDocument/hover" => json(navigate::hover(v, &params(p)?, today)),
            "textDocument/definition" => json(navigate::definition(v, &params(p)?)),
            "textDocument/references" => json(navigate::references(v, &params(p)?)),
            "workspace/symbol" => json(navigate::symbols(v, &params(p)?)),
            "textDocument/prepareRename" => json(rename::prepare(v, &params(p)?)),
            "textDocument/rename" => json(rename::rename(v, &params(p)?)?),
            "textDocument/codeAction" => json(actions::actions(v, &params(p)?, today)),
            // A handler that panics, so that tests/it/lsp.rs can check the server answers with an
            // error and goes on (debug builds only).
            #[cfg(debug_assertions)]
            "netvault/testPanic" => panic!("a test asked for a panic"),
            _ => Err(format!("netvault lsp does not answer {method}")),
        }
    }

    fn notification(&mut self, n: Notification) {
        use lsp_types::{DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams};
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    let doc = p.text_document;
                    self.vault.set_doc(doc.uri, doc.version, doc.text);
                    self.dirty = true;
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                    let key = self.vault.doc_key(&p.text_document.uri);
                    let Some(doc) = self.vault.open.get(&key) else {
                        return;
                    };
                    let mut text = doc.text.clone();
                    for change in &p.content_changes {
                        convert::apply_change(&mut text, change);
                    }
                    self.vault.set_doc(p.text_document.uri, p.text_document.version, text);
                    self.dirty = true;
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                    self.vault.close_doc(&p.text_document.uri);
                    // Its diagnostics go with it.
                    self.publish(p.text_document.uri, None, Vec::new());
                    self.dirty = true;
                }
            }
            // didSave changes nothing the buffer did not already say; the watcher sees the file.
            _ => {}
        }
    }

    fn publish_diagnostics(&self) {
        let today = (self.today)();
        let published = crate::quiet_panics(|| diagnostics::for_open_documents(&self.vault, today, &self.severities));
        match published {
            Ok(all) => {
                for (uri, version, list) in all {
                    self.publish(uri, version, list);
                }
            }
            Err(problem) => eprintln!("netvault lsp: diagnostics panicked: {problem}; the server goes on"),
        }
    }

    fn publish(&self, uri: lsp_types::Uri, version: Option<i32>, diagnostics: Vec<lsp_types::Diagnostic>) {
        let params = lsp_types::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into());
    }
}
