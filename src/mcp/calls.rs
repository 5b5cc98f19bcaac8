//! What each MCP tool, resource and prompt does, synchronously, through the CLI's own code:
//! every call makes a fresh [`Context`] (today read again, the vault resolved again), syncs the
//! index like a command (`synced`, which trusts a live `netvault watch`), and answers with a
//! value and a short text. Writes load their file through [`Target`], check the caller's
//! content hash, edit with the command's own function and write through `edit.rs`. Nothing
//! here prints on stdout: that is the protocol's channel.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use jiff::civil::Date;
use serde_json::{Value, json};

use crate::cli::{self, FollowupsArgs, FollowupsFormat, LogArgs, TodoArgs};
use crate::commands::log::Target;
use crate::commands::{self, Context, followup, search, show, synced, who_knows};
use crate::error::{Error, Result};
use crate::index::search::{Request, Sort};
use crate::{query, vault};

/// What the server was started with: enough to make each call's [`Context`].
#[derive(Debug, Clone)]
pub struct Settings {
    /// The vault's root, resolved once at start (absolute).
    pub root: PathBuf,
    /// `--index-dir`, made absolute.
    pub index_dir: Option<PathBuf>,
    /// `--today`, when given: every call uses it; otherwise each reads the clock.
    pub today: Option<Date>,
    /// `--read-only`: no tool writes.
    pub read_only: bool,
    /// `--quiet`: no notes on stderr.
    pub quiet: bool,
}

/// A tool's answer: the structured value and a short text for a model or a person to read.
#[derive(Debug)]
pub struct Answer {
    pub json: Value,
    pub text: String,
}

/// The URI of the morning report resource.
pub const REPORT_URI: &str = "netvault://report/followups";
/// Contact resources are this prefix and the file's id ([`contact_ids`]).
pub const CONTACT_PREFIX: &str = "netvault://contact/";

/// Run `f` on a fresh context; when it fails inside the index, once more on a rebuilt index
/// (as `run` does for a command). Writes fail inside the index only while loading, before
/// anything is written, so running them again is safe.
fn healing<T>(settings: &Settings, f: impl Fn(&Context) -> Result<T>) -> Result<T> {
    let ctx = commands::mcp::call_context(settings);
    match f(&ctx) {
        Err(Error::Index { .. }) => {
            let ctx = commands::mcp::call_context(settings);
            ctx.rebuild_index.set(true);
            f(&ctx)
        }
        other => other,
    }
}

fn value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("netvault's report values serialize to JSON")
}

fn parse_query(text: &str) -> Result<query::Query> {
    query::parse(text).map_err(|e| Error::Usage(format!("malformed query: {}", search::query_error(text, &e))))
}

/// `search`: the hits as `search --format json` gives them, and the table.
pub fn search(settings: &Settings, text: &str, limit: usize, sort: Sort) -> Result<Answer> {
    let parsed = parse_query(text)?;
    healing(settings, |ctx| {
        let s = synced(ctx)?;
        let results = crate::index::search::search(
            &s.index,
            &Request {
                query: &parsed,
                today: ctx.today,
                config: s.config,
                limit,
                sort,
                root: s.root,
                snippets: true,
            },
        )?;
        Ok(Answer {
            json: value(&search::SearchJson::new(text, &results)),
            text: hits_text(&results),
        })
    })
}

/// The hits as a model reads them best: one short line each (name, organization and title,
/// last contact, file) and the matching words under it; no table to wrap.
fn hits_text(results: &crate::index::search::Results) -> String {
    let mut out = String::new();
    if results.fuzzy && !results.hits.is_empty() {
        out.push_str("Nothing matched exactly; close matches:\n");
    }
    for h in &results.hits {
        let c = &h.contact;
        let role: Vec<&str> = [c.title.as_deref(), c.organization.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let _ = write!(out, "- {}", c.name);
        if !role.is_empty() {
            let _ = write!(out, " ({})", role.join(", "));
        }
        let last = h.last_contact.map_or_else(|| "never".to_string(), |d| d.to_string());
        let _ = writeln!(out, " · last contact {last} · {}", c.path);
        if !h.snippet.trim().is_empty() {
            let _ = writeln!(out, "  {}", h.snippet.trim());
        }
    }
    let _ = writeln!(out, "{} of {} matching", results.hits.len(), results.total);
    out
}

/// The stable hash of a file's bytes, as a write's `expected_hash` takes it: FNV-1a, 16 hex
/// digits.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:016x}", crate::hash::fnv1a64(bytes))
}

