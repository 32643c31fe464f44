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
use crate::sim::{Command, Engine, Event};

/// Version of the journal: its layout and the rules its commands were played under. Version 2 plays the
/// corrected EU rules (unanimity without silent consent, sovereign invocations, the Reserve's assessment,
/// a CSIRTs Network case per incident…); a version 1 journal's commands no longer give the exercise it
/// recorded, so it is refused with a clear message instead of replaying into something else.
pub const JOURNAL_VERSION: u32 = 2;

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
    /// Set when the facilitator rewound the exercise: the earlier branch, kept for the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branched_from: Option<Branch>,
}

/// Where a rewound exercise came from: the archived journal of the branch it left, and how many of that
/// branch's commands it kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    /// File name of the archived journal, in the same folder.
    pub journal: String,
    /// The first `kept` commands of that journal are this one's first commands too.
    pub kept: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Simulated minute when the command was given (`Minutes`).
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
    /// A whole record whose link to the one before it is wrong: an edit, never a torn write.
    #[error("line {line}: {message}")]
    Edited { line: usize, message: String },
    #[error("the scenario inside the journal no longer checks: {0}")]
    Scenario(String),
    #[error(
        "this journal was recorded under journal format {found}, and this tabletop plays format {JOURNAL_VERSION}: {why}"
    )]
    Version { found: u32, why: &'static str },
}

