//! `netvault report [KIND]`: load the contacts from the synced index and render a report in
//! the format asked for (each report has a table and JSON; some have more). clap has refused
//! the flags and formats a report lacks; the flags whose use depends on `--format`'s value are
//! checked here.

use crate::cli::{ChartFormat, FollowupsArgs, FollowupsFormat, IntrosFormat, ListFormat, ReportCommand};
use crate::contact::Contact;
use crate::error::{Error, Result};
use crate::index::morning::Morning;
use crate::output::{Printer, emit, json};
use crate::report::{circles, export, followups, html, intros, leads, outcomes, reciprocity, stale, window_days};
use crate::resolve::Resolver;
use crate::vault;

use super::outfile::{Replaces, output_file, replace_file};
use super::report_html::{Section, page};
use super::{Context, Synced, synced};

/// The morning report's length unless `--limit` or `--all` says otherwise (SPEC §6).
pub const DEFAULT_LIMIT: usize = 12;

pub fn run(ctx: &Context, report: &ReportCommand) -> Result<()> {
    check_format_flags(report)?;
    let html = report.html();
    // Refuse a bad FILE before any work. Inside the vault the boundary decides, never through a
    // link; a page replaces only a page, and no report replaces a contact file.
    let target = match report.output() {
        Some(path) => {
            let replaces = if html { Replaces::Page } else { Replaces::NotAContact };
            Some(output_file(ctx, &ctx.cwd.join(path), replaces)?)
        }
        None => None,
    };
    let synced = synced(ctx)?;
    // A file gets no colour codes, and its width is unknown.
    let printer = if target.is_some() {
        Printer {
            color: false,
            width: None,
            ..ctx.printer
        }
    } else {
        ctx.printer
    };
    let today = ctx.today;
    // The follow-up report reads only the people who can be due (its page, the whole vault).
    let contacts = match report {
        ReportCommand::Followups(_) => Vec::new(),
        _ => all_contacts(ctx, &synced, html)?,
    };
    let text = match report {
        // The morning table keeps only the people it shows; the other formats print everyone.
        ReportCommand::Followups(args) if args.format == FollowupsFormat::Table && !args.long => {
            morning_table(ctx, args, &synced, printer)?
        }
        ReportCommand::Followups(args) => {
            let morning = morning(ctx, args, &synced)?;
            followups_text(ctx, args, &synced, &morning, printer)?
        }
        ReportCommand::Stale(args) => {
            let older_than = window_days(&args.older_than.clone().unwrap_or_else(default_older_than), today);
            let r = stale::stale(&contacts, today, older_than);
            match args.format {
                ListFormat::Json => json(&r),
                ListFormat::Table => stale::render(&r, printer),
            }
        }
        ReportCommand::Circles(args) => {
            let r = || circles::circles(&contacts, synced.config, today);
            match args.format {
                ChartFormat::Json => json(&r()),
                ChartFormat::Table => circles::render(&r(), printer),
                ChartFormat::Html => page(ctx, &synced, &contacts, Section::Circles)?,
            }
        }
        ReportCommand::Outcomes(args) => {
            let r = || outcomes::outcomes(&contacts, synced.config);
            match args.format {
                ChartFormat::Json => json(&r()),
                ChartFormat::Table => outcomes::render(&r(), printer),
                ChartFormat::Html => page(ctx, &synced, &contacts, Section::Outcomes)?,
            }
        }
        ReportCommand::Reciprocity(args) => {
            let r = || reciprocity::reciprocity(&contacts, synced.config);
            match args.format {
                ChartFormat::Json => json(&r()),
                ChartFormat::Table => reciprocity::render(&r(), printer),
                ChartFormat::Html => page(ctx, &synced, &contacts, Section::Reciprocity)?,
            }
        }
        ReportCommand::Intros(args) => {
            let r = || intros::intros(&contacts);
            match args.format {
                IntrosFormat::Json => json(&r()),
                IntrosFormat::Table => intros::tree(&r()),
                IntrosFormat::Dot => intros::dot(&r()),
                IntrosFormat::Mermaid => intros::mermaid(&r()),
                IntrosFormat::Html => {
                    let who_knows = args.who_knows.as_deref();
                    page(ctx, &synced, &contacts, Section::Intros { who_knows })?
                }
            }
        }
        ReportCommand::Leads(args) => {
            let r = leads_report(&synced, &contacts);
            match args.format {
                ListFormat::Json => json(&r),
                ListFormat::Table => leads::render(&r, printer),
            }
        }
    };
    let written = match target {
        // Written by a rename: a reader never sees half a file.
        Some(path) => replace_file(&path, &text),
        None => emit(&text).map_err(|e| Error::io("stdout", e)),
    };
    // The process ends after this: freeing 100,000 contacts one allocation at a time (30 ms)
    // would only delay the prompt. A caller running commands in-process (the tests) keeps
    // that memory until it exits.
    std::mem::forget(contacts);
    written
}

