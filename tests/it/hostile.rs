//! Hostile input (issue 7): files and folders built to break a tool — a 100 MB contact, a path
//! of 4,000 bytes, folders 500 deep, names and contents that are not UTF-8, NUL bytes, symlink
//! loops and links out of the vault, unreadable paths, a read-only vault, names that differ only
//! in case, YAML alias bombs and 10,000 levels of nesting, and imports of files that are not what
//! they claim.
//!
//! Each case runs the real binary with a timeout (a hang fails the test) and checks three
//! things: the bad path gets its diagnostic and the exit code of SPEC §4 (never a panic or a
//! signal), and a good contact beside it is still served by `validate`, `search` and `report`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::common::{Output, TestVault};
use serde_json::Value;

/// Longer than any case needs in a debug build on a loaded machine; a hang fails instead of
/// blocking the suite.
const TIMEOUT: Duration = Duration::from_secs(60);

/// The good contact every vault holds, overdue so that the follow-up report lists it.
const GOOD: &str = "Good Person.md";
const GOOD_TEXT: &str =
    "---\nname: Good Person\norganization: Acme Corp\nfollow_up: 2026-11-20\n---\nMet at the fair.\n";

fn vault() -> TestVault {
    TestVault::new().file(GOOD, GOOD_TEXT)
}

/// Run `netvault --vault <tmp> ARGS...` with a timeout of `limit`.
fn run_within(v: &TestVault, limit: Duration, args: &[&str]) -> Output {
    let out = crate::common::output_within(v.command().arg("--vault").arg(v.path()).args(args), limit);
    assert_no_crash(&out, args);
    out
}

fn run(v: &TestVault, args: &[&str]) -> Output {
    run_within(v, TIMEOUT, args)
}

/// Killed by a signal or a timeout (-1), a panic (101), or the runtime's own messages.
fn assert_no_crash(out: &Output, args: &[&str]) {
    assert!(
        matches!(out.code, 0..=2),
        "netvault {args:?} crashed or timed out (exit code {}; -1 is a signal):\n{out}",
        out.code
    );
    for sign in ["panicked", "stack overflow", "RUST_BACKTRACE", "fatal runtime error"] {
        assert!(!out.stderr.contains(sign), "netvault {args:?} panicked:\n{out}");
    }
}

/// `validate --format json`: the exit code and the diagnostics.
fn validate(v: &TestVault) -> (i32, Value) {
    let out = run(v, &["validate", "--format", "json"]);
    (out.code, out.json())
}

