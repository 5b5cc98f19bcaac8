//! The search query language (SPEC §5): the text a user types after `netvault search`, parsed
//! into a [`Query`] tree, or a [`QueryError`] with the 1-based column and a hint on how to write
//! it correctly.
//!
//! This module is pure: no tantivy, no I/O, no clock. It does not fold text (a [`Query::Term`]
//! keeps what the user typed; callers apply [`crate::fold::fold`]), it does not know which index
//! fields a [`Field`] maps to, and it does not decide ranking or fuzzy retries. Relative dates
//! stay relative in the tree; [`DateRange::resolve`] turns them into bounds for the `today` the
//! caller passes in. The index module translates the tree into tantivy queries.
//!
//! [`Query`]'s `Display` is a canonical form: `parse(&q.to_string()) == Ok(q)` for every tree
//! `parse` returns (the tests check this on generated trees and on random input).
//!
//! The grammar, loosest binding first (keywords are case-insensitive):
//!
//! ```text
//! query  := or
//! or     := and ("OR" and)*
//! and    := unary (["AND"] unary)*          bare juxtaposition is AND
//! unary  := "NOT" unary | "-" unary         no space after "-"
//!         | "(" or ")" | atom
//! atom   := word | "phrase" | field:word | field:"phrase" | datefield:datevalue
//! ```
//!
//! A word runs to whitespace, a parenthesis or a `"`. Inside quotes `\"` is a quote and `\\` a
//! backslash; any other backslash is kept. A word is `field:value` when it starts with an
//! identifier (`[A-Za-z_][A-Za-z0-9_-]*`) directly followed by `:`; `http://…` stays a bare word.

use std::fmt;

use jiff::civil::Date;

use crate::cadence::{Cadence, Unit};

/// How deeply groups and negations may nest. Bounds the parser's recursion (and the recursion
/// of `Display` and `Drop` over the tree) so that hostile input cannot overflow the stack.
const MAX_DEPTH: usize = 100;

/// A parsed query, normalised: an `And` or `Or` has at least two children, no `And` holds an
/// `And` child and no `Or` holds an `Or` child.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Query {
    /// Every child must match (juxtaposition or `AND`).
    And(Vec<Query>),
    /// Any child may match (`OR`).
    Or(Vec<Query>),
    /// The child must not match (`-x` or `NOT x`).
    Not(Box<Query>),
    /// One unquoted word, as typed (not folded); `field: None` searches all text fields.
    Term { field: Option<Field>, text: String },
    /// A quoted phrase, as typed between the quotes (escapes removed, not folded).
    Phrase { field: Option<Field>, text: String },
    /// A date field compared with a date, `today`, or a span relative to today.
    Date { field: DateField, range: DateRange },
}

/// A text field a term or phrase is restricted to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    /// `name:`
    Name,
    /// `org:`, `organization:`, `company:`
    Org,
    /// `title:`, `role:`, `position:` (the front matter's aliases for `title`)
    Title,
    /// `tag:`, `tags:`
    Tag,
    /// `circle:`, `circles:`
    Circle,
    /// `email:`, `emails:`
    Email,
    /// `location:`
    Location,
    /// `met_at:`
    MetAt,
    /// `intro:`, `introduced_by:`
    Intro,
    /// `status:`
    Status,
    /// `path:`
    Path,
    /// `phone:`, `phones:` — digits, whatever the punctuation; a part of the number matches.
    Phone,
    /// Any other key of the user's own, lower-cased.
    Custom(String),
}

impl Field {
    /// The canonical name, as `Display` prints it before the `:`.
    pub fn name(&self) -> &str {
        match self {
            Field::Name => "name",
            Field::Org => "org",
            Field::Title => "title",
            Field::Tag => "tag",
            Field::Circle => "circle",
            Field::Email => "email",
            Field::Location => "location",
            Field::MetAt => "met_at",
            Field::Intro => "intro",
            Field::Status => "status",
            Field::Path => "path",
            Field::Phone => "phone",
            Field::Custom(name) => name,
        }
    }
}

/// A date field that takes comparisons and ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateField {
    /// `last:` (also `last_contact:`): the last interaction.
    Last,
    /// `met:`
    Met,
    /// `due:`: the next follow-up due date.
    Due,
    /// `follow_up:`
    FollowUp,
    /// `birthday:`
    Birthday,
}

impl DateField {
    /// The canonical name, as `Display` prints it before the `:`.
    pub fn name(self) -> &'static str {
        match self {
            DateField::Last => "last",
            DateField::Met => "met",
            DateField::Due => "due",
            DateField::FollowUp => "follow_up",
            DateField::Birthday => "birthday",
        }
    }
}

/// One end of a date comparison, before it is resolved against today.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DateValue {
    /// `2026-01-31`
    Absolute(Date),
    /// `today`
    Today,
    /// `-30d` (`negative`: in the past) or `+2w`.
    Relative { negative: bool, span: Cadence },
}

impl DateValue {
    /// The calendar date this value names when today is `today`; `None` past the calendar's end.
    pub fn resolve(&self, today: Date) -> Option<Date> {
        match self {
            DateValue::Absolute(date) => Some(*date),
            DateValue::Today => Some(today),
            DateValue::Relative { negative: true, span } => span.subtract_from(today),
            DateValue::Relative { negative: false, span } => span.add_to(today),
        }
    }
}

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateValue::Absolute(date) => write!(f, "{date}"),
            DateValue::Today => f.write_str("today"),
            DateValue::Relative { negative, span } => {
                // Printed from count and unit: a cadence made from a word (`weekly`) has no
                // signed form in the language, but `1w` has.
                let sign = if *negative { '-' } else { '+' };
                let unit = match span.unit {
                    Unit::Day => 'd',
                    Unit::Week => 'w',
                    Unit::Month => 'm',
                    Unit::Year => 'y',
                };
                write!(f, "{sign}{}{unit}", span.count)
            }
        }
    }
}

/// The bounds of a date comparison; each is `(value, inclusive)`.
///
/// `parse` produces: `=X` and `X` → both bounds `X` inclusive; `<X`/`<=X` → only an upper
/// bound; `>X`/`>=X` → only a lower bound; `A..B`, `A..`, `..B` → inclusive bounds; `..` →
/// neither bound, which means "the date is known".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateRange {
    pub lower: Option<(DateValue, bool)>,
    pub upper: Option<(DateValue, bool)>,
}

