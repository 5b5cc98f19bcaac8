//! The follow-up report as files for other tools (SPEC §6, §8): CSV for spreadsheets, a Markdown
//! note for the vault, and iCalendar to-dos for calendars.
//!
//! All three are pure functions of the items and the date: no clock, no randomness, no I/O. The
//! same vault on the same day renders byte-identical output on every run and every machine, so a
//! note committed to git shows no diff and a calendar updates its to-dos instead of duplicating
//! them.

use std::fmt::Write as _;

use jiff::civil::Date;

use crate::followup::{Bucket, Reason};
use crate::report::followups::Item;

/// The CSV header, in column order.
const CSV_HEADER: [&str; 10] = [
    "path",
    "name",
    "organization",
    "title",
    "due",
    "bucket",
    "days_overdue",
    "reasons",
    "last_contact",
    "last_entry",
];

/// Every CSV netvault writes (`report --format csv`, `search --format csv`, `export csv`):
/// RFC 4180 in memory, CRLF line ends, a header row, and every data cell defused
/// ([`defuse_formula`]) on its way in, so no caller can forget it (SPEC §8).
pub(crate) struct CsvTable {
    writer: csv::Writer<Vec<u8>>,
}

impl CsvTable {
    /// A table with its header row written (the header is ours: it is not defused).
    pub(crate) fn new(header: &[&str]) -> Self {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        writer.write_record(header).expect("writing CSV to memory cannot fail");
        Self { writer }
    }

    /// One row; each cell a spreadsheet would read as a formula gets its leading `'`.
    pub(crate) fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.writer
            .write_record(cells.into_iter().map(|cell| defuse_formula(cell.as_ref())))
            .expect("writing CSV to memory cannot fail");
    }

    pub(crate) fn finish(self) -> String {
        let bytes = self.writer.into_inner().expect("flushing CSV to memory cannot fail");
        String::from_utf8(bytes).expect("CSV built from strings is UTF-8")
    }
}

/// The follow-up report as CSV ([`CsvTable`]), header row:
/// `path,name,organization,title,due,bucket,days_overdue,reasons,last_contact,last_entry`
/// (reasons joined with "; " using [`Reason::describe`]).
pub fn followups_csv(items: &[Item<'_>], today: Date) -> String {
    let mut table = CsvTable::new(&CSV_HEADER);
    for item in items {
        let c = item.contact;
        table.row([
            c.path.clone(),
            c.name.clone(),
            c.organization.clone().unwrap_or_default(),
            c.title.clone().unwrap_or_default(),
            item.due.due.to_string(),
            item.due.bucket.as_str().to_string(),
            item.due.days_overdue.to_string(),
            reasons(&item.due.reasons, "; "),
            item.last_contact.map(|d| d.to_string()).unwrap_or_default(),
            c.last_entry(today)
                .map(|e| format!("{} {}", e.date, e.text))
                .unwrap_or_default(),
        ]);
    }
    table.finish()
}

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a tab or CR before one)
/// gets a leading `'`, which spreadsheets show as text (the OWASP "CSV injection" advice).
fn defuse_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn reasons(reasons: &[Reason], separator: &str) -> String {
    reasons.iter().map(Reason::describe).collect::<Vec<_>>().join(separator)
}

