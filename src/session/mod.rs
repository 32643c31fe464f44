//! One exercise in play, as every front end holds it: the engine, its durable journal and the cached seat
//! views. `Session::submit` is the only way anything changes an exercise, and it keeps the first promise,
//! *durable before visible*: a command's record is synced to disk before its events are returned, and
//! when the journal cannot be written the command is not applied and the caller is told.
//!
//! Starting, resuming (with the check that the scenario file has not changed) and rewinding live here
//! once, for the console, `tabletop run`, `tabletop host`, the policies and the tests alike.

pub mod policy;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::doctrine::Refusal;
use crate::journal::{self, Branch, Entry, Header, Journal, JournalError, JournalWriter};
use crate::scenario::Scenario;
use crate::scenario::time::Minutes;
use crate::sim::seat::{SeatAction, SeatView};
use crate::sim::{Command, Engine, Event, View};

/// Why a submitted command changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The rules or the exercise refused it; the refusal is on the record like any command.
    #[error("{0}")]
    Refused(Refusal),
    /// The journal could not be written, so the command was not applied: nothing may be shown or
    /// acknowledged that a crash could lose.
    #[error(
        "not recorded, so not applied: the journal {path} cannot be written ({source}); free disk space or fix the folder, then try again"
    )]
    Journal {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl SubmitError {
    /// The sentence for whoever gave the command (a participant, the facilitator).
    #[must_use]
    pub fn reason(&self) -> String {
        match self {
            SubmitError::Refused(r) => r.reason.clone(),
            SubmitError::Journal { .. } => self.to_string(),
        }
    }

    /// The rule's refusal, when it was one.
    #[must_use]
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            SubmitError::Refused(r) => Some(r),
            SubmitError::Journal { .. } => None,
        }
    }
}

/// Why an exercise could not be resumed.
#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The scenario changed since the exercise started; `--force` plays on with the journal's copy.
    #[error("{0}")]
    ScenarioChanged(String),
    #[error(
        "the journal does not replay (command {command} gives other events than recorded); it cannot be resumed"
    )]
    Diverged { command: usize },
    #[error("cannot reopen the journal for writing: {0}")]
    Reopen(std::io::Error),
}

/// Where a new exercise's journal goes.
#[derive(Debug, Clone)]
pub enum Recording {
    /// Not recorded (tests, benchmarks, throw-away runs).
    Off,
    /// This file, which must not exist yet.
    File(PathBuf),
    /// A fresh folder of its own under this directory (the exercises directory), named after the time,
    /// the scenario and the seed.
    NewFolderIn(PathBuf),
}

/// What a new exercise starts from.
#[derive(Debug, Clone)]
pub struct Start {
    pub scenario: Arc<Scenario>,
    /// The scenario's text, recorded verbatim so the journal replays with nothing beside it.
    pub text: String,
    pub seed: u64,
    /// The file the scenario was read from, so a resume can tell when it changed since.
    pub scenario_path: Option<PathBuf>,
    /// Who plays which seat (seat id → name).
    pub players: BTreeMap<String, String>,
}

/// One exercise in play.
pub struct Session {
    engine: Engine,
    header: Header,
    /// Every command applied so far, with its outcome, exactly as journaled.
    entries: Vec<Entry>,
    writer: Option<JournalWriter>,
    /// Moves with every applied command (and a rewind): views are recomputed only when it moved.
    revision: u64,
    /// Seat views by seat, with the revision they were computed at.
    seat_views: BTreeMap<String, (u64, SeatView)>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("engine", &self.engine)
            .field("commands", &self.entries.len())
            .field("journal", &self.journal_path())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A new exercise at T+00:00, recorded as asked. Fails only when the journal cannot be started.
    pub fn start(start: Start, recording: &Recording) -> std::io::Result<Session> {
        let (id, seed) = (start.scenario.file.id.clone(), start.seed);
        let mut session = Session::start_unrecorded(start);
        session.writer = match recording {
            Recording::Off => None,
            Recording::File(path) => Some(JournalWriter::create(path, &session.header)?),
            Recording::NewFolderIn(dir) => {
                let path = fresh_exercise_folder(dir, &id, seed)?.join("journal.jsonl");
                Some(JournalWriter::create(&path, &session.header)?)
            }
        };
        Ok(session)
    }

