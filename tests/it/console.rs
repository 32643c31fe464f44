//! The facilitator console driven through `egui_kittest`, without a GPU: the whole path from the start
//! screen to a running exercise, clicking what a facilitator clicks and reading what they would read.

use crate::support::temp_dir;
use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tabletop::sim::{Event, EventKind, Rating};
use tabletop::ui::{NoPicker, TabletopApp};

/// The real app at projector size, its journals kept in `exercises` (never the user's data folder).
fn app(exercises: &Path) -> Harness<'static, TabletopApp> {
    let exercises = exercises.to_path_buf();
    Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .with_step_dt(0.25)
        .build_eframe(move |cc| {
            TabletopApp::new(cc, Box::new(NoPicker)).with_exercises_dir(exercises.clone())
        })
}

/// Start screen -> pick a bundled scenario by its title -> setup with seed 7 -> console.
fn start_exercise(h: &mut Harness<'static, TabletopApp>, title: &str) {
    h.run();
    // The list entry comes first; the selected scenario's heading repeats the title.
    h.query_all_by_label(title).next().expect("listed").click();
    h.run();
    h.get_by_label("Set up this exercise ➡").click();
    h.run();
    let seed = h.get_by_label("Seed");
    seed.focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Seed").type_text("7");
    h.run();
    h.get_by_label("Start exercise").click();
    h.run();
    assert!(h.state_mut().console_mut().is_some(), "the console opened");
}

/// Types a time into "Jump to" and presses Go, as the facilitator would.
fn jump_to(h: &mut Harness<'static, TabletopApp>, at: &str) {
    h.get_by_label("Jump to").focus();
    h.run();
    h.get_by_label("Jump to").type_text(at);
    h.run();
    h.get_by_label("Go").click();
    h.run();
}

fn now(h: &mut Harness<'static, TabletopApp>) -> u32 {
    h.state_mut().console_mut().expect("console").engine().now()
}

fn events(h: &mut Harness<'static, TabletopApp>) -> Vec<Event> {
    h.state_mut()
        .console_mut()
        .expect("console")
        .engine()
        .events()
        .to_vec()
}

#[test]
fn the_start_screen_lists_the_bundled_scenarios_with_their_briefing() {
    let dir = temp_dir("console", "start");
    let mut h = app(&dir);
    h.run();
    for title in [
        "Tutorial: ransomware at a water utility on the March river",
        "COLDHARBOR: a ransomware wave through a shared hospital lab provider",
        "Undertow: cable sabotage, grid intrusions and disinformation in the Baltic",
    ] {
        assert!(
            h.query_all_by_label_contains(title).next().is_some(),
            "`{title}` is listed"
        );
    }
    h.query_all_by_label(
        "Undertow: cable sabotage, grid intrusions and disinformation in the Baltic",
    )
    .next()
    .expect("listed")
    .click();
    h.run();
    // The selected scenario's facts, briefing and seats are shown before anyone commits to it.
    assert!(h.query_all_by_label_contains("injects · ").next().is_some());
    assert!(h.query_all_by_label_contains("Presidency").next().is_some());
    assert!(h.query_by_label("Set up this exercise ➡").is_some());
}

#[test]
fn a_facilitator_starts_the_tutorial_and_sees_the_first_inject_delivered() {
    let dir = temp_dir("console", "inject");
    let mut h = app(&dir);
    start_exercise(
        &mut h,
        "Tutorial: ransomware at a water utility on the March river",
    );
    assert_eq!(now(&mut h), 0);
    // The seed typed in setup is the exercise's seed, and a journal is being written for it.
    let journal = h
        .state_mut()
        .console_mut()
        .unwrap()
        .journal_path()
        .map(Path::to_path_buf)
        .expect("the console records a journal");
    assert!(
        journal.starts_with(&dir),
        "{} is under the test's folder",
        journal.display()
    );
    assert!(journal.to_string_lossy().contains("seed7") || journal.to_string_lossy().contains('7'));

    // "Next event" until the utility's phone call arrives (first inject, T+00:10).
    for _ in 0..5 {
        if events(&mut h)
            .iter()
            .any(|e| matches!(&e.kind, EventKind::InjectDelivered { inject, .. } if inject == "inj_utility_call"))
        {
            break;
        }
        h.get_by_label("Next event (N)").click();
        h.run();
    }
    assert_eq!(now(&mut h), 10, "the clock stopped at the inject's time");
    // The log shows it, and the MSEL marks it delivered.
    assert!(
        h.query_all_by_label_contains("Our control room screens are locked by ransomware")
            .next()
            .is_some(),
        "the inject's subject is on screen"
    );
    assert!(h.query_all_by_label_contains("delivered").next().is_some());
}

