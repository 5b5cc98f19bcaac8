//! `report --format html`: one self-contained page with pictures — the morning list, the
//! introduction graph, circle health, outcomes over time and reciprocity — as inline SVG laid
//! out here ([`super::layout`]), so the page shows everything without JavaScript and asks no
//! network address for anything (a Content-Security-Policy of `default-src 'none'` says so to
//! the browser). Hover details are SVG `<title>`s, which browsers show as tooltips.
//!
//! Pure: report values in, a `String` out — no clock, no disk. The sections are computed by
//! their own report modules; this module only draws them. Deterministic: the same values give
//! the same bytes (ordered collections only, coordinates printed with one decimal).
//!
//! Accessibility: every chart has its numbers as a table in a `<details>`; colours come from
//! the Okabe–Ito palette, which stays distinct under the common colour-vision deficiencies, and
//! never carry meaning alone (circles are also placed and titled apart, bars are also labelled);
//! `prefers-color-scheme: dark` switches the page to dark colours.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use jiff::civil::Date;

use super::circles::Circles;
use super::followups::{self, Item};
use super::intros::Intros;
use super::layout::{self, MAX_RADIUS, Node};
use super::network::{Graph, Tie};
use super::outcomes::{Month, Outcomes};
use super::reciprocity::Reciprocity;
use super::who_knows::WhoKnows;
use crate::contact::Contact;
use crate::followup::{Bucket, last_contact};

/// Appends formatted text to a `String`, which cannot fail.
macro_rules! put {
    ($buf:expr, $($arg:tt)*) => {{
        let _ = write!($buf, $($arg)*);
    }};
}

/// Vaults up to this many people get every name drawn; larger ones only the closest.
pub const LABEL_ALL_UP_TO: usize = 60;
/// In a larger vault, names drawn per circle: its most recently contacted people.
pub const LABELS_PER_CIRCLE: usize = 8;
/// The widest graph (in SVG units, about CSS pixels) shrunk to fit the page.
const WIDEST_FITTED: f64 = 1400.0;
/// Vaults up to this many people get hover text on edges too.
pub const EDGE_TIPS_UP_TO: usize = 1000;
/// How many people the reciprocity chart draws (the table has them all).
const RECIPROCITY_BARS: usize = 20;
/// How many months the outcomes chart covers.
pub const MONTHS: u16 = 12;

/// The Okabe–Ito palette (without black): distinct under the common colour-vision deficiencies.
const PALETTE: [&str; 7] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
];
/// People in no circle.
const NO_CIRCLE_COLOUR: &str = "#999999";

/// The morning list: the follow-up items and how the terminal report cuts them.
pub struct Morning<'p, 'a> {
    pub items: &'p [Item<'a>],
    pub within_days: i64,
    /// At most this many people (`None`: all), as `--limit`/`--all` say.
    pub limit: Option<usize>,
}

/// The introduction graph's inputs: the contacts (sorted by path), their introductions and
/// mentions, and optionally a `who-knows` answer whose warm paths are highlighted.
pub struct Network<'a> {
    pub contacts: &'a [Contact],
    pub intros: &'a Intros<'a>,
    pub graph: &'a Graph,
    pub who_knows: Option<&'a WhoKnows<'a>>,
}

/// What the page shows; a section left `None` is not on the page.
pub struct Page<'p, 'a> {
    pub today: Date,
    pub morning: Option<Morning<'p, 'a>>,
    pub network: Option<Network<'a>>,
    pub circles: Option<&'a Circles>,
    pub outcomes: Option<(&'a Outcomes, &'a [Month])>,
    pub reciprocity: Option<&'a Reciprocity<'a>>,
}

/// The whole page.
pub fn render(page: &Page<'_, '_>) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let today = page.today;
    let title = format!("Your network · {today}");
    put!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"netvault\">\n<title>{}</title>\n<style>{STYLE}",
        esc(&title)
    );
    // The circles' colours, as classes: a node says `c3`, not the colour, to keep pages small.
    for (k, colour) in PALETTE.iter().enumerate() {
        put!(out, ".c{k}{{fill:{colour}}}");
    }
    put!(
        out,
        ".cn{{fill:{NO_CIRCLE_COLOUR}}}\n</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        esc(&title)
    );
    let mut nav = Vec::new();
    if page.morning.is_some() {
        nav.push(("morning", "Follow-ups"));
    }
    if page.network.is_some() {
        nav.push(("network", "Introductions"));
    }
    if page.circles.is_some() {
        nav.push(("circles", "Circle health"));
    }
    if page.outcomes.is_some() {
        nav.push(("outcomes", "Outcomes"));
    }
    if page.reciprocity.is_some() {
        nav.push(("reciprocity", "Give and take"));
    }
    if nav.len() > 1 {
        out.push_str("<nav>");
        for (i, (id, name)) in nav.iter().enumerate() {
            if i > 0 {
                out.push_str(" · ");
            }
            put!(out, "<a href=\"#{id}\">{name}</a>");
        }
        out.push_str("</nav>\n");
    }
    if let Some(m) = &page.morning {
        morning(&mut out, m, today);
    }
    if let Some(n) = &page.network {
        network(&mut out, n, today);
    }
    if let Some(c) = page.circles {
        circles(&mut out, c);
    }
    if let Some((o, months)) = page.outcomes {
        outcomes(&mut out, o, months);
    }
    if let Some(r) = page.reciprocity {
        reciprocity(&mut out, r);
    }
    put!(
        out,
        "<footer>Made by netvault for {today}. Hover a person or a bar for details; each picture's numbers are in the table under it.</footer>\n</main>\n</body>\n</html>\n"
    );
    out
}

