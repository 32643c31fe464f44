//! The Council track in play, as a facilitator sees it in the log: a Toolbox proposal goes HWPCI →
//! PSC/COREPER → Council on the scenario's clock; restrictive measures need unanimity (silence is not
//! consent, a scrutiny reservation blocks until lifted, abstention is declared) and a joint proposal of the
//! HR and the Commission; other measures need consensus.

use std::sync::Arc;

use tabletop::domain::{Action, MeasureCategory, Mechanism, Vote};
use tabletop::scenario::Scenario;
use tabletop::scenario::time::Minutes;
use tabletop::sim::state::DecisionStatus;
use tabletop::sim::{Advance, Command, Engine, Event, EventKind};

fn h(hours: Minutes) -> Minutes {
    hours * 60
}

/// DE, FR and PL take part, FR holds the Presidency; the HR/EEAS and the Commission are seats. `council`
/// is the scenario's `council:` setting, or nothing for the defaults (12 h, 12 h, 24 h).
fn exercise(council: &str) -> Arc<Scenario> {
    crate::support::inline_scenario(&format!(
        r#"Scenario(
    format: 1,
    id: "council-track",
    title: "Council track test",
    start: "2026-03-10T08:00:00+01:00",
    duration: "96h",
    member_states: ["DE", "FR", "PL"],
    presidency: "FR",
    {council}
    actors: [
        (id: "de_gov", name: "German government", kind: Government, country: "DE", seat: true),
        (id: "fr_gov", name: "French government", kind: Government, country: "FR", seat: true),
        (id: "pl_gov", name: "Polish government", kind: Government, country: "PL", seat: true),
        (id: "presidency", name: "French Council Presidency", kind: Presidency, seat: true),
        (id: "eeas", name: "EEAS", kind: Eeas, seat: true),
        (id: "commission", name: "European Commission", kind: Commission, seat: true),
        (id: "de_grid", name: "Netz Ost", kind: Essential(Energy), country: "DE"),
    ],
    incidents: [
        (
            id: "grid", title: "Wiper on the grid operator", kind: Wiper, entities: ["de_grid"],
            severity: Severe, truth: (perpetrator: "SANDSTORM", origin: StateLinked),
        ),
    ],
    injects: [],
)"#
    ))
}

fn ok(engine: &mut Engine, command: &Command) -> Vec<Event> {
    match engine.apply(command) {
        Ok(events) => events,
        Err(refusal) => panic!("{command:?} was refused at {}: {refusal}", engine.now()),
    }
}

fn request(by: &str, action: Action) -> Command {
    Command::Request {
        by: by.into(),
        action,
        incident: None,
    }
}

fn decide(seat: &str, decision: &str, option: &str) -> Command {
    Command::Decide {
        seat: seat.into(),
        decision: decision.into(),
        option: option.into(),
        rationale: "instructions from the capital".into(),
    }
}

fn advance_to(engine: &mut Engine, at: Minutes) -> Vec<Event> {
    ok(engine, &Command::Advance(Advance::To(at)))
}

fn timeline(events: &[Event]) -> String {
    events.iter().map(|e| e.line() + "\n").collect()
}

/// The Toolbox lines of the log, as `(time, state)`.
fn toolbox(events: &[Event]) -> Vec<(Minutes, String)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::MechanismChanged {
                mechanism: Mechanism::Toolbox,
                state,
                ..
            } => Some((e.at, state.clone())),
            _ => None,
        })
        .collect()
}

/// Whether some Toolbox line at `at` says every one of `words`.
#[track_caller]
fn says(events: &[Event], at: Minutes, words: &[&str]) {
    assert!(
        toolbox(events)
            .iter()
            .any(|(t, s)| *t == at && words.iter().all(|w| s.contains(w))),
        "no Toolbox line at {at} saying {words:?} in:\n{}",
        timeline(events)
    );
}

fn propose(e: &mut Engine, category: MeasureCategory) -> Vec<Event> {
    ok(e, &request("eeas", Action::ProposeMeasures(category)))
}

