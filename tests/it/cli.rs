//! End-to-end tests: the real `netvault` binary against temporary vaults (SPEC §2–§4, §9).
//!
//! Each test builds a small vault with [`TestVault`], runs the binary with a cleared environment,
//! `--color never` and `--today 2026-11-27`, and checks exit codes, JSON (parsed, never compared
//! as text) and, for the human outputs, insta snapshots with the temporary path filtered out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::common::{Output, TODAY, TestVault, netvault, output};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A contact file: the front matter lines (without the `---` fences), then the body.
fn contact(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{body}")
}

/// The severities of SPEC §9, plus `missing-field` (an error: a vault's promise is broken).
fn spec_severity(code: &str) -> &'static str {
    match code {
        "yaml-syntax"
        | "front-matter-unterminated"
        | "not-a-mapping"
        | "bad-type"
        | "bad-date"
        | "bad-span"
        | "conflict-marker"
        | "not-utf8"
        | "empty-name"
        | "bad-status"
        | "unreadable"
        | "missing-field" => "error",
        "bad-email" | "unknown-field-typo" | "no-front-matter" | "broken-link" | "duplicate-contact"
        | "future-log-entry" | "duplicate-field" => "warning",
        other => panic!("no severity known for {other}"),
    }
}

/// Run `validate --format json` and check that its diagnostics are exactly `expected`
/// (path, line, column), all with `code`; that each has the SPEC severity, a message and a hint;
/// that the counts add up; and that the exit code is 1 for errors, else 0 (and 1 with
/// `--strict`). Returns the diagnostics for further checks.
fn check_rule(vault: &TestVault, code: &str, expected: &[(&str, u64, u64)]) -> Vec<Value> {
    let (out, report) = vault.json(&["validate", "--format", "json"]);
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics is a list").clone();
    let found: Vec<(String, u64, u64, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
                d["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let wanted: Vec<(String, u64, u64, String)> = expected
        .iter()
        .map(|(path, line, column)| ((*path).to_string(), *line, *column, code.to_string()))
        .collect();
    assert_eq!(found, wanted, "diagnostics differ\n{out}");

    let severity = spec_severity(code);
    for d in &diagnostics {
        assert_eq!(d["severity"], severity, "{d}");
        assert!(
            !d["message"].as_str().unwrap_or_default().trim().is_empty(),
            "empty message: {d}"
        );
        assert!(
            !d["hint"].as_str().unwrap_or_default().trim().is_empty(),
            "empty hint: {d}"
        );
    }
    let n = expected.len() as u64;
    let (errors, warnings) = if severity == "error" { (n, 0) } else { (0, n) };
    assert_eq!(report["errors"], errors, "{out}");
    assert_eq!(report["warnings"], warnings, "{out}");
    if severity == "error" {
        assert_eq!(out.code, 1, "errors exit 1\n{out}");
    } else {
        assert_eq!(out.code, 0, "warnings alone exit 0\n{out}");
        let strict = vault.run(&["validate", "--strict", "--format", "json"]);
        assert_eq!(strict.code, 1, "--strict makes warnings fail\n{strict}");
    }
    diagnostics
}

/// `report --format json [extra...]`, which must succeed.
fn followups(vault: &TestVault, extra: &[&str]) -> Value {
    let mut args = vec!["report", "--format", "json"];
    args.extend_from_slice(extra);
    let (out, report) = vault.json(&args);
    assert_eq!(out.code, 0, "{out}");
    report
}

fn items(report: &Value) -> &Vec<Value> {
    report["items"].as_array().expect("items is a list")
}

fn item_paths(report: &Value) -> Vec<&str> {
    items(report)
        .iter()
        .map(|i| i["path"].as_str().expect("path"))
        .collect()
}

/// The report item for `path`; panics with the whole report when it is missing.
fn item<'a>(report: &'a Value, path: &str) -> &'a Value {
    items(report)
        .iter()
        .find(|i| i["path"] == path)
        .unwrap_or_else(|| panic!("no item for {path} in\n{report:#}"))
}

/// `(kind, date)` of every reason of an item.
fn reasons(item: &Value) -> Vec<(String, String)> {
    item["reasons"]
        .as_array()
        .expect("reasons is a list")
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().expect("kind").to_string(),
                r["date"].as_str().expect("date").to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| ((*a).to_string(), (*b).to_string())).collect()
}

/// `show NAME --format json`, which must succeed.
fn show(vault: &TestVault, name: &str) -> Value {
    let (out, value) = vault.json(&["show", name, "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    value
}

fn example_vault() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("example-vault")
}

// ---------------------------------------------------------------------------------------------
// 1. One test per validation rule (SPEC §9)
// ---------------------------------------------------------------------------------------------

#[test]
fn rule_yaml_syntax_points_at_the_second_occurrence_of_a_key() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\norganization: Acme\nname: Anne\n", ""));
    let d = check_rule(&v, "yaml-syntax", &[("Ann.md", 4, 1)]);
    assert!(d[0]["message"].as_str().unwrap().contains("name"), "{:#}", d[0]);
}

#[test]
fn rule_front_matter_unterminated() {
    let v = TestVault::new().file("Ann.md", "---\nname: Ann\n# Ann\n\nnotes\n");
    check_rule(&v, "front-matter-unterminated", &[("Ann.md", 1, 1)]);
}

#[test]
fn rule_not_a_mapping() {
    let v = TestVault::new().file("Ann.md", "---\n- Ann\n- Acme\n---\n");
    check_rule(&v, "not-a-mapping", &[("Ann.md", 2, 1)]);
}

#[test]
fn rule_bad_type_for_a_list_where_a_string_is_required() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\norganization: [Acme, Initech]\n", ""));
    let d = check_rule(&v, "bad-type", &[("Ann.md", 3, 15)]);
    assert!(d[0]["message"].as_str().unwrap().contains("organization"), "{:#}", d[0]);
}

#[test]
fn rule_bad_date() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\nfollow_up: 12/01/2026\n", ""));
    let d = check_rule(&v, "bad-date", &[("Ann.md", 3, 12)]);
    assert!(d[0]["message"].as_str().unwrap().contains("12/01/2026"), "{:#}", d[0]);
}

#[test]
fn rule_bad_date_accepts_datetimes_and_month_day_birthdays() {
    let v = TestVault::new().file(
        "Ann.md",
        contact(
            "name: Ann\nmet: 2026-10-01T14:30\nlast_contact: 2026-10-02 09:00\nbirthday: \"05-17\"\nfollow_up: 2026-13-01\n",
            "",
        ),
    );
    check_rule(&v, "bad-date", &[("Ann.md", 6, 12)]);
}

#[test]
fn rule_bad_span() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\ncadence: every other week\n", ""));
    check_rule(&v, "bad-span", &[("Ann.md", 3, 10)]);
}

#[test]
fn rule_bad_email() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\nemail: not-an-email\n", ""));
    let d = check_rule(&v, "bad-email", &[("Ann.md", 3, 8)]);
    assert!(d[0]["message"].as_str().unwrap().contains("not-an-email"), "{:#}", d[0]);
}

#[test]
fn rule_unknown_field_typo_suggests_the_field_and_ignores_own_keys() {
    let v = TestVault::new().file(
        "Ann.md",
        contact("name: Ann\npronouns: she/her\nfolow_up: 2026-12-01\n", ""),
    );
    let d = check_rule(&v, "unknown-field-typo", &[("Ann.md", 4, 1)]);
    let text = format!("{} {}", d[0]["message"], d[0]["hint"]);
    assert!(text.contains("follow_up"), "the suggestion is named: {text}");
}

#[test]
fn rule_no_front_matter_for_headings_toml_and_a_leading_blank_line() {
    let v = TestVault::new()
        .file("Heading.md", "# Ann\n\nmet at the fair\n")
        .file("Toml.md", "+++\nname = \"Ann\"\n+++\n")
        .file("Blank.md", "\n---\nname: Ann\n---\n");
    check_rule(
        &v,
        "no-front-matter",
        &[("Blank.md", 1, 1), ("Heading.md", 1, 1), ("Toml.md", 1, 1)],
    );
}

#[test]
fn rule_broken_link_and_links_that_resolve() {
    let v = TestVault::new()
        .file("John Smith.md", contact("name: John Smith\naliases: [Johnny]\n", ""))
        .file("Ann.md", contact("name: Ann\nintroduced_by: \"[[Jon Smith]]\"\n", ""))
        .file(
            "Bea.md",
            contact("name: Bea\nintroduced_by: \"[[john smith|John]]\"\n", ""),
        )
        .file("Cal.md", contact("name: Cal\nintroduced_by: Johnny\n", ""));
    let d = check_rule(&v, "broken-link", &[("Ann.md", 3, 16)]);
    assert!(d[0]["message"].as_str().unwrap().contains("Jon Smith"), "{:#}", d[0]);
}

#[test]
fn rule_duplicate_contact_by_email() {
    let v = TestVault::new()
        .file(
            "Jane Doe.md",
            contact("name: Jane Doe\nemails: [jane@example.org]\n", ""),
        )
        .file(
            "people/Jane D.md",
            contact("name: Jane D.\nemail: Jane@Example.org\n", ""),
        );
    let d = check_rule(
        &v,
        "duplicate-contact",
        &[("Jane Doe.md", 3, 9), ("people/Jane D.md", 3, 8)],
    );
    assert!(
        d[0]["message"].as_str().unwrap().contains("people/Jane D.md"),
        "{:#}",
        d[0]
    );
    assert!(d[1]["message"].as_str().unwrap().contains("Jane Doe.md"), "{:#}", d[1]);
}

