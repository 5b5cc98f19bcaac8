//! `who-knows QUERY`: the people matching a query (at an organization, or whose notes mention
//! the topic), ranked by warmth, each with why it matched (the field and its words) and either
//! "you know them directly" or the shortest chain of people — through `introduced_by` and
//! `[[wikilinks]]` — from someone you know directly. This is the "ask your contacts to
//! introduce you to their contacts" step, made concrete.
//!
//! Pure: the search (which contacts match) and the text analyser (how words are split, folded
//! and stemmed, as the index does it) come from the caller.

use std::fmt::Write as _;
use std::ops::Range;

use jiff::civil::Date;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::circles::RECENT_DAYS;
use super::network::{Graph, chain};
use crate::contact::{Contact, Status};
use crate::fold::fold;
use crate::followup::last_contact;
use crate::output::Printer;
use crate::query::{DateField, Field, Query};
use crate::resolve::Resolver;

/// "You know them directly" (SPEC §6): a contact within this many days, and not archived.
pub const DIRECT_DAYS: i64 = 365;

/// How warm a relationship is, from 0 (cold) to 1: mostly how recent the last contact was
/// (halving about every two months), partly how often you were in touch this past year.
pub fn warmth(contact: &Contact, today: Date) -> f64 {
    let recency = last_contact(contact, today).map_or(0.0, |d| {
        let days = f64::from((today - d).get_days().max(0));
        (-days / 90.0).exp()
    });
    let year_ago = today.checked_sub(jiff::Span::new().days(365)).unwrap_or(today);
    let recent_entries = contact
        .log
        .iter()
        .filter(|e| e.date <= today && e.date > year_ago)
        .count();
    let frequency = f64::from(u32::try_from(recent_entries.min(10)).unwrap_or(10)) / 10.0;
    ((0.7 * recency + 0.3 * frequency) * 100.0).round() / 100.0
}

/// In touch: a contact in the last [`RECENT_DAYS`] days, and not archived (as `report circles`
/// counts it).
pub fn in_touch(contact: &Contact, today: Date) -> bool {
    within(contact, today, RECENT_DAYS)
}

/// You know them directly: a contact in the last [`DIRECT_DAYS`] days, and not archived. Such a
/// person needs no introduction, and can give one.
pub fn knows_directly(contact: &Contact, today: Date) -> bool {
    within(contact, today, DIRECT_DAYS)
}

fn within(contact: &Contact, today: Date, days: i64) -> bool {
    contact.status != Status::Archived
        && last_contact(contact, today).is_some_and(|d| i64::from((today - d).get_days()) <= days)
}

#[derive(Debug, Serialize)]
pub struct Step<'a> {
    pub path: &'a str,
    pub name: &'a str,
}

/// One reason a target matched: the field (as a person would name it) and the words in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matched {
    pub field: String,
    pub words: String,
}

#[derive(Debug, Serialize)]
pub struct Target<'a> {
    pub path: &'a str,
    pub name: &'a str,
    pub organization: Option<&'a str>,
    pub title: Option<&'a str>,
    pub warmth: f64,
    pub last_contact: Option<Date>,
    pub in_touch: bool,
    /// You know them directly: no chain through anyone else.
    pub direct: bool,
    /// Why the query found them.
    pub matched: Vec<Matched>,
    /// From someone you know directly to the target, both included; empty when no chain
    /// exists. A target you know directly is a chain of one.
    pub chain: Vec<Step<'a>>,
}

#[derive(Debug, Serialize)]
pub struct WhoKnows<'a> {
    pub query: &'a str,
    pub targets: Vec<Target<'a>>,
}

/// A query match: the contact (an index into the contacts) and why it matched.
#[derive(Debug)]
pub struct Match {
    pub contact: usize,
    pub matched: Vec<Matched>,
}

