//! Participants on the facilitator's machine: a window per seat (egui viewports) or the whole screen
//! handed to one seat (hot seat). Both draw the same participant panel from the seat's `SeatView`, and
//! the participant's actions go through the console's one `apply`, journaled like any other command.

use std::collections::BTreeMap;

use crate::sim::seat::{SeatAction, SeatView};

use super::super::participant::ParticipantPanel;

/// The seats being shown, and their panels' screen state.
#[derive(Default)]
pub struct Seats {
    /// Seats with a window of their own.
    pub windows: BTreeMap<String, ParticipantPanel>,
    /// The seat that has the whole screen, if any.
    pub hot_seat: Option<(String, ParticipantPanel)>,
}

/// The "Participants" menu of the clock bar: open a seat's window or give it the screen.
pub fn menu_ui(ui: &mut egui::Ui, seats: &mut Seats, list: &[(String, String)]) {
    ui.menu_button("Participants", |ui| {
        ui.label(egui::RichText::new("A window per seat (same machine)").weak());
        for (id, name) in list {
            let open = seats.windows.contains_key(id);
            if ui
                .add_enabled(!open, egui::Button::new(format!("Open window: {name}")))
                .clicked()
            {
                seats
                    .windows
                    .insert(id.clone(), ParticipantPanel::default());
                ui.close();
            }
        }
        ui.separator();
        ui.label(egui::RichText::new("Hot seat (this screen)").weak());
        for (id, name) in list {
            if ui.button(format!("Hot seat: {name}")).clicked() {
                seats.hot_seat = Some((id.clone(), ParticipantPanel::default()));
                ui.close();
            }
        }
    });
}

/// Draws one seat's window as its own viewport; returns its actions and whether it was closed.
pub fn window_ui(
    ctx: &egui::Context,
    seat: &str,
    title: &str,
    panel: &mut ParticipantPanel,
    view: &SeatView,
) -> (Vec<SeatAction>, bool) {
    ctx.show_viewport_immediate(
        egui::ViewportId::from_hash_of(("participant", seat)),
        egui::ViewportBuilder::default()
            .with_title(format!("tabletop — {title}"))
            .with_inner_size([1200.0, 800.0]),
        |ui, _class| {
            let closed = ui.input(|i| i.viewport().close_requested());
            let actions = egui::CentralPanel::default()
                .show(ui, |ui| panel.ui(ui, view))
                .inner;
            (actions, closed)
        },
    )
}
