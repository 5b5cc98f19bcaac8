//! The surgical edits (`edit::set_key`, `remove_key`, `insert_log_entry`) on arbitrary files with
//! an arbitrary key and value. They must never panic; when one returns `Ok`, only the edited
//! lines differ (the checks of the property tests in src/edit.rs), and a file whose front matter
//! was a readable mapping still is one, holding the value written.
//!
//! Input layout (so that real files seed it, see fuzz/README.md): byte 0 picks the edit
//! (`% 3`: set, remove, log) and, with bit 0x80, writes the value as raw YAML instead of through
//! `edit::yaml_scalar`; then UTF-8 text whose first line is `key<TAB>value` (the message, for a
//! log entry) and whose remaining lines are the file.

#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use netvault::contact;
use netvault::diagnostic::Code;
use netvault::edit::{self, Change};
use netvault::frontmatter::{self, KeyLayout, Split};
use netvault::yaml::{self, Value};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(rest) = std::str::from_utf8(rest) else {
        return;
    };
    let Some((head, text)) = rest.split_once('\n') else {
        return;
    };
    let (key, value) = head.split_once('\t').unwrap_or((head, "x"));
    let raw = mode & 0x80 != 0;
    scalars_read_back(value);
    match mode % 3 {
        0 => set(text, key, value, raw),
        1 => remove(text, key),
        _ => log(text, value),
    }
});

/// `yaml_scalar` and `yaml_list` write values YAML reads back exactly.
fn scalars_read_back(value: &str) {
    let doc = format!(
        "a: {}\nb: {}\n",
        edit::yaml_scalar(value),
        edit::yaml_list(&[value, "x"])
    );
    let root = yaml::parse(&doc).unwrap_or_else(|e| panic!("{e:?} in {doc:?}"));
    let Value::Map(entries) = root.value else {
        panic!("not a mapping: {doc:?}")
    };
    assert_eq!(entries[0].1.value, Value::Str(value.to_string()), "{doc:?}");
    let Value::Seq(items) = &entries[1].1.value else {
        panic!("not a list: {doc:?}")
    };
    assert_eq!(items[0].value, Value::Str(value.to_string()), "{doc:?}");
}

/// Lines with their endings, the BOM kept on the first.
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// The key standing for `key` as `edit` finds it without a config: exact spelling, else alias.
fn find_key<'k>(keys: &'k [KeyLayout], key: &str) -> Option<&'k KeyLayout> {
    keys.iter()
        .find(|k| k.key == key)
        .or_else(|| keys.iter().find(|k| contact::canonical_field(&k.key) == Some(key)))
}

/// The front matter's YAML was read as a mapping (no YAML-level diagnostic).
fn readable(text: &str) -> bool {
    let parsed = contact::parse_file("Fuzz.md", text.as_bytes(), &BTreeMap::new());
    parsed.contact.is_some()
        && !parsed.diagnostics.iter().any(|d| {
            matches!(
                d.code,
                Code::YamlSyntax | Code::NotAMapping | Code::FrontMatterUnterminated
            )
        })
}

/// The top-level entries of a file's front matter.
fn entries(text: &str) -> Vec<(yaml::Node, yaml::Node)> {
    let (_, rest) = frontmatter::strip_bom(text);
    let Split::Block(block) = frontmatter::split(rest) else {
        panic!("no front matter in {text:?}")
    };
    match yaml::parse(&rest[block.yaml]) {
        Ok(yaml::Node {
            value: Value::Map(entries),
            ..
        }) => entries,
        other => panic!("{other:?} for {text:?}"),
    }
}

