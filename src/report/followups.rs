//! The follow-up report (SPEC §3.3, §6): whom to contact, when and why — its items, and its
//! renderings as the daily table and the JSON of SPEC §4.1.

use std::fmt::Write as _;

use comfy_table::{Attribute, Cell, CellAlignment, ColumnConstraint, Table, Width, presets};
use jiff::civil::Date;
use rayon::prelude::*;
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
    /// The report's day and the end of its window, for [`Item::next`].
    today: Date,
    horizon: Date,
    /// What to say or do, worked out when first asked: the morning table of a large vault
    /// shows a dozen of thousands of items.
    next: std::sync::OnceLock<Option<String>>,
}

impl Item<'_> {
    /// What to say or do ([`next_step`]).
    pub fn next(&self) -> Option<&str> {
        self.next
            .get_or_init(|| next_step(self.contact, self.today, self.horizon))
            .as_deref()
    }

    /// Whether a snooze pushed this item (SPEC §3.3: it then carries a `snoozed` reason).
    pub fn snoozed(&self) -> bool {
        self.due.reasons.iter().any(|r| matches!(r, Reason::Snoozed { .. }))
    }

    /// An explicit plan or task of the user's own (a `follow_up`, an open task) is due today or
    /// earlier: such items come before the rhythm's when the report must choose (SPEC §6).
    pub fn plan_due(&self, today: Date) -> bool {
        !self.snoozed()
            && self
                .due
                .reasons
                .iter()
                .any(|r| matches!(r, Reason::FollowUp { .. } | Reason::Task { .. }) && r.date() <= today)
    }
}

/// Every contact due within the window, sorted by due date, then path (SPEC §4.1).
pub fn followups<'a>(contacts: &'a [Contact], config: &VaultConfig, today: Date, within_days: i64) -> Vec<Item<'a>> {
    // Every contact is weighed on its own: on every core (a large vault has 100,000).
    let mut items: Vec<Item<'a>> = contacts
        .par_iter()
        .filter_map(|contact| item_of(contact, config, today, within_days))
        .collect();
    items.sort_by(|a, b| (a.due.due, &a.contact.path).cmp(&(b.due.due, &b.contact.path)));
    items
}

/// A contact's row, when it is due within the window.
fn item_of<'a>(contact: &'a Contact, config: &VaultConfig, today: Date, within_days: i64) -> Option<Item<'a>> {
    let horizon = today
        .checked_add(jiff::Span::new().days(within_days))
        .unwrap_or(Date::MAX);
    followup::evaluate(contact, config, today, within_days).map(|due| Item {
        contact,
        due,
        last_contact: followup::last_contact(contact, today),
        today,
        horizon,
        next: std::sync::OnceLock::new(),
    })
}

/// What to say or do next (SPEC §6): the earliest open task — a task due by `horizon` (the end
/// of the report's window), earliest first, else the first undated task, else the earliest
/// later one —, else the first sentence of the last conversation ("last time: …", the entry's
/// words and the first sentence of its note), else how you met.
pub fn next_step(contact: &Contact, today: Date, horizon: Date) -> Option<String> {
    let open = || contact.tasks.iter().filter(|t| !t.done);
    let task = open()
        .filter(|t| t.due.is_some_and(|d| d <= horizon))
        .min_by_key(|t| (t.due, t.line))
        .or_else(|| open().find(|t| t.due.is_none()))
        .or_else(|| open().min_by_key(|t| (t.due, t.line)));
    if let Some(task) = task {
        return Some(followup::strip_due(&task.text));
    }
    if let Some(entry) = contact.last_entry(today) {
        let words = without_hashtags(&entry.text);
        let note = without_hashtags(crate::body::first_sentence(&entry.note));
        let said = match (words.is_empty(), note.is_empty()) {
            (false, false) if words.ends_with(['.', '!', '?', ':']) => format!("{words} {note}"),
            (false, false) => format!("{words} — {note}"),
            (false, true) => words,
            (true, _) => note,
        };
        if !said.is_empty() {
            return Some(format!("last time: {said}"));
        }
    }
    match (&contact.met_at, contact.met) {
        (Some(at), Some(date)) => Some(format!("how you met: {at} ({date})")),
        (Some(at), None) => Some(format!("how you met: {at}")),
        (None, Some(date)) => Some(format!("you met on {date}")),
        (None, None) => contact
            .connected
            .map(|d| format!("connected online on {d}; no conversation yet")),
    }
}

