//! `tabletop join`: take a seat in an exercise hosted on the LAN. The participant window in the `gui`
//! build; `--text` prints the seat's inbox and pending decisions as they arrive and reads simple commands
//! (`decide`, `request`) from standard input (for debugging, tests and a terminal-only participant).

use std::collections::BTreeSet;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use std::sync::mpsc::Receiver;

use crate::domain::Action;
use crate::net::{Client, Status};
use crate::scenario::time::format_offset;
use crate::sim::seat::{SeatAction, SeatView};

pub struct JoinArgs {
    pub addr: String,
    pub code: String,
    pub text: bool,
}

pub fn run(args: &JoinArgs) -> anyhow::Result<ExitCode> {
    let mut client = Client::connect(&args.addr, &args.code)?;
    if args.text {
        return text_mode(&mut client);
    }
    #[cfg(feature = "gui")]
    {
        open_participant_window(client)
    }
    #[cfg(not(feature = "gui"))]
    {
        drop(client);
        eprintln!(
            "error: this build has no participant window (rebuild with the default `gui` feature), \
             or follow the seat in the terminal with --text"
        );
        Ok(ExitCode::FAILURE)
    }
}

/// The participant window of the `gui` build, fed by `client` until the window closes.
#[cfg(feature = "gui")]
pub fn open_participant_window(client: Client) -> anyhow::Result<ExitCode> {
    crate::ui::join::run(client)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints what reaches the seat until the exercise ends or the connection closes; sends what is typed.
fn text_mode(client: &mut Client) -> anyhow::Result<ExitCode> {
    let typed = typed_lines();
    let out = std::io::stdout();
    let mut out = out.lock();
    let mut seen_items = BTreeSet::new();
    let mut seen_decisions = BTreeSet::new();
    let mut views = 0;
    let mut welcomed = false;
    let mut ended = false;
    loop {
        client.wait_until(Duration::from_millis(200), |c| {
            c.views_received() != views || matches!(c.status(), Status::Closed { .. })
        });
        match client.status() {
            Status::Connected { seat, name } if !welcomed => {
                welcomed = true;
                writeln!(out, "joined as {name} ({seat})")?;
            }
            Status::Closed { reason } => {
                // Anything that arrived before the close is printed first.
                if let Some(view) = client.latest_view() {
                    print_new(&mut out, &view, &mut seen_items, &mut seen_decisions)?;
                    ended |= view.ended;
                }
                writeln!(out, "connection closed: {reason}")?;
                return Ok(if ended {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                });
            }
            _ => {}
        }
        while let Ok(line) = typed.try_recv() {
            match parse_command(&line) {
                Ok(Some(action)) => {
                    let id = client.send(action);
                    writeln!(out, "sent #{id}")?;
                }
                Ok(None) => {}
                Err(help) => writeln!(out, "{help}")?,
            }
        }
        for result in client.results() {
            match result.outcome {
                Ok(()) => writeln!(out, "#{} done", result.id)?,
                Err(why) => writeln!(out, "#{} refused: {why}", result.id)?,
            }
        }
        if client.views_received() != views {
            views = client.views_received();
            if let Some(view) = client.latest_view() {
                print_new(&mut out, &view, &mut seen_items, &mut seen_decisions)?;
                if view.ended && !ended {
                    ended = true;
                    writeln!(out, "{}  the exercise has ended", format_offset(view.now))?;
                }
            }
        }
        out.flush()?;
    }
}

/// Prints the inbox items and pending decisions not printed before, oldest first.
fn print_new(
    out: &mut impl std::io::Write,
    view: &SeatView,
    seen_items: &mut BTreeSet<usize>,
    seen_decisions: &mut BTreeSet<String>,
) -> std::io::Result<()> {
    for item in view.inbox.iter().rev() {
        if seen_items.insert(item.id) {
            let direction = if item.sent { "sent" } else { "from" };
            let who = if item.sent {
                item.to.join(", ")
            } else {
                item.from.clone()
            };
            writeln!(
                out,
                "{}  inbox [{}] {direction} {who}: {}",
                format_offset(item.at),
                item.tlp,
                item.subject
            )?;
        }
    }
    for decision in &view.pending {
        if seen_decisions.insert(decision.id.clone()) {
            let deadline = decision
                .deadline
                .map_or_else(String::new, |d| format!(" (by {})", format_offset(d)));
            writeln!(
                out,
                "{}  decision {}{deadline}: {}",
                format_offset(view.now),
                decision.id,
                decision.prompt
            )?;
            for (id, label) in &decision.options {
                writeln!(out, "      {id}: {label}")?;
            }
        }
    }
    Ok(())
}

const TEXT_HELP: &str = "commands: `decide DECISION OPTION [RATIONALE...]`, \
`request ACTION [INCIDENT]` (e.g. `request OpenCsirtsCase ransom_water`)";

/// Standard input, line by line, from a thread (so waiting for the host and for typing do not block
/// each other). The channel simply ends at end of input.
fn typed_lines() -> Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let _ = std::thread::Builder::new()
        .name("tabletop-join-stdin".into())
        .spawn(move || {
            for line in std::io::stdin().lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    rx
}

/// A typed line as an action; `Ok(None)` for a blank line, `Err` with help for anything else.
fn parse_command(line: &str) -> Result<Option<SeatAction>, String> {
    let mut words = line.split_whitespace();
    match words.next() {
        None => Ok(None),
        Some("decide") => {
            let (Some(decision), Some(option)) = (words.next(), words.next()) else {
                return Err(format!(
                    "decide needs a decision and an option; {TEXT_HELP}"
                ));
            };
            Ok(Some(SeatAction::Decide {
                decision: decision.to_owned(),
                option: option.to_owned(),
                rationale: words.collect::<Vec<_>>().join(" "),
            }))
        }
        Some("request") => {
            let name = words.next().ok_or_else(|| TEXT_HELP.to_owned())?;
            // Actions are named as in the journal: `InvokeArt427`, or `Ipcr:FullActivation` for those
            // with a parameter.
            let json = match name.split_once(':') {
                Some((variant, value)) => format!("{{\"{variant}\":\"{value}\"}}"),
                None => format!("\"{name}\""),
            };
            let request: Action = serde_json::from_str(&json)
                .map_err(|_| format!("`{name}` is not a request; {TEXT_HELP}"))?;
            Ok(Some(SeatAction::Request {
                request,
                incident: words.next().map(str::to_owned),
            }))
        }
        Some(_) => Err(TEXT_HELP.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IpcrMode;

    #[test]
    fn typed_commands_become_seat_actions() {
        assert_eq!(
            parse_command("decide dec_share opt_share_now Slovakia must know"),
            Ok(Some(SeatAction::Decide {
                decision: "dec_share".into(),
                option: "opt_share_now".into(),
                rationale: "Slovakia must know".into(),
            }))
        );
        assert_eq!(
            parse_command("request OpenCsirtsCase ransom_water"),
            Ok(Some(SeatAction::Request {
                request: Action::OpenCsirtsCase,
                incident: Some("ransom_water".into()),
            }))
        );
        assert_eq!(
            parse_command("request Ipcr:FullActivation"),
            Ok(Some(SeatAction::Request {
                request: Action::Ipcr(IpcrMode::FullActivation),
                incident: None,
            }))
        );
        assert_eq!(parse_command("   "), Ok(None));
        assert!(parse_command("decide only_one").is_err());
        assert!(parse_command("request Nonsense").is_err());
        assert!(parse_command("fire inj_x").is_err());
    }
}
