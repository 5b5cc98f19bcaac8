//! netvault keeps a professional network in plain-text Markdown files and tells you whom to
//! follow up with, and why.
//!
//! The crate is a library with a thin binary. The core — [`contact`], [`frontmatter`],
//! [`body`], [`followup`], [`validate`], [`cadence`], [`date`] — is pure: text and dates in,
//! values and diagnostics out; it never touches clap or the clock. [`vault`] reads the disk,
//! [`commands`] orchestrate, [`cli`] is the argument syntax. See ARCHITECTURE.md.

pub mod boundary;
pub mod cli;
pub mod commands;
pub mod core;
pub mod edit;
pub mod error;
pub mod export;
pub mod import;
pub mod index;
pub mod lsp;
pub mod mcp;
pub mod output;
pub mod report;
pub mod vault;
pub mod vcard;
pub mod watch;

// The core's modules at the crate root too: `crate::contact` reads as well as
// `crate::core::contact`, and the folder tree shows what is pure.
pub use crate::core::{
    body, cadence, changes, config, contact, date, diagnostic, fold, followup, frontmatter, hash, query, resolve, span,
    validate, yaml,
};

use clap::Parser;
use std::ffi::OsString;

use crate::cli::{Cli, Command};
use crate::commands::Context;
pub use crate::error::Outcome;

/// For `netvault log Walter Pruitt "coffee"` clap can only say that an argument was not
/// expected: say that a name or text of several words goes in quotes. `add` takes NAME alone,
/// so its example is the user's own words; for the others which words are the name cannot be
/// known, so the example is the command's own.
fn quoting_tip(err: &clap::Error, args: &[OsString]) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if err.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    match err.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(unexpected)) if !unexpected.starts_with('-') => {}
        _ => return None,
    }
    let words: Vec<&str> = args.iter().skip(1).filter_map(|a| a.to_str()).collect();
    let at = words
        .iter()
        .position(|w| matches!(*w, "log" | "todo" | "done" | "snooze" | "add"))?;
    let example = match words[at] {
        "add" => {
            // NAME's words come before the first flag (`add Jane Doe --org Acme`).
            let name: Vec<&str> = words[at + 1..]
                .iter()
                .copied()
                .take_while(|w| !w.starts_with('-'))
                .collect();
            format!("netvault add \"{}\"", name.join(" "))
        }
        "log" => r#"netvault log "Jane Doe" "coffee at Epoch #info""#.to_string(),
        "todo" => r#"netvault todo "Jane Doe" "send the thank-you note" --due 3d"#.to_string(),
        "done" => r#"netvault done "Jane Doe" "thank-you note""#.to_string(),
        _ => r#"netvault snooze "Jane Doe" 2w"#.to_string(),
    };
    Some(format!(
        "tip: a name or a text of several words goes in quotes: {example}"
    ))
}

/// Parse `args` (the program name first, as `std::env::args_os()` gives them), run the
/// command, report errors on stderr. The binary passes its own arguments; tests pass theirs.
pub fn run<I, T>(args: I) -> Outcome
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = globals_before_report_kind(query_words_not_flags(args.into_iter().map(Into::into)));
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            if let Some(tip) = quoting_tip(&err, &args).or_else(|| report_tip(&err, &args)) {
                eprintln!("\n{tip}");
            }
            return if err.use_stderr() {
                Outcome::Failure
            } else {
                Outcome::Success
            };
        }
    };
    let printer = output::Printer::new(cli.color, cli.quiet);
    let result = Context::from_cli(&cli, printer).and_then(|ctx| execute_healing(&ctx, &cli.command));
    result.unwrap_or_else(|err| {
        report(printer, &err);
        Outcome::Failure
    })
}

/// Print an error that stopped the command on stderr, with each of its causes once.
fn report(printer: output::Printer, err: &error::Error) {
    let prefix = printer.paint(output::RED, "error:");
    anstream::eprintln!("{prefix} {}", err.chain());
}

