//! Moving between people: the card a hover shows, definition (a mention → its contact's file),
//! references (who mentions or was introduced by a contact: each range is the mention itself)
//! and workspace symbols (contacts by name, alias or organization, fuzzy).

use jiff::civil::Date;
use lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location, MarkupContent,
    MarkupKind, Position, ReferenceParams, SymbolKind, TextDocumentPositionParams, WorkspaceSymbol,
    WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use crate::contact::Contact;
use crate::resolve::key;
use crate::span::LineIndex;

use super::complete::fuzzy;
use super::convert;
use super::links::{self, Link};
use super::state::Vault;

/// A position in a document the vault knows: its key, its text, the byte offset.
pub struct Spot<'v> {
    pub rel: String,
    pub text: &'v str,
    pub offset: usize,
}

pub fn spot<'v>(vault: &'v Vault, at: &TextDocumentPositionParams) -> Option<Spot<'v>> {
    let rel = vault.doc_key(&at.text_document.uri);
    let text = vault.text(&rel)?;
    let offset = convert::offset(&LineIndex::new(text), text, at.position);
    Some(Spot { rel, text, offset })
}

/// The mention under the cursor and the contact it names (its path), when exactly one.
pub fn linked(vault: &Vault, spot: &Spot<'_>) -> Option<(Link, String)> {
    let link = links::link_at(spot.text, spot.offset)?;
    let path = vault.resolve_link(link.target_text(spot.text))?.to_string();
    Some((link, path))
}

/// The contact a request is about: the one the mention under the cursor names, else the
/// document's own.
fn subject(vault: &Vault, spot: &Spot<'_>) -> Option<String> {
    if links::link_at(spot.text, spot.offset).is_some() {
        return linked(vault, spot).map(|(_, path)| path);
    }
    vault.contact(&spot.rel).map(|c| c.path.clone())
}

pub fn hover(vault: &Vault, p: &HoverParams, today: Date) -> Option<Hover> {
    let spot = spot(vault, &p.text_document_position_params)?;
    let Some((link, path)) = linked(vault, &spot) else {
        return explain(vault, &spot, p.text_document_position_params.position, today);
    };
    let contact = vault.contact(&path)?;
    let lines = LineIndex::new(spot.text);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: card(vault, contact, today),
        }),
        range: Some(convert::range(&lines, spot.text, &link.whole)),
    })
}

