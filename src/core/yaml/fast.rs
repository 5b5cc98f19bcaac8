//! A fast path for the plain front matter almost every contact file has: `key: value` lines,
//! quoted strings, flow lists (`[a, b]`), block lists (`- a`) and one level of nested mapping
//! (`links:` / `  linkedin: ...`).
//!
//! It exists because serde-saphyr is the bulk of indexing time on a large vault (SPEC §9's cold
//! index budget). It is deliberately narrow: anything it does not fully understand — numbers
//! other than small integers, YAML 1.1 words, escapes, anchors, tags, block scalars,
//! multi-line values, tabs, duplicate keys, unusual keys — makes it decline, and the caller
//! uses serde-saphyr. When it accepts, it must produce exactly the tree serde-saphyr produces,
//! positions included; the tests compare the two on every input they can find.

use std::collections::HashSet;

use super::{Node, Pos, Value};

/// Parse `text`, or `None` to let serde-saphyr do it.
pub fn parse(text: &str) -> Option<Node> {
    let mut entries: Vec<(Node, Node)> = Vec::new();
    // The keys so far, for the duplicate check (a set: a hostile file may hold a million keys).
    let mut keys: HashSet<String> = HashSet::new();
    // A key whose value is on the following lines: its index in `entries`, and the block so far.
    let mut open: Option<Block> = None;
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if !line.chars().all(printable) {
            return None;
        }
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent == 0 && !trimmed.starts_with('-') {
            open = None;
            let (key, rest, value_col) = top_level_key(line)?;
            if !keys.insert(key.clone()) {
                return None; // serde-saphyr reports duplicate keys with their position
            }
            let key_node = Node {
                value: Value::Str(key),
                pos: Pos {
                    line: line_no,
                    column: 1,
                },
            };
            let value_text = rest.trim_start();
            if value_text.is_empty() || value_text.starts_with('#') {
                // The value is on the following lines, or null. A null sits at the colon.
                let colon = Pos {
                    line: line_no,
                    column: value_col - 1,
                };
                entries.push((
                    key_node,
                    Node {
                        value: Value::Null,
                        pos: colon,
                    },
                ));
                open = Some(Block {
                    entry: entries.len() - 1,
                    kind: BlockKind::Unknown,
                    keys: HashSet::new(),
                });
                continue;
            }
            let start = value_col + (rest.len() - value_text.len());
            let value = inline_value(value_text, line_no, start)?;
            entries.push((key_node, value));
        } else {
            let block = open.as_mut()?;
            block.push(indent, trimmed, line_no, &mut entries)?;
        }
    }
    let first = entries.first()?.0.pos;
    Some(Node {
        value: Value::Map(entries),
        pos: first,
    })
}

/// The lines of a value given below its key.
struct Block {
    entry: usize,
    kind: BlockKind,
    /// The keys of a nested mapping so far, for the duplicate check.
    keys: HashSet<String>,
}

enum BlockKind {
    Unknown,
    /// Items at this indentation of their `-`.
    Seq {
        indent: usize,
    },
    /// Keys at this indentation.
    Map {
        indent: usize,
    },
}

impl Block {
    fn push(&mut self, indent: usize, trimmed: &str, line_no: usize, entries: &mut [(Node, Node)]) -> Option<()> {
        let value = &mut entries[self.entry].1;
        if let Some(item) = trimmed.strip_prefix("- ") {
            match self.kind {
                BlockKind::Unknown => {
                    // serde-saphyr places an indented list at its first `-`, and a list at the
                    // key's own indentation at its first item.
                    let item_col = indent + 2 + (item.len() - item.trim_start().len()) + 1;
                    let column = if indent == 0 { item_col } else { indent + 1 };
                    *value = Node {
                        value: Value::Seq(Vec::new()),
                        pos: Pos { line: line_no, column },
                    };
                    self.kind = BlockKind::Seq { indent };
                }
                BlockKind::Seq { indent: i } if i == indent => {}
                _ => return None,
            }
            let item_text = item.trim_start();
            let col = indent + 2 + (item.len() - item_text.len()) + 1;
            if item_text.is_empty() || item_text.starts_with('#') || item_text.starts_with('[') {
                return None;
            }
            let node = scalar(item_text, line_no, col, false)?;
            if let Value::Seq(items) = &mut value.value {
                items.push(node);
            }
            return Some(());
        }
        if indent == 0 {
            return None;
        }
        // A nested `key: value` line.
        let (key, rest, value_col) = top_level_key(trimmed)?;
        match self.kind {
            BlockKind::Unknown => {
                *value = Node {
                    value: Value::Map(Vec::new()),
                    pos: Pos {
                        line: line_no,
                        column: indent + 1,
                    },
                };
                self.kind = BlockKind::Map { indent };
            }
            BlockKind::Map { indent: i } if i == indent => {}
            _ => return None,
        }
        let value_text = rest.trim_start();
        if value_text.is_empty() || value_text.starts_with('#') {
            return None;
        }
        let start = indent + value_col + (rest.len() - value_text.len());
        let v = scalar(value_text, line_no, start, false)?;
        if let Value::Map(map) = &mut value.value {
            if !self.keys.insert(key.clone()) {
                return None;
            }
            map.push((
                Node {
                    value: Value::Str(key),
                    pos: Pos {
                        line: line_no,
                        column: indent + 1,
                    },
                },
                v,
            ));
        }
        Some(())
    }
}

