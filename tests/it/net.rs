//! LAN seats on loopback: 27 seats deciding at once, join codes, hostile and broken clients, seat
//! isolation over the wire, and rejoining. Every wait is a poll with a generous deadline, never a sleep
//! that an assertion depends on.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tabletop::journal::Journal;
use tabletop::net::{Client, Host, HostEvent, HostLimits, JoinCode, ServerMessage, Status};
use tabletop::scenario::{Scenario, bundled};
use tabletop::session::{Recording, Session, Start};
use tabletop::sim::seat::{ItemKind, SeatAction};
use tabletop::sim::{Advance, Command, EventKind};
use tungstenite::{Message, WebSocket};

use crate::support::{inline_scenario, temp_dir};

/// Long enough for a loaded 2-core machine; only a failing test ever waits this long.
const PATIENCE: Duration = Duration::from_mins(1);

/// The EU's 27 Member States.
const MEMBER_STATES: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

fn gov(country: &str) -> String {
    format!("{}_gov", country.to_lowercase())
}

fn decision_of(country: &str) -> String {
    format!("dec_{}", country.to_lowercase())
}

/// Every government is a seat and is asked, at T+00:00, whether to raise its alert level (2h to answer).
fn capitals_scenario() -> String {
    let states = MEMBER_STATES.map(|c| format!("\"{c}\"")).join(", ");
    let mut actors = String::new();
    let mut injects = String::new();
    let mut decisions = String::new();
    for c in MEMBER_STATES {
        let (g, d, l) = (gov(c), decision_of(c), c.to_lowercase());
        let _ = writeln!(
            actors,
            "        (id: \"{g}\", name: \"Government of {c}\", kind: Government, country: \"{c}\", seat: true),"
        );
        let _ = write!(
            injects,
            "        (id: \"inj_{l}\", at: \"T+00:00\", from: \"excon\", to: [\"{g}\"], channel: Email,\n\
             \x20           subject: \"{c}: raise the alert level?\", decision: \"{d}\"),\n"
        );
        let _ = write!(
            decisions,
            "        (id: \"{d}\", prompt: \"Raise {c}'s alert level?\", by: [\"{g}\"], deadline: \"2h\",\n\
             \x20           default: \"opt_hold\", options: [\n\
             \x20               (id: \"opt_raise\", label: \"Raise it\"),\n\
             \x20               (id: \"opt_hold\", label: \"Hold\"),\n\
             \x20           ]),\n"
        );
    }
    format!(
        r#"Scenario(
    format: 1,
    id: "lan-capitals",
    title: "Twenty-seven capitals decide",
    start: "2026-03-10T08:00:00+01:00",
    duration: "4h",
    member_states: [{states}],
    presidency: "PL",
    actors: [
{actors}        (id: "excon", name: "Exercise control", kind: Other),
    ],
    injects: [
{injects}    ],
    decisions: [
{decisions}    ],
)"#
    )
}

fn seat_ids(scenario: &Scenario) -> Vec<String> {
    scenario.seats().map(|a| a.id.clone()).collect()
}

fn codes_for(seats: &[String]) -> Vec<(String, JoinCode)> {
    seats
        .iter()
        .map(|s| (s.clone(), JoinCode::generate().expect("os random")))
        .collect()
}

fn code_of(codes: &[(String, JoinCode)], seat: &str) -> String {
    codes
        .iter()
        .find(|(s, _)| s == seat)
        .map(|(_, c)| c.to_string())
        .expect("a code for the seat")
}