#[test]
fn rule_duplicate_contact_by_linkedin_url() {
    let v = TestVault::new()
        .file(
            "Jane Doe.md",
            contact(
                "name: Jane Doe\nlinks:\n  linkedin: https://www.linkedin.com/in/janedoe/\n",
                "",
            ),
        )
        .file(
            "Jane D.md",
            contact("name: Jane D.\nlinks: [\"http://linkedin.com/in/JaneDoe\"]\n", ""),
        );
    let d = check_rule(&v, "duplicate-contact", &[("Jane D.md", 3, 8), ("Jane Doe.md", 4, 3)]);
    assert!(d[0]["message"].as_str().unwrap().contains("Jane Doe.md"), "{:#}", d[0]);
}

#[test]
fn rule_conflict_marker_in_the_body() {
    let v = TestVault::new().file(
        "Ann.md",
        contact(
            "name: Ann\n",
            "# Ann\n<<<<<<< HEAD\n- 2026-10-01: coffee\n=======\n- 2026-10-02: lunch\n>>>>>>> origin/main\n",
        ),
    );
    check_rule(&v, "conflict-marker", &[("Ann.md", 5, 1)]);
}

#[test]
fn rule_conflict_marker_in_the_front_matter() {
    let v = TestVault::new().file(
        "Ann.md",
        "---\nname: Ann\n<<<<<<< HEAD\norganization: Old Co\n=======\norganization: New Co\n>>>>>>> main\n---\n",
    );
    check_rule(&v, "conflict-marker", &[("Ann.md", 3, 1)]);
}

#[test]
fn rule_not_utf8() {
    let v = TestVault::new()
        .file("Latin1.md", b"---\nname: Jos\xe9\n---\n".as_slice())
        .file("Nul.md", b"---\nname: A\0B\n---\n".as_slice());
    let d = check_rule(&v, "not-utf8", &[("Latin1.md", 1, 1), ("Nul.md", 1, 1)]);
    assert!(d[0]["message"].as_str().unwrap().contains("line 2"), "{:#}", d[0]);
}

#[test]
fn rule_future_log_entry() {
    let v = TestVault::new().file(
        "Ann.md",
        contact(
            "name: Ann\n",
            "## Log\n- 2026-11-27: today is fine\n- 2027-01-01: booked lunch\n",
        ),
    );
    let d = check_rule(&v, "future-log-entry", &[("Ann.md", 6, 1)]);
    assert!(d[0]["message"].as_str().unwrap().contains("2027-01-01"), "{:#}", d[0]);
}

#[test]
fn rule_empty_name() {
    let v = TestVault::new().file("Ann.md", contact("name: \"\"\n", ""));
    check_rule(&v, "empty-name", &[("Ann.md", 2, 7)]);
}

#[test]
fn rule_bad_status() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\nstatus: retired\n", ""));
    let d = check_rule(&v, "bad-status", &[("Ann.md", 3, 9)]);
    assert!(d[0]["message"].as_str().unwrap().contains("retired"), "{:#}", d[0]);
}

#[test]
fn rule_missing_field_from_config_required() {
    let v = TestVault::new()
        .config("required = [\"emails\"]\n")
        .file("Ann.md", contact("name: Ann\n", ""))
        .file("Bea.md", contact("name: Bea\nemail: bea@example.org\n", ""))
        .file("Cal.md", contact("name: Cal\nemails: [cal@example.org]\n", ""));
    let d = check_rule(&v, "missing-field", &[("Ann.md", 1, 1)]);
    assert!(d[0]["message"].as_str().unwrap().contains("emails"), "{:#}", d[0]);
}

#[test]
fn strict_turns_warnings_into_exit_1_and_clean_vaults_pass() {
    let clean = TestVault::new().file("Ann.md", contact("name: Ann\n", ""));
    assert_eq!(clean.run(&["validate"]).code, 0);
    assert_eq!(clean.run(&["validate", "--strict"]).code, 0);

    let warned = TestVault::new().file("Ann.md", contact("name: Ann\nemail: nope\n", ""));
    let plain = warned.run(&["validate"]);
    assert_eq!(plain.code, 0, "{plain}");
    let strict = warned.run(&["validate", "--strict"]);
    assert_eq!(strict.code, 1, "{strict}");
    assert!(strict.stdout.contains("bad-email"), "{strict}");
}

#[test]
fn one_broken_file_does_not_hide_the_problems_of_others() {
    let v = TestVault::new()
        .file("A.md", "---\nname: [\n---\n")
        .file("B.md", contact("name: B\nmet: yesterday\n", ""))
        .file("C.md", contact("name: C\nstatus: gone\n", ""));
    let (out, report) = v.json(&["validate", "--format", "json"]);
    assert_eq!(out.code, 1);
    let codes: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [("A.md", "yaml-syntax"), ("B.md", "bad-date"), ("C.md", "bad-status")],
        "{out}"
    );
    assert_eq!(report["files"], 3);
}

#[test]
fn validate_accepts_bom_crlf_and_trailing_spaces_on_fences() {
    let v = TestVault::new()
        .file(
            "Bom.md",
            "\u{feff}---\r\nname: Bom\r\nmet: 2024-01-02\r\n---\r\n- 2026-01-01: hi\r\n",
        )
        .file("Spaces.md", "---  \nname: Spaces\n...\nbody\n")
        .file("Empty.md", "---\n---\n");
    let (out, report) = v.json(&["validate", "--strict", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(report["files"], 3);
    assert_eq!(report["diagnostics"], Value::Array(vec![]));
}

/// The human output shows the line each diagnostic is on, and underlines the right characters,
/// when the lines before hold a BOM, CRLF endings, accents and emoji (several bytes, one column).
#[test]
fn validate_points_at_the_right_line_after_emoji_accents_crlf_and_bom() {
    let v = TestVault::new()
        .file(
            "Émile.md",
            "\u{feff}---\r\nname: Émile 😀\r\naliases: [Zoë 😀, {x: 1}]\r\nmet: 2026-13-01\r\n---\r\n- 2099-01-01: café ☕ planned\r\n",
        )
        .file("Zoë.md", "---\nname: \"😀😀 José\"\ncadence: every 😀 week\n---\n");
    let out = v.run(&["validate"]);
    assert_eq!(out.code, 1, "{out}");
    for expected in [
        " --> Émile.md:3:18\n  |\n3 | aliases: [Zoë 😀, {x: 1}]\n  |                   ^^^^^\n",
        " --> Émile.md:4:6\n  |\n4 | met: 2026-13-01\n  |      ^^^^^^^^^^\n",
        " --> Émile.md:6:1\n  |\n6 | - 2099-01-01: café ☕ planned\n  | ^\n",
        " --> Zoë.md:3:10\n  |\n3 | cadence: every 😀 week\n  |          ^^^^^^^^^^^^^\n",
    ] {
        assert!(out.stdout.contains(expected), "{expected}\nnot in\n{out}");
    }
    let (_, report) = v.json(&["validate", "--format", "json"]);
    let positions: Vec<(u64, u64)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics is a list")
        .iter()
        .map(|d| (d["line"].as_u64().unwrap_or(0), d["column"].as_u64().unwrap_or(0)))
        .collect();
    // Sorted by path bytes: `Zoë.md` before `Émile.md`.
    assert_eq!(positions, [(3, 10), (3, 18), (4, 6), (6, 1)]);
}

#[test]
fn rule_yaml_syntax_for_tab_indentation_and_nested_duplicate_keys() {
    let v = TestVault::new()
        .file("Tab.md", "---\nname: T\nlinks:\n\tlinkedin: x\n---\n")
        .file("Nested.md", "---\nname: N\nlinks:\n  linkedin: x\n  linkedin: y\n---\n");
    let (out, report) = v.json(&["validate", "--format", "json"]);
    assert_eq!(out.code, 1, "{out}");
    let found: Vec<(&str, &str, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("Nested.md", "yaml-syntax", 5), ("Tab.md", "yaml-syntax", 4)],
        "{out}"
    );
}

#[test]
fn rule_not_a_mapping_for_a_bare_value() {
    let v = TestVault::new().file("Ann.md", "---\nJust some text\n---\n");
    check_rule(&v, "not-a-mapping", &[("Ann.md", 2, 1)]);
}

#[test]
fn rule_duplicate_field_keeps_the_first_key_of_a_single_valued_field() {
    let v = TestVault::new().file(
        "Ann.md",
        contact(
            "name: Ann\norganization: Acme\nemail: a@example.org\nORG: Acme Corp\nemails: [b@example.org]\nMet: 2024-01-02\nmet: 2025-01-02\n",
            "",
        ),
    );
    let d = check_rule(&v, "duplicate-field", &[("Ann.md", 5, 1), ("Ann.md", 8, 1)]);
    assert!(d[0]["message"].as_str().unwrap().contains("organization"), "{:#}", d[0]);
    let (_, ann) = v.json(&["show", "Ann", "--format", "json"]);
    assert_eq!(ann["organization"], "Acme", "{ann}");
    assert_eq!(ann["met"], "2024-01-02", "{ann}");
    assert_eq!(
        ann["emails"],
        serde_json::json!(["a@example.org", "b@example.org"]),
        "{ann}"
    );
    let explained = v.run(&["validate", "--explain", "duplicate-field"]);
    assert_eq!(explained.code, 0, "{explained}");
    assert!(explained.stdout.contains("first"), "{explained}");
}

#[test]
fn rule_unknown_field_typo_within_two_edits() {
    let v = TestVault::new().file(
        "Ann.md",
        contact(
            "name: Ann\nemial: a@example.org\nbirthdya: 1990-01-01\norganisation: Acme\nfavourite_food: tacos\n",
            "",
        ),
    );
    let d = check_rule(
        &v,
        "unknown-field-typo",
        &[("Ann.md", 3, 1), ("Ann.md", 4, 1), ("Ann.md", 5, 1)],
    );
    assert!(d[0]["message"].as_str().unwrap().contains("email"), "{:#}", d[0]);
    assert!(d[1]["message"].as_str().unwrap().contains("birthday"), "{:#}", d[1]);
    assert!(d[2]["message"].as_str().unwrap().contains("organization"), "{:#}", d[2]);
}

#[test]
fn columns_count_characters_not_bytes() {
    let v = TestVault::new().file("Zoe.md", contact("aliases: [Zoë, {x: 1}]\n", ""));
    check_rule(&v, "bad-type", &[("Zoe.md", 2, 16)]);
}

#[test]
fn positions_in_bom_and_crlf_files() {
    let v = TestVault::new().file(
        "Crlf.md",
        "\u{feff}---\r\nname: Crlf\r\nfollow_up: 12/01/2026\r\n---\r\n",
    );
    let d = check_rule(&v, "bad-date", &[("Crlf.md", 3, 12)]);
    assert!(!d[0]["message"].as_str().unwrap().contains('\r'), "{:#}", d[0]);
}

#[test]
fn validate_checks_only_the_given_files() {
    let v = TestVault::new()
        .file("people/Ann.md", contact("name: Ann\nmet: soon\n", ""))
        .file("people/Bea.md", contact("name: Bea\nstatus: maybe\n", ""))
        .file("people/Cal.md", contact("name: Cal\n", ""));
    let (out, report) = v.json(&["validate", "people/Ann.md", "--format", "json"]);
    assert_eq!(out.code, 1, "{out}");
    assert_eq!(report["files"], 1);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["diagnostics"][0]["path"], "people/Ann.md");
    let (clean, report) = v.json(&["validate", "people/Cal.md", "--format", "json"]);
    assert_eq!(clean.code, 0, "{clean}");
    assert_eq!(report["diagnostics"], Value::Array(vec![]));
}

