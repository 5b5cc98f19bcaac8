//! Pure text edits of a contact file (SPEC §8): text in, text out, changing only the lines they
//! are about. The BOM, line endings, comments, key order, quoting, indentation, blank lines and
//! the presence of a final newline elsewhere stay byte-identical. YAML is never re-serialized as
//! a whole: a key's lines come from [`frontmatter::scan_keys`], and values are written as one
//! line, plain when YAML reads them back as the same string, double-quoted otherwise
//! ([`yaml_scalar`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::civil::Date;

use crate::contact::canonical_field;
use crate::error::{Error, Result};
use crate::frontmatter::{self, Block, KeyLayout, Split};

/// Why an edit could not be made; the caller adds the file's path ([`EditError::at`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EditError(pub String);

impl EditError {
    /// The command-level error for the file at `path`.
    pub fn at(self, path: impl Into<PathBuf>) -> Error {
        Error::Edit {
            path: path.into(),
            message: self.0,
        }
    }
}

/// A file's text taken apart for editing: BOM, the text after it, its front matter block and
/// its line ending.
struct Parts<'a> {
    bom: bool,
    text: &'a str,
    eol: &'static str,
}

impl<'a> Parts<'a> {
    fn new(text: &'a str) -> Self {
        let (bom, rest) = frontmatter::strip_bom(text);
        Self {
            bom,
            text: rest,
            eol: line_ending(rest),
        }
    }

    fn block(&self) -> Result<Block, EditError> {
        match frontmatter::split(self.text) {
            Split::Block(block) => Ok(block),
            Split::NoFrontMatter => Err(EditError("the file has no front matter (a first line `---`)".into())),
            Split::Unterminated => Err(EditError(
                "the file's front matter is never closed by a `---` line".into(),
            )),
        }
    }

    /// Reassemble with the BOM: `text[..range.start] + replacement + text[range.end..]`.
    fn splice(&self, range: std::ops::Range<usize>, replacement: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + replacement.len() + 3);
        if self.bom {
            out.push('\u{feff}');
        }
        out.push_str(&self.text[..range.start]);
        out.push_str(replacement);
        out.push_str(&self.text[range.end..]);
        out
    }
}

/// The file's line ending, from its first line: `\r\n` or `\n` (`\n` for a one-line file).
pub fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(at) if text[..at].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// The layout of the top-level key that stands for the field `key`: the key itself, a key the
/// config maps onto it (`[fields] followUp = "follow_up"`), or one of its aliases (`org` for
/// `organization`). An exact spelling wins over a mapped or alias one.
fn find_key<'k>(keys: &'k [KeyLayout], key: &str, fields: &BTreeMap<String, String>) -> Option<&'k KeyLayout> {
    keys.iter().find(|k| k.key == key).or_else(|| {
        keys.iter().find(|k| {
            fields.get(&k.key).is_some_and(|mapped| mapped == key)
                || (!fields.contains_key(&k.key) && canonical_field(&k.key) == Some(key))
        })
    })
}

/// Whether the front matter has a key standing for the field `key` (see [`set_key_mapped`]).
pub fn has_key(text: &str, key: &str, fields: &BTreeMap<String, String>) -> bool {
    let parts = Parts::new(text);
    parts
        .block()
        .is_ok_and(|block| find_key(&frontmatter::scan_keys(parts.text, &block), key, fields).is_some())
}

fn check_value(value_yaml: &str) -> Result<(), EditError> {
    if value_yaml.contains(['\n', '\r']) {
        return Err(EditError("a value written by netvault must fit on one line".into()));
    }
    if value_yaml.chars().any(is_forbidden_control) {
        return Err(EditError(
            "a value written by netvault must not hold control characters".into(),
        ));
    }
    if value_yaml.trim().is_empty() {
        return Err(EditError("refusing to write an empty value".into()));
    }
    Ok(())
}

/// [`set_key_mapped`] without a config field map.
pub fn set_key(text: &str, key: &str, value_yaml: &str) -> Result<String, EditError> {
    set_key_mapped(text, key, value_yaml, &BTreeMap::new())
}

/// Set the top-level field `key` to `value_yaml` (one line of YAML, e.g. from [`yaml_scalar`]).
///
/// When the field is present (under its own name, a mapped name or an alias, kept as spelled)
/// only its lines change: the key line keeps its key, spacing and trailing `# comment` (at its
/// column when the new value fits), and its continuation lines (a block list) go. When absent,
/// `key: value` is inserted as a new line just before the closing `---`.
pub fn set_key_mapped(
    text: &str,
    key: &str,
    value_yaml: &str,
    fields: &BTreeMap<String, String>,
) -> Result<String, EditError> {
    check_value(value_yaml)?;
    let parts = Parts::new(text);
    let block = parts.block()?;
    let keys = frontmatter::scan_keys(parts.text, &block);
    let Some(layout) = find_key(&keys, key, fields) else {
        // Insert before the closing delimiter line, which starts where the YAML ends.
        let at = block.yaml.end;
        // Quoted when YAML would read it as something else (`null`, `true`, `2026`).
        let line = format!("{}: {value_yaml}{}", yaml_scalar(key), parts.eol);
        return Ok(parts.splice(at..at, &line));
    };
    let start = layout.bytes.start;
    let line_end = parts.text[start..layout.bytes.end]
        .find('\n')
        .map_or(layout.bytes.end, |i| start + i + 1);
    let key_line = &parts.text[start..line_end];
    let content = key_line.trim_end_matches(['\r', '\n']);
    let eol = &key_line[content.len()..];
    // Where the value (or a comment, or nothing) starts after `key:`.
    let value_start = match layout.value_column {
        Some(column) => content.char_indices().nth(column - 1).map_or(content.len(), |(i, _)| i),
        None => colon_end(content).ok_or_else(|| EditError(format!("cannot find the `:` after the key {key:?}")))?,
    };
    let (head, rest) = content.split_at(value_start);
    let (old_value, comment) = split_comment(rest);
    let mut new_line = head.to_string();
    if !head.ends_with([' ', '\t']) {
        new_line.push(' ');
    }
    new_line.push_str(value_yaml);
    if !comment.is_empty() {
        // Keep the comment's column when the new value leaves room, else one space before it.
        let old_width = head.chars().count() + old_value.chars().count();
        let width = new_line.chars().count();
        let gap_old = old_value.len() - old_value.trim_end().len();
        let pad = if layout.value_column.is_some() && old_width > width {
            old_width - width
        } else {
            gap_old.max(1)
        };
        new_line.push_str(&" ".repeat(pad));
        new_line.push_str(comment);
    }
    // A key line without a line ending (the YAML always has one: the delimiter follows).
    let eol = if eol.is_empty() { parts.eol } else { eol };
    new_line.push_str(eol);
    Ok(parts.splice(start..layout.bytes.end, &new_line))
}

