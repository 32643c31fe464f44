//! What several test modules need: the built binary and a clean scratch folder per test.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::Arc;

use tabletop::scenario::{self, Scenario, diagnostic::render};

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

/// A checked scenario from RON text; panics with the rendered diagnostics if it does not check.
pub fn inline_scenario(ron: &str) -> Arc<Scenario> {
    let checked = scenario::check_str(ron, &scenario::Origin::default());
    let Some(s) = checked.scenario else {
        let shown: String = checked
            .diagnostics
            .iter()
            .map(|d| render("inline.ron", &checked.text, d))
            .collect();
        panic!("the inline scenario does not check:\n{shown}");
    };
    Arc::new(s)
}
