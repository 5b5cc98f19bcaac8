//! One module per subcommand: orchestration only (load, call the core, render).

pub mod add;
pub mod docs;
pub mod edit;
pub mod export;
pub mod followup;
pub mod import;
pub mod index;
pub mod init;
pub mod log;
pub mod lsp;
pub mod mcp;
pub mod outfile;
pub mod report;
pub mod report_html;
pub mod search;
pub mod show;
pub mod validate;
pub mod watch;
pub mod who_knows;

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::boundary::{self, Boundary};
use crate::cli::{Cli, Command, ReportCommand};
use crate::config::VaultConfig;
use crate::error::{Error, Result};
use crate::index::{Index, SyncStats};
use crate::output::Printer;
use crate::resolve::{Name, Usage};
use crate::vault::{self, Walk};

/// What every command needs from the global flags, resolved once per run: the flags' values
/// at once (`from_cli`), the vault on first use (`vault`), since `init`, `completions` and
/// `man` need none.
pub struct Context {
    /// `--vault` (or `NETVAULT_VAULT`) as given; [`Context::vault`] resolves it.
    pub vault_arg: Option<PathBuf>,
    pub index_dir: Option<PathBuf>,
    pub today: Date,
    /// True when `--today` (or `NETVAULT_TODAY`) fixed the date: it never changes then.
    pub today_fixed: bool,
    pub printer: Printer,
    /// The working directory, read once: NAME paths, `--vault DIR` and file arguments are
    /// relative to it.
    pub cwd: PathBuf,
    /// Whether the command looks at the vault's file list (`Synced::walk`): `search` and
    /// `who-knows` only query the index, so while a watcher is live they skip listing the
    /// indexed files (tens of milliseconds at 100,000 contacts; SPEC §9 gives 30 ms).
    pub lists_files: bool,
    /// Whether long work may show a progress bar on stderr: both streams are terminals, no
    /// `--quiet`, and the command prints no JSON (SPEC: nothing in JSON, piped or quiet output).
    pub progress: bool,
    /// Set when the index failed and the command runs again: the index is rebuilt from the
    /// files, whatever it holds (`index --rebuild` sets it too).
    pub rebuild_index: std::cell::Cell<bool>,
    /// The vault, once a command asked for it (a re-run after an index failure keeps it).
    vault: OnceCell<Vault>,
}

/// The vault a command works in, resolved once per run by [`Context::vault`]: where it is,
/// its config, and the boundary every write asks. (A [`crate::vault::Vault`] is a vault read
/// whole: every file parsed.)
#[derive(Debug)]
pub struct Vault {
    pub root: PathBuf,
    pub config: VaultConfig,
    pub boundary: Boundary,
}

impl Context {
    /// The only place netvault reads the clock: the core gets `today` as a parameter. Fails
    /// when the working directory cannot be read (deleted under the shell, or no permission):
    /// every relative path would mean nothing then.
    pub fn from_cli(cli: &Cli, printer: Printer) -> Result<Self> {
        let cwd = std::env::current_dir().map_err(Error::WorkingDir)?;
        let today = cli.today.unwrap_or_else(|| jiff::ZonedDateTime::now().date());
        Ok(Self {
            vault_arg: cli.vault.clone(),
            index_dir: cli.index_dir.clone(),
            today,
            today_fixed: cli.today.is_some(),
            printer,
            cwd,
            lists_files: match &cli.command {
                Command::Search(_) | Command::WhoKnows(_) => false,
                // The morning report's table and JSON count from the index alone; `--long`
                // counts files, `leads` and `--who-knows` read some.
                Command::Report(r) => match &*r.kind() {
                    ReportCommand::Followups(args) => args.long || args.who_knows.is_some(),
                    ReportCommand::Intros(args) => args.who_knows.is_some(),
                    ReportCommand::Leads(_) => true,
                    ReportCommand::Stale(_)
                    | ReportCommand::Circles(_)
                    | ReportCommand::Outcomes(_)
                    | ReportCommand::Reciprocity(_) => false,
                },
                _ => true,
            },
            rebuild_index: std::cell::Cell::new(false),
            progress: !cli.quiet
                && std::io::IsTerminal::is_terminal(&std::io::stderr())
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
                && !prints_json(&cli.command),
            vault: OnceCell::new(),
        })
    }