/// For a flag `report KIND` does not take, say where it goes: `report --format json stale` is
/// `report stale --format json`; `report stale --within 7d` has a flag of the follow-up report.
fn report_tip(err: &clap::Error, args: &[OsString]) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    const KINDS: [&str; 7] = [
        "followups",
        "stale",
        "circles",
        "outcomes",
        "reciprocity",
        "intros",
        "leads",
    ];
    let words: Vec<&str> = args.iter().skip(1).filter_map(|a| a.to_str()).collect();
    let report = words.iter().position(|w| *w == "report")?;
    let kind_at = report + 1 + words[report + 1..].iter().position(|w| KINDS.contains(w))?;
    let kind = words[kind_at];
    let quoted = |w: &str| {
        if w.is_empty() || w.contains(|c: char| c.is_whitespace() || "'\"$`\\|&;<>()*?[]#~".contains(c)) {
            format!("'{}'", w.replace('\'', "'\\''"))
        } else {
            w.to_string()
        }
    };
    match err.kind() {
        ErrorKind::ArgumentConflict => {
            let mut line: Vec<String> = vec!["netvault".into()];
            line.extend(words[..=report].iter().map(|w| quoted(w)));
            line.push(kind.to_string());
            line.extend(
                words[report + 1..]
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| report + 1 + i != kind_at)
                    .map(|(_, w)| quoted(w)),
            );
            Some(format!("A report's own flags go after its kind:\n  {}", line.join(" ")))
        }
        ErrorKind::UnknownArgument => {
            let flag = match err.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(flag)) => flag.split('=').next().unwrap_or(flag).to_string(),
                _ => return None,
            };
            let followups = ["--within", "--limit", "-n", "--all", "--long", "--who-knows"].contains(&flag.as_str());
            Some(if followups && kind != "followups" {
                format!(
                    "{flag} is a flag of the follow-up report (`netvault report {flag} …`); `netvault report {kind} --help` lists what `report {kind}` takes"
                )
            } else {
                format!("`netvault report {kind} --help` lists what `report {kind}` takes")
            })
        }
        _ => None,
    }
}

/// `netvault report --vault DIR stale`: a KIND of `report` takes no option of `report` before
/// it (clap refuses them, so that `report --within 7d stale` is an error), and clap counts the
/// global ones too. Global options there mean the same anywhere: they move before `report`.
fn globals_before_report_kind(args: Vec<OsString>) -> Vec<OsString> {
    use clap::CommandFactory as _;
    let command = Cli::command();
    // Each global option's spellings, and whether its value is the next argument.
    let globals: Vec<(Vec<String>, bool)> = command
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| {
            let mut names: Vec<String> = a.get_long().map(|l| format!("--{l}")).into_iter().collect();
            names.extend(a.get_short().map(|c| format!("-{c}")));
            (names, a.get_action().takes_values())
        })
        .collect();
    // A global option (`--vault DIR`, `--vault=DIR`, `-q`) at `args[i]`: how many arguments it spans.
    let global_at = |i: usize| -> Option<usize> {
        let text = args.get(i)?.to_str()?;
        globals.iter().find_map(|(names, value)| {
            if names.iter().any(|n| n == text) {
                // A value missing at the end stays for clap to report.
                (!*value || i + 1 < args.len()).then_some(if *value { 2 } else { 1 })
            } else {
                names.iter().any(|n| text.starts_with(&format!("{n}="))).then_some(1)
            }
        })
    };
    let mut i = 1;
    while let Some(span) = global_at(i) {
        i += span;
    }
    if args.get(i).and_then(|a| a.to_str()) != Some("report") {
        return args;
    }
    let report = i;
    let mut hoisted = Vec::new();
    let mut j = report + 1;
    while let Some(span) = global_at(j) {
        hoisted.extend(args[j..j + span].iter().cloned());
        j += span;
    }
    if hoisted.is_empty() {
        return args;
    }
    let mut out: Vec<OsString> = args[..report].to_vec();
    out.extend(hoisted);
    out.push(args[report].clone());
    out.extend(args[j..].iter().cloned());
    out
}

/// `netvault search -museum archives`: a query word that starts with `-` excludes that word
/// (SPEC §5), but the shell hands it over like a flag. In a `search`, an argument that starts
/// with a single `-` and is not one of its flags (`-n N`, `-q`, `-h`) is read as `NOT word`, so
/// that query words are never taken for flags.
fn query_words_not_flags(args: impl Iterator<Item = OsString>) -> Vec<OsString> {
    /// Options whose value is the next argument (globals, and `search`'s own).
    const TAKES_VALUE: &[&str] = &[
        "--vault",
        "--today",
        "--index-dir",
        "--color",
        "-n",
        "--limit",
        "--sort",
        "--format",
    ];
    let mut out = Vec::new();
    let (mut subcommand_seen, mut in_search, mut value_next, mut rest_verbatim) = (false, false, false, false);
    for (i, arg) in args.enumerate() {
        let text = arg.to_string_lossy().into_owned();
        if i == 0 || value_next || rest_verbatim {
            value_next = false;
            out.push(arg);
            continue;
        }
        if text == "--" {
            rest_verbatim = true;
        } else if !subcommand_seen && !text.starts_with('-') {
            subcommand_seen = true;
            in_search = text == "search";
        } else if in_search && text.len() > 1 && text.starts_with('-') && !text.starts_with("--") {
            let word = &text[1..];
            let is_flag = matches!(word, "q" | "h" | "n")
                || (word.starts_with('n') && word[1..].chars().all(|c| c.is_ascii_digit()));
            if !is_flag {
                out.push(format!("NOT {word}").into());
                continue;
            }
        }
        value_next = TAKES_VALUE.contains(&text.as_str());
        out.push(arg);
    }
    out
}

