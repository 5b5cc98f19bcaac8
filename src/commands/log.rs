//! `netvault log NAME MESSAGE [--date DATE] [--follow-up DATE|SPAN]`: record an interaction
//! (SPEC §8): never dated after today; a dormant contact becomes active. Also home of
//! [`Target`], the read–edit–write cycle `todo`, `done` and `snooze` share.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::boundary::Boundary;
use crate::cli::LogArgs;
use crate::contact::{Contact, Status, parse_file};
use crate::edit::{self, Change};
use crate::error::Outcome;
use crate::error::{Error, Result};
use crate::output::{self, emit};

use super::{Context, synced};

/// A contact file read for editing: its bytes as read (the guard against concurrent saves) and
/// its text.
pub struct Target {
    /// The vault's boundary: the file is written only inside it.
    pub boundary: Boundary,
    pub abs: PathBuf,
    pub rel: String,
    pub bytes: Vec<u8>,
    pub text: String,
    pub fields: BTreeMap<String, String>,
    /// The file parsed now (the index only said which file).
    pub contact: Contact,
}

impl Target {
    /// Resolve NAME (SPEC §2) and read its file.
    pub fn load(ctx: &Context, name: &str) -> Result<Self> {
        let synced = synced(ctx)?;
        let found = super::find(ctx, &synced, name)?;
        let boundary = synced.boundary.clone();
        let abs = synced.root.join(&found.path);
        let bytes = std::fs::read(&abs).map_err(|e| Error::io(&abs, e))?;
        let text = String::from_utf8(bytes.clone()).map_err(|_| Error::Edit {
            path: abs.clone(),
            message: "the file is not UTF-8 text; run `netvault validate` on it".into(),
        })?;
        let fields = synced.config.fields.clone();
        let contact = parse_file(&found.path, &bytes, &fields)
            .contact
            .ok_or_else(|| Error::Edit {
                path: abs.clone(),
                message: "the file's front matter cannot be read; run `netvault validate` on it".into(),
            })?;
        Ok(Self {
            boundary,
            abs,
            rel: found.path,
            bytes,
            text,
            fields,
            contact,
        })
    }

    /// Lift a pure edit's error to one naming this file.
    pub fn fail(&self, err: edit::EditError) -> Error {
        err.at(&self.abs)
    }

    /// Refuse an edit that would leave the file's front matter unreadable.
    pub fn check(&self, new_text: &str) -> Result<()> {
        if parse_file(&self.rel, new_text.as_bytes(), &self.fields)
            .contact
            .is_none()
        {
            return Err(Error::Edit {
                path: self.abs.clone(),
                message: "the edit would make the front matter unreadable; nothing was written".into(),
            });
        }
        Ok(())
    }

    /// Write `new_text` over the file: refused if it changed on disk since `load`, or if the
    /// edit would leave it unreadable ([`Target::check`]).
    pub fn write(&self, new_text: &str) -> Result<()> {
        self.check(new_text)?;
        edit::write_atomic(&self.boundary, &self.abs, new_text, &self.bytes)
    }

    /// [`Target::write`], then print the path and the changed lines.
    pub fn save(&self, ctx: &Context, new_text: &str) -> Result<()> {
        self.write(new_text)?;
        if ctx.printer.quiet {
            return Ok(());
        }
        let p = ctx.printer;
        let mut out = format!("{}\n", p.paint(output::BOLD, &self.rel));
        for change in edit::changed_lines(&self.text, new_text) {
            let line = match change {
                Change::Added(l) => p.paint(output::GREEN, &format!("+ {l}")),
                Change::Removed(l) => p.paint(output::RED, &format!("- {l}")),
            };
            out.push_str("  ");
            out.push_str(&line);
            out.push('\n');
        }
        emit(&out).map_err(|e| Error::io("stdout", e))
    }
}

pub fn run(ctx: &Context, args: &LogArgs) -> Result<Outcome> {
    day(ctx, args)?;
    let target = Target::load(ctx, &args.name)?;
    let logged = logged(ctx, args, &target)?;
    target.save(ctx, &logged.text)?;
    if logged.woke && !ctx.printer.quiet {
        emit(&format!(
            "{} was dormant and is active again: the keep-in-touch rhythm applies from now on\n",
            target.contact.name
        ))
        .map_err(|e| Error::io("stdout", e))?;
    }
    Ok(Outcome::Success)
}

/// The day a log records: `--date`, else today; never after today.
pub fn day(ctx: &Context, args: &LogArgs) -> Result<jiff::civil::Date> {
    let day = args.date.unwrap_or(ctx.today);
    // A log records what happened; a plan is a task (SPEC v2 §8).
    if day > ctx.today {
        return Err(Error::Usage(format!(
            "{day} is after today ({}): a log records what happened; for a plan, add a task: netvault todo {:?} \"...\" --due {day}",
            ctx.today, args.name
        )));
    }
    Ok(day)
}

/// A target's text after a log: the new entry, `last_contact`, `follow_up`, `status`.
pub struct Logged {
    pub text: String,
    /// The contact was dormant and is active again.
    pub woke: bool,
}

/// The edit `log` makes to `target` (nothing is written here).
pub fn logged(ctx: &Context, args: &LogArgs, target: &Target) -> Result<Logged> {
    let day = day(ctx, args)?;
    let mut text = edit::insert_log_entry(&target.text, day, &args.message).map_err(|e| target.fail(e))?;
    let current = target.contact.last_contact;
    let has_field = edit::has_key(&target.text, "last_contact", &target.fields);
    if has_field && current.is_none() {
        ctx.note("last_contact holds something that is not a date; left as it is");
    } else if current.is_none_or(|c| day > c) {
        text = edit::set_key_mapped(&text, "last_contact", &day.to_string(), &target.fields)
            .map_err(|e| target.fail(e))?;
    }
    if let Some(when) = &args.follow_up {
        let follow_up = when
            .resolve(day)
            .ok_or_else(|| Error::Usage("the follow-up date is past the end of the calendar".into()))?;
        // A follow-up on or before the conversation is met by it at once and would never fire
        // (a year typed wrong, `--date` a week ago with `--follow-up 3d`): refused.
        if follow_up <= day {
            return Err(Error::Usage(format!(
                "the follow-up {follow_up} is not after the conversation ({day}), so it would never remind you; give a later date or a span counted from the conversation (`--follow-up 2w`)"
            )));
        }
        if follow_up < ctx.today {
            ctx.note(&format!("the follow-up {follow_up} is already past: it is due now"));
        }
        text = edit::set_key_mapped(&text, "follow_up", &follow_up.to_string(), &target.fields)
            .map_err(|e| target.fail(e))?;
    }
    // You are in touch now: a dormant contact becomes active again.
    let woke = target.contact.status == Status::Dormant;
    if woke {
        text = edit::set_key_mapped(&text, "status", "active", &target.fields).map_err(|e| target.fail(e))?;
    }
    Ok(Logged { text, woke })
}