/// `matches` are the people the query found, best match first.
pub fn who_knows<'a>(query: &'a str, contacts: &'a [Contact], matches: Vec<Match>, today: Date) -> WhoKnows<'a> {
    let names = Resolver::from_contacts(contacts);
    let graph = Graph::new(contacts, &names);
    let sources: Vec<usize> = (0..contacts.len())
        .filter(|&i| knows_directly(&contacts[i], today))
        .collect();
    let (parent, reached) = graph.bfs(&sources);
    let mut targets: Vec<(usize, Target<'a>)> = matches
        .into_iter()
        .enumerate()
        .map(|(rank, m)| {
            let i = m.contact;
            let c = &contacts[i];
            let direct = sources.binary_search(&i).is_ok();
            // A source is its own chain of one: nobody stands between you.
            let steps = if direct {
                vec![i]
            } else if reached[i] {
                chain(&parent, i)
            } else {
                Vec::new()
            };
            (
                rank,
                Target {
                    path: &c.path,
                    name: &c.name,
                    organization: c.organization.as_deref(),
                    title: c.title.as_deref(),
                    warmth: warmth(c, today),
                    last_contact: last_contact(c, today),
                    in_touch: in_touch(c, today),
                    direct,
                    matched: m.matched,
                    chain: steps
                        .into_iter()
                        .map(|j| Step {
                            path: &contacts[j].path,
                            name: &contacts[j].name,
                        })
                        .collect(),
                },
            )
        })
        .collect();
    // Warmest first; reachable before unreachable; then the search's own order.
    targets.sort_by(|(ra, a), (rb, b)| {
        b.warmth
            .total_cmp(&a.warmth)
            .then(b.chain.is_empty().cmp(&a.chain.is_empty()).reverse())
            .then(ra.cmp(rb))
    });
    WhoKnows {
        query,
        targets: targets.into_iter().map(|(_, t)| t).collect(),
    }
}

/// A word of a text as the index sees it: where it is, and its analysed form.
pub type Token = (Range<usize>, String);

/// Why `contact` matched `query`: each field holding the query's words, with those words (a
/// short field whole, the notes as a few words around the match). `notes` is the body as plain
/// text; `analyse` splits a text into words as the index does (folded, stemmed); `fuzzy` says
/// the search allowed typos, so a word matches one an edit or two away, as the search did.
pub fn why(
    contact: &Contact,
    notes: &str,
    query: &Query,
    today: Date,
    fuzzy: bool,
    analyse: &dyn Fn(&str) -> Vec<Token>,
) -> Vec<Matched> {
    // Each field value a clause matched, in the order found, with the words it matched there:
    // two words of one query in the same notes make one fragment, not two.
    let mut hits: Vec<Hit> = Vec::new();
    for clause in positive(query) {
        match clause {
            Clause::Words { field, text, phrase } => {
                let wanted: Vec<String> = analyse(&nfc(text)).into_iter().map(|(_, t)| t).collect();
                for (label, value) in texts(contact, notes, field) {
                    let value = nfc(value);
                    let words = analyse(&value);
                    if let Some(range) = find(&words, &wanted, phrase, fuzzy) {
                        match hits.iter_mut().find(|h| h.label == label && h.value == value) {
                            Some(hit) => hit.ranges.push(range),
                            None => hits.push(Hit {
                                label: label.to_string(),
                                value,
                                words,
                                ranges: vec![range],
                            }),
                        }
                    }
                }
                for (label, values) in keywords(contact, field) {
                    let wanted = fold(text.trim().trim_start_matches('#'));
                    for v in values.iter().filter(|v| fold(v) == wanted) {
                        hits.push(Hit::whole(label, v.clone()));
                    }
                }
            }
            Clause::Date { field, range } => {
                let Some((lo, hi)) = range.resolve(today) else {
                    continue;
                };
                let (label, value) = match field {
                    DateField::Last => ("last contact", last_contact(contact, today)),
                    DateField::Met => ("met", contact.met),
                    DateField::FollowUp => ("follow-up", contact.follow_up),
                    // Due and birthday dates need the config and the window: the report says
                    // nothing it would have to guess.
                    DateField::Due | DateField::Birthday => continue,
                };
                if let Some(d) = value.filter(|d| lo.is_none_or(|lo| lo <= *d) && hi.is_none_or(|hi| *d <= hi)) {
                    hits.push(Hit::whole(label, d.to_string()));
                }
            }
        }
    }
    let mut out: Vec<Matched> = Vec::new();
    for hit in hits {
        let words = if hit.label == NOTES {
            fragments(&hit.value, &hit.words, hit.ranges)
        } else {
            hit.value.trim().to_string()
        };
        let m = Matched {
            field: hit.label,
            words,
        };
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

/// A field value a query matched, and where.
struct Hit {
    label: String,
    value: String,
    words: Vec<Token>,
    /// Indexes into `words`.
    ranges: Vec<Range<usize>>,
}

impl Hit {
    fn whole(label: &str, value: String) -> Self {
        Self {
            label: label.to_string(),
            value,
            words: Vec::new(),
            ranges: Vec::new(),
        }
    }
}

const NOTES: &str = "notes";

/// A clause that makes a contact match (those under `NOT` only keep others out).
enum Clause<'q> {
    Words {
        field: Option<&'q Field>,
        text: &'q str,
        phrase: bool,
    },
    Date {
        field: DateField,
        range: &'q crate::query::DateRange,
    },
}

fn positive(query: &Query) -> Vec<Clause<'_>> {
    fn walk<'q>(q: &'q Query, out: &mut Vec<Clause<'q>>) {
        match q {
            Query::And(children) | Query::Or(children) => children.iter().for_each(|c| walk(c, out)),
            Query::Not(_) => {}
            Query::Term { field, text } => out.push(Clause::Words {
                field: field.as_ref(),
                text,
                phrase: false,
            }),
            Query::Phrase { field, text } => out.push(Clause::Words {
                field: field.as_ref(),
                text,
                phrase: true,
            }),
            Query::Date { field, range } => out.push(Clause::Date { field: *field, range }),
        }
    }
    let mut out = Vec::new();
    walk(query, &mut out);
    out
}

