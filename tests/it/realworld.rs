//! Real-world files through the real binary (issue 15): vCards from phones and desktop address
//! books (per-property charsets, vCard 4.0 dates, addresses, display-form emails, vCard 2.1
//! escaping, nested cards, structured names), `LinkedIn`'s older and re-saved exports, and notes
//! written for other tools (Obsidian, Jekyll, the Obsidian vCard-contacts plugin).
//!
//! Fixtures live in `tests/fixtures/realworld/`: small files made for these tests, each with the
//! property it is named after, modelled on the cases of public vCard-library test suites.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::TestVault;

fn fixture(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/realworld")
        .join(name);
    assert!(path.is_file(), "the fixture {} is missing", path.display());
    path
}

const VCARD_FIXTURES: [&str; 8] = [
    "android-shift-jis.vcf",
    "windows-1251.vcf",
    "bday.vcf",
    "adr.vcf",
    "email-display.vcf",
    "v21-escaping.vcf",
    "agent.vcf",
    "evolution.vcf",
];

fn import(vault: &TestVault, kind: &str, file: &Path) -> crate::common::Output {
    let out = vault.run(&["import", kind, file.to_str().expect("a UTF-8 path")]);
    assert_eq!(out.code, 0, "{out}");
    assert!(!out.stderr.contains("panicked"), "{out}");
    out
}

/// The vault's Markdown files (name → text).
fn files(vault: &TestVault) -> BTreeMap<String, String> {
    std::fs::read_dir(vault.path())
        .expect("read the vault")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("UTF-8"))
        })
        .collect()
}

/// The front-matter line `key: ...` of a file, if any.
fn line<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find(|l| l.starts_with(&format!("{key}:")))
}

fn imported(name: &str) -> (TestVault, BTreeMap<String, String>, crate::common::Output) {
    let vault = TestVault::new();
    let out = import(&vault, "vcard", &fixture(name));
    let found = files(&vault);
    (vault, found, out)
}

#[test]
fn each_value_is_decoded_by_its_own_charset() {
    let (_vault, found, out) = imported("android-shift-jis.vcf");
    let names: Vec<&str> = found.keys().map(String::as_str).collect();
    assert_eq!(names, ["山田花子.md", "鈴木一郎.md"], "{out}");
    let hanako = &found["山田花子.md"];
    assert_eq!(line(hanako, "name"), Some("name: 山田花子"), "{hanako}");
    assert_eq!(line(hanako, "note"), Some("note: 大学の先輩。"), "{hanako}");
    assert_eq!(
        line(&found["鈴木一郎.md"], "organization"),
        Some("organization: 例示商事")
    );
    assert!(!out.stdout.contains("Windows-1252"), "{out}");

    let (_vault, found, out) = imported("windows-1251.vcf");
    let names: Vec<&str> = found.keys().map(String::as_str).collect();
    assert_eq!(names, ["Иванов Иван.md", "Петрова Анна.md"], "{out}");
    assert_eq!(line(&found["Иванов Иван.md"], "title"), Some("title: Инженер"));
    for text in found.values() {
        assert!(!text.contains('\u{fffd}'), "{text}");
    }
}

#[test]
fn birthdays_in_every_vcard_form_and_a_text_birthday_kept_as_a_note() {
    let (_vault, found, out) = imported("bday.vcf");
    assert!(!out.stdout.contains("not a date"), "{out}");
    let birthday = |file: &str| line(&found[file], "birthday").map(str::to_string);
    assert_eq!(birthday("Birgit Dash.md").as_deref(), Some("birthday: 1990-08-08"));
    assert_eq!(birthday("Nora Yearless.md").as_deref(), Some("birthday: 08-17"));
    assert_eq!(birthday("Basil Compact.md").as_deref(), Some("birthday: 1990-08-08"));
    assert_eq!(birthday("Tex Circa.md"), None);
    assert_eq!(
        line(&found["Tex Circa.md"], "note"),
        Some("note: \"Birthday: circa 1800\\n\\nMet at the archive.\"")
    );
}

