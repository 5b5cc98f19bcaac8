//! Leads (SPEC §6 `report leads`): names of people to contact — every `[[wikilink]]` in a
//! contact's notes that names no contact yet, with who gave the name, when (the log entry it
//! sits in) and the sentence around it; oldest first. Pure: the command reads the few files
//! that hold such links and hands their mentions in.

use std::collections::HashSet;
use std::fmt::Write as _;

use jiff::civil::Date;
use serde::Serialize;

use crate::body::Mention;
use crate::contact::Contact;
use crate::fold::fold;
use crate::output::{self, Printer};
use crate::resolve::{Name, Resolution, Resolver, Usage, key};

/// One name someone gave you.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lead {
    /// The name as the link wrote it.
    pub name: String,
    /// Who gave it.
    pub from: Giver,
    /// The date of the log entry the link sits in; `null` for a link in the notes.
    pub date: Option<Date>,
    /// The sentence around the link.
    pub sentence: String,
    /// The file line of the link.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Giver {
    pub path: String,
    pub name: String,
    /// The file stem: what `introduced_by` links to.
    pub stem: String,
}

#[derive(Debug, Serialize)]
pub struct Leads {
    /// Distinct names waiting.
    pub total: usize,
    pub leads: Vec<Lead>,
}

/// Whether a link names no contact: the resolver that serves every other link finds nobody
/// (an ambiguous link names contacts, so it is no lead; `validate` warns about it).
fn is_lead(names: &Resolver<'_>, target: &str) -> bool {
    matches!(names.resolve(&Name::new(target), Usage::Link), Resolution::Missing)
}

/// The contacts (indexes into `contacts`) whose notes hold a link to no contact: only their
/// files need reading for [`leads`].
pub fn givers(contacts: &[Contact], names: &Resolver<'_>) -> Vec<usize> {
    (0..contacts.len())
        .filter(|&i| contacts[i].wikilinks.iter().any(|t| is_lead(names, t)))
        .collect()
}

/// How many distinct names wait as leads (for the morning report's last line), from the facts
/// alone.
pub fn count(contacts: &[Contact], names: &Resolver<'_>) -> usize {
    use rayon::prelude::*;
    contacts
        .par_iter()
        .flat_map_iter(|c| c.wikilinks.iter())
        .filter(|t| is_lead(names, t))
        .map(|t| key(t))
        .collect::<HashSet<_>>()
        .len()
}

/// Every lead: for each contact and each name it gives, the earliest mention. Oldest first (a
/// link outside the log has no date and comes after the dated ones), then by name and giver.
/// `mentions` gives the mentions of a contact's body (read from its file by the caller).
pub fn leads(contacts: &[Contact], names: &Resolver<'_>, mut mentions: impl FnMut(&Contact) -> Vec<Mention>) -> Leads {
    let mut out: Vec<Lead> = Vec::new();
    for i in givers(contacts, names) {
        let contact = &contacts[i];
        let mut seen: Vec<(String, usize)> = Vec::new();
        for m in mentions(contact) {
            if !is_lead(names, &m.target) {
                continue;
            }
            let name_key = key(&m.target);
            let lead = Lead {
                name: m.target.trim().to_string(),
                from: Giver {
                    path: contact.path.clone(),
                    name: contact.name.clone(),
                    stem: contact.stem.clone(),
                },
                date: m.date,
                sentence: m.sentence,
                line: m.line,
            };
            if let Some(&(_, at)) = seen.iter().find(|(k, _)| *k == name_key) {
                if sort_key(&lead) < sort_key(&out[at]) {
                    out[at] = lead;
                }
            } else {
                seen.push((name_key, out.len()));
                out.push(lead);
            }
        }
    }
    out.sort_by(|a, b| {
        sort_key(a)
            .cmp(&sort_key(b))
            .then_with(|| fold(&a.name).cmp(&fold(&b.name)))
            .then_with(|| a.from.path.cmp(&b.from.path))
    });
    let total = out.iter().map(|l| key(&l.name)).collect::<HashSet<_>>().len();
    Leads { total, leads: out }
}

