//! `netvault add NAME [--org ..] [--title ..] ...`: create a contact file from the vault's
//! template (SPEC §8): a safe file name, never an overwrite, never outside the vault; refused
//! when NAME already names a contact (unless `--force`); `people/Jane Roe` creates the file in
//! that folder of the vault.

use std::path::{Component, Path, PathBuf};

use crate::boundary::Boundary;
use crate::cli::AddArgs;
use crate::commands::init::TEMPLATE;
use crate::contact::parse_file;
use crate::edit::{self, yaml_list, yaml_scalar};
use crate::error::Outcome;
use crate::error::{Error, Result};
use crate::index::lookup;
use crate::output::emit;
use crate::resolve::{Name, Resolution, Usage};
use crate::vault::{self, META_DIR};

use super::{Context, synced};

pub fn run(ctx: &Context, args: &AddArgs) -> Result<Outcome> {
    let name = args.name.trim();
    if name.is_empty() || name.contains(['\n', '\r']) {
        return Err(Error::Usage("NAME must be a non-empty single line".into()));
    }
    let (in_folder, person) = split_folder(name);
    if person.is_empty() {
        return Err(Error::Usage(format!("{name:?} names a folder, not a person")));
    }
    let synced = synced(ctx)?;
    let (root, config, boundary) = (synced.root, synced.config, synced.boundary);
    if !args.force {
        refuse_existing(ctx, &synced, name, person)?;
    }
    let mut args = args.clone();
    if let Some(by) = &args.introduced_by {
        args.introduced_by = Some(introducer(ctx, &synced, by)?);
    }
    let folder = match in_folder {
        Some(folder) => named_folder(boundary, folder)?,
        None => contacts_folder(boundary, &config.new_contacts)?,
    };
    let stem = edit::safe_file_stem(person)
        .ok_or_else(|| Error::Usage(format!("{person:?} leaves nothing usable as a file name")))?;
    let path = free_path(&folder, &stem, args.force)?;
    if let Some(rel) = vault::relative(root, &path)
        && !vault::Selector::new(config)?.selects(&rel)
    {
        return Err(Error::Usage(format!(
            "{rel} would not be read as a contact (the config's include/exclude leave it out); choose another folder"
        )));
    }

    let (template_path, template) = load_template(root)?;
    let mut text =
        fill(&template, person, &args, &config.fields, &ctx.today.to_string()).map_err(|e| e.at(&template_path))?;
    // A lead (a name someone gave you in a note) becomes a contact introduced by them.
    let giver = if args.introduced_by.is_none() {
        lead_giver(ctx, &synced, person)
    } else {
        None
    };
    if let Some((stem, said)) = &giver {
        text = edit::set_key_mapped(
            &text,
            "introduced_by",
            &yaml_scalar(&format!("[[{stem}]]")),
            &config.fields,
        )
        .map_err(|e| e.at(&template_path))?;
        ctx.note(&format!("introduced_by: [[{stem}]], who gave the name {said}"));
    }
    edit::write_new(boundary, &path, &text)?;
    emit(&format!("{}\n", path.display())).map_err(|e| Error::io("stdout", e))?;
    if args.edit {
        super::edit::open(&path)?;
    }
    Ok(Outcome::Success)
}

/// Who gave `name` as a lead (SPEC §6: the earliest mention of a name that is no contact yet),
/// and when, in words. Reading the index is a courtesy here: if it fails, the contact is added
/// without `introduced_by`, and a note says why.
fn lead_giver(ctx: &Context, synced: &super::Synced, name: &str) -> Option<(String, String)> {
    giver(&leads_of(ctx, synced)?, name)
}

/// The vault's leads, to find who gave a name; `None`, with a note, when the index cannot say.
pub(super) fn leads_of(ctx: &Context, synced: &super::Synced) -> Option<crate::report::leads::Leads> {
    match synced.index.contacts() {
        Ok(contacts) => Some(super::report::leads_report(synced, &contacts)),
        Err(e) => {
            ctx.note(&format!(
                "could not look for who gave this name ({e}); introduced_by is left empty"
            ));
            None
        }
    }
}