#[test]
fn an_address_becomes_the_location() {
    let (_vault, found, _) = imported("adr.vcf");
    assert_eq!(
        line(&found["Ada Street.md"], "location"),
        Some("location: \"Springfield, IL, USA\"")
    );
    assert_eq!(
        line(&found["Pierre Ville.md"], "location"),
        Some("location: \"Paris, France\"")
    );
    assert_eq!(line(&found["Empty Address.md"], "location"), None);
}

#[test]
fn display_form_emails_and_vcard_21_escaping() {
    let (_vault, found, out) = imported("email-display.vcf");
    assert!(!out.stdout.contains("not an email"), "{out}");
    assert_eq!(
        line(&found["Omega Angle.md"], "emails"),
        Some("emails: [omega@example.com, omega2@example.com]")
    );

    let (vault, found, out) = imported("v21-escaping.vcf");
    assert_eq!(found.len(), 1, "{out}");
    let (_, text) = found.iter().next().unwrap();
    assert_eq!(line(text, "name"), Some("name: A;B\\C;D:E\\"), "{text}");
    let (_, json) = vault.json(&["show", "A;B\\C;D:E\\", "--format", "json"]);
    assert_eq!(json["name"], "A;B\\C;D:E\\", "{json}");
}

#[test]
fn a_nested_agent_card_is_neither_a_contact_nor_steals_the_parents_phone() {
    let (_vault, found, out) = imported("agent.vcf");
    let names: Vec<&str> = found.keys().map(String::as_str).collect();
    assert_eq!(names, ["Paula Parent.md", "Second Card.md"], "{out}");
    assert_eq!(
        line(&found["Paula Parent.md"], "phones"),
        Some("phones: [\"555-0100\"]")
    );
    assert!(!out.stdout.contains("outside any card"), "{out}");
    assert!(!out.stdout.contains("no END:VCARD"), "{out}");
    // Lines after the nested card keep the file's numbering.
    assert!(out.stdout.contains("new: Second Card.md (line 15)"), "{out}");
    assert!(
        out.stdout
            .contains("note: line 1: Paula Parent: EMAIL \"not an address\""),
        "{out}"
    );
    assert!(
        out.stdout.contains("note: line 15: Second Card: EMAIL \"also wrong\""),
        "{out}"
    );
}

fn export(vault: &TestVault) -> String {
    let out = vault.run(&["export", "vcard"]);
    assert_eq!(out.code, 0, "{out}");
    out.stdout
}

#[test]
fn n_is_exported_from_the_imported_parts_never_guessed() {
    let (vault, found, _) = imported("evolution.vcf");
    let doe = found
        .values()
        .find(|t| t.contains("name: Mr. John Richter, James Doe Sr.\n"))
        .expect("John Doe imported");
    assert_eq!(
        line(doe, "name_parts"),
        Some("name_parts: {family: Doe, given: John, additional: \"Richter, James\", prefix: Mr., suffix: Sr.}")
    );
    let text = export(&vault);
    assert!(text.contains("\r\nN:Doe;John;Richter\\, James;Mr.;Sr.\r\n"), "{text}");
    assert!(text.contains("\r\nN:Nguyen;An;Van;;\r\n"), "{text}");
    // A contact the user wrote by hand has no parts, and gets no N.
    let vault = TestVault::new().file("Cher.md", "---\nname: Cher Sarkisian\n---\n");
    assert!(!export(&vault).contains("\r\nN:"));
}

#[test]
fn export_import_export_is_byte_identical_on_every_fixture() {
    for name in VCARD_FIXTURES {
        let (first, _, _) = imported(name);
        let once = export(&first);
        let exported = first.join("exported.vcf");
        std::fs::write(&exported, &once).unwrap();
        let second = TestVault::new();
        import(&second, "vcard", &exported);
        let twice = export(&second);
        assert_eq!(once, twice, "{name}: the round trip changed the cards");
        assert!(once.contains("BEGIN:VCARD"), "{name}: {once}");
        if name == "evolution.vcf" {
            // N survives both trips untouched.
            assert!(twice.contains("\r\nN:Doe;John;Richter\\, James;Mr.;Sr.\r\n"), "{twice}");
            assert!(twice.contains("\r\nN:Nguyen;An;Van;;\r\n"), "{twice}");
        }
    }
}

