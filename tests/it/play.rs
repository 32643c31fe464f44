//! Whole exercises played headless: each bundled scenario's mechanism path, determinism, replay, and
//! random command sequences that must never panic and must always replay equal.

use std::sync::Arc;

use proptest::prelude::*;
use tabletop::doctrine::AidResponse;
use tabletop::domain::{Action, IpcrMode, MeasureCategory, Mechanism, Tlp, Vote};
use tabletop::journal::Entry;
use tabletop::journal::{self, Journal};
use tabletop::scenario::{self, Origin, Scenario, bundled};
use tabletop::session::Session;
use tabletop::session::policy::{self, Builtin, Choice, Policy, Script};
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

const ALL: [&str; 5] = [
    "tutorial",
    "hospital-ransomware",
    "hybrid-cable-energy",
    "msp-supply-chain",
    "election-interference",
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
        "restrictive measures adopted unanimously, with the Commission joining the proposal"
    );
    assert!(
        events.iter().any(|e| matches!(&e.kind, EventKind::MechanismChanged { state, .. } if state.contains("the Council adopts them unanimously"))),
        "the Council adopts the listings"
    );
    assert!(!m.attributed.is_empty());
    let refused: Vec<&EventKind> = events
        .iter()
        .map(|e| &e.kind)
        .filter(|k| matches!(k, EventKind::RequestRefused { .. }))
        .collect();
    assert!(refused.iter().all(
        |k| matches!(k, EventKind::RequestRefused { refusal, .. } if !refusal.reason.is_empty())
    ));
    assert!(events.iter().any(|e| matches!(&e.kind, EventKind::DecisionPending { decision, .. } if decision.starts_with("art427_aid_"))));
    // Both invocations are borne out by the facts: nothing is recorded as contested.
    assert_eq!(contested(&events), Vec::<String>::new());
    // Every other government answers Estonia; Ireland's neutrality is respected.
    let answers = &m.art427_responses["EE"];
    assert_eq!(
        answers.keys().map(String::as_str).collect::<Vec<_>>(),
        ["DE", "FI", "IE", "LT", "LV", "PL"]
    );
    for (country, answer) in answers {
        let expected = if country == "IE" {
            AidResponse::NonMilitary
        } else {
            AidResponse::AllMeans
        };
        assert_eq!(*answer, expected, "{country}");
    }
}

/// The treaty clauses' contests recorded for the facilitator.
fn contested(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::MechanismChanged {
                mechanism: Mechanism::Art222 | Mechanism::Art427,
                state,
                ..
            } if state.starts_with("invocation contested") => Some(e.line()),
            _ => None,
        })
        .collect()
}

#[test]
fn hybrid_teaching_options_are_granted_and_recorded_as_contested_not_refused() {
    // Lithuania invokes Art. 42(7) and Estonia Art. 222, each against its legal advice.
    let script = Script {
        fallback: Builtin::Escalate,
        choices: vec![
            Choice {
                decision: "dec_lt_art222".into(),
                option: "opt_222_instead_427".into(),
                seat: None,
                rationale: "against legal advice".into(),
                at: None,
            },
            Choice {
                decision: "dec_ee_art427".into(),
                option: "opt_427_instead_222".into(),
                seat: None,
                rationale: "against legal advice".into(),
                at: None,
            },
        ],
    };
    let (_, s) = bundled_scenario("hybrid-cable-energy");
    let mut session = Session::unrecorded(s, 7);
    policy::play(
        &mut session,
        &mut Policy::scripted(script, 7).expect("valid"),
    )
    .expect("unrecorded");
    let mut engine = session.into_engine();
    let events = engine.events().to_vec();
    let m = engine.view().mechanisms;
    assert!(m.art427.contains("LT") && m.art222.contains("EE"));
    assert!(
        !events.iter().any(|e| matches!(
            &e.kind,
            EventKind::RequestRefused {
                action: Action::InvokeArt222 | Action::InvokeArt427,
                ..
            }
        )),
        "no EU body refuses a treaty clause"
    );
    let contested = contested(&events);
    assert!(
        contested
            .iter()
            .any(|l| l.contains("Art. 42(7) TEU")
                && l.contains("armed aggression on LT's territory")),
        "{contested:?}"
    );
    assert!(
        contested
            .iter()
            .any(|l| l.contains("Art. 222 TFEU") && l.contains("clearly overwhelms EE")),
        "{contested:?}"
    );
    // The politics is the other governments': each answers Lithuania, Ireland without military means.
    let answers = &m.art427_responses["LT"];
    assert_eq!(answers.len(), 6, "{answers:?}");
    assert_eq!(answers["IE"], AidResponse::NonMilitary);
    assert_eq!(answers["EE"], AidResponse::AllMeans);
    assert_eq!(m.ipcr, IpcrMode::FullActivation);
}

