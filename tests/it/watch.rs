//! `netvault watch` (SPEC §7), driven through the real binary: each editor's exact save
//! sequence, plain file operations, a burst, diagnostics appearing and fixed, `--report-to`,
//! the one-watcher lock, signals, the vault disappearing, and `search` trusting a live watcher.
//!
//! Every wait polls a condition against a deadline; no fixed sleep decides an assertion.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-27";
/// A hang guard for each wait, generous for a loaded 2-core machine (not a speed bound).
const DEADLINE: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(20);

fn netvault(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_netvault"));
    cmd.env_clear();
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.args(["--color", "never", "--today", TODAY, "--vault"]).arg(root);
    cmd
}

fn contact(name: &str, extra: &str, body: &str) -> String {
    format!("---\nname: {name}\n{extra}---\n{body}\n")
}

/// Poll `cond` every 20 ms until it holds or the deadline passes.
fn wait_until(what: &str, deadline: Duration, mut cond: impl FnMut() -> bool, context: impl Fn() -> String) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < deadline,
            "timed out waiting for {what}\n{}",
            context()
        );
        std::thread::sleep(POLL);
    }
}

/// A running `netvault watch` with its output collected by reader threads.
struct Watcher {
    child: Child,
    out: Arc<Mutex<String>>,
    err: Arc<Mutex<String>>,
    root: PathBuf,
}

fn collect(mut stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let buffer = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&buffer);
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = stream.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    });
    buffer
}

impl Watcher {
    fn start(root: &Path, extra: &[&str]) -> Self {
        let mut child = netvault(root)
            // Phase timings (the comparisons after a burst) go to stderr, for failure reports.
            .env("NETVAULT_TIMING", "1")
            .arg("watch")
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("netvault watch starts");
        let out = collect(child.stdout.take().unwrap());
        let err = collect(child.stderr.take().unwrap());
        let watcher = Self {
            child,
            out,
            err,
            root: root.to_path_buf(),
        };
        watcher.wait_for_line("watching ");
        watcher
    }

    fn stdout(&self) -> String {
        self.out.lock().unwrap().clone()
    }

    fn transcript(&self) -> String {
        format!(
            "----- stdout -----\n{}----- stderr -----\n{}",
            self.stdout(),
            self.err.lock().unwrap()
        )
    }

    /// Wait until a line of stdout starts with `prefix`.
    fn wait_for_line(&self, prefix: &str) {
        self.wait_for_lines(prefix, 1);
    }

    /// Wait until `count` lines of stdout start with `prefix`.
    fn wait_for_lines(&self, prefix: &str, count: usize) {
        wait_until(
            &format!("{count} line(s) starting with {prefix:?}"),
            DEADLINE,
            || self.stdout().lines().filter(|l| l.starts_with(prefix)).count() >= count,
            || self.transcript(),
        );
    }

    /// Wait until `search QUERY --format paths` prints exactly `expected`.
    fn wait_for_search(&self, query: &str, expected: &[&str]) {
        let mut last = Vec::new();
        wait_until(
            &format!("search {query:?} to find {expected:?}"),
            DEADLINE,
            || {
                last = search(&self.root, query);
                last == expected
            },
            || self.transcript(),
        );
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Wait for the process to exit; its exit code.
    fn wait_exit(&mut self) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the watcher did not exit\n{}",
                self.transcript()
            );
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The paths `search QUERY --format paths` prints, sorted.
fn search(root: &Path, query: &str) -> Vec<String> {
    let out = netvault(root)
        .args(["search", query, "--format", "paths", "--limit", "100000"])
        .output()
        .expect("search runs");
    let mut paths: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    paths.sort();
    paths
}

/// A vault with one contact, `people/x.md`, mentioning "original".
fn vault() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    std::fs::create_dir_all(root.join("people")).unwrap();
    std::fs::write(root.join("people/x.md"), contact("Xavier Ode", "", "original notes")).unwrap();
    (dir, root)
}

fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).unwrap();
}

/// No line of the watcher's output names any of `names`.
fn never_mentioned(w: &Watcher, names: &[&str]) {
    let out = w.stdout();
    for name in names {
        assert!(
            !out.contains(name),
            "{name:?} appears in the output\n{}",
            w.transcript()
        );
    }
}

