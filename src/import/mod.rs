//! Bringing contacts in from other tools' exports (SPEC §8). Pure: text in, people and
//! reported problems out. One module per format ([`linkedin`], [`vcard`]); the matching and
//! merge rules, shared by every format, live in [`plan`].

pub mod linkedin;
pub mod plan;
pub use crate::vcard::read as vcard;

use jiff::civil::Date;

use crate::contact::NameParts;
use crate::date::Birthday;

/// One person read from an export, cleaned up (trimmed values; single-line except `note`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// The 1-based line of the export the person starts on.
    pub line: usize,
    pub name: String,
    /// The `LinkedIn` profile URL as exported (possibly percent-encoded).
    pub url: Option<String>,
    /// Other web addresses (`links`).
    pub links: Vec<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub organization: Option<String>,
    pub title: Option<String>,
    /// "city, region, country" from a vCard ADR.
    pub location: Option<String>,
    /// A vCard's structured name N, kept so an export never guesses it.
    pub name_parts: Option<NameParts>,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    /// The circles a new file gets (`online` for `LinkedIn`).
    pub circles: Vec<String>,
    /// When you connected online (`LinkedIn`'s Connected On, written as `connected`): not a
    /// meeting, so never `met`.
    pub connected: Option<Date>,
    pub birthday: Option<Birthday>,
    /// Free text (vCard NOTE), kept in the `note` key; may hold line breaks.
    pub note: Option<String>,
}

/// Why a file cannot be read as the export it was given as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotAnExport(pub String);

/// A row (or a problem with a row) reported to the user, with its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowNote {
    pub line: usize,
    pub message: String,
}

/// What an export held: the people, the rows skipped and why, and notes on rows imported
/// with a value left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Export {
    pub people: Vec<Person>,
    pub skipped: Vec<RowNote>,
    pub notes: Vec<RowNote>,
}

/// Decode `%XX` escapes (UTF-8); anything malformed is kept as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| char::from(*b).to_digit(16)),
                bytes.get(i + 2).and_then(|b| char::from(*b).to_digit(16)),
            )
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The key a profile URL is matched by: percent-decoded, then [`crate::contact::normalize_url`].
pub fn url_key(url: &str) -> String {
    crate::contact::normalize_url(&percent_decode(url))
}

/// Runs of whitespace (tabs, line breaks) as one space, trimmed: every imported value is one
/// line of YAML.
pub fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("jos%C3%A9-n%C3%BA%C3%B1ez"), "josé-núñez");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "%FF");
        assert_eq!(
            url_key("https://www.linkedin.com/in/jos%C3%A9-n%C3%BA%C3%B1ez/"),
            "linkedin.com/in/josé-núñez"
        );
        assert_eq!(clean(" Tab\tName \r\n x "), "Tab Name x");
    }
}
