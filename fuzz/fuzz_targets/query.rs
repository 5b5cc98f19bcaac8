//! The search query parser: never panics; an error has a column inside the input and a message
//! and hint; and `Display` is canonical: whatever parses prints as text that parses back to the
//! same tree (the property the unit tests check on generated input).

#![no_main]

use libfuzzer_sys::fuzz_target;
use netvault::query;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    match query::parse(input) {
        Ok(q) => {
            let printed = q.to_string();
            assert_eq!(query::parse(&printed), Ok(q), "{input:?} printed as {printed:?}");
        }
        Err(e) => {
            assert!(
                e.column >= 1 && e.column <= input.chars().count().max(1),
                "column {} in {input:?}",
                e.column
            );
            assert!(!e.message.is_empty() && !e.hint.is_empty(), "{e:?}");
        }
    }
});