/// The text fields a word in `field` (or anywhere) is looked for in, with their labels, in the
/// order the search ranks them.
fn texts<'c>(contact: &'c Contact, notes: &'c str, field: Option<&Field>) -> Vec<(&'c str, &'c str)> {
    let one = |label: &'c str, v: &'c Option<String>| v.as_deref().map(|v| (label, v)).into_iter();
    let many = |label: &'c str, v: &'c [String]| v.iter().map(move |v| (label, v.as_str()));
    let name = std::iter::once(("name", contact.name.as_str()));
    match field {
        None => name
            .chain(one("organization", &contact.organization))
            .chain(many("aliases", &contact.aliases))
            .chain(one("title", &contact.title))
            .chain(one("location", &contact.location))
            .chain(many("emails", &contact.emails))
            .chain(one("met at", &contact.met_at))
            .chain(many("introduced by", &contact.introduced_by))
            .chain(many("can help with", &contact.can_help_with))
            .chain(many("interests", &contact.interests))
            .chain(custom(contact, None))
            .chain(std::iter::once((NOTES, notes)))
            .collect(),
        Some(Field::Name) => name.chain(many("aliases", &contact.aliases)).collect(),
        Some(Field::Org) => one("organization", &contact.organization).collect(),
        Some(Field::Title) => one("title", &contact.title).collect(),
        Some(Field::Email) => many("emails", &contact.emails).collect(),
        Some(Field::Location) => one("location", &contact.location).collect(),
        Some(Field::MetAt) => one("met at", &contact.met_at).collect(),
        Some(Field::Intro) => many("introduced by", &contact.introduced_by).collect(),
        Some(Field::Path) => vec![("path", contact.path.as_str())],
        Some(Field::Custom(key)) if key == "can_help_with" => many("can help with", &contact.can_help_with).collect(),
        Some(Field::Custom(key)) if key == "interests" => many("interests", &contact.interests).collect(),
        Some(Field::Custom(key)) => custom(contact, Some(key)),
        Some(Field::Tag | Field::Circle | Field::Status | Field::Phone) => Vec::new(),
    }
}

