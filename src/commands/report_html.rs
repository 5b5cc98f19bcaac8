//! `netvault report [KIND] --format html [--output FILE] [--who-knows QUERY]`: compute the
//! sections with their own report modules, draw them with [`crate::report::html`], and print
//! the page or write it to FILE.
//!
//! Writing FILE, what a careful user expects:
//! - the name ends in `.html` or `.htm` — a typo such as `--output notes.md` must not replace
//!   a note with a web page;
//! - an existing FILE is replaced only when it already holds a web page (it starts with
//!   `<!DOCTYPE html` or `<html`), so an earlier report is refreshed and anything else is left
//!   alone (exit 2, nothing written);
//! - inside the vault, [`crate::boundary::Boundary`] decides: never through a symbolic link that
//!   leads out of the vault (a link inside it is written at its target); outside the vault the
//!   user named the place, but FILE itself may not be a symbolic link;
//! - the page is written to a hidden temporary file created exclusively next to FILE and
//!   renamed over it: a reader never sees half a page, and no planted link is written through.

use std::path::{Path, PathBuf};

use crate::cli::{ReportArgs, ReportKind};
use crate::error::{Error, Result};
use crate::output::emit;
use crate::report::{circles, followups, html, intros, network, outcomes, reciprocity, who_knows, window_days};
use crate::resolve::Resolver;

use super::{Context, synced};

/// How many people a `--who-knows` query considers (as `netvault who-knows` does by default).
const WHO_KNOWS_LIMIT: usize = 25;

pub fn run(ctx: &Context, args: &ReportArgs) -> Result<()> {
    let whole = args.kind == ReportKind::Followups;
    if !matches!(
        args.kind,
        ReportKind::Followups
            | ReportKind::Circles
            | ReportKind::Outcomes
            | ReportKind::Reciprocity
            | ReportKind::Intros
    ) {
        return Err(Error::Usage(
            "--format html draws followups (the whole page), circles, outcomes, reciprocity or intros; use table or json for this report".into(),
        ));
    }
    // Refuse a bad FILE before any work.
    let target = match &args.output {
        Some(path) => Some(output_file(ctx, &ctx.cwd.join(path), Replaces::Page)?),
        None => None,
    };
    let synced = synced(ctx)?;
    let mut contacts = ctx.timed("load facts", || synced.index.contacts())?;
    // Path order: every index below, and so the page's bytes, do not depend on the index's.
    contacts.sort_by(|a, b| a.path.cmp(&b.path));
    let today = ctx.today;
    let config = synced.config;

    let within_days = window_days(
        &args.within.clone().unwrap_or_else(super::report::default_within),
        today,
    );
    let items = if whole {
        ctx.timed("followups", || {
            followups::followups(&contacts, config, today, within_days)
        })
    } else {
        Vec::new()
    };
    let wants = |kind: ReportKind| whole || args.kind == kind;
    let who = match &args.who_knows {
        Some(text) if wants(ReportKind::Intros) => {
            let Some(query) = super::search::parse_or_report(ctx, text) else {
                return Err(Error::Usage(format!("--who-knows {text:?} is not a query")));
            };
            let found = super::who_knows::matches(ctx, &synced, &query, text, &contacts, WHO_KNOWS_LIMIT)?;
            Some(who_knows::who_knows(text, &contacts, found, today))
        }
        _ => None,
    };
    let intros = intros::intros(&contacts);
    let graph = ctx.timed("graph", || {
        network::Graph::new(&contacts, &Resolver::from_contacts(&contacts))
    });
    let circles = wants(ReportKind::Circles).then(|| circles::circles(&contacts, config, today));
    let outcomes = wants(ReportKind::Outcomes).then(|| {
        (
            outcomes::outcomes(&contacts, config),
            outcomes::by_month(&contacts, config, today, html::MONTHS),
        )
    });
    let reciprocity = wants(ReportKind::Reciprocity).then(|| reciprocity::reciprocity(&contacts, config));
    let page = html::Page {
        today,
        morning: whole.then_some(html::Morning {
            items: &items,
            within_days,
            limit: if args.all {
                None
            } else {
                Some(args.limit.unwrap_or(super::report::DEFAULT_LIMIT))
            },
        }),
        network: wants(ReportKind::Intros).then_some(html::Network {
            contacts: &contacts,
            intros: &intros,
            graph: &graph,
            who_knows: who.as_ref(),
        }),
        circles: circles.as_ref(),
        outcomes: outcomes.as_ref().map(|(o, m)| (o, m.as_slice())),
        reciprocity: reciprocity.as_ref(),
    };
    let text = ctx.timed("html", || html::render(&page));
    match target {
        Some(path) => super::replace_file(&path, &text),
        None => emit(&text).map_err(|e| Error::io("stdout", e)),
    }
}