/// Text without its `#hashtags` (they are for reports, not for reading aloud).
fn without_hashtags(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !(w.starts_with('#') && w.len() > 1 && !crate::body::hashtags(w).is_empty()))
        .collect::<Vec<_>>()
        .join(" ")
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
    /// What to say or do (SPEC §6); `null` when there is nothing to go on.
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
                    next: item.next().map(str::to_string),
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
pub fn when(due: Date, today: Date) -> String {
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

/// The full view (`--long`): a heading, one table per bucket with every reason and the last log
/// entry, a one-line summary.
pub fn followups_long(items: &[Item<'_>], today: Date, within_days: i64, printer: Printer, broken: usize) -> String {
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
        let width = printer.width_or_default();
        if width < LONG_TABLE_MIN_WIDTH {
            // A four-column table at 80 columns leaves the reasons a column of 17: one block
            // per person reads better there.
            bucket_blocks(&mut out, &rows, today, printer, width);
            continue;
        }
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

/// Below this width `--long` prints one block per person instead of a table.
const LONG_TABLE_MIN_WIDTH: usize = 110;

/// Each reason on its own line, then the last log entry: why, and what you last talked about.
fn why_lines(item: &Item<'_>, today: Date) -> Vec<String> {
    let mut lines: Vec<String> = item.due.reasons.iter().map(Reason::describe).collect();
    let last = item
        .contact
        .last_entry(today)
        .map(|e| format!("{} {}", e.date, truncate(&e.text, 60)))
        .or_else(|| item.last_contact.map(|d| d.to_string()))
        .unwrap_or_else(|| "nothing logged yet".into());
    lines.push(format!("last: {last}"));
    lines
}

/// `--long` at a narrow width: the name (and organization) in bold, then the due date and how
/// far off it is, each reason and the last conversation, indented and wrapped.
fn bucket_blocks(out: &mut String, rows: &[&Item<'_>], today: Date, printer: Printer, width: usize) {
    for (i, item) in rows.iter().enumerate() {
        if i > 0 {
            out.push('\n'); // a blank line between people
        }
        let c = item.contact;
        let _ = write!(out, " {}", printer.paint(output::BOLD, &c.name));
        match c.organization.as_deref().filter(|o| !o.trim().is_empty()) {
            Some(org) => {
                let _ = writeln!(
                    out,
                    "{}",
                    output::fit(&format!(" · {org}"), width.saturating_sub(c.name.chars().count() + 1))
                );
            }
            None => out.push('\n'),
        }
        let mut lines = vec![format!("due {}, {}", item.due.due, when(item.due.due, today))];
        lines.extend(why_lines(item, today));
        for line in lines {
            for wrapped in output::wrap(&line, width.saturating_sub(3).max(20)) {
                let _ = writeln!(out, "   {wrapped}");
            }
        }
    }
}

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
        let why = why_lines(item, today).join("\n");
        table.add_row(vec![
            Cell::new(who),
            Cell::new(item.due.due.to_string()),
            Cell::new(when(item.due.due, today)).set_alignment(CellAlignment::Right),
            Cell::new(why),
        ]);
    }
    table
}

/// What the morning report leaves out of its list, and what waits elsewhere: its closing lines.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Files whose front matter has errors: each stem with the line of the first error.
    pub broken: Vec<(String, usize)>,
    /// Contacts quiet until a later day (`snooze_until`).
    pub snoozed: usize,
    /// Dormant contacts not in the list (they get no rhythm reminders).
    pub dormant: usize,
    /// Names in notes that are no contact yet (`report leads`).
    pub leads: usize,
}

impl LeftOut {
    /// The snoozed and the dormant of `tally` (the whole vault's) that the list leaves out
    /// (`listed_dormant`: [`Counts::dormant`]). A listed person has no snooze in force (a
    /// snoozed item is not listed), so only the dormant need the list taken out.
    pub fn new(tally: followup::Tally, listed_dormant: usize, broken: &[Contact], leads: usize) -> Self {
        Self {
            broken: broken
                .iter()
                .map(|c| (c.stem.clone(), c.front_matter_error.unwrap_or(1)))
                .collect(),
            snoozed: tally.snoozed,
            dormant: tally.dormant.saturating_sub(listed_dormant),
            leads,
        }
    }
}

/// How the morning report is cut: how many people at most (`None`: all) and how wide.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    pub limit: Option<usize>,
    pub width: usize,
}

/// Files with errors named one by one up to this many; beyond, counted.
const NAMED_BROKEN: usize = 3;

