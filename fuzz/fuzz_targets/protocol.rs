//! Fuzz target: the LAN protocol's decoder of client messages never panics, whatever the frame.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tabletop::fuzzing::protocol(data);
});
