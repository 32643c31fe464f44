//! The mechanisms board, by Blueprint level (technical, operational, political): each mechanism's state,
//! since when and who changed it; then the NIS2 clocks per entity with the time left.

use std::collections::{BTreeMap, BTreeSet};

use crate::doctrine::Mechanisms;
use crate::domain::{BlueprintLevel, IpcrMode, Mechanism};
use crate::scenario::time::{Minutes, format_offset};
use crate::sim::EventKind;
use crate::sim::state::ObligationStatus;

use super::Desk;

/// The last change of each mechanism: (when, by whom).
type Changes = BTreeMap<Mechanism, (Minutes, String)>;

fn last_changes(desk: &Desk) -> Changes {
    let mut last = BTreeMap::new();
    for e in desk.events {
        let (mechanism, by) = match &e.kind {
            EventKind::MechanismChanged { mechanism, by, .. } => (*mechanism, by),
            EventKind::IpcrModeChanged { by, .. } => (Mechanism::Ipcr, by),
            _ => continue,
        };
        last.insert(mechanism, (e.at, by.clone()));
    }
    last
}

/// One line of the board: the board's name for the mechanism, its state in words, and whether it is
/// active (drawn highlighted).
struct Row {
    name: &'static str,
    state: String,
    active: bool,
}