/// Run the command; when it fails inside the index — an error or a panic from reading a
/// damaged index — before it wrote any file, rebuild the index from the files and run it once
/// more (SPEC §9: the index is derived; the user never deletes it by hand). A command that
/// already wrote is not run again: its error is reported as it is.
fn execute_healing(ctx: &Context, command: &Command) -> error::Result<Outcome> {
    let first = quiet_panics(|| execute(ctx, command));
    let why = match first {
        Ok(Err(error::Error::Index { source, .. })) if !edit::wrote_anything() => source.to_string(),
        Err(panic) if !edit::wrote_anything() => panic,
        Ok(result) => return result,
        Err(panic) => {
            anstream::eprintln!("netvault panicked: {panic}");
            return Ok(Outcome::Failure);
        }
    };
    ctx.note(&format!(
        "the index was damaged ({}); rebuilding it from the files",
        index::brief(&why)
    ));
    ctx.rebuild_index.set(true);
    match quiet_panics(|| execute(ctx, command)) {
        Ok(result) => result,
        Err(panic) => {
            anstream::eprintln!("netvault panicked: {panic}");
            Ok(Outcome::Failure)
        }
    }
}

/// Run `f`, catching a panic (in this thread or a rayon worker) as its message; the default
/// hook's report is held back so that a panic the caller recovers from prints nothing.
pub(crate) fn quiet_panics<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static MESSAGE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let text = info
            .payload()
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut slot) = MESSAGE.lock() {
            slot.get_or_insert(format!("{text}{at}"));
        }
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result.map_err(|_| {
        MESSAGE
            .lock()
            .ok()
            .and_then(|mut m| m.take())
            .unwrap_or_else(|| "unknown panic".into())
    })
}