/// Listings proposed at T+0 and the Commission joins at once.
fn listings_with_joint_proposal(e: &mut Engine) {
    propose(e, MeasureCategory::Restrictive);
    ok(
        e,
        &decide("commission", "listing_joint_proposal_commission", "join"),
    );
}

#[test]
fn restrictive_measures_put_every_government_to_a_vote_until_the_council_decides() {
    let mut e = Engine::new(exercise(""), 7);
    advance_to(&mut e, h(5));
    let proposed = propose(&mut e, MeasureCategory::Restrictive);
    let mut pending: Vec<(String, Option<Minutes>)> = proposed
        .iter()
        .filter_map(|ev| match &ev.kind {
            EventKind::DecisionPending {
                decision, deadline, ..
            } => Some((decision.clone(), *deadline)),
            _ => None,
        })
        .collect();
    pending.sort();
    // Defaults: 12 h at the HWPCI, 12 h at the PSC/COREPER, 24 h for the Council.
    let council_deadline = Some(h(5) + h(48));
    assert_eq!(
        pending,
        [
            (
                "listing_joint_proposal_commission".to_owned(),
                Some(h(5) + h(12))
            ),
            ("restrictive_vote_de".to_owned(), council_deadline),
            ("restrictive_vote_fr".to_owned(), council_deadline),
            ("restrictive_vote_pl".to_owned(), council_deadline),
        ],
        "{}",
        timeline(&proposed)
    );
    says(
        &proposed,
        h(5),
        &[
            "the HWPCI (chaired by the FR Presidency) examines",
            "T+17:00",
            "T+53:00",
        ],
    );
    assert!(e.view().mechanisms.restrictive_open());
    // Every ballot offers the declared positions; its default, last, is no reply at all.
    let view = e.view();
    let ballot = view
        .decisions
        .iter()
        .find(|d| d.id == "restrictive_vote_de")
        .expect("ballot");
    let ids: Vec<&str> = ballot.options.iter().map(|o| o.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "support",
            "abstain",
            "abstain_declaration",
            "reservation",
            "veto",
            "no_reply"
        ]
    );
}

#[test]
fn a_unanimity_vote_with_two_silent_states_is_not_adopted_and_the_log_says_no_reply_from_them() {
    let mut e = Engine::new(exercise(""), 7);
    listings_with_joint_proposal(&mut e);
    ok(&mut e, &decide("de_gov", "restrictive_vote_de", "support"));
    let end = advance_to(&mut e, h(48));
    says(
        &end,
        h(48),
        &[
            "the Council does not adopt them",
            "Art. 31(1) TEU",
            "no reply from FR, PL",
            "silence is not consent",
        ],
    );
    let m = e.view().mechanisms;
    assert!(!m.sanctions_adopted && !m.measures_adopted);
    assert!(!m.restrictive_open());
    assert!(
        !toolbox(e.events())
            .iter()
            .any(|(_, s)| s.contains("adopts them unanimously")),
        "{}",
        timeline(e.events())
    );
}

#[test]
fn unanimous_support_adopts_sanctions_when_the_file_reaches_the_council() {
    let mut e = Engine::new(exercise(""), 7);
    listings_with_joint_proposal(&mut e);
    for (gov, ballot) in [
        ("de_gov", "restrictive_vote_de"),
        ("fr_gov", "restrictive_vote_fr"),
        ("pl_gov", "restrictive_vote_pl"),
    ] {
        ok(&mut e, &decide(gov, ballot, "support"));
    }
    assert!(
        !e.view().mechanisms.sanctions_adopted,
        "the HWPCI and the PSC/COREPER prepare; only the Council adopts"
    );
    let events = advance_to(&mut e, h(24));
    says(&events, h(12), &["HWPCI", "puts it to the PSC/COREPER"]);
    says(
        &events,
        h(24),
        &[
            "the PSC (chaired by the EEAS) and COREPER (chaired by the FR Presidency)",
            "puts it to the Council",
            "decides by T+48:00",
        ],
    );
    says(
        &events,
        h(24),
        &[
            "the Council adopts them",
            "adopts them unanimously (Art. 31(1) TEU): 3 in favour",
        ],
    );
    let m = e.view().mechanisms;
    assert!(m.sanctions_adopted && m.measures_adopted);
    assert_eq!(
        m.council_files[&MeasureCategory::Restrictive]
            .positions
            .get("PL"),
        Some(&Vote::Support),
        "positions are kept"
    );
}

