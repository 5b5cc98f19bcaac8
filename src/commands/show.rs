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
}
use crate::report::followups::ReasonJson;

/// The window `show` uses for birthdays and the bucket.
const SHOW_WINDOW_DAYS: i64 = 7;

pub fn run(ctx: &Context, name: &str, format: ShowFormat) -> Result<()> {
    let synced = synced(ctx)?;
    let found = super::find(ctx, &synced, name)?;
    // Show the file as it is now, parsed fresh (the index only said which file).
    let file = synced
        .walk
        .files
        .iter()
        .find(|f| f.rel == found.path)
        .ok_or_else(|| Error::NotFound(name.to_string(), String::new()))?;
    let parsed = vault::read_one(file, &synced.config);
    let contact = parsed.contact.as_ref().unwrap_or(&found);
    let vault = View { config: &synced.config };
    let text = match format {
        ShowFormat::Json => output::json(&to_json(contact, &vault, ctx)),
        ShowFormat::Human => human(contact, &vault, ctx),
    };
    emit(&text).map_err(|e| Error::io("stdout", e))
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
    }
    value
}

fn human(c: &Contact, vault: &View<'_>, ctx: &Context) -> String {
    let p = ctx.printer;
    let today = ctx.today;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}",
        p.paint(output::BOLD, &c.name),
        p.paint(output::DIM, &c.path)
    );
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
        last_contact.map_or_else(
            || "never".into(),
            |d| match (today - d).get_days() {
                n if n < 0 => format!("{d} (in the future: check last_contact)"),
                n => format!("{d} ({n} days ago)"),
            },
        ),
    ));
    let cadence = followup::cadence(c, vault.config);
    rows.push((
        "cadence",
        cadence.map_or_else(
            || "none".into(),
            |k| format!("every {k} ({})", cadence_source(c, vault).unwrap_or_default()),
        ),
    ));
    let (due_date, reasons) = followup::schedule(c, vault.config, today, SHOW_WINDOW_DAYS).unzip();
    let reasons = reasons.unwrap_or_default();
    let due = due_date.map_or_else(
        || {
            if c.status == crate::contact::Status::Archived {
                "never (archived)".into()
            } else {
                "nothing scheduled".into()
            }
        },
        |d| {
            let days = (d - today).get_days();
            match days {
                n if n < 0 => format!("{d} ({} days overdue)", -n),
                n => format!("{d} (in {n} days)"),
            }
        },
    );
    rows.push(("due", due));
    let width = rows.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
    for (label, value) in &rows {
        let _ = writeln!(out, "  {}  {value}", p.paint(output::DIM, &format!("{label:<width$}")));
    }
    for reason in &reasons {
        let _ = writeln!(out, "  {:width$}  · {} ({})", "", reason.describe(), reason.date());
    }
    if !c.log.is_empty() {
        let _ = writeln!(out, "\n{}", p.paint(output::BOLD, &format!("Log ({})", c.log.len())));
        let mut log: Vec<_> = c.log.iter().collect();
        log.sort_by_key(|e| std::cmp::Reverse(e.date));
        for e in log {
            let future = if e.date > today { " (future)" } else { "" };
            let _ = writeln!(
                out,
                "  {}  {}{future}",
                p.paint(output::CYAN, &e.date.to_string()),
                e.text
            );
        }
    }
    if !c.tasks.is_empty() {
        let _ = writeln!(out, "\n{}", p.paint(output::BOLD, "Tasks"));
        for t in &c.tasks {
            let mark = if t.done { "[x]" } else { "[ ]" };
            let _ = writeln!(out, "  {mark} {}", t.text);
        }
    }
    out
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
