//! Matching imported people against the vault's contacts and merging what they bring (SPEC §8),
//! for every import format. Pure: contacts and file text in, a match per person and new text out.
//!
//! A person matches a contact by profile URL (percent-decoded and normalised), then email (case
//! ignored), then name: [`crate::resolve`] as for links (a file name, `name` or alias; case,
//! accents and typographic apostrophes and dashes ignored), never a prefix. A matched file only gains the fields it
//! lacks, with one exception: a job change (the export's organization or title differs from
//! the file's) sets those fields to the export's values and adds an open task to congratulate,
//! due in a week. Because the fields then hold the export's values, the next import of the
//! same export finds nothing to change, whatever the user did with the task. An import never
//! writes `follow_up`.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use crate::contact::{Contact, NameParts, Parsed};
use crate::edit::{self, EditError, yaml_list, yaml_scalar};
use crate::fold::fold;
use crate::resolve::{Entry, Name, Resolver, Usage, key};

use super::{Person, RowNote, url_key};

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

/// Fold every later entry of the same person into the first: the same profile URL, or the same
/// email and the same name (two cards sharing an office or family address stay two people).
/// The first entry keeps its values; it gains the ones it lacks and every further email,
/// phone, address, alias and tag. Each folded entry is reported as a note.
pub fn merge_duplicates(people: Vec<Person>) -> (Vec<Person>, Vec<RowNote>) {
    let mut out: Vec<Person> = Vec::with_capacity(people.len());
    let mut by_url: HashMap<String, usize> = HashMap::new();
    let mut by_email_name: HashMap<(String, String), usize> = HashMap::new();
    let mut notes = Vec::new();
    for p in people {
        let url = p.url.as_deref().map(url_key).filter(|u| !u.is_empty());
        let name = key(&p.name);
        let keys: Vec<(String, String)> = p
            .emails
            .iter()
            .map(|e| (e.trim().to_lowercase(), name.clone()))
            .collect();
        let earlier = url
            .as_ref()
            .and_then(|u| by_url.get(u))
            .or_else(|| keys.iter().find_map(|k| by_email_name.get(k)))
            .copied();
        let at = if let Some(i) = earlier {
            notes.push(RowNote {
                line: p.line,
                message: format!("{}: the same person as line {}; merged into it", p.name, out[i].line),
            });
            fold_into(&mut out[i], p);
            i
        } else {
            out.push(p);
            out.len() - 1
        };
        if let Some(u) = url {
            by_url.entry(u).or_insert(at);
        }
        for k in keys {
            by_email_name.entry(k).or_insert(at);
        }
    }
    (out, notes)
}

fn fold_into(first: &mut Person, later: Person) {
    fn union(list: &mut Vec<String>, more: Vec<String>) {
        for value in more {
            if !list.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
                list.push(value);
            }
        }
    }
    first.url = first.url.take().or(later.url);
    first.organization = first.organization.take().or(later.organization);
    first.title = first.title.take().or(later.title);
    first.location = first.location.take().or(later.location);
    first.name_parts = first.name_parts.take().or(later.name_parts);
    first.connected = first.connected.or(later.connected);
    first.birthday = first.birthday.or(later.birthday);
    first.note = match (first.note.take(), later.note) {
        (Some(a), Some(b)) if a != b => Some(format!("{a}\n\n{b}")),
        (a, b) => a.or(b),
    };
    union(&mut first.emails, later.emails);
    union(&mut first.phones, later.phones);
    union(&mut first.links, later.links);
    union(&mut first.aliases, later.aliases);
    union(&mut first.tags, later.tags);
    union(&mut first.circles, later.circles);
}

