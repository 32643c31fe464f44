//! `tabletop run`: play a scenario to the end headless and print a readable timeline; `tabletop replay`:
//! check that a journal reproduces its events.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::doctrine;
use crate::domain::Mechanism;
use crate::journal::{self, Journal};
use crate::scenario::time::{format_duration, format_offset};
use crate::scenario::{self, bundled, diagnostic::render};
use crate::session::policy::{self, Builtin, Policy, Script};
use crate::session::{Recording, ResumeError, Session, Start};
use crate::sim::EventKind;
use crate::sim::state::Outcome;

/// Loads a scenario from a path, or by the name of a bundled one; prints diagnostics on failure.
pub fn load_scenario(name: &str) -> anyhow::Result<Option<(String, Arc<scenario::Scenario>)>> {
    let path = Path::new(name);
    let (label, checked) = if path.exists() {
        (
            name.to_owned(),
            scenario::check_path(path).with_context(|| format!("cannot read {name}"))?,
        )
    } else if let Some(b) = bundled::get(name) {
        (
            format!("<bundled>/{}", b.name),
            scenario::check_str(b.text, &scenario::Origin::default()),
        )
    } else {
        let names: Vec<&str> = bundled::all()
            .iter()
            .map(|b| b.name.trim_end_matches(".ron"))
            .collect();
        anyhow::bail!(
            "no scenario file `{name}`, and no bundled scenario of that name (bundled: {})",
            names.join(", ")
        );
    };
    for d in &checked.diagnostics {
        eprintln!("{}", render(&label, &checked.text, d));
    }
    Ok(checked.scenario.map(|s| (checked.text, Arc::new(s))))
}

/// A new exercise of the scenario the command line named (`name`, a file or a bundled scenario's name):
/// a file's path is recorded, so a resume notices when the file changed since.
#[must_use]
pub fn start_from(name: &str, text: String, scenario: Arc<scenario::Scenario>, seed: u64) -> Start {
    Start {
        scenario,
        text,
        seed,
        scenario_path: Path::new(name).exists().then(|| PathBuf::from(name)),
        players: std::collections::BTreeMap::new(),
    }
}

pub struct RunArgs {
    pub scenario: String,
    pub seed: u64,
    pub policy: Builtin,
    pub decisions: Option<PathBuf>,
    pub journal: Option<PathBuf>,
    pub events: Option<PathBuf>,
    pub quiet: bool,
    /// Print `ack N` after the N-th command is durable in the journal (for crash tests).
    pub ack: bool,
}

/// Plays to the end; with `ack`, prints `ack N` once the N-th command is durable (for crash tests).
fn play_to_end(session: &mut Session, policy: &mut Policy, ack: bool) -> anyhow::Result<()> {
    let mut acknowledged = 0usize;
    let mut out = std::io::stdout();
    let mut printed: std::io::Result<()> = Ok(());
    policy::play_observed(session, policy, &mut |_| {
        acknowledged += 1;
        if ack && printed.is_ok() {
            printed = writeln!(out, "ack {acknowledged}").and_then(|()| out.flush());
        }
    })?;
    printed?;
    Ok(())
}

pub struct ResumeArgs {
    pub journal: PathBuf,
    pub force: bool,
    pub run: bool,
    pub policy: Builtin,
    pub quiet: bool,
    /// Serve the seats on the LAN headless instead of opening the console.
    pub host: Option<super::host::Serving>,
}