/// The first 12 characters of a hash for messages; a hash read from a file may be anything, so never a byte
/// slice that could split a character.
#[must_use]
pub fn short_hash(hash: &str) -> String {
    hash.chars().take(12).collect()
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

/// The link a record carries to the one before it: the first 128 bits of the SHA-256 of that record's
/// line, in hex. An edit to any record (even one made consistently to a command and its events) breaks
/// the next record's link, so reading the journal says where it was changed.
fn link_to(previous_line: &[u8]) -> String {
    Sha256::digest(previous_line)
        .iter()
        .take(16)
        .fold(String::with_capacity(32), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// One record's line (no newline): the entry's JSON with `"prev"` (its link) as the first field.
fn chained_line(entry: &Entry, previous_line: &[u8]) -> serde_json::Result<Vec<u8>> {
    let json = serde_json::to_vec(entry)?;
    let mut line = format!("{{\"prev\":\"{}\",", link_to(previous_line)).into_bytes();
    // An entry always has fields, so its JSON is `{` + fields + `}`.
    line.extend_from_slice(json.get(1..).unwrap_or_default());
    Ok(line)
}

/// The link a record line carries, if any.
#[derive(Deserialize)]
struct Link {
    #[serde(default)]
    prev: Option<String>,
}

impl Journal {
    /// A journal of commands already applied (a headless run, a session's record).
    #[must_use]
    pub fn of_run(
        scenario_text: &str,
        scenario: &Scenario,
        seed: u64,
        entries: &[Entry],
    ) -> Journal {
        Journal {
            header: Journal::header(scenario_text, scenario, seed),
            entries: entries.to_vec(),
        }
    }

    /// A journal header for a new exercise.
    #[must_use]
    pub fn header(scenario_text: &str, scenario: &Scenario, seed: u64) -> Header {
        Header {
            journal: JOURNAL_VERSION,
            format: scenario.file.format,
            scenario_id: scenario.file.id.clone(),
            scenario_sha256: scenario_hash(scenario_text),
            seed,
            scenario_text: scenario_text.to_owned(),
            scenario_path: None,
            players: BTreeMap::new(),
            branched_from: None,
        }
    }

    pub fn write(&self, mut out: impl Write) -> std::io::Result<()> {
        let mut previous = serde_json::to_vec(&self.header)?;
        out.write_all(&previous)?;
        out.write_all(b"\n")?;
        for entry in &self.entries {
            let line = chained_line(entry, &previous)?;
            out.write_all(&line)?;
            out.write_all(b"\n")?;
            previous = line;
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
        let mut previous = header_line;
        for (i, line) in lines.enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let corrupt = |message: String| JournalError::Corrupt {
                line: i + 2,
                message,
            };
            let chain: Link = serde_json::from_str(&line).map_err(|e| corrupt(e.to_string()))?;
            match chain.prev {
                Some(prev) if prev != link_to(previous.as_bytes()) => {
                    return Err(JournalError::Edited {
                        line: i + 2,
                        message: "this record does not follow the one before it: the journal was edited or records were lost".into(),
                    });
                }
                None if header.journal >= 2 => {
                    return Err(JournalError::Edited {
                        line: i + 2,
                        message:
                            "this record has no link to the one before it: the journal was edited"
                                .into(),
                    });
                }
                _ => {}
            }
            entries.push(serde_json::from_str(&line).map_err(|e| corrupt(e.to_string()))?);
            previous = line;
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
                short_hash(&self.header.scenario_sha256),
                short_hash(&recorded)
            ));
        }
        // The path comes from the journal, which may have been edited: only a regular file no larger than
        // a scenario may be is read (never a device, a pipe or something huge).
        if let Some(path) = &self.header.scenario_path
            && std::fs::metadata(path)
                .is_ok_and(|m| m.is_file() && m.len() <= scenario::MAX_FILE_BYTES as u64)
            && let Ok(text) = std::fs::read_to_string(path)
        {
            {
                let current = scenario_hash(&text);
                if current != recorded {
                    return Err(format!(
                        "{path} has changed since this exercise started (sha256 {} then, {} now)",
                        short_hash(&recorded),
                        short_hash(&current)
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether this version of tabletop plays the journal's commands under the rules they were given in.
    pub fn check_version(&self) -> Result<(), JournalError> {
        let found = self.header.journal;
        match found.cmp(&JOURNAL_VERSION) {
            std::cmp::Ordering::Equal => Ok(()),
            std::cmp::Ordering::Less => Err(JournalError::Version {
                found,
                why: "the EU rules were corrected since (docs/eu-mechanisms.md), so its commands would give another exercise; open it with the tabletop release that recorded it",
            }),
            std::cmp::Ordering::Greater => Err(JournalError::Version {
                found,
                why: "it comes from a newer tabletop; update this one to replay it",
            }),
        }
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

/// Where journal records go: a file on disk, or (in tests) anything that can fail like one.
///
/// A record is written whole, then synced; if either fails, the sink is cut back to the length it had
/// before the record began, so a failed append never leaves half a record behind a good one.
pub trait JournalSink: Send {
    /// Writes the bytes at the end of the journal.
    fn write_record(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    /// Makes everything written so far durable (survives a crash or power loss).
    fn sync(&mut self) -> std::io::Result<()>;
    /// Cuts the journal back to `len` bytes.
    fn truncate(&mut self, len: u64) -> std::io::Result<()>;
}

impl JournalSink for File {
    fn write_record(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.write_all(bytes)
    }

    fn sync(&mut self) -> std::io::Result<()> {
        self.sync_data()
    }

    fn truncate(&mut self, len: u64) -> std::io::Result<()> {
        self.set_len(len)
    }
}

/// Appends to a journal on disk, one durable record per command: each line is written and synced before
/// `append` returns, so nothing the room has been shown can be lost to a crash. When a write fails the
/// record is taken back out and the caller is told; nothing is half-recorded.
pub struct JournalWriter {
    sink: Box<dyn JournalSink>,
    path: PathBuf,
    /// The last complete record's line, which the next record links to.
    previous: Vec<u8>,
    /// Bytes of complete, synced records (the header included).
    len: u64,
    /// A failed append could not be taken back: the file may end in a partial record until a later
    /// append manages to cut it off.
    torn: bool,
}

impl JournalWriter {
    /// Starts a new journal with its header. Only the user may read it: it holds the whole MSEL and the
    /// scenario's hidden truth.
    pub fn create(path: &Path, header: &Header) -> std::io::Result<JournalWriter> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = OpenOptions::new();
        options.create_new(true).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path)?;
        let header_line = serde_json::to_vec(header)?;
        file.write_all(&header_line)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        Ok(JournalWriter {
            sink: Box::new(file),
            path: path.to_path_buf(),
            len: header_line.len() as u64 + 1,
            previous: header_line,
            torn: false,
        })
    }

    /// Continues an existing journal (after a resume or a rewind): the file is rewritten to hold exactly
    /// `journal` (so a torn last record is cut off), atomically.
    pub fn reopen(path: &Path, journal: &Journal) -> std::io::Result<JournalWriter> {
        let mut bytes = Vec::new();
        journal.write(&mut bytes)?;
        write_atomically(path, &bytes)?;
        let file = OpenOptions::new().append(true).open(path)?;
        let previous = bytes
            .split(|b| *b == b'\n')
            .rfind(|l| !l.is_empty())
            .unwrap_or_default()
            .to_vec();
        Ok(JournalWriter {
            sink: Box::new(file),
            path: path.to_path_buf(),
            len: bytes.len() as u64,
            previous,
            torn: false,
        })
    }

    /// A journal written to `sink` that already holds `written` (its header line and newline): for tests
    /// that need a disk that fails on demand.
    #[must_use]
    pub fn with_sink(sink: Box<dyn JournalSink>, path: &Path, written: &[u8]) -> JournalWriter {
        JournalWriter {
            sink,
            path: path.to_path_buf(),
            len: written.len() as u64,
            previous: written
                .split(|b| *b == b'\n')
                .rfind(|l| !l.is_empty())
                .unwrap_or_default()
                .to_vec(),
            torn: false,
        }
    }

    /// Appends one record and syncs it. On failure the record is taken back out (or, if even that fails,
    /// cut off before the next append), and the error is returned: the caller must not show its effects.
    pub fn append(&mut self, entry: &Entry) -> std::io::Result<()> {
        let record = chained_line(entry, &self.previous)?;
        let mut line = record.clone();
        line.push(b'\n');
        if self.torn {
            self.sink.truncate(self.len)?;
            self.torn = false;
        }
        match self
            .sink
            .write_record(&line)
            .and_then(|()| self.sink.sync())
        {
            Ok(()) => {
                self.len += line.len() as u64;
                self.previous = record;
                Ok(())
            }
            Err(e) => {
                self.torn = self.sink.truncate(self.len).is_err();
                Err(e)
            }
        }
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Replaces `path` with `bytes` through a synced temporary file, so a crash leaves the old or the new
/// file, never half of one. The file is readable by its owner only.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("jsonl.tmp");
    let mut options = OpenOptions::new();
    options.create(true).write(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)
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

/// Replays the journal's commands on a fresh engine and compares every outcome. A journal of another
/// format version is refused: its commands were played under other rules.
pub fn replay(journal: &Journal) -> Result<Result<Engine, Divergence>, JournalError> {
    journal.check_version()?;
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
