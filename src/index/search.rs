//! Running a parsed query (SPEC §5) against the index: the AST of [`crate::query`] becomes
//! tantivy `TermQuery`/`PhraseQuery`/`BooleanQuery`/`RangeQuery`/`FuzzyTermQuery` trees.
//!
//! Dates that depend on today (`last:`, `due:`, `birthday:`) are evaluated over the stored
//! facts with the same rules as the reports, then matched by path; `met:` and `follow_up:` are
//! ranges over fast fields. When the words match nothing, the query is retried with fuzzy
//! terms (edit distance 1 for short words, 2 for longer) and the result says so.

use std::ops::Bound;

use jiff::civil::Date;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query as TQuery, RangeQuery,
    RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field as TField, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, Term};

use super::Index;
use super::schema::{day_number, normalize};
use crate::config::VaultConfig;
use crate::contact::Contact;
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::followup;
use crate::query::{DateField, Field, Query};

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Score,
    Name,
    /// Most recent last contact first.
    Last,
    /// Earliest due first.
    Due,
}

/// A matching contact.
#[derive(Debug, Clone)]
pub struct Hit {
    pub contact: Contact,
    pub score: f32,
    pub last_contact: Option<Date>,
    pub due: Option<Date>,
    /// A fragment of the body around the matches, and the byte ranges to highlight in it.
    pub snippet: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// The exact words matched nothing and these are fuzzy matches.
    pub fuzzy: bool,
}

/// What a search needs besides the query.
pub struct Request<'a> {
    pub query: &'a Query,
    pub today: Date,
    pub config: &'a VaultConfig,
    pub limit: usize,
    pub sort: Sort,
    /// The vault root, for reading bodies to build snippets.
    pub root: &'a std::path::Path,
    /// Whether the hits need snippets (each reads its file): not for `--format paths`.
    pub snippets: bool,
}

/// Bare words search these fields, with these boosts (name and organization rank highest).
/// Picks one field out of the schema's fields.
type FieldPick = fn(&super::Fields) -> TField;

const BARE_BOOSTS: [(FieldPick, f32); 12] = [
    (|f| f.name, 4.0),
    (|f| f.org, 3.0),
    (|f| f.aliases, 3.0),
    (|f| f.title, 2.0),
    (|f| f.location, 1.5),
    (|f| f.emails, 1.5),
    (|f| f.met_at, 1.0),
    (|f| f.intro, 1.0),
    (|f| f.help, 1.0),
    (|f| f.interests, 1.0),
    (|f| f.misc, 1.0),
    (|f| f.body, 1.0),
];

/// How many documents a search reads at most to order a tie in score by name.
const TIE_FETCH: usize = 200;

