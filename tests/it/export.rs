//! `netvault edit` and `netvault export` through the real binary: the editor is run without a
//! shell and its failures are reported; CSV and vCard exports read back to the contacts' values;
//! `export ics` is the follow-up calendar; no export changes a contact file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{Output, TestVault};

fn contact(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{body}")
}

/// Run `netvault --vault <tmp> ARGS` with extra environment variables.
fn run_env(v: &TestVault, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = v.command();
    cmd.arg("--vault").arg(v.path()).args(args);
    for (key, value) in env {
        cmd.env(key, value);
    }
    crate::common::output(&mut cmd)
}

/// Like [`run_env`], retried while the kernel says a just-written script is "text file busy"
/// (another test thread may briefly hold it open across a fork).
fn run_editor(v: &TestVault, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut out = run_env(v, env, args);
    for _ in 0..20 {
        if !out.stderr.contains("Text file busy") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        out = run_env(v, env, args);
    }
    out
}

/// Write an executable `#!/bin/sh` script.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn one_contact() -> TestVault {
    TestVault::new().file(
        "people/Jane Doe.md",
        contact("name: Jane Doe\naliases: [JD]\n", "Notes.\n"),
    )
}

#[test]
fn edit_runs_visual_without_a_shell_with_the_path_last() {
    let v = one_contact();
    let tools = tempfile::tempdir().unwrap();
    let args_log = tools.path().join("args.txt");
    // Records its arguments, then appends a line to the last one (the contact file).
    let editor = script(
        tools.path(),
        "editor",
        &format!(
            "printf '%s\\n' \"$@\" > '{}'\nfor last; do :; done\necho 'Edited by the test.' >> \"$last\"\n",
            args_log.display()
        ),
    );
    let visual = format!("{} --wait  -n", editor.display());
    let out = run_editor(&v, &[("VISUAL", &visual), ("EDITOR", "false")], &["edit", "JD"]);
    assert_eq!(out.code, 0, "{out}");
    let text = std::fs::read_to_string(v.join("people/Jane Doe.md")).unwrap();
    assert!(text.ends_with("Notes.\nEdited by the test.\n"), "{text}");
    let args = std::fs::read_to_string(&args_log).unwrap();
    let file = v.join("people/Jane Doe.md");
    assert_eq!(args, format!("--wait\n-n\n{}\n", file.display()));
}

#[test]
fn edit_falls_back_to_editor_when_visual_is_blank() {
    let v = one_contact();
    let tools = tempfile::tempdir().unwrap();
    let editor = script(tools.path(), "ed2", "echo 'via EDITOR' >> \"$1\"\n");
    let path = editor.display().to_string();
    let out = run_editor(&v, &[("VISUAL", "  "), ("EDITOR", &path)], &["edit", "Jane Doe"]);
    assert_eq!(out.code, 0, "{out}");
    let text = std::fs::read_to_string(v.join("people/Jane Doe.md")).unwrap();
    assert!(text.ends_with("via EDITOR\n"), "{text}");
}

