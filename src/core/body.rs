//! The Markdown body of a contact: log entries, tasks, wikilinks and hashtags (SPEC §3.2).
//!
//! One pulldown-cmark pass. Text inside code blocks and inline code never counts. Offsets are
//! turned into file lines by the caller-supplied `line_of`, so this module knows nothing about
//! front matter.

use jiff::civil::Date;
use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use crate::date::{leading_date, parse_date};

/// An interaction: a dated heading or list item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub date: Date,
    /// The rest of the line after the date.
    pub text: String,
    /// Hashtags on the entry and in what belongs to it (a heading's section, a list item's
    /// nested items), lower-cased, without `#` — except in dated list items within it, which
    /// are entries of their own and keep their hashtags (SPEC §3.2).
    pub tags: Vec<String>,
    /// 1-based file line.
    pub line: usize,
    /// For a heading entry, the paragraphs of its section (not its list items), on one line:
    /// what the conversation brought, for "last time: …" and `show`. Empty for list entries.
    #[serde(default)]
    pub note: String,
}

/// A `- [ ]` / `- [x]` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub text: String,
    pub due: Option<Date>,
    pub done: bool,
    pub line: usize,
}

/// Everything netvault reads from a body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub log: Vec<LogEntry>,
    pub tasks: Vec<Task>,
    /// Wikilink targets (`[[Target#section|label]]` → `Target`), in order, deduplicated.
    pub wikilinks: Vec<String>,
    /// The file line of each wikilink's first occurrence (parallel to `wikilinks`).
    pub wikilink_lines: Vec<usize>,
    /// Hashtags anywhere outside code, lower-cased, deduplicated.
    pub hashtags: Vec<String>,
}

struct OpenItem {
    start: usize,
    text: String,
    /// Collect text only until a nested list starts.
    collecting: bool,
    task: Option<bool>,
    /// Hashtags in the item and in its nested items that are not entries themselves.
    tags: Vec<String>,
}

struct OpenHeading {
    start: usize,
    level: HeadingLevel,
    text: String,
}

