//! Matching imported people against the vault's contacts and merging what they bring (SPEC §8),
//! for every import format. Pure: contacts and file text in, a match per person and new text out.
//!
//! A person matches a contact by profile URL (percent-decoded and normalised), then email (case
//! ignored), then exact name (case and accents folded). A matched file only gains the fields it
//! lacks; a different non-empty organization or title is a job change, reported, and it sets
//! `follow_up` to today unless the file already has one. Nothing the user wrote is overwritten.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use crate::contact::{Contact, Parsed};
use crate::edit::{self, EditError, yaml_list, yaml_scalar};
use crate::fold::fold;

use super::{Person, url_key};

/// Where one imported person goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The contact at this index of the list given to [`match_people`].
    Existing(usize),
    /// A new file.
    New,
    /// Not imported: the reason.
    Skip(String),
}

/// Match every person, in order. A person who is the same as an earlier one of the export (same
/// URL or email), or who lands on a contact an earlier one already matched, is skipped.
pub fn match_people(people: &[Person], contacts: &[&Contact]) -> Vec<Match> {
    let mut by_url: HashMap<String, usize> = HashMap::new();
    let mut by_email: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in contacts.iter().enumerate() {
        if let Some(url) = c.linkedin() {
            by_url.entry(url_key(&url)).or_insert(i);
        }
        for email in &c.emails {
            by_email.entry(email.trim().to_lowercase()).or_insert(i);
        }
        by_name.entry(fold(&c.name)).or_default().push(i);
    }
    let mut seen_url: HashMap<String, usize> = HashMap::new();
    let mut seen_email: HashMap<String, usize> = HashMap::new();
    let mut claimed: HashMap<usize, usize> = HashMap::new();
    people
        .iter()
        .map(|p| {
            let url = p.url.as_deref().map(url_key).filter(|u| !u.is_empty());
            let email = p.email.as_deref().map(|e| e.trim().to_lowercase());
            let earlier = url
                .as_ref()
                .and_then(|u| seen_url.get(u))
                .or_else(|| email.as_ref().and_then(|e| seen_email.get(e)));
            if let Some(line) = earlier {
                return Match::Skip(format!("{}: the same person as line {line}", p.name));
            }
            if let Some(u) = &url {
                seen_url.insert(u.clone(), p.line);
            }
            if let Some(e) = &email {
                seen_email.insert(e.clone(), p.line);
            }
            let found = url
                .as_ref()
                .and_then(|u| by_url.get(u).copied())
                .or_else(|| email.as_ref().and_then(|e| by_email.get(e).copied()));
            let found = match found {
                Some(i) => Some(i),
                None => match by_name.get(&fold(&p.name)).map(Vec::as_slice) {
                    None | Some([]) => None,
                    Some([i]) => Some(*i),
                    Some(several) => {
                        let paths: Vec<&str> = several.iter().map(|&i| contacts[i].path.as_str()).collect();
                        return Match::Skip(format!(
                            "{}: the name matches several contacts ({}); add the LinkedIn URL to the right one",
                            p.name,
                            paths.join(", ")
                        ));
                    }
                },
            };
            match found {
                None => Match::New,
                Some(i) => {
                    if let Some(line) = claimed.get(&i) {
                        return Match::Skip(format!("{}: matches {}, as line {line} does", p.name, contacts[i].path));
                    }
                    claimed.insert(i, p.line);
                    Match::Existing(i)
                }
            }
        })
        .collect()
}

/// A cell as one line of YAML; one that looks like a spreadsheet formula (`=`, `+`, `-`, `@`)
/// is always double-quoted, so it stays plain text wherever it goes next.
pub fn cell_yaml(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@']) {
        edit::double_quoted(value)
    } else {
        yaml_scalar(value)
    }
}

/// `links:` holding the profile URL.
pub fn links_yaml(url: &str) -> String {
    format!("{{linkedin: {}}}", edit::double_quoted(url))
}

/// A job change found on a matched contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobChange {
    /// `Jane Doe: now Data Librarian at Acme (was Archivist at Old Co)`.
    pub message: String,
    /// Whether this merge sets `follow_up` (false when the file already has one).
    pub follow_up_set: bool,
}

/// What a matched file gains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    pub text: String,
    /// The fields added, in order.
    pub added: Vec<&'static str>,
    pub job_change: Option<JobChange>,
}