#[test]
fn edit_reports_an_editor_that_fails() {
    let v = one_contact();
    let tools = tempfile::tempdir().unwrap();
    let editor = script(tools.path(), "fail", "exit 1\n");
    let path = editor.display().to_string();
    let out = run_editor(&v, &[("EDITOR", &path)], &["edit", "JD"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("failed"), "{out}");
    assert!(out.stderr.contains("exit status: 1"), "{out}");
}

#[test]
fn edit_reports_an_editor_that_cannot_start() {
    let v = one_contact();
    let out = run_env(&v, &[("VISUAL", "/no/such/editor-program --wait")], &["edit", "JD"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("cannot start the editor \"/no/such/editor-program\" (from $VISUAL)"),
        "{out}"
    );
    let text = std::fs::read_to_string(v.join("people/Jane Doe.md")).unwrap();
    assert_eq!(text, contact("name: Jane Doe\naliases: [JD]\n", "Notes.\n"));
}

#[test]
fn edit_of_an_unknown_contact_is_an_error() {
    let v = one_contact();
    let out = run_env(&v, &[("VISUAL", "true")], &["edit", "Nobody Here"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("no contact matches"), "{out}");
}

/// Contacts with commas, formulas, non-ASCII names, several emails and both birthday forms.
fn vault() -> TestVault {
    TestVault::new()
        .file(
            "b/Zoë.md",
            contact(
                "name: Zoë Ångström-Łukasiewicz de la Peña\naliases: [Zo, \"Ång, Z\"]\nemails: [zoe@example.org, z.angstrom@example.com, \"zoë.łukasiewicz.long.address@very-long-domain-name.example.org\"]\nphones: [\"+1 555 0100\"]\norganization: \"Ümlaut; Partners, Ltd\"\ntitle: Directrice générale des opérations numériques et de la transformation\nbirthday: \"12-03\"\ntags: [archives, été]\nmet_at: \"Café Ünïcödé, Zürich — a long conversation about préservation numérique\"\nlinks:\n  linkedin: https://www.linkedin.com/in/zoe-angstrom/\nfollow_up: 2026-11-30\n",
                "",
            ),
        )
        .file(
            "a/Smith.md",
            contact(
                "name: \"Smith, Bob\"\ntitle: \"=HYPERLINK(\\\"http://x\\\")\"\norganization: \"@corp\"\nbirthday: 1980-02-29\ncircles: [alumni]\ncadence: 30d\nlast_contact: 2026-01-05\n",
                "",
            ),
        )
        .file("c/Cher.md", contact("name: Cher\nemails: [cher@example.org]\n", ""))
        .file("notes/readme.md", "Not a contact: no front matter.\n")
}

#[test]
fn export_csv_reads_back_with_one_row_per_contact() {
    let v = vault();
    let out = v.run(&["export", "csv"]);
    assert_eq!(out.code, 0, "{out}");
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header.join(","),
        "path,name,aliases,emails,phones,organization,title,location,tags,circles,met,met_at,introduced_by,last_contact,follow_up,birthday,status,cadence"
    );
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect();
    let paths: Vec<&str> = rows.iter().map(|r| r["path"].as_str()).collect();
    assert_eq!(paths, ["a/Smith.md", "b/Zoë.md", "c/Cher.md"]);
    let smith = &rows[0];
    assert_eq!(smith["name"], "Smith, Bob");
    assert_eq!(smith["title"], "'=HYPERLINK(\"http://x\")");
    assert_eq!(smith["organization"], "'@corp");
    assert_eq!(smith["birthday"], "1980-02-29");
    assert_eq!(smith["last_contact"], "2026-01-05");
    assert_eq!(smith["cadence"], "30d");
    assert_eq!(smith["status"], "active");
    let zoe = &rows[1];
    assert_eq!(
        zoe["emails"],
        "zoe@example.org; z.angstrom@example.com; zoë.łukasiewicz.long.address@very-long-domain-name.example.org"
    );
    assert_eq!(zoe["aliases"], "Zo; Ång, Z");
    assert_eq!(zoe["phones"], "'+1 555 0100");
    assert_eq!(zoe["birthday"], "12-03");
    assert_eq!(zoe["follow_up"], "2026-11-30");
    // The comma in a name is quoted per RFC 4180, and lines end in CRLF.
    assert!(out.stdout.contains("\r\na/Smith.md,\"Smith, Bob\","), "{out}");
    assert!(out.stdout.ends_with("\r\n"));
}

/// Physical lines of a vCard/iCalendar text, without their CRLF; panics on a bare LF.
fn physical_lines(text: &str) -> Vec<&str> {
    assert!(text.ends_with("\r\n"), "{text:?}");
    let lines: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    for line in &lines {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    lines
}

/// Unfolded content lines.
fn unfold(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in physical_lines(text) {
        match line.strip_prefix(' ') {
            Some(rest) => out.last_mut().expect("a continuation follows a line").push_str(rest),
            None => out.push(line.to_string()),
        }
    }
    out
}

/// `\,` `\;` `\n` `\\` back to the text.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn export_vcard_is_folded_escaped_and_unfolds_to_the_values() {
    let v = vault();
    let out = v.run(&["export", "vcard"]);
    assert_eq!(out.code, 0, "{out}");
    let lines = unfold(&out.stdout);
    // Some lines were long enough to need folding.
    assert!(
        physical_lines(&out.stdout).iter().any(|l| l.starts_with(' ')),
        "{}",
        out.stdout
    );
    assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VCARD").count(), 3);
    assert_eq!(lines.iter().filter(|l| *l == "END:VCARD").count(), 3);
    let cards: Vec<&[String]> = lines.split(|l| l == "END:VCARD").filter(|c| !c.is_empty()).collect();
    assert_eq!(cards.len(), 3);
    let prop = |card: &[String], name: &str| -> Vec<String> {
        card.iter()
            .filter_map(|l| l.split_once(':').filter(|(k, _)| k.split(';').next() == Some(name)))
            .map(|(_, v)| v.to_string())
            .collect()
    };
    for card in &cards {
        assert_eq!(card[0], "BEGIN:VCARD");
        assert_eq!(card[1], "VERSION:4.0");
        assert_eq!(prop(card, "UID").len(), 1);
    }
    // Path order: a/Smith, b/Zoë, c/Cher.
    let (smith, zoe, cher) = (cards[0], cards[1], cards[2]);
    assert_eq!(unescape(&prop(smith, "FN")[0]), "Smith, Bob");
    assert_eq!(prop(smith, "BDAY"), ["19800229"]);
    assert_eq!(prop(zoe, "FN"), ["Zoë Ångström-Łukasiewicz de la Peña"]);
    // SPEC v2 §8: N comes only from `name_parts`, never guessed from the name.
    assert!(prop(zoe, "N").is_empty(), "{zoe:?}");
    assert_eq!(prop(zoe, "BDAY"), ["--1203"]);
    assert_eq!(
        prop(zoe, "EMAIL"),
        [
            "zoe@example.org",
            "z.angstrom@example.com",
            "zoë.łukasiewicz.long.address@very-long-domain-name.example.org"
        ]
    );
    assert_eq!(prop(zoe, "NICKNAME"), ["Zo,Ång\\, Z"]);
    assert_eq!(unescape(&prop(zoe, "ORG")[0]), "Ümlaut; Partners, Ltd");
    assert_eq!(prop(zoe, "ORG"), ["Ümlaut\\; Partners\\, Ltd"]);
    assert_eq!(
        prop(zoe, "TITLE"),
        ["Directrice générale des opérations numériques et de la transformation"]
    );
    assert_eq!(
        unescape(&prop(zoe, "NOTE")[0]),
        "Café Ünïcödé, Zürich — a long conversation about préservation numérique"
    );
    assert_eq!(prop(zoe, "CATEGORIES"), ["archives,été"]);
    assert_eq!(prop(zoe, "URL"), ["https://www.linkedin.com/in/zoe-angstrom/"]);
    assert_eq!(prop(zoe, "TEL"), ["+1 555 0100"]);
    assert!(prop(cher, "N").is_empty(), "{cher:?}");
    // UIDs are stable between runs and distinct between contacts.
    let again = v.run(&["export", "vcard"]);
    assert_eq!(again.stdout, out.stdout);
    let uids: std::collections::BTreeSet<String> = cards.iter().map(|c| prop(c, "UID")[0].clone()).collect();
    assert_eq!(uids.len(), 3);
    assert!(
        uids.iter()
            .all(|u| u.starts_with("urn:netvault:") && u.len() == 13 + 16),
        "{uids:?}"
    );
}

#[test]
fn export_ics_is_the_followups_calendar() {
    let v = vault();
    let export = v.run(&["export", "ics"]);
    assert_eq!(export.code, 0, "{export}");
    let report = v.run(&["report", "followups", "--format", "ics"]);
    assert_eq!(report.code, 0, "{report}");
    assert_eq!(export.stdout, report.stdout);
    // Checked against the report's JSON, not against itself: one VTODO per item, with its
    // path, its due date and its name, in the same order.
    let (_, json) = v.json(&["report", "followups", "--format", "json"]);
    let items = json["items"].as_array().unwrap();
    assert!(!items.is_empty(), "the test vault has people due: {json}");
    let unfolded = icalendar::parser::unfold(&export.stdout);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("export ics is valid iCalendar");
    let todos: Vec<_> = calendar.components.iter().filter(|c| c.name == "VTODO").collect();
    assert_eq!(todos.len(), items.len(), "{export}");
    for (todo, item) in todos.iter().zip(items) {
        let prop = |name: &str| {
            todo.properties
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.val.to_string())
                .unwrap_or_default()
        };
        assert_eq!(prop("X-NETVAULT-PATH"), item["path"].as_str().unwrap());
        assert_eq!(prop("DUE"), item["due"].as_str().unwrap().replace('-', ""));
        assert!(
            prop("SUMMARY").contains(item["name"].as_str().unwrap()),
            "{}",
            prop("SUMMARY")
        );
    }
}

#[test]
fn export_writes_to_output_and_never_changes_a_contact_file() {
    let v = vault();
    let snapshot = |v: &TestVault| -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
        ["a/Smith.md", "b/Zoë.md", "c/Cher.md", "notes/readme.md"]
            .iter()
            .map(|rel| {
                let path = v.join(rel);
                let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
                ((*rel).to_string(), (std::fs::read(&path).unwrap(), modified))
            })
            .collect()
    };
    let before = snapshot(&v);
    let out_dir = tempfile::tempdir().unwrap();
    for kind in ["csv", "vcard", "ics"] {
        let stdout = v.run(&["export", kind]);
        assert_eq!(stdout.code, 0, "{stdout}");
        let file = out_dir.path().join(format!("out.{kind}"));
        let out = v.run(&["export", kind, "--output", file.to_str().unwrap()]);
        assert_eq!(out.code, 0, "{out}");
        assert_eq!(out.stdout, "");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout.stdout);
    }
    assert_eq!(snapshot(&v), before);
}

#[test]
fn add_edit_opens_the_new_file_in_the_editor() {
    let v = TestVault::new();
    let tools = tempfile::tempdir().unwrap();
    let editor = script(tools.path(), "ed3", "echo 'Met at the job fair.' >> \"$1\"\n");
    let path = editor.display().to_string();
    let out = run_editor(&v, &[("EDITOR", &path)], &["add", "Ada Lovelace", "--edit"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.trim_end().ends_with("Ada Lovelace.md"), "{out}");
    let text = std::fs::read_to_string(v.join("Ada Lovelace.md")).unwrap();
    assert!(text.starts_with("---\nname: Ada Lovelace\n"), "{text}");
    assert!(text.ends_with("Met at the job fair.\n"), "{text}");
    // A failing editor is reported; the file it was given stays written.
    let fail = script(tools.path(), "fail2", "exit 3\n");
    let fail = fail.display().to_string();
    let out = run_editor(&v, &[("EDITOR", &fail)], &["add", "Grace Hopper", "--edit"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(v.join("Grace Hopper.md").is_file());
}
