//! Byte offsets ↔ 1-based line and column, for a whole file.
//!
//! Diagnostics speak in lines and columns of the file the user opens, while parsers hand out
//! byte offsets. Columns count characters (not bytes), as editors show them.

/// A table of line starts for one text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
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

    /// 1-based line and character column of byte `offset` in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.line_start(line);
        let offset = offset.min(text.len());
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        (line, column)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The text of 1-based `line` of `text` (the text this index was built on) without its line
    /// ending; empty past the last line. A lookup, not a scan: rendering a diagnostic per line
    /// of a long file stays linear.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line.max(1)).map_or(text.len(), |&next| next - 1);
        let line = text.get(start..end).unwrap_or("");
        line.strip_suffix('\r').unwrap_or(line)
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
}
