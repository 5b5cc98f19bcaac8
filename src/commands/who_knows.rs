//! `netvault who-knows QUERY`: search, then rank the matches by warmth and find the chain of
//! people to each (see [`crate::report::who_knows`]).

use std::collections::HashMap;

use crate::Outcome;
use crate::cli::{ShowFormat, WhoKnowsArgs};
use crate::error::{Error, Result};
use crate::index::search::{self, Request, Sort};
use crate::output::{emit, json};
use crate::report::who_knows;

use super::{Context, synced};

pub fn run(ctx: &Context, args: &WhoKnowsArgs) -> Result<Outcome> {
    let text = args.query.join(" ");
    let Some(query) = super::search::parse_or_report(ctx, &text) else {
        return Ok(Outcome::Failure);
    };
    let s = synced(ctx)?;
    let results = search::search(
        &s.index,
        &Request {
            query: &query,
            today: ctx.today,
            config: s.config,
            limit: args.limit,
            sort: Sort::Score,
            root: s.root,
        },
    )?;
    if results.fuzzy && !results.hits.is_empty() {
        ctx.note(&format!("nothing matched {text:?} exactly; showing close matches"));
    }
    let contacts = s.index.contacts()?;
    let by_path: HashMap<&str, usize> = contacts.iter().enumerate().map(|(i, c)| (c.path.as_str(), i)).collect();
    let matches: Vec<usize> = results
        .hits
        .iter()
        .filter_map(|h| by_path.get(h.contact.path.as_str()).copied())
        .collect();
    let report = who_knows::who_knows(&text, &contacts, &matches, ctx.today);
    let out = match args.format {
        ShowFormat::Json => json(&report),
        ShowFormat::Human => who_knows::render(&report, ctx.printer),
    };
    emit(&out).map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::Success)
}
