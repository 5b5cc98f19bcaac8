//! A whole contact file: `contact::parse_file` covers decoding, the front-matter split, the YAML
//! layer (fast path and serde-saphyr), the field reader and the body. Beyond "never panics":
//! the split's ranges and the key layout stay inside the text, every diagnostic has a position
//! inside the file, and `yaml::parse` (fast path first) answers exactly as serde-saphyr alone.

#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use netvault::{contact, frontmatter, yaml};

fuzz_target!(|data: &[u8]| {
    let parsed = contact::parse_file("people/Fuzz.md", data, &BTreeMap::new());
    let lines = data.split(|&b| b == b'\n').count();
    for d in &parsed.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        assert!(d.line <= lines, "line {} of a {lines}-line file: {d:?}", d.line);
    }

    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (_, text) = frontmatter::strip_bom(text);
    if let frontmatter::Split::Block(block) = frontmatter::split(text) {
        let yaml_text = &text[block.yaml.clone()];
        let _ = &text[block.body.clone()];
        for key in frontmatter::scan_keys(text, &block) {
            assert!(
                block.yaml.start <= key.bytes.start && key.bytes.end <= block.yaml.end,
                "{key:?}"
            );
            let _ = &text[key.bytes.clone()];
        }
        fast_path_agrees(yaml_text);
    } else {
        // Not front matter, but still YAML text worth feeding to both parsers.
        fast_path_agrees(text);
    }
});

/// `yaml::parse` tries the fast path and falls back to serde-saphyr: wherever the fast path
/// answers, the two must be identical (compared through `Debug` so that NaN equals NaN).
fn fast_path_agrees(text: &str) {
    let combined = yaml::parse(text);
    let full = yaml::parse_with_saphyr(text);
    assert_eq!(
        format!("{combined:?}"),
        format!("{full:?}"),
        "the fast path disagrees with serde-saphyr on {text:?}"
    );
}