#[test]
fn plain_create_modify_rename_delete() {
    let (_dir, root) = vault();
    let w = Watcher::start(&root, &[]);
    write(&root, "people/a.md", &contact("Ada Lovelace", "", "engines"));
    w.wait_for_line("added people/a.md");
    w.wait_for_search("engines", &["people/a.md"]);

    write(&root, "people/a.md", &contact("Ada Lovelace", "", "looms"));
    w.wait_for_line("updated people/a.md");
    w.wait_for_search("looms", &["people/a.md"]);

    std::fs::rename(root.join("people/a.md"), root.join("people/b.md")).unwrap();
    w.wait_for_line("renamed people/a.md → people/b.md");
    w.wait_for_search("looms", &["people/b.md"]);

    std::fs::remove_file(root.join("people/b.md")).unwrap();
    w.wait_for_line("removed people/b.md");
    w.wait_for_search("looms", &[]);
}

#[test]
fn vim_save_sequence() {
    let (_dir, root) = vault();
    let w = Watcher::start(&root, &[]);
    // The swap file while editing, vim's `4913` write probe, then `backupcopy=no`: rename the
    // file to a backup, write a new file, delete the backup.
    write(&root, "people/.x.md.swp", "swap");
    write(&root, "people/4913", "");
    std::fs::remove_file(root.join("people/4913")).unwrap();
    std::fs::rename(root.join("people/x.md"), root.join("people/x.md~")).unwrap();
    write(&root, "people/x.md", &contact("Xavier Ode", "", "vimmed notes"));
    std::fs::remove_file(root.join("people/x.md~")).unwrap();
    std::fs::remove_file(root.join("people/.x.md.swp")).unwrap();
    w.wait_for_line("updated people/x.md");
    w.wait_for_search("vimmed", &["people/x.md"]);
    w.wait_for_search("original", &[]);
    never_mentioned(&w, &["4913", ".swp", "x.md~", "removed"]);
}

#[test]
fn vscode_truncates_then_writes() {
    let (_dir, root) = vault();
    let w = Watcher::start(&root, &[]);
    // Truncated to 0 bytes: a present file, upserted without front matter, never removed.
    std::fs::File::create(root.join("people/x.md")).unwrap();
    w.wait_for_line("updated people/x.md");
    w.wait_for_search("original", &[]);
    write(&root, "people/x.md", &contact("Xavier Ode", "", "codium notes"));
    w.wait_for_lines("updated people/x.md", 2);
    w.wait_for_search("codium", &["people/x.md"]);
    never_mentioned(&w, &["removed"]);
}

#[test]
fn jetbrains_safe_write() {
    let (_dir, root) = vault();
    let w = Watcher::start(&root, &[]);
    write(
        &root,
        "people/x.md___jb_tmp___",
        &contact("Xavier Ode", "", "intellij notes"),
    );
    std::fs::rename(root.join("people/x.md"), root.join("people/x.md___jb_old___")).unwrap();
    std::fs::rename(root.join("people/x.md___jb_tmp___"), root.join("people/x.md")).unwrap();
    std::fs::remove_file(root.join("people/x.md___jb_old___")).unwrap();
    w.wait_for_line("updated people/x.md");
    w.wait_for_search("intellij", &["people/x.md"]);
    never_mentioned(&w, &["___jb_", "removed"]);
}

#[test]
fn emacs_lock_link_and_autosave() {
    let (_dir, root) = vault();
    let w = Watcher::start(&root, &[]);
    // The lock is a symlink to nowhere; the auto-save file is `#name#`.
    std::os::unix::fs::symlink("user@host.1234:1700000000", root.join("people/.#x.md")).unwrap();
    write(&root, "people/#x.md#", &contact("Xavier Ode", "", "autosaved"));
    write(&root, "people/x.md", &contact("Xavier Ode", "", "emacsed notes"));
    std::fs::remove_file(root.join("people/#x.md#")).unwrap();
    std::fs::remove_file(root.join("people/.#x.md")).unwrap();
    w.wait_for_line("updated people/x.md");
    w.wait_for_search("emacsed", &["people/x.md"]);
    never_mentioned(&w, &["#x.md", "removed"]);
}

