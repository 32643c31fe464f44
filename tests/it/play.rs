//! Whole exercises played headless: each bundled scenario's mechanism path, determinism, replay, and
//! random command sequences that must never panic and must always replay equal.

use std::sync::Arc;

use proptest::prelude::*;
use tabletop::domain::{Action, IpcrMode, MeasureCategory, Tlp, Vote};
use tabletop::journal::Entry;
use tabletop::journal::{self, Journal};
use tabletop::scenario::{self, Origin, Scenario, bundled};
use tabletop::session::Session;
use tabletop::session::policy::{self, Builtin, Policy};
use tabletop::sim::{Advance, Command, Engine, Event, EventKind, View};

fn bundled_scenario(name: &str) -> (String, Arc<Scenario>) {
    let b = bundled::get(name).expect("bundled scenario");
    let checked = scenario::check_str(b.text, &Origin::default());
    (
        b.text.to_owned(),
        Arc::new(checked.scenario.expect("bundled scenarios check")),
    )
}

fn play(name: &str, builtin: Builtin, seed: u64) -> (Engine, Vec<Entry>) {
    let (_, s) = bundled_scenario(name);
    let mut session = Session::unrecorded(s, seed);
    policy::play(&mut session, &mut Policy::builtin(builtin, seed)).expect("unrecorded");
    let steps = session.entries().to_vec();
    (session.into_engine(), steps)
}

fn end_view(name: &str, builtin: Builtin) -> (View, Vec<Event>) {
    let (mut engine, _) = play(name, builtin, 7);
    assert!(engine.ended());
    (engine.view(), engine.events().to_vec())
}

const ALL: [&str; 4] = [
    "tutorial",
    "hospital-ransomware",
    "hybrid-cable-energy",
    "msp-supply-chain",
];

#[test]
fn tutorial_escalation_opens_a_csirts_case_and_asks_for_the_reserve() {
    let (view, _) = end_view("tutorial", Builtin::Escalate);
    assert!(view.mechanisms.csirts_case_open);
    assert!(!view.mechanisms.reserve_requests.is_empty());
    assert_eq!(
        view.mechanisms.ipcr,
        IpcrMode::Monitoring,
        "a two-hour regional incident stays below IPCR"
    );
}

#[test]
fn hospital_wave_reaches_cyclone_ipcr_information_sharing_and_the_reserve() {
    let (view, events) = end_view("hospital-ransomware", Builtin::Escalate);
    let m = &view.mechanisms;
    assert!(m.csirts_case_open && m.cyclone_active && m.le_erp_active);
    assert!(m.ipcr >= IpcrMode::InformationSharing);
    assert!(!m.reserve_requests.is_empty());
    assert!(
        events
            .iter()
            .any(|e| matches!(e.kind, EventKind::LargeScaleReached { .. }))
    );
    assert!(
        events.iter().any(|e| matches!(&e.kind, EventKind::InjectDelivered { inject, .. } if inject.starts_with("isaa_"))),
        "ISAA reports run while IPCR is active"
    );
}

#[test]
fn hybrid_campaign_reaches_the_political_level() {
    let (view, events) = end_view("hybrid-cable-energy", Builtin::Escalate);
    let m = &view.mechanisms;
    assert_eq!(m.ipcr, IpcrMode::FullActivation);
    assert!(
        m.art222.contains("LT"),
        "Lithuania, clearly overwhelmed, invokes the solidarity clause"
    );
    assert!(
        m.art427.contains("EE"),
        "Estonia, the victim of armed aggression, invokes mutual assistance"
    );
    assert!(
        m.sanctions_adopted,
        "restrictive measures adopted unanimously"
    );
    assert!(!m.attributed.is_empty());
    // The deliberate teaching moments are refused by the rules.
    let refused: Vec<&EventKind> = events
        .iter()
        .map(|e| &e.kind)
        .filter(|k| matches!(k, EventKind::RequestRefused { .. }))
        .collect();
    assert!(refused.iter().all(
        |k| matches!(k, EventKind::RequestRefused { refusal, .. } if !refusal.reason.is_empty())
    ));
    assert!(events.iter().any(|e| matches!(&e.kind, EventKind::DecisionPending { decision, .. } if decision.starts_with("art427_aid_"))));
}