/// Match every person, in order (after [`merge_duplicates`]). A profile URL decides; then an
/// email, preferring the contact with that email whose name is the person's too; then the
/// name, as [`crate::resolve`] resolves a link. A contact is matched once: a later person whose URL lands on a contact already taken
/// is skipped, one whose email does is matched by name or made new (a shared address).
pub fn match_people(people: &[Person], contacts: &[&Contact]) -> Vec<Match> {
    let mut by_url: HashMap<String, usize> = HashMap::new();
    let mut by_email: HashMap<String, Vec<usize>> = HashMap::new();
    let resolver = Resolver::new(contacts.iter().map(|c| Entry::from(*c)));
    let names: Vec<String> = contacts.iter().map(|c| key(&c.name)).collect();
    for (i, c) in contacts.iter().enumerate() {
        if let Some(url) = c.linkedin() {
            by_url.entry(url_key(&url)).or_insert(i);
        }
        for email in &c.emails {
            let list = by_email.entry(email.trim().to_lowercase()).or_default();
            if !list.contains(&i) {
                list.push(i);
            }
        }
    }
    let mut claimed: HashMap<usize, usize> = HashMap::new();
    people
        .iter()
        .map(|p| {
            let name = key(&p.name);
            let url = p.url.as_deref().map(url_key).filter(|u| !u.is_empty());
            if let Some(&i) = url.as_ref().and_then(|u| by_url.get(u)) {
                if let Some(line) = claimed.get(&i) {
                    return Match::Skip(format!("{}: matches {}, as line {line} does", p.name, contacts[i].path));
                }
                claimed.insert(i, p.line);
                return Match::Existing(i);
            }
            let mail_hits: Vec<usize> = p
                .emails
                .iter()
                .filter_map(|e| by_email.get(&e.trim().to_lowercase()))
                .flatten()
                .copied()
                .filter(|i| !claimed.contains_key(i))
                .collect();
            let found = mail_hits
                .iter()
                .find(|&&i| names[i] == name)
                .or(mail_hits.first())
                .copied();
            let found = match found {
                Some(i) => Some(i),
                None => match by_name_unclaimed(p, &resolver, &claimed, contacts) {
                    Ok(found) => found,
                    Err(skip) => return skip,
                },
            };
            match found {
                None => Match::New,
                Some(i) => {
                    claimed.insert(i, p.line);
                    Match::Existing(i)
                }
            }
        })
        .collect()
}

/// The contact not yet matched that the person's name names ([`crate::resolve`], steps 1–2),
/// leaving out namesakes with a different profile URL; several left are a skip.
fn by_name_unclaimed(
    p: &Person,
    resolver: &Resolver<'_>,
    claimed: &HashMap<usize, usize>,
    contacts: &[&Contact],
) -> Result<Option<usize>, Match> {
    // A namesake with another profile URL is someone else.
    let url = p.url.as_deref().map(url_key).filter(|u| !u.is_empty());
    let other_profile = |i: usize| match (&url, contacts[i].linkedin()) {
        (Some(mine), Some(theirs)) => url_key(&theirs) != *mine,
        _ => false,
    };
    let same: Vec<usize> = resolver
        .resolve(&Name::new(&p.name), Usage::Link)
        .all()
        .into_iter()
        .filter(|&i| !claimed.contains_key(&i) && !other_profile(i))
        .collect();
    match same.as_slice() {
        [] => Ok(None),
        [i] => Ok(Some(*i)),
        several => {
            let paths: Vec<&str> = several.iter().map(|&i| contacts[i].path.as_str()).collect();
            Err(Match::Skip(format!(
                "{}: the name matches several contacts ({}); add an email or the LinkedIn URL to the right one",
                p.name,
                paths.join(", ")
            )))
        }
    }
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

/// `links:` for a person: `{linkedin: URL}` when the profile is the only address, else a list
/// of every address, the profile first.
pub fn links_yaml(person: &Person) -> Option<String> {
    match (&person.url, person.links.as_slice()) {
        (None, []) => None,
        (Some(url), []) => Some(format!("{{linkedin: {}}}", edit::double_quoted(url))),
        (url, others) => {
            let all: Vec<String> = url.iter().chain(others).map(|u| edit::double_quoted(u)).collect();
            Some(format!("[{}]", all.join(", ")))
        }
    }
}

/// A list of imported values, each one line of YAML.
pub fn list_yaml(items: &[String]) -> String {
    if items.iter().any(|i| i.starts_with(['=', '+', '-', '@'])) {
        let quoted: Vec<String> = items.iter().map(|i| edit::double_quoted(i)).collect();
        format!("[{}]", quoted.join(", "))
    } else {
        yaml_list(items)
    }
}

/// `name_parts:` as one line of YAML, a flow map of the parts present in vCard `N` order: each
/// part a string, or a list when it has several values.
pub fn name_parts_yaml(parts: &NameParts) -> String {
    let entries: Vec<String> = NameParts::KEYS
        .iter()
        .zip(parts.in_order())
        .filter(|(_, values)| !values.is_empty())
        .map(|(key, values)| match values.as_slice() {
            [one] if one.contains(['\'', '"']) => format!("{key}: {}", edit::double_quoted(one)),
            [one] => format!("{key}: {}", cell_yaml(one)),
            many => format!("{key}: {}", list_yaml(many)),
        })
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// The `note` key's value: double-quoted (line breaks escaped) unless it is one plain line.
pub fn note_yaml(note: &str) -> String {
    if note.contains(['\n', '\r']) {
        edit::double_quoted(note)
    } else {
        cell_yaml(note)
    }
}

/// A job change found on a matched contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobChange {
    /// `Jane Doe: now Data Librarian at Acme (was Archivist at Old Co)`.
    pub message: String,
    /// The open task added under `## Tasks`, as written.
    pub task: String,
    /// Its due date (none only at the end of the calendar).
    pub due: Option<Date>,
}

/// What a matched file gains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    pub text: String,
    /// The fields added, in order.
    pub added: Vec<&'static str>,
    /// The fields a job change set to the export's values, in order.
    pub changed: Vec<&'static str>,
    pub job_change: Option<JobChange>,
}

