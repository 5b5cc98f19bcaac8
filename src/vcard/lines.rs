//! A vCard file's bytes made into plain UTF-8 text that a vCard parser reads right (SPEC §8).
//!
//! Real exports break the parser's assumptions in ways only the raw bytes show: Android's
//! vCard 2.1 writes `N;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=8E=52...` (the charset
//! names the bytes *after* quoted-printable decoding), old Windows tools write raw
//! Windows-1251 bytes under `CHARSET=WINDOWS-1251`, a vCard 2.1 `AGENT:` property holds a whole
//! card on the lines after it, 2.1 values keep a backslash that escapes nothing (`B\C`), and
//! vCard 4.0's `BDAY:1990-08-08` (extended ISO format) is read by the parser as a year and a
//! month. Each logical line that needs it is rewritten here: its value decoded (quoted-printable,
//! then its own `CHARSET=` through `encoding_rs`), those two parameters dropped, line breaks and
//! stray backslashes escaped, `BDAY` marked as text (read by [`super::read`] itself). A nested
//! card is blanked out. Every rewritten line keeps its physical line count (blank lines pad it),
//! so line numbers in notes stay those of the file. Only a file that declares no charset at
//! all and is not UTF-8 is read whole as Windows-1252.
//!
//! Pure: bytes in, text and notes out. Names no parser: the vCard parser is `vcard.rs`'s.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::import::RowNote;

/// The file as UTF-8 text ready for the parser, and notes on how it was decoded.
pub fn prepare(bytes: &[u8]) -> (String, Vec<RowNote>) {
    let mut notes = Vec::new();
    let owned: String;
    let bytes: &[u8] = if let Some(text) = utf16(bytes) {
        owned = text;
        owned.as_bytes()
    } else if !declares_charset(bytes) && std::str::from_utf8(strip_bom(bytes)).is_err() {
        // Nothing says what the bytes are: one guess for the whole file.
        owned = WINDOWS_1252
            .decode_without_bom_handling(strip_bom(bytes))
            .0
            .into_owned();
        notes.push(RowNote {
            line: 1,
            message: "the file is not UTF-8; it was read as Windows-1252 (Latin-1)".into(),
        });
        owned.as_bytes()
    } else {
        strip_bom(bytes)
    };
    let lines: Vec<&[u8]> = physical_lines(bytes);
    let fallback = first_declared_charset(&lines).unwrap_or(WINDOWS_1252);
    let mut out = String::with_capacity(bytes.len());
    let mut undeclared_lossy: Option<usize> = None;
    let mut nested = 0usize;
    let mut after_empty_agent = false;
    let mut i = 0;
    while i < lines.len() {
        let line_no = i + 1;
        let (logical, used) = logical_line(&lines, i);
        i += used;
        let header = Header::parse(&logical);
        let pad = |out: &mut String| {
            for _ in 1..used {
                out.push('\n');
            }
        };
        // A card inside `AGENT:` (vCard 2.1) is the agent's, not a contact: blanked out.
        let is_begin = header.as_ref().is_some_and(|h| h.is("BEGIN") && h.value_is(b"VCARD"));
        let is_end = header.as_ref().is_some_and(|h| h.is("END") && h.value_is(b"VCARD"));
        if nested > 0 || (is_begin && after_empty_agent) {
            if is_begin {
                nested += 1;
            } else if is_end {
                nested -= 1;
            }
            out.push('\n');
            pad(&mut out);
            after_empty_agent = false;
            continue;
        }
        after_empty_agent = header
            .as_ref()
            .is_some_and(|h| h.is("AGENT") && h.value.trim_ascii().is_empty());
        let Some(header) = header.filter(Header::needs_rewrite) else {
            // Kept as written: each physical line as text.
            for raw in &lines[i - used..i] {
                if let Ok(text) = std::str::from_utf8(raw) {
                    out.push_str(text);
                } else {
                    undeclared_lossy.get_or_insert(line_no);
                    out.push_str(&fallback.decode_without_bom_handling(raw).0);
                }
                out.push('\n');
            }
            continue;
        };
        let Decoded { text, lossy, guessed } = header.decoded_value(fallback);
        if guessed {
            undeclared_lossy.get_or_insert(line_no);
        }
        if let Some(label) = lossy {
            notes.push(RowNote {
                line: line_no,
                message: format!("some bytes of this line are not {label}; they were replaced by �"),
            });
        }
        out.push_str(&header.rewritten(&text));
        out.push('\n');
        pad(&mut out);
    }
    if let Some(line) = undeclared_lossy {
        notes.push(RowNote {
            line,
            message: format!(
                "lines without a CHARSET are not UTF-8; they were read as {}",
                fallback.name()
            ),
        });
    }
    (out, notes)
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// A file with a UTF-16 byte-order mark (Outlook's export) as text. A stray unpaired surrogate
/// becomes U+FFFD: one odd character, not the whole file misread as Windows-1252.
fn utf16(bytes: &[u8]) -> Option<String> {
    let (encoding, bom) = Encoding::for_bom(bytes)?;
    (encoding != UTF_8).then(|| encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned())
}

fn declares_charset(bytes: &[u8]) -> bool {
    bytes.windows(9).any(|w| w.eq_ignore_ascii_case(b";charset="))
}

/// The first `CHARSET=` of the file that `encoding_rs` knows: the phone's charset, used for a
/// line it forgot to label.
fn first_declared_charset(lines: &[&[u8]]) -> Option<&'static Encoding> {
    lines.iter().find_map(|line| {
        let header = Header::parse(line)?;
        Encoding::for_label(header.charset?.as_bytes()).filter(|e| *e != UTF_8)
    })
}