#[test]
fn validate_refuses_a_path_outside_the_vault() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\n", ""));
    let elsewhere = tempfile::tempdir().unwrap();
    let outside = elsewhere.path().join("Other.md");
    std::fs::write(&outside, contact("name: Other\n", "")).unwrap();
    let out = output(v.command().arg("--vault").arg(v.path()).arg("validate").arg(&outside));
    assert_eq!(out.code, 2, "{out}");
    assert!(!out.stderr.is_empty(), "{out}");
}

#[test]
fn an_empty_vault_is_valid_and_has_nothing_due() {
    let v = TestVault::new();
    let (out, report) = v.json(&["validate", "--strict", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(report["files"], 0);
    assert_eq!(items(&followups(&v, &[])).len(), 0);
    let table = v.run(&["report"]);
    assert_eq!(table.code, 0, "{table}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_an_error_for_that_path_only_and_links_never_leave_the_vault() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("Stranger.md"),
        contact("name: Stranger\nfollow_up: 2026-11-01\n", ""),
    )
    .unwrap();
    let v = TestVault::new()
        .file("people/Ann.md", contact("name: Ann\nfollow_up: 2026-11-20\n", ""))
        .dir("people/loop");
    symlink("..", v.join("people/loop/up")).unwrap();
    symlink(outside.path(), v.join("elsewhere")).unwrap();
    symlink(outside.path().join("Stranger.md"), v.join("Stranger.md")).unwrap();
    symlink(v.join("people/Ann.md"), v.join("Ann link.md")).unwrap();

    let (out, report) = v.json(&["validate", "--format", "json"]);
    assert_eq!(out.code, 1, "the loop is an error: {out}");
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{out}");
    assert_eq!(diagnostics[0]["path"], "people/loop/up");
    assert_eq!(diagnostics[0]["severity"], "error");
    assert!(!out.stdout.contains("Stranger"), "{out}");
    let report = followups(&v, &[]);
    assert!(item_paths(&report).contains(&"people/Ann.md"), "{report:#}");
    assert!(items(&report).iter().all(|i| i["name"] != "Stranger"), "{report:#}");
}

// ---------------------------------------------------------------------------------------------
// 2. JSON shapes (SPEC §4.1)
// ---------------------------------------------------------------------------------------------

#[test]
fn validate_json_has_every_key() {
    let v = TestVault::new()
        .file("people/Ann.md", contact("name: Ann\nmet: someday\n", ""))
        .file("Bea.md", contact("name: Bea\nemail: bea-at-example\n", ""))
        .file("Cal.md", contact("name: Cal\n", ""));
    let (out, report) = v.json(&["validate", "--format", "json"]);
    assert_eq!(out.code, 1);
    assert_eq!(report["files"], 3);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["warnings"], 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 2);
    for d in diagnostics {
        for key in ["path", "message", "hint", "code", "severity"] {
            assert!(d[key].is_string(), "{key} is a string in {d}");
        }
        for key in ["line", "column"] {
            assert!(d[key].as_u64().is_some_and(|n| n >= 1), "{key} is 1-based in {d}");
        }
    }
    let ann = diagnostics.iter().find(|d| d["code"] == "bad-date").unwrap();
    assert_eq!(ann["path"], "people/Ann.md", "relative, with / separators");
    assert_eq!(ann["severity"], "error");
    let bea = diagnostics.iter().find(|d| d["code"] == "bad-email").unwrap();
    assert_eq!(bea["severity"], "warning");
}

#[test]
fn report_json_has_every_key() {
    let v = TestVault::new().file(
        "people/Ann.md",
        contact(
            "name: Ann Lee\nfollow_up: 2026-11-20\nbirthday: 1990-11-30\n",
            "## Tasks\n- [ ] send the article 📅 2026-11-25\n",
        ),
    );
    let report = followups(&v, &[]);
    assert_eq!(report["today"], TODAY);
    assert_eq!(report["within_days"], 7);
    let ann = item(&report, "people/Ann.md");
    assert_eq!(ann["name"], "Ann Lee");
    assert_eq!(ann["due"], "2026-11-20");
    assert_eq!(ann["bucket"], "overdue");
    assert_eq!(ann["days_overdue"], 7);
    assert_eq!(
        reasons(ann),
        pairs(&[
            ("follow_up", "2026-11-20"),
            ("task", "2026-11-25"),
            ("birthday", "2026-11-30")
        ])
    );
}

#[test]
fn show_json_has_every_field_and_derived_value() {
    let v = TestVault::new()
        .config("[cadence]\nalumni = \"90d\"\n")
        .file("John Smith.md", contact("name: John Smith\n", ""))
        .file(
            "people/Jane Doe.md",
            contact(
                "name: Jane Doe\naliases: [JD]\nemails: [jane@example.org]\nphones: [\"+1 512 555 0100\"]\norganization: Acme Corp\ntitle: Data Librarian\nlocation: Austin, TX\ntags: [alumni, archives]\ncircles: [alumni]\nmet: 2024-03-12\nmet_at: iSchool career fair\nintroduced_by: \"[[John Smith]]\"\nlinks:\n  linkedin: https://www.linkedin.com/in/janedoe\nfollow_up: 2026-12-01\nlast_contact: 2026-08-01\nbirthday: 1990-05-17\nstatus: active\ncan_help_with: [archives jobs in Texas]\ninterests: [digital preservation]\npronouns: she/her\n",
                "# Jane Doe\n\n## Log\n### 2026-10-01 Coffee at Epoch #info\nAcme is opening a Denver office.\n- 2026-08-14: emailed her my portfolio #tips\n\n## Tasks\n- [ ] send thank-you note 📅 2026-12-03\n- [x] connect on LinkedIn\n",
            ),
        );
    let jane = show(&v, "Jane Doe");
    assert_eq!(jane["path"], "people/Jane Doe.md");
    assert_eq!(jane["name"], "Jane Doe");
    assert_eq!(jane["aliases"], serde_json::json!(["JD"]));
    assert_eq!(jane["emails"], serde_json::json!(["jane@example.org"]));
    assert_eq!(jane["phones"], serde_json::json!(["+1 512 555 0100"]));
    assert_eq!(jane["organization"], "Acme Corp");
    assert_eq!(jane["title"], "Data Librarian");
    assert_eq!(jane["location"], "Austin, TX");
    assert!(jane["tags"].as_array().unwrap().contains(&"archives".into()));
    assert!(
        jane["tags"].as_array().unwrap().contains(&"info".into()),
        "body hashtags add to tags"
    );
    assert_eq!(jane["circles"], serde_json::json!(["alumni"]));
    assert_eq!(jane["met"], "2024-03-12");
    assert_eq!(jane["met_at"], "iSchool career fair");
    assert_eq!(jane["introduced_by"], serde_json::json!(["John Smith"]));
    assert!(
        jane["links"]
            .to_string()
            .contains("https://www.linkedin.com/in/janedoe")
    );
    assert_eq!(jane["follow_up"], "2026-12-01");
    assert!(
        jane["birthday"].as_str().unwrap().contains("05-17"),
        "{}",
        jane["birthday"]
    );
    assert_eq!(jane["status"], "active");
    assert_eq!(jane["can_help_with"], serde_json::json!(["archives jobs in Texas"]));
    assert_eq!(jane["interests"], serde_json::json!(["digital preservation"]));
    assert!(jane.to_string().contains("she/her"), "custom fields are kept");

    // Derived values: the latest of last_contact and the log; the circle's cadence.
    assert_eq!(jane["last_contact"], "2026-10-01");
    assert_eq!(jane["cadence"], "90d");
    assert_eq!(jane["due"], "2026-12-01");
    let kinds: Vec<(String, String)> = reasons(&jane);
    assert!(kinds.contains(&("follow_up".into(), "2026-12-01".into())), "{kinds:?}");
    assert!(kinds.contains(&("task".into(), "2026-12-03".into())), "{kinds:?}");
    let log = jane["log"].as_array().unwrap();
    assert_eq!(log.len(), 2);
    let dates: Vec<&str> = log.iter().map(|e| e["date"].as_str().unwrap()).collect();
    assert!(
        dates.contains(&"2026-10-01") && dates.contains(&"2026-08-14"),
        "{dates:?}"
    );
    assert!(log.iter().all(|e| e["text"].is_string()));
    let tasks = jane["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    let open = tasks.iter().find(|t| t["done"] == false).unwrap();
    assert!(open["text"].as_str().unwrap().contains("send thank-you note"));
    assert_eq!(open["due"], "2026-12-03");
}

// ---------------------------------------------------------------------------------------------
// 3. Exit codes (SPEC §4)
// ---------------------------------------------------------------------------------------------

#[test]
fn exit_2_when_no_vault_is_found() {
    let empty = tempfile::tempdir().unwrap();
    assert!(
        !empty.path().ancestors().any(|d| d.join(".netvault").is_dir()),
        "precondition: no folder above the temporary folder is a vault"
    );
    let out = output(
        netvault()
            .current_dir(empty.path())
            .args(["--today", TODAY, "validate"]),
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stdout.is_empty(), "{out}");
    assert!(out.stderr.contains("netvault init"), "tells the user what to do: {out}");
    assert!(out.stderr.contains("--vault"), "{out}");
}

#[test]
fn exit_2_when_the_vault_folder_does_not_exist() {
    let v = TestVault::new();
    let missing = v.join("no-such-folder");
    let out = output(v.command().arg("--vault").arg(&missing).arg("report"));
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("no-such-folder"), "names the folder: {out}");
}

/// A shell whose folder was deleted under it (`rmdir` of the working directory) runs netvault:
/// no relative path means anything, so it stops (it used to go on with `.`).
#[cfg(unix)]
#[test]
fn exit_2_when_the_working_directory_was_deleted() {
    let scratch = tempfile::tempdir().unwrap();
    let gone = scratch.path().join("gone");
    std::fs::create_dir(&gone).unwrap();
    let mut cmd = std::process::Command::new("sh");
    cmd.env_clear()
        .args(["-c", r#"cd "$1" && rmdir "$1" && exec "$2" --color never report"#, "sh"])
        .arg(&gone)
        .arg(env!("CARGO_BIN_EXE_netvault"));
    let out = Output::from(cmd.output().expect("sh runs"));
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stdout.is_empty(), "{out}");
    assert!(out.stderr.contains("current folder"), "says what is wrong: {out}");
    assert!(out.stderr.contains("cd"), "says what to do: {out}");
}

#[test]
fn exit_2_on_a_bad_config() {
    let v = TestVault::new()
        .config("[cadence]\nfriend = \"often\"\n")
        .file("Ann.md", contact("name: Ann\n", ""));
    for args in [&["validate"][..], &["report"], &["show", "Ann"]] {
        let out = v.run(args);
        assert_eq!(out.code, 2, "{args:?}: {out}");
        assert!(out.stderr.contains("config.toml"), "names the file: {out}");
        assert!(out.stderr.contains("often"), "names the value: {out}");
    }
}

#[test]
fn exit_2_for_an_unknown_contact() {
    let v = TestVault::new().file("Ann Lee.md", contact("name: Ann Lee\n", ""));
    let out = v.run(&["show", "Nobody At All"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("Nobody At All"), "{out}");
    assert!(out.stdout.is_empty(), "{out}");
}

#[test]
fn exit_2_for_an_ambiguous_name_listing_the_candidates() {
    let v = TestVault::new()
        .file("work/Alex.md", contact("name: Alex Kim\n", ""))
        .file("school/Alex.md", contact("name: Alex Park\n", ""));
    let out = v.run(&["show", "alex"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("work/Alex.md"), "{out}");
    assert!(out.stderr.contains("school/Alex.md"), "{out}");
}

#[test]
fn exit_2_when_init_finds_an_existing_netvault_folder() {
    let v = TestVault::new().config("# mine\n[cadence]\ndefault = \"30d\"\n");
    let out = output(v.command().arg("init"));
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains(".netvault"), "{out}");
    assert_eq!(
        std::fs::read_to_string(v.join(".netvault/config.toml")).unwrap(),
        "# mine\n[cadence]\ndefault = \"30d\"\n",
        "the existing config is untouched"
    );
    assert!(!v.join(".netvault/template.md").exists());
}

#[test]
fn exit_2_on_a_bad_today_value() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\n", ""));
    for bad in ["2026-13-01", "tomorrow", "27/11/2026"] {
        let out = output(
            netvault()
                .current_dir(v.path())
                .arg("--vault")
                .arg(v.path())
                .args(["--today", bad, "report"]),
        );
        assert_eq!(out.code, 2, "{bad}: {out}");
        assert!(out.stderr.contains(bad), "{out}");
    }
}

#[test]
fn exit_2_on_a_bad_within_span_and_unknown_flags() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\n", ""));
    assert_eq!(v.run(&["report", "--within", "soon"]).code, 2);
    assert_eq!(v.run(&["validate", "--no-such-flag"]).code, 2);
}

// ---------------------------------------------------------------------------------------------
// 4. Follow-up reasons and edges (SPEC §3.3), today = 2026-11-27
// ---------------------------------------------------------------------------------------------

#[test]
fn follow_up_overdue() {
    let v = TestVault::new().file(
        "Ann.md",
        contact(
            "name: Ann\nfollow_up: 2026-11-20\n",
            "- 2026-11-19: called, she was out\n",
        ),
    );
    let report = followups(&v, &[]);
    let ann = item(&report, "Ann.md");
    assert_eq!(ann["due"], "2026-11-20");
    assert_eq!(ann["bucket"], "overdue");
    assert_eq!(ann["days_overdue"], 7);
    assert_eq!(reasons(ann), pairs(&[("follow_up", "2026-11-20")]));
}

#[test]
fn follow_up_is_satisfied_by_a_contact_on_or_after_that_day() {
    let v = TestVault::new()
        .file(
            "SameDayLog.md",
            contact("name: A\nfollow_up: 2026-11-20\n", "## Log\n- 2026-11-20: called her\n"),
        )
        .file(
            "LaterField.md",
            contact("name: B\nfollow_up: 2026-11-20\nlast_contact: 2026-11-22\n", ""),
        )
        .file(
            "EarlierLog.md",
            contact("name: C\nfollow_up: 2026-11-20\n", "### 2026-11-19 Coffee\n"),
        );
    let report = followups(&v, &[]);
    assert_eq!(item_paths(&report), ["EarlierLog.md"]);
}

#[test]
fn cadence_counts_from_the_last_contact() {
    let v = TestVault::new().file(
        "Ann.md",
        contact(
            "name: Ann\ncadence: 30d\nlast_contact: 2026-10-01\nmet: 2020-01-01\n",
            "## Log\n- 2026-10-20: coffee\n- 2026-09-01: lunch\n",
        ),
    );
    let report = followups(&v, &[]);
    let ann = item(&report, "Ann.md");
    assert_eq!(ann["due"], "2026-11-19", "2026-10-20 (latest of field and log) + 30d");
    assert_eq!(ann["days_overdue"], 8);
    assert_eq!(reasons(ann), pairs(&[("cadence", "2026-11-19")]));
}

#[test]
fn cadence_counts_from_met_without_a_last_contact() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\ncadence: 90d\nmet: 2026-08-01\n", ""));
    let report = followups(&v, &[]);
    let ann = item(&report, "Ann.md");
    assert_eq!(ann["due"], "2026-10-30");
    assert_eq!(ann["bucket"], "overdue");
    assert_eq!(ann["days_overdue"], 28);
    assert_eq!(reasons(ann), pairs(&[("cadence", "2026-10-30")]));
}

