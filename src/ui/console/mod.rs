//! The facilitator console: one screen with the clock, the MSEL, the situation, the mechanisms, the
//! decisions, the log, observations and trends. Panels read one `View` per frame and push `Command`s;
//! the console submits them to its `Session` in one place, after the panels have drawn.

mod decisions;
mod lan;
mod log;
mod mechanisms;
mod msel;
mod observations;
mod seats;
mod situation;
mod trends;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::journal::{Entry, Journal};
use crate::scenario::Scenario;
use crate::scenario::time::{Minutes, format_offset, parse_duration};
use crate::session::{Recording, Session, Start, SubmitError};
use crate::sim::seat::SeatAction;
use crate::sim::{Advance, Command, Event, View};

use super::app::Next;

/// Clock speed: how much simulated time passes per real second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speed {
    X1,
    X10,
    X60,
    X600,
}

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::X1, Speed::X10, Speed::X60, Speed::X600];

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Speed::X1 => "1× (real time)",
            Speed::X10 => "10×",
            Speed::X60 => "60× (1 min/s)",
            Speed::X600 => "600× (10 min/s)",
        }
    }

    fn minutes_per_second(self) -> f64 {
        match self {
            Speed::X1 => 1.0 / 60.0,
            Speed::X10 => 10.0 / 60.0,
            Speed::X60 => 1.0,
            Speed::X600 => 10.0,
        }
    }
}

/// What every panel gets for one frame.
pub(crate) struct Desk<'a> {
    pub scenario: &'a Scenario,
    pub view: &'a View,
    pub events: &'a [Event],
    pub players: &'a BTreeMap<String, String>,
    pub commands: &'a mut Vec<Command>,
}

impl Desk<'_> {
    /// "CERT-Bund (Anna)" or "CERT-Bund (nobody)" for a seat; the actor's name otherwise.
    pub fn who(&self, actor: &str) -> String {
        let label = who(self.scenario, self.players, actor);
        if self.scenario.is_seat(actor) && !self.players.contains_key(actor) {
            format!("{label} (nobody)")
        } else {
            label
        }
    }
}

/// "CERT-Bund (Anna)" for a seat someone plays; the actor's name otherwise (its id if there is none).
fn who(scenario: &Scenario, players: &BTreeMap<String, String>, actor: &str) -> String {
    let name = scenario
        .actor_index(actor)
        .map_or(actor, |i| scenario.file.actors[i].name.as_str());
    match players.get(actor) {
        Some(p) => format!("{name} ({p})"),
        None => name.to_owned(),
    }
}

pub struct Console {
    /// The exercise: engine, journal and seat views. Every change goes through `Session::submit`.
    session: Session,
    scenario: Arc<Scenario>,
    /// The facilitator's snapshot, refreshed after every applied command.
    view: View,
    speed: Speed,
    playing: bool,
    carry_min: f64,
    status: Option<String>,
    jump: String,
    trends: trends::Trends,
    /// The session revision the view and trends were computed at.
    seen_revision: u64,
    msel: msel::MselState,
    log: log::LogState,
    decisions: decisions::DecisionsState,
    observations: observations::Draft,
    situation: situation::SituationState,
    /// Participants on this machine: windows per seat and the hot seat.
    seats: seats::Seats,
    /// The exercise served on the LAN, once the facilitator starts hosting.
    lan: Option<lan::Lan>,
    /// Where to listen when hosting starts.
    lan_addr: String,
}

impl Console {
    /// A new exercise. Its journal goes to a fresh folder under the exercises directory; if that cannot be
    /// written the exercise still runs unrecorded, with a warning on screen.
    pub fn new(start: Start, clock: Speed, exercises: &std::path::Path) -> Console {
        let (session, status) = match Session::start(
            start.clone(),
            &Recording::NewFolderIn(exercises.to_path_buf()),
        ) {
            Ok(session) => (session, None),
            Err(e) => (
                Session::start_unrecorded(start),
                Some(format!(
                    "Not recording: cannot write the journal under {} ({e})",
                    exercises.display()
                )),
            ),
        };
        let mut console = Console::with_session(session, clock);
        console.status = status;
        console
    }

