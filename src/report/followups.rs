//! The follow-up report (SPEC §3.3, §6): whom to contact, when and why — its items, and its
//! renderings as the daily table and the JSON of SPEC §4.1.

use std::fmt::Write as _;

use comfy_table::{Attribute, Cell, CellAlignment, ColumnConstraint, Table, Width, presets};
use jiff::civil::Date;
use serde::Serialize;

use crate::config::VaultConfig;
use crate::contact::Contact;
use crate::followup::{self, Bucket, Due, Reason};
use crate::output::{self, Printer};

/// One row of the follow-up report.
pub struct Item<'a> {
    pub contact: &'a Contact,
    pub due: Due,
    pub last_contact: Option<Date>,
}

/// Every contact due within the window, sorted by due date, then path (SPEC §4.1).
pub fn followups<'a>(contacts: &'a [Contact], config: &VaultConfig, today: Date, within_days: i64) -> Vec<Item<'a>> {
    let mut items: Vec<Item<'a>> = contacts
        .iter()
        .filter_map(|contact| {
            followup::evaluate(contact, config, today, within_days).map(|due| Item {
                contact,
                due,
                last_contact: followup::last_contact(contact, today),
            })
        })
        .collect();
    items.sort_by(|a, b| (a.due.due, &a.contact.path).cmp(&(b.due.due, &b.contact.path)));
    items
}

#[derive(Serialize)]
pub struct FollowupsJson<'a> {
    today: Date,
    within_days: i64,
    items: Vec<ItemJson<'a>>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    #[serde(flatten)]
    who: super::ContactRef<'a>,
    due: Date,
    bucket: Bucket,
    days_overdue: i64,
    reasons: Vec<ReasonJson<'a>>,
    /// What to say or do (SPEC §6); always present, `null` until it is worked out.
    next: Option<String>,
    last_contact: Option<Date>,
    last_entry: Option<EntryJson<'a>>,
}

#[derive(Serialize)]
pub struct ReasonJson<'a> {
    #[serde(flatten)]
    reason: &'a Reason,
    description: String,
}

impl<'a> ReasonJson<'a> {
    pub fn new(reason: &'a Reason) -> Self {
        Self {
            reason,
            description: reason.describe(),
        }
    }
}

#[derive(Serialize)]
struct EntryJson<'a> {
    date: Date,
    text: &'a str,
}

impl<'a> FollowupsJson<'a> {
    pub fn new(items: &'a [Item<'a>], today: Date, within_days: i64) -> Self {
        Self {
            today,
            within_days,
            items: items
                .iter()
                .map(|item| ItemJson {
                    who: super::ContactRef::new(item.contact),
                    due: item.due.due,
                    bucket: item.due.bucket,
                    days_overdue: item.due.days_overdue,
                    reasons: item.due.reasons.iter().map(ReasonJson::new).collect(),
                    next: None,
                    last_contact: item.last_contact,
                    last_entry: item.contact.last_entry(today).map(|e| EntryJson {
                        date: e.date,
                        text: &e.text,
                    }),
                })
                .collect(),
        }
    }
}

/// "in 3 days", "today", "12 days overdue".
fn when(due: Date, today: Date) -> String {
    let days = (due - today).get_days();
    match days {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "1 day overdue".into(),
        d if d < 0 => format!("{} days overdue", -d),
        d => format!("in {d} days"),
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The daily report: a heading, one table per bucket, a one-line summary.
pub fn followups_table(items: &[Item<'_>], today: Date, within_days: i64, printer: Printer, broken: usize) -> String {
    let mut out = String::new();
    let weekday = today.strftime("%A");
    let _ = writeln!(
        out,
        "{}",
        printer.paint(
            output::BOLD,
            &format!("Follow-ups for {weekday} {today} · next {within_days} days")
        )
    );
    if items.is_empty() {
        let _ = writeln!(out, "\nNobody is due in the next {within_days} days. Enjoy the quiet.");
    }
    // One width for the name column in every bucket, so the buckets line up as one table.
    let name_width = items
        .iter()
        .flat_map(|i| std::iter::once(i.contact.name.as_str()).chain(i.contact.organization.as_deref()))
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, MAX_NAME_WIDTH);
    for (bucket, title, style) in [
        (Bucket::Overdue, "Overdue", output::RED),
        (Bucket::Today, "Today", output::YELLOW),
        (Bucket::Upcoming, "Coming up", output::GREEN),
    ] {
        let rows: Vec<&Item<'_>> = items.iter().filter(|i| i.due.bucket == bucket).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", printer.paint(style, &format!("{title} ({})", rows.len())));
        for line in bucket_table(&rows, today, printer, name_width).to_string().lines() {
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    if !printer.quiet {
        let count = |b: Bucket| items.iter().filter(|i| i.due.bucket == b).count();
        let _ = writeln!(
            out,
            "\n{} overdue · {} today · {} coming up",
            count(Bucket::Overdue),
            count(Bucket::Today),
            count(Bucket::Upcoming)
        );
        if broken > 0 {
            let _ = writeln!(
                out,
                "{}",
                printer.paint(
                    output::YELLOW,
                    &format!(
                        "note: {} without readable front matter left out; `netvault validate` says why",
                        output::plural(broken, "file")
                    )
                )
            );
        }
    }
    out
}

/// The name column wraps beyond this many characters.
const MAX_NAME_WIDTH: usize = 30;

/// Four columns: who (name, organization below), the due date, how far off it is, and why —
/// each reason on its own line, then the last log entry, so you know what to say.
fn bucket_table(rows: &[&Item<'_>], today: Date, printer: Printer, name_width: usize) -> Table {
    // A blank line between people: each row spans several lines.
    let mut table = crate::output::new_table(
        printer,
        presets::NOTHING.row_separator(comfy_table::LineStyle::none().fill(' ')),
    );
    table.set_header(
        ["Name", "Due", "", "Why, and what you last talked about"].map(|h| Cell::new(h).add_attribute(Attribute::Dim)),
    );
    let fixed = |w: usize| ColumnConstraint::Absolute(Width::Fixed(u16::try_from(w + 2).unwrap_or(u16::MAX)));
    table.set_constraints([fixed(name_width), fixed(10), fixed(15)]);
    for item in rows {
        let c = item.contact;
        let mut who = c.name.clone();
        if let Some(org) = &c.organization {
            let _ = write!(who, "\n{org}");
        }
        let mut why = item
            .due
            .reasons
            .iter()
            .map(Reason::describe)
            .collect::<Vec<_>>()
            .join("\n");
        let last = c
            .last_entry(today)
            .map(|e| format!("{} {}", e.date, truncate(&e.text, 60)))
            .or_else(|| item.last_contact.map(|d| d.to_string()))
            .unwrap_or_else(|| "nothing logged yet".into());
        let _ = write!(why, "\nlast: {last}");
        table.add_row(vec![
            Cell::new(who),
            Cell::new(item.due.due.to_string()),
            Cell::new(when(item.due.due, today)).set_alignment(CellAlignment::Right),
            Cell::new(why),
        ]);
    }
    table
}
