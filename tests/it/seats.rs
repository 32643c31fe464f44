//! What a seat may see and do, checked over whole bundled exercises: a seat's view holds its own
//! injects and shares and nothing addressed only to others, no controller notes, no hidden truth and
//! no MSEL; TLP 2.0 decides who may receive a forward; the engine refuses what a seat is not entitled to.

use std::sync::Arc;

use tabletop::domain::{Action, IpcrMode, Tlp};
use tabletop::scenario::{self, Origin, Scenario, bundled};
use tabletop::session::Session;
use tabletop::session::policy::{self, Builtin, Policy};
use tabletop::sim::seat::{ItemKind, SeatAction};
use tabletop::sim::{Advance, Command, Engine, EventKind};

fn bundled_scenario(name: &str) -> Arc<Scenario> {
    let b = bundled::get(name).expect("bundled scenario");
    Arc::new(
        scenario::check_str(b.text, &Origin::default())
            .scenario
            .expect("bundled scenarios check"),
    )
}

#[test]
fn every_seat_sees_its_own_traffic_and_nothing_addressed_only_to_others() {
    for name in [
        "hybrid-cable-energy",
        "hospital-ransomware",
        "election-interference",
    ] {
        let s = bundled_scenario(name);
        let mut session = Session::unrecorded(s.clone(), 11);
        policy::play(&mut session, &mut Policy::builtin(Builtin::Escalate, 11))
            .expect("unrecorded");
        let mut engine = session.into_engine();
        let events = engine.events().to_vec();
        for seat in s.seats().map(|a| a.id.clone()).collect::<Vec<_>>() {
            let view = engine.seat_view(&seat).expect("a seat");
            let json = serde_json::to_string(&view).expect("serialisable");
            // Exactly the injects addressed to the seat, all of them.
            let addressed = events
                .iter()
                .filter(|e| matches!(&e.kind, EventKind::InjectDelivered { to, .. } if to.contains(&seat)))
                .count();
            let inbox_injects = view
                .inbox
                .iter()
                .filter(|i| i.kind == ItemKind::Inject)
                .count();
            assert_eq!(inbox_injects, addressed, "{name}/{seat}");
            let visible_bodies: Vec<&str> = view.inbox.iter().map(|i| i.body.as_str()).collect();
            let visible = |text: &str| visible_bodies.iter().any(|b| b.contains(text));
            for spec in &s.file.injects {
                // Controller-only text never reaches a seat.
                for hidden in spec.expected.iter().chain(std::iter::once(&spec.notes)) {
                    if hidden.len() > 30 && !visible(hidden) {
                        assert!(
                            !json.contains(hidden.as_str()),
                            "{name}/{seat} sees the controller text of {}: {hidden}",
                            spec.id
                        );
                    }
                }
                // Other seats' injects: their text is not in this seat's view.
                if !spec.to.contains(&seat) && spec.body.len() > 30 && !visible(&spec.body) {
                    let escaped = serde_json::to_string(&spec.body).unwrap();
                    assert!(
                        !json.contains(&escaped[1..escaped.len() - 1]),
                        "{name}/{seat} sees the text of {}, addressed to {:?}",
                        spec.id,
                        spec.to
                    );
                }
            }
            // No hidden truth, no MSEL bookkeeping in the view's shape.
            for key in [
                "\"truth\"",
                "\"perpetrator\"",
                "\"armed_aggression\"",
                "\"sponsor\"",
                "\"expected\"",
                "\"notes\"",
                "\"effects\"",
                "\"when\"",
            ] {
                assert!(!json.contains(key), "{name}/{seat} view has {key}");
            }
            assert!(
                !view.directory.iter().any(|d| d.id == seat),
                "not in its own directory"
            );
        }
    }
}

