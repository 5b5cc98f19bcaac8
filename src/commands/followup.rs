//! The commands that act on what is due (SPEC v2 §8): `todo NAME TEXT [--due]` adds an open
//! task, `done NAME [TASK]` marks done what is due now (a `follow_up` of today or earlier, open
//! tasks due by today, or the one task named), and `snooze NAME DATE|SPAN` sets `snooze_until`.
//! The rules of what is due are [`crate::followup`]'s; the text edits are [`crate::edit`]'s.

use std::fmt::Write as _;

use crate::body::Task;
use crate::cli::{TodoArgs, When};
use crate::config::VaultConfig;
use crate::edit;
use crate::error::Outcome;
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::followup::{self, Reason};
use crate::output::emit;

use super::Context;
use super::log::Target;

fn say(ctx: &Context, text: &str) -> Result<()> {
    if ctx.printer.quiet {
        return Ok(());
    }
    emit(text).map_err(|e| Error::io("stdout", e))
}

/// `todo`: append `- [ ] TEXT 📅 DATE` (or undated) under `## Tasks`.
pub fn todo(ctx: &Context, args: &TodoArgs) -> Result<Outcome> {
    let due = todo_due(ctx, args)?;
    let target = Target::load(ctx, &args.name)?;
    let text = todo_text(ctx, args, &target, due)?;
    target.save(ctx, &text)?;
    Ok(Outcome::Success)
}

/// The task's due date: `--due` resolved from today.
pub fn todo_due(ctx: &Context, args: &TodoArgs) -> Result<Option<jiff::civil::Date>> {
    args.due
        .as_ref()
        .map(|when| {
            when.resolve(ctx.today)
                .ok_or_else(|| Error::Usage("the due date is past the end of the calendar".into()))
        })
        .transpose()
}

/// The edit `todo` makes to `target` (nothing is written here).
pub fn todo_text(ctx: &Context, args: &TodoArgs, target: &Target, due: Option<jiff::civil::Date>) -> Result<String> {
    let text = edit::insert_task(&target.text, &args.text, due).map_err(|e| target.fail(e))?;
    if let Some(due) = due.filter(|d| *d < ctx.today) {
        ctx.note(&format!("the task is due {due}, already past: it shows as overdue"));
    }
    Ok(text)
}

/// `done`: with TASK, tick the one open task it names; without, remove a `follow_up` of today
/// or earlier and tick every open task due by today. Nothing explicit due is exit 1.
pub fn done(ctx: &Context, name: &str, task: Option<&str>) -> Result<Outcome> {
    let target = Target::load(ctx, name)?;
    let Some(text) = done_text(ctx, &target, task)? else {
        // The cadence the rhythm uses comes from the config (`Target` carries only its field map).
        emit(&nothing_due(ctx, &target, &ctx.vault()?.config)).map_err(|e| Error::io("stdout", e))?;
        return Ok(Outcome::Problems);
    };
    target.save(ctx, &text)?;
    if task.is_none()
        && let Some(later) = target.contact.follow_up.filter(|d| *d > ctx.today)
    {
        say(ctx, &format!("the follow-up set for {later} stays\n"))?;
    }
    Ok(Outcome::Success)
}

/// The edit `done` makes to `target` (nothing is written here); `None` when nothing explicit
/// is due ([`nothing_due`] says what is).
pub fn done_text(ctx: &Context, target: &Target, task: Option<&str>) -> Result<Option<String>> {
    let today = ctx.today;
    let contact = &target.contact;
    let open: Vec<&Task> = contact.tasks.iter().filter(|t| !t.done).collect();
    if let Some(words) = task {
        let chosen = choose_task(&open, words).map_err(|message| Error::Usage(format!("{}: {message}", target.rel)))?;
        let text = edit::tick_task(&target.text, chosen.line, today).map_err(|e| target.fail(e))?;
        return Ok(Some(text));
    }

    // Ticks first: each changes only its own line, so the others' line numbers still hold.
    let mut text = target.text.clone();
    for due_task in open.iter().filter(|t| t.due.is_some_and(|d| d <= today)) {
        text = edit::tick_task(&text, due_task.line, today).map_err(|e| target.fail(e))?;
    }
    let follow_up_done = contact.follow_up.filter(|d| *d <= today);
    if follow_up_done.is_some() {
        text = edit::remove_key_mapped(&text, "follow_up", &target.fields).map_err(|e| target.fail(e))?;
    } else if contact.follow_up.is_none() && edit::has_key(&target.text, "follow_up", &target.fields) {
        ctx.note("follow_up holds something that is not a date; left as it is");
    }
    Ok((text != target.text).then_some(text))
}