/// Dated before undated, then by date, then by line.
fn sort_key(lead: &Lead) -> (bool, Option<Date>, usize) {
    (lead.date.is_none(), lead.date, lead.line)
}

/// Who gave the name `name` first (for `add`, which fills `introduced_by` with them).
pub fn introducer<'a>(report: &'a Leads, name: &str) -> Option<&'a Lead> {
    let wanted = key(name);
    report.leads.iter().find(|l| key(&l.name) == wanted)
}

/// The leads as a table, with how to act on them.
pub fn render(report: &Leads, printer: Printer) -> String {
    let mut out = String::new();
    if report.leads.is_empty() {
        let _ = writeln!(out, "No leads waiting: every [[name]] in your notes is a contact.");
        return out;
    }
    let _ = writeln!(
        out,
        "{}\n",
        printer.paint(
            output::BOLD,
            &format!("Leads: names in your notes that are no contact yet ({})", report.total)
        )
    );
    let rows: Vec<Vec<String>> = report
        .leads
        .iter()
        .map(|l| {
            vec![
                l.name.clone(),
                l.from.name.clone(),
                l.date.map_or_else(|| "(notes)".into(), |d| d.to_string()),
                l.sentence.clone(),
            ]
        })
        .collect();
    out.push_str(&super::table(
        &["Name", "Given by", "When", "What was said"],
        &rows,
        &[],
        printer,
    ));
    if !printer.quiet {
        let _ = writeln!(
            out,
            "\n`netvault add \"NAME\"` makes a lead a contact, introduced by whoever gave the name."
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use jiff::civil::date;

    use super::*;

    fn contact(path: &str, text: &str) -> (Contact, Vec<Mention>) {
        let parsed = crate::contact::parse_file(path, text.as_bytes(), &BTreeMap::new());
        let c = parsed.contact.expect("a contact");
        let mentions = crate::body::mentions(&c.body, |_| 0);
        (c, mentions)
    }

    #[test]
    fn unknown_names_are_leads_oldest_first_known_ones_are_not() {
        let (a, ma) = contact(
            "Ann.md",
            "---\nname: Ann\n---\n## Log\n- 2026-10-02: she said to call [[Dana Whitfield]]. Also [[Bob]].\n- 2026-09-01: [[dana whitfield]] again, earlier\n",
        );
        let (b, mb) = contact("Bob.md", "---\nname: Bob\n---\nKnows [[Cy Young]] and [[Ann]].\n");
        let (c, mc) = contact(
            "Cat.md",
            "---\nname: Cat\n---\n- 2026-01-05: met [[Cy Young|Cy]] at a fair\n",
        );
        let contacts = vec![a, b, c];
        let all = [ma, mb, mc];
        let names = Resolver::from_contacts(&contacts);
        assert_eq!(count(&contacts, &names), 2);
        let report = leads(&contacts, &names, |c| {
            let i = contacts.iter().position(|x| x.path == c.path).unwrap();
            all[i].clone()
        });
        let got: Vec<(&str, &str, Option<Date>)> = report
            .leads
            .iter()
            .map(|l| (l.name.as_str(), l.from.name.as_str(), l.date))
            .collect();
        assert_eq!(
            got,
            [
                ("Cy Young", "Cat", Some(date(2026, 1, 5))),
                ("dana whitfield", "Ann", Some(date(2026, 9, 1))),
                ("Cy Young", "Bob", None),
            ]
        );
        assert_eq!(report.total, 2);
        assert_eq!(report.leads[1].sentence, "dana whitfield again, earlier");
        assert_eq!(introducer(&report, "Cy young").unwrap().from.stem, "Cat");
        assert!(introducer(&report, "Ann").is_none());
    }
}
