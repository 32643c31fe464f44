//! The mechanisms board, by Blueprint level (technical, operational, political): each mechanism's state,
//! since when and who changed it; then the NIS2 clocks per entity with the time left.

use std::collections::BTreeMap;

use crate::domain::IpcrMode;
use crate::scenario::time::{Minutes, format_offset};
use crate::sim::EventKind;
use crate::sim::state::ObligationStatus;

use super::Desk;

/// The last change of each mechanism: (when, by whom).
fn last_changes(desk: &Desk) -> BTreeMap<String, (Minutes, String)> {
    let mut last = BTreeMap::new();
    for e in desk.events {
        match &e.kind {
            EventKind::MechanismChanged { mechanism, by, .. } => {
                last.insert(mechanism.clone(), (e.at, by.clone()));
            }
            EventKind::IpcrModeChanged { by, .. } => {
                last.insert("IPCR".to_owned(), (e.at, by.clone()));
            }
            _ => {}
        }
    }
    last
}

fn row_ui(
    ui: &mut egui::Ui,
    desk: &Desk,
    changes: &BTreeMap<String, (Minutes, String)>,
    name: &str,
    key: &str,
    state: &str,
    active: bool,
) {
    ui.label(egui::RichText::new(name).strong());
    let text = egui::RichText::new(state);
    ui.label(if active {
        text.strong().color(ui.visuals().hyperlink_color)
    } else {
        text.weak()
    });
    match changes.get(key) {
        Some((at, by)) => ui.label(
            egui::RichText::new(format!("since {} by {}", format_offset(*at), desk.who(by)))
                .small(),
        ),
        None => ui.label(egui::RichText::new("—").weak()),
    };
    ui.end_row();
}

fn list(set: &std::collections::BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join(", ")
}

pub fn mechanisms_ui(ui: &mut egui::Ui, desk: &mut Desk) {
    let changes = last_changes(desk);
    ui.heading("Mechanisms");
    technical_ui(ui, desk, &changes);
    operational_ui(ui, desk, &changes);
    political_ui(ui, desk, &changes);
    ui.add_space(6.0);
    nis2_ui(ui, desk);
}

type Changes = BTreeMap<String, (Minutes, String)>;

fn technical_ui(ui: &mut egui::Ui, desk: &Desk, changes: &Changes) {
    let m = &desk.view.mechanisms;
    ui.label(egui::RichText::new("Technical level").small().strong());
    egui::Grid::new("mech_technical")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            row_ui(
                ui,
                desk,
                changes,
                "CSIRTs Network",
                "CSIRTs Network",
                if m.csirts_case_open {
                    "case open"
                } else {
                    "no case"
                },
                m.csirts_case_open,
            );
            row_ui(
                ui,
                desk,
                changes,
                "Cross-border information",
                "Cross-border information",
                if changes.contains_key("Cross-border information") {
                    "affected states informed"
                } else {
                    "not yet"
                },
                changes.contains_key("Cross-border information"),
            );
            row_ui(
                ui,
                desk,
                changes,
                "Europol EC3 (LE ERP)",
                "EU LE ERP",
                if m.le_erp_active {
                    "active"
                } else {
                    "inactive"
                },
                m.le_erp_active,
            );
        });
}

