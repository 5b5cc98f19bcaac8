//! End-to-end tests of `netvault search` and `netvault index` (SPEC §4.1, §5): the real binary
//! against small purpose-built vaults, comparing the exact set (or order) of matching files.
//!
//! Today is 2026-11-27 in every run (the harness injects `--today`).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use crate::common::{Output, TestVault};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A contact file: the front matter lines (without the `---` fences), then the body.
fn contact(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{body}")
}

const JANE: &str = "people/Jane Doe.md";
const JOHN: &str = "people/John Smith.md";
const ANA: &str = "people/Ana Lima.md";
const JOSE: &str = "people/Jose Nunez.md";
const ROSA: &str = "people/family/Rosa Pena.md";
const LIU: &str = "people/family/Liu Wei.md";
const WALTER: &str = "people/Walter Pruitt.md";
const MEI: &str = "people/Mei Chen.md";
const PRIYA: &str = "people/Priya Patel.md";
const SAM: &str = "people/Sam Archer.md";
const MARY: &str = "people/Mary Major.md";
/// Included by the globs but without front matter: never a contact, never a hit.
const NOTES: &str = "notes/ideas.md";

/// Every contact of [`network`].
const EVERYONE: [&str; 11] = [JANE, JOHN, ANA, JOSE, ROSA, LIU, WALTER, MEI, PRIYA, SAM, MARY];

/// The shared vault: eleven contacts and one note without front matter. Last contacts, with
/// today 2026-11-27: John 2026-11-20, Mary 2026-11-10, Jane 2026-10-01, Mei 2026-07-04,
/// Sam 2026-05-20 (a log entry in 2027 does not count), Ana 2026-03-15, José 2025-12-01,
/// Walter 2019-04-02; Rosa, Liu and Priya were never contacted. No config: no cadences.
#[allow(clippy::too_many_lines, reason = "the vault's data reads best in one place")]
fn network() -> TestVault {
    TestVault::new()
        .file(
            JANE,
            contact(
                "name: Jane Doe\naliases: [JD]\nemails: [jane@acme.example]\norganization: Acme Corp\n\
                 title: Data Librarian\nlocation: Austin, TX\ntags: [alumni, archives]\ncircles: [alumni]\n\
                 met: 2024-03-12\nmet_at: iSchool career fair\nintroduced_by: \"[[John Smith]]\"\n\
                 follow_up: 2026-12-01\nlast_contact: 2026-10-01\nbirthday: 1990-05-17\nstatus: active\n\
                 pronouns: she/her\nalma_mater: UT Austin\n",
                "# Jane Doe\n\n## Log\n### 2026-10-01 Coffee at Epoch #info\n\
                 She is an archivist who loves digital preservation.\n",
            ),
        )
        .file(
            JOHN,
            contact(
                "name: John Smith\nemail: john@piedpiper.example\ncompany: Pied Piper\nrole: Software Engineer\n\
                 location: Dallas, TX\ntags: \"mentor, #hiring\"\ncircle: coworker\nmet: 2025-03-01\n\
                 met_at: PyCon\nfollow_up: 2026-11-27\nbirthday: \"12-01\"\npronouns: he/him\n\
                 alma_mater: Rice University\n",
                "# John Smith\n\n## Log\n- 2026-11-20: call about the team\n- 2026-02-02: lunch\n",
            ),
        )
        .file(
            ANA,
            contact(
                "name: Ana Lima\norg: Piper Labs\nposition: Archivist\nlocation: Houston, TX\n\
                 circles: [club]\nmet: 2024-11-30\nmet_at: Library conference\n\
                 introduced_by: [\"[[John Smith]]\", \"[[Mei Chen]]\"]\nlast_contact: 2026-03-15\n\
                 follow_up: 2026-11-01\npronouns: she/her\nalma_mater: UT Austin\n",
                "# Ana Lima\n\nAna runs the oral history project at the museum. #volunteer\n",
            ),
        )
        .file(
            JOSE,
            contact(
                "name: José Núñez\norganization: Piper Pied Studios\ntitle: Producer\nmet: 2025-01-01\n\
                 birthday: 1988-12-04\n",
                "# José\n\n- 2025-12-01: holiday card\n",
            ),
        )
        .file(
            ROSA,
            contact(
                // Written in NFD: combining accents.
                "name: \"Rosa Pen\u{303}a\"\ncircles: [family]\nbirthday: 1985-12-20\n",
                "# Rosa\n\nCousin of Jose\u{301} Nu\u{301}n\u{303}ez; met at his wedding.\n",
            ),
        )
        .file(
            LIU,
            contact(
                "name: Liu Wei\ncircles: [family]\nbirthday: 11-30\n",
                "# Liu Wei\n\n## Tasks\n- [ ] call about the referral due:2026-12-03\n\
                 - [x] old finished task 📅 2026-11-01\n",
            ),
        )
        .file(
            WALTER,
            contact(
                "name: Walter Pruitt\nstatus: archived\ntags: [archived]\nmet: 2015-01-01\n\
                 last_contact: 2019-04-02\nfollow_up: 2026-10-10\n",
                "# Walter\n\nRetired; moved abroad.\n",
            ),
        )
        .file(
            MEI,
            contact(
                "name: Mei Chen\nemails: [mei@uni.example]\norganization: State University\n\
                 title: Reference Librarian\nlocation: Austin, TX\ntags: [Alumni]\ncircles: [school]\n\
                 met: 2023-09-01\nlast_contact: 2026-07-04\nfollow_up: 2026-12-15\nbirthday: 1991-11-26\n\
                 status: dormant\npronouns: they/them\nalma_mater: Austin College\n",
                "# Mei Chen\n",
            ),
        )
        .file(
            PRIYA,
            contact(
                "name: Priya Patel\nbirthday: 1992-11-28\n",
                "# Priya\n\nWants to hear about data jobs.\n",
            ),
        )
        .file(
            SAM,
            contact(
                "name: Sam Archer\ntitle: Curator\nmet: 2024-12-31\n",
                "# Sam\n\nCollects history books and oral traditions. `#secret`\n\n## Log\n\
                 - 2026-05-20: lunch downtown\n- 2027-01-05: planned dinner\n\n## Tasks\n\
                 - [ ] send portfolio 📅 2026-11-20\n",
            ),
        )
        .file(
            MARY,
            contact(
                "name: Mary Major\nemails: [mary@acme.example]\norganization: \"Acme, Inc.\"\ntitle: Director\n\
                 circles: [coworker]\nmet: 2025-06-15\nlast_contact: 2026-11-10\nfollow_up: 2026-11-05\n\
                 interests: [digital preservation]\n",
                "# Mary\n\n- 2026-09-01: conference dinner\n",
            ),
        )
        .file(
            NOTES,
            "# Ideas\n\nAsk Acme about archivist jobs; call Jane Doe. #alumni\n",
        )
}