/// Who gave `name` first among `leads` (their file's stem), and when, in words.
pub(super) fn giver(leads: &crate::report::leads::Leads, name: &str) -> Option<(String, String)> {
    crate::report::leads::introducer(leads, name).map(|lead| {
        let when = lead
            .date
            .map_or_else(|| "in their notes".to_string(), |d| format!("on {d}"));
        (lead.from.stem.clone(), when)
    })
}

/// `people/Jane Roe` → (`Some("people")`, `Jane Roe`); a NAME without a folder has none. `\`
/// separates folders too, as on Windows.
fn split_folder(name: &str) -> (Option<&str>, &str) {
    match name.rfind(['/', '\\']) {
        Some(at) => (Some(name[..at].trim()).filter(|f| !f.is_empty()), name[at + 1..].trim()),
        None => (None, name),
    }
}

/// Exit 2 when the NAME, or the person's name in it, already names a contact (SPEC §8: §2's
/// steps 1 and 2; a prefix is not a namesake).
fn refuse_existing(ctx: &Context, synced: &super::Synced, name: &str, person: &str) -> Result<()> {
    let mut asked = vec![Name::new(name).with_path(vault::named_file(synced.root, &ctx.cwd, name))];
    if person != name {
        asked.push(Name::new(person));
    }
    for asked in asked {
        let found = lookup::lookup(&synced.index, &asked, Usage::Link)?;
        let all = found.resolution.all();
        if !all.is_empty() {
            return Err(Error::Duplicate {
                name: asked.text,
                paths: lookup::listing(&found.contacts, &all),
            });
        }
    }
    Ok(())
}

/// `--introduced-by`: a command argument, resolved like any (SPEC §2). The introducer found is
/// written as a link to their file stem (or their path, when the stem names several contacts);
/// a name that matches nobody is written as given, with a note (the introducer may not be a
/// contact yet); an ambiguous one is an error.
fn introducer(ctx: &Context, synced: &super::Synced, by: &str) -> Result<String> {
    let target = crate::contact::wikilink_target(by);
    let name = Name::new(&target).with_path(vault::named_file(synced.root, &ctx.cwd, &target));
    let found = lookup::lookup(&synced.index, &name, Usage::Command)?;
    match found.resolution {
        Resolution::Found(i) => {
            let contact = &found.contacts[i];
            let by_stem = lookup::lookup(&synced.index, &Name::new(&contact.stem), Usage::Link)?;
            let unique = by_stem
                .resolution
                .found()
                .is_some_and(|j| by_stem.contacts[j].path == contact.path);
            let link = if unique {
                contact.stem.clone()
            } else {
                contact.path.strip_suffix(".md").unwrap_or(&contact.path).to_string()
            };
            Ok(format!("[[{link}]]"))
        }
        Resolution::Ambiguous(all) => Err(Error::Ambiguous(target, lookup::listing(&found.contacts, &all))),
        Resolution::Missing => {
            let near = lookup::suggest(&synced.index, &name)?;
            let hint = if near.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = near.iter().map(|c| format!("{:?}", c.name)).collect();
                format!(" (did you mean {}?)", names.join(" or "))
            };
            ctx.note(&format!(
                "{target:?} is not a contact yet{hint}; `introduced_by` names them as written"
            ));
            Ok(by.trim().to_string())
        }
    }
}

/// The folder a NAME such as `people/Jane Roe` names, created inside the vault if needed.
fn named_folder(boundary: &Boundary, folder: &str) -> Result<PathBuf> {
    let relative = Path::new(folder);
    let hidden = relative
        .components()
        .any(|c| matches!(c, Component::Normal(n) if n.to_string_lossy().starts_with('.')));
    if hidden
        || relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(Error::Usage(format!(
            "the folder {folder:?} must be a folder of the vault: relative to its root, without `..` or hidden folders"
        )));
    }
    boundary.create_dir(relative)?;
    Ok(boundary.root().join(relative))
}

