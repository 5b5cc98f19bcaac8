//! `import linkedin` through the real binary (SPEC §8): the shared corpus export planned and
//! imported, matching by URL, email and name onto files that only gain missing fields, job
//! changes, formula-looking cells, idempotence, and files that are not an export.

#[allow(dead_code, reason = "each test crate uses part of the shared harness")]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::TestVault;

const HEADER: &str = "First Name,Last Name,URL,Email Address,Company,Position,Connected On";

/// The shared corpus export; the test fails loudly when the corpus is missing.
fn corpus_export() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/linkedin/Connections.csv");
    assert!(
        path.is_file(),
        "the shared corpus file {} is missing: the import tests need it",
        path.display()
    );
    path
}

/// Every file of the vault but the derived `.netvault/`, with its bytes.
fn snapshot(vault: &TestVault) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read the folder") {
            let path = entry.expect("an entry").path();
            let rel = path.strip_prefix(root).expect("inside").to_string_lossy().into_owned();
            if rel == ".netvault" {
                continue;
            }
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                out.insert(rel, std::fs::read(&path).expect("read the file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(vault.path(), vault.path(), &mut out);
    out
}

fn markdown_files(vault: &TestVault) -> Vec<String> {
    snapshot(vault)
        .into_keys()
        .filter(|p| Path::new(p).extension().is_some_and(|e| e == "md"))
        .collect()
}

fn read(vault: &TestVault, rel: &str) -> String {
    std::fs::read_to_string(vault.join(rel)).expect("the file is readable")
}

fn import(vault: &TestVault, file: &Path, dry_run: bool) -> common::Output {
    let file = file.to_str().expect("a UTF-8 path");
    let mut args = vec!["import", "linkedin", file];
    if dry_run {
        args.push("--dry-run");
    }
    vault.run(&args)
}

#[test]
fn corpus_dry_run_plans_seven_people_and_writes_nothing() {
    let vault = TestVault::new().file("notes.txt", "not a contact");
    let before = snapshot(&vault);
    let out = import(&vault, &corpus_export(), true);
    assert_eq!(out.code, 0, "{out}");
    let planned = out.stdout.lines().filter(|l| l.starts_with("new: ")).count();
    assert_eq!(planned, 7, "{out}");
    assert!(out.stdout.contains("skipped: line 11: empty row (no name)"), "{out}");
    assert!(
        out.stdout
            .contains("Plan: 7 new, 0 updated, 0 unchanged, 0 job changes, 1 skipped (dry run: nothing written)"),
        "{out}"
    );
    assert!(out.stdout.contains("new: José Núñez.md (line 8)"), "{out}");
    assert_eq!(snapshot(&vault), before, "a dry run writes no file");
}

#[test]
fn corpus_import_is_valid_and_idempotent() {
    let vault = TestVault::new();
    let out = import(&vault, &corpus_export(), false);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("Imported: 7 new, 0 updated"), "{out}");
    assert_eq!(markdown_files(&vault).len(), 7, "{:?}", markdown_files(&vault));
    let validate = vault.run(&["validate", "--strict"]);
    assert_eq!(validate.code, 0, "{validate}");

    let ada = read(&vault, "Ada Lovelace.md");
    assert!(ada.starts_with("---\nname: Ada Lovelace\norganization: \"Analytical Engines, Ltd.\"\ntitle: Programmer\nemails: []\ncircles: [online]\n"), "{ada}");
    assert!(ada.contains("\nmet: 2021-03-15\n"), "{ada}");
    assert!(
        ada.contains("\nlinks: {linkedin: \"https://www.linkedin.com/in/ada-lovelace-0001\"}\n"),
        "{ada}"
    );
    assert!(read(&vault, "Grace Hopper.md").contains("\nemails: [grace@example.org]\n"));

    // The formula-looking cell is plain text, double-quoted.
    let sam = read(&vault, "Sam Tab Name.md");
    assert!(
        sam.contains("\norganization: \"=HYPERLINK(\\\"http://example.com\\\")\"\n"),
        "{sam}"
    );
    let (_, json) = vault.json(&["show", "Sam Tab Name", "--format", "json"]);
    assert_eq!(json["organization"], "=HYPERLINK(\"http://example.com\")");
    let (_, json) = vault.json(&["show", "James Tyler Okonkwo", "--format", "json"]);
    assert_eq!(json["name"], "James \"Tyler\" Okonkwo");
    assert_eq!(json["title"], "Senior Engineer, Platform");

    let before = snapshot(&vault);
    let again = import(&vault, &corpus_export(), false);
    assert_eq!(again.code, 0, "{again}");
    assert!(
        again
            .stdout
            .contains("Imported: 0 new, 0 updated, 7 unchanged, 0 job changes, 1 skipped"),
        "{again}"
    );
    assert_eq!(snapshot(&vault), before, "a second run changes nothing");
}