#[test]
fn the_engine_refuses_a_seat_deciding_what_is_offered_to_another() {
    let s = bundled_scenario("tutorial");
    let mut engine = Engine::new(s, 7);
    engine.apply(&Command::Advance(Advance::To(45))).unwrap();
    // dec_share is the Austrian CSIRT's; SK-CERT cannot take it.
    let refused = engine.apply(
        &SeatAction::Decide {
            decision: "dec_share".into(),
            option: "opt_share_now".into(),
            rationale: "we would like to".into(),
        }
        .into_command("sk_csirt"),
    );
    assert!(refused.is_err(), "{refused:?}");
}

#[test]
fn requests_a_seat_is_not_entitled_to_are_not_offered_and_refused_anyway() {
    let s = bundled_scenario("hybrid-cable-energy");
    let mut engine = Engine::new(s, 7);
    engine
        .apply(&Command::Advance(Advance::To(20 * 60)))
        .unwrap();
    let csirt = engine.seat_view("ee_csirt").unwrap();
    assert!(!csirt.entitled.contains(&Action::InvokeArt427));
    assert!(
        !csirt
            .entitled
            .contains(&Action::Ipcr(IpcrMode::FullActivation))
    );
    let government = engine.seat_view("ee_gov").unwrap();
    assert!(government.entitled.contains(&Action::InvokeArt427));
    let presidency = engine.seat_view("presidency").unwrap();
    assert!(
        presidency
            .entitled
            .contains(&Action::Ipcr(IpcrMode::FullActivation))
    );
    // Asking anyway: refused by the rule, and the seat's own list says so.
    let outcome = engine.apply(
        &SeatAction::Request {
            request: Action::Ipcr(IpcrMode::FullActivation),
            incident: None,
        }
        .into_command("ee_csirt"),
    );
    assert!(outcome.is_err());
    let csirt = engine.seat_view("ee_csirt").unwrap();
    let refused = csirt
        .requests
        .first()
        .expect("the refused request is listed");
    assert!(
        refused
            .refused
            .as_deref()
            .unwrap_or_default()
            .contains("Presidency")
    );
}

#[test]
fn red_information_stays_with_its_recipients_and_labels_are_never_relaxed() {
    let s = bundled_scenario("tutorial");
    let mut engine = Engine::new(s, 7);
    let share = |from: &str, to: &[&str], tlp: Tlp, forward: Option<usize>| {
        SeatAction::Share {
            to: to.iter().map(|t| (*t).to_owned()).collect(),
            tlp,
            subject: "Indicators".into(),
            body: "hashes".into(),
            forward,
        }
        .into_command(from)
    };
    // The source labels its own information as it likes.
    engine
        .apply(&share(
            "at_csirt",
            &["sk_csirt", "cz_csirt"],
            Tlp::Red,
            None,
        ))
        .expect("a new share is the sender's own");
    let red = engine.events().len() - 1;
    // SK-CERT may pass it only among its recipients.
    assert!(
        engine
            .apply(&share("sk_csirt", &["cz_csirt"], Tlp::Red, Some(red)))
            .is_ok()
    );
    let e = engine
        .apply(&share("sk_csirt", &["enisa"], Tlp::Red, Some(red)))
        .unwrap_err();
    assert!(e.reason.contains("TLP:RED"), "{e}");
    // Relaxing the label is for the source only.
    let e = engine
        .apply(&share("sk_csirt", &["cz_csirt"], Tlp::Green, Some(red)))
        .unwrap_err();
    assert!(e.reason.contains("only its source can relax"), "{e}");
    // Nobody forwards what it never received.
    let e = engine
        .apply(&share("enisa", &["cz_csirt"], Tlp::Red, Some(red)))
        .unwrap_err();
    assert!(e.reason.contains("no item"), "{e}");
    // Each attempt to break a label is on the record for the debrief (not the one with no such item).
    let breaches = engine
        .events()
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::ShareRefused { from, .. } if from == "sk_csirt"))
        .count();
    assert_eq!(breaches, 2);
    // A seat sees the share only if it is a recipient or the sender.
    let enisa = engine.seat_view("enisa").unwrap();
    assert!(enisa.inbox.iter().all(|i| i.subject != "Indicators"));
    let cz = engine.seat_view("cz_csirt").unwrap();
    assert_eq!(
        cz.inbox
            .iter()
            .filter(|i| i.subject == "Indicators")
            .count(),
        2
    );
}

