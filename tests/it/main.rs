//! Integration tests: one binary, one module per area.

mod broken;
mod bundled;
mod check_cli;
#[cfg(feature = "gui")]
mod console;
mod council;
mod crash;
mod docs;
mod engine;
mod fuzz_regressions;
mod msel;
mod net;
#[cfg(feature = "gui")]
mod participant;
mod play;
mod report;
mod robustness;
mod rules_doc;
mod seats;
mod session;
mod support;
mod tidy;