#[test]
fn never_contacted_with_the_config_default_cadence() {
    let files = |v: TestVault| v.file("Ann.md", contact("name: Ann\n", ""));
    let v = files(TestVault::new().config("[cadence]\ndefault = \"180d\"\n"));
    let report = followups(&v, &[]);
    let ann = item(&report, "Ann.md");
    assert_eq!(ann["due"], TODAY);
    assert_eq!(ann["bucket"], "today");
    assert_eq!(ann["days_overdue"], 0);
    assert_eq!(reasons(ann), pairs(&[("never-contacted", TODAY)]));

    // A vault without a config has no implicit cadence.
    let bare = files(TestVault::new());
    assert_eq!(items(&followups(&bare, &[])).len(), 0);
}

#[test]
fn circle_cadence_applies_and_the_contacts_own_cadence_wins() {
    let v = TestVault::new()
        .config("[cadence]\ndefault = \"1y\"\nfriend = \"30d\"\n")
        .file(
            "Circle.md",
            contact("name: C\ncircles: [club, friend]\nlast_contact: 2026-10-01\n", ""),
        )
        .file(
            "Own.md",
            contact(
                "name: O\ncircles: [friend]\ncadence: 2w\nlast_contact: 2026-10-01\n",
                "",
            ),
        )
        .file(
            "Default.md",
            contact("name: D\ncircles: [club]\nlast_contact: 2026-10-01\n", ""),
        );
    let report = followups(&v, &[]);
    assert_eq!(item_paths(&report), ["Own.md", "Circle.md"]);
    assert_eq!(item(&report, "Own.md")["due"], "2026-10-15");
    assert_eq!(item(&report, "Circle.md")["due"], "2026-10-31");
    assert_eq!(show(&v, "O")["cadence"], "2w");
    assert_eq!(show(&v, "C")["cadence"], "30d");
    assert_eq!(show(&v, "D")["cadence"], "1y");
}

