//! A contact: one Markdown file read into typed fields, custom fields, log, tasks and links.
//!
//! [`parse_file`] is pure (bytes in, [`Parsed`] out) and never stops at the first problem: each
//! problem becomes a [`Diagnostic`] and the rest of the file is still read. Problems that need
//! the whole vault or today's date (broken links, duplicates, future entries) are `validate`'s.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::body::{self, LogEntry, Task};
use crate::cadence::Cadence;
use crate::date::{Birthday, parse_date};
use crate::diagnostic::{Code, Diagnostic};
use crate::frontmatter::{self, Split};
use crate::span::{LineIndex, Source};
use crate::yaml::{self, Node, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Active,
    Dormant,
    Archived,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Dormant => "dormant",
            Status::Archived => "archived",
        }
    }
}

/// A `links` entry: `label: url` from a map, or a bare URL from a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub label: Option<String>,
    pub url: String,
}

/// A person's structured name, as a vCard's `N` gives it (SPEC §8): written by `import vcard`
/// as `name_parts: {family: Doe, given: John, additional: Richter, prefix: Mr., suffix: Sr.}`
/// (absent parts left out; a part with several values, `additional: [Richter, James]`, is a
/// list) and read back by `export vcard`, which never guesses `N` from the name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NameParts {
    pub family: Vec<String>,
    pub given: Vec<String>,
    pub additional: Vec<String>,
    pub prefix: Vec<String>,
    pub suffix: Vec<String>,
}

impl NameParts {
    /// The parts' keys, in vCard `N` order.
    pub const KEYS: [&'static str; 5] = ["family", "given", "additional", "prefix", "suffix"];

    /// The parts in vCard `N` order.
    pub fn in_order(&self) -> [&Vec<String>; 5] {
        [&self.family, &self.given, &self.additional, &self.prefix, &self.suffix]
    }

    fn part_mut(&mut self, key: &str) -> Option<&mut Vec<String>> {
        match key {
            "family" => Some(&mut self.family),
            "given" => Some(&mut self.given),
            "additional" => Some(&mut self.additional),
            "prefix" => Some(&mut self.prefix),
            "suffix" => Some(&mut self.suffix),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.in_order().iter().all(|p| p.is_empty())
    }
}

/// A 1-based file position of a field's value, kept for vault-wide diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// Relative to the vault root, `/`-separated.
    pub path: String,
    /// The file name without `.md`: the contact's identity.
    pub stem: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub location: Option<String>,
    /// Front-matter tags then body hashtags, without `#`, deduplicated case-insensitively.
    pub tags: Vec<String>,
    pub circles: Vec<String>,
    pub met: Option<Date>,
    pub met_at: Option<String>,
    /// Names of the introducers (wikilink targets or plain names).
    pub introduced_by: Vec<String>,
    pub links: Vec<Link>,
    /// The structured name from a vCard (`name_parts`); not kept in the index.
    #[serde(skip)]
    pub name_parts: Option<NameParts>,
    pub cadence: Option<Cadence>,
    pub follow_up: Option<Date>,
    pub last_contact: Option<Date>,
    pub birthday: Option<Birthday>,
    pub status: Status,
    /// No reminder before this day (SPEC §3.3).
    pub snooze_until: Option<Date>,
    /// When you connected online (`LinkedIn`'s "Connected On"): not a meeting, not a contact.
    pub connected: Option<Date>,
    pub can_help_with: Vec<String>,
    pub interests: Vec<String>,
    /// The user's own keys, in file order, each value flattened to text.
    pub custom: Vec<(String, Vec<String>)>,
    pub log: Vec<LogEntry>,
    pub tasks: Vec<Task>,
    /// `[[wikilinks]]` in the body.
    pub wikilinks: Vec<String>,
    /// Set only for a file whose front matter could not be read: the line of its first error.
    /// Such a file is kept findable by its stem and body (SPEC §9) but is no contact for reports.
    pub front_matter_error: Option<usize>,
    /// The file line of each wikilink (parallel to `wikilinks`; not kept in the index).
    #[serde(skip)]
    pub wikilink_lines: Vec<usize>,
    /// The Markdown body (after the front matter), for search.
    #[serde(skip)]
    pub body: String,
    /// Where each known field's value starts (canonical field name → position).
    #[serde(skip)]
    pub positions: BTreeMap<&'static str, Pos>,
}

/// What reading one file produced.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Vault-relative, `/`-separated.
    pub path: String,
    /// `None` when the file is not a contact (no front matter) or its front matter is unreadable.
    pub contact: Option<Contact>,
    pub diagnostics: Vec<Diagnostic>,
    /// The text this was parsed from, which the diagnostics' ranges point into: a renderer
    /// draws from it and never reads the file again.
    pub source: Source,
}

