//! The authority a host serves: the one engine of the exercise, reached only through `Authority`, and
//! `HeadlessSession`, an engine plus its durable journal for a host without the console.

use crate::doctrine::Refusal;
use crate::journal::{Entry, JournalWriter};
use crate::sim::seat::{SeatAction, SeatView};
use crate::sim::view::View;
use crate::sim::{Command, Engine, Event};

/// What the network host needs from whoever owns the exercise (the console, or a `HeadlessSession`).
///
/// The owner stays the single authority: the host calls these only from `Host::pump`, on the owner's
/// thread, and names the seat itself from the connection's join code.
pub trait Authority {
    /// Whether `seat` is a seat of this exercise (a participant could play it).
    fn is_seat(&self, seat: &str) -> bool;
    /// Everything `seat` may see now; `None` when it is not a seat.
    fn seat_view(&mut self, seat: &str) -> Option<SeatView>;
    /// Applies `action` as `seat` (journaled like any command); the refusal's sentence when refused.
    fn apply_seat_action(&mut self, seat: &str, action: SeatAction) -> Result<(), String>;
}

/// Bare engines serve too (no journal): for tests and throw-away runs.
impl Authority for Engine {
    fn is_seat(&self, seat: &str) -> bool {
        self.scenario().is_seat(seat)
    }

    fn seat_view(&mut self, seat: &str) -> Option<SeatView> {
        Engine::seat_view(self, seat)
    }

    fn apply_seat_action(&mut self, seat: &str, action: SeatAction) -> Result<(), String> {
        self.apply(&action.into_command(seat))
            .map(|_| ())
            .map_err(|r| r.reason)
    }
}

/// An exercise without the console: the engine and, when recording, its journal. Every command goes to
/// the journal (synced) before anyone is shown its effects, exactly as the console records.
pub struct HeadlessSession {
    engine: Engine,
    writer: Option<JournalWriter>,
    /// Why recording stopped, once a journal write failed.
    journal_error: Option<String>,
}

impl HeadlessSession {
    #[must_use]
    pub fn new(engine: Engine, writer: Option<JournalWriter>) -> HeadlessSession {
        HeadlessSession {
            engine,
            writer,
            journal_error: None,
        }
    }

    /// Applies a command and journals it with its events (or its refusal).
    pub fn apply(&mut self, command: Command) -> Result<Vec<Event>, Refusal> {
        let at = self.engine.now();
        let outcome = self.engine.apply(&command);
        let (events, refused) = match &outcome {
            Ok(events) => (events.clone(), None),
            Err(refusal) => (Vec::new(), Some(refusal.clone())),
        };
        if let Some(writer) = &mut self.writer {
            let entry = Entry {
                at,
                command,
                events,
                refused,
            };
            // Like the console: the exercise goes on, but everyone is told it is no longer recorded.
            if let Err(e) = writer.append(&entry) {
                self.journal_error = Some(format!(
                    "journal not written ({e}): the exercise is no longer recorded"
                ));
                self.writer = None;
            }
        }
        outcome
    }

    /// Read-only access; changes go through `apply` so that they are journaled.
    #[must_use]
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The facilitator's snapshot of the exercise.
    pub fn view(&mut self) -> View {
        self.engine.view()
    }

    #[must_use]
    pub fn journal_path(&self) -> Option<&std::path::Path> {
        self.writer.as_ref().map(JournalWriter::path)
    }

    /// Set once a journal write failed (recording has then stopped).
    #[must_use]
    pub fn journal_error(&self) -> Option<&str> {
        self.journal_error.as_deref()
    }
}

impl Authority for HeadlessSession {
    fn is_seat(&self, seat: &str) -> bool {
        self.engine.scenario().is_seat(seat)
    }

    fn seat_view(&mut self, seat: &str) -> Option<SeatView> {
        self.engine.seat_view(seat)
    }

    fn apply_seat_action(&mut self, seat: &str, action: SeatAction) -> Result<(), String> {
        self.apply(action.into_command(seat))
            .map(|_| ())
            .map_err(|r| r.reason)
    }
}
