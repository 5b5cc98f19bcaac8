//! `netvault import linkedin|vcard FILE [--dry-run]`: bring contacts in from an export (SPEC §8).
//! Orchestration only: read the export ([`crate::import::linkedin`], [`crate::import::vcard`]),
//! read the vault's files,
//! match and merge ([`crate::import::plan`]), print the plan, and write it through
//! [`crate::edit`] unless `--dry-run`. New files are made by `add`'s template machinery.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::boundary::Boundary;
use crate::cli::{AddArgs, ImportArgs, ImportFileArgs, ImportSource};
use crate::contact::{self, Contact, parse_file};
use crate::edit;
use crate::error::Outcome;
use crate::error::{Error, Result};
use crate::import::plan::{self, Match};
use crate::import::{Export, Person, RowNote, linkedin, vcard};
use crate::output::{self, emit};
use crate::vault;

use super::add::{contacts_folder, contacts_folder_path, fill, load_template};
use super::{Context, synced};

pub fn run(ctx: &Context, args: &ImportArgs) -> Result<Outcome> {
    match &args.source {
        ImportSource::Linkedin(file) => import_linkedin(ctx, file),
        ImportSource::Vcard(file) => import_vcard(ctx, file),
    }
}

fn import_vcard(ctx: &Context, args: &ImportFileArgs) -> Result<Outcome> {
    let path = ctx.cwd.join(&args.file);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let (text, decoded) = vcard::decode(&bytes);
    let mut export = vcard::parse(&text).map_err(|e| Error::Import {
        path: path.clone(),
        message: e.0,
    })?;
    export.notes.splice(0..0, decoded);
    apply(ctx, &export, args.dry_run)
}

fn import_linkedin(ctx: &Context, args: &ImportFileArgs) -> Result<Outcome> {
    let path = ctx.cwd.join(&args.file);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let (text, decoded) = linkedin::decode(&bytes);
    let mut export = linkedin::parse(&text).map_err(|e| Error::Import {
        path: path.clone(),
        message: e.0,
    })?;
    export.notes.splice(0..0, decoded);
    apply(ctx, &export, args.dry_run)
}

/// A file to create or change.
enum Write {
    Create {
        abs: PathBuf,
        rel: String,
        text: String,
        line: usize,
    },
    Update {
        abs: PathBuf,
        rel: String,
        bytes: Vec<u8>,
        text: String,
        added: Vec<&'static str>,
        /// Set by a job change.
        changed: Vec<&'static str>,
        task: bool,
        line: usize,
    },
}

/// Everything an import will do, for printing and writing.
#[derive(Default)]
struct Plan {
    writes: Vec<Write>,
    job_changes: Vec<String>,
    unchanged: usize,
    skipped: Vec<RowNote>,
}

