//! Validation rules that need more than one file, or today's date (SPEC §9).
//!
//! Per-file format rules (YAML, types, dates, spans, status, encoding, conflict markers) are
//! found while parsing, in [`crate::contact`]; this module adds `bad-email`, `future-log-entry`,
//! `broken-link` (an `introduced_by` that names no contact or several, a wikilink that names
//! several; names resolved by [`crate::resolve`]), `duplicate-contact` and `missing-field`, and
//! puts every finding in one stable order. Pure: the vault's parsed files and today come in, diagnostics go out.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::config::VaultConfig;
use crate::contact::{Contact, Parsed, Pos};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::resolve::{Entry, Name, Resolution, Resolver, Usage};
use crate::span::Source;

/// Every diagnostic for the vault, sorted by path, line and column.
pub fn check(files: &[Parsed], walk_problems: &[Diagnostic], config: &VaultConfig, today: Date) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = walk_problems.to_vec();
    let contacts: Vec<(&Contact, &Source)> = files
        .iter()
        .filter_map(|p| p.contact.as_ref().map(|c| (c, &p.source)))
        .collect();
    let names = Resolver::new(contacts.iter().map(|(c, _)| Entry::from(*c)));
    for parsed in files {
        out.extend(parsed.diagnostics.iter().cloned());
        if let Some(contact) = &parsed.contact {
            check_contact((contact, &parsed.source), config, today, &names, &mut out);
        }
    }
    duplicates(&contacts, &mut out);
    out.sort_by(|a, b| (&a.path, a.line, a.column, a.code).cmp(&(&b.path, b.line, b.column, b.code)));
    out.dedup();
    out
}

/// Counts of errors and warnings.
pub fn tally(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    (errors, diagnostics.len() - errors)
}

/// A contact's file, as parsed: the diagnostics' ranges point into its source.
type File<'a> = (&'a Contact, &'a Source);

/// At the value of `field` (the file's start when it has none).
fn at((contact, source): File<'_>, field: &str, code: Code, message: String, hint: impl Into<String>) -> Diagnostic {
    let pos = contact
        .positions
        .get(field)
        .copied()
        .unwrap_or(Pos { line: 1, column: 1 });
    on_line((contact, source), (pos.line, pos.column), code, message, hint)
}

/// At one character of `contact`'s file.
fn on_line(
    (contact, source): File<'_>,
    at: (usize, usize),
    code: Code,
    message: String,
    hint: impl Into<String>,
) -> Diagnostic {
    let mut d = Diagnostic::spanning(code, source, at, 1, message, hint);
    d.path.clone_from(&contact.path);
    d
}

fn check_contact(file: File<'_>, config: &VaultConfig, today: Date, names: &Resolver<'_>, out: &mut Vec<Diagnostic>) {
    let contact = file.0;
    for email in &contact.emails {
        if !plausible_email(email) {
            out.push(at(
                file,
                "emails",
                Code::BadEmail,
                format!("{email:?} does not look like an email address"),
                "write it as name@example.org, or move it to a field of your own",
            ));
        }
    }
    for entry in contact.log.iter().filter(|e| e.date > today) {
        out.push(on_line(
            file,
            (entry.line, 1),
            Code::FutureLogEntry,
            format!("this log entry is dated {}, after today ({today})", entry.date),
            "fix the date if it is a typo; plans belong in `## Tasks` or `follow_up` (the entry does not count as contact until that day)",
        ));
    }
    for target in &contact.introduced_by {
        match names.resolve(&Name::new(target), Usage::Link) {
            Resolution::Found(_) => {}
            Resolution::Missing => out.push(at(
                file,
                "introduced_by",
                Code::BrokenLink,
                format!("`introduced_by` names {target:?}, but no contact has that file name, name or alias"),
                format!("create a contact for {target:?} (netvault add), or correct the spelling"),
            )),
            Resolution::Ambiguous(all) => out.push(at(
                file,
                "introduced_by",
                Code::BrokenLink,
                ambiguous("`introduced_by`", target, names, &all),
                AMBIGUOUS_HINT,
            )),
        }
    }
    // A wikilink to nobody is a lead (a name to contact), not a mistake; one to several
    // contacts is: reports cannot follow it.
    for (i, target) in contact.wikilinks.iter().enumerate() {
        if let Resolution::Ambiguous(all) = names.resolve(&Name::new(target), Usage::Link) {
            let line = contact.wikilink_lines.get(i).copied().unwrap_or(1);
            out.push(on_line(
                file,
                (line, 1),
                Code::BrokenLink,
                ambiguous("the link", &format!("[[{target}]]"), names, &all),
                AMBIGUOUS_HINT,
            ));
        }
    }
    for field in &config.required {
        let present = contact
            .positions
            .contains_key(crate::contact::canonical_field(field).unwrap_or(field.as_str()))
            || contact.custom.iter().any(|(k, _)| k == field);
        if !present {
            let mut d = Diagnostic::new(
                Code::MissingField,
                1,
                1,
                format!("the vault requires `{field}`, and this contact has none"),
                format!("add a `{field}:` line to the front matter (required by .netvault/config.toml)"),
            );
            d.path.clone_from(&contact.path);
            out.push(d);
        }
    }
}

/// One `@`, text on both sides, a dot inside the domain, no spaces.
pub fn plausible_email(email: &str) -> bool {
    let email = email.trim().trim_start_matches("mailto:");
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
}

const AMBIGUOUS_HINT: &str =
    "write the file's path to choose one, e.g. [[people/Jane Doe]], or give one of them another alias";

fn ambiguous(what: &str, target: &str, names: &Resolver<'_>, all: &[usize]) -> String {
    let paths: Vec<&str> = all.iter().map(|&i| names.entry(i).path).collect();
    format!(
        "{what} {target} is ambiguous: it matches several contacts ({})",
        paths.join(", ")
    )
}

/// `duplicate-contact`: the same email (case-insensitive) or `LinkedIn` URL in two files.
fn duplicates(contacts: &[File<'_>], out: &mut Vec<Diagnostic>) {
    let mut by_key: BTreeMap<(&'static str, String), Vec<File<'_>>> = BTreeMap::new();
    for &(c, source) in contacts {
        let mut keys: Vec<(&'static str, String)> =
            c.emails.iter().map(|e| ("emails", e.trim().to_lowercase())).collect();
        keys.extend(c.linkedin().map(|u| ("links", u)));
        keys.sort();
        keys.dedup();
        for key in keys {
            by_key.entry(key).or_default().push((c, source));
        }
    }
    for ((field, value), group) in by_key.iter().filter(|(_, g)| g.len() > 1) {
        for &(c, source) in group {
            let others: Vec<&str> = group
                .iter()
                .filter(|(o, _)| o.path != c.path)
                .map(|(o, _)| o.path.as_str())
                .collect();
            let what = if *field == "emails" {
                "email"
            } else {
                "LinkedIn profile"
            };
            out.push(at(
                (c, source),
                field,
                Code::DuplicateContact,
                format!("the {what} {value} is also in {}", others.join(", ")),
                "if these are the same person, merge the files into one",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_plausibility() {
        assert!(plausible_email("jane@example.org"));
        assert!(plausible_email("mailto:a.b+c@x.co.uk"));
        for bad in ["not-an-email", "a@b", "@x.org", "a@@x.org", "a b@x.org", "a@x..org"] {
            assert!(!plausible_email(bad), "{bad}");
        }
    }
}