/// Off a link, on a problem: what its rule checks and why (`netvault validate --explain`).
fn explain(vault: &Vault, spot: &Spot<'_>, at: Position, today: Date) -> Option<Hover> {
    let parsed = vault.parsed(&spot.rel)?;
    let found = super::diagnostics::check(vault, parsed, today);
    let mut codes: Vec<crate::diagnostic::Code> = found
        .iter()
        .filter(|d| {
            let r = super::diagnostics::to_lsp(parsed, spot.text, d, lsp_types::DiagnosticSeverity::WARNING).range;
            r.start <= at && at <= r.end
        })
        .map(|d| d.code)
        .collect();
    codes.dedup();
    if codes.is_empty() {
        return None;
    }
    let value = codes
        .iter()
        .map(|c| {
            format!(
                "**{}** (`netvault validate --explain {}`)\n\n{}",
                c.as_str(),
                c.as_str(),
                c.explanation()
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n---\n\n");
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    })
}

/// The person's card: who, where they work, last contact, when they are due and why, and what
/// to say next (the follow-up report's own `next`).
pub fn card(vault: &Vault, contact: &Contact, today: Date) -> String {
    use std::fmt::Write as _;
    let mut out = format!("**{}**", contact.name);
    let work: Vec<&str> = [contact.title.as_deref(), contact.organization.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !work.is_empty() {
        let _ = write!(out, " — {}", work.join(", "));
    }
    out.push_str("\n\n");
    let items = crate::report::followups::followups(std::slice::from_ref(contact), &vault.config, today, 365);
    let last = crate::followup::last_contact(contact, today);
    match last {
        Some(date) => {
            let days = (today - date).get_days();
            let _ = writeln!(out, "- last contact: {date} ({days} days ago)");
        }
        None => out.push_str("- last contact: never\n"),
    }
    if let Some(item) = items.first() {
        let why: Vec<String> = item.due.reasons.iter().map(crate::followup::Reason::describe).collect();
        let _ = writeln!(out, "- due: {} — {}", item.due.due, why.join("; "));
    }
    let horizon = today.checked_add(jiff::Span::new().days(7)).unwrap_or(today);
    if let Some(next) = crate::report::followups::next_step(contact, today, horizon) {
        let _ = writeln!(out, "- next: {next}");
    }
    if !contact.circles.is_empty() {
        let _ = writeln!(out, "- circles: {}", contact.circles.join(", "));
    }
    let _ = write!(out, "\n`{}`", contact.path);
    out
}

pub fn definition(vault: &Vault, p: &GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let spot = spot(vault, &p.text_document_position_params)?;
    let (_, path) = linked(vault, &spot)?;
    Some(GotoDefinitionResponse::Scalar(Location {
        uri: vault.uri_of(&path),
        range: lsp_types::Range::new(Position::new(0, 0), Position::new(0, 0)),
    }))
}

/// Every mention of the contact under the cursor (or of the document's own contact), in every
/// file of the vault: the `[[link]]` or `introduced_by` name itself.
pub fn references(vault: &Vault, p: &ReferenceParams) -> Option<Vec<Location>> {
    let spot = spot(vault, &p.text_document_position)?;
    let target = subject(vault, &spot)?;
    Some(
        mentions(vault, &target)
            .into_iter()
            .map(|(rel, text, link)| {
                let lines = LineIndex::new(text);
                Location {
                    uri: vault.uri_of(&rel),
                    range: convert::range(&lines, text, &link.whole),
                }
            })
            .collect(),
    )
}

/// Every mention of the contact at `target` (a path): file, its text, the mention. Only the
/// names whose key is one of the contact's labels (or that are paths) can name it; the
/// resolver confirms each.
pub fn mentions<'v>(vault: &'v Vault, target: &str) -> Vec<(String, &'v str, Link)> {
    let Some(labels) = vault.keys_of(target) else {
        return Vec::new();
    };
    let may_name = |name: &str, k: &str| {
        labels.names.iter().any(|l| l == k)
            || name.contains('/')
            || std::path::Path::new(name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"))
    };
    let names = |name: &str| may_name(name, &key(name)) && vault.resolve_link(name) == Some(target);
    let mut files: Vec<&Contact> = vault
        .files
        .iter()
        .zip(&vault.keys)
        .filter_map(|(parsed, keys)| {
            let c = parsed.contact.as_ref()?;
            let raw = c.wikilinks.iter().chain(&c.introduced_by);
            raw.zip(&keys.mentions)
                .any(|(name, k)| may_name(name, k) && vault.resolve_link(name) == Some(target))
                .then_some(c)
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out = Vec::new();
    for contact in files {
        let Some(text) = vault.text(&contact.path) else {
            continue;
        };
        for link in links::links(text) {
            if names(link.target_text(text)) {
                out.push((contact.path.clone(), text, link));
            }
        }
    }
    out
}

pub fn symbols(vault: &Vault, p: &WorkspaceSymbolParams) -> WorkspaceSymbolResponse {
    let query = key(&p.query);
    let mut found: Vec<(u32, &Contact)> = vault
        .files
        .iter()
        .zip(&vault.keys)
        .filter_map(|(parsed, keys)| {
            let c = parsed.contact.as_ref()?;
            let labels = keys.names.iter().chain(&keys.organization);
            let best = labels.filter_map(|l| fuzzy(&query, l)).min()?;
            Some((best, c))
        })
        .collect();
    found.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    found.truncate(LIMIT);
    WorkspaceSymbolResponse::Nested(
        found
            .into_iter()
            .map(|(_, c)| WorkspaceSymbol {
                name: c.name.clone(),
                kind: SymbolKind::OBJECT,
                tags: None,
                container_name: c.organization.clone(),
                location: lsp_types::OneOf::Left(Location {
                    uri: vault.uri_of(&c.path),
                    range: lsp_types::Range::new(Position::new(0, 0), Position::new(0, 0)),
                }),
                data: None,
            })
            .collect(),
    )
}

/// The most symbols or completions one answer carries (the client asks again as the user types).
pub const LIMIT: usize = 100;
