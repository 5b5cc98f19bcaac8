//! Data safety (SPEC §8, §9; issue 7): read-only commands never change a byte of the vault; a
//! write killed with SIGKILL at any moment leaves every contact file either as it was or as it
//! was meant to become, and the next command recovers; a killed `index` leaves an index the next
//! `search` repairs; and two processes writing one contact never lose an update silently.
//!
//! Kill moments come from a fixed list of delays (not the clock or a random seed), so each run
//! tries the same moments; what lands where depends on the machine's speed, and every outcome
//! is checked.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant, SystemTime};

use crate::common::{Output, TODAY, netvault};

/// Longer than any single run needs in a debug build on a loaded machine.
const TIMEOUT: Duration = Duration::from_secs(60);

/// `netvault --color never --today TODAY --vault ROOT ARGS...`, with a timeout.
fn run(root: &Path, args: &[&str]) -> Output {
    let mut cmd = netvault();
    cmd.arg("--today")
        .arg(TODAY)
        .arg("--vault")
        .arg(root)
        .args(args)
        .current_dir(root);
    let out = crate::common::output_within(&mut cmd, TIMEOUT);
    assert!(
        matches!(out.code, 0..=2) && !out.stderr.contains("panicked"),
        "netvault {args:?} crashed:\n{out}"
    );
    out
}

/// The same command as a child process, to be killed.
fn spawn(root: &Path, args: &[&str]) -> Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_netvault"))
        .env_clear()
        .args(["--color", "never", "--today", TODAY, "--vault"])
        .arg(root)
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the netvault binary starts")
}

/// Kill `child` with SIGKILL after `delay` (unless it finished first); whether it finished.
fn kill_after(mut child: Child, delay: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < delay {
        if child.try_wait().expect("wait").is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let finished = child.try_wait().expect("wait").is_some();
    if !finished {
        child.kill().expect("SIGKILL");
    }
    child.wait().expect("reap");
    finished
}

/// One path of a snapshot: a folder, or a file's bytes and modification time.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Folder,
    File(Vec<u8>, SystemTime),
}