/// The people the morning report lists, in its order: snoozed people left out, explicit plans
/// due before the rhythm's reminders, then by due date and path (cut it to the limit).
pub fn morning<'i, 'a>(items: &'i [Item<'a>], today: Date) -> Vec<&'i Item<'a>> {
    let mut shown: Vec<&Item<'_>> = items.iter().filter(|i| !i.snoozed()).collect();
    shown.sort_by(|a, b| {
        (!a.plan_due(today), a.due.due, &a.contact.path).cmp(&(!b.plan_due(today), b.due.due, &b.contact.path))
    });
    shown
}

/// "7 overdue · 2 today · 6 coming up": the morning report's closing count.
pub fn counts(shown: &[&Item<'_>]) -> String {
    Counts::of(shown).to_string()
}

/// How many of the listed people (snoozed ones are not listed) fall in each bucket, and how
/// many of them are dormant (the closing line counts the other dormant contacts).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub overdue: usize,
    pub today: usize,
    pub upcoming: usize,
    pub dormant: usize,
}

impl Counts {
    /// The counts of the people the morning table lists (see [`morning`]).
    pub fn of(listed: &[&Item<'_>]) -> Self {
        let mut counts = Self::default();
        for item in listed {
            counts.add(item);
        }
        counts
    }

    fn add(&mut self, item: &Item<'_>) {
        match item.due.bucket {
            Bucket::Overdue => self.overdue += 1,
            Bucket::Today => self.today += 1,
            Bucket::Upcoming => self.upcoming += 1,
        }
        self.dormant += usize::from(item.contact.status == crate::contact::Status::Dormant);
    }

    pub fn total(&self) -> usize {
        self.overdue + self.today + self.upcoming
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Self) {
        self.overdue += other.overdue;
        self.today += other.today;
        self.upcoming += other.upcoming;
        self.dormant += other.dormant;
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} overdue · {} today · {} coming up",
            self.overdue, self.today, self.upcoming
        )
    }
}

/// A contact with its place in the morning table's order and its counts, when it is listed.
pub struct Weighed {
    listed: Option<((bool, Date, String), Counts)>,
    contact: Contact,
}

/// The morning table's people chosen as contacts stream past, so that a large vault's due
/// people need not all be held at once: the first `limit` in the table's order ([`morning`])
/// are kept, the others only counted.
pub struct Choice {
    limit: Option<usize>,
    /// The kept contacts with their place in the table's order, sorted by it.
    kept: Vec<((bool, Date, String), Contact)>,
    pub counts: Counts,
}

impl Choice {
    pub fn new(limit: Option<usize>) -> Self {
        Self {
            limit,
            kept: Vec::new(),
            counts: Counts::default(),
        }
    }

    /// Weigh one contact: count it when it is listed, keep it when it is among the first.
    pub fn offer(&mut self, contact: Contact, config: &VaultConfig, today: Date, within_days: i64) {
        self.take(Self::weigh(contact, config, today, within_days));
    }

    /// The rules' verdict on one contact, apart from the choice (so that many can be weighed
    /// at once, on every core).
    pub fn weigh(contact: Contact, config: &VaultConfig, today: Date, within_days: i64) -> Weighed {
        let listed = item_of(&contact, config, today, within_days)
            .filter(|item| !item.snoozed())
            .map(|item| {
                let mut counts = Counts::default();
                counts.add(&item);
                ((!item.plan_due(today), item.due.due, contact.path.clone()), counts)
            });
        Weighed { listed, contact }
    }

    /// Count a weighed contact when it is listed, and keep it when it is among the first.
    pub fn take(&mut self, weighed: Weighed) {
        let Some((place, counts)) = weighed.listed else {
            return;
        };
        self.counts += counts;
        let contact = weighed.contact;
        let at = self.kept.partition_point(|(p, _)| *p < place);
        if self.limit.is_none_or(|limit| at < limit) {
            self.kept.insert(at, (place, contact));
            if let Some(limit) = self.limit {
                self.kept.truncate(limit);
            }
        }
    }

    /// The kept people as the table's rows, in its order.
    pub fn items(&self, config: &VaultConfig, today: Date, within_days: i64) -> Vec<Item<'_>> {
        self.kept
            .iter()
            .filter_map(|(_, contact)| item_of(contact, config, today, within_days))
            .collect()
    }
}