pub fn search(index: &Index, request: &Request<'_>) -> Result<Results> {
    let searcher = index.searcher();
    let mut translator = Translator {
        index,
        today: request.today,
        config: request.config,
        facts: None,
        fuzzy: false,
    };
    check_fields(index, &searcher, request.query)?;
    let mut query = only_contacts(index, translator.translate(request.query)?);
    let mut total = searcher.search(&*query, &Count).map_err(|e| search_error(&e))?;
    let mut fuzzy = false;
    // Retry with typos allowed only when the words themselves found nothing: a query whose
    // exclusions removed every hit (`(dallas OR houston) -org:piper`) is answered as it is.
    let words_found_nothing = total == 0
        && match without_exclusions(request.query) {
            Some(positive) if positive != *request.query => {
                let q = only_contacts(index, translator.translate(&positive)?);
                searcher.search(&*q, &Count).map_err(|e| search_error(&e))? == 0
            }
            _ => true,
        };
    if words_found_nothing && has_words(request.query) {
        translator.fuzzy = true;
        query = only_contacts(index, translator.translate(request.query)?);
        total = searcher.search(&*query, &Count).map_err(|e| search_error(&e))?;
        fuzzy = true;
    }
    let scored: Vec<(f32, DocAddress)> = match request.sort {
        Sort::Score => {
            // Equal scores are ordered by name below; when they straddle the limit, fetch more
            // so that which of them make the cut does not depend on the index's doc order.
            // Never more than match: a `--limit` of 2^64-1 must not size a heap that large.
            let wanted = request.limit.min(total).max(1);
            let mut n = wanted;
            loop {
                let top = searcher
                    .search(&*query, &TopDocs::with_limit(n).order_by_score())
                    .map_err(|e| search_error(&e))?;
                let tie_at_cut =
                    top.len() == n && n < total && top.get(wanted - 1).map(|t| t.0) == top.last().map(|t| t.0);
                // A tie among thousands (a common word in a generated vault) is cut at
                // TIE_FETCH documents: beyond that, which tied documents make the list follows
                // the index's order (still the same run after run on one index).
                if !tie_at_cut || n >= TIE_FETCH.max(wanted) {
                    break top;
                }
                n = n.saturating_mul(2);
            }
        }
        _ => searcher
            .search(&*query, &DocSetCollector)
            .map_err(|e| search_error(&e))?
            .into_iter()
            .map(|a| (0.0, a))
            .collect(),
    };
    let mut contacts = Vec::with_capacity(scored.len());
    for (score, address) in scored {
        if let Some(contact) = index.contact_at(&searcher, address)? {
            contacts.push((score, contact));
        }
    }
    let mut hits: Vec<Hit> = contacts
        .into_iter()
        .map(|(score, contact)| {
            let last_contact = followup::last_contact(&contact, request.today);
            let due = followup::due_date(&contact, request.config, request.today, 7);
            Hit {
                contact,
                score,
                last_contact,
                due,
                snippet: String::new(),
                highlights: Vec::new(),
            }
        })
        .collect();
    match request.sort {
        // Ties in score by name, then path: the same vault gives the same list.
        Sort::Score => hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| fold(&a.contact.name).cmp(&fold(&b.contact.name)))
                .then_with(|| a.contact.path.cmp(&b.contact.path))
        }),
        Sort::Name => hits.sort_by_cached_key(|h| (fold(&h.contact.name), h.contact.path.clone())),
        Sort::Last => hits.sort_by(|a, b| {
            b.last_contact
                .cmp(&a.last_contact)
                .then_with(|| a.contact.path.cmp(&b.contact.path))
        }),
        Sort::Due => hits.sort_by(|a, b| {
            // Contacts with nothing due go last.
            (a.due.is_none(), a.due, &a.contact.path).cmp(&(b.due.is_none(), b.due, &b.contact.path))
        }),
    }
    hits.truncate(request.limit);
    if request.snippets {
        add_snippets(index, &searcher, &*query, request.root, &mut hits);
    }
    Ok(Results { total, hits, fuzzy })
}

/// The words of `text` as the body field analyses them (folded, stemmed), each with its byte
/// range in `text`: what `who-knows` needs to say which words of a field a query matched. The
/// text should be NFC, as indexed text is.
pub fn analyse(index: &Index, text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let Ok(mut analyzer) = index.tantivy().tokenizer_for_field(index.fields.body) else {
        return Vec::new();
    };
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.offset_from..token.offset_to, token.text.clone()));
    }
    out
}

fn add_snippets(index: &Index, searcher: &Searcher, query: &dyn TQuery, root: &std::path::Path, hits: &mut [Hit]) {
    let Ok(mut generator) = SnippetGenerator::create(searcher, query, index.fields.body) else {
        return;
    };
    generator.set_max_num_chars(100);
    for hit in hits {
        let Ok(bytes) = std::fs::read(root.join(&hit.contact.path)) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let (_, text) = crate::frontmatter::strip_bom(&text);
        let body = match crate::frontmatter::split(text) {
            crate::frontmatter::Split::Block(block) => &text[block.body],
            _ => text,
        };
        let snippet = generator.snippet(&normalize(&crate::body::plain_text(body)));
        // Fragments keep line breaks; a one-line snippet reads better in a table.
        hit.snippet = snippet.fragment().replace(['\n', '\r'], " ");
        hit.highlights = snippet.highlighted().to_vec();
    }
}

/// Files without readable front matter are indexed for their stat only: never a hit, even for
/// a query made only of exclusions.
fn only_contacts(index: &Index, query: Box<dyn TQuery>) -> Box<dyn TQuery> {
    let kind = Term::from_field_text(index.fields.kind, "contact");
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (Occur::Must, Box::new(TermQuery::new(kind, IndexRecordOption::Basic))),
    ]))
}

