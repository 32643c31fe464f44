//! The MSEL panel: every inject with its time or trigger, recipients, channel, TLP and status; fire now,
//! delay or skip a pending one; compose an ad-hoc inject. Rows are virtualised, so 500 injects cost
//! what the visible ones cost.

use egui_extras::{Column, TableBuilder};

use crate::domain::{Channel, Tlp};
use crate::scenario::Trigger;
use crate::scenario::time::format_offset;
use crate::sim::Command;
use crate::sim::state::InjectStatus;

use super::Desk;
use crate::ui::theme;

#[derive(Default)]
pub struct MselState {
    filter: String,
    only_pending: bool,
    composer: Option<AdHoc>,
    /// The clock when the table last followed it: each time it moves, the table scrolls to what is next.
    followed: Option<u32>,
}

/// The ad-hoc inject being written.
struct AdHoc {
    from: String,
    to: Vec<String>,
    channel: Channel,
    tlp: Tlp,
    subject: String,
    body: String,
}

#[expect(
    clippy::too_many_lines,
    reason = "one table, its columns read best in one place"
)]
pub fn msel_ui(ui: &mut egui::Ui, desk: &mut Desk, state: &mut MselState) {
    ui.horizontal(|ui| {
        ui.heading("MSEL");
        let label = ui.label("Filter");
        ui.add(
            egui::TextEdit::singleline(&mut state.filter)
                .desired_width(160.0)
                .hint_text("id, subject, seat"),
        )
        .labelled_by(label.id);
        ui.checkbox(&mut state.only_pending, "Pending only");
        if ui.button("✉ Compose ad-hoc inject").clicked() && state.composer.is_none() {
            let from = desk
                .scenario
                .file
                .actors
                .first()
                .map(|a| a.id.clone())
                .unwrap_or_default();
            state.composer = Some(AdHoc {
                from,
                to: Vec::new(),
                channel: Channel::Email,
                tlp: Tlp::Amber,
                subject: String::new(),
                body: String::new(),
            });
        }
    });
    composer_ui(ui, desk, state);
    let needle = state.filter.to_lowercase();
    let rows: Vec<usize> = desk
        .view
        .injects
        .iter()
        .enumerate()
        .filter(|(_, inj)| !state.only_pending || inj.status == InjectStatus::Waiting)
        .filter(|(i, inj)| {
            if needle.is_empty() {
                return true;
            }
            let spec = &desk.scenario.file.injects[*i];
            inj.id.contains(&needle)
                || spec.subject.to_lowercase().contains(&needle)
                || spec.to.iter().any(|t| t.contains(&needle))
        })
        .map(|(i, _)| i)
        .collect();
    let now = desk.view.now;
    let mut table = TableBuilder::new(ui);
    if state.followed != Some(now) {
        state.followed = Some(now);
        // Keep "what happens next" in sight: the first pending inject, a few delivered ones above it.
        if let Some(next) = rows
            .iter()
            .position(|&i| desk.view.injects[i].status == InjectStatus::Waiting)
        {
            table = table.scroll_to_row(next.saturating_sub(3), Some(egui::Align::TOP));
        }
    }
    table
        .id_salt("msel_table")
        .striped(true)
        .resizable(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        // Time, status and the actions first, so "Fire now" stays on screen however narrow the central
        // panel gets; the subject takes what is left, and who sends to whom is on the subject's hover.
        .column(Column::exact(86.0))
        .column(Column::initial(140.0).clip(true))
        .column(Column::exact(200.0))
        .column(Column::remainder().at_least(140.0).clip(true))
        .column(Column::initial(130.0).clip(true))
        .header(24.0, |mut header| {
            for title in [
                "Time / trigger",
                "Status",
                "Actions",
                "Subject",
                "Channel · TLP",
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(26.0, rows.len(), |mut row| {
                let i = rows[row.index()];
                let spec = &desk.scenario.file.injects[i];
                let inj = &desk.view.injects[i];
                row.col(|ui| {
                    ui.label(match &desk.scenario.triggers[i] {
                        Trigger::At(t) => format_offset(*t),
                        Trigger::When { .. } => "on condition".into(),
                        Trigger::Manual => "manual".into(),
                    });
                });
                row.col(|ui| {
                    ui.label(match inj.status {
                        InjectStatus::Delivered(t) => format!("delivered {}", format_offset(t)),
                        InjectStatus::Skipped => "skipped".into(),
                        InjectStatus::Cancelled => "cancelled".into(),
                        InjectStatus::Waiting => match inj.due {
                            Some(t) => format!("due {}", format_offset(t.max(now))),
                            None => match desk.scenario.triggers[i] {
                                Trigger::Manual => "held for you".into(),
                                _ => "waiting on condition".into(),
                            },
                        },
                    });
                });
                row.col(|ui| {
                    if inj.status != InjectStatus::Waiting {
                        return;
                    }
                    if ui.small_button("Fire now").clicked() {
                        desk.commands.push(Command::Fire {
                            inject: inj.id.clone(),
                        });
                    }
                    if inj.due.is_some() {
                        ui.menu_button("Delay", |ui| {
                            for (label, minutes) in [("+15 min", 15), ("+1 h", 60), ("+4 h", 240)] {
                                if ui.button(label).clicked() {
                                    desk.commands.push(Command::Delay {
                                        inject: inj.id.clone(),
                                        minutes,
                                    });
                                    ui.close();
                                }
                            }
                        });
                    }
                    if ui.small_button("Skip").clicked() {
                        desk.commands.push(Command::Skip {
                            inject: inj.id.clone(),
                        });
                    }
                });
                row.col(|ui| {
                    ui.label(&spec.subject).on_hover_ui(|ui| {
                        ui.strong(&spec.id);
                        ui.label(format!("From {}", desk.who(&spec.from)));
                        ui.label(format!(
                            "To {}",
                            spec.to
                                .iter()
                                .map(|t| desk.who(t))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                        if let Trigger::When { .. } = &desk.scenario.triggers[i] {
                            ui.label(format!(
                                "when: {}",
                                spec.when.as_deref().unwrap_or_default()
                            ));
                        }
                        if !spec.expected.is_empty() {
                            ui.label(format!("Expected: {}", spec.expected.join("; ")));
                        }
                        if !spec.notes.is_empty() {
                            ui.label(format!("Controller notes: {}", spec.notes));
                        }
                    });
                });
                row.col(|ui| {
                    ui.label(spec.channel.label());
                    theme::tlp_label_ui(ui, spec.tlp);
                });
            });
        });
}

fn composer_ui(ui: &mut egui::Ui, desk: &mut Desk, state: &mut MselState) {
    let Some(draft) = &mut state.composer else {
        return;
    };
    let mut open = true;
    let mut send = false;
    egui::Window::new("Ad-hoc inject")
        .open(&mut open)
        .resizable(true)
        .show(ui.ctx(), |ui| {
            egui::Grid::new("adhoc_grid").num_columns(2).show(ui, |ui| {
                let adhoc_from_label = ui.label("From");
                egui::ComboBox::from_id_salt("adhoc_from")
                    .selected_text(desk.who(&draft.from))
                    .show_ui(ui, |ui| {
                        for a in &desk.scenario.file.actors {
                            ui.selectable_value(&mut draft.from, a.id.clone(), &a.name);
                        }
                    })
                    .response
                    .labelled_by(adhoc_from_label.id);
                ui.end_row();
                let adhoc_channel_label = ui.label("Channel");
                egui::ComboBox::from_id_salt("adhoc_channel")
                    .selected_text(draft.channel.label())
                    .show_ui(ui, |ui| {
                        for c in Channel::ALL {
                            ui.selectable_value(&mut draft.channel, c, c.label());
                        }
                    })
                    .response
                    .labelled_by(adhoc_channel_label.id);
                ui.end_row();
                let adhoc_tlp_label = ui.label("TLP");
                egui::ComboBox::from_id_salt("adhoc_tlp")
                    .selected_text(draft.tlp.to_string())
                    .show_ui(ui, |ui| {
                        for t in Tlp::ALL {
                            ui.selectable_value(&mut draft.tlp, t, t.to_string());
                        }
                    })
                    .response
                    .labelled_by(adhoc_tlp_label.id);
                ui.end_row();
                let subject_label = ui.label("Subject");
                ui.text_edit_singleline(&mut draft.subject)
                    .labelled_by(subject_label.id);
                ui.end_row();
                let body_label = ui.label("Text");
                ui.text_edit_multiline(&mut draft.body)
                    .labelled_by(body_label.id);
                ui.end_row();
            });
            ui.label("To");
            ui.horizontal_wrapped(|ui| {
                for seat in desk.scenario.seats() {
                    let mut on = draft.to.contains(&seat.id);
                    if ui.checkbox(&mut on, &seat.name).changed() {
                        if on {
                            draft.to.push(seat.id.clone());
                        } else {
                            draft.to.retain(|t| *t != seat.id);
                        }
                    }
                }
            });
            let ready = !draft.to.is_empty() && !draft.subject.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new("Send now"))
                .clicked()
            {
                send = true;
            }
        });
    if send {
        desk.commands.push(Command::AdHoc {
            from: draft.from.clone(),
            to: draft.to.clone(),
            channel: draft.channel,
            tlp: draft.tlp,
            subject: draft.subject.trim().to_owned(),
            body: draft.body.clone(),
        });
    }
    if send || !open {
        state.composer = None;
    }
}
