//! The follow-up rules of SPEC §3.3, as pure functions of (contact, config, today).
//!
//! These definitions are a contract: tests pin each rule and each edge. Nothing here reads the
//! clock or the disk.

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
}

impl Reason {
    pub fn date(&self) -> Date {
        match self {
            Reason::FollowUp { date }
            | Reason::Cadence { date, .. }
            | Reason::NeverContacted { date, .. }
            | Reason::Task { date, .. }
            | Reason::Birthday { date, .. } => *date,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Reason::FollowUp { .. } => "follow_up",
            Reason::Cadence { .. } => "cadence",
            Reason::NeverContacted { .. } => "never-contacted",
            Reason::Task { .. } => "task",
            Reason::Birthday { .. } => "birthday",
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
        }
    }
}

/// A task's text without its due marker, for reading aloud.
fn strip_due(text: &str) -> String {
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
    /// Every candidate that falls on or before the end of the window, earliest first.
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

/// Every due candidate of §3.3, unfiltered by any window except the birthday's.
pub fn candidates(contact: &Contact, config: &VaultConfig, today: Date, within_days: i64) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if contact.status == Status::Archived {
        return reasons;
    }
    let last = last_contact(contact, today);
    if let Some(follow_up) = contact.follow_up
        && last.is_none_or(|l| l < follow_up)
    {
        reasons.push(Reason::FollowUp { date: follow_up });
    }
    if let Some(cadence) = cadence(contact, config) {
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
    if let Some(birthday) = contact.birthday {
        let next = birthday.next_after(today);
        if i64::from((next - today).get_days()) <= within_days {
            reasons.push(Reason::Birthday {
                date: next,
                birthday: birthday.month_day(),
            });
        }
    }
    reasons.sort_by_key(Reason::date);
    reasons
}

/// The contact's report entry, or `None` when nothing falls due on or before today + window.
pub fn evaluate(contact: &Contact, config: &VaultConfig, today: Date, within_days: i64) -> Option<Due> {
    let horizon = today
        .checked_add(jiff::Span::new().days(within_days))
        .unwrap_or(Date::MAX);
    let mut reasons = candidates(contact, config, today, within_days);
    let due = reasons.first()?.date();
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

    #[test]
    fn strip_due_reads_well() {
        assert_eq!(strip_due("send thank-you note 📅 2026-12-01"), "send thank-you note");
        assert_eq!(strip_due("call due:2026-12-03 about it"), "call about it");
    }
}