/// [`remove_key_mapped`] without a config field map.
pub fn remove_key(text: &str, key: &str) -> Result<String, EditError> {
    remove_key_mapped(text, key, &BTreeMap::new())
}

/// Remove the lines of the top-level field `key` (see [`set_key_mapped`] for how it is found).
/// Comment and blank lines after it stay. Removing an absent key is an error: callers check
/// [`has_key`] first to say so.
pub fn remove_key_mapped(text: &str, key: &str, fields: &BTreeMap<String, String>) -> Result<String, EditError> {
    let parts = Parts::new(text);
    let block = parts.block()?;
    let keys = frontmatter::scan_keys(parts.text, &block);
    let layout = find_key(&keys, key, fields).ok_or_else(|| EditError(format!("the front matter has no {key}")))?;
    Ok(parts.splice(layout.bytes.clone(), ""))
}

/// The byte offset just after the `:` that ends the key on a top-level key line.
fn colon_end(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    let first = *bytes.first()?;
    if first == b'"' || first == b'\'' {
        let close = content[1..].find(char::from(first))? + 1;
        let after = &content[close + 1..];
        let colon = after.find(':')?;
        return after[..colon].trim().is_empty().then_some(close + 1 + colon + 1);
    }
    bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b':' && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')))
        .map(|(i, _)| i + 1)
}

/// Split a value (from its first character) into the value with any whitespace after it, and
/// a trailing `# comment` (empty when none). Quotes are honoured where a scalar can start.
fn split_comment(rest: &str) -> (&str, &str) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut prev: Option<char> = None;
    let mut prev_significant: Option<char> = None;
    for (i, c) in rest.char_indices() {
        match quote {
            Some('"') => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    quote = None;
                }
            }
            Some(_) => {
                if c == '\'' {
                    quote = None;
                }
            }
            None => {
                if c == '#' && prev.is_none_or(char::is_whitespace) {
                    return rest.split_at(i);
                }
                let scalar_start = prev_significant.is_none_or(|p| matches!(p, '[' | '{' | ',' | ':' | '-' | '?'));
                if (c == '"' || c == '\'') && scalar_start {
                    quote = Some(c);
                }
            }
        }
        prev = Some(c);
        if !c.is_whitespace() {
            prev_significant = Some(c);
        }
    }
    (rest, "")
}

/// Insert `- DATE: MESSAGE` as the newest entry under the body's `## Log` heading: after the
/// heading line and any blank lines after it, before the existing entries. Without such a
/// heading, `## Log` and the entry are added at the end of the body, after one blank line.
/// A blank line is added after the entry when it would otherwise touch a heading or paragraph.
pub fn insert_log_entry(text: &str, date: Date, message: &str) -> Result<String, EditError> {
    let new = place_log_entry(text, date, message)?;
    // Markdown has the last word on what is a log entry: a body ending inside an open HTML
    // block (`<!--` never closed) or similar swallows the line. Refuse rather than write a
    // line that is not read.
    let entries = |t: &str| -> Result<usize, EditError> {
        let parts = Parts::new(t);
        let block = parts.block()?;
        Ok(crate::body::parse(&parts.text[block.body.clone()], |_| 0).log.len())
    };
    if entries(&new)? != entries(text)? + 1 {
        return Err(EditError(
            "the new entry would not be read as a log entry: the body ends inside an open Markdown block (an HTML comment or tag never closed?); close it, then log again".into(),
        ));
    }
    Ok(new)
}

/// [`insert_log_entry`]'s text edit, before the check that the entry reads back.
fn place_log_entry(text: &str, date: Date, message: &str) -> Result<String, EditError> {
    let message = one_line(message, "the log message")?;
    let parts = Parts::new(text);
    let block = parts.block()?;
    let eol = parts.eol;
    let entry = format!("- {date}: {message}");
    let body = &parts.text[block.body.clone()];
    let Some(heading_end) = section_heading_end(body, "Log")? else {
        return Ok(append_section(&parts, &block, "## Log", &entry));
    };
    let base = block.body.start;
    let mut at = heading_end;
    let mut add = String::new();
    if !body[..heading_end].ends_with('\n') {
        // The heading is the last line and has no line ending: keep the file without a final one.
        add.push_str(eol);
        add.push_str(&entry);
        return Ok(parts.splice(base + at..base + at, &add));
    }
    for line in body[heading_end..].split_inclusive('\n') {
        if !is_blank(line) || !line.ends_with('\n') {
            break;
        }
        at += line.len();
    }
    add.push_str(&entry);
    add.push_str(eol);
    let next = body[at..].lines().next().unwrap_or("");
    if !is_blank(next) && !is_list_item(next) {
        add.push_str(eol);
    }
    Ok(parts.splice(base + at..base + at, &add))
}

/// `text` trimmed, refused when empty, on several lines or holding control characters.
fn one_line<'t>(text: &'t str, what: &str) -> Result<&'t str, EditError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(EditError(format!("{what} is empty")));
    }
    if text.contains(['\n', '\r']) {
        return Err(EditError(format!("{what} must be one line")));
    }
    if text.chars().any(is_forbidden_control) {
        return Err(EditError(format!(
            "{what} must not hold control characters (a NUL would make the file unreadable)"
        )));
    }
    Ok(text)
}

