//! The reports of SPEC §6, one file each: what each computes from the contacts (pure), and how
//! it renders. Commands load the contacts and pick the format.

pub mod circles;
pub mod export;
pub mod followups;
pub mod html;
pub mod intros;
pub mod layout;
pub mod leads;
pub mod network;
pub mod outcomes;
pub mod reciprocity;
pub mod stale;
pub mod who_knows;

use jiff::civil::Date;

/// The window in days: `--within 1m` counts calendar days from today.
pub fn window_days(within: &crate::cadence::Cadence, today: Date) -> i64 {
    within
        .add_to(today)
        // Past the end of the calendar: the window reaches to its last day.
        .map_or_else(
            || i64::from((Date::MAX - today).get_days()),
            |end| i64::from((end - today).get_days()),
        )
}

/// Who a JSON item is about: the keys every item of SPEC §4.1 starts with.
#[derive(Debug, serde::Serialize)]
pub struct ContactRef<'a> {
    pub path: &'a str,
    pub name: &'a str,
    pub organization: Option<&'a str>,
    pub title: Option<&'a str>,
}

impl<'a> ContactRef<'a> {
    pub fn new(contact: &'a crate::contact::Contact) -> Self {
        Self {
            path: &contact.path,
            name: &contact.name,
            organization: contact.organization.as_deref(),
            title: contact.title.as_deref(),
        }
    }
}

/// A plain aligned table (no borders), as every report prints; right-aligns the columns whose
/// index is in `numeric`.
pub fn table(header: &[&str], rows: &[Vec<String>], numeric: &[usize], printer: crate::output::Printer) -> String {
    use comfy_table::{Attribute, Cell, CellAlignment, presets};
    let mut t = crate::output::new_table(printer, presets::NOTHING);
    t.set_header(header.iter().map(|h| Cell::new(h).add_attribute(Attribute::Dim)));
    for row in rows {
        t.add_row(row.iter().enumerate().map(|(i, v)| {
            let cell = Cell::new(v);
            if numeric.contains(&i) {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            }
        }));
    }
    let mut out = String::new();
    for line in t.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The contacts' circles, or `(no circle)`, for per-circle reports.
pub fn circles_of(contact: &crate::contact::Contact) -> Vec<String> {
    if contact.circles.is_empty() {
        vec!["(no circle)".to_string()]
    } else {
        contact.circles.clone()
    }
}
