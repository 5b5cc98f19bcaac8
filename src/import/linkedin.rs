//! `LinkedIn`'s `Connections.csv` export (SPEC §8): an optional BOM, CRLF, a `Notes:` preamble
//! of any length before the header line, RFC 4180 quoting, dates like `15 Mar 2021`. Pure: the
//! file's text in, people and reported rows out.

use jiff::civil::Date;

use super::{Export, NotAnExport, Person, RowNote, clean};

/// The header line that starts the data, after any preamble.
pub const HEADER: [&str; 7] = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
];

/// Read the export's text (a BOM is allowed). Rows without a name are skipped and reported;
/// a bad `Connected On` date is reported and the person kept without `connected`.
pub fn parse(text: &str) -> Result<Export, NotAnExport> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_start = find_header(text).ok_or_else(|| {
        NotAnExport(format!(
            "this is not a LinkedIn connections export: no header line `{}` was found (export it from LinkedIn: Settings → Data privacy → Get a copy of your data → Connections)",
            HEADER.join(",")
        ))
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(&text.as_bytes()[header_start..]);
    let mut export = Export::default();
    let mut record = csv::StringRecord::new();
    // The file line a record starts on, from its byte offset (csv's own line count is off by
    // one after a CRLF): line endings left over from the previous record are skipped.
    let file_line = |p: &csv::Position| {
        let mut at = header_start
            + usize::try_from(p.byte())
                .unwrap_or(usize::MAX)
                .min(text.len() - header_start);
        while text[at..].starts_with(['\r', '\n']) {
            at += 1;
        }
        1 + text[..at].matches('\n').count()
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e
                    .position()
                    .map_or(String::new(), |p| format!("line {}: ", file_line(p)));
                return Err(NotAnExport(format!("{at}the CSV cannot be read: {e}")));
            }
        }
        let line = record.position().map_or(0, file_line);
        read_row(&record, line, &mut export);
    }
    Ok(export)
}

/// The byte offset of the header line.
fn find_header(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let cells: Vec<&str> = line.trim_end_matches(['\r', '\n']).split(',').map(str::trim).collect();
        if cells.len() == HEADER.len() && cells.iter().zip(HEADER).all(|(c, h)| c.eq_ignore_ascii_case(h)) {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

fn read_row(record: &csv::StringRecord, line: usize, export: &mut Export) {
    let cell = |i: usize| record.get(i).map(clean).filter(|c| !c.is_empty());
    let name = clean(&format!(
        "{} {}",
        cell(0).unwrap_or_default(),
        cell(1).unwrap_or_default()
    ));
    if name.is_empty() {
        let empty = (0..record.len()).all(|i| i == 6 || cell(i).is_none());
        let message = if empty {
            "empty row (no name)".to_string()
        } else {
            "no first or last name".to_string()
        };
        export.skipped.push(RowNote { line, message });
        return;
    }
    let connected = match cell(6) {
        None => None,
        Some(text) => {
            let date = parse_connected_on(&text);
            if date.is_none() {
                export.notes.push(RowNote {
                    line,
                    message: format!(
                        "{name}: Connected On {text:?} is not a date like `15 Mar 2021`; imported without connected"
                    ),
                });
            }
            date
        }
    };
    export.people.push(Person {
        line,
        name,
        url: cell(2),
        emails: cell(3).into_iter().collect(),
        organization: cell(4),
        title: cell(5),
        circles: vec!["online".to_string()],
        connected,
        ..Person::default()
    });
}

/// Month names, for `Connected On`.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `15 Mar 2021` (also `7 January 2020`) or `2021-03-15`.
pub fn parse_connected_on(text: &str) -> Option<Date> {
    if let Some(date) = crate::date::parse_date(text) {
        return Some(date);
    }
    let mut parts = text.split_whitespace();
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let day: i8 = day.parse().ok()?;
    let year: i16 = year.parse().ok()?;
    let month = month.to_ascii_lowercase();
    let index = MONTHS
        .iter()
        .position(|full| month == full[..3] || month == *full || (month == "sept" && *full == "september"))?;
    Date::new(year, i8::try_from(index + 1).ok()?, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREAMBLE: &str =
        "\u{feff}Notes:\r\n\"When exporting, some emails are missing, see https://x.org, thanks\"\r\n\r\n";

    #[test]
    fn finds_the_header_after_any_preamble() {
        let text = format!(
            "{PREAMBLE}{}\r\nAda,Lovelace,https://www.linkedin.com/in/ada,,\"Engines, Ltd.\",Programmer,15 Mar 2021\r\n",
            HEADER.join(",")
        );
        let export = parse(&text).unwrap();
        assert_eq!(export.people.len(), 1);
        let ada = &export.people[0];
        assert_eq!(ada.line, 5);
        assert_eq!(ada.name, "Ada Lovelace");
        assert_eq!(ada.organization.as_deref(), Some("Engines, Ltd."));
        assert!(ada.emails.is_empty());
        assert_eq!(ada.connected, Date::new(2021, 3, 15).ok());
        // No preamble at all.
        let text = format!("{}\nA,B,,,,,\n", HEADER.join(","));
        assert_eq!(parse(&text).unwrap().people[0].line, 2);
    }

    #[test]
    fn reports_empty_rows_and_bad_dates() {
        let text = format!(
            "{}\n,,,,,,02 Jun 2022\n\"Multi\nLine\",X,,,,,31 Feb 2023\n,,https://x,,,,\n",
            HEADER.join(",")
        );
        let export = parse(&text).unwrap();
        assert_eq!(export.people.len(), 1);
        assert_eq!(export.people[0].name, "Multi Line X");
        assert_eq!(export.people[0].connected, None);
        assert_eq!(export.notes.len(), 1);
        assert_eq!(export.notes[0].line, 3);
        let skipped: Vec<usize> = export.skipped.iter().map(|s| s.line).collect();
        assert_eq!(skipped, [2, 5]);
        assert!(export.skipped[0].message.contains("empty row"));
    }

    #[test]
    fn rejects_other_files() {
        let err = parse("Name,Email\nA,a@b\n").unwrap_err();
        assert!(err.0.contains("not a LinkedIn connections export"), "{err}");
        assert!(parse("").is_err());
    }

    #[test]
    fn dates() {
        let d = |y, m, dd| Date::new(y, m, dd).ok();
        assert_eq!(parse_connected_on("7 Jan 2020"), d(2020, 1, 7));
        assert_eq!(parse_connected_on("01 december 2025"), d(2025, 12, 1));
        assert_eq!(parse_connected_on("2021-03-15"), d(2021, 3, 15));
        assert_eq!(parse_connected_on("31 Feb 2023"), None);
        assert_eq!(parse_connected_on("15 Mars 2021"), None);
        assert_eq!(parse_connected_on("yesterday"), None);
    }
}