const STYLE: &str = "
:root{color-scheme:light dark;--bg:#ffffff;--fg:#1b1b1b;--dim:#5f5f5f;--line:#8a8a8a;--disc:#f3f3f3;--quiet:#c9c9c9;--warm:#D55E00}
@media (prefers-color-scheme:dark){:root{--bg:#161616;--fg:#ececec;--dim:#a8a8a8;--line:#777777;--disc:#232323;--quiet:#4d4d4d;--warm:#ff9a52}}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}
main{max-width:1100px;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--quiet)}h3{font-size:1rem;margin:1rem 0 .25rem}
a{color:inherit}nav,footer,.dim,figcaption{color:var(--dim)}footer{margin-top:2rem;font-size:.85rem}
ul.items{list-style:none;padding:0;margin:0}ul.items li{margin:.35rem 0}.next{display:block;margin-left:1.2rem;color:var(--dim)}
svg{display:block;max-width:100%;height:auto}svg text{fill:var(--fg);font-size:11px}
.disc{fill:var(--disc)}.disc-title{font-weight:600;font-size:12px}
.edge{stroke:var(--line);stroke-width:1;stroke-opacity:.7;fill:none}.edge.mention{stroke-dasharray:3 3}.edge.warm{stroke:var(--warm);stroke-width:3;stroke-opacity:1}
.graph-box{margin:0;overflow-x:auto}.graph-box svg.wide{max-width:none}
.node{stroke:var(--bg);stroke-width:1}.node.warm{stroke:var(--warm);stroke-width:3}.node.target{stroke:var(--fg);stroke-width:3}
.label{font-size:10px;text-anchor:middle;paint-order:stroke;stroke:var(--bg);stroke-width:3px;stroke-linejoin:round}
.arrow{fill:var(--line)}.in-touch{fill:#0072B2}.quiet-part{fill:var(--quiet)}.overdue{fill:#D55E00}.gave{fill:#0072B2}.asked{fill:#E69F00}
.axis{stroke:var(--line);stroke-width:1}.num{fill:var(--dim)}.end{text-anchor:end}.mid{text-anchor:middle}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin:0 .25em 0 .9em;vertical-align:-.05em}
.bar-swatch{border-radius:2px}
details{margin:.5rem 0 1rem}summary{cursor:pointer;color:var(--dim)}
table{border-collapse:collapse;font-size:.85rem;margin-top:.4rem}th,td{padding:.15rem .6rem;text-align:left;border-bottom:1px solid var(--quiet)}td.n,th.n{text-align:right}
";

/// The morning list: the same people, in the same order, with the same `next` lines as the
/// terminal's `netvault report`.
fn morning(out: &mut String, m: &Morning<'_, '_>, today: Date) {
    let weekday = today.strftime("%A");
    put!(
        out,
        "<section id=\"morning\">\n<h2>Follow-ups for {weekday} {today} · next {} days</h2>\n",
        m.within_days
    );
    let mut shown = followups::morning(m.items, today);
    let total = shown.len();
    let counts = followups::counts(&shown);
    shown.truncate(m.limit.unwrap_or(usize::MAX));
    if shown.is_empty() {
        put!(
            out,
            "<p>Nobody is due in the next {} days. Enjoy the quiet.</p>\n",
            m.within_days
        );
    }
    for (bucket, title) in [
        (Bucket::Overdue, "Overdue"),
        (Bucket::Today, "Today"),
        (Bucket::Upcoming, "Coming up"),
    ] {
        let rows: Vec<&&Item<'_>> = shown.iter().filter(|i| i.due.bucket == bucket).collect();
        if rows.is_empty() {
            continue;
        }
        put!(out, "<h3>{title} ({})</h3>\n<ul class=\"items\">\n", rows.len());
        for item in rows {
            let c = item.contact;
            put!(out, "<li class=\"item\"><strong>{}</strong>", esc(&c.name));
            if let Some(org) = c.organization.as_deref().filter(|o| !o.trim().is_empty()) {
                put!(out, " ({})", esc(org));
            }
            put!(out, " · {}", esc(&followups::due_words(item.due.due, today)));
            let reasons = followups::reason_words(item, today);
            if !reasons.is_empty() {
                put!(out, " · {}", esc(&reasons));
            }
            if let Some(next) = item.next() {
                put!(out, "<span class=\"next\">→ {}</span>", esc(next));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    if total > shown.len() {
        put!(
            out,
            "<p class=\"dim\">and {} more — <code>netvault report --all</code></p>\n",
            total - shown.len()
        );
    }
    put!(out, "<p class=\"dim\">{counts}</p>\n</section>\n");
}

/// How recently you were in touch, 0 (never) to 1 (today), halving about every two months.
fn recency(contact: &Contact, today: Date) -> f64 {
    last_contact(contact, today).map_or(0.0, |d| {
        let days = f64::from((today - d).get_days().max(0));
        (-days / 90.0).exp()
    })
}

/// The graph's people placed: their groups (first circles), nodes, names drawn and the warm
/// paths, with the layout.
struct Picture<'c> {
    groups: Vec<Option<String>>,
    group: Vec<usize>,
    nodes: Vec<Node>,
    labelled: Vec<bool>,
    placed: layout::Layout,
    by_path: BTreeMap<&'c str, usize>,
    warm_nodes: BTreeSet<usize>,
    warm_pairs: BTreeSet<(usize, usize)>,
    targets: BTreeSet<usize>,
}

fn picture<'c>(net: &Network<'c>, today: Date) -> Picture<'c> {
    let contacts = net.contacts;
    // Groups: each person's first circle; the circles in name order, "(no circle)" last.
    let first_circle = |c: &Contact| c.circles.first().cloned();
    let names: BTreeSet<String> = contacts.iter().filter_map(first_circle).collect();
    let mut groups: Vec<Option<String>> = names.into_iter().map(Some).collect();
    if contacts.iter().any(|c| c.circles.is_empty()) {
        groups.push(None);
    }
    let group_of: BTreeMap<Option<String>, usize> = groups.iter().cloned().enumerate().map(|(i, g)| (g, i)).collect();
    let by_path: BTreeMap<&'c str, usize> = contacts.iter().enumerate().map(|(i, c)| (c.path.as_str(), i)).collect();

    // The warm paths: people on a chain, the links between them, and the people found.
    let mut warm_nodes: BTreeSet<usize> = BTreeSet::new();
    let mut warm_pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut targets: BTreeSet<usize> = BTreeSet::new();
    if let Some(wk) = net.who_knows {
        for t in &wk.targets {
            if let Some(&i) = by_path.get(t.path) {
                targets.insert(i);
            }
            let steps: Vec<usize> = t.chain.iter().filter_map(|s| by_path.get(s.path).copied()).collect();
            warm_nodes.extend(steps.iter().copied());
            for w in steps.windows(2) {
                warm_pairs.insert((w[0].min(w[1]), w[0].max(w[1])));
            }
        }
    }

    let closeness: Vec<f64> = contacts.iter().map(|c| recency(c, today)).collect();
    let group: Vec<usize> = contacts.iter().map(|c| group_of[&first_circle(c)]).collect();
    // Names drawn: everyone in a small vault; else each circle's most recently contacted, and
    // everyone on a warm path.
    let mut labelled = vec![contacts.len() <= LABEL_ALL_UP_TO; contacts.len()];
    if contacts.len() > LABEL_ALL_UP_TO {
        for g in 0..groups.len() {
            let mut members: Vec<usize> = (0..contacts.len())
                .filter(|&i| group[i] == g && closeness[i] > 0.0)
                .collect();
            members.sort_by(|&a, &b| closeness[b].total_cmp(&closeness[a]).then(a.cmp(&b)));
            for &i in members.iter().take(LABELS_PER_CIRCLE) {
                labelled[i] = true;
            }
        }
        for &i in warm_nodes.iter().chain(&targets) {
            labelled[i] = true;
        }
    }
    let nodes: Vec<Node> = (0..contacts.len())
        .map(|i| Node {
            group: group[i],
            closeness: closeness[i],
            radius: 3.0 + (MAX_RADIUS - 3.0) * closeness[i],
            labelled: labelled[i],
        })
        .collect();
    let placed = layout::layout(&nodes, groups.len());
    Picture {
        groups,
        group,
        nodes,
        labelled,
        placed,
        by_path,
        warm_nodes,
        warm_pairs,
        targets,
    }
}

/// The introduction graph: a node per person, clustered by (first) circle, sized by how
/// recently you were in touch; an arrow per introduction, a dashed line per mention; the warm
/// paths of `--who-knows` drawn thick.
#[allow(clippy::too_many_lines)] // reason: one picture, drawn top to bottom; pieces would only pass its state around
fn network(out: &mut String, net: &Network<'_>, today: Date) {
    let contacts = net.contacts;
    let pic = picture(net, today);
    let colour = |g: usize| {
        pic.groups[g]
            .as_ref()
            .map_or(NO_CIRCLE_COLOUR, |_| PALETTE[g % PALETTE.len()])
    };

    // Edges: one per introduction between two people of the vault, then one per mention
    // between two people no introduction joins.
    let mut intro_edges: Vec<(usize, usize)> = Vec::new();
    for e in &net.intros.edges {
        if let (Some(from), Some(&to)) = (e.from_path.and_then(|p| pic.by_path.get(p)), pic.by_path.get(e.to_path))
            && *from != to
        {
            intro_edges.push((*from, to));
        }
    }
    let joined: BTreeSet<(usize, usize)> = intro_edges.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    let mut mention_edges: Vec<(usize, usize)> = Vec::new();
    for (a, list) in net.graph.edges.iter().enumerate() {
        for &(b, tie) in list {
            if a < b && tie == Tie::Mentioned && !joined.contains(&(a, b)) {
                mention_edges.push((a, b));
            }
        }
    }
    mention_edges.sort_unstable();

    put!(
        out,
        "<section id=\"network\">\n<h2>Who introduced whom</h2>\n<p class=\"dim\">{} people in {} · {} · {}. Each person is a dot in the colour of their first circle, larger the more recently you were in touch; arrows go from the introducer, dashed lines join people whose notes mention each other.</p>\n",
        contacts.len(),
        plural(pic.groups.len(), "circle"),
        plural(intro_edges.len(), "introduction"),
        plural(mention_edges.len(), "mention")
    );
    out.push_str("<p class=\"legend\">");
    for (g, name) in pic.groups.iter().enumerate() {
        put!(
            out,
            "<span class=\"swatch\" style=\"background:{}\"></span>{}",
            colour(g),
            esc(name.as_deref().unwrap_or("(no circle)"))
        );
    }
    out.push_str("</p>\n");
    if let Some(wk) = net.who_knows {
        warm_paths(out, wk);
    }
    let (width, height) = (pic.placed.width, pic.placed.height);
    put!(
        out,
        "<figure class=\"graph-box\">\n<svg class=\"graph{}\" viewBox=\"0 0 {} {}\" width=\"{}\" role=\"img\" aria-labelledby=\"graph-title\">\n<title id=\"graph-title\">The introduction graph: {} people, {}</title>\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path class=\"arrow\" d=\"M0,0L8,4L0,8z\"/></marker></defs>\n",
        // Fitted to the page up to a width where names would shrink past reading; wider, the
        // picture keeps its size and scrolls sideways.
        if width > WIDEST_FITTED { " wide" } else { "" },
        f(width),
        f(height),
        f(width),
        contacts.len(),
        plural(intro_edges.len(), "introduction")
    );
    for (g, disc) in pic.placed.discs.iter().enumerate() {
        if disc.members == 0 {
            continue;
        }
        put!(
            out,
            "<circle class=\"disc\" cx=\"{}\" cy=\"{}\" r=\"{}\"/><text class=\"disc-title mid\" x=\"{}\" y=\"{}\">{} ({})</text>\n",
            f(disc.x),
            f(disc.y),
            f(disc.r),
            f(disc.x),
            f(disc.y - disc.r - 6.0),
            esc(pic.groups[g].as_deref().unwrap_or("(no circle)")),
            disc.members
        );
    }
    let pos = |i: usize| pic.placed.points[i];
    // Hover text on edges only while the page stays small; the table lists every introduction.
    let edge_tip = |text: &str| {
        if contacts.len() <= EDGE_TIPS_UP_TO {
            format!("<title>{}</title>", esc(text))
        } else {
            String::new()
        }
    };
    let warm = |a: usize, b: usize| {
        if pic.warm_pairs.contains(&(a.min(b), a.max(b))) {
            " warm"
        } else {
            ""
        }
    };
    for &(a, b) in &mention_edges {
        let ((x1, y1), (x2, y2)) = (pos(a), pos(b));
        put!(
            out,
            "<line class=\"edge mention{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\">{}</line>\n",
            warm(a, b),
            f(x1),
            f(y1),
            f(x2),
            f(y2),
            edge_tip(&format!("{} ↔ {}", contacts[a].name, contacts[b].name))
        );
    }
    for &(a, b) in &intro_edges {
        let ((x1, y1), (x2, y2)) = (pos(a), pos(b));
        // The arrow ends at the edge of the introduced person's dot.
        let len = (x2 - x1).hypot(y2 - y1).max(1e-9);
        let back = (pic.nodes[b].radius + 1.5).min(len);
        let (ex, ey) = (x2 - (x2 - x1) * back / len, y2 - (y2 - y1) * back / len);
        put!(
            out,
            "<line class=\"edge intro{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" marker-end=\"url(#arrow)\">{}</line>\n",
            warm(a, b),
            f(x1),
            f(y1),
            f(ex),
            f(ey),
            edge_tip(&format!("{} introduced {}", contacts[a].name, contacts[b].name))
        );
    }
    for (i, c) in contacts.iter().enumerate() {
        let (x, y) = pos(i);
        let class = if pic.targets.contains(&i) {
            " target"
        } else if pic.warm_nodes.contains(&i) {
            " warm"
        } else {
            ""
        };
        let mut tip = c.name.clone();
        if let Some(org) = c.organization.as_deref().filter(|o| !o.trim().is_empty()) {
            let _ = write!(tip, " — {org}");
        }
        let circles = if c.circles.is_empty() {
            "no circle".to_string()
        } else {
            c.circles.join(", ")
        };
        let _ = write!(
            tip,
            "\n{circles}\nlast contact: {}",
            last_contact(c, today).map_or_else(|| "never".to_string(), |d| d.to_string())
        );
        put!(
            out,
            "<circle class=\"node {}{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\"><title>{}</title></circle>\n",
            colour_class(pic.groups[pic.group[i]].is_some(), pic.group[i]),
            f(x),
            f(y),
            f(pic.nodes[i].radius),
            esc(&tip)
        );
    }
    for (i, c) in contacts.iter().enumerate() {
        if pic.labelled[i] {
            let (x, y) = pos(i);
            put!(
                out,
                "<text class=\"label\" x=\"{}\" y=\"{}\">{}</text>\n",
                f(x),
                f(y + pic.nodes[i].radius + 11.0),
                esc(&shorten(&c.name, 18))
            );
        }
    }
    out.push_str("</svg>\n</figure>\n<details><summary>The graph as a table</summary>\n<table><thead><tr><th>Name</th><th>Circles</th><th>Last contact</th><th>Introduced by</th></tr></thead><tbody>\n");
    let mut introducers: Vec<Vec<&str>> = vec![Vec::new(); contacts.len()];
    for e in &net.intros.edges {
        if let Some(&to) = pic.by_path.get(e.to_path) {
            introducers[to].push(&e.from);
        }
    }
    for (i, c) in contacts.iter().enumerate() {
        put!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&c.name),
            esc(&c.circles.join(", ")),
            last_contact(c, today).map_or_else(String::new, |d| d.to_string()),
            esc(&introducers[i].join(", "))
        );
    }
    out.push_str("</tbody></table>\n</details>\n</section>\n");
}