/// Known fields: canonical name and the accepted alternative keys (SPEC §3.1).
pub const FIELDS: &[(&str, &[&str])] = &[
    ("name", &[]),
    ("aliases", &[]),
    ("emails", &["email"]),
    ("phones", &["phone"]),
    ("organization", &["org", "company"]),
    ("title", &["role", "position"]),
    ("location", &[]),
    ("tags", &[]),
    ("circles", &["circle"]),
    ("met", &[]),
    ("met_at", &[]),
    ("introduced_by", &[]),
    ("links", &[]),
    ("name_parts", &[]),
    ("cadence", &[]),
    ("follow_up", &[]),
    ("last_contact", &[]),
    ("birthday", &[]),
    ("status", &[]),
    ("snooze_until", &[]),
    ("connected", &[]),
    ("can_help_with", &[]),
    ("interests", &[]),
];

/// The canonical field for a key: a field or an alias, case ignored (SPEC v2 §3.1: `ORG`,
/// `Email`, `Title` as other tools write them).
pub fn canonical_field(key: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|(name, aliases)| name.eq_ignore_ascii_case(key) || aliases.iter().any(|a| a.eq_ignore_ascii_case(key)))
        .map(|(name, _)| *name)
}

/// Whether a field holds one value (a second key for it is a `duplicate-field`), not a list
/// that every key for it adds to.
fn single_valued(field: &str) -> bool {
    !matches!(
        field,
        "aliases"
            | "emails"
            | "phones"
            | "tags"
            | "circles"
            | "introduced_by"
            | "links"
            | "can_help_with"
            | "interests"
    )
}

/// Suffixes that turn a field into another tool's name for it: `met_date` is `met`.
const FIELD_SUFFIXES: [&str; 5] = ["date", "day", "on", "time", "when"];

/// Whether another tool owns the key: written in capitals (`PHOTO`, `UID`), or namespaced with
/// `.` or `[]` (`N.GN`, `EMAIL[HOME]`, as the Obsidian vCard-contacts plugin writes them).
fn foreign_key(key: &str) -> bool {
    key.contains(['.', '[', ']']) || (key.chars().any(char::is_uppercase) && !key.chars().any(char::is_lowercase))
}

