//! `netvault show NAME`: one contact with its derived values (last contact, cadence, due date,
//! reasons), its log and tasks; human or JSON.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::cli::ShowFormat;
use crate::config::VaultConfig;
use crate::contact::Contact;
use crate::error::{Error, Result};
use crate::followup;
use crate::output::{self, emit};
use crate::vault;

use super::{Context, synced};

/// What rendering needs besides the contact.
struct View<'a> {
    config: &'a VaultConfig,
    /// The body's paragraphs outside the log.
    notes: Vec<String>,
}
use crate::report::followups::ReasonJson;

/// The window `show` uses for birthdays and the bucket.
const SHOW_WINDOW_DAYS: i64 = 7;

pub fn run(ctx: &Context, name: &str, format: ShowFormat) -> Result<()> {
    let synced = synced(ctx)?;
    let shown = shown(ctx, &synced, name)?;
    let text = match format {
        ShowFormat::Json => output::json(&shown.json(ctx)),
        ShowFormat::Human => shown.human(ctx),
    };
    emit(&text).map_err(|e| Error::io("stdout", e))
}

/// One contact as `show` sees it, ready to render either way.
pub struct Shown<'a> {
    pub contact: Contact,
    view: View<'a>,
}

impl Shown<'_> {
    /// What `show --format json` prints.
    pub fn json(&self, ctx: &Context) -> Value {
        to_json(&self.contact, &self.view, ctx)
    }

    /// What `show` prints.
    pub fn human(&self, ctx: &Context) -> String {
        human(&self.contact, &self.view, ctx)
    }
}

/// The contact NAME names, its file read now (the index only says which file).
pub fn shown<'a>(ctx: &Context, synced: &'a super::Synced, name: &str) -> Result<Shown<'a>> {
    let found = super::find(ctx, synced, name)?;
    let file = synced
        .walk
        .files
        .iter()
        .find(|f| f.rel == found.path)
        .ok_or_else(|| Error::NotFound(name.to_string(), String::new()))?;
    let parsed = vault::read_one(file, synced.config);
    let text = vault::read_limited(&file.abs)
        .ok()
        .flatten()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let body = text.as_deref().map(body_of).unwrap_or_default();
    let contact = match parsed.contact {
        Some(contact) => contact,
        // Front matter with errors: the body still says who this is and what was said
        // (SPEC §9: never silently missing).
        None => standing_in(found, &parsed, body),
    };
    let view = View {
        config: synced.config,
        notes: crate::body::notes(body),
    };
    Ok(Shown { contact, view })
}

/// The body of a file's text: after the front matter, or all of it when the block is not
/// complete.
fn body_of(text: &str) -> &str {
    let (_, text) = crate::frontmatter::strip_bom(text);
    match crate::frontmatter::split(text) {
        crate::frontmatter::Split::Block(block) => &text[block.body],
        _ => text,
    }
}

/// A contact for a file whose front matter has errors: its stem as name, the line of the first
/// error, and the log and tasks its body holds.
fn standing_in(mut found: Contact, parsed: &crate::contact::Parsed, body: &str) -> Contact {
    if let Some(d) = parsed
        .diagnostics
        .iter()
        .find(|d| d.severity == crate::diagnostic::Severity::Error)
    {
        found.front_matter_error = Some(d.line);
    }
    let index = crate::span::LineIndex::new(body);
    let read = crate::body::parse(body, |o| index.line(o));
    found.log = read.log;
    found.tasks = read.tasks;
    found.wikilinks = read.wikilinks;
    found
}

/// What to say or do next, as the morning report says it.
fn next(contact: &Contact, today: jiff::civil::Date) -> Option<String> {
    let horizon = today
        .checked_add(jiff::Span::new().days(SHOW_WINDOW_DAYS))
        .unwrap_or(jiff::civil::Date::MAX);
    crate::report::followups::next_step(contact, today, horizon)
}

fn cadence_source(contact: &Contact, vault: &View<'_>) -> Option<String> {
    if contact.cadence.is_some() {
        return Some("own".into());
    }
    if let Some(circle) = contact
        .circles
        .iter()
        .find(|c| vault.config.circle_cadence.contains_key(&c.to_lowercase()))
    {
        return Some(format!("circle {circle}"));
    }
    vault.config.default_cadence.as_ref().map(|_| "default".into())
}

