//! `netvault search QUERY...`: parse the query (positioned errors, exit 2), sync the index,
//! run it, and print a table, JSON, CSV or paths.

use std::fmt::Write as _;

use comfy_table::{Cell, presets};
use serde::Serialize;

use crate::cli::{SearchArgs, SearchFormat, SearchSort};
use crate::error::Outcome;
use crate::error::{Error, Result};
use crate::index::search::{self, Hit, Request, Results, Sort};
use crate::output::{self, Printer, emit};
use crate::query;
use crate::report::ContactRef;
use crate::report::export::CsvTable;

use super::{Context, synced};

pub fn run(ctx: &Context, args: &SearchArgs) -> Result<Outcome> {
    let text = args.query.join(" ");
    let Some(parsed) = parse_or_report(ctx, &text) else {
        return Ok(Outcome::Failure);
    };
    let s = synced(ctx)?;
    let sort = match args.sort {
        SearchSort::Score => Sort::Score,
        SearchSort::Name => Sort::Name,
        SearchSort::Last => Sort::Last,
        SearchSort::Due => Sort::Due,
    };
    let results = search::search(
        &s.index,
        &Request {
            query: &parsed,
            today: ctx.today,
            config: s.config,
            limit: args.limit,
            sort,
            root: s.root,
            snippets: args.format != SearchFormat::Paths,
        },
    )?;
    if results.fuzzy && !results.hits.is_empty() {
        ctx.note(&format!("nothing matched {text:?} exactly; showing close matches"));
    }
    let out = match args.format {
        SearchFormat::Json => output::json(&SearchJson::new(&text, &results)),
        SearchFormat::Csv => csv(&results),
        SearchFormat::Paths => results.hits.iter().fold(String::new(), |mut out, h| {
            out.push_str(&h.contact.path);
            out.push('\n');
            out
        }),
        SearchFormat::Table => table(&results, ctx.printer),
    };
    emit(&out).map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::Success)
}

/// Parse a query, or print its error with a caret under the column and a hint.
pub fn parse_or_report(ctx: &Context, text: &str) -> Option<query::Query> {
    match query::parse(text) {
        Ok(q) => Some(q),
        Err(e) => {
            let prefix = ctx.printer.paint(output::RED, "error:");
            anstream::eprintln!("{prefix} {}", query_error(text, &e));
            None
        }
    }
}

/// A query's error as the CLI prints it after `error:`: the message, the query with a caret
/// under the column, and a hint.
pub fn query_error(text: &str, e: &query::QueryError) -> String {
    let caret = format!("{}^", " ".repeat(e.column.saturating_sub(1)));
    format!(
        "{} at column {}\n  {text}\n  {caret}\nhelp: {}",
        e.message, e.column, e.hint
    )
}

#[derive(Serialize)]
pub struct SearchJson<'a> {
    query: &'a str,
    total: usize,
    fuzzy: bool,
    hits: Vec<HitJson<'a>>,
}

#[derive(Serialize)]
struct HitJson<'a> {
    #[serde(flatten)]
    who: ContactRef<'a>,
    score: f32,
    snippet: &'a str,
    last_contact: Option<jiff::civil::Date>,
    due: Option<jiff::civil::Date>,
    /// The line of the first error, for a file whose front matter has errors (it is found by
    /// its stem and body, but its fields are unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    front_matter_error: Option<usize>,
}

impl<'a> SearchJson<'a> {
    pub fn new(query: &'a str, results: &'a Results) -> Self {
        Self {
            query,
            total: results.total,
            fuzzy: results.fuzzy,
            hits: results
                .hits
                .iter()
                .map(|h| HitJson {
                    who: ContactRef::new(&h.contact),
                    score: h.score,
                    snippet: &h.snippet,
                    last_contact: h.last_contact,
                    due: h.due,
                    front_matter_error: h.contact.front_matter_error,
                })
                .collect(),
        }
    }
}

/// The hits as CSV through the one CSV writer ([`CsvTable`]: CRLF, formulas defused); the
/// snippet is the plain one, as in JSON.
fn csv(results: &Results) -> String {
    let mut table = CsvTable::new(&[
        "path",
        "name",
        "organization",
        "title",
        "last_contact",
        "score",
        "snippet",
    ]);
    for h in &results.hits {
        let c = &h.contact;
        table.row([
            c.path.as_str(),
            c.name.as_str(),
            c.organization.as_deref().unwrap_or(""),
            c.title.as_deref().unwrap_or(""),
            &h.last_contact.map(|d| d.to_string()).unwrap_or_default(),
            &format!("{:.3}", h.score),
            &h.snippet,
        ]);
    }
    table.finish()
}

/// The snippet with its matches highlighted (colour only on a terminal).
fn highlighted(hit: &Hit, printer: Printer) -> String {
    if !printer.color {
        return hit.snippet.clone();
    }
    let mut out = String::new();
    let mut at = 0;
    for range in &hit.highlights {
        if range.start < at || range.end > hit.snippet.len() {
            continue;
        }
        out.push_str(&hit.snippet[at..range.start]);
        out.push_str(&printer.paint(output::YELLOW, &hit.snippet[range.clone()]));
        at = range.end;
    }
    out.push_str(&hit.snippet[at..]);
    out
}

/// The hits as the terminal table.
pub fn table(results: &Results, printer: Printer) -> String {
    let mut out = String::new();
    if results.hits.is_empty() {
        out.push_str("No contact matches.\n");
        return out;
    }
    let mut table = crate::output::new_table(printer, presets::NOTHING);
    table.set_header(["Name", "Organization", "Title", "Last contact", "Matching text"]);
    for hit in &results.hits {
        let c = &hit.contact;
        table.add_row(vec![
            Cell::new(&c.name),
            Cell::new(c.front_matter_error.map_or_else(
                || c.organization.clone().unwrap_or_default(),
                |line| format!("front matter has errors: line {line}"),
            )),
            Cell::new(c.title.as_deref().unwrap_or("")),
            Cell::new(hit.last_contact.map_or_else(|| "never".into(), |d| d.to_string())),
            Cell::new(highlighted(hit, printer)),
        ]);
    }
    for line in table.to_string().lines() {
        let _ = writeln!(out, "{}", line.trim_end());
    }
    if !printer.quiet {
        let shown = results.hits.len();
        if results.total > shown {
            let _ = writeln!(out, "\n{shown} of {} matches (use --limit to see more)", results.total);
        } else {
            let _ = writeln!(out, "\n{}", output::plural(results.total, "match"));
        }
    }
    out
}
