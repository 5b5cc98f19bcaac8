//! Contacts as files for other tools (SPEC §8 `export`): RFC 4180 CSV for spreadsheets, and
//! vCard 4.0 (RFC 6350) for address books, written in [`crate::vcard::write`].
//!
//! Both are pure functions of the contacts: no clock, no I/O. The caller passes the contacts in
//! the order they should appear (path order). The follow-up calendar (`export ics`) is the
//! follow-up report's [`crate::report::export::followups_ics`].

use crate::contact::Contact;
use crate::report::export::CsvTable;
pub use crate::vcard::write::{contacts_vcard, uid};

/// The CSV header, in column order.
pub const CSV_HEADER: [&str; 18] = [
    "path",
    "name",
    "aliases",
    "emails",
    "phones",
    "organization",
    "title",
    "location",
    "tags",
    "circles",
    "met",
    "met_at",
    "introduced_by",
    "last_contact",
    "follow_up",
    "birthday",
    "status",
    "cadence",
];

/// How list fields are joined in one CSV cell.
const LIST_SEPARATOR: &str = "; ";

/// RFC 4180 CSV with CRLF line ends: the [`CSV_HEADER`] row, then one row per contact. Lists are
/// joined with `; `, dates are `YYYY-MM-DD` (a birthday without a year is `MM-DD`), and every
/// cell that a spreadsheet would read as a formula gets a leading `'`.
pub fn contacts_csv(contacts: &[Contact]) -> String {
    let mut table = CsvTable::new(&CSV_HEADER);
    for c in contacts {
        let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        table.row([
            c.path.clone(),
            c.name.clone(),
            c.aliases.join(LIST_SEPARATOR),
            c.emails.join(LIST_SEPARATOR),
            c.phones.join(LIST_SEPARATOR),
            c.organization.clone().unwrap_or_default(),
            c.title.clone().unwrap_or_default(),
            c.location.clone().unwrap_or_default(),
            c.tags.join(LIST_SEPARATOR),
            c.circles.join(LIST_SEPARATOR),
            date(c.met),
            c.met_at.clone().unwrap_or_default(),
            c.introduced_by.join(LIST_SEPARATOR),
            date(c.last_contact),
            date(c.follow_up),
            c.birthday.map(|b| b.to_string()).unwrap_or_default(),
            c.status.as_str().to_string(),
            c.cadence.as_ref().map(ToString::to_string).unwrap_or_default(),
        ]);
    }
    table.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(path: &str, text: &str) -> Contact {
        crate::contact::parse_file(path, text.as_bytes(), &std::collections::BTreeMap::new())
            .contact
            .expect("a contact")
    }

    #[test]
    fn csv_has_one_row_per_contact_and_defuses_formulas() {
        let contacts = [
            contact(
                "a.md",
                "---\nname: \"Doe, Jane\"\ntitle: \"=SUM(A1)\"\naliases: [JD, Janie]\n---\n",
            ),
            contact("b.md", "---\nname: Bob\nbirthday: 12-03\n---\n"),
        ];
        let text = contacts_csv(&contacts);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), CSV_HEADER);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][1], "Doe, Jane");
        assert_eq!(&rows[0][2], "JD; Janie");
        assert_eq!(&rows[0][6], "'=SUM(A1)");
        assert_eq!(&rows[1][15], "12-03");
        assert!(text.ends_with("\r\n"));
    }
}