#[test]
fn hybrid_nobody_answers_path_the_cyclone_chair_takes_up_the_campaign_on_every_seed() {
    for seed in [1, 7, 42] {
        let (mut engine, _) = play("hybrid-cable-energy", Builtin::Defaults, seed);
        let events = engine.events().to_vec();
        assert!(
            !events.iter().any(|e| matches!(
                &e.kind,
                EventKind::RequestRefused {
                    action: Action::EscalateToCyclone,
                    ..
                }
            )),
            "seed {seed}: the chair's fallback escalation is refused"
        );
        let m = engine.view().mechanisms;
        assert!(m.cyclone_active, "seed {seed}");
        assert!(
            m.cyclone_incidents.contains("inc_cables")
                && m.cyclone_incidents.contains("inc_ee_grid"),
            "seed {seed}: {:?}",
            m.cyclone_incidents
        );
    }
}

#[test]
fn hybrid_campaign_under_defaults_never_reaches_ipcr_activation() {
    let (view, _) = end_view("hybrid-cable-energy", Builtin::Defaults);
    assert_eq!(view.mechanisms.ipcr, IpcrMode::Monitoring);
    assert!(view.mechanisms.art222.is_empty() && view.mechanisms.art427.is_empty());
}

#[test]
fn supply_chain_brings_rapid_reaction_review_and_toolbox() {
    let (view, _) = end_view("msp-supply-chain", Builtin::Escalate);
    let m = &view.mechanisms;
    assert!(!m.rapid_reaction_requests.is_empty());
    assert!(
        !m.review_approved.is_empty(),
        "the review needs the approval of the state concerned"
    );
    assert!(m.cyclone_active);
    assert!(m.measures_proposed.contains(&MeasureCategory::Restrictive));
}

#[test]
fn same_seed_and_decisions_give_the_same_exercise() {
    for name in ALL {
        for builtin in [Builtin::Escalate, Builtin::Random, Builtin::Defaults] {
            let (a, _) = play(name, builtin, 42);
            let (b, _) = play(name, builtin, 42);
            assert_eq!(a.events(), b.events(), "{name} {builtin:?}");
        }
    }
}

#[test]
fn different_seeds_give_different_spread() {
    let spreads: std::collections::BTreeSet<Vec<(u32, String)>> = (1..=8)
        .map(|seed| {
            let (engine, _) = play("hybrid-cable-energy", Builtin::Defaults, seed);
            engine
                .events()
                .iter()
                .filter_map(|e| match &e.kind {
                    EventKind::IncidentSpread { entity, .. } => Some((e.at, entity.clone())),
                    EventKind::SeverityChanged { incident, to, .. } => {
                        Some((e.at, format!("{incident} {to}")))
                    }
                    _ => None,
                })
                .collect()
        })
        .collect();
    assert!(
        spreads.len() > 1,
        "eight seeds all spread identically: {spreads:?}"
    );
}

#[test]
fn every_bundled_journal_replays_byte_for_byte() {
    for name in ALL {
        let (text, s) = bundled_scenario(name);
        let mut session = Session::unrecorded(s.clone(), 9);
        policy::play(&mut session, &mut Policy::builtin(Builtin::Random, 9)).expect("unrecorded");
        let engine = session.engine();
        let journal = Journal::of_run(&text, &s, 9, session.entries());
        let mut bytes = Vec::new();
        journal.write(&mut bytes).expect("write to memory");
        let read = Journal::read(bytes.as_slice()).expect("read back");
        assert_eq!(read, journal, "{name}: the journal survives a round trip");
        let replayed = journal::replay(&read)
            .expect("scenario checks")
            .expect("replay matches");
        assert_eq!(replayed.events(), engine.events(), "{name}");
    }
}