/// The hybrid scenario played with the escalate policy, except for the decisions given here.
fn hybrid_with(choices: &[(&str, &str)]) -> (View, Vec<Event>) {
    let (_, s) = bundled_scenario("hybrid-cable-energy");
    let script = policy::Script {
        fallback: Builtin::Escalate,
        choices: choices
            .iter()
            .map(|(decision, option)| policy::Choice {
                decision: (*decision).into(),
                option: (*option).into(),
                seat: None,
                rationale: "instructions from the capital".into(),
                at: None,
            })
            .collect(),
    };
    let mut session = Session::unrecorded(s, 7);
    let mut policy = Policy::scripted(script, 7).expect("the choices fit the scenario");
    policy::play(&mut session, &mut policy).expect("unrecorded");
    let mut engine = session.into_engine();
    assert!(engine.ended());
    (engine.view(), engine.events().to_vec())
}

fn toolbox_lines(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::MechanismChanged { mechanism, .. } if *mechanism == tabletop::domain::Mechanism::Toolbox))
        .map(Event::line)
        .collect()
}

#[test]
fn hybrid_campaign_adopts_no_sanctions_while_germany_keeps_its_reservation() {
    let (view, events) = hybrid_with(&[
        ("dec_vote_de", "opt_de_reserve"),
        ("dec_vote_de2", "opt_de2_hold"),
    ]);
    let lines = toolbox_lines(&events);
    assert!(
        !view.mechanisms.sanctions_adopted,
        "Germany's reservation blocks the listings:\n{}",
        lines.join("\n")
    );
    assert!(
        lines.iter().any(|l| l.contains("does not adopt")
            && l.contains("scrutiny reservation of DE was not lifted")),
        "the log says why:\n{}",
        lines.join("\n")
    );
    // The non-restrictive measures, agreed by everyone, are adopted all the same.
    assert!(view.mechanisms.measures_adopted);
    assert!(
        events.iter().any(|e| matches!(&e.kind, EventKind::InjectDelivered { inject, .. } if inject == "inj_measures_stalled")),
        "the scenario's own fallback for a stalled procedure plays"
    );
    assert!(
        !events.iter().any(|e| matches!(&e.kind, EventKind::InjectDelivered { inject, .. } if inject == "inj_measures_adopted")),
        "no press story of sanctions that were not adopted"
    );
}

#[test]
fn hybrid_campaign_adopts_sanctions_once_germany_lifts_its_reservation() {
    for lift in ["opt_de2_support", "opt_de2_declaration"] {
        let (view, events) =
            hybrid_with(&[("dec_vote_de", "opt_de_reserve"), ("dec_vote_de2", lift)]);
        assert!(
            view.mechanisms.sanctions_adopted,
            "{lift}:\n{}",
            toolbox_lines(&events).join("\n")
        );
    }
}

