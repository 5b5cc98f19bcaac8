//! `import linkedin` through the real binary (SPEC §8): the shared corpus export planned and
//! imported, matching by URL, email and name onto files that only gain missing fields, job
//! changes, formula-looking cells, idempotence, and files that are not an export.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::TestVault;

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

fn import(vault: &TestVault, file: &Path, dry_run: bool) -> crate::common::Output {
    import_as(vault, "linkedin", file, dry_run)
}

fn import_as(vault: &TestVault, kind: &str, file: &Path, dry_run: bool) -> crate::common::Output {
    let file = file.to_str().expect("a UTF-8 path");
    let mut args = vec!["import", kind, file];
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
    // Connected On is when you connected, not when you met; new people are dormant.
    assert!(ada.contains("\nconnected: 2021-03-15\nstatus: dormant\n"), "{ada}");
    for file in markdown_files(&vault) {
        let text = read(&vault, &file);
        assert!(text.contains("\nstatus: dormant\n"), "{file}: {text}");
        assert!(text.contains("\nconnected: "), "{file}: {text}");
        assert!(!text.contains("\nmet:"), "{file}: {text}");
        assert!(!text.contains("follow_up"), "{file}: {text}");
    }
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
            .contains("updated: people/ada.md (line 5): + organization, title, connected"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("updated: people/grace.md (line 6): + organization, connected, links"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("updated: people/jose.md (line 8): + connected, links"),
        "{out}"
    );
    assert!(!out.stdout.contains("job change:"), "{out}");
    assert_eq!(
        read(&vault, "people/ada.md"),
        "---\r\nname: Someone Else # keep\r\nlinks:\r\n  linkedin: https://linkedin.com/in/ADA-lovelace-0001/\r\norganization: \"Analytical Engines, Ltd.\"\r\ntitle: Programmer\r\nconnected: 2021-03-15\r\n---\r\nBody\r\n"
    );
    assert_eq!(
        read(&vault, "people/grace.md"),
        "---\nname: G. Hopper\nemails: [GRACE@example.org]   # work\ntitle: Rear Admiral\norganization: US Navy\nconnected: 2022-06-02\nlinks: {linkedin: \"https://www.linkedin.com/in/gracehopper/\"}\n---\n# Grace\n"
    );
    assert_eq!(
        read(&vault, "people/jose.md"),
        "\u{feff}---\nname: JOSE NUNEZ\norganization: Biblioteca Nacional\ntitle: Archivista\nmet: 2020-01-01\nconnected: 2024-02-28\nlinks: {linkedin: \"https://www.linkedin.com/in/jos%C3%A9-n%C3%BA%C3%B1ez\"}\n---\n"
    );
    assert_eq!(markdown_files(&vault).len(), 7);

    let after = snapshot(&vault);
    let again = import(&vault, &corpus_export(), false);
    assert!(again.stdout.contains("0 new, 0 updated, 7 unchanged"), "{again}");
    assert_eq!(snapshot(&vault), after);
}

#[test]
fn a_job_change_updates_the_fields_and_adds_a_task_once() {
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
            "job change: Jane Doe: now Data Librarian at Acme (was Archivist at Old Co); a task to congratulate, due 2026-12-04\n"
        ),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("updated: Jane Doe.md (line 2): + connected, links; organization, title changed; + task\n"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("job change: John Smith: now Boss at New Co (was at Old Co);"),
        "{out}"
    );
    assert_eq!(
        read(&vault, "Jane Doe.md"),
        "---\nname: Jane Doe\norganization: Acme\ntitle: Data Librarian\nconnected: 2021-03-15\nlinks: {linkedin: \"https://www.linkedin.com/in/janedoe\"}\n---\n\n## Tasks\n- [ ] congratulate on the new role: Data Librarian at Acme (was Archivist at Old Co) 📅 2026-12-04\n"
    );
    // John had an organization but no title: the title is filled, the organization changed;
    // his own follow-up stays as it was.
    assert_eq!(
        read(&vault, "John Smith.md"),
        "---\nname: John Smith\norganization: New Co\nfollow_up: 2027-01-01 # lunch\nmet: 2020-01-01\nlinks: [https://www.linkedin.com/in/jsmith]\ntitle: Boss\nconnected: 2020-01-01\n---\n\n## Tasks\n- [ ] congratulate on the new role: Boss at New Co (was at Old Co) 📅 2026-12-04\n"
    );
    let before = snapshot(&vault);
    let again = import(&vault, &export, false);
    assert!(
        again.stdout.contains("0 new, 0 updated, 2 unchanged, 0 job changes"),
        "{again}"
    );
    assert_eq!(snapshot(&vault), before);
}

