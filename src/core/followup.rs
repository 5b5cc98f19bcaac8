//! The follow-up rules of SPEC §3.3 (version 2), as pure functions of (contact, config, today).
//!
//! These definitions are a contract: tests pin each rule and each edge. Nothing here reads the
//! clock or the disk. In short: a pending `follow_up` is the user's own plan and replaces the
//! rhythm (cadence) until a contact on or after it meets it; the rhythm applies to `active`
//! contacts only; `archived` ones get nothing; `snooze_until` pushes the due date to that day.

use jiff::civil::Date;
use serde::Serialize;

use crate::cadence::Cadence;
use crate::config::VaultConfig;
use crate::contact::{Contact, Status};

/// Why a contact is due, with the date that reason falls on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reason {
    /// `follow_up` not yet satisfied by a contact on or after it.
    #[serde(rename = "follow_up")]
    FollowUp { date: Date },
    /// Last contact (or `met`) + cadence.
    Cadence {
        date: Date,
        cadence: Cadence,
        /// What the cadence counts from.
        since: Date,
        /// `last_contact` or `met`.
        from: &'static str,
    },
    /// A cadence applies but there is no last contact and no `met`.
    NeverContacted { date: Date, cadence: Cadence },
    /// An open task's due date.
    Task { date: Date, text: String, line: usize },
    /// The next birthday, within the window.
    Birthday { date: Date, birthday: String },
    /// `snooze_until` is after today: nothing is due before that day.
    Snoozed { date: Date },
}

impl Reason {
    pub fn date(&self) -> Date {
        match self {
            Reason::FollowUp { date }
            | Reason::Cadence { date, .. }
            | Reason::NeverContacted { date, .. }
            | Reason::Task { date, .. }
            | Reason::Birthday { date, .. }
            | Reason::Snoozed { date } => *date,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Reason::FollowUp { .. } => "follow_up",
            Reason::Cadence { .. } => "cadence",
            Reason::NeverContacted { .. } => "never-contacted",
            Reason::Task { .. } => "task",
            Reason::Birthday { .. } => "birthday",
            Reason::Snoozed { .. } => "snoozed",
        }
    }

    /// The reason in plain words, as the report prints it.
    pub fn describe(&self) -> String {
        match self {
            Reason::FollowUp { date } => format!("follow-up set for {date}"),
            Reason::Cadence {
                cadence, since, from, ..
            } => {
                let what = if *from == "met" { "met" } else { "last contact" };
                format!("{} — {what} {since}", cadence.every())
            }
            Reason::NeverContacted { cadence, .. } => format!("never contacted ({})", cadence.every()),
            Reason::Task { text, .. } => format!("task: {}", strip_due(text)),
            Reason::Birthday { birthday, .. } => format!("birthday on {birthday}"),
            Reason::Snoozed { date } => format!("snoozed until {date}"),
        }
    }
}

/// A task's text without its due marker, for reading aloud.
pub fn strip_due(text: &str) -> String {
    let mut out = text.to_string();
    for marker in ["📅", "due:"] {
        if let Some(i) = out.find(marker) {
            let after = out[i + marker.len()..].trim_start();
            let date_len = after.get(..10).map_or(0, |_| 10);
            let cut_end = out.len() - after.len() + date_len;
            out.replace_range(i..cut_end.min(out.len()), "");
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Overdue,
    Today,
    Upcoming,
}

impl Bucket {
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Overdue => "overdue",
            Bucket::Today => "today",
            Bucket::Upcoming => "upcoming",
        }
    }
}

/// A contact's place in a follow-up report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub due: Date,
    pub bucket: Bucket,
    /// `today - due` in days, 0 unless overdue.
    pub days_overdue: i64,
    /// Every candidate that falls on or before the end of the window, earliest first, then the
    /// `snoozed` reason when a snooze pushed the due date.
    pub reasons: Vec<Reason>,
}

/// Last contact: the latest of `last_contact` and every log entry dated on or before today.
pub fn last_contact(contact: &Contact, today: Date) -> Option<Date> {
    contact
        .log
        .iter()
        .map(|e| e.date)
        .filter(|d| *d <= today)
        .chain(contact.last_contact)
        .max()
}

