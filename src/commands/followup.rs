//! `netvault done NAME` (remove `follow_up`) and `netvault snooze NAME SPAN` (set `follow_up`
//! to today + SPAN), SPEC §8.

use crate::Outcome;
use crate::cadence::Cadence;
use crate::edit;
use crate::error::{Error, Result};
use crate::output::emit;

use super::Context;
use super::log::Target;

pub fn done(ctx: &Context, name: &str) -> Result<Outcome> {
    let target = Target::load(ctx, name)?;
    if !edit::has_key(&target.text, "follow_up", &target.fields) {
        if !ctx.printer.quiet {
            emit(&format!("{}: no follow_up to remove; nothing changed\n", target.rel))
                .map_err(|e| Error::io("stdout", e))?;
        }
        return Ok(Outcome::Success);
    }
    let text = edit::remove_key_mapped(&target.text, "follow_up", &target.fields).map_err(|e| target.fail(e))?;
    target.save(ctx, &text)?;
    Ok(Outcome::Success)
}

/// The new follow-up is today + SPAN (not the old follow-up + SPAN: snoozing an overdue
/// follow-up should land in the future).
pub fn snooze(ctx: &Context, name: &str, span: &Cadence) -> Result<Outcome> {
    let target = Target::load(ctx, name)?;
    let follow_up = span
        .add_to(ctx.today)
        .ok_or_else(|| Error::Usage("the new follow-up date is past the end of the calendar".into()))?;
    let text = edit::set_key_mapped(&target.text, "follow_up", &follow_up.to_string(), &target.fields)
        .map_err(|e| target.fail(e))?;
    if text == target.text {
        if !ctx.printer.quiet {
            emit(&format!(
                "{}: follow_up is already {follow_up}; nothing changed\n",
                target.rel
            ))
            .map_err(|e| Error::io("stdout", e))?;
        }
        return Ok(Outcome::Success);
    }
    target.save(ctx, &text)?;
    Ok(Outcome::Success)
}