/// The known field a key most likely misspells (SPEC v2 §3.1): the field plus a suffix
/// (`met_date` → `met`), else the closest field or alias within edit distance 1 for keys of up
/// to five letters and 2 for longer ones (a swap of two neighbours is one edit), case ignored.
/// Keys other tools own never match.
pub fn typo_suggestion(key: &str) -> Option<&'static str> {
    if foreign_key(key) {
        return None;
    }
    let lower = key.to_lowercase();
    let names = || {
        FIELDS
            .iter()
            .flat_map(|(name, aliases)| std::iter::once(name).chain(aliases.iter()))
    };
    let suffixed = names().find(|k| {
        lower
            .strip_prefix(**k)
            .and_then(|rest| rest.strip_prefix(['_', '-', ' ']))
            .is_some_and(|suffix| FIELD_SUFFIXES.contains(&suffix))
    });
    if let Some(k) = suffixed {
        return canonical_field(k);
    }
    let limit = if lower.chars().count() <= 5 { 1 } else { 2 };
    names()
        .map(|k| (strsim::osa_distance(&lower, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Read one file. `path` is vault-relative; `fields` maps foreign key names onto known fields.
pub fn parse_file(path: &str, bytes: &[u8], fields: &BTreeMap<String, String>) -> Parsed {
    parse(path, bytes, fields, true)
}

/// Read only a file's front matter: the contact has no body, log, tasks, wikilinks or body
/// hashtags (for matching imports against 100,000 files, where the body is never looked at).
pub fn parse_front_matter(path: &str, bytes: &[u8], fields: &BTreeMap<String, String>) -> Parsed {
    parse(path, bytes, fields, false)
}

fn parse(path: &str, bytes: &[u8], fields: &BTreeMap<String, String>, with_body: bool) -> Parsed {
    let mut parsed = Parsed::default();
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(diagnostic) => {
            parsed.diagnostics.push(diagnostic);
            let lossy = String::from_utf8_lossy(bytes);
            parsed.source = Source::new(frontmatter::strip_bom(&lossy).1);
            return finish(parsed, path);
        }
    };
    let (_, text) = frontmatter::strip_bom(text);
    parsed.source = Source::new(text);
    let source = parsed.source.clone();
    let conflicts = conflict_markers(&source);

    let block = match frontmatter::split(text) {
        Split::NoFrontMatter => {
            parsed.diagnostics.extend(conflicts);
            parsed.diagnostics.push(Diagnostic::new(
                Code::NoFrontMatter,
                1,
                1,
                "this file has no front matter, so it is not a contact",
                "start the file with a `---` line, `name: ...`, and another `---` line; or exclude it in .netvault/config.toml",
            ));
            return finish(parsed, path);
        }
        Split::Unterminated => {
            parsed.diagnostics.extend(conflicts);
            parsed.diagnostics.push(Diagnostic::spanning(
                Code::FrontMatterUnterminated,
                &source,
                (1, 1),
                3,
                "the front matter opened here is never closed",
                "add a line `---` after the last `key: value` line",
            ));
            return finish(parsed, path);
        }
        Split::Block(block) => block,
    };

    // Conflict markers inside the front matter make its YAML meaningless: report only them.
    let in_front_matter = conflicts.iter().any(|d| d.line < block.close_line);
    parsed.diagnostics.extend(conflicts);
    if in_front_matter {
        return finish(parsed, path);
    }

    let line_offset = block.yaml_first_line - 1;
    let entries = match mapping_entries(&source, block.yaml.clone(), line_offset) {
        Ok(entries) => entries,
        Err(diagnostic) => {
            parsed.diagnostics.push(diagnostic);
            return finish(parsed, path);
        }
    };

    let body_text = if with_body { &text[block.body.clone()] } else { "" };
    let body_start = block.body.start;
    let body = body::parse(body_text, |offset| source.lines().line(body_start + offset));

    let stem = stem_of(path);
    let mut contact = Contact {
        path: path.to_string(),
        name: stem.clone(),
        stem,
        body: body_text.to_string(),
        log: body.log,
        tasks: body.tasks,
        wikilinks: body.wikilinks,
        wikilink_lines: body.wikilink_lines,
        ..Contact::default()
    };
    let mut reader = FieldReader {
        source: &source,
        line_offset,
        diagnostics: &mut parsed.diagnostics,
    };
    let mut body_tags = body.hashtags;
    reader.read_entries(&mut contact, entries, fields);
    contact.tags.append(&mut body_tags);
    dedup_case_insensitive(&mut contact.tags);
    parsed.contact = Some(contact);
    finish(parsed, path)
}

/// Parse the YAML (the bytes `yaml` of `source`) and require a mapping; positions in the
/// diagnostic are file positions.
fn mapping_entries(
    source: &Source,
    yaml: std::ops::Range<usize>,
    line_offset: usize,
) -> Result<Vec<(Node, Node)>, Diagnostic> {
    let root = yaml::parse(&source.text()[yaml]).map_err(|err| {
        let hint = yaml_hint(&err.message);
        Diagnostic::spanning(
            Code::YamlSyntax,
            source,
            (err.pos.line + line_offset, err.pos.column),
            1,
            err.message,
            hint,
        )
    })?;
    match root.value {
        Value::Map(entries) => Ok(entries),
        other => Err(Diagnostic::spanning(
            Code::NotAMapping,
            source,
            (root.pos.line + line_offset, root.pos.column),
            1,
            format!(
                "the front matter is {}, not a mapping of `key: value` lines",
                other.kind()
            ),
            "write the fields as `name: Jane Doe` lines",
        )),
    }
}

/// Advice for the common YAML mistakes in hand-written front matter.
fn yaml_hint(message: &str) -> &'static str {
    if message.contains("duplicate") {
        "each key may appear once: remove or rename the repeated key"
    } else if message.contains("tab") {
        "indent with spaces; YAML does not allow tabs for indentation"
    } else if message.contains("expands too far") {
        "remove the anchors and aliases (`&name`, `*name`) or the deep nesting; contact fields never need them"
    } else {
        "check quoting and indentation here: quote values that contain `: ` or ` #`, or start with `[ { * & ! | > @ %` or a backquote"
    }
}

fn finish(mut parsed: Parsed, path: &str) -> Parsed {
    parsed.path = path.to_string();
    for d in &mut parsed.diagnostics {
        d.path = path.to_string();
    }
    parsed.diagnostics.sort_by_key(|d| (d.line, d.column));
    parsed
}

/// The file stem of a vault-relative path.
pub fn stem_of(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".md")
        .or_else(|| file.strip_suffix(".MD"))
        .unwrap_or(file)
        .to_string()
}

fn decode(bytes: &[u8]) -> Result<&str, Diagnostic> {
    let problem = match std::str::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            None => return Ok(text),
            Some(at) => format!("a NUL byte at line {}", LineIndex::new(text).line(at)),
        },
        Err(e) => {
            let at = e.valid_up_to();
            format!(
                "byte 0x{:02X} at line {} is not UTF-8",
                bytes[at],
                LineIndex::of_bytes(bytes).line(at)
            )
        }
    };
    Err(Diagnostic::new(
        Code::NotUtf8,
        1,
        1,
        format!("this file is not UTF-8 text: {problem}"),
        "re-save the file as UTF-8 (most editors have an encoding menu); netvault never guesses an encoding",
    ))
}