/// The file's lines without their line ends (`\n`, `\r\n`, or a lone `\r`).
fn physical_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// The logical line starting at `lines[start]`, unfolded, and how many physical lines it took:
/// a line starting with a space or tab continues the previous one (its first blank dropped), and
/// so does any line after a quoted-printable value ending in a soft break (`=`).
fn logical_line(lines: &[&[u8]], start: usize) -> (Vec<u8>, usize) {
    let mut logical = lines[start].to_vec();
    let qp = Header::parse(&logical).is_some_and(|h| h.quoted_printable);
    let mut used = 1;
    while let Some(next) = lines.get(start + used) {
        if qp && logical.ends_with(b"=") {
            logical.pop();
            logical.extend_from_slice(next);
        } else if let [b' ' | b'\t', rest @ ..] = next {
            logical.extend_from_slice(rest);
        } else {
            break;
        }
        used += 1;
    }
    (logical, used)
}

/// A value made text.
struct Decoded {
    text: String,
    /// The charset's name when some bytes were not valid in it (and were replaced).
    lossy: Option<&'static str>,
    /// Read in the fallback charset: the line declares none and is not UTF-8.
    guessed: bool,
}

/// A property line split at its first `:` outside double quotes.
struct Header<'a> {
    /// `item1.EMAIL`, as written.
    name: String,
    /// Every parameter as written, `TYPE=work` or a bare `HOME`.
    params: Vec<String>,
    charset: Option<String>,
    quoted_printable: bool,
    value: &'a [u8],
}