/// `<folder>/<stem>.md`, refused when taken (also as `STEM.md` on a case-insensitive disk);
/// with `--force`, the first free `<stem> 2.md`, `<stem> 3.md`, …
fn free_path(folder: &Path, stem: &str, force: bool) -> Result<PathBuf> {
    let names = edit::folder_names(folder);
    let taken = |file_name: &str| -> Option<PathBuf> {
        let path = folder.join(file_name);
        if path.exists() {
            return Some(path);
        }
        // `JANE.md` beside `Jane.md` would be one file on macOS and Windows.
        names.get(&edit::file_name_key(file_name)).cloned()
    };
    let first = format!("{stem}.md");
    let Some(existing) = taken(&first) else {
        return Ok(folder.join(first));
    };
    if !force {
        return Err(Error::Exists(existing));
    }
    (2..1000)
        .map(|n| format!("{stem} {n}.md"))
        .find(|file_name| file_name.len() <= edit::MAX_FILE_NAME_BYTES && taken(file_name).is_none())
        .map(|file_name| folder.join(file_name))
        .ok_or(Error::Exists(existing))
}

/// The vault's template (`.netvault/template.md`, else the built-in one) and its path.
pub(crate) fn load_template(root: &Path) -> Result<(PathBuf, String)> {
    let template_path = root.join(META_DIR).join("template.md");
    let template = match std::fs::read_to_string(&template_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => TEMPLATE.to_string(),
        Err(e) => return Err(Error::io(template_path, e)),
    };
    Ok((template_path, template))
}

/// The template with `{{name}}` and `{{today}}` filled in and the given fields set.
pub(crate) fn fill(
    template: &str,
    name: &str,
    args: &AddArgs,
    fields: &std::collections::BTreeMap<String, String>,
    today: &str,
) -> Result<String, edit::EditError> {
    let mut text = template.replace("{{name}}", name).replace("{{today}}", today);
    // `name: {{name}}` filled with a name YAML reads differently (`Jane: Doe`) is rewritten,
    // quoted as needed.
    let parsed = parse_file("new.md", text.as_bytes(), fields).contact;
    if parsed.is_none_or(|c| c.name != name) {
        text = edit::set_key_mapped(&text, "name", &yaml_scalar(name), fields)?;
    }
    let mut set = |key: &str, value: String| -> Result<(), edit::EditError> {
        text = edit::set_key_mapped(&text, key, &value, fields)?;
        Ok(())
    };
    if let Some(org) = &args.org {
        set("organization", yaml_scalar(org.trim()))?;
    }
    if let Some(title) = &args.title {
        set("title", yaml_scalar(title.trim()))?;
    }
    if !args.email.is_empty() {
        set("emails", yaml_list(&args.email))?;
    }
    if !args.circle.is_empty() {
        set("circles", yaml_list(&args.circle))?;
    }
    if !args.tag.is_empty() {
        let tags: Vec<&str> = args.tag.iter().map(|t| t.trim().trim_start_matches('#')).collect();
        set("tags", yaml_list(&tags))?;
    }
    if let Some(met_at) = &args.met_at {
        set("met_at", yaml_scalar(met_at.trim()))?;
    }
    if let Some(by) = &args.introduced_by {
        let by = by.trim();
        let link = if by.starts_with("[[") {
            by.to_string()
        } else {
            format!("[[{by}]]")
        };
        set("introduced_by", yaml_scalar(&link))?;
    }
    Ok(text)
}

/// The folder for new contacts, created if needed through the vault's [`Boundary`]: one
/// component at a time, never through a link that leads out of the vault (nothing is created
/// before that is known).
pub(crate) fn contacts_folder(boundary: &Boundary, configured: &str) -> Result<PathBuf> {
    let root = boundary.root();
    let folder = contacts_folder_path(root, configured)?;
    boundary.create_dir(Path::new(configured)).map_err(|e| match e {
        Error::OutsideVault { why, .. } => Error::Config {
            path: root.join(META_DIR).join("config.toml"),
            message: format!("new_contacts = {configured:?} leads outside the vault ({why}); nothing was created"),
        },
        other => other,
    })?;
    Ok(folder)
}

/// The folder for new contacts, checked to be a relative path without `..` but neither created
/// nor resolved (for plans that write nothing).
pub(crate) fn contacts_folder_path(root: &Path, configured: &str) -> Result<PathBuf> {
    let relative = Path::new(configured);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(Error::Config {
            path: root.join(META_DIR).join("config.toml"),
            message: format!("new_contacts = {configured:?} must be a folder inside the vault"),
        });
    }
    Ok(root.join(relative))
}