/// Reopens an exercise from its journal: restores the exact state by replay, then goes on.
pub fn resume(args: &ResumeArgs) -> anyhow::Result<ExitCode> {
    let (mut session, warnings) = match Session::resume(&args.journal, args.force) {
        Ok(resumed) => resumed,
        Err(e @ ResumeError::ScenarioChanged(_)) => {
            eprintln!("{}: error: {e}", args.journal.display());
            eprintln!(
                "  = help: resume with --force to play on with the scenario as recorded in the journal"
            );
            return Ok(ExitCode::FAILURE);
        }
        Err(e @ ResumeError::Diverged { .. }) => {
            eprintln!("{}: error: {e}", args.journal.display());
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    for w in warnings {
        eprintln!("{}: warning: {w}", args.journal.display());
    }
    eprintln!(
        "{}: resumed at {} after {} commands",
        args.journal.display(),
        format_offset(session.now()),
        session.entries().len()
    );
    if let Some(serving) = &args.host {
        return super::host::serve_resumed(session, serving);
    }
    if !args.run {
        #[cfg(feature = "gui")]
        {
            crate::ui::run(crate::ui::Opening::Resumed(Box::new(session)))?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    let mut policy = Policy::builtin(args.policy, session.header().seed);
    play_to_end(&mut session, &mut policy, false)?;
    let out = std::io::stdout();
    let mut out = out.lock();
    if !args.quiet {
        for event in session.events() {
            writeln!(out, "{}", event.line())?;
        }
        writeln!(out)?;
    }
    summary(&mut out, &mut session)?;
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let Some((text, scenario)) = load_scenario(&args.scenario)? else {
        return Ok(ExitCode::FAILURE);
    };
    let mut policy = match &args.decisions {
        Some(path) => {
            let policy = Policy::scripted(Script::load(path)?, args.seed)?;
            let problems = policy.problems(&scenario);
            if !problems.is_empty() {
                for p in &problems {
                    eprintln!("{}: error: {p}", path.display());
                }
                return Ok(ExitCode::FAILURE);
            }
            policy
        }
        None => Policy::builtin(args.policy, args.seed),
    };
    // The journal is written as the run goes, each command durable before the next: a killed run can be
    // resumed with `tabletop resume`.
    let recording = match &args.journal {
        Some(path) => Recording::File(path.clone()),
        None => Recording::Off,
    };
    let start = start_from(&args.scenario, text, scenario.clone(), args.seed);
    let mut session = Session::start(start, &recording).with_context(|| {
        format!(
            "cannot start the journal {} (it must not exist yet)",
            args.journal.as_deref().unwrap_or(Path::new("")).display()
        )
    })?;
    play_to_end(&mut session, &mut policy, args.ack)?;
    let out = std::io::stdout();
    let mut out = out.lock();
    if !args.quiet {
        writeln!(
            out,
            "{} — seed {}, {}",
            scenario.file.title,
            args.seed,
            match &args.decisions {
                Some(p) => format!("decisions from {}", p.display()),
                None => format!("policy {:?}", args.policy).to_lowercase(),
            }
        )?;
        writeln!(
            out,
            "start {}, duration {}\n",
            scenario.start.format("%Y-%m-%d %H:%M %:z"),
            format_duration(scenario.duration)
        )?;
        for event in session.events() {
            writeln!(out, "{}", event.line())?;
        }
        for entry in session.entries() {
            if let Some(r) = &entry.refused {
                writeln!(out, "{}  (command refused: {r})", format_offset(entry.at))?;
            }
        }
        writeln!(out)?;
    }
    summary(&mut out, &mut session)?;
    if let Some(path) = &args.events {
        let mut file = std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        );
        for event in session.events() {
            serde_json::to_writer(&mut file, event)?;
            file.write_all(b"\n")?;
        }
        file.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(out: &mut impl Write, session: &mut Session) -> std::io::Result<()> {
    let view = session.view();
    let m = &view.mechanisms;
    let scenario = session.scenario().clone();
    let engine = session.engine();
    writeln!(out, "Summary")?;
    writeln!(out, "  IPCR: {}", m.ipcr.keyword().replace('_', " "))?;
    let flag = |b: bool| if b { "yes" } else { "no" };
    writeln!(
        out,
        "  CSIRTs Network case: {}   EU-CyCLONe active: {}",
        flag(m.csirts_case_open),
        flag(m.cyclone_active)
    )?;
    writeln!(
        out,
        "  Reserve requested: {}   deployed: {}",
        flag(!m.reserve_requests.is_empty()),
        flag(m.reserve_deployed)
    )?;
    let list = |set: &std::collections::BTreeSet<String>| {
        if set.is_empty() {
            "none".to_owned()
        } else {
            set.iter().cloned().collect::<Vec<_>>().join(", ")
        }
    };
    writeln!(
        out,
        "  Art. 222 invoked by: {}   Art. 42(7) invoked by: {}",
        list(&m.art222),
        list(&m.art427)
    )?;
    // Each invocation that the facts do not bear out is recorded, not refused: the facilitator sees why.
    for e in engine.events() {
        if let EventKind::MechanismChanged {
            mechanism:
                mechanism @ (Mechanism::Art222
                | Mechanism::Art427
                | Mechanism::Toolbox
                | Mechanism::Attribution),
            state,
            ..
        } = &e.kind
            && (state.starts_with(doctrine::CONTESTED)
                || state.starts_with(doctrine::NO_ASSESSMENT))
        {
            writeln!(out, "    {mechanism} {state}")?;
        }
    }
    // Art. 42(7): every other government's answer, per invoking state.
    for (victim, answers) in &m.art427_responses {
        writeln!(out, "  Art. 42(7) aid and assistance to {victim}:")?;
        for (country, answer) in answers {
            writeln!(out, "    {country}: {}", answer.label())?;
        }
    }
    writeln!(
        out,
        "  Attribution by: {}   Toolbox measures adopted: {}",
        list(&m.attributed),
        flag(m.measures_adopted)
    )?;
    let refused = engine
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::RequestRefused { .. }))
        .count();
    let missed = engine
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ObligationMissed { .. }))
        .count();
    writeln!(
        out,
        "  requests refused by the rules: {refused}   NIS2 deadlines missed: {missed}"
    )?;
    let outcomes = engine.criteria().to_vec();
    let met = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Met(_)))
        .count();
    writeln!(out, "  criteria met: {met} of {}", outcomes.len())?;
    for (plan, outcome) in scenario.criteria.iter().zip(outcomes) {
        let c = &scenario.file.objectives[plan.objective].criteria[plan.criterion];
        let mark = match outcome {
            Outcome::Met(t) => format!("met {}", format_offset(t)),
            Outcome::Failed(t) => format!("FAILED {}", format_offset(t)),
            Outcome::Open => "open".into(),
        };
        writeln!(out, "    [{mark}] {}", c.text)?;
    }
    Ok(())
}