#[test]
fn month_spans_clamp_the_day() {
    let v = TestVault::new().file(
        "Ann.md",
        contact("name: Ann\ncadence: 1m\nlast_contact: 2026-10-31\n", ""),
    );
    let report = followups(&v, &[]);
    let ann = item(&report, "Ann.md");
    assert_eq!(ann["due"], "2026-11-30", "Oct 31 + 1 month = Nov 30");
    assert_eq!(ann["bucket"], "upcoming");
    assert_eq!(ann["days_overdue"], 0);
    assert_eq!(reasons(ann), pairs(&[("cadence", "2026-11-30")]));
}

#[test]
fn open_task_due_dates_count_and_done_tasks_are_ignored() {
    let v = TestVault::new().file(
        "Ann.md",
        contact(
            "name: Ann\n",
            "## Tasks\n- [x] old reminder 📅 2026-11-01\n- [ ] send thank-you note 📅 2026-11-30\n- [ ] call about the job due:2026-12-02\n- [ ] someday, no date\n",
        ),
    );
    let report = followups(&v, &[]);
    let ann = item(&report, "Ann.md");
    assert_eq!(ann["due"], "2026-11-30");
    assert_eq!(ann["bucket"], "upcoming");
    assert_eq!(reasons(ann), pairs(&[("task", "2026-11-30"), ("task", "2026-12-02")]));
}

#[test]
fn birthdays_count_only_inside_the_window() {
    let v = TestVault::new()
        .file("Inside.md", contact("name: I\nbirthday: 1990-12-01\n", ""))
        .file("Today.md", contact("name: T\nbirthday: \"11-27\"\n", ""))
        .file("Outside.md", contact("name: O\nbirthday: \"12-25\"\n", ""))
        .file("Past.md", contact("name: P\nbirthday: 1985-11-20\n", ""));
    let report = followups(&v, &[]);
    assert_eq!(item_paths(&report), ["Today.md", "Inside.md"]);
    assert_eq!(
        reasons(item(&report, "Inside.md")),
        pairs(&[("birthday", "2026-12-01")])
    );
    assert_eq!(item(&report, "Today.md")["bucket"], "today");
    // A wider window reaches Christmas.
    let wide = followups(&v, &["--within", "30d"]);
    assert_eq!(item(&wide, "Outside.md")["due"], "2026-12-25");
}

#[test]
fn birthdays_wrap_around_new_year() {
    let v = TestVault::new()
        .today("2026-12-30")
        .file("Ann.md", contact("name: Ann\nbirthday: \"01-02\"\n", ""));
    let report = followups(&v, &["--within", "7d"]);
    assert_eq!(report["today"], "2026-12-30");
    let ann = item(&report, "Ann.md");
    assert_eq!(ann["due"], "2027-01-02");
    assert_eq!(ann["bucket"], "upcoming");
    assert_eq!(reasons(ann), pairs(&[("birthday", "2027-01-02")]));
}

#[test]
fn archived_contacts_get_no_item() {
    let v = TestVault::new()
        .config("[cadence]\ndefault = \"30d\"\n")
        .file(
            "Archived.md",
            contact(
                "name: A\nstatus: archived\nfollow_up: 2026-11-01\nbirthday: \"11-28\"\n",
                "- [ ] a task 📅 2026-11-02\n",
            ),
        )
        .file(
            "Dormant.md",
            contact("name: D\nstatus: dormant\nfollow_up: 2026-11-01\n", ""),
        );
    let report = followups(&v, &[]);
    assert_eq!(item_paths(&report), ["Dormant.md"]);
}

#[test]
fn future_log_entries_do_not_count_as_last_contact() {
    let v = TestVault::new().file(
        "Ann.md",
        contact(
            "name: Ann\ncadence: 30d\nlast_contact: 2026-09-01\n",
            "## Log\n- 2027-01-05: planned lunch\n",
        ),
    );
    let report = followups(&v, &[]);
    let ann = item(&report, "Ann.md");
    assert_eq!(ann["due"], "2026-10-01");
    assert_eq!(ann["days_overdue"], 57);
    assert_eq!(show(&v, "Ann")["last_contact"], "2026-09-01");
}

#[test]
fn window_edges_default_seven_days_and_within_fourteen() {
    let v = TestVault::new()
        .file("Plus7.md", contact("name: A\nfollow_up: 2026-12-04\n", ""))
        .file("Plus8.md", contact("name: B\nfollow_up: 2026-12-05\n", ""))
        .file("Plus14.md", contact("name: C\nfollow_up: 2026-12-11\n", ""))
        .file("Plus15.md", contact("name: D\nfollow_up: 2026-12-12\n", ""));
    let week = followups(&v, &[]);
    assert_eq!(week["within_days"], 7);
    assert_eq!(item_paths(&week), ["Plus7.md"]);
    assert_eq!(item(&week, "Plus7.md")["bucket"], "upcoming");

    let two_weeks = followups(&v, &["--within", "14d"]);
    assert_eq!(two_weeks["within_days"], 14);
    assert_eq!(item_paths(&two_weeks), ["Plus7.md", "Plus8.md", "Plus14.md"]);
    let as_weeks = followups(&v, &["--within", "2w"]);
    assert_eq!(item_paths(&as_weeks), item_paths(&two_weeks));
}

#[test]
fn buckets_and_days_overdue() {
    let v = TestVault::new()
        .file("Overdue.md", contact("name: O\nfollow_up: 2026-11-25\n", ""))
        .file("Today.md", contact("name: T\nfollow_up: 2026-11-27\n", ""))
        .file("Upcoming.md", contact("name: U\nfollow_up: 2026-11-29\n", ""));
    let report = followups(&v, &[]);
    let got: Vec<(&str, &str, i64)> = items(&report)
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap(),
                i["bucket"].as_str().unwrap(),
                i["days_overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Overdue.md", "overdue", 2),
            ("Today.md", "today", 0),
            ("Upcoming.md", "upcoming", 0)
        ]
    );
}

#[test]
fn items_are_sorted_by_due_then_path() {
    let v = TestVault::new()
        .file("a.md", contact("name: Late\nfollow_up: 2026-11-25\n", ""))
        .file("z.md", contact("name: Z\nfollow_up: 2026-11-20\n", ""))
        .file("c/a.md", contact("name: CA\nfollow_up: 2026-11-20\n", ""))
        .file("b.md", contact("name: B\nfollow_up: 2026-11-20\n", ""))
        .file("early.md", contact("name: Early\nfollow_up: 2026-11-02\n", ""));
    let report = followups(&v, &[]);
    assert_eq!(item_paths(&report), ["early.md", "b.md", "c/a.md", "z.md", "a.md"]);
}

#[test]
fn an_item_carries_all_its_reasons_within_the_window() {
    // SPEC v2 §3.3: a pending follow_up replaces the rhythm, so Ann's cadence is not a reason;
    // Bob, with no plan of his own, has the rhythm beside his task and birthday.
    let both = "cadence: 30d\nlast_contact: 2026-10-30\nbirthday: \"12-02\"\n";
    let tasks = "- [ ] send notes 📅 2026-11-26\n- [ ] later task 📅 2026-12-20\n";
    let v = TestVault::new()
        .file(
            "Ann.md",
            contact(&format!("name: Ann\nfollow_up: 2026-11-24\n{both}"), tasks),
        )
        .file("Bob.md", contact(&format!("name: Bob\n{both}"), tasks));
    let report = followups(&v, &[]);
    for (path, due, expected) in [
        (
            "Ann.md",
            "2026-11-24",
            [
                ("follow_up", "2026-11-24"),
                ("task", "2026-11-26"),
                ("birthday", "2026-12-02"),
            ],
        ),
        (
            "Bob.md",
            "2026-11-26",
            [
                ("task", "2026-11-26"),
                ("cadence", "2026-11-29"),
                ("birthday", "2026-12-02"),
            ],
        ),
    ] {
        let it = item(&report, path);
        assert_eq!(it["due"], due, "{path}");
        let got = reasons(it);
        // Whether a reason beyond the window (the 2026-12-20 task) is listed too is left open.
        assert_eq!(got[..3], pairs(&expected), "{path}: {got:?}");
        assert!(got.iter().all(|(kind, _)| kind != "cadence") || path == "Bob.md");
        assert!(got.windows(2).all(|w| w[0].1 <= w[1].1), "earliest first: {got:?}");
    }
}