#[test]
fn a_declared_abstention_does_not_block_but_a_formal_declaration_of_a_third_does() {
    let mut e = Engine::new(exercise(""), 7);
    listings_with_joint_proposal(&mut e);
    ok(&mut e, &decide("de_gov", "restrictive_vote_de", "support"));
    ok(&mut e, &decide("fr_gov", "restrictive_vote_fr", "support"));
    ok(&mut e, &decide("pl_gov", "restrictive_vote_pl", "abstain"));
    let events = advance_to(&mut e, h(24));
    says(&events, h(24), &["adopts them unanimously", "PL abstained"]);

    // Germany, a third of the three states with well over a third of their people, declares formally.
    let mut e = Engine::new(exercise(""), 7);
    listings_with_joint_proposal(&mut e);
    ok(
        &mut e,
        &decide("de_gov", "restrictive_vote_de", "abstain_declaration"),
    );
    ok(&mut e, &decide("fr_gov", "restrictive_vote_fr", "support"));
    ok(&mut e, &decide("pl_gov", "restrictive_vote_pl", "support"));
    let events = advance_to(&mut e, h(24));
    says(
        &events,
        h(24),
        &["does not adopt", "formal declaration (DE)", "one third"],
    );
    assert!(!e.view().mechanisms.sanctions_adopted);
}

#[test]
fn a_scrutiny_reservation_blocks_adoption_until_it_is_lifted() {
    let mut e = Engine::new(exercise(""), 7);
    listings_with_joint_proposal(&mut e);
    let reserved = ok(
        &mut e,
        &decide("de_gov", "restrictive_vote_de", "reservation"),
    );
    assert!(
        reserved.iter().any(|ev| matches!(&ev.kind,
            EventKind::DecisionPending { decision, .. } if decision == "restrictive_vote_de_lift")),
        "Germany is offered the lifting of its reservation:\n{}",
        timeline(&reserved)
    );
    ok(&mut e, &decide("fr_gov", "restrictive_vote_fr", "support"));
    ok(&mut e, &decide("pl_gov", "restrictive_vote_pl", "support"));
    let events = advance_to(&mut e, h(30));
    says(&events, h(12), &["scrutiny reservation of DE still open"]);
    assert!(
        !e.view().mechanisms.sanctions_adopted,
        "not while the reservation stands:\n{}",
        timeline(&events)
    );
    let lifted = ok(
        &mut e,
        &decide("de_gov", "restrictive_vote_de_lift", "support"),
    );
    says(&lifted, h(30), &["the Council adopts them", "3 in favour"]);
    assert!(e.view().mechanisms.sanctions_adopted);
}

#[test]
fn a_reservation_kept_to_the_deadline_means_the_measures_are_not_adopted() {
    let mut e = Engine::new(exercise(""), 7);
    listings_with_joint_proposal(&mut e);
    ok(
        &mut e,
        &decide("de_gov", "restrictive_vote_de", "reservation"),
    );
    ok(&mut e, &decide("fr_gov", "restrictive_vote_fr", "support"));
    ok(&mut e, &decide("pl_gov", "restrictive_vote_pl", "support"));
    let events = advance_to(&mut e, h(48));
    says(
        &events,
        h(48),
        &[
            "does not adopt",
            "scrutiny reservation of DE was not lifted",
        ],
    );
    assert!(!e.view().mechanisms.sanctions_adopted);
}

