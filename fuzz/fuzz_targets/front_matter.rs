//! Front matter and planbook.yaml: any text, no panic, no hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = planbook::yaml::front_matter(text);
    let _ = planbook::config::Config::parse(text, "planbook.yaml");
});
