//! `report stale`: active contacts whose last contact is older than a span (default 180 days)
//! or unknown — the people a network quietly loses.

use jiff::civil::Date;
use serde::Serialize;

use crate::contact::{Contact, Status};
use crate::followup::last_contact;
use crate::output::Printer;

#[derive(Debug, Serialize)]
pub struct StaleItem<'a> {
    pub path: &'a str,
    pub name: &'a str,
    pub organization: Option<&'a str>,
    pub last_contact: Option<Date>,
    /// Days since the last contact; `None` when there was none.
    pub days_since: Option<i64>,
    /// When you met (`met`), which is no contact (SPEC §3.3) but tells a new acquaintance from
    /// someone long forgotten.
    pub met: Option<Date>,
}

#[derive(Debug, Serialize)]
pub struct Stale<'a> {
    pub today: Date,
    pub older_than_days: i64,
    pub items: Vec<StaleItem<'a>>,
}

/// Never-contacted people first, then the longest silences, then by path.
pub fn stale(contacts: &[Contact], today: Date, older_than_days: i64) -> Stale<'_> {
    let mut items: Vec<StaleItem<'_>> = contacts
        .iter()
        .filter(|c| c.status == Status::Active)
        .filter_map(|c| {
            let last = last_contact(c, today);
            let days = last.map(|d| i64::from((today - d).get_days()));
            days.is_none_or(|d| d > older_than_days).then_some(StaleItem {
                path: &c.path,
                name: &c.name,
                organization: c.organization.as_deref(),
                last_contact: last,
                days_since: days,
                met: c.met,
            })
        })
        .collect();
    items.sort_by(|a, b| {
        (a.days_since.is_some(), std::cmp::Reverse(a.days_since), a.path).cmp(&(
            b.days_since.is_some(),
            std::cmp::Reverse(b.days_since),
            b.path,
        ))
    });
    Stale {
        today,
        older_than_days,
        items,
    }
}

pub fn render(report: &Stale<'_>, printer: Printer) -> String {
    let mut out = format!(
        "Active contacts not heard from in {} days or more ({})\n\n",
        report.older_than_days,
        report.items.len()
    );
    if report.items.is_empty() {
        out.push_str("Everyone has heard from you lately.\n");
        return out;
    }
    let rows: Vec<Vec<String>> = report
        .items
        .iter()
        .map(|i| {
            vec![
                i.name.to_string(),
                i.organization.unwrap_or("").to_string(),
                match (i.last_contact, i.met) {
                    (Some(d), _) => d.to_string(),
                    (None, Some(met)) => format!("never (met {met})"),
                    (None, None) => "never".into(),
                },
                i.days_since.map_or_else(String::new, |d| d.to_string()),
            ]
        })
        .collect();
    out.push_str(&super::table(
        &["Name", "Organization", "Last contact", "Days"],
        &rows,
        &[3],
        printer,
    ));
    out
}