/// YAML's printable characters, less tab (which is never indentation) and the BOM.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fefe}' | '\u{ff00}'..='\u{fffd}' | '\u{10000}'..)
}

/// `key: rest` with a plain ASCII key; returns the key, the text after the colon, and the
/// 1-based column just after the colon.
fn top_level_key(line: &str) -> Option<(String, &str, usize)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let mut chars = key.chars();
    let first = chars.next()?;
    if !(first.is_ascii_alphabetic() || first == '_')
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    // `TRUE:` and `null:` are a boolean and a null key to serde-saphyr, and `yes:` is in doubt.
    if plain_value(key) != Some(Value::Str(key.to_string())) {
        return None;
    }
    let rest = &line[colon + 1..];
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key.to_string(), rest, colon + 2))
}

/// A value on the key's line: a flow list or a scalar. `col` is its 1-based character column.
fn inline_value(text: &str, line: usize, col: usize) -> Option<Node> {
    if text.starts_with('[') {
        flow_seq(text, line, col)
    } else {
        scalar(text, line, col, false)
    }
}

/// `[a, "b", 'c']` on one line, nothing nested.
fn flow_seq(text: &str, line: usize, col: usize) -> Option<Node> {
    let inner_and_rest = &text[1..];
    let mut items = Vec::new();
    let mut start = 0; // byte offset in inner_and_rest of the current item
    let mut quote: Option<char> = None;
    let mut end = None;
    for (i, c) in inner_and_rest.char_indices() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' | '{' | '}' | '#' => return None,
                ',' | ']' => {
                    let raw = &inner_and_rest[start..i];
                    let item = raw.trim();
                    if item.is_empty() {
                        // `[]` is an empty list; `[a,]` and `[a,,b]` are left to serde-saphyr.
                        if !(c == ']' && items.is_empty() && start == 0) {
                            return None;
                        }
                    } else {
                        let lead = raw.len() - raw.trim_start().len();
                        let item_col = col + 1 + inner_and_rest[..start + lead].chars().count();
                        items.push(scalar(item, line, item_col, true)?);
                    }
                    start = i + 1;
                    if c == ']' {
                        end = Some(i);
                        break;
                    }
                }
                _ => {}
            },
        }
    }
    let end = end?;
    let after = inner_and_rest[end + 1..].trim_start();
    if !(after.is_empty() || (after.starts_with('#') && inner_and_rest[end + 1..].starts_with(' '))) {
        return None;
    }
    Some(Node {
        value: Value::Seq(items),
        pos: Pos { line, column: col },
    })
}

/// One scalar: quoted without escapes, or plain and unambiguous. `in_flow` restricts plain
/// scalars further (no `:` at all).
fn scalar(text: &str, line: usize, col: usize, in_flow: bool) -> Option<Node> {
    let pos = Pos { line, column: col };
    let first = text.chars().next()?;
    if first == '"' || first == '\'' {
        let body = &text[1..];
        let close = body.find(first)?;
        let inner = &body[..close];
        if inner.contains('\\') || (first == '\'' && body[close + 1..].starts_with('\'')) {
            return None;
        }
        let after = &body[close + 1..];
        let rest = after.trim_start();
        let ok = if in_flow {
            rest.is_empty()
        } else {
            rest.is_empty() || (rest.starts_with('#') && after.starts_with(' '))
        };
        if !ok {
            return None;
        }
        return Some(Node {
            value: Value::Str(inner.to_string()),
            pos,
        });
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return None;
    }
    // A comment starts at ` #`.
    let value = match text.find(" #") {
        Some(i) => &text[..i],
        None => text,
    }
    .trim_end();
    if value.contains(": ") || value.ends_with(':') || (in_flow && value.contains(':')) || value.contains(" #") {
        return None;
    }
    Some(Node {
        value: plain_value(value)?,
        pos,
    })
}