/// The `--who-knows` answer under the graph's legend: each person found and the chain to them.
fn warm_paths(out: &mut String, wk: &WhoKnows<'_>) {
    put!(out, "<h3>Warm paths to “{}”</h3>\n", esc(wk.query));
    if wk.targets.is_empty() {
        out.push_str("<p>Nobody in the vault matches.</p>\n");
        return;
    }
    out.push_str("<ul class=\"warm-paths\">\n");
    for t in &wk.targets {
        let how = if t.direct {
            "you know them directly".to_string()
        } else if t.chain.is_empty() {
            "no chain of people leads there".to_string()
        } else {
            t.chain.iter().map(|s| esc(s.name)).collect::<Vec<_>>().join(" → ")
        };
        put!(out, "<li><strong>{}</strong>: {how}</li>\n", esc(t.name));
    }
    out.push_str("</ul>\n");
}

/// Circle health: a bar per circle, as long as the circle is large, the part in touch in the
/// last 90 days solid and the quiet rest light; a thin bar under it for the overdue.
fn circles(out: &mut String, report: &Circles) {
    const LEFT: f64 = 170.0;
    const BAR: f64 = 380.0;
    const ROW: f64 = 30.0;
    put!(
        out,
        "<section id=\"circles\">\n<h2>Circle health</h2>\n<p class=\"legend\"><span class=\"swatch bar-swatch\" style=\"background:#0072B2\"></span>in touch in the last {} days<span class=\"swatch bar-swatch\" style=\"background:var(--quiet)\"></span>quiet<span class=\"swatch bar-swatch\" style=\"background:#D55E00\"></span>overdue (thin bar)</p>\n",
        report.recent_days
    );
    if report.circles.is_empty() {
        out.push_str("<p>No contacts yet.</p>\n</section>\n");
        return;
    }
    let max = report.circles.iter().map(|r| r.contacts).max().unwrap_or(1).max(1);
    let scale = |n: usize| BAR * num(n) / num(max);
    let height = ROW * num(report.circles.len()) + 8.0;
    put!(
        out,
        "<figure>\n<svg class=\"chart\" viewBox=\"0 0 760 {h}\" width=\"760\" role=\"img\" aria-labelledby=\"circles-title\">\n<title id=\"circles-title\">Per circle: contacts, in touch lately, overdue</title>\n",
        h = f(height)
    );
    for (k, r) in report.circles.iter().enumerate() {
        let y = 4.0 + ROW * num(k);
        let quiet = if r.gone_quiet() { " · gone quiet" } else { "" };
        put!(
            out,
            "<g class=\"bar\" data-circle=\"{}\"><title>{}: {} contacts, {} in touch, {} overdue{quiet}</title>\
             <text class=\"end\" x=\"{}\" y=\"{}\">{}</text>\
             <rect class=\"quiet-part\" x=\"{LEFT}\" y=\"{}\" width=\"{}\" height=\"14\"/>\
             <rect class=\"in-touch\" x=\"{LEFT}\" y=\"{}\" width=\"{}\" height=\"14\"/>\
             <rect class=\"overdue\" x=\"{LEFT}\" y=\"{}\" width=\"{}\" height=\"5\"/>\
             <text class=\"num\" x=\"{}\" y=\"{}\">{} · {} in touch · {} overdue{quiet}</text></g>\n",
            esc(&r.circle),
            esc(&r.circle),
            r.contacts,
            r.recent,
            r.overdue,
            f(LEFT - 8.0),
            f(y + 12.0),
            esc(&shorten(&r.circle, 24)),
            f(y),
            f(scale(r.contacts)),
            f(y),
            f(scale(r.recent)),
            f(y + 16.0),
            f(scale(r.overdue)),
            f(LEFT + scale(r.contacts) + 8.0),
            f(y + 12.0),
            r.contacts,
            r.recent,
            r.overdue
        );
    }
    out.push_str("</svg>\n</figure>\n<details><summary>Circle health as a table</summary>\n<table><thead><tr><th>Circle</th><th class=\"n\">Contacts</th><th class=\"n\">In touch</th><th class=\"n\">Overdue</th><th class=\"n\">Archived</th><th>Cadence</th><th></th></tr></thead><tbody>\n");
    for r in &report.circles {
        put!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&r.circle),
            r.contacts,
            r.recent,
            r.overdue,
            r.archived,
            esc(r.cadence.as_deref().unwrap_or("")),
            if r.gone_quiet() { "gone quiet" } else { "" }
        );
    }
    out.push_str("</tbody></table>\n</details>\n</section>\n");
}