/// The contact's own cadence, else its first circle's that has one, else the default.
pub fn cadence<'a>(contact: &'a Contact, config: &'a VaultConfig) -> Option<&'a Cadence> {
    contact
        .cadence
        .as_ref()
        .or_else(|| {
            contact
                .circles
                .iter()
                .find_map(|c| config.circle_cadence.get(&c.to_lowercase()))
        })
        .or(config.default_cadence.as_ref())
}

/// Whether `follow_up` still waits for a contact: no last contact on or after it.
pub fn pending_follow_up(contact: &Contact, today: Date) -> Option<Date> {
    let follow_up = contact.follow_up?;
    last_contact(contact, today)
        .is_none_or(|l| l < follow_up)
        .then_some(follow_up)
}

/// Every due candidate of §3.3, earliest first, before any snooze; unfiltered by the window
/// except the birthday's. `connected` never stands in for `met`.
pub fn candidates(contact: &Contact, config: &VaultConfig, today: Date, within_days: i64) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if contact.status == Status::Archived {
        return reasons;
    }
    let last = last_contact(contact, today);
    let pending = pending_follow_up(contact, today);
    if let Some(date) = pending {
        reasons.push(Reason::FollowUp { date });
    }
    // The rhythm: active contacts only, and only while no plan of the user's own is pending.
    if contact.status == Status::Active
        && pending.is_none()
        && let Some(cadence) = cadence(contact, config)
    {
        let base = last.map(|d| (d, "last_contact")).or(contact.met.map(|d| (d, "met")));
        match base {
            Some((since, from)) => {
                if let Some(date) = cadence.add_to(since) {
                    reasons.push(Reason::Cadence {
                        date,
                        cadence: cadence.clone(),
                        since,
                        from,
                    });
                }
            }
            None => reasons.push(Reason::NeverContacted {
                date: today,
                cadence: cadence.clone(),
            }),
        }
    }
    for task in contact.tasks.iter().filter(|t| !t.done) {
        if let Some(date) = task.due {
            reasons.push(Reason::Task {
                date,
                text: task.text.clone(),
                line: task.line,
            });
        }
    }
    if let Some(birthday) = contact.birthday
        && birthday_within(birthday.month, birthday.day, today, within_days)
    {
        reasons.push(Reason::Birthday {
            date: birthday.next_after(today),
            birthday: birthday.month_day(),
        });
    }
    reasons.sort_by_key(Reason::date);
    reasons
}

/// The snooze in force: `snooze_until` when it is after today (on that day it is over).
pub fn snoozed_until(contact: &Contact, today: Date) -> Option<Date> {
    contact.snooze_until.filter(|s| *s > today)
}

/// The due date and every reason, before any window: the earliest candidate, pushed to
/// `snooze_until` while a snooze is in force (a `snoozed` reason then comes last). `None` when
/// nothing is due at all (a snooze alone makes nothing due).
pub fn schedule(contact: &Contact, config: &VaultConfig, today: Date, within_days: i64) -> Option<(Date, Vec<Reason>)> {
    let mut reasons = candidates(contact, config, today, within_days);
    let mut due = reasons.first()?.date();
    if let Some(until) = snoozed_until(contact, today) {
        due = due.max(until);
        reasons.push(Reason::Snoozed { date: until });
    }
    Some((due, reasons))
}

/// The due date of [`schedule`], snooze included.
pub fn due_date(contact: &Contact, config: &VaultConfig, today: Date, within_days: i64) -> Option<Date> {
    schedule(contact, config, today, within_days).map(|(due, _)| due)
}

/// The contact's report entry, or `None` when nothing falls due on or before today + window.
pub fn evaluate(contact: &Contact, config: &VaultConfig, today: Date, within_days: i64) -> Option<Due> {
    let horizon = today
        .checked_add(jiff::Span::new().days(within_days))
        .unwrap_or(Date::MAX);
    let (due, mut reasons) = schedule(contact, config, today, within_days)?;
    if due > horizon {
        return None;
    }
    reasons.retain(|r| r.date() <= horizon);
    let bucket = match due.cmp(&today) {
        std::cmp::Ordering::Less => Bucket::Overdue,
        std::cmp::Ordering::Equal => Bucket::Today,
        std::cmp::Ordering::Greater => Bucket::Upcoming,
    };
    Some(Due {
        due,
        bucket,
        days_overdue: i64::from((today - due).get_days().max(0)),
        reasons,
    })
}

