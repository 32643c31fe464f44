//! The situation picture: a tile-grid cartogram of the EU with each participating Member State coloured
//! (and labelled) by its worst incident severity; hover or click a tile for the entities and sectors hit;
//! the list of incidents with their status and, for exercise control only, their hidden truth.

use std::collections::BTreeMap;

use egui::{Color32, Rect, Sense, Stroke, StrokeKind, vec2};

use crate::domain::Severity;
use crate::scenario::time::format_offset;
use crate::sim::state::Phase;

use super::Desk;
use crate::ui::theme;

/// Tile positions (column, row) of the 27 Member States: a common EU tile-grid layout.
const TILES: [(&str, u8, u8); 27] = [
    ("SE", 5, 0),
    ("FI", 6, 0),
    ("IE", 1, 1),
    ("DK", 4, 1),
    ("EE", 6, 1),
    ("NL", 3, 2),
    ("DE", 4, 2),
    ("PL", 5, 2),
    ("LV", 6, 2),
    ("BE", 3, 3),
    ("LU", 4, 3),
    ("CZ", 5, 3),
    ("LT", 6, 3),
    ("FR", 3, 4),
    ("AT", 4, 4),
    ("SK", 5, 4),
    ("HU", 6, 4),
    ("RO", 7, 4),
    ("PT", 1, 5),
    ("ES", 2, 5),
    ("IT", 4, 5),
    ("SI", 5, 5),
    ("HR", 6, 5),
    ("BG", 7, 5),
    ("MT", 4, 6),
    ("GR", 7, 6),
    ("CY", 8, 6),
];

#[derive(Default)]
pub struct SituationState {
    selected: Option<String>,
}

/// What hit one country: worst severity and the entities (with sectors).
struct CountryPicture {
    worst: Severity,
    entities: Vec<String>,
}

fn picture(desk: &Desk) -> BTreeMap<String, CountryPicture> {
    let mut out: BTreeMap<String, CountryPicture> = BTreeMap::new();
    for inc in desk
        .view
        .incidents
        .iter()
        .filter(|i| matches!(i.phase, Phase::Active | Phase::Contained))
    {
        for entity in &inc.entities {
            let Some(actor) = desk
                .scenario
                .actor_index(entity)
                .map(|a| &desk.scenario.file.actors[a])
            else {
                continue;
            };
            let Some(country) = &actor.country else {
                continue;
            };
            let entry = out.entry(country.clone()).or_insert(CountryPicture {
                worst: Severity::Minor,
                entities: Vec::new(),
            });
            entry.worst = entry.worst.max(inc.severity);
            let line = format!("{} — {} ({})", actor.name, actor.kind.label(), inc.id);
            if !entry.entities.contains(&line) {
                entry.entities.push(line);
            }
        }
    }
    out
}

