//! The participant's window on their own laptop (`tabletop join`): the participant panel fed by a LAN
//! `Client`. It holds no exercise state: it draws the last view the host sent and sends `SeatAction`s.

use crate::net::{Client, Status};

use super::participant::ParticipantPanel;
use super::theme;

/// One seat joined over the LAN.
pub struct JoinApp {
    client: Client,
    panel: ParticipantPanel,
    /// A reconnect that failed, shown until the next attempt.
    problem: Option<String>,
}

impl JoinApp {
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, client: Client) -> JoinApp {
        theme::install_fonts(&cc.egui_ctx);
        theme::apply(&cc.egui_ctx, theme::ThemeChoice::Dark);
        let ctx = cc.egui_ctx.clone();
        client.set_waker(Box::new(move || ctx.request_repaint()));
        JoinApp {
            client,
            panel: ParticipantPanel::default(),
            problem: None,
        }
    }

    /// The same seat again after a drop: the host sends the same state.
    fn reconnect(&mut self, ctx: &egui::Context) {
        match self.client.reconnect() {
            Ok(client) => {
                let ctx = ctx.clone();
                client.set_waker(Box::new(move || ctx.request_repaint()));
                self.client = client;
                self.problem = None;
            }
            Err(e) => self.problem = Some(e.to_string()),
        }
    }
}

impl eframe::App for JoinApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        for result in self.client.results() {
            if let Err(reason) = result.outcome {
                self.panel.notice(format!("Refused: {reason}"));
            }
        }
        let status = self.client.status();
        egui::Panel::bottom("connection").show(ui, |ui| {
            ui.horizontal(|ui| match &status {
                Status::Connecting => {
                    ui.label(format!("Connecting to {}…", self.client.addr()));
                }
                Status::Connected { .. } => {
                    ui.label(format!("⚫ Connected to {}", self.client.addr()));
                }
                Status::Closed { reason } => {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("Disconnected: {reason}"),
                    );
                    if ui.button("Reconnect").clicked() {
                        self.reconnect(&ui.ctx().clone());
                    }
                }
            });
            if let Some(problem) = &self.problem {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
        });
        let Some(view) = self.client.latest_view() else {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.heading("Waiting for the facilitator's exercise…");
            });
            return;
        };
        let actions = egui::CentralPanel::default()
            .show(ui, |ui| self.panel.ui(ui, &view))
            .inner;
        for action in actions {
            self.client.send(action);
        }
    }
}

/// Opens the participant window; returns when it closes.
pub fn run(client: Client) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 600.0])
            .with_title("tabletop — participant"),
        ..Default::default()
    };
    eframe::run_native(
        "tabletop-participant",
        options,
        Box::new(|cc| Ok(Box::new(JoinApp::new(cc, client)))),
    )
    .map_err(|e| anyhow::anyhow!("the participant window could not start: {e}"))
}