/// Every contact's facts; in path order for a page, whose bytes must not depend on the
/// index's order.
fn all_contacts(ctx: &Context, synced: &Synced, html: bool) -> Result<Vec<Contact>> {
    let mut contacts = ctx.timed("load facts", || synced.index.contacts())?;
    if html {
        contacts.sort_by(|a, b| a.path.cmp(&b.path));
    }
    Ok(contacts)
}

/// The follow-up report's window in days (`--within`, else 7 days).
fn within_days(args: &FollowupsArgs, today: jiff::civil::Date) -> i64 {
    window_days(&args.within.clone().unwrap_or_else(default_within), today)
}

/// What the follow-up report reads of the index: the facts of only the people who can be due
/// within its window, and the counts of its closing lines.
pub fn morning(ctx: &Context, args: &FollowupsArgs, synced: &Synced) -> Result<Morning> {
    let within_days = within_days(args, ctx.today);
    ctx.timed("load facts", || synced.index.morning(ctx.today, within_days))
}

/// The follow-up report in the format asked for, from `morning`; with `--format html`, the
/// whole page (the follow-ups first), whose other sections read every contact.
pub fn followups_text(
    ctx: &Context,
    args: &FollowupsArgs,
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
        FollowupsFormat::Json => json(&followups::FollowupsJson::new(&items, today, within_days)),
        FollowupsFormat::Table if args.long => {
            let left_out = synced.walk.files.len().saturating_sub(morning.tally.contacts);
            followups::followups_long(&items, today, within_days, printer, left_out)
        }
        FollowupsFormat::Table => {
            let broken = ctx.timed("broken files", || synced.index.broken())?;
            let listed = followups::Counts::of(&followups::morning(&items, today));
            let left = followups::LeftOut::new(morning.tally, listed.dormant, &broken, morning.leads);
            let fit = followups::Fit {
                limit: limit(args),
                width: printer.width_or_default(),
            };
            followups::followups_table(&items, today, within_days, printer, fit, &left)
        }
        FollowupsFormat::Csv => export::followups_csv(&items, today),
        FollowupsFormat::Md => export::followups_markdown(&items, today, within_days),
        FollowupsFormat::Ics => export::followups_ics(&items, today),
        FollowupsFormat::Html => {
            let morning = html::Morning {
                items: &items,
                within_days,
                limit: limit(args),
            };
            let who_knows = args.who_knows.as_deref();
            let contacts = all_contacts(ctx, synced, true)?;
            page(ctx, synced, &contacts, Section::Whole { morning, who_knows })?
        }
    })
}

/// The morning table (SPEC §6) of a vault of any size: the contacts that can be due stream
/// past a [`followups::Choice`], which keeps the first `--limit` and counts the others.
fn morning_table(ctx: &Context, args: &FollowupsArgs, synced: &Synced, printer: Printer) -> Result<String> {
    let today = ctx.today;
    let within_days = within_days(args, today);
    let mut choice = followups::Choice::new(limit(args));
    let (tally, leads) = ctx.timed("load facts", || {
        let batch = rayon::current_num_threads();
        synced.index.morning_each(
            today,
            within_days,
            batch,
            |contact| followups::Choice::weigh(contact, synced.config, today, within_days),
            |weighed| choice.take(weighed),
        )
    })?;
    let items = choice.items(synced.config, today, within_days);
    let broken = ctx.timed("broken files", || synced.index.broken())?;
    let left = followups::LeftOut::new(tally, choice.counts.dormant, &broken, leads);
    let width = printer.width_or_default();
    Ok(followups::chosen_table(
        &items,
        choice.counts,
        today,
        within_days,
        printer,
        width,
        &left,
    ))
}

/// How many people the table and the page list: `--limit N`, everyone with `--all`.
fn limit(args: &FollowupsArgs) -> Option<usize> {
    if args.all {
        None
    } else {
        Some(args.limit.unwrap_or(DEFAULT_LIMIT))
    }
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

fn default_within() -> crate::cadence::Cadence {
    crate::cadence::Cadence::new(7, crate::cadence::Unit::Day)
}

fn default_older_than() -> crate::cadence::Cadence {
    crate::cadence::Cadence::new(180, crate::cadence::Unit::Day)
}

/// What clap cannot check: a flag that needs a certain `--format` is a usage error (exit 2),
/// never silently ignored.
fn check_format_flags(report: &ReportCommand) -> Result<()> {
    let (who_knows, html) = match report {
        ReportCommand::Followups(args) => {
            if args.long && args.format != FollowupsFormat::Table {
                return Err(Error::Usage(format!(
                    "--long shapes the table; --format {} always has everything",
                    args.format.name()
                )));
            }
            (&args.who_knows, args.format == FollowupsFormat::Html)
        }
        ReportCommand::Intros(args) => (&args.who_knows, args.format == IntrosFormat::Html),
        _ => return Ok(()),
    };
    if who_knows.is_some() && !html {
        return Err(Error::Usage(
            "--who-knows highlights warm paths in the picture of --format html; for a list, run `netvault who-knows QUERY`"
                .into(),
        ));
    }
    Ok(())
}