impl<'a> Header<'a> {
    fn parse(line: &'a [u8]) -> Option<Self> {
        let mut quoted = false;
        let colon = line.iter().position(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            b == b':' && !quoted
        })?;
        let head = String::from_utf8_lossy(&line[..colon]);
        let mut parts = Vec::new();
        let mut part = String::new();
        let mut quoted = false;
        for ch in head.chars() {
            match ch {
                '"' => {
                    quoted = !quoted;
                    part.push(ch);
                }
                ';' if !quoted => parts.push(std::mem::take(&mut part)),
                _ => part.push(ch),
            }
        }
        parts.push(part);
        let name = parts.remove(0).trim().to_string();
        if name.is_empty() {
            return None;
        }
        let mut header = Header {
            name,
            params: Vec::new(),
            charset: None,
            quoted_printable: false,
            value: &line[colon + 1..],
        };
        for param in parts {
            let (key, value) = param.split_once('=').unwrap_or(("", param.as_str()));
            let (key, value) = (key.trim(), value.trim().trim_matches('"'));
            if key.eq_ignore_ascii_case("charset") {
                header.charset = Some(value.to_string());
            } else if value.eq_ignore_ascii_case("quoted-printable")
                && (key.is_empty() || key.eq_ignore_ascii_case("encoding"))
            {
                header.quoted_printable = true;
            } else {
                header.params.push(param);
            }
        }
        Some(header)
    }

    /// Whether the property's name (without its group) is `name`.
    fn is(&self, name: &str) -> bool {
        let bare = self.name.rsplit('.').next().unwrap_or(&self.name);
        bare.eq_ignore_ascii_case(name)
    }

    fn value_is(&self, value: &[u8]) -> bool {
        self.value.trim_ascii().eq_ignore_ascii_case(value)
    }

    fn has_param(&self, key: &str) -> bool {
        self.params.iter().any(|p| {
            p.split_once('=')
                .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case(key))
        })
    }

    fn is_binary(&self) -> bool {
        self.params.iter().any(|p| {
            let value = p.split_once('=').map_or(p.as_str(), |(_, v)| v).trim();
            ["b", "base64"].iter().any(|b| value.eq_ignore_ascii_case(b))
        })
    }

    /// Whether the parser would misread the line as written.
    fn needs_rewrite(&self) -> bool {
        if self.is_binary() {
            return false;
        }
        self.charset.is_some()
            || self.quoted_printable
            || (self.is("BDAY") && !self.has_param("VALUE"))
            || std::str::from_utf8(self.value).is_err()
            || stray_backslash(self.value)
    }

    /// The value as text: quoted-printable decoded, then read in its charset (else UTF-8, else
    /// `fallback`).
    fn decoded_value(&self, fallback: &'static Encoding) -> Decoded {
        let bytes = if self.quoted_printable {
            quoted_printable(self.value)
        } else {
            self.value.to_vec()
        };
        let declared = self.charset.as_deref().and_then(|c| Encoding::for_label(c.as_bytes()));
        let (encoding, guessed) = match declared {
            Some(encoding) => (encoding, false),
            None if std::str::from_utf8(&bytes).is_ok() => (UTF_8, false),
            None => (fallback, true),
        };
        let (text, _, lossy) = encoding.decode(&bytes);
        Decoded {
            text: text.into_owned(),
            lossy: lossy.then(|| encoding.name()),
            guessed,
        }
    }

    /// The line for the parser: the charset and encoding parameters dropped (the value is now
    /// UTF-8 text), `BDAY` marked as text, line breaks and stray backslashes escaped.
    fn rewritten(&self, value: &str) -> String {
        let mut line = self.name.clone();
        for param in &self.params {
            line.push(';');
            line.push_str(param);
        }
        if self.is("BDAY") && !self.has_param("VALUE") {
            line.push_str(";VALUE=text");
        }
        line.push(':');
        let value = value.replace("\r\n", "\n").replace('\r', "\n");
        let mut chars = value.chars().peekable();
        while let Some(ch) = chars.next() {
            match ch {
                '\n' => line.push_str("\\n"),
                '\\' => match chars.peek() {
                    Some(&next @ ('\\' | ';' | ',' | 'n' | 'N')) => {
                        line.push('\\');
                        line.push(next);
                        chars.next();
                    }
                    _ => line.push_str("\\\\"),
                },
                _ => line.push(ch),
            }
        }
        line
    }
}

/// A backslash that escapes nothing the vCard specs define (`\\`, `\;`, `\,`, `\n`): kept as a
/// backslash, as vCard 2.1 readers do, instead of being dropped.
fn stray_backslash(value: &[u8]) -> bool {
    let mut i = 0;
    while i < value.len() {
        if value[i] == b'\\' {
            match value.get(i + 1) {
                Some(b'\\' | b';' | b',' | b'n' | b'N') => i += 2,
                _ => return true,
            }
        } else {
            i += 1;
        }
    }
    false
}