pub fn situation_ui(ui: &mut egui::Ui, desk: &mut Desk, state: &mut SituationState) {
    ui.heading("Situation");
    let picture = picture(desk);
    let tile = 44.0;
    let (rect, _) = ui.allocate_exact_size(vec2(tile * 9.0, tile * 7.0), Sense::hover());
    let painter = ui.painter_at(rect);
    let participating = &desk.scenario.file.member_states;
    for (code, col, row) in TILES {
        let min = rect.min + vec2(f32::from(col) * tile, f32::from(row) * tile);
        let r = Rect::from_min_size(min + vec2(2.0, 2.0), vec2(tile - 4.0, tile - 4.0));
        let plays = participating.iter().any(|m| m == code);
        let hit = picture.get(code);
        let (fill, text) = match (plays, hit) {
            (true, Some(p)) => (theme::severity_fill(p.worst), theme::severity_text(p.worst)),
            (true, None) => (
                ui.visuals().widgets.inactive.bg_fill,
                ui.visuals().text_color(),
            ),
            (false, _) => (Color32::TRANSPARENT, ui.visuals().weak_text_color()),
        };
        painter.rect(
            r,
            4.0,
            fill,
            Stroke::new(1.0, ui.visuals().weak_text_color()),
            StrokeKind::Inside,
        );
        let label = if code == desk.scenario.file.presidency {
            format!("{code}★")
        } else {
            code.to_owned()
        };
        painter.text(
            r.center() - vec2(0.0, 6.0),
            egui::Align2::CENTER_CENTER,
            label,
            egui::FontId::proportional(14.0),
            text,
        );
        if let Some(p) = hit {
            // The label, not only the colour: readable for colour-blind viewers and on a washed-out projector.
            let short = &p.worst.to_string()[..3];
            painter.text(
                r.center() + vec2(0.0, 9.0),
                egui::Align2::CENTER_CENTER,
                short,
                egui::FontId::proportional(11.0),
                text,
            );
        }
        if plays {
            let response = ui.interact(r, ui.scope_id().with(("tile", code)), Sense::click());
            let response = response.on_hover_ui(|ui| {
                ui.strong(code);
                match hit {
                    Some(p) => {
                        ui.label(format!("Worst severity: {}", p.worst));
                        for e in &p.entities {
                            ui.label(e);
                        }
                    }
                    None => {
                        ui.label("Not affected");
                    }
                }
            });
            if response.clicked() {
                state.selected = if state.selected.as_deref() == Some(code) {
                    None
                } else {
                    Some(code.to_owned())
                };
            }
        }
    }
    ui.horizontal_wrapped(|ui| {
        for s in Severity::ALL {
            theme::severity_chip_ui(ui, s);
        }
        ui.label(egui::RichText::new("★ Presidency").small());
    });
    if let Some(code) = &state.selected {
        ui.group(|ui| {
            ui.strong(format!("{code}: entities hit"));
            match picture.get(code) {
                Some(p) => {
                    for e in &p.entities {
                        ui.label(e);
                    }
                }
                None => {
                    ui.label("none");
                }
            }
        });
    }
    incidents_ui(ui, desk);
}

fn incidents_ui(ui: &mut egui::Ui, desk: &Desk) {
    ui.add_space(6.0);
    ui.label(egui::RichText::new(format!("Incidents ({})", desk.view.incidents.len())).strong());
    for (i, inc) in desk.view.incidents.iter().enumerate() {
        let spec = &desk.scenario.file.incidents[i];
        ui.horizontal_wrapped(|ui| {
            theme::severity_chip_ui(ui, inc.severity);
            ui.add(egui::Label::new(egui::RichText::new(&spec.title).strong()).wrap());
        });
        let phase = match inc.phase {
            Phase::NotStarted => "not started".to_owned(),
            Phase::Active => "active".to_owned(),
            Phase::Contained => "contained".to_owned(),
            Phase::Recovered => "recovered".to_owned(),
        };
        let mut facts = vec![phase, format!("{:?}", spec.kind).to_lowercase()];
        if inc.phase != Phase::NotStarted {
            facts.push(format!(
                "{} entities in {}",
                inc.entities.len(),
                inc.countries.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        if let Some(t) = inc.detected_at {
            facts.push(format!("detected {}", format_offset(t)));
        }
        if inc.large_scale {
            facts.push("large-scale".into());
        }
        if inc.mitigated {
            facts.push("mitigated".into());
        }
        if inc.supported {
            facts.push("EU support on site".into());
        }
        ui.label(egui::RichText::new(facts.join(" · ")).small());
        egui::CollapsingHeader::new(
            egui::RichText::new("Hidden truth (exercise control only)").small(),
        )
        .id_salt(("truth", i))
        .show(ui, |ui| {
            let t = &spec.truth;
            ui.label(format!(
                "Perpetrator: {} ({:?})",
                if t.perpetrator.is_empty() {
                    "unknown"
                } else {
                    &t.perpetrator
                },
                t.origin
            ));
            if let Some(s) = &t.sponsor {
                ui.label(format!("Sponsor: {s}"));
            }
            ui.label(format!(
                "Armed aggression: {} · terrorist attack: {} · overwhelms: {}",
                if t.armed_aggression { "yes" } else { "no" },
                if t.terrorist_attack { "yes" } else { "no" },
                if t.overwhelms.is_empty() {
                    "nobody".to_owned()
                } else {
                    t.overwhelms.join(", ")
                }
            ));
        });
    }
}
