//! `netvault add NAME [--org ..] [--title ..] ...`: create a contact file from the vault's
//! template (SPEC §8): a safe file name, never an overwrite, never outside the vault.

use std::path::{Component, Path, PathBuf};

use crate::Outcome;
use crate::boundary::Boundary;
use crate::cli::AddArgs;
use crate::commands::init::TEMPLATE;
use crate::contact::parse_file;
use crate::edit::{self, yaml_list, yaml_scalar};
use crate::error::{Error, Result};
use crate::output::emit;
use crate::vault::{self, META_DIR};

use super::Context;

pub fn run(ctx: &Context, args: &AddArgs) -> Result<Outcome> {
    let name = args.name.trim();
    if name.is_empty() || name.contains(['\n', '\r']) {
        return Err(Error::Usage("NAME must be a non-empty single line".into()));
    }
    let root = ctx.root()?;
    let config = vault::load_config(&root)?;
    let boundary = Boundary::new(&root)?;
    let folder = contacts_folder(&boundary, &config.new_contacts)?;
    let stem = edit::safe_file_stem(name)
        .ok_or_else(|| Error::Usage(format!("{name:?} leaves nothing usable as a file name")))?;
    let file_name = format!("{stem}.md");
    let path = folder.join(&file_name);
    if path.exists() {
        return Err(Error::Exists(path));
    }
    // `JANE.md` beside `Jane.md` would be one file on macOS and Windows.
    if let Some(existing) = edit::folder_names(&folder).remove(&edit::file_name_key(&file_name)) {
        return Err(Error::Exists(existing));
    }

    let (template_path, template) = load_template(&root)?;
    let mut text =
        fill(&template, name, args, &config.fields, &ctx.today.to_string()).map_err(|e| e.at(&template_path))?;
    // A lead (a name someone gave you in a note) becomes a contact introduced by them.
    let giver = if args.introduced_by.is_none() {
        lead_giver(ctx, name)
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
    edit::write_new(&boundary, &path, &text)?;
    emit(&format!("{}\n", path.display())).map_err(|e| Error::io("stdout", e))?;
    if args.edit {
        super::edit::open(&path)?;
    }
    Ok(Outcome::Success)
}

/// Who gave `name` as a lead (SPEC §6: the earliest mention of a name that is no contact yet),
/// and when, in words. Reading the index is a courtesy here: if it fails, the contact is added
/// without `introduced_by`, and a note says why.
fn lead_giver(ctx: &Context, name: &str) -> Option<(String, String)> {
    let found = super::synced(ctx).and_then(|synced| {
        let contacts = synced.index.contacts()?;
        let report = super::report::leads_report(&synced, &contacts);
        Ok(crate::report::leads::introducer(&report, name).map(|lead| {
            let when = lead
                .date
                .map_or_else(|| "in their notes".to_string(), |d| format!("on {d}"));
            (lead.from.stem.clone(), when)
        }))
    });
    match found {
        Ok(found) => found,
        Err(e) => {
            ctx.note(&format!(
                "could not look for who gave this name ({e}); introduced_by is left empty"
            ));
            None
        }
    }
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
