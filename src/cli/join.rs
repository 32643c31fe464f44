//! `tabletop join`: take a seat in an exercise hosted on the LAN. The participant window in the `gui`
//! build; `--text` prints the seat's inbox and pending decisions as they arrive (for debugging and tests).

use std::collections::BTreeSet;
use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use crate::net::{Client, Status};
use crate::scenario::time::format_offset;
use crate::sim::seat::SeatView;

pub struct JoinArgs {
    pub addr: String,
    pub code: String,
    pub text: bool,
}

pub fn run(args: &JoinArgs) -> anyhow::Result<ExitCode> {
    let client = Client::connect(&args.addr, &args.code)?;
    if args.text {
        return text_mode(&client);
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

/// Prints what reaches the seat until the exercise ends or the connection closes.
fn text_mode(client: &Client) -> anyhow::Result<ExitCode> {
    let out = std::io::stdout();
    let mut out = out.lock();
    let mut seen_items = BTreeSet::new();
    let mut seen_decisions = BTreeSet::new();
    let mut views = 0;
    let mut welcomed = false;
    let mut ended = false;
    loop {
        client.wait_until(Duration::from_millis(500), |c| {
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
