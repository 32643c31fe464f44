//! The planner's scenario format: reading a RON file, checking it completely, and the checked
//! [`Scenario`] the engine plays.
//!
//! Data flow: bytes → UTF-8 text → `parse` (structure + serde, element by element) → `validate` (names,
//! times, conditions, reachability) → [`Scenario`]. Every step adds to one list of diagnostics, so a
//! planner sees all the problems of a file at once.

pub mod bundled;
mod checked;
pub mod diagnostic;
pub mod expr;
pub mod model;
pub mod parse;
pub mod spans;
pub mod time;
mod validate;

use std::path::{Path, PathBuf};

pub use checked::{CriterionPlan, DecisionPlan, IncidentPlan, Scenario, Trigger};
pub use diagnostic::{Diagnostic, Level};
pub use model::ScenarioFile;

/// Files larger than this are refused before parsing: a real scenario is a few hundred kilobytes.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Where a scenario text comes from, for resolving attachments under `assets/`.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// Directory of the scenario file; `None` for bundled scenarios.
    pub dir: Option<PathBuf>,
}

/// The outcome of checking one scenario text.
#[derive(Debug)]
pub struct Checked {
    /// Present when there are no errors (warnings allowed).
    pub scenario: Option<Scenario>,
    /// All problems, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The text the diagnostics point into (lossy if the bytes were not UTF-8).
    pub text: String,
}

impl Checked {
    #[must_use]
    pub fn errors(&self) -> usize {
        self.count(Level::Error)
    }

    #[must_use]
    pub fn warnings(&self) -> usize {
        self.count(Level::Warning)
    }

    fn count(&self, level: Level) -> usize {
        self.diagnostics.iter().filter(|d| d.level == level).count()
    }
}

/// Checks scenario bytes: never panics, whatever they hold.
#[must_use]
pub fn check_bytes(bytes: &[u8], origin: &Origin) -> Checked {
    if bytes.len() > MAX_FILE_BYTES {
        return Checked {
            scenario: None,
            diagnostics: vec![
                Diagnostic::file_error(format!(
                    "file is {} MB; scenarios are limited to {} MB",
                    bytes.len() / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ))
                .with_hint(
                    "is this the right file? A scenario is a RON text of a few hundred kilobytes",
                ),
            ],
            text: String::new(),
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => check_str(text, origin),
        Err(e) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let valid = e.valid_up_to();
            let nul = bytes[..valid].contains(&0);
            let message = if nul || bytes.iter().take(512).filter(|b| **b < 9).count() > 4 {
                "this is not a text file (binary data)"
            } else {
                "the file is not valid UTF-8 text"
            };
            Checked {
                scenario: None,
                diagnostics: vec![
                    Diagnostic::error(valid..valid + 1, message)
                        .with_hint("save the scenario as UTF-8 text (any editor offers this under 'Save as' or 'Encoding')"),
                ],
                text,
            }
        }
    }
}

/// Checks a scenario text completely.
#[must_use]
pub fn check_str(text: &str, origin: &Origin) -> Checked {
    // Editors hide a UTF-8 byte-order mark and count columns without it; so do we.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut diagnostics = Vec::new();
    let scenario = parse::parse(text, &mut diagnostics)
        .and_then(|parsed| validate::validate(text, &parsed, origin, &mut diagnostics));
    diagnostics.sort_by_key(|d| (d.span.as_ref().map_or(0, |s| s.start), d.level));
    diagnostics.dedup();
    let has_errors = diagnostics.iter().any(|d| d.level == Level::Error);
    Checked {
        scenario: if has_errors { None } else { scenario },
        diagnostics,
        text: text.to_owned(),
    }
}

/// Reads and checks a scenario file.
pub fn check_path(path: &Path) -> std::io::Result<Checked> {
    let bytes = std::fs::read(path)?;
    let origin = Origin {
        dir: path.parent().map(Path::to_path_buf),
    };
    Ok(check_bytes(&bytes, &origin))
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(distance, c)| {
            *distance <= (c.chars().count().max(word.chars().count()) / 3).max(1)
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_only() {
        assert_eq!(suggest("injets", ["injects", "actors"]), Some("injects"));
        assert_eq!(
            suggest("de_csirtt", ["de_csirt", "fr_csirt"]),
            Some("de_csirt")
        );
        assert_eq!(suggest("zzz", ["injects", "actors"]), None);
    }
}