/// The query with its exclusions left out (`None` when nothing is left).
fn without_exclusions(q: &Query) -> Option<Query> {
    match q {
        Query::Not(_) => None,
        Query::And(children) => {
            let kept: Vec<Query> = children.iter().filter_map(without_exclusions).collect();
            (!kept.is_empty()).then_some(Query::And(kept))
        }
        Query::Or(children) => {
            let kept: Vec<Query> = children.iter().filter_map(without_exclusions).collect();
            (!kept.is_empty()).then_some(Query::Or(kept))
        }
        other => Some(other.clone()),
    }
}

fn has_words(q: &Query) -> bool {
    match q {
        Query::And(c) | Query::Or(c) => c.iter().any(has_words),
        Query::Not(_) | Query::Date { .. } => false,
        Query::Term { .. } | Query::Phrase { .. } => true,
    }
}

fn search_error(e: &tantivy::TantivyError) -> Error {
    Error::Index {
        path: std::path::PathBuf::from("(search)"),
        source: Box::new(e.clone()),
    }
}

/// Every `key:` of the query names a known field or a key some contact has: a typo (`orgg:`)
/// is an error with the closest names, never a silently empty result (SPEC §5).
fn check_fields(index: &Index, searcher: &Searcher, query: &Query) -> Result<()> {
    let mut keys = Vec::new();
    collect_custom(query, &mut keys);
    let f = index.fields;
    for key in keys {
        if KNOWN_FIELDS.contains(&key.as_str()) {
            continue;
        }
        let term = Term::from_field_text(f.keys, &key);
        if searcher.doc_freq(&term).map_err(|e| search_error(&e))? > 0 {
            continue;
        }
        let mut names: Vec<String> = KNOWN_FIELDS.iter().map(|s| (*s).to_string()).collect();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(f.keys).map_err(|e| search_error(&e))?;
            let mut stream = inverted.terms().stream().map_err(|e| Error::io("(index)", e))?;
            while stream.advance() {
                names.push(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        names.sort();
        names.dedup();
        let mut close: Vec<(usize, &String)> = names
            .iter()
            .map(|n| (strsim::levenshtein(&key, n), n))
            .filter(|(d, n)| *d <= 2.max(key.len() / 3) || n.starts_with(&key) || key.starts_with(n.as_str()))
            .collect();
        close.sort();
        let hint = match close.as_slice() {
            [] => String::new(),
            some => format!(
                "; did you mean {}?",
                some.iter()
                    .take(3)
                    .map(|(_, n)| format!("`{n}:`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        };
        return Err(Error::Usage(format!(
            "no contact has a field `{key}:`{hint} (fields: {}; and every key your contacts use)",
            KNOWN_FIELDS.join(", ")
        )));
    }
    Ok(())
}

/// The field names a query accepts besides the contacts' own keys.
const KNOWN_FIELDS: &[&str] = &[
    "name",
    "org",
    "title",
    "tag",
    "circle",
    "email",
    "phone",
    "location",
    "met_at",
    "intro",
    "status",
    "path",
    "can_help_with",
    "interests",
    "last",
    "met",
    "due",
    "follow_up",
    "birthday",
];

fn collect_custom(q: &Query, out: &mut Vec<String>) {
    match q {
        Query::And(c) | Query::Or(c) => c.iter().for_each(|c| collect_custom(c, out)),
        Query::Not(inner) => collect_custom(inner, out),
        Query::Term {
            field: Some(Field::Custom(key)),
            ..
        }
        | Query::Phrase {
            field: Some(Field::Custom(key)),
            ..
        } => out.push(key.clone()),
        Query::Term { .. } | Query::Phrase { .. } | Query::Date { .. } => {}
    }
}

struct Translator<'a> {
    index: &'a Index,
    today: Date,
    config: &'a VaultConfig,
    /// Every contact's facts, loaded on first use by a today-relative date filter.
    facts: Option<Vec<Contact>>,
    fuzzy: bool,
}

impl Translator<'_> {
    fn translate(&mut self, q: &Query) -> Result<Box<dyn TQuery>> {
        Ok(match q {
            Query::And(children) => {
                let mut clauses = Vec::new();
                let mut positive = false;
                for child in children {
                    if let Query::Not(inner) = child {
                        clauses.push((Occur::MustNot, self.translate(inner)?));
                    } else {
                        positive = true;
                        clauses.push((Occur::Must, self.translate(child)?));
                    }
                }
                if !positive {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Query::Or(children) => {
                let clauses = children
                    .iter()
                    .map(|c| Ok((Occur::Should, self.translate(c)?)))
                    .collect::<Result<Vec<_>>>()?;
                Box::new(BooleanQuery::new(clauses))
            }
            Query::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn TQuery>),
                (Occur::MustNot, self.translate(inner)?),
            ])),
            Query::Term { field, text } => self.words(field.as_ref(), text, false),
            Query::Phrase { field, text } => self.words(field.as_ref(), text, true),
            Query::Date { field, range } => {
                let Some((lo, hi)) = range.resolve(self.today) else {
                    return Ok(Box::new(EmptyQuery));
                };
                self.date(*field, lo, hi)?
            }
        })
    }

    /// The analysed tokens of `text` for a text field.
    fn tokens(&self, text: &str) -> Vec<String> {
        let Ok(mut analyzer) = self.index.tantivy().tokenizer_for_field(self.index.fields.body) else {
            return vec![fold(text)];
        };
        let normalized = normalize(text);
        let mut stream = analyzer.token_stream(&normalized);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    /// A term, a phrase or (fuzzy) term per token in one text field.
    fn text_query(&self, field: TField, tokens: &[String]) -> Box<dyn TQuery> {
        match tokens {
            [] => Box::new(EmptyQuery),
            [one] => self.term(Term::from_field_text(field, one), one.chars().count()),
            // Short fields have no positions: every word must occur.
            many if super::schema::is_short(&self.index.fields, field) => Box::new(BooleanQuery::new(
                many.iter()
                    .map(|t| {
                        (
                            Occur::Must,
                            self.term(Term::from_field_text(field, t), t.chars().count()),
                        )
                    })
                    .collect(),
            )),
            many => Box::new(PhraseQuery::new(
                many.iter().map(|t| Term::from_field_text(field, t)).collect(),
            )),
        }
    }

    fn term(&self, term: Term, len: usize) -> Box<dyn TQuery> {
        if self.fuzzy {
            let distance = if len <= 4 { 1 } else { 2 };
            Box::new(FuzzyTermQuery::new(term, distance, true))
        } else {
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
        }
    }

    fn keyword(&self, field: TField, text: &str) -> Box<dyn TQuery> {
        let value = fold(text.trim().trim_start_matches('#'));
        let len = value.chars().count();
        self.term(Term::from_field_text(field, &value), len)
    }

    fn words(&self, field: Option<&Field>, text: &str, phrase: bool) -> Box<dyn TQuery> {
        let f = self.index.fields;
        let tokens = self.tokens(text);
        let Some(field) = field else {
            if tokens.is_empty() {
                // Punctuation alone: nothing to look for, so it does not narrow the search.
                return Box::new(AllQuery);
            }
            // A quoted phrase of several words keeps its word order, so it only searches the
            // fields indexed with positions.
            let ordered = phrase && tokens.len() > 1;
            let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = BARE_BOOSTS
                .iter()
                .filter(|(pick, _)| !(ordered && super::schema::is_short(&f, pick(&f))))
                .map(|(pick, boost)| {
                    let q = self.text_query(pick(&f), &tokens);
                    (Occur::Should, Box::new(BoostQuery::new(q, *boost)) as Box<dyn TQuery>)
                })
                .collect();
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(self.keyword(f.tags, text), 2.0)),
            ));
            clauses.push((Occur::Should, self.keyword(f.circles, text)));
            return Box::new(BooleanQuery::new(clauses));
        };
        match field {
            Field::Name => Box::new(BooleanQuery::new(vec![
                (Occur::Should, self.text_query(f.name, &tokens)),
                (Occur::Should, self.text_query(f.aliases, &tokens)),
            ])),
            Field::Org => self.text_query(f.org, &tokens),
            Field::Title => self.text_query(f.title, &tokens),
            Field::Email => self.text_query(f.emails, &tokens),
            Field::Location => self.text_query(f.location, &tokens),
            Field::MetAt => self.text_query(f.met_at, &tokens),
            Field::Intro => self.text_query(f.intro, &tokens),
            Field::Path => self.text_query(f.path_text, &tokens),
            Field::Tag => self.keyword(f.tags, text),
            Field::Circle => self.keyword(f.circles, text),
            Field::Status => self.keyword(f.status, text),
            Field::Phone => {
                let digits: String = text.chars().filter(char::is_ascii_digit).collect();
                if digits.is_empty() {
                    return Box::new(EmptyQuery);
                }
                match RegexQuery::from_pattern(&format!(".*{digits}.*"), f.phones) {
                    Ok(q) => Box::new(q),
                    Err(_) => Box::new(EmptyQuery),
                }
            }
            Field::Custom(key) if key == "can_help_with" => self.text_query(f.help, &tokens),
            Field::Custom(key) if key == "interests" => self.text_query(f.interests, &tokens),
            Field::Custom(key) => {
                // A dot in a key is part of its name (`N.GN`), not a step into a nested object.
                let path = key.to_lowercase().replace('.', "\\.");
                let make = |token: &str| {
                    let mut term = Term::from_field_json_path(f.custom, &path, false);
                    term.append_type_and_str(token);
                    term
                };
                match tokens.as_slice() {
                    [] => Box::new(EmptyQuery),
                    [one] => self.term(make(one), one.chars().count()),
                    many => Box::new(PhraseQuery::new(many.iter().map(|t| make(t)).collect())),
                }
            }
        }
    }

    fn date(&mut self, field: DateField, lo: Option<Date>, hi: Option<Date>) -> Result<Box<dyn TQuery>> {
        let f = self.index.fields;
        let fast = match field {
            DateField::Met => Some(f.met),
            DateField::FollowUp => Some(f.follow_up),
            DateField::Last | DateField::Due | DateField::Birthday => None,
        };
        let range = |field: TField, lo: Option<Date>, hi: Option<Date>| -> Box<dyn TQuery> {
            // tantivy needs at least one bound: an open range (`met:..`, "the date is known")
            // starts at the smallest value.
            let lower = Bound::Included(Term::from_field_i64(field, lo.map_or(i64::MIN, day_number)));
            let upper = hi.map_or(Bound::Unbounded, |d| {
                Bound::Included(Term::from_field_i64(field, day_number(d)))
            });
            Box::new(RangeQuery::new(lower, upper))
        };
        if let Some(fast) = fast {
            return Ok(range(fast, lo, hi));
        }
        if field == DateField::Last {
            // Where the latest date on file is not after today, it is the last contact: a range
            // on the index answers. The few contacts with a later date (a future log entry or
            // `last_contact`) are decided by the report rules on their stored facts.
            let today = self.today;
            let capped_hi = Some(hi.map_or(today, |h| h.min(today)));
            let settled = range(f.last_known, lo, capped_hi);
            let tomorrow = today.tomorrow().unwrap_or(today);
            let future = range(f.last_known, Some(tomorrow), None);
            let searcher = self.index.searcher();
            let later = searcher
                .search(&*future, &DocSetCollector)
                .map_err(|e| search_error(&e))?;
            let in_range = |d: Date| lo.is_none_or(|l| d >= l) && hi.is_none_or(|h| d <= h);
            let mut later_contacts = Vec::with_capacity(later.len());
            for address in later {
                later_contacts.extend(self.index.contact_at(&searcher, address)?);
            }
            let exact: Vec<Term> = later_contacts
                .into_iter()
                .filter(|c| followup::last_contact(c, today).is_some_and(in_range))
                .map(|c| super::schema::path_term(&f, &c.path))
                .collect();
            return Ok(Box::new(BooleanQuery::new(vec![
                (Occur::Should, settled),
                (Occur::Should, Box::new(TermSetQuery::new(exact))),
            ])));
        }
        if self.facts.is_none() {
            self.facts = Some(self.index.contacts()?);
        }
        let today = self.today;
        let in_range = |d: Date| lo.is_none_or(|l| d >= l) && hi.is_none_or(|h| d <= h);
        let window = hi.map_or(7, |h| i64::from((h - today).get_days()).max(0));
        let config = self.config;
        let paths: Vec<Term> = self
            .facts
            .as_deref()
            .unwrap_or_default()
            .iter()
            .filter(|c| {
                let date = match field {
                    DateField::Last => followup::last_contact(c, today),
                    DateField::Due => followup::due_date(c, config, today, window),
                    DateField::Birthday => c.birthday.map(|b| b.next_after(today)),
                    DateField::Met | DateField::FollowUp => None,
                };
                date.is_some_and(in_range)
            })
            .map(|c| super::schema::path_term(&f, &c.path))
            .collect();
        Ok(Box::new(TermSetQuery::new(paths)))
    }
}