/// The board's line for a mechanism, or `None` for one that is a step of another
/// ([`Mechanism::part_of`]) and so has no line of its own.
fn row(mechanism: Mechanism, m: &Mechanisms, changes: &Changes) -> Option<Row> {
    let row = |name, state: &str, active| Row {
        name,
        state: state.to_owned(),
        active,
    };
    Some(match mechanism {
        Mechanism::CsirtsNetwork => row(
            "CSIRTs Network",
            if m.csirts_case_open {
                "case open"
            } else {
                "no case"
            },
            m.csirts_case_open,
        ),
        Mechanism::CrossBorderInformation => {
            let informed = changes.contains_key(&mechanism);
            row(
                "Cross-border information",
                if informed {
                    "affected states informed"
                } else {
                    "not yet"
                },
                informed,
            )
        }
        Mechanism::LeErp => row(
            "Europol EC3 (LE ERP)",
            if m.le_erp_active {
                "active"
            } else {
                "inactive"
            },
            m.le_erp_active,
        ),
        Mechanism::Cyclone => row(
            "EU-CyCLONe",
            match (m.cyclone_active, m.commission_full_participant) {
                (true, true) => "active, Commission full participant",
                (true, false) => "active",
                _ => "standby",
            },
            m.cyclone_active,
        ),
        Mechanism::Reserve => Row {
            name: "Cybersecurity Reserve",
            state: reserve(m),
            active: !m.reserve_requests.is_empty(),
        },
        Mechanism::NetworksInformed => return None,
        Mechanism::RapidReaction => Row {
            name: "Joint Cyber Unit (assumed)",
            state: format!(
                "{}; rapid reaction {}",
                if m.jcu_convened {
                    "platform convened"
                } else {
                    "platform not convened"
                },
                if m.rapid_reaction_deployed {
                    "team deployed"
                } else if m.rapid_reaction_requests.is_empty() {
                    "not requested"
                } else {
                    "requested"
                }
            ),
            active: m.jcu_convened || !m.rapid_reaction_requests.is_empty(),
        },
        Mechanism::IncidentReview => row(
            "Incident review",
            if !m.review_approved.is_empty() {
                "approved, under way"
            } else if m.review_requested.is_empty() {
                "none"
            } else {
                "awaiting approval"
            },
            !m.review_requested.is_empty(),
        ),
        Mechanism::Ipcr => row(
            "IPCR",
            match m.ipcr {
                IpcrMode::Monitoring => "monitoring",
                IpcrMode::InformationSharing => "information sharing",
                IpcrMode::FullActivation => "full activation",
            },
            m.ipcr > IpcrMode::Monitoring,
        ),
        Mechanism::Art222 => Row {
            name: "Art. 222 TFEU",
            state: invoked(&m.art222),
            active: !m.art222.is_empty(),
        },
        Mechanism::Art427 => Row {
            name: "Art. 42(7) TEU",
            state: art427(m),
            active: !m.art427.is_empty(),
        },
        Mechanism::Toolbox => Row {
            name: "Cyber Diplomacy Toolbox",
            state: toolbox(m),
            active: !m.measures_proposed.is_empty(),
        },
        Mechanism::IntelAssessment => Row {
            name: "EU INTCEN assessment",
            state: if m.intel_assessments.is_empty() {
                "none on record".to_owned()
            } else {
                m.intel_assessments
                    .iter()
                    .map(|(incident, confidence)| format!("{incident}: {}", confidence.label()))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            active: !m.intel_assessments.is_empty(),
        },
        Mechanism::Attribution => Row {
            name: "Attribution",
            state: if m.attributed.is_empty() {
                "none".to_owned()
            } else {
                list(&m.attributed)
            },
            active: !m.attributed.is_empty(),
        },
    })
}

fn reserve(m: &Mechanisms) -> String {
    if m.reserve_deployed {
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
    }
}

fn toolbox(m: &Mechanisms) -> String {
    if m.sanctions_adopted {
        return "sanctions adopted".to_owned();
    }
    let open: Vec<String> = m
        .council_files
        .iter()
        .filter(|(_, f)| f.is_open())
        .map(|(c, f)| {
            format!(
                "{} at the {} ({} positions)",
                format!("{c:?}").to_lowercase(),
                f.stage.label(),
                f.positions.len()
            )
        })
        .collect();
    if !open.is_empty() {
        format!("before the Council: {}", open.join(", "))
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
    }
}

/// Who invoked mutual assistance and how each other government has answered, per state.
fn art427(m: &Mechanisms) -> String {
    let mut lines = vec![invoked(&m.art427)];
    for victim in &m.art427 {
        let answers = crate::doctrine::aid_answers_line(m, victim);
        if !answers.is_empty() {
            lines.push(format!("answers to {victim}: {answers}"));
        }
    }
    lines.join("\n")
}

fn invoked(countries: &BTreeSet<String>) -> String {
    if countries.is_empty() {
        "not invoked".to_owned()
    } else {
        format!("invoked by {}", list(countries))
    }
}

fn list(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join(", ")
}

fn row_ui(ui: &mut egui::Ui, desk: &Desk, change: Option<&(Minutes, String)>, row: Row) {
    ui.label(egui::RichText::new(row.name).strong());
    let text = egui::RichText::new(row.state);
    ui.label(if row.active {
        text.strong().color(ui.visuals().hyperlink_color)
    } else {
        text.weak()
    });
    match change {
        Some((at, by)) => ui.label(
            egui::RichText::new(format!("since {} by {}", format_offset(*at), desk.who(by)))
                .small(),
        ),
        None => ui.label(egui::RichText::new("—").weak()),
    };
    ui.end_row();
}

pub fn mechanisms_ui(ui: &mut egui::Ui, desk: &mut Desk) {
    let changes = last_changes(desk);
    ui.heading("Mechanisms");
    for level in BlueprintLevel::ALL {
        let (heading, grid) = match level {
            BlueprintLevel::Technical => ("Technical level", "mech_technical"),
            BlueprintLevel::Operational => ("Operational level", "mech_operational"),
            BlueprintLevel::Political => ("Political level", "mech_political"),
        };
        ui.label(egui::RichText::new(heading).small().strong());
        egui::Grid::new(grid)
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                for mechanism in Mechanism::ALL.into_iter().filter(|m| m.level() == level) {
                    if let Some(r) = row(mechanism, &desk.view.mechanisms, &changes) {
                        row_ui(ui, desk, changes.get(&mechanism), r);
                    }
                }
            });
    }
    ui.add_space(6.0);
    nis2_ui(ui, desk);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mechanism_has_a_row_or_is_a_step_of_one_that_has() {
        let (m, changes) = (Mechanisms::default(), Changes::new());
        for mechanism in Mechanism::ALL {
            let own = row(mechanism, &m, &changes);
            assert_eq!(
                own.is_some(),
                mechanism.part_of() == mechanism,
                "{mechanism}: a row exactly when it is not a step of another"
            );
            assert!(
                row(mechanism.part_of(), &m, &changes).is_some(),
                "{mechanism} shows under a row"
            );
        }
    }
}