/// The text with `heading` and `line` added at the end of the body, after one blank line.
fn append_section(parts: &Parts<'_>, block: &Block, heading: &str, line: &str) -> String {
    let eol = parts.eol;
    let body = &parts.text[block.body.clone()];
    let ends_with_newline = parts.text.ends_with('\n');
    let mut add = String::new();
    if !ends_with_newline {
        add.push_str(eol);
    }
    let blank_before = body.is_empty() || body.ends_with("\n\n") || body.ends_with("\n\r\n") || is_blank(body);
    if !blank_before || body.is_empty() {
        add.push_str(eol);
    }
    add.push_str(heading);
    add.push_str(eol);
    add.push_str(line);
    if ends_with_newline {
        add.push_str(eol);
    }
    let end = parts.text.len();
    parts.splice(end..end, &add)
}

/// How many log entries and tasks a file's body holds, as the contact parser reads them.
fn body_counts(text: &str) -> Result<(usize, usize), EditError> {
    let parts = Parts::new(text);
    let block = parts.block()?;
    let body = crate::body::parse(&parts.text[block.body.clone()], |_| 0);
    Ok((body.log.len(), body.tasks.len()))
}

/// Append `- [ ] TASK` (with ` 📅 DATE` when it has a due date) as the last item under the
/// body's `## Tasks` heading: after the section's last non-blank line, so blank lines and the
/// next heading stay where they are. Without such a heading, `## Tasks` and the task are added
/// at the end of the body, after one blank line. Refused when the line would not read back as
/// a task (the body ends inside an open code or HTML block).
pub fn insert_task(text: &str, task: &str, due: Option<Date>) -> Result<String, EditError> {
    let task = one_line(task, "the task")?;
    let item = match due {
        Some(date) => format!("- [ ] {task} 📅 {date}"),
        None => format!("- [ ] {task}"),
    };
    let new = place_task(text, &item)?;
    if body_counts(&new)?.1 != body_counts(text)?.1 + 1 {
        return Err(EditError(
            "the new task would not be read as a task: the `## Tasks` section ends inside an open Markdown block (an HTML comment or tag never closed?); close it, then try again".into(),
        ));
    }
    Ok(new)
}

/// [`insert_task`]'s text edit, before the check that the task reads back.
fn place_task(text: &str, item: &str) -> Result<String, EditError> {
    let parts = Parts::new(text);
    let block = parts.block()?;
    let eol = parts.eol;
    let body = &parts.text[block.body.clone()];
    let Some(heading_end) = section_heading_end(body, "Tasks")? else {
        return Ok(append_section(&parts, &block, "## Tasks", item));
    };
    let base = block.body.start;
    // After the last non-blank line of the section, which ends at the next heading.
    let mut at = heading_end;
    let mut offset = heading_end;
    let mut fence: Option<(char, usize)> = None;
    for line in body[heading_end..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\r', '\n']);
        let trimmed = content.trim_start();
        let indent = content.len() - trimmed.len();
        if indent < 4 {
            let mark = fence_mark(trimmed);
            if let Some((c, n)) = fence {
                if mark.is_some_and(|(m, len)| m == c && len >= n && trimmed[len..].trim().is_empty()) {
                    fence = None;
                }
            } else if let Some((c, n)) = mark
                && (c == '~' || !trimmed[n..].contains('`'))
            {
                fence = Some((c, n));
            } else if is_atx_heading(trimmed) {
                break;
            }
        }
        offset += line.len();
        if !is_blank(line) {
            at = offset;
        }
    }
    if let Some((c, n)) = fence {
        return Err(EditError(format!(
            "the `## Tasks` section ends inside a code block opened by `{}` and never closed: close it, then try again",
            c.to_string().repeat(n)
        )));
    }
    let mut add = String::new();
    if body[..at].ends_with('\n') {
        add.push_str(item);
        add.push_str(eol);
        let next = body[at..].lines().next().unwrap_or("");
        if at == heading_end && !is_blank(next) && !is_list_item(next) {
            add.push_str(eol);
        }
    } else {
        // The last line has no line ending: keep the file without a final one.
        add.push_str(eol);
        add.push_str(item);
    }
    Ok(parts.splice(base + at..base + at, &add))
}

/// An ATX heading line (`#` to `######`, then a space or nothing), already trimmed at the start.
fn is_atx_heading(trimmed: &str) -> bool {
    let hashes = trimmed.chars().take_while(|&c| c == '#').count();
    (1..=6).contains(&hashes) && trimmed[hashes..].chars().next().is_none_or(|c| c == ' ' || c == '\t')
}

/// Tick the open task on 1-based file `line` as the Obsidian Tasks plugin does:
/// `- [ ] text` → `- [x] text ✅ DATE`. Only that line changes.
pub fn tick_task(text: &str, line: usize, date: Date) -> Result<String, EditError> {
    let parts = Parts::new(text);
    let block = parts.block()?;
    let index = crate::span::LineIndex::new(parts.text);
    let start = index.line_start(line);
    if line == 0 || line > index.line_count() || start < block.body.start {
        return Err(EditError(format!("line {line} is not in the file's body")));
    }
    let rest = &parts.text[start..];
    let end = start + rest.find('\n').map_or(rest.len(), |i| i + 1);
    let whole = &parts.text[start..end];
    let content = whole.trim_end_matches(['\r', '\n']);
    let ending = &whole[content.len()..];
    let box_at =
        open_box(content).ok_or_else(|| EditError(format!("line {line} is not an open task (`- [ ] ...`)")))?;
    let mut new_line = String::with_capacity(content.len() + 16);
    new_line.push_str(&content[..box_at]);
    new_line.push_str("[x]");
    new_line.push_str(content[box_at + 3..].trim_end());
    new_line.push_str(" ✅ ");
    new_line.push_str(&date.to_string());
    new_line.push_str(ending);
    Ok(parts.splice(start..end, &new_line))
}