/// `show`: `show --format json` plus the file's `content_hash`, and the card as `show` prints it.
pub fn show(settings: &Settings, name: &str) -> Result<Answer> {
    healing(settings, |ctx| {
        let s = synced(ctx)?;
        let shown = show::shown(ctx, &s, name)?;
        let abs = s.root.join(&shown.contact.path);
        let bytes = std::fs::read(&abs).map_err(|e| Error::io(&abs, e))?;
        let hash = content_hash(&bytes);
        let mut json = shown.json(ctx);
        if let Value::Object(map) = &mut json {
            map.insert("content_hash".into(), json!(hash));
        }
        let text = format!(
            "{}\ncontent_hash: {hash} (pass it as expected_hash to a write)\n",
            shown.human(ctx)
        );
        Ok(Answer { json, text })
    })
}

/// The follow-up report (`report --all`) in each of `formats`, from one sync.
fn followups_in<const N: usize>(
    ctx: &Context,
    within: Option<&str>,
    formats: [FollowupsFormat; N],
) -> Result<[String; N]> {
    let within = within
        .map(|w| {
            crate::cadence::Cadence::parse(w)
                .ok_or_else(|| Error::Usage(format!("{w:?} is not a span; write e.g. 7d, 2w, 1m")))
        })
        .transpose()?;
    let s = synced(ctx)?;
    let args = |format| FollowupsArgs {
        within: within.clone(),
        limit: None,
        all: true,
        long: false,
        format,
        output: None,
        who_knows: None,
    };
    let morning = commands::report::morning(ctx, &args(FollowupsFormat::Json), &s)?;
    let mut out = formats.map(|_| String::new());
    for (text, format) in out.iter_mut().zip(formats) {
        *text = commands::report::followups_text(ctx, &args(format), &s, &morning, ctx.printer)?;
    }
    Ok(out)
}

/// `followups`: today's report with each person's `next`, as JSON and as Markdown (the
/// table's extra lines, broken files and leads, cost a second pass over the vault).
pub fn followups(settings: &Settings, within: Option<&str>) -> Result<Answer> {
    healing(settings, |ctx| {
        let [json, text] = followups_in(ctx, within, [FollowupsFormat::Json, FollowupsFormat::Md])?;
        let json = serde_json::from_str(&json).expect("the report's JSON is JSON");
        Ok(Answer { json, text })
    })
}

/// The morning report as Markdown (the report resource).
pub fn report_markdown(settings: &Settings) -> Result<String> {
    healing(settings, |ctx| {
        let [markdown] = followups_in(ctx, None, [FollowupsFormat::Md])?;
        Ok(markdown)
    })
}

/// `who_knows`: the ranked people with their reasons and chains.
pub fn who_knows(settings: &Settings, text: &str, limit: usize) -> Result<Answer> {
    let parsed = parse_query(text)?;
    healing(settings, |ctx| {
        let s = synced(ctx)?;
        who_knows::answer(ctx, &s, &parsed, text, limit, |report| Answer {
            json: value(report),
            text: crate::report::who_knows::render(report, ctx.printer),
        })
    })
}

/// How a write tool is asked to write.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Compute and return the diff; write nothing.
    pub dry_run: bool,
    /// The `content_hash` of the file as the caller last read it: refused when it differs.
    pub expected_hash: Option<String>,
}

/// What an edit function decided: the new text, or nothing to change and why.
pub enum Edit {
    Text(String),
    Unchanged(String),
}