#[test]
fn one_vote_against_blocks_restrictive_measures_at_once_and_withdraws_the_other_ballots() {
    let mut e = Engine::new(exercise(""), 7);
    listings_with_joint_proposal(&mut e);
    ok(&mut e, &decide("de_gov", "restrictive_vote_de", "support"));
    let vetoed = ok(&mut e, &decide("pl_gov", "restrictive_vote_pl", "veto"));
    says(
        &vetoed,
        0,
        &[
            "at the HWPCI, blocked",
            "Art. 31(1) TEU",
            "vote against of PL",
        ],
    );
    let view = e.view();
    assert!(!view.mechanisms.restrictive_open() && !view.mechanisms.sanctions_adopted);
    let pending: Vec<&str> = view.pending_decisions().map(|d| d.id.as_str()).collect();
    assert!(pending.is_empty(), "{pending:?} still wait for an answer");
    // A new proposal is a new vote.
    advance_to(&mut e, h(24));
    let again = propose(&mut e, MeasureCategory::Restrictive);
    assert!(
        again.iter().any(|ev| matches!(&ev.kind,
            EventKind::DecisionPending { decision, .. } if decision == "restrictive_vote_pl_2")),
        "{}",
        timeline(&again)
    );
    assert!(e.view().mechanisms.restrictive_open());
}

#[test]
fn listings_are_not_adopted_without_the_commission_joining_the_proposal() {
    let mut e = Engine::new(exercise(""), 7);
    propose(&mut e, MeasureCategory::Restrictive);
    ok(
        &mut e,
        &decide("commission", "listing_joint_proposal_commission", "not_yet"),
    );
    for (gov, ballot) in [
        ("de_gov", "restrictive_vote_de"),
        ("fr_gov", "restrictive_vote_fr"),
        ("pl_gov", "restrictive_vote_pl"),
    ] {
        ok(&mut e, &decide(gov, ballot, "support"));
    }
    let events = advance_to(&mut e, h(48));
    says(
        &events,
        h(48),
        &["does not adopt", "Art. 215(1) TFEU", "joint proposal"],
    );
    assert!(!e.view().mechanisms.sanctions_adopted);
}

#[test]
fn the_commission_may_still_join_the_listings_proposal_by_request() {
    let mut e = Engine::new(exercise(""), 7);
    propose(&mut e, MeasureCategory::Restrictive);
    ok(
        &mut e,
        &decide("commission", "listing_joint_proposal_commission", "not_yet"),
    );
    let joined = ok(&mut e, &request("commission", Action::JoinListingProposal));
    says(&joined, 0, &["joint proposal", "complete"]);
    let refusal = e
        .apply(&request("commission", Action::JoinListingProposal))
        .expect_err("joined once");
    assert_eq!(refusal.rule, "Art. 215(1) TFEU");
}

#[test]
fn non_restrictive_measures_take_effect_only_by_consensus_at_the_council() {
    let mut e = Engine::new(exercise(""), 7);
    let proposed = propose(&mut e, MeasureCategory::Stabilising);
    assert!(
        !e.view().mechanisms.measures_adopted,
        "a proposal alone changes nothing:\n{}",
        timeline(&proposed)
    );
    for (gov, ballot) in [
        ("de_gov", "consensus_stabilising_de"),
        ("fr_gov", "consensus_stabilising_fr"),
        ("pl_gov", "consensus_stabilising_pl"),
    ] {
        ok(&mut e, &decide(gov, ballot, "support"));
    }
    let events = advance_to(&mut e, h(24));
    says(
        &events,
        h(24),
        &["stabilising measures", "adopts them by consensus"],
    );
    assert!(e.view().mechanisms.measures_adopted);
    assert!(!e.view().mechanisms.sanctions_adopted);
}

#[test]
fn one_objection_blocks_a_consensus_and_silence_does_not_make_one() {
    let mut e = Engine::new(exercise(""), 7);
    propose(&mut e, MeasureCategory::Cooperative);
    let objected = ok(
        &mut e,
        &decide("fr_gov", "consensus_cooperative_fr", "veto"),
    );
    says(&objected, 0, &["at the HWPCI, blocked", "objection of FR"]);

    let mut e = Engine::new(exercise(""), 7);
    propose(&mut e, MeasureCategory::Cooperative);
    ok(
        &mut e,
        &decide("de_gov", "consensus_cooperative_de", "support"),
    );
    let events = advance_to(&mut e, h(48));
    says(
        &events,
        h(48),
        &["does not adopt", "no consensus", "no reply from FR, PL"],
    );
    assert!(!e.view().mechanisms.measures_adopted);
}

