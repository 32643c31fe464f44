//! Observations: free-text notes by the facilitator or evaluators, tagged to an objective and rated
//! P/S/M/U (HSEEP), stamped with the exercise time.

use crate::scenario::time::format_offset;
use crate::sim::{Command, EventKind, Rating};

use super::Desk;

#[derive(Default)]
pub struct Draft {
    text: String,
    objective: Option<String>,
    rating: Option<Rating>,
}

fn rating_label(rating: Option<Rating>) -> &'static str {
    match rating {
        None => "No rating",
        Some(Rating::P) => "P — performed without challenges",
        Some(Rating::S) => "S — some challenges",
        Some(Rating::M) => "M — major challenges",
        Some(Rating::U) => "U — unable to perform",
    }
}

pub fn observations_ui(ui: &mut egui::Ui, desk: &mut Desk, draft: &mut Draft) {
    ui.heading("Observations");
    let label = ui.label("Note");
    ui.add(
        egui::TextEdit::multiline(&mut draft.text)
            .desired_rows(2)
            .hint_text("What did you see?"),
    )
    .labelled_by(label.id);
    ui.horizontal_wrapped(|ui| {
        let objective_text = draft
            .objective
            .as_ref()
            .and_then(|o| desk.scenario.objective_index(o))
            .map_or("No objective", |i| {
                desk.scenario.file.objectives[i].title.as_str()
            });
        let obs_objective_label = ui.label("Objective");
        egui::ComboBox::from_id_salt("obs_objective")
            .selected_text(objective_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut draft.objective, None, "No objective");
                for o in &desk.scenario.file.objectives {
                    ui.selectable_value(&mut draft.objective, Some(o.id.clone()), &o.title);
                }
            })
            .response
            .labelled_by(obs_objective_label.id);
        let obs_rating_label = ui.label("Rating");
        egui::ComboBox::from_id_salt("obs_rating")
            .selected_text(rating_label(draft.rating))
            .show_ui(ui, |ui| {
                for r in [
                    None,
                    Some(Rating::P),
                    Some(Rating::S),
                    Some(Rating::M),
                    Some(Rating::U),
                ] {
                    ui.selectable_value(&mut draft.rating, r, rating_label(r));
                }
            })
            .response
            .labelled_by(obs_rating_label.id);
        if ui
            .add_enabled(
                !draft.text.trim().is_empty(),
                egui::Button::new("Add observation"),
            )
            .clicked()
        {
            desk.commands.push(Command::Observe {
                text: draft.text.trim().to_owned(),
                objective: draft.objective.clone(),
                rating: draft.rating,
            });
            draft.text.clear();
        }
    });
    for e in desk.events.iter().rev() {
        if let EventKind::ObservationRecorded {
            text,
            objective,
            rating,
        } = &e.kind
        {
            let tag = objective
                .as_deref()
                .map_or(String::new(), |o| format!(" [{o}]"));
            let rated = rating.map_or(String::new(), |r| format!(" {r:?}"));
            ui.label(format!("{}{tag}{rated}: {text}", format_offset(e.at)));
        }
    }
}
