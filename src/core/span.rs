//! Byte offsets ↔ 1-based line and column, for a whole file, and [`Source`]: a file's text with
//! its line index, what a diagnostic's byte range points into.
//!
//! Diagnostics speak in lines and columns of the file the user opens, while parsers hand out
//! byte offsets (or, like the YAML library, lines and columns to be turned into offsets). Lines
//! end at `\n` only (a lone `\r` is a character, as in the user's editor and in `edit.rs`).
//! Columns count characters (not bytes), as editors show them; [`LineIndex::utf16_position`]
//! gives the UTF-16 column the language server protocol speaks. Every conversion is a binary
//! search over the line starts plus a walk of one line, never a scan from the top: rendering a
//! diagnostic per line of a long file stays linear.

use std::ops::Range;
use std::sync::Arc;

/// A table of line starts for one text, built once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        Self::of_bytes(text.as_bytes())
    }

    /// The index of bytes that may not be UTF-8 (to say on which line a bad byte is).
    pub fn of_bytes(bytes: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// The byte offset where 1-based `line` starts (the end of text for lines past it).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or_else(|| *self.starts.last().unwrap_or(&0))
    }

    /// The bytes of 1-based `line` of `text` (the text this index was built on), without its
    /// line ending; an empty range at the end of text past the last line.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return text.len()..text.len();
        };
        let start = start.min(text.len());
        let mut end = self
            .starts
            .get(line.max(1))
            .map_or(text.len(), |&next| next - 1)
            .max(start);
        if text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r') && end > start {
            end -= 1;
        }
        start..end
    }

    /// 1-based line and character column of byte `offset` in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.line_start(line);
        let offset = offset.min(text.len());
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// 0-based line and UTF-16 column of byte `offset` in `text`: an LSP `Position`.
    pub fn utf16_position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.line_start(line);
        let offset = offset.min(text.len());
        let column = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().map(char::len_utf16).sum());
        (line - 1, column)
    }

    /// The byte offset of 1-based `line` and character `column` in `text` (the inverse of
    /// [`LineIndex::line_col`]); a column past the line's end is its end.
    pub fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let range = self.line_range(text, line);
        let on_line = &text[range.clone()];
        range.start
            + on_line
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(on_line.len(), |(i, _)| i)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The text of 1-based `line` of `text` (the text this index was built on) without its line
    /// ending; empty past the last line.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        &text[self.line_range(text, line)]
    }
}

/// The text a file was parsed from, shared, with its line index: a diagnostic's range is
/// resolved against it, and `validate` renders from it rather than reading the file again (a
/// file saved in between would put the caret on the wrong line). For a file with a BOM, the
/// text after it (editors do not show a BOM, and columns do not count it); for a file that is
/// not UTF-8, its lossy decoding (enough to show its first line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    text: Arc<str>,
    lines: Arc<LineIndex>,
}

impl Source {
    pub fn new(text: &str) -> Self {
        Self {
            lines: Arc::new(LineIndex::new(text)),
            text: Arc::from(text),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// 1-based line and character column of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.text, offset)
    }

    /// The bytes of `chars` characters from 1-based `line` and `column`, cut at the line's end
    /// (an empty range at the end of a line or of the text).
    pub fn range(&self, line: usize, column: usize, chars: usize) -> Range<usize> {
        let start = self.lines.offset(&self.text, line, column);
        let line_end = self.lines.line_range(&self.text, line).end.max(start);
        let rest = &self.text[start..line_end];
        start..start + rest.char_indices().nth(chars).map_or(rest.len(), |(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_and_char_columns() {
        let text = "ab\nçd\r\nef";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 3), (2, 1));
        assert_eq!(index.line_col(text, 5), (2, 2)); // after the two-byte ç
        assert_eq!(index.line_col(text, 9), (3, 2));
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_text(text, 1), "ab");
        assert_eq!(index.line_text(text, 2), "çd");
        assert_eq!(index.line_text(text, 3), "ef");
        assert_eq!(index.line_text(text, 4), "");
    }

    #[test]
    fn line_and_column_map_back_to_offsets() {
        let text = "ab\nçd\r\nef\n";
        let index = LineIndex::new(text);
        for offset in [0, 1, 3, 5, 8, 9] {
            let (line, column) = index.line_col(text, offset);
            assert_eq!(index.offset(text, line, column), offset, "{offset}");
        }
        // Past a line's end: its end, before the CR.
        assert_eq!(index.offset(text, 2, 9), 6);
        assert_eq!(index.offset(text, 9, 1), text.len());
    }

    #[test]
    fn a_lone_cr_does_not_end_a_line() {
        let text = "a\rb\nc";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 2), (1, 3));
        assert_eq!(index.line_text(text, 1), "a\rb");
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "x\n😀é!";
        let index = LineIndex::new(text);
        let bang = text.find('!').unwrap();
        assert_eq!(index.utf16_position(text, bang), (1, 3));
        assert_eq!(index.line_col(text, bang), (2, 3));
    }

    #[test]
    fn source_ranges_count_characters_and_stop_at_the_line_end() {
        let source = Source::new("name: Zoë\r\nnext");
        assert_eq!(&source.text()[source.range(1, 7, 3)], "Zoë");
        assert_eq!(&source.text()[source.range(1, 7, 99)], "Zoë");
        assert_eq!(source.range(1, 20, 1), 10..10);
        assert_eq!(source.line_col(13), (2, 2));
    }
}