/// The corpus export onto a vault where two people changed jobs since the files were written.
fn vault_with_job_changes() -> TestVault {
    TestVault::new()
        .file(
            "people/Grace Hopper.md",
            "---\nname: Grace Hopper\norganization: Harvard   # Mark I\ntitle: Programmer\n---\n# Grace\n\n## Tasks\n- [ ] send the paper 📅 2026-12-01\n\n## Log\n- 2026-10-01: coffee\n",
        )
        .file(
            "people/Lee.md",
            "---\nname: Lee O’Brien 🚀\nemails: [lee@example.net]\ncompany: Pied Piper®\nrole: Engineer\n---\n",
        )
}

const GRACE_TASK: &str =
    "- [ ] congratulate on the new role: Rear Admiral at US Navy (was Programmer at Harvard) 📅 2026-12-04";
const LEE_TASK: &str =
    "- [ ] congratulate on the new role: Head of Growth™ at Pied Piper® (was Engineer at Pied Piper®) 📅 2026-12-04";

#[test]
fn corpus_job_changes_are_written_once_whatever_happens_to_the_task() {
    let vault = vault_with_job_changes();
    let out = import(&vault, &corpus_export(), false);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("Imported: 5 new, 2 updated, 0 unchanged, 2 job changes"),
        "{out}"
    );
    let grace = read(&vault, "people/Grace Hopper.md");
    assert_eq!(
        grace,
        format!(
            "---\nname: Grace Hopper\norganization: US Navy   # Mark I\ntitle: Rear Admiral\nemails: [grace@example.org]\nconnected: 2022-06-02\nlinks: {{linkedin: \"https://www.linkedin.com/in/gracehopper/\"}}\n---\n# Grace\n\n## Tasks\n- [ ] send the paper 📅 2026-12-01\n{GRACE_TASK}\n\n## Log\n- 2026-10-01: coffee\n"
        )
    );
    // Only the title changed; the keys keep the spelling the user gave them.
    let lee = read(&vault, "people/Lee.md");
    assert!(lee.contains("\ncompany: Pied Piper®\nrole: Head of Growth™\n"), "{lee}");
    assert!(lee.ends_with(&format!("---\n\n## Tasks\n{LEE_TASK}\n")), "{lee}");
    assert!(!grace.contains("follow_up") && !lee.contains("follow_up"));

    // A second run changes no byte.
    let imported = snapshot(&vault);
    let again = import(&vault, &corpus_export(), false);
    assert!(
        again
            .stdout
            .contains("Imported: 0 new, 0 updated, 7 unchanged, 0 job changes"),
        "{again}"
    );
    assert_eq!(snapshot(&vault), imported, "a second run changes nothing");

    // Ticked: still nothing to do.
    let ticked = grace.replace(GRACE_TASK, &GRACE_TASK.replace("- [ ]", "- [x]"));
    std::fs::write(vault.join("people/Grace Hopper.md"), &ticked).expect("tick the task");
    let before = snapshot(&vault);
    let again = import(&vault, &corpus_export(), false);
    assert!(again.stdout.contains("0 job changes"), "{again}");
    assert_eq!(snapshot(&vault), before, "a ticked task is not added again");

    // Deleted: still nothing to do.
    let deleted = grace.replace(&format!("{GRACE_TASK}\n"), "");
    std::fs::write(vault.join("people/Grace Hopper.md"), &deleted).expect("delete the task");
    std::fs::write(vault.join("people/Lee.md"), lee.replace(&format!("{LEE_TASK}\n"), "")).expect("delete");
    let before = snapshot(&vault);
    let again = import(&vault, &corpus_export(), false);
    assert!(again.stdout.contains("0 job changes"), "{again}");
    assert_eq!(snapshot(&vault), before, "a deleted task is not added again");
}

