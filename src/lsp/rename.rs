//! Renaming a contact, from a mention of it (a `[[link]]`, an `introduced_by` name), from its
//! file's `name:` or from its `# heading`: one `WorkspaceEdit` that changes the file's `name:`
//! (through [`crate::edit::set_key`], so only that line differs) and heading, every mention in
//! the vault that named it by its file name or name (a mention by alias still resolves and is
//! left alone), then renames the file. Nothing is written by the server: the editor applies it.

use std::collections::BTreeMap;
use std::ops::Range;

use lsp_types::{
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier, PrepareRenameResponse,
    RenameFile, RenameParams, ResourceOp, TextDocumentEdit, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
};

use crate::frontmatter::{self, Split};
use crate::resolve::key;
use crate::span::LineIndex;

use super::convert;
use super::navigate::{self, Spot};
use super::state::Vault;

/// What a rename at a spot is about: the contact (its path) and the text the cursor is on.
fn target(vault: &Vault, spot: &Spot<'_>) -> Option<(String, Range<usize>)> {
    if super::links::link_at(spot.text, spot.offset).is_some() {
        return navigate::linked(vault, spot).map(|(link, path)| (path, link.target));
    }
    let contact = vault.contact(&spot.rel)?;
    let own = own_name_ranges(spot.text, &contact.name);
    [own.name, own.heading]
        .into_iter()
        .flatten()
        .find(|r| r.start <= spot.offset && spot.offset <= r.end)
        .map(|r| (contact.path.clone(), r))
}

/// Where a file names its own contact: the value of `name:`, and a first `# heading` that says
/// the same name.
struct Own {
    name: Option<Range<usize>>,
    heading: Option<Range<usize>>,
}

fn own_name_ranges(text: &str, name: &str) -> Own {
    let (bom, t) = frontmatter::strip_bom(text);
    let base = if bom { 3 } else { 0 };
    let mut out = Own {
        name: None,
        heading: None,
    };
    let mut body = 0;
    if let Split::Block(block) = frontmatter::split(t) {
        body = block.body.start;
        for k in frontmatter::scan_keys(t, &block) {
            if crate::contact::canonical_field(&k.key) == Some("name") {
                let line = &t[k.bytes.clone()];
                let line = line.lines().next().unwrap_or("");
                if let Some(col) = k.value_column {
                    let start = line.char_indices().nth(col - 1).map_or(line.len(), |(b, _)| b);
                    let value = line[start..].split(" #").next().unwrap_or("").trim_end();
                    let inner = value.trim_matches(['"', '\'']);
                    let lead = value.find(inner).unwrap_or(0);
                    let s = k.bytes.start + start + lead;
                    out.name = Some(s + base..s + base + inner.len());
                }
            }
        }
    }
    let mut offset = body;
    for line in t[body..].split_inclusive('\n') {
        if let Some(heading) = line.strip_prefix("# ") {
            let heading = heading.trim_end();
            if key(heading) == key(name) {
                let s = offset + 2;
                out.heading = Some(s + base..s + base + heading.len());
            }
            break;
        }
        offset += line.len();
    }
    out
}

pub fn prepare(vault: &Vault, p: &TextDocumentPositionParams) -> Option<PrepareRenameResponse> {
    let spot = navigate::spot(vault, p)?;
    let (path, range) = target(vault, &spot)?;
    let contact = vault.contact(&path)?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: convert::range(&LineIndex::new(spot.text), spot.text, &range),
        placeholder: contact.name.clone(),
    })
}

