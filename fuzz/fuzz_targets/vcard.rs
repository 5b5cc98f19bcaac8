//! The vCard importer: any bytes are decoded (UTF-8, UTF-16 with a BOM, else Windows-1252) and
//! read without a panic; every person has a name and every reported card a line of the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use netvault::import::vcard;

fuzz_target!(|data: &[u8]| {
    let (text, _note) = vcard::decode(data);
    let lines = text.split('\n').count();
    if let Ok(export) = vcard::parse(&text) {
        for person in &export.people {
            assert!(!person.name.is_empty(), "{person:?}");
            assert!((1..=lines).contains(&person.line), "{person:?}");
        }
        for note in export.skipped.iter().chain(&export.notes) {
            assert!((1..=lines).contains(&note.line), "{note:?}");
        }
    }
});
