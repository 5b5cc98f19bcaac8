//! One test per threat of issue 11 (SPEC v2 §2 and §9, "Safety"): a vault is cloned from
//! elsewhere, so every path in it is hostile. Each test builds a scratch folder holding a
//! vault and an `outside/` folder beside it, plants what an attacker (or bad luck) would, runs
//! the real binary, and checks that nothing outside the vault changed, appeared or vanished,
//! that nothing panicked, and that the index healed itself without the user's help.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{Output, Rng, TODAY, netvault};

/// Longer than any single run needs in a debug build on a loaded machine.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A scratch folder: `vault/` (with people in it) and `outside/` (a sentinel tree).
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let s = Self { dir };
        std::fs::create_dir_all(s.vault().join("people")).unwrap();
        std::fs::create_dir_all(s.outside().join("deep/er")).unwrap();
        std::fs::write(s.outside().join("victim.txt"), "the user's own file\n").unwrap();
        std::fs::write(
            s.outside().join("deep/er/notes.md"),
            "---\nname: Outsider Person\n---\nzebra\n",
        )
        .unwrap();
        s.contact("Jane Doe", "librarian");
        s.contact("Walter Pruitt", "neighbour tomatoes");
        s
    }

    fn vault(&self) -> PathBuf {
        self.dir.path().join("vault")
    }

    fn outside(&self) -> PathBuf {
        self.dir.path().join("outside")
    }

    fn contact(&self, name: &str, body: &str) {
        std::fs::write(
            self.vault().join(format!("people/{name}.md")),
            format!("---\nname: {name}\n---\n# {name}\n\n{body}\n"),
        )
        .unwrap();
    }

    /// `netvault --today TODAY --vault vault ARGS`, within the timeout; never a panic.
    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = netvault();
        cmd.arg("--today")
            .arg(TODAY)
            .arg("--vault")
            .arg(self.vault())
            .args(args)
            .current_dir(self.dir.path());
        let out = crate::common::output_within(&mut cmd, TIMEOUT);
        assert!(
            matches!(out.code, 0..=2) && !out.stderr.contains("panicked"),
            "netvault {args:?} crashed:\n{out}"
        );
        out
    }

    /// Every path under `outside/` with its bytes, permissions and modification time.
    fn outside_snapshot(&self) -> BTreeMap<String, String> {
        snapshot(&self.outside())
    }

    fn paths(&self, query: &str) -> Vec<String> {
        let out = self.run(&["search", query, "--format", "paths", "--limit", "10000"]);
        assert_eq!(out.code, 0, "{out}");
        let mut paths: Vec<String> = out.stdout.lines().map(str::to_string).collect();
        paths.sort();
        paths
    }
}

/// Every file and folder under `root` (links listed as links, never followed).
fn snapshot(root: &Path) -> BTreeMap<String, String> {
    use std::os::unix::fs::MetadataExt as _;
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).follow_links(false) {
        let entry = entry.unwrap();
        let meta = entry.path().symlink_metadata().unwrap();
        let rel = entry.path().strip_prefix(root).unwrap().display().to_string();
        let what = if meta.file_type().is_symlink() {
            format!("link {}", std::fs::read_link(entry.path()).unwrap().display())
        } else if meta.is_dir() {
            format!("dir {:o}", meta.mode())
        } else {
            format!(
                "file {:o} {} {:?}",
                meta.mode(),
                meta.mtime_nsec(),
                std::fs::read(entry.path()).unwrap()
            )
        };
        out.insert(rel, what);
    }
    out
}

fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("create a symlink");
}

