//! `netvault watch [--report-to FILE]`: sync once, then keep the index up to date as files
//! change (SPEC §7), printing one line per change with the file's new and fixed diagnostics,
//! and rewriting the follow-up report when asked. The engine is [`crate::watch`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::cli::WatchArgs;
use crate::error::Outcome;
use crate::error::{Error, Result};
use crate::index::{Index, Updater};
use crate::output::emit;
use crate::report::{export, followups};
use crate::vault::{self, Selector};
use crate::watch::{self, Batch, Change, ChangeKind, Message, State, WatchLock};

use super::Context;

/// The follow-up report's look-ahead, in days (as `report --within 7d`).
const REPORT_WINDOW_DAYS: i64 = 7;

/// This many paths in batches since the last comparison make a burst (a checkout, a pull):
/// once events settle, the whole vault is compared with the index.
const BURST: usize = 20;

/// How many comparisons that find nothing end the checks after a burst.
const QUIET_CHECKS: u32 = 5;

/// How often an idle watcher compares the vault with its index anyway.
const IDLE_CHECK: Duration = Duration::from_secs(300);

/// How long after a burst's last batch the comparison waits.
const SETTLE: Duration = Duration::from_secs(1);

/// How often the loop wakes without events: to notice the vault folder vanishing and midnight.
const TICK: Duration = Duration::from_millis(250);

pub fn run(ctx: &Context, args: &WatchArgs) -> Result<Outcome> {
    let vault = ctx.vault()?;
    // Events name real paths: the watcher works in the root with its links resolved.
    let root = vault.boundary.real_root().to_path_buf();
    let config = vault.config.clone();
    let selector = Selector::new(&config)?;
    let _lock = WatchLock::acquire(&root)?;
    let mut report = args
        .report_to
        .as_deref()
        .map(|p| Report::new(&ctx.cwd.join(p), &root))
        .transpose()?;
    let report_rel = report.as_ref().and_then(|r| r.rel.clone());

    // Watch before the first sync, so that nothing saved during it is missed.
    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    })
    .map_err(|e| Error::Watch(format!("cannot handle Ctrl-C and SIGTERM: {e}")))?;
    let _watch = watch::start(&root, tx)?;

    let walk = ctx.timed("walk", || State::walk(&root, &selector, report_rel.as_deref()));
    let dir = ctx.index_dir(&root)?;
    let mut index = Index::open(&dir, &config, false)?;
    ctx.timed("sync", || index.sync(&walk, &config))?;
    for note in &index.notes {
        ctx.note(note);
    }
    let Some(updater) = index.updater()? else {
        return Err(Error::Usage(
            "another netvault process holds the index; try again when it finishes".into(),
        ));
    };
    let state = ctx.timed("diagnostics", || {
        State::new(vault.boundary.clone(), config, report_rel, &index, &walk, ctx.today)
    })?;
    drop(walk);
    if let Some(report) = &mut report {
        report.refresh(&index, &state)?;
    }
    say(&format!(
        "watching {} ({} files, {} with problems; Ctrl-C stops)",
        root.display(),
        state.files(),
        state.files_with_problems()
    ))?;
    let mut session = Session {
        selector,
        dir,
        reconcile_at: Some(Instant::now() + IDLE_CHECK),
        unreconciled: 0,
        quiet_checks: 0,
        root,
        index,
        updater: Some(updater),
        state,
        report,
        exit_when_idle: args.exit_when_idle,
        last_change: Instant::now(),
    };
    match session.run(ctx, &rx) {
        Ok(()) => {}
        Err(_) if !session.root.is_dir() => return Err(Error::VaultGone(session.root)),
        Err(e) => return Err(e),
    }
    session.close()?;
    Ok(Outcome::Success)
}

/// A running watcher: the index with its long-lived writer, the watcher's memory of the
/// vault, and the report to keep.
struct Session {
    root: PathBuf,
    selector: Selector,
    /// The index folder, to recreate the index when it is deleted under the watcher.
    dir: PathBuf,
    /// When to check the whole vault against the index after a burst of events.
    reconcile_at: Option<Instant>,
    /// Paths seen in batches since the vault was last compared with the index.
    unreconciled: usize,
    /// Comparisons in a row that found nothing since the last burst.
    quiet_checks: u32,
    index: Index,
    updater: Option<Updater>,
    state: State,
    report: Option<Report>,
    /// `--exit-when-idle`: stop after this long without a change in the vault.
    exit_when_idle: Option<Duration>,
    /// When a file of the vault last changed (or the watcher started).
    last_change: Instant,
}

