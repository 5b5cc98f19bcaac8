//! Naming a new contact file: a NAME made safe as a file name on every OS ([`safe_file_stem`]),
//! and the names a folder already holds, compared as the file systems that ignore case would.

use std::path::{Path, PathBuf};

/// Characters no file name may hold on some OS.
const FORBIDDEN: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|'];

/// Windows device names, reserved with any extension and in any case.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²",
    "COM³", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³", "CONIN$",
    "CONOUT$",
];

/// A file name as case-insensitive file systems compare it (macOS, Windows, and a git clone
/// there): Unicode-normalised (NFC) and lower-cased. `Jane.md` and `JANE.md` are one file there.
pub fn file_name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    name.nfc().collect::<String>().to_lowercase()
}

/// The names in `folder` (none when it does not exist), keyed by [`file_name_key`].
pub fn folder_names(folder: &Path) -> std::collections::HashMap<String, PathBuf> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(std::result::Result::ok)
                .map(|e| (file_name_key(&e.file_name().to_string_lossy()), e.path()))
                .collect()
        })
        // An unreadable folder names no file: the new file's name is then only checked by
        // `write_new`, which never replaces an existing file.
        .unwrap_or_default()
}

/// The longest file name `add` writes, in UTF-8 bytes, `.md` included.
pub const MAX_FILE_NAME_BYTES: usize = 120;

/// A file stem that is safe on every OS for the contact `name` (SPEC §8): forbidden and control
/// characters become spaces, runs of spaces one space; leading dots and spaces, and trailing
/// ones (Windows drops them), go; a reserved Windows name gets a `_`; the name with `.md` is cut
/// to [`MAX_FILE_NAME_BYTES`] on a character boundary. `None` when nothing is left.
pub fn safe_file_stem(name: &str) -> Option<String> {
    let replaced: String = name
        .chars()
        .map(|c| {
            if FORBIDDEN.contains(&c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut stem = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let limit = MAX_FILE_NAME_BYTES - ".md".len() - 1; // room for a reserved-name `_`
    if stem.len() > limit {
        let mut cut = limit;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
    }
    let stem = stem.trim_matches(|c: char| c == '.' || c.is_whitespace()).to_string();
    if stem.is_empty() {
        return None;
    }
    let base = stem.split('.').next().unwrap_or("").trim_end();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(base)) {
        return Some(format!("{stem}_"));
    }
    Some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_stems() {
        assert_eq!(safe_file_stem("Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(safe_file_stem("../../etc/passwd").as_deref(), Some("etc passwd"));
        assert_eq!(safe_file_stem("CON").as_deref(), Some("CON_"));
        assert_eq!(safe_file_stem("lpt1.txt").as_deref(), Some("lpt1.txt_"));
        assert_eq!(safe_file_stem("a:b*c?").as_deref(), Some("a b c"));
        assert_eq!(safe_file_stem(".hidden.").as_deref(), Some("hidden"));
        assert_eq!(safe_file_stem("a\u{7}b").as_deref(), Some("a b"));
        assert_eq!(safe_file_stem("../.."), None);
        let long = "é".repeat(100);
        let stem = safe_file_stem(&long).unwrap();
        assert!(stem.len() + 3 <= MAX_FILE_NAME_BYTES);
        assert!(stem.chars().all(|c| c == 'é'));
    }
}