#[test]
fn reimporting_never_brings_back_a_follow_up_the_user_cleared() {
    let vault = TestVault::new();
    let file = fixture("evolution.vcf");
    import(&vault, "vcard", &file);
    let out = vault.run(&[
        "log",
        "Nguyen Van An",
        "coffee",
        "--date",
        "2026-11-20",
        "--follow-up",
        "2026-11-27",
    ]);
    assert_eq!(out.code, 0, "{out}");
    assert!(line(&files(&vault)["Nguyen Van An.md"], "follow_up").is_some());
    let out = vault.run(&["done", "Nguyen Van An"]);
    assert_eq!(out.code, 0, "{out}");
    let out = vault.run(&[
        "todo",
        "Mr. John Richter, James Doe Sr.",
        "send the slides",
        "--due",
        "2026-11-27",
    ]);
    assert_eq!(out.code, 0, "{out}");
    let out = vault.run(&["done", "Mr. John Richter, James Doe Sr."]);
    assert_eq!(out.code, 0, "{out}");
    let before = files(&vault);
    assert!(before.values().all(|t| line(t, "follow_up").is_none()), "{before:?}");

    let out = import(&vault, "vcard", &file);
    assert!(out.stdout.contains("0 new, 0 updated, 2 unchanged"), "{out}");
    assert_eq!(files(&vault), before);
    let (_, report) = vault.json(&["report", "followups", "--format", "json"]);
    assert_eq!(report["items"].as_array().map(Vec::len), Some(0), "{report}");
}

#[test]
fn linkedins_older_export_is_read_by_column_name_with_its_dates() {
    let vault = TestVault::new();
    let out = import(&vault, "linkedin", &fixture("linkedin-2018.csv"));
    assert!(out.stdout.contains("3 new"), "{out}");
    let found = files(&vault);
    let ada = &found["Ada Lovelace.md"];
    assert_eq!(line(ada, "emails"), Some("emails: [ada@example.org]"), "{ada}");
    assert_eq!(line(ada, "title"), Some("title: Programmer"), "{ada}");
    assert_eq!(
        line(ada, "organization"),
        Some("organization: \"Analytical Engines, Ltd.\"")
    );
    assert_eq!(line(ada, "connected"), Some("connected: 2018-01-08"), "{ada}");
    assert_eq!(
        line(&found["Grace Hopper.md"], "connected"),
        Some("connected: 2017-12-31")
    );
    assert_eq!(line(&found["Alan Turing.md"], "connected"), None);
    assert!(
        out.stdout
            .contains("note: line 4: Alan Turing: Connected On \"not a date\""),
        "{out}"
    );
}

#[test]
fn a_linkedin_export_resaved_as_windows_1252_is_read_with_a_note() {
    let vault = TestVault::new();
    let out = import(&vault, "linkedin", &fixture("linkedin-resaved-1252.csv"));
    assert!(out.stdout.contains("2 new"), "{out}");
    assert!(out.stdout.contains("note: line 2: the file is not UTF-8"), "{out}");
    assert!(out.stdout.contains("Windows-1252"), "{out}");
    let found = files(&vault);
    let rene = &found["René Lefèvre.md"];
    assert_eq!(line(rene, "organization"), Some("organization: Café Example"), "{rene}");
    assert_eq!(line(rene, "title"), Some("title: Barista – Lead"), "{rene}");
}

/// A vault holding the notes written for other tools (Obsidian, Jekyll, the Obsidian
/// vCard-contacts plugin), with `config` as its `config.toml` when given.
fn notes_vault(config: Option<&str>) -> TestVault {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/realworld/notes");
    let mut vault = TestVault::new();
    for entry in std::fs::read_dir(&dir).expect("the notes fixtures") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        vault = vault.file(&name, std::fs::read(&path).expect("readable"));
    }
    match config {
        Some(toml) => vault.config(toml),
        None => vault,
    }
}

