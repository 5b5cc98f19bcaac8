//! `report outcomes`: what the network has brought — the outcome hashtags on log entries
//! (`#info`, `#advice`, `#tips`, `#intro`, `#interview`, `#offer`, renamable in the config),
//! counted per contact and per circle.

use std::collections::BTreeMap;

use std::fmt::Write as _;

use serde::Serialize;

use crate::config::VaultConfig;
use crate::contact::Contact;
use crate::output::Printer;

#[derive(Debug, Serialize)]
pub struct Row {
    pub path: String,
    pub name: String,
    /// Tag → number of log entries carrying it, in the config's outcome order.
    pub counts: BTreeMap<String, usize>,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct CircleRow {
    pub circle: String,
    pub counts: BTreeMap<String, usize>,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct Outcomes {
    /// The outcome tags, in order, with what each means.
    pub outcomes: Vec<(String, String)>,
    pub totals: BTreeMap<String, usize>,
    pub contacts: Vec<Row>,
    pub circles: Vec<CircleRow>,
}

/// Contacts with at least one outcome, most outcomes first, then by name and path.
pub fn outcomes(contacts: &[Contact], config: &VaultConfig) -> Outcomes {
    let tags: Vec<&str> = config.outcomes.iter().map(|(t, _)| t.as_str()).collect();
    let mut rows = Vec::new();
    let mut circles: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut totals: BTreeMap<String, usize> = tags.iter().map(|t| ((*t).to_string(), 0)).collect();
    for c in contacts {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for entry in &c.log {
            for tag in carried(&tags, entry) {
                *counts.entry(tag.to_string()).or_default() += 1;
            }
        }
        let total: usize = counts.values().sum();
        if total == 0 {
            continue;
        }
        for (tag, n) in &counts {
            *totals.entry(tag.clone()).or_default() += n;
            for circle in super::circles_of(c) {
                *circles.entry(circle).or_default().entry(tag.clone()).or_default() += n;
            }
        }
        rows.push(Row {
            path: c.path.clone(),
            name: c.name.clone(),
            counts,
            total,
        });
    }
    rows.sort_by(|a, b| {
        (std::cmp::Reverse(a.total), &a.name, &a.path).cmp(&(std::cmp::Reverse(b.total), &b.name, &b.path))
    });
    Outcomes {
        outcomes: config.outcomes.clone(),
        totals,
        contacts: rows,
        circles: circles
            .into_iter()
            .map(|(circle, counts)| CircleRow {
                total: counts.values().sum(),
                circle,
                counts,
            })
            .collect(),
    }
}

/// The outcome tags (of `tags`) a log entry carries.
fn carried<'t>(tags: &'t [&'t str], entry: &crate::body::LogEntry) -> impl Iterator<Item = &'t str> {
    tags.iter().copied().filter(|t| entry.tags.iter().any(|e| e == t))
}

/// One calendar month's outcomes.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    /// Tag → log entries of the month carrying it (every outcome tag, zero included).
    pub counts: BTreeMap<String, usize>,
}

/// The outcomes of the last `months` calendar months, today's month last; entries dated after
/// today are not counted (they have not happened).
pub fn by_month(contacts: &[Contact], config: &VaultConfig, today: jiff::civil::Date, months: u16) -> Vec<Month> {
    let tags: Vec<&str> = config.outcomes.iter().map(|(t, _)| t.as_str()).collect();
    let first = today.first_of_month();
    let index = |d: jiff::civil::Date| i32::from(d.year()) * 12 + i32::from(d.month());
    let end = index(first);
    let start = end - i32::from(months) + 1;
    let mut out: Vec<Month> = (start..=end)
        .map(|m| {
            let (year, month) = ((m - 1).div_euclid(12), (m - 1).rem_euclid(12) + 1);
            Month {
                month: format!("{year:04}-{month:02}"),
                counts: tags.iter().map(|t| ((*t).to_string(), 0)).collect(),
            }
        })
        .collect();
    for c in contacts {
        for entry in c.log.iter().filter(|e| e.date <= today) {
            let Ok(slot) = usize::try_from(index(entry.date) - start) else {
                continue;
            };
            if let Some(month) = out.get_mut(slot) {
                for tag in carried(&tags, entry) {
                    *month.counts.entry(tag.to_string()).or_default() += 1;
                }
            }
        }
    }
    out
}

pub fn render(report: &Outcomes, printer: Printer) -> String {
    let tags: Vec<&str> = report.outcomes.iter().map(|(t, _)| t.as_str()).collect();
    let mut out = String::from("What your network has brought (outcome tags on log entries)\n\n");
    if report.contacts.is_empty() {
        let list = tags.iter().map(|t| format!("#{t}")).collect::<Vec<_>>().join(" ");
        let _ = writeln!(
            out,
            "No outcomes logged yet. Tag log entries with {list} to see them here."
        );
        return out;
    }
    let legend = report
        .outcomes
        .iter()
        .map(|(t, l)| format!("#{t} {l}"))
        .collect::<Vec<_>>()
        .join(" · ");
    for line in crate::output::wrap(&legend, printer.prose_width()) {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    let header: Vec<String> = std::iter::once("Name".to_string())
        .chain(tags.iter().map(|t| format!("#{t}")))
        .chain(std::iter::once("Total".to_string()))
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let numeric: Vec<usize> = (1..header.len()).collect();
    let count = |counts: &BTreeMap<String, usize>, t: &str| counts.get(t).map_or_else(String::new, ToString::to_string);
    let rows: Vec<Vec<String>> = report
        .contacts
        .iter()
        .map(|r| {
            std::iter::once(r.name.clone())
                .chain(tags.iter().map(|t| count(&r.counts, t)))
                .chain(std::iter::once(r.total.to_string()))
                .collect()
        })
        .collect();
    out.push_str(&super::table(&header, &rows, &numeric, printer));
    out.push_str("\nBy circle\n");
    let mut header = header.clone();
    header[0] = "Circle";
    let rows: Vec<Vec<String>> = report
        .circles
        .iter()
        .map(|r| {
            std::iter::once(r.circle.clone())
                .chain(tags.iter().map(|t| count(&r.counts, t)))
                .chain(std::iter::once(r.total.to_string()))
                .collect()
        })
        .collect();
    out.push_str(&super::table(&header, &rows, &numeric, printer));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_only_their_entries_up_to_today() {
        let config = VaultConfig::default();
        let entry = |date: &str, tags: &[&str]| crate::body::LogEntry {
            date: date.parse().unwrap(),
            text: String::new(),
            tags: tags.iter().map(ToString::to_string).collect(),
            line: 1,
            note: String::new(),
        };
        let contacts = vec![Contact {
            log: vec![
                entry("2026-11-03", &["intro", "offer"]),
                entry("2026-11-30", &["intro"]),
                entry("2025-12-31", &["info"]),
                entry("2025-11-30", &["info"]),
            ],
            ..Contact::default()
        }];
        let months = by_month(&contacts, &config, "2026-11-27".parse().unwrap(), 12);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0].month, "2025-12");
        assert_eq!(months[11].month, "2026-11");
        assert_eq!(months[0].counts["info"], 1);
        assert_eq!(months[11].counts["intro"], 1, "the 30th is after today");
        assert_eq!(months[11].counts["offer"], 1);
    }
}
