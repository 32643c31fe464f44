//! Entry points for the fuzzers (`fuzz/`) and their regression tests: each reads untrusted bytes the way
//! the program does and goes as deep as that input can reach. None may panic, hang or grow without bound,
//! whatever the bytes; the fuzz targets call these, and `tests/it/fuzz_regressions.rs` replays every input
//! a fuzzer ever found under `tests/fuzz/<target>/`.

use std::sync::{Arc, OnceLock};

use crate::journal::{self, Journal};
use crate::net::ClientMessage;
use crate::scenario::{self, Origin, Scenario};
use crate::session::Session;

/// Journals longer than this are only read, not replayed: a replay costs time per command, and the point
/// of the target is the reader and the engine's handling of odd commands, not the clock.
const MAX_REPLAYED_COMMANDS: usize = 200;

/// A scenario file: checked as `tabletop check` does, and played a little when it checks.
pub fn scenario(data: &[u8]) {
    let checked = scenario::check_bytes(data, &Origin::default());
    if let Some(s) = checked.scenario {
        let mut session = Session::unrecorded(Arc::new(s), 1);
        for _ in 0..20 {
            if session.ended() {
                break;
            }
            let _ = session.submit(crate::sim::Command::Advance(crate::sim::Advance::NextEvent));
        }
    }
}

/// The tutorial, checked once: the exercise fuzzed actions are played against.
fn tutorial() -> Option<Arc<Scenario>> {
    static TUTORIAL: OnceLock<Option<Arc<Scenario>>> = OnceLock::new();
    TUTORIAL
        .get_or_init(|| {
            let text = scenario::bundled::get("tutorial")?.text;
            scenario::check_str(text, &Origin::default())
                .scenario
                .map(Arc::new)
        })
        .clone()
}

/// A frame from a participant's client: decoded as the host does, and an action applied as a seat's.
pub fn protocol(data: &[u8]) {
    let Ok(message) = serde_json::from_slice::<ClientMessage>(data) else {
        return;
    };
    if let (ClientMessage::Act { action, .. }, Some(tutorial)) = (message, tutorial()) {
        let mut session = Session::unrecorded(tutorial, 1);
        let _ = session.submit(crate::sim::Command::Advance(crate::sim::Advance::To(30)));
        for seat in ["at_csirt", "at_spoc", "not_a_seat"] {
            let _ = session.submit_seat_action(seat, action.clone());
            let _ = session.seat_view(seat);
        }
    }
}

/// A journal file: read as `replay` and `resume` do (with crash recovery), and replayed when short.
pub fn journal(data: &[u8]) {
    let read = Journal::read(data);
    if let Ok(journal) = &read
        && journal.entries.len() <= MAX_REPLAYED_COMMANDS
    {
        let _ = journal.check_scenario();
        let _ = journal::replay(journal);
    }
}

/// An MSEL spreadsheet: imported as `tabletop msel import` does, and the skeleton it writes checked.
pub fn msel(data: &[u8]) {
    let imported = crate::msel::import(data, "fuzz.csv");
    if let Some(skeleton) = imported.skeleton {
        let _ = scenario::check_str(&skeleton.ron, &Origin::default());
    }
}