#[test]
fn a_tampered_journal_is_caught() {
    let (text, s) = bundled_scenario("tutorial");
    let mut session = Session::unrecorded(s.clone(), 3);
    policy::play(&mut session, &mut Policy::builtin(Builtin::Escalate, 3)).expect("unrecorded");
    let mut journal = Journal::of_run(&text, &s, 3, session.entries());
    let entry = journal
        .entries
        .iter_mut()
        .find(|e| !e.events.is_empty())
        .expect("some events");
    entry.events[0].at += 1;
    let divergence = journal::replay(&journal)
        .expect("scenario checks")
        .expect_err("must differ");
    assert!(!divergence.expected.is_empty());
}

#[test]
fn a_72_hour_exercise_skips_quiet_stretches() {
    let (_, s) = bundled_scenario("hybrid-cable-energy");
    let mut engine = Engine::new(s.clone(), 1);
    let events = engine
        .apply(&Command::Advance(Advance::End))
        .expect("advance");
    assert!(engine.ended());
    assert_eq!(engine.now(), s.duration);
    // One schedule pass per moment that can matter, not one per minute (4,200 minutes here).
    assert!(
        engine.passes() < 1_000,
        "{} passes for a 72 h exercise",
        engine.passes()
    );
    assert!(
        events.windows(2).all(|w| w[0].at <= w[1].at),
        "events in time order"
    );
}

#[test]
fn the_schedule_has_no_ambiguities() {
    let (_, s) = bundled_scenario("tutorial");
    let mut engine = Engine::new(s, 1);
    let (_, schedule) = engine.world_and_schedule();
    let conflicts = &schedule.graph().conflicting_systems().0;
    assert!(
        conflicts.is_empty(),
        "{} ambiguous system pairs",
        conflicts.len()
    );
}

/// Commands a room could send, many of them wrong on purpose.
fn command(s: &Scenario) -> impl Strategy<Value = Command> + use<> {
    let injects: Vec<String> = s
        .file
        .injects
        .iter()
        .map(|i| i.id.clone())
        .chain(["nope".to_owned()])
        .collect();
    let decisions: Vec<String> = s
        .file
        .decisions
        .iter()
        .map(|d| d.id.clone())
        .chain(["nope".to_owned()])
        .collect();
    let options: Vec<String> = s
        .file
        .decisions
        .iter()
        .flat_map(|d| d.options.iter().map(|o| o.id.clone()))
        .collect();
    let actors: Vec<String> = s.file.actors.iter().map(|a| a.id.clone()).collect();
    let incidents: Vec<Option<String>> = s
        .file
        .incidents
        .iter()
        .map(|i| Some(i.id.clone()))
        .chain([None])
        .collect();
    let actions = vec![
        Action::EarlyWarning,
        Action::InformAffectedStates,
        Action::OpenCsirtsCase,
        Action::EscalateToCyclone,
        Action::Ipcr(IpcrMode::FullActivation),
        Action::Ipcr(IpcrMode::InformationSharing),
        Action::InvokeArt222,
        Action::InvokeArt427,
        Action::RequestReserve,
        Action::ProposeMeasures(MeasureCategory::Restrictive),
        Action::VoteMeasures(Vote::Veto),
        Action::Attribute,
    ];
    let pick = |v: Vec<String>| proptest::sample::select(v);
    prop_oneof![
        (0u32..600).prop_map(|m| Command::Advance(Advance::By(m))),
        Just(Command::Advance(Advance::NextEvent)),
        (
            pick(actors.clone()),
            pick(decisions.clone()),
            pick(options.clone())
        )
            .prop_map(|(seat, decision, option)| Command::Decide {
                seat,
                decision,
                option,
                rationale: "r".into()
            }),
        (pick(decisions), pick(options)).prop_map(|(decision, option)| Command::DecideFor {
            decision,
            option,
            rationale: String::new()
        }),
        (
            pick(actors.clone()),
            proptest::sample::select(actions.clone()),
            proptest::sample::select(incidents.clone())
        )
            .prop_map(|(by, action, incident)| Command::Request {
                by,
                action,
                incident
            }),
        (
            pick(actors.clone()),
            proptest::collection::vec(pick(actors.clone()), 0..3),
            proptest::sample::select(vec![Tlp::Red, Tlp::AmberStrict, Tlp::Amber, Tlp::Green]),
            proptest::option::of(0usize..400)
        )
            .prop_map(|(from, to, tlp, forward)| Command::Share {
                from,
                to,
                tlp,
                subject: "shared".into(),
                body: "text".into(),
                forward
            }),
        (
            pick(actors),
            proptest::sample::select(actions),
            proptest::sample::select(incidents)
        )
            .prop_map(|(by, action, incident)| Command::Override {
                by,
                action,
                incident,
                reason: "exercise control".into()
            }),
        pick(injects.clone()).prop_map(|inject| Command::Fire { inject }),
        pick(injects.clone()).prop_map(|inject| Command::Skip { inject }),
        (pick(injects), 0u32..120).prop_map(|(inject, minutes)| Command::Delay { inject, minutes }),
        Just(Command::Pause),
        Just(Command::Resume),
        Just(Command::Observe {
            text: "note".into(),
            objective: None,
            rating: None
        }),
    ]
}

