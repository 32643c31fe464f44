//! Integration tests: one binary, one module per area.

mod bundled;
mod check_cli;
mod robustness;