/// Load NAME's file, check the caller's hash, edit it with `edit`, and (unless a dry run)
/// write it through `edit.rs`; the answer holds the unified diff.
fn write(
    settings: &Settings,
    name: &str,
    options: &WriteOptions,
    edit: impl Fn(&Context, &Target) -> Result<(Edit, Option<String>)>,
) -> Result<Answer> {
    if settings.read_only {
        return Err(Error::Usage(
            "the server runs with --read-only: no file can be changed".into(),
        ));
    }
    healing(settings, |ctx| {
        let target = Target::load(ctx, name)?;
        let before = content_hash(&target.bytes);
        if let Some(expected) = &options.expected_hash
            && !expected.trim().eq_ignore_ascii_case(&before)
        {
            return Err(Error::Edit {
                path: PathBuf::from(&target.rel),
                message: format!(
                    "the file changed since it was read (content_hash {before}, not {}): nothing was written; read it again with `show` and decide again",
                    expected.trim()
                ),
            });
        }
        let (edit, note) = edit(ctx, &target)?;
        let new_text = match edit {
            Edit::Text(text) => text,
            Edit::Unchanged(why) => {
                return Ok(Answer {
                    json: json!({
                        "path": target.rel,
                        "changed": false,
                        "written": false,
                        "dry_run": options.dry_run,
                        "diff": "",
                        "content_hash": before,
                        "message": why,
                    }),
                    text: why,
                });
            }
        };
        target.check(&new_text)?;
        let diff = similar::TextDiff::from_lines(&target.text, &new_text)
            .unified_diff()
            .context_radius(1)
            .header(&format!("a/{}", target.rel), &format!("b/{}", target.rel))
            .to_string();
        if !options.dry_run {
            target.write(&new_text)?;
        }
        let after = content_hash(new_text.as_bytes());
        let verb = if options.dry_run {
            "dry run, nothing written; this is the change it would make"
        } else {
            "written"
        };
        let mut text = format!("{}: {verb}\n{diff}", target.rel);
        if let Some(note) = &note {
            text.push_str(note);
            text.push('\n');
        }
        Ok(Answer {
            json: json!({
                "path": target.rel,
                "changed": true,
                "written": !options.dry_run,
                "dry_run": options.dry_run,
                "diff": diff,
                "previous_hash": before,
                "content_hash": after,
                "message": note,
            }),
            text,
        })
    })
}

fn date_arg(text: Option<&str>) -> Result<Option<Date>> {
    text.map(|t| cli::parse_date_arg(t.trim()).map_err(Error::Usage))
        .transpose()
}

fn when_arg(text: Option<&str>) -> Result<Option<cli::When>> {
    text.map(|t| cli::parse_when_arg(t.trim()).map_err(Error::Usage))
        .transpose()
}

/// `log`: what `netvault log NAME MESSAGE [--date] [--follow-up]` does.
pub fn log(
    settings: &Settings,
    name: &str,
    message: &str,
    date: Option<&str>,
    follow_up: Option<&str>,
    options: &WriteOptions,
) -> Result<Answer> {
    let args = LogArgs {
        name: name.to_string(),
        message: message.to_string(),
        date: date_arg(date)?,
        follow_up: when_arg(follow_up)?,
    };
    // As the command does: a date after today is refused before NAME is even looked up.
    commands::log::day(&commands::mcp::call_context(settings), &args)?;
    write(settings, name, options, |ctx, target| {
        let logged = commands::log::logged(ctx, &args, target)?;
        let note = logged.woke.then(|| {
            format!(
                "{} was dormant and is active again: the keep-in-touch rhythm applies from now on",
                target.contact.name
            )
        });
        Ok((Edit::Text(logged.text), note))
    })
}

