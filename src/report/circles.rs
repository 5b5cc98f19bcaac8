//! `report circles`: contacts per circle, how many were in touch in the last 90 days, and how
//! many are overdue — which parts of the network have gone quiet.

use jiff::civil::Date;
use serde::Serialize;

use crate::config::VaultConfig;
use crate::contact::{Contact, Status};
use crate::followup::{Bucket, evaluate, last_contact};
use crate::output::Printer;

/// "In touch" means a contact within this many days.
pub const RECENT_DAYS: i64 = 90;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct CircleRow {
    pub circle: String,
    pub contacts: usize,
    /// Contacted in the last [`RECENT_DAYS`] days.
    pub recent: usize,
    pub overdue: usize,
    pub archived: usize,
    /// The cadence the config gives the circle, if any.
    pub cadence: Option<String>,
}

impl CircleRow {
    /// A circle where fewer than a quarter of the people (not archived) heard from you lately
    /// has gone quiet.
    pub fn gone_quiet(&self) -> bool {
        let active = self.contacts - self.archived;
        active > 0 && self.recent * 4 < active
    }
}

#[derive(Debug, Serialize)]
pub struct Circles {
    pub today: Date,
    pub recent_days: i64,
    pub circles: Vec<CircleRow>,
}

pub fn circles(contacts: &[Contact], config: &VaultConfig, today: Date) -> Circles {
    let mut rows: std::collections::BTreeMap<String, CircleRow> = std::collections::BTreeMap::new();
    for c in contacts {
        let recent = last_contact(c, today).is_some_and(|d| i64::from((today - d).get_days()) <= RECENT_DAYS);
        let overdue = evaluate(c, config, today, 0).is_some_and(|d| d.bucket == Bucket::Overdue);
        for circle in super::circles_of(c) {
            let row = rows.entry(circle.clone()).or_insert_with(|| CircleRow {
                cadence: config.circle_cadence.get(&circle).map(ToString::to_string),
                circle,
                contacts: 0,
                recent: 0,
                overdue: 0,
                archived: 0,
            });
            row.contacts += 1;
            row.recent += usize::from(recent);
            row.overdue += usize::from(overdue);
            row.archived += usize::from(c.status == Status::Archived);
        }
    }
    Circles {
        today,
        recent_days: RECENT_DAYS,
        circles: rows.into_values().collect(),
    }
}

pub fn render(report: &Circles, printer: Printer) -> String {
    let mut out = format!(
        "Circles · in touch = a contact in the last {} days\n\n",
        report.recent_days
    );
    let rows: Vec<Vec<String>> = report
        .circles
        .iter()
        .map(|r| {
            let note = if r.gone_quiet() { "gone quiet" } else { "" };
            vec![
                r.circle.clone(),
                r.contacts.to_string(),
                format!("{} ({}%)", r.recent, percent(r.recent, r.contacts)),
                r.overdue.to_string(),
                r.cadence.clone().unwrap_or_default(),
                note.to_string(),
            ]
        })
        .collect();
    out.push_str(&super::table(
        &["Circle", "Contacts", "In touch", "Overdue", "Cadence", ""],
        &rows,
        &[1, 2, 3],
        printer,
    ));
    out
}

/// `part` of `whole` in whole percent, rounded to the nearest (2 of 3 is 67%, not 66%).
fn percent(part: usize, whole: usize) -> usize {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn percentages_round_to_the_nearest() {
        assert_eq!(super::percent(2, 3), 67);
        assert_eq!(super::percent(1, 3), 33);
        assert_eq!(super::percent(1, 8), 13);
        assert_eq!(super::percent(0, 0), 0);
        assert_eq!(super::percent(5, 5), 100);
    }
}
