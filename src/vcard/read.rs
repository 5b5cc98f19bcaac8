//! vCard files (SPEC §8): versions 2.1, 3.0 and 4.0, several cards per file, folded lines,
//! quoted-printable and base64, per-property charsets and groups (`item1.EMAIL`), all read by
//! Stalwart's `calcard`. This module maps a card's properties onto a [`Person`] and reports
//! what it cannot use. Pure: the file's bytes in, people and reported cards out.

use calcard::vcard::{VCard, VCardEntry, VCardProperty, VCardValue};
use calcard::{Entry, Parser};

use crate::contact::NameParts;
use crate::date::Birthday;
use crate::import::{Export, NotAnExport, Person, RowNote, clean};
use crate::validate::plausible_email;

/// The file's text, ready for the parser: see [`super::lines::prepare`] (per-property
/// charsets and quoted-printable, UTF-16, nested cards), with notes on how it was decoded.
pub fn decode(bytes: &[u8]) -> (String, Vec<RowNote>) {
    super::lines::prepare(bytes)
}

/// Read every card of the file. A card without a name (no FN, no N), an unterminated card and
/// text outside any card are reported; the other cards are still read. A file with no
/// `BEGIN:VCARD` line at all is not a vCard file.
pub fn parse(text: &str) -> Result<Export, NotAnExport> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let begins = card_lines(text);
    if begins.is_empty() {
        return Err(NotAnExport(
            "this is not a vCard file: no `BEGIN:VCARD` line was found (export contacts as .vcf)".into(),
        ));
    }
    let mut begins = begins.into_iter();
    let mut last_line = 1;
    let mut export = Export::default();
    let mut parser = Parser::new(text);
    loop {
        match parser.entry() {
            Entry::Eof => break,
            Entry::VCard(card) => {
                let (line, ended) = begins.next().unwrap_or((last_line, true));
                last_line = line;
                if !ended {
                    export.notes.push(RowNote {
                        line,
                        message: "the card has no END:VCARD (the file may be cut short); read as far as it goes".into(),
                    });
                }
                read_card(&card, line, &mut export);
            }
            Entry::UnterminatedComponent(_) => {
                let (line, _) = begins.next().unwrap_or((last_line, false));
                export.skipped.push(RowNote {
                    line,
                    message: "the card has no END:VCARD (the file may be cut short)".into(),
                });
            }
            Entry::ICalendar(_) => export.notes.push(RowNote {
                line: last_line,
                message: "a calendar entry (BEGIN:VCALENDAR), not a card; ignored".into(),
            }),
            Entry::UnexpectedComponentEnd { found, .. } => export.notes.push(RowNote {
                line: last_line,
                message: format!("an END:{} without its BEGIN; ignored", found.as_str()),
            }),
            Entry::TooManyComponents => {
                export.skipped.push(RowNote {
                    line: last_line,
                    message: "too many nested components; the rest of the file was not read".into(),
                });
                break;
            }
            Entry::InvalidLine(bad) => {
                let shown: String = bad.chars().take(60).collect();
                export.notes.push(RowNote {
                    line: last_line,
                    message: format!("text outside any card ignored: {shown:?}"),
                });
            }
            // `Entry` is non-exhaustive: anything new is reported, not fatal.
            _ => export.notes.push(RowNote {
                line: last_line,
                message: "an entry netvault does not know; ignored".into(),
            }),
        }
    }
    Ok(export)
}

/// The 1-based lines that open a card, in order, each with whether an `END:VCARD` closes it
/// before the next card or the end of the file.
fn card_lines(text: &str) -> Vec<(usize, bool)> {
    let mut cards: Vec<(usize, bool)> = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let line = line.trim();
        if line.eq_ignore_ascii_case("BEGIN:VCARD") {
            cards.push((i + 1, false));
        } else if line.eq_ignore_ascii_case("END:VCARD")
            && let Some(last) = cards.last_mut()
        {
            last.1 = true;
        }
    }
    cards
}