/// The byte offset of `[ ]` on a list item line (`- [ ] `, `* [ ] `, `1. [ ] `, indented or not).
fn open_box(content: &str) -> Option<usize> {
    let trimmed = content.trim_start();
    let after_marker = if let Some(rest) = trimmed.strip_prefix(['-', '*', '+']) {
        rest
    } else {
        let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        trimmed[digits..].strip_prefix(['.', ')'])?
    };
    let spaces = after_marker.len() - after_marker.trim_start_matches([' ', '\t']).len();
    if spaces == 0 {
        return None;
    }
    let at = content.len() - after_marker.len() + spaces;
    content[at..].starts_with("[ ]").then_some(at)
}

/// Control characters other than tab: a NUL makes the file unreadable (SPEC §9 `not-utf8`), and
/// the others are invisible in an editor.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && c != '\t'
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") || t == "-"
}

/// The byte offset just after the `## TITLE` heading line of `body` (outside fenced code; the
/// title compared case-insensitively), or `None` when there is none. A body that ends inside a
/// fenced code block never closed is an error: a line appended there would be code.
fn section_heading_end(body: &str, title: &str) -> Result<Option<usize>, EditError> {
    let mut offset = 0;
    // The open fence's character and length (CommonMark: closed by at least as many).
    let mut fence: Option<(char, usize)> = None;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\r', '\n']);
        let trimmed = content.trim_start();
        let indent = content.len() - trimmed.len();
        offset += line.len();
        if indent < 4 {
            let mark = fence_mark(trimmed);
            if let Some((c, n)) = fence {
                if mark.is_some_and(|(m, len)| m == c && len >= n && trimmed[len..].trim().is_empty()) {
                    fence = None;
                }
                continue;
            }
            if let Some((c, n)) = mark
                && (c == '~' || !trimmed[n..].contains('`'))
            {
                fence = Some((c, n));
                continue;
            }
            if let Some(found) = trimmed.strip_prefix("## ") {
                let found = found.trim().trim_end_matches('#').trim_end();
                if found.eq_ignore_ascii_case(title) {
                    return Ok(Some(offset));
                }
            }
        }
    }
    match fence {
        Some((c, n)) => Err(EditError(format!(
            "the body ends inside a code block opened by `{}` and never closed: close it, then try again",
            c.to_string().repeat(n)
        ))),
        None => Ok(None),
    }
}

/// A run of at least three backticks or tildes starting `trimmed`: a code fence's mark.
fn fence_mark(trimmed: &str) -> Option<(char, usize)> {
    let c = trimmed.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = trimmed.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

/// A string as one line of YAML: plain when YAML reads it back as this same string, else
/// double-quoted with escapes. Plain values also stay safe inside flow lists (`[a, b]`).
pub fn yaml_scalar(value: &str) -> String {
    if is_plain_safe(value) {
        return value.to_string();
    }
    double_quoted(value)
}

/// A string as one double-quoted YAML scalar, with escapes (what [`yaml_scalar`] falls back to).
pub fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A flow list of strings: `[a, "b, c"]`. Items holding a quote are double-quoted too: some
/// YAML readers take a `'` inside a plain flow item for the start of a quoted string.
pub fn yaml_list<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items
        .iter()
        .map(|s| {
            let s = s.as_ref();
            if s.contains(['\'', '"']) {
                double_quoted(s)
            } else {
                yaml_scalar(s)
            }
        })
        .collect();
    format!("[{}]", inner.join(", "))
}