/// What an existing `--output` file may be for a report to replace it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaces {
    /// Only an earlier web page (`--format html`), and FILE must be named `.html`/`.htm`.
    Page,
    /// Anything but a contact file: a file that starts with front matter (`---`) is someone's
    /// notes, never a report to overwrite (`report --output Jane.md` is a typo).
    NotAContact,
}

/// Where a report may be written for `--output path`, checked (see the module's doc): the real
/// file. Every format's `--output` comes here.
pub fn output_file(ctx: &Context, path: &Path, replaces: Replaces) -> Result<PathBuf> {
    let refuse = |why: String| Error::Usage(format!("--output {}: {why}", path.display()));
    let html_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if replaces == Replaces::Page && !html_name {
        return Err(refuse("name a file ending in .html (or .htm) for --format html".into()));
    }
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(refuse("it names no file".into()));
    };
    let real_parent = parent.canonicalize().map_err(|e| Error::io(parent, e))?;
    let vault = ctx.vault()?;
    let boundary = &vault.boundary;
    // Inside the vault as written (`..` taken lexically, links not followed), or where its
    // links lead: the boundary decides, and refuses a way out through a link.
    let written = lexical(path);
    let inside = [vault.root.as_path(), boundary.real_root()]
        .iter()
        .any(|root| written.starts_with(lexical(&ctx.cwd.join(root))))
        || real_parent.starts_with(boundary.real_root());
    let real = if inside {
        boundary.file_for_write(&written)?
    } else {
        let real = real_parent.join(name);
        if std::fs::symlink_metadata(&real).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(refuse("it is a symbolic link; name the file itself".into()));
        }
        real
    };
    match std::fs::symlink_metadata(&real) {
        Ok(meta) if !meta.is_file() => Err(refuse("it exists and is not a file".into())),
        Ok(_) if replaces == Replaces::Page && !holds_a_page(&real)? => Err(refuse(
            "it exists and is not a web page; netvault replaces only an earlier page (remove the file or choose another name)".into(),
        )),
        Ok(_) if replaces == Replaces::NotAContact && holds_front_matter(&real)? => Err(refuse(
            "it starts with front matter (---): a contact or a note, never replaced by a report (choose another name)".into(),
        )),
        Ok(_) => Ok(real),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(real),
        Err(e) => Err(Error::io(&real, e)),
    }
}

/// Whether the file starts like a web page: `<!DOCTYPE html` or `<html`, after a byte-order
/// mark and white space, in any case.
fn holds_a_page(path: &Path) -> Result<bool> {
    use std::io::Read as _;
    let mut head = [0u8; 512];
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let n = file.read(&mut head).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8_lossy(&head[..n]);
    let text = text.trim_start_matches('\u{feff}').trim_start().to_ascii_lowercase();
    Ok(text.starts_with("<!doctype html") || text.starts_with("<html"))
}

/// Whether the file starts with a front-matter line `---` (after a byte-order mark).
fn holds_front_matter(path: &Path) -> Result<bool> {
    use std::io::Read as _;
    let mut head = [0u8; 8];
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let n = file.read(&mut head).map_err(|e| Error::io(path, e))?;
    let head = head[..n].strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head[..n]);
    Ok(head.starts_with(b"---\n") || head.starts_with(b"---\r\n"))
}

/// `path` with `.` and `..` resolved by their names alone (no link followed).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
