//! Completion, decided by what is left of the cursor: after `[[` (or in `introduced_by:`) the
//! vault's contacts; at the start of a front-matter line the known fields with their one-line
//! docs; after `status:`, `circles:` or a date field their values (dates rendered: `today`,
//! `+1w`…); after `#` in the body the outcome hashtags first, then the vault's own tags.

use std::collections::BTreeMap;

use jiff::civil::Date;
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit, Documentation,
    TextEdit,
};

use crate::contact::canonical_field;
use crate::frontmatter::{self, Split};
use crate::resolve::key;
use crate::span::LineIndex;

use super::convert;
use super::navigate::LIMIT;
use super::state::Vault;

/// The fields of SPEC §3.1 with what each holds, as the key completion shows them.
const FIELDS: &[(&str, &str)] = &[
    ("name", "The person's name (defaults to the file name)"),
    ("aliases", "Other names the person goes by: a list"),
    ("emails", "Email addresses: a list"),
    ("phones", "Phone numbers: a list"),
    ("organization", "Where they work (also `org`, `company`)"),
    ("title", "Their role (also `role`, `position`)"),
    ("location", "Where they live or work"),
    ("tags", "Tags: a list, or a comma-separated string"),
    ("circles", "How you know them: family, friend, school, coworker…"),
    ("met", "The date you met (YYYY-MM-DD)"),
    ("met_at", "Where or how you met"),
    ("introduced_by", "Who introduced you: a [[wikilink]] or a list of them"),
    ("links", "Profiles: a map of label → URL, or a list of URLs"),
    (
        "cadence",
        "Keep in touch every…: 90d, 2w, 3m, 1y, weekly, monthly, quarterly",
    ),
    ("follow_up", "Your next explicit follow-up (YYYY-MM-DD)"),
    ("last_contact", "The last time you were in touch (the log counts too)"),
    ("birthday", "YYYY-MM-DD, or MM-DD when the year is unknown"),
    (
        "status",
        "active (default), dormant (no rhythm reminders) or archived (none)",
    ),
    ("snooze_until", "No reminder for this person before that day"),
    ("connected", "When you connected online (not a meeting)"),
    ("can_help_with", "What they can help with: a list"),
    ("interests", "What they care about: a list"),
];

/// SPEC §3.1's suggested circles.
const SUGGESTED_CIRCLES: &[&str] = &[
    "family",
    "friend",
    "school",
    "faculty",
    "alumni",
    "coworker",
    "neighbor",
    "club",
    "community",
    "religious",
    "online",
];

const DATE_FIELDS: &[&str] = &[
    "met",
    "follow_up",
    "last_contact",
    "snooze_until",
    "connected",
    "birthday",
];

pub fn complete(vault: &Vault, p: &CompletionParams, today: Date) -> Option<CompletionResponse> {
    let at = &p.text_document_position;
    let rel = vault.doc_key(&at.text_document.uri);
    let text = vault.text(&rel)?;
    let lines = LineIndex::new(text);
    let offset = convert::offset(&lines, text, at.position);
    let line_start = lines.line_start(lines.line(offset));
    let before = &text[line_start..offset];
    let after = &text[offset..lines.line_range(text, lines.line(offset)).end];
    let edit_from = |prefix: &str| convert::range(&lines, text, &(offset - prefix.len()..offset));

    // `[[` left open on this line: a contact.
    if let Some(open) = before.rfind("[[")
        && !before[open..].contains("]]")
    {
        let prefix = &before[open + 2..];
        let close = if after.starts_with("]]") { "" } else { "]]" };
        let (items, more) = contacts(vault, prefix, today, |stem| format!("{stem}{close}"));
        return Some(list(items, more, &edit_from(prefix)));
    }
    match context(text, offset, before) {
        Context::Key(prefix) => {
            let items = FIELDS
                .iter()
                .map(|(field, doc)| CompletionItem {
                    label: (*field).to_string(),
                    kind: Some(CompletionItemKind::FIELD),
                    detail: Some((*doc).to_string()),
                    documentation: Some(Documentation::String((*doc).to_string())),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range: edit_from(prefix),
                        new_text: format!("{field}: "),
                    })),
                    ..CompletionItem::default()
                })
                .collect();
            Some(list(items, false, &edit_from(prefix)))
        }
        Context::Value(field, prefix) => {
            let range = edit_from(prefix);
            let items = match field {
                "introduced_by" => {
                    let (items, more) = contacts(vault, prefix, today, |stem| format!("\"[[{stem}]]\""));
                    return Some(list(items, more, &range));
                }
                "status" => values(&["active", "dormant", "archived"], CompletionItemKind::ENUM_MEMBER),
                "circles" => circles(vault),
                f if DATE_FIELDS.contains(&f) => dates(today),
                _ => return None,
            };
            Some(list(items, false, &range))
        }
        Context::Hashtag(prefix) => Some(list(hashtags(vault, prefix), false, &edit_from(prefix))),
        Context::None => None,
    }
}

