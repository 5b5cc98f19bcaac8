//! The only module that talks to the YAML library (serde-saphyr).
//!
//! It turns front-matter text into a small positioned tree ([`Node`]) and YAML failures into a
//! [`YamlError`] with a line and column. Everything else in netvault reads that tree, so a change
//! of YAML crate stays inside this file. Positions here are relative to the YAML text: callers
//! add the line the front matter starts on.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Options, Spanned};

/// A 1-based position inside the YAML text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A YAML value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

/// The YAML data model, reduced to what front matter needs. Mappings keep their order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// A scalar rendered as text (how the user wrote it, for numbers and booleans).
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }

    /// A word for the kind of value, for messages ("expected a string, found a list").
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Why YAML text could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub pos: Pos,
}

/// Parse one YAML document. Duplicate keys, alias bombs and excessive nesting are errors (the
/// library's default budget bounds both time and memory).
pub fn parse(text: &str) -> Result<Node, YamlError> {
    // YAML 1.2 booleans only: `status: yes` and `title: No` stay the words the user wrote.
    let mut options = Options::default();
    options.strict_booleans = true;
    match serde_saphyr::from_str_with_options::<Option<Node>>(text, options) {
        Ok(Some(node)) => Ok(node),
        // An empty document is an empty mapping (SPEC §3: empty front matter).
        Ok(None) => Ok(Node {
            value: Value::Map(Vec::new()),
            pos: Pos { line: 1, column: 1 },
        }),
        Err(err) => {
            let pos = err
                .location()
                .filter(|l| l.line() > 0)
                .map_or(Pos { line: 1, column: 1 }, |l| Pos {
                    line: usize::try_from(l.line()).unwrap_or(1),
                    column: usize::try_from(l.column()).unwrap_or(1).max(1),
                });
            Err(YamlError {
                message: first_line(&err.without_snippet().to_string()),
                pos,
            })
        }
    }
}

/// The library's message without its YAML-relative positions (netvault prints file positions)
/// and without advice about its own API.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or("invalid YAML").trim();
    let line = line.split(" at line ").next().unwrap_or(line);
    let line = line.split(", set DuplicateKeyPolicy").next().unwrap_or(line);
    if line.starts_with("budget breached") || line.contains("recursion limit") {
        return "the YAML expands too far: too many aliases or too deep nesting".to_string();
    }
    line.trim().to_string()
}

/// The scalar at `pos` as written in `text` (for numbers and booleans, whose parsed value can
/// differ from the text: `0123`, `1e3`).
pub fn raw_scalar(text: &str, pos: Pos) -> Option<String> {
    let line = text.split('\n').nth(pos.line.checked_sub(1)?)?;
    let start = line.char_indices().nth(pos.column.checked_sub(1)?).map(|(i, _)| i)?;
    let rest = &line[start..];
    let end = rest.find([',', ']', '}', '\r']).unwrap_or(rest.len());
    let token = rest[..end].split(" #").next().unwrap_or("").trim();
    (!token.is_empty()).then(|| token.to_string())
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(deserializer)?;
        let loc = spanned.referenced;
        Ok(Node {
            value: spanned.value,
            pos: Pos {
                line: usize::try_from(loc.line()).unwrap_or(1).max(1),
                column: usize::try_from(loc.column()).unwrap_or(1).max(1),
            },
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::Str(v.to_string()), Value::Int))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::Str(v.to_string()), Value::Int))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::Str(v.to_string()), Value::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_ordered() {
        let node = parse("name: Jane\ntags: [a, b]\n").unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(entries[0].0.value, Value::Str("name".into()));
        assert_eq!(entries[0].1.pos, Pos { line: 1, column: 7 });
        assert_eq!(entries[1].0.pos, Pos { line: 2, column: 1 });
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("not a seq")
        };
        assert_eq!(items[1].pos, Pos { line: 2, column: 11 });
    }

    #[test]
    fn duplicate_key_is_an_error_at_the_second_key() {
        let err = parse("name: a\norg: b\nname: c\n").unwrap_err();
        assert_eq!(err.pos.line, 3, "{err:?}");
    }

    #[test]
    fn empty_document_is_an_empty_mapping() {
        assert_eq!(parse("").unwrap().value, Value::Map(Vec::new()));
        assert_eq!(parse("# only a comment\n").unwrap().value, Value::Map(Vec::new()));
    }

    #[test]
    fn dates_and_words_stay_strings() {
        let node = parse("met: 2024-03-12\nstatus: yes\nn: 500\n").unwrap();
        let Value::Map(entries) = node.value else { panic!() };
        assert_eq!(entries[0].1.value, Value::Str("2024-03-12".into()));
        assert_eq!(entries[2].1.value, Value::Int(500));
        assert!(matches!(entries[1].1.value, Value::Str(_) | Value::Bool(_)));
    }
}