    /// The vault (SPEC §2: `--vault`, `NETVAULT_VAULT`, else the nearest folder holding
    /// `.netvault/`), its config and its boundary: resolved on the first call, the same
    /// afterwards. A failure (no vault, a bad config) is returned each time it is asked.
    pub fn vault(&self) -> Result<&Vault> {
        if let Some(vault) = self.vault.get() {
            return Ok(vault);
        }
        let root = vault::find_root(self.vault_arg.as_deref(), &self.cwd)?;
        let config = vault::load_config(&root)?;
        let boundary = Boundary::new(&root)?;
        Ok(self.vault.get_or_init(|| Vault { root, config, boundary }))
    }

    /// Today now, for a long-running command (`watch` at midnight): the fixed date if one was
    /// given, else the clock.
    pub fn today_now(&self) -> Date {
        if self.today_fixed {
            self.today
        } else {
            jiff::ZonedDateTime::now().date()
        }
    }

    /// Where the vault's index lives: `--index-dir` (a folder the user named, anywhere),
    /// else `.netvault/index`, refused when it or `.netvault` is a symbolic link. The default
    /// folder gets `.netvault/.gitignore` (listing the index) when it has none.
    pub fn index_dir(&self, root: &Path) -> Result<PathBuf> {
        if let Some(dir) = &self.index_dir {
            let dir = self.cwd.join(dir);
            // The user named this folder: a link there is theirs, followed once, and the
            // index works in its real folder (never deleting through the link).
            return Ok(dir.canonicalize().unwrap_or(dir));
        }
        let dir = boundary::default_index_dir(root)?;
        ensure_gitignore(root);
        Ok(dir)
    }

    /// Run `f`, printing how long it took on stderr when `NETVAULT_TIMING` is set (for the
    /// benchmark script and profiling; never in normal output).
    pub fn timed<T>(&self, phase: &str, f: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let out = f();
        if std::env::var_os("NETVAULT_TIMING").is_some() {
            eprintln!("timing: {phase} {:.1} ms", start.elapsed().as_secs_f64() * 1000.0);
        }
        out
    }

    /// Print a note on stderr unless `--quiet`.
    pub fn note(&self, text: &str) {
        if !self.printer.quiet {
            let prefix = self.printer.paint(crate::output::YELLOW, "note:");
            anstream::eprintln!("{prefix} {text}");
        }
    }
}

/// Whether the command's output is JSON (no progress bar may precede it).
fn prints_json(command: &Command) -> bool {
    use crate::cli::{SearchFormat, ShowFormat, ValidateFormat};
    match command {
        Command::Validate(args) => args.format == ValidateFormat::Json,
        Command::Search(args) => args.format == SearchFormat::Json,
        Command::Show { format, .. } => *format == ShowFormat::Json,
        Command::Report(args) => args.kind().json(),
        Command::WhoKnows(args) => args.format == ShowFormat::Json,
        _ => false,
    }
}

/// The contact a command's NAME argument names (SPEC §2, steps 1–3), through the index: an
/// absolute or working-directory path is turned into a vault-relative one first.
pub fn find(ctx: &Context, synced: &Synced, name: &str) -> Result<crate::contact::Contact> {
    let name = Name::new(name).with_path(vault::named_file(synced.root, &ctx.cwd, name));
    crate::index::lookup::resolve(&synced.index, &name, Usage::Command)
}

/// A vault whose index has just been brought up to date with its files.
pub struct Synced<'a> {
    pub root: &'a Path,
    pub config: &'a VaultConfig,
    pub boundary: &'a Boundary,
    pub walk: Walk,
    pub index: Index,
    pub stats: SyncStats,
}

