//! The command line: subcommands and their dispatch. Each subcommand lives in its own file.

mod check;
pub mod host;
pub mod join;
mod msel;
pub mod report;
pub mod run;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::scenario::{bundled, time::format_duration};
use crate::session::policy::Builtin;

/// Simulator for tabletop exercises of EU cross-border cyber crises.
#[derive(Debug, Parser)]
#[command(name = "tabletop", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files (or folders of them) and report every problem with line and column.
    ///
    /// Exits 0 when every file is valid (warnings allowed), 1 when any has errors.
    Check {
        /// Scenario files or folders (searched for `.ron` files).
        #[arg(required_unless_present = "bundled")]
        paths: Vec<PathBuf>,
        /// Also check the scenarios compiled into this program.
        #[arg(long)]
        bundled: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// List the scenarios bundled with this program.
    Scenarios,
    /// Play a scenario to the end without anyone at the table and print its timeline.
    ///
    /// Decisions come from a decisions file or a built-in policy; the same scenario, seed and decisions
    /// always print the same output.
    Run {
        /// A scenario file, or the name of a bundled scenario (e.g. `tutorial`).
        scenario: String,
        /// Seed of the simulation's random generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Who answers decisions when no decisions file says.
        #[arg(long, value_enum, default_value_t = Builtin::Defaults)]
        policy: Builtin,
        /// A RON file of choices: `(fallback: Defaults, choices: [(decision: "...", option: "...", at: "T+01:00")])`.
        #[arg(long)]
        decisions: Option<PathBuf>,
        /// Write the journal (scenario, seed, every command and its events) here.
        #[arg(long)]
        journal: Option<PathBuf>,
        /// Write the event stream here as JSON lines.
        #[arg(long)]
        events: Option<PathBuf>,
        /// Print only the summary.
        #[arg(long)]
        quiet: bool,
        /// Print `ack N` once the N-th command is durable in the journal (used by crash tests).
        #[arg(long, hide = true, requires = "journal")]
        ack: bool,
    },
    /// Reopen an exercise from its journal after a crash, exactly where it was.
    ///
    /// A torn last record is dropped with a warning. A journal whose scenario file has changed since is
    /// refused unless --force. Opens the console, or with --run plays on headless to the end.
    Resume {
        journal: PathBuf,
        /// Go on even though the scenario file changed (the journal's own copy is used).
        #[arg(long)]
        force: bool,
        /// Play on headless to the end instead of opening the console.
        #[arg(long)]
        run: bool,
        /// With --run: who answers decisions.
        #[arg(long, value_enum, default_value_t = Builtin::Defaults)]
        policy: Builtin,
        /// With --run: print only the summary.
        #[arg(long)]
        quiet: bool,
        /// Serve the seats on the LAN at this address (e.g. `0.0.0.0:7878`) headless, as `tabletop host`
        /// does, with the join codes kept in the exercise's folder: participants rejoin with theirs.
        #[arg(long, value_name = "ADDR", conflicts_with = "run")]
        host: Option<String>,
        /// With --host: simulated minutes per real second.
        #[arg(long, default_value_t = 1.0, requires = "host")]
        speed: f64,
    },
    /// Open the console straight on a scenario (skipping the start screen), optionally advanced to a time.
    #[cfg(feature = "gui")]
    Console {
        /// A scenario file, or the name of a bundled scenario.
        scenario: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Advance the exercise to this time first, e.g. `T+06:00`.
        #[arg(long)]
        at: Option<String>,
        /// Also serve the seats on the LAN at this address (e.g. `0.0.0.0:7878`), as "Host on the LAN" does.
        #[arg(long, value_name = "ADDR")]
        host: Option<String>,
    },
    /// Serve an exercise to participants on their own machines over the LAN (headless for now).
    ///
    /// Prints each seat's join code (also written, TLP:RED, to `join-codes.txt` beside the journal), runs
    /// the clock at --speed, and journals every participant's action; Ctrl-C stops hosting.
    Host {
        /// A scenario file, or the name of a bundled scenario.
        scenario: String,
        /// Address to listen on, e.g. `0.0.0.0:7878` for the whole LAN.
        #[arg(long, default_value = "0.0.0.0:7878")]
        listen: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Reuse the join codes in this file (the `join-codes.txt` of an earlier run).
        #[arg(long)]
        codes: Option<PathBuf>,
        /// Simulated minutes per real second.
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// Hold the clock at T+00:00 until every seat has joined (Enter starts it anyway).
        #[arg(long)]
        wait: bool,
    },
    /// Take a seat in an exercise hosted on the LAN with the join code the facilitator gave you.
    Join {
        /// The host's address, e.g. `192.168.1.20:7878`.
        addr: String,
        #[arg(long)]
        code: String,
        /// Print the seat's inbox and decisions in the terminal instead of opening the window.
        #[arg(long)]
        text: bool,
    },
    /// Replay a journal: exit 0 when it reproduces the recorded events, 1 (saying where) when not.
    Replay { journal: PathBuf },
    /// HSEEP MSEL spreadsheets: export a scenario's injects as CSV, or import a planner's CSV MSEL as a
    /// scenario skeleton.
    Msel {
        #[command(subcommand)]
        command: msel::MselCommand,
    },
    /// Write the after-action report (HSEEP AAR/IP) of an exercise from its journal.
    ///
    /// The journal is replayed and checked first. HTML is one self-contained file that prints well and
    /// needs no network; Markdown renders on common forges.
    Report {
        /// The exercise journal (`.jsonl`).
        journal: PathBuf,
        /// `html` or `md`; default: from the output file's extension, else HTML.
        #[arg(long, value_enum)]
        format: Option<report::Format>,
        /// Write the report to this file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

/// Runs the command line; returns the process exit code.
pub fn run<I, T>(args: I) -> anyhow::Result<ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = Cli::parse_from(args);
    match cli.command {
        Some(Command::Check {
            paths,
            bundled,
            deny_warnings,
        }) => Ok(check::run(&paths, bundled, deny_warnings)),
        Some(Command::Run {
            scenario,
            seed,
            policy,
            decisions,
            journal,
            events,
            quiet,
            ack,
        }) => run::run(&run::RunArgs {
            scenario,
            seed,
            policy,
            decisions,
            journal,
            events,
            quiet,
            ack,
        }),
        Some(Command::Resume {
            journal,
            force,
            run,
            policy,
            quiet,
            host,
            speed,
        }) => run::resume(&run::ResumeArgs {
            journal,
            force,
            run,
            policy,
            quiet,
            host: host.map(|listen| host::Serving {
                listen,
                speed,
                wait: false,
            }),
        }),
        Some(Command::Host {
            scenario,
            listen,
            seed,
            codes,
            speed,
            wait,
        }) => host::run(&host::HostArgs {
            scenario,
            listen,
            seed,
            codes,
            speed,
            wait,
        }),
        Some(Command::Join { addr, code, text }) => join::run(&join::JoinArgs { addr, code, text }),
        Some(Command::Replay { journal }) => run::replay(&journal),
        Some(Command::Msel { command }) => msel::run(command),
        Some(Command::Report {
            journal,
            format,
            output,
        }) => report::run(&journal, format, output.as_deref()),
        Some(Command::Scenarios) => {
            list_bundled();
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "gui")]
        Some(Command::Console {
            scenario,
            seed,
            at,
            host,
        }) => {
            let Some((text, checked)) = run::load_scenario(&scenario)? else {
                return Ok(ExitCode::FAILURE);
            };
            let at = match at {
                Some(t) => crate::scenario::time::parse_duration(&t)
                    .map_err(|e| anyhow::anyhow!("--at: {e}"))?,
                None => 0,
            };
            let start = run::start_from(&scenario, text, checked, seed);
            crate::ui::run(crate::ui::Opening::Exercise { start, at, host })?;
            Ok(ExitCode::SUCCESS)
        }
        None => open_console(),
    }
}

/// With no command: the facilitator console (or, in a build without it, the list of scenarios).
#[cfg_attr(
    not(feature = "gui"),
    allow(
        clippy::unnecessary_wraps,
        reason = "the core-only build cannot fail here, the console build can: one signature for both"
    )
)]
fn open_console() -> anyhow::Result<ExitCode> {
    #[cfg(feature = "gui")]
    {
        crate::ui::run(crate::ui::Opening::Start)?;
        Ok(ExitCode::SUCCESS)
    }
    #[cfg(not(feature = "gui"))]
    {
        list_bundled();
        println!("(This build has no console: rebuild with the default `gui` feature.)");
        Ok(ExitCode::SUCCESS)
    }
}

fn list_bundled() {
    println!("Bundled scenarios:");
    for b in bundled::all() {
        let checked = crate::scenario::check_str(b.text, &crate::scenario::Origin::default());
        match checked.scenario {
            Some(s) => println!(
                "  {:<28} {} ({}, {})",
                b.name,
                s.file.title,
                format_duration(s.duration),
                check::counts(&s)
            ),
            None => println!(
                "  {:<28} (has errors: run `tabletop check --bundled`)",
                b.name
            ),
        }
    }
    println!("\nRun `tabletop --help` for the commands.");
}
