//! `tabletop`: a simulator for tabletop exercises of EU cross-border cyber crises.
//!
//! Bird's-eye view (see `ARCHITECTURE.md` for the code map and invariants):
//! - [`scenario`]: the planner's RON format, read and checked completely, with diagnostics at line:col.
//! - [`domain`]: the EU crisis vocabulary (actor kinds, severities, TLP, mechanism actions) shared by all.
//! - [`cli`]: the `tabletop` command line.
//!
//! The core never imports egui or eframe; the console lives behind the `gui` feature.

pub mod cli;
pub mod doctrine;
pub mod domain;
pub mod fuzzing;
pub mod journal;
pub mod msel;
pub mod net;
pub mod report;
pub mod scenario;
pub mod session;
pub mod sim;
#[cfg(feature = "gui")]
pub mod ui;
