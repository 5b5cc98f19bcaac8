//! `netvault report [KIND] --format html [--output FILE] [--who-knows QUERY]`: compute the
//! sections with their own report modules and draw them with [`crate::report::html`].
//!
//! [`super::report`] picks the section, checks FILE (only a `.html` name, replacing only an
//! earlier page, with [`super::outfile`]) and writes the page.

use crate::contact::Contact;
use crate::error::{Error, Result};
use crate::report::{circles, html, intros, network, outcomes, reciprocity, who_knows};
use crate::resolve::Resolver;

use super::{Context, Synced};

/// How many people a `--who-knows` query considers (as `netvault who-knows` does by default).
const WHO_KNOWS_LIMIT: usize = 25;

/// What a page holds: `report --format html` draws every section, `report KIND --format html`
/// only its own.
pub enum Section<'p, 'a> {
    /// The morning list first, then the introduction graph (its warm paths to the people
    /// `who_knows` finds lit), circle health, outcomes, give and take.
    Whole {
        morning: html::Morning<'p, 'a>,
        who_knows: Option<&'p str>,
    },
    Circles,
    Outcomes,
    Reciprocity,
    /// The introduction graph, its warm paths to the people `who_knows` finds lit.
    Intros {
        who_knows: Option<&'p str>,
    },
}

/// The page of `section`. `contacts` are in path order: every index below, and so the page's
/// bytes, do not depend on the index's.
pub fn page(ctx: &Context, synced: &Synced, contacts: &[Contact], section: Section) -> Result<String> {
    debug_assert!(contacts.is_sorted_by(|a, b| a.path <= b.path), "contacts in path order");
    let today = ctx.today;
    let config = synced.config;
    let whole = matches!(section, Section::Whole { .. });
    let wants_intros = whole || matches!(section, Section::Intros { .. });
    let wants_circles = whole || matches!(section, Section::Circles);
    let wants_outcomes = whole || matches!(section, Section::Outcomes);
    let wants_reciprocity = whole || matches!(section, Section::Reciprocity);
    let (morning, who_knows) = match section {
        Section::Whole { morning, who_knows } => (Some(morning), who_knows),
        Section::Intros { who_knows } => (None, who_knows),
        Section::Circles | Section::Outcomes | Section::Reciprocity => (None, None),
    };
    let who = match who_knows {
        Some(text) => {
            let Some(query) = super::search::parse_or_report(ctx, text) else {
                return Err(Error::Usage(format!("--who-knows {text:?} is not a query")));
            };
            let found = super::who_knows::matches(ctx, synced, &query, text, contacts, WHO_KNOWS_LIMIT)?;
            Some(who_knows::who_knows(text, contacts, found, today))
        }
        None => None,
    };
    let intros = intros::intros(contacts);
    let graph = ctx.timed("graph", || {
        network::Graph::new(contacts, &Resolver::from_contacts(contacts))
    });
    let circles = wants_circles.then(|| circles::circles(contacts, config, today));
    let outcomes = wants_outcomes.then(|| {
        (
            outcomes::outcomes(contacts, config),
            outcomes::by_month(contacts, config, today, html::MONTHS),
        )
    });
    let reciprocity = wants_reciprocity.then(|| reciprocity::reciprocity(contacts, config));
    let page = html::Page {
        today,
        morning,
        network: wants_intros.then_some(html::Network {
            contacts,
            intros: &intros,
            graph: &graph,
            who_knows: who.as_ref(),
        }),
        circles: circles.as_ref(),
        outcomes: outcomes.as_ref().map(|(o, m)| (o, m.as_slice())),
        reciprocity: reciprocity.as_ref(),
    };
    Ok(ctx.timed("html", || html::render(&page)))
}