fn apply(ctx: &Context, export: &Export, dry_run: bool) -> Result<Outcome> {
    let synced = synced(ctx)?;
    // Only the front matter is needed to match (names, emails, profile URLs).
    let (entries, unmatched_files) = read_front_matter(ctx, &synced);
    if !unmatched_files.is_empty() {
        let shown: Vec<&str> = unmatched_files.iter().take(5).copied().collect();
        let more = unmatched_files.len().saturating_sub(shown.len());
        let (it, them) = if unmatched_files.len() == 1 {
            ("it", "it")
        } else {
            ("them", "them")
        };
        ctx.note(&format!(
            "{} could not be read to match people against ({}{}); a person in {it} may be added again: fix {them} (`netvault validate`), then import again (a second import changes nothing else)",
            output::plural(unmatched_files.len(), "file"),
            shown.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() },
        ));
    }
    let contacts: Vec<&Contact> = entries.iter().map(|(_, c)| c).collect();
    let (people, merged) = plan::merge_duplicates(export.people.clone());
    let matches = ctx.timed("match", || plan::match_people(&people, &contacts));

    let root = &synced.root;
    let fields = &synced.config.fields;
    let folder = contacts_folder_path(root, &synced.config.new_contacts)?;
    let mut plan = Plan {
        skipped: export.skipped.clone(),
        ..Plan::default()
    };
    // The names already in the folder, read once (not a stat per new person).
    let mut taken: HashSet<String> = edit::folder_names(&folder).into_keys().collect();
    let mut template: Option<(PathBuf, String)> = None;
    // A person someone gave you as a lead comes in introduced by them, as with `add`.
    let mut leads: Option<Option<crate::report::leads::Leads>> = None;
    for (person, found) in people.iter().zip(matches) {
        let skip = |plan: &mut Plan, message: String| {
            plan.skipped.push(RowNote {
                line: person.line,
                message,
            });
        };
        match found {
            Match::Skip(message) => skip(&mut plan, message),
            Match::Existing(k) => {
                let file = &synced.walk.files[entries[k].0];
                plan_update(ctx, person, file, fields, &mut plan)?;
            }
            Match::New => {
                if template.is_none() {
                    template = Some(load_template(root)?);
                }
                let (template_path, template_text) = template.as_ref().expect("loaded just above");
                let Some(abs) = new_path(&folder, &person.name, &mut taken) else {
                    skip(
                        &mut plan,
                        format!("{}: the name leaves nothing usable as a file name", person.name),
                    );
                    continue;
                };
                let mut text =
                    new_text(template_text, person, synced.config, ctx.today).map_err(|e| e.at(template_path))?;
                let leads = leads.get_or_insert_with(|| super::add::leads_of(ctx, &synced));
                if let Some((stem, _)) = leads.as_ref().and_then(|l| super::add::giver(l, &person.name)) {
                    let by = crate::edit::yaml_scalar(&format!("[[{stem}]]"));
                    text =
                        edit::set_key_mapped(&text, "introduced_by", &by, fields).map_err(|e| e.at(template_path))?;
                }
                let rel = vault::relative(root, &abs).unwrap_or_else(|| abs.display().to_string());
                if parse_file(&rel, text.as_bytes(), fields).contact.is_none() {
                    skip(
                        &mut plan,
                        format!("{}: the template gives an unreadable file", person.name),
                    );
                    continue;
                }
                plan.writes.push(Write::Create {
                    abs,
                    rel,
                    text,
                    line: person.line,
                });
            }
        }
    }

    if !dry_run {
        ctx.timed("write", || {
            write_all(synced.boundary, &synced.config.new_contacts, &plan)
        })?;
    }
    let mut notes = export.notes.clone();
    notes.extend(merged);
    notes.sort_by_key(|n| n.line);
    print(ctx, &plan, &notes, dry_run)?;
    Ok(Outcome::Success)
}

/// Only the front matter is needed to match (names, emails, profile URLs): each contact with
/// its index in the walk, and the files that cannot be matched — unreadable, or front matter
/// with errors — which the caller names (never skipped in silence: a person in them may be
/// added again). Notes without front matter are neither.
fn read_front_matter<'s>(ctx: &Context, synced: &'s super::Synced) -> (Vec<(usize, Contact)>, Vec<&'s str>) {
    // `Err(())`: cannot be matched; `Ok(None)`: a note, not a contact.
    type Read = std::result::Result<Option<Contact>, ()>;
    let read: Vec<(usize, Read)> = ctx.timed("read front matter", || {
        synced
            .walk
            .files
            .par_iter()
            .enumerate()
            .map(|(i, f)| {
                let contact = match vault::read_limited(&f.abs) {
                    Ok(Some(bytes)) => {
                        let parsed = contact::parse_front_matter(&f.rel, &bytes, &synced.config.fields);
                        let broken = parsed
                            .diagnostics
                            .iter()
                            .any(|d| d.severity == crate::diagnostic::Severity::Error);
                        match parsed.contact {
                            None if broken => Err(()),
                            contact => Ok(contact),
                        }
                    }
                    Ok(None) | Err(_) => Err(()),
                };
                (i, contact)
            })
            .collect()
    });
    let mut entries = Vec::with_capacity(read.len());
    let mut unmatched = Vec::new();
    for (i, contact) in read {
        match contact {
            Ok(Some(c)) => entries.push((i, c)),
            Ok(None) => {}
            Err(()) => unmatched.push(synced.walk.files[i].rel.as_str()),
        }
    }
    (entries, unmatched)
}