#[test]
fn firing_a_pending_inject_delivers_it_now() {
    let dir = temp_dir("console", "fire");
    let mut h = app(&dir);
    start_exercise(
        &mut h,
        "Tutorial: ransomware at a water utility on the March river",
    );
    // The first "Fire now" belongs to the first pending inject in MSEL order.
    let fire = h
        .query_all_by_label("Fire now")
        .next()
        .expect("a pending inject offers Fire now");
    fire.click();
    h.run();
    let delivered: Vec<String> = events(&mut h)
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::InjectDelivered { inject, .. } => Some(inject.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        delivered.len(),
        1,
        "exactly one inject fired: {delivered:?}"
    );
    assert_eq!(now(&mut h), 0, "firing does not move the clock");
}

#[test]
fn the_facilitator_decides_for_an_empty_seat_and_the_board_shows_the_mechanism() {
    let dir = temp_dir("console", "decide");
    let mut h = app(&dir);
    start_exercise(
        &mut h,
        "Tutorial: ransomware at a water utility on the March river",
    );
    // Jump to the CSIRT's sharing decision (pending at T+00:40).
    jump_to(&mut h, "T+00:45");
    assert_eq!(now(&mut h), 45);
    assert!(h.query_by_label_contains("Decisions pending (1)").is_some());
    // The scenario requires a rationale: without one the options cannot be chosen.
    h.query_all_by_label_contains("Decide: ")
        .next()
        .expect("an option button")
        .click();
    h.run();
    assert!(h.query_by_label_contains("Decisions pending (1)").is_some());
    h.get_by_label("Rationale (required)").focus();
    h.run();
    h.get_by_label("Rationale (required)")
        .type_text("SK shares the vendor; warn them now");
    h.run();
    let decide = h
        .query_all_by_label_contains("Decide: ")
        .next()
        .expect("an option button for the pending decision");
    decide.click();
    h.run();
    let evs = events(&mut h);
    assert!(
        evs.iter()
            .any(|e| matches!(&e.kind, EventKind::DecisionTaken { decision, rationale, by_facilitator: true, .. }
                if decision == "dec_share" && rationale == "SK shares the vendor; warn them now")),
        "the decision was taken for the seat, with the rationale"
    );
    assert!(h.query_by_label_contains("Decisions pending (0)").is_some());
    // The decision's effect opened a CSIRTs Network case: the board shows since when and by whom.
    assert!(
        h.query_all_by_label_contains("since T+00:45 by")
            .next()
            .is_some(),
        "the board shows the change"
    );
}

#[test]
fn a_mechanism_changing_mode_shows_on_the_board_with_who_changed_it() {
    let dir = temp_dir("console", "board");
    let mut h = app(&dir);
    start_exercise(
        &mut h,
        "Undertow: cable sabotage, grid intrusions and disinformation in the Baltic",
    );
    assert!(h.query_by_label("Mechanisms").is_some());
    // Jump far ahead: decisions default on their deadlines and the rules move the mechanisms.
    jump_to(&mut h, "T+30:00");
    let changes: Vec<Event> = events(&mut h)
        .into_iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::MechanismChanged { .. } | EventKind::IpcrModeChanged { .. }
            )
        })
        .collect();
    assert!(
        !changes.is_empty(),
        "some mechanism changed mode by T+30:00"
    );
    // The board names the level and the change's author.
    assert!(h.query_by_label("Technical level").is_some());
    assert!(h.query_by_label("Political level").is_some());
    assert!(h.query_all_by_label_contains("since T+").next().is_some());
}

#[test]
fn an_observation_is_recorded_with_its_rating() {
    let dir = temp_dir("console", "observe");
    let mut h = app(&dir);
    start_exercise(
        &mut h,
        "Tutorial: ransomware at a water utility on the March river",
    );
    h.get_by_label("Note").focus();
    h.run();
    h.get_by_label("Note")
        .type_text("AT CSIRT called SK within minutes");
    h.run();
    h.get_by_label("Rating").click();
    h.run();
    h.get_by_label("S — some challenges").click();
    h.run();
    h.get_by_label("Add observation").click();
    h.run();
    assert!(
        events(&mut h).iter().any(|e| matches!(&e.kind, EventKind::ObservationRecorded { text, rating: Some(Rating::S), .. } if text == "AT CSIRT called SK within minutes")),
        "the note is in the event stream"
    );
    assert!(
        h.query_all_by_label_contains("AT CSIRT called SK within minutes")
            .next()
            .is_some(),
        "and on screen"
    );
}

