//! Hosting the exercise on the LAN from the console: one join code per seat, who is connected, and what
//! the network did. The console stays the single authority: `Host::pump` runs on the UI thread each frame
//! and applies participants' actions through the console's own `apply`, journaled like the rest.

use std::path::Path;
use std::time::SystemTime;

use crate::net::{Host, HostEvent, codes_file};
use crate::scenario::Scenario;
use crate::scenario::time::format_offset;

/// A running host and what the facilitator sees of it.
pub struct Lan {
    pub host: Host,
    /// `(seat id, seat name, join code)` in scenario order.
    pub codes: Vec<(String, String, String)>,
    /// Recent network happenings, newest last.
    pub log: Vec<String>,
    pub show_codes: bool,
    pub window_open: bool,
}

impl Lan {
    /// Binds `addr` with a code for every seat: the codes already in the exercise's `folder` when it
    /// has them (a resumed exercise: participants keep theirs), fresh ones otherwise (kept there). With no
    /// folder (not recording) the codes are fresh and live only in this window.
    pub fn start(
        addr: &str,
        scenario: &Scenario,
        names: &[(String, String)],
        folder: Option<&Path>,
        ctx: &egui::Context,
    ) -> Result<Lan, String> {
        let pairs = match folder {
            Some(folder) => codes_file::codes_for_folder(folder, scenario),
            None => codes_file::fresh_codes(scenario),
        }
        .map_err(|e| format!("join codes: {e:#}"))?;
        let codes = pairs
            .iter()
            .map(|(id, code)| {
                let name = names
                    .iter()
                    .find(|(seat, _)| seat == id)
                    .map_or_else(|| id.clone(), |(_, n)| n.clone());
                (id.clone(), name, code.to_string())
            })
            .collect();
        let host = Host::bind(addr, pairs).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let repaint = ctx.clone();
        host.set_waker(Box::new(move || repaint.request_repaint()));
        Ok(Lan {
            host,
            codes,
            log: Vec::new(),
            show_codes: false,
            window_open: true,
        })
    }

    /// Turns what the host reported into lines for the facilitator.
    pub fn record(&mut self, now: u32, events: Vec<HostEvent>) {
        for event in events {
            let line = match event {
                HostEvent::Joined {
                    seat,
                    peer,
                    replaced,
                } => format!(
                    "{seat} joined from {peer}{}",
                    if replaced { " (rejoined)" } else { "" }
                ),
                HostEvent::Left { seat, peer, reason } => format!("{seat} left ({peer}): {reason}"),
                HostEvent::Acted { seat, outcome, .. } => match outcome {
                    Ok(()) => continue,
                    Err(refusal) => format!("{seat}: refused: {refusal}"),
                },
                HostEvent::TurnedAway { peer, reason } => format!("turned away {peer}: {reason}"),
            };
            self.log.push(format!("{}  {line}", format_offset(now)));
        }
        let excess = self.log.len().saturating_sub(50);
        self.log.drain(..excess);
    }

    /// The hosting window: address, codes, who is connected, recent network events.
    pub fn window_ui(&mut self, ctx: &egui::Context) {
        let mut open = self.window_open;
        egui::Window::new("Participants on the LAN")
            .open(&mut open)
            .default_width(560.0)
            .show(ctx, |ui| {
                ui.label(format!(
                    "Listening on {} — participants run: tabletop join THIS-MACHINE:{} --code CODE",
                    self.host.local_addr(),
                    self.host.local_addr().port()
                ));
                ui.checkbox(
                    &mut self.show_codes,
                    "Show join codes (TLP:RED: hand each one only to its seat)",
                );
                let connected = self.host.connected();
                egui::Grid::new("lan_seats").striped(true).show(ui, |ui| {
                    ui.strong("Seat");
                    ui.strong("Join code");
                    ui.strong("Connected");
                    ui.end_row();
                    for (id, name, code) in &self.codes {
                        ui.label(name);
                        if self.show_codes {
                            ui.monospace(code);
                        } else {
                            ui.monospace("••••-••••");
                        }
                        match connected.iter().find(|c| &c.seat == id) {
                            Some(c) => {
                                let minutes = SystemTime::now()
                                    .duration_since(c.since)
                                    .map_or(0, |d| d.as_secs() / 60);
                                ui.label(format!("● {} ({minutes} min)", c.peer.ip()));
                            }
                            None => {
                                ui.weak("not connected");
                            }
                        }
                        ui.end_row();
                    }
                });
                if !self.log.is_empty() {
                    ui.separator();
                    for line in self.log.iter().rev().take(8) {
                        ui.small(line);
                    }
                }
            });
        self.window_open = open;
    }
}
