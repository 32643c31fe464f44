//! Exercise setup: the seed (random by default, shown and editable so a run can be repeated), the clock
//! speed, and who sits in which seat.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::scenario::Scenario;

use super::app::Next;
use super::console::{Console, Speed};

pub struct Setup {
    label: String,
    path: Option<std::path::PathBuf>,
    text: String,
    scenario: Arc<Scenario>,
    seed_text: String,
    speed: Speed,
    players: BTreeMap<String, String>,
}

/// A fresh seed from the wall clock: setup is outside the simulation, where randomness must come from a
/// seed the facilitator can see and reuse.
fn fresh_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // Fold to a short number people can read out and type again.
    u64::try_from(nanos % 1_000_000).unwrap_or(0)
}

impl Setup {
    pub fn new(
        label: String,
        path: Option<std::path::PathBuf>,
        text: String,
        scenario: Arc<Scenario>,
    ) -> Setup {
        let players = scenario
            .seats()
            .map(|s| (s.id.clone(), String::new()))
            .collect();
        Setup {
            label,
            path,
            text,
            scenario,
            seed_text: fresh_seed().to_string(),
            speed: Speed::X60,
            players,
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, exercises: &std::path::Path) -> Next {
        let mut next = Next::Stay;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(format!("Set up: {}", self.scenario.file.title));
            ui.label(egui::RichText::new(&self.label).weak());
            ui.add_space(8.0);
            egui::Grid::new("setup_grid").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                let seed_label = ui.label("Seed");
                ui.horizontal(|ui| {
                    ui.text_edit_singleline(&mut self.seed_text).labelled_by(seed_label.id);
                    if ui.button("New seed").clicked() {
                        self.seed_text = fresh_seed().to_string();
                    }
                    if self.seed_text.trim().parse::<u64>().is_err() {
                        ui.colored_label(ui.visuals().error_fg_color, "a whole number, please");
                    }
                });
                ui.end_row();
                ui.label("Clock speed");
                ui.horizontal(|ui| {
                    for speed in Speed::ALL {
                        ui.selectable_value(&mut self.speed, speed, speed.label());
                    }
                });
                ui.end_row();
            });
            ui.add_space(12.0);
            ui.strong("Who sits in which seat");
            ui.label(egui::RichText::new("Leave a seat empty if nobody plays it: you can decide for it from the console.").weak());
            egui::ScrollArea::vertical().max_height(ui.available_height() - 60.0).show(ui, |ui| {
                egui::Grid::new("seats_grid").num_columns(3).striped(true).show(ui, |ui| {
                    for seat in self.scenario.seats() {
                        let label = ui.label(&seat.name);
                        ui.label(egui::RichText::new(seat.kind.label()).weak());
                        if let Some(name) = self.players.get_mut(&seat.id) {
                            ui.add(egui::TextEdit::singleline(name).hint_text("participant name"))
                                .labelled_by(label.id);
                        }
                        ui.end_row();
                    }
                });
            });
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("⬅ Back").clicked() {
                    next = Next::Back;
                }
                let seed = self.seed_text.trim().parse::<u64>();
                if ui.add_enabled(seed.is_ok(), egui::Button::new(egui::RichText::new("Start exercise").strong())).clicked()
                    && let Ok(seed) = seed {
                        let players = self
                            .players
                            .iter()
                            .filter(|(_, n)| !n.trim().is_empty())
                            .map(|(s, n)| (s.clone(), n.trim().to_owned()))
                            .collect();
                        let start = crate::session::Start {
                            scenario: self.scenario.clone(),
                            text: self.text.clone(),
                            seed,
                            scenario_path: self.path.clone(),
                            players,
                        };
                        next = Next::Console(Box::new(Console::new(start, self.speed, exercises)));
                    }
            });
        });
        next
    }
}
