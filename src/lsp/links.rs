//! Where a text names other contacts, as byte ranges: every `[[wikilink]]` of the body (outside
//! code) and every name in `introduced_by` (a wikilink or a plain name). Parsing proper
//! ([`crate::body`], [`crate::contact`]) says *which* names a file holds; the editor needs
//! *where* each one is, to underline it, jump from it, point a reference at it (the link itself,
//! not its line) and rename it in place.

use std::ops::Range;

use crate::contact::canonical_field;
use crate::frontmatter::{self, Split};

/// One mention of a contact in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The whole mention: `[[Target#s|label]]`, or a plain `introduced_by` name.
    pub whole: Range<usize>,
    /// The target's text within it (`Target`), what a rename replaces.
    pub target: Range<usize>,
}

impl Link {
    pub fn target_text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.target.clone()]
    }
}

/// Every mention in `text` (a whole file, BOM and all), in order.
pub fn links(text: &str) -> Vec<Link> {
    let (bom, t) = frontmatter::strip_bom(text);
    let base = if bom { '\u{feff}'.len_utf8() } else { 0 };
    let mut out = Vec::new();
    let body_start = match frontmatter::split(t) {
        Split::Block(block) => {
            for key in frontmatter::scan_keys(t, &block) {
                if canonical_field(&key.key) == Some("introduced_by") {
                    introduced_by(t, key.bytes.clone(), key.value_column, &mut out);
                }
            }
            block.body.start
        }
        Split::NoFrontMatter | Split::Unterminated => 0,
    };
    body_links(t, body_start, &mut out);
    for link in &mut out {
        link.whole = link.whole.start + base..link.whole.end + base;
        link.target = link.target.start + base..link.target.end + base;
    }
    out
}

/// The mention at byte `offset` (its ends included: a cursor just after `]]` is on it).
pub fn link_at(text: &str, offset: usize) -> Option<Link> {
    links(text)
        .into_iter()
        .find(|l| l.whole.start <= offset && offset <= l.whole.end)
}

/// The names of one `introduced_by` key's lines (`bytes`), inline or as a block list.
fn introduced_by(text: &str, bytes: Range<usize>, value_column: Option<usize>, out: &mut Vec<Link>) {
    let mut offset = bytes.start;
    for (i, line) in text[bytes.clone()].split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\r', '\n']);
        let start = if i == 0 {
            // The value after `key:`; none on the key line when the list follows.
            match value_column {
                Some(col) => content.char_indices().nth(col - 1).map_or(content.len(), |(b, _)| b),
                None => content.len(),
            }
        } else {
            let trimmed = content.trim_start();
            let indent = content.len() - trimmed.len();
            indent + trimmed.strip_prefix('-').map_or(0, |_| 1)
        };
        scan_value(text, offset + start, &content[start..], out);
        offset += line.len();
    }
}

/// The names in one line's value: its wikilinks, else its comma-separated plain names (quotes
/// and flow-list brackets taken off), up to a `#` comment.
fn scan_value(text: &str, at: usize, value: &str, out: &mut Vec<Link>) {
    let before = out.len();
    wikilinks_in(value, at, out);
    if out.len() > before {
        return;
    }
    let value = value.split(" #").next().unwrap_or(value);
    let mut offset = 0;
    for part in value.split(',') {
        let trimmed = part.trim_matches(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '"' | '\''));
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            let lead = part.find(trimmed).unwrap_or(0);
            let start = at + offset + lead;
            let range = start..start + trimmed.len();
            debug_assert_eq!(&text[range.clone()], trimmed);
            out.push(Link {
                whole: range.clone(),
                target: range,
            });
        }
        offset += part.len() + 1;
    }
}

/// The body's wikilinks, outside fenced code blocks and inline code.
fn body_links(text: &str, start: usize, out: &mut Vec<Link>) {
    let mut offset = start;
    let mut fence: Option<&str> = None;
    for line in text[start..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(open), Some(m)) if open == m => fence = None,
            (None, None) => wikilinks_in(line, offset, out),
            _ => {}
        }
        offset += line.len();
    }
}

/// The `[[…]]` of one line (not across lines), outside `inline code`.
fn wikilinks_in(line: &str, at: usize, out: &mut Vec<Link>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut in_code = false;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b'[' if !in_code && bytes.get(i + 1) == Some(&b'[') => {
                if let Some(close) = line[i + 2..].find("]]") {
                    let inner = &line[i + 2..i + 2 + close];
                    if !inner.contains("[[") {
                        let target_len = inner.find(['|', '#']).unwrap_or(inner.len());
                        let raw = &inner[..target_len];
                        let lead = raw.len() - raw.trim_start().len();
                        let t_start = at + i + 2 + lead;
                        out.push(Link {
                            whole: at + i..at + i + 2 + close + 2,
                            target: t_start..t_start + raw.trim().len(),
                        });
                        i += 2 + close + 2;
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(text: &str) -> Vec<&str> {
        links(text).iter().map(|l| l.target_text(text)).collect()
    }

    #[test]
    fn finds_body_links_and_introduced_by_in_every_form() {
        let text = "---\nname: A\nintroduced_by: \"[[Walter Pruitt|Walt]]\"\n---\nsee [[Beatriz Salgado#work]] and `[[code]]`\n```\n[[fenced]]\n```\n[[ people/José Núñez ]]\n";
        assert_eq!(targets(text), ["Walter Pruitt", "Beatriz Salgado", "people/José Núñez"]);
        let list = "---\nintroduced_by:\n  - Jane Doe\n  - \"[[John Smith]]\"\n---\n";
        assert_eq!(targets(list), ["Jane Doe", "John Smith"]);
        let flow = "\u{feff}---\nintroduced_by: [Jane Doe, 'Bo Li'] # two\n---\n";
        assert_eq!(targets(flow), ["Jane Doe", "Bo Li"]);
    }

    #[test]
    fn link_at_includes_the_brackets() {
        let text = "x [[Walter Pruitt]] y\n";
        let link = link_at(text, 2).unwrap();
        assert_eq!(&text[link.whole.clone()], "[[Walter Pruitt]]");
        assert!(link_at(text, 1).is_none());
    }
}