fn to_json(contact: &Contact, vault: &View<'_>, ctx: &Context) -> Value {
    let today = ctx.today;
    let (due_date, reasons) = followup::schedule(contact, vault.config, today, SHOW_WINDOW_DAYS).unzip();
    let reasons = reasons.unwrap_or_default();
    let due = followup::evaluate(contact, vault.config, today, SHOW_WINDOW_DAYS);
    let mut value = serde_json::to_value(contact).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("last_contact_field".into(), json!(contact.last_contact));
        map.insert("last_contact".into(), json!(followup::last_contact(contact, today)));
        map.insert(
            "cadence".into(),
            json!(followup::cadence(contact, vault.config).map(ToString::to_string)),
        );
        map.insert("cadence_source".into(), json!(cadence_source(contact, vault)));
        map.insert("due".into(), json!(due_date));
        map.insert("bucket".into(), json!(due.as_ref().map(|d| d.bucket)));
        map.insert("days_overdue".into(), json!(due.as_ref().map_or(0, |d| d.days_overdue)));
        map.insert(
            "reasons".into(),
            json!(reasons.iter().map(ReasonJson::new).collect::<Vec<_>>()),
        );
        map.insert(
            "custom".into(),
            Value::Object(contact.custom.iter().map(|(k, v)| (k.clone(), json!(v))).collect()),
        );
        map.insert("birthday".into(), json!(contact.birthday.map(|b| b.to_string())));
        map.insert("next".into(), json!(next(contact, today)));
        map.insert("notes".into(), json!(vault.notes));
    }
    value
}

/// "2026-11-20 (7 days ago)", "(today)", "(yesterday)".
fn ago(d: jiff::civil::Date, today: jiff::civil::Date) -> String {
    match (today - d).get_days() {
        n if n < 0 => format!("{d} (in the future: check last_contact)"),
        0 => format!("{d} (today)"),
        1 => format!("{d} (yesterday)"),
        n => format!("{d} ({n} days ago)"),
    }
}

fn human(c: &Contact, vault: &View<'_>, ctx: &Context) -> String {
    let p = ctx.printer;
    let today = ctx.today;
    let text_width = p.width_or_default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}",
        p.paint(output::BOLD, &c.name),
        p.paint(output::DIM, &c.path)
    );
    if let Some(line) = c.front_matter_error {
        let warning = format!(
            "front matter has errors: line {line} — `netvault validate \"{}\"` says why; until they are fixed, this file is in no report",
            c.path
        );
        for line in output::wrap(&warning, text_width) {
            let _ = writeln!(out, "{}", p.paint(output::YELLOW, &line));
        }
    }
    let role = match (&c.title, &c.organization) {
        (Some(t), Some(o)) => Some(format!("{t} at {o}")),
        (Some(x), None) | (None, Some(x)) => Some(x.clone()),
        (None, None) => None,
    };
    if let Some(role) = role {
        let _ = writeln!(out, "{role}");
    }
    let mut rows = profile_rows(c);
    let last_contact = followup::last_contact(c, today);
    rows.push((
        "last contact",
        last_contact.map_or_else(|| "never".into(), |d| ago(d, today)),
    ));
    let cadence = followup::cadence(c, vault.config);
    rows.push((
        "cadence",
        cadence.map_or_else(
            || "none".into(),
            |k| format!("every {k} ({})", cadence_source(c, vault).unwrap_or_default()),
        ),
    ));
    // Without readable front matter, the cadence and what is due are unknown.
    let (due_date, reasons) = if c.front_matter_error.is_some() {
        rows.pop();
        (None, Vec::new())
    } else {
        let (due_date, reasons) = followup::schedule(c, vault.config, today, SHOW_WINDOW_DAYS).unzip();
        (due_date, reasons.unwrap_or_default())
    };
    let due = due_date.map_or_else(
        || {
            if c.front_matter_error.is_some() {
                "unknown until the front matter is fixed".into()
            } else if c.status == crate::contact::Status::Archived {
                "never (archived)".into()
            } else {
                "nothing scheduled".into()
            }
        },
        |d| format!("{d} ({})", crate::report::followups::when(d, today)),
    );
    rows.push(("due", due));
    let width = rows.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
    for (label, value) in &rows {
        let _ = writeln!(out, "  {}  {value}", p.paint(output::DIM, &format!("{label:<width$}")));
    }
    for reason in &reasons {
        let _ = writeln!(out, "  {:width$}  · {} ({})", "", reason.describe(), reason.date());
    }
    if let Some(next) = next(c, today) {
        let label = format!("{:width$}", "next");
        let indent = width + 4;
        for (i, line) in output::wrap(&next, text_width.saturating_sub(indent))
            .iter()
            .enumerate()
        {
            let lead = if i == 0 {
                format!("  {}  ", p.paint(output::DIM, &label))
            } else {
                " ".repeat(indent)
            };
            let _ = writeln!(out, "{lead}{line}");
        }
    }
    notes_section(&mut out, &vault.notes, p, text_width);
    log_section(&mut out, c, p, today, text_width);
    tasks_section(&mut out, c, p, text_width);
    out
}