/// Write the plan: new files first created in a folder checked to stay inside the vault.
fn write_all(boundary: &Boundary, new_contacts: &str, plan: &Plan) -> Result<()> {
    if plan.writes.iter().any(|w| matches!(w, Write::Create { .. })) {
        // Created and checked to stay inside the vault (no symlink out).
        contacts_folder(boundary, new_contacts)?;
    }
    for write in &plan.writes {
        match write {
            Write::Create { abs, text, .. } => edit::write_new(boundary, abs, text)?,
            Write::Update { abs, bytes, text, .. } => edit::write_atomic(boundary, abs, text, bytes)?,
        }
    }
    Ok(())
}

/// A matched contact: the fields it gains and any job change.
fn plan_update(
    ctx: &Context,
    person: &Person,
    file: &vault::FileEntry,
    fields: &std::collections::BTreeMap<String, String>,
    out: &mut Plan,
) -> Result<()> {
    let skip = |plan: &mut Plan, message: String| {
        plan.skipped.push(RowNote {
            line: person.line,
            message,
        });
    };
    let bytes = std::fs::read(&file.abs).map_err(|e| Error::io(&file.abs, e))?;
    let Ok(text) = String::from_utf8(bytes.clone()) else {
        skip(out, format!("{}: {} is not UTF-8 text", person.name, file.rel));
        return Ok(());
    };
    let now = parse_file(&file.rel, &bytes, fields);
    let merge = match plan::merge(person, &text, &now, fields, ctx.today) {
        Ok(merge) => merge,
        Err(e) => {
            skip(out, format!("{}: cannot edit {}: {e}", person.name, file.rel));
            return Ok(());
        }
    };
    if let Some(change) = &merge.job_change {
        let mut message = change.message.clone();
        if let Some(due) = change.due {
            let _ = write!(message, "; a task to congratulate, due {due}");
        }
        out.job_changes.push(message);
    }
    if merge.text == text {
        out.unchanged += 1;
    } else if parse_file(&file.rel, merge.text.as_bytes(), fields).contact.is_none() {
        skip(
            out,
            format!("{}: the edit would make {} unreadable", person.name, file.rel),
        );
    } else {
        out.writes.push(Write::Update {
            abs: file.abs.clone(),
            rel: file.rel.clone(),
            bytes,
            text: merge.text,
            added: merge.added,
            changed: merge.changed,
            task: merge.job_change.is_some(),
            line: person.line,
        });
    }
    Ok(())
}

/// `FOLDER/NAME.md` with the name made safe; ` 2`, ` 3`... added when taken. A name is taken
/// when a file in the folder, or one planned before, has it ignoring case ([`edit::file_name_key`]:
/// `JANE.md` beside `Jane.md` would be one file on macOS and Windows).
fn new_path(folder: &Path, name: &str, taken: &mut HashSet<String>) -> Option<PathBuf> {
    let stem = edit::safe_file_stem(name)?;
    (1..1000).find_map(|n| {
        let file_name = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem} {n}.md")
        };
        taken
            .insert(edit::file_name_key(&file_name))
            .then(|| folder.join(file_name))
    })
}

