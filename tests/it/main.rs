//! Integration tests: one binary, one module per area.

mod broken;
mod bundled;
mod check_cli;
mod play;
mod robustness;
