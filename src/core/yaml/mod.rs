//! The only module that talks to the YAML library (serde-saphyr).
//!
//! It turns front-matter text into a small positioned tree ([`Node`]) and YAML failures into a
//! [`YamlError`] with a line and column. Everything else in netvault reads that tree, so a change
//! of YAML crate stays inside this file. Positions here are relative to the YAML text: callers
//! add the line the front matter starts on.

pub mod fast;

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Options, Spanned};

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
    if let Some(node) = fast::parse(text) {
        return Ok(node);
    }
    parse_with_saphyr(text)
}

/// The full parser; [`fast::parse`] must agree with it wherever it answers.
pub fn parse_with_saphyr(text: &str) -> Result<Node, YamlError> {
    // YAML 1.2 booleans only: `status: yes` and `title: No` stay the words the user wrote.
    let mut options = Options::default();
    options.strict_booleans = true;
    // A contact's front matter is a few dozen nodes: the library's limits (a million events,
    // 250,000 nodes) let an alias bomb run for a quarter of a second; these stop it at once.
    let mut budget = Budget::default();
    budget.max_events = 100_000;
    budget.max_nodes = 50_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_recorded_anchor_events = 10_000;
    options.budget = Some(budget);
    match serde_saphyr::from_str_with_options::<Option<Spanned<Level<1>>>>(text, options) {
        Ok(Some(root)) => {
            let mut node = Node {
                value: root.value.0,
                pos: to_pos(root.referenced),
            };
            if let Some(lines) = LoneCrLines::new(text) {
                lines.map_tree(&mut node);
            }
            inherit(&mut node);
            Ok(node)
        }
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
            let pos = LoneCrLines::new(text).map_or(pos, |lines| lines.map(pos));
            Err(YamlError {
                message: first_line(&err.without_snippet().to_string()),
                pos,
            })
        }
    }
}

/// serde-saphyr counts a lone `\r` as a line break, as YAML does; netvault's lines (its line
/// index, the editor, the user's editor) end at `\n` only. For a text holding a lone CR: where
/// each of the library's lines starts, as a `\n` line and the characters before it on that line.
struct LoneCrLines(Vec<Pos>);

impl LoneCrLines {
    fn new(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let lone = |(i, &b): (usize, &u8)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        if !bytes.iter().enumerate().any(lone) {
            return None;
        }
        let mut here = Pos { line: 1, column: 0 };
        let mut starts = vec![here];
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' => {
                    here = Pos {
                        line: here.line + 1,
                        column: 0,
                    };
                    starts.push(here);
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                '\r' => {
                    here.column += 1;
                    starts.push(here);
                }
                _ => here.column += 1,
            }
        }
        Some(Self(starts))
    }

    /// The library's position as a `\n` line and a column on it.
    fn map(&self, pos: Pos) -> Pos {
        match pos.line.checked_sub(1).map(|i| self.0.get(i)) {
            Some(Some(start)) => Pos {
                line: start.line,
                column: start.column + pos.column,
            },
            // Past the last line (an error at the end): as many lines past the last `\n` line.
            Some(None) => Pos {
                line: pos.line - (self.0.len() - self.0.last().map_or(0, |l| l.line)),
                column: pos.column,
            },
            None => pos,
        }
    }

    /// Map every positioned node of a tree (those without a position inherit one later).
    fn map_tree(&self, node: &mut Node) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if n.pos.line > 0 {
                n.pos = self.map(n.pos);
            }
            match &mut n.value {
                Value::Seq(items) => stack.extend(items.iter_mut()),
                Value::Map(entries) => stack.extend(entries.iter_mut().flat_map(|(k, v)| [k, v])),
                _ => {}
            }
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

/// The scalar that starts `rest` (a line's text from a node's position, without its line
/// ending) as written (for numbers and booleans, whose parsed value can differ from the text:
/// `0123`, `1e3`).
pub fn raw_scalar(rest: &str) -> Option<String> {
    let end = rest.find([',', ']', '}', '\r']).unwrap_or(rest.len());
    let token = rest[..end].split(" #").next().unwrap_or("").trim();
    (!token.is_empty()).then(|| token.to_string())
}

// Positions cost: serde-saphyr delivers a `Spanned<T>` as a small map, which makes parsing
// about 40% slower when every value is spanned. Diagnostics point at top-level keys and values
// and at the items of a top-level list or map (`aliases: [Zoë, {x: 1}]` → the bad item), so
// values down to that depth are spanned; deeper ones inherit their parent's position.