/// Pumps the host until `done` holds; every host event seen. Panics (with what was seen) after `PATIENCE`.
fn pump_until(
    host: &mut Host,
    authority: &mut Session,
    what: &str,
    mut done: impl FnMut(&mut Host, &mut Session) -> bool,
) -> Vec<HostEvent> {
    let until = Instant::now() + PATIENCE;
    let mut events = Vec::new();
    loop {
        events.extend(host.pump(authority));
        if done(host, authority) {
            return events;
        }
        assert!(
            Instant::now() < until,
            "timed out waiting for {what}; host events so far: {events:#?}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Pumps until the host events seen so far (`events`, extended in place) satisfy `enough`: for reports
/// that a connection thread sends after its peer may already have moved on.
fn pump_until_events(
    host: &mut Host,
    authority: &mut Session,
    what: &str,
    events: &mut Vec<HostEvent>,
    enough: impl Fn(&[HostEvent]) -> bool,
) {
    let until = Instant::now() + PATIENCE;
    while !enough(events) {
        assert!(
            Instant::now() < until,
            "timed out waiting for {what}; host events so far: {events:#?}"
        );
        events.extend(host.pump(authority));
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Runs `work` on its own thread while this one pumps the host; returns what `work` returned.
fn while_pumping<T: Send + 'static>(
    host: &mut Host,
    authority: &mut Session,
    work: impl FnOnce() -> T + Send + 'static,
) -> (T, Vec<HostEvent>) {
    let handle: JoinHandle<T> = std::thread::spawn(work);
    let events = pump_until(host, authority, "the client thread", |_, _| {
        handle.is_finished()
    });
    (handle.join().expect("the client thread"), events)
}

fn connected(client: &Client) -> bool {
    matches!(client.status(), Status::Connected { .. }) && client.latest_view().is_some()
}

fn closed_reason(client: &Client) -> Option<String> {
    match client.status() {
        Status::Closed { reason } => Some(reason),
        _ => None,
    }
}

/// A WebSocket without the `Client`'s manners, to send what a broken or hostile client would.
fn raw(addr: SocketAddr) -> WebSocket<TcpStream> {
    let stream = TcpStream::connect(addr).expect("tcp connect");
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("read timeout");
    let (ws, _) = tungstenite::client::client(format!("ws://{addr}/").as_str(), stream)
        .expect("websocket handshake");
    ws
}

/// Reads server messages until an `error`; its message. Panics if the connection closes without one.
fn read_until_error(ws: &mut WebSocket<TcpStream>) -> String {
    loop {
        match ws.read().expect("the host says why before closing") {
            Message::Text(text) => {
                if let Ok(ServerMessage::Error { message }) =
                    serde_json::from_str::<ServerMessage>(text.as_str())
                {
                    return message;
                }
            }
            Message::Close(_) => panic!("closed without an error message"),
            _ => {}
        }
    }
}

/// After the error, the host closes: reading ends in a close, not in more messages.
fn assert_closed(ws: &mut WebSocket<TcpStream>) {
    loop {
        match ws.read() {
            Ok(Message::Close(_)) | Err(_) => return,
            Ok(Message::Text(t)) => panic!("still talking after the error: {t}"),
            Ok(_) => {}
        }
    }
}

fn read_server(ws: &mut WebSocket<TcpStream>) -> ServerMessage {
    loop {
        if let Message::Text(text) = ws.read().expect("a message from the host") {
            return serde_json::from_str(text.as_str()).expect("the host speaks the protocol");
        }
    }
}

fn decide(decision: &str, option: &str) -> SeatAction {
    SeatAction::Decide {
        decision: decision.into(),
        option: option.into(),
        rationale: "over the LAN".into(),
    }
}

// ---------------------------------------------------------------------------------------------------

#[test]
fn twenty_seven_seats_decide_at_once_and_the_journal_holds_each_decision_once() {
    let text = capitals_scenario();
    let scenario = inline_scenario(&text);
    let dir = temp_dir("net", "capitals");
    let journal_path = dir.join("journal.jsonl");
    let start = Start {
        scenario: scenario.clone(),
        text: text.clone(),
        seed: 5,
        scenario_path: None,
        players: BTreeMap::new(),
    };
    let mut session =
        Session::start(start, &Recording::File(journal_path.clone())).expect("journal");
    let seats = seat_ids(&scenario);
    assert_eq!(seats.len(), 27);
    let codes = codes_for(&seats);
    let mut host = Host::bind("127.0.0.1:0", codes.clone()).expect("bind");
    let addr = host.local_addr().to_string();
    // Everyone is seated before anyone decides, so all 27 are connected at once however the threads run.
    let seated = Arc::new(std::sync::Barrier::new(seats.len()));

    let participants: Vec<JoinHandle<(String, Vec<tabletop::net::ActionResult>)>> = seats
        .iter()
        .map(|seat| {
            let (seat, code, addr) = (seat.clone(), code_of(&codes, seat), addr.clone());
            let seated = seated.clone();
            std::thread::spawn(move || {
                let mut client = Client::connect(&addr, &code).expect("connect");
                assert!(client.wait_until(PATIENCE, connected), "{seat} joins");
                seated.wait();
                let view = client.latest_view().expect("a view");
                assert_eq!(view.seat.id, seat);
                assert_eq!(view.pending.len(), 1, "{seat}: its own decision only");
                let decision = view.pending[0].id.clone();
                let id = client.send(decide(&decision, "opt_raise"));
                let mut results = Vec::new();
                assert!(
                    client.wait_until(PATIENCE, |c| {
                        results.extend(c.results());
                        results.iter().any(|r| r.id == id)
                    }),
                    "{seat} gets its result"
                );
                // The seat sees its decision in its history once the host publishes.
                assert!(
                    client.wait_until(PATIENCE, |c| c
                        .latest_view()
                        .is_some_and(|v| v.pending.is_empty() && v.history.len() == 1)),
                    "{seat} sees its decision taken"
                );
                (seat, results)
            })
        })
        .collect();

    let mut most_connected = 0;
    let started = Instant::now();
    let events = pump_until(&mut host, &mut session, "27 decisions", |h, _| {
        most_connected = most_connected.max(h.connected().len());
        participants.iter().all(JoinHandle::is_finished)
    });
    let elapsed = started.elapsed();
    for handle in participants {
        let (seat, results) = handle.join().expect("participant thread");
        assert!(
            results.iter().all(|r| r.outcome.is_ok()),
            "{seat}: {results:?}"
        );
    }
    eprintln!("27 seats joined and decided in {elapsed:?}; at most {most_connected} connected");
    assert_eq!(most_connected, 27, "all 27 connected at once");
    let acted = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                HostEvent::Acted {
                    outcome: Ok(()),
                    ..
                }
            )
        })
        .count();
    assert_eq!(acted, 27);

    let journal = Journal::load(&journal_path).expect("journal reads back");
    let mut decided: BTreeMap<String, usize> = BTreeMap::new();
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    for entry in &journal.entries {
        if let Command::Decide { seat, decision, .. } = &entry.command {
            assert!(entry.refused.is_none(), "{entry:?}");
            assert_eq!(*decision, decision_of(&seat[..2].to_uppercase()));
            *decided.entry(decision.clone()).or_default() += 1;
        }
        for event in &entry.events {
            if let EventKind::DecisionTaken { decision, .. } = &event.kind {
                *taken.entry(decision.clone()).or_default() += 1;
            }
        }
    }
    for c in MEMBER_STATES {
        assert_eq!(decided.get(&decision_of(c)), Some(&1), "{c} decided once");
        assert_eq!(taken.get(&decision_of(c)), Some(&1), "{c} taken once");
    }
    assert_eq!(decided.len(), 27);
    // The journal replays to the same exercise.
    let replayed = tabletop::journal::replay(&journal).expect("replays");
    assert!(replayed.is_ok(), "the journal reproduces its events");
}

#[test]
fn a_wrong_code_is_refused_without_a_word_about_any_seat() {
    let scenario = inline_scenario(&capitals_scenario());
    let mut engine = Session::unrecorded(scenario.clone(), 1);
    let codes = codes_for(&seat_ids(&scenario));
    let mut host = Host::bind("127.0.0.1:0", codes.clone()).expect("bind");
    let wakes = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = wakes.clone();
    host.set_waker(Box::new(move || {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }));
    // `localhost` may resolve to ::1 first; the client tries each address.
    let addr = format!("localhost:{}", host.local_addr().port());
    let good = code_of(&codes, "fr_gov");
    let (outcomes, events) = while_pumping(&mut host, &mut engine, move || {
        let mut outcomes = Vec::new();
        let guessed = JoinCode::generate().expect("os random").to_string();
        for wrong in [guessed.as_str(), "", "not-a-code", &good[..good.len() - 1]] {
            let client = Client::connect(&addr, wrong).expect("connect");
            assert!(client.wait_until(PATIENCE, |c| closed_reason(c).is_some()));
            assert!(client.latest_view().is_none(), "no view for a wrong code");
            outcomes.push(closed_reason(&client).unwrap_or_default());
        }
        // The right code still works afterwards.
        let client = Client::connect(&addr, &good).expect("connect");
        assert!(client.wait_until(PATIENCE, connected));
        outcomes
    });
    for reason in &outcomes {
        assert_eq!(reason, "this join code is not valid");
    }
    // A refused connection is reported once its socket is closed, which can come after the client
    // has read the refusal: keep pumping until all four are in.
    let turned_away = |events: &[HostEvent]| {
        events
            .iter()
            .filter(|e| matches!(e, HostEvent::TurnedAway { .. }))
            .count()
    };
    let mut events = events;
    pump_until_events(&mut host, &mut engine, "four refusals", &mut events, |e| {
        turned_away(e) >= 4
    });
    assert_eq!(turned_away(&events), 4, "{events:#?}");
    assert!(
        wakes.load(std::sync::atomic::Ordering::SeqCst) >= 5,
        "the waker runs for each arrival"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, HostEvent::Joined { seat, .. } if seat == "fr_gov"))
    );
}