/// `todo`: what `netvault todo NAME TEXT [--due]` does.
pub fn todo(settings: &Settings, name: &str, text: &str, due: Option<&str>, options: &WriteOptions) -> Result<Answer> {
    let args = TodoArgs {
        name: name.to_string(),
        text: text.to_string(),
        due: when_arg(due)?,
    };
    write(settings, name, options, |ctx, target| {
        let due = followup::todo_due(ctx, &args)?;
        Ok((Edit::Text(followup::todo_text(ctx, &args, target, due)?), None))
    })
}

/// `snooze`: what `netvault snooze NAME DATE|SPAN` does.
pub fn snooze(settings: &Settings, name: &str, until: &str, options: &WriteOptions) -> Result<Answer> {
    let until = cli::parse_when_arg(until.trim()).map_err(Error::Usage)?;
    write(settings, name, options, |ctx, target| {
        let day = followup::snooze_day(ctx, &until)?;
        let text = followup::snooze_text(target, day)?;
        if text == target.text {
            return Ok((
                Edit::Unchanged(format!("{}: already snoozed until {day}; nothing changed", target.rel)),
                None,
            ));
        }
        let note = format!(
            "{} leaves the follow-up report until {day}; follow-up and task dates are unchanged",
            target.contact.name
        );
        Ok((Edit::Text(text), Some(note)))
    })
}

/// `done`: what `netvault done NAME [TASK]` does; nothing due is an answer, not an error.
pub fn done(settings: &Settings, name: &str, task: Option<&str>, options: &WriteOptions) -> Result<Answer> {
    write(settings, name, options, |ctx, target| {
        Ok(match followup::done_text(ctx, target, task)? {
            Some(text) => (Edit::Text(text), None),
            None => (
                Edit::Unchanged(followup::nothing_due(ctx, target, &ctx.vault()?.config)),
                None,
            ),
        })
    })
}

/// One contact file as a resource.
#[derive(Debug)]
pub struct ContactResource {
    pub uri: String,
    /// The file's id in the URI, unencoded.
    pub id: String,
    pub path: String,
    /// The contact's name, when its front matter reads.
    pub name: Option<String>,
    pub organization: Option<String>,
    pub size: u64,
}

/// A contact file's id: its stem, or its vault-relative path without `.md` when two files
/// share the stem.
fn contact_ids(files: &[vault::FileEntry]) -> Vec<String> {
    let stem = |rel: &str| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        name.strip_suffix(".md").unwrap_or(name).to_string()
    };
    let mut count: HashMap<String, usize> = HashMap::new();
    for f in files {
        *count.entry(stem(&f.rel)).or_default() += 1;
    }
    files
        .iter()
        .map(|f| {
            let s = stem(&f.rel);
            if count[&s] == 1 {
                s
            } else {
                f.rel.strip_suffix(".md").unwrap_or(&f.rel).to_string()
            }
        })
        .collect()
}

/// Percent-encode everything but unreserved characters and `/`.
fn encode(id: &str) -> String {
    id.bytes().fold(String::new(), |mut out, b| {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        out
    })
}

/// Undo [`encode`]; `None` for a malformed escape or bytes that are not UTF-8.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Every contact file of the vault, as the walk lists them.
pub fn contact_resources(settings: &Settings) -> Result<Vec<ContactResource>> {
    healing(settings, |ctx| {
        let s = synced(ctx)?;
        let contacts = s.index.contacts()?;
        let by_path: HashMap<&str, &crate::contact::Contact> = contacts.iter().map(|c| (c.path.as_str(), c)).collect();
        let ids = contact_ids(&s.walk.files);
        Ok(s.walk
            .files
            .iter()
            .zip(ids)
            .map(|(f, id)| {
                let contact = by_path.get(f.rel.as_str());
                ContactResource {
                    uri: format!("{CONTACT_PREFIX}{}", encode(&id)),
                    id,
                    path: f.rel.clone(),
                    name: contact.map(|c| c.name.clone()),
                    organization: contact.and_then(|c| c.organization.clone()),
                    size: f.size,
                }
            })
            .collect())
    })
}