/// What the morning report's closing lines count over the whole vault, before its list takes
/// people out: contacts, the snoozed (not archived, quiet until a later day) and the dormant
/// with no snooze in force.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub contacts: usize,
    pub snoozed: usize,
    pub dormant: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Self) {
        self.contacts += other.contacts;
        self.snoozed += other.snoozed;
        self.dormant += other.dormant;
    }
}

impl Tally {
    /// Count one contact by its status and whether a snooze is in force ([`snoozed_until`]).
    pub fn add(&mut self, status: Status, snoozed: bool) {
        self.contacts += 1;
        self.snoozed += usize::from(status != Status::Archived && snoozed);
        self.dormant += usize::from(status == Status::Dormant && !snoozed);
    }

    pub fn of(contacts: &[Contact], today: Date) -> Self {
        let mut tally = Self::default();
        for c in contacts {
            tally.add(c.status, snoozed_until(c, today).is_some());
        }
        tally
    }
}

/// When a contact can fall due, from the file's own values and the config alone (no day of
/// report), so that an index can store it and a report load only the contacts that can be due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueBound {
    /// On every report day from `settled` on, no reason but the birthday (see
    /// [`birthday_within`]) falls before this day; a snooze only pushes a due date later.
    /// `None`: nothing but a birthday can ever be due.
    pub earliest: Option<Date>,
    /// The newest log entry, when it is after `last_contact`: before that day the last contact
    /// is an earlier one, so the contact can be due on any day.
    pub settled: Option<Date>,
}

impl DueBound {
    /// Whether the contact can be due by `horizon` on `today`, birthdays aside.
    pub fn allows(&self, today: Date, horizon: Date) -> bool {
        self.settled.is_some_and(|s| today < s) || self.earliest.is_some_and(|e| e <= horizon)
    }
}

/// The [`DueBound`] of a contact: the rules of [`candidates`] with the last contact every log
/// entry gives, which is the last contact on every day from the newest entry's on.
pub fn due_bound(contact: &Contact, config: &VaultConfig) -> DueBound {
    if contact.status == Status::Archived {
        return DueBound {
            earliest: None,
            settled: None,
        };
    }
    let newest_entry = contact.log.iter().map(|e| e.date).max();
    let last = newest_entry.into_iter().chain(contact.last_contact).max();
    let settled = newest_entry.filter(|n| contact.last_contact.is_none_or(|l| *n > l));
    let pending = contact.follow_up.filter(|f| last.is_none_or(|l| l < *f));
    let rhythm = if contact.status == Status::Active
        && pending.is_none()
        && let Some(cadence) = cadence(contact, config)
    {
        match last.or(contact.met) {
            Some(since) => cadence.add_to(since),
            // Never contacted: due on the day of the report, whichever day that is.
            None => Some(Date::MIN),
        }
    } else {
        None
    };
    let task = contact.tasks.iter().filter(|t| !t.done).filter_map(|t| t.due).min();
    DueBound {
        earliest: [pending, rhythm, task].into_iter().flatten().min(),
        settled,
    }
}