/// The body's paragraphs outside the log, wrapped.
fn notes_section(out: &mut String, notes: &[String], p: output::Printer, text_width: usize) {
    if !notes.is_empty() {
        let _ = writeln!(out, "\n{}", p.paint(output::BOLD, "Notes"));
        for (i, note) in notes.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            for line in output::wrap(note, text_width.saturating_sub(2)) {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
}

/// The log, newest first: date, then the entry's words and its note wrapped beneath them.
fn log_section(out: &mut String, c: &Contact, p: output::Printer, today: jiff::civil::Date, text_width: usize) {
    if !c.log.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint(output::BOLD, &format!("Log ({}, newest first)", c.log.len()))
        );
        let mut log: Vec<_> = c.log.iter().collect();
        log.sort_by_key(|e| (std::cmp::Reverse(e.date), e.line));
        // Date, two spaces, then the entry's words and its note, wrapped under each other.
        let indent = 2 + 10 + 2;
        for e in log {
            let future = if e.date > today { " (future)" } else { "" };
            let mut lines = output::wrap(&format!("{}{future}", e.text), text_width.saturating_sub(indent));
            if lines.is_empty() {
                lines.push(String::new());
            }
            for note_line in output::wrap(&e.note, text_width.saturating_sub(indent)) {
                lines.push(p.paint(output::DIM, &note_line));
            }
            for (i, line) in lines.iter().enumerate() {
                if i == 0 {
                    let _ = writeln!(out, "  {}  {line}", p.paint(output::CYAN, &e.date.to_string()));
                } else {
                    let _ = writeln!(out, "{}{line}", " ".repeat(indent));
                }
            }
        }
    }
}

/// The open tasks, and how many are done.
fn tasks_section(out: &mut String, c: &Contact, p: output::Printer, text_width: usize) {
    let open: Vec<_> = c.tasks.iter().filter(|t| !t.done).collect();
    let done = c.tasks.len() - open.len();
    if !c.tasks.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint(output::BOLD, &format!("Open tasks ({})", open.len()))
        );
        for t in &open {
            for (i, line) in output::wrap(&t.text, text_width.saturating_sub(6)).iter().enumerate() {
                let mark = if i == 0 { "[ ]" } else { "   " };
                let _ = writeln!(out, "  {mark} {line}");
            }
        }
        if done > 0 {
            let _ = writeln!(out, "  {}", p.paint(output::DIM, &format!("and {done} done")));
        }
    }
}

/// The contact's own fields, as label/value rows (empty values left out).
fn profile_rows(c: &Contact) -> Vec<(&str, String)> {
    let mut rows: Vec<(&str, String)> = Vec::new();
    let list = |v: &[String]| v.join(", ");
    let push = |rows: &mut Vec<(&str, String)>, label, value: String| {
        if !value.is_empty() {
            rows.push((label, value));
        }
    };
    push(&mut rows, "aliases", list(&c.aliases));
    push(&mut rows, "location", c.location.clone().unwrap_or_default());
    push(&mut rows, "emails", list(&c.emails));
    push(&mut rows, "phones", list(&c.phones));
    push(&mut rows, "circles", list(&c.circles));
    push(&mut rows, "tags", list(&c.tags));
    let met = match (c.met, &c.met_at) {
        (Some(d), Some(at)) => format!("{d} at {at}"),
        (Some(d), None) => d.to_string(),
        (None, Some(at)) => at.clone(),
        (None, None) => String::new(),
    };
    push(&mut rows, "met", met);
    push(
        &mut rows,
        "connected",
        c.connected.map(|d| d.to_string()).unwrap_or_default(),
    );
    push(&mut rows, "introduced by", list(&c.introduced_by));
    push(&mut rows, "can help with", list(&c.can_help_with));
    push(&mut rows, "interests", list(&c.interests));
    push(
        &mut rows,
        "birthday",
        c.birthday.map(|b| b.to_string()).unwrap_or_default(),
    );
    for link in &c.links {
        push(
            &mut rows,
            "link",
            link.label
                .as_ref()
                .map_or_else(|| link.url.clone(), |l| format!("{l}: {}", link.url)),
        );
    }
    for (key, values) in &c.custom {
        rows.push((key.as_str(), values.join(", ")));
    }
    if c.status != crate::contact::Status::Active {
        rows.push(("status", c.status.as_str().to_string()));
    }
    push(
        &mut rows,
        "snooze until",
        c.snooze_until.map(|d| d.to_string()).unwrap_or_default(),
    );
    rows
}