#[test]
fn a_seat_reads_only_its_own_role_briefing() {
    let mut checked = 0;
    for b in bundled::all() {
        let s = bundled_scenario(b.name.trim_end_matches(".ron"));
        let mut engine = Engine::new(s.clone(), 1);
        let seats: Vec<_> = s.seats().cloned().collect();
        for seat in &seats {
            let json = serde_json::to_string(&engine.seat_view(&seat.id).expect("a seat"))
                .expect("serialisable");
            for other in seats.iter().filter(|o| o.id != seat.id) {
                let briefing = other.description.trim();
                if briefing.len() > 20 && briefing != seat.description.trim() {
                    let quoted = serde_json::to_string(briefing).expect("a string");
                    assert!(
                        !json.contains(quoted.trim_matches('"')),
                        "{}: {} sees {}'s role briefing",
                        b.name,
                        seat.id,
                        other.id
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} briefings checked");
}

#[test]
fn a_refusal_reveals_nothing_about_an_incident_the_seat_cannot_see() {
    let mut probed = 0;
    for b in bundled::all() {
        let s = bundled_scenario(b.name.trim_end_matches(".ron"));
        for at in [0, 3 * 60] {
            let mut engine = Engine::new(s.clone(), 5);
            engine
                .apply(&Command::Advance(Advance::To(at)))
                .expect("the clock moves");
            let view = engine.view();
            let hidden: Vec<String> = view
                .incidents
                .iter()
                .filter(|i| i.detected_at.is_none())
                .map(|i| i.id.clone())
                .collect();
            for seat in s.seats().map(|a| a.id.clone()).collect::<Vec<_>>() {
                let entitled = engine.seat_view(&seat).expect("a seat").entitled;
                for action in entitled {
                    let answer = |engine: &mut Engine, incident: &str| {
                        engine
                            .apply(
                                &SeatAction::Request {
                                    request: action,
                                    incident: Some(incident.to_owned()),
                                }
                                .into_command(&seat),
                            )
                            .map(|_| ())
                            .map_err(|r| r.to_string().replace(incident, "ID"))
                    };
                    let nothing = answer(&mut engine, "no_such_incident");
                    for id in &hidden {
                        let about_hidden = answer(&mut engine, id);
                        assert!(
                            about_hidden.is_err(),
                            "{}: {seat} {action:?} on {id} granted",
                            b.name
                        );
                        assert_eq!(
                            about_hidden, nothing,
                            "{}: {seat} {action:?} on undetected {id} answers differently from an unknown id",
                            b.name
                        );
                        probed += 1;
                    }
                }
            }
        }
    }
    assert!(probed > 100, "only {probed} probes");
}

#[test]
fn a_government_is_offered_council_ballots_only_while_a_file_is_before_the_council() {
    let s = bundled_scenario("hybrid-cable-energy");
    let mut session = Session::unrecorded(s.clone(), 7);
    let ballots = |session: &mut Session| {
        session
            .seat_view("de_gov")
            .expect("a seat")
            .entitled
            .into_iter()
            .filter(|a| matches!(a, Action::VoteMeasures(_) | Action::Position(..)))
            .count()
    };
    assert_eq!(
        ballots(&mut session),
        0,
        "nothing is before the Council at the start"
    );
    let mut policy = Policy::builtin(Builtin::Escalate, 7);
    // Play until the restrictive-measures file is open, then look again.
    while !session.ended() && !session.view().mechanisms.restrictive_open() {
        let view = session.view();
        let answers: Vec<Command> = view
            .pending_decisions()
            .filter_map(|d| policy.answer(view.now, d))
            .collect();
        for command in answers {
            let _ = session.submit(command);
        }
        session
            .submit(Command::Advance(Advance::NextEvent))
            .expect("the clock moves");
    }
    assert!(
        session.view().mechanisms.restrictive_open(),
        "the escalate path proposes listings"
    );
    assert!(
        ballots(&mut session) > 0,
        "the government may now give its position"
    );
}
