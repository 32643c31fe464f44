//! Keeps the code a place others can live in: every file says what it is for, `ARCHITECTURE.md`'s code
//! map names real paths and every source folder, and the core never uses egui or eframe.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, recursively, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every folder under `dir` (itself excluded) that holds a `.rs` file somewhere below it.
fn source_folders(dir: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = rust_files(dir)
        .iter()
        .flat_map(|f| {
            f.ancestors()
                .skip(1)
                .map(Path::to_path_buf)
                .collect::<Vec<_>>()
        })
        .filter(|a| a.starts_with(dir) && a != dir)
        .collect();
    folders.sort();
    folders.dedup();
    folders
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn every_rust_file_opens_by_saying_what_it_is_for() {
    let mut missing = Vec::new();
    for dir in ["src", "tests", "benches"] {
        for file in rust_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&file).expect("readable");
            if !text.starts_with("//!") {
                missing.push(relative(&file));
            }
        }
    }
    let build = std::fs::read_to_string(root().join("build.rs")).unwrap_or_default();
    if !build.is_empty() && !build.starts_with("//!") {
        missing.push("build.rs".into());
    }
    assert!(
        missing.is_empty(),
        "these files do not open with a `//!` line saying what they are for: {missing:#?}"
    );
}

/// The paths in the first column of `ARCHITECTURE.md`'s code map (`src/cli/`, `src/sim/mod.rs`, …); a
/// cell may name several, as in "`src/sim/commands.rs`, `events.rs`" (siblings of the first).
fn code_map_paths() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let map = text
        .split("## Code map")
        .nth(1)
        .expect("ARCHITECTURE.md has a code map")
        .split("\n## ")
        .next()
        .unwrap_or_default();
    let mut paths = Vec::new();
    for line in map.lines().filter(|l| l.starts_with("| `")) {
        let cell = line.split('|').nth(1).unwrap_or_default();
        let names: Vec<&str> = cell.split('`').skip(1).step_by(2).collect();
        let Some(first) = names.first() else {
            continue;
        };
        paths.push((*first).to_owned());
        let parent = first.rsplit_once('/').map_or("", |(p, _)| p);
        for sibling in &names[1..] {
            if sibling.contains('/') {
                paths.push((*sibling).to_owned());
            } else {
                paths.push(format!("{parent}/{sibling}"));
            }
        }
    }
    paths
}

#[test]
fn the_code_map_names_real_paths_and_every_source_folder() {
    let paths = code_map_paths();
    assert!(paths.len() > 10, "the code map was not found: {paths:?}");
    let missing: Vec<&String> = paths
        .iter()
        .filter(|p| !root().join(p.trim_end_matches('/')).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map names paths that do not exist: {missing:#?}"
    );
    let unmapped: Vec<String> = source_folders(&root().join("src"))
        .iter()
        .map(|f| relative(f))
        .filter(|folder| {
            !paths
                .iter()
                .any(|p| p.trim_end_matches('/') == folder || p.starts_with(&format!("{folder}/")))
        })
        .collect();
    assert!(
        unmapped.is_empty(),
        "source folders missing from ARCHITECTURE.md's code map: {unmapped:#?}"
    );
}

#[test]
fn nothing_outside_the_ui_uses_egui_or_eframe() {
    let ui = root().join("src/ui");
    let mut offenders = Vec::new();
    for file in rust_files(&root().join("src")) {
        if file.starts_with(&ui) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if ["egui", "eframe"].iter().any(|w| {
                code.match_indices(w).any(|(i, _)| {
                    // `egui`, `egui::`, `egui_extras`: any identifier that starts with the name.
                    let before = code[..i].chars().next_back();
                    !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
            }) {
                offenders.push(format!("{}:{}: {}", relative(&file), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "the core must never use egui or eframe (only src/ui may): {offenders:#?}"
    );
}
