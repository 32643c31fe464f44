//! Decisions: what is pending, for whom, and how long is left; the facilitator decides for a seat
//! nobody plays. Requests the rules refused, with the reason, and an override that needs a reason.

use std::collections::BTreeMap;

use crate::scenario::time::format_offset;
use crate::sim::{Command, EventKind};

use super::Desk;

#[derive(Default)]
pub struct DecisionsState {
    rationale: BTreeMap<String, String>,
    /// Index into the event stream of the refusal being overridden, and the reason being written.
    overriding: Option<(usize, String)>,
}

pub fn decisions_ui(ui: &mut egui::Ui, desk: &mut Desk, state: &mut DecisionsState) {
    let now = desk.view.now;
    let mut pending: Vec<_> = desk.view.pending_decisions().collect();
    pending.sort_by_key(|d| (d.deadline.unwrap_or(u32::MAX), d.id.clone()));
    ui.heading(format!("Decisions pending ({})", pending.len()));
    if pending.is_empty() {
        ui.label(egui::RichText::new("Nothing waits for a decision.").weak());
    }
    for d in pending {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new(&d.prompt).strong());
            let deciders: Vec<String> = d.by.iter().map(|b| desk.who(b)).collect();
            ui.label(format!("Decides: {}", deciders.join(", ")));
            match d.deadline {
                Some(deadline) => {
                    let left = deadline.saturating_sub(now);
                    let text = format!(
                        "Deadline {} — {} left",
                        format_offset(deadline),
                        format_offset(left).trim_start_matches("T+")
                    );
                    let colour = if left <= 15 {
                        ui.visuals().error_fg_color
                    } else {
                        ui.visuals().text_color()
                    };
                    ui.colored_label(colour, text);
                }
                None => {
                    ui.label(egui::RichText::new("No deadline").weak());
                }
            }
            let nobody_plays = d.by.iter().all(|b| !desk.players.contains_key(b));
            let rationale = state.rationale.entry(d.id.clone()).or_default();
            let label = ui.label(if d.rationale_required {
                "Rationale (required)"
            } else {
                "Rationale"
            });
            ui.text_edit_singleline(rationale).labelled_by(label.id);
            ui.label(
                egui::RichText::new(if nobody_plays {
                    "Nobody plays this seat: decide for it."
                } else {
                    "Decide for the seat (the participant may also answer)."
                })
                .small()
                .weak(),
            );
            let missing_rationale = d.rationale_required && rationale.trim().is_empty();
            ui.horizontal_wrapped(|ui| {
                for (option, label) in &d.options {
                    let button = ui
                        .add_enabled(
                            !missing_rationale,
                            egui::Button::new(format!("Decide: {label}")),
                        )
                        .on_disabled_hover_text("This decision needs a rationale: write it first.");
                    if button.clicked() {
                        desk.commands.push(Command::DecideFor {
                            decision: d.id.clone(),
                            option: option.clone(),
                            rationale: rationale.trim().to_owned(),
                        });
                    }
                }
            });
        });
    }
    ui.add_space(8.0);
    refusals_ui(ui, desk, state);
}

fn refusals_ui(ui: &mut egui::Ui, desk: &mut Desk, state: &mut DecisionsState) {
    let refused: Vec<(usize, &crate::sim::Event)> = desk
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e.kind, EventKind::RequestRefused { .. }))
        .collect();
    ui.heading(format!("Refused by the rules ({})", refused.len()));
    for (index, event) in refused.iter().rev().take(20) {
        let EventKind::RequestRefused {
            by,
            action,
            incident,
            refusal,
        } = &event.kind
        else {
            continue;
        };
        ui.group(|ui| {
            ui.set_width(ui.available_width());
            ui.label(format!(
                "{} {} — {}",
                format_offset(event.at),
                desk.who(by),
                action.label()
            ));
            ui.label(egui::RichText::new(format!("{} ({})", refusal.reason, refusal.rule)).weak());
            match &mut state.overriding {
                Some((i, reason)) if i == index => {
                    let label = ui.label("Reason for the record");
                    ui.text_edit_singleline(reason).labelled_by(label.id);
                    let (mut grant, mut cancel) = (false, false);
                    ui.horizontal(|ui| {
                        grant = ui
                            .add_enabled(
                                !reason.trim().is_empty(),
                                egui::Button::new("Grant anyway"),
                            )
                            .clicked();
                        cancel = ui.button("Cancel").clicked();
                    });
                    if grant {
                        desk.commands.push(Command::Override {
                            by: by.clone(),
                            action: *action,
                            incident: incident.clone(),
                            reason: reason.trim().to_owned(),
                        });
                    }
                    if grant || cancel {
                        state.overriding = None;
                    }
                }
                _ => {
                    if ui.small_button("Override…").clicked() {
                        state.overriding = Some((*index, String::new()));
                    }
                }
            }
        });
    }
}