impl DateRange {
    /// Inclusive `(lower, upper)` calendar bounds for `today`: exclusive bounds move one day
    /// inwards. `None` when a bound falls outside the calendar. An empty range (lower after
    /// upper) is returned as is; it matches nothing.
    pub fn resolve(&self, today: Date) -> Option<(Option<Date>, Option<Date>)> {
        let lower = match &self.lower {
            None => None,
            Some((value, true)) => Some(value.resolve(today)?),
            Some((value, false)) => Some(value.resolve(today)?.tomorrow().ok()?),
        };
        let upper = match &self.upper {
            None => None,
            Some((value, true)) => Some(value.resolve(today)?),
            Some((value, false)) => Some(value.resolve(today)?.yesterday().ok()?),
        };
        Some((lower, upper))
    }

    /// The value as one token after `field:`, when the language can say it in one; otherwise
    /// (both bounds, one exclusive) the two comparisons that say it together.
    fn token(&self) -> Result<String, (String, String)> {
        match (&self.lower, &self.upper) {
            (Some((a, true)), Some((b, true))) if a == b => Ok(a.to_string()),
            (Some((a, true)), Some((b, true))) => Ok(format!("{a}..{b}")),
            (Some(lower), Some(upper)) => Err((lower_token(lower), upper_token(upper))),
            (Some(lower), None) => Ok(lower_token(lower)),
            (None, Some(upper)) => Ok(upper_token(upper)),
            (None, None) => Ok("..".to_owned()),
        }
    }
}

fn lower_token((value, inclusive): &(DateValue, bool)) -> String {
    if *inclusive {
        format!(">={value}")
    } else {
        format!(">{value}")
    }
}

fn upper_token((value, inclusive): &(DateValue, bool)) -> String {
    if *inclusive {
        format!("<={value}")
    } else {
        format!("<{value}")
    }
}

/// A malformed query: where, what, and how to write it instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (column {column})")]
pub struct QueryError {
    /// 1-based character column in the query text.
    pub column: usize,
    pub message: String,
    pub hint: String,
}

impl QueryError {
    /// An error at 0-based character index `index`.
    fn at(index: usize, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            column: index + 1,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Parse a query. See the module documentation for the grammar.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    if input.trim().is_empty() {
        return Err(QueryError::at(
            0,
            "the query is empty",
            "type words to search for, e.g. `jane acme`, or a field such as `org:acme`",
        ));
    }
    let chars: Vec<char> = input.chars().collect();
    let tokens = lex(&chars)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let query = parser.or()?;
    match parser.tokens.get(parser.pos) {
        // `or` stops only at the end or at a `)` it did not open.
        Some(token) => Err(unmatched_close(token.start)),
        None => Ok(query),
    }
}

impl Query {
    /// All of `items`, flattening `And` children; one item is itself.
    fn all(items: Vec<Query>) -> Query {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Query::And(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        if out.len() == 1
            && let Some(only) = out.pop()
        {
            return only;
        }
        Query::And(out)
    }

    /// Any of `items`, flattening `Or` children; one item is itself.
    fn any(items: Vec<Query>) -> Query {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Query::Or(inner) => out.extend(inner),
                other => out.push(other),
            }
        }
        if out.len() == 1
            && let Some(only) = out.pop()
        {
            return only;
        }
        Query::Or(out)
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::And(items) => write_joined(f, items, " "),
            Query::Or(items) => write_joined(f, items, " OR "),
            Query::Not(inner) => {
                f.write_str("-")?;
                write_operand(f, inner)
            }
            Query::Term { field, text } => {
                if let Some(field) = field {
                    write!(f, "{}:", field.name())?;
                }
                if is_bare_word(text, field.is_some()) {
                    f.write_str(text)
                } else {
                    // Only for trees built by hand: `parse` never makes such a term. Quoting
                    // keeps the meaning; it reads back as a phrase.
                    write_quoted(f, text)
                }
            }
            Query::Phrase { field, text } => {
                if let Some(field) = field {
                    write!(f, "{}:", field.name())?;
                }
                write_quoted(f, text)
            }
            Query::Date { field, range } => {
                let name = field.name();
                match range.token() {
                    Ok(token) => write!(f, "{name}:{token}"),
                    // Only trees built by hand get here: two comparisons, the same meaning.
                    Err((lower, upper)) => write!(f, "({name}:{lower} {name}:{upper})"),
                }
            }
        }
    }
}

/// Children separated by `separator`; groups in parentheses.
fn write_joined(f: &mut fmt::Formatter<'_>, items: &[Query], separator: &str) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        write_operand(f, item)?;
    }
    Ok(())
}

fn write_operand(f: &mut fmt::Formatter<'_>, query: &Query) -> fmt::Result {
    if matches!(query, Query::And(_) | Query::Or(_)) {
        write!(f, "({query})")
    } else {
        write!(f, "{query}")
    }
}

fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"")
}

/// Whether `text` reads back as this very term when printed unquoted (after `field:` when
/// `fielded`).
fn is_bare_word(text: &str, fielded: bool) -> bool {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() || chars.iter().copied().any(ends_word) {
        return false;
    }
    if fielded {
        return !chars.starts_with(&['/', '/']);
    }
    if chars[0] == '-' || keyword(text).is_some() {
        return false;
    }
    match field_colon(&chars) {
        None => true,
        Some(colon) => chars[colon + 1..].starts_with(&['/', '/']),
    }
}

// ---------------------------------------------------------------------------------------------
// Lexing

#[derive(Debug, Clone)]
enum Tok {
    LParen,
    RParen,
    Minus,
    And,
    Or,
    Not,
    Atom(Query),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// 0-based character index of the first character.
    start: usize,
    /// 0-based character index just past the token.
    end: usize,
}

fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

fn keyword(word: &str) -> Option<Tok> {
    if word.eq_ignore_ascii_case("and") {
        Some(Tok::And)
    } else if word.eq_ignore_ascii_case("or") {
        Some(Tok::Or)
    } else if word.eq_ignore_ascii_case("not") {
        Some(Tok::Not)
    } else {
        None
    }
}

/// The index of the `:` when `word` starts with an identifier directly followed by one.
fn field_colon(word: &[char]) -> Option<usize> {
    let first = *word.first()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    // Other tools' keys hold dots and brackets (`N.GN:`, `EMAIL[HOME]:`).
    let len = word
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']')))
        .unwrap_or(word.len());
    (word.get(len) == Some(&':')).then_some(len)
}

fn lex(chars: &[char]) -> Result<Vec<Token>, QueryError> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let (tok, end) = match c {
            '(' => (Tok::LParen, i + 1),
            ')' => (Tok::RParen, i + 1),
            '-' => (Tok::Minus, i + 1),
            '"' => {
                let (text, end) = quoted(chars, i)?;
                if text.trim().is_empty() {
                    return Err(QueryError::at(
                        i,
                        "the phrase is empty",
                        "put words between the quotes, e.g. \"Pied Piper\", or remove them",
                    ));
                }
                (Tok::Atom(Query::Phrase { field: None, text }), end)
            }
            _ => word(chars, i)?,
        };
        tokens.push(Token { tok, start, end });
        i = end;
    }
    Ok(tokens)
}

