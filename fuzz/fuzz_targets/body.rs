//! The Markdown body parser (one pulldown-cmark pass): never panics, and every line it reports
//! is a line of the body.

#![no_main]

use libfuzzer_sys::fuzz_target;
use netvault::body;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Offsets to 1-based lines, as `contact::parse_file` does through its line index.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| {
        assert!(offset <= text.len(), "offset {offset} past the end");
        starts.partition_point(|&s| s <= offset)
    };
    let parsed = body::parse(text, line_of);
    let lines = starts.len();
    for entry in &parsed.log {
        assert!((1..=lines).contains(&entry.line), "{entry:?}");
    }
    for task in &parsed.tasks {
        assert!((1..=lines).contains(&task.line), "{task:?}");
    }
    for tag in &parsed.hashtags {
        assert!(!tag.is_empty() && !tag.starts_with('#'), "{tag:?}");
    }
    for link in &parsed.wikilinks {
        assert!(!link.trim().is_empty(), "{link:?}");
    }
    let _ = body::hashtags(text);
    let _ = body::task_due(text);
});
