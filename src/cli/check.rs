//! `tabletop check`: validate scenario files and print compiler-style diagnostics.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::scenario::{self, Checked, bundled, diagnostic::render, time::format_duration};

/// Running totals over all files checked.
#[derive(Default)]
struct Tally {
    files: usize,
    failed: usize,
    errors: usize,
    warnings: usize,
    deny_warnings: bool,
}

impl Tally {
    fn report(&mut self, name: &str, checked: &Checked) {
        self.files += 1;
        self.errors += checked.errors();
        self.warnings += checked.warnings();
        for d in &checked.diagnostics {
            eprintln!("{}", render(name, &checked.text, d));
        }
        let bad = checked.errors() > 0 || (self.deny_warnings && checked.warnings() > 0);
        if bad {
            self.failed += 1;
        } else if let Some(s) = &checked.scenario {
            println!(
                "ok  {name}: {} ({}, {})",
                s.file.title,
                format_duration(s.duration),
                counts(s)
            );
        }
    }

    /// A file that could not be checked at all (missing, unreadable, empty folder).
    fn unreadable(&mut self, name: &str, why: &str) {
        eprintln!("{name}: error: {why}");
        self.files += 1;
        self.failed += 1;
        self.errors += 1;
    }
}

/// Checks every path (files, or folders searched recursively for `.ron`) and the bundled scenarios if asked.
pub fn run(paths: &[PathBuf], include_bundled: bool, deny_warnings: bool) -> ExitCode {
    let mut tally = Tally {
        deny_warnings,
        ..Tally::default()
    };
    for path in paths {
        match scenario_files(path) {
            Ok(found) if found.is_empty() => {
                tally.unreadable(&path.display().to_string(), "no .ron scenario files here");
            }
            Ok(found) => {
                for file in found {
                    let name = file.display().to_string();
                    match scenario::check_path(&file) {
                        Ok(checked) => tally.report(&name, &checked),
                        Err(e) => tally.unreadable(&name, &format!("cannot read the file: {e}")),
                    }
                }
            }
            Err(e) => tally.unreadable(&path.display().to_string(), &e.to_string()),
        }
    }
    if include_bundled {
        for b in bundled::all() {
            let checked = scenario::check_str(b.text, &scenario::Origin::default());
            tally.report(&format!("<bundled>/{}", b.name), &checked);
        }
    }
    eprintln!(
        "checked {} file{}: {} error{}, {} warning{}",
        tally.files,
        plural(tally.files),
        tally.errors,
        plural(tally.errors),
        tally.warnings,
        plural(tally.warnings)
    );
    if tally.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// "5 seats, 1 inject, 2 decisions".
pub fn counts(s: &crate::scenario::Scenario) -> String {
    let n = |count: usize, noun: &str| format!("{count} {noun}{}", plural(count));
    format!(
        "{}, {}, {}",
        n(s.seats().count(), "seat"),
        n(s.file.injects.len(), "inject"),
        n(s.file.decisions.len(), "decision")
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The scenario files at a path: the file itself, or every `.ron` file under a folder, sorted.
fn scenario_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let p = entry?.path();
            if p.is_dir() {
                pending.push(p);
            } else if p.extension().is_some_and(|e| e == "ron") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}
