//! Behaviour tests of the exercise engine through its public API (`Engine::new`, `apply`, `events`,
//! `view`, `criteria`): what a facilitator would notice in the room, asserted on the events the engine
//! emits and their simulated times. Each test plays a small inline scenario.

use std::sync::Arc;

use tabletop::doctrine::AidResponse;
use tabletop::domain::{Action, Channel, IpcrMode, Mechanism, Regime, Severity, Tlp};
use tabletop::scenario::Scenario;
use tabletop::scenario::model::Value;
use tabletop::scenario::time::Minutes;
use tabletop::sim::state::{DecisionStatus, ObligationStatus, Outcome};
use tabletop::sim::{Advance, Command, Engine, Event, EventKind, Rating};

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

/// A checked scenario from RON text.
fn scenario(ron: &str) -> Arc<Scenario> {
    crate::support::inline_scenario(ron)
}

/// A whole scenario text: a fixed heading (DE, FR and PL take part, FR holds the Presidency) around the
/// sections a test writes itself.
fn exercise(duration: &str, sections: &str) -> String {
    format!(
        r#"Scenario(
    format: 1,
    id: "engine-behaviour",
    title: "Engine behaviour test",
    start: "2026-03-10T08:00:00+01:00",
    duration: "{duration}",
    member_states: ["DE", "FR", "PL"],
    presidency: "FR",
{sections}
)"#
    )
}

/// The cast most tests use: national seats for DE, FR and PL, EU seats, simulated entities.
const CAST: &str = r#"
    actors: [
        (id: "de_csirt", name: "CERT-Bund", kind: Csirt, country: "DE", seat: true),
        (id: "de_spoc", name: "BSI single point of contact", kind: Spoc, country: "DE", seat: true),
        (id: "de_gov", name: "German government", kind: Government, country: "DE", seat: true),
        (id: "fr_gov", name: "French government", kind: Government, country: "FR", seat: true),
        (id: "pl_gov", name: "Polish government", kind: Government, country: "PL", seat: true),
        (id: "presidency", name: "French Council Presidency", kind: Presidency, seat: true),
        (id: "eeas", name: "EEAS", kind: Eeas, seat: true),
        (id: "enisa", name: "ENISA", kind: Enisa, seat: true),
        (id: "de_hosp", name: "Klinikum Nord", kind: Essential(Health), country: "DE"),
        (id: "de_grid", name: "Netz Ost", kind: Essential(Energy), country: "DE"),
        (id: "fr_hosp", name: "CHU Sud", kind: Essential(Health), country: "FR"),
        (id: "pl_hosp", name: "Szpital Zachodni", kind: Essential(Health), country: "PL"),
        (id: "excon", name: "Exercise control", kind: Other),
    ],
"#;

fn engine(ron: &str) -> Engine {
    Engine::new(scenario(ron), 7)
}

fn h(hours: Minutes) -> Minutes {
    hours * 60
}

/// Applies a command the engine must accept.
fn ok(engine: &mut Engine, command: &Command) -> Vec<Event> {
    match engine.apply(command) {
        Ok(events) => events,
        Err(refusal) => panic!("{command:?} was refused at {}: {refusal}", engine.now()),
    }
}

fn advance(engine: &mut Engine, how: Advance) -> Vec<Event> {
    ok(engine, &Command::Advance(how))
}

fn request(by: &str, action: Action, incident: Option<&str>) -> Command {
    Command::Request {
        by: by.into(),
        action,
        incident: incident.map(Into::into),
    }
}

fn decide(seat: &str, decision: &str, option: &str, rationale: &str) -> Command {
    Command::Decide {
        seat: seat.into(),
        decision: decision.into(),
        option: option.into(),
        rationale: rationale.into(),
    }
}

fn event(at: Minutes, kind: EventKind) -> Event {
    Event { at, kind }
}

/// The times of the events that match.
fn times(events: &[Event], matches: impl Fn(&EventKind) -> bool) -> Vec<Minutes> {
    events
        .iter()
        .filter(|e| matches(&e.kind))
        .map(|e| e.at)
        .collect()
}

fn delivered(events: &[Event], id: &str) -> Vec<Event> {
    events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::InjectDelivered { inject, .. } if inject == id))
        .cloned()
        .collect()
}

fn timeline(events: &[Event]) -> String {
    events.iter().fold(String::new(), |mut out, e| {
        out.push_str(&e.line());
        out.push('\n');
        out
    })
}

/// Asserts that the stream holds this exact event, showing the timeline if not.
#[track_caller]
fn assert_has(events: &[Event], expected: &Event) {
    assert!(
        events.contains(expected),
        "expected {expected:?} in:\n{}",
        timeline(events)
    );
}

// ---------------------------------------------------------------------------------------------------
// NIS2 Art. 23 clocks
// ---------------------------------------------------------------------------------------------------

/// A significant incident at two hospitals, detected at T+01:00.
fn nis2_exercise(duration: &str, severity: &str) -> String {
    exercise(
        duration,
        &format!(
            r#"{CAST}
    incidents: [
        (
            id: "wiper",
            title: "Wiper at two hospitals",
            kind: Wiper,
            entities: ["de_hosp", "fr_hosp"],
            severity: {severity},
            start: "T+00:00",
            detected: "T+01:00",
        ),
    ],
    injects: [],
"#
        ),
    )
}