/// A key `set_key` may write unquoted, like the field names callers pass.
fn plain_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn set(text: &str, key: &str, value: &str, raw: bool) {
    let value_yaml = if raw {
        value.to_string()
    } else {
        edit::yaml_scalar(value)
    };
    let Ok(out) = edit::set_key(text, key, &value_yaml) else {
        return;
    };
    let (_, rest) = frontmatter::strip_bom(text);
    let Split::Block(block) = frontmatter::split(rest) else {
        panic!("set_key succeeded without front matter")
    };
    let keys = frontmatter::scan_keys(rest, &block);
    let eol = edit::line_ending(rest);
    let (old, new) = (lines(text), lines(&out));
    let spelled = match find_key(&keys, key) {
        Some(layout) => {
            let a = layout.line - 1;
            let b = a + rest[layout.bytes.clone()].split_inclusive('\n').count();
            assert_eq!(old[..a], new[..a], "lines before the key changed");
            assert_eq!(old[b..], new[a + 1..], "lines after the key changed");
            assert!(new[a].ends_with('\n'), "{:?}", new[a]);
            layout.key.clone()
        }
        None => {
            let c = block.close_line - 1;
            assert_eq!(old[..c], new[..c], "lines before the insertion changed");
            assert_eq!(new[c], format!("{}: {value_yaml}{eol}", edit::yaml_scalar(key)));
            assert_eq!(old[c..], new[c + 1..], "lines after the insertion changed");
            key.to_string()
        }
    };
    if !raw && plain_key(key) && readable(text) {
        let entries = entries(&out);
        let written = entries
            .iter()
            .find(|(k, _)| k.value == Value::Str(spelled.clone()))
            .unwrap_or_else(|| panic!("{spelled:?} is not in {out:?}"));
        assert_eq!(written.1.value, Value::Str(value.to_string()), "in {out:?}");
    }
}

fn remove(text: &str, key: &str) {
    let Ok(out) = edit::remove_key(text, key) else {
        return;
    };
    let (_, rest) = frontmatter::strip_bom(text);
    let Split::Block(block) = frontmatter::split(rest) else {
        panic!("remove_key succeeded without front matter")
    };
    let keys = frontmatter::scan_keys(rest, &block);
    let layout = find_key(&keys, key).expect("remove_key succeeded without the key");
    let a = layout.line - 1;
    let b = a + rest[layout.bytes.clone()].split_inclusive('\n').count();
    let (old, new) = (lines(text), lines(&out));
    assert_eq!(old[..a], new[..a], "lines before the key changed");
    assert_eq!(old[b..], new[a..], "lines after the key changed");
    if readable(text) {
        let spelled = Value::Str(layout.key.clone());
        assert!(entries(&out).iter().all(|(k, _)| k.value != spelled), "{out:?}");
    }
}

fn log(text: &str, message: &str) {
    let day = jiff::civil::date(2026, 11, 27);
    let Ok(out) = edit::insert_log_entry(text, day, message) else {
        return;
    };
    let entry = format!("- 2026-11-27: {}", message.trim());
    assert_eq!(text.ends_with('\n'), out.ends_with('\n'));
    // One insertion: the text is the new text with one run of bytes taken out.
    let prefix = text.bytes().zip(out.bytes()).take_while(|(a, b)| a == b).count();
    assert!(
        out.len() > text.len() && out.ends_with(&text[prefix..]),
        "not one insertion: {out:?}"
    );
    if text.ends_with('\r') {
        // `lines()` would read the lone CR and the LF added after it as one CRLF.
        return;
    }
    // Only added lines: the entry, `## Log`, blank lines.
    let changes = edit::changed_lines(text, &out);
    assert!(changes.contains(&Change::Added(entry.clone())), "{changes:?}");
    let only_expected = changes.iter().all(|c| match c {
        Change::Added(l) => l == &entry || l == "## Log" || l.is_empty(),
        Change::Removed(_) => false,
    });
    assert!(only_expected, "{changes:?}");
    assert_eq!(out.lines().count(), text.lines().count() + changes.len());
    // The front matter is untouched, and new lines end as the file's do.
    let (bom, rest) = frontmatter::strip_bom(text);
    let Split::Block(block) = frontmatter::split(rest) else {
        panic!("insert_log_entry succeeded without front matter")
    };
    let front = block.body.start + if bom { '\u{feff}'.len_utf8() } else { 0 };
    assert_eq!(text[..front], out[..front]);
    let bare_lf = |t: &str| t.matches('\n').count() - t.matches("\r\n").count();
    if edit::line_ending(rest) == "\r\n" {
        assert_eq!(bare_lf(text), bare_lf(&out), "a bare LF was added to a CRLF file");
    } else {
        assert_eq!(
            text.matches('\r').count(),
            out.matches('\r').count(),
            "a CR was added to an LF file"
        );
    }
    // `insert_log_entry` refuses when its entry would not read back (an open HTML block, a lone
    // CR confusing a fence), so an accepted entry always reads back.
    if readable(text) {
        let parsed = contact::parse_file("Fuzz.md", out.as_bytes(), &BTreeMap::new());
        let contact = parsed.contact.expect("the contact is still read");
        assert!(
            contact.log.iter().any(|e| e.date == day),
            "no entry read back from {out:?}"
        );
    }
}
