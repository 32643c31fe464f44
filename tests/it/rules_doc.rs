//! `docs/eu-mechanisms.md` stays the true list of the rules the engine enforces: every legal source a rule
//! in `src/doctrine/` cites has a row, every row names tests that exist and pin it, and neither the doc nor
//! the code sends readers to files outside the repository.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tabletop::doctrine::{self, Requester};
use tabletop::domain::{Action, ActorKind, Sector};

const DOC: &str = "docs/eu-mechanisms.md";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every row of the tables that follow a `<!-- rules -->` marker, as its cells.
fn rows(doc: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for part in doc.split("<!-- rules -->").skip(1) {
        let table: Vec<Vec<String>> = part
            .lines()
            .skip_while(|l| l.trim().is_empty())
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                l.trim()
                    .trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().to_owned())
                    .collect()
            })
            .collect();
        assert!(
            table.len() > 2,
            "{DOC}: a `<!-- rules -->` marker without a table after it"
        );
        out.extend(table.into_iter().skip(2));
    }
    out
}

/// The legal sources the rules cite: what `refuse(...)` is given in the doctrine's files, and the rule of
/// every refusal `entitled` can give.
fn citations() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(root().join("src/doctrine")).expect("src/doctrine") {
        let path = entry.expect("an entry").path();
        if path.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        for (at, _) in text.match_indices("refuse(") {
            let rest = text[at + "refuse(".len()..].trim_start();
            if let Some(literal) = rest.strip_prefix('"') {
                found.insert(literal.split('"').next().unwrap_or_default().to_owned());
            }
        }
    }
    found.insert(doctrine::tlp::RULE.to_owned());
    let kinds = [
        ActorKind::Csirt,
        ActorKind::Spoc,
        ActorKind::CrisisAuthority,
        ActorKind::Government,
        ActorKind::Essential(Sector::Energy),
        ActorKind::Important(Sector::Energy),
        ActorKind::Enisa,
        ActorKind::CertEu,
        ActorKind::Commission,
        ActorKind::Eeas,
        ActorKind::Presidency,
        ActorKind::IntCen,
        ActorKind::Europol,
        ActorKind::Council,
        ActorKind::CouncilSecretariat,
        ActorKind::NisCooperationGroup,
        ActorKind::Other,
    ];
    for kind in kinds {
        for action in Action::ALL {
            let who = Requester {
                id: "someone",
                kind,
                country: Some("DE"),
            };
            if let Err(refusal) = doctrine::entitled(action, &who) {
                found.insert(refusal.rule);
            }
        }
    }
    // Not legal sources: the generic "say which incident" form error, and TLP's own reason sentences.
    found.remove("request");
    found.retain(|c| !c.starts_with("choose "));
    found
}

/// Test functions anywhere in the crate's tests.
fn test_names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut files = vec![root().join("src/doctrine/tests.rs")];
    for dir in ["tests/it", "src"] {
        let mut stack = vec![root().join(dir)];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for line in text.lines() {
            let line = line.trim_start();
            if let Some(rest) = line.strip_prefix("fn ") {
                names.insert(rest.split('(').next().unwrap_or_default().to_owned());
            }
        }
    }
    names
}

#[test]
fn every_rule_the_doctrine_cites_has_a_row_with_tests_that_exist() {
    let doc = std::fs::read_to_string(root().join(DOC)).expect("the rules reference is readable");
    let rows = rows(&doc);
    assert!(rows.len() >= 30, "{DOC}: only {} rule rows", rows.len());
    let sources: Vec<&str> = rows
        .iter()
        .map(|r| r.get(2).map_or("", String::as_str))
        .collect();
    let missing: Vec<String> = citations()
        .into_iter()
        .filter(|c| !sources.iter().any(|s| s.contains(c.as_str())))
        .collect();
    assert!(
        missing.is_empty(),
        "{DOC} has no row whose legal source names these rules the engine enforces: {missing:#?}"
    );
    let tests = test_names();
    for row in &rows {
        let pinned: Vec<&str> = row
            .get(3)
            .map_or("", String::as_str)
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        assert!(
            !pinned.is_empty(),
            "{DOC}: the row `{}` names no test",
            row[0]
        );
        for name in pinned {
            assert!(
                tests.contains(name),
                "{DOC}: the row `{}` names the test `{name}`, which does not exist",
                row[0]
            );
        }
    }
}

#[test]
fn the_rules_reference_and_the_code_cite_nothing_outside_the_repository() {
    let doc = std::fs::read_to_string(root().join(DOC)).expect("the rules reference is readable");
    for outside in ["shared/", "../"] {
        assert!(
            !doc.contains(outside),
            "{DOC} points outside the repository: `{outside}`"
        );
    }
    let mut offenders = Vec::new();
    let mut stack = vec![root().join("src")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read_to_string(&path)
                .is_ok_and(|t| t.contains("shared/domain") || t.contains("shared/design"))
            {
                offenders.push(
                    path.strip_prefix(root())
                        .unwrap_or(Path::new(""))
                        .to_owned(),
                );
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "these files send readers outside the repository: {offenders:?}"
    );
}
