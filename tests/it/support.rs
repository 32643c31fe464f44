//! What several test modules need: the built binary and a clean scratch folder per test.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs the built `tabletop` binary from the project root, as a user in a checkout would.
pub fn tabletop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tabletop"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// An empty folder of its own for one test (`area` and `name` keep parallel tests apart).
pub fn temp_dir(area: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tabletop-{area}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
