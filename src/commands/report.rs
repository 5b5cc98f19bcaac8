//! `netvault report [KIND]`: load the contacts from the synced index and render a report in
//! the format asked for (each report has a table and JSON; some have more).

use crate::cli::{ReportArgs, ReportFormat, ReportKind};
use crate::contact::Contact;
use crate::error::{Error, Result};
use crate::index::morning::Morning;
use crate::output::{Printer, emit, json};
use crate::report::{circles, export, followups, intros, leads, outcomes, reciprocity, stale, window_days};
use crate::resolve::Resolver;
use crate::vault;

use super::{Context, Synced, synced};

/// The morning report's length unless `--limit` or `--all` says otherwise (SPEC §6).
pub const DEFAULT_LIMIT: usize = 12;

pub fn run(ctx: &Context, args: &ReportArgs) -> Result<()> {
    check_flags(args)?;
    if args.format == ReportFormat::Html {
        return super::report_html::run(ctx, args);
    }
    let synced = synced(ctx)?;
    // A file gets no colour codes, and its width is unknown.
    let printer = if args.output.is_some() {
        Printer {
            color: false,
            width: None,
            ..ctx.printer
        }
    } else {
        ctx.printer
    };
    if args.kind == ReportKind::Followups {
        let morning = morning(ctx, args, &synced)?;
        let text = followups_text(ctx, args, &synced, &morning, printer)?;
        return write(ctx, args, &text);
    }
    let contacts = ctx.timed("load facts", || synced.index.contacts())?;
    let today = ctx.today;
    let unsupported = || {
        Err(Error::Usage(format!(
            "`report {}` has no --format {}; use table or json{}",
            kind_name(args.kind),
            format_name(args.format),
            match args.kind {
                ReportKind::Followups => ", csv, md, ics or html",
                ReportKind::Intros => ", dot, mermaid or html",
                ReportKind::Circles | ReportKind::Outcomes | ReportKind::Reciprocity => " or html",
                _ => "",
            }
        )))
    };
    let text = match args.kind {
        ReportKind::Followups => unreachable!("the follow-up report returned above"),
        ReportKind::Stale => {
            let older_than = window_days(&args.older_than.clone().unwrap_or_else(default_older_than), today);
            let r = stale::stale(&contacts, today, older_than);
            match args.format {
                ReportFormat::Json => json(&r),
                ReportFormat::Table => stale::render(&r, printer),
                _ => return unsupported(),
            }
        }
        ReportKind::Circles => {
            let r = circles::circles(&contacts, synced.config, today);
            match args.format {
                ReportFormat::Json => json(&r),
                ReportFormat::Table => circles::render(&r, printer),
                _ => return unsupported(),
            }
        }
        ReportKind::Outcomes => {
            let r = outcomes::outcomes(&contacts, synced.config);
            match args.format {
                ReportFormat::Json => json(&r),
                ReportFormat::Table => outcomes::render(&r, printer),
                _ => return unsupported(),
            }
        }
        ReportKind::Reciprocity => {
            let r = reciprocity::reciprocity(&contacts, synced.config);
            match args.format {
                ReportFormat::Json => json(&r),
                ReportFormat::Table => reciprocity::render(&r, printer),
                _ => return unsupported(),
            }
        }
        ReportKind::Intros => {
            let r = intros::intros(&contacts);
            match args.format {
                ReportFormat::Json => json(&r),
                ReportFormat::Table => intros::tree(&r),
                ReportFormat::Dot => intros::dot(&r),
                ReportFormat::Mermaid => intros::mermaid(&r),
                _ => return unsupported(),
            }
        }
        ReportKind::Leads => {
            let r = leads_report(&synced, &contacts);
            match args.format {
                ReportFormat::Json => json(&r),
                ReportFormat::Table => leads::render(&r, printer),
                _ => return unsupported(),
            }
        }
    };
    // The process ends after this: freeing 100,000 contacts one allocation at a time (30 ms)
    // would only delay the prompt. A caller running commands in-process (the tests) keeps
    // that memory until it exits.
    let written = write(ctx, args, &text);
    std::mem::forget(contacts);
    written
}

/// Print the report, or write it to `--output`: checked as the page's is (inside the vault the
/// boundary decides, never through a link; a contact file is never replaced), then written by
/// a rename.
fn write(ctx: &Context, args: &ReportArgs, text: &str) -> Result<()> {
    match &args.output {
        Some(path) => super::outfile::output_file(ctx, &ctx.cwd.join(path), super::outfile::Replaces::NotAContact)
            .and_then(|real| super::outfile::replace_file(&real, text)),
        None => emit(text).map_err(|e| Error::io("stdout", e)),
    }
}

/// The follow-up report's window in days (`--within`, else 7 days).
fn within_days(args: &ReportArgs, today: jiff::civil::Date) -> i64 {
    window_days(&args.within.clone().unwrap_or_else(default_within), today)
}

/// What the follow-up report reads of the index: the facts of only the people who can be due
/// within its window, and the counts of its closing lines.
pub fn morning(ctx: &Context, args: &ReportArgs, synced: &Synced) -> Result<Morning> {
    let within_days = within_days(args, ctx.today);
    ctx.timed("load facts", || synced.index.morning(ctx.today, within_days))
}