/// Parse `body`; `line_of` maps a byte offset within `body` to a 1-based file line.
pub fn parse(body: &str, line_of: impl Fn(usize) -> usize) -> Body {
    let mut out = Body::default();
    let mut code_depth = 0usize;
    let mut heading: Option<OpenHeading> = None;
    // The log entry a heading opened, with its level: its section collects hashtags.
    let mut section: Option<(HeadingLevel, usize)> = None;
    let mut items: Vec<OpenItem> = Vec::new();

    let options = Options::ENABLE_WIKILINKS | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Start(Tag::Heading { level, .. }) => {
                if section.is_some_and(|(l, _)| level <= l) {
                    section = None;
                }
                heading = Some(OpenHeading {
                    start: range.start,
                    level,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take()
                    && let Some((date, rest)) = leading_date(h.text.trim_start())
                {
                    let tags = hashtags(rest);
                    out.log.push(LogEntry {
                        date,
                        text: entry_text(rest),
                        tags,
                        line: line_of(h.start),
                        note: String::new(),
                    });
                    section = Some((h.level, out.log.len() - 1));
                }
            }
            Event::Start(Tag::Item) => {
                if let Some(parent) = items.last_mut() {
                    parent.collecting = false;
                }
                items.push(OpenItem {
                    start: range.start,
                    text: String::new(),
                    collecting: true,
                    task: None,
                    tags: Vec::new(),
                });
            }
            Event::Start(Tag::List(_)) => {
                if let Some(parent) = items.last_mut() {
                    parent.collecting = false;
                }
            }
            Event::TaskListMarker(done) => {
                if let Some(item) = items.last_mut() {
                    item.task = Some(done);
                }
            }
            Event::End(TagEnd::Item) => {
                if let Some(item) = items.pop() {
                    finish_item(item, items.last_mut(), section, &mut out, &line_of);
                }
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                let target = dest_url.split('#').next().unwrap_or("").trim();
                if !target.is_empty() && !out.wikilinks.iter().any(|w| w == target) {
                    out.wikilinks.push(target.to_string());
                    out.wikilink_lines.push(line_of(range.start));
                }
            }
            Event::Text(text) if code_depth == 0 => {
                on_text(&text, &mut heading, &mut items, section, &mut out);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = heading.as_mut() {
                    h.text.push(' ');
                } else if let Some(item) = items.last_mut() {
                    if item.collecting {
                        item.text.push(' ');
                    }
                } else if let Some((_, entry)) = section {
                    out.log[entry].note.push(' ');
                }
            }
            Event::End(TagEnd::Paragraph) if items.is_empty() => {
                if let Some((_, entry)) = section {
                    out.log[entry].note.push(' ');
                }
            }
            _ => {}
        }
    }
    for entry in &mut out.log {
        entry.note = entry.note.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

fn on_text(
    text: &str,
    heading: &mut Option<OpenHeading>,
    items: &mut [OpenItem],
    section: Option<(HeadingLevel, usize)>,
    out: &mut Body,
) {
    let tags = hashtags(text);
    for tag in &tags {
        push_unique(&mut out.hashtags, tag);
    }
    if let Some(h) = heading.as_mut() {
        h.text.push_str(text);
        return;
    }
    // The innermost item holds its tags until it ends: only then is it known whether it is an
    // entry of its own (its tags stay) or not (they pass to what contains it, [`finish_item`]).
    if let Some(item) = items.last_mut() {
        for tag in &tags {
            push_unique(&mut item.tags, tag);
        }
        if item.collecting {
            item.text.push_str(text);
        }
    } else if let Some((_, entry)) = section {
        for tag in &tags {
            push_unique(&mut out.log[entry].tags, tag);
        }
        out.log[entry].note.push_str(text);
    }
}

/// Record a finished item as a task or a log entry. The hashtags of an item that is not an
/// entry belong to the item that contains it, else to the heading entry whose section it is in.
fn finish_item(
    item: OpenItem,
    parent: Option<&mut OpenItem>,
    section: Option<(HeadingLevel, usize)>,
    out: &mut Body,
    line_of: &impl Fn(usize) -> usize,
) {
    let line = line_of(item.start);
    let text = item.text.trim();
    if item.task.is_none()
        && let Some((date, rest)) = leading_date(text)
    {
        out.log.push(LogEntry {
            date,
            text: entry_text(rest),
            tags: item.tags,
            line,
            note: String::new(),
        });
        return;
    }
    if let Some(done) = item.task {
        out.tasks.push(Task {
            text: text.to_string(),
            due: task_due(text),
            done,
            line,
        });
    }
    let owner = match parent {
        Some(parent) => &mut parent.tags,
        None => match section {
            Some((_, entry)) => &mut out.log[entry].tags,
            None => return,
        },
    };
    for tag in &item.tags {
        push_unique(owner, tag);
    }
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

/// The words after an entry's date, without the separator (`: `, ` - `, ` — `).
fn entry_text(rest: &str) -> String {
    rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '.' | ','))
        .trim_end()
        .to_string()
}

/// `📅 YYYY-MM-DD` or `due:YYYY-MM-DD` anywhere in a task's text.
pub fn task_due(text: &str) -> Option<Date> {
    for marker in ["📅", "due:"] {
        let mut search = text;
        while let Some(i) = search.find(marker) {
            let after = search[i + marker.len()..].trim_start();
            if let Some(date) = after.get(..10).and_then(parse_date) {
                return Some(date);
            }
            search = &search[i + marker.len()..];
        }
    }
    None
}

/// `#word` hashtags: letters, digits, `-`, `_`, `/`, not all digits, starting at the beginning
/// of the text or after whitespace or an opening bracket. Lower-cased.
pub fn hashtags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let boundary = prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | ',' | ';'));
        if c == '#' && boundary {
            let rest = &text[i + 1..];
            let end = rest
                .find(|ch: char| !(ch.is_alphanumeric() || matches!(ch, '-' | '_' | '/')))
                .unwrap_or(rest.len());
            let word = rest[..end].trim_end_matches(['-', '/']);
            if !word.is_empty() && !word.chars().all(|ch| ch.is_ascii_digit()) {
                let word = word.to_lowercase();
                if !tags.contains(&word) {
                    tags.push(word);
                }
            }
        }
        prev = Some(c);
        let _ = chars.peek();
    }
    tags
}