#[test]
fn broken_and_hostile_frames_close_only_their_own_connection() {
    let scenario = inline_scenario(&capitals_scenario());
    let mut session = Session::unrecorded(scenario.clone(), 1);
    let codes = codes_for(&seat_ids(&scenario));
    let mut host = Host::bind("127.0.0.1:0", codes.clone()).expect("bind");
    let addr = host.local_addr();
    let bystander = code_of(&codes, "de_gov");
    let offender = code_of(&codes, "fr_gov");
    let hello = format!(r#"{{"type":"hello","code":"{offender}"}}"#);

    let (errors, _) = while_pumping(&mut host, &mut session, move || {
        // A well-behaved seat is connected throughout.
        let mut good = Client::connect(&addr.to_string(), &bystander).expect("connect");
        assert!(good.wait_until(PATIENCE, connected));
        let huge = format!(r#"{{"type":"hello","code":"{}"}}"#, "X".repeat(100 * 1024));
        let act = r#"{"type":"act","id":1,"action":{"action":"decide","decision":"dec_fr","option":"opt_raise","rationale":""}}"#;
        let attacks: Vec<(&str, bool, Message)> = vec![
            ("garbage", false, Message::text("{{{ not json")),
            ("unknown type", false, Message::text(r#"{"type":"dance"}"#)),
            ("act before hello", false, Message::text(act)),
            (
                "binary frame",
                false,
                Message::binary(vec![0u8, 159, 146, 150]),
            ),
            ("oversized frame", false, Message::text(huge)),
            ("second hello", true, Message::text(hello.clone())),
            ("garbage after hello", true, Message::text("null")),
            ("binary after hello", true, Message::binary(vec![1u8; 16])),
            (
                "facilitator command",
                true,
                Message::text(
                    r#"{"type":"act","id":2,"action":{"action":"fire","inject":"inj_de"}}"#,
                ),
            ),
        ];
        let mut errors = Vec::new();
        for (name, joined_first, frame) in attacks {
            let mut ws = raw(addr);
            if joined_first {
                ws.send(Message::text(hello.clone())).expect("hello");
                assert!(
                    matches!(read_server(&mut ws), ServerMessage::Welcome { .. }),
                    "{name}: welcomed first"
                );
            }
            ws.send(frame).expect("send");
            let message = read_until_error(&mut ws);
            assert_closed(&mut ws);
            errors.push((name, message));
            // The bystander is untouched and still acts.
            assert!(
                connected(&good),
                "{name}: the other seat is still connected"
            );
        }
        let id = good.send(decide("dec_de", "opt_hold"));
        let mut results = Vec::new();
        assert!(good.wait_until(PATIENCE, |c| {
            results.extend(c.results());
            results.iter().any(|r| r.id == id)
        }));
        assert!(results.iter().all(|r| r.outcome.is_ok()), "{results:?}");
        errors
    });
    for (name, message) in &errors {
        eprintln!("{name}: {message}");
    }
    let said = |name: &str| {
        errors
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| m.clone())
            .unwrap_or_default()
    };
    assert!(said("garbage").starts_with("malformed message"));
    assert!(said("unknown type").contains("unknown variant `dance`"));
    assert_eq!(
        said("act before hello"),
        "the first message must be a hello"
    );
    assert!(said("binary frame").contains("binary frames are not accepted"));
    assert!(said("oversized frame").contains("too large"));
    assert!(said("second hello").contains("hello was already received"));
    assert!(said("facilitator command").contains("unknown variant `fire`"));
    // Nothing reached the exercise but the bystander's decision.
    let view = session.view();
    let taken: Vec<_> = view
        .decisions
        .iter()
        .filter(|d| {
            !matches!(
                d.status,
                tabletop::sim::state::DecisionStatus::Pending { .. }
            )
        })
        .map(|d| d.id.clone())
        .collect();
    assert_eq!(taken, ["dec_de"]);
}

#[test]
fn a_seat_can_act_only_as_itself() {
    let scenario = inline_scenario(&capitals_scenario());
    let mut session = Session::unrecorded(scenario.clone(), 1);
    let codes = codes_for(&seat_ids(&scenario));
    let mut host = Host::bind("127.0.0.1:0", codes.clone()).expect("bind");
    let addr = host.local_addr();
    let french = code_of(&codes, "fr_gov");
    let german = code_of(&codes, "de_gov");
    let (refusals, events) = while_pumping(&mut host, &mut session, move || {
        let mut ws = raw(addr);
        ws.send(Message::text(format!(
            r#"{{"type":"hello","code":"{french}"}}"#
        )))
        .expect("hello");
        assert!(matches!(
            read_server(&mut ws),
            ServerMessage::Welcome { seat, .. } if seat == "fr_gov"
        ));
        // Naming another seat anywhere changes nothing: the host fills in the connection's own seat, and
        // the engine refuses a decision offered to someone else.
        ws.send(Message::text(
            r#"{"type":"act","id":1,"seat":"de_gov","action":{"action":"decide","seat":"de_gov","decision":"dec_de","option":"opt_raise","rationale":"as Germany"}}"#,
        ))
        .expect("act");
        let mut refusals = Vec::new();
        loop {
            if let ServerMessage::Result { id, ok, refusal } = read_server(&mut ws) {
                assert_eq!(id, 1);
                assert!(!ok);
                refusals.push(refusal.unwrap_or_default());
                break;
            }
        }
        // The seat the decision is offered to takes it.
        let mut de = Client::connect(&addr.to_string(), &german).expect("connect");
        assert!(de.wait_until(PATIENCE, connected));
        let id = de.send(decide("dec_de", "opt_hold"));
        let mut results = Vec::new();
        assert!(de.wait_until(PATIENCE, |c| {
            results.extend(c.results());
            results.iter().any(|r| r.id == id)
        }));
        assert!(results[0].outcome.is_ok(), "{results:?}");
        refusals
    });
    assert!(refusals[0].contains("fr_gov"), "{refusals:?}");
    let acted: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            HostEvent::Acted { seat, outcome, .. } => Some((seat.clone(), outcome.is_ok())),
            _ => None,
        })
        .collect();
    assert_eq!(
        acted,
        [("fr_gov".to_owned(), false), ("de_gov".to_owned(), true)]
    );
    let taken = session
        .view()
        .decisions
        .iter()
        .find(|d| d.id == "dec_de")
        .map(|d| d.status.clone());
    assert!(
        matches!(taken, Some(tabletop::sim::state::DecisionStatus::Taken { ref by, .. }) if by == "de_gov"),
        "{taken:?}"
    );
}

#[test]
fn a_participant_who_drops_rejoins_with_the_same_code_and_finds_the_same_state() {
    let scenario = inline_scenario(&capitals_scenario());
    let mut session = Session::unrecorded(scenario.clone(), 1);
    let codes = codes_for(&seat_ids(&scenario));
    let mut host = Host::bind("127.0.0.1:0", codes.clone()).expect("bind");
    let addr = host.local_addr().to_string();
    let code = code_of(&codes, "it_gov");

    // Join, decide, drop.
    let first = {
        let (addr, code) = (addr.clone(), code.clone());
        while_pumping(&mut host, &mut session, move || {
            let mut client = Client::connect(&addr, &code).expect("connect");
            assert!(client.wait_until(PATIENCE, connected));
            client.send(decide("dec_it", "opt_raise"));
            assert!(client.wait_until(PATIENCE, |c| {
                c.latest_view().is_some_and(|v| v.history.len() == 1)
            }));
            client.latest_view()
        })
        .0
    };
    pump_until(&mut host, &mut session, "the drop to be noticed", |h, _| {
        h.connected().is_empty()
    });
    session
        .submit(Command::Advance(Advance::By(30)))
        .expect("the clock moves while the seat is away");

    // Back with the same code: the same seat, today's state.
    let (again_addr, again_code) = (addr.clone(), code.clone());
    let (second, _) = while_pumping(&mut host, &mut session, move || {
        let client = Client::connect(&again_addr, &again_code).expect("reconnect");
        assert!(client.wait_until(PATIENCE, connected));
        (client.status(), client.latest_view())
    });
    assert!(matches!(second.0, Status::Connected { ref seat, .. } if seat == "it_gov"));
    let second = second.1.expect("a view");
    assert_eq!(Some(&second), session.seat_view("it_gov").as_ref());
    let first = first.expect("a first view");
    assert_eq!(second.history, first.history, "the decision is still there");
    assert_eq!(second.now, first.now + 30);

    // A second connection for a seat replaces the first, which is told why.
    let (twice_addr, twice_code) = (addr.clone(), code.clone());
    let (reason, _) = while_pumping(&mut host, &mut session, move || {
        let old = Client::connect(&twice_addr, &twice_code).expect("connect");
        assert!(old.wait_until(PATIENCE, connected));
        let new = Client::connect(&twice_addr, &twice_code).expect("connect again");
        assert!(new.wait_until(PATIENCE, connected));
        assert!(old.wait_until(PATIENCE, |c| closed_reason(c).is_some()));
        let reconnected = new.reconnect().expect("reconnect helper");
        assert!(reconnected.wait_until(PATIENCE, connected));
        closed_reason(&old)
    });
    assert_eq!(
        reason.as_deref(),
        Some("this seat was joined again from another connection")
    );
    let seats: Vec<_> = host.connected().into_iter().map(|c| c.seat).collect();
    assert!(
        seats.len() <= 1 && seats.iter().all(|s| s == "it_gov"),
        "{seats:?}"
    );
}

#[test]
fn over_the_wire_each_seat_sees_only_its_own_over_a_whole_bundled_scenario() {
    let bundled = bundled::get("hybrid-cable-energy").expect("bundled scenario");
    let scenario = inline_scenario(bundled.text);
    let mut engine = Session::unrecorded(scenario.clone(), 3);
    let seats = seat_ids(&scenario);
    let codes = codes_for(&seats);
    let mut host = Host::bind("127.0.0.1:0", codes.clone()).expect("bind");
    let addr = host.local_addr().to_string();
    let clients: Vec<(String, Client)> = seats
        .iter()
        .map(|s| {
            (
                s.clone(),
                Client::connect(&addr, &code_of(&codes, s)).expect("connect"),
            )
        })
        .collect();
    let mut steps = 0;
    let mut items_checked = 0;
    loop {
        // Every client must hold exactly the engine's view of its seat before the clock moves on.
        let expected: Vec<_> = seats
            .iter()
            .map(|s| engine.seat_view(s).expect("a seat"))
            .collect();
        pump_until(
            &mut host,
            &mut engine,
            "every seat's current view",
            |_, _| {
                clients
                    .iter()
                    .zip(&expected)
                    .all(|((_, c), e)| c.latest_view().as_ref() == Some(e))
            },
        );
        for ((seat, _), view) in clients.iter().zip(&expected) {
            for item in &view.inbox {
                let event = &engine.events()[item.id];
                let entitled = match (&item.kind, &event.kind) {
                    (ItemKind::Inject, EventKind::InjectDelivered { to, .. }) => {
                        to.iter().any(|t| t == seat)
                    }
                    (ItemKind::Shared, EventKind::InformationShared { from, to, .. }) => {
                        from == seat || to.iter().any(|t| t == seat)
                    }
                    _ => false,
                };
                assert!(
                    entitled,
                    "{seat} sees item {} it is not entitled to: {event:?}",
                    item.id
                );
                items_checked += 1;
            }
            let view_decisions = engine.view().decisions;
            for pending in &view.pending {
                let offered = view_decisions
                    .iter()
                    .find(|d| d.id == pending.id)
                    .is_some_and(|d| d.by.iter().any(|b| b == seat));
                assert!(
                    offered,
                    "{seat} sees decision {} offered to others",
                    pending.id
                );
            }
        }
        // And every inject delivered to a seat is in that seat's view (nothing lost on the way).
        for (index, event) in engine.events().iter().enumerate() {
            if let EventKind::InjectDelivered { to, .. } = &event.kind {
                for (seat, view) in seats.iter().zip(&expected) {
                    if to.iter().any(|t| t == seat) {
                        assert!(
                            view.inbox.iter().any(|i| i.id == index),
                            "{seat} lost {index}"
                        );
                    }
                }
            }
        }
        if engine.ended() {
            break;
        }
        engine
            .submit(Command::Advance(Advance::NextEvent))
            .expect("the clock moves");
        host.views_changed();
        steps += 1;
    }
    eprintln!(
        "{steps} steps, {items_checked} inbox items checked over {} seats",
        seats.len()
    );
    assert!(
        steps > 3 && items_checked > 10,
        "the scenario was played: {steps} steps"
    );
}

#[test]
fn idle_connections_without_a_code_cannot_keep_a_participant_out() {
    let scenario = inline_scenario(&capitals_scenario());
    let mut engine = Session::unrecorded(scenario.clone(), 1);
    let codes = codes_for(&seat_ids(&scenario));
    let limits = HostLimits {
        max_connections: 40,
        max_pending: 4,
        handshake_timeout: Duration::from_secs(5),
        ..HostLimits::for_seats(27)
    };
    let mut host = Host::bind_with("127.0.0.1:0", codes.clone(), limits).expect("bind");
    let addr = host.local_addr();
    let code = code_of(&codes, "pt_gov");
    let ((), events) = while_pumping(&mut host, &mut engine, move || {
        // An outsider keeps ten idle connections open, more than the joining places, renewing them.
        let mut idle: Vec<TcpStream> = (0..10)
            .map(|_| TcpStream::connect(addr).expect("connect"))
            .collect();
        for round in 0..3 {
            let client = Client::connect(&addr.to_string(), &code).expect("connect");
            assert!(
                client.wait_until(PATIENCE, connected),
                "round {round}: the participant got in despite the flood"
            );
            drop(client);
            idle.extend((0..10).map(|_| TcpStream::connect(addr).expect("connect")));
        }
        drop(idle);
    });
    let joined = events
        .iter()
        .filter(|e| matches!(e, HostEvent::Joined { seat, .. } if seat == "pt_gov"))
        .count();
    assert_eq!(joined, 3, "{events:#?}");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, HostEvent::TurnedAway { reason, .. }
            if reason == "dropped to make room: it had not joined a seat")),
        "{events:#?}"
    );
}