enum Context<'t> {
    /// At the start of a front-matter line: the key typed so far.
    Key(&'t str),
    /// In a field's value: the field and the value's word typed so far.
    Value(&'static str, &'t str),
    /// `#tag` in the body: what follows the `#` so far.
    Hashtag(&'t str),
    None,
}

fn context<'t>(text: &str, offset: usize, before: &'t str) -> Context<'t> {
    let (bom, t) = frontmatter::strip_bom(text);
    let base = if bom { 3 } else { 0 };
    let in_yaml = match frontmatter::split(t) {
        Split::Block(block) => {
            (block.yaml.start + base <= offset && offset <= block.yaml.end + base).then_some(Some(block))
        }
        // Still being typed: everything after the opening `---` is front matter.
        Split::Unterminated => Some(None),
        Split::NoFrontMatter => None,
    };
    if in_yaml.is_some() {
        let word_start = before
            .rfind(|c: char| c.is_whitespace() || matches!(c, '[' | ',' | '"' | '\'' | ':'))
            .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
        let word = &before[word_start..];
        if let Some((k, _)) = before.split_once(':')
            && !before.starts_with([' ', '\t', '-'])
        {
            return canonical_field(k.trim()).map_or(Context::None, |f| Context::Value(f, word));
        }
        if !before.contains(':') && !before.starts_with([' ', '\t', '-']) {
            return Context::Key(before);
        }
        // A block-list item: the key above it decides.
        if before.trim_start().starts_with('-') {
            let above = &text[..offset - before.len()];
            let key = above
                .lines()
                .rev()
                .find(|l| !l.starts_with([' ', '\t', '-']) && l.contains(':'))
                .and_then(|l| l.split_once(':'))
                .and_then(|(k, _)| canonical_field(k.trim()));
            return key.map_or(Context::None, |f| Context::Value(f, word));
        }
        return Context::None;
    }
    // A hashtag: `#` after a space (at the line's start it is a heading).
    let word_start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let word = &before[word_start..];
    match word.strip_prefix('#') {
        Some(tag) if word_start > 0 && !tag.contains('#') => Context::Hashtag(tag),
        _ => Context::None,
    }
}

/// How well a folded query matches a folded label, lower is better: prefix, word prefixes,
/// substring, then the query's letters in order.
pub fn fuzzy(query: &str, label: &str) -> Option<u32> {
    if query.is_empty() || label.starts_with(query) {
        return Some(0);
    }
    // Every query word starts a word of the label (`j nun` → `jose nunez`).
    if query.split(' ').all(|q| label.split(' ').any(|w| w.starts_with(q))) {
        return Some(1);
    }
    if label.contains(query) {
        return Some(2);
    }
    let mut chars = label.chars();
    query
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|q| chars.any(|c| c == q))
        .then_some(3)
}

/// The contacts whose name, file name or alias matches `prefix`, best first; `insert` makes
/// the inserted text from the contact's file stem (its vault path when the stem names several).
fn contacts(vault: &Vault, prefix: &str, today: Date, insert: impl Fn(&str) -> String) -> (Vec<CompletionItem>, bool) {
    let query = key(prefix);
    let mut found: Vec<(u32, usize)> = vault
        .keys
        .iter()
        .enumerate()
        .filter_map(|(i, k)| Some((k.names.iter().filter_map(|n| fuzzy(&query, n)).min()?, i)))
        .collect();
    let more = found.len() > LIMIT;
    found.sort_by(|a, b| {
        let name = |i: usize| vault.files[i].contact.as_ref().map(|c| c.name.as_str());
        (a.0, name(a.1)).cmp(&(b.0, name(b.1)))
    });
    found.truncate(LIMIT);
    let items = found
        .into_iter()
        .enumerate()
        .filter_map(|(rank, (_, i))| {
            let c = vault.files[i].contact.as_ref()?;
            let unique = vault.resolve_link(&c.stem) == Some(c.path.as_str());
            let target = if unique {
                c.stem.clone()
            } else {
                c.path.trim_end_matches(".md").to_string()
            };
            let last = crate::followup::last_contact(c, today)
                .map_or_else(|| "never contacted".to_string(), |d| format!("last contact {d}"));
            let detail = match &c.organization {
                Some(org) => format!("{org} · {last}"),
                None => last,
            };
            let mut filter = vec![c.name.clone(), c.stem.clone()];
            filter.extend(c.aliases.iter().cloned());
            Some(CompletionItem {
                label: c.name.clone(),
                kind: Some(CompletionItemKind::REFERENCE),
                detail: Some(detail),
                sort_text: Some(format!("{rank:05}")),
                filter_text: Some(filter.join(" ")),
                insert_text: Some(insert(&target)),
                ..CompletionItem::default()
            })
        })
        .collect();
    (items, more)
}

