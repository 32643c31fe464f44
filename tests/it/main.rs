//! Integration tests: one binary, one module per area.

mod broken;
mod bundled;
mod check_cli;
mod docs;
mod engine;
mod play;
mod robustness;
