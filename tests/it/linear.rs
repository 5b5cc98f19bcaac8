//! Work that must stay linear in the input (SPEC §9) and CSV that must stay inert (SPEC §8),
//! through the real binary: `log` on a 20,000-line file prints exactly the lines it changed,
//! `validate` renders 16,000 diagnostics of one file, and every CSV netvault writes defuses
//! cells a spreadsheet would run as a formula.
//!
//! No test here measures time: a generous timeout only turns a hang into a failure. The
//! measurements live in the commit messages and the README.

use std::fmt::Write as _;
use std::time::Duration;

use crate::common::{TestVault, output_within};

/// Long enough for a debug build on a busy machine; a quadratic run does not finish in it.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// `run` with the hang guard.
fn run_within(vault: &TestVault, args: &[&str]) -> crate::common::Output {
    output_within(vault.command().arg("--vault").arg(vault.path()).args(args), HANG_GUARD)
}

const BODY_LINES: usize = 20_000;

/// A contact whose `## Log` comes after 20,000 lines of notes: the log entry goes at the end
/// and `last_contact` at the top, so the diff has to look across the whole file.
fn long_contact() -> String {
    let mut text = String::from("---\nname: Jane Doe\nlast_contact: 2026-01-01\n---\n\n# Jane Doe\n\n");
    for i in 0..BODY_LINES {
        writeln!(text, "note line {i} about something").expect("writing to a String");
    }
    text.push_str("\n## Log\n- 2026-01-01: first\n");
    text
}

#[test]
fn log_on_a_20000_line_file_prints_exactly_the_changed_lines() {
    let before = long_contact();
    let vault = TestVault::new().file("Jane Doe.md", &before);
    let out = run_within(&vault, &["log", "Jane Doe", "coffee"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout,
        "Jane Doe.md\n  - last_contact: 2026-01-01\n  + last_contact: 2026-11-27\n  + - 2026-11-27: coffee\n",
        "{out}"
    );
    let expected = before
        .replacen("last_contact: 2026-01-01\n", "last_contact: 2026-11-27\n", 1)
        .replacen("## Log\n", "## Log\n- 2026-11-27: coffee\n", 1);
    let after = std::fs::read_to_string(vault.join("Jane Doe.md")).expect("the file is readable");
    assert!(after == expected, "the file's bytes are not the two edits");
    assert_eq!(after.lines().count(), before.lines().count() + 1);
}

#[test]
fn validate_renders_16000_diagnostics_of_one_file() {
    const ENTRIES: usize = 16_000;
    // One file, one diagnostic per line: each rendering shows its own line of the same file.
    let mut text = String::from("---\nname: Jane Doe\n---\n\n## Log\n");
    for i in 0..ENTRIES {
        writeln!(text, "- 2027-01-01: entry {i}").expect("writing to a String");
    }
    let vault = TestVault::new().file("Jane Doe.md", text);
    let out = run_within(&vault, &["validate"]);
    assert_eq!(out.code, 0, "warnings only: {}", out.stderr);
    let rendered = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("warning[future-log-entry]"))
        .count();
    assert_eq!(rendered, ENTRIES, "{}", out.stderr);
    assert!(out.stdout.ends_with("checked 1 file: 0 errors, 16000 warnings\n"));
    // The first and the last diagnostic point at their own lines, with those lines' text.
    for (i, line) in [(0, 6), (ENTRIES - 1, ENTRIES + 5)] {
        assert!(
            out.stdout.contains(&format!("--> Jane Doe.md:{line}:1\n")),
            "line {line}"
        );
        assert!(
            out.stdout.contains(&format!("{line} | - 2027-01-01: entry {i}\n")),
            "line {line}"
        );
    }
}

/// The characters that make a spreadsheet read a cell as a formula (SPEC §8). Names,
/// organizations and titles are trimmed when read, so tab and CR can only lead a snippet.
const FORMULA_STARTS: [&str; 4] = ["=", "+", "-", "@"];

/// A contact per formula character, in name, organization and title, due for a follow-up; two
/// more whose search snippets start with `=` and with a tab.
fn formula_vault() -> TestVault {
    let mut vault = TestVault::new();
    for (i, start) in FORMULA_STARTS.iter().enumerate() {
        vault = vault.file(
            &format!("p{i}.md"),
            format!(
                "---\nname: \"{start}HYPERLINK(1) {i}\"\norganization: \"{start}cmd|' /C calc'!A0\"\ntitle: \"{start}SUM(1)\"\nfollow_up: 2026-11-01\n---\n\nzebra\n"
            ),
        );
    }
    vault
        .file("snippet-equals.md", "---\nname: Equals Snippet\n---\n=SUM(1) zebra\n")
        .file("snippet-tab.md", "---\nname: Tab Snippet\n---\n\tzebra tabbed\n")
}

/// The CSV's records, read by a real CSV reader, as maps from header to cell.
fn records(csv_text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            header.iter().cloned().zip(r.iter().map(str::to_string)).collect()
        })
        .collect()
}

/// Every p{i} contact's name, organization and title come out with a leading `'`.
fn assert_fields_defused(csv_text: &str, what: &str) {
    let rows = records(csv_text);
    for (i, start) in FORMULA_STARTS.iter().enumerate() {
        let path = format!("p{i}.md");
        let row = rows
            .iter()
            .find(|r| r["path"] == path)
            .unwrap_or_else(|| panic!("{what}: no row for {path}:\n{csv_text}"));
        assert_eq!(row["name"], format!("'{start}HYPERLINK(1) {i}"), "{what}");
        assert_eq!(row["organization"], format!("'{start}cmd|' /C calc'!A0"), "{what}");
        assert_eq!(row["title"], format!("'{start}SUM(1)"), "{what}");
    }
    // And no cell anywhere starts a formula.
    for row in &rows {
        for (column, cell) in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{what}: {column} = {cell:?} is live"
            );
        }
    }
}

#[test]
fn search_csv_defuses_formulas_in_fields_and_snippets() {
    let vault = formula_vault();
    let out = run_within(&vault, &["search", "--format", "csv", "zebra"]);
    assert_eq!(out.code, 0, "{out}");
    assert_fields_defused(&out.stdout, "search");
    let rows = records(&out.stdout);
    let snippet = |path: &str| {
        rows.iter()
            .find(|r| r["path"] == path)
            .unwrap_or_else(|| panic!("no row for {path}:\n{out}"))["snippet"]
            .clone()
    };
    assert_eq!(snippet("snippet-equals.md"), "'=SUM(1) zebra", "{out}");
    // Snippets are plain text: the line's leading tab (indentation) is not part of it.
    assert_eq!(snippet("snippet-tab.md"), "zebra tabbed", "{out}");
}

#[test]
fn report_csv_defuses_formulas() {
    let vault = formula_vault();
    let out = run_within(&vault, &["report", "--format", "csv"]);
    assert_eq!(out.code, 0, "{out}");
    // Only the contacts with a follow-up are due.
    assert_eq!(records(&out.stdout).len(), FORMULA_STARTS.len(), "{out}");
    assert_fields_defused(&out.stdout, "report");
}

#[test]
fn export_csv_defuses_formulas() {
    let vault = formula_vault();
    let out = run_within(&vault, &["export", "csv"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(records(&out.stdout).len(), FORMULA_STARTS.len() + 2, "{out}");
    assert_fields_defused(&out.stdout, "export");
}