#[test]
fn a_broken_front_matter_does_not_stop_the_others_from_being_reported() {
    let v = TestVault::new()
        .file("Broken.md", "---\nname: Bo\nname: Bob\nfollow_up: 2026-11-01\n---\n")
        .file("Unterminated.md", "---\nname: Una\nfollow_up: 2026-11-01\n")
        .file(
            "Latin1.md",
            b"---\nname: Jos\xe9\nfollow_up: 2026-11-01\n---\n".as_slice(),
        )
        .file("Fine.md", contact("name: Fine\nfollow_up: 2026-11-20\n", ""))
        .file("Also Fine.md", contact("name: Also\nfollow_up: 2026-11-21\n", ""));
    let report = followups(&v, &[]);
    assert_eq!(item_paths(&report), ["Fine.md", "Also Fine.md"]);
    let table = v.run(&["report"]);
    assert_eq!(table.code, 0, "{table}");
    assert!(table.stdout.contains("Fine"), "{table}");
}

#[test]
fn year_and_word_spans_clamp_too() {
    let v = TestVault::new()
        .today("2025-02-27")
        .file(
            "Leap.md",
            contact("name: L\ncadence: 1y\nlast_contact: 2024-02-29\n", ""),
        )
        .file(
            "Quarter.md",
            contact("name: Q\ncadence: quarterly\nlast_contact: 2024-11-30\n", ""),
        );
    let report = followups(&v, &[]);
    assert_eq!(item(&report, "Leap.md")["due"], "2025-02-28");
    assert_eq!(item(&report, "Quarter.md")["due"], "2025-02-28");
}

#[test]
fn log_entries_come_from_dated_headings_and_list_items_outside_code() {
    let v = TestVault::new()
        .file(
            "Code.md",
            contact(
                "name: Code\ncadence: 30d\nlast_contact: 2026-10-01\n",
                "```\n- 2026-11-20: inside a code block\n```\n\n    - 2026-11-21: indented code\n\n- `2026-11-22: inline code`\n- [ ] 2026-11-23 a task is not a log entry\n",
            ),
        )
        .file(
            "Heading.md",
            contact("name: Heading\ncadence: 30d\n", "# 2026-11-01 Met at the fair\n"),
        )
        .file(
            "Nested.md",
            contact("name: Nested\ncadence: 30d\n", "- Calls\n  - 2026-11-02: nested item\n"),
        );
    let report = followups(&v, &["--within", "30d"]);
    assert_eq!(
        item(&report, "Code.md")["due"],
        "2026-10-31",
        "code and tasks do not count"
    );
    assert_eq!(item(&report, "Heading.md")["due"], "2026-12-01");
    assert_eq!(item(&report, "Nested.md")["due"], "2026-12-02");
    assert_eq!(show(&v, "Code")["log"], Value::Array(vec![]));
}

#[test]
fn a_bad_field_does_not_drop_the_contact_from_the_report() {
    let v = TestVault::new().file(
        "Ann.md",
        contact("name: Ann\nmet: someday\ncadence: often\nfollow_up: 2026-11-20\n", ""),
    );
    let report = followups(&v, &[]);
    assert_eq!(reasons(item(&report, "Ann.md")), pairs(&[("follow_up", "2026-11-20")]));
}

#[test]
fn report_output_writes_the_report_to_a_file() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\nfollow_up: 2026-11-20\n", ""));
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("followups.json");
    let out = output(
        v.command()
            .arg("--vault")
            .arg(v.path())
            .args(["report", "--format", "json", "--output"])
            .arg(&target),
    );
    assert_eq!(out.code, 0, "{out}");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(item_paths(&written), ["Ann.md"]);
}

#[test]
fn netvault_today_env_sets_today() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\nfollow_up: 2026-12-01\n", ""));
    let out = output(
        netvault()
            .env("NETVAULT_TODAY", "2026-12-03")
            .arg("--vault")
            .arg(v.path())
            .args(["report", "--format", "json"]),
    );
    assert_eq!(out.code, 0, "{out}");
    let report = out.json();
    assert_eq!(report["today"], "2026-12-03");
    assert_eq!(item(&report, "Ann.md")["days_overdue"], 2);
}

// ---------------------------------------------------------------------------------------------
// 5. Read-only commands change nothing
// ---------------------------------------------------------------------------------------------

/// Every file under `root` with its bytes and modification time, except what a read-only
/// command may write: the derived `.netvault/index/` and the `.netvault/.gitignore` that lists
/// it (SPEC §2, §4).
fn tree(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if rel.starts_with(".netvault/index") || rel == Path::new(".netvault/.gitignore") {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                let meta = entry.metadata().unwrap();
                out.insert(rel, (std::fs::read(&path).unwrap(), meta.modified().unwrap()));
            }
        }
    }
    out
}

/// Set every file's modification time to a fixed past instant, so any rewrite shows.
fn age_files(root: &Path) {
    let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    for path in tree(root).keys() {
        let file = std::fs::File::options().write(true).open(root.join(path)).unwrap();
        file.set_modified(past).unwrap();
    }
}

#[test]
fn read_only_commands_change_no_byte() {
    let v = TestVault::new()
        .config("[cadence]\ndefault = \"90d\"\n")
        .file(
            "people/Bom Crlf.md",
            "\u{feff}---\r\nname: Bom Crlf\r\nfollow_up: 2026-11-20\r\n---\r\n## Log\r\n- 2026-10-01: hi\r\n",
        )
        .file(
            "people/Jane Doe.md",
            contact(
                "name: Jane Doe # comment\naliases: [JD]\nmet: 2026-01-01\n",
                "## Tasks\n- [ ] write 📅 2026-11-28\n",
            ),
        )
        .file("people/Broken.md", "---\nname: [\n---\n")
        .file("people/Latin1.md", b"---\nname: Jos\xe9\n---\n".as_slice())
        .file("notes/No Front.md", "# just notes\n")
        .file("README.md", "# my vault\n");
    age_files(v.path());
    let before = tree(v.path());
    let runs: &[&[&str]] = &[
        &["validate"],
        &["validate", "--format", "json"],
        &["validate", "--strict"],
        &["validate", "people/Jane Doe.md"],
        &["show", "Jane Doe"],
        &["show", "JD", "--format", "json"],
        &["show", "Bom Crlf", "--format", "json"],
        &["report"],
        &["report", "followups", "--format", "table"],
        &["report", "--format", "json", "--within", "30d"],
    ];
    for args in runs {
        let out = v.run(args);
        assert_ne!(out.code, 2, "{args:?} ran: {out}");
    }
    let after = tree(v.path());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "no file created or removed outside .netvault/index"
    );
    if let Ok(gitignore) = std::fs::read_to_string(v.join(".netvault/.gitignore")) {
        assert!(gitignore.lines().any(|l| l.trim() == "index/"), "{gitignore}");
    }
    for (path, (bytes, mtime)) in &before {
        let (bytes_after, mtime_after) = &after[path];
        assert!(bytes == bytes_after, "{} changed", path.display());
        assert_eq!(mtime, mtime_after, "{} was rewritten", path.display());
    }
}

// ---------------------------------------------------------------------------------------------
// 6. validate --explain
// ---------------------------------------------------------------------------------------------

#[test]
fn explain_prints_what_a_rule_checks() {
    let out = output(netvault().args(["validate", "--explain", "bad-date"]));
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.starts_with("bad-date"), "{out}");
    assert!(out.stdout.contains("YYYY-MM-DD"), "{out}");
    assert!(out.stdout.contains("Why it matters"), "{out}");
}

/// Every code netvault can report has its own `rule_…` test in this file, so a new rule cannot
/// land untested.
#[test]
fn every_code_has_a_rule_test() {
    let source = include_str!("cli.rs");
    let missing: Vec<&str> = netvault::diagnostic::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|code| !source.contains(&format!("fn rule_{}", code.replace('-', "_"))))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a `fn rule_<code>` test here: {missing:?}"
    );
}

