//! The one NAME resolver (SPEC v2 §2) through the real binary: command arguments (paths,
//! prefixes, ambiguity, suggestions), `add`'s refusal of a NAME that already names a contact
//! and its folders (§8), imports matching names with typographic apostrophes, and ambiguous
//! links seen the same way by `validate`, the reports and `who-knows`.

use crate::common::{TestVault, output};
use serde_json::Value;

fn contact(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{body}")
}

fn people() -> TestVault {
    TestVault::new()
        .file(
            "people/Walter Pruitt.md",
            contact("name: Walter Pruitt\norganization: Permian Petroleum\n", ""),
        )
        .file(
            "people/José Núñez.md",
            contact("name: José Núñez\naliases: [Pepe]\n", ""),
        )
        .file("people/Ruth Quirk.md", contact("name: Ruth Quirk\n", ""))
        .file("Kevin O'Brien.md", contact("name: Kevin O'Brien\n", ""))
        .file("a/Sam Lee.md", contact("name: Sam Lee\n", ""))
        .file("b/Samantha Ortiz.md", contact("name: Samantha Ortiz\n", ""))
        .file("people/kd-notes.md", contact("name: Karl Dietz\n", ""))
}

/// The `.md` files of the vault (hidden folders left out), sorted.
fn md_files(v: &TestVault) -> Vec<String> {
    fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read the folder") {
            let path = entry.expect("an entry").path();
            let rel = path.strip_prefix(root).expect("inside").to_string_lossy().into_owned();
            if rel.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(rel);
            }
        }
    }
    let mut out = Vec::new();
    walk(v.path(), v.path(), &mut out);
    out.sort();
    out
}

