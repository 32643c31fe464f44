//! Fuzz target: the scenario loader and checker never panic, whatever the bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tabletop::fuzzing::scenario(data);
});