/// Days from the import to the congratulate task's due date.
const CONGRATULATE_WITHIN_DAYS: i64 = 7;

/// Merge `person` into the file `text`, parsed as `parsed`: fill the missing fields; on a job
/// change set `organization` and `title` to the export's values and add the congratulate task.
/// A field counts as missing when absent or empty; a value the contact could not read (a
/// diagnostic on its line) counts as written by the user and is left alone. Organization and
/// title are compared with case, accents and runs of whitespace ignored; one the export leaves
/// empty is no change (the file keeps its value), and one the file lacks is filled, not changed.
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
        changed: Vec::new(),
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
    if let Some(location) = &person.location
        && contact.location.is_none()
        && missing("location")
    {
        set(&mut out, "location", cell_yaml(location))?;
    }
    if let Some(parts) = &person.name_parts
        && contact.name_parts.is_none()
        && missing("name_parts")
    {
        set(&mut out, "name_parts", name_parts_yaml(parts))?;
    }
    if !person.emails.is_empty() && contact.emails.is_empty() && missing("emails") {
        set(&mut out, "emails", list_yaml(&person.emails))?;
    }
    if !person.phones.is_empty() && contact.phones.is_empty() && missing("phones") {
        set(&mut out, "phones", list_yaml(&person.phones))?;
    }
    // Whatever its value, a `connected` key is the user's (the contact model may not read it).
    if let Some(connected) = person.connected
        && !edit::has_key(&out.text, "connected", fields)
    {
        set(&mut out, "connected", connected.to_string())?;
    }
    if let Some(links) = links_yaml(person)
        && contact.links.is_empty()
        && missing("links")
    {
        set(&mut out, "links", links)?;
    }
    if !person.aliases.is_empty() && contact.aliases.is_empty() && missing("aliases") {
        set(&mut out, "aliases", list_yaml(&person.aliases))?;
    }
    if let Some(birthday) = person.birthday
        && contact.birthday.is_none()
        && missing("birthday")
    {
        set(&mut out, "birthday", birthday.to_string())?;
    }
    if !person.tags.is_empty() && contact.tags.is_empty() && missing("tags") {
        set(&mut out, "tags", list_yaml(&person.tags))?;
    }
    if let Some(note) = &person.note
        && !has_custom(contact, "note")
        && !edit::has_key(&out.text, "note", fields)
    {
        set(&mut out, "note", note_yaml(note))?;
    }
    apply_job_change(&mut out, contact, person, fields, today)?;
    Ok(out)
}

/// The job-change rule of [`merge`]: when the export's organization or title differs from the
/// file's, set it to the export's value and add the congratulate task.
fn apply_job_change(
    out: &mut Merge,
    contact: &Contact,
    person: &Person,
    fields: &BTreeMap<String, String>,
    today: Date,
) -> Result<(), EditError> {
    let differs = |mine: Option<&String>, theirs: Option<&String>| match (mine, theirs) {
        (Some(a), Some(b)) => fold(&super::clean(a)) != fold(&super::clean(b)),
        _ => false,
    };
    let org_changed = differs(contact.organization.as_ref(), person.organization.as_ref());
    let title_changed = differs(contact.title.as_ref(), person.title.as_ref());
    if !org_changed && !title_changed {
        return Ok(());
    }
    let mut change = |field: &'static str, value: &str| -> Result<(), EditError> {
        out.text = edit::set_key_mapped(&out.text, field, &cell_yaml(value), fields)?;
        out.changed.push(field);
        Ok(())
    };
    if let (true, Some(org)) = (org_changed, &person.organization) {
        change("organization", org)?;
    }
    if let (true, Some(title)) = (title_changed, &person.title) {
        change("title", title)?;
    }
    let now = job(person.title.as_ref(), person.organization.as_ref());
    let was = job(contact.title.as_ref(), contact.organization.as_ref());
    let task = format!("congratulate on the new role: {now} (was {was})");
    // A day past the end of the calendar (year 9999) leaves the task without a date.
    let due = today.checked_add(jiff::Span::new().days(CONGRATULATE_WITHIN_DAYS)).ok();
    out.text = edit::insert_task(&out.text, &task, due)?;
    out.job_change = Some(JobChange {
        message: format!("{}: now {now} (was {was})", contact.name),
        task: match due {
            Some(date) => format!("- [ ] {task} 📅 {date}"),
            None => format!("- [ ] {task}"),
        },
        due,
    });
    Ok(())
}

