//! `tabletop host`: serve an exercise to participants on the LAN without the console: the clock runs at a
//! chosen speed, every seat action arrives through `net::Host`, and everything is journaled.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::journal;
use crate::net::codes_file::{
    CODES_FILE, codes_for_folder, fresh_codes, read_codes, seat_name, write_codes,
};
use crate::net::{Host, HostEvent, JoinCode};
use crate::scenario::time::format_offset;
use crate::session::{Recording, Session};
use crate::sim::seat::SeatAction;
use crate::sim::{Advance, Command};

/// How long the host stays up after the end, so every participant receives the final view.
const FAREWELL: Duration = Duration::from_secs(3);

pub struct HostArgs {
    pub scenario: String,
    pub listen: String,
    pub seed: u64,
    /// Reuse these codes (a `join-codes.txt` from an earlier run) instead of making new ones.
    pub codes: Option<PathBuf>,
    /// Simulated minutes per real second.
    pub speed: f64,
    /// Hold the clock at the start until every seat has joined (or Enter is pressed).
    pub wait: bool,
}

pub fn run(args: &HostArgs) -> anyhow::Result<ExitCode> {
    check_speed(args.speed)?;
    let Some((text, scenario)) = super::run::load_scenario(&args.scenario)? else {
        return Ok(ExitCode::FAILURE);
    };
    let codes = match &args.codes {
        Some(path) => read_codes(path, &scenario)?,
        None => fresh_codes(&scenario)?,
    };
    let start = super::run::start_from(&args.scenario, text, scenario.clone(), args.seed);
    let exercises = journal::exercises_dir();
    let session =
        Session::start(start, &Recording::NewFolderIn(exercises.clone())).with_context(|| {
            format!(
                "cannot start the exercise's journal under {}",
                exercises.display()
            )
        })?;
    let path = session
        .journal_path()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let folder = path.parent().unwrap_or(Path::new("."));
    let codes_path = folder.join(CODES_FILE);
    write_codes(&codes_path, &scenario, &codes)
        .with_context(|| format!("cannot write {}", codes_path.display()))?;

    serve(
        session,
        &codes,
        &codes_path,
        &Serving {
            listen: args.listen.clone(),
            speed: args.speed,
            wait: args.wait,
        },
    )
}

/// How an exercise is served: where, how fast the clock runs, whether it waits for the seats.
pub struct Serving {
    pub listen: String,
    /// Simulated minutes per real second.
    pub speed: f64,
    /// Hold the clock until every seat has joined (or Enter is pressed).
    pub wait: bool,
}

/// Goes on serving an exercise resumed from its journal: the participants keep the codes in its folder.
pub fn serve_resumed(session: Session, serving: &Serving) -> anyhow::Result<ExitCode> {
    check_speed(serving.speed)?;
    let path = session
        .journal_path()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let folder = path.parent().unwrap_or(Path::new("."));
    let codes = codes_for_folder(folder, session.scenario())?;
    serve(session, &codes, &folder.join(CODES_FILE), serving)
}

fn check_speed(speed: f64) -> anyhow::Result<()> {
    if !(speed.is_finite() && speed > 0.0) {
        anyhow::bail!(
            "--speed must be a positive number of simulated minutes per second, not {speed}"
        );
    }
    Ok(())
}

