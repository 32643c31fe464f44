//! Broken scenarios: each file in `tests/broken/` is a small scenario with one kind of mistake. Its
//! first lines state the diagnostics `check` must give for it, then a comment says what it shows:
//!
//! ```text
//! //~ error 14:18 unknown recipient `de_csirtt` = help: did you mean `de_csirt`?
//! //~ warning 20:25 can never be delivered
//! // A typo in a recipient seat.
//! ```
//!
//! `//~ LEVEL LINE:COL MESSAGE-SUBSTRING`: 1-based, columns count characters; an optional
//! ` = help: TEXT` must occur in the hint. Every expectation must be met, every error must be
//! expected (warnings may go unlisted), and every file has at least one expectation.
//!
//! A file whose expectations say what the checker *should* report, but does not yet, also carries
//! `//~ known-bug: what it does now`. It must keep failing its expectations; once the checker is
//! fixed this test says so, and the `known-bug` line goes.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use tabletop::scenario::diagnostic::{self, LineCol};
use tabletop::scenario::{self, Checked, Level};

/// The folder, relative to the crate root: `tabletop check` runs there below and names files so.
const DIR: &str = "tests/broken";

#[derive(Debug)]
struct Expectation {
    level: Level,
    at: LineCol,
    message: String,
    help: Option<String>,
}

#[derive(Debug, Default)]
struct Spec {
    expectations: Vec<Expectation>,
    known_bug: Option<String>,
}

/// The broken files, sorted, with their names as `tabletop check tests/broken` prints them.
fn broken_files() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("tests/broken exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| {
            let file_name = p.file_name().expect("a file name").to_owned();
            (Path::new(DIR).join(file_name).display().to_string(), p)
        })
        .collect();
    files.sort();
    files
}

/// Reads the `//~` block at the top of a file; a plain `//` comment must follow it.
fn parse_spec(text: &str) -> Result<Spec, String> {
    let mut spec = Spec::default();
    let mut lines = text.trim_start_matches('\u{feff}').lines().enumerate();
    let description = loop {
        let Some((n, line)) = lines.next() else {
            return Err("the file ends inside its `//~` block".into());
        };
        let Some(rest) = line.strip_prefix("//~") else {
            break (n, line);
        };
        let rest = rest.trim();
        if let Some(note) = rest.strip_prefix("known-bug:") {
            spec.known_bug = Some(note.trim().to_owned());
            continue;
        }
        spec.expectations
            .push(parse_expectation(rest).map_err(|e| format!("line {}: {e}: `{line}`", n + 1))?);
    };
    if !description.1.starts_with("// ") {
        return Err(format!(
            "line {}: after the `//~` lines, a `// ` comment says what the file demonstrates",
            description.0 + 1
        ));
    }
    if let Some((n, _)) = lines.find(|(_, l)| l.trim_start().starts_with("//~")) {
        return Err(format!(
            "line {}: `//~` expectations belong at the top of the file",
            n + 1
        ));
    }
    if spec.expectations.is_empty() {
        return Err("no `//~ LEVEL LINE:COL MESSAGE` expectation".into());
    }
    Ok(spec)
}

fn parse_expectation(text: &str) -> Result<Expectation, String> {
    let mut parts = text.splitn(3, ' ');
    let level = match parts.next() {
        Some("error") => Level::Error,
        Some("warning") => Level::Warning,
        _ => return Err("expected `error` or `warning`".into()),
    };
    let at = parts
        .next()
        .and_then(|lc| lc.split_once(':'))
        .and_then(|(l, c)| {
            Some(LineCol {
                line: l.parse().ok()?,
                col: c.parse().ok()?,
            })
        })
        .ok_or("expected LINE:COL")?;
    let rest = parts
        .next()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .ok_or("expected a message")?;
    let (message, help) = match rest.split_once(" = help: ") {
        Some((m, h)) => (m.to_owned(), Some(h.to_owned())),
        None => (rest.to_owned(), None),
    };
    Ok(Expectation {
        level,
        at,
        message,
        help,
    })
}