/// Whether a birthday on `month`-`day` falls within the report's window (the rule of
/// [`candidates`]), for an index that stores the month and day of each birthday.
pub fn birthday_within(month: i8, day: i8, today: Date, within_days: i64) -> bool {
    let birthday = crate::date::Birthday { year: None, month, day };
    i64::from((birthday.next_after(today) - today).get_days()) <= within_days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::{LogEntry, Task};
    use crate::date::Birthday;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 11, 27);

    fn contact() -> Contact {
        Contact {
            path: "a.md".into(),
            name: "A".into(),
            ..Contact::default()
        }
    }

    fn entry(d: Date) -> LogEntry {
        LogEntry {
            date: d,
            text: String::new(),
            tags: vec![],
            line: 1,
            note: String::new(),
        }
    }

    fn config() -> VaultConfig {
        VaultConfig::default()
    }

    #[test]
    fn last_contact_ignores_future_entries() {
        let mut c = contact();
        c.last_contact = Some(date(2026, 1, 1));
        c.log = vec![entry(date(2026, 3, 1)), entry(date(2099, 1, 1))];
        assert_eq!(last_contact(&c, TODAY), Some(date(2026, 3, 1)));
        c.log.clear();
        assert_eq!(last_contact(&c, TODAY), Some(date(2026, 1, 1)));
        assert_eq!(last_contact(&contact(), TODAY), None);
    }

    #[test]
    fn follow_up_is_satisfied_by_contact_on_or_after_it() {
        let mut c = contact();
        c.follow_up = Some(date(2026, 11, 20));
        assert_eq!(
            evaluate(&c, &config(), TODAY, 7).unwrap().reasons,
            [Reason::FollowUp {
                date: date(2026, 11, 20)
            }]
        );
        c.log = vec![entry(date(2026, 11, 20))];
        assert_eq!(evaluate(&c, &config(), TODAY, 7), None, "same-day contact satisfies it");
        c.log = vec![entry(date(2026, 11, 19))];
        assert!(evaluate(&c, &config(), TODAY, 7).is_some(), "earlier contact does not");
    }

    #[test]
    fn cadence_from_last_contact_then_met_then_never() {
        let mut c = contact();
        c.cadence = Cadence::parse("1m");
        c.last_contact = Some(date(2026, 10, 31));
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!(due.due, date(2026, 11, 30), "Oct 31 + 1 month clamps to Nov 30");
        assert_eq!(due.bucket, Bucket::Upcoming);
        c.last_contact = None;
        c.met = Some(date(2026, 9, 1));
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!((due.due, due.days_overdue), (date(2026, 10, 1), 57));
        assert!(matches!(due.reasons[0], Reason::Cadence { from: "met", .. }));
        c.met = None;
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!((due.due, due.bucket), (TODAY, Bucket::Today));
        assert_eq!(due.reasons[0].kind(), "never-contacted");
    }

    #[test]
    fn cadence_resolution_order() {
        let mut cfg = config();
        cfg.default_cadence = Cadence::parse("180d");
        cfg.circle_cadence
            .insert("friend".into(), Cadence::parse("60d").unwrap());
        let mut c = contact();
        assert_eq!(cadence(&c, &cfg).unwrap().to_string(), "180d");
        c.circles = vec!["club".into(), "friend".into()];
        assert_eq!(
            cadence(&c, &cfg).unwrap().to_string(),
            "60d",
            "first circle that has one"
        );
        c.cadence = Cadence::parse("2w");
        assert_eq!(cadence(&c, &cfg).unwrap().to_string(), "2w");
        assert!(
            cadence(&contact(), &config()).is_none(),
            "no config, no implicit cadence"
        );
    }

    #[test]
    fn archived_contacts_get_nothing() {
        let mut c = contact();
        c.follow_up = Some(date(2020, 1, 1));
        c.status = Status::Archived;
        assert_eq!(evaluate(&c, &config(), TODAY, 7), None);
        c.status = Status::Dormant;
        assert!(evaluate(&c, &config(), TODAY, 7).is_some());
    }

    #[test]
    fn done_tasks_are_ignored_open_ones_count() {
        let mut c = contact();
        c.tasks = vec![
            Task {
                text: "old 📅 2026-01-01".into(),
                due: Some(date(2026, 1, 1)),
                done: true,
                line: 5,
            },
            Task {
                text: "send note 📅 2026-12-01".into(),
                due: Some(date(2026, 12, 1)),
                done: false,
                line: 6,
            },
            Task {
                text: "someday".into(),
                due: None,
                done: false,
                line: 7,
            },
        ];
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!(due.due, date(2026, 12, 1));
        assert_eq!(due.reasons[0].describe(), "task: send note");
    }

    #[test]
    fn birthdays_only_within_the_window_and_across_new_year() {
        let mut c = contact();
        c.birthday = Birthday::parse("01-02");
        let dec30 = date(2026, 12, 30);
        let due = evaluate(&c, &config(), dec30, 7).unwrap();
        assert_eq!(due.due, date(2027, 1, 2));
        assert_eq!(due.reasons[0].describe(), "birthday on 01-02");
        assert_eq!(evaluate(&c, &config(), dec30, 2), None, "outside a 2-day window");
        assert_eq!(
            evaluate(&c, &config(), date(2027, 1, 2), 0).unwrap().bucket,
            Bucket::Today
        );
        assert_eq!(
            evaluate(&c, &config(), date(2027, 1, 3), 7),
            None,
            "yesterday's birthday is next year's"
        );
    }

    #[test]
    fn window_edges_and_reason_filtering() {
        let mut c = contact();
        c.follow_up = Some(date(2026, 12, 4)); // today + 7
        assert_eq!(evaluate(&c, &config(), TODAY, 7).unwrap().bucket, Bucket::Upcoming);
        c.follow_up = Some(date(2026, 12, 5)); // today + 8
        assert_eq!(evaluate(&c, &config(), TODAY, 7), None);
        c.tasks = vec![Task {
            text: "t".into(),
            due: Some(date(2026, 11, 1)),
            done: false,
            line: 3,
        }];
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!(due.reasons.len(), 1, "the later follow-up is outside the window");
        assert_eq!(due.days_overdue, 26);
    }

    fn task(due: Date) -> Task {
        Task {
            text: format!("call 📅 {due}"),
            due: Some(due),
            done: false,
            line: 9,
        }
    }

    fn kinds(due: &Due) -> Vec<&'static str> {
        due.reasons.iter().map(Reason::kind).collect()
    }

    #[test]
    fn a_pending_follow_up_replaces_the_cadence() {
        let mut c = contact();
        c.cadence = Cadence::parse("30d");
        c.last_contact = Some(date(2026, 10, 1)); // rhythm: 10-31, overdue
        c.follow_up = Some(date(2026, 12, 4));
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!((due.due, due.bucket), (date(2026, 12, 4), Bucket::Upcoming));
        assert_eq!(kinds(&due), ["follow_up"], "the plan, not the rhythm");
        // Far off, the plan still holds the rhythm back: nothing is due this week.
        c.follow_up = Some(date(2026, 12, 22));
        assert_eq!(evaluate(&c, &config(), TODAY, 7), None);
        // A task due earlier still counts beside the plan.
        c.tasks = vec![task(date(2026, 11, 20))];
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!((due.due, kinds(&due)), (date(2026, 11, 20), vec!["task"]));
    }

    #[test]
    fn a_follow_up_met_the_same_day_gives_the_rhythm_back() {
        let mut c = contact();
        c.cadence = Cadence::parse("30d");
        c.follow_up = Some(date(2026, 10, 20));
        c.log = vec![entry(date(2026, 10, 20))];
        assert_eq!(pending_follow_up(&c, TODAY), None);
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!((due.due, kinds(&due)), (date(2026, 11, 19), vec!["cadence"]));
        c.log = vec![entry(date(2026, 10, 19))];
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!(
            (due.due, kinds(&due)),
            (date(2026, 10, 20), vec!["follow_up"]),
            "a contact the day before does not meet it, and the rhythm waits"
        );
    }

    #[test]
    fn dormant_contacts_get_no_rhythm_but_plans_tasks_and_birthdays() {
        let mut c = contact();
        c.status = Status::Dormant;
        c.cadence = Cadence::parse("30d");
        c.last_contact = Some(date(2026, 1, 1));
        assert_eq!(evaluate(&c, &config(), TODAY, 7), None, "no rhythm");
        c.last_contact = None;
        assert_eq!(evaluate(&c, &config(), TODAY, 7), None, "not never-contacted either");
        c.follow_up = Some(date(2026, 11, 20));
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!((due.due, kinds(&due)), (date(2026, 11, 20), vec!["follow_up"]));
        c.follow_up = None;
        c.tasks = vec![task(date(2026, 11, 30))];
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!((due.due, kinds(&due)), (date(2026, 11, 30), vec!["task"]));
        c.tasks.clear();
        c.birthday = Birthday::parse("11-29");
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!(kinds(&due), ["birthday"]);
    }

    #[test]
    fn archived_contacts_get_nothing_at_all() {
        let mut c = contact();
        c.status = Status::Archived;
        c.cadence = Cadence::parse("30d");
        c.follow_up = Some(date(2026, 11, 1));
        c.tasks = vec![task(date(2026, 11, 2))];
        c.birthday = Birthday::parse("11-28");
        assert!(candidates(&c, &config(), TODAY, 7).is_empty());
        assert_eq!(schedule(&c, &config(), TODAY, 7), None);
        assert_eq!(evaluate(&c, &config(), TODAY, 365), None);
    }

    #[test]
    fn a_snooze_pushes_the_due_date_and_says_so() {
        let mut c = contact();
        c.follow_up = Some(date(2026, 10, 29)); // 29 days overdue
        c.snooze_until = Some(date(2026, 12, 4));
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!(
            (due.due, due.bucket, due.days_overdue),
            (date(2026, 12, 4), Bucket::Upcoming, 0)
        );
        assert_eq!(kinds(&due), ["follow_up", "snoozed"], "every reason is kept");
        assert_eq!(due.reasons[1].describe(), "snoozed until 2026-12-04");
        assert_eq!(evaluate(&c, &config(), TODAY, 6), None, "outside a 6-day window");
        // A snooze never brings a later date forward.
        c.follow_up = Some(date(2026, 12, 20));
        assert_eq!(due_date(&c, &config(), TODAY, 7), Some(date(2026, 12, 20)));
        // A snooze alone makes nothing due.
        c.follow_up = None;
        assert_eq!(schedule(&c, &config(), TODAY, 7), None);
    }

    #[test]
    fn a_snooze_ends_on_its_day_and_a_past_one_does_nothing() {
        let mut c = contact();
        c.cadence = Cadence::parse("30d");
        c.tasks = vec![task(date(2026, 11, 1))];
        c.snooze_until = Some(TODAY);
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!(
            (due.due, due.bucket),
            (date(2026, 11, 1), Bucket::Overdue),
            "the task is overdue again"
        );
        assert_eq!(
            kinds(&due),
            ["task", "never-contacted"],
            "every reason is back, no snoozed"
        );
        c.snooze_until = Some(date(2026, 11, 1));
        assert_eq!(
            evaluate(&c, &config(), TODAY, 7).unwrap(),
            due,
            "a past snooze changes nothing"
        );
        c.snooze_until = Some(date(2026, 11, 28));
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!((due.due, due.bucket), (date(2026, 11, 28), Bucket::Upcoming));
    }

    #[test]
    fn connected_is_never_a_meeting() {
        let mut c = contact();
        c.cadence = Cadence::parse("90d");
        c.connected = Some(date(2021, 3, 15));
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert_eq!((due.due, kinds(&due)), (TODAY, vec!["never-contacted"]));
        c.met = Some(date(2026, 9, 1));
        let due = evaluate(&c, &config(), TODAY, 7).unwrap();
        assert!(matches!(due.reasons[0], Reason::Cadence { from: "met", .. }));
        assert_eq!(due.due, date(2026, 11, 30));
    }

    #[test]
    fn never_contacted_needs_a_cadence_and_an_active_status() {
        let mut c = contact();
        assert_eq!(schedule(&c, &config(), TODAY, 7), None, "no cadence, nothing due");
        let mut cfg = config();
        cfg.default_cadence = Cadence::parse("180d");
        let due = evaluate(&c, &cfg, TODAY, 7).unwrap();
        assert_eq!(
            (due.due, due.bucket, kinds(&due)),
            (TODAY, Bucket::Today, vec!["never-contacted"])
        );
        c.follow_up = Some(date(2026, 12, 1));
        let due = evaluate(&c, &cfg, TODAY, 7).unwrap();
        assert_eq!(
            (due.due, kinds(&due)),
            (date(2026, 12, 1), vec!["follow_up"]),
            "the plan replaces it"
        );
    }

    #[test]
    fn strip_due_reads_well() {
        assert_eq!(strip_due("send thank-you note 📅 2026-12-01"), "send thank-you note");
        assert_eq!(strip_due("call due:2026-12-03 about it"), "call about it");
    }

    mod earliest {
        use super::*;
        use crate::cadence::Unit;
        use proptest::prelude::*;

        fn day() -> impl Strategy<Value = Date> {
            (0i32..900).prop_map(|n| date(2025, 6, 1) + jiff::Span::new().days(n))
        }

        prop_compose! {
            fn any_contact()(
                status in prop_oneof![Just(Status::Active), Just(Status::Dormant), Just(Status::Archived)],
                follow_up in proptest::option::of(day()),
                last_contact in proptest::option::of(day()),
                met in proptest::option::of(day()),
                log in proptest::collection::vec(day(), 0..4),
                tasks in proptest::collection::vec((proptest::option::of(day()), any::<bool>()), 0..3),
                birthday in proptest::option::of((1i8..=12, 1i8..=31)),
                snooze in proptest::option::of(day()),
                own in proptest::option::of((1u32..10, 0usize..4)),
                circle in proptest::option::of(prop_oneof![Just("close"), Just("work"), Just("none")]),
            ) -> Contact {
                let units = [Unit::Day, Unit::Week, Unit::Month, Unit::Year];
                Contact {
                    path: "a.md".into(),
                    name: "A".into(),
                    status,
                    follow_up,
                    last_contact,
                    met,
                    log: log.into_iter().map(entry).collect(),
                    tasks: tasks
                        .into_iter()
                        .map(|(due, done)| Task { due, done, ..task(TODAY) })
                        .collect(),
                    birthday: birthday.map(|(month, day)| Birthday { year: None, month, day: day.min(28 + (month % 3)) }),
                    snooze_until: snooze,
                    cadence: own.map(|(n, u)| Cadence::new(n, units[u])),
                    circles: circle.map(|c| vec![c.to_string()]).unwrap_or_default(),
                    ..Contact::default()
                }
            }
        }

        fn configs() -> [VaultConfig; 2] {
            let mut circles = VaultConfig {
                default_cadence: None,
                ..VaultConfig::default()
            };
            circles
                .circle_cadence
                .insert("close".into(), Cadence::new(2, Unit::Week));
            circles
                .circle_cadence
                .insert("work".into(), Cadence::new(1, Unit::Month));
            [VaultConfig::default(), circles]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            /// Whenever a contact is due within a window, its stored earliest day (or its
            /// birthday) says it can be: an index that loads only those misses nobody.
            #[test]
            fn nobody_due_is_left_out(contact in any_contact(), today in day(), within in 0i64..400) {
                for config in configs() {
                    let horizon = today.checked_add(jiff::Span::new().days(within)).unwrap();
                    let Some(due) = evaluate(&contact, &config, today, within) else { continue };
                    prop_assert!(due.due <= horizon);
                    let bound = due_bound(&contact, &config);
                    let birthday = contact
                        .birthday
                        .is_some_and(|b| birthday_within(b.month, b.day, today, within));
                    prop_assert!(
                        bound.allows(today, horizon) || birthday,
                        "due {:?} but {:?}: {:?}", due, bound, contact
                    );
                }
            }
        }

        /// The bound is worth storing: a contact whose rhythm and plans lie after the window
        /// is not loaded (without this, `Date::MIN` everywhere would pass the test above).
        #[test]
        fn the_bound_is_tight_where_it_can_be() {
            let config = VaultConfig::default();
            let bound = |c: &Contact| due_bound(c, &config);
            let mut c = contact();
            c.status = Status::Active;
            c.cadence = Some(Cadence::new(3, Unit::Month));
            c.last_contact = Some(date(2026, 10, 1));
            c.log = vec![entry(date(2026, 11, 1))];
            c.follow_up = Some(date(2026, 10, 15)); // met by the log entry
            c.tasks = vec![task(date(2027, 3, 1))];
            assert_eq!(
                bound(&c),
                DueBound {
                    earliest: Some(date(2027, 2, 1)),
                    settled: Some(date(2026, 11, 1))
                }
            );
            assert!(!bound(&c).allows(date(2026, 11, 27), date(2026, 12, 4)));
            assert!(
                bound(&c).allows(date(2026, 10, 20), date(2026, 10, 27)),
                "before the entry, the plan is due"
            );
            c.status = Status::Dormant;
            assert_eq!(bound(&c).earliest, Some(date(2027, 3, 1)));
            c.status = Status::Archived;
            assert_eq!(
                bound(&c),
                DueBound {
                    earliest: None,
                    settled: None
                }
            );
            let mut never = contact();
            never.cadence = Some(Cadence::new(1, Unit::Month));
            assert_eq!(bound(&never).earliest, Some(Date::MIN));
            never.log = vec![entry(date(2025, 12, 1))];
            assert_eq!(bound(&never).earliest, Some(date(2026, 1, 1)));
        }
    }
}
