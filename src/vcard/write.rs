//! Contacts as vCard 4.0 (RFC 6350), written by calcard: one card per contact, CRLF line ends,
//! lines folded at 75 octets without splitting a UTF-8 character, text values escaped (`\`,
//! `,`, `;` and line breaks) — the parser that `import vcard` uses reads every card back.
//!
//! Properties: FN, N (from `name_parts` only, as `import vcard` kept it; never guessed from the
//! name, so left out without them), NICKNAME (aliases), EMAIL, TEL, ORG, TITLE, ADR (the
//! location, as the city part), URL (links), BDAY (`YYYYMMDD`, or `--MMDD` without a year),
//! CATEGORIES (tags), NOTE (where you met, and your own `note:` key) and a stable UID derived
//! from the vault-relative path.

use calcard::common::PartialDateTime;
use calcard::vcard::{VCard, VCardEntry, VCardParameter, VCardProperty, VCardValue, VCardValueType, VCardVersion};

use crate::contact::Contact;
use crate::date::Birthday;
use crate::hash::fnv1a64;

/// Every contact as one card, in the order given (path order).
pub fn contacts_vcard(contacts: &[Contact]) -> String {
    let mut out = String::new();
    for c in contacts {
        // Writing into a String cannot fail.
        let _ = card(c).write_to(&mut out, VCardVersion::V4_0);
    }
    out
}

fn text(property: VCardProperty, value: &str) -> VCardEntry {
    VCardEntry::new(property).with_value(value.to_string())
}

fn texts(property: VCardProperty, values: &[String]) -> VCardEntry {
    VCardEntry::new(property).with_values(values.iter().cloned().map(VCardValue::Text).collect())
}

fn card(c: &Contact) -> VCard {
    let mut entries = vec![text(VCardProperty::Fn, &c.name)];
    // N only from the parts an import kept: a name split by guesswork reverses family-first
    // names and turns titles into given names.
    if let Some(parts) = &c.name_parts {
        let n = parts
            .in_order()
            .iter()
            .map(|part| VCardValue::Component((*part).clone()))
            .collect();
        entries.push(VCardEntry::new(VCardProperty::N).with_values(n));
    }
    if !c.aliases.is_empty() {
        entries.push(texts(VCardProperty::Nickname, &c.aliases));
    }
    entries.extend(c.emails.iter().map(|e| text(VCardProperty::Email, e)));
    // A phone as written (spaces, extensions), so as text rather than a `tel:` URI.
    entries.extend(
        c.phones
            .iter()
            .map(|p| text(VCardProperty::Tel, p).with_param(VCardParameter::value(VCardValueType::Text))),
    );
    entries.extend(c.organization.iter().map(|o| text(VCardProperty::Org, o)));
    entries.extend(c.title.iter().map(|t| text(VCardProperty::Title, t)));
    // The location as the address's city: `import vcard` reads it back unchanged.
    if let Some(location) = &c.location {
        let adr = ["", "", "", location, "", "", ""].map(|part| VCardValue::Text(part.to_string()));
        entries.push(VCardEntry::new(VCardProperty::Adr).with_values(adr.to_vec()));
    }
    for link in &c.links {
        // A URI value is not escaped (RFC 6350 §3.4); control characters cannot be in one.
        let url: String = link.url.chars().filter(|ch| !ch.is_control()).collect();
        if !url.is_empty() {
            entries.push(text(VCardProperty::Url, &url));
        }
    }
    if let Some(birthday) = c.birthday {
        entries.push(VCardEntry::new(VCardProperty::Bday).with_value(bday(birthday)));
    }
    if !c.tags.is_empty() {
        entries.push(texts(VCardProperty::Categories, &c.tags));
    }
    entries.extend(c.met_at.iter().map(|m| text(VCardProperty::Note, m)));
    // Your own `note:` key, where `import vcard` puts a card's NOTE.
    for (key, values) in &c.custom {
        if key.eq_ignore_ascii_case("note") {
            entries.extend(
                values
                    .iter()
                    .filter(|v| !v.trim().is_empty())
                    .map(|note| text(VCardProperty::Note, note)),
            );
        }
    }
    entries.push(text(VCardProperty::Uid, &uid(&c.path)));
    VCard { entries }
}

/// `YYYYMMDD`, or `--MMDD` when the year is unknown (RFC 6350 §4.3.1).
fn bday(b: Birthday) -> VCardValue {
    VCardValue::PartialDateTime(PartialDateTime {
        year: b.year.and_then(|y| u16::try_from(y).ok()),
        month: u8::try_from(b.month).ok(),
        day: u8::try_from(b.day).ok(),
        ..PartialDateTime::default()
    })
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

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character_and_read_back() {
        let name = "Zoë ".repeat(40);
        let text = contacts_vcard(&[contact(
            "z.md",
            &format!("---\nname: {name}\naliases: [JD, \"Doe, Jane\"]\nphone: \"+1 555; 0100\"\n---\n"),
        )]);
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(text.contains("\r\nNICKNAME:JD,Doe\\, Jane\r\n"), "{text}");
        assert!(text.contains("\r\nTEL;VALUE=TEXT:+1 555\\; 0100\r\n"), "{text}");
        let (prepared, _) = crate::vcard::read::decode(text.as_bytes());
        let export = crate::vcard::read::parse(&prepared).expect("calcard reads it back");
        assert_eq!(export.people.len(), 1);
        assert_eq!(export.people[0].name, name.trim());
    }
}