/// A Markdown note fit to live in the vault: a title with the date, sections "Overdue", "Today",
/// "Coming up" (empty ones omitted), one bullet per contact as
/// `- [[<file stem>]] — <organization> — due YYYY-MM-DD (N days overdue): reason; reason` with a
/// sub-bullet for the last log entry.
///
/// Nothing in it depends on the time of day, so rewriting it when nothing changed changes no byte.
pub fn followups_markdown(items: &[Item<'_>], today: Date, within_days: i64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Follow-ups for {today}");
    let count = |b: Bucket| items.iter().filter(|i| i.due.bucket == b).count();
    if items.is_empty() {
        let _ = writeln!(out, "\nNobody is due in the next {within_days} days.");
    } else {
        let _ = writeln!(
            out,
            "\nNext {within_days} days: {} overdue · {} today · {} coming up.",
            count(Bucket::Overdue),
            count(Bucket::Today),
            count(Bucket::Upcoming)
        );
    }
    for (bucket, title) in [
        (Bucket::Overdue, "Overdue"),
        (Bucket::Today, "Today"),
        (Bucket::Upcoming, "Coming up"),
    ] {
        let mut rows = items.iter().filter(|i| i.due.bucket == bucket).peekable();
        if rows.peek().is_none() {
            continue;
        }
        let _ = writeln!(out, "\n## {title}\n");
        for item in rows {
            let c = item.contact;
            let _ = write!(out, "- {}", note_link(&c.stem, &c.path));
            if let Some(org) = c.organization.as_deref().map(one_line).filter(|o| !o.is_empty()) {
                let _ = write!(out, " — {org}");
            }
            let _ = write!(out, " — due {} ({})", item.due.due, when(item.due.due, today));
            let why = one_line(&reasons(&item.due.reasons, "; "));
            if !why.is_empty() {
                let _ = write!(out, ": {why}");
            }
            out.push('\n');
            let last = c
                .last_entry(today)
                .map(|e| one_line(&format!("{} {}", e.date, e.text)))
                .or_else(|| item.last_contact.map(|d| d.to_string()))
                .unwrap_or_else(|| "no contact logged yet".into());
            let _ = writeln!(out, "  - last: {last}");
        }
    }
    out
}

/// `[[stem]]`, verbatim (backslash escapes inside a wikilink would become part of its target).
/// A stem that a wikilink cannot carry (`[`, `]`, `|`, `#`, `^` end or split the target) gets a
/// plain Markdown link to the file instead.
fn note_link(stem: &str, path: &str) -> String {
    if stem.is_empty() || stem.contains(['[', ']', '|', '#', '^', '\n', '\r']) {
        let text: String = one_line(stem)
            .chars()
            .flat_map(|ch| {
                let escape = matches!(ch, '[' | ']' | '\\').then_some('\\');
                escape.into_iter().chain(std::iter::once(ch))
            })
            .collect();
        let target: String = one_line(path)
            .chars()
            .flat_map(|ch| {
                let escape = matches!(ch, '<' | '>' | '\\').then_some('\\');
                escape.into_iter().chain(std::iter::once(ch))
            })
            .collect();
        format!("[{text}](<{target}>)")
    } else {
        format!("[[{stem}]]")
    }
}

/// The text on one line, so that a value with a line break cannot end the bullet early.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// "today", "tomorrow", "in 3 days", "1 day overdue", "12 days overdue".
fn when(due: Date, today: Date) -> String {
    match (due - today).get_days() {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "1 day overdue".into(),
        d if d < 0 => format!("{} days overdue", -d),
        d => format!("in {d} days"),
    }
}

/// RFC 5545 iCalendar with one `VTODO` per item. The UID comes from the contact's vault-relative
/// path, so re-importing the file updates the to-dos instead of duplicating them. Lines end with
/// CRLF, text is escaped (RFC 5545 §3.3.11) and lines are folded at 75 octets without splitting
/// a UTF-8 character (§3.1).
///
/// A calendar with no items has no components; calendar programs read it as "nothing to do",
/// which is what a re-import after everyone was followed up with should say.
pub fn followups_ics(items: &[Item<'_>], today: Date) -> String {
    // DTSTAMP is required in every VTODO of a calendar without METHOD (RFC 5545 §3.6.2). The
    // wall-clock time would change the file on every run (a git diff, a rewrite under `watch`, a
    // "changed" to-do in every calendar) although nothing changed; the report's own date at
    // midnight UTC is deterministic and still says when the information was produced.
    let stamp = format!("{}T000000Z", ics_date(today));
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//netvault//followups//EN",
        "CALSCALE:GREGORIAN",
    ] {
        push_line(&mut out, line);
    }
    for item in items {
        let c = item.contact;
        push_line(&mut out, "BEGIN:VTODO");
        push_line(&mut out, &format!("UID:{}", uid(&c.path)));
        push_line(&mut out, &format!("DTSTAMP:{stamp}"));
        push_line(
            &mut out,
            &format!("SUMMARY:{}", escape_text(&format!("Follow up with {}", c.name))),
        );
        let description = reasons(&item.due.reasons, "\n");
        if !description.is_empty() {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape_text(&description)));
        }
        push_line(&mut out, &format!("DUE;VALUE=DATE:{}", ics_date(item.due.due)));
        push_line(&mut out, "STATUS:NEEDS-ACTION");
        push_line(
            &mut out,
            &format!("CATEGORIES:{}", escape_text(item.due.bucket.as_str())),
        );
        push_line(&mut out, &format!("X-NETVAULT-PATH:{}", escape_text(&c.path)));
        push_line(&mut out, "END:VTODO");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// `<FNV-1a 64 of the vault-relative path, 16 hex digits>@netvault`: the same on every run and
/// every machine, different for different files. Renaming a file starts a new to-do.
fn uid(path: &str) -> String {
    format!("{:016x}@netvault", crate::hash::fnv1a64(path.as_bytes()))
}

/// `YYYYMMDD`, the DATE value form.
fn ics_date(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// A TEXT value escaped per RFC 5545 §3.3.11: `\` `;` `,` get a backslash, a line break becomes
/// `\n`. Other control characters are not allowed in TEXT and are dropped (tab is kept).
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                // CRLF is one line break; a lone CR is one too.
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Append one content line, folded (RFC 5545 §3.1): no physical line longer than 75 octets
/// excluding the CRLF, each continuation starting with one space (which counts toward its 75),
/// and every break on a UTF-8 character boundary.
pub(crate) fn push_line(out: &mut String, line: &str) {
    const MAX_OCTETS: usize = 75;
    let mut rest = line;
    let mut limit = MAX_OCTETS;
    while rest.len() > limit {
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use jiff::civil::date;

    use super::*;
    use crate::config::VaultConfig;
    use crate::contact::Contact;
    use crate::report::followups::followups;

    const TODAY: Date = date(2026, 11, 27);

    fn contact(path: &str, text: &str) -> Contact {
        let parsed = crate::contact::parse_file(path, text.as_bytes(), &BTreeMap::new());
        parsed
            .contact
            .unwrap_or_else(|| panic!("{path} is a contact: {:?}", parsed.diagnostics))
    }

    /// Four contacts: Jane overdue, "Smith, Bob" today, Carol and Dan coming up.
    fn vault() -> Vec<Contact> {
        vec![
            contact(
                "people/Jane Doe.md",
                "---\nname: Jane Doe\norganization: Acme Corp\ntitle: Data Librarian\nfollow_up: 2026-11-20\n---\n\
                 # Jane Doe\n\n## Log\n### 2026-10-01 Coffee at Epoch #info\nAcme is opening a Denver office.\n\
                 - 2026-08-14: emailed her my portfolio #tips\n\n## Tasks\n- [ ] send thank-you note 📅 2026-12-01\n",
            ),
            contact(
                "people/Smith, Bob.md",
                "---\nname: 'Smith, \"Bob\"'\norganization: '=HYPERLINK(\"http://evil.example\",\"x\")'\n\
                 title: '@sum(A1:A2)'\nfollow_up: 2026-11-27\n---\n",
            ),
            contact(
                "work/Carol.md",
                "---\nname: Carol\norganization: '+1 Ltd'\nlast_contact: 2026-11-01\nfollow_up: 2026-11-30\n---\n",
            ),
            contact(
                "work/Dan.md",
                "---\nname: Dan\norganization: '-x'\nfollow_up: 2026-12-03\n---\n",
            ),
        ]
    }

    fn items(contacts: &[Contact]) -> Vec<Item<'_>> {
        followups(contacts, &VaultConfig::default(), TODAY, 7)
    }

    fn csv_records(text: &str) -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        reader
            .records()
            .map(|r| r.expect("valid CSV").iter().map(str::to_string).collect())
            .collect()
    }

    // ---- CSV ----

    #[test]
    fn csv_has_the_header_and_crlf_line_ends() {
        let contacts = vault();
        let text = followups_csv(&items(&contacts), TODAY);
        assert!(
            text.starts_with(
                "path,name,organization,title,due,bucket,days_overdue,reasons,last_contact,last_entry\r\n"
            )
        );
        assert!(text.ends_with("\r\n"));
        assert_eq!(
            text.matches('\n').count(),
            text.matches("\r\n").count(),
            "every LF is a CRLF"
        );
        assert_eq!(
            text.matches("\r\n").count(),
            5,
            "header and four rows, no line breaks in cells"
        );
    }

    #[test]
    fn csv_round_trips_through_a_reader() {
        let contacts = vault();
        let text = followups_csv(&items(&contacts), TODAY);
        let records = csv_records(&text);
        assert_eq!(records.len(), 5);
        assert_eq!(records[0], CSV_HEADER);
        assert_eq!(
            records[1],
            [
                "people/Jane Doe.md",
                "Jane Doe",
                "Acme Corp",
                "Data Librarian",
                "2026-11-20",
                "overdue",
                "7",
                "follow-up set for 2026-11-20; task: send thank-you note",
                "2026-10-01",
                "2026-10-01 Coffee at Epoch #info",
            ]
        );
        assert_eq!(
            records[2],
            [
                "people/Smith, Bob.md",
                "Smith, \"Bob\"",
                "'=HYPERLINK(\"http://evil.example\",\"x\")",
                "'@sum(A1:A2)",
                "2026-11-27",
                "today",
                "0",
                "follow-up set for 2026-11-27",
                "",
                "",
            ]
        );
        assert_eq!(records[3][..3], ["work/Carol.md", "Carol", "'+1 Ltd"]);
        assert_eq!(records[3][8], "2026-11-01");
        assert_eq!(records[4][..3], ["work/Dan.md", "Dan", "'-x"]);
    }

    #[test]
    fn csv_quotes_commas_and_quotes_per_rfc_4180() {
        let contacts = vault();
        let text = followups_csv(&items(&contacts), TODAY);
        let row = text.split("\r\n").nth(2).unwrap();
        assert!(
            row.starts_with(r#""people/Smith, Bob.md","Smith, ""Bob""","'=HYPERLINK(""http://evil.example"",""x"")","#),
            "{row}"
        );
    }

    #[test]
    fn csv_defuses_every_formula_prefix_and_nothing_else() {
        for cell in ["=1+1", "+1", "-x", "@sum", "\t=1", "\r=1"] {
            assert_eq!(defuse_formula(cell), format!("'{cell}"));
        }
        for cell in ["", "Acme", "2026-11-27", "a=b", " =1", "'quoted"] {
            assert_eq!(defuse_formula(cell), cell);
        }
    }

    #[test]
    fn csv_without_items_is_just_the_header() {
        assert_eq!(
            followups_csv(&[], TODAY),
            "path,name,organization,title,due,bucket,days_overdue,reasons,last_contact,last_entry\r\n"
        );
    }

    // ---- Markdown ----

    #[test]
    fn markdown_reads_as_a_note() {
        let contacts = vault();
        let text = followups_markdown(&items(&contacts), TODAY, 7);
        let expected = "# Follow-ups for 2026-11-27\n\
            \n\
            Next 7 days: 1 overdue · 1 today · 2 coming up.\n\
            \n\
            ## Overdue\n\
            \n\
            - [[Jane Doe]] — Acme Corp — due 2026-11-20 (7 days overdue): follow-up set for 2026-11-20; task: send thank-you note\n\
            \x20 - last: 2026-10-01 Coffee at Epoch #info\n\
            \n\
            ## Today\n\
            \n\
            - [[Smith, Bob]] — =HYPERLINK(\"http://evil.example\",\"x\") — due 2026-11-27 (today): follow-up set for 2026-11-27\n\
            \x20 - last: no contact logged yet\n\
            \n\
            ## Coming up\n\
            \n\
            - [[Carol]] — +1 Ltd — due 2026-11-30 (in 3 days): follow-up set for 2026-11-30\n\
            \x20 - last: 2026-11-01\n\
            - [[Dan]] — -x — due 2026-12-03 (in 6 days): follow-up set for 2026-12-03\n\
            \x20 - last: no contact logged yet\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn markdown_omits_empty_sections() {
        let contacts = vault();
        let upcoming: Vec<Item<'_>> = items(&contacts)
            .into_iter()
            .filter(|i| i.due.bucket == Bucket::Upcoming)
            .collect();
        let text = followups_markdown(&upcoming, TODAY, 7);
        assert!(text.contains("\n## Coming up\n"));
        assert!(!text.contains("## Overdue"));
        assert!(!text.contains("## Today"));
        assert!(!text.contains("[[Jane Doe]]"));

        let empty = followups_markdown(&[], TODAY, 7);
        assert_eq!(
            empty,
            "# Follow-ups for 2026-11-27\n\nNobody is due in the next 7 days.\n"
        );
    }

    #[test]
    fn markdown_links_by_file_stem_not_name() {
        let contacts = vec![contact(
            "people/jd.md",
            "---\nname: Jane Q. Doe\nfollow_up: 2026-11-27\n---\n",
        )];
        let text = followups_markdown(&items(&contacts), TODAY, 7);
        assert!(text.contains("- [[jd]] — due 2026-11-27 (today)"), "{text}");
        assert!(!text.contains("Jane Q. Doe"));
        assert_eq!(note_link("A|B", "p/A|B.md"), "[A|B](<p/A|B.md>)");
        assert_eq!(note_link("x[1]", "x[1].md"), r"[x\[1\]](<x[1].md>)");
    }

    #[test]
    fn markdown_is_deterministic_and_ends_with_one_newline() {
        let contacts = vault();
        let first = followups_markdown(&items(&contacts), TODAY, 7);
        let second = followups_markdown(&items(&contacts), TODAY, 7);
        assert_eq!(first, second);
        assert!(first.ends_with('\n') && !first.ends_with("\n\n"));
        assert!(!first.contains('\r'));
    }

    #[test]
    fn markdown_mentions_no_date_but_the_data_and_the_title() {
        let contacts = vault();
        let text = followups_markdown(&items(&contacts), TODAY, 7);
        let allowed = [
            "2026-11-27", // today, the title
            "2026-11-20",
            "2026-11-30",
            "2026-12-03", // follow-ups
            "2026-10-01", // the last log entry
            "2026-11-01", // Carol's last_contact
        ];
        let bytes = text.as_bytes();
        let mut found = 0;
        for start in 0..bytes.len().saturating_sub(9) {
            let window = &bytes[start..start + 10];
            let looks_like_date = window.iter().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    *b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
            if looks_like_date {
                let d = std::str::from_utf8(window).unwrap();
                assert!(allowed.contains(&d), "unexpected date {d} in\n{text}");
                found += 1;
            }
        }
        assert!(found >= allowed.len());
        let no_clock = !bytes
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
        assert!(no_clock, "no time of day in\n{text}");
    }

    #[test]
    fn markdown_keeps_each_bullet_on_one_line() {
        let mut c = contact("people/Eve.md", "---\nname: Eve\nfollow_up: 2026-11-27\n---\n");
        c.organization = Some("Line one\nline two".into());
        let contacts = vec![c];
        let text = followups_markdown(&items(&contacts), TODAY, 7);
        assert!(
            text.contains("- [[Eve]] — Line one line two — due 2026-11-27 (today)"),
            "{text}"
        );
    }

    // ---- iCalendar ----

    fn parse_todos(text: &str) -> Vec<BTreeMap<String, String>> {
        let unfolded = icalendar::parser::unfold(text);
        let calendar = icalendar::parser::read_calendar(&unfolded).expect("valid iCalendar");
        let props = |ps: &[icalendar::parser::Property<'_>]| -> BTreeMap<String, String> {
            ps.iter()
                .map(|p| (p.name.as_str().to_string(), p.val.as_str().to_string()))
                .collect()
        };
        let cal = props(&calendar.properties);
        assert_eq!(cal["VERSION"], "2.0");
        assert_eq!(cal["PRODID"], "-//netvault//followups//EN");
        assert_eq!(cal["CALSCALE"], "GREGORIAN");
        calendar
            .components
            .iter()
            .map(|c| {
                assert_eq!(c.name.as_str(), "VTODO");
                props(&c.properties)
            })
            .collect()
    }

    fn assert_well_formed_lines(text: &str) {
        assert!(text.ends_with("\r\n"));
        let body = text.strip_suffix("\r\n").unwrap();
        for line in body.split("\r\n") {
            assert!(!line.contains(['\r', '\n']), "bare CR or LF in {line:?}");
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
    }

    #[test]
    fn ics_has_one_vtodo_per_item() {
        let contacts = vault();
        let items = items(&contacts);
        let text = followups_ics(&items, TODAY);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//netvault//followups//EN\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_well_formed_lines(&text);
        let todos = parse_todos(&text);
        assert_eq!(todos.len(), items.len());
        for (todo, item) in todos.iter().zip(&items) {
            assert_eq!(todo["UID"], uid(&item.contact.path));
            assert_eq!(todo["SUMMARY"], format!("Follow up with {}", item.contact.name));
            assert_eq!(todo["DUE"], ics_date(item.due.due));
            assert_eq!(todo["DTSTAMP"], "20261127T000000Z");
            assert_eq!(todo["STATUS"], "NEEDS-ACTION");
            assert_eq!(todo["CATEGORIES"], item.due.bucket.as_str());
        }
        assert_eq!(todos[0]["SUMMARY"], "Follow up with Jane Doe");
        assert_eq!(todos[0]["DUE"], "20261120");
        assert_eq!(
            todos[0]["DESCRIPTION"], "follow-up set for 2026-11-20\ntask: send thank-you note",
            "one reason per line"
        );
        assert_eq!(todos[1]["SUMMARY"], "Follow up with Smith, \"Bob\"");
        assert!(text.contains("SUMMARY:Follow up with Smith\\, \"Bob\"\r\n"));
        assert!(text.contains("DUE;VALUE=DATE:20261120\r\n"));
        assert!(text.contains("X-NETVAULT-PATH:people/Smith\\, Bob.md\r\n"));
    }

    #[test]
    fn ics_uids_are_stable_and_distinct() {
        let contacts = vault();
        let first = followups_ics(&items(&contacts), TODAY);
        let second = followups_ics(&items(&contacts), TODAY);
        assert_eq!(first, second, "byte-identical across runs");
        let uids: Vec<String> = parse_todos(&first).into_iter().map(|t| t["UID"].clone()).collect();
        let mut distinct = uids.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), uids.len(), "{uids:?}");
        // FNV-1a 64 is a published function: pin it so a UID never changes between versions.
        assert_eq!(crate::hash::fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(uid("a"), "af63dc4c8601ec8c@netvault");
        assert_eq!(uid("people/Jane Doe.md"), uids[0]);
        assert_ne!(uid("people/Jane Doe.md"), uid("people/jane doe.md"));
        // The UID depends on the path only, not on the date or the due.
        let later = followups_ics(
            &followups(&contacts, &VaultConfig::default(), date(2026, 11, 28), 7),
            date(2026, 11, 28),
        );
        assert!(later.contains(&format!("UID:{}\r\n", uids[0])));
    }

    #[test]
    fn ics_folds_at_75_octets_without_splitting_characters() {
        let name = format!("x{}", "é".repeat(40));
        let mut c = contact("people/long.md", "---\nfollow_up: 2026-11-27\n---\n");
        c.name.clone_from(&name);
        let contacts = vec![c];
        let text = followups_ics(&items(&contacts), TODAY);
        assert_well_formed_lines(&text);
        let summary: Vec<&str> = text
            .split("\r\n")
            .skip_while(|l| !l.starts_with("SUMMARY:"))
            .take_while(|l| l.starts_with("SUMMARY:") || l.starts_with(' '))
            .collect();
        // "SUMMARY:Follow up with x" is 24 octets; 25 é make 74, a 26th would make 76.
        assert_eq!(summary.len(), 2, "{summary:?}");
        assert_eq!(summary[0].len(), 74);
        assert!(summary[1].starts_with(" é"));
        assert!(!text.contains('\u{FFFD}'));
        assert_eq!(parse_todos(&text)[0]["SUMMARY"], format!("Follow up with {name}"));

        let mut folded = String::new();
        push_line(&mut folded, &"a".repeat(75));
        assert_eq!(folded, format!("{}\r\n", "a".repeat(75)), "75 octets fit");
        folded.clear();
        push_line(&mut folded, &"€".repeat(60));
        let lines: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert_eq!(lines.iter().map(|l| l.len()).collect::<Vec<_>>(), [75, 73, 34]);
        assert_eq!(icalendar::parser::unfold(&folded), format!("{}\r\n", "€".repeat(60)));
    }

    #[test]
    fn ics_escapes_text_and_it_comes_back_intact() {
        let tricky = r"call, then; write C:\notes";
        let mut c = contact(
            "people/Tricky.md",
            &format!("---\nfollow_up: 2026-11-27\n---\n## Tasks\n- [ ] {tricky} 📅 2026-11-28\n"),
        );
        c.name = "Line\nBreak; Inc, \\ Co".into();
        let contacts = vec![c];
        let items = items(&contacts);
        let text = followups_ics(&items, TODAY);
        assert_well_formed_lines(&text);
        let unfolded = icalendar::parser::unfold(&text);
        assert!(unfolded.contains(r"\ntask: call\, then\; write C:\\notes"), "{text}");
        assert!(unfolded.contains(r"SUMMARY:Follow up with Line\nBreak\; Inc\, \\ Co"));
        let todo = &parse_todos(&text)[0];
        assert_eq!(
            todo["DESCRIPTION"],
            format!("follow-up set for 2026-11-27\ntask: {tricky}")
        );
        assert_eq!(todo["SUMMARY"], "Follow up with Line\nBreak; Inc, \\ Co");
        assert_eq!(escape_text("a\r\nb\rc\u{7}d\te"), "a\\nb\\ncd\te");
    }

    #[test]
    fn ics_without_items_is_an_empty_calendar() {
        assert_eq!(
            followups_ics(&[], TODAY),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//netvault//followups//EN\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n"
        );
    }

    #[test]
    fn exports_follow_a_default_cadence() {
        let config = VaultConfig::parse("[cadence]\ndefault = \"30d\"\n").expect("valid config");
        let contacts = vec![contact("people/New.md", "---\nname: New\n---\n")];
        let items = followups(&contacts, &config, TODAY, 7);
        let csv = followups_csv(&items, TODAY);
        assert!(
            csv.contains("people/New.md,New,,,2026-11-27,today,0,never contacted (every 30d),,\r\n"),
            "{csv}"
        );
        let md = followups_markdown(&items, TODAY, 7);
        assert!(md.contains("- [[New]] — due 2026-11-27 (today): never contacted (every 30d)\n"));
        let ics = followups_ics(&items, TODAY);
        assert_eq!(parse_todos(&ics)[0]["DESCRIPTION"], "never contacted (every 30d)");
    }
}
