//! The fast YAML reader against the full parser: whenever the fast reader
//! takes a text, its tree (kinds, texts, spans) must be the full parser's.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let (fast, full) = retreat_core::parse::yaml_trees(text);
        if let Some(fast) = fast {
            assert_eq!(fast, full, "{text:?}");
        }
    }
});
