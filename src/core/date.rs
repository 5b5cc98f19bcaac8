//! Dates as netvault reads them: ISO `YYYY-MM-DD`, datetimes reduced to their date, and
//! birthdays that may lack a year. Pure: "today" is always passed in.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Parse an ISO date, or a datetime (`2026-10-01T14:30`, `2026-10-01 14:30`, with seconds,
/// fraction or offset) whose date is used. Anything else (`12/01/2026`) is `None`.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let date_part = text.get(..10)?;
    let rest = &text[10..];
    if !rest.is_empty() {
        let mut chars = rest.chars();
        let sep = chars.next()?;
        let time = chars.as_str();
        // The time must be a real one (jiff checks it: `T99:99` and trailing junk are not),
        // with or without an offset; only the date is used.
        let real_time = text.parse::<jiff::civil::DateTime>().is_ok() || text.parse::<jiff::Timestamp>().is_ok();
        if !(sep == 'T' || sep == 't' || sep == ' ') || !looks_like_time(time) || !real_time {
            return None;
        }
    }
    let b = date_part.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let year: i16 = date_part[..4].parse().ok()?;
    let month: i8 = date_part[5..7].parse().ok()?;
    let day: i8 = date_part[8..10].parse().ok()?;
    Date::new(year, month, day).ok()
}

fn looks_like_time(time: &str) -> bool {
    let b = time.as_bytes();
    b.len() >= 5
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && b[2] == b':'
        && b[3].is_ascii_digit()
        && b[4].is_ascii_digit()
}

/// If `text` starts with an ISO date followed by a word boundary, the date and the rest.
pub fn leading_date(text: &str) -> Option<(Date, &str)> {
    let head = text.get(..10)?;
    let mut rest = &text[10..];
    // `2026-11-14T10:00 call`: the time belongs to the date.
    if let Some(time) = rest.strip_prefix(['T', 't']) {
        let end = time
            .find(|c: char| !(c.is_ascii_digit() || c == ':'))
            .unwrap_or(time.len());
        if looks_like_time(&time[..end]) {
            rest = &time[end..];
        }
    }
    if rest.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some((parse_date(head)?, rest))
}

/// A birthday: month and day, with the year when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Birthday {
    pub year: Option<i16>,
    pub month: i8,
    pub day: i8,
}

impl Birthday {
    /// `YYYY-MM-DD` or `MM-DD` (also `--MM-DD`, vCard's form).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some(date) = parse_date(text) {
            return Some(Self {
                year: Some(date.year()),
                month: date.month(),
                day: date.day(),
            });
        }
        let md = text.strip_prefix("--").unwrap_or(text);
        let b = md.as_bytes();
        if b.len() != 5 || b[2] != b'-' {
            return None;
        }
        let month: i8 = md[..2].parse().ok()?;
        let day: i8 = md[3..].parse().ok()?;
        // 2000 is a leap year, so 02-29 is accepted.
        Date::new(2000, month, day).ok()?;
        Some(Self { year: None, month, day })
    }

    /// The first occurrence on or after `today` (Feb 29 falls on Feb 28 in common years).
    pub fn next_after(self, today: Date) -> Date {
        let this_year = self.in_year(today.year());
        if this_year >= today {
            this_year
        } else {
            self.in_year(today.year() + 1)
        }
    }

    fn in_year(self, year: i16) -> Date {
        let last = Date::new(year, self.month, 1).map_or(28, jiff::civil::Date::days_in_month);
        Date::new(year, self.month, self.day.min(last)).unwrap_or(Date::constant(2000, 1, 1))
    }

    /// `MM-DD`, the form used in reasons ("birthday on 12-03").
    pub fn month_day(&self) -> String {
        format!("{:02}-{:02}", self.month, self.day)
    }
}

impl std::fmt::Display for Birthday {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "{:02}-{:02}", self.month, self.day),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn iso_dates_and_datetimes() {
        assert_eq!(parse_date("2026-10-01"), Some(date(2026, 10, 1)));
        assert_eq!(parse_date("2026-10-01T14:30"), Some(date(2026, 10, 1)));
        assert_eq!(parse_date("2026-10-01 14:30:00"), Some(date(2026, 10, 1)));
        assert_eq!(parse_date("2024-06-14T23:02:00Z"), Some(date(2024, 6, 14)));
        assert_eq!(parse_date("12/01/2026"), None);
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-10-01x"), None);
        assert_eq!(parse_date("2026-10-01T99:99junk"), None);
        assert_eq!(parse_date("2026-10-01T14:30junk"), None);
        assert_eq!(parse_date("2026-10-01 25:00"), None);
        assert_eq!(parse_date("2026-10-01T14:30+02:00"), Some(date(2026, 10, 1)));
        assert_eq!(parse_date("２０２６-10-01"), None);
    }

    #[test]
    fn leading_dates_need_a_boundary() {
        assert_eq!(leading_date("2026-10-01: lunch").unwrap().1, ": lunch");
        assert!(leading_date("2026-10-01lunch").is_none());
        assert_eq!(leading_date("2026-10-01T10:30 call").unwrap().1, " call");
        assert!(leading_date("lunch 2026-10-01").is_none());
    }

    #[test]
    fn birthdays_with_and_without_year() {
        let b = Birthday::parse("12-03").unwrap();
        assert_eq!((b.year, b.month, b.day), (None, 12, 3));
        assert_eq!(Birthday::parse("1990-05-17").unwrap().year, Some(1990));
        assert_eq!(Birthday::parse("--05-17").unwrap().month, 5);
        assert!(Birthday::parse("13-01").is_none());
        assert!(Birthday::parse("May 17").is_none());
    }

    #[test]
    fn next_birthday_wraps_the_year_and_clamps_feb_29() {
        let b = Birthday::parse("01-02").unwrap();
        assert_eq!(b.next_after(date(2026, 12, 30)), date(2027, 1, 2));
        assert_eq!(b.next_after(date(2026, 1, 2)), date(2026, 1, 2));
        let leap = Birthday::parse("02-29").unwrap();
        assert_eq!(leap.next_after(date(2026, 2, 1)), date(2026, 2, 28));
        assert_eq!(leap.next_after(date(2028, 2, 1)), date(2028, 2, 29));
    }
}