pub fn rename(vault: &Vault, p: &RenameParams) -> Result<Option<WorkspaceEdit>, String> {
    let Some(spot) = navigate::spot(vault, &p.text_document_position) else {
        return Ok(None);
    };
    let path = match target(vault, &spot) {
        Some((path, _)) => path,
        // From anywhere else in a contact's file: that contact.
        None => match vault.contact(&spot.rel) {
            Some(c) => c.path.clone(),
            None => return Err("nothing to rename here: put the cursor on a [[link]], `name:` or the heading".into()),
        },
    };
    let contact = vault.contact(&path).ok_or("the contact's file cannot be read")?;
    let new_name = p.new_name.trim();
    if new_name.contains(['#', '[', ']', '"', ',', '|']) {
        return Err(format!(
            "{new_name:?}: a contact's name cannot hold # [ ] \" , or | (links could not name it)"
        ));
    }
    let stem = crate::edit::safe_file_stem(new_name).ok_or("the new name is empty")?;
    let folder = path.rsplit_once('/').map(|(f, _)| format!("{f}/")).unwrap_or_default();
    let new_rel = format!("{folder}{stem}.md");
    for name in [stem.as_str(), new_name] {
        let taken: Vec<&str> = vault
            .resolve_all(name)
            .into_iter()
            .filter(|other| *other != path)
            .collect();
        if !taken.is_empty() {
            return Err(format!(
                "{name:?} already names {}: links to it would be ambiguous",
                taken.join(", ")
            ));
        }
    }
    if new_rel != path && vault.abs(&new_rel).exists() && !same_file_ignoring_case(&new_rel, &path) {
        return Err(format!("{new_rel} already exists"));
    }

    // Every text edit, by file, on the text the editor sees.
    let mut edits: BTreeMap<String, Vec<TextEdit>> = BTreeMap::new();
    let alias_keys: Vec<String> = contact.aliases.iter().map(|a| key(a)).collect();
    let by_alias = |text: &str| {
        let k = key(text.rsplit('/').next().unwrap_or(text).trim_end_matches(".md"));
        alias_keys.contains(&k) && k != key(&contact.stem) && k != key(&contact.name)
    };
    for (rel, text, link) in navigate::mentions(vault, &path) {
        let old = link.target_text(text);
        if by_alias(old) {
            continue;
        }
        let new_target = if old.contains('/') {
            format!("{folder}{stem}")
        } else {
            stem.clone()
        };
        let lines = LineIndex::new(text);
        edits.entry(rel).or_default().push(TextEdit {
            range: convert::range(&lines, text, &link.target),
            new_text: new_target,
        });
    }
    let own_text = vault.text(&path).ok_or("the contact's file cannot be read")?;
    let own = own_edits(own_text, &contact.name, new_name, &vault.config.fields)?;
    edits.entry(path.clone()).or_default().extend(own);

    let mut operations: Vec<DocumentChangeOperation> = edits
        .into_iter()
        .filter(|(_, e)| !e.is_empty())
        .map(|(rel, mut e)| {
            e.sort_by_key(|t| (t.range.start.line, t.range.start.character));
            e.dedup();
            DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    version: vault.open.get(&rel).map(|d| d.version),
                    uri: vault.uri_of(&rel),
                },
                edits: e.into_iter().map(OneOf::Left).collect(),
            })
        })
        .collect();
    if new_rel != path {
        operations.push(DocumentChangeOperation::Op(ResourceOp::Rename(RenameFile {
            old_uri: vault.uri_of(&path),
            new_uri: vault.uri_of(&new_rel),
            options: None,
            annotation_id: None,
        })));
    }
    Ok(Some(WorkspaceEdit {
        changes: None,
        document_changes: Some(DocumentChanges::Operations(operations)),
        change_annotations: None,
    }))
}

/// A rename that only changes the case of a file name is the same file on case-insensitive
/// file systems.
fn same_file_ignoring_case(a: &str, b: &str) -> bool {
    crate::edit::file_name_key(a) == crate::edit::file_name_key(b)
}

/// The renamed file's own edits: `name:` (when it has one, through `edit.rs`) and a `# heading`
/// that said the old name.
fn own_edits(
    text: &str,
    old_name: &str,
    new_name: &str,
    fields: &BTreeMap<String, String>,
) -> Result<Vec<TextEdit>, String> {
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    if crate::edit::has_key(text, "name", fields) {
        let new =
            crate::edit::set_key_mapped(text, "name", &crate::edit::yaml_scalar(new_name), fields).map_err(|e| e.0)?;
        out.extend(convert::line_edits(text, &new));
    }
    let heading = own_name_ranges(text, old_name).heading;
    if let Some(r) = heading {
        out.push(TextEdit {
            range: convert::range(&lines, text, &r),
            new_text: new_name.to_string(),
        });
    }
    Ok(out)
}