/// Whether the contact has the custom key `key` with a value.
fn has_custom(contact: &Contact, key: &str) -> bool {
    contact
        .custom
        .iter()
        .any(|(k, values)| k.eq_ignore_ascii_case(key) && values.iter().any(|v| !v.trim().is_empty()))
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
            emails: vec!["Jane@Example.org".into()],
            organization: Some("Acme".into()),
            title: Some("Data Librarian".into()),
            connected: Date::new(2021, 3, 15).ok(),
            ..Person::default()
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
        p.emails.clear();
        p.name = "JANE DOE".into();
        assert_eq!(match_people(&[p.clone()], &contacts), [Match::Existing(2)]);
        p.name = "Someone".into();
        assert_eq!(match_people(&[p], &contacts), [Match::New]);
        // One contact, two people with its address: the one with its name gets it.
        let mut other = person("Someone Else");
        other.url = None;
        let mut jane = other.clone();
        jane.name = "B".into();
        assert_eq!(
            match_people(&[jane, other], &contacts),
            [Match::Existing(1), Match::New]
        );
    }

    fn today() -> Date {
        Date::new(2026, 11, 27).unwrap()
    }

    fn merged(person: &Person, text: &str) -> Merge {
        merge(person, text, &parsed(text), &BTreeMap::new(), today()).unwrap()
    }

    #[test]
    fn merge_fills_only_missing_fields() {
        let text = "---\nname: Jane Doe # hi\norganization:\nmet: someday\n---\n";
        let m = merged(&person("Jane Doe"), text);
        assert_eq!(m.added, ["organization", "title", "emails", "connected", "links"]);
        assert!(m.changed.is_empty());
        assert_eq!(m.job_change, None, "a field the file lacks is filled, not a job change");
        assert_eq!(
            m.text,
            "---\nname: Jane Doe # hi\norganization: Acme\nmet: someday\ntitle: Data Librarian\nemails: [Jane@Example.org]\nconnected: 2021-03-15\nlinks: {linkedin: \"https://www.linkedin.com/in/jos%C3%A9\"}\n---\n"
        );
        assert_eq!(merged(&person("Jane Doe"), &m.text).text, m.text);
    }

    #[test]
    fn a_job_change_sets_both_fields_and_adds_a_task_once() {
        let text = "---\nname: Jane Doe\norg: Old Co # since 2019\nrole: Archivist\nconnected: 2020-01-01\nfollow_up: 2026-12-24\n---\n# Jane\n\n## Tasks\n- [ ] lunch\n\n## Log\n- 2026-01-01: call\n";
        let m = merged(&person("Jane Doe"), text);
        assert_eq!(m.added, ["emails", "links"]);
        assert_eq!(m.changed, ["organization", "title"]);
        let change = m.job_change.clone().unwrap();
        assert_eq!(
            change.message,
            "Jane Doe: now Data Librarian at Acme (was Archivist at Old Co)"
        );
        let task = "- [ ] congratulate on the new role: Data Librarian at Acme (was Archivist at Old Co) 📅 2026-12-04";
        assert_eq!(change.task, task);
        assert_eq!(
            m.text,
            format!(
                "---\nname: Jane Doe\norg: Acme   # since 2019\nrole: Data Librarian\nconnected: 2020-01-01\nfollow_up: 2026-12-24\nemails: [Jane@Example.org]\nlinks: {{linkedin: \"https://www.linkedin.com/in/jos%C3%A9\"}}\n---\n# Jane\n\n## Tasks\n- [ ] lunch\n{task}\n\n## Log\n- 2026-01-01: call\n"
            )
        );
        // The fields hold the export's values now: nothing more to do, with or without the task.
        assert_eq!(merged(&person("Jane Doe"), &m.text).text, m.text);
        let ticked = m.text.replace("- [ ] congratulate", "- [x] congratulate");
        assert_eq!(merged(&person("Jane Doe"), &ticked).text, ticked);
        let deleted = m.text.replace(&format!("{task}\n"), "");
        assert_eq!(merged(&person("Jane Doe"), &deleted).text, deleted);
    }

    #[test]
    fn a_job_change_in_one_field_changes_only_that_field() {
        let mut p = person("Jane Doe");
        p.emails.clear();
        p.url = None;
        p.connected = None;
        // Only the title differs (the organization only in case and spacing).
        let text = "---\nname: Jane Doe\norganization: ACME\ntitle: Archivist\n---\n";
        let m = merged(&p, text);
        assert_eq!(m.changed, ["title"]);
        assert_eq!(
            m.text,
            "---\nname: Jane Doe\norganization: ACME\ntitle: Data Librarian\n---\n\n## Tasks\n- [ ] congratulate on the new role: Data Librarian at Acme (was Archivist at ACME) 📅 2026-12-04\n"
        );
        // Only the organization differs, and the export has no title: the file keeps its own.
        p.title = None;
        p.organization = Some("New Co".into());
        let m = merged(&p, text);
        assert_eq!(m.changed, ["organization"]);
        assert!(
            m.text.contains("\norganization: New Co\ntitle: Archivist\n"),
            "{}",
            m.text
        );
        assert!(
            m.text
                .contains("- [ ] congratulate on the new role: at New Co (was Archivist at ACME) 📅 2026-12-04\n"),
            "{}",
            m.text
        );
        // A title the file lacks is filled beside a changed organization.
        p.title = Some("Boss".into());
        let m = merged(&p, "---\nname: Jane Doe\norganization: Old Co\n---\n");
        assert_eq!(
            (m.added.as_slice(), m.changed.as_slice()),
            (&["title"][..], &["organization"][..])
        );
        assert_eq!(
            m.job_change.unwrap().message,
            "Jane Doe: now Boss at New Co (was at Old Co)"
        );
    }

    #[test]
    fn an_import_never_writes_follow_up() {
        let text = "---\nname: Jane Doe\norganization: Old Co\n---\n";
        let m = merged(&person("Jane Doe"), text);
        assert!(m.job_change.is_some());
        assert!(!edit::has_key(&m.text, "follow_up", &BTreeMap::new()), "{}", m.text);
    }

    #[test]
    fn a_namesake_with_another_profile_is_someone_else() {
        let other = parsed("---\nname: Jane Doe\nlinks: [\"https://linkedin.com/in/jane-doe-2\"]\n---\n")
            .contact
            .unwrap();
        let mut p = person("Jane Doe");
        p.emails.clear();
        assert_eq!(match_people(&[p.clone()], &[&other]), [Match::New]);
        p.url = None;
        assert_eq!(
            match_people(&[p], &[&other]),
            [Match::Existing(0)],
            "no URL: the name decides"
        );
    }

    #[test]
    fn duplicates_in_one_export_fold_into_the_first() {
        let mut first = person("J. Doe");
        first.url = None;
        first.line = 1;
        let mut again = first.clone();
        again.line = 9;
        again.emails = vec!["jane@example.org".into(), "ceo@example.org".into()];
        again.phones = vec!["+1 555".into()];
        again.organization = Some("Other".into());
        let mut namesake = first.clone();
        namesake.name = "Other Person".into();
        namesake.line = 12;
        let (people, notes) = merge_duplicates(vec![first, again, namesake]);
        assert_eq!(people.len(), 2, "a shared address with another name stays two people");
        assert_eq!(people[0].emails, ["Jane@Example.org", "ceo@example.org"]);
        assert_eq!(people[0].phones, ["+1 555"]);
        assert_eq!(
            people[0].organization.as_deref(),
            Some("Acme"),
            "the first keeps its values"
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].line, 9);
        assert!(notes[0].message.contains("the same person as line 1"), "{notes:?}");
    }

    #[test]
    fn formula_cells_are_quoted() {
        assert_eq!(cell_yaml("=HYPERLINK(\"x\")"), "\"=HYPERLINK(\\\"x\\\")\"");
        assert_eq!(cell_yaml("Acme"), "Acme");
    }
}