/// The text of the quoted string whose `"` is at `open`, and the index past its closing `"`.
fn quoted(chars: &[char], open: usize) -> Result<(String, usize), QueryError> {
    let mut text = String::new();
    let mut i = open + 1;
    loop {
        match chars.get(i) {
            None => {
                return Err(QueryError::at(
                    open,
                    "this \" is never closed",
                    "add a closing \" to end the phrase; to search for a \" itself, write \\\" inside the quotes",
                ));
            }
            Some('"') => return Ok((text, i + 1)),
            Some('\\') if matches!(chars.get(i + 1), Some('"' | '\\')) => {
                text.push(chars[i + 1]);
                i += 2;
            }
            Some(&c) => {
                text.push(c);
                i += 1;
            }
        }
    }
}

enum FieldKind {
    Text(Field),
    Date(DateField),
}

impl FieldKind {
    fn lookup(name: &str) -> FieldKind {
        let text = match name {
            "name" => Field::Name,
            "org" | "organization" | "company" => Field::Org,
            "title" | "role" | "position" => Field::Title,
            "tag" | "tags" => Field::Tag,
            "circle" | "circles" => Field::Circle,
            "email" | "emails" => Field::Email,
            "location" => Field::Location,
            "met_at" => Field::MetAt,
            "intro" | "introduced_by" => Field::Intro,
            "status" => Field::Status,
            "path" => Field::Path,
            "phone" | "phones" => Field::Phone,
            "last" | "last_contact" => return FieldKind::Date(DateField::Last),
            "met" => return FieldKind::Date(DateField::Met),
            "due" => return FieldKind::Date(DateField::Due),
            "follow_up" => return FieldKind::Date(DateField::FollowUp),
            "birthday" => return FieldKind::Date(DateField::Birthday),
            other => Field::Custom(other.to_owned()),
        };
        FieldKind::Text(text)
    }
}

/// A word starting at `start`: a keyword, a bare term, or `field:value` (whose quoted value
/// may follow the word). Returns the token and the index past it.
fn word(chars: &[char], start: usize) -> Result<(Tok, usize), QueryError> {
    let end = chars[start..]
        .iter()
        .position(|&c| ends_word(c))
        .map_or(chars.len(), |len| start + len);
    let word = &chars[start..end];
    let text: String = word.iter().collect();
    let bare = |text: String| Tok::Atom(Query::Term { field: None, text });
    if let Some(tok) = keyword(&text) {
        return Ok((tok, end));
    }
    let Some(colon) = field_colon(word) else {
        return Ok((bare(text), end));
    };
    let value_start = start + colon + 1;
    let value = &chars[value_start..end];
    if value.starts_with(&['/', '/']) {
        // `http://example.com` is a word, not the field `http`.
        return Ok((bare(text), end));
    }
    let name = text[..colon].to_ascii_lowercase();
    let kind = FieldKind::lookup(&name);
    if value.is_empty() {
        if chars.get(end) != Some(&'"') {
            return Err(empty_value(start, &name, &kind));
        }
        let (phrase, after) = match kind {
            FieldKind::Date(_) => {
                return Err(QueryError::at(
                    end,
                    "a date value is not quoted",
                    format!("write {name}:2026-01-31 or {name}:<today, without quotes"),
                ));
            }
            FieldKind::Text(_) => quoted(chars, end)?,
        };
        return match kind {
            FieldKind::Text(field) if !phrase.trim().is_empty() => Ok((
                Tok::Atom(Query::Phrase {
                    field: Some(field),
                    text: phrase,
                }),
                after,
            )),
            _ => Err(empty_value(start, &name, &kind)),
        };
    }
    let atom = match kind {
        FieldKind::Text(field) => Query::Term {
            field: Some(field),
            text: value.iter().collect(),
        },
        FieldKind::Date(field) => Query::Date {
            field,
            range: date_range(value, value_start)?,
        },
    };
    Ok((Tok::Atom(atom), end))
}

fn empty_value(start: usize, name: &str, kind: &FieldKind) -> QueryError {
    let hint = match kind {
        FieldKind::Text(_) => {
            format!("write {name}:acme, or {name}:\"Pied Piper\" to search a phrase in one field")
        }
        FieldKind::Date(_) => {
            format!("write {name}:2026-01-31, {name}:<-30d, {name}:>=today or {name}:2026-01-01..2026-03-31")
        }
    };
    QueryError::at(start, format!("{name}: has no value"), hint)
}

/// The value of a date field, starting at index `base`: a comparison, a range, or one value.
fn date_range(value: &[char], base: usize) -> Result<DateRange, QueryError> {
    if let Some(dots) = value.windows(2).position(|w| matches!(w, ['.', '.'])) {
        let (left, right) = (&value[..dots], &value[dots + 2..]);
        let lower = if left.is_empty() {
            None
        } else {
            Some((date_value(left, base)?, true))
        };
        let upper = if right.is_empty() {
            None
        } else {
            Some((date_value(right, base + dots + 2)?, true))
        };
        return Ok(DateRange { lower, upper });
    }
    let (op, len) = match value {
        ['<', '=', ..] => ("<=", 2),
        ['>', '=', ..] => (">=", 2),
        ['<', ..] => ("<", 1),
        ['>', ..] => (">", 1),
        ['=', ..] => ("=", 1),
        _ => ("", 0),
    };
    let rest = &value[len..];
    if rest.is_empty() {
        return Err(QueryError::at(
            base,
            format!("{op} needs a date after it"),
            format!("write {op}2026-01-31, {op}today or {op}-30d"),
        ));
    }
    let at = date_value(rest, base + len)?;
    Ok(match op {
        "<" => DateRange {
            lower: None,
            upper: Some((at, false)),
        },
        "<=" => DateRange {
            lower: None,
            upper: Some((at, true)),
        },
        ">" => DateRange {
            lower: Some((at, false)),
            upper: None,
        },
        ">=" => DateRange {
            lower: Some((at, true)),
            upper: None,
        },
        _ => DateRange {
            lower: Some((at.clone(), true)),
            upper: Some((at, true)),
        },
    })
}