/// Quoted-printable decoding (RFC 2045): `=XX` escapes; anything malformed kept as written.
fn quoted_printable(value: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        if value[i] == b'='
            && let (Some(h), Some(l)) = (
                value.get(i + 1).and_then(|b| hex(*b)),
                value.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(value[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        prepare(bytes).0
    }

    #[test]
    fn decodes_each_value_by_its_own_charset_after_quoted_printable() {
        let mut file =
            b"BEGIN:VCARD\r\nN;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=8E=52=93=63;=89=D4=8E=71;;;\r\n".to_vec();
        file.extend_from_slice(b"ORG;CHARSET=WINDOWS-1251:\xc8\xe2\xe0\xed\r\nFN:Plain\r\nEND:VCARD\r\n");
        let (out, notes) = prepare(&file);
        assert_eq!(out, "BEGIN:VCARD\nN:山田;花子;;;\nORG:Иван\nFN:Plain\nEND:VCARD\n");
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn soft_breaks_and_folds_keep_the_line_count() {
        let out = text(b"BEGIN:VCARD\nNOTE;ENCODING=QUOTED-PRINTABLE:a=0D=0Ab=\n=C3=BC\nNOTE:x\\y\n  z\nEND:VCARD\n");
        assert_eq!(out, "BEGIN:VCARD\nNOTE:a\\nbü\n\nNOTE:x\\\\y z\n\nEND:VCARD\n");
    }

    #[test]
    fn blanks_out_a_card_nested_in_agent() {
        let out = text(b"BEGIN:VCARD\nFN:P\nAGENT:\nBEGIN:VCARD\nFN:A\nTEL:1\nEND:VCARD\nTEL:2\nEND:VCARD\n");
        assert_eq!(out, "BEGIN:VCARD\nFN:P\nAGENT:\n\n\n\n\nTEL:2\nEND:VCARD\n");
        // A card cut short before the next one is not nested.
        let out = text(b"BEGIN:VCARD\nFN:P\nBEGIN:VCARD\nFN:Q\nEND:VCARD\n");
        assert_eq!(out, "BEGIN:VCARD\nFN:P\nBEGIN:VCARD\nFN:Q\nEND:VCARD\n");
    }

    #[test]
    fn marks_bday_as_text_and_leaves_binary_values_alone() {
        let out = text(b"BDAY:1990-08-08\nBDAY;VALUE=text:circa 1800\nPHOTO;ENCODING=b;CHARSET=x:AA==\n");
        assert_eq!(
            out,
            "BDAY;VALUE=text:1990-08-08\nBDAY;VALUE=text:circa 1800\nPHOTO;ENCODING=b;CHARSET=x:AA==\n"
        );
    }

    #[test]
    fn falls_back_for_the_whole_file_only_without_a_declared_charset() {
        let (out, notes) = prepare(b"FN:Zo\xEB \x80\n");
        assert_eq!(out, "FN:Zoë €\n");
        assert!(notes[0].message.contains("Windows-1252"), "{notes:?}");
        // With a declared charset, an unlabelled line is read in that charset.
        let (out, notes) = prepare(b"N;CHARSET=windows-1251:\xc8\n\nFN:\xc8\n");
        assert_eq!(out, "N:И\n\nFN:И\n");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].line, 3);
        assert!(notes[0].message.contains("windows-1251"), "{notes:?}");
    }

    #[test]
    fn utf16_and_bom() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("FN:Zoë".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(prepare(&utf16), ("FN:Zoë\n".to_string(), Vec::new()));
        assert_eq!(text(b"\xEF\xBB\xBFFN:A"), "FN:A\n");
    }

    #[test]
    fn utf16_with_an_unpaired_surrogate_keeps_the_rest_of_the_file() {
        let mut units: Vec<u16> = "FN:Zoë ".encode_utf16().collect();
        units.push(0xD800); // a high surrogate with no low one after it
        units.extend("Ng\nEMAIL:z@example.com".encode_utf16());
        let bytes: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(units.iter().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(prepare(&bytes).0, "FN:Zoë \u{FFFD}Ng\nEMAIL:z@example.com\n");
    }
}
