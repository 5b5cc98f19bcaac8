//! How often to keep in touch: `90d`, `2w`, `3m` (calendar months), `1y`, or the words
//! `weekly`, `biweekly`, `monthly`, `quarterly`, `yearly`.
//!
//! netvault parses these itself: jiff's friendly parser reads `3m` as minutes.

use std::fmt;

use jiff::Span;
use jiff::civil::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// A keep-in-touch interval, with calendar arithmetic for months and years.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cadence {
    pub count: u32,
    pub unit: Unit,
    /// As written, for messages ("every quarterly" reads badly, so words are kept).
    text: String,
}

impl Cadence {
    pub fn new(count: u32, unit: Unit) -> Self {
        let suffix = match unit {
            Unit::Day => 'd',
            Unit::Week => 'w',
            Unit::Month => 'm',
            Unit::Year => 'y',
        };
        Self {
            count,
            unit,
            text: format!("{count}{suffix}"),
        }
    }

    /// Parse a span; `None` for anything else. A leading `+` is allowed; zero is not.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase();
        let word = match t.as_str() {
            "daily" => Some((1, Unit::Day)),
            "weekly" => Some((1, Unit::Week)),
            "biweekly" | "fortnightly" => Some((2, Unit::Week)),
            "monthly" => Some((1, Unit::Month)),
            "quarterly" => Some((3, Unit::Month)),
            "yearly" | "annually" => Some((1, Unit::Year)),
            _ => None,
        };
        if let Some((count, unit)) = word {
            return Some(Self { count, unit, text: t });
        }
        let body = t.strip_prefix('+').unwrap_or(&t);
        let unit = match body.chars().last()? {
            'd' => Unit::Day,
            'w' => Unit::Week,
            'm' => Unit::Month,
            'y' => Unit::Year,
            _ => return None,
        };
        let digits = &body[..body.len() - 1];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let count: u32 = digits.parse().ok()?;
        // Bounded so that date arithmetic cannot overflow jiff's range.
        if count == 0 || count > 10_000 {
            return None;
        }
        Some(Self::new(count, unit))
    }

    /// `date` + this span, clamping the day for months and years (Jan 31 + 1m = Feb 28).
    /// `None` only past the end of the calendar.
    pub fn add_to(&self, date: Date) -> Option<Date> {
        self.shift(date, i64::from(self.count))
    }

    /// `date` − this span (for relative dates like `-30d` in queries).
    pub fn subtract_from(&self, date: Date) -> Option<Date> {
        self.shift(date, -i64::from(self.count))
    }

    /// `date` moved by `n` of this span's unit.
    fn shift(&self, date: Date, n: i64) -> Option<Date> {
        let span = match self.unit {
            Unit::Day => Span::new().try_days(n),
            Unit::Week => Span::new().try_weeks(n),
            Unit::Month => Span::new().try_months(n),
            Unit::Year => Span::new().try_years(n),
        }
        .ok()?;
        date.checked_add(span).ok()
    }

    /// "every 90d", "every quarter": how reasons read the cadence.
    pub fn every(&self) -> String {
        let word = match self.text.as_str() {
            "daily" => "day",
            "weekly" => "week",
            "biweekly" | "fortnightly" => "2 weeks",
            "monthly" => "month",
            "quarterly" => "quarter",
            "yearly" | "annually" => "year",
            other => other,
        };
        format!("every {word}")
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Cadence {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Cadence::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not a span: {text}")))
    }
}

impl serde::Serialize for Cadence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn parses_every_form() {
        assert_eq!(Cadence::parse("90d").unwrap().count, 90);
        assert_eq!(Cadence::parse("2w").unwrap().unit, Unit::Week);
        assert_eq!(Cadence::parse("3m").unwrap().unit, Unit::Month);
        assert_eq!(Cadence::parse("1y").unwrap().unit, Unit::Year);
        assert_eq!(
            Cadence::parse("Quarterly").unwrap(),
            Cadence {
                count: 3,
                unit: Unit::Month,
                text: "quarterly".into()
            }
        );
        assert_eq!(Cadence::parse("biweekly").unwrap().count, 2);
        assert_eq!(Cadence::parse("+30d").unwrap().to_string(), "30d");
        for bad in ["", "d", "0d", "-3d", "3x", "every other week", "3 m", "99999999999d"] {
            assert!(Cadence::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn month_arithmetic_clamps() {
        let one_month = Cadence::parse("1m").unwrap();
        assert_eq!(one_month.add_to(date(2026, 1, 31)), Some(date(2026, 2, 28)));
        assert_eq!(
            Cadence::parse("1y").unwrap().add_to(date(2024, 2, 29)),
            Some(date(2025, 2, 28))
        );
        assert_eq!(
            Cadence::parse("2w").unwrap().add_to(date(2026, 12, 25)),
            Some(date(2027, 1, 8))
        );
        assert_eq!(
            Cadence::parse("30d").unwrap().subtract_from(date(2026, 3, 1)),
            Some(date(2026, 1, 30))
        );
    }
}