/// A `[[wikilink]]` in the body, with where it sits: for `report leads` (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The link's target (`[[Target#section|label]]` → `Target`).
    pub target: String,
    /// 1-based file line of the link.
    pub line: usize,
    /// The date of the log entry the link sits in (a dated list item, or a dated heading's
    /// section), if any.
    pub date: Option<Date>,
    /// The sentence around the link, on one line, without the entry's leading date.
    pub sentence: String,
}

/// Every wikilink in `body` with its entry's date and its sentence, in file order (a second
/// pulldown-cmark pass: only `report leads` and `add` need it, for a few files).
pub fn mentions(body: &str, line_of: impl Fn(usize) -> usize) -> Vec<Mention> {
    struct Pending {
        target: String,
        line: usize,
        date: Option<Date>,
        at: usize,
    }
    let mut out = Vec::new();
    let mut code_depth = 0usize;
    // The text of the block being read (a paragraph, a heading, an item's own text).
    let mut text = String::new();
    let mut pending: Vec<Pending> = Vec::new();
    // The date of the heading entry whose section this is, with the heading's level.
    let mut section: Option<(HeadingLevel, Date)> = None;
    let mut in_heading: Option<HeadingLevel> = None;
    // Open list items: whether each is a task, and its date once its text is known.
    let mut items: Vec<(bool, Option<Date>)> = Vec::new();
    let flush = |text: &mut String, pending: &mut Vec<Pending>, out: &mut Vec<Mention>| {
        for p in pending.drain(..) {
            out.push(Mention {
                sentence: sentence_at(text, p.at),
                target: p.target,
                line: p.line,
                date: p.date,
            });
        }
        text.clear();
    };
    let options = Options::ENABLE_WIKILINKS | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut text, &mut pending, &mut out);
                if section.is_some_and(|(l, _)| level <= l) {
                    section = None;
                }
                in_heading = Some(level);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let (Some(level), Some((date, _))) = (in_heading.take(), leading_date(text.trim_start())) {
                    section = Some((level, date));
                }
                flush(&mut text, &mut pending, &mut out);
            }
            Event::Start(Tag::Item | Tag::List(_) | Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {
                // An item's own text ends where a nested list or another block begins.
                if let Some(item) = items.last_mut()
                    && !item.0
                    && item.1.is_none()
                {
                    item.1 = leading_date(text.trim_start()).map(|(d, _)| d);
                }
                flush(&mut text, &mut pending, &mut out);
                if matches!(event, Event::Start(Tag::Item)) {
                    items.push((false, None));
                }
            }
            Event::End(TagEnd::Item) => {
                flush(&mut text, &mut pending, &mut out);
                items.pop();
            }
            Event::TaskListMarker(_) => {
                if let Some(item) = items.last_mut() {
                    item.0 = true;
                }
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                let target = dest_url.split('#').next().unwrap_or("").trim();
                if target.is_empty() {
                    continue;
                }
                // The innermost dated entry: this item (its date is at the start of its text),
                // an item around it, the heading being read, or the heading's section.
                let own = (!items.is_empty() && items.last().is_some_and(|i| !i.0))
                    .then(|| leading_date(text.trim_start()).map(|(d, _)| d))
                    .flatten();
                let date = own
                    .or_else(|| items.iter().rev().find_map(|i| i.1))
                    .or_else(|| in_heading.and_then(|_| leading_date(text.trim_start()).map(|(d, _)| d)))
                    .or(section.map(|(_, d)| d));
                pending.push(Pending {
                    target: target.to_string(),
                    line: line_of(range.start),
                    date,
                    at: text.len(),
                });
            }
            Event::Text(t) if code_depth == 0 => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    flush(&mut text, &mut pending, &mut out);
    out
}

/// The first sentence of `text`: up to the first `.`, `!` or `?` followed by a space or the end.
pub fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    text.char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?') && text[i + c.len_utf8()..].chars().next().is_none_or(char::is_whitespace)
        })
        .map_or(text, |(i, c)| &text[..i + c.len_utf8()])
}