/// Git merge conflict markers: each `<<<<<<<` line, and a `>>>>>>>` with no opener.
fn conflict_markers(source: &Source) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut open = false;
    let lines = source.lines();
    for n in 1..=lines.line_count() {
        let range = lines.line_range(source.text(), n);
        let line = &source.text()[range.clone()];
        let is = |m: &str| {
            line.strip_prefix(m)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        };
        let marker = range.start..range.start + 7;
        if is("<<<<<<<") {
            open = true;
            found.push(Diagnostic::at(
                Code::ConflictMarker,
                source,
                marker,
                "an unresolved git merge conflict starts here",
                "keep the version you want between the `<<<<<<<`, `=======` and `>>>>>>>` lines, then delete the three marker lines",
            ));
        } else if is(">>>>>>>") && !std::mem::take(&mut open) {
            found.push(Diagnostic::at(
                Code::ConflictMarker,
                source,
                marker,
                "a git merge conflict marker is left here",
                "delete the marker line after resolving the conflict",
            ));
        }
    }
    found
}

fn dedup_case_insensitive(list: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|v| seen.insert(v.to_lowercase()));
}

/// A value's scalars as text, depth first (custom fields are searchable as text).
fn flatten(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Seq(items) => stack.extend(items.iter().rev().map(|n| &n.value)),
            Value::Map(entries) => stack.extend(entries.iter().rev().map(|(_, n)| &n.value)),
            other => out.extend(other.scalar_text()),
        }
    }
    out
}

