//! `netvault report [KIND] --format html [--output FILE] [--who-knows QUERY]`: compute the
//! sections with their own report modules, draw them with [`crate::report::html`], and print
//! the page or write it to FILE.
//!
//! FILE is checked and written by [`super::outfile`] (only a `.html` name, replacing only an
//! earlier page).

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
        Some(path) => Some(super::outfile::output_file(
            ctx,
            &ctx.cwd.join(path),
            super::outfile::Replaces::Page,
        )?),
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
        Some(path) => super::outfile::replace_file(&path, &text),
        None => emit(&text).map_err(|e| Error::io("stdout", e)),
    }
}