#[test]
fn existing_contacts_matched_by_url_email_and_name_gain_only_missing_fields() {
    let ada = "---\r\nname: Someone Else # keep\r\nlinks:\r\n  linkedin: https://linkedin.com/in/ADA-lovelace-0001/\r\norganization:\r\n---\r\nBody\r\n";
    let grace = "---\nname: G. Hopper\nemails: [GRACE@example.org]   # work\ntitle: Rear Admiral\n---\n# Grace\n";
    let jose =
        "\u{feff}---\nname: JOSE NUNEZ\norganization: Biblioteca Nacional\ntitle: Archivista\nmet: 2020-01-01\n---\n";
    let vault = TestVault::new()
        .file("people/ada.md", ada)
        .file("people/grace.md", grace)
        .file("people/jose.md", jose);
    let before = snapshot(&vault);
    let dry = import(&vault, &corpus_export(), true);
    assert_eq!(dry.code, 0, "{dry}");
    assert!(dry.stdout.contains("Plan: 4 new, 3 updated"), "{dry}");
    assert_eq!(snapshot(&vault), before);

    let out = import(&vault, &corpus_export(), false);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("updated: people/ada.md (line 5): + organization, title, met"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("updated: people/grace.md (line 6): + organization, met, links"),
        "{out}"
    );
    assert!(
        out.stdout.contains("updated: people/jose.md (line 8): + links"),
        "{out}"
    );
    assert!(!out.stdout.contains("job change:"), "{out}");
    assert_eq!(
        read(&vault, "people/ada.md"),
        "---\r\nname: Someone Else # keep\r\nlinks:\r\n  linkedin: https://linkedin.com/in/ADA-lovelace-0001/\r\norganization: \"Analytical Engines, Ltd.\"\r\ntitle: Programmer\r\nmet: 2021-03-15\r\n---\r\nBody\r\n"
    );
    assert_eq!(
        read(&vault, "people/grace.md"),
        "---\nname: G. Hopper\nemails: [GRACE@example.org]   # work\ntitle: Rear Admiral\norganization: US Navy\nmet: 2022-06-02\nlinks: {linkedin: \"https://www.linkedin.com/in/gracehopper/\"}\n---\n# Grace\n"
    );
    assert_eq!(
        read(&vault, "people/jose.md"),
        "\u{feff}---\nname: JOSE NUNEZ\norganization: Biblioteca Nacional\ntitle: Archivista\nmet: 2020-01-01\nlinks: {linkedin: \"https://www.linkedin.com/in/jos%C3%A9-n%C3%BA%C3%B1ez\"}\n---\n"
    );
    assert_eq!(markdown_files(&vault).len(), 7);

    let after = snapshot(&vault);
    let again = import(&vault, &corpus_export(), false);
    assert!(again.stdout.contains("0 new, 0 updated, 7 unchanged"), "{again}");
    assert_eq!(snapshot(&vault), after);
}

#[test]
fn a_job_change_is_reported_and_sets_follow_up_once() {
    let csv = format!(
        "{HEADER}\r\nJane,Doe,https://www.linkedin.com/in/janedoe,,Acme,Data Librarian,15 Mar 2021\r\nJohn,Smith,https://www.linkedin.com/in/jsmith,,New Co,Boss,1 Jan 2020\r\n"
    );
    let vault = TestVault::new()
        .file("export.csv", csv)
        .file("Jane Doe.md", "---\nname: Jane Doe\norganization: Old Co\ntitle: Archivist\n---\n")
        .file(
            "John Smith.md",
            "---\nname: John Smith\norganization: Old Co\nfollow_up: 2027-01-01 # lunch\nmet: 2020-01-01\nlinks: [https://www.linkedin.com/in/jsmith]\n---\n",
        );
    let export = vault.join("export.csv");
    let out = import(&vault, &export, false);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains(
            "job change: Jane Doe: now Data Librarian at Acme (was Archivist at Old Co); follow_up set to 2026-11-27"
        ),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("job change: John Smith: now Boss at New Co (was at Old Co)\n"),
        "{out}"
    );
    assert_eq!(
        read(&vault, "Jane Doe.md"),
        "---\nname: Jane Doe\norganization: Old Co\ntitle: Archivist\nmet: 2021-03-15\nlinks: {linkedin: \"https://www.linkedin.com/in/janedoe\"}\nfollow_up: 2026-11-27\n---\n"
    );
    // John's organization stays, his follow-up too; only the missing title is added.
    assert_eq!(
        read(&vault, "John Smith.md"),
        "---\nname: John Smith\norganization: Old Co\nfollow_up: 2027-01-01 # lunch\nmet: 2020-01-01\nlinks: [https://www.linkedin.com/in/jsmith]\ntitle: Boss\n---\n"
    );
    let before = snapshot(&vault);
    let again = import(&vault, &export, false);
    assert!(
        again.stdout.contains("0 new, 0 updated, 2 unchanged, 2 job changes"),
        "{again}"
    );
    assert!(!again.stdout.contains("follow_up set"), "{again}");
    assert_eq!(snapshot(&vault), before);
}

#[test]
fn names_become_safe_file_names_inside_the_vault() {
    let csv = format!("{HEADER}\n../../etc,passwd,,,,,bad date\n");
    let vault = TestVault::new().file("in.csv", csv);
    let out = import(&vault, &vault.join("in.csv"), false);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(markdown_files(&vault), ["etc passwd.md"]);
    assert!(
        out.stdout
            .contains("note: line 2: ../../etc passwd: Connected On \"bad date\""),
        "{out}"
    );
    let text = read(&vault, "etc passwd.md");
    assert!(!text.contains("met:"), "{text}");
}

#[test]
fn a_file_that_is_not_a_linkedin_export_is_refused() {
    let vault = TestVault::new().file("contacts.csv", "Name,Email\nJane,jane@example.org\n");
    let out = import(&vault, &vault.join("contacts.csv"), false);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("contacts.csv"), "{out}");
    assert!(out.stderr.contains("not a LinkedIn connections export"), "{out}");
    assert!(out.stderr.contains(HEADER), "{out}");
    let missing = vault.run(&["import", "linkedin", "nope.csv"]);
    assert_eq!(missing.code, 2, "{missing}");
    assert!(markdown_files(&vault).is_empty());
}