fn shown_path(v: &TestVault, name: &str) -> String {
    let (out, json) = v.json(&["show", name, "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    json["path"].as_str().expect("a path").to_string()
}

#[test]
fn a_unique_word_prefix_names_the_contact() {
    let v = people();
    assert_eq!(shown_path(&v, "walter"), "people/Walter Pruitt.md");
    assert_eq!(shown_path(&v, "j nun"), "people/José Núñez.md");
    assert_eq!(shown_path(&v, "nun j"), "people/José Núñez.md", "any order");
    assert_eq!(shown_path(&v, "Kevin O\u{2019}Brien"), "Kevin O'Brien.md");
    assert_eq!(shown_path(&v, "kev o\u{2019}b"), "Kevin O'Brien.md");
    // A file stem's words count, but not a folder's or the extension's.
    assert_eq!(shown_path(&v, "notes kd"), "people/kd-notes.md");
    for nobody in ["people", "md", "a"] {
        let out = v.run(&["show", nobody]);
        assert_eq!(out.code, 2, "{nobody}: {out}");
        assert!(out.stderr.contains("no contact matches"), "{nobody}: {out}");
    }
    // Commands that write take NAME the same way.
    let out = v.run(&["snooze", "walter", "3d"]);
    assert_eq!(out.code, 0, "{out}");
    let text = std::fs::read_to_string(v.join("people/Walter Pruitt.md")).expect("read");
    assert!(text.contains("snooze_until: 2026-11-30\n"), "{text}");
}

#[test]
fn show_and_edit_take_a_name_of_several_words_without_quotes() {
    let v = people();
    let (out, json) = v.json(&["show", "Walter", "Pruitt", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(json["path"], "people/Walter Pruitt.md");
    let (out, json) = v.json(&["show", "--format", "json", "José", "Núñez"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(json["path"], "people/José Núñez.md");
}

#[test]
fn a_name_of_several_words_without_quotes_gets_a_tip_with_the_quotes() {
    let v = people();
    let before = std::fs::read_to_string(v.join("people/Walter Pruitt.md")).expect("read");
    let out = v.run(&["log", "Walter", "Pruitt", "coffee at Epoch #info"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains(
            "tip: a name or a text of several words goes in quotes: netvault log \"Jane Doe\" \"coffee at Epoch #info\""
        ),
        "{out}"
    );
    let out = v.run(&["add", "Ada", "King", "Lovelace"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("netvault add \"Ada King Lovelace\""), "{out}");
    // A flag's value is no part of the name.
    let out = v.run(&["add", "Ada", "Lovelace", "--org", "Analytical Engines"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("netvault add \"Ada Lovelace\""), "{out}");
    assert!(!out.stderr.contains("Lovelace Analytical"), "{out}");
    // An unknown flag gets clap's message alone.
    let out = v.run(&["snooze", "walter", "--bogus", "3d"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(!out.stderr.contains("goes in quotes"), "{out}");
    let after = std::fs::read_to_string(v.join("people/Walter Pruitt.md")).expect("read");
    assert_eq!(before, after, "nothing was written");
}

#[test]
fn an_ambiguous_prefix_lists_the_contacts() {
    let v = people();
    let out = v.run(&["show", "sam"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("matches several contacts"), "{out}");
    assert!(out.stderr.contains("a/Sam Lee.md"), "{out}");
    assert!(out.stderr.contains("b/Samantha Ortiz.md"), "{out}");
    assert!(out.stdout.is_empty(), "{out}");
    // One more letter decides.
    assert_eq!(shown_path(&v, "sama"), "b/Samantha Ortiz.md");
}

#[test]
fn a_typo_gets_did_you_mean() {
    let v = people();
    let out = v.run(&["show", "waltr"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("no contact matches \"waltr\"; did you mean \"Walter Pruitt\" (people/Walter Pruitt.md)?"),
        "{out}"
    );
    let out = v.run(&["log", "Jose Nunes", "coffee"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("did you mean \"José Núñez\""), "{out}");
    let out = v.run(&["show", "zzzzzz"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(!out.stderr.contains("did you mean"), "nothing near: {out}");
}

#[test]
fn paths_absolute_from_here_or_from_the_root_name_the_contact() {
    let v = people();
    let out = v.run(&["add", "Nina Park"]);
    assert_eq!(out.code, 0, "{out}");
    let printed = out.stdout.trim_end().to_string();
    let out = v.run(&["log", &printed, "coffee at the library"]);
    assert_eq!(out.code, 0, "the path `add` printed: {out}");
    let text = std::fs::read_to_string(&printed).expect("read");
    assert!(text.contains("- 2026-11-27: coffee at the library"), "{text}");

    assert_eq!(shown_path(&v, "people/Walter Pruitt"), "people/Walter Pruitt.md");
    assert_eq!(shown_path(&v, "people/Walter Pruitt.md"), "people/Walter Pruitt.md");
    let from_people = |name: &str| {
        output(
            v.command()
                .current_dir(v.join("people"))
                .arg("--vault")
                .arg(v.path())
                .args(["show", name, "--format", "json"]),
        )
    };
    let out = from_people("Ruth Quirk.md");
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.json()["path"], "people/Ruth Quirk.md");
    let out = from_people("../a/Sam Lee");
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.json()["path"], "a/Sam Lee.md");
}

#[test]
fn add_refuses_a_name_that_names_a_contact_unless_forced() {
    let v = people();
    let before = md_files(&v);
    for name in [
        "Ruth Quirk",
        "ruth quirk",
        "people/Ruth Quirk",
        "Kevin O\u{2019}Brien",
        "Pepe",
    ] {
        let out = v.run(&["add", name]);
        assert_eq!(out.code, 2, "{name}: {out}");
        assert!(out.stderr.contains("is already a contact"), "{name}: {out}");
        assert!(out.stderr.contains("--force"), "{name}: {out}");
    }
    let out = v.run(&["add", "Ruth Quirk"]);
    assert!(out.stderr.contains("people/Ruth Quirk.md"), "names the file: {out}");
    assert_eq!(md_files(&v), before, "nothing was created");

    // A prefix is not a namesake.
    let out = v.run(&["add", "Ruth"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(v.join("Ruth.md").is_file());

    let out = v.run(&["add", "Ruth Quirk", "--force"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout.trim_end(), v.join("Ruth Quirk.md").display().to_string());
    let out = v.run(&["add", "Ruth Quirk", "--force"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout.trim_end(), v.join("Ruth Quirk 2.md").display().to_string());
    let text = std::fs::read_to_string(v.join("Ruth Quirk 2.md")).expect("read");
    assert!(text.contains("name: Ruth Quirk\n"), "{text}");
}

#[test]
fn add_with_a_folder_creates_the_file_there() {
    let v = people();
    let out = v.run(&["add", "people/Jane Roe"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout.trim_end(),
        v.join("people/Jane Roe.md").display().to_string()
    );
    let text = std::fs::read_to_string(v.join("people/Jane Roe.md")).expect("read");
    assert!(text.contains("name: Jane Roe\n"), "{text}");
    assert!(!v.join("people Jane Roe.md").exists());

    let out = v.run(&["add", "alumni/2020/Bo: Chen"]);
    assert_eq!(out.code, 0, "a new folder, the name made safe: {out}");
    assert!(v.join("alumni/2020/Bo Chen.md").is_file(), "{:?}", md_files(&v));

    let before = md_files(&v);
    for name in ["../outside/Jo", ".hidden/Jo", "/tmp/Jo"] {
        let out = v.run(&["add", name]);
        assert_eq!(out.code, 2, "{name}: {out}");
    }
    assert_eq!(md_files(&v), before);
    assert!(!v.path().join("../outside").exists());

    // The new contact is found by its name at once.
    assert_eq!(shown_path(&v, "jane roe"), "people/Jane Roe.md");
}

#[test]
fn add_introduced_by_resolves_the_introducer() {
    let v = people();
    let out = v.run(&["add", "Ann Bell", "--introduced-by", "walter"]);
    assert_eq!(out.code, 0, "{out}");
    let text = std::fs::read_to_string(v.join("Ann Bell.md")).expect("read");
    assert!(text.contains("introduced_by: \"[[Walter Pruitt]]\"\n"), "{text}");
    let out = v.run(&["add", "Cy Dee", "--introduced-by", "sam"]);
    assert_eq!(out.code, 2, "ambiguous: {out}");
    assert!(!v.join("Cy Dee.md").exists());
}

#[test]
fn import_matches_a_name_with_a_typographic_apostrophe() {
    let v = people();
    let csv = v.join("Connections.csv.txt");
    std::fs::write(
        &csv,
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
         Kevin,O\u{2019}Brien,https://www.linkedin.com/in/kobrien,,Acme,Engineer,15 Mar 2021\n",
    )
    .expect("write the export");
    let before = md_files(&v);
    let out = v.run(&["import", "linkedin", csv.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(md_files(&v), before, "no duplicate file: {out}");
    let text = std::fs::read_to_string(v.join("Kevin O'Brien.md")).expect("read");
    assert!(text.contains("organization: Acme\n"), "{text}");
    assert!(text.contains("linkedin.com/in/kobrien"), "{text}");
}

/// Maya (in touch) and `a/Sam Lee` (in touch) both lead to Priya at Acme only through a link
/// to "Sam Lee", which two files answer to.
fn ambiguous(link: &str) -> TestVault {
    TestVault::new()
        .file(
            "a/Sam Lee.md",
            contact("name: Sam Lee\n", "## Log\n- 2026-11-20: coffee\n"),
        )
        .file("b/Sam Lee.md", contact("name: Sam Lee\n", ""))
        .file(
            "Priya.md",
            contact(
                &format!("name: Priya Raman\norganization: Acme\nintroduced_by: \"[[{link}]]\"\n"),
                "",
            ),
        )
        .file(
            "Maya.md",
            contact(
                "name: Maya Chen\n",
                &format!("## Log\n- 2026-11-21: lunch\n\nShe knows [[{link}]] well.\n"),
            ),
        )
}

fn broken_links(v: &TestVault) -> Vec<(String, u64, String)> {
    let (_, json) = v.json(&["validate", "--format", "json"]);
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "broken-link")
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn validate_reports_an_ambiguous_link() {
    let v = ambiguous("Sam Lee");
    let found = broken_links(&v);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1), ("Maya.md", 7), "{found:?}");
    assert_eq!((found[1].0.as_str(), found[1].1), ("Priya.md", 4), "{found:?}");
    for (_, _, message) in &found {
        assert!(message.contains("ambiguous"), "{message}");
        assert!(message.contains("a/Sam Lee.md, b/Sam Lee.md"), "{message}");
    }
    assert!(broken_links(&ambiguous("a/Sam Lee")).is_empty(), "a path chooses one");
}

/// The chain `who-knows acme` finds to Priya, as paths.
fn chain(v: &TestVault) -> Vec<String> {
    let (out, json) = v.json(&["who-knows", "acme", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    let target = json["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .find(|t| t["path"] == "Priya.md")
        .cloned()
        .unwrap_or(Value::Null);
    target["chain"]
        .as_array()
        .map(|c| {
            c.iter()
                .map(|s| s["path"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn intro_from(v: &TestVault) -> Value {
    let (out, json) = v.json(&["report", "intros", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    json["edges"][0]["from_path"].clone()
}

#[test]
fn reports_and_who_knows_do_not_follow_an_ambiguous_link() {
    let v = ambiguous("Sam Lee");
    assert_eq!(chain(&v), Vec::<String>::new());
    assert_eq!(intro_from(&v), Value::Null);
    let v = ambiguous("a/Sam Lee");
    assert_eq!(chain(&v), ["a/Sam Lee.md", "Priya.md"]);
    assert_eq!(intro_from(&v), "a/Sam Lee.md");
}
