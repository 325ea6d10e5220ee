//! Decode any link: an error or a plan, never a panic or a blow-up; and what
//! encodes decodes back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retreat_core::link::{decode, encode};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(plan) = decode(text) {
            assert!(plan.len() <= retreat_core::limits::MAX_LINK_BYTES);
        }
        assert_eq!(decode(&encode(text)).as_deref(), Ok(text));
    }
});
