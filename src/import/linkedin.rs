//! `LinkedIn`'s `Connections.csv` export (SPEC §8): an optional BOM, CRLF, a `Notes:` preamble
//! of any length before the header line, RFC 4180 quoting, dates like `15 Mar 2021`. The older
//! export (2018 and before: no URL column, dates like `1/8/18, 6:14 PM`) is read too: columns
//! are found by their header name, not their position. Pure: the file's bytes in, people and
//! reported rows out.

use jiff::civil::Date;

use super::{Export, NotAnExport, Person, RowNote, clean};

/// The header line that starts the data, after any preamble (today's export; an older one lacks
/// `URL`, and the columns may come in another order).
pub const HEADER: [&str; 7] = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
];

/// The export's text: UTF-8, else (a file re-saved by a spreadsheet) Windows-1252, with a note.
pub fn decode(bytes: &[u8]) -> (String, Option<RowNote>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), None),
        Err(e) => {
            let line = bytes[..e.valid_up_to()].split(|&b| b == b'\n').count();
            let text = encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned();
            let note = RowNote {
                line,
                message: "the file is not UTF-8 (re-saved by a spreadsheet?); it was read as Windows-1252".into(),
            };
            (text, Some(note))
        }
    }
}

/// Where each known column is, by header name.
#[derive(Debug, Clone, Copy, Default)]
struct Columns {
    first: Option<usize>,
    last: Option<usize>,
    url: Option<usize>,
    email: Option<usize>,
    company: Option<usize>,
    position: Option<usize>,
    connected: Option<usize>,
}

impl Columns {
    /// The columns of a header line: every cell a known column name (case ignored), with
    /// `First Name` and `Last Name` among them.
    fn of(line: &str) -> Option<Self> {
        let mut columns = Columns::default();
        for (i, cell) in line.trim_end_matches(['\r', '\n']).split(',').enumerate() {
            let slot = match cell.trim().trim_matches('"').to_ascii_lowercase().as_str() {
                "first name" => &mut columns.first,
                "last name" => &mut columns.last,
                "url" | "profile url" => &mut columns.url,
                "email address" | "email" => &mut columns.email,
                "company" => &mut columns.company,
                "position" => &mut columns.position,
                "connected on" => &mut columns.connected,
                _ => return None,
            };
            if slot.replace(i).is_some() {
                return None;
            }
        }
        (columns.first.is_some() && columns.last.is_some()).then_some(columns)
    }
}

/// Read the export's text (a BOM is allowed). Rows without a name are skipped and reported;
/// a bad `Connected On` date is reported and the person kept without `connected`.
pub fn parse(text: &str) -> Result<Export, NotAnExport> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (header_start, columns) = find_header(text).ok_or_else(|| {
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
    // one after a CRLF): line endings left over from the previous record are skipped. One line
    // index for the whole export: a row's line is a lookup, not a count from the top.
    let lines = crate::span::LineIndex::new(text);
    let file_line = |p: &csv::Position| {
        let mut at = header_start
            + usize::try_from(p.byte())
                .unwrap_or(usize::MAX)
                .min(text.len() - header_start);
        while text[at..].starts_with(['\r', '\n']) {
            at += 1;
        }
        lines.line(at)
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
        read_row(&record, columns, line, &mut export);
    }
    Ok(export)
}

/// The byte offset of the header line, and its columns.
fn find_header(text: &str) -> Option<(usize, Columns)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(columns) = Columns::of(line) {
            return Some((offset, columns));
        }
        offset += line.len();
    }
    None
}

fn read_row(record: &csv::StringRecord, columns: Columns, line: usize, export: &mut Export) {
    let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).map(clean).filter(|c| !c.is_empty());
    let name = clean(&format!(
        "{} {}",
        cell(columns.first).unwrap_or_default(),
        cell(columns.last).unwrap_or_default()
    ));
    if name.is_empty() {
        let empty = (0..record.len()).all(|i| Some(i) == columns.connected || cell(Some(i)).is_none());
        let message = if empty {
            "empty row (no name)".to_string()
        } else {
            "no first or last name".to_string()
        };
        export.skipped.push(RowNote { line, message });
        return;
    }
    let connected = match cell(columns.connected) {
        None => None,
        Some(text) => {
            let date = parse_connected_on(&text);
            if date.is_none() {
                export.notes.push(RowNote {
                    line,
                    message: format!(
                        "{name}: Connected On {text:?} is not a date like `15 Mar 2021` or `1/8/18, 6:14 PM`; imported without connected"
                    ),
                });
            }
            date
        }
    };
    export.people.push(Person {
        line,
        name,
        url: cell(columns.url),
        emails: cell(columns.email).into_iter().collect(),
        organization: cell(columns.company),
        title: cell(columns.position),
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

/// `15 Mar 2021` (also `7 January 2020`), `2021-03-15`, or the older export's US form
/// `1/8/18, 6:14 PM` (month/day/year; a two-digit year is 20YY, `LinkedIn` being younger).
pub fn parse_connected_on(text: &str) -> Option<Date> {
    if let Some(date) = crate::date::parse_date(text) {
        return Some(date);
    }
    if text.contains('/') {
        let date = text.split([',', ' ']).next()?;
        let mut parts = date.split('/').map(|p| p.trim().parse::<i16>().ok());
        let (month, day, year) = (parts.next()??, parts.next()??, parts.next()??);
        if parts.next().is_some() {
            return None;
        }
        let year = if year < 100 { 2000 + year } else { year };
        return Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok();
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
        assert_eq!(parse_connected_on("1/8/18, 6:14 PM"), d(2018, 1, 8));
        assert_eq!(parse_connected_on("12/31/2017"), d(2017, 12, 31));
        assert_eq!(parse_connected_on("13/1/18, 6:14 PM"), None);
        assert_eq!(parse_connected_on("1/8"), None);
    }

    #[test]
    fn reads_the_older_export_by_column_name() {
        let text = "First Name,Last Name,Email Address,Company,Position,Connected On\r\nAda,Lovelace,ada@example.org,Engines,Programmer,\"1/8/18, 6:14 PM\"\r\n";
        let export = parse(text).unwrap();
        let ada = &export.people[0];
        assert_eq!(ada.name, "Ada Lovelace");
        assert_eq!(ada.url, None);
        assert_eq!(ada.emails, ["ada@example.org"]);
        assert_eq!(ada.title.as_deref(), Some("Programmer"));
        assert_eq!(ada.connected, Date::new(2018, 1, 8).ok());
        assert!(export.notes.is_empty(), "{export:?}");
    }

    #[test]
    fn decodes_a_resaved_file_as_windows_1252() {
        let (text, note) = decode(b"A\nRen\xE9");
        assert_eq!(text, "A\nRené");
        assert_eq!(note.unwrap().line, 2);
        assert_eq!(decode("Zoë".as_bytes()), ("Zoë".to_string(), None));
    }
}
