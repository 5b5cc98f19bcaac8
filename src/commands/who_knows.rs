//! `netvault who-knows QUERY`: search, read the matching files to say why each matched, then
//! rank the matches by warmth and find the chain of people to each (see
//! [`crate::report::who_knows`]).

use std::collections::HashMap;

use crate::cli::{ShowFormat, WhoKnowsArgs};
use crate::error::Outcome;
use crate::error::{Error, Result};
use crate::index::search::{self, Request, Sort};
use crate::output::{emit, json};
use crate::report::who_knows;
use crate::vault;

use crate::contact::Contact;
use crate::query::Query;

use super::{Context, Synced, synced};

pub fn run(ctx: &Context, args: &WhoKnowsArgs) -> Result<Outcome> {
    let text = args.query.join(" ");
    let Some(query) = super::search::parse_or_report(ctx, &text) else {
        return Ok(Outcome::Failure);
    };
    let s = synced(ctx)?;
    let out = answer(ctx, &s, &query, &text, args.limit, |report| match args.format {
        ShowFormat::Json => json(report),
        ShowFormat::Human => who_knows::render(report, ctx.printer),
    })?;
    emit(&out).map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::Success)
}

/// Who knows `query` (its `text` as typed), at most `limit` matching people: `render` turns the
/// report into what the caller wants (the command's table or JSON, the MCP tool's answer).
pub fn answer<R>(
    ctx: &Context,
    s: &Synced,
    query: &Query,
    text: &str,
    limit: usize,
    render: impl FnOnce(&who_knows::WhoKnows<'_>) -> R,
) -> Result<R> {
    let contacts = s.index.contacts()?;
    let matches = matches(ctx, s, query, text, &contacts, limit)?;
    let report = who_knows::who_knows(text, &contacts, matches, ctx.today);
    Ok(render(&report))
}

/// The people `query` (whose text is `text`) finds among `contacts`, at most `limit`, best
/// first, each with why it matched; `report --format html --who-knows` asks it too.
pub fn matches(
    ctx: &Context,
    s: &Synced<'_>,
    query: &Query,
    text: &str,
    contacts: &[Contact],
    limit: usize,
) -> Result<Vec<who_knows::Match>> {
    let results = search::search(
        &s.index,
        &Request {
            query,
            today: ctx.today,
            config: s.config,
            limit,
            sort: Sort::Score,
            root: s.root,
            snippets: true,
        },
    )?;
    if results.fuzzy && !results.hits.is_empty() {
        ctx.note(&format!("nothing matched {text:?} exactly; showing close matches"));
    }
    let by_path: HashMap<&str, usize> = contacts.iter().enumerate().map(|(i, c)| (c.path.as_str(), i)).collect();
    let files: HashMap<&str, &vault::FileEntry> = s.walk.files.iter().map(|f| (f.rel.as_str(), f)).collect();
    let analyse = |text: &str| search::analyse(&s.index, text);
    Ok(results
        .hits
        .iter()
        .filter_map(|h| {
            let i = *by_path.get(h.contact.path.as_str())?;
            // The index keeps no bodies or custom fields: the file, read now, says why it
            // matched. A file that cannot be read now is still a match, from what the index holds.
            let full = files
                .get(h.contact.path.as_str())
                .and_then(|f| vault::read_one(f, s.config).contact);
            let (contact, notes) = match &full {
                Some(c) => (c, crate::body::plain_text(&c.body)),
                None => (&contacts[i], String::new()),
            };
            let matched = who_knows::why(contact, &notes, query, ctx.today, results.fuzzy, &analyse);
            Some(who_knows::Match { contact: i, matched })
        })
        .collect())
}