#[test]
fn connections_are_bounded_and_a_silent_one_is_dropped_after_the_handshake_time() {
    let scenario = inline_scenario(&capitals_scenario());
    let mut engine = Session::unrecorded(scenario.clone(), 1);
    let codes = codes_for(&seat_ids(&scenario));
    let limits = HostLimits {
        max_connections: 4,
        max_pending: 2,
        handshake_timeout: Duration::from_secs(5),
        ..HostLimits::for_seats(27)
    };
    let mut host = Host::bind_with("127.0.0.1:0", codes.clone(), limits).expect("bind");
    let addr = host.local_addr();
    let ((), events) = while_pumping(&mut host, &mut engine, move || {
        use std::io::Read;
        // Two silent connections take both joining places; a third pushes the oldest out.
        let mut first = TcpStream::connect(addr).expect("connect");
        std::thread::sleep(Duration::from_millis(100));
        let mut rest: Vec<TcpStream> = (0..2)
            .map(|_| TcpStream::connect(addr).expect("connect"))
            .collect();
        let mut buf = [0u8; 64];
        first.set_read_timeout(Some(PATIENCE)).expect("timeout");
        assert!(
            matches!(first.read(&mut buf), Ok(0) | Err(_)),
            "the oldest idle connection is pushed out"
        );
        // The others are dropped after the handshake time.
        for s in &mut rest {
            s.set_read_timeout(Some(PATIENCE)).expect("timeout");
            assert!(matches!(s.read(&mut buf), Ok(0) | Err(_)), "dropped");
        }
    });
    let turned = |events: &[HostEvent], why: &str| {
        events
            .iter()
            .filter(|e| matches!(e, HostEvent::TurnedAway { reason, .. } if reason == why))
            .count()
    };
    let mut events = events;
    pump_until_events(&mut host, &mut engine, "two timeouts", &mut events, |e| {
        turned(e, "no WebSocket handshake in time") >= 2
    });
    assert_eq!(
        turned(&events, "no WebSocket handshake in time"),
        2,
        "{events:#?}"
    );
    assert_eq!(
        turned(&events, "dropped to make room: it had not joined a seat"),
        1,
        "{events:#?}"
    );
}

