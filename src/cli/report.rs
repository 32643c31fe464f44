//! `tabletop report`: the after-action report of an exercise from its journal, as one self-contained HTML
//! file or as Markdown.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use crate::report::{self, Report};

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One self-contained HTML file (inline styles and charts; prints well).
    Html,
    /// GitHub-flavoured Markdown, for forges.
    #[value(alias = "markdown")]
    Md,
}

impl Format {
    /// The format a file name asks for: `.md` or `.markdown` is Markdown, anything else HTML.
    #[must_use]
    pub fn of_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown") => {
                Format::Md
            }
            _ => Format::Html,
        }
    }
}

/// Writes the report of `journal` to `output` (standard output when `None`).
pub fn run(
    journal: &Path,
    format: Option<Format>,
    output: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let recorded = super::run::load_checked(journal)?;
    let report = Report::from_journal(&recorded)
        .with_context(|| format!("cannot make a report of {}", journal.display()))?;
    let format = format.unwrap_or_else(|| output.map_or(Format::Html, Format::of_path));
    let text = match format {
        Format::Html => report::html::render(&report),
        Format::Md => report::markdown::render(&report),
    };
    let Some(path) = output else {
        let out = std::io::stdout();
        let mut out = out.lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::write(path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "{}: after-action report written to {} ({})",
        report.overview.scenario_id,
        path.display(),
        match format {
            Format::Html => "HTML",
            Format::Md => "Markdown",
        }
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_picks_the_format() {
        assert_eq!(Format::of_path(Path::new("aar.md")), Format::Md);
        assert_eq!(Format::of_path(Path::new("aar.MARKDOWN")), Format::Md);
        assert_eq!(Format::of_path(Path::new("aar.html")), Format::Html);
        assert_eq!(Format::of_path(Path::new("aar")), Format::Html);
    }
}