fn operational_ui(ui: &mut egui::Ui, desk: &Desk, changes: &Changes) {
    let m = &desk.view.mechanisms;
    ui.label(egui::RichText::new("Operational level").small().strong());
    egui::Grid::new("mech_operational")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            let cyclone = match (m.cyclone_active, m.commission_full_participant) {
                (true, true) => "active, Commission full participant",
                (true, false) => "active",
                _ => "standby",
            };
            row_ui(
                ui,
                desk,
                changes,
                "EU-CyCLONe",
                "EU-CyCLONe",
                cyclone,
                m.cyclone_active,
            );
            let reserve = if m.reserve_deployed {
                "support deployed".to_owned()
            } else if m.reserve_requests.is_empty() {
                "not requested".to_owned()
            } else {
                format!(
                    "requested by {} (answer within 48 h)",
                    m.reserve_requests
                        .iter()
                        .map(|(c, _)| c.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            row_ui(
                ui,
                desk,
                changes,
                "Cybersecurity Reserve",
                "EU Cybersecurity Reserve",
                &reserve,
                !m.reserve_requests.is_empty(),
            );
            let rrt = if m.rapid_reaction_deployed {
                "team deployed"
            } else if m.rapid_reaction_requests.is_empty() {
                "not requested"
            } else {
                "requested"
            };
            row_ui(
                ui,
                desk,
                changes,
                "Rapid reaction (JCU)",
                "Joint Cyber Unit",
                rrt,
                !m.rapid_reaction_requests.is_empty(),
            );
            let review = if !m.review_approved.is_empty() {
                "approved, under way"
            } else if m.review_requested.is_empty() {
                "none"
            } else {
                "awaiting approval"
            };
            row_ui(
                ui,
                desk,
                changes,
                "Incident review",
                "Incident review",
                review,
                !m.review_requested.is_empty(),
            );
        });
}

fn political_ui(ui: &mut egui::Ui, desk: &Desk, changes: &Changes) {
    let m = &desk.view.mechanisms;
    ui.label(egui::RichText::new("Political level").small().strong());
    egui::Grid::new("mech_political")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            let ipcr = match m.ipcr {
                IpcrMode::Monitoring => "monitoring",
                IpcrMode::InformationSharing => "information sharing",
                IpcrMode::FullActivation => "full activation",
            };
            row_ui(
                ui,
                desk,
                changes,
                "IPCR",
                "IPCR",
                ipcr,
                m.ipcr > IpcrMode::Monitoring,
            );
            let art222 = if m.art222.is_empty() {
                "not invoked".to_owned()
            } else {
                format!("invoked by {}", list(&m.art222))
            };
            row_ui(
                ui,
                desk,
                changes,
                "Art. 222 TFEU",
                "Art. 222 TFEU",
                &art222,
                !m.art222.is_empty(),
            );
            let art427 = if m.art427.is_empty() {
                "not invoked".to_owned()
            } else {
                format!("invoked by {}", list(&m.art427))
            };
            row_ui(
                ui,
                desk,
                changes,
                "Art. 42(7) TEU",
                "Art. 42(7) TEU",
                &art427,
                !m.art427.is_empty(),
            );
            let toolbox = if m.sanctions_adopted {
                "sanctions adopted".to_owned()
            } else if m.restrictive_open {
                format!("sanctions vote open ({} cast)", m.restrictive_votes.len())
            } else if m.measures_proposed.is_empty() {
                "no measures".to_owned()
            } else {
                format!(
                    "proposed: {}",
                    m.measures_proposed
                        .iter()
                        .map(|c| format!("{c:?}").to_lowercase())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            row_ui(
                ui,
                desk,
                changes,
                "Cyber Diplomacy Toolbox",
                "Cyber Diplomacy Toolbox",
                &toolbox,
                !m.measures_proposed.is_empty(),
            );
            let attribution = if m.attributed.is_empty() {
                "none".to_owned()
            } else {
                list(&m.attributed)
            };
            row_ui(
                ui,
                desk,
                changes,
                "Attribution",
                "Attribution",
                &attribution,
                !m.attributed.is_empty(),
            );
        });
}

fn nis2_ui(ui: &mut egui::Ui, desk: &Desk) {
    let now = desk.view.now;
    ui.label(
        egui::RichText::new(format!("NIS2 clocks ({})", desk.view.obligations.len())).strong(),
    );
    if desk.view.obligations.is_empty() {
        ui.label(egui::RichText::new("No significant incident detected yet.").weak());
        return;
    }
    egui::Grid::new("nis2_clocks")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for o in &desk.view.obligations {
                ui.label(desk.who(&o.entity));
                ui.label(o.report.label());
                let (text, colour) = match o.status {
                    ObligationStatus::Met(t) => (
                        format!("met {}", format_offset(t)),
                        ui.visuals().text_color(),
                    ),
                    ObligationStatus::Missed => ("MISSED".to_owned(), ui.visuals().error_fg_color),
                    ObligationStatus::Open => {
                        let left = o.due.saturating_sub(now);
                        (
                            format!("{} left", format_offset(left).trim_start_matches("T+")),
                            ui.visuals().warn_fg_color,
                        )
                    }
                };
                ui.colored_label(colour, text);
                ui.end_row();
            }
        });
}