#[test]
fn a_participant_who_stops_reading_is_dropped_and_the_others_keep_their_views() {
    let scenario = inline_scenario(&capitals_scenario());
    let mut session = Session::unrecorded(scenario.clone(), 1);
    let codes = codes_for(&seat_ids(&scenario));
    let limits = HostLimits {
        stall_limit: Duration::from_secs(2),
        ..HostLimits::for_seats(27)
    };
    let mut host = Host::bind_with("127.0.0.1:0", codes.clone(), limits).expect("bind");
    let addr = host.local_addr();
    // The stalled seat joins with a raw WebSocket and then never reads again.
    let stalled_code = code_of(&codes, "it_gov");
    let mut stalled = raw(addr);
    stalled
        .send(Message::text(format!(
            r#"{{"type":"hello","code":"{stalled_code}"}}"#
        )))
        .expect("hello");
    let healthy = Client::connect(&addr.to_string(), &code_of(&codes, "de_gov")).expect("connect");
    pump_until(&mut host, &mut session, "both seats joined", |h, _| {
        h.connected().len() == 2 && connected(&healthy)
    });
    // Every change makes the stalled seat's view bigger (shares to it of 16 KB each): a backlog of whole
    // views would grow without limit if the host queued them.
    let mut events = Vec::new();
    let until = Instant::now() + PATIENCE;
    let mut round = 0u32;
    while !events.iter().any(|e| {
        matches!(e, HostEvent::Left { seat, reason, .. }
            if seat == "it_gov" && reason.contains("read nothing"))
    }) {
        assert!(
            Instant::now() < until,
            "the stalled seat was never dropped: {events:#?}"
        );
        round += 1;
        session
            .submit(Command::Share {
                from: "fr_gov".into(),
                to: vec!["it_gov".into(), "de_gov".into()],
                tlp: tabletop::domain::Tlp::Green,
                subject: format!("bulk {round}"),
                body: "x".repeat(tabletop::sim::seat::MAX_BODY_CHARS),
                forward: None,
            })
            .expect("shared");
        host.views_changed();
        events.extend(host.pump(&mut session));
        std::thread::sleep(Duration::from_millis(20));
    }
    // The healthy seat still gets the latest view after the stalled one was dropped.
    let latest = session.seat_view("de_gov").expect("a seat");
    pump_until(
        &mut host,
        &mut session,
        "the healthy seat's latest view",
        |_, _| healthy.latest_view().as_ref() == Some(&latest),
    );
    assert!(
        host.connected().iter().all(|c| c.seat != "it_gov"),
        "the stalled seat is gone"
    );
    drop(stalled);
}