/// The morning report (SPEC §6): one screen, at most two lines a person — who, when and why on
/// the first, what to say or do on the second —, every line within the width, snoozed people
/// left out and counted, explicit plans before the rhythm when the list must be cut.
pub fn followups_table(
    items: &[Item<'_>],
    today: Date,
    within_days: i64,
    printer: Printer,
    fit: Fit,
    left: &LeftOut,
) -> String {
    let mut shown = morning(items, today);
    let counts = Counts::of(&shown);
    shown.truncate(fit.limit.unwrap_or(usize::MAX));
    page(&shown, counts, today, within_days, printer, fit.width, left)
}

/// The morning report of a [`Choice`]: `shown` are its items, in order.
pub fn chosen_table(
    shown: &[Item<'_>],
    counts: Counts,
    today: Date,
    within_days: i64,
    printer: Printer,
    width: usize,
    left: &LeftOut,
) -> String {
    let shown: Vec<&Item<'_>> = shown.iter().collect();
    page(&shown, counts, today, within_days, printer, width, left)
}

/// The morning table of the people `shown` (in order), `counts` counting every listed person.
fn page(
    shown: &[&Item<'_>],
    counts: Counts,
    today: Date,
    within_days: i64,
    printer: Printer,
    width: usize,
    left: &LeftOut,
) -> String {
    let width = width.max(20);
    let mut out = String::new();
    let line = |out: &mut String, text: &str| {
        let _ = writeln!(out, "{}", output::fit(text, width));
    };
    let weekday = today.strftime("%A");
    let title = output::fit(
        &format!("Follow-ups for {weekday} {today} · next {within_days} days"),
        width,
    );
    let _ = writeln!(out, "{}", printer.paint(output::BOLD, &title));
    let total = counts.total();
    // `--limit 0` shows nobody of those due: the counts below say how many there are.
    if total == 0 {
        line(&mut out, "");
        line(
            &mut out,
            &format!("Nobody is due in the next {within_days} days. Enjoy the quiet."),
        );
    }
    for (bucket, title, style) in [
        (Bucket::Overdue, "Overdue", output::RED),
        (Bucket::Today, "Today", output::YELLOW),
        (Bucket::Upcoming, "Coming up", output::GREEN),
    ] {
        let rows: Vec<&&Item<'_>> = shown.iter().filter(|i| i.due.bucket == bucket).collect();
        if rows.is_empty() {
            continue;
        }
        // A cut list says how many of the bucket it shows, as the closing count does.
        let all = match bucket {
            Bucket::Overdue => counts.overdue,
            Bucket::Today => counts.today,
            Bucket::Upcoming => counts.upcoming,
        };
        let heading = if rows.len() < all {
            format!("{title} ({} of {all})", rows.len())
        } else {
            format!("{title} ({all})")
        };
        let heading = output::fit(&heading, width);
        let _ = writeln!(out, "\n{}", printer.paint(style, &heading));
        for item in rows {
            let first = first_line(item, today, width - 1);
            let name = &item.contact.name;
            match first.strip_prefix(name.as_str()) {
                Some(rest) => {
                    let _ = writeln!(out, " {}{rest}", printer.paint(output::BOLD, name));
                }
                None => {
                    let _ = writeln!(out, " {first}");
                }
            }
            if let Some(next) = item.next() {
                let _ = writeln!(
                    out,
                    "   {} {}",
                    printer.paint(output::DIM, "→"),
                    output::fit(&one_line(next), width - 5)
                );
            }
        }
    }
    if total > shown.len() {
        line(&mut out, "");
        line(
            &mut out,
            &format!("and {} more — `netvault report --all`", total - shown.len()),
        );
    }
    if !printer.quiet {
        let mut footer = vec![counts.to_string()];
        if let Some(left_out) = left_out_line(left) {
            footer.push(left_out);
        }
        if left.leads > 0 {
            footer.push(format!(
                "{} waiting — `netvault report leads`",
                output::plural(left.leads, "lead")
            ));
        }
        out.push('\n');
        for text in footer {
            for wrapped in output::wrap(&text, width) {
                let _ = writeln!(out, "{wrapped}");
            }
        }
    }
    out
}

/// "Left out: 1 file with errors (Jane Roe, line 3) · 2 snoozed · 14 dormant", or nothing.
fn left_out_line(left: &LeftOut) -> Option<String> {
    let mut parts = Vec::new();
    match left.broken.len() {
        0 => {}
        n if n <= NAMED_BROKEN => {
            let names = left
                .broken
                .iter()
                .map(|(stem, line)| format!("{stem}, line {line}"))
                .collect::<Vec<_>>()
                .join("; ");
            parts.push(format!("{} with errors ({names})", output::plural(n, "file")));
        }
        n => parts.push(format!(
            "{} with errors (`netvault validate`)",
            output::plural(n, "file")
        )),
    }
    if left.snoozed > 0 {
        parts.push(format!("{} snoozed", left.snoozed));
    }
    if left.dormant > 0 {
        parts.push(format!("{} dormant", left.dormant));
    }
    (!parts.is_empty()).then(|| format!("Left out: {}", parts.join(" · ")))
}

/// Line 1 of a person: name (organization) · due and how far · the reasons in words, within
/// `width`; a long organization gives way first, then the reasons are cut at a word.
fn first_line(item: &Item<'_>, today: Date, width: usize) -> String {
    let c = item.contact;
    let due = due_words(item.due.due, today);
    let reasons = reason_words(item, today);
    let tail = if reasons.is_empty() {
        format!(" · {due}")
    } else {
        format!(" · {due} · {reasons}")
    };
    let name = one_line(&c.name);
    let org = c.organization.as_deref().map(one_line).filter(|o| !o.is_empty());
    let whole = match &org {
        Some(org) => format!("{name} ({org}){tail}"),
        None => format!("{name}{tail}"),
    };
    if output::display_width(&whole) <= width {
        return whole;
    }
    // Name and due first; the organization gets what is left once the reasons have a start;
    // then the reasons are cut at a word.
    let due_part = output::display_width(&format!(" · {due}"));
    let reasons_start = output::display_width(&tail).saturating_sub(due_part).min(REASONS_MIN);
    let room = width.saturating_sub(output::display_width(&name) + 3 + due_part + reasons_start);
    let head = match &org {
        Some(org) if room >= ORG_MIN => format!("{name} ({})", output::fit(org, room)),
        _ => name,
    };
    output::fit(&format!("{head}{tail}"), width)
}

/// The columns the reasons keep (with their ` · `) before the organization is cut: enough for
/// "every 120d, last 07-01" or "birthday; task: call".
const REASONS_MIN: usize = 24;
/// An organization cut shorter than this is left out: a word or two of it tells nothing.
const ORG_MIN: usize = 14;

/// "11-20, 7 days overdue", "today", "11-30, in 3 days": the due date (with the year when not
/// this one) and how far it is.
pub fn due_words(due: Date, today: Date) -> String {
    let date = if due.year() == today.year() {
        due.strftime("%m-%d").to_string()
    } else {
        due.to_string()
    };
    match (due - today).get_days() {
        0 => "due today".into(),
        1 => format!("{date}, tomorrow"),
        -1 => format!("{date}, 1 day overdue"),
        d if d < 0 => format!("{date}, {} days overdue", -d),
        d => format!("{date}, in {d} days"),
    }
}

/// The reasons in words, compact: the task the next line spells out is just "task", a job
/// change an import noted is "new job at ORG".
/// The reasons, short: the line already gives the due date, so a reason repeats a date only
/// when it is another one (a second reason's, or what a rhythm counts from).
pub fn reason_words(item: &Item<'_>, today: Date) -> String {
    let next = item.next();
    let day = |d: Date| {
        if d.year() == today.year() {
            d.strftime("%m-%d").to_string()
        } else {
            d.to_string()
        }
    };
    item.due
        .reasons
        .iter()
        .map(|r| match r {
            Reason::FollowUp { date } if *date == item.due.due => "follow-up".to_string(),
            Reason::FollowUp { date } => format!("follow-up set for {}", day(*date)),
            Reason::Cadence {
                cadence, since, from, ..
            } => {
                let what = if *from == "met" { "met" } else { "last" };
                format!("{}, {what} {}", cadence.every(), day(*since))
            }
            Reason::NeverContacted { cadence, .. } => format!("never contacted ({})", cadence.every()),
            Reason::Task { text, .. } => {
                let text = followup::strip_due(text);
                if let Some(org) = new_job_at(&text) {
                    format!("new job at {org}")
                } else if Some(text.as_str()) == next {
                    "task".into()
                } else {
                    format!("task: {text}")
                }
            }
            Reason::Birthday { date, .. } if *date == item.due.due => "birthday".to_string(),
            Reason::Birthday { birthday, .. } => format!("birthday {birthday}"),
            Reason::Snoozed { date } => format!("snoozed until {}", day(*date)),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The organization of an import's job-change task, `congratulate on the new role: TITLE at
/// ORG (was …)` (SPEC §8).
fn new_job_at(task: &str) -> Option<&str> {
    let role = task.strip_prefix("congratulate on the new role: ")?;
    let role = role.rsplit_once(" (was ").map_or(role, |(now, _)| now);
    role.rsplit_once(" at ")
        .map(|(_, org)| org.trim())
        .filter(|o| !o.is_empty())
}

/// The text on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