/// Reads known fields into a contact, reporting values of the wrong shape.
struct FieldReader<'a> {
    source: &'a Source,
    line_offset: usize,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl FieldReader<'_> {
    /// Read every top-level entry: known fields into their slots, the rest as custom fields. A
    /// second key for a single-valued field (`org` after `organization`, `ORG` after `org`) is
    /// a `duplicate-field` warning and the first one wins.
    fn read_entries(&mut self, contact: &mut Contact, entries: Vec<(Node, Node)>, fields: &BTreeMap<String, String>) {
        let mut seen: BTreeMap<&'static str, String> = BTreeMap::new();
        for (key, value) in entries {
            let key_text = key.value.scalar_text().unwrap_or_default();
            let mapped = fields.get(&key_text).map_or(key_text.as_str(), String::as_str);
            if let Some(field) = canonical_field(mapped) {
                if single_valued(field)
                    && let Some(first) = seen.get(field)
                {
                    let pos = self.pos(&key);
                    self.diagnostics.push(Diagnostic::spanning(
                        Code::DuplicateField,
                        self.source,
                        (pos.line, pos.column),
                        key_text.chars().count(),
                        format!("`{key_text}` is `{field}` again: `{first}` above already gives it, and wins"),
                        format!("keep one of `{first}` and `{key_text}`; this value is ignored"),
                    ));
                    continue;
                }
                seen.insert(field, key_text.clone());
                contact.positions.insert(field, self.pos(&value));
                self.apply(contact, field, &value);
            } else {
                if let Some(suggestion) = typo_suggestion(&key_text) {
                    let pos = self.pos(&key);
                    self.diagnostics.push(Diagnostic::spanning(
                        Code::UnknownFieldTypo,
                        self.source,
                        (pos.line, pos.column),
                        key_text.chars().count(),
                        format!("`{key_text}` is not a known field; did you mean `{suggestion}`?"),
                        format!("rename it to `{suggestion}`, or keep it as your own field (it is kept and searchable as `{key_text}:`)"),
                    ));
                }
                contact.custom.push((key_text, flatten(&value.value)));
            }
        }
    }

    fn pos(&self, node: &Node) -> Pos {
        Pos {
            line: node.pos.line + self.line_offset,
            column: node.pos.column,
        }
    }

    /// A scalar's text: strings as parsed, numbers and booleans as written.
    fn text(&self, node: &Node) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            v => {
                let pos = self.pos(node);
                let at = self.source.lines().offset(self.source.text(), pos.line, pos.column);
                let line_end = self.source.lines().line_range(self.source.text(), pos.line).end.max(at);
                yaml::raw_scalar(&self.source.text()[at..line_end]).or_else(|| v.scalar_text())
            }
        }
    }

    fn report(&mut self, code: Code, node: &Node, message: String, hint: &str) {
        let pos = self.pos(node);
        let length = self.text(node).map_or(1, |t| t.chars().count());
        self.diagnostics.push(Diagnostic::spanning(
            code,
            self.source,
            (pos.line, pos.column),
            length,
            message,
            hint,
        ));
    }

    fn apply(&mut self, c: &mut Contact, field: &'static str, node: &Node) {
        match field {
            "name" => {
                if let Some(name) = self.string(field, node) {
                    if name.trim().is_empty() {
                        self.report(
                            Code::EmptyName,
                            node,
                            "`name` is empty".into(),
                            "write the person's name, or remove the line to use the file name",
                        );
                    } else {
                        c.name = name.trim().to_string();
                    }
                }
            }
            "aliases" => c.aliases.extend(self.list(field, node)),
            "emails" => c.emails.extend(self.list(field, node)),
            "phones" => c.phones.extend(self.list(field, node)),
            // `[[Acme]]`, as Obsidian links a company note, is the company Acme.
            "organization" => set_once(
                &mut c.organization,
                self.string(field, node).map(|org| {
                    let t = org.trim();
                    if t.starts_with("[[") && t.ends_with("]]") {
                        wikilink_target(t)
                    } else {
                        org
                    }
                }),
            ),
            "title" => set_once(&mut c.title, self.string(field, node)),
            "location" => set_once(&mut c.location, self.string(field, node)),
            "met_at" => set_once(&mut c.met_at, self.string(field, node)),
            "tags" => {
                let tags = self.list(field, node);
                // A single string is comma-separated; a leading `#` is dropped either way.
                for tag in tags.iter().flat_map(|t| t.split(',')) {
                    let tag = tag.trim().trim_start_matches('#').trim();
                    if !tag.is_empty() {
                        c.tags.push(tag.to_string());
                    }
                }
            }
            "circles" => c
                .circles
                .extend(self.list(field, node).into_iter().map(|s| s.trim().to_lowercase())),
            "can_help_with" => c.can_help_with.extend(self.list(field, node)),
            "interests" => c.interests.extend(self.list(field, node)),
            "introduced_by" => {
                for name in self.list(field, node) {
                    c.introduced_by.push(wikilink_target(&name));
                }
            }
            "met" => c.met = self.date(field, node),
            "follow_up" => c.follow_up = self.date(field, node),
            "last_contact" => c.last_contact = self.date(field, node),
            "snooze_until" => c.snooze_until = self.date(field, node),
            "connected" => c.connected = self.date(field, node),
            "birthday" => c.birthday = self.birthday(node),
            "cadence" => c.cadence = self.cadence(node),
            "status" => c.status = self.status(node),
            "links" => c.links.extend(self.links(node)),
            "name_parts" => c.name_parts = self.name_parts(node),
            _ => unreachable!("every canonical field is handled"),
        }
    }

    fn bad_type(&mut self, field: &str, node: &Node, expected: &str) {
        self.report(
            Code::BadType,
            node,
            format!("`{field}` must be {expected}, found {}", node.value.kind()),
            match field {
                "name" => "give one name here; put other forms in `aliases: [...]`",
                _ => "change the value to the expected form, or rename the key to keep it as your own field",
            },
        );
    }

    /// A single string; a one-element list of a scalar (`org: ["[[Acme]]"]`, as Obsidian's
    /// property editor writes) is that string.
    fn string(&mut self, field: &str, node: &Node) -> Option<String> {
        match &node.value {
            Value::Null => None,
            Value::Seq(items) if items.len() == 1 && items[0].value.scalar_text().is_some() => self.text(&items[0]),
            Value::Seq(_) | Value::Map(_) => {
                self.bad_type(field, node, "a single string");
                None
            }
            _ => self.text(node),
        }
    }

    /// A list of scalars, or one scalar. Empty strings are dropped.
    fn list(&mut self, field: &str, node: &Node) -> Vec<String> {
        match &node.value {
            Value::Null => Vec::new(),
            Value::Map(_) => {
                self.bad_type(field, node, "a list or a single string");
                Vec::new()
            }
            Value::Seq(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item.value.scalar_text().and(self.text(item)) {
                        Some(text) if !text.trim().is_empty() => out.push(text.trim().to_string()),
                        Some(_) => {}
                        None if item.value == Value::Null => {}
                        None => self.bad_type(field, item, "a list of strings"),
                    }
                }
                out
            }
            _ => self
                .text(node)
                .filter(|t| !t.trim().is_empty())
                .map(|t| t.trim().to_string())
                .into_iter()
                .collect(),
        }
    }

    fn date(&mut self, field: &str, node: &Node) -> Option<Date> {
        let text = match &node.value {
            Value::Null => return None,
            Value::Seq(_) | Value::Map(_) => {
                self.bad_type(field, node, "a date (YYYY-MM-DD)");
                return None;
            }
            _ => self.text(node)?,
        };
        let date = parse_date(&text);
        if date.is_none() {
            self.report(
                Code::BadDate,
                node,
                format!("`{field}: {text}` is not a date"),
                "write dates as YYYY-MM-DD, e.g. 2026-12-01",
            );
        }
        date
    }

    fn birthday(&mut self, node: &Node) -> Option<Birthday> {
        let text = match &node.value {
            Value::Null => return None,
            Value::Seq(_) | Value::Map(_) => {
                self.bad_type("birthday", node, "a date");
                return None;
            }
            _ => self.text(node)?,
        };
        let birthday = Birthday::parse(&text);
        if birthday.is_none() {
            self.report(
                Code::BadDate,
                node,
                format!("`birthday: {text}` is not a date"),
                "write YYYY-MM-DD, or MM-DD (quoted: \"05-17\") when you do not know the year",
            );
        }
        birthday
    }

    fn cadence(&mut self, node: &Node) -> Option<Cadence> {
        let text = match &node.value {
            Value::Null => return None,
            Value::Seq(_) | Value::Map(_) => {
                self.bad_type("cadence", node, "a span such as 90d");
                return None;
            }
            _ => self.text(node)?,
        };
        let cadence = Cadence::parse(&text);
        if cadence.is_none() {
            self.report(
                Code::BadSpan,
                node,
                format!("`cadence: {text}` is not a span"),
                "write a number and a unit, `90d`, `2w`, `3m` (months), `1y`, or weekly, biweekly, monthly, quarterly, yearly",
            );
        }
        cadence
    }

    fn status(&mut self, node: &Node) -> Status {
        let text = node.value.scalar_text().and(self.text(node));
        match text.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None if node.value == Value::Null => Status::Active,
            Some("active") => Status::Active,
            Some("dormant") => Status::Dormant,
            Some("archived") => Status::Archived,
            _ => {
                let shown = text.unwrap_or_else(|| node.value.kind().to_string());
                self.report(
                    Code::BadStatus,
                    node,
                    format!("`status: {shown}` is not a status"),
                    "use `active`, `dormant` or `archived` (archived contacts get no reminders)",
                );
                Status::Active
            }
        }
    }

    fn links(&mut self, node: &Node) -> Vec<Link> {
        match &node.value {
            Value::Map(entries) => entries
                .iter()
                .filter_map(|(k, v)| {
                    let url = v.value.scalar_text().or_else(|| {
                        if v.value != Value::Null {
                            self.bad_type("links", v, "a URL");
                        }
                        None
                    })?;
                    Some(Link {
                        label: k.value.scalar_text(),
                        url: url.trim().to_string(),
                    })
                })
                .collect(),
            // A list of URLs, or of maps (Jekyll's `- {name: GitHub, url: https://...}`).
            Value::Seq(items) => {
                let mut out = Vec::new();
                for item in items {
                    match &item.value {
                        Value::Map(entries) => out.extend(link_from_map(entries)),
                        Value::Null => {}
                        _ => match item.value.scalar_text().and(self.text(item)) {
                            Some(url) if !url.trim().is_empty() => out.push(Link {
                                label: None,
                                url: url.trim().to_string(),
                            }),
                            Some(_) => {}
                            None => self.bad_type("links", item, "a URL or a map with a `url`"),
                        },
                    }
                }
                out
            }
            _ => self
                .list("links", node)
                .into_iter()
                .map(|url| Link { label: None, url })
                .collect(),
        }
    }

    /// `name_parts`: a map of `family`, `given`, `additional`, `prefix`, `suffix`, each a
    /// string or a list of strings.
    fn name_parts(&mut self, node: &Node) -> Option<NameParts> {
        let Value::Map(entries) = &node.value else {
            if node.value != Value::Null {
                self.bad_type("name_parts", node, "a map of family, given, additional, prefix, suffix");
            }
            return None;
        };
        let mut parts = NameParts::default();
        for (key, value) in entries {
            let key_text = key.value.scalar_text().unwrap_or_default();
            let values = self.list("name_parts", value);
            match parts.part_mut(&key_text.to_lowercase()) {
                Some(part) => *part = values,
                None => self.report(
                    Code::BadType,
                    key,
                    format!("`name_parts` has no part `{key_text}`"),
                    "use family, given, additional, prefix and suffix (the parts of a vCard's N)",
                ),
            }
        }
        (!parts.is_empty()).then_some(parts)
    }
}

