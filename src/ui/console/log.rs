//! The event log: every event with its time, filterable by seat, kind and level; click a row for its
//! details. Rows are virtualised, so thousands of events stay fast.

use egui_extras::{Column, TableBuilder};

use crate::scenario::time::format_offset;
use crate::sim::{Event, EventKind};

use super::Desk;

/// Broad families of events for the kind filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Injects,
    Decisions,
    Incidents,
    Mechanisms,
    Nis2,
    Evaluation,
    Control,
}

impl Family {
    const ALL: [Family; 7] = [
        Family::Injects,
        Family::Decisions,
        Family::Incidents,
        Family::Mechanisms,
        Family::Nis2,
        Family::Evaluation,
        Family::Control,
    ];

    fn label(self) -> &'static str {
        match self {
            Family::Injects => "Injects",
            Family::Decisions => "Decisions",
            Family::Incidents => "Incidents",
            Family::Mechanisms => "Mechanisms & requests",
            Family::Nis2 => "NIS2 clocks",
            Family::Evaluation => "Evaluation",
            Family::Control => "Exercise control",
        }
    }

    fn of(kind: &EventKind) -> Family {
        use EventKind as K;
        match kind {
            K::InjectDelivered { .. }
            | K::InjectSkipped { .. }
            | K::InjectCancelled { .. }
            | K::InjectDelayed { .. }
            | K::InformationShared { .. }
            | K::ShareRefused { .. } => Family::Injects,
            K::DecisionPending { .. }
            | K::DecisionTaken { .. }
            | K::DecisionDefaulted { .. }
            | K::DecisionWithdrawn { .. } => Family::Decisions,
            K::IncidentStarted { .. }
            | K::IncidentDetected { .. }
            | K::IncidentSpread { .. }
            | K::SeverityChanged { .. }
            | K::IncidentMitigated { .. }
            | K::SupportDeployed { .. }
            | K::IncidentContained { .. }
            | K::IncidentRecovered { .. }
            | K::LargeScaleReached { .. }
            | K::VariableChanged { .. } => Family::Incidents,
            K::RequestGranted { .. }
            | K::RequestRefused { .. }
            | K::MechanismChanged { .. }
            | K::IpcrModeChanged { .. } => Family::Mechanisms,
            K::ObligationDue { .. } | K::ObligationMet { .. } | K::ObligationMissed { .. } => {
                Family::Nis2
            }
            K::CriterionMet { .. }
            | K::CriterionFailed { .. }
            | K::Evaluation { .. }
            | K::ObservationRecorded { .. } => Family::Evaluation,
            K::ExerciseStarted { .. } | K::Paused | K::Resumed | K::ExerciseEnded => {
                Family::Control
            }
        }
    }
}

/// How much an event matters to the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Detail,
    Normal,
    Important,
}

impl Level {
    fn of(kind: &EventKind) -> Level {
        use EventKind as K;
        match kind {
            K::RequestRefused { .. }
            | K::ShareRefused { .. }
            | K::ObligationMissed { .. }
            | K::CriterionFailed { .. }
            | K::LargeScaleReached { .. }
            | K::IpcrModeChanged { .. }
            | K::MechanismChanged { .. }
            | K::SeverityChanged { .. }
            | K::IncidentSpread { .. } => Level::Important,
            K::VariableChanged { .. }
            | K::ObligationDue { .. }
            | K::RequestGranted { .. }
            | K::Paused
            | K::Resumed => Level::Detail,
            _ => Level::Normal,
        }
    }
}

/// Actor ids an event concerns, for the seat filter.
fn concerns(kind: &EventKind, seat: &str) -> bool {
    use EventKind as K;
    match kind {
        K::InjectDelivered { from, to, .. }
        | K::InformationShared { from, to, .. }
        | K::ShareRefused { from, to, .. } => from == seat || to.iter().any(|t| t == seat),
        K::DecisionPending { by, .. } => by.iter().any(|b| b == seat),
        K::DecisionTaken { by, .. }
        | K::RequestGranted { by, .. }
        | K::RequestRefused { by, .. }
        | K::MechanismChanged { by, .. }
        | K::IpcrModeChanged { by, .. } => by == seat,
        K::ObligationDue { entity, .. }
        | K::ObligationMet { entity, .. }
        | K::ObligationMissed { entity, .. } => entity == seat,
        _ => false,
    }
}

