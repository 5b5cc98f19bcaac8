//! `netvault export csv|vcard|ics [--output FILE]`: every contact as CSV or vCard 4.0 (read
//! fresh from the files, in path order), or the follow-ups of the next 7 days as iCalendar
//! to-dos (the same bytes as `report followups --format ics`). Never writes a contact file.

use rayon::prelude::*;

use crate::cli::{ExportArgs, ExportKind};
use crate::contact::Contact;
use crate::error::{Error, Result};
use crate::output::emit;
use crate::report::{export as report_export, followups, window_days};

use super::{Context, Synced, synced};

/// The follow-up window of `export ics`: the default of `report --within`.
const ICS_WINDOW_DAYS: u32 = 7;

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<()> {
    let synced = synced(ctx)?;
    let text = match args.kind {
        ExportKind::Csv => crate::export::contacts_csv(&read_contacts(ctx, &synced)),
        ExportKind::Vcard => crate::export::contacts_vcard(&read_contacts(ctx, &synced)),
        ExportKind::Ics => {
            let contacts = ctx.timed("load facts", || synced.index.contacts())?;
            let window = crate::cadence::Cadence::new(ICS_WINDOW_DAYS, crate::cadence::Unit::Day);
            let within_days = window_days(&window, ctx.today);
            let items = followups::followups(&contacts, synced.config, ctx.today, within_days);
            report_export::followups_ics(&items, ctx.today)
        }
    };
    match &args.output {
        // As `report --output`: inside the vault the boundary decides, a contact file is never
        // replaced, and the file is written by a rename, never through a link.
        Some(path) => super::outfile::output_file(ctx, &ctx.cwd.join(path), super::outfile::Replaces::NotAContact)
            .and_then(|real| super::outfile::replace_file(&real, &text)),
        None => emit(&text).map_err(|e| Error::io("stdout", e)),
    }
}

/// Every contact file parsed fresh (the index drops emails, phones and links), in path order;
/// files that are not contacts are left out.
fn read_contacts(ctx: &Context, synced: &Synced) -> Vec<Contact> {
    let mut contacts: Vec<Contact> = ctx.timed("read files", || {
        synced
            .walk
            .files
            .par_iter()
            .filter_map(|file| crate::vault::read_one(file, synced.config).contact)
            .collect()
    });
    contacts.sort_by(|a, b| a.path.cmp(&b.path));
    contacts
}