/// Outcomes over time: a stacked column per month, a colour per outcome tag.
fn outcomes(out: &mut String, report: &Outcomes, months: &[Month]) {
    const LEFT: f64 = 36.0;
    const TOP: f64 = 10.0;
    const PLOT: f64 = 170.0;
    const COLUMN: f64 = 50.0;
    let tags: Vec<&str> = report.outcomes.iter().map(|(t, _)| t.as_str()).collect();
    out.push_str("<section id=\"outcomes\">\n<h2>What the network has brought</h2>\n<p class=\"legend\">");
    for (k, (tag, meaning)) in report.outcomes.iter().enumerate() {
        put!(
            out,
            "<span class=\"swatch bar-swatch\" style=\"background:{}\"></span>#{} <span class=\"dim\">{}</span>",
            PALETTE[k % PALETTE.len()],
            esc(tag),
            esc(meaning)
        );
    }
    out.push_str("</p>\n");
    let total = |m: &Month| m.counts.values().sum::<usize>();
    let max = months.iter().map(total).max().unwrap_or(0).max(1);
    let width = LEFT + COLUMN * num(months.len()) + 10.0;
    put!(
        out,
        "<figure>\n<svg class=\"chart\" viewBox=\"0 0 {w} 220\" width=\"{w}\" role=\"img\" aria-labelledby=\"outcomes-title\">\n<title id=\"outcomes-title\">Outcome tags on log entries per month, the last {} months</title>\n\
         <line class=\"axis\" x1=\"{LEFT}\" y1=\"{}\" x2=\"{w}\" y2=\"{}\"/><text class=\"num end\" x=\"{}\" y=\"{}\">{max}</text><text class=\"num end\" x=\"{}\" y=\"{}\">0</text>\n",
        months.len(),
        f(TOP + PLOT),
        f(TOP + PLOT),
        f(LEFT - 6.0),
        f(TOP + 10.0),
        f(LEFT - 6.0),
        f(TOP + PLOT),
        w = f(width)
    );
    for (k, m) in months.iter().enumerate() {
        let x = LEFT + COLUMN * num(k) + 8.0;
        let summary: Vec<String> = tags
            .iter()
            .filter_map(|t| m.counts.get(*t).filter(|n| **n > 0).map(|n| format!("#{t} {n}")))
            .collect();
        let summary = if summary.is_empty() {
            "nothing".to_string()
        } else {
            summary.join(", ")
        };
        put!(
            out,
            "<g class=\"month\"><title>{}: {}</title>",
            esc(&m.month),
            esc(&summary)
        );
        let mut y = TOP + PLOT;
        for (t, tag) in tags.iter().enumerate() {
            let n = m.counts.get(*tag).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let h = PLOT * num(n) / num(max);
            y -= h;
            put!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                f(x),
                f(y),
                f(COLUMN - 16.0),
                f(h),
                PALETTE[t % PALETTE.len()]
            );
        }
        let (year, month) = m.month.split_once('-').unwrap_or((&m.month, ""));
        let name = month_name(month);
        put!(
            out,
            "<text class=\"mid\" x=\"{}\" y=\"{}\">{}</text>",
            f(x + (COLUMN - 16.0) / 2.0),
            f(TOP + PLOT + 14.0),
            name
        );
        if k == 0 || month == "01" {
            put!(
                out,
                "<text class=\"num mid\" x=\"{}\" y=\"{}\">{}</text>",
                f(x + (COLUMN - 16.0) / 2.0),
                f(TOP + PLOT + 28.0),
                esc(year)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n</figure>\n");
    outcomes_tables(out, report, months);
    out.push_str("</section>\n");
}

/// The outcomes chart's text equivalent: per month, and all time per person.
fn outcomes_tables(out: &mut String, report: &Outcomes, months: &[Month]) {
    let tags: Vec<&str> = report.outcomes.iter().map(|(t, _)| t.as_str()).collect();
    let total = |m: &Month| m.counts.values().sum::<usize>();
    out.push_str("<details><summary>Outcomes as a table</summary>\n<table><thead><tr><th>Month</th>");
    for t in &tags {
        put!(out, "<th class=\"n\">#{}</th>", esc(t));
    }
    out.push_str("<th class=\"n\">Total</th></tr></thead><tbody>\n");
    for m in months {
        put!(out, "<tr><td>{}</td>", esc(&m.month));
        for t in &tags {
            put!(out, "<td class=\"n\">{}</td>", m.counts.get(*t).copied().unwrap_or(0));
        }
        put!(out, "<td class=\"n\">{}</td></tr>\n", total(m));
    }
    out.push_str("</tbody></table>\n");
    if !report.circles.is_empty() {
        out.push_str("<h3>All time, by circle</h3>\n<table><thead><tr><th>Circle</th>");
        for t in &tags {
            put!(out, "<th class=\"n\">#{}</th>", esc(t));
        }
        out.push_str("<th class=\"n\">Total</th></tr></thead><tbody>\n");
        for r in &report.circles {
            put!(out, "<tr><td>{}</td>", esc(&r.circle));
            for t in &tags {
                put!(out, "<td class=\"n\">{}</td>", r.counts.get(*t).copied().unwrap_or(0));
            }
            put!(out, "<td class=\"n\">{}</td></tr>\n", r.total);
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</details>\n");
}

/// Give and take: per person, what you gave to the right, what you asked to the left.
fn reciprocity(out: &mut String, report: &Reciprocity<'_>) {
    const NAME: f64 = 170.0;
    const HALF: f64 = 180.0;
    const ROW: f64 = 22.0;
    let (g, a) = (esc(&report.gave_tag), esc(&report.asked_tag));
    put!(
        out,
        "<section id=\"reciprocity\">\n<h2>Give and take</h2>\n<p class=\"legend\"><span class=\"swatch bar-swatch\" style=\"background:#E69F00\"></span>#{a}: you asked them (left)<span class=\"swatch bar-swatch\" style=\"background:#0072B2\"></span>#{g}: you helped them (right)</p>\n"
    );
    if report.contacts.is_empty() {
        put!(
            out,
            "<p>Nothing tagged yet. Add #{g} or #{a} to log entries to see the balance.</p>\n</section>\n"
        );
        return;
    }
    let rows = &report.contacts[..report.contacts.len().min(RECIPROCITY_BARS)];
    let max = rows.iter().map(|r| r.gave.max(r.asked)).max().unwrap_or(1).max(1);
    let scale = |n: usize| HALF * num(n) / num(max);
    let mid = NAME + HALF + 10.0;
    let height = ROW * num(rows.len()) + 8.0;
    put!(
        out,
        "<figure>\n<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" role=\"img\" aria-labelledby=\"reciprocity-title\">\n<title id=\"reciprocity-title\">Entries tagged #{g} against #{a}, per person</title>\n<line class=\"axis\" x1=\"{m}\" y1=\"0\" x2=\"{m}\" y2=\"{h}\"/>\n",
        w = f(mid + HALF + 40.0),
        h = f(height),
        m = f(mid)
    );
    for (k, r) in rows.iter().enumerate() {
        let y = 4.0 + ROW * num(k);
        let note = if r.only_asked { " · only asked" } else { "" };
        put!(
            out,
            "<g class=\"give-take\"><title>{}: gave {}, asked {}{note}</title><text class=\"end\" x=\"{}\" y=\"{}\">{}</text>\
             <rect class=\"asked\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\"/><rect class=\"gave\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\"/>\
             <text class=\"num\" x=\"{}\" y=\"{}\">{:+}</text></g>\n",
            esc(r.name),
            r.gave,
            r.asked,
            f(NAME - 8.0),
            f(y + 11.0),
            esc(&shorten(r.name, 24)),
            f(mid - scale(r.asked)),
            f(y),
            f(scale(r.asked)),
            f(mid),
            f(y),
            f(scale(r.gave)),
            f(mid + scale(r.gave) + 6.0),
            f(y + 11.0),
            r.balance
        );
    }
    out.push_str("</svg>\n</figure>\n");
    if report.contacts.len() > rows.len() {
        put!(
            out,
            "<p class=\"dim\">The {} most one-sided shown; the table has all {}.</p>\n",
            rows.len(),
            report.contacts.len()
        );
    }
    put!(
        out,
        "<details><summary>Give and take as a table</summary>\n<table><thead><tr><th>Name</th><th class=\"n\">Gave</th><th class=\"n\">Asked</th><th class=\"n\">Balance</th><th>Last gave</th><th></th></tr></thead><tbody>\n"
    );
    for r in &report.contacts {
        put!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:+}</td><td>{}</td><td>{}</td></tr>\n",
            esc(r.name),
            r.gave,
            r.asked,
            r.balance,
            r.last_gave.map_or_else(String::new, |d| d.to_string()),
            if r.only_asked { "only asked" } else { "" }
        );
    }
    out.push_str("</tbody></table>\n</details>\n");
    if !report.only_asked.is_empty() {
        let names: Vec<String> = report
            .contacts
            .iter()
            .filter(|r| r.only_asked)
            .map(|r| esc(r.name))
            .collect();
        put!(
            out,
            "<p>You have only asked of {}. A thank-you note, an article they would like or an introduction of your own goes a long way.</p>\n",
            names.join(", ")
        );
    }
    out.push_str("</section>\n");
}

/// Text for HTML: element content and attribute values alike.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline have no place in a page.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The class that colours a node of group `g` (`named`: a circle, not "no circle").
fn colour_class(named: bool, g: usize) -> String {
    if named {
        format!("c{}", g % PALETTE.len())
    } else {
        "cn".to_string()
    }
}

/// A coordinate with one decimal, the same bytes on every machine (`-0.0` printed as `0.0`).
fn f(x: f64) -> String {
    let s = format!("{x:.1}");
    if s == "-0.0" { "0.0".to_string() } else { s }
}

/// A count as a float for scaling (counts stay far below 2^32).
fn num(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

fn plural(n: usize, word: &str) -> String {
    crate::output::plural(n, word)
}

/// At most `max` characters, cut with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        text
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

fn month_name(month: &str) -> &'static str {
    match month {
        "01" => "Jan",
        "02" => "Feb",
        "03" => "Mar",
        "04" => "Apr",
        "05" => "May",
        "06" => "Jun",
        "07" => "Jul",
        "08" => "Aug",
        "09" => "Sep",
        "10" => "Oct",
        "11" => "Nov",
        "12" => "Dec",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-11-27";

    fn example_vault() -> (Vec<Contact>, crate::config::VaultConfig) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault");
        let vault = crate::vault::Vault::load(&root).expect("the example vault loads");
        let mut contacts: Vec<Contact> = vault.contacts().cloned().collect();
        contacts.sort_by(|a, b| a.path.cmp(&b.path));
        (contacts, vault.config.clone())
    }

    /// The whole page for `contacts`, as `netvault report --format html` draws it.
    fn page(contacts: &[Contact], config: &crate::config::VaultConfig) -> String {
        let today: Date = TODAY.parse().unwrap();
        let names = crate::resolve::Resolver::from_contacts(contacts);
        let graph = Graph::new(contacts, &names);
        let intros = super::super::intros::intros(contacts);
        let items = followups::followups(contacts, config, today, 7);
        let circles = super::super::circles::circles(contacts, config, today);
        let outcomes = super::super::outcomes::outcomes(contacts, config);
        let months = super::super::outcomes::by_month(contacts, config, today, MONTHS);
        let reciprocity = super::super::reciprocity::reciprocity(contacts, config);
        render(&Page {
            today,
            morning: Some(Morning {
                items: &items,
                within_days: 7,
                limit: Some(12),
            }),
            network: Some(Network {
                contacts,
                intros: &intros,
                graph: &graph,
                who_knows: None,
            }),
            circles: Some(&circles),
            outcomes: Some((&outcomes, &months)),
            reciprocity: Some(&reciprocity),
        })
    }

    #[test]
    fn the_example_vault_has_no_overlapping_nodes_or_names() {
        let (contacts, _) = example_vault();
        assert!(contacts.len() >= 30, "the example vault is read whole");
        let names = crate::resolve::Resolver::from_contacts(&contacts);
        let graph = Graph::new(&contacts, &names);
        let intros = super::super::intros::intros(&contacts);
        let net = Network {
            contacts: &contacts,
            intros: &intros,
            graph: &graph,
            who_knows: None,
        };
        let pic = picture(&net, TODAY.parse().unwrap());
        layout::tests::assert_no_overlap(&pic.nodes, &pic.placed);
        // Every name is drawn in a vault this small, and no two names' boxes meet (10px type:
        // about 6px a character, 12px high, centred under the node).
        assert!(pic.labelled.iter().all(|l| *l));
        let boxes: Vec<(f64, f64, f64, f64)> = contacts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (x, y) = pic.placed.points[i];
                let half = 3.0 * num(shorten(&c.name, 18).chars().count());
                let top = y + pic.nodes[i].radius + 1.0;
                (x - half, x + half, top, top + 12.0)
            })
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            for (j, b) in boxes.iter().enumerate().skip(i + 1) {
                let apart = a.1 <= b.0 || b.1 <= a.0 || a.3 <= b.2 || b.3 <= a.2;
                assert!(
                    apart,
                    "the names of {} and {} overlap",
                    contacts[i].name, contacts[j].name
                );
            }
        }
    }

    #[test]
    fn the_same_vault_gives_the_same_bytes() {
        let (contacts, config) = example_vault();
        let first = page(&contacts, &config);
        assert_eq!(first, page(&contacts, &config));
        assert_eq!(first.matches("<circle class=\"node").count(), contacts.len());
    }

    #[test]
    fn user_text_is_escaped_everywhere() {
        let (mut contacts, config) = example_vault();
        contacts[0].name = "<script>alert(1)</script> & \"quotes\" 'too'".into();
        contacts[0].circles = vec!["<b>circle</b>".into()];
        contacts[0].organization = Some("<img src=x>".into());
        let page = page(&contacts, &config);
        assert!(!page.contains("<script"), "no element from a name");
        assert!(!page.contains("<b>circle"), "no element from a circle");
        assert!(!page.contains("<img"), "no element from an organization");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;too&#39;"));
    }

    #[test]
    fn coordinates_are_printed_the_same_everywhere() {
        assert_eq!(f(-0.04), "0.0");
        assert_eq!(f(12.349), "12.3");
        assert_eq!(esc("a\u{7}b"), "a\u{fffd}b");
    }
}