#[test]
fn a_member_state_proposes_a_statement_and_the_others_are_asked() {
    let mut e = Engine::new(exercise(""), 7);
    let proposed = ok(
        &mut e,
        &request(
            "de_gov",
            Action::ProposeMeasures(MeasureCategory::Stabilising),
        ),
    );
    assert!(
        proposed.iter().any(|ev| matches!(&ev.kind,
            EventKind::MechanismChanged { reason, .. } if reason.contains("Art. 30(1) TEU") && reason.contains("Member State"))),
        "{}",
        timeline(&proposed)
    );
    let asked = proposed
        .iter()
        .filter(|ev| matches!(&ev.kind, EventKind::DecisionPending { .. }))
        .count();
    assert_eq!(
        asked, 3,
        "every government, the proposer too, gives its position"
    );
    // The Commission proposes nothing of its own.
    let refusal = e
        .apply(&request(
            "commission",
            Action::ProposeMeasures(MeasureCategory::Cooperative),
        ))
        .expect_err("the Commission does not propose Toolbox measures");
    assert_eq!(refusal.rule, "Art. 30(1) TEU");
}

#[test]
fn the_scenario_sets_the_pace_of_the_council_track() {
    let mut e = Engine::new(
        exercise(r#"council: (hwpci: "2h", psc: "1h", council: "3h"),"#),
        7,
    );
    listings_with_joint_proposal(&mut e);
    ok(&mut e, &decide("de_gov", "restrictive_vote_de", "support"));
    ok(&mut e, &decide("fr_gov", "restrictive_vote_fr", "support"));
    let events = advance_to(&mut e, h(10));
    says(
        &events,
        h(2),
        &[
            "HWPCI",
            "puts it to the PSC/COREPER",
            "no position yet from PL",
        ],
    );
    says(
        &events,
        h(3),
        &["puts it to the Council", "decides by T+06:00"],
    );
    says(&events, h(6), &["does not adopt", "no reply from PL"]);
    // The unanswered ballot defaulted to no reply at the Council's deadline.
    let view = e.view();
    let pl = view
        .decisions
        .iter()
        .find(|d| d.id == "restrictive_vote_pl")
        .expect("ballot");
    assert!(
        matches!(pl.status, DecisionStatus::Defaulted { option: 5, at } if at == h(6)),
        "{:?}",
        pl.status
    );
}

#[test]
fn the_presidency_postpones_a_step_and_the_ballots_stay_open_to_the_new_deadline() {
    let mut e = Engine::new(exercise(""), 7);
    listings_with_joint_proposal(&mut e);
    let postponed = ok(
        &mut e,
        &request(
            "presidency",
            Action::PostponeCouncilStep(MeasureCategory::Restrictive),
        ),
    );
    says(
        &postponed,
        0,
        &[
            "the FR Presidency postpones the examination in the HWPCI (chaired by the FR Presidency)",
            "it now ends at T+24:00",
            "the Council decides by T+60:00",
        ],
    );
    // The old deadline passes without a decision: the governments may still answer.
    advance_to(&mut e, h(49));
    assert!(
        e.view().mechanisms.restrictive_open(),
        "{}",
        timeline(e.events())
    );
    for (gov, ballot) in [
        ("de_gov", "restrictive_vote_de"),
        ("fr_gov", "restrictive_vote_fr"),
        ("pl_gov", "restrictive_vote_pl"),
    ] {
        ok(&mut e, &decide(gov, ballot, "support"));
    }
    assert!(
        e.view().mechanisms.sanctions_adopted,
        "{}",
        timeline(e.events())
    );
    assert!(
        toolbox(e.events())
            .iter()
            .any(|(at, s)| *at == h(49) && s.contains("adopts them unanimously")),
        "{}",
        timeline(e.events())
    );
}