#[test]
fn new_people_are_active_when_the_config_says_so() {
    let vault = TestVault::new().config("[import]\nstatus = \"active\"\n");
    let out = import(&vault, &corpus_export(), false);
    assert_eq!(out.code, 0, "{out}");
    let files = markdown_files(&vault);
    assert_eq!(files.len(), 7, "{files:?}");
    for file in files {
        let text = read(&vault, &file);
        assert!(text.contains("\nstatus: active\n"), "{file}: {text}");
        assert!(!text.contains("dormant"), "{file}: {text}");
    }
    let bad = TestVault::new().config("[import]\nstatus = \"busy\"\n");
    let out = import(&bad, &corpus_export(), false);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("[import] status"), "{out}");
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
fn new_files_never_differ_from_existing_ones_only_in_case() {
    // "Ada Lovelace" would name the file by its stem (SPEC v2 §2) and merge into it; "Ada:
    // Lovelace" names no contact, but its safe file name differs from the file's only in case.
    let csv = format!("{HEADER}\nAda:,Lovelace,,,,,\n");
    let vault = TestVault::new()
        .file("ada lovelace.md", "---\nname: Countess of Lovelace\n---\n")
        .file("in.csv", csv);
    let out = import(&vault, &vault.join("in.csv"), false);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("new: Ada Lovelace 2.md"), "{out}");
    assert_eq!(markdown_files(&vault), ["Ada Lovelace 2.md", "ada lovelace.md"]);
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

// ---- import vcard ----

fn import_vcard(vault: &TestVault, file: &Path, dry_run: bool) -> crate::common::Output {
    import_as(vault, "vcard", file, dry_run)
}

/// Each card of a vCard file: its first line and whether it has an FN or N property with a
/// value (read naively, independently of the importer: unfolded, group and parameters dropped).
fn cards(text: &str) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().eq_ignore_ascii_case("BEGIN:VCARD") {
            let mut named = false;
            for l in &lines[i + 1..] {
                if l.trim().eq_ignore_ascii_case("END:VCARD") || l.trim().eq_ignore_ascii_case("BEGIN:VCARD") {
                    break;
                }
                let Some((key, value)) = l.split_once(':') else {
                    continue;
                };
                let property = key.split(';').next().unwrap_or("");
                let property = property.rsplit('.').next().unwrap_or(property);
                let has_value = value.chars().any(|c| !matches!(c, ';' | ' ' | '\t'));
                if (property.eq_ignore_ascii_case("FN") || property.eq_ignore_ascii_case("N")) && has_value {
                    named = true;
                }
            }
            out.push((i + 1, named));
        }
    }
    out
}

#[test]
fn every_corpus_card_with_a_name_is_planned() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/vcard");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the shared corpus folder {} is missing: {e}", dir.display()))
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "vcf"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "{files:?}");
    let vault = TestVault::new();
    let (mut planned, mut nameless) = (0, 0);
    for file in &files {
        let out = import_vcard(&vault, file, true);
        assert_eq!(out.code, 0, "{}: {out}", file.display());
        assert!(!out.stderr.contains("panicked"), "{out}");
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        for (line, named) in cards(&text) {
            let new = out.stdout.contains(&format!(" (line {line})"));
            let merged = out.stdout.contains(&format!("line {line}: ")) && out.stdout.contains("merged into it");
            let no_name = out
                .stdout
                .contains(&format!("skipped: line {line}: the card has no name (no FN or N)"));
            if named {
                assert!(
                    new || merged,
                    "{} line {line}: a named card is not planned\n{out}",
                    file.display()
                );
                planned += 1;
            } else {
                assert!(
                    no_name,
                    "{} line {line}: a nameless card is not reported\n{out}",
                    file.display()
                );
                nameless += 1;
            }
        }
    }
    assert!(planned >= 30 && nameless >= 8, "{planned} planned, {nameless} nameless");
    assert!(markdown_files(&vault).is_empty(), "a dry run writes nothing");
}