fn execute(ctx: &Context, command: &Command) -> error::Result<Outcome> {
    match command {
        Command::Init { dir } => commands::init::run(ctx, dir.as_deref()).map(|()| Outcome::Success),
        Command::Validate(args) => commands::validate::run(ctx, args),
        Command::Index { rebuild } => commands::index::run(ctx, *rebuild).map(|()| Outcome::Success),
        Command::Search(args) => commands::search::run(ctx, args),
        Command::WhoKnows(args) => commands::who_knows::run(ctx, args),
        Command::Show { name, format } => commands::show::run(ctx, &name.join(" "), *format).map(|()| Outcome::Success),
        Command::Report(args) => commands::report::run(ctx, &args.kind()).map(|()| Outcome::Success),
        Command::Watch(args) => commands::watch::run(ctx, args),
        Command::Lsp => commands::lsp::run(ctx),
        Command::Log(args) => commands::log::run(ctx, args),
        Command::Todo(args) => commands::followup::todo(ctx, args),
        Command::Done { name, task } => commands::followup::done(ctx, name, task.as_deref()),
        Command::Snooze { name, until } => commands::followup::snooze(ctx, name, until),
        Command::Add(args) => commands::add::run(ctx, args),
        Command::Edit { name } => commands::edit::run(ctx, &name.join(" ")).map(|()| Outcome::Success),
        Command::Export(args) => commands::export::run(ctx, args).map(|()| Outcome::Success),
        Command::Import(args) => commands::import::run(ctx, args),
        Command::Mcp(args) => commands::mcp::run(ctx, args),
        Command::Completions { shell } => commands::docs::completions(*shell).map(|()| Outcome::Success),
        Command::Man { dir } => commands::docs::man(ctx, dir.as_deref()).map(|()| Outcome::Success),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(args: &str) -> Vec<String> {
        let args = std::iter::once("netvault").chain(args.split(' ')).map(OsString::from);
        query_words_not_flags(args)
            .into_iter()
            .skip(1)
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_search_word_with_a_dash_is_an_exclusion_not_a_flag() {
        for (given, expected) in [
            ("search -museum archives", "search|NOT museum|archives"),
            ("search archives -museum", "search|archives|NOT museum"),
            // `search`'s own flags stay flags, with their value (`-n 5`, `-n5`).
            ("search -n 5 x", "search|-n|5|x"),
            ("search -n5 x", "search|-n5|x"),
            ("search -q -h x", "search|-q|-h|x"),
            ("search --limit 5 --format json x", "search|--limit|5|--format|json|x"),
            // A global flag's value before the command is not the command.
            ("--vault DIR search -x", "--vault|DIR|search|NOT x"),
            ("--vault search search -x", "--vault|search|search|NOT x"),
            ("--today 2026-11-27 search -x", "--today|2026-11-27|search|NOT x"),
            // After `--`, everything is the user's, verbatim.
            ("search -- -x", "search|--|-x"),
            // A lone `-` is no word to exclude.
            ("search - x", "search|-|x"),
            // Other commands are untouched, whatever follows.
            ("show -x", "show|-x"),
            ("report -museum", "report|-museum"),
            ("--vault search show -x", "--vault|search|show|-x"),
            ("who-knows -museum", "who-knows|-museum"),
        ] {
            assert_eq!(rewritten(given).join("|"), expected, "{given}");
        }
    }

    #[test]
    fn the_program_name_is_kept_whatever_it_is() {
        let out = query_words_not_flags(["-odd", "search", "-x"].into_iter().map(OsString::from));
        assert_eq!(out, ["-odd", "search", "NOT x"].map(OsString::from));
    }

    #[test]
    fn run_takes_its_arguments() {
        assert_eq!(run(["netvault", "--version"]), Outcome::Success);
        assert_eq!(run(["netvault", "--no-such-flag"]), Outcome::Failure);
        assert_eq!(run(["netvault", "search"]), Outcome::Failure, "a query is required");
        assert_eq!(
            run([OsString::from("netvault"), OsString::from("frobnicate")]),
            Outcome::Failure
        );
    }

    #[test]
    fn a_command_that_needs_no_vault_runs_without_one() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-vault-here");
        let folder = dir.path().join("new");
        // `--vault` names a folder that does not exist: `init DIR` never looks at it.
        let args = [
            OsString::from("netvault"),
            "--vault".into(),
            missing.clone().into(),
            "--quiet".into(),
            "init".into(),
            folder.clone().into(),
        ];
        assert_eq!(run(args), Outcome::Success);
        assert!(folder.join(".netvault/config.toml").is_file());
        assert!(!missing.exists());
    }

    #[test]
    fn a_missing_vault_folder_is_exit_2_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-folder");
        let args = || {
            [
                OsString::from("netvault"),
                "--color".into(),
                "never".into(),
                "--vault".into(),
                missing.clone().into(),
                "report".into(),
            ]
        };
        assert_eq!(run(args()), Outcome::Failure);
        let cli = Cli::try_parse_from(args()).unwrap();
        let ctx = Context::from_cli(&cli, output::Printer::new(cli.color, true)).unwrap();
        let err = ctx.vault().unwrap_err();
        assert!(matches!(err, error::Error::VaultMissing(_)), "{err:?}");
        assert!(err.to_string().contains("no-such-folder"), "{err}");
    }

    #[test]
    fn the_vault_is_resolved_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(vault::META_DIR)).unwrap();
        std::fs::write(
            dir.path().join(vault::META_DIR).join("config.toml"),
            "new_contacts = \"people\"\n",
        )
        .unwrap();
        let cli = Cli::try_parse_from([
            OsString::from("netvault"),
            "--vault".into(),
            dir.path().into(),
            "report".into(),
        ])
        .unwrap();
        let ctx = Context::from_cli(&cli, output::Printer::new(cli.color, true)).unwrap();
        let first = ctx.vault().unwrap();
        assert_eq!(first.root, dir.path());
        assert_eq!(first.config.new_contacts, "people");
        // A later change to the config is not read again within the run.
        std::fs::write(dir.path().join(vault::META_DIR).join("config.toml"), "oops = [").unwrap();
        assert!(std::ptr::eq(first, ctx.vault().unwrap()));
    }

    #[test]
    fn global_options_between_report_and_its_kind_move_before_it() {
        let args = |words: &[&str]| words.iter().map(OsString::from).collect::<Vec<_>>();
        let moved = |words: &[&str]| globals_before_report_kind(args(words));
        assert_eq!(
            moved(&[
                "nv",
                "report",
                "--vault",
                "v",
                "-q",
                "--today=2026-01-01",
                "stale",
                "--older-than",
                "9d"
            ]),
            args(&[
                "nv",
                "--vault",
                "v",
                "-q",
                "--today=2026-01-01",
                "report",
                "stale",
                "--older-than",
                "9d"
            ])
        );
        assert_eq!(
            moved(&["nv", "-q", "report", "--color", "never", "circles"]),
            args(&["nv", "-q", "--color", "never", "report", "circles"])
        );
        // Options of `report` itself stay where they are: clap decides.
        for kept in [
            &["nv", "report", "--within", "7d", "stale"][..],
            &["nv", "report", "stale", "--vault", "v"],
            &["nv", "search", "--vault", "v", "x"],
            &["nv", "report", "--vault"],
        ] {
            assert_eq!(moved(kept), args(kept), "{kept:?}");
        }
    }
}
