//! The participant view driven through `egui_kittest`: a seat reads its inbox, decides with a
//! rationale, forwards under TLP 2.0 and sees only the requests its actor kind is entitled to. The
//! panel is fed from a real engine playing the tutorial, and its actions are applied to that engine.

use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tabletop::scenario::{self, Origin, bundled};
use tabletop::session::Session;
use tabletop::sim::{Advance, Command, Engine, EventKind};
use tabletop::ui::participant::ParticipantPanel;

struct SeatScreen {
    engine: Engine,
    seat: &'static str,
    panel: ParticipantPanel,
}

/// The tutorial advanced to `at` minutes, shown to `seat`.
fn seat_at(seat: &'static str, at: u32) -> Harness<'static, SeatScreen> {
    let text = bundled::get("tutorial").expect("bundled").text;
    let scenario = scenario::check_str(text, &Origin::default())
        .scenario
        .expect("the tutorial checks");
    let mut engine = Engine::new(Arc::new(scenario), 7);
    engine
        .apply(&Command::Advance(Advance::To(at)))
        .expect("advance");
    let state = SeatScreen {
        engine,
        seat,
        panel: ParticipantPanel::default(),
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(
            |ui, s: &mut SeatScreen| {
                tabletop::ui::theme::install_fonts(ui.ctx());
                let view = s.engine.seat_view(s.seat).expect("a seat");
                for action in s.panel.ui(ui, &view) {
                    if let Err(refusal) = s.engine.apply(&action.into_command(s.seat)) {
                        s.panel.notice(format!("Refused: {}", refusal.reason));
                    }
                }
            },
            state,
        );
    h.run();
    h
}

const CALL: &str = "Our control room screens are locked by ransomware";

#[test]
fn a_participant_reads_an_inject_and_it_is_no_longer_unread() {
    let mut h = seat_at("at_csirt", 15);
    assert!(h.query_by_label("Inbox (1 unread)").is_some());
    assert!(h.query_by_label("⚫ new").is_some());
    h.get_by_label(CALL).click();
    h.run();
    // The body (Markdown) is shown with its sender and label.
    assert!(
        h.query_all_by_label_contains("Ing. Petra Haider")
            .next()
            .is_some(),
        "the inject's text is shown"
    );
    assert!(h.query_all_by_label_contains("TLP:AMBER").next().is_some());
    assert!(h.query_by_label("Inbox (0 unread)").is_some());
    assert!(h.query_by_label("⚫ new").is_none());
}

#[test]
fn a_participant_decides_with_a_rationale() {
    let mut h = seat_at("at_csirt", 45);
    assert!(h.query_by_label("Decisions (1 pending)").is_some());
    let view = h.state_mut().engine.seat_view("at_csirt").expect("a seat");
    let option = view.pending[0].options[0].1.clone();
    // Without a rationale the options cannot be chosen.
    h.get_by_label(&option).click();
    h.run();
    assert!(h.query_by_label("Decisions (1 pending)").is_some());
    h.get_by_label("Your rationale (required)").focus();
    h.run();
    h.get_by_label("Your rationale (required)")
        .type_text("Slovak utilities use the same provider");
    h.run();
    h.get_by_label(&option).click();
    h.run();
    let taken = h.state().engine.events().iter().any(|e| {
        matches!(&e.kind, EventKind::DecisionTaken { decision, by, rationale, by_facilitator: false, .. }
            if decision == "dec_share" && by == "at_csirt" && rationale == "Slovak utilities use the same provider")
    });
    assert!(
        taken,
        "the seat's own decision, with its rationale, is on record"
    );
    assert!(h.query_by_label("Decisions (0 pending)").is_some());
    assert!(h.query_by_label_contains("Your decisions (1)").is_some());
}

#[test]
fn a_forward_outside_the_amber_community_is_refused_with_the_reason() {
    let mut h = seat_at("at_csirt", 15);
    h.get_by_label(CALL).click();
    h.run();
    h.get_by_label("Forward…").click();
    h.run();
    // SK-CERT is another Member State's CSIRT: TLP:AMBER may not go there.
    h.get_by_label("SK-CERT (National Security Authority, NBÚ)")
        .click();
    h.run();
    h.get_by_label("Send").click();
    h.run();
    assert!(
        h.query_all_by_label_contains(
            "Refused: TLP:AMBER information goes only to your organisation and its clients in AT"
        )
        .next()
        .is_some(),
        "the participant is told why"
    );
    assert!(
        !h.state()
            .engine
            .events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::InformationShared { .. })),
        "nothing was shared"
    );
}