const CARDS: &str = "BEGIN:VCARD\r\nVERSION:2.1\r\n\
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n\
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\n\
TEL;CELL:+49 170 1234567\r\nTEL;WORK:+49 30 765432\r\nEMAIL;PREF;INTERNET:jm@example.de\r\n\
ORG:Bundesarchiv;Lesesaal\r\nTITLE:Archivar\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Priya Raman\r\nN:Raman;Priya;;;\r\n\
item1.EMAIL;TYPE=INTERNET,pref:priya@example.org\r\nitem1.X-ABLabel:work\r\n\
item2.EMAIL;TYPE=INTERNET:p.raman@example.com\r\nTEL;TYPE=CELL:(555) 010-2233\r\n\
ORG:Open Library\r\nTITLE:Metadata Librarian, Digital\r\n  Collections\r\nNOTE:Met at Code4Lib.\\nLikes chess.\r\n\
BDAY:--0517\r\nCATEGORIES:library,mentor\r\nURL:https://www.linkedin.com/in/priya-raman\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Zoë Ødegaard\r\nEMAIL:zoe@example.no\r\nTEL;VALUE=uri:tel:+47-22-33-44-55\r\n\
ORG:Statistics Norway\r\nTITLE:=cmd|' /C calc'!A0\r\nEND:VCARD\r\n";

#[test]
fn vcard_import_writes_each_field_and_is_idempotent() {
    let vault = TestVault::new().file("cards.vcf", CARDS);
    let out = import_vcard(&vault, &vault.join("cards.vcf"), false);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("Imported: 3 new, 0 updated, 0 unchanged"), "{out}");
    assert_eq!(
        markdown_files(&vault),
        ["Jürgen Müller.md", "Priya Raman.md", "Zoë Ødegaard.md"]
    );
    let priya = read(&vault, "Priya Raman.md");
    for line in [
        "name: Priya Raman\n",
        "organization: Open Library\n",
        "title: \"Metadata Librarian, Digital Collections\"\n",
        "emails: [priya@example.org, p.raman@example.com]\n",
        "phones: [(555) 010-2233]\n",
        "tags: [library, mentor]\n",
        "birthday: 05-17\n",
        "links: {linkedin: \"https://www.linkedin.com/in/priya-raman\"}\n",
        "note: \"Met at Code4Lib.\\nLikes chess.\"\n",
    ] {
        assert!(priya.contains(line), "{line:?} missing in\n{priya}");
    }
    assert!(!priya.contains("met:"), "no connection date is guessed:\n{priya}");
    let zoe = read(&vault, "Zoë Ødegaard.md");
    assert!(zoe.contains("phones: [\"+47-22-33-44-55\"]\n"), "{zoe}");
    assert!(zoe.contains("title: \"=cmd|' /C calc'!A0\"\n"), "{zoe}");
    let valid = vault.run(&["validate", "--strict"]);
    assert_eq!(valid.code, 0, "{valid}");

    let before = snapshot(&vault);
    let again = import_vcard(&vault, &vault.join("cards.vcf"), false);
    assert!(
        again.stdout.contains("Imported: 0 new, 0 updated, 3 unchanged"),
        "{again}"
    );
    assert_eq!(snapshot(&vault), before, "a second import changes nothing");
}

#[test]
fn vcard_merges_into_existing_contacts_and_never_writes_follow_up() {
    let jane =
        "---\nname: Priya Raman   # from the conference\norganization: Old Library\nphones: []\n---\nNotes I wrote.\n";
    let vault = TestVault::new()
        .file("people/Priya Raman.md", jane)
        .file("cards.vcf", CARDS);
    let out = import_vcard(&vault, &vault.join("cards.vcf"), false);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("job change: Priya Raman: now Metadata Librarian, Digital Collections at Open Library (was at Old Library); a task to congratulate, due 2026-12-04"),
        "{out}"
    );
    let text = read(&vault, "people/Priya Raman.md");
    assert!(
        text.starts_with(
            "---\nname: Priya Raman   # from the conference\norganization: Open Library\nphones: [(555) 010-2233]\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("\n---\nNotes I wrote.\n\n## Tasks\n- [ ] congratulate on the new role: Metadata Librarian, Digital Collections at Open Library (was at Old Library) 📅 2026-12-04\n"),
        "{text}"
    );
    assert!(!text.contains("follow_up"), "{text}");
    // New people from cards are dormant, without `connected` (a card does not say).
    for new in ["Jürgen Müller.md", "Zoë Ødegaard.md"] {
        let text = read(&vault, new);
        assert!(text.contains("\nstatus: dormant\n"), "{new}: {text}");
        assert!(!text.contains("connected") && !text.contains("\nmet:"), "{new}: {text}");
    }
    // The task deleted, then the same file imported again: no byte changes.
    let task_start = text.find("\n## Tasks").expect("the task section");
    std::fs::write(vault.join("people/Priya Raman.md"), &text[..=task_start]).expect("delete the task");
    let before = snapshot(&vault);
    let again = import_vcard(&vault, &vault.join("cards.vcf"), false);
    assert!(
        again.stdout.contains("0 new, 0 updated, 3 unchanged, 0 job changes"),
        "{again}"
    );
    assert_eq!(snapshot(&vault), before);
}