/// Run `search QUERY --format json` (query after `--`, so that it may start with `-`), check
/// that it succeeded, and return the output and the JSON.
fn search_json(vault: &TestVault, query: &str, extra: &[&str]) -> (Output, Value) {
    let mut args = vec!["search", "--format", "json"];
    args.extend_from_slice(extra);
    args.extend(["--", query]);
    let (out, json) = vault.json(&args);
    assert_eq!(out.code, 0, "search {query:?} failed\n{out}");
    (out, json)
}

/// The paths of a search's hits, in result order.
fn hit_paths(json: &Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("hits is a list: {json}"))
        .iter()
        .map(|h| {
            h["path"]
                .as_str()
                .unwrap_or_else(|| panic!("a hit has a path: {h}"))
                .to_string()
        })
        .collect()
}

/// The paths `search QUERY` finds (sorted, no limit); checks that `total` equals their number.
fn found(vault: &TestVault, query: &str) -> Vec<String> {
    let (paths, total) = found_and_total(vault, query);
    assert_eq!(total, paths.len() as u64, "total counts exactly the hits for {query:?}");
    paths
}

/// The paths `search QUERY --format json` finds (sorted, no limit), and its `total`. (Queries
/// made only of exclusions count non-contact files in `total`, see
/// `exclusion_only_queries_count_and_limit_only_contacts`; their tests use this directly.)
fn found_and_total(vault: &TestVault, query: &str) -> (Vec<String>, u64) {
    let (_, json) = search_json(vault, query, &["--limit", "1000"]);
    let mut paths = hit_paths(&json);
    paths.sort();
    let total = json["total"]
        .as_u64()
        .unwrap_or_else(|| panic!("total is a number: {json}"));
    (paths, total)
}

/// The lines `search QUERY --format paths` prints, sorted.
fn found_paths(vault: &TestVault, query: &str) -> Vec<String> {
    let out = vault.run(&["search", "--format", "paths", "--limit", "1000", "--", query]);
    assert_eq!(out.code, 0, "search {query:?} failed\n{out}");
    let mut paths: Vec<String> = out.stdout.lines().map(str::to_string).collect();
    paths.sort();
    paths
}

/// Sorted owned copies of `paths`.
fn set(paths: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = paths.iter().map(|p| (*p).to_string()).collect();
    out.sort();
    out
}

/// Every contact of [`network`] except `excluded`, sorted.
fn everyone_but(excluded: &[&str]) -> Vec<String> {
    set(&EVERYONE
        .iter()
        .copied()
        .filter(|p| !excluded.contains(p))
        .collect::<Vec<_>>())
}

/// Assert that `query` finds exactly `expected`.
#[track_caller]
fn expect(vault: &TestVault, query: &str, expected: &[&str]) {
    assert_eq!(found(vault, query), set(expected), "query {query:?}");
}