pub struct LogState {
    family: Option<Family>,
    seat: Option<String>,
    min_level: Level,
    selected: Option<usize>,
}

impl Default for LogState {
    fn default() -> Self {
        LogState {
            family: None,
            seat: None,
            min_level: Level::Normal,
            selected: None,
        }
    }
}

pub fn log_ui(ui: &mut egui::Ui, desk: &mut Desk, state: &mut LogState) {
    ui.horizontal_wrapped(|ui| {
        ui.heading("Log");
        let log_family_label = ui.label("Kind");
        egui::ComboBox::from_id_salt("log_family")
            .selected_text(state.family.map_or("All kinds", Family::label))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.family, None, "All kinds");
                for f in Family::ALL {
                    ui.selectable_value(&mut state.family, Some(f), f.label());
                }
            })
            .response
            .labelled_by(log_family_label.id);
        let seat_text = state
            .seat
            .as_deref()
            .map_or_else(|| "All seats".to_owned(), |s| desk.who(s));
        let log_seat_label = ui.label("Seat");
        egui::ComboBox::from_id_salt("log_seat")
            .selected_text(seat_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.seat, None, "All seats");
                for seat in desk.scenario.seats() {
                    ui.selectable_value(&mut state.seat, Some(seat.id.clone()), &seat.name);
                }
            })
            .response
            .labelled_by(log_seat_label.id);
        let log_level_label = ui.label("Level");
        egui::ComboBox::from_id_salt("log_level")
            .selected_text(match state.min_level {
                Level::Detail => "Everything",
                Level::Normal => "Normal and important",
                Level::Important => "Important only",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.min_level, Level::Detail, "Everything");
                ui.selectable_value(&mut state.min_level, Level::Normal, "Normal and important");
                ui.selectable_value(&mut state.min_level, Level::Important, "Important only");
            })
            .response
            .labelled_by(log_level_label.id);
    });
    let rows: Vec<usize> = desk
        .events
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, e)| Level::of(&e.kind) >= state.min_level)
        .filter(|(_, e)| state.family.is_none_or(|f| Family::of(&e.kind) == f))
        .filter(|(_, e)| state.seat.as_deref().is_none_or(|s| concerns(&e.kind, s)))
        .map(|(i, _)| i)
        .collect();
    if let Some(event) = state.selected.and_then(|i| desk.events.get(i)) {
        details_ui(ui, event, &mut state.selected);
    }
    let height = ui.available_height();
    TableBuilder::new(ui)
        .id_salt("log_table")
        .striped(true)
        .sense(egui::Sense::click())
        .max_scroll_height(height)
        .column(Column::exact(70.0))
        .column(Column::remainder().clip(true))
        .body(|body| {
            body.rows(22.0, rows.len(), |mut row| {
                let index = rows[row.index()];
                let event = &desk.events[index];
                row.set_selected(state.selected == Some(index));
                row.col(|ui| {
                    ui.monospace(format_offset(event.at));
                });
                row.col(|ui| {
                    let text = egui::RichText::new(event.kind.describe());
                    ui.label(if Level::of(&event.kind) == Level::Important {
                        text.strong()
                    } else {
                        text
                    });
                });
                if row.response().clicked() {
                    state.selected = Some(index);
                }
            });
        });
}

fn details_ui(ui: &mut egui::Ui, event: &Event, selected: &mut Option<usize>) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.strong(format!(
                "{} {}",
                format_offset(event.at),
                event.kind.describe()
            ));
            if ui.small_button("🗙").clicked() {
                *selected = None;
            }
        });
        let json = serde_json::to_string_pretty(event).unwrap_or_default();
        ui.label(egui::RichText::new(json).monospace().small());
    });
}