/// Names, emails, phones, organization and title of every card, as calcard reads them.
fn card_values(text: &str) -> Vec<BTreeMap<&'static str, Vec<String>>> {
    use calcard::vcard::{VCardProperty as P, VCardValue};
    let mut parser = calcard::Parser::new(text);
    let mut out = Vec::new();
    while let calcard::Entry::VCard(card) = parser.entry() {
        let mut values: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for entry in &card.entries {
            let key = match entry.name {
                P::Fn => "name",
                P::Email => "email",
                P::Tel => "phone",
                P::Org => "organization",
                P::Title => "title",
                _ => continue,
            };
            let first = match entry.values.first() {
                Some(VCardValue::Text(t)) => t.trim().trim_start_matches("tel:").to_string(),
                Some(VCardValue::Component(parts)) => parts.join(" "),
                other => panic!("unexpected value {other:?}"),
            };
            values.entry(key).or_default().push(first);
        }
        out.push(values);
    }
    out
}

#[test]
fn vcard_to_vault_to_vcard_keeps_names_emails_phones_organizations_titles() {
    let vault = TestVault::new().file("cards.vcf", CARDS);
    assert_eq!(import_vcard(&vault, &vault.join("cards.vcf"), false).code, 0);
    let exported = vault.run(&["export", "vcard"]);
    assert_eq!(exported.code, 0, "{exported}");
    assert!(
        exported.stdout.contains("NOTE:Met at Code4Lib.\\nLikes chess.\r\n"),
        "{}",
        exported.stdout
    );
    let mut want = card_values(CARDS);
    // ORG's first component is the organization; TITLE unfolded.
    want[0].insert("organization", vec!["Bundesarchiv".into()]);
    want[1].insert("title", vec!["Metadata Librarian, Digital Collections".into()]);
    let mut got = card_values(&exported.stdout);
    let by_name = |v: &BTreeMap<&str, Vec<String>>| v["name"].clone();
    want.sort_by_key(by_name);
    got.sort_by_key(by_name);
    assert_eq!(got, want, "{}", exported.stdout);

    // And back: the export imported into an empty vault exports to the same bytes.
    let second = TestVault::new().file("out.vcf", &exported.stdout);
    let out = import_vcard(&second, &second.join("out.vcf"), false);
    assert!(out.stdout.contains("Imported: 3 new"), "{out}");
    let again = second.run(&["export", "vcard"]);
    assert_eq!(again.stdout, exported.stdout);
}

#[test]
fn vcard_reports_bad_cards_and_refuses_files_without_cards() {
    let text = "BEGIN:VCARD\nVERSION:3.0\nEMAIL:nobody@example.org\nEND:VCARD\n\
        BEGIN:VCARD\nFN:Kept Person\nEND:VCARD\nBEGIN:VCARD\nFN:Cut Short\nTEL:1";
    let vault = TestVault::new()
        .file("bad.vcf", text)
        .file("latin1.vcf", b"BEGIN:VCARD\r\nFN:Ren\xE9 Lef\xE8vre\r\nEND:VCARD\r\n")
        .file("people.csv", format!("{HEADER}\nA,B,,,,,\n"));
    let out = import_vcard(&vault, &vault.join("bad.vcf"), false);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("skipped: line 1: the card has no name (no FN or N)"),
        "{out}"
    );
    assert!(out.stdout.contains("note: line 8: the card has no END:VCARD"), "{out}");
    assert_eq!(markdown_files(&vault), ["Cut Short.md", "Kept Person.md"]);

    let latin1 = import_vcard(&vault, &vault.join("latin1.vcf"), false);
    assert!(latin1.stdout.contains("read as Windows-1252"), "{latin1}");
    assert!(vault.join("René Lefèvre.md").is_file(), "{latin1}");

    let csv = import_vcard(&vault, &vault.join("people.csv"), false);
    assert_eq!(csv.code, 2, "{csv}");
    assert!(csv.stderr.contains("not a vCard file"), "{csv}");
    assert_eq!(markdown_files(&vault).len(), 3);
}