    /// An exercise restored from its journal, going on where it stopped; `warnings` from the resume are
    /// shown on the status line.
    pub fn resumed(session: Session, warnings: &[String]) -> Console {
        let mut console = Console::with_session(session, Speed::X60);
        let mut status = format!(
            "Resumed at {} from the journal",
            format_offset(console.view.now)
        );
        for w in warnings {
            status.push_str("; ");
            status.push_str(w);
        }
        console.status = Some(status);
        console
    }

    fn with_session(mut session: Session, clock: Speed) -> Console {
        let view = session.view();
        let scenario = session.scenario().clone();
        let mut trends = trends::Trends::default();
        trends.update(&scenario, session.events(), view.now);
        Console {
            seen_revision: session.revision(),
            session,
            scenario,
            view,
            speed: clock,
            playing: false,
            carry_min: 0.0,
            status: None,
            jump: String::new(),
            trends,
            msel: msel::MselState::default(),
            log: log::LogState::default(),
            decisions: decisions::DecisionsState::default(),
            observations: observations::Draft::default(),
            situation: situation::SituationState::default(),
            seats: seats::Seats::default(),
            lan: None,
            lan_addr: "0.0.0.0:7878".to_owned(),
        }
    }

    /// Where this exercise's journal is written, if it is.
    #[must_use]
    pub fn journal_path(&self) -> Option<&std::path::Path> {
        self.session.journal_path()
    }

    /// The engine, for tests and tooling (read-only; changes go through `apply`).
    #[must_use]
    pub fn engine(&self) -> &crate::sim::Engine {
        self.session.engine()
    }

    /// The exercise, for tests and tooling (read-only; changes go through `apply`).
    #[must_use]
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Whether the clock is running.
    #[must_use]
    pub fn playing(&self) -> bool {
        self.playing
    }

    /// Every command applied so far with its outcome.
    #[must_use]
    pub fn steps(&self) -> &[Entry] {
        self.session.entries()
    }

    /// Applies one command now, recording it; a refusal or a journal failure becomes the status line.
    pub fn apply(&mut self, command: Command) {
        let quiet = matches!(command, Command::Advance(_));
        match self.session.submit(command) {
            Ok(_) if !quiet => self.status = None,
            Ok(_) => {}
            Err(SubmitError::Refused(refusal)) => self.status = Some(format!("Refused: {refusal}")),
            Err(e) => {
                // Not applied: the room keeps seeing the state the journal holds.
                self.status = Some(format!("NOT APPLIED: {e}"));
                self.playing = false;
            }
        }
        self.refresh();
    }

    /// Recomputes the view and trends when the exercise changed (a command here, or one from the LAN).
    fn refresh(&mut self) {
        if self.session.revision() == self.seen_revision {
            return;
        }
        self.seen_revision = self.session.revision();
        self.view = self.session.view();
        self.trends
            .update(&self.scenario, self.session.events(), self.view.now);
        if self.session.ended() {
            self.playing = false;
        }
    }

    /// Writes `report.html` and `report.md` into the exercise's folder, from the journal on disk (the same
    /// record `tabletop report` reads), and returns the HTML's path.
    pub fn export_report(&self) -> anyhow::Result<std::path::PathBuf> {
        use anyhow::Context as _;
        let path = self
            .journal_path()
            .context("this exercise is not being recorded")?;
        let (journal, _) = Journal::load_after_crash(path)
            .with_context(|| format!("cannot read the journal {}", path.display()))?;
        let report = crate::report::Report::from_journal(&journal)?;
        let folder = path.parent().unwrap_or(std::path::Path::new("."));
        let html = folder.join("report.html");
        std::fs::write(&html, crate::report::html::render(&report))
            .with_context(|| format!("cannot write {}", html.display()))?;
        let md = folder.join("report.md");
        std::fs::write(&md, crate::report::markdown::render(&report))
            .with_context(|| format!("cannot write {}", md.display()))?;
        Ok(html)
    }

    /// Starts or stops the clock. The engine keeps a record of pauses; the clock itself only moves by
    /// Advance commands, so pausing shifts nothing.
    fn set_playing(&mut self, play: bool) {
        if play == self.playing || (play && self.session.ended()) {
            return;
        }
        if play && self.view.paused {
            self.apply(Command::Resume);
        }
        if !play && !self.view.paused {
            self.apply(Command::Pause);
        }
        self.playing = play && !self.view.paused;
        self.carry_min = 0.0;
    }