/// A property's values as text: text values and list components, trimmed, empty ones dropped.
fn texts(entry: &VCardEntry) -> Vec<String> {
    let mut out = Vec::new();
    for value in &entry.values {
        match value {
            VCardValue::Text(t) => out.push(t.clone()),
            VCardValue::Component(parts) => out.extend(parts.iter().cloned()),
            VCardValue::Binary(data) => {
                if let Ok(t) = String::from_utf8(data.data.clone()) {
                    out.push(t);
                }
            }
            _ => {}
        }
    }
    out.into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// One structured component (of N or ORG) as text: list components joined by spaces.
fn component(value: Option<&VCardValue>) -> String {
    match value {
        Some(VCardValue::Text(t)) => clean(t),
        Some(VCardValue::Component(parts)) => clean(&parts.join(" ")),
        // A text value calcard decoded as binary (base64 or quoted-printable bytes): keep every
        // character that is text rather than dropping the whole value.
        Some(VCardValue::Binary(data)) => clean(&String::from_utf8_lossy(&data.data)),
        _ => String::new(),
    }
}

/// The name from N: given, additional, family (prefixes and suffixes belong to FN).
fn name_from_n(entry: &VCardEntry) -> String {
    let part = |i: usize| component(entry.values.get(i));
    let parts = [part(1), part(2), part(0)];
    clean(&parts.join(" "))
}

/// N's five parts as written (each part's list items cleaned, empty ones dropped).
fn name_parts(entry: &VCardEntry) -> Option<NameParts> {
    let part = |i: usize| -> Vec<String> {
        let items = match entry.values.get(i) {
            Some(VCardValue::Text(t)) => vec![clean(t)],
            Some(VCardValue::Component(parts)) => parts.iter().map(|p| clean(p)).collect(),
            _ => Vec::new(),
        };
        items.into_iter().filter(|t| !t.is_empty()).collect()
    };
    let parts = NameParts {
        family: part(0),
        given: part(1),
        additional: part(2),
        prefix: part(3),
        suffix: part(4),
    };
    (!parts.is_empty()).then_some(parts)
}

/// ADR as a location: "city, region, country" from the structured parts, empty ones skipped.
fn location(entry: &VCardEntry) -> Option<String> {
    let parts: Vec<String> = [3, 4, 6]
        .into_iter()
        .map(|i| component(entry.values.get(i)))
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The address of `"Omega" <omega@example.com>` or `mailto:omega@example.com`.
fn email_address(value: &str) -> String {
    let value = value.trim();
    let inner = match (value.rfind('<'), value.ends_with('>')) {
        (Some(open), true) => &value[open + 1..value.len() - 1],
        _ => value,
    };
    let inner = inner.trim();
    let bare = inner
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("mailto:"))
        .map_or(inner, |_| &inner[7..]);
    clean(bare)
}

fn push_unique(list: &mut Vec<String>, value: String) {
    if !value.is_empty() && !list.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
        list.push(value);
    }
}

fn read_card(card: &VCard, line: usize, export: &mut Export) {
    let first = |property: &VCardProperty| {
        card.entries
            .iter()
            .filter(|e| &e.name == property)
            .flat_map(|e| texts(e).into_iter().map(|t| clean(&t)))
            .find(|t| !t.is_empty())
    };
    let from_n = || {
        card.entries
            .iter()
            .filter(|e| e.name == VCardProperty::N)
            .map(name_from_n)
            .find(|n| !n.is_empty())
    };
    let Some(name) = first(&VCardProperty::Fn).or_else(from_n) else {
        export.skipped.push(RowNote {
            line,
            message: "the card has no name (no FN or N)".into(),
        });
        return;
    };
    let mut person = Person {
        line,
        title: first(&VCardProperty::Title),
        organization: card
            .entries
            .iter()
            .filter(|e| e.name == VCardProperty::Org)
            .map(|e| component(e.values.first()))
            .find(|o| !o.is_empty()),
        location: card
            .entries
            .iter()
            .filter(|e| e.name == VCardProperty::Adr)
            .find_map(location),
        name_parts: card
            .entries
            .iter()
            .filter(|e| e.name == VCardProperty::N)
            .find_map(name_parts),
        ..Person::default()
    };
    let mut notes: Vec<String> = Vec::new();
    for entry in &card.entries {
        read_property(entry, &name, line, &mut person, &mut notes, export);
    }
    if !notes.is_empty() {
        person.note = Some(notes.join("\n\n"));
    }
    person.name = name;
    export.people.push(person);
}