/// A new contact file: `add`'s template filling, then the fields only an import knows. No
/// `met` (an export does not say when you met; Connected On is `connected`), and the status
/// of config `[import] status`, dormant unless set: hundreds of connections must not all be
/// due tomorrow (SPEC §8).
fn new_text(
    template: &str,
    person: &Person,
    config: &crate::config::VaultConfig,
    today: jiff::civil::Date,
) -> Result<String, edit::EditError> {
    let fields = &config.fields;
    let args = AddArgs {
        name: person.name.clone(),
        org: None,
        title: None,
        // Emails and tags are set below, quoted when one looks like a formula.
        email: Vec::new(),
        circle: person.circles.clone(),
        tag: Vec::new(),
        met_at: None,
        introduced_by: None,
        edit: false,
        force: false,
    };
    let mut text = fill(template, &person.name, &args, fields, &today.to_string())?;
    let mut set = |key: &str, yaml: String| -> Result<(), edit::EditError> {
        text = edit::set_key_mapped(&text, key, &yaml, fields)?;
        Ok(())
    };
    if let Some(org) = &person.organization {
        set("organization", plan::cell_yaml(org))?;
    }
    if let Some(title) = &person.title {
        set("title", plan::cell_yaml(title))?;
    }
    if let Some(location) = &person.location {
        set("location", plan::cell_yaml(location))?;
    }
    if let Some(parts) = &person.name_parts {
        set("name_parts", plan::name_parts_yaml(parts))?;
    }
    if !person.emails.is_empty() {
        set("emails", plan::list_yaml(&person.emails))?;
    }
    if !person.phones.is_empty() {
        set("phones", plan::list_yaml(&person.phones))?;
    }
    if !person.aliases.is_empty() {
        set("aliases", plan::list_yaml(&person.aliases))?;
    }
    if !person.tags.is_empty() {
        set("tags", plan::list_yaml(&person.tags))?;
    }
    if let Some(birthday) = person.birthday {
        set("birthday", birthday.to_string())?;
    }
    if let Some(links) = plan::links_yaml(person) {
        set("links", links)?;
    }
    if let Some(note) = &person.note {
        set("note", plan::note_yaml(note))?;
    }
    if let Some(connected) = person.connected {
        set("connected", connected.to_string())?;
    }
    set("status", config.import_status.as_str().to_string())?;
    // The template's `met: {{today}}` would be a guess.
    if edit::has_key(&text, "met", fields) {
        text = edit::remove_key_mapped(&text, "met", fields)?;
    }
    Ok(text)
}

fn print(ctx: &Context, plan: &Plan, notes: &[RowNote], dry_run: bool) -> Result<()> {
    let p = ctx.printer;
    let mut out = String::new();
    let (mut new, mut updated) = (0, 0);
    for write in &plan.writes {
        match write {
            Write::Create { rel, line, .. } => {
                new += 1;
                let _ = writeln!(out, "{} {rel} (line {line})", p.paint(output::GREEN, "new:"));
            }
            Write::Update {
                rel,
                added,
                changed,
                task,
                line,
                ..
            } => {
                updated += 1;
                let mut what = Vec::new();
                if !added.is_empty() {
                    what.push(format!("+ {}", added.join(", ")));
                }
                if !changed.is_empty() {
                    what.push(format!("{} changed", changed.join(", ")));
                }
                if *task {
                    what.push("+ task".to_string());
                }
                let _ = writeln!(
                    out,
                    "{} {rel} (line {line}): {}",
                    p.paint(output::CYAN, "updated:"),
                    what.join("; ")
                );
            }
        }
    }
    for change in &plan.job_changes {
        let _ = writeln!(out, "{} {change}", p.paint(output::YELLOW, "job change:"));
    }
    let mut skipped: Vec<&RowNote> = plan.skipped.iter().collect();
    skipped.sort_by_key(|s| s.line);
    let notes: Vec<&RowNote> = notes.iter().collect();
    for (style, label, list) in [(output::RED, "skipped:", &skipped), (output::YELLOW, "note:", &notes)] {
        for row in list {
            let _ = writeln!(out, "{} line {}: {}", p.paint(style, label), row.line, row.message);
        }
    }
    if !p.quiet {
        let _ = writeln!(
            out,
            "{}: {new} new, {updated} updated, {} unchanged, {}, {} skipped{}",
            if dry_run { "Plan" } else { "Imported" },
            plan.unchanged,
            output::plural(plan.job_changes.len(), "job change"),
            skipped.len(),
            if dry_run { " (dry run: nothing written)" } else { "" }
        );
    }
    emit(&out).map_err(|e| Error::io("stdout", e))
}