fn is_plain_safe(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    if value.trim() != value || value.chars().any(|c| c.is_control() || c == '\u{feff}') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`.+~".contains(first) || first.is_ascii_digit() {
        return false;
    }
    if value.contains(": ") || value.ends_with(':') || value.contains(" #") || value.contains([',', '[', ']', '{', '}'])
    {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "nan" | "inf"
    )
}

/// The lines that differ between two texts: what a command prints as its change, and what the
/// tests compare. Myers' diff (the `similar` crate) in linear space and O((N+M)·D) time, D the
/// number of changed lines: an edit changes a few lines, so a 20,000-line file costs about as
/// much as reading it twice (SPEC §9: nothing grows with the square of a file's length).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Removed(String),
    Added(String),
}

pub fn changed_lines(old: &str, new: &str) -> Vec<Change> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut out = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b) {
        let (tag, removed, added) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        out.extend(a[removed].iter().map(|l| Change::Removed((*l).to_string())));
        out.extend(b[added].iter().map(|l| Change::Added((*l).to_string())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::parse_file;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn contact(text: &str) -> crate::contact::Contact {
        let parsed = parse_file("Jane Doe.md", text.as_bytes(), &BTreeMap::new());
        parsed
            .contact
            .unwrap_or_else(|| panic!("not a contact: {:?}\n{text}", parsed.diagnostics))
    }

    #[test]
    fn set_key_replaces_value_and_keeps_comment_column() {
        let text = "---\nname: Jane\nfollow_up: 2026-12-01      # next\nlast: x\n---\nbody\n";
        let out = set_key(text, "follow_up", "2027-01-15").unwrap();
        assert_eq!(
            out,
            "---\nname: Jane\nfollow_up: 2027-01-15      # next\nlast: x\n---\nbody\n"
        );
        let out = set_key(text, "follow_up", "\"a much longer value than before\"").unwrap();
        assert!(out.contains("follow_up: \"a much longer value than before\"      # next\n"));
    }

    #[test]
    fn set_key_replaces_block_list_and_keeps_comment_after_key() {
        let text = "---\r\ntags: # mine\r\n  - a\r\n  - b\r\n# trailing\r\nname: J\r\n---\r\n";
        let out = set_key(text, "tags", "[x]").unwrap();
        assert_eq!(out, "---\r\ntags: [x] # mine\r\n# trailing\r\nname: J\r\n---\r\n");
    }

    #[test]
    fn set_key_inserts_before_closing_line_with_file_eol_and_bom() {
        let text = "\u{feff}---\r\nname: Jane\r\n...\r\n# Jane\r\n";
        let out = set_key(text, "follow_up", "2026-12-01").unwrap();
        assert_eq!(
            out,
            "\u{feff}---\r\nname: Jane\r\nfollow_up: 2026-12-01\r\n...\r\n# Jane\r\n"
        );
        assert_eq!(contact(&out).follow_up, Some(date(2026, 12, 1)));
    }

    #[test]
    fn set_key_keeps_mapped_and_alias_spelling() {
        let mut fields = BTreeMap::new();
        fields.insert("followUp".to_string(), "follow_up".to_string());
        let text = "---\nfollowUp: 2026-01-01\norg: A\n---\n";
        let out = set_key_mapped(text, "follow_up", "2026-02-02", &fields).unwrap();
        assert_eq!(out, "---\nfollowUp: 2026-02-02\norg: A\n---\n");
        let out = set_key(text, "organization", "B").unwrap();
        assert_eq!(out, "---\nfollowUp: 2026-01-01\norg: B\n---\n");
    }

    #[test]
    fn set_key_on_empty_value_and_quoted_comment() {
        let text = "---\ntitle:\nname: \"a # b\" # real\n---\n";
        assert_eq!(
            set_key(text, "title", "CTO").unwrap(),
            "---\ntitle: CTO\nname: \"a # b\" # real\n---\n"
        );
        assert_eq!(
            set_key(text, "name", "Jo").unwrap(),
            "---\ntitle:\nname: Jo      # real\n---\n"
        );
        let text = "---\nname: O'Brien # x\n---\n";
        assert_eq!(set_key(text, "name", "Al").unwrap(), "---\nname: Al      # x\n---\n");
    }

    #[test]
    fn set_key_rejects_multiline_and_missing_front_matter() {
        assert!(set_key("---\n---\n", "a", "x\ny").is_err());
        assert!(set_key("# no front matter\n", "a", "x").is_err());
        assert!(set_key("---\nname: a\n", "a", "x").is_err());
    }

    #[test]
    fn remove_key_removes_only_its_lines() {
        let text = "---\nname: J\nfollow_up: 2026-01-01 # c\n# about status\nstatus: active\n---\n";
        assert_eq!(
            remove_key(text, "follow_up").unwrap(),
            "---\nname: J\n# about status\nstatus: active\n---\n"
        );
        assert!(remove_key(text, "cadence").is_err());
    }

    #[test]
    fn log_entry_goes_first_under_the_heading() {
        let text = "---\nname: J\n---\n# J\n\n## Log\n\n- 2026-01-01: old\n\n## Tasks\n";
        let out = insert_log_entry(text, date(2026, 2, 2), "coffee #info").unwrap();
        assert_eq!(
            out,
            "---\nname: J\n---\n# J\n\n## Log\n\n- 2026-02-02: coffee #info\n- 2026-01-01: old\n\n## Tasks\n"
        );
        let c = contact(&out);
        assert_eq!(c.log.len(), 2);
    }

    #[test]
    fn log_entry_before_a_heading_gets_a_blank_line() {
        let text = "---\nname: J\n---\n## Log\n\n## Tasks\n";
        let out = insert_log_entry(text, date(2026, 2, 2), "m").unwrap();
        assert_eq!(out, "---\nname: J\n---\n## Log\n\n- 2026-02-02: m\n\n## Tasks\n");
    }

    #[test]
    fn log_heading_is_created_at_the_end() {
        let d = date(2026, 2, 2);
        assert_eq!(
            insert_log_entry("---\nname: J\n---\n# J\n", d, "m").unwrap(),
            "---\nname: J\n---\n# J\n\n## Log\n- 2026-02-02: m\n"
        );
        assert_eq!(
            insert_log_entry("---\r\nname: J\r\n---\r\n# J", d, "m").unwrap(),
            "---\r\nname: J\r\n---\r\n# J\r\n\r\n## Log\r\n- 2026-02-02: m"
        );
        assert_eq!(
            insert_log_entry("---\nname: J\n---\n", d, "m").unwrap(),
            "---\nname: J\n---\n\n## Log\n- 2026-02-02: m\n"
        );
        assert_eq!(
            insert_log_entry("---\nname: J\n---\ntext\n\n", d, "m").unwrap(),
            "---\nname: J\n---\ntext\n\n## Log\n- 2026-02-02: m\n"
        );
        // A `## Log` inside a code block does not count.
        let out = insert_log_entry("---\nname: J\n---\n```\n## Log\n```\n", d, "m").unwrap();
        assert!(out.ends_with("```\n\n## Log\n- 2026-02-02: m\n"), "{out}");
    }

    #[test]
    fn log_message_must_be_one_nonempty_line() {
        let d = date(2026, 2, 2);
        assert!(insert_log_entry("---\n---\n", d, "  ").is_err());
        assert!(insert_log_entry("---\n---\n", d, "a\nb").is_err());
        assert!(insert_log_entry("---\n---\n", d, "tab\tok").is_ok());
    }

    /// Found by the `edit` fuzz target: an entry appended to a body that ends in an unclosed
    /// code block was code, not a log entry.
    #[test]
    fn log_entry_is_refused_inside_an_unclosed_html_block() {
        let date = Date::new(2026, 11, 27).unwrap();
        let err = insert_log_entry("---\nname: A\n---\n<!--\n", date, "m").unwrap_err();
        assert!(err.0.contains("open Markdown block"), "{err}");
        // Closed, the same file takes the entry.
        let ok = insert_log_entry("---\nname: A\n---\n<!-- x -->\n", date, "m").unwrap();
        assert!(ok.ends_with("## Log\n- 2026-11-27: m\n"), "{ok:?}");
    }

    #[test]
    fn log_entry_is_refused_inside_an_unclosed_code_block() {
        let d = date(2026, 2, 2);
        let err = insert_log_entry("---\nname: J\n---\n```text\n\n## Log\n", d, "m").unwrap_err();
        assert!(err.0.contains("never closed"), "{err}");
        // A longer fence is not closed by a shorter one; a closed one is fine.
        assert!(insert_log_entry("---\n---\n````\n```\n", d, "m").is_err());
        let out = insert_log_entry("---\n---\n~~~~\n## Log\n~~~~~\n## Log\n", d, "m").unwrap();
        assert_eq!(out, "---\n---\n~~~~\n## Log\n~~~~~\n## Log\n- 2026-02-02: m\n");
    }

    /// Found by the `edit` fuzz target: `null: x` is a null key, not the key `null`.
    #[test]
    fn set_key_quotes_a_new_key_yaml_would_read_as_something_else() {
        let out = set_key("---\nname: J\n---\n", "null", "x").unwrap();
        assert_eq!(out, "---\nname: J\n\"null\": x\n---\n");
        assert_eq!(set_key(&out, "null", "y").unwrap(), "---\nname: J\n\"null\": y\n---\n");
        assert_eq!(
            set_key("---\n---\n", "follow_up", "2026-01-01").unwrap(),
            "---\nfollow_up: 2026-01-01\n---\n"
        );
    }

    /// Found by the `edit` fuzz target: a NUL in the message made the file unreadable.
    #[test]
    fn control_characters_are_refused() {
        let d = date(2026, 2, 2);
        let text = "---\nname: \"\"\n---\n";
        assert!(insert_log_entry(text, d, "\0\u{7}he fair #info").is_err());
        assert!(set_key(text, "note", "a\0b").is_err());
        assert!(set_key(text, "note", &yaml_scalar("a\0b")).is_ok());
    }

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(yaml_scalar("Jane Doe"), "Jane Doe");
        assert_eq!(yaml_scalar("O'Brien"), "O'Brien");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("[[John]]"), "\"[[John]]\"");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("2026-01-01"), "\"2026-01-01\"");
        assert_eq!(yaml_scalar("say \"hi\"\\"), "say \"hi\"\\");
        assert_eq!(yaml_scalar("#tag"), "\"#tag\"");
        assert_eq!(yaml_scalar("a\tb\u{1}"), "\"a\\tb\\u0001\"");
        assert_eq!(yaml_list(&["a", "b, c"]), "[a, \"b, c\"]");
    }

    #[test]
    fn changed_lines_are_the_diff() {
        let changes = changed_lines("a\nb\nc\n", "a\nx\nc\nd\n");
        assert_eq!(
            changes,
            [
                Change::Removed("b".into()),
                Change::Added("x".into()),
                Change::Added("d".into())
            ]
        );
    }

    #[test]
    fn task_goes_last_in_the_tasks_section() {
        let d = Some(date(2026, 12, 1));
        // (file, task, due, expected)
        let cases: &[(&str, &str, Option<Date>, &str)] = &[
            (
                "---\nname: J\n---\n## Log\n\n## Tasks\n- [ ] one\n\n## Notes\nx\n",
                "two",
                d,
                "---\nname: J\n---\n## Log\n\n## Tasks\n- [ ] one\n- [ ] two 📅 2026-12-01\n\n## Notes\nx\n",
            ),
            (
                "---\nname: J\n---\n## Tasks\n",
                "call",
                None,
                "---\nname: J\n---\n## Tasks\n- [ ] call\n",
            ),
            (
                "---\nname: J\n---\n## Tasks\n## Next\n",
                "call",
                None,
                "---\nname: J\n---\n## Tasks\n- [ ] call\n\n## Next\n",
            ),
            (
                "---\nname: J\n---\n## Tasks\n- [x] done\n```\n## not a heading\n```\n",
                "b",
                None,
                "---\nname: J\n---\n## Tasks\n- [x] done\n```\n## not a heading\n```\n- [ ] b\n",
            ),
            (
                "---\r\nname: J\r\n---\r\n## Tasks\r\n- [ ] a",
                "b",
                d,
                "---\r\nname: J\r\n---\r\n## Tasks\r\n- [ ] a\r\n- [ ] b 📅 2026-12-01",
            ),
            (
                "---\nname: J\n---\n# J\n",
                "b",
                None,
                "---\nname: J\n---\n# J\n\n## Tasks\n- [ ] b\n",
            ),
            (
                "\u{feff}---\nname: J\n---\n",
                "  b  ",
                None,
                "\u{feff}---\nname: J\n---\n\n## Tasks\n- [ ] b\n",
            ),
            (
                "---\nname: J\n---\n## tasks ##\n\n- [ ] a\n   continued\n\n\n#### sub\n",
                "b",
                None,
                "---\nname: J\n---\n## tasks ##\n\n- [ ] a\n   continued\n- [ ] b\n\n\n#### sub\n",
            ),
        ];
        for (text, task, due, expected) in cases {
            let out = insert_task(text, task, *due).unwrap();
            assert_eq!(&out, expected, "from {text:?}");
            let added = contact(&out)
                .tasks
                .into_iter()
                .find(|t| t.text.starts_with(task.trim()));
            assert_eq!(added.map(|t| (t.done, t.due)), Some((false, *due)), "{out}");
        }
    }

    #[test]
    fn task_refuses_what_would_not_read_back() {
        for (text, task) in [
            ("---\nname: J\n---\n", ""),
            ("---\nname: J\n---\n", "a\nb"),
            ("---\nname: J\n---\n", "a\u{0}b"),
            ("---\nname: J\n---\n## Tasks\n```\nopen fence\n", "x"),
            ("---\nname: J\n---\n## Tasks\n<!-- open comment\n", "x"),
            ("no front matter\n", "x"),
        ] {
            assert!(insert_task(text, task, None).is_err(), "{text:?} {task:?}");
        }
    }

    #[test]
    fn tick_changes_only_the_task_line() {
        let d = date(2026, 11, 27);
        let text = "\u{feff}---\r\nname: J\r\n---\r\n## Tasks\r\n- [ ] send note 📅 2026-11-20  \r\n  * [ ] nested\r\n3. [ ] numbered\r\n- [x] old\r\n";
        let out = tick_task(text, 5, d).unwrap();
        assert_eq!(
            out,
            text.replace(
                "- [ ] send note 📅 2026-11-20  \r\n",
                "- [x] send note 📅 2026-11-20 ✅ 2026-11-27\r\n"
            )
        );
        let out = tick_task(&out, 6, d).unwrap();
        assert!(out.contains("\r\n  * [x] nested ✅ 2026-11-27\r\n"), "{out}");
        let out = tick_task(&out, 7, d).unwrap();
        assert!(out.contains("\r\n3. [x] numbered ✅ 2026-11-27\r\n"), "{out}");
        assert!(contact(&out).tasks.iter().take(3).all(|t| t.done));
        for line in [0, 1, 2, 3, 4, 8, 99] {
            assert!(tick_task(text, line, d).is_err(), "line {line}");
        }
        assert_eq!(
            tick_task("---\n---\n- [ ] last", 3, d).unwrap(),
            "---\n---\n- [x] last ✅ 2026-11-27"
        );
    }

    // ---- property tests ----

    /// One generated top-level entry: its key and its lines (without line endings).
    #[derive(Debug, Clone)]
    struct Entry {
        key: String,
        lines: Vec<String>,
    }

    fn value_strategy() -> impl Strategy<Value = Vec<String>> {
        prop_oneof![
            Just(vec!["plain value".to_string()]),
            Just(vec!["\"double # quoted\"".to_string()]),
            Just(vec!["'single ''quoted'''".to_string()]),
            Just(vec!["[a, \"b, c\"]".to_string()]),
            Just(vec![String::new()]),
            Just(vec!["2026-03-04".to_string()]),
            Just(vec![String::new(), "  - x".to_string(), "  - y # c".to_string()]),
            Just(vec![String::new(), "- col0".to_string()]),
            Just(vec![
                "|".to_string(),
                "  line one".to_string(),
                "  line two".to_string()
            ]),
        ]
    }

    fn entry_strategy(key: &'static str) -> impl Strategy<Value = Entry> {
        (
            value_strategy(),
            any::<bool>(),
            prop_oneof![Just(" "), Just("   "), Just("\t")],
        )
            .prop_map(move |(mut lines, comment, gap)| {
                let first = if lines[0].is_empty() {
                    format!("{key}:")
                } else {
                    format!("{key}:{gap}{}", lines[0])
                };
                let first = if comment && !lines[0].starts_with('|') {
                    format!("{first}  # note on {key}")
                } else {
                    first
                };
                lines[0] = first;
                Entry {
                    key: key.to_string(),
                    lines,
                }
            })
    }

    const KEYS: &[&str] = &[
        "name",
        "org",
        "follow_up",
        "last_contact",
        "tags",
        "custom_key",
        "notes",
    ];

    /// A whole file: BOM, line ending, entries with comment and blank lines between them, body.
    fn file_strategy() -> impl Strategy<Value = (String, Vec<String>)> {
        let entries = proptest::sample::subsequence(KEYS.to_vec(), 0..=KEYS.len())
            .prop_shuffle()
            .prop_flat_map(|keys| keys.into_iter().map(entry_strategy).collect::<Vec<_>>());
        let fillers = proptest::collection::vec(
            prop_oneof![
                Just(None),
                Just(Some(String::new())),
                Just(Some("# a comment".to_string()))
            ],
            KEYS.len() + 1,
        );
        let bodies = prop_oneof![
            Just(String::new()),
            Just("# Jane\n".to_string()),
            Just("# Jane\n\n## Log\n- 2025-01-01: old\n\n## Tasks\n- [ ] x\n".to_string()),
            Just("# Jane\n\n## Log\n\n### 2025-02-01 Call\ntext\n".to_string()),
            Just("intro\n\n## Log".to_string()),
            Just("no newline at end".to_string()),
        ];
        (entries, fillers, any::<bool>(), any::<bool>(), bodies, any::<bool>()).prop_map(
            |(entries, fillers, bom, crlf, body, closing_dots)| {
                let eol = if crlf { "\r\n" } else { "\n" };
                let mut lines = vec!["---".to_string()];
                for (i, entry) in entries.iter().enumerate() {
                    if let Some(Some(filler)) = fillers.get(i) {
                        lines.push(filler.clone());
                    }
                    lines.extend(entry.lines.iter().cloned());
                }
                lines.push(if closing_dots { "..." } else { "---" }.to_string());
                let mut text = String::new();
                if bom {
                    text.push('\u{feff}');
                }
                for line in &lines {
                    text.push_str(line);
                    text.push_str(eol);
                }
                text.push_str(&body.replace('\n', eol));
                (text, entries.into_iter().map(|e| e.key).collect())
            },
        )
    }

    /// Lines with their endings, BOM kept on the first.
    fn lines(text: &str) -> Vec<&str> {
        text.split_inclusive('\n').collect()
    }

    fn key_range(text: &str, key: &str) -> Option<(usize, usize)> {
        let (_, rest) = frontmatter::strip_bom(text);
        let Split::Block(block) = frontmatter::split(rest) else {
            return None;
        };
        let keys = frontmatter::scan_keys(rest, &block);
        let layout = find_key(&keys, key, &BTreeMap::new())?;
        let first = layout.line - 1;
        let count = rest[layout.bytes.clone()].split_inclusive('\n').count();
        Some((first, first + count))
    }

    fn close_index(text: &str) -> usize {
        let (_, rest) = frontmatter::strip_bom(text);
        match frontmatter::split(rest) {
            Split::Block(block) => block.close_line - 1,
            _ => panic!("no block"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn set_key_changes_only_that_key((text, _keys) in file_strategy(), day in 1i8..=28) {
            let value = format!("2027-02-{day:02}");
            let out = set_key(&text, "follow_up", &value).unwrap();
            let eol = line_ending(frontmatter::strip_bom(&text).1);
            let (old, new) = (lines(&text), lines(&out));
            if let Some((a, b)) = key_range(&text, "follow_up") {
                prop_assert_eq!(&old[..a], &new[..a]);
                prop_assert_eq!(&old[b..], &new[a + 1..]);
                let key_first = new[a].starts_with("follow_up:");
                prop_assert!(key_first, "{}", new[a]);
                prop_assert!(new[a].ends_with(eol));
                prop_assert_eq!(old[a].contains("# note"), new[a].contains("# note"));
            } else {
                let c = close_index(&text);
                prop_assert_eq!(&old[..c], &new[..c]);
                prop_assert_eq!(new[c].to_string(), format!("follow_up: {value}{eol}"));
                prop_assert_eq!(&old[c..], &new[c + 1..]);
            }
            prop_assert_eq!(contact(&out).follow_up, crate::date::parse_date(&value));
        }

        #[test]
        fn set_key_quotes_strings_that_need_it((text, _keys) in file_strategy(), value in "[ -~é]{1,20}") {
            prop_assume!(!value.trim().is_empty());
            let out = set_key(&text, "organization", &yaml_scalar(&value)).unwrap();
            // The contact trims its strings; YAML itself reads back the exact string.
            prop_assert_eq!(contact(&out).organization, Some(value.trim().to_string()));
        }

        #[test]
        fn yaml_scalar_and_list_read_back_exactly(value in "\\PC{0,12}", other in "[ -~]{0,8}") {
            let doc = format!("a: {}\nb: {}\n", yaml_scalar(&value), yaml_list(&[&value, &other]));
            let root = crate::yaml::parse(&doc).map_err(|e| TestCaseError::fail(format!("{e:?}: {doc}")))?;
            let crate::yaml::Value::Map(entries) = root.value else { panic!("{doc}") };
            prop_assert_eq!(&entries[0].1.value, &crate::yaml::Value::Str(value.clone()));
            let crate::yaml::Value::Seq(items) = &entries[1].1.value else { panic!("{doc}") };
            prop_assert_eq!(&items[0].value, &crate::yaml::Value::Str(value.clone()));
            prop_assert_eq!(&items[1].value, &crate::yaml::Value::Str(other.clone()));
        }

        #[test]
        fn remove_key_removes_only_that_key((text, keys) in file_strategy()) {
            prop_assume!(keys.iter().any(|k| k == "follow_up"));
            let out = remove_key(&text, "follow_up").unwrap();
            let (a, b) = key_range(&text, "follow_up").unwrap();
            let (old, new) = (lines(&text), lines(&out));
            prop_assert_eq!(&old[..a], &new[..a]);
            prop_assert_eq!(&old[b..], &new[a..]);
            prop_assert_eq!(contact(&out).follow_up, None);
        }

        #[test]
        fn task_adds_only_its_lines((text, _keys) in file_strategy(), task in "[a-z][a-z ]{0,20}[a-z]", due in proptest::option::of(1i8..=28)) {
            let due = due.map(|d| date(2027, 1, d));
            let out = insert_task(&text, &task, due).unwrap();
            prop_assert_eq!(text.ends_with('\n'), out.ends_with('\n'));
            let item = match due {
                Some(d) => format!("- [ ] {task} 📅 {d}"),
                None => format!("- [ ] {task}"),
            };
            let changes = changed_lines(&text, &out);
            let only_expected = changes.iter().all(|c| match c {
                Change::Added(l) => l == &item || l == "## Tasks" || l.is_empty(),
                Change::Removed(_) => false,
            });
            prop_assert!(only_expected, "{:?}", changes);
            prop_assert!(changes.contains(&Change::Added(item.clone())));
            let before = contact(&text);
            let after = contact(&out);
            prop_assert_eq!(after.tasks.len(), before.tasks.len() + 1);
            prop_assert!(after.tasks.iter().any(|t| t.text == item[6..] && t.due == due && !t.done));
            prop_assert_eq!(after.log, before.log);
            // Ticking it back changes that one line.
            let line = after.tasks.iter().find(|t| t.text == item[6..]).unwrap().line;
            let ticked = tick_task(&out, line, date(2027, 2, 1)).unwrap();
            let changes = changed_lines(&out, &ticked);
            prop_assert_eq!(changes.len(), 2, "{:?}", changes);
            prop_assert!(contact(&ticked).tasks.iter().any(|t| t.line == line && t.done));
        }

        #[test]
        fn log_entry_adds_only_its_lines((text, _keys) in file_strategy(), msg in "[a-z][a-z ]{0,20}[a-z]") {
            let d = date(2026, 11, 27);
            let out = insert_log_entry(&text, d, &msg).unwrap();
            let eol = line_ending(frontmatter::strip_bom(&text).1);
            prop_assert_eq!(text.ends_with('\n'), out.ends_with('\n'));
            let entry = format!("- 2026-11-27: {msg}");
            // Removing the added lines (the entry, `## Log`, blank lines) gives the old lines back.
            let old: Vec<&str> = text.lines().collect();
            let new: Vec<&str> = out.lines().collect();
            let changes = changed_lines(&text, &out);
            prop_assert!(changes.iter().all(|c| matches!(c, Change::Added(_))), "{:?}", changes);
            prop_assert!(changes.contains(&Change::Added(entry.clone())));
            let only_expected = changes.iter().all(|c| match c {
                Change::Added(l) => l == &entry || l == "## Log" || l.is_empty(),
                Change::Removed(_) => false,
            });
            prop_assert!(only_expected, "{:?}", changes);
            prop_assert_eq!(new.len(), old.len() + changes.len());
            // Every line ending in the new text is the file's.
            if eol == "\r\n" {
                prop_assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
            } else {
                prop_assert!(!out.contains('\r'));
            }
            let c = contact(&out);
            prop_assert!(c.log.iter().any(|e| e.date == d && e.text == msg), "{:?}", c.log);
        }
    }
}
