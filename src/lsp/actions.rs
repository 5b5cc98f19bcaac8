//! Code actions on a contact's buffer: fix a typo key (`folow_up` → `follow_up`), log a
//! conversation today (the log line, and `last_contact` moved when the file keeps one), snooze
//! a week, mark the task under the cursor done, add a follow-up in two weeks. Each new text is
//! made by [`crate::edit`] (the same functions `log`, `snooze`, `done` and `todo` write
//! through) and handed back as the edits of only the lines that changed; the editor applies
//! them to the buffer, so the server never writes a file.

use jiff::civil::Date;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, DiagnosticSeverity, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, WorkspaceEdit,
};

use crate::contact::{Contact, Status, typo_suggestion};
use crate::diagnostic::Code;
use crate::edit::{self, EditError};

use super::state::Vault;
use super::{convert, diagnostics};

/// The message of the log line the action inserts (the user types over it).
const LOG_MESSAGE: &str = "talked";

pub fn actions(vault: &Vault, p: &CodeActionParams, today: Date) -> Option<Vec<CodeActionOrCommand>> {
    let rel = vault.doc_key(&p.text_document.uri);
    let text = vault.text(&rel)?;
    let parsed = match vault.parsed(&rel) {
        Some(parsed) => parsed.clone(),
        None => vault.parse(&rel, text),
    };
    let mut out = Vec::new();
    let (first, last) = (p.range.start.line, p.range.end.line);
    for d in parsed.diagnostics.iter().filter(|d| d.code == Code::UnknownFieldTypo) {
        let diagnostic = diagnostics::to_lsp(&parsed, text, d, DiagnosticSeverity::WARNING);
        if diagnostic.range.end.line < first || diagnostic.range.start.line > last {
            continue;
        }
        let Some(range) = d.range.clone() else {
            continue;
        };
        let Some(suggestion) = typo_suggestion(&parsed.source.text()[range]) else {
            continue;
        };
        let edit = lsp_types::TextEdit {
            range: diagnostic.range,
            new_text: suggestion.to_string(),
        };
        out.push(action(
            vault,
            &rel,
            format!("Rename the key to `{suggestion}`"),
            CodeActionKind::QUICKFIX,
            vec![edit],
            Some(diagnostic),
        ));
    }
    if let Some(contact) = &parsed.contact {
        let fields = &vault.config.fields;
        let week = today.checked_add(jiff::Span::new().weeks(1)).ok()?;
        let fortnight = today.checked_add(jiff::Span::new().weeks(2)).ok()?;
        let mut offer = |title: String, new: Result<String, EditError>| {
            if let Ok(new) = new
                && new != text
            {
                let edits = convert::line_edits(text, &new);
                out.push(action(
                    vault,
                    &rel,
                    title,
                    CodeActionKind::REFACTOR_REWRITE,
                    edits,
                    None,
                ));
            }
        };
        offer(
            format!("Log a conversation today ({today})"),
            log_today(text, contact, today, vault),
        );
        let cursor_line = p.range.start.line as usize + 1;
        if let Some(task) = contact.tasks.iter().find(|t| !t.done && t.line == cursor_line) {
            let title = format!("Mark done: {}", crate::followup::strip_due(&task.text));
            offer(title, edit::tick_task(text, task.line, today));
        }
        offer(
            format!("Snooze 1 week (until {week})"),
            edit::set_key_mapped(text, "snooze_until", &week.to_string(), fields),
        );
        offer(
            format!("Add a follow-up in 2 weeks ({fortnight})"),
            edit::set_key_mapped(text, "follow_up", &fortnight.to_string(), fields),
        );
    }
    if let Some(only) = &p.context.only {
        out.retain(|a| match a {
            CodeActionOrCommand::CodeAction(a) => a
                .kind
                .as_ref()
                .is_some_and(|k| only.iter().any(|o| k.as_str().starts_with(o.as_str()))),
            CodeActionOrCommand::Command(_) => false,
        });
    }
    Some(out)
}

/// `netvault log`'s edit for today: the entry, `last_contact` moved when the file has that key
/// (the entry counts as contact anyway), and a dormant contact made active.
fn log_today(text: &str, contact: &Contact, today: Date, vault: &Vault) -> Result<String, EditError> {
    let fields = &vault.config.fields;
    let mut new = edit::insert_log_entry(text, today, LOG_MESSAGE)?;
    if edit::has_key(text, "last_contact", fields) && contact.last_contact.is_some_and(|c| today > c) {
        new = edit::set_key_mapped(&new, "last_contact", &today.to_string(), fields)?;
    }
    if contact.status == Status::Dormant {
        new = edit::set_key_mapped(&new, "status", "active", fields)?;
    }
    Ok(new)
}

fn action(
    vault: &Vault,
    rel: &str,
    title: String,
    kind: CodeActionKind,
    edits: Vec<lsp_types::TextEdit>,
    diagnostic: Option<lsp_types::Diagnostic>,
) -> CodeActionOrCommand {
    let uri = vault.open.get(rel).map_or_else(|| vault.uri_of(rel), |d| d.uri.clone());
    let preferred = diagnostic.is_some();
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic.map(|d| vec![d]),
        edit: Some(WorkspaceEdit {
            changes: None,
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri,
                    version: vault.open.get(rel).map(|d| d.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            change_annotations: None,
        }),
        command: None,
        is_preferred: preferred.then_some(true),
        disabled: None,
        data: None,
    })
}