#[test]
fn a_forward_within_the_national_community_reaches_the_other_seat() {
    let mut h = seat_at("at_csirt", 15);
    h.get_by_label(CALL).click();
    h.run();
    h.get_by_label("Forward…").click();
    h.run();
    h.get_by_label("Federal Ministry of the Interior (BMI), single point of contact")
        .click();
    h.run();
    h.get_by_label("Send").click();
    h.run();
    let spoc = h.state_mut().engine.seat_view("at_spoc").expect("a seat");
    let forwarded = spoc
        .inbox
        .iter()
        .find(|i| i.subject == format!("Fwd: {CALL}"))
        .expect("the SPOC received the forward");
    assert_eq!(forwarded.tlp, tabletop::domain::Tlp::Amber);
    assert!(forwarded.body.contains("Ing. Petra Haider"));
    // And it shows as sent in the CSIRT's own list.
    assert!(
        h.query_all_by_label_contains("to Federal Ministry")
            .next()
            .is_some()
    );
}

#[test]
fn a_seat_is_offered_only_the_requests_its_kind_is_entitled_to() {
    let h = seat_at("at_csirt", 15);
    assert!(h.query_by_label("Open a CSIRTs Network case").is_some());
    assert!(
        h.query_by_label("Inform affected Member States and ENISA")
            .is_some()
    );
    // A CSIRT is one of the Reserve's users (Cyber Solidarity Act Art. 14(3)).
    assert!(
        h.query_by_label("Request the EU Cybersecurity Reserve")
            .is_some()
    );
    for not_offered in [
        "Invoke Art. 42(7) TEU (mutual assistance)",
        "Set IPCR to full activation",
        "Attribute the activity",
    ] {
        assert!(
            h.query_by_label(not_offered).is_none(),
            "a CSIRT is not offered `{not_offered}`"
        );
    }
    // The single point of contact only transmits Reserve requests (Art. 15(3)); it makes none.
    let spoc = seat_at("at_spoc", 15);
    assert!(
        spoc.query_by_label("Request the EU Cybersecurity Reserve")
            .is_none()
    );
}

#[test]
fn a_laptop_joined_over_the_lan_reads_and_shares_through_the_host() {
    use std::time::{Duration, Instant};
    use tabletop::net::{Client, Host, JoinCode};
    use tabletop::ui::join::JoinApp;

    let text = bundled::get("tutorial").expect("bundled").text;
    let scenario = scenario::check_str(text, &Origin::default())
        .scenario
        .expect("the tutorial checks");
    let mut engine = Session::unrecorded(Arc::new(scenario), 7);
    engine.submit(Command::Advance(Advance::To(15))).unwrap();
    let code = JoinCode::generate().unwrap();
    let other = JoinCode::generate().unwrap();
    let mut host = Host::bind(
        "127.0.0.1:0",
        vec![("at_csirt".into(), code.clone()), ("at_spoc".into(), other)],
    )
    .expect("binds");
    let client = Client::connect(&host.local_addr().to_string(), &code.to_string()).expect("joins");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |cc| JoinApp::new(cc, client));
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut until = |h: &mut Harness<'_, JoinApp>, engine: &mut Session, what: &str| {
        while h.query_by_label(what).is_none() {
            assert!(Instant::now() < deadline, "`{what}` never showed");
            host.pump(engine);
            h.step();
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    until(&mut h, &mut engine, "Inbox (1 unread)");
    h.get_by_label(CALL).click();
    h.run_steps(2);
    h.get_by_label("Forward…").click();
    h.run_steps(2);
    h.get_by_label("Federal Ministry of the Interior (BMI), single point of contact")
        .click();
    h.run_steps(2);
    h.get_by_label("Send").click();
    h.run_steps(2);
    until(&mut h, &mut engine, "Inbox (0 unread)");
    let start = Instant::now();
    while !engine
        .events()
        .iter()
        .any(|e| matches!(&e.kind, EventKind::InformationShared { from, .. } if from == "at_csirt"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the share never reached the host"
        );
        host.pump(&mut engine);
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
}