#[test]
fn a_seat_flooding_actions_is_slowed_down_and_the_journal_does_not_grow_with_it() {
    let scenario = inline_scenario(&capitals_scenario());
    let mut session = Session::unrecorded(scenario.clone(), 1);
    let codes = codes_for(&seat_ids(&scenario));
    let limits = HostLimits::for_seats(27);
    let mut host = Host::bind_with("127.0.0.1:0", codes.clone(), limits).expect("bind");
    let addr = host.local_addr().to_string();
    let code = code_of(&codes, "fr_gov");
    let started = Instant::now();
    let (results, _) = while_pumping(&mut host, &mut session, move || {
        let mut client = Client::connect(&addr, &code).expect("connect");
        assert!(client.wait_until(PATIENCE, connected));
        // 300 shares as fast as the socket takes them.
        let ids: Vec<u64> = (0..300)
            .map(|i| {
                client.send(SeatAction::Share {
                    to: vec!["de_gov".into()],
                    tlp: tabletop::domain::Tlp::Green,
                    subject: format!("flood {i}"),
                    body: String::new(),
                    forward: None,
                })
            })
            .collect();
        let mut results = Vec::new();
        let until = Instant::now() + PATIENCE;
        while results.len() < ids.len() && Instant::now() < until {
            results.extend(client.results());
            std::thread::sleep(Duration::from_millis(5));
        }
        results
    });
    let elapsed = started.elapsed().as_secs_f64();
    let slowed = results
        .iter()
        .filter(|r| {
            r.outcome
                .as_ref()
                .is_err_and(|e| e.contains("too many actions at once"))
        })
        .count();
    let recorded = session.entries().len();
    assert_eq!(results.len(), 300, "every action was answered");
    // At most the burst plus the rate over the time it took, whatever the client sent.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a few seconds times a small rate"
    )]
    let allowed = (f64::from(limits.action_burst) + elapsed * f64::from(limits.actions_per_second))
        .ceil() as usize;
    assert!(
        recorded <= allowed,
        "{recorded} actions reached the exercise in {elapsed:.1} s (allowed {allowed})"
    );
    assert_eq!(
        slowed + recorded,
        300,
        "the rest were answered 'not applied'"
    );
    assert!(slowed > 200, "{slowed} slowed down");
}

// ---------------------------------------------------------------------------------------------------
// The command line: `tabletop host` and `tabletop join --text` as separate processes.