fn values(values: &[&str], kind: CompletionItemKind) -> Vec<CompletionItem> {
    values
        .iter()
        .enumerate()
        .map(|(rank, v)| CompletionItem {
            label: (*v).to_string(),
            kind: Some(kind),
            sort_text: Some(format!("{rank:05}")),
            ..CompletionItem::default()
        })
        .collect()
}

/// The vault's circles, most used first, then the suggested ones it does not use yet.
fn circles(vault: &Vault) -> Vec<CompletionItem> {
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for c in vault.contacts() {
        for circle in &c.circles {
            *used.entry(circle.as_str()).or_default() += 1;
        }
    }
    let mut own: Vec<(&str, usize)> = used.iter().map(|(k, v)| (*k, *v)).collect();
    own.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut items: Vec<CompletionItem> = own
        .iter()
        .map(|(circle, n)| CompletionItem {
            label: (*circle).to_string(),
            kind: Some(CompletionItemKind::ENUM_MEMBER),
            detail: Some(format!("{n} contacts")),
            ..CompletionItem::default()
        })
        .collect();
    items.extend(
        SUGGESTED_CIRCLES
            .iter()
            .filter(|s| !used.contains_key(*s))
            .map(|s| CompletionItem {
                label: (*s).to_string(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some("suggested".into()),
                ..CompletionItem::default()
            }),
    );
    for (rank, item) in items.iter_mut().enumerate() {
        item.sort_text = Some(format!("{rank:05}"));
    }
    items
}

/// Dates as words: today and a few spans ahead, each inserted as `YYYY-MM-DD`.
fn dates(today: Date) -> Vec<CompletionItem> {
    let spans: [(&str, &str, jiff::Span); 6] = [
        ("today", "today", jiff::Span::new()),
        ("+1d", "tomorrow", jiff::Span::new().days(1)),
        ("+1w", "in a week", jiff::Span::new().weeks(1)),
        ("+2w", "in two weeks", jiff::Span::new().weeks(2)),
        ("+1m", "in a month", jiff::Span::new().months(1)),
        ("+3m", "in three months", jiff::Span::new().months(3)),
    ];
    spans
        .into_iter()
        .enumerate()
        .filter_map(|(rank, (word, says, span))| {
            let date = today.checked_add(span).ok()?.to_string();
            Some(CompletionItem {
                label: format!("{word} → {date}"),
                kind: Some(CompletionItemKind::VALUE),
                detail: Some(says.to_string()),
                filter_text: Some(format!("{word} {date}")),
                insert_text: Some(date),
                sort_text: Some(format!("{rank:05}")),
                ..CompletionItem::default()
            })
        })
        .collect()
}

/// The outcome tags (the reports read them) first, then the reciprocity tags, then the
/// vault's own tags, most used first.
fn hashtags(vault: &Vault, prefix: &str) -> Vec<CompletionItem> {
    let prefix = prefix.to_lowercase();
    let mut items: Vec<(String, String)> = vault
        .config
        .outcomes
        .iter()
        .map(|(tag, label)| (tag.clone(), format!("outcome: {label}")))
        .collect();
    items.push((vault.config.gave_tag.clone(), "you helped them".into()));
    items.push((vault.config.asked_tag.clone(), "you asked for help".into()));
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for c in vault.contacts() {
        for tag in &c.tags {
            *used.entry(tag.as_str()).or_default() += 1;
        }
    }
    let mut own: Vec<(&str, usize)> = used
        .into_iter()
        .filter(|(t, _)| !items.iter().any(|(i, _)| i == t))
        .collect();
    own.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    items.extend(own.into_iter().map(|(t, n)| (t.to_string(), format!("{n} contacts"))));
    items
        .into_iter()
        .filter(|(t, _)| t.starts_with(&prefix))
        .take(LIMIT)
        .enumerate()
        .map(|(rank, (tag, detail))| CompletionItem {
            label: format!("#{tag}"),
            kind: Some(CompletionItemKind::KEYWORD),
            detail: Some(detail),
            filter_text: Some(tag.clone()),
            insert_text: Some(tag),
            sort_text: Some(format!("{rank:05}")),
            ..CompletionItem::default()
        })
        .collect()
}

/// The answer: every item replaces the word typed so far (`range`) with its insert text.
fn list(mut items: Vec<CompletionItem>, more: bool, range: &lsp_types::Range) -> CompletionResponse {
    for item in &mut items {
        if item.text_edit.is_none() {
            let new_text = item.insert_text.take().unwrap_or_else(|| item.label.clone());
            item.text_edit = Some(CompletionTextEdit::Edit(TextEdit {
                range: *range,
                new_text,
            }));
        }
    }
    CompletionResponse::List(lsp_types::CompletionList {
        is_incomplete: more,
        items,
    })
}