#[test]
fn pause_and_resume_leave_the_clock_where_it_was() {
    let dir = temp_dir("console", "pause");
    let mut h = app(&dir);
    start_exercise(
        &mut h,
        "Tutorial: ransomware at a water utility on the March river",
    );
    h.get_by_label("▶ Play (space)").click();
    // The clock runs: a few frames at 60x move it by whole minutes.
    h.run_steps(12);
    let running = now(&mut h);
    assert!(running > 0, "the clock ran while playing");
    h.get_by_label("⏸ Pause (space)").click();
    h.run_steps(2);
    let paused = now(&mut h);
    // Real time passes while paused: nothing moves.
    h.run_steps(20);
    assert_eq!(now(&mut h), paused, "a paused clock stays put");
    // Space resumes; the clock goes on from where it stopped, not from where it would have been.
    h.key_press(egui::Key::Space);
    h.run_steps(1);
    let resumed = now(&mut h);
    assert!(
        resumed <= paused + 1,
        "resuming does not leap: {paused} -> {resumed}"
    );
    assert!(h.state_mut().console_mut().unwrap().playing());
    // The pause and the resume are on the record.
    let evs = events(&mut h);
    assert!(evs.iter().any(|e| matches!(e.kind, EventKind::Paused)));
    assert!(evs.iter().any(|e| matches!(e.kind, EventKind::Resumed)));
}

/// Greek, Bulgarian Cyrillic and the Latin letters of the EU's other languages, as scenario text may
/// hold them (capitals, accents, final sigma, Maltese and Romanian letters), and symbols the console and
/// planners use.
const EU_SCRIPTS: [&str; 5] = [
    "Εθνική Αρχή Κυβερνοασφάλειας — Αθήνα; ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ αβγδεζηθικλμνξοπρσςτυφχψω ΆΈΉΊΌΎΏ άέήίόύώϊϋΐΰ",
    "Национален екип за реагиране — София; АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯ абвгдежзийклмнопрстуфхцчшщъьюя",
    "Łódź, Győr, Plzeň, Šiauliai, Tartu, Cluj-Napoca, Ħal Għaxaq, Żebbuġ, Brașov, Timișoara, Ærø, Straße",
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿāăąćčďđēėęěģīįķĺļľłńņňőœŕřśşšţťūůűųźżž",
    "▶ ⏸ ⚠ ★ ✉ ➡ ⬅ 🗙 ⚫ ☀ 🌙 → ← ● ✕ ≥ ≤ € § ½ ™ ⚡ ° ± − … – “ ” „ « »",
];

/// Where the console's own words and symbols come from: its panels, and the engine's and rules' texts
/// that its log, board and diagnostics show.
const DRAWN_SOURCES: [&str; 5] = [
    "src/ui",
    "src/sim",
    "src/doctrine",
    "src/domain.rs",
    "src/scenario",
];

/// The non-ASCII characters on the code lines (not comment lines) of the Rust files under `path`.
fn non_ascii_in_code(path: &Path, out: &mut std::collections::BTreeSet<char>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("readable") {
            non_ascii_in_code(&entry.expect("an entry").path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        let text = std::fs::read_to_string(path).expect("UTF-8 source");
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            out.extend(line.chars().filter(|c| !c.is_ascii()));
        }
    }
}

#[test]
fn scenario_text_in_greek_and_cyrillic_draws_without_missing_glyphs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut chars: std::collections::BTreeSet<char> = EU_SCRIPTS.concat().chars().collect();
    for source in DRAWN_SOURCES {
        non_ascii_in_code(&root.join(source), &mut chars);
    }
    for b in tabletop::scenario::bundled::all() {
        chars.extend(b.text.chars().filter(|c| !c.is_ascii()));
    }
    chars.retain(|c| !c.is_whitespace() && !c.is_control());
    let all: String = chars.iter().collect();
    let missing = |ctx: &egui::Context, family: egui::FontFamily| -> String {
        let font = egui::FontId::new(16.0, family);
        ctx.fonts_mut(|f| all.chars().filter(|c| !f.has_glyph(&font, *c)).collect())
    };

    // The app's fonts have a glyph for every character, in both families the console uses. The harness
    // may draw tofu here: the check below names every missing character, where the harness's own panic
    // would name only the first one laid out, and only while its policy is to panic.
    let mut h = Harness::builder().allow_missing_glyphs().build_ui(|ui| {
        tabletop::ui::theme::install_fonts(ui.ctx());
        for text in EU_SCRIPTS {
            ui.label(text);
        }
    });
    h.run();
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let lacking = missing(&h.ctx, family.clone());
        assert!(
            lacking.is_empty(),
            "the console's fonts ({family:?}) have no glyph for {lacking:?}"
        );
    }

    // egui's own fonts lack some of them, so the check above depends on the fallback font: it is not
    // vacuous.
    let mut plain = Harness::builder().allow_missing_glyphs().build_ui(|_| {});
    plain.run();
    let without_fallback = missing(&plain.ctx, egui::FontFamily::Proportional);
    assert!(
        !without_fallback.is_empty(),
        "egui's default fonts already cover every character, so this test no longer shows that the fallback font is needed"
    );
    println!(
        "{} characters checked; egui's own fonts lack {without_fallback:?}",
        chars.len()
    );
}

