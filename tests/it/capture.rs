//! Capture commands through the real binary (SPEC v2 §8): `log`, `done`, `snooze` and `add` change
//! exactly the intended lines of files with comments, CRLF and a BOM, and refuse what they must.

use crate::common::TestVault;

/// A contact with a BOM, CRLF, comments, odd quoting and a log.
const JANE: &str = "\u{feff}---\r\nname: 'Jane Doe'   # as she signs\r\ntags: [alumni, \"archives\"]\r\n# when to write next\r\nfollow_up: 2026-12-01      # next explicit follow-up\r\nlast_contact: 2026-10-01   # optional\r\n---\r\n# Jane Doe\r\n\r\n## Log\r\n\r\n- 2026-10-01: coffee #info\r\n\r\n## Tasks\r\n- [ ] thank-you note\r\n";

fn read(vault: &TestVault, rel: &str) -> String {
    std::fs::read_to_string(vault.join(rel)).expect("the file is readable")
}

#[test]
fn log_inserts_entry_and_moves_last_contact_forward() {
    let vault = TestVault::new().file("people/Jane Doe.md", JANE);
    let out = vault.run(&["log", "Jane Doe", "call about Denver #intro"]);
    assert_eq!(out.code, 0, "{out}");
    let expected = JANE
        .replace(
            "last_contact: 2026-10-01   # optional",
            "last_contact: 2026-11-27   # optional",
        )
        .replace(
            "## Log\r\n\r\n- 2026-10-01",
            "## Log\r\n\r\n- 2026-11-27: call about Denver #intro\r\n- 2026-10-01",
        );
    assert_eq!(read(&vault, "people/Jane Doe.md"), expected);
    assert_eq!(
        out.stdout,
        "people/Jane Doe.md\n  - last_contact: 2026-10-01   # optional\n  + last_contact: 2026-11-27   # optional\n  + - 2026-11-27: call about Denver #intro\n"
    );
}

#[test]
fn log_with_an_older_date_leaves_last_contact() {
    let vault = TestVault::new().file("people/Jane Doe.md", JANE);
    let out = vault.run(&["log", "jane doe", "old lunch", "--date", "2026-09-01"]);
    assert_eq!(out.code, 0, "{out}");
    let expected = JANE.replace(
        "## Log\r\n\r\n- 2026-10-01",
        "## Log\r\n\r\n- 2026-09-01: old lunch\r\n- 2026-10-01",
    );
    assert_eq!(read(&vault, "people/Jane Doe.md"), expected);
}

