//! `who-knows QUERY`: the people matching a query (at an organization, or whose notes mention
//! the topic), ranked by warmth, each with the shortest chain of people — through
//! `introduced_by` and `[[wikilinks]]` — from someone you are in touch with. This is the
//! "ask your contacts to introduce you to their contacts" step, made concrete.

use jiff::civil::Date;
use serde::Serialize;

use super::circles::RECENT_DAYS;
use super::network::{Graph, chain};
use crate::contact::{Contact, Status};
use crate::followup::last_contact;
use crate::output::Printer;
use crate::resolve::Resolver;

/// How warm a relationship is, from 0 (cold) to 1: mostly how recent the last contact was
/// (halving about every two months), partly how often you were in touch this past year.
pub fn warmth(contact: &Contact, today: Date) -> f64 {
    let recency = last_contact(contact, today).map_or(0.0, |d| {
        let days = f64::from((today - d).get_days().max(0));
        (-days / 90.0).exp()
    });
    let year_ago = today.checked_sub(jiff::Span::new().days(365)).unwrap_or(today);
    let recent_entries = contact
        .log
        .iter()
        .filter(|e| e.date <= today && e.date > year_ago)
        .count();
    let frequency = f64::from(u32::try_from(recent_entries.min(10)).unwrap_or(10)) / 10.0;
    ((0.7 * recency + 0.3 * frequency) * 100.0).round() / 100.0
}

/// In touch: a contact in the last [`RECENT_DAYS`] days, and not archived.
pub fn in_touch(contact: &Contact, today: Date) -> bool {
    contact.status != Status::Archived
        && last_contact(contact, today).is_some_and(|d| i64::from((today - d).get_days()) <= RECENT_DAYS)
}

#[derive(Debug, Serialize)]
pub struct Step<'a> {
    pub path: &'a str,
    pub name: &'a str,
}

#[derive(Debug, Serialize)]
pub struct Target<'a> {
    pub path: &'a str,
    pub name: &'a str,
    pub organization: Option<&'a str>,
    pub title: Option<&'a str>,
    pub warmth: f64,
    pub last_contact: Option<Date>,
    pub in_touch: bool,
    /// From someone you are in touch with to the target, both included; empty when no chain
    /// exists. A target you are in touch with is a chain of one.
    pub chain: Vec<Step<'a>>,
}

#[derive(Debug, Serialize)]
pub struct WhoKnows<'a> {
    pub query: &'a str,
    pub targets: Vec<Target<'a>>,
}

/// `matches` are indexes into `contacts` of the people the query found, best match first.
pub fn who_knows<'a>(query: &'a str, contacts: &'a [Contact], matches: &[usize], today: Date) -> WhoKnows<'a> {
    let names = Resolver::from_contacts(contacts);
    let graph = Graph::new(contacts, &names);
    let sources: Vec<usize> = (0..contacts.len()).filter(|&i| in_touch(&contacts[i], today)).collect();
    let (parent, reached) = graph.bfs(&sources);
    let mut targets: Vec<(usize, Target<'a>)> = matches
        .iter()
        .enumerate()
        .map(|(rank, &i)| {
            let c = &contacts[i];
            let steps = if reached[i] {
                chain(&parent, i)
                    .into_iter()
                    .map(|j| Step {
                        path: &contacts[j].path,
                        name: &contacts[j].name,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            (
                rank,
                Target {
                    path: &c.path,
                    name: &c.name,
                    organization: c.organization.as_deref(),
                    title: c.title.as_deref(),
                    warmth: warmth(c, today),
                    last_contact: last_contact(c, today),
                    in_touch: sources.binary_search(&i).is_ok(),
                    chain: steps,
                },
            )
        })
        .collect();
    // Warmest first; reachable before unreachable; then the search's own order.
    targets.sort_by(|(ra, a), (rb, b)| {
        b.warmth
            .total_cmp(&a.warmth)
            .then(b.chain.is_empty().cmp(&a.chain.is_empty()).reverse())
            .then(ra.cmp(rb))
    });
    WhoKnows {
        query,
        targets: targets.into_iter().map(|(_, t)| t).collect(),
    }
}

fn how(t: &Target<'_>) -> String {
    match t.chain.len() {
        _ if t.in_touch => "you are in touch".into(),
        0 => "no path yet: ask around".into(),
        _ => t.chain.iter().map(|s| s.name).collect::<Vec<_>>().join(" → "),
    }
}

pub fn render(report: &WhoKnows<'_>, printer: Printer) -> String {
    let mut out = format!(
        "Who knows {:?}: {}\n\n",
        report.query,
        crate::output::plural(report.targets.len(), "person")
    );
    if report.targets.is_empty() {
        out.push_str("Nobody in your notes matches. Try other words, or `netvault search` with fields.\n");
        return out;
    }
    let rows: Vec<Vec<String>> = report
        .targets
        .iter()
        .map(|t| {
            vec![
                t.name.to_string(),
                t.organization.unwrap_or("").to_string(),
                format!("{:.2}", t.warmth),
                t.last_contact.map_or_else(|| "never".into(), |d| d.to_string()),
                how(t),
            ]
        })
        .collect();
    out.push_str(&super::table(
        &["Name", "Organization", "Warmth", "Last contact", "How to reach"],
        &rows,
        &[2],
        printer,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::LogEntry;
    use jiff::civil::date;

    fn contact(path: &str, org: &str, intro: &[&str], last: Option<Date>) -> Contact {
        Contact {
            path: path.into(),
            stem: crate::contact::stem_of(path),
            name: crate::contact::stem_of(path),
            organization: Some(org.into()),
            introduced_by: intro.iter().map(ToString::to_string).collect(),
            log: last
                .map(|d| LogEntry {
                    date: d,
                    text: String::new(),
                    tags: vec![],
                    line: 1,
                    note: String::new(),
                })
                .into_iter()
                .collect(),
            ..Contact::default()
        }
    }

    #[test]
    fn chains_from_people_in_touch() {
        let today = date(2026, 11, 27);
        let contacts = vec![
            contact("Maya.md", "School", &[], Some(date(2026, 11, 20))),
            contact("Tom.md", "Acme", &["Maya"], Some(date(2026, 6, 1))),
            contact("Priya.md", "Acme", &["Tom"], None),
            contact("Sam.md", "Acme", &[], None),
        ];
        let report = who_knows("acme", &contacts, &[1, 2, 3], today);
        let by_name = |n: &str| report.targets.iter().find(|t| t.name == n).unwrap();
        let priya = by_name("Priya");
        assert_eq!(
            priya.chain.iter().map(|s| s.name).collect::<Vec<_>>(),
            ["Maya", "Tom", "Priya"]
        );
        assert!(by_name("Sam").chain.is_empty());
        assert_eq!(how(by_name("Sam")), "no path yet: ask around");
        assert!(by_name("Tom").warmth > priya.warmth);
        assert_eq!(report.targets[0].name, "Tom", "warmest first");
    }

    #[test]
    fn warmth_scale() {
        let today = date(2026, 11, 27);
        let c = contact("A.md", "", &[], Some(today));
        assert!((warmth(&c, today) - 0.73).abs() < 1e-9, "{}", warmth(&c, today));
        assert!(warmth(&contact("B.md", "", &[], None), today).abs() < 1e-9);
    }
}