/// `30d`, `2W`: digits and a unit letter, without a sign.
fn is_span_shape(text: &str) -> bool {
    let Some(digits) = text.strip_suffix(['d', 'w', 'm', 'y', 'D', 'W', 'M', 'Y']) else {
        return false;
    };
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// One date value starting at index `at`: an ISO date, `today`, or a signed span.
fn date_value(value: &[char], at: usize) -> Result<DateValue, QueryError> {
    let text: String = value.iter().collect();
    if text.eq_ignore_ascii_case("today") {
        return Ok(DateValue::Today);
    }
    if let Some(body) = text.strip_prefix('-').or_else(|| text.strip_prefix('+')) {
        if !is_span_shape(body) {
            return Err(QueryError::at(
                at,
                format!("`{text}` is not a span"),
                "a span is a sign, a number and d, w, m or y (days, weeks, months, years): -30d, +2w, -3m, +1y",
            ));
        }
        return match Cadence::parse(body) {
            Some(span) => Ok(DateValue::Relative {
                negative: text.starts_with('-'),
                span,
            }),
            None => Err(QueryError::at(
                at,
                format!("`{text}` is out of range"),
                "a span counts 1 to 10000 days, weeks, months or years; for today write `today`",
            )),
        };
    }
    if let Some(date) = crate::date::parse_date(&text) {
        return Ok(DateValue::Absolute(date));
    }
    if is_span_shape(&text) {
        return Err(QueryError::at(
            at,
            format!("`{text}` is a span without a sign"),
            format!("write -{text} for {text} ago, or +{text} for {text} from now"),
        ));
    }
    let date_shaped = value.len() == 10
        && value.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    let (message, hint) = if date_shaped {
        (
            format!("`{text}` is not a valid date"),
            "write dates as YYYY-MM-DD with a real month and day, e.g. 2026-01-31".to_owned(),
        )
    } else if value.len() == 4 && value.iter().all(char::is_ascii_digit) {
        (
            format!("`{text}` is not a date"),
            format!("write full dates as YYYY-MM-DD; for the whole year write {text}-01-01..{text}-12-31"),
        )
    } else {
        (
            format!("`{text}` is not a date"),
            "write a date (2026-01-31), `today`, or a span from today with a sign (-30d, +2w, -3m, +1y)".to_owned(),
        )
    };
    Err(QueryError::at(at, message, hint))
}

// ---------------------------------------------------------------------------------------------
// Parsing

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

fn unmatched_close(at: usize) -> QueryError {
    QueryError::at(
        at,
        "this ) has no matching (",
        "remove the ), or add a ( where the group starts",
    )
}

fn nothing_beside(at: usize, keyword: &str, side: &str) -> QueryError {
    let example = if keyword == "OR" {
        "jane OR john"
    } else {
        "jane AND acme (or just jane acme)"
    };
    QueryError::at(
        at,
        format!("{keyword} has nothing on its {side}"),
        format!(
            "{keyword} joins two searches, as in {example}; to search for the word itself, quote it: \"{}\"",
            keyword.to_ascii_lowercase()
        ),
    )
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|token| &token.tok)
    }

    /// Whether the next token can begin an operand of AND or OR.
    fn at_operand(&self) -> bool {
        matches!(self.peek(), Some(Tok::LParen | Tok::Minus | Tok::Not | Tok::Atom(_)))
    }

    fn or(&mut self) -> Result<Query, QueryError> {
        let mut items = vec![self.and()?];
        while let Some(token) = self.tokens.get(self.pos)
            && matches!(token.tok, Tok::Or)
        {
            let at = token.start;
            self.pos += 1;
            if !self.at_operand() {
                return Err(nothing_beside(at, "OR", "right"));
            }
            items.push(self.and()?);
        }
        Ok(Query::any(items))
    }

    fn and(&mut self) -> Result<Query, QueryError> {
        let mut items = vec![self.unary()?];
        loop {
            if let Some(token) = self.tokens.get(self.pos)
                && matches!(token.tok, Tok::And)
            {
                let at = token.start;
                self.pos += 1;
                if !self.at_operand() {
                    return Err(nothing_beside(at, "AND", "right"));
                }
            } else if !self.at_operand() {
                break;
            }
            items.push(self.unary()?);
        }
        Ok(Query::all(items))
    }

    fn unary(&mut self) -> Result<Query, QueryError> {
        let Some(token) = self.tokens.get(self.pos) else {
            // Unreachable: callers check for an operand, and empty input is rejected earlier.
            return Err(QueryError::at(0, "the query is empty", "type words to search for"));
        };
        let Token { start, end, .. } = *token;
        match &token.tok {
            Tok::Or => Err(nothing_beside(start, "OR", "left")),
            Tok::And => Err(nothing_beside(start, "AND", "left")),
            Tok::RParen => Err(unmatched_close(start)),
            Tok::Atom(atom) => {
                let atom = atom.clone();
                self.pos += 1;
                Ok(atom)
            }
            Tok::Minus => {
                self.pos += 1;
                let adjacent = self.tokens.get(self.pos).is_some_and(|next| next.start == end);
                if !adjacent || !self.at_operand() {
                    return Err(QueryError::at(
                        start,
                        "- has nothing after it",
                        "write what to exclude right after the -, with no space: -acme, -org:acme, \
                         -\"Pied Piper\" or -(jane john)",
                    ));
                }
                Ok(Query::Not(Box::new(self.nested(start, Self::unary)?)))
            }
            Tok::Not => {
                self.pos += 1;
                if !self.at_operand() {
                    return Err(QueryError::at(
                        start,
                        "NOT has nothing after it",
                        "write NOT before what to exclude, as in NOT acme; to search for the word \
                         itself, quote it: \"not\"",
                    ));
                }
                Ok(Query::Not(Box::new(self.nested(start, Self::unary)?)))
            }
            Tok::LParen => {
                self.pos += 1;
                let unclosed = || {
                    QueryError::at(
                        start,
                        "this ( is never closed",
                        "add a ) where the group ends, or remove the (",
                    )
                };
                match self.peek() {
                    None => return Err(unclosed()),
                    Some(Tok::RParen) => {
                        return Err(QueryError::at(
                            start,
                            "the parentheses are empty",
                            "put a search inside them, as in (jane OR john), or remove them",
                        ));
                    }
                    Some(_) => {}
                }
                let inner = self.nested(start, Self::or)?;
                if matches!(self.peek(), Some(Tok::RParen)) {
                    self.pos += 1;
                    Ok(inner)
                } else {
                    Err(unclosed())
                }
            }
        }
    }

    /// Run `parse` one nesting level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested(&mut self, at: usize, parse: fn(&mut Self) -> Result<Query, QueryError>) -> Result<Query, QueryError> {
        if self.depth >= MAX_DEPTH {
            return Err(QueryError::at(
                at,
                "the query nests too deeply",
                "use fewer nested parentheses and negations",
            ));
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn term(text: &str) -> Query {
        Query::Term {
            field: None,
            text: text.to_owned(),
        }
    }

    fn fterm(field: Field, text: &str) -> Query {
        Query::Term {
            field: Some(field),
            text: text.to_owned(),
        }
    }

    fn phrase(text: &str) -> Query {
        Query::Phrase {
            field: None,
            text: text.to_owned(),
        }
    }

    fn not(q: Query) -> Query {
        Query::Not(Box::new(q))
    }

    fn and(items: Vec<Query>) -> Query {
        Query::And(items)
    }

    fn or(items: Vec<Query>) -> Query {
        Query::Or(items)
    }

    fn ok(input: &str) -> Query {
        match parse(input) {
            Ok(q) => q,
            Err(e) => panic!("{input:?} failed: {e} / {}", e.hint),
        }
    }

    fn err(input: &str) -> QueryError {
        match parse(input) {
            Ok(q) => panic!("{input:?} parsed as {q:?}"),
            Err(e) => e,
        }
    }

    fn date_q(field: DateField, lower: Option<(DateValue, bool)>, upper: Option<(DateValue, bool)>) -> Query {
        Query::Date {
            field,
            range: DateRange { lower, upper },
        }
    }

    fn rel(negative: bool, count: u32, unit: Unit) -> DateValue {
        DateValue::Relative {
            negative,
            span: Cadence::new(count, unit),
        }
    }

    fn abs(y: i16, m: i8, d: i8) -> DateValue {
        DateValue::Absolute(date(y, m, d))
    }

    /// Printing gives `printed`, and that parses back to the same tree.
    fn roundtrips(input: &str, printed: &str) {
        let q = ok(input);
        assert_eq!(q.to_string(), printed, "printing {input:?}");
        assert_eq!(ok(printed), q, "re-parsing {printed:?}");
    }

    #[test]
    fn bare_words_are_anded() {
        assert_eq!(ok("jane"), term("jane"));
        assert_eq!(ok("  jane   acme "), and(vec![term("jane"), term("acme")]));
        assert_eq!(ok("jane AND acme"), and(vec![term("jane"), term("acme")]));
        assert_eq!(
            ok("jane and acme And x"),
            and(vec![term("jane"), term("acme"), term("x")])
        );
        assert_eq!(
            ok("José Núñez"),
            and(vec![term("José"), term("Núñez")]),
            "text is not folded"
        );
    }

    #[test]
    fn phrases_and_escapes() {
        assert_eq!(ok("\"Pied Piper\""), phrase("Pied Piper"));
        assert_eq!(ok(r#""say \"hi\"""#), phrase("say \"hi\""));
        assert_eq!(ok(r#""a\\b""#), phrase("a\\b"));
        assert_eq!(ok(r#""a\nb""#), phrase("a\\nb"), "other backslashes are kept");
        assert_eq!(ok("x\"a b\"y"), and(vec![term("x"), phrase("a b"), term("y")]));
        roundtrips(r#""say \"hi\" \\o/""#, r#""say \"hi\" \\o/""#);
    }

    #[test]
    fn exclusion() {
        assert_eq!(ok("-acme"), not(term("acme")));
        assert_eq!(ok("NOT acme"), not(term("acme")));
        assert_eq!(ok("not acme"), not(term("acme")));
        assert_eq!(ok("-org:acme"), not(fterm(Field::Org, "acme")));
        assert_eq!(ok("-\"Pied Piper\""), not(phrase("Pied Piper")));
        assert_eq!(ok("-(a b)"), not(and(vec![term("a"), term("b")])));
        assert_eq!(ok("NOT(a OR b)"), not(or(vec![term("a"), term("b")])));
        assert_eq!(ok("--a"), not(not(term("a"))));
        assert_eq!(ok("NOT -a"), not(not(term("a"))));
        assert_eq!(ok("jane -acme"), and(vec![term("jane"), not(term("acme"))]));
        assert_eq!(
            ok("e-mail x-"),
            and(vec![term("e-mail"), term("x-")]),
            "- inside a word"
        );
    }

    #[test]
    fn or_and_precedence() {
        assert_eq!(ok("a OR b"), or(vec![term("a"), term("b")]));
        assert_eq!(ok("a or b Or c"), or(vec![term("a"), term("b"), term("c")]));
        // AND binds tighter than OR.
        assert_eq!(ok("a b OR c"), or(vec![and(vec![term("a"), term("b")]), term("c")]));
        assert_eq!(ok("a OR b AND c"), or(vec![term("a"), and(vec![term("b"), term("c")])]));
        // NOT binds tighter than AND and OR.
        assert_eq!(ok("NOT a b"), and(vec![not(term("a")), term("b")]));
        assert_eq!(ok("NOT a OR b"), or(vec![not(term("a")), term("b")]));
        // Parentheses group.
        assert_eq!(ok("(a OR b) c"), and(vec![or(vec![term("a"), term("b")]), term("c")]));
        assert_eq!(
            ok("a (b OR (c d))"),
            and(vec![term("a"), or(vec![term("b"), and(vec![term("c"), term("d")])])])
        );
    }

    #[test]
    fn normalises() {
        assert_eq!(ok("((a))"), term("a"));
        assert_eq!(ok("(a b) c (d)"), and(vec![term("a"), term("b"), term("c"), term("d")]));
        assert_eq!(
            ok("(a OR b) OR (c OR d)"),
            or(vec![term("a"), term("b"), term("c"), term("d")])
        );
        assert_eq!(ok("(a (b c))"), and(vec![term("a"), term("b"), term("c")]));
    }

    #[test]
    fn every_text_field_and_alias() {
        let cases = [
            ("name", Field::Name),
            ("org", Field::Org),
            ("organization", Field::Org),
            ("company", Field::Org),
            ("title", Field::Title),
            ("role", Field::Title),
            ("position", Field::Title),
            ("tag", Field::Tag),
            ("tags", Field::Tag),
            ("circle", Field::Circle),
            ("circles", Field::Circle),
            ("email", Field::Email),
            ("emails", Field::Email),
            ("location", Field::Location),
            ("met_at", Field::MetAt),
            ("intro", Field::Intro),
            ("introduced_by", Field::Intro),
            ("status", Field::Status),
            ("path", Field::Path),
            ("phone", Field::Phone),
            ("phones", Field::Phone),
        ];
        for (name, field) in cases {
            assert_eq!(ok(&format!("{name}:Acme")), fterm(field.clone(), "Acme"), "{name}");
            let upper = name.to_ascii_uppercase();
            assert_eq!(ok(&format!("{upper}:x")), fterm(field.clone(), "x"), "{upper}");
            assert_eq!(
                ok(&format!("{name}:\"Pied Piper\"")),
                Query::Phrase {
                    field: Some(field.clone()),
                    text: "Pied Piper".into()
                }
            );
            roundtrips(&format!("{name}:x"), &format!("{}:x", field.name()));
        }
    }

    #[test]
    fn custom_fields_and_non_fields() {
        assert_eq!(
            ok("Can_Help-With:rust"),
            fterm(Field::Custom("can_help-with".into()), "rust")
        );
        assert_eq!(ok("_x:1"), fterm(Field::Custom("_x".into()), "1"));
        assert_eq!(ok("N.GN:John"), fterm(Field::Custom("n.gn".into()), "John"));
        assert_eq!(ok("EMAIL[HOME]:x"), fterm(Field::Custom("email[home]".into()), "x"));
        assert_eq!(ok("org:a:b"), fterm(Field::Org, "a:b"));
        assert_eq!(ok("org:OR"), fterm(Field::Org, "OR"), "a keyword as a value is a value");
        assert_eq!(ok("org:-x"), fterm(Field::Org, "-x"));
        assert_eq!(ok("http://x.org/a"), term("http://x.org/a"));
        assert_eq!(ok("https://x.org"), term("https://x.org"));
        assert_eq!(ok(":x"), term(":x"));
        assert_eq!(ok("1a:x"), term("1a:x"));
        assert_eq!(
            ok("a.b:x"),
            fterm(Field::Custom("a.b".into()), "x"),
            "other tools' keys hold dots"
        );
        assert_eq!(ok("société:x"), term("société:x"));
        assert_eq!(ok("(org:acme)x"), and(vec![fterm(Field::Org, "acme"), term("x")]));
        roundtrips("http://x.org", "http://x.org");
        roundtrips("x:y:z", "x:y:z");
    }

    #[test]
    fn every_date_field() {
        let cases = [
            ("last", DateField::Last),
            ("last_contact", DateField::Last),
            ("met", DateField::Met),
            ("due", DateField::Due),
            ("follow_up", DateField::FollowUp),
            ("birthday", DateField::Birthday),
            ("LAST", DateField::Last),
        ];
        for (name, field) in cases {
            assert_eq!(
                ok(&format!("{name}:today")),
                date_q(field, Some((DateValue::Today, true)), Some((DateValue::Today, true)))
            );
        }
    }

    #[test]
    fn every_date_form() {
        let d = abs(2026, 1, 31);
        let last = |l, u| date_q(DateField::Last, l, u);
        assert_eq!(ok("last:<2026-01-31"), last(None, Some((d.clone(), false))));
        assert_eq!(ok("last:<=2026-01-31"), last(None, Some((d.clone(), true))));
        assert_eq!(ok("last:>2026-01-31"), last(Some((d.clone(), false)), None));
        assert_eq!(ok("last:>=2026-01-31"), last(Some((d.clone(), true)), None));
        assert_eq!(
            ok("last:=2026-01-31"),
            last(Some((d.clone(), true)), Some((d.clone(), true)))
        );
        assert_eq!(
            ok("last:2026-01-31"),
            last(Some((d.clone(), true)), Some((d.clone(), true)))
        );
        assert_eq!(
            ok("last:2026-01-01..2026-01-31"),
            last(Some((abs(2026, 1, 1), true)), Some((d.clone(), true)))
        );
        assert_eq!(ok("last:..2026-01-31"), last(None, Some((d.clone(), true))));
        assert_eq!(ok("last:2026-01-31.."), last(Some((d.clone(), true)), None));
        assert_eq!(ok("last:.."), last(None, None));
        assert_eq!(ok("last:<TODAY"), last(None, Some((DateValue::Today, false))));
        assert_eq!(ok("last:<-30d"), last(None, Some((rel(true, 30, Unit::Day), false))));
        assert_eq!(
            ok("due:<=+2w"),
            date_q(DateField::Due, None, Some((rel(false, 2, Unit::Week), true)))
        );
        assert_eq!(
            ok("met:-3M..+1y"),
            date_q(
                DateField::Met,
                Some((rel(true, 3, Unit::Month), true)),
                Some((rel(false, 1, Unit::Year), true))
            )
        );
        assert_eq!(
            ok("met:2026-10-01T14:30"),
            date_q(
                DateField::Met,
                Some((abs(2026, 10, 1), true)),
                Some((abs(2026, 10, 1), true))
            )
        );
        assert_eq!(ok("-last:<today"), not(last(None, Some((DateValue::Today, false)))));
        for (input, printed) in [
            ("last:<2026-01-31", "last:<2026-01-31"),
            ("last:=2026-01-31", "last:2026-01-31"),
            ("last:2026-01-31..2026-01-31", "last:2026-01-31"),
            ("last:..2026-01-31", "last:<=2026-01-31"),
            ("last:today..", "last:>=today"),
            ("last:>-030D", "last:>-30d"),
            ("met:-3m..+1Y", "met:-3m..+1y"),
            ("LAST_CONTACT:..", "last:.."),
            ("birthday:0000-01-01", "birthday:0000-01-01"),
            ("birthday:0099-12-31..", "birthday:>=0099-12-31"),
        ] {
            roundtrips(input, printed);
        }
    }

    #[test]
    fn dates_resolve_against_today() {
        let today = date(2026, 3, 1);
        assert_eq!(rel(true, 30, Unit::Day).resolve(today), Some(date(2026, 1, 30)));
        assert_eq!(rel(false, 2, Unit::Week).resolve(today), Some(date(2026, 3, 15)));
        assert_eq!(DateValue::Today.resolve(today), Some(today));
        assert_eq!(abs(2020, 2, 29).resolve(today), Some(date(2020, 2, 29)));
        let range = |input: &str| match ok(input) {
            Query::Date { range, .. } => range.resolve(today),
            other => panic!("{other:?}"),
        };
        assert_eq!(range("last:<today"), Some((None, Some(date(2026, 2, 28)))));
        assert_eq!(range("last:<=today"), Some((None, Some(today))));
        assert_eq!(range("last:>-1m"), Some((Some(date(2026, 2, 2)), None)));
        assert_eq!(range("last:>=-1m"), Some((Some(date(2026, 2, 1)), None)));
        assert_eq!(range("last:-1m..today"), Some((Some(date(2026, 2, 1)), Some(today))));
        assert_eq!(range("last:today"), Some((Some(today), Some(today))));
        assert_eq!(range("last:.."), Some((None, None)));
        assert_eq!(range("last:>9999-12-31"), None, "past the calendar");
        assert_eq!(range("last:<+10000y"), None, "past the calendar");
    }

    #[track_caller]
    fn error_at(input: &str, column: usize, message: &str, hint_has: &str) {
        let e = err(input);
        assert_eq!(e.column, column, "{input:?}: {e}");
        assert_eq!(e.message, message, "{input:?}");
        assert!(e.hint.contains(hint_has), "{input:?}: hint {:?}", e.hint);
    }

    #[test]
    fn errors_have_columns_and_hints() {
        error_at("", 1, "the query is empty", "type words");
        error_at(" \t\n", 1, "the query is empty", "type words");
        error_at("a (b c", 3, "this ( is never closed", "add a )");
        error_at("a ((b) c", 3, "this ( is never closed", "add a )");
        error_at("(", 1, "this ( is never closed", "add a )");
        error_at("a b)", 4, "this ) has no matching (", "remove the )");
        error_at(")", 1, "this ) has no matching (", "remove the )");
        error_at("(a)) b", 4, "this ) has no matching (", "remove the )");
        error_at("a ()", 3, "the parentheses are empty", "(jane OR john)");
        error_at("a \"b c", 3, "this \" is never closed", "closing \"");
        error_at("\"a\\\"", 1, "this \" is never closed", "\\\"");
        error_at("a \"\"", 3, "the phrase is empty", "between the quotes");
        error_at("a \"  \"", 3, "the phrase is empty", "between the quotes");
        error_at("OR a", 1, "OR has nothing on its left", "jane OR john");
        error_at("a OR", 3, "OR has nothing on its right", "\"or\"");
        error_at("a OR OR b", 3, "OR has nothing on its right", "jane OR john");
        error_at("(or a)", 2, "OR has nothing on its left", "jane OR john");
        error_at("a OR )", 3, "OR has nothing on its right", "jane OR john");
        error_at("AND a", 1, "AND has nothing on its left", "jane acme");
        error_at("a and", 3, "AND has nothing on its right", "\"and\"");
        error_at("a AND OR b", 3, "AND has nothing on its right", "jane acme");
        error_at("a NOT", 3, "NOT has nothing after it", "\"not\"");
        error_at("NOT OR a", 1, "NOT has nothing after it", "NOT acme");
        error_at("(NOT)", 2, "NOT has nothing after it", "NOT acme");
        error_at("a -", 3, "- has nothing after it", "-org:acme");
        error_at("a - b", 3, "- has nothing after it", "no space");
        error_at("-)", 1, "- has nothing after it", "no space");
        error_at("-OR a", 1, "- has nothing after it", "no space");
        error_at(
            "a org:",
            3,
            "org: has no value",
            "org:\"Pied Piper\" to search a phrase",
        );
        error_at("org: acme", 1, "org: has no value", "org:acme");
        error_at("Company:(a b)", 1, "company: has no value", "company:acme");
        error_at("org:\"\"", 1, "org: has no value", "org:\"Pied Piper\"");
        error_at("x org:\"a", 7, "this \" is never closed", "closing \"");
        error_at("last:", 1, "last: has no value", "last:2026-01-31");
        error_at(
            "a last:<2026-13-01",
            9,
            "`2026-13-01` is not a valid date",
            "YYYY-MM-DD",
        );
        error_at("met:yesterday", 5, "`yesterday` is not a date", "-30d");
        error_at("met:>=yesterday", 7, "`yesterday` is not a date", "today");
        error_at("last:30d", 6, "`30d` is a span without a sign", "-30d for 30d ago");
        error_at("last:<30d", 7, "`30d` is a span without a sign", "+30d");
        error_at("last:-30x", 6, "`-30x` is not a span", "-30d, +2w");
        error_at("last:-0d", 6, "`-0d` is out of range", "today");
        error_at("last:-99999d", 6, "`-99999d` is out of range", "10000");
        error_at("met:2026..x", 5, "`2026` is not a date", "2026-01-01..2026-12-31");
        error_at("met:2026-01-01..x", 17, "`x` is not a date", "today");
        error_at(
            "met:2026-01-01..2026-02-30",
            17,
            "`2026-02-30` is not a valid date",
            "real month",
        );
        error_at("met:today..<today", 12, "`<today` is not a date", "today");
        error_at("last:<", 6, "< needs a date after it", "<today");
        error_at("last:>=", 6, ">= needs a date after it", ">=-30d");
        error_at("last:\"2026-01-01\"", 6, "a date value is not quoted", "without quotes");
        error_at("é last:x", 8, "`x` is not a date", "today");
    }

    #[test]
    fn errors_display_with_column() {
        assert_eq!(err("a OR").to_string(), "OR has nothing on its right (column 3)");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(err(&deep).message, "the query nests too deeply");
        assert_eq!(err(&"-".repeat(100_000)).message, "the query nests too deeply");
        assert_eq!(err(&"NOT ".repeat(100_000)).message, "the query nests too deeply");
        let fine = format!("{}a{}", "(".repeat(50), ")".repeat(50));
        assert_eq!(ok(&fine), term("a"));
    }

    #[test]
    fn printing_is_canonical() {
        roundtrips("a  b", "a b");
        roundtrips("a AND b", "a b");
        roundtrips("a b OR c", "(a b) OR c");
        roundtrips("(a OR b) c", "(a OR b) c");
        roundtrips("NOT a", "-a");
        roundtrips("NOT (a b)", "-(a b)");
        roundtrips("-(a OR b) OR -c", "-(a OR b) OR -c");
        roundtrips("not not a", "--a");
        roundtrips("org:\"Pied Piper\" -tag:x", "org:\"Pied Piper\" -tag:x");
        roundtrips("COMPANY:acme", "org:acme");
    }

    #[test]
    fn hand_built_trees_print_sensibly() {
        // Terms that would not read back as a word are quoted (and read back as phrases).
        assert_eq!(term("OR").to_string(), "\"OR\"");
        assert_eq!(term("-x").to_string(), "\"-x\"");
        assert_eq!(term("a b").to_string(), "\"a b\"");
        assert_eq!(term("org:x").to_string(), "\"org:x\"");
        assert_eq!(fterm(Field::Org, "//x").to_string(), "org:\"//x\"");
        // A cadence made from a word prints as a count.
        let weekly = DateValue::Relative {
            negative: true,
            span: Cadence::parse("weekly").unwrap(),
        };
        assert_eq!(weekly.to_string(), "-1w");
        // Both bounds with an exclusive one: two comparisons with the same meaning.
        let mixed = date_q(
            DateField::Met,
            Some((abs(2026, 1, 1), false)),
            Some((DateValue::Today, true)),
        );
        assert_eq!(mixed.to_string(), "(met:>2026-01-01 met:<=today)");
        let today = date(2026, 3, 1);
        let Query::And(parts) = ok(&mixed.to_string()) else {
            panic!()
        };
        assert_eq!(parts.len(), 2);
        if let Query::Date { range, .. } = &mixed {
            assert_eq!(range.resolve(today), Some((Some(date(2026, 1, 2)), Some(today))));
        }
    }

    // -----------------------------------------------------------------------------------------
    // Properties

    /// Fragments that make random input likely to reach every corner of the grammar.
    fn query_text() -> impl Strategy<Value = String> {
        let fragment = prop_oneof![
            Just("a".to_owned()),
            Just("Jane".to_owned()),
            Just("José".to_owned()),
            Just(" ".to_owned()),
            Just("  ".to_owned()),
            Just("OR".to_owned()),
            Just("and".to_owned()),
            Just("NOT".to_owned()),
            Just("-".to_owned()),
            Just("(".to_owned()),
            Just(")".to_owned()),
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just(":".to_owned()),
            Just("org:".to_owned()),
            Just("x-y_z:".to_owned()),
            Just("last:".to_owned()),
            Just("birthday:".to_owned()),
            Just("<".to_owned()),
            Just(">=".to_owned()),
            Just("=".to_owned()),
            Just("..".to_owned()),
            Just("2026-01-31".to_owned()),
            Just("0001-02-03".to_owned()),
            Just("today".to_owned()),
            Just("-30d".to_owned()),
            Just("+2w".to_owned()),
            Just("3m".to_owned()),
            Just("//".to_owned()),
            Just("http://x".to_owned()),
            "[a-z0-9 ]{1,3}",
            "\\PC{1,2}",
        ];
        prop::collection::vec(fragment, 0..14).prop_map(|parts| parts.concat())
    }

    fn field() -> impl Strategy<Value = Field> {
        prop_oneof![
            Just(Field::Name),
            Just(Field::Org),
            Just(Field::Title),
            Just(Field::Tag),
            Just(Field::Circle),
            Just(Field::Email),
            Just(Field::Location),
            Just(Field::MetAt),
            Just(Field::Intro),
            Just(Field::Status),
            Just(Field::Path),
            Just(Field::Phone),
            "[a-z_][a-z0-9_-]{0,8}".prop_filter_map("a known field name", |name| match FieldKind::lookup(&name) {
                FieldKind::Text(Field::Custom(name)) => Some(Field::Custom(name)),
                _ => None,
            }),
        ]
    }

    fn date_value() -> impl Strategy<Value = DateValue> {
        let unit = prop_oneof![Just(Unit::Day), Just(Unit::Week), Just(Unit::Month), Just(Unit::Year)];
        prop_oneof![
            Just(DateValue::Today),
            (0i16..=9999, 1i8..=12, 1i8..=31).prop_filter_map("a real date", |(y, m, d)| Date::new(y, m, d)
                .ok()
                .map(DateValue::Absolute)),
            (any::<bool>(), 1u32..=10_000, unit).prop_map(|(negative, count, unit)| DateValue::Relative {
                negative,
                span: Cadence::new(count, unit),
            }),
        ]
    }

    /// The ranges `parse` can produce.
    fn date_range() -> impl Strategy<Value = DateRange> {
        let bound = || date_value().prop_map(|v| (v, true));
        prop_oneof![
            date_value().prop_map(|v| DateRange {
                lower: Some((v.clone(), true)),
                upper: Some((v, true)),
            }),
            (bound(), bound()).prop_map(|(l, u)| DateRange {
                lower: Some(l),
                upper: Some(u),
            }),
            (date_value(), any::<bool>()).prop_map(|(v, inclusive)| DateRange {
                lower: Some((v, inclusive)),
                upper: None,
            }),
            (date_value(), any::<bool>()).prop_map(|(v, inclusive)| DateRange {
                lower: None,
                upper: Some((v, inclusive)),
            }),
            Just(DateRange {
                lower: None,
                upper: None
            }),
        ]
    }

    /// Trees `parse` can produce: word texts are kept only when the word alone parses as that
    /// term (so the generator does not trust the printer's own notion of a bare word).
    fn query() -> impl Strategy<Value = Query> {
        let word = "[a-zA-Z0-9_.@#'/:<>=*+\\\\é-]{1,8}";
        let bare = word.prop_filter("parses as a bare term", |text| parse(text) == Ok(term(text)));
        let fielded = (field(), word).prop_filter_map("parses as a fielded term", |(field, text)| {
            let q = fterm(field.clone(), &text);
            (parse(&format!("{}:{text}", field.name())) == Ok(q.clone())).then_some(q)
        });
        let phrase_text = "[a-z \"\\\\()':\\-é\n]{1,10}|\\PC{1,6}";
        let phrase = (prop::option::of(field()), phrase_text)
            .prop_filter("not blank", |(_, text)| !text.trim().is_empty())
            .prop_map(|(field, text)| Query::Phrase { field, text });
        let date_field = prop_oneof![
            Just(DateField::Last),
            Just(DateField::Met),
            Just(DateField::Due),
            Just(DateField::FollowUp),
            Just(DateField::Birthday),
        ];
        let date = (date_field, date_range()).prop_map(|(field, range)| Query::Date { field, range });
        let leaf = prop_oneof![bare.prop_map(|text| term(&text)), fielded, phrase, date];
        leaf.prop_recursive(5, 40, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..5).prop_map(Query::all),
                prop::collection::vec(inner.clone(), 2..5).prop_map(Query::any),
                inner.prop_map(|q| Query::Not(Box::new(q))),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn never_panics_on_any_string(input in any::<String>()) {
            let _ = parse(&input);
        }

        #[test]
        fn printed_trees_parse_back(q in query()) {
            let printed = q.to_string();
            prop_assert_eq!(parse(&printed), Ok(q), "printed as {:?}", printed);
        }

        #[test]
        fn arbitrary_text_that_parses_prints_back(input in any::<String>()) {
            if let Ok(q) = parse(&input) {
                let printed = q.to_string();
                prop_assert_eq!(parse(&printed), Ok(q), "{:?} printed as {:?}", input, printed);
            }
        }
    }

    /// Query-like text: what parses prints and parses back, what does not is an error at a
    /// column inside the text with a message and a hint — and both kinds occur in real
    /// numbers, so neither check passes by never running.
    #[test]
    fn query_like_text_parses_back_or_fails_at_a_column() {
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(2000));
        let (parsed, failed) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
        runner
            .run(&query_text(), |input| {
                match parse(&input) {
                    Ok(q) => {
                        parsed.set(parsed.get() + 1);
                        let printed = q.to_string();
                        prop_assert_eq!(parse(&printed), Ok(q), "{:?} printed as {:?}", input, printed);
                    }
                    Err(e) => {
                        failed.set(failed.get() + 1);
                        prop_assert!(e.column >= 1 && e.column <= input.chars().count().max(1));
                        prop_assert!(!e.message.is_empty() && !e.hint.is_empty());
                    }
                }
                Ok(())
            })
            .unwrap();
        let (parsed, failed) = (parsed.get(), failed.get());
        assert!(parsed >= 400, "only {parsed} of 2000 inputs parsed");
        assert!(failed >= 20, "only {failed} of 2000 inputs failed to parse");
    }
}
