//! `tabletop msel export|import`: a scenario's injects as an HSEEP MSEL spreadsheet (CSV), and a
//! planner's spreadsheet MSEL as a scenario skeleton. The work is in [`crate::msel`]; this file reads
//! and writes the files and prints the report.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};

use crate::msel::{self, Level};

#[derive(Debug, Subcommand)]
pub enum MselCommand {
    /// Write a scenario's injects as an HSEEP MSEL spreadsheet: CSV, UTF-8 with a byte-order mark, one
    /// row per inject in scenario order.
    ///
    /// Columns: Sequence, Scenario time, Delivery channel, From, To, TLP, Subject, Inject text, Expected
    /// action, Objective, Notes, id. See docs/msel.md.
    Export {
        /// A scenario file, or the name of a bundled scenario (e.g. `tutorial`).
        scenario: String,
        /// The CSV file to write, or `-` for standard output.
        #[arg(short, long)]
        output: PathBuf,
        /// Cell separator. Excel expects `semicolon` where the decimal separator is a comma (most of
        /// continental Europe) when the file is opened with a double click.
        #[arg(long, value_enum, default_value_t = Delimiter::Comma)]
        delimiter: Delimiter,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Turn a spreadsheet MSEL, saved as CSV, into a scenario skeleton that `tabletop check` accepts,
    /// with TODO comments for what a spreadsheet cannot say.
    ///
    /// Every bad row is reported with its row number and column; then nothing is written and the exit
    /// code is 1. See docs/msel.md for the columns and values understood.
    Import {
        /// The MSEL saved as CSV (`,`, `;` or tab separated; UTF-8 or UTF-16), or `-` for standard input.
        csv: PathBuf,
        /// The scenario file to write, or `-` for standard output.
        #[arg(short, long)]
        output: PathBuf,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// The CSV cell separator of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
}

impl Delimiter {
    fn byte(self) -> u8 {
        match self {
            Self::Comma => b',',
            Self::Semicolon => b';',
            Self::Tab => b'\t',
        }
    }
}

pub fn run(command: MselCommand) -> anyhow::Result<ExitCode> {
    match command {
        MselCommand::Export {
            scenario,
            output,
            delimiter,
            force,
        } => export(&scenario, &output, delimiter, force),
        MselCommand::Import { csv, output, force } => import(&csv, &output, force),
    }
}

fn export(
    name: &str,
    output: &Path,
    delimiter: Delimiter,
    force: bool,
) -> anyhow::Result<ExitCode> {
    refuse_to_overwrite(output, force)?;
    let Some((_, scenario)) = super::run::load_scenario(name)? else {
        eprintln!("{name}: the scenario has errors (above); nothing exported");
        return Ok(ExitCode::FAILURE);
    };
    let bytes = msel::export(&scenario, delimiter.byte());
    write_output(output, &bytes)?;
    let n = scenario.file.injects.len();
    report(
        output,
        &format!(
            "wrote {}: {n} inject{} of \"{}\"",
            output.display(),
            if n == 1 { "" } else { "s" },
            scenario.file.title
        ),
    );
    Ok(ExitCode::SUCCESS)
}

fn import(input: &Path, output: &Path, force: bool) -> anyhow::Result<ExitCode> {
    refuse_to_overwrite(output, force)?;
    let (label, bytes) = if input == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        ("<stdin>".to_owned(), bytes)
    } else {
        let bytes =
            std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))?;
        (input.display().to_string(), bytes)
    };
    let source = input
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| *n != "-")
        .unwrap_or("msel.csv");
    let imported = msel::import(&bytes, source);
    for p in &imported.problems {
        match p.level {
            Level::Error => eprintln!("{label}: {p}"),
            Level::Warning => eprintln!("{label}: warning: {p}"),
        }
    }
    let Some(skeleton) = imported.skeleton else {
        let (e, w) = (imported.errors(), imported.warnings());
        eprintln!(
            "{label}: {e} error{}, {w} warning{}; nothing written",
            plural(e),
            plural(w)
        );
        return Ok(ExitCode::FAILURE);
    };
    write_output(output, skeleton.ron.as_bytes())?;
    let mut summary = format!(
        "wrote {}: {} inject{}, {} actor{} ({} seat{}), {} objective{}",
        output.display(),
        skeleton.injects,
        plural(skeleton.injects),
        skeleton.actors,
        plural(skeleton.actors),
        skeleton.seats,
        plural(skeleton.seats),
        skeleton.objectives,
        plural(skeleton.objectives),
    );
    let n = skeleton.conditions_made_manual;
    if n > 0 {
        let _ = write!(
            summary,
            "; {n} conditional inject{} made manual for now, as {} decisions, variables or incidents the skeleton does not define yet",
            plural(n),
            if n == 1 {
                "its condition names"
            } else {
                "their conditions name"
            },
        );
    }
    let _ = write!(
        summary,
        ".\nNext: fill in the {} TODO{} in {}, then run `tabletop check {}`.",
        skeleton.todos,
        plural(skeleton.todos),
        output.display(),
        output.display()
    );
    report(output, &summary);
    Ok(ExitCode::SUCCESS)
}

/// A planner's filled-in scenario or their own spreadsheet is never replaced by accident.
fn refuse_to_overwrite(output: &Path, force: bool) -> anyhow::Result<()> {
    if !force && output != Path::new("-") && output.exists() {
        anyhow::bail!(
            "{} already exists; pass --force to replace it",
            output.display()
        );
    }
    Ok(())
}

/// Writes the whole file or nothing: into a temporary file beside it, then renamed over it.
fn write_output(output: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if output == Path::new("-") {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()?;
        return Ok(());
    }
    let name = output
        .file_name()
        .with_context(|| format!("{} is not a file name", output.display()))?;
    let mut temporary = name.to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = output.with_file_name(temporary);
    std::fs::write(&temporary, bytes)
        .with_context(|| format!("cannot write {}", temporary.display()))?;
    std::fs::rename(&temporary, output).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        anyhow::anyhow!("cannot write {}: {e}", output.display())
    })
}

/// The summary goes to standard output, unless the file itself does.
fn report(output: &Path, line: &str) {
    if output == Path::new("-") {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