/// What is wrong with the checker's output for one file (empty when it matches the expectations).
fn mismatches(spec: &Spec, checked: &Checked) -> Vec<String> {
    let located: Vec<Option<LineCol>> = checked
        .diagnostics
        .iter()
        .map(|d| {
            d.span
                .as_ref()
                .map(|s| diagnostic::line_col(&checked.text, s.start))
        })
        .collect();
    let mut claimed = BTreeSet::new();
    let mut problems = Vec::new();
    for e in &spec.expectations {
        let found = checked.diagnostics.iter().enumerate().position(|(i, d)| {
            !claimed.contains(&i)
                && d.level == e.level
                && located[i] == Some(e.at)
                && d.message.contains(&e.message)
                && e.help
                    .as_ref()
                    .is_none_or(|h| d.hint.as_ref().is_some_and(|dh| dh.contains(h)))
        });
        match found {
            Some(i) => {
                claimed.insert(i);
            }
            None => problems.push(format!(
                "expected {} at {}:{} containing `{}`{}, not produced",
                e.level.label(),
                e.at.line,
                e.at.col,
                e.message,
                e.help
                    .as_ref()
                    .map_or(String::new(), |h| format!(" with help `{h}`")),
            )),
        }
    }
    for (i, d) in checked.diagnostics.iter().enumerate() {
        if d.level == Level::Error && !claimed.contains(&i) {
            let at = located[i].map_or("?".into(), |at| format!("{}:{}", at.line, at.col));
            problems.push(format!("unexpected error at {at}: {}", d.message));
        }
    }
    problems
}

fn rendered(name: &str, checked: &Checked) -> String {
    checked
        .diagnostics
        .iter()
        .map(|d| diagnostic::render(name, &checked.text, d))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_broken_file_gives_exactly_its_expected_diagnostics() {
    let files = broken_files();
    assert!(
        files.len() >= 30,
        "expected 30+ broken files in {DIR}, found {}",
        files.len()
    );
    let mut report = String::new();
    let mut known_bugs = Vec::new();
    for (name, path) in &files {
        let checked = scenario::check_path(path).expect("readable");
        let spec = match parse_spec(&checked.text) {
            Ok(spec) => spec,
            Err(e) => {
                let _ = writeln!(report, "\n== {name}: bad expectation block: {e}");
                continue;
            }
        };
        let problems = mismatches(&spec, &checked);
        match (&spec.known_bug, problems.is_empty()) {
            (None, true) => {}
            (None, false) => {
                let _ = writeln!(report, "\n== {name}");
                for p in &problems {
                    let _ = writeln!(report, "   {p}");
                }
                let _ = writeln!(report, "-- what check gave:\n{}", rendered(name, &checked));
            }
            (Some(_), true) => {
                let _ = writeln!(
                    report,
                    "\n== {name}: all expectations hold, so the known bug is fixed: remove `//~ known-bug`"
                );
            }
            (Some(note), false) => known_bugs.push(format!("{name}: {note}")),
        }
    }
    if !known_bugs.is_empty() {
        eprintln!(
            "known checker bugs ({}):\n  {}",
            known_bugs.len(),
            known_bugs.join("\n  ")
        );
    }
    assert!(
        report.is_empty(),
        "broken scenarios did not check as expected:{report}"
    );
}

#[test]
fn check_cli_reports_the_broken_folder_with_located_errors() {
    let out = Command::new(env!("CARGO_BIN_EXE_tabletop"))
        .args(["check", DIR])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit code 1 when any file has errors:\n{stderr}"
    );

    // Every headline names a broken file and a line and column, compiler style.
    let prefix = format!("{}{}", Path::new(DIR).display(), std::path::MAIN_SEPARATOR);
    let headlines: BTreeSet<&str> = stderr.lines().filter(|l| l.starts_with(&prefix)).collect();
    for line in &headlines {
        let rest = &line[prefix.len()..];
        let shaped = rest.split_once(".ron:").is_some_and(|(_, after)| {
            let mut parts = after.splitn(3, ':');
            let number = |p: Option<&str>| {
                p.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            };
            number(parts.next())
                && number(parts.next())
                && parts
                    .next()
                    .is_some_and(|r| r.starts_with(" error: ") || r.starts_with(" warning: "))
        });
        assert!(
            shaped,
            "not `{prefix}FILE.ron:LINE:COL: error: ...`: {line}"
        );
    }

    // And the CLI says exactly what the library says, file by file.
    let files = broken_files();
    let mut expected = BTreeSet::new();
    for (name, path) in &files {
        let checked = scenario::check_path(path).expect("readable");
        assert!(
            checked.errors() + checked.warnings() > 0,
            "{name} is not broken"
        );
        for d in &checked.diagnostics {
            expected.insert(diagnostic::locate(name, &checked.text, d.clone()).headline());
        }
    }
    let missing: Vec<&String> = expected
        .iter()
        .filter(|h| !headlines.contains(h.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "headlines missing from the CLI output: {missing:#?}\n{stderr}"
    );
    assert_eq!(
        headlines.len(),
        expected.len(),
        "the CLI printed other headlines:\n{stderr}"
    );
    let summary = format!("checked {} files:", files.len());
    assert!(
        stderr.lines().any(|l| l.starts_with(&summary)),
        "no `{summary}` line:\n{stderr}"
    );
}