#[test]
fn notes_written_for_other_tools_validate_with_only_the_warnings_a_user_would_agree_with() {
    let vault = notes_vault(None);
    let (out, report) = vault.json(&["validate", "--format", "json"]);
    let found: Vec<(String, u64, String)> = report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("Ada Lovelace.md", 8, "unknown-field-typo"),
        ("Dup Example.md", 4, "duplicate-field"),
    ]
    .map(|(p, l, c)| (p.to_string(), l, c.to_string()));
    assert_eq!(found, expected, "{out}");
    let messages = report["diagnostics"].to_string();
    assert!(messages.contains("did you mean `met`?"), "{messages}");
    assert_eq!(out.code, 0, "warnings only: {out}");

    let show = |name: &str| vault.json(&["show", name, "--format", "json"]).1;
    let ada = show("Ada Lovelace");
    assert_eq!(ada["organization"], "Analytical Engines", "{ada}");
    assert_eq!(ada["title"], "Programmer", "{ada}");
    assert_eq!(ada["emails"], serde_json::json!(["ada@example.org"]), "{ada}");
    let grace = show("Grace Hopper");
    assert_eq!(grace["organization"], "US Navy", "{grace}");
    assert_eq!(grace["title"], "Rear Admiral", "{grace}");
    let alan = show("Alan Turing");
    assert_eq!(alan["organization"], "Bletchley Park", "{alan}");
    assert_eq!(alan["location"], "Wilmslow", "{alan}");
    assert_eq!(alan["last_contact"], "2026-10-01", "{alan}");
    let dup = show("Dup Example");
    assert_eq!(dup["organization"], "Acme", "the first key wins: {dup}");
    let linus = show("Linus Example");
    let linus_links = linus["links"].to_string();
    assert!(linus_links.contains("https://github.com/example"), "{linus}");
    assert!(linus_links.contains("https://blog.example.org"), "{linus}");
}

/// The README's `[fields]` snippet for the Obsidian vCard-contacts plugin.
const VCARD_PLUGIN_FIELDS: &str = r#"[fields]
FN = "name"
"EMAIL[HOME]" = "emails"
"EMAIL[WORK]" = "emails"
"TEL[CELL]" = "phones"
"TEL[HOME]" = "phones"
"TEL[WORK]" = "phones"
BDAY = "birthday"
"ADR[HOME].LOCALITY" = "location"
CATEGORIES = "tags"
"#;

#[test]
fn the_vcard_plugins_keys_map_onto_fields_with_the_readme_snippet() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(VCARD_PLUGIN_FIELDS),
        "the README shows the snippet as tested"
    );
    let vault = notes_vault(Some(VCARD_PLUGIN_FIELDS));
    let (out, jane) = vault.json(&["show", "Jane Doe", "--format", "json"]);
    assert_eq!(jane["name"], "Jane Doe", "{out}");
    assert_eq!(
        jane["emails"],
        serde_json::json!(["jane@example.com", "jane.doe@work.example"]),
        "{jane}"
    );
    assert_eq!(jane["phones"], serde_json::json!(["+1 555 0100"]), "{jane}");
    assert_eq!(jane["organization"], "Example Corp", "{jane}");
    assert_eq!(jane["title"], "Archivist", "{jane}");
    assert_eq!(jane["birthday"], "1985-04-12", "{jane}");
    assert_eq!(jane["location"], "Austin", "{jane}");
    let (_, john) = vault.json(&["show", "John Roe", "--format", "json"]);
    assert_eq!(john["emails"], serde_json::json!(["john@example.com"]), "{john}");
    let (out, report) = vault.json(&["validate", "--format", "json"]);
    assert_eq!(report["diagnostics"].as_array().map(Vec::len), Some(2), "{out}");
}