/// The user's own keys (one, or all) and their values.
fn custom<'c>(contact: &'c Contact, key: Option<&str>) -> Vec<(&'c str, &'c str)> {
    contact
        .custom
        .iter()
        .filter(|(k, _)| key.is_none_or(|key| k.eq_ignore_ascii_case(key)))
        .flat_map(|(k, vs)| vs.iter().map(move |v| (k.as_str(), v.as_str())))
        .collect()
}

/// The keyword fields (matched whole) a word in `field` (or anywhere) is compared with.
fn keywords<'c>(contact: &'c Contact, field: Option<&Field>) -> Vec<(&'static str, &'c [String])> {
    match field {
        None => vec![("tags", &contact.tags), ("circles", &contact.circles)],
        Some(Field::Tag) => vec![("tags", &contact.tags)],
        Some(Field::Circle) => vec![("circles", &contact.circles)],
        Some(_) => Vec::new(),
    }
}

/// The words `wanted` in `words`: in a row for a phrase (or a word the analyser split), else
/// each anywhere. Returns the indexes of the first and last matching word.
fn find(words: &[Token], wanted: &[String], phrase: bool, fuzzy: bool) -> Option<Range<usize>> {
    let same =
        |a: &str, b: &str| a == b || (fuzzy && strsim::levenshtein(a, b) <= if b.chars().count() <= 4 { 1 } else { 2 });
    match wanted {
        [] => None,
        [one] => words.iter().position(|(_, w)| same(w, one)).map(|i| i..i + 1),
        many => {
            let run = (0..(words.len() + 1).saturating_sub(many.len()))
                .find(|&s| many.iter().enumerate().all(|(k, m)| same(&words[s + k].1, m)));
            if let Some(s) = run {
                return Some(s..s + many.len());
            }
            if phrase {
                return None;
            }
            let found = many
                .iter()
                .map(|m| words.iter().position(|(_, w)| same(w, m)))
                .collect::<Option<Vec<usize>>>()?;
            Some(*found.iter().min()?..*found.iter().max()? + 1)
        }
    }
}

/// Words on either side of a match in a long text.
const CONTEXT_WORDS: usize = 3;

/// At most this many fragments of one long text.
const MAX_FRAGMENTS: usize = 2;

/// The matched words (`ranges`, indexes into `words`) of `text` with a few words on either
/// side, on one line; overlapping windows merge, and `…` marks where the text goes on.
fn fragments(text: &str, words: &[Token], mut ranges: Vec<Range<usize>>) -> String {
    ranges.sort_by_key(|r| r.start);
    let mut windows: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        // A phrase's words far apart (matched "each anywhere") keep only their first word.
        let end = if r.len() > 2 * CONTEXT_WORDS {
            r.start + 1
        } else {
            r.end
        };
        let window = r.start.saturating_sub(CONTEXT_WORDS)..(end + CONTEXT_WORDS).min(words.len());
        match windows.last_mut() {
            Some(last) if window.start <= last.end => last.end = last.end.max(window.end),
            _ => windows.push(window),
        }
    }
    let mut out = String::new();
    let mut at = 0;
    for w in windows.into_iter().take(MAX_FRAGMENTS) {
        // Whole words of the text, not the analyser's pieces (`Nadia's` is `nadia` and `s`).
        let start = text[..words[w.start].0.start]
            .rfind(char::is_whitespace)
            .map_or(0, |i| i + 1)
            .max(at);
        let end = text[words[w.end - 1].0.end..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| words[w.end - 1].0.end + i);
        if start >= end {
            continue;
        }
        if !text[at..start].trim().is_empty() {
            out.push_str(if out.is_empty() { "…" } else { " … " });
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..end].split_whitespace().collect::<Vec<_>>().join(" "));
        at = end;
    }
    if !text[at..].trim().is_empty() {
        out.push('…');
    }
    out
}

fn nfc(text: &str) -> String {
    text.nfc().collect()
}

