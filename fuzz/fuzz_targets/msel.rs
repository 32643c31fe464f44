//! Fuzz target: the MSEL spreadsheet importer never panics, whatever the CSV holds.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tabletop::fuzzing::msel(data);
});