/// Finding 1: `.netvault/index` (or `.netvault`) as a link is refused with a clear error by
/// every command that would use it; nothing outside the vault, nor the vault's own files,
/// disappears.
#[test]
fn an_index_or_meta_folder_that_is_a_link_is_refused_never_followed_or_deleted() {
    for (link, target) in [
        (".netvault/index", "../.."),
        (".netvault/index", "../../outside"),
        (".netvault", "../outside"),
    ] {
        let s = Scratch::new();
        std::fs::create_dir_all(s.vault().join(".netvault")).unwrap();
        if link == ".netvault" {
            std::fs::remove_dir(s.vault().join(".netvault")).unwrap();
        }
        symlink(target, s.vault().join(link));
        let before_outside = s.outside_snapshot();
        let before_vault = snapshot(&s.vault());
        for args in [
            &["search", "jane"][..],
            &["show", "Jane Doe"],
            &["report"],
            &["index"],
            &["index", "--rebuild"],
            &["who-knows", "library"],
            &["log", "Jane Doe", "coffee"],
            &["validate"],
        ] {
            if link == ".netvault/index" && args[0] == "validate" {
                // validate reads no index: it works, and leaves the link alone.
                assert_eq!(s.run(args).code, 0);
                continue;
            }
            let out = s.run(args);
            assert_eq!(out.code, 2, "{link} -> {target}: {args:?} must refuse:\n{out}");
            assert!(
                out.stderr.contains("is a symbolic link") && out.stderr.contains("remove the link"),
                "{args:?}: the error names the link and what to do:\n{out}"
            );
        }
        assert_eq!(
            s.outside_snapshot(),
            before_outside,
            "{link} -> {target}: outside changed"
        );
        assert_eq!(
            snapshot(&s.vault()),
            before_vault,
            "{link} -> {target}: the vault changed"
        );
    }
}