/// The type of a plain scalar under the YAML 1.2 core schema, or `None` when in doubt.
fn plain_value(text: &str) -> Option<Value> {
    match text {
        "null" | "Null" | "NULL" | "~" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let lower = text.to_ascii_lowercase();
    if matches!(lower.as_str(), "yes" | "no" | "on" | "off" | "y" | "n") {
        return None;
    }
    let first = text.chars().next()?;
    if first.is_ascii_digit() || matches!(first, '+' | '-' | '.') {
        let b = text.as_bytes();
        // Dates and datetimes are strings; small plain integers are integers.
        if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit) {
            return Some(Value::Str(text.to_string()));
        }
        if b.len() <= 18 && b.iter().all(u8::is_ascii_digit) && (b.len() == 1 || b[0] != b'0') {
            return text.parse().ok().map(Value::Int);
        }
        // Birthdays without a year (`05-17`) are strings.
        if b.len() == 5 && b[2] == b'-' && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit) {
            return Some(Value::Str(text.to_string()));
        }
        // Spans (`90d`, `2w`, `3m`, `1y`) are strings.
        if let [digits @ .., b'd' | b'w' | b'm' | b'y'] = b
            && !digits.is_empty()
            && digits.iter().all(u8::is_ascii_digit)
        {
            return Some(Value::Str(text.to_string()));
        }
        return None;
    }
    Some(Value::Str(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::parse_with_saphyr;
    use super::parse;
    use proptest::prelude::*;

    /// Where the fast path answers, it answers exactly as serde-saphyr does (a disagreement
    /// fails the test). Returns whether it answered, so that callers can require that it
    /// takes a real share of the inputs (a fast path that declines everything agrees too).
    fn agrees(text: &str) -> bool {
        match parse(text) {
            None => false,
            Some(fast) => {
                let full = parse_with_saphyr(text);
                assert_eq!(Ok(&fast), full.as_ref(), "fast path disagrees on {text:?}");
                true
            }
        }
    }

    #[test]
    fn accepts_typical_front_matter_and_agrees() {
        let typical = [
            "name: Jane Doe\naliases: [JD, \"J. D.\"]\nemails: [jane@example.org]\norganization: Acme Corp\n",
            "tags: [alumni, archives]\ncircles: [alumni]          # how you know them\nmet: 2024-03-12\n",
            "introduced_by: \"[[John Smith]]\"\nlinks:\n  linkedin: https://www.linkedin.com/in/janedoe\ncadence: 90d\n",
            "tags:\n  - a\n  - b c\nfollow_up: 2026-12-01\n",
            "tags:\n- a\n- 'b'\nbirthday: 05-17\n",
            "title: Chair; Head of Special Collections, Oak Hill College\nemployer_size: 500\n",
            "organization:\ntitle:\nemails: []\n",
            "# a comment\n\nname: X # trailing\r\nmet: 2026-10-01 14:30\r\n",
            "phones: [\"+1 512 555 0100\"]\nstatus: active\n",
        ];
        for text in typical {
            assert!(parse(text).is_some(), "the fast path should take {text:?}");
            agrees(text);
        }
    }

    #[test]
    fn declines_what_it_does_not_fully_understand() {
        let unusual = [
            "name: a\nname: b\n",
            "a: 0123\n",
            "a: 1e3\n",
            "a: -5\n",
            "a: yes\n",
            "a: \"x\\ty\"\n",
            "a: 'it''s'\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: b\n  continued\n",
            "a:\n\tb: 1\n",
            "a: [x, [y]]\n",
            "a: {b: 1}\n",
            "a: [x,]\n",
            "\"quoted key\": 1\n",
            "a:\n  - x\n  b: 1\n",
            "a:\n  b:\n    c: 1\n",
            "- a\n",
            "a: b: c\n",
            "",
            "# only a comment\n",
        ];
        for text in unusual {
            assert!(parse(text).is_none(), "the fast path should decline {text:?}");
        }
    }

    /// Found by the `frontmatter` fuzz target: the fast path read the key `TRUE` as a string.
    #[test]
    fn keys_that_are_not_strings_go_to_serde_saphyr() {
        for text in [
            "TRUE: [a]\n",
            "null: x\n",
            "False: 1\n",
            "yes: x\n",
            "links:\n  true: x\n",
        ] {
            assert!(parse(text).is_none(), "the fast path should decline {text:?}");
        }
        assert!(parse("trueish: x\nnull_ish: z\n").is_some());
    }

    #[test]
    fn agrees_on_every_shared_corpus_and_example_file() {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut checked, mut example, mut example_answered) = (0, 0, 0);
        for dir in [manifest.join("example-vault"), manifest.join("../shared/corpus")] {
            for entry in walkdir::WalkDir::new(&dir).into_iter().filter_map(Result::ok) {
                if entry.path().extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                let (_, text) = crate::frontmatter::strip_bom(&text);
                if let crate::frontmatter::Split::Block(block) = crate::frontmatter::split(text) {
                    let answered = agrees(&text[block.yaml]);
                    if dir.ends_with("example-vault") {
                        example += 1;
                        example_answered += usize::from(answered);
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 30, "found the example vault at least");
        // The example vault is front matter as netvault writes it: the fast path takes most.
        assert!(
            example_answered * 10 >= example * 8,
            "the fast path answered only {example_answered} of {example} example files"
        );
    }

    /// Pieces that front matter is made of, including the awkward ones.
    fn scalar_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z][a-zA-Z0-9 .,;/@+()-]{0,12}",
            "[0-9]{1,4}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2})?",
            "[0-9]{1,3}[dwmyxeb]",
            "[0-9]{2}-[0-9]{2}",
            "0[0-9a-z]{1,3}",
            Just("null".to_string()),
            Just("True".to_string()),
            Just("yes".to_string()),
            Just("~".to_string()),
            "[a-z]{1,5}: [a-z]{1,5}",
            "[a-z]{1,5} #[a-z]{1,5}",
            "#[a-z]{1,5}",
            "\"[^\"\\\\\n]{0,10}\"",
            "'[^'\n]{0,10}'",
            "[-?:,&*!|>%@`\\[\\]{}][a-z]{0,4}",
            "[a-zé ü漢]{1,8}",
        ]
    }

    fn line() -> impl Strategy<Value = String> {
        let key = "[a-z_][a-z0-9_-]{0,6}";
        prop_oneof![
            (key, scalar_text()).prop_map(|(k, v)| format!("{k}: {v}")),
            (key, prop::collection::vec(scalar_text(), 0..4)).prop_map(|(k, v)| format!("{k}: [{}]", v.join(", "))),
            (key, 0usize..4, prop::collection::vec(scalar_text(), 1..4)).prop_map(|(k, indent, v)| {
                let pad = " ".repeat(indent);
                let items: Vec<String> = v.iter().map(|x| format!("{pad}- {x}")).collect();
                format!("{k}:\n{}", items.join("\n"))
            }),
            (key, 1usize..4, prop::collection::vec((key, scalar_text()), 1..3)).prop_map(|(k, indent, v)| {
                let pad = " ".repeat(indent);
                let items: Vec<String> = v.iter().map(|(a, b)| format!("{pad}{a}: {b}")).collect();
                format!("{k}:\n{}", items.join("\n"))
            }),
            Just(String::new()),
            Just("# comment".to_string()),
            key.prop_map(|k| format!("{k}:")),
        ]
    }

    #[test]
    fn fast_path_never_disagrees_and_answers_a_real_share() {
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(2000));
        let (answered, total) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
        runner
            .run(
                &(prop::collection::vec(line(), 1..8), any::<bool>()),
                |(lines, crlf)| {
                    let eol = if crlf { "\r\n" } else { "\n" };
                    let text = lines.join(eol) + eol;
                    total.set(total.get() + 1);
                    answered.set(answered.get() + u32::from(agrees(&text)));
                    Ok(())
                },
            )
            .unwrap();
        let (answered, total) = (answered.get(), total.get());
        assert!(
            answered * 5 >= total,
            "the fast path answered only {answered} of {total} generated inputs"
        );
    }
}