#[test]
fn rule_unreadable_for_a_file_over_the_size_limit_and_a_link_loop() {
    let mut big = String::from("---\nname: Too Big\n---\n");
    big.push_str(&"x".repeat(17 << 20));
    let v = TestVault::new()
        .file("Too Big.md", big)
        .file("Fine.md", "---\nname: Fine Person\n---\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink("Loop.md", v.join("Loop.md")).unwrap();
    let (out, json) = v.json(&["validate", "--format", "json"]);
    assert_eq!(out.code, 1, "{out}");
    let unreadable: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unreadable")
        .map(|d| {
            assert_eq!(d["severity"], spec_severity("unreadable"), "{d}");
            assert!(!d["hint"].as_str().unwrap().is_empty(), "{d}");
            d["path"].as_str().unwrap()
        })
        .collect();
    let mut expected = vec!["Too Big.md"];
    if cfg!(unix) {
        expected.insert(0, "Loop.md");
    }
    assert_eq!(unreadable, expected, "{out}");
    // The other file is read as usual.
    let out = v.run(&["search", "fine", "--format", "paths"]);
    assert_eq!(out.stdout, "Fine.md\n", "{out}");
}

#[test]
fn explain_knows_every_spec_code() {
    for code in [
        "yaml-syntax",
        "front-matter-unterminated",
        "not-a-mapping",
        "bad-type",
        "bad-date",
        "bad-span",
        "bad-email",
        "unknown-field-typo",
        "no-front-matter",
        "broken-link",
        "duplicate-contact",
        "conflict-marker",
        "not-utf8",
        "future-log-entry",
        "empty-name",
        "bad-status",
        "unreadable",
        "missing-field",
    ] {
        let out = output(netvault().args(["validate", "--explain", code]));
        assert_eq!(out.code, 0, "{code}: {out}");
        assert!(out.stdout.contains(code), "{out}");
        assert!(out.stdout.contains(spec_severity(code)), "{code}: {out}");
    }
}

#[test]
fn explain_an_unknown_code_exits_2() {
    let out = output(netvault().args(["validate", "--explain", "nope"]));
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("nope"), "{out}");
    assert!(out.stderr.contains("bad-date"), "lists the known codes: {out}");
}

// ---------------------------------------------------------------------------------------------
// 7. init
// ---------------------------------------------------------------------------------------------