/// Merge `person` into the file `text`, parsed as `parsed`: fill the missing fields, report a
/// job change. A field counts as missing when absent or empty; a value the contact could not
/// read (a diagnostic on its line) counts as written by the user and is left alone.
pub fn merge(
    person: &Person,
    text: &str,
    parsed: &Parsed,
    fields: &BTreeMap<String, String>,
    today: Date,
) -> Result<Merge, EditError> {
    let Some(contact) = &parsed.contact else {
        return Err(EditError("the file's front matter cannot be read".into()));
    };
    let bad_lines: Vec<usize> = parsed.diagnostics.iter().map(|d| d.line).collect();
    let missing = |field: &str| {
        contact
            .positions
            .get(field)
            .is_none_or(|pos| !bad_lines.contains(&pos.line))
    };
    let mut out = Merge {
        text: text.to_string(),
        added: Vec::new(),
        job_change: None,
    };
    let set = |out: &mut Merge, field: &'static str, yaml: String| -> Result<(), EditError> {
        out.text = edit::set_key_mapped(&out.text, field, &yaml, fields)?;
        out.added.push(field);
        Ok(())
    };
    if let Some(org) = &person.organization
        && contact.organization.is_none()
        && missing("organization")
    {
        set(&mut out, "organization", cell_yaml(org))?;
    }
    if let Some(title) = &person.title
        && contact.title.is_none()
        && missing("title")
    {
        set(&mut out, "title", cell_yaml(title))?;
    }
    if let Some(email) = &person.email
        && contact.emails.is_empty()
        && missing("emails")
    {
        set(&mut out, "emails", yaml_list(&[email]))?;
    }
    if let Some(met) = person.met
        && contact.met.is_none()
        && missing("met")
    {
        set(&mut out, "met", met.to_string())?;
    }
    if let Some(url) = &person.url
        && contact.links.is_empty()
        && missing("links")
    {
        set(&mut out, "links", links_yaml(url))?;
    }
    let differs = |mine: Option<&String>, theirs: Option<&String>| match (mine, theirs) {
        (Some(a), Some(b)) => fold(&super::clean(a)) != fold(&super::clean(b)),
        _ => false,
    };
    if differs(contact.organization.as_ref(), person.organization.as_ref())
        || differs(contact.title.as_ref(), person.title.as_ref())
    {
        let now = job(person.title.as_ref(), person.organization.as_ref());
        let was = job(contact.title.as_ref(), contact.organization.as_ref());
        let follow_up_set = contact.follow_up.is_none() && !edit::has_key(&out.text, "follow_up", fields);
        if follow_up_set {
            set(&mut out, "follow_up", today.to_string())?;
        }
        out.job_change = Some(JobChange {
            message: format!("{}: now {now} (was {was})", contact.name),
            follow_up_set,
        });
    }
    Ok(out)
}

fn job(title: Option<&String>, org: Option<&String>) -> String {
    match (title, org) {
        (Some(t), Some(o)) => format!("{t} at {o}"),
        (Some(t), None) => t.clone(),
        (None, Some(o)) => format!("at {o}"),
        (None, None) => "?".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::parse_file;

    fn person(name: &str) -> Person {
        Person {
            line: 5,
            name: name.into(),
            url: Some("https://www.linkedin.com/in/jos%C3%A9".into()),
            email: Some("Jane@Example.org".into()),
            organization: Some("Acme".into()),
            title: Some("Data Librarian".into()),
            met: Date::new(2021, 3, 15).ok(),
        }
    }

    fn parsed(text: &str) -> Parsed {
        parse_file("Jane.md", text.as_bytes(), &BTreeMap::new())
    }

    #[test]
    fn matches_by_url_then_email_then_name() {
        let by_url = parsed("---\nname: A\nlinks: {linkedin: \"http://linkedin.com/in/José/\"}\n---\n")
            .contact
            .unwrap();
        let by_email = parsed("---\nname: B\nemails: [jane@example.org]\n---\n")
            .contact
            .unwrap();
        let by_name = parsed("---\nname: Jané Doe\n---\n").contact.unwrap();
        let contacts = [&by_url, &by_email, &by_name];
        let mut p = person("x");
        assert_eq!(match_people(&[p.clone()], &contacts), [Match::Existing(0)]);
        p.url = None;
        assert_eq!(match_people(&[p.clone()], &contacts), [Match::Existing(1)]);
        p.email = None;
        p.name = "JANE DOE".into();
        assert_eq!(match_people(&[p.clone()], &contacts), [Match::Existing(2)]);
        p.name = "Someone".into();
        assert_eq!(match_people(&[p], &contacts), [Match::New]);
        let twice = match_people(&[person("x"), person("y")], &[]);
        assert!(matches!(&twice[1], Match::Skip(m) if m.contains("line 5")), "{twice:?}");
    }

    #[test]
    fn merge_fills_only_missing_fields_and_flags_job_changes() {
        let today = Date::new(2026, 11, 27).unwrap();
        let text = "---\nname: Jane Doe # hi\norganization:\ntitle: Archivist\nmet: someday\n---\n";
        let m = merge(&person("Jane Doe"), text, &parsed(text), &BTreeMap::new(), today).unwrap();
        assert_eq!(m.added, ["organization", "emails", "links", "follow_up"]);
        assert_eq!(
            m.text,
            "---\nname: Jane Doe # hi\norganization: Acme\ntitle: Archivist\nmet: someday\nemails: [Jane@Example.org]\nlinks: {linkedin: \"https://www.linkedin.com/in/jos%C3%A9\"}\nfollow_up: 2026-11-27\n---\n"
        );
        let change = m.job_change.unwrap();
        assert_eq!(change.message, "Jane Doe: now Data Librarian at Acme (was Archivist)");
        assert!(change.follow_up_set);
        let again = merge(&person("Jane Doe"), &m.text, &parsed(&m.text), &BTreeMap::new(), today).unwrap();
        assert_eq!(again.text, m.text);
        assert!(again.added.is_empty());
        assert!(!again.job_change.unwrap().follow_up_set);
    }

    #[test]
    fn formula_cells_are_quoted() {
        assert_eq!(cell_yaml("=HYPERLINK(\"x\")"), "\"=HYPERLINK(\\\"x\\\")\"");
        assert_eq!(cell_yaml("Acme"), "Acme");
    }
}