#[test]
fn burst_of_500_files_is_indexed() {
    let (_dir, root) = vault();
    let w = Watcher::start(&root, &[]);
    std::fs::create_dir_all(root.join("people/burst")).unwrap();
    for i in 0..500 {
        write(
            &root,
            &format!("people/burst/p{i:03}.md"),
            &contact(&format!("Person {i}"), "", "burstword"),
        );
    }
    wait_until(
        "500 files searchable",
        // A hang guard, not a benchmark (bench/ measures save → searchable).
        Duration::from_secs(60),
        || search(&root, "burstword").len() == 500,
        || w.transcript(),
    );
}

#[test]
fn bad_date_is_reported_then_fixed() {
    let (_dir, root) = vault();
    let w = Watcher::start(&root, &[]);
    write(&root, "people/d.md", &contact("Dee", "met: 2026-13-45\n", "dates"));
    w.wait_for_line("  people/d.md:3:6: error[bad-date]");
    write(&root, "people/d.md", &contact("Dee", "met: 2026-01-05\n", "dates"));
    w.wait_for_line("  fixed: people/d.md:3 bad-date");
}

#[test]
fn report_to_is_written_and_never_read_as_a_contact() {
    let (_dir, root) = vault();
    let report = root.join("Followups.md");
    let w = Watcher::start(&root, &["--report-to", report.to_str().unwrap()]);
    wait_until(
        "the report",
        DEADLINE,
        || std::fs::read_to_string(&report).is_ok_and(|t| t.starts_with("# Follow-ups for 2026-11-27")),
        || w.transcript(),
    );
    write(
        &root,
        "people/Duane Soon.md",
        &contact("Duane Soon", "follow_up: 2026-11-28\n", "soon"),
    );
    w.wait_for_line("added people/Duane Soon.md");
    wait_until(
        "the report to link Duane",
        DEADLINE,
        || std::fs::read_to_string(&report).is_ok_and(|t| t.contains("[[Duane Soon]]")),
        || w.transcript(),
    );
    // A later change is a sync point: by then any reaction to the report's own write would
    // have been printed.
    write(&root, "people/later.md", &contact("Later Person", "", "later"));
    w.wait_for_line("added people/later.md");
    w.wait_for_search("later", &["people/later.md"]);
    never_mentioned(&w, &["Followups.md"]);
    assert_eq!(search(&root, "path:Followups"), Vec::<String>::new());
}

#[test]
fn second_watcher_is_refused_and_stale_lock_taken_over() {
    let (_dir, root) = vault();
    // A lock file left by a dead process holds no OS lock.
    std::fs::create_dir_all(root.join(".netvault")).unwrap();
    std::fs::write(root.join(".netvault/watch.lock"), "999999\n").unwrap();
    let w = Watcher::start(&root, &[]);
    let out = netvault(&root).arg("watch").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("pid {}", w.child.id())), "{stderr}");
}

#[test]
fn sigterm_and_sigint_commit_and_exit_0() {
    for signal in ["TERM", "INT"] {
        let (_dir, root) = vault();
        let mut w = Watcher::start(&root, &[]);
        write(&root, "people/s.md", &contact("Sig Nal", "", "signalled"));
        w.wait_for_line("added people/s.md");
        w.signal(signal);
        assert_eq!(w.wait_exit(), 0, "SIG{signal}\n{}", w.transcript());
        assert_eq!(search(&root, "signalled"), ["people/s.md"]);
    }
}

#[test]
fn vault_folder_deleted_exits_2() {
    let (_dir, root) = vault();
    let mut w = Watcher::start(&root, &[]);
    std::fs::remove_dir_all(&root).unwrap();
    assert_eq!(w.wait_exit(), 2, "{}", w.transcript());
    assert!(w.err.lock().unwrap().contains("disappeared"), "{}", w.transcript());
}