/// The diagnostics with `code`, as (path, line, column, severity, message).
fn diagnostics_with(report: &Value, code: &str) -> Vec<(String, u64, u64, String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics is a list")
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
                d["severity"].as_str().unwrap_or_default().to_string(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The good contact is still found by `search`, listed by `report`, and checked by `validate`
/// without a problem of its own.
fn assert_good_is_served(v: &TestVault) {
    let search = run(v, &["search", "acme", "--format", "paths"]);
    assert_eq!(search.code, 0, "{search}");
    assert_eq!(search.stdout.lines().collect::<Vec<_>>(), [GOOD], "{search}");

    let report = run(v, &["report", "--format", "json"]);
    assert_eq!(report.code, 0, "{report}");
    let items = report.json()["items"].as_array().cloned().unwrap_or_default();
    assert!(
        items.iter().any(|i| i["path"] == GOOD && i["bucket"] == "overdue"),
        "{report}"
    );

    let (_, checked) = validate(v);
    assert!(checked["files"].as_u64().unwrap_or_default() >= 1, "{checked}");
    let own: Vec<&Value> = checked["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == GOOD)
        .collect();
    assert!(own.is_empty(), "{own:?}");
}

/// Write `size` bytes to `path`: `head`, then `line` repeated, in large chunks.
fn write_big(path: &Path, head: &str, line: &str, tail: &str, size: usize) {
    let file = std::fs::File::create(path).expect("create the big file");
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    w.write_all(head.as_bytes()).unwrap();
    let chunk = line.repeat((1 << 20) / line.len());
    let mut written = head.len();
    while written + chunk.len() + tail.len() <= size {
        w.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
    }
    w.write_all(tail.as_bytes()).unwrap();
    w.flush().unwrap();
}

const HUNDRED_MB: usize = 100 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------------

#[test]
fn a_100_mb_body_is_reported_not_read_and_the_others_are_served() {
    let v = vault();
    write_big(
        &v.join("Big Body.md"),
        "---\nname: Big Body\norganization: Acme Corp\n---\n",
        "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n",
        "",
        HUNDRED_MB,
    );
    let (code, report) = validate(&v);
    assert_eq!(code, 1, "{report:#}");
    let found = diagnostics_with(&report, "unreadable");
    assert_eq!(found.len(), 1, "{report:#}");
    let (path, line, column, severity, message) = &found[0];
    assert_eq!((path.as_str(), *line, *column), ("Big Body.md", 1, 1));
    assert_eq!(severity, "error");
    assert!(message.contains("larger than"), "{message}");
    assert_good_is_served(&v);
    // It is not a contact: NAME does not find it, and `show` says so instead of reading it.
    let show = run(&v, &["show", "Big Body"]);
    assert_eq!(show.code, 2, "{show}");
}

#[test]
fn a_100_mb_front_matter_is_reported_not_read_and_the_others_are_served() {
    let v = vault();
    write_big(
        &v.join("Big Front.md"),
        "---\nname: Big Front\n",
        "custom_note: a value that repeats until the front matter is a hundred megabytes\n",
        "---\nbody\n",
        HUNDRED_MB,
    );
    let (code, report) = validate(&v);
    assert_eq!(code, 1, "{report:#}");
    let paths: Vec<String> = diagnostics_with(&report, "unreadable")
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(paths, ["Big Front.md"], "{report:#}");
    assert_good_is_served(&v);
}

/// 30,000 keys (under the size limit, so really parsed): the fast YAML path's duplicate-key
/// check was quadratic and took about 25 s here in a debug build (the timeout below is a hang
/// guard; `bench/` measures speed).
#[test]
fn a_front_matter_of_30_000_keys_is_read_whole() {
    let mut text = String::from("---\nname: Many Keys\n");
    for i in 0..30_000 {
        let _ = writeln!(text, "x{i:05}: value {i}");
    }
    text.push_str("---\nbody\n");
    let v = vault().file("Many Keys.md", &text);
    let out = run_within(&v, Duration::from_secs(120), &["validate", "--format", "json"]);
    let report = out.json();
    assert_eq!(report["errors"], 0, "{out}");
    assert_eq!(report["files"], 2, "{out}");
    // Every key was read: the last one is searchable as a custom field.
    let search = run_within(
        &v,
        Duration::from_secs(120),
        &["search", "x29999:29999", "--format", "paths"],
    );
    assert_eq!(search.stdout.trim(), "Many Keys.md", "{search}");
    assert_good_is_served(&v);
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

#[test]
fn a_path_of_4000_bytes_is_read_searched_and_written() {
    // 17 folders of 220 bytes and a file name of 248 bytes (a file name may hold 255, so the
    // temporary file a write goes through needs a shorter name).
    let folders: Vec<String> = (0..17).map(|i| format!("{i:02}{}", "f".repeat(218))).collect();
    let stem = format!("Long {}", "n".repeat(240));
    let rel = format!("{}/{stem}.md", folders.join("/"));
    assert!(rel.len() > 4_000 && fits_path_max(&rel), "{}", rel.len());
    let v = vault().file(&rel, "---\nname: Long Path\norganization: Farfield\n---\n");

    let (code, report) = validate(&v);
    assert_eq!((code, report["files"].as_u64()), (0, Some(2)), "{report:#}");
    let search = run(&v, &["search", "farfield", "--format", "paths"]);
    assert_eq!(search.stdout.trim(), rel, "{search}");
    let show = run(&v, &["show", "Long Path", "--format", "json"]);
    assert_eq!(show.code, 0, "{show}");
    // Writing goes through a temporary file beside it, whose name must fit too.
    let log = run(&v, &["log", "Long Path", "Called about the far field"]);
    assert_eq!(log.code, 0, "{log}");
    let text = std::fs::read_to_string(v.join(&rel)).unwrap();
    assert!(text.contains("- 2026-11-27: Called about the far field"), "{text}");
    assert_good_is_served(&v);
}

/// The absolute path stays under Linux's `PATH_MAX` (4,096) with the temporary folder's prefix.
fn fits_path_max(rel: &str) -> bool {
    std::env::temp_dir().as_os_str().len() + 20 + rel.len() < 4_096
}

#[test]
fn folders_500_deep_do_not_overflow_the_stack() {
    let rel = format!("{}/Deep One.md", vec!["d"; 500].join("/"));
    // Sibling folders make the walk go parallel: the deep folder is then read on a worker
    // thread, whose stack is smaller than the main thread's.
    let v = vault()
        .file(&rel, "---\nname: Deep One\ntags: [abyss]\n---\n")
        .file("people/Ann.md", "---\nname: Ann\n---\n")
        .file("work/Bob.md", "---\nname: Bob\n---\n");
    let (code, report) = validate(&v);
    assert_eq!((code, report["files"].as_u64()), (0, Some(4)), "{report:#}");
    let search = run(&v, &["search", "tag:abyss", "--format", "paths"]);
    assert_eq!(search.stdout.trim(), rel, "{search}");
    let index = run(&v, &["index"]);
    assert_eq!(index.code, 0, "{index}");
    assert_good_is_served(&v);
}

// ---------------------------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_reported_and_skipped() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt as _;
    let v = vault();
    let file = v.path().join(OsStr::from_bytes(b"Ren\xe9e.md"));
    std::fs::write(&file, "---\nname: Renee File\n---\n").unwrap();
    let folder = v.path().join(OsStr::from_bytes(b"caf\xe9"));
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("Inside.md"), "---\nname: Inside Cafe\n---\n").unwrap();
    // A file that is no contact candidate (not .md) is nobody's business.
    std::fs::write(v.path().join(OsStr::from_bytes(b"photo\xff.jpg")), b"\xff\xd8").unwrap();

    let (code, report) = validate(&v);
    assert_eq!(code, 1, "{report:#}");
    let found = diagnostics_with(&report, "not-utf8");
    assert_eq!(found.len(), 2, "{report:#}");
    for (path, _, _, severity, message) in &found {
        assert_eq!(severity, "error");
        assert!(message.contains("name is not UTF-8"), "{message}");
        assert!(path.starts_with("Ren") || path.starts_with("caf"), "{path}");
    }
    // Neither is half-served: a path that cannot be written back is not a search hit.
    for query in ["renee", "inside"] {
        let out = run(&v, &["search", query, "--format", "paths"]);
        assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{out}");
    }
    assert_good_is_served(&v);
}

#[test]
fn contents_that_are_not_utf8_are_an_error_for_that_file_only() {
    let v = vault()
        .file(
            "Latin One.md",
            b"---\nname: Ren\xe9e Latin\norganization: Acme Corp\n---\n".as_slice(),
        )
        .file(
            "Binary.md",
            [0xff_u8, 0xfe, 0x00, 0x41, 0x00, 0x42, 0x89, 0x50, 0x4e, 0x47],
        );
    let (code, report) = validate(&v);
    assert_eq!(code, 1, "{report:#}");
    let found = diagnostics_with(&report, "not-utf8");
    let paths: Vec<&str> = found.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(paths, ["Binary.md", "Latin One.md"], "{report:#}");
    assert!(found.iter().all(|d| d.3 == "error"), "{report:#}");
    assert!(found[1].4.contains("line 2"), "the message names the line: {report:#}");
    assert_good_is_served(&v);
    // `log` refuses a file it cannot read as text rather than rewriting it.
    let before = std::fs::read(v.join("Latin One.md")).unwrap();
    let log = run(&v, &["log", "Latin One.md", "hello"]);
    assert_eq!(log.code, 2, "{log}");
    assert_eq!(std::fs::read(v.join("Latin One.md")).unwrap(), before);
}

#[test]
fn nul_bytes_are_an_error_for_that_file_only() {
    let v = vault()
        .file("Nul Front.md", b"---\nname: Nul\x00Front\n---\n".as_slice())
        .file(
            "Nul Body.md",
            b"---\nname: Nul Body\n---\nfirst\nsecond \x00 third\n".as_slice(),
        );
    let (code, report) = validate(&v);
    assert_eq!(code, 1, "{report:#}");
    let found: Vec<(String, String)> = diagnostics_with(&report, "not-utf8")
        .into_iter()
        .map(|d| (d.0, d.4))
        .collect();
    assert_eq!(found.len(), 2, "{report:#}");
    assert_eq!(
        (found[0].0.as_str(), found[1].0.as_str()),
        ("Nul Body.md", "Nul Front.md")
    );
    // The message names the line of the NUL byte.
    assert!(found[0].1.contains("NUL") && found[0].1.contains("line 5"), "{found:?}");
    assert!(found[1].1.contains("NUL") && found[1].1.contains("line 2"), "{found:?}");
    assert_good_is_served(&v);
}

// ---------------------------------------------------------------------------------------------
// Symlinks (SPEC §2: never followed out of the vault; a loop is an error for that path only)
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_never_walked_forever() {
    use std::os::unix::fs::symlink;
    let v = vault()
        .file("a/In A.md", "---\nname: In A\ntags: [loopy]\n---\n")
        .file("b/In B.md", "---\nname: In B\ntags: [loopy]\n---\n");
    symlink(".", v.join("self")).unwrap();
    symlink("..", v.join("a/up")).unwrap();
    // Two links that loop only through each other: a/to-b → b, b/to-a → a.
    symlink("../b", v.join("a/to-b")).unwrap();
    symlink("../a", v.join("b/to-a")).unwrap();
    // A link to itself (ELOOP when followed).
    symlink("knot.md", v.join("knot.md")).unwrap();

    let (code, report) = validate(&v);
    assert_eq!(code, 1, "{report:#}");
    let loops: Vec<String> = diagnostics_with(&report, "unreadable")
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert!(loops.contains(&"self".to_string()), "{report:#}");
    assert!(loops.contains(&"a/up".to_string()), "{report:#}");
    assert!(loops.contains(&"knot.md".to_string()), "{report:#}");
    assert!(
        loops.iter().any(|p| p.ends_with("/to-a") || p.ends_with("/to-b")),
        "the mutual loop is found: {report:#}"
    );
    // Each real file is read a bounded number of times: directly, and at most once through the
    // other folder's link.
    let files = report["files"].as_u64().unwrap();
    assert!((3..=5).contains(&files), "{report:#}");
    let search = run(&v, &["search", "tag:loopy", "--format", "paths"]);
    assert_eq!(search.code, 0, "{search}");
    let found: Vec<&str> = search.stdout.lines().collect();
    assert!(
        found.contains(&"a/In A.md") && found.contains(&"b/In B.md") && found.len() <= 4,
        "both real files, and each at most once more through the other folder's link: {search}"
    );
    assert_good_is_served(&v);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_vault_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("Stranger.md"),
        "---\nname: Stranger Danger\norganization: Acme Corp\nfollow_up: 2026-11-01\n---\n",
    )
    .unwrap();
    let v = vault();
    symlink(outside.path(), v.join("elsewhere")).unwrap();
    symlink(outside.path().join("Stranger.md"), v.join("Stranger.md")).unwrap();
    symlink("/", v.join("root")).unwrap();
    symlink("/nonexistent/Ghost.md", v.join("Ghost.md")).unwrap();

    let (code, report) = validate(&v);
    assert_eq!(code, 0, "links out are skipped, not errors: {report:#}");
    assert_eq!(report["files"], 1, "{report:#}");
    assert_good_is_served(&v);
    let stranger = run(&v, &["search", "stranger", "--format", "paths"]);
    assert_eq!(stranger.stdout, "", "{stranger}");
    let show = run(&v, &["show", "Stranger Danger"]);
    assert_eq!(show.code, 2, "{show}");
    // Writing through a link out is impossible too.
    let log = run(&v, &["log", "Stranger.md", "hello"]);
    assert_eq!(log.code, 2, "{log}");
    let text = std::fs::read_to_string(outside.path().join("Stranger.md")).unwrap();
    assert!(!text.contains("hello"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Permissions
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_errors_for_those_paths_only() {
    let v = vault()
        .file("Locked.md", "---\nname: Locked File\n---\n")
        .file("vault/Inside.md", "---\nname: Inside Vault\n---\n");
    set_mode(&v.join("Locked.md"), 0o000);
    set_mode(&v.join("vault"), 0o000);
    // As `nobody` when the tests run as root: root reads a file whose mode is 000.
    let out = v.run_unprivileged(&["validate", "--format", "json"]);
    assert_no_crash(&out, &["validate"]);
    let report = out.json();
    let paths: Vec<String> = diagnostics_with(&report, "unreadable")
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(out.code, 1, "{report:#}");
    assert_eq!(paths, ["Locked.md", "vault"], "{report:#}");
    assert_good_is_served(&v);
    set_mode(&v.join("vault"), 0o755);
    set_mode(&v.join("Locked.md"), 0o644);
}

#[cfg(unix)]
#[test]
fn a_read_only_vault_is_served_with_the_index_elsewhere() {
    let v = vault().file("people/Ann.md", "---\nname: Ann Archer\n---\n");
    let index = tempfile::tempdir().unwrap();
    let index_dir = index.path().join("idx");
    let before = tree(v.path());
    for dir in ["people", ""] {
        set_mode(&v.join(dir), 0o555);
    }
    let dir_arg = index_dir.to_str().unwrap();
    for args in [
        &["index"][..],
        &["search", "ann", "--format", "paths"],
        &["report", "--format", "json"],
        &["show", "Ann Archer"],
        &["validate"],
    ] {
        let all: Vec<&str> = ["--index-dir", dir_arg].iter().chain(args).copied().collect();
        let out = run(&v, &all);
        assert_eq!(out.code, 0, "{all:?}: {out}");
        assert!(!out.stderr.contains("in memory"), "{out}");
    }
    let search = run(&v, &["--index-dir", dir_arg, "search", "ann", "--format", "paths"]);
    assert_eq!(search.stdout.trim(), "people/Ann.md", "{search}");
    assert!(index_dir.join("meta.json").is_file(), "the index is kept where asked");
    assert_eq!(tree(v.path()), before, "nothing was written in the vault");

    // Without --index-dir, a read-only vault still answers (the index lives in memory); as
    // `nobody` when the tests run as root, who may write into a folder whose mode is 555.
    let out = v.run_unprivileged(&["search", "ann", "--format", "paths"]);
    assert_no_crash(&out, &["search"]);
    assert_eq!((out.code, out.stdout.trim()), (0, "people/Ann.md"), "{out}");
    assert!(out.stderr.contains("--index-dir"), "{out}");
    assert_eq!(tree(v.path()), before, "nothing was written in the vault");
    for dir in ["", "people"] {
        set_mode(&v.join(dir), 0o755);
    }
}

/// Every file and folder under `root`, with the files' bytes.
fn tree(root: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                out.insert(rel, None);
                walk(&path, root, out);
            } else {
                out.insert(rel, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// Names that collide on case-insensitive file systems
// ---------------------------------------------------------------------------------------------

#[test]
fn names_differing_only_in_case_resolve_exactly_or_are_ambiguous_and_are_never_overwritten() {
    const UPPER: &str = "---\nname: Jane Upper\n---\n";
    const LOWER: &str = "---\nname: jane lower\n---\n";
    let v = vault().file("Jane.md", UPPER).file("jane.md", LOWER);
    // On a case-insensitive file system the second write replaced the first: then there is
    // only one file, and nothing below applies.
    if std::fs::read_to_string(v.join("Jane.md")).unwrap() == LOWER {
        eprintln!("skipped: the file system is case-insensitive");
        return;
    }
    let (code, report) = validate(&v);
    assert_eq!((code, report["files"].as_u64()), (0, Some(3)), "{report:#}");

    // The exact stem wins; a spelling that matches both stems case-insensitively is ambiguous
    // and names both candidates.
    let upper = run(&v, &["show", "Jane", "--format", "json"]);
    assert_eq!(
        (upper.code, &upper.json()["path"]),
        (0, &Value::from("Jane.md")),
        "{upper}"
    );
    let lower = run(&v, &["show", "jane", "--format", "json"]);
    assert_eq!(
        (lower.code, &lower.json()["path"]),
        (0, &Value::from("jane.md")),
        "{lower}"
    );
    let either = run(&v, &["show", "JANE"]);
    assert_eq!(either.code, 2, "{either}");
    assert!(
        either.stderr.contains("Jane.md") && either.stderr.contains("jane.md"),
        "{either}"
    );

    // `add` never overwrites either spelling (refused as a NAME that names a contact, SPEC v2
    // §8, and with --force as an existing file).
    for name in ["Jane", "jane"] {
        let add = run(&v, &["add", name]);
        assert_eq!(add.code, 2, "{add}");
        assert!(add.stderr.contains("is already a contact"), "{add}");
    }
    let add = run(&v, &["add", "JANE"]);
    assert_eq!(add.code, 2, "a third spelling is refused too: {add}");
    assert_eq!(std::fs::read_to_string(v.join("Jane.md")).unwrap(), UPPER);
    assert_eq!(std::fs::read_to_string(v.join("jane.md")).unwrap(), LOWER);
    assert_good_is_served(&v);
}

// ---------------------------------------------------------------------------------------------
// YAML built to explode
// ---------------------------------------------------------------------------------------------

#[test]
fn a_yaml_alias_bomb_is_an_error_and_finishes_quickly() {
    let mut text = String::from(
        "---\nname: Bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        let _ = writeln!(text, "{name}: &{name} [{refs}]");
    }
    text.push_str("---\n");
    let v = vault().file("Bomb.md", &text);
    let out = run_within(&v, Duration::from_secs(120), &["validate", "--format", "json"]);
    assert_eq!(out.code, 1, "{out}");
    let found = diagnostics_with(&out.json(), "yaml-syntax");
    assert_eq!(found.len(), 1, "{out}");
    assert_eq!(found[0].0, "Bomb.md");
    assert!(found[0].1 >= 3, "the line of the expansion: {found:?}");
    assert_good_is_served(&v);
}

#[test]
fn yaml_nested_10_000_deep_is_an_error_and_finishes_quickly() {
    let v = vault()
        .file(
            "Closed.md",
            format!(
                "---\nname: Closed\ntags: {}{}\n---\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
        )
        .file(
            "Open.md",
            format!("---\nname: Open\ntags: {}\n---\n", "[".repeat(10_000)),
        )
        .file(
            "Maps.md",
            format!("---\nname: Maps\nlinks: {}\n---\n", "{a: ".repeat(10_000)),
        )
        .file(
            "Indented.md",
            format!(
                "---\nname: Indented\n{}---\n",
                (0..3_000).map(|i| " ".repeat(i) + "k:\n").collect::<String>()
            ),
        );
    let out = run_within(&v, Duration::from_secs(120), &["validate", "--format", "json"]);
    assert_eq!(out.code, 1, "{out}");
    let paths: Vec<String> = diagnostics_with(&out.json(), "yaml-syntax")
        .into_iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(paths, ["Closed.md", "Indented.md", "Maps.md", "Open.md"], "{out}");
    assert_good_is_served(&v);
}

// ---------------------------------------------------------------------------------------------
// Imports of files that are not what they claim
// ---------------------------------------------------------------------------------------------

/// Files that claim to be an export: (name, bytes).
fn impostors() -> Vec<(&'static str, Vec<u8>)> {
    let binary: Vec<u8> = (0..4096_u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    vec![
        ("binary.csv", binary),
        (
            "card.csv",
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jane Doe\r\nEMAIL:jane@example.org\r\nEND:VCARD\r\n".to_vec(),
        ),
        ("empty.csv", Vec::new()),
        (
            "wrong-header.csv",
            b"Name,E-mail,Phone\nJane Doe,jane@example.org,555\n".to_vec(),
        ),
        ("nul.csv", vec![0; 64]),
    ]
}

/// The vault's files, without the derived index.
fn contact_files(v: &TestVault) -> BTreeMap<String, Option<Vec<u8>>> {
    tree(v.path())
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with(".netvault"))
        .collect()
}

#[test]
fn import_linkedin_refuses_files_that_are_not_a_connections_export() {
    let v = vault();
    let inputs = tempfile::tempdir().unwrap();
    let before = contact_files(&v);
    for (name, bytes) in impostors() {
        let file = inputs.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = run(&v, &["import", "linkedin", file.to_str().unwrap()]);
        assert_eq!(out.code, 2, "{name}: {out}");
        assert!(out.stderr.contains("cannot import"), "{name}: {out}");
        assert!(out.stderr.contains(name), "{name}: the message names the file: {out}");
        assert_eq!(contact_files(&v), before, "{name}: nothing was written");
    }
    assert_good_is_served(&v);
}

#[test]
fn import_vcard_refuses_or_reports_files_that_are_not_vcards() {
    let v = vault();
    let inputs = tempfile::tempdir().unwrap();
    let before = contact_files(&v);
    let csv = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nJane,Doe,,,,,\n";
    let binary: Vec<u8> = (0..4096_u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    for (name, bytes) in [("connections.vcf", csv.as_bytes().to_vec()), ("binary.vcf", binary)] {
        let file = inputs.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = run(&v, &["import", "vcard", file.to_str().unwrap()]);
        assert_eq!(out.code, 2, "{name}: {out}");
        assert!(out.stderr.contains("cannot import"), "{name}: {out}");
        assert_eq!(contact_files(&v), before, "{name}: nothing was written");
    }
    // A card cut short: reported (read as far as it goes, or refused), never a panic.
    let cut = inputs.path().join("cut.vcf");
    std::fs::write(
        &cut,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\nEMAIL:cut@example.org\r\n",
    )
    .unwrap();
    let out = run(&v, &["import", "vcard", cut.to_str().unwrap(), "--dry-run"]);
    assert!(matches!(out.code, 0 | 2), "{out}");
    assert!(
        out.stderr.contains("END:VCARD") || out.stdout.contains("END:VCARD"),
        "the missing END:VCARD is reported: {out}"
    );
    assert_eq!(contact_files(&v), before, "a dry run writes nothing");
    assert_good_is_served(&v);
}
