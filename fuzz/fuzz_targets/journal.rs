//! Fuzz target: the journal reader (and crash recovery's reader) never panics, whatever the file holds.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tabletop::fuzzing::journal(data);
});
