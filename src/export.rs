//! Contacts as files for other tools (SPEC §8 `export`): RFC 4180 CSV for spreadsheets and
//! vCard 4.0 (RFC 6350) for address books.
//!
//! Both are pure functions of the contacts: no clock, no I/O. The caller passes the contacts in
//! the order they should appear (path order). The follow-up calendar (`export ics`) is the
//! follow-up report's [`crate::report::export::followups_ics`].

use crate::contact::Contact;
use crate::date::Birthday;
use crate::hash::fnv1a64;
use crate::report::export::{CsvTable, escape_text, push_line};

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

/// vCard 4.0, one card per contact, CRLF line ends, lines folded at 75 octets without splitting
/// a UTF-8 character, text values escaped (`\` `,` `;` and line breaks).
///
/// Properties: FN, N (from `name_parts` only, as `import vcard` kept it; never guessed from the
/// name, so left out without them), NICKNAME (aliases), EMAIL, TEL, ORG, TITLE, ADR (the
/// location, as the city part), URL (links), BDAY
/// (`YYYYMMDD`, or `--MMDD` without a year), CATEGORIES (tags), NOTE (where you met, and your own `note:` key) and a
/// stable UID derived from the vault-relative path.
pub fn contacts_vcard(contacts: &[Contact]) -> String {
    let mut out = String::new();
    for c in contacts {
        card(&mut out, c);
    }
    out
}

fn card(out: &mut String, c: &Contact) {
    push_line(out, "BEGIN:VCARD");
    push_line(out, "VERSION:4.0");
    push_line(out, &format!("FN:{}", escape_text(&c.name)));
    // N only from the parts an import kept: a name split by guesswork reverses family-first
    // names and turns titles into given names.
    if let Some(parts) = &c.name_parts {
        let n: Vec<String> = parts.in_order().iter().map(|part| text_list(part)).collect();
        push_line(out, &format!("N:{}", n.join(";")));
    }
    if !c.aliases.is_empty() {
        push_line(out, &format!("NICKNAME:{}", text_list(&c.aliases)));
    }
    for email in &c.emails {
        push_line(out, &format!("EMAIL:{}", escape_text(email)));
    }
    for phone in &c.phones {
        push_line(out, &format!("TEL;VALUE=text:{}", escape_text(phone)));
    }
    if let Some(org) = &c.organization {
        push_line(out, &format!("ORG:{}", escape_text(org)));
    }
    if let Some(title) = &c.title {
        push_line(out, &format!("TITLE:{}", escape_text(title)));
    }
    // The location as the address's city: `import vcard` reads it back unchanged.
    if let Some(location) = &c.location {
        push_line(out, &format!("ADR:;;;{};;;", escape_text(location)));
    }
    for link in &c.links {
        // A URI value is not escaped (RFC 6350 §3.4); control characters cannot be in one.
        let url: String = link.url.chars().filter(|ch| !ch.is_control()).collect();
        if !url.is_empty() {
            push_line(out, &format!("URL:{url}"));
        }
    }
    if let Some(birthday) = c.birthday {
        push_line(out, &format!("BDAY:{}", bday(birthday)));
    }
    if !c.tags.is_empty() {
        push_line(out, &format!("CATEGORIES:{}", text_list(&c.tags)));
    }
    if let Some(met_at) = &c.met_at {
        push_line(out, &format!("NOTE:{}", escape_text(met_at)));
    }
    // Your own `note:` key, where `import vcard` puts a card's NOTE.
    for (key, values) in &c.custom {
        if key.eq_ignore_ascii_case("note") {
            for note in values.iter().filter(|v| !v.trim().is_empty()) {
                push_line(out, &format!("NOTE:{}", escape_text(note)));
            }
        }
    }
    push_line(out, &format!("UID:{}", uid(&c.path)));
    push_line(out, "END:VCARD");
}

/// A text-list value: each item escaped, joined with commas.
fn text_list(items: &[String]) -> String {
    items.iter().map(|i| escape_text(i)).collect::<Vec<_>>().join(",")
}

/// `YYYYMMDD`, or `--MMDD` when the year is unknown (RFC 6350 §4.3.1).
fn bday(b: Birthday) -> String {
    match b.year {
        Some(year) => format!("{year:04}{:02}{:02}", b.month, b.day),
        None => format!("--{:02}{:02}", b.month, b.day),
    }
}

/// `urn:netvault:<FNV-1a 64 of the vault-relative path, 16 hex digits>`: the same on every run
/// and every machine, so re-importing updates a card instead of duplicating it.
pub fn uid(path: &str) -> String {
    format!("urn:netvault:{:016x}", fnv1a64(path.as_bytes()))
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

    #[test]
    fn vcard_writes_n_only_from_name_parts_and_escapes_text() {
        let c = contact(
            "people/x.md",
            "---\nname: Ana María de la Cruz\norganization: \"A; B, C\"\nbirthday: 1990-05-17\nlocation: Lima, Peru\n---\n",
        );
        let text = contacts_vcard(&[c]);
        assert!(!text.contains("\r\nN:"), "no N is guessed from the name: {text}");
        assert!(text.contains("\r\nORG:A\\; B\\, C\r\n"), "{text}");
        assert!(text.contains("\r\nBDAY:19900517\r\n"), "{text}");
        assert!(text.contains("\r\nADR:;;;Lima\\, Peru;;;\r\n"), "{text}");
        let one = contacts_vcard(&[contact(
            "c.md",
            "---\nname: Mr. John Doe Sr.\nname_parts: {family: Doe, given: John, additional: [Richter, \"James, Jr\"], prefix: Mr., suffix: Sr.}\nbirthday: 02-29\n---\n",
        )]);
        assert!(one.contains("\r\nN:Doe;John;Richter,James\\, Jr;Mr.;Sr.\r\n"), "{one}");
        assert!(one.contains("\r\nBDAY:--0229\r\n"), "{one}");
    }

    #[test]
    fn vcard_uids_are_stable() {
        assert_eq!(uid(""), "urn:netvault:cbf29ce484222325");
        assert_ne!(uid("a.md"), uid("b.md"));
    }
}
