//! `tabletop check` as a planner runs it: exit codes, where diagnostics go, and their shape.

use crate::support::tabletop;
use std::path::Path;

fn temp_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tabletop-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write temp file");
    path
}

#[test]
fn bundled_scenarios_folder_passes() {
    let out = tabletop(&["check", "scenarios/"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "check scenarios/ failed:\n{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.lines().filter(|l| l.starts_with("ok  ")).count() >= 4,
        "{stdout}"
    );
}

#[test]
fn compiled_in_scenarios_pass() {
    let out = tabletop(&["check", "--bundled", "--deny-warnings"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_error_exits_1_with_a_located_diagnostic_and_source_line() {
    let text = "Scenario(\n    format: 1,\n    titel: \"x\",\n)\n";
    let path = temp_file("typo.ron", text.as_bytes());
    let out = tabletop(&["check", path.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let headline = format!("{}:3:5: error: unknown field `titel`", path.display());
    assert!(stderr.lines().any(|l| l == headline), "{stderr}");
    assert!(
        stderr.contains("3 |     titel: \"x\","),
        "shows the source line:\n{stderr}"
    );
    assert!(stderr.contains("help: did you mean `title`?"), "{stderr}");
    // All problems at once: the missing required fields are reported too.
    assert!(
        stderr.contains("missing required fields `id`, `start`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("`title`,"),
        "the misspelt field is not also reported missing:\n{stderr}"
    );
}

#[test]
fn missing_paths_and_empty_folders_fail_cleanly() {
    let out = tabletop(&["check", "no/such/file.ron"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("no/such/file.ron: error:"));
    let empty = std::env::temp_dir().join(format!("tabletop-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).expect("dir");
    let out = tabletop(&["check", empty.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn help_lists_the_subcommands() {
    let out = tabletop(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("check"), "{help}");
    assert!(Path::new(env!("CARGO_BIN_EXE_tabletop")).exists());
}