/// Finding 2: a link planted at the temporary file name a write used to use is never written
/// through, and the contact file stays a regular file.
#[test]
fn a_link_at_a_temporary_file_name_is_never_written_through() {
    let s = Scratch::new();
    let victim = s.outside().join("victim.txt");
    for name in [
        ".Jane Doe.md.netvault-tmp",
        ".Walter Pruitt.md.netvault-tmp",
        ".Ann Lee.md.netvault-tmp",
    ] {
        symlink(&victim, s.vault().join("people").join(name));
    }
    std::fs::create_dir_all(s.vault().join(".netvault")).unwrap();
    std::fs::write(s.vault().join(".netvault/config.toml"), "new_contacts = \"people\"\n").unwrap();
    let before = s.outside_snapshot();
    let out = s.run(&["log", "Jane Doe", "coffee at the library"]);
    assert_eq!(out.code, 0, "{out}");
    let out = s.run(&["snooze", "Walter Pruitt", "1w"]);
    assert_eq!(out.code, 0, "{out}");
    let out = s.run(&["add", "Ann Lee"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(s.outside_snapshot(), before, "a file outside the vault changed");
    for name in ["Jane Doe", "Walter Pruitt", "Ann Lee"] {
        let path = s.vault().join(format!("people/{name}.md"));
        let meta = path.symlink_metadata().unwrap();
        assert!(meta.is_file(), "{name}'s file is a regular file, not a link");
    }
    let jane = std::fs::read_to_string(s.vault().join("people/Jane Doe.md")).unwrap();
    assert!(jane.contains("- 2026-11-27: coffee at the library"), "{jane}");
}

/// A contact file or folder that is a link out of the vault is neither served nor written.
#[test]
fn links_out_of_the_vault_are_not_read_and_not_written() {
    let s = Scratch::new();
    symlink(
        s.outside().join("deep/er/notes.md"),
        s.vault().join("people/Outsider Person.md"),
    );
    symlink(s.outside().join("deep"), s.vault().join("people/ext"));
    let before = s.outside_snapshot();
    assert!(s.paths("zebra").is_empty(), "the outside contact is not searchable");
    let out = s.run(&["log", "Outsider Person", "hello"]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(s.outside_snapshot(), before);
}

/// Finding 10: `new_contacts` leading out through a link creates nothing outside, for `add`
/// and for `import`.
#[test]
fn new_contacts_through_a_link_creates_no_folder_outside() {
    let s = Scratch::new();
    symlink(s.outside(), s.vault().join("ext"));
    std::fs::create_dir_all(s.vault().join(".netvault")).unwrap();
    std::fs::write(
        s.vault().join(".netvault/config.toml"),
        "new_contacts = \"ext/made/here\"\n",
    )
    .unwrap();
    let csv = s.dir.path().join("Connections.csv");
    std::fs::write(
        &csv,
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nAmy,Zhang,https://www.linkedin.com/in/amyz,,Acme,Archivist,15 Mar 2021\n",
    )
    .unwrap();
    let before = s.outside_snapshot();
    let out = s.run(&["add", "Ann Lee"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("leads outside the vault"), "{out}");
    let out = s.run(&["import", "linkedin", csv.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(s.outside_snapshot(), before, "nothing is created outside the vault");
    assert!(!s.outside().join("made").exists());
}

/// The watcher's lock and `.netvault/.gitignore` are never opened for writing through a link.
#[test]
fn links_at_netvaults_own_file_names_are_never_written_through() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.vault().join(".netvault")).unwrap();
    symlink(s.outside().join("victim.txt"), s.vault().join(".netvault/watch.lock"));
    symlink(s.outside().join("victim.txt"), s.vault().join(".netvault/.gitignore"));
    let before = s.outside_snapshot();
    assert_eq!(s.paths("jane"), ["people/Jane Doe.md"]);
    let out = s.run(&["watch"]);
    assert_eq!(out.code, 2, "the watcher refuses a linked lock file:\n{out}");
    assert!(out.stderr.contains("is a symbolic link"), "{out}");
    assert_eq!(s.outside_snapshot(), before);
}

/// The index folder's files, by name.
fn index_files(s: &Scratch) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(s.vault().join(".netvault/index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn many_contacts(s: &Scratch, n: usize) {
    for i in 0..n {
        s.contact(
            &format!("Person {i:03}"),
            &format!("archives word{} met at the fair", i % 7),
        );
    }
}

/// What the queries answer, as a comparable value.
fn answers(s: &Scratch) -> Vec<Vec<String>> {
    ["archives", "word3", "name:person", "person -word1", "last:<2026-01-01"]
        .iter()
        .map(|q| s.paths(q))
        .collect()
}

/// Finding 4: a truncated segment file, or random bytes written into any index file, is
/// healed by a rebuild with a note: exit 0, no panic, the same answers as a fresh index, and
/// `index --rebuild` works too.
#[test]
fn a_damaged_index_is_rebuilt_and_answers_as_a_fresh_one() {
    let s = Scratch::new();
    many_contacts(&s, 60);
    let fresh = answers(&s);
    assert_eq!(fresh[0].len(), 60, "the baseline finds everyone");

    // Truncated: the footer is gone.
    for ext in ["term", "idx", "store", "fast"] {
        let victim = index_files(&s)
            .into_iter()
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&victim)
            .unwrap()
            .set_len(10)
            .unwrap();
        let out = s.run(&["search", "archives", "--format", "paths", "--limit", "1000"]);
        assert_eq!(out.code, 0, "{ext}: {out}");
        assert!(
            out.stderr.contains("rebuilding it from the files"),
            "{ext}: a note says so:\n{out}"
        );
        assert_eq!(answers(&s), fresh, "{ext}: after truncation");
    }
    let victim = index_files(&s)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "term"))
        .unwrap();
    std::fs::write(&victim, b"garbage").unwrap();
    let out = s.run(&["index", "--rebuild"]);
    assert_eq!(out.code, 0, "index --rebuild heals too:\n{out}");
    assert_eq!(answers(&s), fresh);

    // Random bytes at random places of random files (the property of issue 11).
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..24 {
        let files: Vec<PathBuf> = index_files(&s)
            .into_iter()
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                !name.starts_with('.') && name != "netvault.lock"
            })
            .collect();
        let victim = &files[rng.below(files.len())];
        let mut bytes = std::fs::read(victim).unwrap();
        if bytes.is_empty() {
            continue;
        }
        for _ in 0..=rng.below(8) {
            let at = rng.below(bytes.len());
            bytes[at] = u8::try_from(rng.next() & 0xff).unwrap();
        }
        std::fs::write(victim, &bytes).unwrap();
        assert_eq!(
            answers(&s),
            fresh,
            "round {round}: after damaging {}",
            victim.file_name().unwrap().to_string_lossy()
        );
        let out = s.run(&["report", "--format", "json"]);
        assert_eq!(out.code, 0, "round {round}: {out}");
    }
}

