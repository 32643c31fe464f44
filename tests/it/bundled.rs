//! The scenarios shipped with the program: each passes `check` with no warnings and meets the size the
//! issue asks of it, and the compiled-in copies are the files in `scenarios/`.

use tabletop::scenario::{self, Checked, Trigger, bundled, diagnostic::render};

fn checked(name: &str, text: &str) -> Checked {
    let checked = scenario::check_str(text, &scenario::Origin::default());
    let shown: String = checked
        .diagnostics
        .iter()
        .map(|d| render(name, &checked.text, d))
        .collect();
    assert!(
        checked.diagnostics.is_empty(),
        "{name} must check clean:\n{shown}"
    );
    checked
}

#[test]
fn every_bundled_scenario_checks_clean() {
    let all = bundled::all();
    assert!(
        all.len() >= 5,
        "at least five bundled scenarios, found {}",
        all.len()
    );
    for b in all {
        let s = checked(b.name, b.text).scenario.expect("no errors");
        assert!(!s.file.title.is_empty());
        assert!(s.seats().count() >= 2, "{}: a scenario needs seats", b.name);
    }
}

#[test]
fn bundled_copies_match_the_source_tree() {
    for b in bundled::all() {
        let on_disk = std::fs::read_to_string(format!(
            "{}/scenarios/{}",
            env!("CARGO_MANIFEST_DIR"),
            b.name
        ))
        .expect("bundled file exists in scenarios/");
        assert_eq!(
            on_disk, b.text,
            "{} is stale in the binary: rebuild",
            b.name
        );
    }
}

#[test]
fn long_scenarios_are_full_exercises() {
    for b in bundled::all()
        .into_iter()
        .filter(|b| b.name != "tutorial.ron")
    {
        let s = checked(b.name, b.text).scenario.expect("valid");
        let hours = s.duration / 60;
        assert!(
            (24..=72).contains(&hours),
            "{}: {hours} h, expected 24 to 72",
            b.name
        );
        assert!(
            s.file.injects.len() >= 30,
            "{}: {} injects",
            b.name,
            s.file.injects.len()
        );
        assert!(
            s.file.decisions.len() >= 6,
            "{}: {} decisions",
            b.name,
            s.file.decisions.len()
        );
        let criteria: usize = s.file.objectives.iter().map(|o| o.criteria.len()).sum();
        assert!(
            criteria >= 1,
            "{}: objectives need automatic criteria",
            b.name
        );
        let branching = s
            .file
            .decisions
            .iter()
            .filter(|d| d.options.iter().any(|o| !o.effects.is_empty()))
            .count();
        assert!(
            branching >= 6,
            "{}: only {branching} decisions change anything",
            b.name
        );
    }
}

#[test]
fn tutorial_is_short_and_shows_every_trigger() {
    let b = bundled::get("tutorial").expect("tutorial is bundled");
    let s = checked(b.name, b.text).scenario.expect("valid");
    assert!(s.duration <= 3 * 60, "about two hours");
    assert!(s.file.injects.len() >= 6);
    assert!(s.triggers.iter().any(|t| matches!(t, Trigger::At(_))));
    assert!(s.triggers.iter().any(|t| matches!(t, Trigger::When { .. })));
    assert!(s.triggers.iter().any(|t| matches!(t, Trigger::Manual)));
}