#[test]
fn log_follow_up_span_counts_from_the_log_date() {
    let vault = TestVault::new().file("people/Jane Doe.md", JANE);
    let out = vault.run(&["log", "Jane Doe", "call", "--date", "2026-11-20", "--follow-up", "2w"]);
    assert_eq!(out.code, 0, "{out}");
    let text = read(&vault, "people/Jane Doe.md");
    assert!(
        text.contains("\r\nfollow_up: 2026-12-04      # next explicit follow-up\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\nlast_contact: 2026-11-20   # optional\r\n"), "{text}");
    let out = vault.run(&["log", "Jane Doe", "again", "--follow-up", "2027-01-05"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(read(&vault, "people/Jane Doe.md").contains("\r\nfollow_up: 2027-01-05      # next"));
}

#[test]
fn log_creates_the_log_heading_and_missing_keys() {
    let vault = TestVault::new().file("sam.md", "---\nname: Sam # friend\n---\n# Sam\n\nNotes.\n");
    let out = vault.run(&["log", "Sam", "met at the fair"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        read(&vault, "sam.md"),
        "---\nname: Sam # friend\nlast_contact: 2026-11-27\n---\n# Sam\n\nNotes.\n\n## Log\n- 2026-11-27: met at the fair\n"
    );
    let (_, json) = vault.json(&["show", "Sam", "--format", "json"]);
    assert_eq!(json["last_contact"], "2026-11-27");
}

#[test]
fn log_rejects_bad_input() {
    let vault = TestVault::new().file("sam.md", "---\nname: Sam\n---\n");
    assert_eq!(vault.run(&["log", "Sam", "x", "--follow-up", "soon"]).code, 2);
    assert_eq!(vault.run(&["log", "Sam", "   "]).code, 2);
    assert_eq!(vault.run(&["log", "Nobody", "x"]).code, 2);
    assert_eq!(read(&vault, "sam.md"), "---\nname: Sam\n---\n");
}

#[test]
fn done_keeps_a_future_follow_up_and_removes_a_due_one() {
    // Jane's follow-up (12-01) is ahead and her only task has no date: nothing is due.
    let vault = TestVault::new().file("people/Jane Doe.md", JANE);
    let out = vault.run(&["done", "Jane Doe"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("nothing changed"), "{out}");
    assert!(out.stdout.contains("2026-12-01 is still ahead"), "{out}");
    // Her undated task can still be ticked by naming it: the output says how.
    assert!(
        out.stdout
            .contains("to tick an open task anyway, name it:\n    netvault done \"Jane Doe\" \"thank-you note\""),
        "{out}"
    );
    assert_eq!(read(&vault, "people/Jane Doe.md"), JANE);
    let out = vault.run(&["done", "Jane Doe", "thank-you note"]);
    assert_eq!(out.code, 0, "the suggested command works: {out}");
    // On the day, it is done: only its line goes.
    let vault = TestVault::new().today("2026-12-01").file("people/Jane Doe.md", JANE);
    let out = vault.run(&["done", "Jane Doe"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        read(&vault, "people/Jane Doe.md"),
        JANE.replace("follow_up: 2026-12-01      # next explicit follow-up\r\n", "")
    );
    assert!(out.stdout.contains("- follow_up: 2026-12-01"), "{out}");
    let out = vault.run(&["done", "Jane Doe"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("no follow-up or open task is due"), "{out}");
}

#[test]
fn snooze_sets_snooze_until_from_today_and_leaves_follow_up() {
    let vault = TestVault::new().file("people/Jane Doe.md", JANE);
    let out = vault.run(&["snooze", "Jane Doe", "1m"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        read(&vault, "people/Jane Doe.md"),
        JANE.replace(
            "\r\n---\r\n# Jane Doe",
            "\r\nsnooze_until: 2026-12-27\r\n---\r\n# Jane Doe"
        )
    );
    // Again with a date: only that line changes; the same date changes nothing.
    assert_eq!(vault.run(&["snooze", "Jane Doe", "2027-01-10"]).code, 0);
    assert!(read(&vault, "people/Jane Doe.md").contains("\r\nsnooze_until: 2027-01-10\r\n"));
    let out = vault.run(&["snooze", "Jane Doe", "2027-01-10"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("nothing changed"), "{out}");
    let vault = TestVault::new().file("sam.md", "---\nname: Sam\n---\n");
    assert_eq!(vault.run(&["snooze", "Sam", "3d"]).code, 0);
    assert_eq!(
        read(&vault, "sam.md"),
        "---\nname: Sam\nsnooze_until: 2026-11-30\n---\n"
    );
    for bad in ["soon", "0d", "2026-11-27", "2026-01-01"] {
        let out = vault.run(&["snooze", "Sam", bad]);
        assert_eq!(out.code, 2, "{bad}: {out}");
    }
    assert_eq!(
        read(&vault, "sam.md"),
        "---\nname: Sam\nsnooze_until: 2026-11-30\n---\n"
    );
}

#[test]
fn mapped_key_keeps_its_spelling() {
    let vault = TestVault::new()
        .config("[fields]\nfollowUp = \"follow_up\"\nsnoozeUntil = \"snooze_until\"\n")
        .file(
            "sam.md",
            "---\nname: Sam\nsnoozeUntil: 2026-12-01\nfollowUp: 2026-11-20\n---\n",
        );
    assert_eq!(vault.run(&["snooze", "Sam", "1w"]).code, 0);
    assert_eq!(
        read(&vault, "sam.md"),
        "---\nname: Sam\nsnoozeUntil: 2026-12-04\nfollowUp: 2026-11-20\n---\n"
    );
    assert_eq!(vault.run(&["done", "Sam"]).code, 0);
    assert_eq!(read(&vault, "sam.md"), "---\nname: Sam\nsnoozeUntil: 2026-12-04\n---\n");
}

#[test]
fn ambiguous_name_is_an_error_and_writes_nothing() {
    let text = "---\nname: Sam Lee\nfollow_up: 2026-11-20\n---\n";
    let vault = TestVault::new().file("a/Sam.md", text).file("b/Sam.md", text);
    let out = vault.run(&["done", "Sam"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("a/Sam.md") && out.stderr.contains("b/Sam.md"),
        "{out}"
    );
    assert_eq!(read(&vault, "a/Sam.md"), text);
    assert_eq!(read(&vault, "b/Sam.md"), text);
    // A path chooses.
    assert_eq!(vault.run(&["done", "a/Sam.md"]).code, 0);
    assert_eq!(read(&vault, "a/Sam.md"), "---\nname: Sam Lee\n---\n");
}

#[test]
fn add_without_template_uses_the_built_in_one() {
    let vault = TestVault::new().config("new_contacts = \"people\"\n");
    let out = vault.run(&[
        "add",
        "Jane Doe",
        "--org",
        "Acme: Corp",
        "--title",
        "Data Librarian",
        "--email",
        "jane@example.org",
        "--circle",
        "alumni",
        "--tag",
        "#archives",
        "--tag",
        "texas",
        "--met-at",
        "career fair",
        "--introduced-by",
        "John Smith",
    ]);
    assert_eq!(out.code, 0, "{out}");
    let path = vault.join("people/Jane Doe.md");
    assert_eq!(out.stdout.trim_end(), path.display().to_string());
    assert_eq!(
        std::fs::read_to_string(&path).expect("created"),
        "---\nname: Jane Doe\norganization: \"Acme: Corp\"\ntitle: Data Librarian\nemails: [jane@example.org]\ncircles: [alumni]\ntags: [archives, texas]\nmet: 2026-11-27\nmet_at: career fair\nintroduced_by: \"[[John Smith]]\"\n---\n# Jane Doe\n\n## Log\n\n## Tasks\n"
    );
    let out = vault.run(&["validate"]);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn add_with_a_template_keeps_its_layout() {
    let template = "\u{feff}---\r\nname: \"{{name}}\"\r\n# where from\r\norg:  # employer\r\nmet: {{today}}\r\n---\r\n# {{name}}\r\n";
    let vault = TestVault::new().file(".netvault/template.md", template);
    let out = vault.run(&["add", "Ada Lovelace", "--org", "Analytical", "--tag", "math"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        read(&vault, "Ada Lovelace.md"),
        "\u{feff}---\r\nname: \"Ada Lovelace\"\r\n# where from\r\norg: Analytical  # employer\r\nmet: 2026-11-27\r\ntags: [math]\r\n---\r\n# Ada Lovelace\r\n"
    );
}

#[test]
fn add_makes_unsafe_names_safe_and_stays_in_the_vault() {
    let vault = TestVault::new();
    // A NAME with a folder names a folder of the vault (SPEC v2 §8): `..` is refused.
    let out = vault.run(&["add", "../../etc/passwd"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(!vault.join("etc passwd.md").exists() && !vault.join("passwd.md").exists());
    for (name, file) in [("CON", "CON_.md"), ("a:b*c?", "a b c.md")] {
        let out = vault.run(&["add", name]);
        assert_eq!(out.code, 0, "{out}");
        let path = vault.join(file);
        assert_eq!(out.stdout.trim_end(), path.display().to_string());
        let text = std::fs::read_to_string(&path).expect("created in the vault root");
        // The name itself is kept, quoted when YAML needs it.
        let (_, json) = vault.json(&["show", file, "--format", "json"]);
        assert_eq!(json["name"], name, "{text}");
    }
    assert_eq!(vault.run(&["add", "..."]).code, 2);
    let out = vault.run(&["add", "x"]);
    assert_eq!(out.code, 0);
    let vault = TestVault::new().config("new_contacts = \"../outside\"\n");
    let out = vault.run(&["add", "Jane"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(!vault.path().join("../outside").exists());
}

#[test]
fn add_never_overwrites() {
    let vault = TestVault::new().file("Jane Doe.md", "mine\n");
    let out = vault.run(&["add", "Jane Doe"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("already exists"), "{out}");
    assert_eq!(read(&vault, "Jane Doe.md"), "mine\n");
}

#[test]
fn add_refuses_a_name_that_differs_only_in_case() {
    // One file on macOS and Windows, and in a git clone there.
    let vault = TestVault::new().file("Jane Doe.md", "mine\n");
    let out = vault.run(&["add", "JANE DOE"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("Jane Doe.md") && out.stderr.contains("already exists"),
        "{out}"
    );
    assert!(!vault.join("JANE DOE.md").exists());
    assert_eq!(read(&vault, "Jane Doe.md"), "mine\n");
}

#[test]
fn long_names_are_cut_on_a_char_boundary() {
    let vault = TestVault::new();
    let name = "é".repeat(90);
    let out = vault.run(&["add", &name]);
    assert_eq!(out.code, 0, "{out}");
    let file = std::path::Path::new(out.stdout.trim_end());
    let file_name = file.file_name().expect("a file name").to_string_lossy().into_owned();
    assert!(file_name.len() <= 120, "{file_name}");
    assert!(file_name.to_lowercase().ends_with(".md"));
}

#[test]
fn show_says_today_and_yesterday_for_a_recent_last_contact() {
    let vault = TestVault::new().file("sam.md", "---\nname: Sam\n---\n");
    assert_eq!(vault.run(&["log", "Sam", "coffee"]).code, 0);
    let out = vault.run(&["show", "Sam"]);
    assert!(out.stdout.contains("2026-11-27 (today)"), "{out}");
    let tomorrow = TestVault::new().file("kim.md", "---\nname: Kim\nfollow_up: 2026-11-28\n---\n");
    let out = tomorrow.run(&["show", "Kim"]);
    assert!(out.stdout.contains("2026-11-28 (tomorrow)"), "{out}");
    let vault = vault.today("2026-11-28");
    let out = vault.run(&["show", "Sam"]);
    assert!(out.stdout.contains("2026-11-27 (yesterday)"), "{out}");
    let vault = vault.today("2026-11-29");
    let out = vault.run(&["show", "Sam"]);
    assert!(out.stdout.contains("2026-11-27 (2 days ago)"), "{out}");
}