/// Every file and folder under `root`, except the derived index (and its lock).
fn snapshot(root: &Path) -> BTreeMap<String, Entry> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, Entry>) {
        for entry in std::fs::read_dir(dir).expect("read the folder") {
            let path = entry.expect("an entry").path();
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            if rel == ".netvault/index" {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).expect("stat");
            if meta.is_dir() {
                out.insert(rel, Entry::Folder);
                walk(&path, root, out);
            } else {
                let bytes = std::fs::read(&path).expect("read the file");
                out.insert(rel, Entry::File(bytes, meta.modified().expect("mtime")));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// The files' bytes only, without hidden files (editors' and netvault's temporary files).
fn contents(root: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(root)
        .into_iter()
        .filter(|(rel, _)| !rel.split('/').any(|part| part.starts_with('.')))
        .filter_map(|(rel, entry)| match entry {
            Entry::File(bytes, _) => Some((rel, bytes)),
            Entry::Folder => None,
        })
        .collect()
}

/// The names of netvault's temporary files left anywhere in the vault.
fn temp_files(root: &Path) -> Vec<String> {
    snapshot(root)
        .into_keys()
        .filter(|rel| rel.ends_with(".netvault-tmp"))
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "index" || name == "watch.lock" {
            continue; // derived, or a live watcher's
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

fn example_vault() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault")
}

// ---------------------------------------------------------------------------------------------
// Read-only commands
// ---------------------------------------------------------------------------------------------

/// Files that are odd but legal, or broken, beside the example vault's.
const ODD_FILES: &[(&str, &[u8])] = &[
    (
        "odd/Crlf Carter.md",
        b"---\r\nname: Crlf Carter\r\norganization: Acme Corp   # trailing comment\r\nfollow_up: 2026-11-20\r\n---\r\n## Log\r\n- 2026-10-01: called #info\r\n",
    ),
    (
        "odd/Bom Baker.md",
        b"\xef\xbb\xbf---\nname: Bom Baker\ncircles: [alumni]\ncadence: 30d\n---\nA BOM before the front matter.\n",
    ),
    (
        "odd/Commented Cole.md",
        b"---\n# who she is\nname: Commented Cole   # as she writes it\ntags: [a, b]  # two\n\n# blank line above\nlast_contact: 2026-01-02\n---\n<!-- html comment -->\n- [ ] send the paper \xf0\x9f\x93\x85 2026-11-25\n",
    ),
    ("odd/Bad Yaml.md", b"---\nname: [unclosed\nfollow_up: 2026-13-45\n---\n"),
    ("odd/Unterminated.md", b"---\nname: Never Closed\n"),
    ("odd/Latin.md", b"---\nname: Ren\xe9e\n---\n"),
    ("odd/Conflict.md", b"---\nname: Conflicted\n<<<<<<< HEAD\nfollow_up: 2026-11-01\n=======\nfollow_up: 2026-12-01\n>>>>>>> theirs\n---\n"),
    ("odd/No Front Matter.md", b"# Just a note\n\nwith [[Jane Doe]] in it\n"),
    ("odd/notes.txt", b"not a contact\n"),
];

#[test]
fn read_only_commands_never_change_a_byte_or_add_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&example_vault(), root);
    for (rel, bytes) in ODD_FILES {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let before = snapshot(root);
    assert!(before.len() > 40, "the example vault was copied: {:?}", before.keys());

    let mut commands: Vec<Vec<&str>> = vec![
        vec!["validate"],
        vec!["validate", "--format", "json"],
        vec!["validate", "--strict"],
        vec!["validate", "odd/Bad Yaml.md", "odd/Crlf Carter.md", "--format", "json"],
        vec!["index"],
        vec!["index", "--rebuild"],
        vec!["show", "Crlf Carter"],
        vec!["show", "Bom Baker", "--format", "json"],
        vec!["show", "Commented Cole", "--format", "json"],
        vec!["who-knows", "acme"],
        vec!["who-knows", "archives", "--format", "json"],
        vec!["export", "csv"],
        vec!["export", "vcard"],
        vec!["export", "ics"],
    ];
    for format in ["table", "json", "csv", "paths"] {
        commands.push(vec!["search", "acme", "--format", format]);
        commands.push(vec![
            "search",
            "tag:alumni OR circle:alumni",
            "--sort",
            "due",
            "--format",
            format,
        ]);
    }
    for kind in ["followups", "stale", "circles", "outcomes", "reciprocity", "intros"] {
        for format in ["table", "json", "csv", "md", "ics", "dot", "mermaid"] {
            commands.push(vec!["report", kind, "--format", format]);
        }
    }
    let mut succeeded = 0;
    for args in &commands {
        let out = run(root, args);
        // Some report kinds have no form in some formats: that is a usage error (2), said.
        if out.code == 2 {
            assert!(!out.stderr.trim().is_empty(), "{args:?}: a refusal says why\n{out}");
        } else {
            succeeded += 1;
        }
        let after = snapshot(root);
        if after != before {
            let changed: Vec<&String> = before
                .keys()
                .chain(after.keys())
                .filter(|k| before.get(*k) != after.get(*k))
                .collect();
            panic!("`netvault {}` changed the vault: {changed:?}", args.join(" "));
        }
    }
    // The checks above had teeth: most commands ran, and the index was really written.
    assert!(succeeded >= 30, "only {succeeded} of {} commands ran", commands.len());
    assert!(root.join(".netvault/index/meta.json").is_file());
    let followups = run(root, &["report", "--format", "json"]);
    let items = followups.json()["items"].as_array().cloned().unwrap_or_default();
    assert!(items.iter().any(|i| i["path"] == "odd/Crlf Carter.md"), "{followups}");
}

// ---------------------------------------------------------------------------------------------
// SIGKILL during writes
// ---------------------------------------------------------------------------------------------

/// Delays before the kill, spread over a run of about `span`.
fn delays(span: Duration, count: u32) -> Vec<Duration> {
    // A fixed, uneven spread (a golden-ratio sequence), so that the moments differ.
    (0..count)
        .map(|i| span.mul_f64((f64::from(i) * 0.618_034 + 0.05).fract()))
        .collect()
}

fn connections_csv(rows: usize) -> String {
    let mut csv = String::from(
        "Notes:\n\"When exporting your connection data, you may notice...\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
    );
    for i in 0..rows {
        let _ = writeln!(
            csv,
            "Gen{i},Person{i},https://www.linkedin.com/in/gen-person-{i},gen{i}@example.org,\"Company {}, Inc.\",Engineer {},15 Mar 2021",
            i % 37,
            i % 11
        );
    }
    csv
}

/// The vault before an import: a good contact, and contacts the export matches (by URL and by
/// email) whose company changed, so the import rewrites them too.
fn import_base(root: &Path) {
    let files: &[(&str, &str)] = &[
        (
            "Good Person.md",
            "---\nname: Good Person\norganization: Acme Corp\n---\nNotes.\n",
        ),
        (
            "people/Old Three.md",
            "---\nname: Old Three   # kept\norganization: Former Co\nlinks:\n  linkedin: https://www.linkedin.com/in/gen-person-3/\n---\n## Log\n- 2025-01-01: met\n",
        ),
        (
            "people/Mail Seven.md",
            "---\r\nname: Mail Seven\r\nemails: [gen7@example.org]\r\ncompany: Elsewhere\r\n---\r\nCRLF file.\r\n",
        ),
    ];
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn sigkill_during_import_leaves_every_file_old_or_new_and_a_rerun_completes_it() {
    let work = tempfile::tempdir().unwrap();
    let csv = work.path().join("Connections.csv");
    std::fs::write(&csv, connections_csv(150)).unwrap();
    let csv = csv.to_str().unwrap();

    // The reference: the same import, run to the end, timed.
    let reference_root = work.path().join("reference");
    import_base(&reference_root);
    let base = contents(&reference_root);
    let start = Instant::now();
    let full = run(&reference_root, &["import", "linkedin", csv]);
    let span = start.elapsed();
    assert_eq!(full.code, 0, "{full}");
    let reference = contents(&reference_root);
    assert_eq!(reference.len(), base.len() + 148, "two rows matched existing files");
    assert_ne!(reference["people/Old Three.md"], base["people/Old Three.md"]);
    assert_ne!(reference["people/Mail Seven.md"], base["people/Mail Seven.md"]);

    let mut interrupted = 0;
    for (i, delay) in delays(span, 5).into_iter().enumerate() {
        let root = work.path().join(format!("killed-{i}"));
        import_base(&root);
        if !kill_after(spawn(&root, &["import", "linkedin", csv]), delay) {
            interrupted += 1;
        }
        // Every file is the old version or the new one, never a torn one, and nothing else.
        for (rel, bytes) in contents(&root) {
            let old = base.get(&rel);
            let new = reference.get(&rel);
            assert!(
                old == Some(&bytes) || new == Some(&bytes),
                "after a kill at {delay:?}, {rel} is neither the old nor the new version:\n{}",
                String::from_utf8_lossy(&bytes)
            );
        }
        // Leftover temporary files are hidden: no command reads them as contacts.
        let checked = run(&root, &["validate", "--format", "json"]).json();
        assert_eq!(
            checked["files"].as_u64(),
            Some(contents(&root).len() as u64),
            "after a kill at {delay:?}: {checked:#}"
        );
        // The next run recovers: the index is brought up to date, and a second import finishes
        // the job exactly as an uninterrupted one.
        let search = run(&root, &["search", "acme", "--format", "paths"]);
        assert_eq!(
            (search.code, search.stdout.as_str()),
            (0, "Good Person.md\n"),
            "{search}"
        );
        let rerun = run(&root, &["import", "linkedin", csv]);
        assert_eq!(rerun.code, 0, "{rerun}");
        assert_eq!(contents(&root), reference, "after a kill at {delay:?} and a rerun");
        let search = run(&root, &["search", "gen149", "--format", "paths"]);
        assert_eq!(search.stdout, "Gen149 Person149.md\n", "{search}");
    }
    assert!(
        interrupted >= 1,
        "only {interrupted} of 6 imports were killed before they ended"
    );
}

#[test]
fn sigkill_during_log_leaves_the_old_or_the_new_file_and_the_next_log_works() {
    let work = tempfile::tempdir().unwrap();
    let text = "\u{feff}---\r\nname: Jane Doe   # as she writes it\r\nfollow_up: 2026-11-20\r\n---\r\n## Log\r\n- 2026-01-01: first\r\n";
    // Two vaults in lockstep: the killed one, and a reference where each log runs to the end.
    let killed = work.path().join("killed");
    let reference = work.path().join("reference");
    for root in [&killed, &reference] {
        std::fs::create_dir_all(root).unwrap();
        std::fs::write(root.join("Jane Doe.md"), text).unwrap();
        std::fs::write(root.join("Good Person.md"), "---\nname: Good Person\n---\n").unwrap();
        run(root, &["index"]);
    }
    // A short run's length varies too much to measure once: the delays run from before the
    // process has started its work to well after any run ends.
    let delays = [2, 5, 9, 14, 20, 27, 35, 45, 60, 80, 110, 160, 250, 400, 700, 2_000].map(Duration::from_millis);

    let mut landed = 0;
    let mut interrupted = 0;
    for (i, delay) in delays.into_iter().enumerate() {
        let message = format!("call number {i} #info");
        let date = format!("2026-02-{:02}", i + 1);
        let args = [
            "log",
            "Jane Doe",
            message.as_str(),
            "--date",
            date.as_str(),
            "--follow-up",
            "2w",
        ];
        let old = std::fs::read(killed.join("Jane Doe.md")).unwrap();
        assert_eq!(old, std::fs::read(reference.join("Jane Doe.md")).unwrap());
        let finished = kill_after(spawn(&killed, &args), delay);
        if !finished {
            interrupted += 1;
        }
        assert_eq!(run(&reference, &args).code, 0);
        let new = std::fs::read(reference.join("Jane Doe.md")).unwrap();
        let now = std::fs::read(killed.join("Jane Doe.md")).unwrap();
        if now == new {
            landed += 1;
        } else {
            assert_eq!(
                String::from_utf8_lossy(&now),
                String::from_utf8_lossy(&old),
                "after a kill at {delay:?} the file is neither the old nor the new version"
            );
            assert!(!finished, "a log that finished must have written");
            // The next run does what the killed one did not.
            let out = run(&killed, &args);
            assert_eq!(out.code, 0, "{out}");
            assert_eq!(std::fs::read(killed.join("Jane Doe.md")).unwrap(), new);
        }
        let files = run(&killed, &["validate", "--format", "json"]).json()["files"].clone();
        assert_eq!(files, 2, "temporary files are never contacts");
    }
    assert!(
        interrupted >= 1,
        "only {interrupted} of 16 runs were killed before they ended"
    );
    assert!(landed >= 1, "no run got as far as its write");
    let show = run(&killed, &["show", "Jane Doe", "--format", "json"]);
    assert_eq!(show.json()["last_contact"], "2026-02-16", "{show}");
    let leftovers = temp_files(&killed);
    assert!(
        leftovers.len() <= 1,
        "at most the one reused temporary file: {leftovers:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// SIGKILL during indexing
// ---------------------------------------------------------------------------------------------

const GENERATED: usize = 2_000;

fn generate(root: &Path) {
    for i in 0..GENERATED {
        let folder = root.join(format!("people/{:02}", i % 40));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join(format!("Person {i:04}.md")),
            format!(
                "---\nname: Person {i:04}\norganization: Org {}\ntags: [generated]\nfollow_up: 2026-11-{:02}\n---\n## Log\n- 2026-0{}-01: spoke about topic{i} #info\n",
                i % 97,
                i % 28 + 1,
                i % 9 + 1
            ),
        )
        .unwrap();
    }
}

/// After any number of killed index runs, `search` answers from the files, completely.
fn assert_search_recovers(root: &Path, index_dir: &[&str]) {
    let mut args: Vec<&str> = index_dir.to_vec();
    args.extend(["search", "tag:generated", "--limit", "10000", "--format", "paths"]);
    let out = run(root, &args);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(out.stdout.lines().count(), GENERATED, "{}", out.stderr);
    assert!(
        !out.stderr.contains("in memory"),
        "the index folder was recovered: {out}"
    );
    let mut args: Vec<&str> = index_dir.to_vec();
    args.extend(["search", "topic1234", "--format", "paths"]);
    let one = run(root, &args);
    assert_eq!(one.stdout, "people/34/Person 1234.md\n", "{one}");
    let mut args: Vec<&str> = index_dir.to_vec();
    args.push("index");
    let index = run(root, &args);
    assert_eq!(index.code, 0, "{index}");
    assert!(index.stdout.contains(" 0 added, 0 updated, 0 removed"), "{index}");
}

#[test]
fn sigkill_during_index_is_repaired_by_the_next_search() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    generate(root);
    let before = contents(root);
    // A full run, timed, on a copy: the kills below land inside such a run.
    let timing = tempfile::tempdir().unwrap();
    copy_dir(root, timing.path());
    let start = Instant::now();
    assert_eq!(run(timing.path(), &["index"]).code, 0);
    let span = start.elapsed();

    // Rebuilds killed at moments spread over a full run.
    let mut interrupted = 0;
    for delay in delays(span, 5) {
        if !kill_after(spawn(root, &["index", "--rebuild"]), delay) {
            interrupted += 1;
        }
    }
    assert!(
        interrupted >= 1,
        "only {interrupted} of 5 rebuilds were killed before they ended"
    );
    // An update of a tenth of the files, and a search, killed half-way.
    for n in (0..GENERATED).step_by(10) {
        let path = root.join(format!("people/{:02}/Person {n:04}.md", n % 40));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("spoke", "talked")).unwrap();
    }
    kill_after(spawn(root, &["index"]), span / 4);
    kill_after(spawn(root, &["search", "topic7"]), span / 4);
    assert_eq!(
        contents(root).len(),
        before.len(),
        "indexing never adds or removes a contact file"
    );
    assert_search_recovers(root, &[]);
}

#[test]
fn sigkill_during_index_in_an_index_dir_elsewhere_is_repaired_too() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    generate(root);
    let elsewhere = tempfile::tempdir().unwrap();
    let index_dir = elsewhere.path().join("idx");
    let index_dir = index_dir.to_str().unwrap();
    let start = Instant::now();
    assert_eq!(run(root, &["--index-dir", index_dir, "index"]).code, 0);
    let span = start.elapsed();
    let mut interrupted = 0;
    for delay in delays(span, 4) {
        if !kill_after(spawn(root, &["--index-dir", index_dir, "index", "--rebuild"]), delay) {
            interrupted += 1;
        }
    }
    assert!(
        interrupted >= 1,
        "only {interrupted} of 4 rebuilds were killed before they ended"
    );
    assert!(!root.join(".netvault").exists(), "nothing is written in the vault");
    assert_search_recovers(root, &["--index-dir", index_dir]);
}

// ---------------------------------------------------------------------------------------------
// Two writers at once
// ---------------------------------------------------------------------------------------------

#[test]
fn racing_logs_never_lose_an_update_silently() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("Jane Doe.md"), "---\nname: Jane Doe\n---\n## Log\n").unwrap();
    assert_eq!(run(root, &["index"]).code, 0);
    let bin = env!("CARGO_BIN_EXE_netvault");

    let mut succeeded: Vec<String> = Vec::new();
    let mut refused = 0;
    for round in 0..15 {
        let children: Vec<(String, Child)> = (0..3)
            .map(|racer| {
                let message = format!("round {round} racer {racer}");
                let child = std::process::Command::new(bin)
                    .env_clear()
                    .args(["--color", "never", "--today", TODAY, "--vault"])
                    .arg(root)
                    .args(["log", "Jane Doe", message.as_str()])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("the binary starts");
                (message, child)
            })
            .collect();
        for (message, child) in children {
            let out = child.wait_with_output().expect("wait");
            let stderr = String::from_utf8_lossy(&out.stderr);
            match out.status.code() {
                Some(0) => succeeded.push(message),
                Some(2) => {
                    assert!(stderr.contains("changed on disk"), "a refusal says why: {stderr}");
                    refused += 1;
                }
                other => panic!("{message}: exit {other:?}: {stderr}"),
            }
        }
    }
    let text = std::fs::read_to_string(root.join("Jane Doe.md")).unwrap();
    let lost: Vec<&String> = succeeded
        .iter()
        .filter(|m| !text.contains(&format!("- {TODAY}: {m}\n")))
        .collect();
    assert!(
        lost.is_empty(),
        "updates reported as written but lost: {lost:?}\n{text}"
    );
    // Every success is there once, and nothing else was logged.
    let entries = text.lines().filter(|l| l.starts_with("- ")).count();
    assert_eq!(entries, succeeded.len(), "{text}");
    assert!(
        succeeded.len() >= 20,
        "at least one writer per round succeeds ({refused} refused)"
    );
    assert!(temp_files(root).len() <= 1, "{:?}", temp_files(root));
}