/// A link from one map of a `links` list: the URL under `url`, `href` or `link` (else the
/// first value that looks like a URL), labelled by `name`, `title`, `label` or `text`.
fn link_from_map(entries: &[(Node, Node)]) -> Option<Link> {
    let value = |keys: &[&str]| {
        entries.iter().find_map(|(k, v)| {
            let key = k.value.scalar_text()?;
            keys.iter()
                .any(|want| key.eq_ignore_ascii_case(want))
                .then(|| v.value.scalar_text())
                .flatten()
        })
    };
    let url = value(&["url", "href", "link"]).or_else(|| {
        entries
            .iter()
            .filter_map(|(_, v)| v.value.scalar_text())
            .find(|t| t.contains("://"))
    })?;
    Some(Link {
        label: value(&["name", "title", "label", "text"]),
        url: url.trim().to_string(),
    })
}

fn set_once(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    }
}

/// `[[Target]]`, `[[Target|label]]`, `[[Target#section]]` or a plain name → `Target`.
pub fn wikilink_target(text: &str) -> String {
    let t = text.trim();
    let inner = t.strip_prefix("[[").and_then(|s| s.strip_suffix("]]")).unwrap_or(t);
    inner.split(['|', '#']).next().unwrap_or(inner).trim().to_string()
}

impl Contact {
    /// The `LinkedIn` profile URL, normalised (scheme, `www.`, trailing slash and case removed).
    pub fn linkedin(&self) -> Option<String> {
        self.links
            .iter()
            .find(|l| {
                l.label.as_deref().is_some_and(|x| x.eq_ignore_ascii_case("linkedin"))
                    || l.url.contains("linkedin.com/")
            })
            .map(|l| normalize_url(&l.url))
    }