#[test]
fn commands_trust_a_live_watcher() {
    let (_dir, root) = vault();
    let w = Watcher::start(&root, &[]);
    write(
        &root,
        "people/n.md",
        &contact("Nova Newman", "follow_up: 2026-11-28\n", "freshword"),
    );
    w.wait_for_line("added people/n.md");
    let out = netvault(&root)
        .env("NETVAULT_TIMING", "1")
        .args(["search", "freshword", "--format", "paths"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "people/n.md\n", "{stderr}");
    assert!(!stderr.contains("timing: walk"), "{stderr}");
    // show and report work from the index's file list.
    let show = netvault(&root).args(["show", "Nova Newman"]).output().unwrap();
    assert_eq!(show.status.code(), Some(0), "{}", String::from_utf8_lossy(&show.stderr));
    let report = netvault(&root).args(["report"]).output().unwrap();
    assert_eq!(
        report.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    assert!(String::from_utf8_lossy(&report.stdout).contains("Nova Newman"));
}

/// Issue 11, finding 3: links created while the watcher runs — a folder link and a file link
/// leading out of the vault — are never indexed, and so never served or written; a link that
/// stays inside the vault is.
#[test]
fn links_out_of_the_vault_created_while_watching_are_not_followed() {
    let (_dir, root) = vault();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("ext")).unwrap();
    let outsider = contact("Outsider Person", "", "zebraword");
    std::fs::write(outside.path().join("ext/o.md"), &outsider).unwrap();
    std::fs::write(outside.path().join("pw.md"), &outsider).unwrap();
    let w = Watcher::start(&root, &[]);
    std::os::unix::fs::symlink(outside.path().join("ext"), root.join("people/extdir")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("pw.md"), root.join("people/pw.md")).unwrap();
    std::os::unix::fs::symlink("x.md", root.join("people/alias.md")).unwrap();
    w.wait_for_line("added people/alias.md");
    write(&root, "people/m.md", &contact("Marker Person", "", "markerword"));
    w.wait_for_search("markerword", &["people/m.md"]);
    assert!(search(&root, "zebraword").is_empty(), "{}", w.transcript());
    never_mentioned(&w, &["pw.md", "extdir"]);
    let log = netvault(&root)
        .args(["log", "Outsider Person", "hello"])
        .output()
        .unwrap();
    assert_eq!(log.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(outside.path().join("pw.md")).unwrap(), outsider);
    assert_eq!(
        std::fs::read_to_string(outside.path().join("ext/o.md")).unwrap(),
        outsider
    );
}

/// Issue 11, finding 6: `rm -rf .netvault/index` under a live watcher: the next search still
/// answers (it builds the index itself), and the watcher takes the new index up and keeps it
/// fresh.
#[test]
fn an_index_deleted_under_the_watcher_is_rebuilt() {
    let (_dir, root) = vault();
    std::fs::create_dir_all(root.join(".netvault")).unwrap();
    let w = Watcher::start(&root, &[]);
    std::fs::remove_dir_all(root.join(".netvault/index")).unwrap();
    assert_eq!(search(&root, "original"), ["people/x.md"], "{}", w.transcript());
    w.wait_for_line("the index was deleted; rebuilt it");
    write(&root, "people/n.md", &contact("Nova Newman", "", "freshword"));
    w.wait_for_search("freshword", &["people/n.md"]);
    // And when the watcher is the first to notice.
    std::fs::remove_dir_all(root.join(".netvault/index")).unwrap();
    w.wait_for_lines("the index was deleted; rebuilt it", 2);
    write(&root, "people/o.md", &contact("Olga Orr", "", "otherword"));
    w.wait_for_search("otherword", &["people/o.md"]);
    assert_eq!(search(&root, "freshword"), ["people/n.md"]);
}

/// Issue 11, finding 6: rapid `git checkout`s between branches that differ in many files leave
/// no deleted file in the index once events settle.
#[test]
fn rapid_checkouts_leave_no_ghosts() {
    let (_dir, root) = vault();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.invalid",
                "-c",
                "init.defaultBranch=a",
            ])
            .args(args)
            .current_dir(&root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    for i in 0..300 {
        write(
            &root,
            &format!("people/p{i:03}.md"),
            &contact(&format!("P {i}"), "", "commonword"),
        );
    }
    git(&["add", "-A"]);
    git(&["commit", "-qm", "a"]);
    git(&["checkout", "-qb", "b"]);
    for i in 0..80 {
        std::fs::remove_file(root.join(format!("people/p{i:03}.md"))).unwrap();
        write(
            &root,
            &format!("people/q{i:03}.md"),
            &contact(&format!("Q {i}"), "", "commonword"),
        );
    }
    git(&["add", "-A"]);
    git(&["commit", "-qm", "b"]);
    let w = Watcher::start(&root, &[]);
    for round in 0..9 {
        git(&["checkout", "-q", if round % 2 == 0 { "a" } else { "b" }]);
    }
    // On branch a now: p000..p299, no q.
    let mut expected: Vec<String> = (0..300).map(|i| format!("people/p{i:03}.md")).collect();
    expected.sort();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    // A hang guard, generous for a loaded machine: settling takes a second, then one more
    // comparison for each that still found something.
    let last = std::cell::RefCell::new(Vec::new());
    wait_until(
        "the index to match branch a",
        Duration::from_secs(60),
        || {
            *last.borrow_mut() = search(&root, "commonword");
            *last.borrow() == expected
        },
        || {
            let last = last.borrow();
            let extra: Vec<&String> = last.iter().filter(|p| !expected.contains(&p.as_str())).collect();
            let missing: Vec<&&str> = expected.iter().filter(|p| !last.iter().any(|l| l == **p)).collect();
            let on_disk = std::fs::read_dir(root.join("people")).unwrap().count();
            format!(
                "found {} (extra {extra:?}, missing {missing:?}); {on_disk} files on disk\n{}",
                last.len(),
                w.transcript()
            )
        },
    );
    // And it stays so once the watcher has compared the vault with its index.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(search(&root, "commonword"), expected, "{}", w.transcript());
}

