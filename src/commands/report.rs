//! `netvault report [KIND]`: load the contacts from the synced index and render a report in
//! the format asked for (each report has a table and JSON; some have more).

use crate::cli::{ReportArgs, ReportFormat, ReportKind};
use crate::error::{Error, Result};
use crate::output::{Printer, emit, json};
use crate::report::{circles, export, followups, intros, outcomes, reciprocity, stale, window_days};

use super::{Context, synced};

pub fn run(ctx: &Context, args: &ReportArgs) -> Result<()> {
    let synced = synced(ctx)?;
    let contacts = ctx.timed("load facts", || synced.index.contacts())?;
    let today = ctx.today;
    // A file gets no colour codes.
    let printer = if args.output.is_some() {
        Printer {
            color: false,
            ..ctx.printer
        }
    } else {
        ctx.printer
    };
    let unsupported = || {
        Err(Error::Usage(format!(
            "`report {}` has no --format {}; use table or json{}",
            kind_name(args.kind),
            format_name(args.format),
            match args.kind {
                ReportKind::Followups => ", csv, md or ics",
                ReportKind::Intros => ", dot or mermaid",
                _ => "",
            }
        )))
    };
    let text = match args.kind {
        ReportKind::Followups => {
            let within_days = window_days(&args.within, today);
            let items = ctx.timed("evaluate", || {
                followups::followups(&contacts, &synced.config, today, within_days)
            });
            match args.format {
                ReportFormat::Json => json(&followups::FollowupsJson::new(&items, today, within_days)),
                ReportFormat::Table => {
                    let left_out = synced.walk.files.len() - contacts.len();
                    followups::followups_table(&items, today, within_days, printer, left_out)
                }
                ReportFormat::Csv => export::followups_csv(&items, today),
                ReportFormat::Md => export::followups_markdown(&items, today, within_days),
                ReportFormat::Ics => export::followups_ics(&items, today),
                ReportFormat::Dot | ReportFormat::Mermaid => return unsupported(),
            }
        }
        ReportKind::Stale => {
            let older_than = window_days(&args.older_than, today);
            let r = stale::stale(&contacts, today, older_than);
            match args.format {
                ReportFormat::Json => json(&r),
                ReportFormat::Table => stale::render(&r, printer),
                _ => return unsupported(),
            }
        }
        ReportKind::Circles => {
            let r = circles::circles(&contacts, &synced.config, today);
            match args.format {
                ReportFormat::Json => json(&r),
                ReportFormat::Table => circles::render(&r, printer),
                _ => return unsupported(),
            }
        }
        ReportKind::Outcomes => {
            let r = outcomes::outcomes(&contacts, &synced.config);
            match args.format {
                ReportFormat::Json => json(&r),
                ReportFormat::Table => outcomes::render(&r, printer),
                _ => return unsupported(),
            }
        }
        ReportKind::Reciprocity => {
            let r = reciprocity::reciprocity(&contacts, &synced.config);
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
    };
    match &args.output {
        Some(path) => {
            let path = ctx.cwd.join(path);
            std::fs::write(&path, text).map_err(|e| Error::Write { path, source: e })
        }
        None => emit(&text).map_err(|e| Error::io("stdout", e)),
    }
}

fn kind_name(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Followups => "followups",
        ReportKind::Stale => "stale",
        ReportKind::Circles => "circles",
        ReportKind::Outcomes => "outcomes",
        ReportKind::Reciprocity => "reciprocity",
        ReportKind::Intros => "intros",
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
    }
}