fn how(t: &Target<'_>) -> String {
    match t.chain.len() {
        _ if t.direct => "you know them directly".into(),
        0 => "no path yet: ask around".into(),
        _ => t.chain.iter().map(|s| s.name).collect::<Vec<_>>().join(" → "),
    }
}

/// `field: words` for each reason.
pub fn reasons(matched: &[Matched]) -> String {
    matched
        .iter()
        .map(|m| format!("{}: {}", m.field, m.words))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Lines of reasons a person gets in the table; `--format json` has them all.
const REASON_LINES: usize = 2;

/// Three lines a person, as the morning report reads: who (and where), how warm, when you last
/// spoke; how to reach them; why they matched. A comfy table's narrow wrapped columns made the
/// chains and the reasons unreadable at 80 columns.
pub fn render(report: &WhoKnows<'_>, printer: Printer) -> String {
    use crate::output::{BOLD, DIM, display_width, fit, wrap};
    let mut out = format!(
        "{}\n",
        printer.paint(
            BOLD,
            &format!(
                "Who knows {:?}: {}",
                report.query,
                crate::output::plural(report.targets.len(), "person")
            )
        )
    );
    if report.targets.is_empty() {
        out.push_str("\nNobody in your notes matches. Try other words, or `netvault search` with fields.\n");
        return out;
    }
    let width = printer.width_or_default();
    let indent = "   ";
    let inner = width.saturating_sub(indent.len()).max(20);
    out.push('\n');
    for t in &report.targets {
        let facts = format!(
            " · warmth {:.2} · {}",
            t.warmth,
            t.last_contact
                .map_or_else(|| "never in touch".into(), |d| format!("last contact {d}"))
        );
        // A long organization gives way first, then the rest of the line.
        let room = width.saturating_sub(1 + display_width(t.name) + display_width(&facts) + 3);
        let who = match t.organization.filter(|o| !o.is_empty()) {
            Some(org) if room >= 8 => format!("{} ({})", printer.paint(BOLD, t.name), fit(org, room)),
            _ => printer.paint(BOLD, t.name),
        };
        let _ = writeln!(out, " {who}{facts}");
        let _ = writeln!(out, "{indent}{}", fit(&how(t), inner));
        if !t.matched.is_empty() {
            let mut lines = wrap(&format!("matched {}", reasons(&t.matched)), inner);
            if lines.len() > REASON_LINES {
                lines.truncate(REASON_LINES);
                let last = &mut lines[REASON_LINES - 1];
                if !last.ends_with('…') {
                    *last = fit(&format!("{last} …"), inner);
                }
            }
            for line in lines {
                let _ = writeln!(out, "{indent}{}", printer.paint(DIM, &line));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::LogEntry;
    use jiff::civil::date;

    fn contact(path: &str, org: &str, intro: &[&str], last: Option<Date>) -> Contact {
        Contact {
            path: path.into(),
            stem: crate::contact::stem_of(path),
            name: crate::contact::stem_of(path),
            organization: Some(org.into()),
            introduced_by: intro.iter().map(ToString::to_string).collect(),
            log: last
                .map(|d| LogEntry {
                    date: d,
                    text: String::new(),
                    tags: vec![],
                    line: 1,
                    note: String::new(),
                })
                .into_iter()
                .collect(),
            ..Contact::default()
        }
    }

    fn matches(indexes: &[usize]) -> Vec<Match> {
        indexes
            .iter()
            .map(|&contact| Match {
                contact,
                matched: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn chains_from_people_you_know_directly() {
        let today = date(2026, 11, 27);
        let contacts = vec![
            contact("Maya.md", "School", &[], Some(date(2026, 11, 20))),
            contact("Tom.md", "Acme", &["Maya"], Some(date(2025, 6, 1))),
            contact("Priya.md", "Acme", &["Tom"], None),
            contact("Sam.md", "Acme", &[], None),
        ];
        let report = who_knows("acme", &contacts, matches(&[1, 2, 3]), today);
        let by_name = |n: &str| report.targets.iter().find(|t| t.name == n).unwrap();
        let priya = by_name("Priya");
        assert_eq!(
            priya.chain.iter().map(|s| s.name).collect::<Vec<_>>(),
            ["Maya", "Tom", "Priya"]
        );
        assert!(!priya.direct);
        assert_eq!(how(priya), "Maya → Tom → Priya");
        assert!(by_name("Sam").chain.is_empty());
        assert_eq!(how(by_name("Sam")), "no path yet: ask around");
    }

    #[test]
    fn someone_you_know_within_a_year_needs_no_chain() {
        let today = date(2026, 11, 27);
        // Walter introduced Beatriz; you last saw Walter five months ago.
        let contacts = vec![
            contact("Beatriz.md", "Rivers", &["Walter"], Some(date(2026, 9, 22))),
            contact("Walter.md", "Oil", &[], Some(date(2026, 7, 1))),
            contact("Old.md", "Oil", &["Walter"], Some(date(2025, 11, 26))),
        ];
        let report = who_knows("oil", &contacts, matches(&[1, 2]), today);
        let walter = &report.targets[0];
        assert_eq!(walter.name, "Walter");
        assert!(
            walter.direct && !walter.in_touch,
            "149 days: direct, though not in touch (90 days)"
        );
        assert_eq!(walter.chain.iter().map(|s| s.name).collect::<Vec<_>>(), ["Walter"]);
        assert_eq!(how(walter), "you know them directly");
        // 366 days ago is more than a year: reached through Walter.
        let old = &report.targets[1];
        assert!(!old.direct);
        assert_eq!(how(old), "Walter → Old");
        let mut archived = contacts[1].clone();
        archived.status = Status::Archived;
        assert!(!knows_directly(&archived, today));
    }

    /// Words split at anything not alphanumeric, lower-cased, with a plural `s` dropped: enough of
    /// the index's analyser for these tests.
    fn analyse(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    let word = text[s..i].to_lowercase();
                    out.push((s..i, word.strip_suffix('s').unwrap_or(&word).to_string()));
                    start = None;
                }
                _ => {}
            }
        }
        out
    }

    fn reasons_for(contact: &Contact, notes: &str, query: &str) -> String {
        let query = crate::query::parse(query).unwrap();
        reasons(&why(contact, notes, &query, date(2026, 11, 27), false, &analyse))
    }

    #[test]
    fn says_which_field_and_words_matched() {
        let mut c = contact("Ana.md", "Texas State Library", &[], None);
        c.can_help_with = vec!["reference letters".into(), "coffee".into()];
        c.custom = vec![("alma_mater".into(), vec!["UT Austin".into()])];
        c.tags = vec!["archives".into()];
        let notes = "We met at the conference. She ran the state archives for ten years, then moved on.";
        assert_eq!(reasons_for(&c, notes, "texas"), "organization: Texas State Library");
        assert_eq!(
            reasons_for(&c, notes, "archives"),
            "notes: …ran the state archives for ten years,… · tags: archives"
        );
        assert_eq!(
            reasons_for(&c, notes, "\"reference letter\""),
            "can help with: reference letters"
        );
        assert_eq!(reasons_for(&c, notes, "alma_mater:austin"), "alma_mater: UT Austin");
        assert_eq!(
            reasons_for(&c, notes, "org:library -coffee"),
            "organization: Texas State Library"
        );
        assert_eq!(
            reasons_for(&c, notes, "\"letters reference\""),
            "",
            "a phrase keeps its order"
        );
        assert_eq!(
            reasons_for(&c, notes, "We met"),
            "notes: We met at the conference.…",
            "the start of the notes has no …"
        );
    }

    #[test]
    fn warmth_scale() {
        let today = date(2026, 11, 27);
        let c = contact("A.md", "", &[], Some(today));
        assert!((warmth(&c, today) - 0.73).abs() < 1e-9, "{}", warmth(&c, today));
        assert!(warmth(&contact("B.md", "", &[], None), today).abs() < 1e-9);
    }
}