/// A file whose front matter has errors cannot be matched: the import names it (a person in
/// it may be added again) instead of passing over it in silence; notes without front matter
/// are not named.
#[test]
fn a_file_that_cannot_be_matched_is_named_not_skipped_in_silence() {
    let vault = TestVault::new()
        .file(
            "people/Ada Lovelace.md",
            "---\nname: Ada Lovelace\nname: Ada L.\n---\nbroken by a hand edit\n",
        )
        .file("notes/ideas.md", "no front matter here\n");
    let csv = vault.join("Connections.csv");
    std::fs::write(
        &csv,
        format!("{HEADER}\nGrace,Hopper,https://www.linkedin.com/in/grace,,Navy,Rear Admiral,15 Mar 2021\n"),
    )
    .unwrap();
    let out = import(&vault, &csv, true);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr
            .contains("1 file could not be read to match people against (people/Ada Lovelace.md)"),
        "{out}"
    );
    assert!(!out.stderr.contains("notes/ideas.md"), "{out}");
}

/// Issue 12's scenario, closed: an import does not flood the morning report (new people are
/// dormant, `connected` is no meeting), and a job change is on it with what to say.
#[test]
fn imported_people_stay_off_the_report_and_a_job_change_is_on_it() {
    let csv = format!(
        "{HEADER}\nJane,Doe,https://www.linkedin.com/in/janedoe,,Acme,Data Librarian,15 Mar 2021\nSam,Tab Name,https://www.linkedin.com/in/samtab,,Tab Co,Clerk,1 Jan 2019\n"
    );
    let vault = TestVault::new()
        .config("[cadence]\nonline = \"180d\"\ndefault = \"90d\"\n")
        .file("export.csv", csv)
        .file(
            "Jane Doe.md",
            "---\nname: Jane Doe\norganization: Old Co\ntitle: Archivist\nlast_contact: 2026-11-20\ncadence: 1y\n---\n",
        );
    let out = import(&vault, &vault.join("export.csv"), false);
    assert_eq!(out.code, 0, "{out}");
    let (_, json) = vault.json(&["report", "--format", "json", "--within", "14d"]);
    let items = json["items"].as_array().unwrap();
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Jane Doe"], "only the job change is due: {json:#}");
    let reasons = &items[0]["reasons"];
    assert!(reasons.to_string().contains("task"), "{reasons}");
    assert!(
        items[0]["next"]
            .as_str()
            .unwrap()
            .contains("congratulate on the new role: Data Librarian at Acme (was Archivist at Old Co)"),
        "{json:#}"
    );
    let table = vault.run(&["report", "--within", "14d"]);
    assert!(table.stdout.contains("new job at Acme"), "{table}");
    assert!(!table.stdout.contains("Sam Tab Name"), "{table}");
}

#[test]
fn an_imported_lead_comes_in_introduced_by_who_gave_the_name() {
    // Margaret's note names Claire, who is no contact yet: a lead. The import that brings
    // Claire in keeps who gave the name, as `add` does, so the name is not lost with the lead.
    let vault = TestVault::new().file(
        "people/Margaret Ellison.md",
        "---\nname: Margaret Ellison\n---\n## Log\n- 2026-11-02: she said to talk to [[Claire Beaumont]] #intro\n",
    );
    let csv = vault.join("Connections.csv");
    std::fs::write(
        &csv,
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nClaire,Beaumont,https://www.linkedin.com/in/cbeaumont,,Travis County,Records Manager,05 Nov 2026\nOmar,Haddad,https://www.linkedin.com/in/ohaddad,,Acme,Engineer,06 Nov 2026\n",
    )
    .unwrap();
    assert_eq!(vault.run(&["report", "leads", "--format", "json"]).json()["total"], 1);
    let out = import(&vault, &csv, false);
    assert_eq!(out.code, 0, "{out}");
    let claire = read(&vault, "Claire Beaumont.md");
    assert!(claire.contains("introduced_by: \"[[Margaret Ellison]]\""), "{claire}");
    let omar = read(&vault, "Omar Haddad.md");
    assert!(!omar.contains("introduced_by: \""), "nobody gave Omar's name:\n{omar}");
    assert_eq!(vault.run(&["report", "leads", "--format", "json"]).json()["total"], 0);
}