/// Reads a journal as `resume` does (a torn last record is dropped with a warning) and checks that its
/// scenario text is the one its hash names; a scenario file changed since is only a warning here, since
/// replay and reports use the journal's own copy.
pub fn load_checked(path: &Path) -> anyhow::Result<Journal> {
    let (journal, torn) = Journal::load_after_crash(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if let Some(warning) = torn {
        eprintln!("{}: warning: {warning}", path.display());
    }
    match journal.check_scenario() {
        Ok(()) => {}
        Err(problem) if problem.contains("has changed since") => {
            eprintln!(
                "{}: warning: {problem}; the journal's own copy is used",
                path.display()
            );
        }
        Err(problem) => anyhow::bail!("{}: {problem}", path.display()),
    }
    Ok(journal)
}

/// `tabletop replay`: exit 0 when the journal reproduces its events, 1 (saying where) when not.
pub fn replay(path: &Path) -> anyhow::Result<ExitCode> {
    let journal = load_checked(path)?;
    match journal::replay(&journal)? {
        Ok(engine) => {
            println!(
                "{}: replay matches ({} commands, {} events, scenario {} sha256 {}…)",
                path.display(),
                journal.entries.len(),
                engine.events().len(),
                journal.header.scenario_id,
                journal::short_hash(&journal.header.scenario_sha256)
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(d) => {
            eprintln!(
                "{}: replay differs at command {} ({:?})",
                path.display(),
                d.entry + 1,
                d.command
            );
            let first = d
                .expected
                .iter()
                .zip(&d.replayed)
                .position(|(a, b)| a != b)
                .unwrap_or(d.expected.len().min(d.replayed.len()));
            eprintln!("  first differing event #{}:", first + 1);
            eprintln!(
                "    recorded: {}",
                d.expected.get(first).map_or("(none)", String::as_str)
            );
            eprintln!(
                "    replayed: {}",
                d.replayed.get(first).map_or("(none)", String::as_str)
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
