//! The search tokenizer: terms of any text, folded, every script.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let terms = planbook::search::tokenize::terms(text);
    for t in &terms {
        assert!(!t.is_empty(), "empty term from {text:?}");
    }
    let _ = planbook::search::tokenize::fold(text);
});