/// Finding 5: `kill -9` during `log` (whose sync commits to the index) never wedges the index,
/// and leftovers of killed commits do not pile up.
#[test]
fn sigkill_during_log_never_wedges_the_index() {
    let s = Scratch::new();
    many_contacts(&s, 30);
    let fresh = answers(&s);
    for i in 0..120u64 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_netvault"))
            .env_clear()
            .args(["--color", "never", "--today", TODAY, "--vault"])
            .arg(s.vault())
            .args(["log", "Person 001", &format!("message {i}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kills over the whole run: before, during and after the index commit.
        std::thread::sleep(Duration::from_millis((i * 7) % 60));
        let _ = child.kill();
        child.wait().unwrap();
    }
    let out = s.run(&["search", "archives"]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(answers(&s), fresh);
    let out = s.run(&["index", "--rebuild"]);
    assert_eq!(out.code, 0, "{out}");
    // Make one more change so that a writer runs and collects what killed runs left.
    s.contact("Person 002", "archives word2 met at the fair, again");
    assert_eq!(answers(&s), fresh);
    let count = index_files(&s).len();
    assert!(count < 60, "the index folder holds {count} files for 30 contacts");
}

/// Finding 11: two processes building the index at once never add a document twice.
#[test]
fn processes_building_the_index_at_once_never_duplicate_documents() {
    let s = Scratch::new();
    many_contacts(&s, 400);
    let spawn = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_netvault"))
            .env_clear()
            .args(["--color", "never", "--today", TODAY, "--vault"])
            .arg(s.vault())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    for round in 0..3 {
        let _ = std::fs::remove_dir_all(s.vault().join(".netvault/index"));
        let children: Vec<_> = (0..4)
            .map(|i| {
                if i % 2 == 0 {
                    spawn(&["search", "archives", "--format", "json", "--limit", "1"])
                } else {
                    spawn(&["index"])
                }
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.code().is_some_and(|c| c == 0), "round {round}");
            let stdout = String::from_utf8_lossy(&out.stdout);
            if let Ok(json) = serde_json::from_str::<serde_json::Value>(&stdout) {
                let total = json["total"].as_u64().unwrap();
                assert!(total <= 402, "round {round}: {total} hits for 402 contacts");
            }
        }
        let out = s.run(&["search", "name:person", "--format", "json", "--limit", "1"]);
        assert_eq!(out.json()["total"], 400, "round {round}: {out}");
        let out = s.run(&["index"]);
        assert!(out.stdout.contains("402 files: 0 added"), "round {round}: {out}");
    }
}

/// `report --output`, `export --output` and `init` never write through a link a cloned vault
/// carries, and a report never replaces a contact file.
#[cfg(unix)]
#[test]
fn output_files_and_init_never_write_through_a_planted_link() {
    use std::os::unix::fs::symlink;
    let s = Scratch::new();
    let before = s.outside_snapshot();
    symlink(s.outside().join("victim.txt"), s.vault().join("followups.ics")).unwrap();
    symlink(s.outside().join("deep"), s.vault().join("exports")).unwrap();
    for args in [
        vec!["report", "--format", "ics", "--output", "vault/followups.ics"],
        vec!["export", "csv", "--output", "vault/followups.ics"],
        vec!["export", "csv", "--output", "vault/exports/contacts.csv"],
        vec!["report", "--format", "md", "--output", "vault/exports/today.md"],
    ] {
        let out = s.run(&args);
        assert_eq!(s.outside_snapshot(), before, "{args:?} wrote outside the vault: {out}");
    }
    // The link out at the output's name is refused with a reason, and stays a link.
    let out = s.run(&["report", "--format", "ics", "--output", "vault/followups.ics"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("leads out of the vault"), "{out}");
    assert!(
        std::fs::symlink_metadata(s.vault().join("followups.ics"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A contact file is never replaced by a report or an export.
    let jane = s.vault().join("people/Jane Doe.md");
    let notes = std::fs::read(&jane).unwrap();
    let out = s.run(&["report", "--format", "md", "--output", "vault/people/Jane Doe.md"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("front matter"), "{out}");
    let out = s.run(&["export", "csv", "--output", "vault/people/Jane Doe.md"]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(std::fs::read(&jane).unwrap(), notes);
    // init: a dangling link at .netvault/template.md is left alone, never followed.
    std::fs::create_dir_all(s.vault().join(".netvault")).unwrap();
    symlink(
        s.outside().join("planted-template.md"),
        s.vault().join(".netvault/template.md"),
    )
    .unwrap();
    let out = s.run(&["init"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        !s.outside().join("planted-template.md").exists(),
        "init wrote through the link"
    );
    assert_eq!(s.outside_snapshot(), before);
}
