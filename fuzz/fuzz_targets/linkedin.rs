//! LinkedIn's `Connections.csv` reader: never panics, and every row it reports is on a line of
//! the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use netvault::import::linkedin;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.split('\n').count();
    if let Ok(export) = linkedin::parse(text) {
        for person in &export.people {
            assert!((1..=lines).contains(&person.line), "{person:?}");
            assert!(!person.name.is_empty(), "{person:?}");
        }
        for note in export.skipped.iter().chain(&export.notes) {
            assert!((1..=lines).contains(&note.line), "{note:?}");
        }
    }
    let _ = linkedin::parse_connected_on(text);
});