#[test]
fn export_report_writes_the_after_action_report_next_to_the_journal() {
    let dir = temp_dir("console", "export");
    let mut h = app(&dir);
    start_exercise(
        &mut h,
        "Tutorial: ransomware at a water utility on the March river",
    );
    jump_to(&mut h, "T+02:00");
    h.get_by_label("Export report").click();
    h.run();
    let journal = h
        .state_mut()
        .console_mut()
        .unwrap()
        .journal_path()
        .map(Path::to_path_buf)
        .expect("recording");
    let folder = journal.parent().expect("the exercise's folder");
    let html = std::fs::read_to_string(folder.join("report.html")).expect("report.html written");
    assert!(html.contains("Tutorial: ransomware at a water utility on the March river"));
    let md = std::fs::read_to_string(folder.join("report.md")).expect("report.md written");
    assert!(md.starts_with("# After-action report: "));
    assert!(
        h.query_all_by_label_contains("Report written: ")
            .next()
            .is_some(),
        "the console says where"
    );
}

#[test]
fn the_facilitator_hands_the_screen_to_a_seat_and_takes_it_back() {
    let dir = temp_dir("console", "hotseat");
    let mut h = app(&dir);
    start_exercise(
        &mut h,
        "Tutorial: ransomware at a water utility on the March river",
    );
    jump_to(&mut h, "T+00:15");
    h.get_by_label("Participants").click();
    h.run();
    h.get_by_label("Hot seat: CERT.at").click();
    h.run();
    // The seat's screen: its inbox, no MSEL, no facilitator controls.
    assert!(h.query_by_label("Inbox (1 unread)").is_some());
    assert!(h.query_by_label("MSEL").is_none());
    assert!(h.query_by_label("Export report").is_none());
    h.get_by_label("Our control room screens are locked by ransomware")
        .click();
    h.run();
    assert!(h.query_by_label("Inbox (0 unread)").is_some());
    h.get_by_label("Back to the console").click();
    h.run();
    assert!(h.query_by_label("MSEL").is_some());
}

#[test]
fn a_seat_window_opens_beside_the_console_and_its_decision_is_journaled() {
    let dir = temp_dir("console", "window");
    let mut h = app(&dir);
    start_exercise(
        &mut h,
        "Tutorial: ransomware at a water utility on the March river",
    );
    jump_to(&mut h, "T+00:45");
    h.get_by_label("Participants").click();
    h.run();
    h.get_by_label("Open window: CERT.at").click();
    h.run();
    // Both at once: the console and the seat's window.
    assert!(h.query_by_label("MSEL").is_some());
    assert!(h.query_by_label("Decisions (1 pending)").is_some());
    h.get_by_label("Your rationale (required)").focus();
    h.run();
    h.get_by_label("Your rationale (required)")
        .type_text("Warn SK now");
    h.run();
    let option = h
        .state_mut()
        .console_mut()
        .unwrap()
        .engine()
        .scenario()
        .file
        .decisions
        .iter()
        .find(|d| d.id == "dec_share")
        .map(|d| d.options[0].label.clone())
        .expect("the tutorial's sharing decision");
    h.get_by_label(&option).click();
    h.run();
    let journal = h
        .state_mut()
        .console_mut()
        .unwrap()
        .journal_path()
        .map(Path::to_path_buf)
        .unwrap();
    let text = std::fs::read_to_string(journal).unwrap();
    assert_eq!(
        text.matches("\"seat\":\"at_csirt\"").count(),
        1,
        "the seat's decision is in the journal once"
    );
}

