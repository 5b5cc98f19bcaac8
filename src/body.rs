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
                } else if let Some(item) = items.last_mut().filter(|i| i.collecting) {
                    item.text.push(' ');
                }
            }
            _ => {}
        }
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