/// The sentence of `text` that holds byte offset `at`, whitespace collapsed, without a leading
/// entry date and its separator.
fn sentence_at(text: &str, at: usize) -> String {
    let at = at.min(text.len());
    let ends_sentence = |i: usize, c: char| {
        matches!(c, '.' | '!' | '?') && text[i + c.len_utf8()..].chars().next().is_none_or(char::is_whitespace)
    };
    let start = text[..at]
        .char_indices()
        .rfind(|&(i, c)| ends_sentence(i, c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[at..]
        .char_indices()
        .find(|&(i, c)| ends_sentence(at + i, c))
        .map_or(text.len(), |(i, c)| at + i + c.len_utf8());
    let sentence = text[start..end].trim();
    let sentence = leading_date(sentence).map_or(sentence, |(_, rest)| rest);
    entry_text(sentence).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The body's paragraphs that are notes about the person: outside log entries, list items,
/// headings and code, each on one line (for `show`).
pub fn notes(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut code_depth = 0usize;
    let mut section: Option<HeadingLevel> = None;
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut depth = 0usize; // open list items and block quotes are not free notes
    let mut paragraph: Option<String> = None;
    let options = Options::ENABLE_WIKILINKS | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(body, options) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Start(Tag::Heading { level, .. }) => {
                if section.is_some_and(|l| level <= l) {
                    section = None;
                }
                heading = Some((level, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take()
                    && leading_date(text.trim_start()).is_some()
                {
                    section = Some(level);
                }
            }
            Event::Start(Tag::Item) => depth += 1,
            Event::End(TagEnd::Item) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Paragraph) if depth == 0 && section.is_none() => paragraph = Some(String::new()),
            Event::End(TagEnd::Paragraph) => {
                if let Some(p) = paragraph.take() {
                    let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !p.is_empty() {
                        out.push(p);
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if code_depth == 0 => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&t);
                } else if let Some(p) = paragraph.as_mut() {
                    p.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = paragraph.as_mut() {
                    p.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn parse_simple(body: &str) -> Body {
        let index = crate::span::LineIndex::new(body);
        parse(body, |o| index.line(o))
    }

    #[test]
    fn heading_and_list_entries() {
        let b = parse_simple(
            "# Jane\n\n## Log\n### 2026-10-01 Coffee at Epoch #info\nAcme opens Denver. #intro\n- 2026-08-14: emailed her my portfolio #tips\n\n## Other\ntext #later\n",
        );
        assert_eq!(b.log.len(), 2);
        assert_eq!(b.log[0].date, date(2026, 10, 1));
        assert_eq!(b.log[0].text, "Coffee at Epoch #info");
        assert_eq!(b.log[0].line, 4);
        assert_eq!(b.log[0].tags, ["info", "intro"], "the dated item keeps #tips");
        assert_eq!(b.log[1].text, "emailed her my portfolio #tips");
        assert_eq!(b.log[1].tags, ["tips"]);
        assert_eq!(b.log[1].line, 6);
        assert_eq!(b.hashtags, ["info", "intro", "tips", "later"]);
    }

    #[test]
    fn heading_entries_keep_their_paragraphs_as_a_note() {
        let b = parse_simple(
            "## Log\n### 2026-06-20 Porch conversation #intro\nHe told me the agencies\nare short of people. #info\n\nA second paragraph.\n- 2026-05-30: helped him #gave\n  more words\n\n## Tasks\n- [ ] x\n",
        );
        assert_eq!(
            b.log[0].note,
            "He told me the agencies are short of people. #info A second paragraph."
        );
        assert_eq!(b.log[1].note, "", "a list entry has no note");
    }

    #[test]
    fn mentions_carry_their_entry_date_and_sentence() {
        let body = "Knows [[Frances Albright]] from school.\n\n## Log\n### 2026-06-20 Porch #intro\nHe knows many people. He offered to introduce me to [[Beatriz Salgado]], who worked with him. Later.\n- 2026-05-30: said to call [[Dana Whitfield|Dana]] at the museum\n  - nested note about [[Kim Ode]]\n- [ ] ask about [[Lee Roy]] 📅 2026-12-01\n`[[Not A Link]]`\n";
        let index = crate::span::LineIndex::new(body);
        let m = mentions(body, |o| index.line(o));
        let got: Vec<(&str, Option<Date>, &str, usize)> = m
            .iter()
            .map(|m| (m.target.as_str(), m.date, m.sentence.as_str(), m.line))
            .collect();
        assert_eq!(
            got,
            [
                ("Frances Albright", None, "Knows Frances Albright from school.", 1),
                (
                    "Beatriz Salgado",
                    Some(date(2026, 6, 20)),
                    "He offered to introduce me to Beatriz Salgado, who worked with him.",
                    5
                ),
                (
                    "Dana Whitfield",
                    Some(date(2026, 5, 30)),
                    "said to call Dana at the museum",
                    6
                ),
                ("Kim Ode", Some(date(2026, 5, 30)), "nested note about Kim Ode", 7),
                ("Lee Roy", Some(date(2026, 6, 20)), "ask about Lee Roy 📅 2026-12-01", 8),
            ]
        );
    }

    #[test]
    fn notes_are_the_paragraphs_outside_the_log() {
        let body = "# Walter\n\nLives two doors down.\nStill has opinions.\n\n## Log\n### 2026-06-20 Porch\nNot a note.\n- 2026-05-30: nor this\n\n## About\nA note again.\n\n- a list item is not\n";
        assert_eq!(
            notes(body),
            ["Lives two doors down. Still has opinions.", "A note again."]
        );
    }

    #[test]
    fn tasks_with_due_dates_and_done_items() {
        let b = parse_simple(
            "- [ ] send note 📅 2026-12-01\n- [x] call due:2026-11-02\n- [ ] someday\n- [ ] 2026-01-01 dated task\n",
        );
        assert_eq!(b.tasks.len(), 4);
        assert_eq!(b.tasks[0].due, Some(date(2026, 12, 1)));
        assert!(!b.tasks[0].done);
        assert!(b.tasks[1].done);
        assert_eq!(b.tasks[1].due, Some(date(2026, 11, 2)));
        assert_eq!(b.tasks[2].due, None);
        assert!(b.log.is_empty(), "a task is never a log entry");
    }

    #[test]
    fn code_never_counts() {
        let b = parse_simple(
            "```\n- 2026-01-01: no\n## 2026-01-02 no\n```\n\n    - 2026-01-03: no\n\n`#nottag` and `[[X]]`\n",
        );
        assert!(b.log.is_empty());
        assert!(b.hashtags.is_empty());
        assert!(b.wikilinks.is_empty());
    }

    #[test]
    fn wikilinks_strip_sections_and_labels() {
        let b = parse_simple("Met [[Jane Doe|Jane]] via [[John Smith#Log]] and [[Jane Doe]].\n");
        assert_eq!(b.wikilinks, ["Jane Doe", "John Smith"]);
    }

    #[test]
    fn hashtag_rules() {
        assert_eq!(
            hashtags("#info, (#Advice) C# a#b #123 #2026-goals #x/y."),
            ["info", "advice", "2026-goals", "x/y"]
        );
        assert!(hashtags("http://x.org/#frag # heading").is_empty());
    }

    #[test]
    fn nested_items_keep_their_own_text_and_tags() {
        let b =
            parse_simple("- 2026-05-01: lunch\n  - 2026-05-02: follow-up call #gave\n  - she asked about #advice\n");
        assert_eq!(b.log.len(), 2);
        let lunch = b.log.iter().find(|e| e.text == "lunch").unwrap();
        assert_eq!(lunch.tags, ["advice"], "an undated nested item's tags are the entry's");
        let call = b.log.iter().find(|e| e.date == date(2026, 5, 2)).unwrap();
        assert_eq!(call.tags, ["gave"]);
    }

    #[test]
    fn a_heading_entry_stops_at_dated_items_but_keeps_the_rest_of_its_section() {
        // Walter's file: the 06-20 heading must not take `#gave` from the 05-30 item under it.
        let b = parse_simple(
            "## Log\n### 2026-06-20 Lunch #info\nNotes #advice\n- 2026-05-30: sent the article #gave\n- a point he made #intro\n  - 2026-05-01: nested dated #asked\n- [ ] a task #tips\n\n#### sub heading\ntext #more\n### 2026-07-01 Next\n#other\n",
        );
        let entry = |d| b.log.iter().find(|e| e.date == d).unwrap();
        assert_eq!(
            entry(date(2026, 6, 20)).tags,
            ["info", "advice", "intro", "tips", "more"],
            "a deeper undated heading stays in the section"
        );
        assert_eq!(entry(date(2026, 5, 30)).tags, ["gave"]);
        assert_eq!(entry(date(2026, 5, 1)).tags, ["asked"]);
        assert_eq!(entry(date(2026, 7, 1)).tags, ["other"]);
        // Body hashtags still count each tag once for the contact.
        assert!(b.hashtags.contains(&"gave".to_string()));
    }
}

/// The body as plain text, line by line, for search snippets (SPEC §5: no Markdown syntax in
/// a snippet): heading marks, list and task markers, quote marks, emphasis and code marks
/// dropped; `[[Target|label]]` reads as its label, `[[Target#section]]` and `[[Target]]` as
/// the target, `[text](url)` as its text.
pub fn plain_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        let (content, ending) = match line.strip_suffix('\n') {
            Some(rest) => (rest.strip_suffix('\r').unwrap_or(rest), "\n"),
            None => (line, ""),
        };
        let mut rest = content.trim_start();
        loop {
            let before = rest;
            rest = rest.trim_start_matches('>').trim_start();
            if let Some(after) = rest.strip_prefix(['-', '*', '+']).filter(|a| a.starts_with(' ')) {
                rest = after.trim_start();
            }
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            if digits > 0
                && let Some(after) = rest[digits..].strip_prefix(['.', ')']).filter(|a| a.starts_with(' '))
            {
                rest = after.trim_start();
            }
            for mark in ["[ ] ", "[x] ", "[X] "] {
                if let Some(after) = rest.strip_prefix(mark) {
                    rest = after.trim_start();
                }
            }
            let hashes = rest.chars().take_while(|&c| c == '#').count();
            if (1..=6).contains(&hashes) && rest[hashes..].starts_with(' ') {
                rest = rest[hashes..].trim_start();
            }
            if rest == before {
                break;
            }
        }
        inline_plain(rest, &mut out);
        out.push_str(ending);
    }
    out
}

fn inline_plain(text: &str, out: &mut String) {
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[[")
            && let Some(end) = after.find("]]")
        {
            let inner = &after[..end];
            let shown = match inner.split_once('|') {
                Some((_, label)) => label,
                None => inner.split('#').next().unwrap_or(inner),
            };
            out.push_str(shown);
            rest = &after[end + 2..];
            continue;
        }
        if let Some(after) = rest.strip_prefix('[')
            && let Some(close) = after.find("](")
            && let Some(paren) = after[close + 2..].find(')')
        {
            out.push_str(&after[..close]);
            rest = &after[close + 2 + paren + 1..];
            continue;
        }
        let mut chars = rest.chars();
        let c = chars.next().unwrap_or_default();
        // `_` inside a word (`snake_case`) is text; around a word it is emphasis.
        let inside_word = out.chars().last().is_some_and(char::is_alphanumeric)
            && chars.as_str().chars().next().is_some_and(char::is_alphanumeric);
        if !matches!(c, '*' | '`' | '_') || (c == '_' && inside_word) {
            out.push(c);
        }
        rest = chars.as_str();
    }
}

#[cfg(test)]
mod plain_tests {
    use super::plain_text;

    #[test]
    fn markdown_syntax_is_dropped() {
        let cases = [
            ("# Walter Pruitt\n", "Walter Pruitt\n"),
            (
                "## Log\n### 2026-06-20 Porch #intro\n",
                "Log\n2026-06-20 Porch #intro\n",
            ),
            (
                "- [ ] bring [[Walter Pruitt]] tomatoes\n",
                "bring Walter Pruitt tomatoes\n",
            ),
            ("- [x] done\n  - nested item\n", "done\nnested item\n"),
            ("> quoted **bold** and `code`\n", "quoted bold and code\n"),
            ("see [[Jane Doe|Jane]] and [[Acme#Team]]", "see Jane and Acme"),
            ("a [link](https://example.org) here\r\n", "a link here\n"),
            ("1. first\n10) tenth\n", "first\ntenth\n"),
            ("snake_case stays, _emphasis_ goes", "snake_case stays, emphasis goes"),
            ("#hashtag stays", "#hashtag stays"),
        ];
        for (md, plain) in cases {
            assert_eq!(plain_text(md), plain, "{md:?}");
        }
    }
}
