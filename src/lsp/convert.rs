//! What the protocol speaks ↔ what netvault speaks: `file://` URIs ↔ paths, and UTF-16
//! `Position`s ↔ byte offsets of a text (through [`crate::span::LineIndex`], the one line
//! table), plus an edit's byte range → `TextEdit`s of only the lines that changed.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use lsp_types::{Position, TextEdit, Uri};

use crate::span::LineIndex;

/// The path a `file://` URI names (percent-decoded), or `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text.strip_prefix("file://")?;
    // `file:///home/x` (empty authority) or `file://localhost/home/x`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text_hex(bytes.get(i + 1..i + 3))
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    let path = String::from_utf8(out).ok()?;
    Some(PathBuf::from(path))
}

fn text_hex(pair: Option<&[u8]>) -> Option<u8> {
    let pair = std::str::from_utf8(pair?).ok()?;
    u8::from_str_radix(pair, 16).ok()
}

/// The `file://` URI of an absolute path, percent-encoding what RFC 3986 does not allow in a
/// path (spaces, `#`, `?`, `%`, non-ASCII bytes).
pub fn path_to_uri(path: &Path) -> Uri {
    let mut text = String::from("file://");
    let path = path.to_string_lossy();
    if !path.starts_with('/') {
        text.push('/');
    }
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
            text.push(char::from(byte));
        } else {
            let _ = write!(text, "%{byte:02X}");
        }
    }
    Uri::from_str(&text).expect("a percent-encoded file URI is valid")
}

/// Byte offset `offset` of `text` as an LSP position.
pub fn position(lines: &LineIndex, text: &str, offset: usize) -> Position {
    let (line, character) = lines.utf16_position(text, offset);
    Position::new(to_u32(line), to_u32(character))
}

/// A byte range of `text` as an LSP range.
pub fn range(lines: &LineIndex, text: &str, bytes: &Range<usize>) -> lsp_types::Range {
    lsp_types::Range::new(position(lines, text, bytes.start), position(lines, text, bytes.end))
}

/// The byte offset of an LSP position in `text`: a line past the end is the end of the text, a
/// character past the line's end is its end, and one inside a surrogate pair is its start.
pub fn offset(lines: &LineIndex, text: &str, at: Position) -> usize {
    let line = at.line as usize + 1;
    if line > lines.line_count() {
        return text.len();
    }
    let on_line = lines.line_range(text, line);
    let mut units = 0usize;
    for (i, c) in text[on_line.clone()].char_indices() {
        if units >= at.character as usize {
            return on_line.start + i;
        }
        units += c.len_utf16();
        if units > at.character as usize {
            return on_line.start + i;
        }
    }
    on_line.end
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The edits that turn `old` into `new`, whole lines at a time and only where they differ (a
/// client applying them leaves every other line as it was: the surgical rule of `edit.rs`).
pub fn line_edits(old: &str, new: &str) -> Vec<TextEdit> {
    let lines = LineIndex::new(old);
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let mut out = Vec::new();
    let mut starts = Vec::with_capacity(a.len() + 1);
    let mut at = 0;
    for l in &a {
        starts.push(at);
        at += l.len();
    }
    starts.push(at);
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b) {
        let (tag, removed, added) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        let bytes = starts[removed.start]..starts[removed.end];
        out.push(TextEdit {
            range: range(&lines, old, &bytes),
            new_text: b[added].concat(),
        });
    }
    out
}

/// Apply one content change of `didChange` (a range and its new text, or the whole text) to
/// `text`.
pub fn apply_change(text: &mut String, change: &lsp_types::TextDocumentContentChangeEvent) {
    let Some(at) = change.range else {
        text.clone_from(&change.text);
        return;
    };
    let lines = LineIndex::new(text);
    let start = offset(&lines, text, at.start);
    let end = offset(&lines, text, at.end).max(start);
    text.replace_range(start..end, &change.text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_round_trip_through_emoji_and_accents() {
        let text = "name: José 😀 Núñez\nfolow_up: x\n";
        let lines = LineIndex::new(text);
        let n = text.find("Núñez").unwrap();
        let p = position(&lines, text, n);
        // "name: José " is 11 units, the emoji 2, the space 1.
        assert_eq!(p, Position::new(0, 14));
        assert_eq!(offset(&lines, text, p), n);
        let f = text.find("folow_up").unwrap();
        assert_eq!(position(&lines, text, f), Position::new(1, 0));
        // Past the line's end: its end; past the text: the end.
        assert_eq!(offset(&lines, text, Position::new(0, 99)), text.find('\n').unwrap());
        assert_eq!(offset(&lines, text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn uris_round_trip_with_spaces_and_accents() {
        let path = Path::new("/tmp/v/people/José Núñez #1.md");
        let uri = path_to_uri(path);
        assert_eq!(
            uri.as_str(),
            "file:///tmp/v/people/Jos%C3%A9%20N%C3%BA%C3%B1ez%20%231.md"
        );
        assert_eq!(uri_to_path(&uri).unwrap(), path);
    }

    #[test]
    fn incremental_changes_use_utf16_ranges() {
        let mut text = String::from("a 😀 b\n");
        let change = lsp_types::TextDocumentContentChangeEvent {
            range: Some(lsp_types::Range::new(Position::new(0, 5), Position::new(0, 6))),
            range_length: None,
            text: "c".into(),
        };
        apply_change(&mut text, &change);
        assert_eq!(text, "a 😀 c\n");
    }

    #[test]
    fn line_edits_touch_only_changed_lines() {
        let old = "a\nb\nc\n";
        let new = "a\nB\nc\nd\n";
        let edits = line_edits(old, new);
        assert_eq!(edits.len(), 2);
        assert_eq!(edits[0].new_text, "B\n");
        assert_eq!(
            edits[0].range,
            lsp_types::Range::new(Position::new(1, 0), Position::new(2, 0))
        );
        assert_eq!(edits[1].new_text, "d\n");
    }
}