impl Session {
    /// Apply batches until SIGINT/SIGTERM; an error when the vault vanishes.
    fn run(&mut self, ctx: &Context, rx: &mpsc::Receiver<Message>) -> Result<()> {
        loop {
            let batch = match rx.recv_timeout(TICK) {
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return Ok(()),
                Ok(Message::TooManyWatches) => return Err(Error::WatchLimit),
                Ok(Message::Errors(errors)) => {
                    for e in errors {
                        ctx.note(&format!("the watcher reported: {e}; rescanning the vault"));
                    }
                    Some(Batch {
                        rescan: true,
                        ..Batch::default()
                    })
                }
                Ok(Message::Batch(batch)) => Some(batch),
                Err(RecvTimeoutError::Timeout) => None,
            };
            if !self.root.is_dir() {
                return Err(Error::VaultGone(self.root.clone()));
            }
            if let Some(idle) = self.exit_when_idle
                && batch.is_none()
                && self.last_change.elapsed() >= idle
            {
                say(&format!(
                    "no change in {}; stopping (--exit-when-idle)",
                    humantime(idle)
                ))?;
                return Ok(());
            }
            if !self.index.in_place() {
                self.recreate_settled(ctx)?;
            }
            // Events only inside hidden folders (`.git`, and `.netvault`, where every command's
            // index lock and checks make some) are no sign of a burst going on.
            let quiet = batch
                .as_ref()
                .is_none_or(|b| !b.rescan && b.paths.iter().all(|p| self.hidden(p)));
            if quiet && self.reconcile_at.is_some_and(|at| Instant::now() >= at) {
                // A burst (a `git checkout`, a pull) has settled: compare the whole vault with
                // the index, so that no event lost or folded away leaves a ghost behind (the
                // debouncer drops a file created and deleted within one window, even when an
                // earlier window reported it created). The burst may still be going on (a slow
                // checkout on a busy machine, whose last deletions raise no event at all), so
                // the comparison is repeated while it finds changes, and then five more times,
                // 1, 2, 4, 8 and 16 s apart, before the watcher trusts its events again. And
                // every few minutes anyway: a lost event never lasts.
                let changed = ctx.timed("reconcile", || {
                    self.apply(
                        ctx,
                        &Batch {
                            rescan: true,
                            ..Batch::default()
                        },
                        false,
                    )
                })?;
                if changed > 0 {
                    self.quiet_checks = 0;
                } else {
                    self.quiet_checks += 1;
                }
                self.reconcile_at = Some(if self.quiet_checks <= QUIET_CHECKS {
                    Instant::now() + SETTLE * (1 << self.quiet_checks.saturating_sub(1))
                } else {
                    Instant::now() + IDLE_CHECK
                });
                self.unreconciled = 0;
            }
            if let Some(mut batch) = batch {
                // Fold in whatever else is queued: one commit for a burst.
                let mut stopping = false;
                while let Ok(message) = rx.try_recv() {
                    match message {
                        Message::Batch(more) => batch.merge(more),
                        Message::Errors(_) => batch.rescan = true,
                        Message::TooManyWatches => return Err(Error::WatchLimit),
                        Message::Stop => stopping = true,
                    }
                }
                // A burst may arrive as many small batches (a slow checkout on a busy machine):
                // the paths since the last comparison are counted together.
                // Only a batch with paths of the vault's own moves the comparison later: the
                // events in `.netvault` that every command's index checks make must not.
                let seen = batch.paths.iter().filter(|p| !self.hidden(p)).count();
                if seen > 0 {
                    self.last_change = Instant::now();
                }
                self.unreconciled += seen;
                if seen > 0 && self.unreconciled >= BURST {
                    self.reconcile_at = Some(Instant::now() + SETTLE);
                    self.quiet_checks = 0;
                }
                self.apply(ctx, &batch, true)?;
                if stopping {
                    return Ok(());
                }
            }
            let now = ctx.today_now();
            if now != self.state.today {
                // Midnight: the report's buckets move with the date.
                self.state.today = now;
                if let Some(report) = &mut self.report {
                    report.refresh(&self.index, &self.state)?;
                }
            }
        }
    }

    /// [`Self::recreate`], once whoever is deleting the folder is done (`rm -rf` takes a
    /// moment on a large index), trying again while the folder keeps changing under it.
    fn recreate_settled(&mut self, ctx: &Context) -> Result<()> {
        let mut attempt = 0;
        loop {
            std::thread::sleep(Duration::from_millis(200));
            match self.recreate(ctx) {
                Err(_) if attempt < 5 => attempt += 1,
                other => return other,
            }
        }
    }