/// Bytes and modification time of every file outside `.netvault/`.
fn snapshot_files(root: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read a folder") {
            let entry = entry.expect("a folder entry");
            let path = entry.path();
            if path.strip_prefix(root).is_ok_and(|rel| rel.starts_with(".netvault")) {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .expect("inside the vault")
                    .to_string_lossy()
                    .into_owned();
                let meta = std::fs::metadata(&path).expect("metadata");
                let bytes = std::fs::read(&path).expect("read a file");
                out.insert(rel, (bytes, meta.modified().expect("an mtime")));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// 1. Field prefixes
// ---------------------------------------------------------------------------------------------

#[test]
fn field_name_searches_name_and_aliases() {
    let v = network();
    expect(&v, "name:jane", &[JANE]);
    expect(&v, "name:JD", &[JANE]);
    expect(&v, "name:archer", &[SAM]);
    // A word of the body is not a name.
    expect(&v, "name:archivist", &[]);
}

#[test]
fn field_org_and_its_aliases() {
    let v = network();
    expect(&v, "org:acme", &[JANE, MARY]);
    expect(&v, "organization:acme", &[JANE, MARY]);
    expect(&v, "company:acme", &[JANE, MARY]);
    expect(&v, "org:piper", &[JOHN, ANA, JOSE]);
    // `jane@acme.example` is an email, not an organization.
    expect(&v, "org:example", &[]);
}

#[test]
fn field_title_and_role() {
    let v = network();
    expect(&v, "title:librarian", &[JANE, MEI]);
    expect(&v, "role:librarian", &[JANE, MEI]);
    expect(&v, "position:archivist", &[ANA]);
    // `role:` and `position:` in the file are the title too.
    expect(&v, "title:engineer", &[JOHN]);
    expect(&v, "title:archivist", &[ANA]);
}

#[test]
fn field_tag_from_front_matter_comma_strings_and_hashtags() {
    let v = network();
    // Front-matter list.
    expect(&v, "tag:archives", &[JANE]);
    // A comma-separated string, with and without a leading `#` in the file.
    expect(&v, "tag:mentor", &[JOHN]);
    expect(&v, "tag:hiring", &[JOHN]);
    expect(&v, "tag:#hiring", &[JOHN]);
    // Body hashtags (in a paragraph and on a log heading), with and without `#` in the query.
    expect(&v, "tag:volunteer", &[ANA]);
    expect(&v, "tag:#volunteer", &[ANA]);
    expect(&v, "tag:info", &[JANE]);
    // A hashtag inside inline code is not a tag; a note without front matter is not a contact.
    expect(&v, "tag:secret", &[]);
    expect(&v, "tag:alumni", &[JANE, MEI]);
}

#[test]
fn field_circle() {
    let v = network();
    expect(&v, "circle:alumni", &[JANE]);
    expect(&v, "circle:coworker", &[JOHN, MARY]);
    expect(&v, "circle:family", &[ROSA, LIU]);
    expect(&v, "circles:club", &[ANA]);
}

#[test]
fn field_email() {
    let v = network();
    expect(&v, "email:jane@acme.example", &[JANE]);
    expect(&v, "email:acme.example", &[JANE, MARY]);
    expect(&v, "email:piedpiper", &[JOHN]);
    expect(&v, "email:mei", &[MEI]);
}

#[test]
fn field_location() {
    let v = network();
    expect(&v, "location:austin", &[JANE, MEI]);
    expect(&v, "location:tx", &[JANE, JOHN, ANA, MEI]);
    expect(&v, "location:\"Dallas, TX\"", &[JOHN]);
}

#[test]
fn field_met_at() {
    let v = network();
    expect(&v, "met_at:pycon", &[JOHN]);
    expect(&v, "met_at:\"career fair\"", &[JANE]);
    expect(&v, "met_at:conference", &[ANA]);
}

#[test]
fn field_intro_searches_introduced_by() {
    let v = network();
    expect(&v, "intro:smith", &[JANE, ANA]);
    expect(&v, "intro:\"John Smith\"", &[JANE, ANA]);
    expect(&v, "intro:mei", &[ANA]);
    expect(&v, "introduced_by:mei", &[ANA]);
}

#[test]
fn field_status_including_the_default() {
    let v = network();
    expect(&v, "status:archived", &[WALTER]);
    expect(&v, "status:dormant", &[MEI]);
    let active = everyone_but(&[WALTER, MEI]);
    assert_eq!(found(&v, "status:Active"), active);
}

#[test]
fn field_path_matches_folder_words() {
    let v = network();
    expect(&v, "path:family", &[ROSA, LIU]);
    expect(&v, "path:people", &EVERYONE);
    // The note is included by the globs but is not a contact.
    expect(&v, "path:notes", &[]);
}

#[test]
fn custom_keys_are_fields() {
    let v = network();
    expect(&v, "pronouns:she", &[JANE, ANA]);
    expect(&v, "pronouns:he", &[JOHN]);
    expect(&v, "alma_mater:\"ut austin\"", &[JANE, ANA]);
    expect(&v, "alma_mater:austin", &[JANE, ANA, MEI]);
    expect(&v, "alma_mater:rice", &[JOHN]);
    // Custom values are reached by bare words too.
    expect(&v, "rice", &[JOHN]);
    // A key no contact has is an error with the closest names, never a silent empty result.
    let out = v.run(&["search", "alma_matter:austin"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("did you mean `alma_mater:`"), "{out}");
    let out = v.run(&["search", "orgg:piper"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("did you mean `org:`"), "{out}");
}

/// SPEC v2 §5: the list fields, phone digits, other tools' keys with `.` and `[]`, stemming,
/// a query starting with `-word`, and snippets without Markdown syntax.
#[test]
fn fields_people_type_find_what_is_there() {
    let v = TestVault::new()
        .file(
            "people/Walter Pruitt.md",
            contact(
                "name: Walter Pruitt\nphones: [\"+1 (512) 555-0142\"]\ncan_help_with: [reference letters]\ninterests: [tomatoes, records]\nN.GN: Walter\nEMAIL[HOME]: walt@home.example\n",
                "# Walter Pruitt\n\n## Tasks\n- [ ] bring [[Beatriz Salgado|Bea]] some tomatoes back\n",
            ),
        )
        .file(
            "people/Ann Lee.md",
            contact("name: Ann Lee\nphones: [\"512.555.0199\"]\n", "Works in the archives of a museum.\n"),
        )
        .file("people/Bo Park.md", contact("name: Bo Park\n", "Digital archivist, not in a museum.\n"));
    let w = "people/Walter Pruitt.md";
    let a = "people/Ann Lee.md";
    let b = "people/Bo Park.md";
    expect(&v, "can_help_with:reference", &[w]);
    expect(&v, "interests:tomatoes", &[w]);
    expect(&v, "phone:555", &[w, a]);
    expect(&v, "phone:5125550142", &[w]);
    expect(&v, "phone:\"(512) 555-0199\"", &[a]);
    expect(&v, "N.GN:walter", &[w]);
    expect(&v, "EMAIL[HOME]:walt", &[w]);
    expect(&v, "archive", &[a]);
    expect(&v, "museums", &[a, b]);
    expect(&v, "\"archives of a museum\"", &[a]);
    // Query words that start with `-` are exclusions, not flags, wherever they stand.
    let out = v.run(&["search", "-archivist", "museum", "--format", "paths"]);
    assert_eq!(out.stdout, format!("{a}\n"), "{out}");
    let out = v.run(&["search", "-n", "5", "museum", "-archives", "--format", "paths"]);
    assert_eq!(out.stdout, format!("{b}\n"), "{out}");
    // Snippets are plain text.
    let (_, json) = search_json(&v, "tomatoes", &[]);
    let snippet = json["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("bring Bea some tomatoes"), "{snippet}");
    for syntax in ["##", "- [ ]", "[[", "]]", "|"] {
        assert!(!snippet.contains(syntax), "{syntax:?} in {snippet:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Operators
// ---------------------------------------------------------------------------------------------

#[test]
fn bare_words_are_anded_across_fields() {
    let v = network();
    expect(&v, "preservation", &[JANE, MARY]);
    expect(&v, "austin", &[JANE, ANA, MEI]);
    // One word in the location, one in the body.
    expect(&v, "preservation austin", &[JANE]);
    // One in the name, one in the body.
    expect(&v, "jane preservation", &[JANE]);
    expect(&v, "mary preservation", &[MARY]);
}

#[test]
fn phrases_keep_word_order() {
    let v = network();
    expect(&v, "\"oral history\"", &[ANA]);
    expect(&v, "\"history oral\"", &[]);
    expect(&v, "oral history", &[ANA, SAM]);
    expect(&v, "history oral", &[ANA, SAM]);
    expect(&v, "\"digital preservation\"", &[JANE, MARY]);
}

#[test]
fn exclusions_with_minus_and_not() {
    let v = network();
    expect(&v, "austin -librarian", &[ANA]);
    expect(&v, "austin NOT librarian", &[ANA]);
    expect(&v, "austin not librarian", &[ANA]);
    expect(&v, "tx -org:acme -dallas", &[ANA, MEI]);
}

#[test]
fn or_and_parentheses() {
    let v = network();
    expect(&v, "dallas OR houston", &[JOHN, ANA]);
    expect(&v, "(dallas OR austin) alumni", &[JANE, MEI]);
    // Without parentheses, AND binds tighter: dallas OR (austin alumni).
    expect(&v, "dallas OR austin alumni", &[JOHN, JANE, MEI]);
    expect(&v, "(dallas OR houston) -org:piper", &[]);
    expect(&v, "(dallas OR houston) pied", &[JOHN]);
}

#[test]
fn an_exclusion_alone_returns_everyone_else() {
    let v = network();
    let excluded = everyone_but(&[WALTER]);
    // The note without front matter (notes/ideas.md) is never a hit.
    assert_eq!(found_and_total(&v, "-archived").0, excluded);
    assert_eq!(found_and_total(&v, "NOT archived").0, excluded);
    assert_eq!(
        found_and_total(&v, "-tag:archived -status:dormant").0,
        everyone_but(&[WALTER, MEI])
    );
}

/// SPEC §4.1/§5: `total` is the number of matching contacts and `--limit N` shows N of them.
/// Files without (readable) front matter are indexed as non-contact documents for the stat
/// walk; a query made only of exclusions (`AllQuery` minus something) matches them too: they
/// are counted in `total`, and with the default score order they take places in the top N and
/// are then dropped, so `-zzz --limit 2` can print no contact at all ("No contact matches.").
#[test]
fn exclusion_only_queries_count_and_limit_only_contacts() {
    let mut v = TestVault::new();
    for name in ["Ann", "Ben", "Cid"] {
        v = v.file(
            &format!("people/{name}.md"),
            contact(&format!("name: {name}\n"), "Hello.\n"),
        );
    }
    for n in 1..=6 {
        v = v.file(&format!("notes/n{n}.md"), format!("# Note {n}\n\nHello.\n"));
    }
    let everyone = set(&["people/Ann.md", "people/Ben.md", "people/Cid.md"]);
    let (paths, total) = found_and_total(&v, "-zzz");
    assert_eq!(paths, everyone);
    assert_eq!(total, 3, "total counts only contacts");
    let (out, json) = search_json(&v, "-zzz", &["--limit", "2"]);
    assert_eq!(
        hit_paths(&json).len(),
        2,
        "--limit 2 shows two of the three contacts\n{out}"
    );
    assert_eq!(json["total"], 3, "{json}");
    let out = v.run(&["search", "--", "-zzz"]);
    assert!(!out.stdout.contains("No contact matches"), "{out}");
    // The network vault: ten contacts match `-archived`, its note does not count.
    let (_, json) = search_json(&network(), "-archived", &["--limit", "1000"]);
    assert_eq!(json["total"], 10, "{json}");
}

/// A limit as large as `usize` allows answers like any other (it sized a heap: a panic).
#[test]
fn the_largest_limit_is_just_a_limit() {
    let v = network();
    let (out, json) = search_json(&v, "-archived", &["--limit", "18446744073709551615"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(json["total"], 10, "{json}");
    assert_eq!(hit_paths(&json).len(), 10, "{json}");
}

#[test]
fn a_quoted_phrase_in_a_field() {
    let v = network();
    expect(&v, "org:\"Pied Piper\"", &[JOHN]);
    expect(&v, "org:\"piper pied\"", &[JOSE]);
    expect(&v, "org:pied org:piper", &[JOHN, JOSE]);
    expect(&v, "\"pied piper\"", &[JOHN]);
}

/// SPEC §5: `"a phrase"` is a phrase; this holds in the long text fields (body, org, title), but
/// short fields (location, `met_at`, emails, aliases, `introduced_by`, custom lists) match a quoted
/// phrase as "all the words, in any order".
#[test]
fn bare_phrases_keep_word_order_short_fields_match_all_words() {
    let v = network();
    // Documented in the README: short fields are indexed without positions (the index-size
    // budget), so a phrase in one of them means "all these words".
    let in_order = found(&v, "met_at:\"career fair\"");
    assert_eq!(found(&v, "met_at:\"fair career\""), in_order);
    assert!(!in_order.is_empty());
    expect(&v, "\"preservation digital\"", &[]);
}

#[test]
fn names_and_organizations_rank_above_other_text() {
    let v = TestVault::new()
        .file(
            "Body.md",
            contact("name: Ada Body\n", "Quill pens; a quill collector. Quill!\n"),
        )
        .file("Title.md", contact("name: Ben Title\ntitle: Quill Designer\n", "\n"))
        .file("Org.md", contact("name: Cy Org\norg: Quill Press\n", "\n"))
        .file("Name.md", contact("name: Hunter Quill\n", "\n"));
    let (_, json) = search_json(&v, "quill", &[]);
    let ranked = hit_paths(&json);
    assert_eq!(ranked.len(), 4, "{json}");
    let mut top: Vec<String> = ranked[..2].to_vec();
    top.sort();
    assert_eq!(top, ["Name.md", "Org.md"], "name and organization rank highest: {json}");
    let scores: Vec<f64> = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["score"].as_f64().expect("a score"))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "ranked by score: {scores:?}");
}

// ---------------------------------------------------------------------------------------------
// 3. Folding
// ---------------------------------------------------------------------------------------------

#[test]
fn accents_fold_in_nfc_and_nfd_text() {
    let v = network();
    // José's name is NFC; Rosa's body mentions him in NFD.
    expect(&v, "jose nunez", &[JOSE, ROSA]);
    expect(&v, "JOSÉ NÚÑEZ", &[JOSE, ROSA]);
    // An NFD query finds NFC text.
    expect(&v, "Nu\u{301}n\u{303}ez", &[JOSE, ROSA]);
    expect(&v, "name:nunez", &[JOSE]);
    // Rosa's name is NFD.
    expect(&v, "pena", &[ROSA]);
    expect(&v, "name:peña", &[ROSA]);
}

#[test]
fn case_is_ignored_everywhere() {
    let v = network();
    expect(&v, "ACME", &[JANE, MARY]);
    expect(&v, "Org:ACME", &[JANE, MARY]);
    expect(&v, "tag:Alumni", &[JANE, MEI]);
    expect(&v, "tag:ALUMNI", &[JANE, MEI]);
    expect(&v, "CIRCLE:Family", &[ROSA, LIU]);
    expect(&v, "austin OR DALLAS", &[JANE, JOHN, ANA, MEI]);
}

// ---------------------------------------------------------------------------------------------
// 4. Dates (today is 2026-11-27)
// ---------------------------------------------------------------------------------------------

#[test]
fn last_contact_before_a_date_needs_a_known_last_contact() {
    let v = network();
    // Rosa, Liu and Priya were never contacted: they do not match.
    expect(&v, "last:<2026-06-01", &[ANA, JOSE, WALTER, SAM]);
    expect(&v, "last:<=2026-05-20", &[ANA, JOSE, WALTER, SAM]);
    expect(&v, "last:<2026-05-20", &[ANA, JOSE, WALTER]);
    expect(&v, "last_contact:<2026-06-01 -status:archived", &[ANA, JOSE, SAM]);
}

#[test]
fn last_contact_within_a_relative_span() {
    let v = network();
    // -30d is 2026-10-28; Sam's log entry dated 2027 does not count.
    expect(&v, "last:>=-30d", &[JOHN, MARY]);
    expect(&v, "last:>-2m", &[JOHN, MARY, JANE]);
    expect(&v, "last:2026-10-01", &[JANE]);
    expect(&v, "last:>today", &[]);
    // An open range: the last contact is known.
    expect(&v, "last:..", &[JANE, JOHN, ANA, JOSE, WALTER, MEI, SAM, MARY]);
}

#[test]
fn met_ranges() {
    let v = network();
    expect(&v, "met:2024-01-01..2024-12-31", &[JANE, ANA, SAM]);
    // José met on 2025-01-01 exactly: `>` excludes it, `>=` includes it.
    expect(&v, "met:>2025-01-01", &[JOHN, MARY]);
    expect(&v, "met:>=2025-01-01", &[JOHN, MARY, JOSE]);
    expect(&v, "met:2024-03-12", &[JANE]);
    expect(&v, "met:<2020-01-01", &[WALTER]);
}

#[test]
fn follow_up_ranges() {
    let v = network();
    expect(&v, "follow_up:<=today", &[JOHN, ANA, WALTER, MARY]);
    expect(&v, "follow_up:<today", &[ANA, WALTER, MARY]);
    expect(&v, "follow_up:2026-12-01", &[JANE]);
    expect(&v, "follow_up:today..+3w", &[JOHN, JANE, MEI]);
}

#[test]
fn due_overdue_and_this_week() {
    let v = network();
    // Ana's follow-up (2026-11-01) and Sam's open task (2026-11-20) are overdue; Mary's
    // follow-up is satisfied by a later contact, Walter is archived, Liu's overdue task is done.
    expect(&v, "due:<today", &[ANA, SAM]);
    // John today; Priya's birthday 11-28; Liu's birthday (MM-DD) 11-30 and task 12-03;
    // Jane's follow-up 12-01; José's birthday 12-04.
    expect(&v, "due:today..+7d", &[JOHN, PRIYA, LIU, JANE, JOSE]);
    expect(&v, "due:today", &[JOHN]);
}

#[test]
fn birthdays_this_week_including_month_day_birthdays() {
    let v = network();
    // John "12-01" and Liu 11-30 are given without a year; Mei's was yesterday.
    expect(&v, "birthday:today..+7d", &[JOHN, PRIYA, LIU, JOSE]);
    expect(&v, "birthday:today..+1m", &[JOHN, PRIYA, LIU, JOSE, ROSA]);
}

// ---------------------------------------------------------------------------------------------
// 5. Fuzzy retry
// ---------------------------------------------------------------------------------------------

#[test]
fn a_typo_is_retried_with_fuzzy_matching() {
    let v = network();
    let (out, json) = search_json(&v, "archivst", &[]);
    let mut paths = hit_paths(&json);
    paths.sort();
    // Within two edits of `archivst`: `archivist` (Ana's title, Jane's body), `archives` (Jane's
    // tag) and `archived` (Walter's tag).
    assert_eq!(paths, set(&[ANA, JANE, WALTER]), "{out}");
    assert_eq!(json["fuzzy"], true, "{json}");
    assert!(!out.stderr.trim().is_empty(), "the fuzzy retry is announced\n{out}");

    let (out, json) = search_json(&v, "archivist", &[]);
    let mut paths = hit_paths(&json);
    paths.sort();
    assert_eq!(paths, set(&[ANA, JANE]), "{out}");
    assert_eq!(json["fuzzy"], false, "{json}");
}

#[test]
fn nonsense_finds_nothing_and_succeeds() {
    let v = network();
    let (_, json) = search_json(&v, "zxqwvbkj", &[]);
    assert_eq!(json["total"], 0, "{json}");
    assert_eq!(hit_paths(&json), Vec::<String>::new());
    let out2 = v.run(&["search", "--format", "paths", "zxqwvbkj"]);
    assert_eq!(out2.code, 0, "{out2}");
    assert_eq!(out2.stdout, "", "{out2}");
}

// ---------------------------------------------------------------------------------------------
// 6. Malformed queries
// ---------------------------------------------------------------------------------------------

#[test]
fn malformed_queries_exit_2_with_the_column() {
    let v = network();
    for (query, column) in [
        ("(acme", 1),
        ("org:", 1),
        ("last:<2026-13-01", 7),
        ("\"unclosed", 1),
        ("jane (acme", 6),
        ("jane org:", 6),
    ] {
        let out = v.run(&["search", "--", query]);
        assert_eq!(out.code, 2, "{query:?}\n{out}");
        assert!(
            out.stderr.contains(&format!("column {column}")),
            "{query:?}: stderr names column {column}\n{out}"
        );
        assert!(out.stderr.contains("help"), "{query:?}: a hint\n{out}");
        assert_eq!(out.stdout, "", "{query:?}: nothing on stdout\n{out}");
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Output formats
// ---------------------------------------------------------------------------------------------

#[test]
fn json_has_every_key_and_relative_slash_paths() {
    let v = network();
    let (out, json) = search_json(&v, "preservation", &[]);
    assert_eq!(json["query"], "preservation", "{json}");
    assert_eq!(json["total"], 2, "{json}");
    let hits = json["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 2, "{out}");
    for hit in hits {
        for key in ["path", "name", "organization", "title", "score", "snippet"] {
            assert!(hit.get(key).is_some(), "hit lacks {key}: {hit}");
        }
        assert!(hit["score"].is_number(), "{hit}");
        let path = hit["path"].as_str().expect("path is a string");
        assert!(!path.starts_with('/') && !path.contains('\\'), "{path}");
    }
    let jane = hits.iter().find(|h| h["path"] == JANE).expect("Jane is a hit");
    assert_eq!(jane["name"], "Jane Doe");
    assert_eq!(jane["organization"], "Acme Corp");
    assert_eq!(jane["title"], "Data Librarian");
    let snippet = jane["snippet"].as_str().expect("snippet is a string");
    assert!(snippet.contains("preservation"), "snippet shows the match: {snippet:?}");

    // A path in a subfolder uses `/`; the query echoes all arguments joined.
    let (_, json) = v.json(&["search", "--format", "json", "circle:family", "rosa"]);
    assert_eq!(json["query"], "circle:family rosa");
    assert_eq!(hit_paths(&json), [ROSA]);
    assert_eq!(json["hits"][0]["name"], "Rosa Pen\u{303}a");
}

#[test]
fn paths_format_prints_one_vault_relative_path_per_line() {
    let v = network();
    for query in ["tx", "circle:family", "jose nunez", "due:<today", "-archived"] {
        let paths = found_paths(&v, query);
        assert_eq!(
            paths,
            found_and_total(&v, query).0,
            "paths and JSON agree for {query:?}"
        );
        for p in &paths {
            assert!(
                p.starts_with("people/") && Path::new(p).extension().is_some_and(|e| e == "md") && !p.contains('\\'),
                "{p}"
            );
        }
    }
    assert_eq!(found_paths(&v, "circle:family"), set(&[LIU, ROSA]));
    // Run from a subfolder with --vault given relatively: still relative to the vault root.
    let out = crate::common::output(v.command().current_dir(v.join("people/family")).args([
        "--vault",
        "../..",
        "search",
        "--format",
        "paths",
        "circle:family",
    ]));
    let mut lines: Vec<&str> = out.stdout.lines().collect();
    lines.sort_unstable();
    assert_eq!(lines, [LIU, ROSA], "{out}");
}

#[test]
fn csv_has_a_header_and_quotes_cells_with_commas() {
    let v = network();
    let out = v.run(&["search", "--format", "csv", "--sort", "name", "org:acme"]);
    assert_eq!(out.code, 0, "{out}");
    let mut lines = out.stdout.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    assert_eq!(&header[..4], ["path", "name", "organization", "title"], "{out}");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(
        rows[0].starts_with("people/Jane Doe.md,Jane Doe,Acme Corp,Data Librarian,"),
        "{out}"
    );
    assert!(
        rows[1].starts_with("people/Mary Major.md,Mary Major,\"Acme, Inc.\",Director,"),
        "{out}"
    );
    // And a real CSV reader reads the comma back.
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let orgs: Vec<String> = reader
        .records()
        .map(|r| r.expect("a CSV record")[2].to_string())
        .collect();
    assert_eq!(orgs, ["Acme Corp", "Acme, Inc."]);
}

#[test]
fn limit_shows_fewer_but_total_counts_all() {
    let v = network();
    let (_, json) = search_json(&v, "tx", &["--limit", "2"]);
    assert_eq!(json["total"], 4, "{json}");
    let paths = hit_paths(&json);
    assert_eq!(paths.len(), 2, "{json}");
    for p in &paths {
        assert!(set(&[JANE, JOHN, ANA, MEI]).contains(p), "{p}");
    }
    let out = v.run(&["search", "--format", "paths", "-n", "1", "tx"]);
    assert_eq!(out.stdout.lines().count(), 1, "{out}");
    // Limits apply after sorting.
    let (_, json) = search_json(&v, "tx", &["--limit", "2", "--sort", "name"]);
    assert_eq!(hit_paths(&json), [ANA, JANE]);
    assert_eq!(json["total"], 4, "{json}");
}

#[test]
fn sort_by_name() {
    let v = network();
    let (_, json) = search_json(&v, "tx", &["--sort", "name"]);
    assert_eq!(hit_paths(&json), [ANA, JANE, JOHN, MEI]);
    // Any query can be ordered by name, whatever its relevance order.
    let (_, json) = search_json(&v, "name:jane OR name:john OR name:jose", &["--sort", "name"]);
    assert_eq!(hit_paths(&json), [JANE, JOHN, JOSE]);
}

#[test]
fn sort_by_last_contact_most_recent_first() {
    let v = network();
    let (_, json) = search_json(&v, "path:people", &["--sort", "last", "--limit", "100"]);
    let paths = hit_paths(&json);
    assert_eq!(paths.len(), 11, "{json}");
    assert_eq!(&paths[..8], [JOHN, MARY, JANE, MEI, SAM, ANA, JOSE, WALTER], "{json}");
    // The never-contacted go last.
    let mut rest = paths[8..].to_vec();
    rest.sort();
    assert_eq!(rest, set(&[ROSA, LIU, PRIYA]));
}

#[test]
fn sort_by_due_earliest_first() {
    let v = network();
    let (_, json) = search_json(&v, "path:people", &["--sort", "due", "--limit", "100"]);
    let paths = hit_paths(&json);
    assert_eq!(paths.len(), 11, "{json}");
    assert_eq!(&paths[..8], [ANA, SAM, JOHN, PRIYA, LIU, JANE, JOSE, MEI], "{json}");
    // Nothing due: Mary (follow-up satisfied), Walter (archived), Rosa (birthday too far).
    let mut rest = paths[8..].to_vec();
    rest.sort();
    assert_eq!(rest, set(&[MARY, WALTER, ROSA]));
}

// ---------------------------------------------------------------------------------------------
// 8. Incremental sync
// ---------------------------------------------------------------------------------------------

fn small_vault() -> TestVault {
    TestVault::new()
        .file("a/Alice.md", contact("name: Alice\norg: Acme\n", "Likes kayaks.\n"))
        .file("a/Bob.md", contact("name: Bob\norg: Acme\n", "Plays chess.\n"))
        .file("Carol.md", contact("name: Carol\norg: Globex\n", "Bakes bread.\n"))
        .file("Dan.md", contact("name: Dan\norg: Initech\n", "Runs marathons.\n"))
}

/// The `N added, N updated, N removed` part of `index`'s output.
fn counts(out: &Output) -> String {
    assert_eq!(out.code, 0, "{out}");
    let line = out.stdout.lines().next().unwrap_or_default();
    let after_colon = line.split_once(": ").map_or(line, |(_, rest)| rest);
    after_colon.split(", ").take(3).collect::<Vec<_>>().join(", ")
}

#[test]
fn index_reports_counts_and_search_follows_edits() {
    let v = small_vault();
    let out = v.run(&["index"]);
    assert_eq!(counts(&out), "4 added, 0 updated, 0 removed", "{out}");
    expect(&v, "org:acme", &["a/Alice.md", "a/Bob.md"]);

    let out = v.run(&["index"]);
    assert_eq!(counts(&out), "0 added, 0 updated, 0 removed", "{out}");

    // Change Bob's organization (the size changes too, so no mtime granularity issue), add
    // Erin at Acme, delete Carol.
    std::fs::write(
        v.join("a/Bob.md"),
        contact("name: Bob\norg: Globex Corporation\n", "Plays chess.\n"),
    )
    .expect("edit Bob");
    std::fs::write(v.join("Erin.md"), contact("name: Erin\norg: Acme\n", "New.\n")).expect("add Erin");
    std::fs::remove_file(v.join("Carol.md")).expect("delete Carol");

    expect(&v, "org:acme", &["a/Alice.md", "Erin.md"]);
    expect(&v, "org:globex", &["a/Bob.md"]);
    expect(&v, "bread", &[]);
    expect(&v, "chess", &["a/Bob.md"]);

    let out = v.run(&["index"]);
    assert_eq!(counts(&out), "0 added, 0 updated, 0 removed", "{out}");

    // An edit that keeps the size is seen by its modification time.
    let alice = std::fs::read_to_string(v.join("a/Alice.md")).expect("read Alice");
    std::fs::write(v.join("a/Alice.md"), alice.replace("kayaks", "canoes")).expect("edit Alice");
    expect(&v, "kayaks", &[]);
    expect(&v, "canoes", &["a/Alice.md"]);

    // The same edits seen by `index` rather than `search`.
    std::fs::write(
        v.join("Dan.md"),
        contact("name: Dan\norg: Acme Initech\n", "Runs marathons.\n"),
    )
    .expect("edit Dan");
    std::fs::write(v.join("Fay.md"), contact("name: Fay\n", "\n")).expect("add Fay");
    std::fs::remove_file(v.join("Erin.md")).expect("delete Erin");
    let out = v.run(&["index"]);
    assert_eq!(counts(&out), "1 added, 1 updated, 1 removed", "{out}");
    expect(&v, "org:acme", &["a/Alice.md", "Dan.md"]);

    let out = v.run(&["index", "--rebuild"]);
    assert_eq!(counts(&out), "4 added, 0 updated, 0 removed", "{out}");
    expect(&v, "org:acme", &["a/Alice.md", "Dan.md"]);
    let out = v.run(&["index"]);
    assert_eq!(counts(&out), "0 added, 0 updated, 0 removed", "{out}");
}

/// SPEC §5: "A missing, stale-schema or corrupt index is rebuilt from the files, with a note."
/// A deleted `.netvault/index` is rebuilt silently (the results are right, see the next test).
#[test]
fn a_deleted_index_is_rebuilt_with_a_note() {
    let v = small_vault();
    expect(&v, "org:acme", &["a/Alice.md", "a/Bob.md"]);
    assert!(v.join(".netvault/index").is_dir(), "search creates the index");
    std::fs::remove_dir_all(v.join(".netvault/index")).expect("delete the index");
    let out = v.run(&["search", "--format", "paths", "org:acme"]);
    assert_eq!(out.code, 0, "{out}");
    let mut paths: Vec<&str> = out.stdout.lines().collect();
    paths.sort_unstable();
    assert_eq!(paths, ["a/Alice.md", "a/Bob.md"], "{out}");
    assert!(
        out.stderr.contains("note"),
        "a missing index is rebuilt with a note\n{out}"
    );
}

#[test]
fn a_deleted_index_is_rebuilt_with_the_same_results() {
    let v = small_vault();
    expect(&v, "org:acme", &["a/Alice.md", "a/Bob.md"]);
    std::fs::remove_dir_all(v.join(".netvault/index")).expect("delete the index");
    expect(&v, "org:acme", &["a/Alice.md", "a/Bob.md"]);
    expect(&v, "-acme", &["Carol.md", "Dan.md"]);
    let out = v.run(&["index"]);
    assert_eq!(counts(&out), "0 added, 0 updated, 0 removed", "{out}");
}

#[test]
fn a_corrupt_index_is_rebuilt_with_a_note() {
    let v = small_vault();
    expect(&v, "org:acme", &["a/Alice.md", "a/Bob.md"]);
    let meta = v.join(".netvault/index/meta.json");
    assert!(meta.is_file(), "tantivy keeps meta.json in .netvault/index");
    std::fs::write(&meta, "{ this is not json").expect("corrupt the index");
    let out = v.run(&["search", "--format", "paths", "org:acme"]);
    assert_eq!(out.code, 0, "{out}");
    let mut paths: Vec<&str> = out.stdout.lines().collect();
    paths.sort_unstable();
    assert_eq!(paths, ["a/Alice.md", "a/Bob.md"], "{out}");
    assert!(
        out.stderr.contains("note"),
        "a corrupt index is rebuilt with a note\n{out}"
    );
    // Repaired: the next run is quiet and right.
    let out = v.run(&["search", "--format", "paths", "org:globex"]);
    assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("Carol.md\n", ""), "{out}");
}

// ---------------------------------------------------------------------------------------------
// 9. Broken files
// ---------------------------------------------------------------------------------------------

#[test]
fn broken_front_matter_does_not_break_search_for_the_others() {
    let v = small_vault()
        .file("Broken.md", "---\nname: [unclosed\norg: Acme\n---\nAcme kayaks.\n")
        .file("Unterminated.md", "---\nname: Zed\norg: Acme\nkayaks everywhere\n")
        .file("Plain.md", "# Plain note\n\nAcme kayaks, chess and bread.\n")
        .file("Toml.md", "+++\nname = \"Tom\"\n+++\nAcme kayaks.\n");
    // The healthy contacts are all found by their fields. A file whose front matter has errors
    // is never silently missing (SPEC v2 §9): it is found by its file stem and the words of its
    // body (its fields are unknown, so `org:` does not find it).
    expect(&v, "org:acme", &["a/Alice.md", "a/Bob.md"]);
    expect(&v, "acme", &["a/Alice.md", "a/Bob.md", "Broken.md", "Unterminated.md"]);
    expect(&v, "broken", &["Broken.md"]);
    // Files without front matter are no contacts: never hits, whatever the query.
    expect(&v, "kayaks", &["a/Alice.md", "Broken.md", "Unterminated.md"]);
    expect(&v, "chess", &["a/Bob.md"]);
    expect(&v, "bread", &["Carol.md"]);
    expect(&v, "name:plain OR name:toml OR name:tom", &[]);
    let (all, _) = found_and_total(&v, "-zzzz");
    assert_eq!(
        all,
        set(&[
            "a/Alice.md",
            "a/Bob.md",
            "Carol.md",
            "Dan.md",
            "Broken.md",
            "Unterminated.md"
        ])
    );
    // And validate still names the broken files.
    let (_, report) = v.json(&["validate", "--format", "json"]);
    let flagged: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    for p in ["Broken.md", "Unterminated.md", "Plain.md", "Toml.md"] {
        assert!(flagged.contains(&p), "{p} is reported: {report}");
    }
}

// ---------------------------------------------------------------------------------------------
// 10. --index-dir
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn index_dir_keeps_the_index_outside_a_read_only_vault() {
    use std::os::unix::fs::PermissionsExt;

    /// Gives the vault its write permission back, even when an assertion fails.
    struct Restore<'a>(&'a Path);
    impl Drop for Restore<'_> {
        fn drop(&mut self) {
            let _ = std::fs::set_permissions(self.0, std::fs::Permissions::from_mode(0o755));
        }
    }

    let v = small_vault();
    let elsewhere = tempfile::tempdir().expect("a temporary folder");
    let index_dir = elsewhere.path().join("idx");
    let index_arg = index_dir.to_str().expect("a UTF-8 path").to_string();
    std::fs::set_permissions(v.path(), std::fs::Permissions::from_mode(0o555)).expect("make the vault read-only");
    let _restore = Restore(v.path());

    let search = |args: &[&str]| {
        let mut all = vec!["--index-dir", index_arg.as_str(), "search", "--format", "paths"];
        all.extend_from_slice(args);
        let out = v.run(&all);
        let mut paths: Vec<String> = out.stdout.lines().map(str::to_string).collect();
        paths.sort();
        (out, paths)
    };
    let (out, paths) = search(&["org:acme"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(paths, ["a/Alice.md", "a/Bob.md"], "{out}");
    assert!(index_dir.join("meta.json").is_file(), "the index is in --index-dir");
    assert!(!v.join(".netvault").exists(), "nothing written in the vault");
    // A second run reuses it.
    let (out, paths) = search(&["globex"]);
    assert_eq!(paths, ["Carol.md"], "{out}");
    assert_eq!(out.stderr, "", "{out}");

    // Without --index-dir, a read-only vault is still searchable (an index in memory); as
    // `nobody` when the tests run as root (root writes into a folder whose mode is 555).
    let out = v.run_unprivileged(&["search", "--format", "paths", "org:globex"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "Carol.md\n"), "{out}");
    assert!(out.stderr.contains("in memory"), "{out}");
    assert!(!v.join(".netvault").exists(), "nothing written in the vault");
}

// ---------------------------------------------------------------------------------------------
// 11. Read-only guarantee
// ---------------------------------------------------------------------------------------------

#[test]
fn search_and_index_never_touch_contact_files() {
    let v = network();
    // Make mtimes clearly in the past so that any rewrite would show.
    let past = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    for path in EVERYONE.iter().chain([&NOTES]) {
        let file = std::fs::File::options().write(true).open(v.join(path)).expect("open");
        file.set_modified(past).expect("set mtime");
    }
    let before = snapshot_files(v.path());
    for args in [
        &["search", "acme"][..],
        &["search", "--format", "json", "--", "-archived"],
        &["search", "--sort", "due", "due:<today"],
        &["search", "archivst"],
        &["index"],
        &["index", "--rebuild"],
        &["search", "--format", "csv", "birthday:today..+7d"],
    ] {
        let out = v.run(args);
        assert_eq!(out.code, 0, "{args:?}\n{out}");
    }
    let after = snapshot_files(v.path());
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    for (path, (bytes, mtime)) in &before {
        let (bytes_after, mtime_after) = &after[path];
        assert!(bytes == bytes_after, "{path} changed");
        assert_eq!(mtime, mtime_after, "{path}'s mtime changed");
    }
}

#[test]
fn equal_scores_are_ordered_by_name_whatever_the_index_order() {
    let v = TestVault::new()
        .file("Cleo.md", contact("name: Cleo\ntitle: t1\n", "archives\n"))
        .file("Ana.md", contact("name: Ana\ntitle: t1\n", "archives\n"))
        .file("Bo.md", contact("name: Bo\ntitle: t1\n", "archives\n"));
    assert_eq!(v.run(&["index"]).code, 0);
    // Re-indexing Ana puts her document last in the index: the order must not follow it.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(v.join("Ana.md"), contact("name: Ana\ntitle: t2\n", "archives\n")).unwrap();
    let (out, json) = search_json(&v, "archives", &[]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(hit_paths(&json), ["Ana.md", "Bo.md", "Cleo.md"], "{json}");
    let (_, json) = search_json(&v, "archives", &["--limit", "1"]);
    assert_eq!(hit_paths(&json), ["Ana.md"], "the cut keeps the first by name: {json}");
}