#[test]
fn a_bank_owes_doras_reports_a_hospital_nis2s_and_the_csirt_files_for_neither() {
    let ron = exercise(
        "96h",
        &CAST
            .replace(
                r#"(id: "excon","#,
                r#"(id: "de_bank", name: "Rheinbank AG", kind: Essential(Banking), country: "DE"),
        (id: "excon","#,
            )
            .replace(
                "    ],\n",
                r#"    ],
    incidents: [
        (
            id: "outage", title: "Outage at a bank and a hospital", kind: Ransomware,
            entities: ["de_bank", "de_hosp"], severity: Significant, detected: "T+01:00",
        ),
    ],
    injects: [],
"#,
            ),
    );
    let mut e = engine(&ron);
    let opened = advance(&mut e, Advance::To(h(1)));
    let due = |entity: &str| -> Vec<(Action, Minutes, Regime)> {
        opened
            .iter()
            .filter_map(|ev| match &ev.kind {
                EventKind::ObligationDue {
                    entity: who,
                    report,
                    due,
                    regime,
                    ..
                } if who == entity => Some((*report, *due, *regime)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        due("de_bank"),
        [
            (Action::EarlyWarning, h(1) + h(4), Regime::Dora),
            (Action::IncidentNotification, h(1) + h(72), Regime::Dora),
        ],
        "{}",
        timeline(&opened)
    );
    assert_eq!(
        due("de_hosp"),
        [
            (Action::EarlyWarning, h(1) + h(24), Regime::Nis2),
            (Action::IncidentNotification, h(1) + h(72), Regime::Nis2),
        ]
    );
    assert!(
        timeline(&opened).contains("de_bank owes a DORA initial notification on outage by T+05:00"),
        "{}",
        timeline(&opened)
    );
    // NIS2 Art. 23(1): the CSIRT receives reports; it cannot file the hospital's for it.
    let refusal = e
        .apply(&request("de_csirt", Action::EarlyWarning, Some("outage")))
        .expect_err("the entity notifies its CSIRT itself");
    assert_eq!(refusal.rule, "NIS2 Art. 23(1)");
    // The bank's silence misses DORA's four hours, long before NIS2's day would have run out.
    let later = advance(&mut e, Advance::To(h(6)));
    assert!(
        timeline(&later).contains("de_bank: DORA initial notification deadline MISSED"),
        "{}",
        timeline(&later)
    );
}

#[test]
fn detected_significant_incident_opens_early_warning_and_notification_per_entity() {
    let mut e = engine(&nis2_exercise("96h", "Significant"));
    let before = advance(&mut e, Advance::To(59));
    assert!(
        !before
            .iter()
            .any(|ev| matches!(ev.kind, EventKind::ObligationDue { .. })),
        "no clock before the entities are aware:\n{}",
        timeline(before.as_slice())
    );
    let events = advance(&mut e, Advance::To(60));
    assert_has(
        &events,
        &event(
            60,
            EventKind::IncidentDetected {
                incident: "wiper".into(),
            },
        ),
    );
    for entity in ["de_hosp", "fr_hosp"] {
        for (report, due) in [
            (Action::EarlyWarning, 60 + h(24)),
            (Action::IncidentNotification, 60 + h(72)),
        ] {
            assert_has(
                &events,
                &event(
                    60,
                    EventKind::ObligationDue {
                        regime: Regime::Nis2,
                        entity: entity.into(),
                        incident: "wiper".into(),
                        report,
                        due,
                    },
                ),
            );
        }
    }
    let due = times(&events, |k| matches!(k, EventKind::ObligationDue { .. }));
    assert_eq!(due.len(), 4, "two reports for each of the two entities");
}

#[test]
fn early_warning_before_the_deadline_is_met_and_silence_is_missed_at_the_deadline() {
    let mut e = engine(&nis2_exercise("96h", "Significant"));
    advance(&mut e, Advance::To(h(10)));
    let filed = ok(
        &mut e,
        &request("de_hosp", Action::EarlyWarning, Some("wiper")),
    );
    assert_has(
        &filed,
        &event(
            h(10),
            EventKind::ObligationMet {
                regime: Regime::Nis2,
                entity: "de_hosp".into(),
                incident: "wiper".into(),
                report: Action::EarlyWarning,
            },
        ),
    );
    assert!(
        !filed.iter().any(|ev| matches!(
            &ev.kind,
            EventKind::ObligationMet { entity, .. } if entity == "fr_hosp"
        )),
        "the German hospital's warning does not cover the French one"
    );
    advance(&mut e, Advance::End);
    let missed: Vec<&Event> = e
        .events()
        .iter()
        .filter(|ev| {
            matches!(
                &ev.kind,
                EventKind::ObligationMissed {
                    report: Action::EarlyWarning,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(
        missed,
        [&event(
            60 + h(24) + 1,
            EventKind::ObligationMissed {
                regime: Regime::Nis2,
                entity: "fr_hosp".into(),
                incident: "wiper".into(),
                report: Action::EarlyWarning,
            },
        )],
        "only the French hospital misses its early warning, noticed the minute after the 24-hour deadline"
    );
    assert_eq!(
        e.view()
            .obligations
            .iter()
            .filter(|o| o.status == ObligationStatus::Missed)
            .count(),
        // The French early warning, and both notifications (nobody notified within 72 hours).
        3
    );
}

#[test]
fn incident_notification_opens_a_final_report_obligation() {
    let mut e = engine(&nis2_exercise("96h", "Significant"));
    advance(&mut e, Advance::To(h(30)));
    let filed = ok(
        &mut e,
        &request("fr_hosp", Action::IncidentNotification, Some("wiper")),
    );
    assert_has(
        &filed,
        &event(
            h(30),
            EventKind::ObligationMet {
                regime: Regime::Nis2,
                entity: "fr_hosp".into(),
                incident: "wiper".into(),
                report: Action::IncidentNotification,
            },
        ),
    );
    assert_has(
        &filed,
        &event(
            h(30),
            EventKind::ObligationDue {
                regime: Regime::Nis2,
                entity: "fr_hosp".into(),
                incident: "wiper".into(),
                report: Action::FinalReport,
                due: h(30) + 30 * h(24),
            },
        ),
    );
    let finals = times(&filed, |k| {
        matches!(
            k,
            EventKind::ObligationDue {
                report: Action::FinalReport,
                ..
            }
        )
    });
    assert_eq!(
        finals.len(),
        1,
        "only the entity that notified owes a final report"
    );
}

#[test]
fn late_incident_notification_still_opens_a_final_report_obligation() {
    // NIS2 Art. 23(4)(d): the final report is due one month after the notification is submitted. A
    // missed 72-hour deadline is a compliance failure, not a reason to drop the next duty.
    let mut e = engine(&nis2_exercise("96h", "Significant"));
    advance(&mut e, Advance::To(h(80)));
    let filed = ok(
        &mut e,
        &request("de_hosp", Action::IncidentNotification, Some("wiper")),
    );
    assert_has(
        &filed,
        &event(
            h(80),
            EventKind::ObligationDue {
                regime: Regime::Nis2,
                entity: "de_hosp".into(),
                incident: "wiper".into(),
                report: Action::FinalReport,
                due: h(80) + 30 * h(24),
            },
        ),
    );
}

#[test]
fn moderate_incident_opens_no_nis2_obligation() {
    let mut e = engine(&nis2_exercise("96h", "Moderate"));
    advance(&mut e, Advance::End);
    let nis2 = times(e.events(), |k| {
        matches!(
            k,
            EventKind::ObligationDue { .. }
                | EventKind::ObligationMet { .. }
                | EventKind::ObligationMissed { .. }
        )
    });
    assert!(nis2.is_empty(), "{}", timeline(e.events()));
    assert!(e.view().obligations.is_empty());
}

// ---------------------------------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------------------------------

/// `dec_isolate` for CERT-Bund (a seat), offered at T+01:00, 2-hour deadline, cautious default that
/// raises a flag; `dec_press` for a simulated actor only, offered at T+02:00.
fn decision_exercise() -> String {
    exercise(
        "12h",
        &format!(
            r#"{CAST}
    variables: {{ "isolated": false, "waited": false, "press_line": 0 }},
    injects: [
        (
            id: "inj_ask", at: "T+01:00", from: "excon", to: ["de_csirt"], channel: Phone,
            subject: "Isolate the hospital network?", decision: "dec_isolate",
        ),
        (
            id: "inj_press", at: "T+02:00", from: "excon", to: ["de_csirt"], channel: News,
            subject: "Journalists call the hospital", decision: "dec_press",
        ),
    ],
    decisions: [
        (
            id: "dec_isolate",
            prompt: "Isolate the hospital network now?",
            by: ["de_csirt"],
            deadline: "2h",
            default: "opt_wait",
            rationale_required: true,
            options: [
                (id: "opt_isolate", label: "Isolate now", effects: [Set("isolated", true)]),
                (id: "opt_wait", label: "Wait", effects: [Set("waited", true)]),
            ],
        ),
        (
            id: "dec_press",
            prompt: "What does the hospital tell the press?",
            by: ["de_hosp"],
            default: "opt_holding",
            options: [
                (id: "opt_full", label: "Full disclosure", effects: [Add("press_line", 2)]),
                (id: "opt_holding", label: "Holding statement", effects: [Add("press_line", 1)]),
            ],
        ),
    ],
"#
        ),
    )
}

#[test]
fn pending_decision_takes_its_default_at_the_deadline_with_its_effects() {
    let mut e = engine(&decision_exercise());
    let offered = advance(&mut e, Advance::To(h(1)));
    assert_has(
        &offered,
        &event(
            h(1),
            EventKind::DecisionPending {
                decision: "dec_isolate".into(),
                by: vec!["de_csirt".into()],
                deadline: Some(h(3)),
            },
        ),
    );
    let before = advance(&mut e, Advance::To(h(3) - 1));
    assert!(
        times(&before, |k| matches!(k, EventKind::DecisionDefaulted { decision, .. } if decision == "dec_isolate"))
            .is_empty(),
        "still open a minute before the deadline"
    );
    let at_deadline = advance(&mut e, Advance::To(h(3)));
    assert_has(
        &at_deadline,
        &event(
            h(3),
            EventKind::DecisionDefaulted {
                decision: "dec_isolate".into(),
                option: "opt_wait".into(),
            },
        ),
    );
    assert_has(
        &at_deadline,
        &event(
            h(3),
            EventKind::VariableChanged {
                variable: "waited".into(),
                value: Value::Bool(true),
            },
        ),
    );
    let late = e.apply(&decide(
        "de_csirt",
        "dec_isolate",
        "opt_isolate",
        "too late",
    ));
    assert!(late.is_err(), "a defaulted decision cannot be taken again");
}

#[test]
fn seat_not_among_the_deciders_is_refused() {
    let mut e = engine(&decision_exercise());
    advance(&mut e, Advance::To(h(1)));
    let before = e.events().len();
    let refused = e.apply(&decide(
        "de_spoc",
        "dec_isolate",
        "opt_isolate",
        "we decide",
    ));
    let refusal = refused.expect_err("de_spoc is not in `by`");
    assert!(refusal.reason.contains("de_spoc"), "{refusal}");
    assert_eq!(e.events().len(), before, "nothing happened");
    assert!(matches!(
        e.view().decision("dec_isolate").map(|d| d.status.clone()),
        Some(DecisionStatus::Pending { .. })
    ));
}

#[test]
fn missing_rationale_is_refused_when_required() {
    let mut e = engine(&decision_exercise());
    advance(&mut e, Advance::To(h(1)));
    let refusal = e
        .apply(&decide("de_csirt", "dec_isolate", "opt_isolate", "  "))
        .expect_err("a rationale is required");
    assert!(refusal.reason.contains("rationale"), "{refusal}");
    let taken = ok(
        &mut e,
        &decide(
            "de_csirt",
            "dec_isolate",
            "opt_isolate",
            "lateral movement seen",
        ),
    );
    assert_has(
        &taken,
        &event(
            h(1),
            EventKind::DecisionTaken {
                decision: "dec_isolate".into(),
                option: "opt_isolate".into(),
                by: "de_csirt".into(),
                rationale: "lateral movement seen".into(),
                by_facilitator: false,
            },
        ),
    );
    assert_has(
        &taken,
        &event(
            h(1),
            EventKind::VariableChanged {
                variable: "isolated".into(),
                value: Value::Bool(true),
            },
        ),
    );
    advance(&mut e, Advance::End);
    assert!(
        times(e.events(), |k| matches!(
            k,
            EventKind::DecisionDefaulted { decision, .. } if decision == "dec_isolate"
        ))
        .is_empty(),
        "a taken decision does not default later"
    );
}

#[test]
fn facilitator_decides_for_an_absent_seat() {
    let mut e = engine(&decision_exercise());
    advance(&mut e, Advance::To(h(1) + 30));
    let taken = ok(
        &mut e,
        &Command::DecideFor {
            decision: "dec_isolate".into(),
            option: "opt_isolate".into(),
            rationale: "CERT-Bund's seat is empty".into(),
        },
    );
    assert_has(
        &taken,
        &event(
            h(1) + 30,
            EventKind::DecisionTaken {
                decision: "dec_isolate".into(),
                option: "opt_isolate".into(),
                by: "de_csirt".into(),
                rationale: "CERT-Bund's seat is empty".into(),
                by_facilitator: true,
            },
        ),
    );
}

#[test]
fn decision_offered_only_to_a_simulated_actor_defaults_at_once() {
    let mut e = engine(&decision_exercise());
    let events = advance(&mut e, Advance::To(h(2)));
    assert_has(
        &events,
        &event(
            h(2),
            EventKind::DecisionPending {
                decision: "dec_press".into(),
                by: vec!["de_hosp".into()],
                deadline: None,
            },
        ),
    );
    assert_has(
        &events,
        &event(
            h(2),
            EventKind::DecisionDefaulted {
                decision: "dec_press".into(),
                option: "opt_holding".into(),
            },
        ),
    );
    assert_has(
        &events,
        &event(
            h(2),
            EventKind::VariableChanged {
                variable: "press_line".into(),
                value: Value::Int(1),
            },
        ),
    );
}

// ---------------------------------------------------------------------------------------------------
// Facilitator controls
// ---------------------------------------------------------------------------------------------------

/// A manual inject, two timed ones and an objective to observe against.
fn facilitator_exercise() -> String {
    exercise(
        "6h",
        &format!(
            r#"
    objectives: [ (id: "obj_comms", title: "Coordinated public communication") ],
{CAST}
    incidents: [
        (
            id: "ddos", title: "DDoS on hospital portals", kind: Ddos, entities: ["de_hosp"],
            severity: Significant,
        ),
    ],
    injects: [
        (
            id: "inj_press", manual: true, from: "excon", to: ["de_csirt"], channel: News,
            subject: "Press asks about the outage", objectives: ["obj_comms"],
        ),
        (id: "inj_brief", at: "T+02:00", from: "excon", to: ["de_csirt"], channel: Email, subject: "Briefing"),
        (id: "inj_late", at: "T+03:00", from: "excon", to: ["de_csirt"], channel: Email, subject: "Late news"),
    ],
"#
        ),
    )
}

#[test]
fn fire_delivers_a_manual_inject_now_as_the_facilitator() {
    let mut e = engine(&facilitator_exercise());
    advance(&mut e, Advance::To(45));
    let fired = ok(
        &mut e,
        &Command::Fire {
            inject: "inj_press".into(),
        },
    );
    assert_eq!(
        delivered(&fired, "inj_press"),
        [event(
            45,
            EventKind::InjectDelivered {
                inject: "inj_press".into(),
                from: "excon".into(),
                to: vec!["de_csirt".into()],
                channel: Channel::News,
                tlp: Tlp::Green,
                subject: "Press asks about the outage".into(),
                by_facilitator: true,
                body: String::new(),
            }
        )]
    );
    assert!(
        e.apply(&Command::Fire {
            inject: "inj_press".into()
        })
        .is_err(),
        "an inject is delivered once"
    );
    advance(&mut e, Advance::End);
    assert_eq!(delivered(e.events(), "inj_press").len(), 1);
}

#[test]
fn a_manual_inject_never_delivers_on_its_own() {
    let mut e = engine(&facilitator_exercise());
    advance(&mut e, Advance::End);
    assert!(delivered(e.events(), "inj_press").is_empty());
}

#[test]
fn skipped_inject_is_never_delivered() {
    let mut e = engine(&facilitator_exercise());
    advance(&mut e, Advance::To(h(1)));
    let skipped = ok(
        &mut e,
        &Command::Skip {
            inject: "inj_brief".into(),
        },
    );
    assert_has(
        &skipped,
        &event(
            h(1),
            EventKind::InjectSkipped {
                inject: "inj_brief".into(),
            },
        ),
    );
    assert!(
        e.apply(&Command::Fire {
            inject: "inj_brief".into()
        })
        .is_err(),
        "a skipped inject cannot be fired"
    );
    advance(&mut e, Advance::End);
    assert!(delivered(e.events(), "inj_brief").is_empty());
    assert_eq!(
        delivered(e.events(), "inj_late").len(),
        1,
        "others still arrive"
    );
}

#[test]
fn delay_moves_a_timed_inject() {
    let mut e = engine(&facilitator_exercise());
    advance(&mut e, Advance::To(30));
    let delayed = ok(
        &mut e,
        &Command::Delay {
            inject: "inj_brief".into(),
            minutes: 90,
        },
    );
    assert_has(
        &delayed,
        &event(
            30,
            EventKind::InjectDelayed {
                inject: "inj_brief".into(),
                until: h(3) + 30,
            },
        ),
    );
    let through_two = advance(&mut e, Advance::To(h(3)));
    assert!(
        delivered(&through_two, "inj_brief").is_empty(),
        "not at its old time"
    );
    advance(&mut e, Advance::End);
    assert_eq!(
        times(&delivered(e.events(), "inj_brief"), |_| true),
        [h(3) + 30]
    );
}

#[test]
fn ad_hoc_inject_is_delivered_now() {
    let mut e = engine(&facilitator_exercise());
    advance(&mut e, Advance::To(h(1)));
    let sent = ok(
        &mut e,
        &Command::AdHoc {
            from: "excon".into(),
            to: vec!["de_csirt".into(), "de_spoc".into()],
            channel: Channel::Phone,
            tlp: Tlp::Amber,
            subject: "The minister wants an update".into(),
            body: "Call at once.".into(),
        },
    );
    let ad_hoc: Vec<&Event> = sent
        .iter()
        .filter(|ev| matches!(ev.kind, EventKind::InjectDelivered { .. }))
        .collect();
    assert_eq!(ad_hoc.len(), 1, "{}", timeline(&sent));
    let EventKind::InjectDelivered {
        to,
        subject,
        by_facilitator,
        tlp,
        ..
    } = &ad_hoc[0].kind
    else {
        unreachable!()
    };
    assert_eq!(ad_hoc[0].at, h(1));
    assert_eq!(to, &["de_csirt", "de_spoc"]);
    assert_eq!(subject, "The minister wants an update");
    assert_eq!(*tlp, Tlp::Amber);
    assert!(by_facilitator);
}

#[test]
fn observation_is_recorded() {
    let mut e = engine(&facilitator_exercise());
    advance(&mut e, Advance::To(h(1)));
    let noted = ok(
        &mut e,
        &Command::Observe {
            text: "CERT-Bund briefed the hospital clearly".into(),
            objective: Some("obj_comms".into()),
            rating: Some(Rating::P),
        },
    );
    assert_eq!(
        noted,
        [event(
            h(1),
            EventKind::ObservationRecorded {
                text: "CERT-Bund briefed the hospital clearly".into(),
                objective: Some("obj_comms".into()),
                rating: Some(Rating::P),
            }
        )]
    );
    assert!(
        e.apply(&Command::Observe {
            text: "x".into(),
            objective: Some("obj_nope".into()),
            rating: None,
        })
        .is_err(),
        "an observation names a real objective"
    );
}

#[test]
fn paused_clock_refuses_to_advance_until_resumed() {
    let mut e = engine(&facilitator_exercise());
    advance(&mut e, Advance::To(h(1)));
    assert_eq!(
        ok(&mut e, &Command::Pause),
        [event(h(1), EventKind::Paused)]
    );
    let before = e.events().len();
    assert!(e.apply(&Command::Advance(Advance::By(30))).is_err());
    assert!(e.apply(&Command::Advance(Advance::End)).is_err());
    assert_eq!(e.now(), h(1), "the clock did not move");
    assert_eq!(e.events().len(), before);
    assert!(e.view().paused);
    assert_eq!(
        ok(&mut e, &Command::Resume),
        [event(h(1), EventKind::Resumed)]
    );
    let moved = advance(&mut e, Advance::By(h(1) + 30));
    assert_eq!(e.now(), h(2) + 30);
    assert_eq!(delivered(&moved, "inj_brief").len(), 1);
}

#[test]
fn override_grants_a_refused_request_with_the_reason_on_record() {
    let mut e = engine(&facilitator_exercise());
    let refused = e.apply(&request(
        "de_csirt",
        Action::Ipcr(IpcrMode::FullActivation),
        None,
    ));
    assert!(refused.is_err());
    assert!(
        e.apply(&Command::Override {
            by: "de_csirt".into(),
            action: Action::Ipcr(IpcrMode::FullActivation),
            incident: None,
            reason: " ".into(),
        })
        .is_err(),
        "an override needs a reason"
    );
    let granted = ok(
        &mut e,
        &Command::Override {
            by: "de_csirt".into(),
            action: Action::Ipcr(IpcrMode::FullActivation),
            incident: None,
            reason: "the Presidency seat is empty today".into(),
        },
    );
    assert_has(
        &granted,
        &event(
            0,
            EventKind::RequestGranted {
                by: "de_csirt".into(),
                action: Action::Ipcr(IpcrMode::FullActivation),
                incident: None,
                overridden: Some("the Presidency seat is empty today".into()),
            },
        ),
    );
    assert!(granted.iter().any(|ev| matches!(
        ev.kind,
        EventKind::IpcrModeChanged {
            to: IpcrMode::FullActivation,
            ..
        }
    )));
    assert_eq!(e.view().mechanisms.ipcr, IpcrMode::FullActivation);
}

// ---------------------------------------------------------------------------------------------------
// EU rules through the engine
// ---------------------------------------------------------------------------------------------------

/// One state-linked incident: a significant wiper on the German grid, which overwhelms Germany and
/// amounts to armed aggression; a second hospital incident in France; the Reserve needs mitigation.
fn rules_exercise(truth: &str) -> String {
    exercise(
        "72h",
        &format!(
            r#"{CAST}
    incidents: [
        (
            id: "grid", title: "Wiper on the grid operator", kind: Wiper, entities: ["de_grid"],
            severity: Severe,
            truth: ({truth}),
        ),
        (
            id: "hosp", title: "Ransomware at a French hospital", kind: Ransomware, entities: ["fr_hosp"],
            severity: Significant,
        ),
    ],
    injects: [
        (
            id: "inj_mitigated", manual: true, from: "excon", to: ["de_csirt"], channel: Email,
            subject: "The grid operator has isolated its control network", effects: [Mitigate("grid")],
        ),
        (
            id: "inj_spread", manual: true, from: "excon", to: ["de_csirt"], channel: Email,
            subject: "The wiper is found at a Polish hospital", effects: [SpreadTo("grid", "pl_hosp")],
        ),
    ],
"#
        ),
    )
}

const STATE_ATTACK: &str =
    r#"perpetrator: "SANDSTORM", origin: StateLinked, armed_aggression: true, overwhelms: ["DE"]"#;

#[test]
fn csirt_asking_ipcr_full_activation_is_refused_with_the_rule() {
    let mut e = engine(&rules_exercise(STATE_ATTACK));
    let refusal = e
        .apply(&request(
            "de_csirt",
            Action::Ipcr(IpcrMode::FullActivation),
            None,
        ))
        .expect_err("a CSIRT does not control IPCR");
    assert_eq!(refusal.rule, "Council Impl. Dec. (EU) 2018/1993");
    assert_eq!(
        e.events().last(),
        Some(&event(
            0,
            EventKind::RequestRefused {
                by: "de_csirt".into(),
                action: Action::Ipcr(IpcrMode::FullActivation),
                incident: None,
                refusal,
            }
        )),
        "the refusal is on record"
    );
    assert_eq!(e.view().mechanisms.ipcr, IpcrMode::Monitoring);
}

#[test]
fn presidency_fully_activates_ipcr() {
    let mut e = engine(&rules_exercise(STATE_ATTACK));
    advance(&mut e, Advance::To(h(2)));
    let granted = ok(
        &mut e,
        &request("presidency", Action::Ipcr(IpcrMode::FullActivation), None),
    );
    assert_has(
        &granted,
        &event(
            h(2),
            EventKind::IpcrModeChanged {
                from: IpcrMode::Monitoring,
                to: IpcrMode::FullActivation,
                by: "presidency".into(),
                reason: "Presidency decision".into(),
            },
        ),
    );
    assert_eq!(
        times(
            &granted,
            |k| matches!(k, EventKind::InjectDelivered { inject, .. } if inject.starts_with("isaa_"))
        ),
        [h(2)],
        "the first ISAA report comes with the activation"
    );
}

/// The times of the engine's ISAA reports, and who sent them, once the Presidency opens information
/// sharing at T+02:00 and the exercise runs to T+30:00.
fn isaa_reports(setting: &str) -> Vec<(Minutes, String, String)> {
    let ron = rules_exercise(STATE_ATTACK).replacen(
        "    actors: [",
        &format!("    {setting}\n    actors: ["),
        1,
    );
    let mut e = engine(&ron);
    advance(&mut e, Advance::To(h(2)));
    ok(
        &mut e,
        &request(
            "presidency",
            Action::Ipcr(IpcrMode::InformationSharing),
            None,
        ),
    );
    advance(&mut e, Advance::To(h(30)));
    e.events()
        .iter()
        .filter_map(|ev| match &ev.kind {
            EventKind::InjectDelivered {
                inject,
                from,
                subject,
                ..
            } if inject.starts_with("isaa_") => Some((ev.at, from.clone(), subject.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn isaa_reports_follow_the_scenarios_rhythm_as_the_commission_and_the_eeas() {
    let default = isaa_reports("");
    assert_eq!(
        default.iter().map(|r| r.0).collect::<Vec<_>>(),
        [h(2), h(14), h(26)],
        "twice a day by default"
    );
    let every_6h = isaa_reports(r#"isaa: Every("6h"),"#);
    assert_eq!(
        every_6h.iter().map(|r| r.0).collect::<Vec<_>>(),
        [h(2), h(8), h(14), h(20), h(26)]
    );
    // Sent as the Commission and the EEAS (the cast has no Commission: the EEAS is the sender on record).
    assert!(
        every_6h
            .iter()
            .all(|(_, from, subject)| from == "eeas" && subject.contains("Commission and EEAS")),
        "{every_6h:?}"
    );
}

#[test]
fn a_scenario_that_scripts_its_isaa_reports_or_has_none_gets_none_from_the_engine() {
    assert!(isaa_reports("isaa: Scripted,").is_empty());
    assert!(isaa_reports("isaa: Off,").is_empty());
}

#[test]
fn an_isaa_rhythm_of_zero_does_not_check() {
    let ron = rules_exercise(STATE_ATTACK).replacen(
        "    actors: [",
        "    isaa: Every(\"0m\"),\n    actors: [",
        1,
    );
    let checked = tabletop::scenario::check_str(&ron, &tabletop::scenario::Origin::default());
    assert!(checked.scenario.is_none());
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.message.contains("longer than zero")),
        "{:?}",
        checked.diagnostics
    );
}

#[test]
fn art222_by_an_overwhelmed_state_fully_activates_ipcr_automatically() {
    let mut e = engine(&rules_exercise(STATE_ATTACK));
    advance(&mut e, Advance::To(h(3)));
    let invoked = ok(
        &mut e,
        &request("de_gov", Action::InvokeArt222, Some("grid")),
    );
    assert_has(
        &invoked,
        &event(
            h(3),
            EventKind::RequestGranted {
                by: "de_gov".into(),
                action: Action::InvokeArt222,
                incident: Some("grid".into()),
                overridden: None,
            },
        ),
    );
    let changes: Vec<&Event> = invoked
        .iter()
        .filter(|ev| matches!(ev.kind, EventKind::IpcrModeChanged { .. }))
        .collect();
    assert_eq!(changes.len(), 1, "{}", timeline(&invoked));
    assert!(matches!(
        &changes[0].kind,
        EventKind::IpcrModeChanged { from: IpcrMode::Monitoring, to: IpcrMode::FullActivation, by, .. } if by == "rule"
    ));
    assert_eq!(e.view().mechanisms.ipcr, IpcrMode::FullActivation);
}

/// The `MechanismChanged` states recorded for a treaty clause, in order.
fn clause_states(events: &[Event], clause: Mechanism) -> Vec<(String, String)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::MechanismChanged {
                mechanism,
                state,
                by,
                ..
            } if *mechanism == clause => Some((state.clone(), by.clone())),
            _ => None,
        })
        .collect()
}

/// The contests recorded for a treaty clause (by the rule, never refusals).
fn contests(events: &[Event], clause: Mechanism) -> Vec<String> {
    clause_states(events, clause)
        .into_iter()
        .filter(|(state, by)| by == "rule" && state.starts_with("invocation contested"))
        .map(|(state, _)| state)
        .collect()
}

#[test]
fn art222_by_a_state_that_is_not_overwhelmed_is_granted_recorded_as_contested_and_activates_ipcr() {
    let mut e = engine(&rules_exercise(
        r"origin: StateLinked, armed_aggression: true",
    ));
    let invoked = ok(
        &mut e,
        &request("de_gov", Action::InvokeArt222, Some("grid")),
    );
    let contested = contests(&invoked, Mechanism::Art222);
    assert!(
        contested
            .iter()
            .any(|c| c.contains("neither a terrorist attack nor") && c.contains("DE")),
        "{}",
        timeline(&invoked)
    );
    assert!(
        contested.iter().any(|c| c.contains("not yet exploited")),
        "no mitigation and no EU support asked: {}",
        timeline(&invoked)
    );
    assert!(e.view().mechanisms.art222.contains("DE"));
    assert_eq!(
        e.view().mechanisms.ipcr,
        IpcrMode::FullActivation,
        "an Art. 222 invocation activates IPCR fully, contested or not"
    );
}

#[test]
fn art222_after_own_mitigation_and_an_eu_support_request_is_not_contested() {
    let mut e = engine(&rules_exercise(STATE_ATTACK));
    ok(
        &mut e,
        &Command::Fire {
            inject: "inj_mitigated".into(),
        },
    );
    ok(
        &mut e,
        &request("de_csirt", Action::RequestReserve, Some("grid")),
    );
    let invoked = ok(
        &mut e,
        &request("de_gov", Action::InvokeArt222, Some("grid")),
    );
    assert_eq!(
        contests(&invoked, Mechanism::Art222),
        Vec::<String>::new(),
        "{}",
        timeline(&invoked)
    );
    // The refusals that are real stay: a second invocation, and a state that is not hit.
    let again = e
        .apply(&request("de_gov", Action::InvokeArt222, Some("grid")))
        .expect_err("already invoked");
    assert!(again.reason.contains("already"), "{again}");
    let not_hit = e
        .apply(&request("pl_gov", Action::InvokeArt222, Some("grid")))
        .expect_err("Poland is not hit");
    assert_eq!(not_hit.rule, "Art. 222 TFEU");
    assert!(not_hit.reason.contains("PL is not hit"), "{not_hit}");
}

#[test]
fn art427_by_the_victim_asks_every_other_government_for_aid() {
    let mut e = engine(&rules_exercise(STATE_ATTACK));
    advance(&mut e, Advance::To(h(4)));
    let invoked = ok(
        &mut e,
        &request("de_gov", Action::InvokeArt427, Some("grid")),
    );
    let mut asked: Vec<(String, Vec<String>, Option<Minutes>)> = invoked
        .iter()
        .filter_map(|ev| match &ev.kind {
            EventKind::DecisionPending {
                decision,
                by,
                deadline,
            } => Some((decision.clone(), by.clone(), *deadline)),
            _ => None,
        })
        .collect();
    asked.sort();
    assert_eq!(
        asked,
        [
            (
                "art427_aid_de_fr".to_owned(),
                vec!["fr_gov".to_owned()],
                Some(h(4) + h(24))
            ),
            (
                "art427_aid_de_pl".to_owned(),
                vec!["pl_gov".to_owned()],
                Some(h(4) + h(24))
            ),
        ],
        "France and Poland decide how to help; Germany, the victim, is not asked:\n{}",
        timeline(&invoked)
    );
    assert!(e.view().mechanisms.art427.contains("DE"));
    assert!(
        times(&invoked, |k| matches!(k, EventKind::IpcrModeChanged { .. })).is_empty(),
        "Art. 42(7) needs no EU institutional decision"
    );
}

#[test]
fn art427_without_armed_aggression_is_granted_and_recorded_as_contested() {
    let mut e = engine(&rules_exercise(
        r#"origin: StateLinked, overwhelms: ["DE"]"#,
    ));
    let invoked = ok(
        &mut e,
        &request("de_gov", Action::InvokeArt427, Some("grid")),
    );
    let contested = contests(&invoked, Mechanism::Art427);
    assert_eq!(contested.len(), 1, "{}", timeline(&invoked));
    assert!(
        contested[0].contains("do not amount to armed aggression on DE's territory"),
        "{}",
        contested[0]
    );
    assert!(e.view().mechanisms.art427.contains("DE"));
    assert_eq!(
        e.view().pending_decisions().count(),
        2,
        "France and Poland still answer: the politics is theirs"
    );
    // What the rule records reads the hidden truth: no seat sees it.
    let seat = e.seat_view("fr_gov").expect("a seat");
    let shown = serde_json::to_string(&seat).expect("serialises");
    assert!(!shown.contains("contested"), "{shown}");
}

#[test]
fn a_second_art427_invocation_asks_the_other_governments_again() {
    let ron = exercise(
        "72h",
        &format!(
            r#"{CAST}
    incidents: [
        (
            id: "blackout", title: "Sabotage of two grids", kind: PhysicalSabotage,
            entities: ["de_grid", "fr_hosp"], severity: Critical,
            truth: (origin: StateLinked, armed_aggression: true),
        ),
    ],
    injects: [],
"#
        ),
    );
    let mut e = engine(&ron);
    ok(
        &mut e,
        &request("de_gov", Action::InvokeArt427, Some("blackout")),
    );
    advance(&mut e, Advance::To(h(1)));
    let second = ok(
        &mut e,
        &request("fr_gov", Action::InvokeArt427, Some("blackout")),
    );
    let asked: Vec<String> = second
        .iter()
        .filter_map(|ev| match &ev.kind {
            EventKind::DecisionPending { by, .. } => Some(by.join(",")),
            _ => None,
        })
        .collect();
    assert!(
        asked.contains(&"pl_gov".to_owned()) && asked.contains(&"de_gov".to_owned()),
        "Poland and Germany must each decide how to help France: {asked:?}\n{}",
        timeline(&second)
    );
}

/// France, November 2015: a terrorist attack by a non-state group; FR invokes Art. 42(7) TEU. Germany
/// and Poland are NATO allies; Ireland's specific security and defence policy is respected.
const PARIS: &str = r#"Scenario(
    format: 1,
    id: "paris-2015",
    title: "Art. 42(7) after a terrorist attack",
    start: "2015-11-13T21:00:00+01:00",
    duration: "120h",
    member_states: ["FR", "DE", "IE", "PL", "LU"],
    presidency: "LU",
    actors: [
        (id: "fr_gov", name: "French government", kind: Government, country: "FR", seat: true),
        (id: "de_gov", name: "German government", kind: Government, country: "DE", seat: true),
        (id: "ie_gov", name: "Irish government", kind: Government, country: "IE", seat: true),
        (id: "pl_gov", name: "Polish government", kind: Government, country: "PL", seat: true),
        (id: "presidency", name: "Luxembourg Presidency", kind: Presidency, seat: true),
        (id: "eeas", name: "HR / EEAS", kind: Eeas, seat: true),
        (id: "fr_services", name: "Paris emergency services", kind: Essential(PublicAdministration), country: "FR"),
    ],
    incidents: [
        (
            id: "attacks", title: "Coordinated terrorist attacks in Paris", kind: Other,
            entities: ["fr_services"], severity: Critical,
            truth: (perpetrator: "a non-state armed group", origin: Unknown, terrorist_attack: true),
        ),
    ],
    injects: [],
)"#;

/// Plays PARIS to the Foreign Affairs Council of 17 November 2015, four days after the attacks, where
/// France invokes Art. 42(7): the engine, the moment and the invocation's events.
fn france_invokes() -> (Engine, Minutes, Vec<Event>) {
    let mut e = engine(PARIS);
    advance(&mut e, Advance::To(h(88)));
    let at = e.now();
    let invoked = ok(
        &mut e,
        &request("fr_gov", Action::InvokeArt427, Some("attacks")),
    );
    (e, at, invoked)
}

#[test]
fn france_invoking_art427_after_a_terrorist_attack_is_granted_and_every_government_is_asked() {
    let (mut e, at, invoked) = france_invokes();
    assert_has(
        &invoked,
        &event(
            at,
            EventKind::RequestGranted {
                by: "fr_gov".into(),
                action: Action::InvokeArt427,
                incident: Some("attacks".into()),
                overridden: None,
            },
        ),
    );
    let states = clause_states(&invoked, Mechanism::Art427);
    let said = |words: &[&str]| {
        states
            .iter()
            .any(|(state, _)| words.iter().all(|w| state.contains(w)))
    };
    assert!(said(&["invoked by FR"]), "{}", timeline(&invoked));
    // Recorded for the facilitator: on the facts it is a terrorist attack, not armed aggression.
    let contested = contests(&invoked, Mechanism::Art427);
    assert_eq!(contested.len(), 1, "{}", timeline(&invoked));
    assert!(
        contested[0].contains("terrorist attack"),
        "{}",
        contested[0]
    );
    // The practical arrangements and NATO as context.
    assert!(
        said(&[
            "FR raises",
            "Presidency (LU)",
            "HR/EEAS facilitates",
            "PSC follows up"
        ]),
        "{}",
        timeline(&invoked)
    );
    assert!(
        said(&["NATO context", "FR, a NATO member"]),
        "{}",
        timeline(&invoked)
    );
    assert!(
        times(&invoked, |k| matches!(k, EventKind::IpcrModeChanged { .. })).is_empty(),
        "Art. 42(7) needs no EU institutional decision"
    );

    // Every other government gets its aid-and-assistance decision; France does not.
    let view = e.view();
    let mut asked: Vec<(&str, Vec<&str>)> = view
        .decisions
        .iter()
        .filter(|d| d.id.starts_with("art427_aid_"))
        .map(|d| {
            (
                d.id.as_str(),
                d.options.iter().map(|(id, _)| id.as_str()).collect(),
            )
        })
        .collect();
    asked.sort();
    let ally = vec![
        "assist_all_means",
        "assist_civilian",
        "support_without_offer",
        "do_not_support",
        "no_position",
    ];
    let neutral = ally[1..].to_vec();
    assert_eq!(
        asked,
        [
            ("art427_aid_fr_de", ally.clone()),
            ("art427_aid_fr_ie", neutral),
            ("art427_aid_fr_pl", ally),
        ],
        "Ireland's options are non-military"
    );
    let awaited = &view.mechanisms.art427_responses["FR"];
    assert!(
        awaited.values().all(|r| *r == AidResponse::Awaited) && awaited.len() == 3,
        "{awaited:?}"
    );
}

#[test]
fn after_frances_invocation_each_government_answers_and_every_seat_sees_it_per_state() {
    let (mut e, at, _) = france_invokes();
    // The governments answer; Ireland cannot be made to offer military means.
    ok(
        &mut e,
        &decide("de_gov", "art427_aid_fr_de", "assist_all_means", ""),
    );
    let refusal = e
        .apply(&decide(
            "ie_gov",
            "art427_aid_fr_ie",
            "assist_all_means",
            "",
        ))
        .expect_err("not an option for Ireland");
    assert!(refusal.to_string().contains("not an option"), "{refusal}");
    let answered = ok(
        &mut e,
        &decide(
            "ie_gov",
            "art427_aid_fr_ie",
            "assist_civilian",
            "Irish neutrality",
        ),
    );
    assert!(
        clause_states(&answered, Mechanism::Art427).contains(&(
            "IE to FR: bilateral offer of non-military aid and assistance".into(),
            "ie_gov".into()
        )),
        "{}",
        timeline(&answered)
    );
    // Poland says nothing: at the deadline it has taken no position (the engine invents no support).
    advance(&mut e, Advance::To(at + h(25)));
    let answers = e.view().mechanisms.art427_responses["FR"].clone();
    assert_eq!(
        answers.into_iter().collect::<Vec<_>>(),
        [
            ("DE".to_owned(), AidResponse::AllMeans),
            ("IE".to_owned(), AidResponse::NonMilitary),
            ("PL".to_owned(), AidResponse::NoPosition),
        ]
    );
    // Each government sees every answer in its seat view, and never the contest.
    let seat = e.seat_view("pl_gov").expect("a seat");
    assert_eq!(
        seat.mechanisms.art427_responses["FR"]["IE"],
        AidResponse::NonMilitary
    );
    let shown = serde_json::to_string(&seat).expect("serialises");
    assert!(!shown.contains("contested"), "{shown}");
}

#[test]
fn france_invoking_art427_for_armed_aggression_is_not_contested() {
    let mut e = engine(&PARIS.replace(
        "terrorist_attack: true",
        "terrorist_attack: true, armed_aggression: true",
    ));
    let invoked = ok(
        &mut e,
        &request("fr_gov", Action::InvokeArt427, Some("attacks")),
    );
    assert_eq!(contests(&invoked, Mechanism::Art427), Vec::<String>::new());
    assert!(e.view().mechanisms.art427.contains("FR"));
}

#[test]
fn the_run_summary_shows_each_governments_answer_and_the_contest() {
    let dir = crate::support::temp_dir("engine", "paris-summary");
    let path = dir.join("paris.ron");
    let with_invocation = PARIS.replace(
        "injects: [],",
        r#"injects: [
        (
            id: "inj_invoke", at: "T+88:00", from: "eeas", to: ["fr_gov"], channel: Meeting,
            subject: "France invokes Art. 42(7) TEU",
            effects: [Request(by: "fr_gov", action: InvokeArt427, incident: "attacks")],
        ),
    ],"#,
    );
    std::fs::write(&path, with_invocation).expect("write scenario");
    let out = crate::support::tabletop(&[
        "run",
        path.to_str().expect("utf-8 path"),
        "--policy",
        "escalate",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = &stdout[stdout.find("Summary").expect("a summary")..];
    for line in [
        "Art. 42(7) invoked by: FR",
        "Art. 42(7) TEU invocation contested",
        "Art. 42(7) aid and assistance to FR:",
        "DE: bilateral offer of aid and assistance by all means, military included",
        "IE: bilateral offer of non-military aid and assistance",
        "PL: bilateral offer of aid and assistance by all means, military included",
    ] {
        assert!(summary.contains(line), "`{line}` missing from:\n{summary}");
    }
}

// Restrictive measures and the rest of the Council track: `council.rs`.

#[test]
fn reserve_refused_before_mitigation_then_granted_and_deployed_within_48h() {
    let mut e = engine(&rules_exercise(STATE_ATTACK));
    advance(&mut e, Advance::To(h(1)));
    let refusal = e
        .apply(&request("de_csirt", Action::RequestReserve, Some("grid")))
        .expect_err("own mitigation first");
    assert_eq!(refusal.rule, "Cyber Solidarity Act Art. 15(2)");
    assert!(refusal.reason.contains("mitigation"), "{refusal}");
    let mitigated = ok(
        &mut e,
        &Command::Fire {
            inject: "inj_mitigated".into(),
        },
    );
    assert_has(
        &mitigated,
        &event(
            h(1),
            EventKind::IncidentMitigated {
                incident: "grid".into(),
            },
        ),
    );
    let granted = ok(
        &mut e,
        &request("de_csirt", Action::RequestReserve, Some("grid")),
    );
    assert_has(
        &granted,
        &event(
            h(1),
            EventKind::RequestGranted {
                by: "de_csirt".into(),
                action: Action::RequestReserve,
                incident: Some("grid".into()),
                overridden: None,
            },
        ),
    );
    assert!(
        e.view()
            .mechanisms
            .reserve_requests
            .contains(&("DE".to_owned(), "grid".to_owned()))
    );
    assert!(
        e.apply(&request("de_csirt", Action::RequestReserve, Some("grid")))
            .is_err(),
        "the same request twice is refused"
    );
    advance(&mut e, Advance::To(h(1) + h(48)));
    let deployed = times(
        e.events(),
        |k| matches!(k, EventKind::SupportDeployed { incident, .. } if incident == "grid"),
    );
    assert_eq!(deployed.len(), 1, "{}", timeline(e.events()));
    assert!(
        deployed[0] >= h(1) + h(12) && deployed[0] <= h(1) + h(48),
        "answered within 12 to 48 hours, at {}",
        deployed[0]
    );
    let view = e.view();
    assert!(view.incident("grid").is_some_and(|i| i.supported));
    assert!(view.mechanisms.reserve_deployed);
}

/// Reserve states in order, as the log says them.
fn reserve_states(events: &[Event]) -> Vec<(Minutes, String, String)> {
    events
        .iter()
        .filter_map(|ev| match &ev.kind {
            EventKind::MechanismChanged {
                mechanism: Mechanism::Reserve,
                state,
                by,
                ..
            } => Some((ev.at, by.clone(), state.clone())),
            _ => None,
        })
        .collect()
}

/// Two incidents in two states, each state with its CSIRT and its SPOC; the Reserve has one team.
fn reserve_exercise(capacity: &str) -> String {
    exercise(
        "96h",
        &format!(
            r#"{capacity}
    actors: [
        (id: "de_csirt", name: "CERT-Bund", kind: Csirt, country: "DE", seat: true),
        (id: "de_spoc", name: "BSI single point of contact", kind: Spoc, country: "DE", seat: true),
        (id: "fr_csirt", name: "CERT-FR", kind: Csirt, country: "FR", seat: true),
        (id: "fr_spoc", name: "ANSSI single point of contact", kind: Spoc, country: "FR", seat: true),
        (id: "enisa", name: "ENISA", kind: Enisa, seat: true),
        (id: "de_grid", name: "Netz Ost", kind: Essential(Energy), country: "DE"),
        (id: "fr_hosp", name: "CHU Sud", kind: Essential(Health), country: "FR"),
        (id: "excon", name: "Exercise control", kind: Other),
    ],
    incidents: [
        (id: "grid", title: "Wiper on the grid operator", kind: Wiper, entities: ["de_grid"], severity: Significant),
        (id: "hosp", title: "Ransomware at a French hospital", kind: Ransomware, entities: ["fr_hosp"], severity: Critical),
    ],
    injects: [
        (
            id: "inj_mitigated", at: "T+00:30", from: "excon", to: ["de_csirt", "fr_csirt"], channel: Email,
            subject: "Both operators have isolated their networks", effects: [Mitigate("grid"), Mitigate("hosp")],
        ),
        (
            id: "inj_recovered", manual: true, from: "excon", to: ["de_csirt"], channel: Email,
            subject: "The grid operator is back to normal", effects: [Recover("grid")],
        ),
    ],
"#
        ),
    )
}

#[test]
fn a_csirt_requests_the_reserve_and_its_spoc_transmits_the_request_to_enisa() {
    let mut e = engine(&reserve_exercise(""));
    advance(&mut e, Advance::To(h(1)));
    let refusal = e
        .apply(&request("de_spoc", Action::RequestReserve, Some("grid")))
        .expect_err("the SPOC transmits requests; it is not a Reserve user");
    assert_eq!(refusal.rule, "Cyber Solidarity Act Art. 14(3)");
    let granted = ok(
        &mut e,
        &request("de_csirt", Action::RequestReserve, Some("grid")),
    );
    let states = reserve_states(&granted);
    assert_eq!(
        states,
        [
            (
                h(1),
                "de_csirt".into(),
                "requested by de_csirt (DE) for grid".into()
            ),
            (
                h(1),
                "de_spoc".into(),
                "de_spoc transmits the request of de_csirt for grid to ENISA".into()
            ),
        ],
        "{}",
        timeline(&granted)
    );
    advance(&mut e, Advance::To(h(50)));
    let answered = reserve_states(e.events());
    assert!(
        answered.iter().any(|(at, by, state)| by == "enisa"
            && state.starts_with("ENISA serves the request of DE for grid in full")
            && *at >= h(13)
            && *at <= h(49)),
        "{}",
        timeline(e.events())
    );
}

#[test]
fn competing_reserve_requests_are_ranked_and_the_lower_one_waits_for_capacity() {
    let mut e = engine(&reserve_exercise("reserve_capacity: 1,"));
    advance(&mut e, Advance::To(h(1)));
    // Germany asks first, for a significant incident; France an hour later, for a critical one.
    ok(
        &mut e,
        &request("de_csirt", Action::RequestReserve, Some("grid")),
    );
    advance(&mut e, Advance::To(h(2)));
    ok(
        &mut e,
        &request("fr_csirt", Action::RequestReserve, Some("hosp")),
    );
    advance(&mut e, Advance::To(h(96)));
    let answers: Vec<(Minutes, String)> = reserve_states(e.events())
        .into_iter()
        .filter(|(_, by, _)| by == "enisa")
        .map(|(at, _, state)| (at, state))
        .collect();
    let served_fr = answers
        .iter()
        .find(|(_, s)| s.starts_with("ENISA serves the request of FR for hosp in full"))
        .unwrap_or_else(|| panic!("{}", timeline(e.events())));
    let deferred_de = answers
        .iter()
        .find(|(_, s)| s.starts_with("ENISA defers the request of DE for grid"))
        .unwrap_or_else(|| panic!("{}", timeline(e.events())));
    assert_eq!(served_fr.0, deferred_de.0, "assessed together");
    assert_eq!(
        answers
            .iter()
            .filter(|(_, s)| s.starts_with("ENISA defers"))
            .count(),
        1,
        "a deferred request waits for capacity; its own answer time does not assess it again"
    );
    assert!(served_fr.1.contains("priority 1 of 2"), "{}", served_fr.1);
    assert!(
        deferred_de.1.contains("priority 2 of 2"),
        "{}",
        deferred_de.1
    );
    // Once the French team's 48 hours are over, the German request is served.
    let served_de = answers
        .iter()
        .find(|(_, s)| s.starts_with("ENISA serves the request of DE for grid in full"))
        .unwrap_or_else(|| panic!("{}", timeline(e.events())));
    assert_eq!(served_de.0, served_fr.0 + h(48));
    assert_eq!(
        times(e.events(), |k| matches!(
            k,
            EventKind::SupportDeployed { .. }
        )),
        [served_fr.0, served_de.0]
    );
}

#[test]
fn enisa_refuses_a_reserve_request_once_the_incident_is_over() {
    let mut e = engine(&reserve_exercise(""));
    advance(&mut e, Advance::To(h(1)));
    ok(
        &mut e,
        &request("de_csirt", Action::RequestReserve, Some("grid")),
    );
    ok(
        &mut e,
        &Command::Fire {
            inject: "inj_recovered".into(),
        },
    );
    advance(&mut e, Advance::To(h(50)));
    assert!(
        reserve_states(e.events())
            .iter()
            .any(|(_, by, s)| by == "enisa"
                && s.starts_with("ENISA refuses the request of DE for grid")
                && s.contains("no longer")),
        "{}",
        timeline(e.events())
    );
    assert!(!e.view().mechanisms.reserve_deployed);
    assert!(
        times(e.events(), |k| matches!(
            k,
            EventKind::SupportDeployed { .. }
        ))
        .is_empty(),
        "no team for an incident that is over"
    );
}

#[test]
fn two_incidents_each_get_their_own_csirts_network_case() {
    let mut e = engine(&reserve_exercise(""));
    advance(&mut e, Advance::To(h(1)));
    let first = ok(
        &mut e,
        &request("de_csirt", Action::OpenCsirtsCase, Some("grid")),
    );
    let second = ok(
        &mut e,
        &request("fr_csirt", Action::OpenCsirtsCase, Some("hosp")),
    );
    let cases: Vec<String> = first
        .iter()
        .chain(&second)
        .filter_map(|ev| match &ev.kind {
            EventKind::MechanismChanged {
                mechanism: Mechanism::CsirtsNetwork,
                state,
                ..
            } => Some(state.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(cases, ["case open on grid", "case open on hosp"]);
    let view = e.view();
    assert!(
        view.mechanisms.csirts_case_open,
        "the condition fact: any case open"
    );
    assert_eq!(
        view.mechanisms.csirts_cases.iter().collect::<Vec<_>>(),
        ["grid", "hosp"]
    );
    let refusal = e
        .apply(&request("fr_csirt", Action::OpenCsirtsCase, Some("grid")))
        .expect_err("one case per incident");
    assert!(refusal.reason.contains("already"), "{refusal}");
}

#[test]
fn escalation_to_cyclone_is_refused_until_the_incident_is_large_scale() {
    // Germany alone is hit and not overwhelmed: not large-scale yet.
    let mut e = engine(&rules_exercise(r"origin: StateLinked"));
    advance(&mut e, Advance::To(h(1)));
    let refusal = e
        .apply(&request(
            "de_csirt",
            Action::EscalateToCyclone,
            Some("grid"),
        ))
        .expect_err("one Member State, capacity not exceeded");
    assert_eq!(refusal.rule, "NIS2 Art. 6(7), 16");
    let spread = ok(
        &mut e,
        &Command::Fire {
            inject: "inj_spread".into(),
        },
    );
    assert_has(
        &spread,
        &event(
            h(1),
            EventKind::LargeScaleReached {
                incident: "grid".into(),
                countries: vec!["DE".into(), "PL".into()],
            },
        ),
    );
    let escalated = ok(
        &mut e,
        &request("de_csirt", Action::EscalateToCyclone, Some("grid")),
    );
    assert!(
        escalated.iter().any(|ev| matches!(
            &ev.kind,
            EventKind::MechanismChanged { mechanism, .. } if *mechanism == Mechanism::Cyclone
        )),
        "{}",
        timeline(&escalated)
    );
    assert!(e.view().mechanisms.cyclone_active);
}

#[test]
fn requests_about_an_incident_that_has_not_started_are_refused() {
    let ron = exercise(
        "24h",
        &format!(
            r#"{CAST}
    incidents: [
        (
            id: "later", title: "Wiper in two states, tomorrow", kind: Wiper,
            entities: ["de_grid", "fr_hosp"], severity: Critical, start: "T+12:00",
            truth: (origin: StateLinked, armed_aggression: true, overwhelms: ["DE"]),
        ),
    ],
    injects: [],
"#
        ),
    );
    let mut e = engine(&ron);
    advance(&mut e, Advance::To(h(1)));
    for (by, action) in [
        ("de_csirt", Action::EscalateToCyclone),
        ("de_gov", Action::InvokeArt222),
        ("de_gov", Action::InvokeArt427),
    ] {
        assert!(
            e.apply(&request(by, action, Some("later"))).is_err(),
            "{by} {action:?} on an incident that starts at T+12:00 is granted at T+01:00:\n{}",
            timeline(e.events())
        );
    }
}

// ---------------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------------

#[test]
fn advance_to_the_end_jumps_keeps_order_and_ends_once() {
    let ron = exercise(
        "72h",
        &format!(
            r#"
    objectives: [
        (
            id: "obj_report", title: "Report on time",
            criteria: [(id: "crit_warned", text: "Early warning filed", met_when: "nis2_missed == 0 and time >= 30h")],
        ),
    ],
{CAST}
    incidents: [
        (
            id: "wave", title: "Ransomware wave", kind: Ransomware, entities: ["de_hosp"], severity: Significant,
            detected: "T+00:30",
            dynamics: (spread_per_hour: 0.1, spread_to: ["fr_hosp", "pl_hosp"], escalation_per_hour: 0.1),
        ),
    ],
    injects: [
        (id: "inj_1", at: "T+01:00", from: "excon", to: ["de_csirt"], channel: Email, subject: "First"),
        (id: "inj_2", at: "T+36:00", from: "excon", to: ["de_csirt"], channel: Email, subject: "Second"),
        (id: "inj_3", when: "time >= 48h", from: "excon", to: ["de_csirt"], channel: Email, subject: "Third"),
        (id: "inj_end", at: "T+72:00", from: "excon", to: ["de_csirt"], channel: Meeting, subject: "ENDEX"),
    ],
"#
        ),
    );
    let mut e = engine(&ron);
    let events = advance(&mut e, Advance::End);
    assert_eq!(e.now(), h(72));
    assert!(
        e.passes() < 500,
        "a 72-hour run stops only when something can happen, not every minute: {} passes",
        e.passes()
    );
    assert!(e.ended());
    let all = e.events();
    assert!(
        all.windows(2).all(|w| w[0].at <= w[1].at),
        "events out of time order:\n{}",
        timeline(all)
    );
    assert_eq!(
        times(all, |k| matches!(k, EventKind::ExerciseEnded)),
        [h(72)]
    );
    assert!(matches!(
        all.last().map(|ev| &ev.kind),
        Some(EventKind::ExerciseEnded)
    ));
    for (inject, at) in [
        ("inj_1", h(1)),
        ("inj_2", h(36)),
        ("inj_3", h(48)),
        ("inj_end", h(72)),
    ] {
        assert_eq!(
            times(&delivered(&events, inject), |_| true),
            [at],
            "{inject}"
        );
    }
    assert!(e.apply(&Command::Advance(Advance::End)).is_err());
    assert!(e.apply(&Command::Advance(Advance::By(1))).is_err());
    assert_eq!(
        times(e.events(), |k| matches!(k, EventKind::ExerciseEnded)).len(),
        1
    );
    assert!(
        e.apply(&Command::Observe {
            text: "hot wash notes".into(),
            objective: None,
            rating: None
        })
        .is_ok(),
        "observations are still taken after ENDEX"
    );
}

#[test]
fn a_missed_deadline_does_not_put_the_event_stream_out_of_order() {
    // The first incident is detected at T+00:05, so its early warning is due at T+24:05 and is found
    // missing at T+24:06; a second incident starts at T+24:06.
    let ron = exercise(
        "30h",
        &format!(
            r#"{CAST}
    incidents: [
        (
            id: "first", title: "First wave", kind: Ransomware, entities: ["de_hosp"], severity: Significant,
            detected: "T+00:05",
        ),
        (
            id: "second", title: "Second wave", kind: Ransomware, entities: ["fr_hosp"], severity: Moderate,
            start: "T+24:06",
        ),
    ],
    injects: [],
"#
        ),
    );
    let mut e = engine(&ron);
    advance(&mut e, Advance::End);
    let all = e.events();
    assert!(
        all.windows(2).all(|w| w[0].at <= w[1].at),
        "events out of time order:\n{}",
        timeline(all)
    );
}

#[test]
fn time_condition_fires_at_exactly_six_hours() {
    let ron = exercise(
        "12h",
        &format!(
            r#"{CAST}
    injects: [
        (id: "inj_six", when: "time >= 6h", from: "excon", to: ["de_csirt"], channel: Email, subject: "Six hours in"),
        (
            id: "inj_after", when: "time > 6h", delay: "30m", from: "excon", to: ["de_csirt"], channel: Email,
            subject: "Just after six, plus half an hour",
        ),
    ],
"#
        ),
    );
    let mut e = engine(&ron);
    let events = advance(&mut e, Advance::By(h(8)));
    assert_eq!(times(&delivered(&events, "inj_six"), |_| true), [h(6)]);
    assert_eq!(
        times(&delivered(&events, "inj_after"), |_| true),
        [h(6) + 1 + 30]
    );
}

#[test]
fn next_event_stops_at_the_next_due_inject() {
    let ron = exercise(
        "12h",
        &format!(
            r#"{CAST}
    incidents: [
        (id: "quiet", title: "Quiet incident", kind: Intrusion, entities: ["de_hosp"], severity: Moderate),
    ],
    injects: [
        (id: "inj_a", at: "T+02:00", from: "excon", to: ["de_csirt"], channel: Email, subject: "A"),
        (id: "inj_b", at: "T+05:30", from: "excon", to: ["de_csirt"], channel: Email, subject: "B"),
    ],
"#
        ),
    );
    let mut e = engine(&ron);
    let first = advance(&mut e, Advance::NextEvent);
    assert_eq!(e.now(), h(2));
    assert_eq!(delivered(&first, "inj_a").len(), 1);
    let second = advance(&mut e, Advance::NextEvent);
    assert_eq!(e.now(), h(5) + 30);
    assert_eq!(delivered(&second, "inj_b").len(), 1);
    advance(&mut e, Advance::NextEvent);
    assert_eq!(e.now(), h(12), "nothing left: to the end");
    assert!(e.ended());
}

#[test]
fn criteria_are_met_inside_their_window_and_fail_after_it_or_at_the_end() {
    let ron = exercise(
        "8h",
        &format!(
            r#"
    objectives: [
        (
            id: "obj_timing", title: "Timing",
            criteria: [
                (id: "crit_in_time", text: "Briefed within 2h", met_when: "delivered(inj_early)", within: "2h"),
                (id: "crit_late", text: "Warned within 2h", met_when: "delivered(inj_late)", within: "2h"),
                (id: "crit_never", text: "Press handled", met_when: "delivered(inj_press)"),
                (
                    id: "crit_anchored", text: "Answer within 1h of the question",
                    met_when: "delivered(inj_answer)", within: "1h", from: Delivered("inj_question"),
                ),
            ],
        ),
    ],
{CAST}
    injects: [
        (id: "inj_early", at: "T+01:00", from: "excon", to: ["de_csirt"], channel: Email, subject: "Early"),
        (id: "inj_late", at: "T+03:00", from: "excon", to: ["de_csirt"], channel: Email, subject: "Late"),
        (id: "inj_press", manual: true, from: "excon", to: ["de_csirt"], channel: News, subject: "Press"),
        (id: "inj_question", at: "T+04:00", from: "excon", to: ["de_csirt"], channel: Email, subject: "Question"),
        (id: "inj_answer", at: "T+04:45", from: "de_csirt", to: ["de_spoc"], channel: Email, subject: "Answer"),
    ],
"#
        ),
    );
    let mut e = engine(&ron);
    advance(&mut e, Advance::End);
    let all = e.events();
    let met = |c: &str| {
        times(
            all,
            |k| matches!(k, EventKind::CriterionMet { criterion, .. } if criterion == c),
        )
    };
    let failed = |c: &str| {
        times(
            all,
            |k| matches!(k, EventKind::CriterionFailed { criterion, .. } if criterion == c),
        )
    };
    assert_eq!(met("crit_in_time"), [h(1)]);
    assert!(failed("crit_in_time").is_empty());
    assert_eq!(
        failed("crit_late"),
        [h(2) + 1],
        "fails the minute its window closes"
    );
    assert!(
        met("crit_late").is_empty(),
        "a late delivery does not rescue it"
    );
    assert_eq!(failed("crit_never"), [h(8)], "still open at the end");
    assert_eq!(met("crit_anchored"), [h(4) + 45]);
    assert_eq!(
        e.criteria(),
        [
            Outcome::Met(h(1)),
            Outcome::Failed(h(2) + 1),
            Outcome::Failed(h(8)),
            Outcome::Met(h(4) + 45),
        ]
    );
}

// ---------------------------------------------------------------------------------------------------
// Incident dynamics
// ---------------------------------------------------------------------------------------------------

fn spread_exercise(spread: &str, contain_at: Option<&str>) -> String {
    let containment = contain_at.map_or(String::new(), |at| {
        format!(
            r#"(id: "inj_contain", at: "{at}", from: "excon", to: ["de_csirt"], channel: Email,
               subject: "Contained", effects: [Contain("worm")]),"#
        )
    });
    exercise(
        "12h",
        &format!(
            r#"
    actors: [
        (id: "de_csirt", name: "CERT-Bund", kind: Csirt, country: "DE", seat: true),
        (id: "excon", name: "Exercise control", kind: Other),
        (id: "de_a", name: "A", kind: Essential(Health), country: "DE"),
        (id: "de_b", name: "B", kind: Essential(Health), country: "DE"),
        (id: "de_c", name: "C", kind: Essential(Health), country: "DE"),
        (id: "fr_a", name: "D", kind: Essential(Health), country: "FR"),
        (id: "fr_b", name: "E", kind: Essential(Health), country: "FR"),
        (id: "pl_a", name: "F", kind: Essential(Health), country: "PL"),
        (id: "pl_b", name: "G", kind: Essential(Health), country: "PL"),
    ],
    incidents: [
        (
            id: "worm", title: "Worm", kind: Wiper, entities: ["de_a"], severity: Moderate, start: "T+00:20",
            dynamics: (spread_per_hour: {spread}, spread_to: ["de_b", "de_c", "fr_a", "fr_b", "pl_a", "pl_b"]),
        ),
    ],
    injects: [{containment}],
"#
        ),
    )
}

/// `(minute, entity)` of every spread.
fn spreads(events: &[Event]) -> Vec<(Minutes, String)> {
    events
        .iter()
        .filter_map(|ev| match &ev.kind {
            EventKind::IncidentSpread { entity, .. } => Some((ev.at, entity.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn certain_spread_reaches_every_target_at_the_first_hourly_roll() {
    let mut e = engine(&spread_exercise("1.0", None));
    advance(&mut e, Advance::End);
    let first_roll = 20 + 60;
    assert_eq!(
        spreads(e.events()),
        ["de_b", "de_c", "fr_a", "fr_b", "pl_a", "pl_b"]
            .map(|entity| (first_roll, entity.to_owned()))
    );
    assert_has(
        e.events(),
        &event(
            first_roll,
            EventKind::IncidentSpread {
                incident: "worm".into(),
                entity: "fr_a".into(),
                country: "FR".into(),
            },
        ),
    );
    let view = e.view();
    let worm = view.incident("worm").expect("incident");
    assert_eq!(worm.entities.len(), 7);
    assert_eq!(
        worm.countries
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["DE", "FR", "PL"]
    );
    assert_eq!(worm.severity, Severity::Moderate, "no escalation chance");
}

#[test]
fn containment_stops_spread() {
    let mut e = engine(&spread_exercise("1.0", Some("T+00:50")));
    advance(&mut e, Advance::End);
    assert_has(
        e.events(),
        &event(
            50,
            EventKind::IncidentContained {
                incident: "worm".into(),
            },
        ),
    );
    assert!(spreads(e.events()).is_empty(), "{}", timeline(e.events()));
}

#[test]
fn containment_before_detection_keeps_the_detection_time() {
    let ron = exercise(
        "24h",
        &format!(
            r#"{CAST}
    incidents: [
        (
            id: "implant", title: "Implant in the grid operator's network", kind: Intrusion,
            entities: ["de_grid"], severity: Significant, detected: "T+05:00",
        ),
    ],
    injects: [
        (
            id: "inj_patch", at: "T+01:00", from: "excon", to: ["de_csirt"], channel: Email,
            subject: "Vendor patch closes the entry point", effects: [Contain("implant")],
        ),
        (id: "inj_later", at: "T+09:00", from: "excon", to: ["de_csirt"], channel: Email, subject: "Later"),
    ],
"#
        ),
    );
    let mut e = engine(&ron);
    advance(&mut e, Advance::End);
    assert_eq!(
        times(e.events(), |k| matches!(
            k,
            EventKind::IncidentDetected { .. }
        )),
        [h(5)],
        "the operator becomes aware at T+05:00, contained or not:\n{}",
        timeline(e.events())
    );
}

#[test]
fn spread_depends_on_the_seed_and_replays_with_the_same_seed() {
    let ron = spread_exercise("0.5", None);
    let s = scenario(&ron);
    let run = |seed: u64| {
        let mut e = Engine::new(s.clone(), seed);
        advance(&mut e, Advance::By(h(3)));
        spreads(e.events())
    };
    let outcomes: Vec<Vec<(Minutes, String)>> = (1..=8).map(run).collect();
    assert!(
        outcomes.iter().any(|o| o != &outcomes[0]),
        "eight seeds, one outcome: {outcomes:?}"
    );
    assert!(
        outcomes.iter().any(|o| !o.is_empty()),
        "p=0.5 over six entities spreads somewhere"
    );
    assert_eq!(run(3), outcomes[2], "same seed, same spread");
}

// ---------------------------------------------------------------------------------------------------
// Point 20 link-ups: EU INTCEN's assessment, EU-CyCLONe's assessment for the political level
// ---------------------------------------------------------------------------------------------------

/// The rules exercise with EU INTCEN and the German crisis authority as seats.
fn link_up_exercise() -> String {
    rules_exercise(STATE_ATTACK).replacen(
        "    actors: [",
        r#"    actors: [
        (id: "intcen", name: "EU INTCEN", kind: IntCen, seat: true),
        (id: "de_ca", name: "German crisis authority", kind: CrisisAuthority, country: "DE", seat: true),"#,
        1,
    )
}

/// The `MechanismChanged` states the rule recorded under `mechanism` that start with `prefix`.
fn recorded(events: &[Event], mechanism: Mechanism, prefix: &str) -> Vec<String> {
    clause_states(events, mechanism)
        .into_iter()
        .filter(|(state, by)| by == "rule" && state.starts_with(prefix))
        .map(|(state, _)| state)
        .collect()
}

#[test]
fn a_listing_proposal_after_eu_intcens_assessment_is_not_contested_and_without_one_it_is() {
    let contested = tabletop::doctrine::NO_ASSESSMENT;
    let listings = Action::ProposeMeasures(tabletop::domain::MeasureCategory::Restrictive);
    // INTCEN assesses first: the proposal and the attribution stand uncontested.
    let mut e = engine(&link_up_exercise());
    advance(&mut e, Advance::To(h(1)));
    let assessed = ok(
        &mut e,
        &request(
            "intcen",
            Action::AssessActivity(tabletop::domain::Confidence::HighlyLikely),
            Some("grid"),
        ),
    );
    let states = clause_states(&assessed, Mechanism::IntelAssessment);
    assert!(
        states[0].0.contains("highly likely") && states[0].0.contains("not an attribution"),
        "{states:?}"
    );
    assert!(
        !states[0].0.contains("SANDSTORM"),
        "the seats see the confidence, never the hidden truth"
    );
    assert_eq!(
        e.view().mechanisms.intel_assessments.get("grid"),
        Some(&tabletop::domain::Confidence::HighlyLikely)
    );
    let proposed = ok(&mut e, &request("eeas", listings, None));
    assert_eq!(
        recorded(&proposed, Mechanism::Toolbox, contested),
        [] as [String; 0]
    );
    let attributed = ok(&mut e, &request("de_gov", Action::Attribute, None));
    assert_eq!(
        recorded(&attributed, Mechanism::Attribution, contested),
        [] as [String; 0]
    );
    // EU INTCEN still does not attribute.
    assert!(
        e.apply(&request("intcen", Action::Attribute, None))
            .is_err()
    );

    // Without an assessment on record: granted, and recorded as contested.
    let mut e = engine(&link_up_exercise());
    advance(&mut e, Advance::To(h(1)));
    let proposed = ok(&mut e, &request("eeas", listings, None));
    assert!(
        e.view().mechanisms.restrictive_open(),
        "granted all the same"
    );
    assert_eq!(
        recorded(&proposed, Mechanism::Toolbox, contested).len(),
        1,
        "{}",
        timeline(&proposed)
    );
    let attributed = ok(&mut e, &request("de_gov", Action::Attribute, None));
    assert_eq!(
        recorded(&attributed, Mechanism::Attribution, contested).len(),
        1
    );
}

#[test]
fn isaa_reports_carry_eu_cyclones_assessment_of_the_cyber_crisis() {
    let mut e = engine(&link_up_exercise());
    advance(&mut e, Advance::To(h(1)));
    ok(
        &mut e,
        &request("de_ca", Action::EscalateToCyclone, Some("grid")),
    );
    // Large-scale (it overwhelms DE) but in one Member State only: the test is not met.
    let submitted = ok(
        &mut e,
        &request("de_ca", Action::SubmitCycloneAssessment, Some("grid")),
    );
    let states = clause_states(&submitted, Mechanism::Cyclone);
    assert!(
        states.iter().any(|(s, _)| s.contains("not a cyber crisis")),
        "{states:?}"
    );
    ok(
        &mut e,
        &request(
            "presidency",
            Action::Ipcr(IpcrMode::InformationSharing),
            None,
        ),
    );
    advance(&mut e, Advance::To(h(13)));
    // The wiper reaches a Polish hospital, an essential entity: two Member States' internal-market
    // entities are hit, and EU-CyCLONe's new assessment meets the Blueprint's test.
    ok(
        &mut e,
        &Command::Fire {
            inject: "inj_spread".into(),
        },
    );
    ok(
        &mut e,
        &request("de_ca", Action::SubmitCycloneAssessment, Some("grid")),
    );
    advance(&mut e, Advance::To(h(26)));
    let subjects: Vec<(Minutes, String)> = e
        .events()
        .iter()
        .filter_map(|ev| match &ev.kind {
            EventKind::InjectDelivered {
                inject, subject, ..
            } if inject.starts_with("isaa_") => Some((ev.at, subject.clone())),
            _ => None,
        })
        .collect();
    let at = |t: Minutes| {
        subjects
            .iter()
            .find(|(when, _)| *when == t)
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    };
    assert!(
        at(h(1)).contains("EU-CyCLONe assessment: cyber crisis test not met (Blueprint 2025)"),
        "{subjects:?}"
    );
    assert!(
        at(h(25)).contains("EU-CyCLONe assessment: cyber crisis (Blueprint 2025)"),
        "{subjects:?}"
    );
}