/// The follow-up report in the format asked for.
pub fn followups_text(
    ctx: &Context,
    args: &ReportArgs,
    synced: &Synced,
    morning: &Morning,
    printer: Printer,
) -> Result<String> {
    let today = ctx.today;
    let within_days = within_days(args, today);
    let items = ctx.timed("followups", || {
        followups::followups(&morning.contacts, synced.config, today, within_days)
    });
    Ok(match args.format {
        ReportFormat::Json => json(&followups::FollowupsJson::new(&items, today, within_days)),
        ReportFormat::Table if args.long => {
            let left_out = synced.walk.files.len().saturating_sub(morning.tally.contacts);
            followups::followups_long(&items, today, within_days, printer, left_out)
        }
        ReportFormat::Table => {
            let broken = ctx.timed("broken files", || synced.index.broken())?;
            let left = followups::LeftOut::new(morning.tally, &items, &broken, morning.leads);
            let fit = followups::Fit {
                limit: if args.all {
                    None
                } else {
                    Some(args.limit.unwrap_or(DEFAULT_LIMIT))
                },
                width: printer.width_or_default(),
            };
            followups::followups_table(&items, today, within_days, printer, fit, &left)
        }
        ReportFormat::Csv => export::followups_csv(&items, today),
        ReportFormat::Md => export::followups_markdown(&items, today, within_days),
        ReportFormat::Ics => export::followups_ics(&items, today),
        ReportFormat::Html => unreachable!("`run` hands --format html to `report_html`"),
        ReportFormat::Dot | ReportFormat::Mermaid => {
            return Err(Error::Usage(format!(
                "`report followups` has no --format {}; use table, json, csv, md, ics or html",
                format_name(args.format)
            )));
        }
    })
}

/// The leads of the vault: the facts say which contacts hold a link to no contact; only their
/// files are read again, for the date and sentence of each link. A file that cannot be read
/// now (deleted since the sync) gives no mentions.
pub fn leads_report(synced: &Synced, contacts: &[Contact]) -> leads::Leads {
    let names = Resolver::from_contacts(contacts);
    let files: std::collections::HashMap<&str, &vault::FileEntry> =
        synced.walk.files.iter().map(|f| (f.rel.as_str(), f)).collect();
    leads::leads(contacts, &names, |contact| {
        files
            .get(contact.path.as_str())
            .map(|f| file_mentions(f))
            // The walk just listed every contact file; one missing from it was deleted since,
            // and has no mentions left to report.
            .unwrap_or_default()
    })
}

/// The wikilinks of a contact file's body, with file lines.
fn file_mentions(file: &vault::FileEntry) -> Vec<crate::body::Mention> {
    let Ok(Some(bytes)) = vault::read_limited(&file.abs) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let (_, text) = crate::frontmatter::strip_bom(&text);
    let crate::frontmatter::Split::Block(block) = crate::frontmatter::split(text) else {
        return Vec::new();
    };
    let lines = crate::span::LineIndex::new(text);
    let start = block.body.start;
    crate::body::mentions(&text[block.body], |offset| lines.line(start + offset))
}

pub(super) fn default_within() -> crate::cadence::Cadence {
    crate::cadence::Cadence::new(7, crate::cadence::Unit::Day)
}

fn default_older_than() -> crate::cadence::Cadence {
    crate::cadence::Cadence::new(180, crate::cadence::Unit::Day)
}

/// A flag that does not apply to the report asked for is an error (exit 2) that says which do,
/// never silently ignored (`report stale --within 14d`).
fn check_flags(args: &ReportArgs) -> Result<()> {
    let given: Vec<(&str, bool)> = vec![
        ("--within", args.within.is_some()),
        ("--older-than", args.older_than.is_some()),
        ("--limit", args.limit.is_some()),
        ("--all", args.all),
        ("--long", args.long),
        ("--who-knows", args.who_knows.is_some()),
    ];
    let applies: &[&str] = match args.kind {
        ReportKind::Followups => &["--within", "--limit", "--all", "--long", "--who-knows"],
        ReportKind::Stale => &["--older-than"],
        ReportKind::Intros => &["--who-knows"],
        _ => &[],
    };
    if let Some((flag, _)) = given.iter().find(|(flag, set)| *set && !applies.contains(flag)) {
        let mut flags: Vec<&str> = applies.to_vec();
        flags.extend(["--format", "--output"]);
        return Err(Error::Usage(format!(
            "`report {}` has no {flag}; its flags are {}",
            kind_name(args.kind),
            flags.join(", ")
        )));
    }
    if args.who_knows.is_some() && args.format != ReportFormat::Html {
        return Err(Error::Usage(
            "--who-knows highlights warm paths in the picture of --format html; for a list, run `netvault who-knows QUERY`"
                .into(),
        ));
    }
    if args.long && args.format != ReportFormat::Table {
        return Err(Error::Usage(format!(
            "--long shapes the table; --format {} always has everything",
            format_name(args.format)
        )));
    }
    Ok(())
}

fn kind_name(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Followups => "followups",
        ReportKind::Stale => "stale",
        ReportKind::Circles => "circles",
        ReportKind::Outcomes => "outcomes",
        ReportKind::Reciprocity => "reciprocity",
        ReportKind::Intros => "intros",
        ReportKind::Leads => "leads",
    }
}

fn format_name(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::Table => "table",
        ReportFormat::Json => "json",
        ReportFormat::Csv => "csv",
        ReportFormat::Md => "md",
        ReportFormat::Ics => "ics",
        ReportFormat::Dot => "dot",
        ReportFormat::Mermaid => "mermaid",
        ReportFormat::Html => "html",
    }
}