/// A value whose children are at depth `D`.
struct Level<const D: u8>(Value);

fn to_pos(loc: serde_saphyr::Location) -> Pos {
    Pos {
        line: usize::try_from(loc.line()).unwrap_or(1).max(1),
        column: usize::try_from(loc.column()).unwrap_or(1).max(1),
    }
}

/// Give every descendant without a position (`line == 0`) the position of its nearest
/// positioned ancestor.
fn inherit(node: &mut Node) {
    let mut stack: Vec<(&mut Node, Pos)> = vec![(node, Pos { line: 1, column: 1 })];
    while let Some((n, parent)) = stack.pop() {
        if n.pos.line == 0 {
            n.pos = parent;
        }
        let pos = n.pos;
        match &mut n.value {
            Value::Seq(items) => stack.extend(items.iter_mut().map(|c| (c, pos))),
            Value::Map(entries) => stack.extend(entries.iter_mut().flat_map(|(k, v)| [k, v]).map(|c| (c, pos))),
            _ => {}
        }
    }
}

impl<'de, const D: u8> Deserialize<'de> for Level<D> {
    fn deserialize<De: Deserializer<'de>>(deserializer: De) -> Result<Self, De::Error> {
        deserializer.deserialize_any(ValueVisitor { depth: D }).map(Level)
    }
}

/// A node at depth `D`: spanned at depths 1 and 2, positioned by [`inherit`] below that.
struct Child<const D: u8>(Node);

impl<'de, const D: u8> Deserialize<'de> for Child<D> {
    fn deserialize<De: Deserializer<'de>>(deserializer: De) -> Result<Self, De::Error> {
        // `D + 1` is not a const expression on stable Rust: the depths are spelled out.
        let node = match D {
            1 => spanned::<De, 2>(deserializer)?,
            2 => spanned::<De, 3>(deserializer)?,
            _ => Node {
                value: Level::<3>::deserialize(deserializer)?.0,
                pos: Pos { line: 0, column: 0 },
            },
        };
        Ok(Child(node))
    }
}

fn spanned<'de, De: Deserializer<'de>, const CHILDREN: u8>(deserializer: De) -> Result<Node, De::Error> {
    let spanned = Spanned::<Level<CHILDREN>>::deserialize(deserializer)?;
    Ok(Node {
        value: spanned.value.0,
        pos: to_pos(spanned.referenced),
    })
}

/// Builds a [`Value`] whose children are at `depth`.
struct ValueVisitor {
    depth: u8,
}

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
        d.deserialize_any(self)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        match self.depth {
            1 => {
                while let Some(Child::<1>(item)) = seq.next_element()? {
                    items.push(item);
                }
            }
            2 => {
                while let Some(Child::<2>(item)) = seq.next_element()? {
                    items.push(item);
                }
            }
            _ => {
                while let Some(Child::<3>(item)) = seq.next_element()? {
                    items.push(item);
                }
            }
        }
        Ok(Value::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        match self.depth {
            1 => {
                while let Some(Child::<1>(key)) = map.next_key()? {
                    let Child::<1>(value) = map.next_value()?;
                    entries.push((key, value));
                }
            }
            2 => {
                while let Some(Child::<2>(key)) = map.next_key()? {
                    let Child::<2>(value) = map.next_value()?;
                    entries.push((key, value));
                }
            }
            _ => {
                while let Some(Child::<3>(key)) = map.next_key()? {
                    let Child::<3>(value) = map.next_value()?;
                    entries.push((key, value));
                }
            }
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

    /// Found by the `frontmatter` fuzz target: a lone `\r` is a line break to serde-saphyr, so
    /// its positions pointed past the end of the file.
    #[test]
    fn positions_count_lines_at_newlines_only() {
        let err = parse("a: |-\n  x\r\r\r\u{5}: y\n").unwrap_err();
        assert_eq!((err.pos.line, err.pos.column), (2, 7), "{err:?}");
        let node = parse_with_saphyr("a: x\rb: [y]\r\nc: z\n").unwrap();
        let Value::Map(entries) = node.value else { panic!() };
        let positions: Vec<Pos> = entries.iter().flat_map(|(k, v)| [k.pos, v.pos]).collect();
        let expected = [(1, 1), (1, 4), (1, 6), (1, 9), (2, 1), (2, 4)];
        let expected: Vec<Pos> = expected.iter().map(|&(line, column)| Pos { line, column }).collect();
        assert_eq!(positions, expected);
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