/// `watch --exit-when-idle`: with no change in the vault for that long, the watcher stops by
/// itself (exit 0) and releases its lock; a change in between puts the stop off.
#[test]
fn exit_when_idle_stops_a_quiet_watcher() {
    let (_dir, root) = vault();
    let mut w = Watcher::start(&root, &["--exit-when-idle", "3s"]);
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(1500));
    write(&root, "people/n.md", &contact("Nova Newman", "", "freshword"));
    w.wait_for_line("added people/n.md");
    assert_eq!(w.wait_exit(), 0, "{}", w.transcript());
    assert!(
        started.elapsed() >= Duration::from_millis(4400),
        "the change 1.5 s in put the stop off to 3 s after it: {:?}\n{}",
        started.elapsed(),
        w.transcript()
    );
    assert!(w.stdout().contains("no change in 3s; stopping"), "{}", w.transcript());
    // The lock is free: another watcher can start.
    let mut again = Watcher::start(&root, &["--exit-when-idle", "1s"]);
    assert_eq!(again.wait_exit(), 0, "{}", again.transcript());
    let bad = netvault(&root)
        .args(["watch", "--exit-when-idle", "soon"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("90s, 30m or 2h"));
}

/// Sends SIGTERM to a process id when dropped.
struct KillOnDrop(String);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(&self.0).status();
    }
}

/// `[watch] background = true`: the first command starts a detached watcher; the next ones
/// trust its index (no walk) and see changes it indexed.
#[test]
fn background_watch_is_started_by_a_command_and_trusted_by_the_next() {
    let (_dir, root) = vault();
    std::fs::create_dir_all(root.join(".netvault")).unwrap();
    write(
        &root,
        ".netvault/config.toml",
        "[watch]\nbackground = true\nidle_minutes = 1\n",
    );
    assert_eq!(search(&root, "original"), ["people/x.md"]);
    let lock = root.join(".netvault/watch.lock");
    let live = || {
        std::fs::File::open(&lock).is_ok_and(|f| matches!(f.try_lock_shared(), Err(std::fs::TryLockError::WouldBlock)))
    };
    wait_until("the background watcher to take its lock", DEADLINE, live, String::new);
    let pid = std::fs::read_to_string(&lock).unwrap().trim().to_string();
    // Whatever happens below, the watcher goes when the test ends.
    let _kill = KillOnDrop(pid.clone());
    write(&root, "people/n.md", &contact("Nova Newman", "", "freshword"));
    wait_until(
        "the background watcher to index a new file",
        DEADLINE,
        || search(&root, "freshword") == ["people/n.md"],
        String::new,
    );
    let out = netvault(&root)
        .env("NETVAULT_TIMING", "1")
        .args(["search", "freshword", "--format", "paths"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("timing: walk"),
        "the command trusted the watcher: {stderr}"
    );
    // One watcher only: a command run while it lives starts no second one.
    assert_eq!(std::fs::read_to_string(&lock).unwrap().trim(), pid);
}