#[test]
fn a_participant_joined_over_the_lan_decides_through_the_console() {
    use std::time::{Duration, Instant};
    use tabletop::net::Client;
    use tabletop::sim::seat::SeatAction;

    let dir = temp_dir("console", "lan");
    let mut h = app(&dir);
    start_exercise(
        &mut h,
        "Tutorial: ransomware at a water utility on the March river",
    );
    jump_to(&mut h, "T+00:45");
    let ctx = h.ctx.clone();
    let codes = h
        .state_mut()
        .console_mut()
        .unwrap()
        .start_hosting("127.0.0.1:0", &ctx)
        .expect("hosting starts");
    let addr = h.state_mut().console_mut().unwrap().lan_address().unwrap();
    let code = &codes.iter().find(|(seat, _)| seat == "at_csirt").unwrap().1;
    let mut client = Client::connect(&addr.to_string(), code).expect("joins");
    // The console pumps the host each frame: step until the participant has its view.
    let deadline = Instant::now() + Duration::from_secs(20);
    while client.latest_view().is_none_or(|v| v.pending.is_empty()) {
        assert!(
            Instant::now() < deadline,
            "no view reached the participant: {:?} {} {:?}",
            client.status(),
            client.views_received(),
            client.latest_view().map(|v| v.now)
        );
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    let view = client.latest_view().unwrap();
    assert_eq!(view.seat.id, "at_csirt");
    let (option, _) = view.pending[0].options[0].clone();
    client.send(SeatAction::Decide {
        decision: "dec_share".into(),
        option,
        rationale: "warn SK".into(),
    });
    while !h
        .state_mut()
        .console_mut()
        .unwrap()
        .engine()
        .events()
        .iter()
        .any(|e| matches!(&e.kind, EventKind::DecisionTaken { by, by_facilitator: false, .. } if by == "at_csirt"))
    {
        assert!(Instant::now() < deadline, "the decision never arrived");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    // The console shows the connection.
    h.run_steps(2);
    assert!(
        h.query_all_by_label_contains("LAN: 1 connected")
            .next()
            .is_some()
    );
}

#[test]
fn every_clock_bar_control_is_on_screen_at_projector_width() {
    let dir = temp_dir("console", "clockbar");
    let mut h = app(&dir);
    start_exercise(
        &mut h,
        "COLDHARBOR: a ransomware wave through a shared hospital lab provider",
    );
    for control in [
        "▶ Play (space)",
        "Next event (N)",
        "Go",
        "Participants",
        "Host on the LAN",
        "Export report",
        "Leave exercise",
    ] {
        let rect = h.get_by_label(control).rect();
        assert!(
            rect.max.x <= 1440.0 && rect.min.x >= 0.0,
            "`{control}` is off screen at {rect:?}"
        );
    }
    // The MSEL's actions fit their column: "Skip" is reachable on a scheduled inject's row.
    let fire = h
        .query_all_by_label("Fire now")
        .next()
        .expect("a pending inject")
        .rect();
    let skip = h
        .query_all_by_label("Skip")
        .next()
        .expect("its Skip")
        .rect();
    assert!(
        skip.max.x < fire.min.x + 200.0,
        "Skip fits the actions column: {fire:?} {skip:?}"
    );
}

#[test]
fn a_resumed_exercise_hosts_with_the_codes_participants_already_hold() {
    let dir = temp_dir("console", "codes");
    let first = {
        let mut h = app(&dir);
        start_exercise(
            &mut h,
            "Tutorial: ransomware at a water utility on the March river",
        );
        jump_to(&mut h, "T+00:15");
        let ctx = h.ctx.clone();
        let codes = h
            .state_mut()
            .console_mut()
            .unwrap()
            .start_hosting("127.0.0.1:0", &ctx)
            .expect("hosting starts");
        let journal = h
            .state_mut()
            .console_mut()
            .unwrap()
            .journal_path()
            .map(Path::to_path_buf)
            .unwrap();
        let file = journal.parent().unwrap().join("join-codes.txt");
        let text = std::fs::read_to_string(&file).expect("the codes are kept with the exercise");
        assert!(text.starts_with("# TLP:RED"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only this user may read the codes");
        }
        codes
    };
    // The machine "dies"; the facilitator resumes from the start screen and hosts again.
    let mut h = app(&dir);
    h.run();
    h.query_all_by_label("Resume")
        .next()
        .expect("the exercise is listed as unfinished")
        .click();
    h.run();
    let ctx = h.ctx.clone();
    let again = h
        .state_mut()
        .console_mut()
        .expect("resumed")
        .start_hosting("127.0.0.1:0", &ctx)
        .expect("hosting starts");
    assert_eq!(again, first, "every seat keeps its code");
}
