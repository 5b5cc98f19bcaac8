//! Diagnostics for the open documents: every rule `netvault validate` runs, on the buffers as
//! typed ([`crate::validate::check`] over the whole vault in memory, so `broken-link` and
//! `duplicate-contact` see the other files too and change when they change). Each carries its
//! code, its `--explain` command, and its exact range in UTF-16 positions.

use jiff::civil::Date;
use lsp_types::{DiagnosticSeverity, NumberOrString, Uri};

use crate::contact::{Contact, Parsed};
use crate::diagnostic::{Code, Diagnostic, Severity};

use super::state::Vault;
use super::{Severities, convert, links};

/// `(uri, version, diagnostics)` for every open document.
pub fn for_open_documents(
    vault: &Vault,
    today: Date,
    severities: &Severities,
) -> Vec<(Uri, Option<i32>, Vec<lsp_types::Diagnostic>)> {
    let mut out = Vec::new();
    for (key, doc) in &vault.open {
        let list = if let Some(parsed) = vault.parsed(key) {
            let found = check(vault, parsed, today);
            convert_all(parsed, &doc.text, found.iter(), severities)
        } else {
            // Not a contact file (outside the vault, or excluded by its globs, as README.md is
            // by default): `validate` says nothing about it, and neither does the editor.
            Vec::new()
        };
        out.push((doc.uri.clone(), Some(doc.version), list));
    }
    out
}

/// `validate`'s findings for one file of the vault: [`crate::validate::check`] run on the file
/// and the only others its vault-wide rules can involve — the contacts its links and
/// `introduced_by` could name, and those sharing an email or `LinkedIn` profile with it — so
/// the answer is the whole vault's, at the cost of a handful of files.
pub fn check(vault: &Vault, parsed: &Parsed, today: Date) -> Vec<Diagnostic> {
    let mut subset: Vec<Parsed> = vec![parsed.clone()];
    if let Some(c) = &parsed.contact {
        let names = c.wikilinks.iter().chain(&c.introduced_by).map(String::as_str);
        let emails: Vec<String> = c.emails.iter().map(|e| e.trim().to_lowercase()).collect();
        let linkedin = c.linkedin();
        let shares = |o: &Contact| {
            o.emails.iter().any(|e| emails.contains(&e.trim().to_lowercase()))
                || linkedin.is_some() && o.linkedin() == linkedin
        };
        let sharing: Vec<&str> = if emails.is_empty() && linkedin.is_none() {
            Vec::new()
        } else {
            vault
                .contacts()
                .filter(|o| shares(o))
                .map(|o| o.path.as_str())
                .collect()
        };
        subset.extend(
            vault
                .candidates(names, &sharing)
                .into_iter()
                .filter(|p| p.path != parsed.path)
                .cloned(),
        );
    }
    let mut found = crate::validate::check(&subset, &[], &vault.config, today);
    found.retain(|d| d.path == parsed.path);
    found
}

fn convert_all<'d>(
    parsed: &Parsed,
    buffer: &str,
    found: impl Iterator<Item = &'d Diagnostic>,
    severities: &Severities,
) -> Vec<lsp_types::Diagnostic> {
    found
        .filter_map(|d| {
            let severity = match severities.get(d.code.as_str()) {
                Some(None) => return None,
                Some(Some(s)) => *s,
                None => match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                },
            };
            Some(to_lsp(parsed, buffer, d, severity))
        })
        .collect()
}

/// One diagnostic in the protocol's terms. Ranges are bytes of the parsed source (the text
/// after a BOM); the buffer's BOM, when it has one, is one UTF-16 unit on the first line.
pub fn to_lsp(parsed: &Parsed, buffer: &str, d: &Diagnostic, severity: DiagnosticSeverity) -> lsp_types::Diagnostic {
    let source = &parsed.source;
    let text = source.text();
    let bytes = d.range.clone().filter(|r| r.end <= text.len()).unwrap_or_else(|| {
        let start = source.lines().offset(text, d.line, d.column);
        start..start
    });
    let bytes = match d.code {
        Code::BrokenLink => link_on_line(source, d).unwrap_or(bytes),
        Code::BadEmail | Code::DuplicateContact => value_named(text, &bytes, &d.message).unwrap_or(bytes),
        _ => bytes,
    };
    let mut range = convert::range(source.lines(), text, &bytes);
    if buffer.starts_with('\u{feff}') {
        for p in [&mut range.start, &mut range.end] {
            if p.line == 0 {
                p.character += 1;
            }
        }
    }
    lsp_types::Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.as_str().into())),
        code_description: None,
        source: Some("netvault".into()),
        message: format!(
            "{}\nhelp: {}\nexplain: netvault validate --explain {}",
            d.message,
            d.hint,
            d.code.as_str()
        ),
        related_information: None,
        tags: None,
        data: Some(serde_json::json!({
            "explain": format!("netvault validate --explain {}", d.code.as_str()),
            "hint": d.hint,
        })),
    }
}

/// `bad-email` and `duplicate-contact` point at the first character of their field's value:
/// the value they are about is the message's email or URL, on that line or the next few (a
/// block list), found case-insensitively.
fn value_named(text: &str, at: &std::ops::Range<usize>, message: &str) -> Option<std::ops::Range<usize>> {
    let named: Vec<&str> = message
        .split(|c: char| c.is_whitespace() || c == '"')
        .filter(|w| w.contains('@') || w.contains("linkedin."))
        .map(|w| w.trim_end_matches([',', '.', ';']))
        .collect();
    let end = text[at.start..]
        .match_indices('\n')
        .nth(8)
        .map_or(text.len(), |(i, _)| at.start + i);
    let lower = text[at.start..end].to_lowercase();
    if lower.len() != end - at.start {
        return None;
    }
    named.iter().find_map(|w| {
        let i = lower.find(&w.to_lowercase())?;
        Some(at.start + i..at.start + i + w.len())
    })
}

/// A `broken-link` is reported at its line (a body link) or at its field's value: the link it
/// is about, exactly, is the one whose target the message names — on that line if one is, else
/// anywhere in the file (a later item of an `introduced_by` list).
fn link_on_line(source: &crate::span::Source, d: &Diagnostic) -> Option<std::ops::Range<usize>> {
    let text = source.text();
    let named: Vec<(usize, std::ops::Range<usize>)> = links::links(text)
        .into_iter()
        .filter(|l| {
            let target = l.target_text(text);
            d.message.contains(&format!("{target:?}")) || d.message.contains(&format!("[[{target}]]"))
        })
        .map(|l| (source.line_col(l.whole.start).0, l.whole))
        .collect();
    named
        .iter()
        .find(|(line, _)| *line == d.line)
        .or_else(|| named.first())
        .map(|(_, r)| r.clone())
}