    /// Applies what a participant did, as that seat; a refusal's reason goes back to the participant.
    fn apply_seat_actions(&mut self, seat: &str, actions: Vec<SeatAction>) -> Vec<String> {
        let mut notices = Vec::new();
        for action in actions {
            let what = match &action {
                SeatAction::Decide { .. } => "Decision recorded.".to_owned(),
                SeatAction::Request { request, .. } => {
                    format!("Request sent: {}.", request.label())
                }
                SeatAction::Share { to, .. } => format!("Shared with {} seat(s).", to.len()),
            };
            match self.session.submit_seat_action(seat, action) {
                Err(SubmitError::Refused(refusal)) => {
                    notices.push(format!("Refused: {}", refusal.reason));
                }
                Err(e) => notices.push(format!("Not applied: {e}")),
                Ok(_) => notices.push(what),
            }
        }
        self.refresh();
        notices
    }

    /// The seats of the scenario as (id, name), for the participants menu.
    fn seat_list(&self) -> Vec<(String, String)> {
        self.scenario
            .seats()
            .map(|a| (a.id.clone(), self.who(&a.id)))
            .collect()
    }

    fn who(&self, seat: &str) -> String {
        who(&self.scenario, self.session.players(), seat)
    }

    /// The screen handed to one seat: only the participant panel and a way back.
    fn hot_seat_ui(&mut self, ui: &mut egui::Ui) {
        let Some((seat, mut panel)) = self.seats.hot_seat.take() else {
            return;
        };
        let mut back = false;
        egui::Panel::top("hot_seat_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(egui::RichText::new(format!("Hot seat: {}", self.who(&seat))).strong());
                back = ui.button("Back to the console").clicked();
            });
        });
        if let Some(view) = self.session.seat_view(&seat) {
            let actions = egui::CentralPanel::default()
                .show(ui, |ui| panel.ui(ui, &view))
                .inner;
            for notice in self.apply_seat_actions(&seat, actions) {
                panel.notice(notice);
            }
        }
        if !back {
            self.seats.hot_seat = Some((seat, panel));
        }
    }

    /// Each open seat window, as its own native window.
    fn seat_windows_ui(&mut self, ctx: &egui::Context) {
        let open: Vec<String> = self.seats.windows.keys().cloned().collect();
        for seat in open {
            let Some(view) = self.session.seat_view(&seat) else {
                continue;
            };
            let title = self.who(&seat);
            let Some(mut panel) = self.seats.windows.remove(&seat) else {
                continue;
            };
            let (actions, closed) = seats::window_ui(ctx, &seat, &title, &mut panel, &view);
            for notice in self.apply_seat_actions(&seat, actions) {
                panel.notice(notice);
            }
            if !closed {
                self.seats.windows.insert(seat, panel);
            }
        }
    }

    /// Lets the LAN host apply what joined participants did and send fresh views.
    fn pump_lan(&mut self, ctx: &egui::Context) {
        let Some(mut lan) = self.lan.take() else {
            return;
        };
        let events = lan.host.pump(&mut self.session);
        self.refresh();
        lan.record(self.view.now, events);
        lan.window_ui(ctx);
        self.lan = Some(lan);
    }

    /// Starts serving the seats on the LAN (or shows the hosting window again).
    fn host_on_lan(&mut self, ctx: &egui::Context) {
        if let Some(lan) = &mut self.lan {
            lan.window_open = true;
            return;
        }
        let folder = self
            .journal_path()
            .and_then(std::path::Path::parent)
            .map(std::path::Path::to_path_buf);
        match lan::Lan::start(
            &self.lan_addr,
            &self.scenario,
            &self.seat_list(),
            folder.as_deref(),
            ctx,
        ) {
            Ok(lan) => self.lan = Some(lan),
            Err(e) => self.status = Some(format!("Not hosting: {e}")),
        }
    }

    /// The LAN host, when hosting (for tests and tooling).
    #[must_use]
    pub fn lan_address(&self) -> Option<std::net::SocketAddr> {
        self.lan.as_ref().map(|l| l.host.local_addr())
    }

    /// Starts hosting on `addr` (e.g. `127.0.0.1:0`); the join codes by seat.
    pub fn start_hosting(
        &mut self,
        addr: &str,
        ctx: &egui::Context,
    ) -> Result<Vec<(String, String)>, String> {
        addr.clone_into(&mut self.lan_addr);
        self.host_on_lan(ctx);
        match &self.lan {
            Some(lan) => Ok(lan
                .codes
                .iter()
                .map(|(id, _, code)| (id.clone(), code.clone()))
                .collect()),
            None => Err(self.status.clone().unwrap_or_default()),
        }
    }

    pub(super) fn ui(&mut self, ui: &mut egui::Ui) -> Next {
        self.pump_lan(&ui.ctx().clone());
        let mut commands: Vec<Command> = Vec::new();
        if self.seats.hot_seat.is_some() {
            // The participant has the screen: no facilitator shortcuts, but the clock keeps running.
            self.tick(ui, &mut commands);
            for command in commands {
                self.apply(command);
            }
            self.hot_seat_ui(ui);
            self.seat_windows_ui(&ui.ctx().clone());
            if self.playing {
                ui.ctx().request_repaint();
            }
            return Next::Stay;
        }
        self.keyboard(ui, &mut commands);
        self.tick(ui, &mut commands);
        let mut next = Next::Stay;
        egui::Panel::top("clock_bar").show(ui, |ui| {
            if self.clock_bar_ui(ui, &mut commands) {
                next = Next::Back;
            }
        });
        // Borrowed, not copied: with thousands of events a copy per frame would cost the frame rate.
        let mut desk = Desk {
            scenario: &self.scenario,
            view: &self.view,
            events: self.session.events(),
            players: self.session.players(),
            commands: &mut commands,
        };
        egui::Panel::bottom("log_and_trends")
            .resizable(true)
            .default_size(250.0)
            .show(ui, |ui| {
                ui.columns(2, |cols| {
                    log::log_ui(&mut cols[0], &mut desk, &mut self.log);
                    trends::trends_ui(&mut cols[1], &self.trends);
                });
            });
        egui::Panel::left("situation_and_mechanisms")
            .resizable(true)
            .default_size(390.0)
            .max_size(420.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("left_scroll")
                    .show(ui, |ui| {
                        situation::situation_ui(ui, &mut desk, &mut self.situation);
                        ui.separator();
                        mechanisms::mechanisms_ui(ui, &mut desk);
                    });
            });
        egui::Panel::right("decisions_and_observations")
            .resizable(true)
            .default_size(360.0)
            .max_size(420.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("right_scroll")
                    .show(ui, |ui| {
                        decisions::decisions_ui(ui, &mut desk, &mut self.decisions);
                        ui.separator();
                        observations::observations_ui(ui, &mut desk, &mut self.observations);
                    });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            msel::msel_ui(ui, &mut desk, &mut self.msel);
        });
        for command in commands {
            match command {
                Command::Pause => self.set_playing(false),
                Command::Resume => self.set_playing(true),
                Command::Advance(how) => {
                    // Stepping by hand out of a pause resumes the room first (on the record).
                    if self.view.paused {
                        self.apply(Command::Resume);
                    }
                    self.apply(Command::Advance(how));
                }
                other => self.apply(other),
            }
        }
        self.seat_windows_ui(&ui.ctx().clone());
        if self.playing {
            ui.ctx().request_repaint();
        }
        next
    }

    fn keyboard(&mut self, ui: &egui::Ui, commands: &mut Vec<Command>) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let (space, n) =
            ui.input(|i| (i.key_pressed(egui::Key::Space), i.key_pressed(egui::Key::N)));
        if space {
            commands.push(if self.playing {
                Command::Pause
            } else {
                Command::Resume
            });
        }
        if n {
            commands.push(Command::Advance(Advance::NextEvent));
        }
    }

    /// Real time becomes simulated minutes at the chosen speed, in whole minutes.
    fn tick(&mut self, ui: &egui::Ui, commands: &mut Vec<Command>) {
        if !self.playing {
            return;
        }
        // A stalled frame (a dialog, a slow machine) must not make the clock leap.
        let dt = f64::from(ui.input(|i| i.stable_dt).min(0.25));
        self.carry_min += dt * self.speed.minutes_per_second();
        let whole = self.carry_min.floor();
        if whole >= 1.0 {
            self.carry_min -= whole;
            // Bounded by the clamp above: at most a few minutes per frame.
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "small positive whole number"
            )]
            commands.push(Command::Advance(Advance::By(whole as Minutes)));
        }
    }

    /// Returns true when the facilitator leaves the exercise.
    fn clock_bar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) -> bool {
        let mut leave = false;
        // Wraps to a second row on narrow screens rather than hiding "Leave exercise" off the edge.
        ui.horizontal_wrapped(|ui| {
            let now = self.view.now;
            let when = self.scenario.start + chrono::Duration::minutes(i64::from(now));
            ui.label(egui::RichText::new(when.format("%a %d %b %Y %H:%M").to_string()).heading());
            ui.label(egui::RichText::new(format_offset(now)).heading().strong());
            ui.label(
                egui::RichText::new(format!("of {}", format_offset(self.scenario.duration))).weak(),
            );
            ui.separator();
            if self.session.ended() {
                ui.label(egui::RichText::new("Exercise ended").strong());
            } else {
                let play_label = if self.playing {
                    "⏸ Pause (space)"
                } else {
                    "▶ Play (space)"
                };
                if ui.button(play_label).clicked() {
                    commands.push(if self.playing {
                        Command::Pause
                    } else {
                        Command::Resume
                    });
                }
                if ui.button("Next event (N)").clicked() {
                    commands.push(Command::Advance(Advance::NextEvent));
                }
                let speed_label = ui.label("Speed");
                egui::ComboBox::from_id_salt("speed")
                    .selected_text(self.speed.label())
                    .show_ui(ui, |ui| {
                        for speed in Speed::ALL {
                            ui.selectable_value(&mut self.speed, speed, speed.label());
                        }
                    })
                    .response
                    .labelled_by(speed_label.id);
                let jump_label = ui.label("Jump to");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.jump)
                            .desired_width(80.0)
                            .hint_text("T+06:00"),
                    )
                    .labelled_by(jump_label.id);
                let go = ui.button("Go").clicked()
                    || (field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
                if go {
                    match parse_duration(&self.jump) {
                        Ok(t) if t > now => commands.push(Command::Advance(Advance::To(t))),
                        Ok(_) => self.status = Some("Time only moves forward.".into()),
                        Err(e) => self.status = Some(format!("Jump to: {e}")),
                    }
                }
            }
            ui.separator();
            let list = self.seat_list();
            seats::menu_ui(ui, &mut self.seats, &list);
            let lan_label = match &self.lan {
                Some(lan) => format!("LAN: {} connected", lan.host.connected().len()),
                None => "Host on the LAN".to_owned(),
            };
            if ui
                .button(lan_label)
                .on_hover_text("Serve each seat to a participant's own laptop: tabletop join ADDRESS --code CODE")
                .clicked()
            {
                self.host_on_lan(&ui.ctx().clone());
            }
            let export = ui.add_enabled(
                self.session.journal_path().is_some(),
                egui::Button::new("Export report"),
            );
            if export
                .on_hover_text(
                    "Writes the after-action report (HTML and Markdown) next to the journal",
                )
                .on_disabled_hover_text(
                    "This exercise is not being recorded, so there is nothing to report from",
                )
                .clicked()
            {
                self.status = Some(match self.export_report() {
                    Ok(path) => format!("Report written: {}", path.display()),
                    Err(e) => format!("Report not written: {e:#}"),
                });
            }
            if ui.button("Leave exercise").clicked() {
                leave = true;
            }
            if let Some(path) = self.journal_path() {
                // The exercise's own folder (journal, report, join codes), named on screen so the
                // facilitator knows where everything is without hunting for it.
                let folder = path.parent().unwrap_or(path);
                ui.label(
                    egui::RichText::new(format!("⚫ recording to {}", folder.display())).small(),
                )
                .on_hover_text(format!("Journal: {}", path.display()));
            }
            if let Some(status) = &self.status {
                ui.colored_label(ui.visuals().warn_fg_color, status);
            }
        });
        leave
    }
}