    /// The index folder was deleted or replaced under the watcher: open (or create) the index
    /// there again, bring it up to date with a full walk, and go on with a new writer.
    fn recreate(&mut self, ctx: &Context) -> Result<()> {
        if let Some(updater) = self.updater.take() {
            // Its folder is gone: what it had pending is rebuilt from the files below.
            let _ = self.index.close(updater);
        }
        let config = self.state.config().clone();
        let mut index = Index::open(&self.dir, &config, false)?;
        for note in &index.notes {
            ctx.note(note);
        }
        let walk = State::walk(
            &self.root,
            &self.selector,
            self.report.as_ref().and_then(|r| r.rel.as_deref()),
        );
        let stats = index.sync(&walk, &config)?;
        // Another command may be building the new index right now: wait for it (each call
        // waits a few seconds for the writer).
        let mut updater = None;
        for _ in 0..20 {
            updater = index.updater()?;
            if updater.is_some() {
                break;
            }
        }
        let Some(updater) = updater else {
            return Err(Error::Usage(
                "another netvault process held the recreated index for a minute; start `netvault watch` again when it finishes".into(),
            ));
        };
        self.index = index;
        // What another process committed while this one waited, checked once settled.
        self.reconcile_at = Some(Instant::now() + SETTLE);
        self.quiet_checks = 0;
        self.updater = Some(updater);
        self.state.reload_known(&self.index)?;
        say(&format!(
            "the index was deleted; rebuilt it ({} files)",
            stats.added + stats.unchanged + stats.updated
        ))
    }

    /// Whether `path` lies in a hidden folder of the vault (or outside it): never a contact.
    fn hidden(&self, path: &Path) -> bool {
        path.strip_prefix(&self.root).map_or(true, |rel| {
            rel.components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
    }

    /// Apply one batch; how many files changed in the index.
    fn apply(&mut self, ctx: &Context, batch: &Batch, from_events: bool) -> Result<usize> {
        let Some(updater) = self.updater.as_mut() else {
            return Ok(0);
        };
        let changes = self.state.apply(&mut self.index, updater, batch)?;
        if batch.rescan && from_events {
            ctx.note("events were lost (the kernel's queue overflowed); rescanned the vault");
        }
        say(&render(&changes))?;
        if !changes.is_empty()
            && let Some(report) = &mut self.report
        {
            report.refresh(&self.index, &self.state)?;
        }
        Ok(changes.len())
    }

    /// Commit what is pending and release the writer.
    fn close(mut self) -> Result<()> {
        let Some(updater) = self.updater.take() else {
            return Ok(());
        };
        match self.index.close(updater) {
            Err(_) if !self.root.is_dir() => Err(Error::VaultGone(self.root)),
            other => other,
        }
    }
}

/// Print to stdout, a line at a time (a closed pipe is not an error).
/// `90s`, `30m`, `2h`, as `--exit-when-idle` takes them.
fn humantime(d: Duration) -> String {
    match d.as_secs() {
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

fn say(text: &str) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    let mut text = text.to_string();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    emit(&text).map_err(|e| Error::io("stdout", e))
}

/// One line per change, then the file's new diagnostics and the ones it no longer has.
fn render(changes: &[Change]) -> String {
    let mut out = String::new();
    for change in changes {
        let line = match &change.kind {
            ChangeKind::Added => format!("added {}", change.path),
            ChangeKind::Updated => format!("updated {}", change.path),
            ChangeKind::Removed => format!("removed {}", change.path),
            ChangeKind::Renamed { from } => format!("renamed {from} → {}", change.path),
        };
        out.push_str(&line);
        out.push('\n');
        for d in &change.new {
            let severity = match d.severity {
                crate::diagnostic::Severity::Error => "error",
                crate::diagnostic::Severity::Warning => "warning",
            };
            let _ = writeln!(
                out,
                "  {}:{}:{}: {severity}[{}] {}",
                d.path,
                d.line,
                d.column,
                d.code.as_str(),
                d.message
            );
        }
        for d in &change.fixed {
            let _ = writeln!(out, "  fixed: {}:{} {}", change.path, d.line, d.code.as_str());
        }
    }
    out
}

/// The `--report-to` file: rewritten only when its content changes.
struct Report {
    path: PathBuf,
    /// Vault-relative path when the file is inside the vault.
    rel: Option<String>,
    last: Option<String>,
}

impl Report {
    fn new(path: &Path, root: &Path) -> Result<Self> {
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .ok_or_else(|| Error::Usage(format!("--report-to {} is not a file name", path.display())))?;
        let parent = parent.canonicalize().map_err(|e| Error::io(parent, e))?;
        let path = parent.join(name);
        let rel = vault::relative(root, &path);
        // What the report file holds now, to skip rewriting it unchanged; unreadable or absent
        // means it is written afresh (it is netvault's own output, not a user's file).
        let last = std::fs::read_to_string(&path).ok();
        Ok(Self { path, rel, last })
    }

    /// Rewrite the report when its text differs from what the file holds.
    fn refresh(&mut self, index: &Index, state: &State) -> Result<()> {
        let today = state.today;
        let morning = index.morning(today, REPORT_WINDOW_DAYS)?;
        let items = followups::followups(&morning.contacts, state.config(), today, REPORT_WINDOW_DAYS);
        let text = export::followups_markdown(&items, today, REPORT_WINDOW_DAYS);
        if self.last.as_deref() == Some(text.as_str()) {
            return Ok(());
        }
        // The watcher ignores hidden files: the temporary one is hidden.
        super::outfile::replace_file(&self.path, &text)?;
        self.last = Some(text);
        Ok(())
    }
}
