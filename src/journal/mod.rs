//! The journal: the scenario (verbatim, with its hash), the seed and every command with the events it
//! caused. Replaying the commands must reproduce the events byte for byte; that one property gives
//! replay, crash recovery and strong tests. Stored as JSON lines: a header line, then one line per command.

use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::Path;
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
            },
            entries,
        }
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
        Journal::read(std::io::BufReader::new(std::fs::File::open(path)?))
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
