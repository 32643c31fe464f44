//! The journal: the scenario (verbatim, with its hash), the seed and every command with the events it
//! caused. Replaying the commands must reproduce the events byte for byte; that one property gives
//! replay, crash recovery and strong tests. Stored as JSON lines: a header line, then one line per command.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::doctrine::Refusal;
use crate::scenario::{self, Origin, Scenario};
use crate::sim::policy::Step;
use crate::sim::{Command, Engine, Event};

/// Version of the journal layout.
pub const JOURNAL_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub journal: u32,
    pub format: u32,
    pub scenario_id: String,
    pub scenario_sha256: String,
    pub seed: u64,
    /// The scenario text itself, so a journal replays with nothing beside it.
    pub scenario_text: String,
    /// Where the scenario was loaded from, if a file (to notice when it changed since).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_path: Option<String>,
    /// Who played which seat (seat id → name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub players: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Simulated minute when the command was given.
    pub at: u32,
    pub command: Command,
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<Refusal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Journal {
    pub header: Header,
    pub entries: Vec<Entry>,
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot read the journal: {0}")]
    Io(#[from] std::io::Error),
    #[error("line {line}: {message}")]
    Corrupt { line: usize, message: String },
    #[error("the scenario inside the journal no longer checks: {0}")]
    Scenario(String),
}

/// Hex SHA-256 of a scenario text.
#[must_use]
pub fn scenario_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

impl Journal {
    /// A journal of a headless run.
    #[must_use]
    pub fn of_run(scenario_text: &str, scenario: &Scenario, seed: u64, steps: &[Step]) -> Journal {
        let entries = steps
            .iter()
            .map(|s| Entry {
                at: s.at,
                command: s.command.clone(),
                events: s.events.clone(),
                refused: s.refused.clone(),
            })
            .collect();
        Journal {
            header: Header {
                journal: JOURNAL_VERSION,
                format: scenario.file.format,
                scenario_id: scenario.file.id.clone(),
                scenario_sha256: scenario_hash(scenario_text),
                seed,
                scenario_text: scenario_text.to_owned(),
                scenario_path: None,
                players: BTreeMap::new(),
            },
            entries,
        }
    }

    /// A journal header for a new exercise.
    #[must_use]
    pub fn header(scenario_text: &str, scenario: &Scenario, seed: u64) -> Header {
        Journal::of_run(scenario_text, scenario, seed, &[]).header
    }

    pub fn write(&self, mut out: impl Write) -> std::io::Result<()> {
        serde_json::to_writer(&mut out, &self.header)?;
        out.write_all(b"\n")?;
        for entry in &self.entries {
            serde_json::to_writer(&mut out, entry)?;
            out.write_all(b"\n")?;
        }
        out.flush()
    }

    pub fn read(input: impl BufRead) -> Result<Journal, JournalError> {
        let mut lines = input.lines();
        let header_line = lines.next().ok_or(JournalError::Corrupt {
            line: 1,
            message: "the journal is empty".into(),
        })??;
        let header: Header =
            serde_json::from_str(&header_line).map_err(|e| JournalError::Corrupt {
                line: 1,
                message: e.to_string(),
            })?;
        let mut entries = Vec::new();
        for (i, line) in lines.enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            entries.push(
                serde_json::from_str(&line).map_err(|e| JournalError::Corrupt {
                    line: i + 2,
                    message: e.to_string(),
                })?,
            );
        }
        Ok(Journal { header, entries })
    }

    pub fn load(path: &Path) -> Result<Journal, JournalError> {
        Journal::read(std::io::BufReader::new(File::open(path)?))
    }

    /// Reads a journal that may end in a torn record (the program was killed while writing it): that last
    /// record is dropped and a warning says so. A damaged record anywhere else is an error.
    pub fn load_after_crash(path: &Path) -> Result<(Journal, Option<String>), JournalError> {
        let text = std::fs::read(path)?;
        let complete = text.ends_with(b"\n");
        match Journal::read(text.as_slice()) {
            Ok(journal) => Ok((journal, None)),
            Err(JournalError::Corrupt { line, message }) => {
                let lines = text
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .count();
                if line == lines && line > 1 {
                    let kept: Vec<u8> = text
                        .split(|b| *b == b'\n')
                        .filter(|l| !l.is_empty())
                        .take(line - 1)
                        .flat_map(|l| l.iter().copied().chain(std::iter::once(b'\n')))
                        .collect();
                    let journal = Journal::read(kept.as_slice())?;
                    let why = if complete {
                        message
                    } else {
                        "it was cut off".to_owned()
                    };
                    Ok((
                        journal,
                        Some(format!(
                            "the last record (line {line}) was incomplete and is dropped: {why}"
                        )),
                    ))
                } else {
                    Err(JournalError::Corrupt { line, message })
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Checks that the recorded scenario text is the one the header's hash names, and, if the scenario came
    /// from a file that still exists, that the file has not changed since.
    pub fn check_scenario(&self) -> Result<(), String> {
        let recorded = scenario_hash(&self.header.scenario_text);
        if recorded != self.header.scenario_sha256 {
            return Err(format!(
                "the scenario inside the journal does not match its hash (sha256 {} recorded, {} found)",
                &self.header.scenario_sha256[..12.min(self.header.scenario_sha256.len())],
                &recorded[..12]
            ));
        }
        if let Some(path) = &self.header.scenario_path
            && let Ok(text) = std::fs::read_to_string(path)
        {
            {
                let current = scenario_hash(&text);
                if current != recorded {
                    return Err(format!(
                        "{path} has changed since this exercise started (sha256 {} then, {} now)",
                        &recorded[..12],
                        &current[..12]
                    ));
                }
            }
        }
        Ok(())
    }

    /// The scenario recorded in the journal, checked again.
    pub fn scenario(&self) -> Result<Arc<Scenario>, JournalError> {
        let checked = scenario::check_str(&self.header.scenario_text, &Origin::default());
        let errors = checked.errors();
        checked
            .scenario
            .map(Arc::new)
            .ok_or_else(|| JournalError::Scenario(format!("{errors} error(s)")))
    }
}

/// Appends to a journal on disk, one durable record per command: each line is flushed and synced before
/// `append` returns, so nothing the room has been shown can be lost to a crash.
pub struct JournalWriter {
    file: File,
    path: PathBuf,
}

impl JournalWriter {
    /// Starts a new journal with its header.
    pub fn create(path: &Path, header: &Header) -> std::io::Result<JournalWriter> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = OpenOptions::new().create_new(true).write(true).open(path)?;
        serde_json::to_writer(&mut file, header)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        Ok(JournalWriter {
            file,
            path: path.to_path_buf(),
        })
    }

    /// Continues an existing journal (after a resume). A torn last record is cut off first.
    pub fn reopen(path: &Path, journal: &Journal) -> std::io::Result<JournalWriter> {
        let mut bytes = Vec::new();
        journal.write(&mut bytes)?;
        // Rewrite through a temporary file so a crash now cannot leave a half-written journal.
        let tmp = path.with_extension("jsonl.tmp");
        std::fs::write(&tmp, &bytes)?;
        File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        let file = OpenOptions::new().append(true).open(path)?;
        Ok(JournalWriter {
            file,
            path: path.to_path_buf(),
        })
    }

    pub fn append(&mut self, entry: &Entry) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(entry)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Where exercises are kept unless told otherwise: `$TABLETOP_HOME`, else the user's data directory
/// (`~/.local/share/tabletop/exercises` on Linux).
#[must_use]
pub fn exercises_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("TABLETOP_HOME") {
        return PathBuf::from(home).join("exercises");
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("tabletop").join("exercises")
}

/// A fresh journal path for a new exercise under `dir`: one folder per exercise.
#[must_use]
pub fn new_exercise_path(dir: &Path, scenario_id: &str, seed: u64, stamp: &str) -> PathBuf {
    dir.join(format!("{stamp}-{scenario_id}-seed{seed}"))
        .join("journal.jsonl")
}

/// Journals under `dir` whose exercise has not ended, newest first.
#[must_use]
pub fn unfinished_exercises(dir: &Path) -> Vec<(PathBuf, Header)> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(dir) else {
        return out;
    };
    for dir in dirs.filter_map(Result::ok) {
        let path = dir.path().join("journal.jsonl");
        if let Ok((journal, _)) = Journal::load_after_crash(&path) {
            let ended = journal.entries.iter().any(|e| {
                e.events
                    .iter()
                    .any(|ev| matches!(ev.kind, crate::sim::EventKind::ExerciseEnded))
            });
            if !ended {
                out.push((path, journal.header));
            }
        }
    }
    out.sort_by(|a, b| b.0.cmp(&a.0));
    out
}

/// Where a replay first disagreed with the journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence {
    /// Index of the command (0-based) whose outcome differs.
    pub entry: usize,
    pub command: Command,
    pub expected: Vec<String>,
    pub replayed: Vec<String>,
}

/// Replays the journal's commands on a fresh engine and compares every outcome.
pub fn replay(journal: &Journal) -> Result<Result<Engine, Divergence>, JournalError> {
    let scenario = journal.scenario()?;
    let mut engine = Engine::new(scenario, journal.header.seed);
    for (i, entry) in journal.entries.iter().enumerate() {
        let (events, refused) = match engine.apply(&entry.command) {
            Ok(events) => (events, None),
            Err(r) => (Vec::new(), Some(r)),
        };
        let render = |events: &[Event], refused: &Option<Refusal>| -> Vec<String> {
            let mut lines: Vec<String> = events
                .iter()
                .map(|e| serde_json::to_string(e).unwrap_or_default())
                .collect();
            if let Some(r) = refused {
                lines.push(format!("refused: {r}"));
            }
            lines
        };
        let expected = render(&entry.events, &entry.refused);
        let replayed = render(&events, &refused);
        if expected != replayed {
            return Ok(Err(Divergence {
                entry: i,
                command: entry.command.clone(),
                expected,
                replayed,
            }));
        }
    }
    Ok(Ok(engine))
}
