//! The after-action report and improvement plan (HSEEP AAR/IP) of one exercise, built from its journal.
//!
//! [`Report::from_journal`] replays the journal first, so a report never describes an exercise that its
//! journal does not reproduce; it then gathers from the event stream and the final view everything the
//! renderers need. `html` writes one self-contained, printable file (charts as inline SVG from `svg`);
//! `markdown` writes GitHub-flavoured Markdown that common forges render. Neither needs the network.
//!
//! Derived judgements follow HSEEP: a facilitator's P or S rating and a met criterion are strengths, an
//! M or U rating and a failed criterion are areas for improvement, and each area for improvement becomes
//! a row of the improvement plan for the organisations to complete.
//!
//! `model` holds the report's data, `build` derives it (the key events in `timeline`), and `prose` holds
//! every word both renderers print, so that they cannot drift apart.

mod build;
pub mod html;
pub mod markdown;
mod model;
mod prose;
mod svg;
mod timeline;

pub use build::ReportError;
pub use model::{
    Basis, Category, CriterionOutcome, CriterionResult, DecisionRecord, Finding, General,
    ImprovementItem, IncidentSummary, KeyFigures, LevelActivity, MechanismChange, Nis2Record,
    Nis2Status, Note, ObjectiveAnalysis, Observation, Overview, Report, Resolution, Seat,
    TimelineEntry, TrendPoint,
};
pub use prose::{SECTIONS, count, level_label, level_scope, rating_meaning, signed_duration};