/// Serves `session` on the LAN until the exercise ends or Ctrl-C: the clock runs at the chosen speed from
/// where the exercise stands, and every seat's action goes through the session's journal.
fn serve(
    mut session: Session,
    codes: &[(String, JoinCode)],
    codes_path: &Path,
    serving: &Serving,
) -> anyhow::Result<ExitCode> {
    let scenario = session.scenario().clone();
    let path = session
        .journal_path()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let args = serving;
    let mut host = Host::bind(args.listen.as_str(), codes.to_vec())
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let out = std::io::stdout();
    let mut out = out.lock();
    writeln!(
        out,
        "{} — seed {}, {} simulated minute(s) per second, from {}",
        scenario.file.title,
        session.header().seed,
        args.speed,
        format_offset(session.now())
    )?;
    writeln!(out, "journal: {}", path.display())?;
    writeln!(out, "listening on ws://{}", host.local_addr())?;
    writeln!(
        out,
        "\nJoin codes (TLP:RED: give each only to its seat's participant; also in {}):",
        codes_path.display()
    )?;
    for (seat, code) in codes {
        writeln!(out, "  {seat:<20} {code}  {}", seat_name(&scenario, seat))?;
    }
    writeln!(
        out,
        "\nParticipants run: tabletop join {} --code CODE\nCtrl-C stops hosting; `tabletop resume {} --host ADDR` goes on from the journal with the same codes.\n",
        host.local_addr(),
        path.display()
    )?;
    out.flush()?;

    let base = session.now();
    let mut started = (!args.wait).then(Instant::now);
    let enter = args.wait.then(enter_presses);
    let mut missing_shown: Option<Vec<String>> = None;
    let mut printed = session.events().len();
    let mut ended_at: Option<Instant> = None;
    let interrupted = ctrl_c_flag(&mut out)?;
    loop {
        if interrupted.load(Ordering::SeqCst) {
            host.shutdown(Duration::from_secs(3));
            writeln!(
                out,
                "\nStopped at {}. Every action so far is in the journal; go on with: tabletop resume {} --host ADDR",
                format_offset(session.now()),
                path.display()
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        for event in host.pump(&mut session) {
            writeln!(out, "{}", describe(session.now(), &event))?;
        }
        if started.is_none()
            && everyone_or_enter(&host, codes, enter.as_ref(), &mut missing_shown, &mut out)?
        {
            started = Some(Instant::now());
            writeln!(
                out,
                "{}  [net] the clock starts",
                format_offset(session.now())
            )?;
        }
        if let Some(started) = started
            && ended_at.is_none()
        {
            // From where the exercise stood when serving began (T+00:00, or a resumed moment).
            let target = base.saturating_add(simulated_minutes(started.elapsed(), args.speed));
            let now = session.now();
            if target > now {
                if let Err(e) = session.submit(Command::Advance(Advance::To(target))) {
                    writeln!(out, "WARNING: clock not advanced: {e}")?;
                }
                host.views_changed();
            }
        }
        for event in &session.events()[printed..] {
            writeln!(out, "{}", event.line())?;
        }
        printed = session.events().len();
        out.flush()?;
        if session.ended() {
            let since = *ended_at.get_or_insert_with(Instant::now);
            if since.elapsed() >= FAREWELL {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    host.publish(&mut session);
    host.shutdown(Duration::from_secs(3));
    writeln!(
        out,
        "\nThe exercise has ended. Journal: {}\nReport: tabletop report {}",
        path.display(),
        path.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// With `--wait`: whether the clock may start (every seat joined, or the facilitator pressed Enter);
/// prints who is still missing whenever that changes.
fn everyone_or_enter(
    host: &Host,
    codes: &[(String, JoinCode)],
    enter: Option<&std::sync::mpsc::Receiver<()>>,
    missing_shown: &mut Option<Vec<String>>,
    out: &mut impl std::io::Write,
) -> anyhow::Result<bool> {
    let connected: Vec<String> = host.connected().into_iter().map(|c| c.seat).collect();
    let missing: Vec<String> = codes
        .iter()
        .map(|(seat, _)| seat.clone())
        .filter(|seat| !connected.contains(seat))
        .collect();
    let pressed = enter.is_some_and(|e| e.try_recv().is_ok());
    if missing.is_empty() || pressed {
        return Ok(true);
    }
    if missing_shown.as_ref() != Some(&missing) {
        writeln!(
            out,
            "waiting for {} seat(s): {} (press Enter to start the clock now)",
            missing.len(),
            missing.join(", ")
        )?;
        *missing_shown = Some(missing);
    }
    Ok(false)
}

/// Set when the facilitator presses Ctrl-C, so hosting ends politely: participants are told the host
/// stopped instead of seeing a reset connection.
fn ctrl_c_flag(out: &mut impl std::io::Write) -> anyhow::Result<Arc<AtomicBool>> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let flag = interrupted.clone();
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
        writeln!(out, "WARNING: Ctrl-C will not stop hosting cleanly ({e})")?;
    }
    Ok(interrupted)
}

/// A message for each line typed on standard input (the facilitator pressing Enter), from a thread.
fn enter_presses() -> std::sync::mpsc::Receiver<()> {
    let (tx, rx) = std::sync::mpsc::channel();
    let _ = std::thread::Builder::new()
        .name("tabletop-host-stdin".into())
        .spawn(move || {
            for _ in std::io::stdin().lines().map_while(Result::ok) {
                if tx.send(()).is_err() {
                    break;
                }
            }
        });
    rx
}

/// Whole simulated minutes after `elapsed` real time at `speed` minutes per second.
fn simulated_minutes(elapsed: Duration, speed: f64) -> u32 {
    let minutes = (elapsed.as_secs_f64() * speed).floor();
    if minutes >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        // In range and whole: checked just above, and floor() of a non-negative number.
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a non-negative whole number below u32::MAX"
        )]
        let whole = minutes as u32;
        whole
    }
}

/// One line for the host's log.
fn describe(now: u32, event: &HostEvent) -> String {
    let at = format_offset(now);
    match event {
        HostEvent::Joined {
            seat,
            peer,
            replaced,
        } => format!(
            "{at}  [net] {seat} joined from {peer}{}",
            if *replaced {
                " (replacing its earlier connection)"
            } else {
                ""
            }
        ),
        HostEvent::Left { seat, peer, reason } => {
            format!("{at}  [net] {seat} left ({peer}): {reason}")
        }
        HostEvent::Acted {
            seat,
            action,
            outcome,
        } => {
            let what = summary(action);
            match outcome {
                Ok(()) => format!("{at}  [net] {seat}: {what}"),
                Err(why) => format!("{at}  [net] {seat}: {what} — refused: {why}"),
            }
        }
        HostEvent::TurnedAway { peer, reason } => {
            format!("{at}  [net] connection from {peer} turned away: {reason}")
        }
    }
}

fn summary(action: &SeatAction) -> String {
    match action {
        SeatAction::Decide {
            decision, option, ..
        } => format!("decide {decision} → {option}"),
        SeatAction::Request { request, incident } => match incident {
            Some(i) => format!("request {request:?} for {i}"),
            None => format!("request {request:?}"),
        },
        SeatAction::Share {
            to, tlp, subject, ..
        } => format!("share \"{subject}\" ({tlp}) with {}", to.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulated_minutes_are_whole_and_saturate() {
        assert_eq!(simulated_minutes(Duration::from_millis(2500), 1.0), 2);
        assert_eq!(simulated_minutes(Duration::from_secs(10), 0.5), 5);
        assert_eq!(simulated_minutes(Duration::from_secs(1), 1e12), u32::MAX);
    }
}