#[test]
fn hybrid_campaign_adopts_no_sanctions_when_a_government_never_replies() {
    let (view, events) = hybrid_with(&[("dec_vote_lv", "opt_lv_vote_hold")]);
    let lines = toolbox_lines(&events);
    assert!(!view.mechanisms.sanctions_adopted, "{}", lines.join("\n"));
    assert!(
        lines.iter().any(|l| l.contains("no reply from LV")),
        "{}",
        lines.join("\n")
    );
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

/// The election scenario played with the escalate policy, except for the decisions given here.
fn election_with(choices: &[(&str, &str)]) -> (View, Vec<Event>) {
    let (_, s) = bundled_scenario("election-interference");
    let script = policy::Script {
        fallback: Builtin::Escalate,
        choices: choices
            .iter()
            .map(|(decision, option)| policy::Choice {
                decision: (*decision).into(),
                option: (*option).into(),
                seat: None,
                rationale: "instructions from Vienna".into(),
                at: None,
            })
            .collect(),
    };
    let mut session = Session::unrecorded(s, 7);
    let mut policy = Policy::scripted(script, 7).expect("the choices fit the scenario");
    policy::play(&mut session, &mut policy).expect("unrecorded");
    let mut engine = session.into_engine();
    assert!(engine.ended());
    (engine.view(), engine.events().to_vec())
}

#[test]
fn election_escalation_reaches_the_council_with_a_contested_attribution() {
    let (view, events) = end_view("election-interference", Builtin::Escalate);
    let m = &view.mechanisms;
    assert!(m.csirts_case_open && m.cyclone_active && m.le_erp_active);
    assert_eq!(m.ipcr, IpcrMode::FullActivation);
    assert!(!m.reserve_requests.is_empty());
    // Attribution is sovereign: three governments attribute, Austria does not.
    assert_eq!(
        m.attributed.iter().map(String::as_str).collect::<Vec<_>>(),
        ["BG", "GR", "NL"]
    );
    let lines = toolbox_lines(&events);
    assert!(
        lines.iter().any(|l| l.contains("PSC/COREPER")
            && l.contains("puts it to the Council")
            && l.contains("restrictive")),
        "the listings reach the Council:\n{}",
        lines.join("\n")
    );
    assert!(
        lines.iter().any(|l| l
            .contains("joint proposal of the High Representative and the Commission")
            && l.contains("is complete")),
        "the Commission joins the HR's proposal:\n{}",
        lines.join("\n")
    );
    // The doubting government abstains without blocking: the Council adopts the listings.
    assert!(m.sanctions_adopted, "{}", lines.join("\n"));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("adopts them unanimously") && l.contains("AT abstained")),
        "{}",
        lines.join("\n")
    );
    assert!(
        !events
            .iter()
            .any(|e| matches!(e.kind, EventKind::RequestRefused { .. })),
        "the escalate path is lawful throughout"
    );
}

#[test]
fn election_under_defaults_adopts_no_restrictive_measures() {
    let (view, events) = end_view("election-interference", Builtin::Defaults);
    let m = &view.mechanisms;
    assert!(!m.sanctions_adopted && !m.measures_adopted);
    assert!(!m.measures_proposed.contains(&MeasureCategory::Restrictive));
    assert!(m.attributed.is_empty(), "nobody attributes by default");
    assert_eq!(m.ipcr, IpcrMode::Monitoring);
    assert!(
        events.iter().any(|e| matches!(&e.kind, EventKind::InjectDelivered { inject, .. } if inject == "inj_no_response")),
        "the scenario's own epilogue for an EU that stays silent plays"
    );
}

#[test]
fn election_listings_fail_while_austria_keeps_its_reservation() {
    let (view, events) = election_with(&[
        ("dec_vote_at", "opt_at_reserve"),
        ("dec_vote_at2", "opt_at2_keep"),
    ]);
    let lines = toolbox_lines(&events);
    assert!(
        !view.mechanisms.sanctions_adopted,
        "Austria's reservation blocks the listings:\n{}",
        lines.join("\n")
    );
    assert!(
        lines.iter().any(|l| l.contains("does not adopt")
            && l.contains("scrutiny reservation of AT was not lifted")),
        "the log says why:\n{}",
        lines.join("\n")
    );
    // The declaration and the support measures, agreed by everyone, are adopted all the same.
    assert!(view.mechanisms.measures_adopted);
    assert!(
        events.iter().any(|e| matches!(&e.kind, EventKind::InjectDelivered { inject, .. } if inject == "inj_measures_stalled")),
        "the scenario's fallback for a stalled procedure plays"
    );
    // Lifted after the evidence session, the reservation no longer blocks.
    let (view, _) = election_with(&[
        ("dec_vote_at", "opt_at_reserve"),
        ("dec_vote_at2", "opt_at2_abstain"),
    ]);
    assert!(view.mechanisms.sanctions_adopted);
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
