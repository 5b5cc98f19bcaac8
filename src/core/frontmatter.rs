//! Splitting a contact file into front matter and body, and the layout of the front matter's
//! top-level keys.
//!
//! The layout scanner is the one place that knows which lines each top-level key occupies: the
//! validator uses it to point at keys, and the surgical editor (`edit`) replaces, inserts and
//! removes exactly those lines. YAML values themselves are read by [`crate::yaml`].

use std::ops::Range;

/// Where the parts of a file are, as byte ranges into the text *after* any BOM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    /// The first line is not `---`: the whole text is body.
    NoFrontMatter,
    /// An opening `---` with no closing line.
    Unterminated,
    /// A complete block.
    Block(Block),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The YAML text between the delimiter lines.
    pub yaml: Range<usize>,
    /// 1-based file line of the first YAML line (always 2).
    pub yaml_first_line: usize,
    /// 1-based file line of the closing delimiter.
    pub close_line: usize,
    /// The body after the closing delimiter's line ending.
    pub body: Range<usize>,
}

/// Strip a UTF-8 BOM; returns whether there was one.
pub fn strip_bom(text: &str) -> (bool, &str) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => (true, rest),
        None => (false, text),
    }
}

fn is_delimiter(line: &str, marks: &[&str]) -> bool {
    let trimmed = line.trim_end_matches([' ', '\t', '\r', '\n']);
    marks.contains(&trimmed)
}

/// Find the front matter in `text` (BOM already stripped). SPEC §3: it starts on the first line
/// with `---` (trailing spaces allowed) and ends at the next line that is `---` or `...`.
pub fn split(text: &str) -> Split {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else {
        return Split::NoFrontMatter;
    };
    if !is_delimiter(first, &["---"]) {
        return Split::NoFrontMatter;
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (i, line) in lines.enumerate() {
        let line_no = i + 2;
        if is_delimiter(line, &["---", "..."]) {
            return Split::Block(Block {
                yaml: yaml_start..offset,
                yaml_first_line: 2,
                close_line: line_no,
                body: offset + line.len()..text.len(),
            });
        }
        offset += line.len();
    }
    Split::Unterminated
}

/// One top-level key of the front matter and the lines it occupies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLayout {
    /// The key as written, without quotes.
    pub key: String,
    /// 1-based file line of the key.
    pub line: usize,
    /// Byte range in the text (BOM stripped) of the key's lines: from the start of the key line
    /// to the end of its last continuation line, line ending included. Trailing blank and
    /// comment lines are not part of it.
    pub bytes: Range<usize>,
    /// 1-based character column where the value starts on the key line, if it has an inline value.
    pub value_column: Option<usize>,
}

/// Scan the top-level keys of a block's YAML. This is deliberately a line scanner, not a YAML
/// parser: it only needs to agree with YAML on well-formed block mappings, which is what a file
/// that passed [`crate::yaml::parse`] as a mapping holds. Flow mappings at the top level
/// (`{a: 1}`) yield no keys.
pub fn scan_keys(text: &str, block: &Block) -> Vec<KeyLayout> {
    let mut keys: Vec<KeyLayout> = Vec::new();
    let mut offset = block.yaml.start;
    let yaml = &text[block.yaml.clone()];
    for (i, line) in yaml.split_inclusive('\n').enumerate() {
        let line_no = block.yaml_first_line + i;
        let content = line.trim_end_matches(['\r', '\n']);
        let end = offset + line.len();
        if let Some((key, value_byte)) = top_level_key(content) {
            let value_column = value_byte.map(|b| content[..b].chars().count() + 1);
            keys.push(KeyLayout {
                key,
                line: line_no,
                bytes: offset..end,
                value_column,
            });
        } else if let Some(last) = keys.last_mut() {
            let trimmed = content.trim_start();
            // Indented lines and column-0 sequence items continue the key; blank lines and
            // column-0 comments do not (they stay put when the key is replaced).
            let indented = trimmed.len() < content.len();
            let continuation = !trimmed.is_empty() && (indented || !trimmed.starts_with('#'));
            if continuation {
                last.bytes.end = end;
            }
        }
        offset = end;
    }
    keys
}

/// If `line` starts a top-level mapping key, return the key and the byte offset of its inline
/// value (None when the value is on the following lines).
fn top_level_key(line: &str) -> Option<(String, Option<usize>)> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{' | ']' | '}' | ',') {
        return None;
    }
    let (key, after) = if first == '"' || first == '\'' {
        let close = line[1..].find(first)? + 1;
        let key = line[1..close].to_string();
        let rest = &line[close + 1..];
        let rest_trim = rest.trim_start();
        if !rest_trim.starts_with(':') {
            return None;
        }
        (key, close + 1 + (rest.len() - rest_trim.len()) + 1)
    } else {
        // A plain key ends at the first ": " or ":" at end of line.
        let bytes = line.as_bytes();
        let mut colon = None;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\t') {
                colon = Some(i);
                break;
            }
            if b == b' ' && bytes.get(i + 1) == Some(&b'#') {
                return None;
            }
        }
        let colon = colon?;
        (line[..colon].trim_end().to_string(), colon + 1)
    };
    let rest = &line[after..];
    let value_start = rest.len() - rest.trim_start().len();
    let value = rest.trim();
    let inline = !value.is_empty() && !value.starts_with('#');
    Some((key, inline.then_some(after + value_start)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> Block {
        match split(text) {
            Split::Block(b) => b,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn splits_dashes_and_dots_with_trailing_spaces() {
        let text = "---  \nname: A\n...\nbody\n";
        let b = block(text);
        assert_eq!(&text[b.yaml.clone()], "name: A\n");
        assert_eq!(&text[b.body.clone()], "body\n");
        assert_eq!(b.close_line, 3);
    }

    #[test]
    fn crlf_is_accepted() {
        let text = "---\r\nname: A\r\n---\r\nbody\r\n";
        let b = block(text);
        assert_eq!(&text[b.yaml.clone()], "name: A\r\n");
        assert_eq!(&text[b.body], "body\r\n");
    }

    #[test]
    fn no_front_matter_and_unterminated() {
        assert_eq!(split("\n---\nname: A\n---\n"), Split::NoFrontMatter);
        assert_eq!(split("+++\nname = 1\n+++\n"), Split::NoFrontMatter);
        assert_eq!(split("---\nname: A\n"), Split::Unterminated);
        assert_eq!(split(""), Split::NoFrontMatter);
    }

    #[test]
    fn a_value_with_dashes_does_not_close() {
        let text = "---\ntitle: a---b\n---\n";
        assert_eq!(block(text).close_line, 3);
    }

    #[test]
    fn key_layout_covers_continuations_not_trailing_comments() {
        let text = "---\nname: Jane # hi\ntags:\n  - a\n- b\n\n# comment\n\"odd key\": 1\nurl: http://x\n---\n";
        let b = block(text);
        let keys = scan_keys(text, &b);
        let names: Vec<_> = keys.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(names, ["name", "tags", "odd key", "url"]);
        assert_eq!(&text[keys[1].bytes.clone()], "tags:\n  - a\n- b\n");
        assert_eq!(keys[0].value_column, Some(7));
        assert_eq!(keys[1].value_column, None);
        assert_eq!(keys[2].line, 8);
        assert_eq!(keys[3].value_column, Some(6));
    }
}