/// A running `tabletop` whose standard output is read line by line on a thread.
struct Running {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(args: &[&str], home: &std::path::Path) -> Running {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tabletop"))
            .args(args)
            .env("TABLETOP_HOME", home)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            stdin: child.stdin.take(),
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Reads lines until one satisfies `wanted`; that line.
    fn until(&mut self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        let until = Instant::now() + PATIENCE;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if wanted(&line) {
                        return line;
                    }
                }
                Err(e) => panic!(
                    "no line {what} ({e}); output so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Types a line on the process's standard input.
    fn type_line(&mut self, line: &str) {
        use std::io::Write;
        let stdin = self.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{line}").expect("typed");
        stdin.flush().expect("flushed");
    }

    /// Waits for the process to exit (killing it after `PATIENCE`); whether it succeeded, and the rest of
    /// its output.
    fn finish(mut self) -> (bool, String) {
        let until = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            if Instant::now() >= until {
                let _ = self.child.kill();
                panic!("still running; output so far:\n{}", self.seen.join("\n"));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(line);
        }
        (status.success(), self.seen.join("\n"))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `at_csirt` and its code from the host's printed list.
fn printed_code(host: &mut Running, seat: &str) -> String {
    let line = host.until("with the seat's code", |l| {
        l.split_whitespace().next() == Some(seat)
    });
    line.split_whitespace().nth(1).expect("a code").to_owned()
}

#[test]
fn host_and_join_run_an_exercise_from_the_command_line() {
    let home = temp_dir("net", "cli");
    let mut host = Running::start(
        &[
            "host",
            "tutorial",
            "--listen",
            "127.0.0.1:0",
            "--speed",
            "20",
        ],
        &home,
    );
    let listening = host.until("saying where it listens", |l| {
        l.starts_with("listening on ws://")
    });
    let addr = listening
        .trim_start_matches("listening on ws://")
        .to_owned();
    let code = printed_code(&mut host, "at_csirt");

    let wrong = Running::start(&["join", &addr, "--code", "0000-0000", "--text"], &home);
    let (ok, output) = wrong.finish();
    assert!(!ok, "a wrong code fails");
    assert!(output.contains("this join code is not valid"), "{output}");

    let mut join = Running::start(&["join", &addr, "--code", &code, "--text"], &home);
    join.until("joined", |l| l == "joined as CERT.at (at_csirt)");
    join.until("with the first inject", |l| {
        l.contains("inbox [TLP:AMBER] from Wasserverband Marchauen")
    });
    // The seat's decision, typed in the terminal. Whether it still arrives before its deadline depends
    // on the machine's load, so either answer is accepted, but an answer must come, and a taken decision
    // must show in the host's log.
    join.until("with the seat's decision", |l| {
        l.contains("decision dec_share")
    });
    join.type_line("decide dec_share opt_share_now Slovakia must know");
    let answer = join.until("with the answer", |l| {
        l.starts_with("#1 done") || l.starts_with("#1 refused")
    });
    join.until("at the end", |l| l.ends_with("the exercise has ended"));
    let (ok, output) = join.finish();
    assert!(ok, "the seat followed to the end: {output}");
    // SK-CERT's own messages (one of the two reaches it on every path) never reach CERT.at's terminal.
    assert!(
        !output.contains("Danubia tunnel cut") && !output.contains("Ransom note on our SCADA"),
        "another seat's inbox leaked: {output}"
    );

    host.until("seeing the seat join", |l| {
        l.contains("[net] at_csirt joined from")
    });
    eprintln!("the typed decision: {answer}");
    if answer.starts_with("#1 done") {
        host.until("logging the decision", |l| {
            l.ends_with("[net] at_csirt: decide dec_share → opt_share_now")
        });
    }
    let (ok, output) = host.finish();
    assert!(ok, "{output}");
    assert!(
        output.contains("turned away: this join code is not valid"),
        "{output}"
    );

    // The codes are kept beside the journal, for this user only, and a restarted host reuses them.
    let folder = std::fs::read_dir(home.join("exercises"))
        .expect("exercises folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .next()
        .expect("an exercise folder");
    let codes_file = folder.join("join-codes.txt");
    let codes = std::fs::read_to_string(&codes_file).expect("join-codes.txt");
    assert!(codes.starts_with("# TLP:RED"), "{codes}");
    assert!(
        codes.contains(&format!("at_csirt {code} CERT.at")),
        "{codes}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&codes_file)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "nobody else may read the codes: {mode:o}");
    }
    let journal = Journal::load(&folder.join("journal.jsonl")).expect("the journal");
    assert!(
        tabletop::journal::replay(&journal)
            .expect("replays")
            .is_ok()
    );

    let codes_arg = codes_file.to_string_lossy().into_owned();
    let mut again = Running::start(
        &[
            "host",
            "tutorial",
            "--listen",
            "127.0.0.1:0",
            "--speed",
            "100000",
            "--codes",
            &codes_arg,
        ],
        &home,
    );
    assert_eq!(
        printed_code(&mut again, "at_csirt"),
        code,
        "the same code again"
    );
    let (ok, output) = again.finish();
    assert!(ok, "{output}");
}

#[test]
fn a_waiting_host_holds_the_clock_until_the_seats_are_in_or_enter_is_pressed() {
    let home = temp_dir("net", "wait");
    let mut host = Running::start(
        &[
            "host",
            "tutorial",
            "--listen",
            "127.0.0.1:0",
            "--speed",
            "1000",
            "--wait",
        ],
        &home,
    );
    let listening = host.until("saying where it listens", |l| {
        l.starts_with("listening on ws://")
    });
    let addr = listening
        .trim_start_matches("listening on ws://")
        .to_owned();
    let code = printed_code(&mut host, "enisa");
    host.until("waiting for all five", |l| {
        l.starts_with("waiting for 5 seat(s)")
    });
    let mut join = Running::start(&["join", &addr, "--code", &code, "--text"], &home);
    join.until("joined", |l| l == "joined as ENISA (enisa)");
    host.until("waiting for four", |l| {
        l.starts_with("waiting for 4 seat(s)")
    });
    // Nothing has happened yet: at 1000 minutes a second the exercise would long be over.
    assert!(
        !host
            .seen
            .iter()
            .any(|l| l.contains("incident ransom_water detected")),
        "the clock moved: {:#?}",
        host.seen
    );
    host.type_line("");
    host.until("starting the clock", |l| {
        l.ends_with("[net] the clock starts")
    });
    host.until("with the first incident", |l| {
        l.contains("incident ransom_water detected")
    });
    let (ok, output) = host.finish();
    assert!(ok, "{output}");
    let (ok, output) = join.finish();
    assert!(ok, "ENISA followed to the end: {output}");
}

#[test]
fn a_codes_file_with_a_shared_or_guessable_code_is_refused() {
    let scenario = inline_scenario(&capitals_scenario());
    let dir = temp_dir("net", "codes-file");
    let good = JoinCode::generate().expect("a code").to_string();
    let zeros = "0000-0000-0000-0000-0000-0000-00";
    for (name, text, expected) in [
        (
            "shared",
            format!("de_gov {good}\nfr_gov {good}\n"),
            "`fr_gov` has the same code as `de_gov`",
        ),
        (
            "zeros",
            format!("de_gov {zeros}\n"),
            "the code for `de_gov` could be guessed",
        ),
        (
            "twice",
            format!(
                "de_gov {good}\nde_gov {}\n",
                JoinCode::generate().expect("a code")
            ),
            "`de_gov` has a second code",
        ),
    ] {
        let path = dir.join(format!("{name}.txt"));
        std::fs::write(&path, text).expect("write");
        let error = tabletop::net::codes_file::read_codes(&path, &scenario)
            .expect_err("refused")
            .to_string();
        assert!(error.contains(expected), "{name}: {error}");
    }
    let path = dir.join("fine.txt");
    std::fs::write(&path, format!("de_gov {good}\n")).expect("write");
    let codes = tabletop::net::codes_file::read_codes(&path, &scenario).expect("a good file");
    assert_eq!(codes.len(), 27);
}

#[test]
fn a_seat_flooded_with_shares_keeps_a_view_its_client_can_take() {
    let scenario = inline_scenario(&capitals_scenario());
    let mut session = Session::unrecorded(scenario.clone(), 1);
    // What one seat may share is bounded...
    let too_long = session.submit(Command::Share {
        from: "fr_gov".into(),
        to: vec!["it_gov".into()],
        tlp: tabletop::domain::Tlp::Green,
        subject: "too long".into(),
        body: "x".repeat(tabletop::sim::seat::MAX_BODY_CHARS + 1),
        forward: None,
    });
    assert!(
        too_long
            .as_ref()
            .is_err_and(|e| e.reason().contains("at most 16000 characters")),
        "{too_long:?}"
    );
    // ...but many seats sharing for long can still fill an inbox past what a client accepts whole.
    for i in 0..1100 {
        session
            .submit(Command::Share {
                from: "fr_gov".into(),
                to: vec!["it_gov".into()],
                tlp: tabletop::domain::Tlp::Green,
                subject: format!("report {i}"),
                body: format!(
                    "{i}:{}",
                    "y".repeat(tabletop::sim::seat::MAX_BODY_CHARS - 8)
                ),
                forward: None,
            })
            .expect("shared");
    }
    let whole = serde_json::to_string(&session.seat_view("it_gov").expect("a seat"))
        .expect("json")
        .len();
    assert!(
        whole > tabletop::net::protocol::MAX_VIEW_BYTES,
        "{whole} bytes"
    );
    let codes = codes_for(&seat_ids(&scenario));
    let mut host = Host::bind("127.0.0.1:0", codes.clone()).expect("bind");
    let client =
        Client::connect(&host.local_addr().to_string(), &code_of(&codes, "it_gov")).expect("join");
    pump_until(
        &mut host,
        &mut session,
        "the flooded seat's view",
        |_, _| connected(&client),
    );
    let view = client.latest_view().expect("a view");
    let shared = view
        .inbox
        .iter()
        .filter(|i| i.kind == ItemKind::Shared)
        .count();
    assert_eq!(shared, 1100, "every message is listed");
    // The inbox is newest first.
    let newest = view
        .inbox
        .iter()
        .find(|i| i.kind == ItemKind::Shared)
        .expect("shared");
    assert!(
        newest.body.starts_with("1099:"),
        "the newest keeps its text"
    );
    let oldest = view
        .inbox
        .iter()
        .rfind(|i| i.kind == ItemKind::Shared)
        .expect("shared");
    assert!(
        oldest.body.contains("text not carried"),
        "the oldest travel without their text"
    );
    let sent = serde_json::to_string(&view).expect("json").len();
    assert!(
        sent <= tabletop::net::host::MAX_SENT_VIEW_BYTES,
        "{sent} bytes"
    );
}

#[test]
fn a_headless_host_resumes_with_its_participants_codes() {
    let home = temp_dir("net", "resume-host");
    let mut host = Running::start(
        &[
            "host",
            "tutorial",
            "--listen",
            "127.0.0.1:0",
            "--speed",
            "30",
        ],
        &home,
    );
    let code = printed_code(&mut host, "at_csirt");
    // Some minutes pass, then the host machine dies.
    host.until("the clock running", |l| l.starts_with("T+00:1"));
    drop(host);
    let journal = std::fs::read_dir(home.join("exercises"))
        .expect("exercises folder")
        .filter_map(Result::ok)
        .map(|e| e.path().join("journal.jsonl"))
        .next()
        .expect("an exercise");
    let journal_arg = journal.to_string_lossy().into_owned();
    let mut again = Running::start(
        &[
            "resume",
            &journal_arg,
            "--host",
            "127.0.0.1:0",
            "--speed",
            "100000",
        ],
        &home,
    );
    let first = again.until("the resumed moment", |l| {
        l.contains("simulated minute(s) per second, from")
    });
    assert!(
        !first.ends_with("from T+00:00"),
        "resumed where it stood: {first}"
    );
    assert_eq!(
        printed_code(&mut again, "at_csirt"),
        code,
        "the participant's code still works"
    );
    let (ok, output) = again.finish();
    assert!(ok, "{output}");
    assert!(output.contains("The exercise has ended"), "{output}");
    let recorded = Journal::load(&journal).expect("the journal");
    assert!(
        tabletop::journal::replay(&recorded)
            .expect("replays")
            .is_ok()
    );
}

/// Participants who join, share, stall (stop reading) and leave at random while the clock runs fast: every
/// acknowledged action is in the journal exactly once, the journal replays, and the host is never stuck.
/// Bounded: 12 participants, 8 seconds, loopback only.
#[test]
fn a_busy_room_loses_and_duplicates_nothing() {
    use rand::{RngExt, SeedableRng};
    let text = capitals_scenario();
    let scenario = inline_scenario(&text);
    let dir = temp_dir("net", "busy-room");
    let journal_path = dir.join("journal.jsonl");
    let start = Start {
        scenario: scenario.clone(),
        text,
        seed: 9,
        scenario_path: None,
        players: BTreeMap::new(),
    };
    let mut session =
        Session::start(start, &Recording::File(journal_path.clone())).expect("journal");
    let seats = seat_ids(&scenario);
    let codes = codes_for(&seats);
    let limits = HostLimits {
        stall_limit: Duration::from_secs(2),
        ..HostLimits::for_seats(seats.len())
    };
    let mut host = Host::bind_with("127.0.0.1:0", codes.clone(), limits).expect("bind");
    let addr = host.local_addr();
    let run_for = Duration::from_secs(8);
    let participants: Vec<JoinHandle<Vec<String>>> = seats
        .iter()
        .take(12)
        .enumerate()
        .map(|(n, seat)| {
            let (seat, code) = (seat.clone(), code_of(&codes, seat));
            std::thread::spawn(move || {
                let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(n as u64);
                let mut acknowledged = Vec::new();
                let until = Instant::now() + run_for;
                let mut round = 0;
                while Instant::now() < until {
                    round += 1;
                    if rng.random_range(0..4) == 0 {
                        // A laptop that stops reading: joins raw, says hello, then goes quiet.
                        let mut ws = raw(addr);
                        let _ = ws.send(Message::text(format!(
                            r#"{{"type":"hello","code":"{code}"}}"#
                        )));
                        std::thread::sleep(Duration::from_millis(rng.random_range(100..600)));
                        continue;
                    }
                    let Ok(mut client) = Client::connect(&addr.to_string(), &code) else {
                        continue;
                    };
                    if !client.wait_until(Duration::from_secs(5), connected) {
                        continue;
                    }
                    let mut outstanding = BTreeMap::new();
                    for i in 0..rng.random_range(1..6) {
                        let subject = format!("{seat} round {round} note {i}");
                        let id = client.send(SeatAction::Share {
                            to: vec!["de_gov".into()],
                            tlp: tabletop::domain::Tlp::Green,
                            subject: subject.clone(),
                            body: String::new(),
                            forward: None,
                        });
                        outstanding.insert(id, subject);
                    }
                    let wait = Instant::now() + Duration::from_secs(5);
                    let mut answered = 0;
                    while answered < outstanding.len() && Instant::now() < wait {
                        for result in client.results() {
                            answered += 1;
                            if result.outcome.is_ok()
                                && let Some(subject) = outstanding.get(&result.id)
                            {
                                acknowledged.push(subject.clone());
                            }
                        }
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    drop(client);
                }
                acknowledged
            })
        })
        .collect();
    let started = Instant::now();
    pump_until(&mut host, &mut session, "the busy room", |h, s| {
        // The clock runs fast meanwhile: a simulated minute per pump.
        if !s.ended() && s.now() < 200 {
            let _ = s.submit(Command::Advance(Advance::By(1)));
            h.views_changed();
        }
        participants.iter().all(JoinHandle::is_finished)
    });
    let acknowledged: Vec<String> = participants
        .into_iter()
        .flat_map(|h| h.join().expect("participant thread"))
        .collect();
    assert!(
        acknowledged.len() > 20,
        "only {} acknowledged in {:?}",
        acknowledged.len(),
        started.elapsed()
    );
    drop(host);
    let journal = Journal::load(&journal_path).expect("the journal reads");
    let mut recorded: BTreeMap<String, usize> = BTreeMap::new();
    for entry in &journal.entries {
        if let Command::Share { subject, .. } = &entry.command
            && entry.refused.is_none()
        {
            *recorded.entry(subject.clone()).or_default() += 1;
        }
    }
    for subject in &acknowledged {
        assert_eq!(
            recorded.get(subject),
            Some(&1),
            "{subject}: acknowledged once, recorded once"
        );
    }
    assert!(
        tabletop::journal::replay(&journal).expect("checks").is_ok(),
        "the journal replays"
    );
}
