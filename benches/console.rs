//! Frame time of the facilitator console under load: a 500-inject scenario played until the log holds
//! over 2,000 events, then one full UI pass (layout of every panel, no GPU) per iteration.

use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use tabletop::scenario::{self, Origin};
use tabletop::ui::{NoPicker, TabletopApp};

/// A scenario with 500 timed injects (each also changes a variable, so each delivery is two events).
fn big_scenario() -> String {
    let mut injects = String::new();
    for i in 0..500u32 {
        let to = [
            "de_csirt",
            "fr_csirt",
            "be_csirt",
            "presidency",
            "commission",
            "enisa",
        ][i as usize % 6];
        let _ = writeln!(
            injects,
            r#"(id: "inj_{i}", at: "T+{:02}:{:02}", from: "enisa", to: ["{to}"], channel: Email, tlp: Amber, subject: "Update {i}: situation report", body: "Text {i}", effects: [Add("updates", 1)]),"#,
            (i * 5) / 60,
            (i * 5) % 60
        );
    }
    format!(
        r#"Scenario(
    format: 1, id: "load", title: "Load test: 500 injects", start: "2026-03-10T08:00:00+01:00", duration: "48h",
    member_states: ["DE", "FR", "BE"], presidency: "BE",
    variables: {{ "updates": 0 }},
    objectives: [(id: "obj", title: "Keep up", criteria: [(id: "crit", text: "IPCR", met_when: "ipcr >= information_sharing")])],
    actors: [
        (id: "de_csirt", name: "CERT-Bund", kind: Csirt, country: "DE", seat: true),
        (id: "fr_csirt", name: "CERT-FR", kind: Csirt, country: "FR", seat: true),
        (id: "be_csirt", name: "CERT.be", kind: Csirt, country: "BE", seat: true),
        (id: "presidency", name: "Presidency", kind: Presidency, country: "BE", seat: true),
        (id: "commission", name: "Commission", kind: Commission, seat: true),
        (id: "enisa", name: "ENISA", kind: Enisa, seat: true),
        (id: "de_hosp", name: "Klinikum", kind: Essential(Health), country: "DE"),
    ],
    incidents: [(id: "inc", title: "Ransomware", kind: Ransomware, entities: ["de_hosp"], severity: Significant)],
    injects: [
{injects}    ],
)"#
    )
}

fn console_frame(c: &mut Criterion) {
    let text = big_scenario();
    let checked = scenario::check_str(&text, &Origin::default());
    let scenario = Arc::new(checked.scenario.expect("the load scenario checks"));
    // Keep the benchmark's journals out of the user's data folder.
    let exercises = std::env::temp_dir().join(format!("tabletop-bench-{}", std::process::id()));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(|cc| {
            let mut app =
                TabletopApp::new(cc, Box::new(NoPicker)).with_exercises_dir(exercises.clone());
            let start = tabletop::session::Start {
                scenario: scenario.clone(),
                text: text.clone(),
                seed: 7,
                scenario_path: None,
                players: std::collections::BTreeMap::new(),
            };
            app.open_exercise(start, 40 * 60);
            app
        });
    {
        let console = harness
            .state_mut()
            .console_mut()
            .expect("the console is open");
        for i in 0..1_100 {
            console.apply(tabletop::sim::Command::Observe {
                text: format!("note {i}"),
                objective: None,
                rating: None,
            });
        }
        let events = console.engine().events().len();
        assert!(events >= 2_000, "only {events} events");
    }
    harness.run_steps(2);
    c.bench_function("console_frame/500_injects_2000_events", |b| {
        b.iter(|| {
            harness.step();
            black_box(());
        });
    });
}

criterion_group!(benches, console_frame);
criterion_main!(benches);