/// One property of a card into `person` (NOTE texts into `notes`); unusable values reported.
fn read_property(
    entry: &VCardEntry,
    name: &str,
    line: usize,
    person: &mut Person,
    notes: &mut Vec<String>,
    export: &mut Export,
) {
    match &entry.name {
        VCardProperty::Email => {
            for email in texts(entry) {
                let email = email_address(&email);
                if plausible_email(&email) {
                    push_unique(&mut person.emails, email);
                } else {
                    export.notes.push(RowNote {
                        line,
                        message: format!("{name}: EMAIL {email:?} is not an email address; left out"),
                    });
                }
            }
        }
        VCardProperty::Tel => {
            for tel in texts(entry) {
                let tel = tel
                    .get(..4)
                    .filter(|p| p.eq_ignore_ascii_case("tel:"))
                    .map_or(tel.as_str(), |_| &tel[4..]);
                push_unique(&mut person.phones, clean(tel));
            }
        }
        VCardProperty::Url => {
            for url in texts(entry) {
                let url = clean(&url);
                if url.to_lowercase().contains("linkedin.com/") && person.url.is_none() {
                    person.url = Some(url);
                } else {
                    push_unique(&mut person.links, url);
                }
            }
        }
        VCardProperty::Nickname => {
            for alias in texts(entry) {
                let alias = clean(&alias);
                if alias != name {
                    push_unique(&mut person.aliases, alias);
                }
            }
        }
        VCardProperty::Categories => {
            for tag in texts(entry) {
                push_unique(&mut person.tags, clean(tag.trim_start_matches('#')));
            }
        }
        VCardProperty::Note => {
            for note in texts(entry) {
                let note = note.replace("\r\n", "\n").replace('\r', "\n");
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
        VCardProperty::Bday if person.birthday.is_none() => match birthday(entry) {
            Ok(b) => person.birthday = Some(b),
            // A text birthday (`circa 1800`) is the user's knowledge: kept in the note.
            Err(Some(text)) => notes.push(format!("Birthday: {text}")),
            Err(None) => export.notes.push(RowNote {
                line,
                message: format!("{name}: BDAY is not a date; left out"),
            }),
        },
        _ => {}
    }
}

/// BDAY as a birthday: `1990-08-08`, `19900808`, either with a time, or month and day when
/// the year is unknown (`--0817`, `--08-17`). [`super::lines`] hands every BDAY over as
/// text, because the parser reads `1990-08-08` as a year and a month. A text that is no date
/// is the error's value (kept as a note); `Err(None)` when there is nothing to keep.
fn birthday(entry: &VCardEntry) -> Result<Birthday, Option<String>> {
    let text = match entry.values.first() {
        Some(VCardValue::PartialDateTime(d)) => match (d.year, d.month, d.day) {
            (Some(y), Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
            (None, Some(m), Some(d)) => format!("{m:02}-{d:02}"),
            _ => return Err(None),
        },
        Some(VCardValue::Text(t)) => clean(t),
        _ => return Err(None),
    };
    let date = text.split(['T', 't']).next().unwrap_or_default();
    let iso = match date.strip_prefix("--") {
        Some(md) if md.len() == 4 && md.bytes().all(|b| b.is_ascii_digit()) => format!("{}-{}", &md[..2], &md[2..]),
        Some(md) => md.to_string(),
        None if date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..])
        }
        None => date.to_string(),
    };
    Birthday::parse(&iso).ok_or_else(|| (!text.is_empty()).then_some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Person {
        let export = parse(text).unwrap();
        assert_eq!(export.people.len(), 1, "{export:?}");
        export.people[0].clone()
    }

    #[test]
    fn reads_a_v21_card_with_quoted_printable_and_groups() {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;Dr.;\r\n\
            item1.EMAIL;TYPE=INTERNET:jm@example.org\r\nitem1.X-ABLabel:work\r\nTEL;CELL:+49 1\r\n\
            TEL;VALUE=uri:tel:+49-2\r\nORG:Acme;Research\r\nTITLE:Chemist\r\nNOTE:first line\\nsecond\r\n\
            BDAY:--0517\r\nCATEGORIES:#work,friends\r\nNICKNAME:Jü\r\n\
            URL:https://www.linkedin.com/in/jm\r\nURL:https://jm.example\r\nEND:VCARD\r\n";
        let p = one(text);
        assert_eq!(p.line, 1);
        assert_eq!(p.name, "Jürgen Müller");
        assert_eq!(p.emails, ["jm@example.org"]);
        assert_eq!(p.phones, ["+49 1", "+49-2"]);
        assert_eq!(p.organization.as_deref(), Some("Acme"));
        assert_eq!(p.title.as_deref(), Some("Chemist"));
        assert_eq!(p.note.as_deref(), Some("first line\nsecond"));
        assert_eq!(p.birthday.map(|b| b.to_string()).as_deref(), Some("05-17"));
        assert_eq!(p.tags, ["work", "friends"]);
        assert_eq!(p.aliases, ["Jü"]);
        assert_eq!(p.url.as_deref(), Some("https://www.linkedin.com/in/jm"));
        assert_eq!(p.links, ["https://jm.example"]);
    }

    #[test]
    fn folded_lines_and_fn_before_n() {
        let p =
            one("BEGIN:VCARD\nVERSION:4.0\nFN:Ada\n  Lovelace\nN:Lovelace;Augusta;Ada;;\nBDAY:18151210\nEND:VCARD\n");
        assert_eq!(p.name, "Ada Lovelace");
        assert_eq!(p.birthday.map(|b| b.to_string()).as_deref(), Some("1815-12-10"));
    }

    #[test]
    fn reports_nameless_unterminated_and_stray_lines() {
        let text = "junk before\nBEGIN:VCARD\nVERSION:3.0\nEMAIL:x@y.z\nEND:VCARD\n\
            BEGIN:VCARD\nFN:Kept\nEMAIL:not-an-email\nEND:VCARD\nBEGIN:VCARD\nFN:Cut\n";
        let export = parse(text).unwrap();
        let names: Vec<(&str, usize)> = export.people.iter().map(|p| (p.name.as_str(), p.line)).collect();
        assert_eq!(names, [("Kept", 6), ("Cut", 10)]);
        assert!(export.people[0].emails.is_empty());
        let skipped: Vec<(usize, &str)> = export.skipped.iter().map(|s| (s.line, s.message.as_str())).collect();
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert_eq!(skipped[0].0, 2);
        assert!(skipped[0].1.contains("no name"));
        let notes: Vec<(usize, &str)> = export.notes.iter().map(|s| (s.line, s.message.as_str())).collect();
        assert!(
            notes.iter().any(|(l, m)| *l == 6 && m.contains("not an email")),
            "{notes:?}"
        );
        assert!(
            notes.iter().any(|(l, m)| *l == 10 && m.contains("no END:VCARD")),
            "{notes:?}"
        );
    }

    #[test]
    fn rejects_files_without_cards() {
        assert!(parse("").is_err());
        assert!(
            parse("First Name,Last Name\nA,B\n")
                .unwrap_err()
                .0
                .contains("not a vCard")
        );
    }
}