    /// A new exercise that is not recorded (a throw-away run, or when no journal could be started).
    #[must_use]
    pub fn start_unrecorded(start: Start) -> Session {
        let mut header = Journal::header(&start.text, &start.scenario, start.seed);
        header.players = start.players;
        header.scenario_path = start
            .scenario_path
            .as_deref()
            .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
            .map(|p| p.display().to_string());
        Session {
            engine: Engine::new(start.scenario, start.seed),
            header,
            entries: Vec::new(),
            writer: None,
            revision: 0,
            seat_views: BTreeMap::new(),
        }
    }

    /// An unrecorded exercise of a scenario whose text does not matter (tests, benchmarks, sweeps).
    #[must_use]
    pub fn unrecorded(scenario: Arc<Scenario>, seed: u64) -> Session {
        Session::start_unrecorded(Start {
            scenario,
            text: String::new(),
            seed,
            scenario_path: None,
            players: BTreeMap::new(),
        })
    }

    /// Reopens an exercise from its journal: the exact state by replay, then recording goes on in the same
    /// file. A torn last record (the program was killed while writing it) is dropped with a warning; a
    /// scenario file changed since the start is refused unless `force`, which plays on with the journal's
    /// own copy. Returns the session and the warnings to show.
    pub fn resume(path: &Path, force: bool) -> Result<(Session, Vec<String>), ResumeError> {
        let (journal, torn) = Journal::load_after_crash(path)?;
        let mut warnings: Vec<String> = torn.into_iter().collect();
        if let Err(problem) = journal.check_scenario() {
            if !force {
                return Err(ResumeError::ScenarioChanged(problem));
            }
            warnings.push(format!(
                "{problem}; going on with the scenario as recorded in the journal"
            ));
        }
        let engine = replayed(&journal)?;
        let writer = JournalWriter::reopen(path, &journal).map_err(ResumeError::Reopen)?;
        Ok((
            Session {
                engine,
                header: journal.header,
                entries: journal.entries,
                writer: Some(writer),
                revision: 0,
                seat_views: BTreeMap::new(),
            },
            warnings,
        ))
    }

    /// Applies one command: the engine plays it, its record is synced to the journal, and only then are
    /// its events returned. A refused command is recorded too (the refusal is part of what happened in
    /// the room). If the record cannot be written the engine is put back as it was before the command,
    /// by replaying the record, and nothing is returned but the error.
    pub fn submit(&mut self, command: Command) -> Result<Vec<Event>, SubmitError> {
        let at = self.engine.now();
        let outcome = self.engine.apply(&command);
        let entry = Entry {
            at,
            command,
            events: outcome.clone().unwrap_or_default(),
            refused: outcome.as_ref().err().cloned(),
        };
        if let Some(writer) = &mut self.writer
            && let Err(source) = writer.append(&entry)
        {
            let path = writer.path().to_path_buf();
            self.engine = self.replay_entries();
            return Err(SubmitError::Journal { path, source });
        }
        self.entries.push(entry);
        self.revision += 1;
        outcome.map_err(SubmitError::Refused)
    }

    /// Applies what a participant did, always as `seat` (named by whoever holds the connection or the
    /// window, never by the participant).
    pub fn submit_seat_action(
        &mut self,
        seat: &str,
        action: SeatAction,
    ) -> Result<Vec<Event>, SubmitError> {
        self.submit(action.into_command(seat))
    }

    /// Goes back to just after the first `keep` commands and continues from there on a new branch. The
    /// engine is rebuilt by replay (same scenario, seed and commands give the same exercise); when
    /// recording, the journal so far is archived beside the new one (`journal.branch-N.jsonl`, kept for
    /// the record) and the journal goes on with the kept commands only.
    pub fn rewind(&mut self, keep: usize) -> Result<(), RewindError> {
        if keep > self.entries.len() {
            return Err(RewindError::Beyond {
                keep,
                recorded: self.entries.len(),
            });
        }
        if let Some(writer) = &self.writer {
            let path = writer.path().to_path_buf();
            let folder = path.parent().unwrap_or(Path::new("."));
            let archived = (1..=u32::MAX)
                .map(|n| folder.join(format!("journal.branch-{n}.jsonl")))
                .find(|p| !p.exists())
                .unwrap_or_else(|| folder.join("journal.branch.jsonl"));
            let mut old = Vec::new();
            self.journal()
                .write(&mut old)
                .map_err(RewindError::Journal)?;
            journal::write_atomically(&archived, &old).map_err(RewindError::Journal)?;
            let mut header = self.header.clone();
            header.branched_from = Some(Branch {
                journal: archived
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                kept: keep,
            });
            let kept = Journal {
                header: header.clone(),
                entries: self.entries[..keep].to_vec(),
            };
            self.writer = Some(JournalWriter::reopen(&path, &kept).map_err(RewindError::Journal)?);
            self.header = header;
        }
        self.entries.truncate(keep);
        self.engine = self.replay_entries();
        self.revision += 1;
        Ok(())
    }