#[test]
fn init_creates_config_template_and_gitignore() {
    let v = TestVault::new();
    let out = output(v.command().arg("init"));
    assert_eq!(out.code, 0, "{out}");
    for file in ["config.toml", "template.md", ".gitignore"] {
        assert!(v.join(".netvault").join(file).is_file(), "{file} exists");
    }
    let gitignore = std::fs::read_to_string(v.join(".netvault/.gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l.trim() == "index/"), "{gitignore}");
    let template = std::fs::read_to_string(v.join(".netvault/template.md")).unwrap();
    assert!(template.starts_with("---"), "{template}");
    // The new vault is found from its root without --vault; .netvault/ holds no contacts.
    let validate = output(v.command().args(["validate", "--strict", "--format", "json"]));
    assert_eq!(validate.code, 0, "{validate}");
    assert_eq!(validate.json()["files"], 0, "{validate}");
}

#[test]
fn init_works_after_a_read_created_the_index() {
    let v = TestVault::new().file(
        "Ann.md",
        contact(
            "name: Ann
",
            "",
        ),
    );
    assert_eq!(v.run(&["report"]).code, 0, "a vault needs no .netvault/ to be read");
    let out = output(v.command().arg("init"));
    assert_eq!(out.code, 0, "{out}");
    assert!(v.join(".netvault/config.toml").is_file());
    assert!(v.join(".netvault/template.md").is_file());
    let gitignore = std::fs::read_to_string(v.join(".netvault/.gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l.trim() == "index/"), "{gitignore}");
}

#[test]
fn init_into_a_named_folder() {
    let v = TestVault::new().dir("network");
    let out = output(v.command().args(["init", "network"]));
    assert_eq!(out.code, 0, "{out}");
    assert!(v.join("network/.netvault/config.toml").is_file());
    assert!(
        !v.join(".netvault").exists(),
        "nothing is created in the current folder"
    );
}

#[test]
fn init_honours_the_vault_flag() {
    let v = TestVault::new().dir("network");
    let out = output(v.command().args(["--vault", "network", "init"]));
    assert_eq!(out.code, 0, "{out}");
    assert!(v.join("network/.netvault/config.toml").is_file());
    assert!(
        !v.join(".netvault").exists(),
        "nothing is created in the current folder"
    );
}

#[test]
fn init_config_gives_per_circle_cadences() {
    let v = TestVault::new();
    assert_eq!(output(v.command().arg("init")).code, 0);
    let v = v
        .file("Friend.md", contact("name: Fran\ncircles: [friend]\n", ""))
        .file("Nobody.md", contact("name: Nob\n", ""));
    let report = followups(&v, &[]);
    let fran = item(&report, "Friend.md");
    assert_eq!(fran["due"], TODAY);
    assert_eq!(fran["bucket"], "today");
    assert_eq!(reasons(fran), pairs(&[("never-contacted", TODAY)]));
    let cadence = show(&v, "Fran")["cadence"].clone();
    assert!(cadence.is_string(), "a circle cadence from the init config: {cadence}");
    assert_ne!(
        cadence,
        show(&v, "Nob")["cadence"],
        "friend has its own cadence, not the default"
    );
}

// ---------------------------------------------------------------------------------------------
// 8. NAME resolution (SPEC §2)
// ---------------------------------------------------------------------------------------------

fn people() -> TestVault {
    TestVault::new()
        .file(
            "people/Jane Doe.md",
            contact("name: Jane Q. Doe\naliases: [JD, Janie]\n", ""),
        )
        .file("people/José Núñez.md", contact("aliases: Pepe\n", ""))
        .file("work/Sam.md", contact("name: Samuel Okafor\n", ""))
        .file("work/Alex.md", contact("name: Alex Kim\n", ""))
        .file("school/Alex.md", contact("name: Alex Park\n", ""))
}

#[test]
fn show_resolves_a_file_stem_case_insensitively() {
    assert_eq!(show(&people(), "jane doe")["path"], "people/Jane Doe.md");
    assert_eq!(show(&people(), "SAM")["path"], "work/Sam.md");
}

#[test]
fn show_resolves_a_name() {
    assert_eq!(show(&people(), "Jane Q. Doe")["path"], "people/Jane Doe.md");
    assert_eq!(show(&people(), "samuel okafor")["path"], "work/Sam.md");
}

#[test]
fn show_resolves_an_alias() {
    assert_eq!(show(&people(), "jd")["path"], "people/Jane Doe.md");
    assert_eq!(show(&people(), "Pepe")["path"], "people/José Núñez.md");
}

#[test]
fn show_resolves_a_path() {
    let v = people();
    assert_eq!(show(&v, "people/Jane Doe.md")["path"], "people/Jane Doe.md");
    assert_eq!(show(&v, "school/Alex.md")["name"], "Alex Park");
    assert_eq!(show(&v, "work/Alex.md")["name"], "Alex Kim");
}

#[test]
fn show_folds_accents_and_case() {
    let jose = show(&people(), "jose nunez");
    assert_eq!(jose["path"], "people/José Núñez.md");
    assert_eq!(jose["name"], "José Núñez", "name defaults to the file stem");
}

#[test]
fn show_folds_decomposed_file_names() {
    let v = TestVault::new().file("Zoe\u{308} Castillo.md", contact("circles: [family]\n", ""));
    let zoe = show(&v, "Zoë Castillo");
    assert_eq!(zoe["path"], "Zoe\u{308} Castillo.md");
    assert_eq!(show(&v, "zoe castillo")["path"], "Zoe\u{308} Castillo.md");
}

#[test]
fn show_refuses_an_ambiguous_name() {
    let out = people().run(&["show", "Alex", "--format", "json"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stdout.is_empty(), "{out}");
    assert!(
        out.stderr.contains("school/Alex.md") && out.stderr.contains("work/Alex.md"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// 9. Vault discovery and which files are contacts (SPEC §2)
// ---------------------------------------------------------------------------------------------

#[test]
fn the_netvault_vault_env_var_names_the_vault() {
    let v = TestVault::new().file("people/Ann.md", contact("name: Ann\nmet: never\n", ""));
    let elsewhere = tempfile::tempdir().unwrap();
    let out = output(
        netvault()
            .current_dir(elsewhere.path())
            .env("NETVAULT_VAULT", v.path())
            .args(["--today", TODAY, "validate", "--format", "json"]),
    );
    assert_eq!(out.code, 1, "{out}");
    let report = out.json();
    assert_eq!(report["files"], 1);
    assert_eq!(report["diagnostics"][0]["path"], "people/Ann.md");
}

#[test]
fn the_nearest_ancestor_with_netvault_is_the_vault() {
    let v = TestVault::new()
        .config("")
        .file("people/Ann.md", contact("name: Ann\nmet: never\n", ""))
        .file("people/friends/Bea.md", contact("name: Bea\n", ""))
        .dir("people/friends/deeper");
    let out = output(
        v.command()
            .current_dir(v.join("people/friends/deeper"))
            .args(["validate", "--format", "json"]),
    );
    assert_eq!(out.code, 1, "{out}");
    let report = out.json();
    assert_eq!(report["files"], 2, "the whole vault, not the subfolder");
    assert_eq!(
        report["diagnostics"][0]["path"], "people/Ann.md",
        "relative to the root"
    );
    let shown = output(
        v.command()
            .current_dir(v.join("people"))
            .args(["show", "Bea", "--format", "json"]),
    );
    assert_eq!(shown.code, 0, "{shown}");
    assert_eq!(shown.json()["path"], "people/friends/Bea.md");
}

#[test]
fn the_vault_flag_wins_over_the_env_var() {
    let v = TestVault::new().file("Ann.md", contact("name: Ann\n", ""));
    let out = output(
        netvault()
            .env("NETVAULT_VAULT", v.join("does-not-exist"))
            .arg("--vault")
            .arg(v.path())
            .args(["--today", TODAY, "show", "Ann", "--format", "json"]),
    );
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.json()["path"], "Ann.md");
}

#[test]
fn a_relative_vault_flag_is_relative_to_the_working_folder() {
    let v = TestVault::new().file("network/Ann.md", contact("name: Ann\n", ""));
    let out = output(
        v.command()
            .args(["--vault", "network", "show", "Ann", "--format", "json"]),
    );
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.json()["path"], "Ann.md");
}

#[test]
fn hidden_folders_templates_and_the_root_readme_are_not_contacts() {
    let v = TestVault::new()
        .file("people/Ann.md", contact("name: Ann\nfollow_up: 2026-11-20\n", ""))
        .file(".obsidian/workspace.md", "not a contact\n")
        .file(".trash/Old.md", contact("name: Old\nfollow_up: 2026-11-01\n", ""))
        .file(
            "people/.hidden.md",
            contact("name: Hidden\nfollow_up: 2026-11-01\n", ""),
        )
        .file("templates/Person.md", "---\nname: {{name}}\nmet: {{today}}\n---\n")
        .file("README.md", "# My network\n")
        .file("people/notes.txt", "---\nname: [\n---\n");
    let (out, report) = v.json(&["validate", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(report["files"], 1, "{out}");
    assert_eq!(report["diagnostics"], Value::Array(vec![]), "{out}");
    assert_eq!(item_paths(&followups(&v, &[])), ["people/Ann.md"]);
    assert_eq!(v.run(&["show", "Old"]).code, 2);
}

#[test]
fn config_include_narrows_the_contact_files() {
    let v = TestVault::new()
        .config("include = [\"People/**\"]\n")
        .file("People/Ann.md", contact("name: Ann\nfollow_up: 2026-11-20\n", ""))
        .file("People/Work/Bea.md", contact("name: Bea\nfollow_up: 2026-11-21\n", ""))
        .file("Journal/2026-11-01.md", "# a day\n- 2026-11-01: wrote things\n")
        .file("Projects/Plan.md", contact("name: Plan\nfollow_up: 2026-11-01\n", ""));
    let (out, report) = v.json(&["validate", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(report["files"], 2, "{out}");
    assert_eq!(report["warnings"], 0, "journal notes are not checked: {out}");
    assert_eq!(item_paths(&followups(&v, &[])), ["People/Ann.md", "People/Work/Bea.md"]);
}

// ---------------------------------------------------------------------------------------------
// 10. Snapshots of the human output
// ---------------------------------------------------------------------------------------------

#[test]
fn snapshot_validate_human() {
    let v = TestVault::new()
        .file(
            "people/Ann Lee.md",
            contact("name: Ann Lee\nfollow_up: 12/01/2026\n", ""),
        )
        .file("people/Bea.md", contact("name: Bea\nemial: bea@example.org\n", ""))
        .file(
            "people/Cal.md",
            "---\nname: Cal\norganization: Acme\nname: Calvin\n---\n",
        )
        .file("people/Dee.md", contact("name: Dee\n", "## Log\n- 2026-10-01: fine\n"));
    let out = v.run(&["validate"]);
    assert_eq!(out.code, 1);
    v.insta_settings()
        .bind(|| insta::assert_snapshot!("validate_human", out.transcript()));
}

#[test]
fn snapshot_report_table() {
    let v = TestVault::new()
        .config("[cadence]\ndefault = \"180d\"\nfriend = \"60d\"\n")
        .file(
            "people/Ann Lee.md",
            contact(
                "name: Ann Lee\norganization: Acme Corp\nfollow_up: 2026-11-20\n",
                "## Log\n- 2026-10-02: coffee, she mentioned the Denver office #info\n",
            ),
        )
        .file(
            "people/Bea Cruz.md",
            contact(
                "name: Bea Cruz\ncircles: [friend]\nlast_contact: 2026-09-28\n",
                "- [ ] send thank-you note 📅 2026-11-30\n",
            ),
        )
        .file("people/Cal Ode.md", contact("name: Cal Ode\n", ""))
        .file(
            "people/Dee Fox.md",
            contact("name: Dee Fox\nbirthday: \"12-01\"\nlast_contact: 2026-11-01\n", ""),
        );
    v.run(&["report"]); // builds the index, so that the snapshot shows a steady-state run
    let out = v.run(&["report"]);
    assert_eq!(out.code, 0);
    v.insta_settings()
        .bind(|| insta::assert_snapshot!("report_table", out.transcript()));
    // `--long` keeps the full view: every reason on its own line and the last log entry; one
    // block per person at 80 columns, a table from 110.
    let long = v.run(&["report", "--long"]);
    assert_eq!(long.code, 0);
    v.insta_settings()
        .bind(|| insta::assert_snapshot!("report_table_long", long.transcript()));
    let wide = output(
        v.command()
            .env("COLUMNS", "120")
            .arg("--vault")
            .arg(v.path())
            .args(["report", "--long"]),
    );
    assert_eq!(wide.code, 0);
    v.insta_settings()
        .bind(|| insta::assert_snapshot!("report_table_long_120", wide.transcript()));
}

#[test]
fn snapshot_show_human() {
    let v = TestVault::new()
        .config("[cadence]\nalumni = \"90d\"\n")
        .file(
            "people/Jane Doe.md",
            contact(
                "name: Jane Doe\naliases: [JD]\nemails: [jane@example.org]\norganization: Acme Corp\ntitle: Data Librarian\ncircles: [alumni]\nmet: 2024-03-12\nmet_at: iSchool career fair\nfollow_up: 2026-12-01\n",
                "# Jane Doe\n\n## Log\n### 2026-10-01 Coffee at Epoch #info\nAcme is opening a Denver office.\n- 2026-08-14: emailed her my portfolio #tips\n\n## Tasks\n- [ ] send thank-you note 📅 2026-12-01\n- [x] connect on LinkedIn\n",
            ),
        );
    v.run(&["show", "JD"]); // builds the index, so that the snapshot shows a steady-state run
    let out = v.run(&["show", "JD"]);
    assert_eq!(out.code, 0);
    v.insta_settings()
        .bind(|| insta::assert_snapshot!("show_human", out.transcript()));
}

#[test]
fn snapshot_missing_vault_error_filters_the_temp_path() {
    let v = TestVault::new();
    let out = output(v.command().arg("--vault").arg(v.join("gone")).arg("validate"));
    assert_eq!(out.code, 2);
    v.insta_settings()
        .bind(|| insta::assert_snapshot!("missing_vault_error", out.transcript()));
}

// ---------------------------------------------------------------------------------------------
// 11. The example vault
// ---------------------------------------------------------------------------------------------

#[test]
fn example_vault_validates_strictly() {
    let out = output(
        netvault()
            .arg("--vault")
            .arg(example_vault())
            .args(["--today", TODAY, "validate", "--strict"]),
    );
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn example_vault_report_lists_walter_and_not_archived_gordon() {
    let out: Output = output(netvault().arg("--vault").arg(example_vault()).args([
        "--today",
        "2026-11-27",
        "report",
        "--format",
        "json",
    ]));
    assert_eq!(out.code, 0, "{out}");
    let report = out.json();
    let walter = items(&report)
        .iter()
        .find(|i| i["name"] == "Walter Pruitt")
        .unwrap_or_else(|| panic!("Walter Pruitt is listed\n{out}"));
    assert_eq!(walter["bucket"], "overdue");
    assert!(walter["days_overdue"].as_i64().unwrap() > 0);
    assert!(
        items(&report).iter().all(|i| i["name"] != "Gordon Mills"),
        "archived Gordon Mills is not listed"
    );
    let dues: Vec<&str> = items(&report).iter().map(|i| i["due"].as_str().unwrap()).collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "sorted by due: {dues:?}");
}

#[test]
fn completions_for_every_shell_name_every_command() {
    let v = TestVault::new();
    for (shell, marker) in [
        ("bash", "_netvault()"),
        ("zsh", "#compdef netvault"),
        ("fish", "complete -c netvault"),
        ("elvish", "edit:completion:arg-completer[netvault]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = v.run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {out}");
        assert!(out.stdout.contains(marker), "{shell}: no {marker:?}");
        for command in ["who-knows", "import", "vcard", "snooze", "follow-up"] {
            assert!(out.stdout.contains(command), "{shell}: {command} is not completed");
        }
    }
    let bad = v.run(&["completions", "tcsh"]);
    assert_eq!(bad.code, 2, "{bad}");
}

#[test]
fn man_prints_the_page_or_writes_one_per_command() {
    let v = TestVault::new();
    let out = v.run(&["man"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains(".TH netvault 1"), "{out}");
    assert!(out.stdout.contains("who\\-knows"), "every command is listed");
    let out = v.run(&["man", "--dir", "pages"]);
    assert_eq!(out.code, 0, "{out}");
    for page in [
        "netvault.1",
        "netvault-search.1",
        "netvault-import-vcard.1",
        "netvault-report.1",
    ] {
        let path = v.join(&format!("pages/{page}"));
        assert!(
            out.stdout.contains(&path.display().to_string()),
            "{page} not listed: {out}"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(".ie") && text.contains(".TH"), "{page}");
    }
    let search = std::fs::read_to_string(v.join("pages/netvault-search.1")).unwrap();
    assert!(search.contains("Examples"), "the examples of --help are in the page");
}