/// Walk the vault, open its index and sync it (SPEC §5), printing any notes. While a
/// `netvault watch` is live for the vault, its index is trusted: no walk and no sync, and the
/// file list, for the commands that use it, comes from the index (the watcher's last commit).
pub fn synced(ctx: &Context) -> Result<Synced<'_>> {
    let vault = ctx.vault()?;
    let (root, config) = (vault.root.as_path(), &vault.config);
    let dir = ctx.index_dir(root)?;
    let fresh = ctx.rebuild_index.get();
    if !fresh && crate::watch::watcher_is_live(root) {
        let index = ctx.timed("open index", || Index::open(&dir, config, false))?;
        for note in &index.notes {
            ctx.note(note);
        }
        // An index the watcher has not built (deleted under it, or unreadable) is no index to
        // trust: this command syncs it like any other, and the watcher picks it up.
        if !index.created() {
            let walk = if ctx.lists_files {
                ctx.timed("indexed paths", || walk_from_index(&index, root))?
            } else {
                Walk::default()
            };
            return Ok(Synced {
                root,
                config,
                boundary: &vault.boundary,
                walk,
                index,
                stats: SyncStats::default(),
            });
        }
        return sync_walked(ctx, vault, index);
    }
    let index = Index::open(&dir, config, fresh)?;
    for note in &index.notes {
        ctx.note(note);
    }
    let synced = sync_walked(ctx, vault, index)?;
    if config.background_watch && !fresh && synced.index.in_place() {
        start_background_watcher(ctx, root, config.watch_idle_minutes);
    }
    Ok(synced)
}

/// `[watch] background = true`: start `netvault watch --exit-when-idle` for this vault,
/// detached (its own process group, no terminal, no output), once this command's own sync is
/// done. The next commands find its lock and trust its index instead of checking every file,
/// as git's fsmonitor daemon serves `git status`; it ends itself after the idle minutes. A
/// watcher already starting (two commands at once) finds the lock taken and exits.
fn start_background_watcher(ctx: &Context, root: &Path, idle_minutes: u32) {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            ctx.note(&format!(
                "[watch] background: cannot find this program to start a watcher: {e}"
            ));
            return;
        }
    };
    let mut command = std::process::Command::new(exe);
    command
        .arg("--vault")
        .arg(root)
        .arg("--quiet")
        .arg("watch")
        .arg("--exit-when-idle")
        .arg(format!("{idle_minutes}m"))
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    #[cfg(unix)]
    {
        // Not in the terminal's process group: Ctrl-C on a later command does not reach it.
        use std::os::unix::process::CommandExt as _;
        command.process_group(0);
    }
    if let Err(e) = command.spawn() {
        ctx.note(&format!("[watch] background: cannot start a watcher: {e}"));
    }
}

fn sync_walked<'a>(ctx: &Context, vault: &'a Vault, mut index: Index) -> Result<Synced<'a>> {
    let (root, config) = (vault.root.as_path(), &vault.config);
    let selector = vault::Selector::new(config)?;
    let walk = ctx.timed("walk", || vault::walk(root, &selector));
    let stats = ctx.timed("sync", || index.sync_showing(&walk, config, ctx.progress))?;
    if stats.stale {
        ctx.note("another netvault process is updating the index; answering from its last commit");
    }
    Ok(Synced {
        root,
        config,
        boundary: &vault.boundary,
        walk,
        index,
        stats,
    })
}

/// `.netvault/.gitignore`, listing the index, when the vault has a `.netvault` folder without
/// one. Created, never written through an existing path; best effort (a read-only vault).
fn ensure_gitignore(root: &Path) {
    let path = root.join(vault::META_DIR).join(".gitignore");
    if root.join(vault::META_DIR).is_dir() && std::fs::symlink_metadata(&path).is_err() {
        let _ = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, init::GITIGNORE.as_bytes()));
    }
}

/// The files the index holds, as a walk would list them (with the size and mtime it indexed).
fn walk_from_index(index: &Index, root: &std::path::Path) -> Result<Walk> {
    let files = index
        .stats()?
        .into_iter()
        .map(|(rel, size, mtime)| vault::FileEntry {
            abs: root.join(&rel),
            rel,
            size,
            mtime_ns: i128::from(mtime),
        })
        .collect();
    Ok(Walk {
        files,
        problems: Vec::new(),
    })
}
