//! `report reciprocity`: per contact, the log entries tagged `#gave` (you helped them) against
//! `#asked` (you asked for help), and the people you have only asked of — a gentle nudge to
//! offer something back.

use jiff::civil::Date;
use std::fmt::Write as _;

use serde::Serialize;

use crate::config::VaultConfig;
use crate::contact::Contact;
use crate::output::Printer;

#[derive(Debug, Serialize)]
pub struct Row<'a> {
    pub path: &'a str,
    pub name: &'a str,
    pub gave: usize,
    pub asked: usize,
    /// `gave - asked`.
    pub balance: i64,
    pub last_gave: Option<Date>,
    pub last_asked: Option<Date>,
    pub only_asked: bool,
}

#[derive(Debug, Serialize)]
pub struct Reciprocity<'a> {
    pub gave_tag: String,
    pub asked_tag: String,
    pub contacts: Vec<Row<'a>>,
    /// Paths of the people you have asked of but never given to.
    pub only_asked: Vec<&'a str>,
}

/// People with any `#gave`/`#asked` entry: those only asked of first, then the most
/// one-sided, then by name.
pub fn reciprocity<'a>(contacts: &'a [Contact], config: &VaultConfig) -> Reciprocity<'a> {
    let mut rows: Vec<Row<'a>> = contacts
        .iter()
        .filter_map(|c| {
            let dates = |tag: &str| -> Vec<Date> {
                c.log
                    .iter()
                    .filter(|e| e.tags.iter().any(|t| t == tag))
                    .map(|e| e.date)
                    .collect()
            };
            let (gave_dates, asked_dates) = (dates(&config.gave_tag), dates(&config.asked_tag));
            let (gave, asked) = (gave_dates.len(), asked_dates.len());
            (gave + asked > 0).then(|| Row {
                path: &c.path,
                name: &c.name,
                gave,
                asked,
                balance: i64::try_from(gave).unwrap_or(i64::MAX) - i64::try_from(asked).unwrap_or(i64::MAX),
                last_gave: gave_dates.iter().max().copied(),
                last_asked: asked_dates.iter().max().copied(),
                only_asked: gave == 0,
            })
        })
        .collect();
    rows.sort_by(|a, b| (!a.only_asked, a.balance, a.name, a.path).cmp(&(!b.only_asked, b.balance, b.name, b.path)));
    Reciprocity {
        gave_tag: config.gave_tag.clone(),
        asked_tag: config.asked_tag.clone(),
        only_asked: rows.iter().filter(|r| r.only_asked).map(|r| r.path).collect(),
        contacts: rows,
    }
}

pub fn render(report: &Reciprocity<'_>, printer: Printer) -> String {
    let (g, a) = (&report.gave_tag, &report.asked_tag);
    let mut out = format!("Give and take (#{g}: you helped them · #{a}: you asked them)\n\n");
    if report.contacts.is_empty() {
        let _ = writeln!(
            out,
            "Nothing tagged yet. Add #{g} or #{a} to log entries to see the balance."
        );
        return out;
    }
    let rows: Vec<Vec<String>> = report
        .contacts
        .iter()
        .map(|r| {
            vec![
                r.name.to_string(),
                r.gave.to_string(),
                r.asked.to_string(),
                format!("{:+}", r.balance),
                r.last_gave.map_or_else(String::new, |d| d.to_string()),
                if r.only_asked {
                    "only asked".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    out.push_str(&super::table(
        &["Name", "Gave", "Asked", "Balance", "Last gave", ""],
        &rows,
        &[1, 2, 3],
        printer,
    ));
    if !report.only_asked.is_empty() {
        let names: Vec<&str> = report
            .contacts
            .iter()
            .filter(|r| r.only_asked)
            .map(|r| r.name)
            .collect();
        let advice = format!(
            "You have only asked of {}. A thank-you note, an article they would like or an introduction of your own goes a long way.",
            names.join(", ")
        );
        out.push('\n');
        for line in crate::output::wrap(&advice, printer.prose_width()) {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}