/// A contact file's text and content hash, for the resource `uri`. Only a file the vault walk
/// lists can be read: the URI is matched against their ids, never joined to a path.
pub fn read_contact(settings: &Settings, uri: &str) -> Result<Option<(String, String)>> {
    let Some(id) = uri.strip_prefix(CONTACT_PREFIX).and_then(decode) else {
        return Ok(None);
    };
    healing(settings, |ctx| {
        let s = synced(ctx)?;
        let ids = contact_ids(&s.walk.files);
        let Some(file) = s.walk.files.iter().zip(&ids).find(|(_, i)| **i == id).map(|(f, _)| f) else {
            return Ok(None);
        };
        let bytes = vault::read_limited(&file.abs)
            .map_err(|e| Error::io(&file.abs, e))?
            .ok_or_else(|| Error::Edit {
                path: file.abs.clone(),
                message: "the file is larger than netvault reads".into(),
            })?;
        Ok(Some((
            String::from_utf8_lossy(&bytes).into_owned(),
            content_hash(&bytes),
        )))
    })
}

/// The text of a prompt about NAME: `prepare` for a conversation, or `follow_up` message.
pub fn prompt(settings: &Settings, kind: PromptKind, name: &str) -> Result<(String, String)> {
    let card = show(settings, name)?;
    let who = card.json["name"].as_str().unwrap_or(name).to_string();
    let list = |key: &str| {
        card.json[key]
            .as_array()
            .map(|v| v.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "nothing recorded".into())
    };
    let next = card.json["next"].as_str().unwrap_or("nothing due").to_string();
    let text = match kind {
        PromptKind::Prepare => format!(
            "I am about to talk with {who}. Help me prepare, from my own notes below (my netvault contact file, read just now).\n\n\
             Give me, briefly:\n\
             1. Who they are: role, organization, how we know each other.\n\
             2. Our last conversations (newest first) and anything I promised or they asked.\n\
             3. Open tasks I have with them.\n\
             4. What they can help with ({}), and what I could ask, gently.\n\
             5. What I could offer them in return, from their interests ({}) and what they mentioned.\n\
             6. Two or three questions to open with.\n\n\
             What netvault says to do next: {next}\n\n\
             Use only what is in the notes; say so when something is not recorded.\n\n\
             --- {who} ---\n{}",
            list("can_help_with"),
            list("interests"),
            card.text
        ),
        PromptKind::FollowUp => format!(
            "Draft a short follow-up message from me to {who}. Reaching out is hard for me, so make it \
             gentle and easy to send: warm, specific (name something from our last conversation in my notes \
             below), no pressure, no apology for the delay, one small clear question or offer that is easy \
             to answer, and under 120 words. Offer one or two alternative openings too. Do not invent \
             facts that are not in the notes.\n\n\
             What netvault says to do next: {next}\n\n\
             --- {who} ---\n{}",
            card.text
        ),
    };
    let description = match kind {
        PromptKind::Prepare => format!("Prepare for a conversation with {who}"),
        PromptKind::FollowUp => format!("Draft a follow-up message to {who}"),
    };
    Ok((description, text))
}

/// The two prompts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Prepare,
    FollowUp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_encoded_and_decoded_back() {
        for id in ["Jane Doe", "people/José Ñúñez", "a%b", "x/y.z"] {
            assert_eq!(decode(&encode(id)).as_deref(), Some(id));
        }
        assert_eq!(encode("Jane Doe"), "Jane%20Doe");
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%4"), None);
    }

    #[test]
    fn a_shared_stem_gives_the_path() {
        let file = |rel: &str| vault::FileEntry {
            rel: rel.into(),
            abs: PathBuf::from(rel),
            size: 0,
            mtime_ns: 0,
        };
        let files = [file("a/Jane.md"), file("b/Jane.md"), file("Ann.md")];
        assert_eq!(contact_ids(&files), ["a/Jane", "b/Jane", "Ann"]);
    }

    #[test]
    fn the_content_hash_is_fnv1a_in_hex() {
        assert_eq!(content_hash(b""), "cbf29ce484222325");
    }
}