    /// The engine rebuilt from the scenario, the seed and the recorded commands.
    fn replay_entries(&self) -> Engine {
        let mut engine = Engine::new(self.engine.scenario().clone(), self.engine.seed());
        for entry in &self.entries {
            // The commands were applied once with these very outcomes; determinism gives them again.
            let _ = engine.apply(&entry.command);
        }
        engine
    }

    /// The engine, when the session is over (benchmarks measure it without the session's caches).
    #[must_use]
    pub fn into_engine(self) -> Engine {
        self.engine
    }

    /// Read-only access to the engine; changes go through `submit`.
    #[must_use]
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    #[must_use]
    pub fn scenario(&self) -> &Arc<Scenario> {
        self.engine.scenario()
    }

    #[must_use]
    pub fn now(&self) -> Minutes {
        self.engine.now()
    }

    #[must_use]
    pub fn ended(&self) -> bool {
        self.engine.ended()
    }

    #[must_use]
    pub fn events(&self) -> &[Event] {
        self.engine.events()
    }

    /// When anything next happens (an inject, a deadline, an incident roll), if before the end.
    pub fn next_wake(&mut self) -> Option<Minutes> {
        self.engine.next_wake()
    }

    /// The facilitator's snapshot of the whole exercise.
    pub fn view(&mut self) -> View {
        self.engine.view()
    }

    /// Everything `seat` may see now (`None` when it is no seat), computed once per change.
    pub fn seat_view(&mut self, seat: &str) -> Option<SeatView> {
        if let Some((at, view)) = self.seat_views.get(seat)
            && *at == self.revision
        {
            return Some(view.clone());
        }
        let view = self.engine.seat_view(seat)?;
        self.seat_views
            .insert(seat.to_owned(), (self.revision, view.clone()));
        Some(view)
    }

    /// Whether `seat` is a seat of this exercise.
    #[must_use]
    pub fn is_seat(&self, seat: &str) -> bool {
        self.engine.scenario().is_seat(seat)
    }

    /// Moves with every applied command: readers redraw when it changed.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Every command applied so far, with its outcome.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    #[must_use]
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Who plays which seat.
    #[must_use]
    pub fn players(&self) -> &BTreeMap<String, String> {
        &self.header.players
    }

    /// The record so far, as it is on disk.
    #[must_use]
    pub fn journal(&self) -> Journal {
        Journal {
            header: self.header.clone(),
            entries: self.entries.clone(),
        }
    }

    /// Where this exercise is recorded, if it is.
    #[must_use]
    pub fn journal_path(&self) -> Option<&Path> {
        self.writer.as_ref().map(JournalWriter::path)
    }

    /// Records into `writer` from now on (tests give a disk that fails on demand).
    pub fn record_with(&mut self, writer: JournalWriter) {
        self.writer = Some(writer);
    }
}

/// Why a rewind did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RewindError {
    #[error("cannot keep {keep} commands: only {recorded} were given")]
    Beyond { keep: usize, recorded: usize },
    #[error("the journal could not be branched: {0}")]
    Journal(std::io::Error),
}

/// The engine a journal's commands give, checked event for event against the record.
fn replayed(journal: &Journal) -> Result<Engine, ResumeError> {
    journal::replay(journal)?.map_err(|d| ResumeError::Diverged {
        command: d.entry + 1,
    })
}

/// A new, empty folder for one exercise under `dir`: `<time>-<scenario>-seed<seed>`, with `-2`, `-3`…
/// when two exercises of the same scenario and seed start in the same second.
fn fresh_exercise_folder(dir: &Path, scenario_id: &str, seed: u64) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let stamp = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .format("%Y%m%d-%H%M%S")
        .to_string();
    let base = format!("{stamp}-{scenario_id}-seed{seed}");
    for n in 1..1000 {
        let name = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let folder = dir.join(name);
        match std::fs::create_dir(&folder) {
            Ok(()) => return Ok(folder),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("no free exercise folder for {base} under {}", dir.display()),
    ))
}