    /// The most recent log entry on or before `today`.
    pub fn last_entry(&self, today: Date) -> Option<&LogEntry> {
        self.log
            .iter()
            .filter(|e| e.date <= today)
            .max_by_key(|e| (e.date, std::cmp::Reverse(e.line)))
    }
}

/// Normalise a profile URL for matching.
pub fn normalize_url(url: &str) -> String {
    let u = url.trim().to_lowercase();
    let u = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .unwrap_or(&u);
    let u = u.strip_prefix("www.").unwrap_or(u);
    let u = u.split(['?', '#']).next().unwrap_or(u);
    u.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parsed {
        parse_file("people/Jane Doe.md", text.as_bytes(), &BTreeMap::new())
    }

    fn codes(p: &Parsed) -> Vec<(&'static str, usize)> {
        p.diagnostics.iter().map(|d| (d.code.as_str(), d.line)).collect()
    }

    #[test]
    fn reads_every_field_and_alias() {
        let p = parse(
            "---\nname: Jane Doe\naliases: JD\nemail: jane@example.org\nphone: \"+1 512\"\norg: Acme\nrole: Librarian\nlocation: Austin\ntags: \"#alumni, archives\"\ncircle: Alumni\nmet: 2024-03-12\nmet_at: fair\nintroduced_by: \"[[John Smith|John]]\"\nlinks: [https://x.org]\ncadence: quarterly\nfollow_up: 2026-12-01\nlast_contact: 2026-10-01T10:00\nbirthday: \"05-17\"\nstatus: Dormant\ncan_help_with: [jobs]\ninterests: preservation\npronouns: she/her\n---\n# Jane\n- 2026-01-01: hi #info\n",
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let c = p.contact.unwrap();
        assert_eq!(c.stem, "Jane Doe");
        assert_eq!(c.aliases, ["JD"]);
        assert_eq!(c.emails, ["jane@example.org"]);
        assert_eq!(c.organization.as_deref(), Some("Acme"));
        assert_eq!(c.title.as_deref(), Some("Librarian"));
        assert_eq!(c.tags, ["alumni", "archives", "info"]);
        assert_eq!(c.circles, ["alumni"]);
        assert_eq!(c.introduced_by, ["John Smith"]);
        assert_eq!(c.cadence.unwrap().to_string(), "quarterly");
        assert_eq!(c.last_contact.unwrap().to_string(), "2026-10-01");
        assert_eq!(c.birthday.unwrap().year, None);
        assert_eq!(c.status, Status::Dormant);
        assert_eq!(c.custom, [("pronouns".to_string(), vec!["she/her".to_string()])]);
        assert_eq!(c.log.len(), 1);
        assert_eq!(c.positions["follow_up"], Pos { line: 16, column: 12 });
    }

    #[test]
    fn snooze_until_and_connected_are_dates_with_positions() {
        let p = parse("---\nname: J\nsnooze_until: 2026-12-04\nconnected: 2021-03-15 10:00\n---\n");
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let c = p.contact.unwrap();
        assert_eq!(c.snooze_until.unwrap().to_string(), "2026-12-04");
        assert_eq!(c.connected.unwrap().to_string(), "2021-03-15");
        assert_eq!(c.met, None, "connected is not met");
        assert_eq!(c.positions["snooze_until"], Pos { line: 3, column: 15 });
        assert_eq!(c.positions["connected"].line, 4);
        assert!(c.custom.is_empty());
        assert_eq!(
            codes(&parse("---\nsnooze_until: next week\nconnected: 15 Mar 2021\n---\n")),
            [("bad-date", 2), ("bad-date", 3)]
        );
        // Near misses of the new fields get the typo warning.
        assert_eq!(
            codes(&parse("---\nsnooze_untl: 2026-12-04\n---\n")),
            [("unknown-field-typo", 2)]
        );
    }

    #[test]
    fn keys_other_tools_write() {
        let s = typo_suggestion;
        assert_eq!(s("met_date"), Some("met"));
        assert_eq!(s("follow_up_date"), Some("follow_up"));
        assert_eq!(s("emial"), Some("email"));
        assert_eq!(s("Folow_Up"), Some("follow_up"));
        for own in [
            "PHOTO",
            "photo",
            "N.GN",
            "EMAIL[HOME]",
            "UID",
            "note",
            "date",
            "image",
            "up",
        ] {
            assert_eq!(s(own), None, "{own}");
        }
        let p = parse(
            "---\nORG: [\"[[Acme|ACME]]\"]\nTitle: [Chief]\nEmail: a@example.org\nemails: [b@example.org]\nlinks:\n  - {name: GitHub, url: https://github.com/x}\n  - https://x.org\nname_parts: {family: Doe, given: [Jane, Ann]}\n---\n",
        );
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        let c = p.contact.unwrap();
        assert_eq!(c.organization.as_deref(), Some("Acme"));
        assert_eq!(c.title.as_deref(), Some("Chief"));
        assert_eq!(c.emails, ["a@example.org", "b@example.org"]);
        assert_eq!(c.links[0].label.as_deref(), Some("GitHub"));
        assert_eq!(c.links[1].url, "https://x.org");
        let parts = c.name_parts.unwrap();
        assert_eq!(
            (parts.family, parts.given),
            (vec!["Doe".to_string()], vec!["Jane".to_string(), "Ann".to_string()])
        );
        assert!(c.custom.is_empty(), "{:?}", c.custom);
        assert_eq!(
            codes(&parse("---\norg: A\nCompany: B\nname_parts: {nick: x}\n---\n")),
            [("duplicate-field", 3), ("bad-type", 4)]
        );
    }

    #[test]
    fn name_defaults_to_the_stem() {
        assert_eq!(parse("---\norg: A\n---\n").contact.unwrap().name, "Jane Doe");
        assert_eq!(parse("---\n---\n").contact.unwrap().name, "Jane Doe");
    }

    #[test]
    fn each_bad_value_is_positioned() {
        assert_eq!(codes(&parse("---\nname: [A, B]\n---\n")), [("bad-type", 2)]);
        assert_eq!(
            codes(&parse("---\nname: X\nfollow_up: 12/01/2026\n---\n")),
            [("bad-date", 3)]
        );
        assert_eq!(codes(&parse("---\ncadence: often\n---\n")), [("bad-span", 2)]);
        assert_eq!(codes(&parse("---\nstatus: yes\n---\n")), [("bad-status", 2)]);
        assert_eq!(codes(&parse("---\nname: \"\"\n---\n")), [("empty-name", 2)]);
        assert_eq!(
            codes(&parse("---\nemial: a@b.org\nnote: x\n---\n")),
            [("unknown-field-typo", 2)]
        );
        assert_eq!(codes(&parse("---\n- a\n---\n")), [("not-a-mapping", 2)]);
        assert_eq!(codes(&parse("---\nname: a\nname: b\n---\n")), [("yaml-syntax", 3)]);
        assert_eq!(codes(&parse("---\nname: a\n")), [("front-matter-unterminated", 1)]);
        assert_eq!(codes(&parse("# no\n")), [("no-front-matter", 1)]);
    }

    #[test]
    fn bad_field_keeps_the_rest_of_the_contact() {
        let p = parse("---\nname: Kept\nmet: soon\norganization: Acme\n---\n");
        let c = p.contact.unwrap();
        assert_eq!(
            (c.name.as_str(), c.met, c.organization.as_deref()),
            ("Kept", None, Some("Acme"))
        );
    }

    #[test]
    fn encoding_problems() {
        let p = parse_file("a.md", b"---\nname: Jos\xe9\n---\n", &BTreeMap::new());
        assert_eq!(codes(&p), [("not-utf8", 1)]);
        assert!(p.diagnostics[0].message.contains("line 2"));
        assert_eq!(
            codes(&parse_file("a.md", b"---\nname: a\0b\n---\n", &BTreeMap::new())),
            [("not-utf8", 1)]
        );
    }

    #[test]
    fn conflicts_in_front_matter_and_body() {
        let p = parse("---\nname: C\n<<<<<<< HEAD\norg: A\n=======\norg: B\n>>>>>>> main\n---\n");
        assert_eq!(codes(&p), [("conflict-marker", 3)]);
        assert!(p.contact.is_none());
        let p = parse("---\nname: C\n---\n<<<<<<< HEAD\n- 2026-01-01: a\n=======\n>>>>>>> x\n");
        assert_eq!(codes(&p), [("conflict-marker", 4)]);
        assert!(p.contact.is_some());
    }

    #[test]
    fn field_mapping_from_config() {
        let mut fields = BTreeMap::new();
        fields.insert("lastContact".to_string(), "last_contact".to_string());
        let p = parse_file("a.md", b"---\nlastContact: 2026-01-02\n---\n", &fields);
        assert_eq!(p.contact.unwrap().last_contact.unwrap().to_string(), "2026-01-02");
    }

    #[test]
    fn bom_and_crlf() {
        let p = parse_file(
            "a.md",
            "\u{feff}---\r\nname: B\r\nmet: 2024-01-02\r\n---\r\n- 2026-01-01: x\r\n".as_bytes(),
            &BTreeMap::new(),
        );
        assert!(p.diagnostics.is_empty());
        let c = p.contact.unwrap();
        assert_eq!(c.name, "B");
        assert_eq!(c.log[0].line, 5);
        assert_eq!(c.positions["met"].line, 3);
    }

    #[test]
    fn urls_normalise() {
        assert_eq!(
            normalize_url("https://www.LinkedIn.com/in/jane/?trk=x"),
            "linkedin.com/in/jane"
        );
    }
}