/// What `done` says when nothing explicit is due: what is (the rhythm, a later plan), and what
/// to do instead.
pub fn nothing_due(ctx: &Context, target: &Target, config: &VaultConfig) -> String {
    let today = ctx.today;
    let c = &target.contact;
    let open: Vec<&Task> = c.tasks.iter().filter(|t| !t.done).collect();
    let mut out = format!(
        "{}: no follow-up or open task is due by {today}; nothing changed\n",
        target.rel
    );
    if let Some(later) = c.follow_up.filter(|d| *d > today) {
        let _ = writeln!(out, "  the follow-up set for {later} is still ahead");
    }
    if let Some(next) = open.iter().filter_map(|t| t.due).filter(|d| *d > today).min() {
        let _ = writeln!(out, "  the next task is due {next}");
    }
    let quoted = shell_quote(&c.name);
    // An open task not yet due (or with no date) is ticked by naming it: show how, with its
    // first words.
    if let Some(task) = open.first() {
        let words: Vec<&str> = task.text.split_whitespace().take(4).collect();
        let _ = writeln!(
            out,
            "  to tick an open task anyway, name it:\n    netvault done {quoted} {}",
            shell_quote(&words.join(" "))
        );
    }
    let rhythm = followup::candidates(c, config, today, 0)
        .into_iter()
        .find(|r| matches!(r, Reason::Cadence { .. } | Reason::NeverContacted { .. }) && r.date() <= today);
    let snoozed = followup::snoozed_until(c, today);
    if let Some(until) = snoozed {
        let _ = writeln!(out, "  snoozed until {until}");
    }
    let log_hint = format!("netvault log {quoted} \"what you talked about\"");
    match (rhythm, snoozed) {
        (Some(reason), None) => {
            let _ = writeln!(
                out,
                "  {} is due only by the rhythm ({}). If you were in touch, log it:\n    {log_hint}\n  or put it off:\n    netvault snooze {quoted} 2w",
                c.name,
                reason.describe()
            );
        }
        (Some(reason), Some(_)) => {
            let _ = writeln!(
                out,
                "  the rhythm ({}) is all that waits; if you were in touch, log it:\n    {log_hint}",
                reason.describe()
            );
        }
        (None, _) => {
            let _ = writeln!(out, "  to record a conversation: {log_hint}");
        }
    }
    out
}

/// The one open task whose text holds `words` (folded: case and accents ignored); a task whose
/// whole text (without its due date) is `words` wins over ones that only contain them.
fn choose_task<'t>(open: &[&'t Task], words: &str) -> std::result::Result<&'t Task, String> {
    let wanted = fold(words.trim());
    let list = |tasks: &[&Task]| {
        tasks.iter().fold(String::new(), |mut out, t| {
            let _ = write!(out, "\n  - [ ] {}", t.text);
            out
        })
    };
    if wanted.is_empty() {
        return Err(format!(
            "name the task with a word of its text; open tasks:{}",
            list(open)
        ));
    }
    if open.is_empty() {
        return Err("there is no open task to tick".into());
    }
    let exact: Vec<&Task> = open
        .iter()
        .copied()
        .filter(|t| fold(&followup::strip_due(&t.text)) == wanted)
        .collect();
    if let [one] = exact.as_slice() {
        return Ok(one);
    }
    let found: Vec<&Task> = open
        .iter()
        .copied()
        .filter(|t| fold(&t.text).contains(&wanted))
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(format!("no open task matches {words:?}; open tasks:{}", list(open))),
        several => Err(format!(
            "{words:?} matches {} open tasks; give more of the text:{}",
            several.len(),
            list(several)
        )),
    }
}

/// A name as one shell word, for the commands `done` suggests.
fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        text.to_string()
    } else if !text.contains(['"', '\\', '$', '`']) {
        format!("\"{text}\"")
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// `snooze`: set `snooze_until` to DATE, or today + SPAN. `follow_up` and tasks stay.
pub fn snooze(ctx: &Context, name: &str, until: &When) -> Result<Outcome> {
    let day = snooze_day(ctx, until)?;
    let target = Target::load(ctx, name)?;
    let text = snooze_text(&target, day)?;
    if text == target.text {
        say(
            ctx,
            &format!("{}: already snoozed until {day}; nothing changed\n", target.rel),
        )?;
        return Ok(Outcome::Success);
    }
    target.save(ctx, &text)?;
    say(
        ctx,
        &format!(
            "{} leaves the follow-up report until {day}; follow-up and task dates are unchanged\n",
            target.contact.name
        ),
    )?;
    Ok(Outcome::Success)
}

/// The day a snooze ends: DATE, or today + SPAN; after today.
pub fn snooze_day(ctx: &Context, until: &When) -> Result<jiff::civil::Date> {
    let day = until
        .resolve(ctx.today)
        .ok_or_else(|| Error::Usage("the snooze date is past the end of the calendar".into()))?;
    if day <= ctx.today {
        return Err(Error::Usage(format!(
            "snooze until {day}: that is not after today ({}); give a later date or a span such as 2w",
            ctx.today
        )));
    }
    Ok(day)
}

/// The edit `snooze` makes to `target` (nothing is written here).
pub fn snooze_text(target: &Target, day: jiff::civil::Date) -> Result<String> {
    edit::set_key_mapped(&target.text, "snooze_until", &day.to_string(), &target.fields).map_err(|e| target.fail(e))
}