fn case() -> impl Strategy<Value = (usize, u64, Vec<Command>)> {
    (0usize..ALL.len(), any::<u64>()).prop_flat_map(|(which, seed)| {
        let (_, s) = bundled_scenario(ALL[which]);
        (
            Just(which),
            Just(seed),
            proptest::collection::vec(command(&s), 1..40),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_commands_never_panic_and_always_replay_equal((which, seed, commands) in case()) {
        let (text, s) = bundled_scenario(ALL[which]);
        let mut session = Session::unrecorded(s.clone(), seed);
        for command in commands {
            let _ = session.submit(command);
        }
        let journal = Journal::of_run(&text, &s, seed, session.entries());
        let replayed = journal::replay(&journal).expect("scenario checks");
        prop_assert!(replayed.is_ok(), "replay diverged: {:?}", replayed.err());
    }
}

#[test]
fn trends_folded_from_the_events_agree_with_the_views_at_every_step() {
    use tabletop::sim::state::ObligationStatus;
    use tabletop::sim::trend::trend;
    for name in ALL {
        let (_, s) = bundled_scenario(name);
        let mut engine = Engine::new(s.clone(), 3);
        let mut policy = Policy::builtin(Builtin::Escalate, 3);
        // Check the fold against the engine's own view after every hour of play.
        while !engine.ended() {
            let to = (engine.now() + 60).min(s.duration);
            engine
                .apply(&Command::Advance(Advance::To(to)))
                .expect("advance");
            for d in engine.view().decisions.iter().filter(|d| {
                matches!(
                    d.status,
                    tabletop::sim::state::DecisionStatus::Pending { .. }
                )
            }) {
                if let Some(c) = policy.answer(engine.now(), d) {
                    let _ = engine.apply(&c);
                }
            }
            let view = engine.view();
            let last = *trend(&s, engine.events(), view.now).last().expect("points");
            assert_eq!(last.at, view.now, "{name}");
            assert_eq!(
                last.countries,
                view.countries_affected().len(),
                "{name} at {}",
                view.now
            );
            let open = view
                .obligations
                .iter()
                .filter(|o| o.status == ObligationStatus::Open)
                .count();
            assert_eq!(last.open_obligations, open, "{name} at {}", view.now);
            let worst = view
                .incidents
                .iter()
                .filter(|i| {
                    matches!(
                        i.phase,
                        tabletop::sim::state::Phase::Active
                            | tabletop::sim::state::Phase::Contained
                    )
                })
                .map(|i| i.severity)
                .max();
            assert_eq!(last.worst, worst, "{name} at {}", view.now);
        }
    }
}
