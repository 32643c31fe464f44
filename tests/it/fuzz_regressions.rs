//! Every input a fuzzer found (`tests/fuzz/<target>/`, see `fuzz/README.md`), replayed through the same
//! entry point the fuzz target calls: what once crashed must never crash again. Also a few seeds per
//! target, so the replay runs even before any crash was found.

use std::path::PathBuf;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable");
            (p, bytes)
        })
        .collect()
}

fn replay(target: &str, run: fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "tests/fuzz/{target} holds no input");
    for (path, bytes) in inputs {
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        assert!(
            outcome.is_ok(),
            "{} crashes the {target} target again",
            path.display()
        );
    }
}

#[test]
fn scenario_inputs_found_by_fuzzing_never_crash_again() {
    replay("scenario", tabletop::fuzzing::scenario);
}

#[test]
fn protocol_inputs_found_by_fuzzing_never_crash_again() {
    replay("protocol", tabletop::fuzzing::protocol);
}

#[test]
fn journal_inputs_found_by_fuzzing_never_crash_again() {
    replay("journal", tabletop::fuzzing::journal);
}

#[test]
fn msel_inputs_found_by_fuzzing_never_crash_again() {
    replay("msel", tabletop::fuzzing::msel);
}
