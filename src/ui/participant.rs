//! The participant view of one seat: inbox, decisions, sharing under TLP 2.0 and the mechanism requests
//! the seat is entitled to. It draws only a `SeatView` and answers with `SeatAction`s, so the same panel
//! serves a hot seat, a window per seat on the facilitator's machine and a laptop joined over the LAN.

use std::collections::{BTreeMap, BTreeSet};

use crate::doctrine;
use crate::domain::{Action, Tlp};
use crate::scenario::time::{Minutes, format_duration, format_offset};
use crate::sim::seat::{InboxItem, ItemKind, SeatAction, SeatView};
use crate::sim::state::ObligationStatus;

use super::theme;

/// What the participant is writing or forwarding.
#[derive(Debug, Clone, Default)]
struct ShareDraft {
    to: BTreeSet<String>,
    tlp: Tlp,
    subject: String,
    body: String,
    /// The inbox item being forwarded, with its label (a forward may only tighten it).
    forward: Option<(usize, Tlp)>,
}

/// The state of one participant's screen (what is read, what is being typed), never exercise state.
#[derive(Default)]
pub struct ParticipantPanel {
    read: BTreeSet<usize>,
    selected: Option<usize>,
    draft: Option<ShareDraft>,
    rationale: BTreeMap<String, String>,
    request_incident: Option<String>,
    /// Answers to this participant's actions (a refusal's reason), newest last.
    notices: Vec<String>,
    markdown: egui_commonmark::CommonMarkCache,
}

impl ParticipantPanel {
    /// Shows an answer to the participant (e.g. why a share or request was refused).
    pub fn notice(&mut self, text: impl Into<String>) {
        self.notices.push(text.into());
        if self.notices.len() > 5 {
            self.notices.remove(0);
        }
    }

    /// How many inbox items the participant has not opened.
    #[must_use]
    pub fn unread(&self, view: &SeatView) -> usize {
        view.inbox
            .iter()
            .filter(|i| !i.sent && !self.read.contains(&i.id))
            .count()
    }

    /// Draws the whole view; returns what the participant did this frame.
    pub fn ui(&mut self, ui: &mut egui::Ui, view: &SeatView) -> Vec<SeatAction> {
        let mut actions = Vec::new();
        self.header_ui(ui, view);
        ui.separator();
        egui::Panel::right(egui::IdSalt::new(("participant_right", &view.seat.id)))
            .resizable(true)
            .default_size(420.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("participant_right_scroll")
                    .show(ui, |ui| {
                        self.decisions_ui(ui, view, &mut actions);
                        ui.separator();
                        self.requests_ui(ui, view, &mut actions);
                        ui.separator();
                        situation_ui(ui, view);
                    });
            });
        egui::Panel::left(egui::IdSalt::new(("participant_inbox", &view.seat.id)))
            .resizable(true)
            .default_size(360.0)
            .show(ui, |ui| self.inbox_ui(ui, view));
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("participant_reading")
                .show(ui, |ui| {
                    if self.draft.is_some() {
                        self.share_ui(ui, view, &mut actions);
                    } else {
                        self.reading_ui(ui, view);
                    }
                });
        });
        actions
    }

    fn header_ui(&mut self, ui: &mut egui::Ui, view: &SeatView) {
        ui.horizontal_wrapped(|ui| {
            ui.heading(&view.seat.name);
            ui.label(
                egui::RichText::new(format!(
                    "{}{}",
                    view.seat.kind.label(),
                    view.seat
                        .country
                        .as_deref()
                        .map_or(String::new(), |c| format!(" · {c}"))
                ))
                .weak(),
            );
            ui.separator();
            let when = chrono::DateTime::parse_from_rfc3339(&view.start)
                .map(|s| {
                    (s + chrono::Duration::minutes(i64::from(view.now)))
                        .format("%a %d %b %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            ui.label(egui::RichText::new(when).strong());
            ui.label(egui::RichText::new(format_offset(view.now)).strong());
            if view.ended {
                ui.label(egui::RichText::new("Exercise ended").strong());
            } else if view.paused {
                ui.label(egui::RichText::new("⏸ Paused by the facilitator").strong());
            }
        });
        if !view.seat.description.trim().is_empty() {
            ui.collapsing("Your role", |ui| {
                egui_commonmark::CommonMarkViewer::new().show(
                    ui,
                    &mut self.markdown,
                    view.seat.description.trim(),
                );
            });
        }
        for notice in &self.notices {
            ui.colored_label(ui.visuals().warn_fg_color, notice);
        }
    }

    fn inbox_ui(&mut self, ui: &mut egui::Ui, view: &SeatView) {
        ui.horizontal(|ui| {
            ui.heading(format!("Inbox ({} unread)", self.unread(view)));
            if ui.button("✉ Write").clicked() {
                self.draft = Some(ShareDraft {
                    tlp: Tlp::Amber,
                    ..ShareDraft::default()
                });
            }
        });
        if view.inbox.is_empty() {
            ui.label(egui::RichText::new("Nothing yet.").weak());
        }
        egui::ScrollArea::vertical()
            .id_salt("participant_inbox_scroll")
            .show(ui, |ui| {
                for item in &view.inbox {
                    let unread = !item.sent && !self.read.contains(&item.id);
                    let selected = self.selected == Some(item.id) && self.draft.is_none();
                    let frame = egui::Frame::group(ui.style()).fill(if selected {
                        ui.visuals().selection.bg_fill.linear_multiply(0.4)
                    } else {
                        egui::Color32::TRANSPARENT
                    });
                    let response = frame
                        .show(ui, |ui| {
                            ui.set_min_width(ui.available_width());
                            ui.horizontal(|ui| {
                                if unread {
                                    ui.label(egui::RichText::new("⚫ new").strong());
                                }
                                ui.label(egui::RichText::new(format_offset(item.at)).monospace());
                                theme::tlp_label_ui(ui, item.tlp);
                                ui.label(egui::RichText::new(channel_label(item)).weak());
                            });
                            let subject = egui::RichText::new(&item.subject);
                            let subject = if unread { subject.strong() } else { subject };
                            let open = ui.add(egui::Button::new(subject).frame(false));
                            ui.label(
                                egui::RichText::new(if item.sent {
                                    format!("to {}", item.to.join(", "))
                                } else {
                                    format!("from {}", item.from)
                                })
                                .small()
                                .weak(),
                            );
                            open
                        })
                        .inner;
                    if response.clicked() {
                        self.selected = Some(item.id);
                        self.read.insert(item.id);
                        self.draft = None;
                    }
                }
            });
    }

    fn reading_ui(&mut self, ui: &mut egui::Ui, view: &SeatView) {
        let Some(item) = self
            .selected
            .and_then(|id| view.inbox.iter().find(|i| i.id == id))
        else {
            ui.label(egui::RichText::new("Choose a message in the inbox to read it.").weak());
            return;
        };
        ui.heading(&item.subject);
        ui.horizontal_wrapped(|ui| {
            theme::tlp_label_ui(ui, item.tlp);
            ui.label(format!(
                "{} · {} · from {} to {}",
                format_offset(item.at),
                channel_label(item),
                item.from,
                item.to.join(", ")
            ));
        });
        if !item.attachments.is_empty() {
            ui.label(format!("Attachments: {}", item.attachments.join(", ")));
        }
        ui.horizontal(|ui| {
            if ui
                .button("Forward…")
                .on_hover_text(
                    "Pass it on to other seats; its TLP label decides who may receive it",
                )
                .clicked()
            {
                self.draft = Some(ShareDraft {
                    to: BTreeSet::new(),
                    tlp: item.tlp,
                    subject: format!("Fwd: {}", item.subject),
                    body: item.body.clone(),
                    forward: Some((item.id, item.tlp)),
                });
            }
        });
        ui.separator();
        if item.body.trim().is_empty() {
            ui.label(egui::RichText::new("(no text)").weak());
        } else {
            egui_commonmark::CommonMarkViewer::new().show(ui, &mut self.markdown, &item.body);
        }
    }

    fn share_ui(&mut self, ui: &mut egui::Ui, view: &SeatView, actions: &mut Vec<SeatAction>) {
        let Some(draft) = &mut self.draft else {
            return;
        };
        ui.heading(if draft.forward.is_some() {
            "Forward"
        } else {
            "Share information"
        });
        ui.label(
            egui::RichText::new(
                "TLP 2.0: RED stays with the people it was given to; AMBER+STRICT within your \
                 organisation; AMBER within your organisation and its clients; GREEN within the \
                 exercise community. A forward may tighten a label, never relax it.",
            )
            .small()
            .weak(),
        );
        ui.label("To");
        ui.horizontal_wrapped(|ui| {
            for seat in &view.directory {
                let mut on = draft.to.contains(&seat.id);
                if ui.checkbox(&mut on, &seat.name).changed() {
                    if on {
                        draft.to.insert(seat.id.clone());
                    } else {
                        draft.to.remove(&seat.id);
                    }
                }
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("TLP");
            egui::ComboBox::from_id_salt("share_tlp")
                .selected_text(draft.tlp.to_string())
                .show_ui(ui, |ui| {
                    for tlp in Tlp::ALL {
                        // A forward offers only its own label and stricter ones.
                        if draft.forward.is_some_and(|(_, original)| tlp > original) {
                            continue;
                        }
                        ui.selectable_value(&mut draft.tlp, tlp, tlp.to_string());
                    }
                })
                .response
                .labelled_by(label.id);
        });
        let subject_label = ui.label("Subject");
        ui.add(egui::TextEdit::singleline(&mut draft.subject).desired_width(f32::INFINITY))
            .labelled_by(subject_label.id);
        let body_label = ui.label("Text");
        ui.add(
            egui::TextEdit::multiline(&mut draft.body)
                .desired_rows(8)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(body_label.id);
        let mut close = false;
        ui.horizontal(|ui| {
            let ready = !draft.to.is_empty() && !draft.subject.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new("Send"))
                .on_disabled_hover_text("Choose recipients and write a subject")
                .clicked()
            {
                actions.push(SeatAction::Share {
                    to: draft.to.iter().cloned().collect(),
                    tlp: draft.tlp,
                    subject: draft.subject.trim().to_owned(),
                    body: draft.body.clone(),
                    forward: draft.forward.map(|(id, _)| id),
                });
                close = true;
            }
            if ui.button("Cancel").clicked() {
                close = true;
            }
        });
        if close {
            self.draft = None;
        }
    }

    fn decisions_ui(&mut self, ui: &mut egui::Ui, view: &SeatView, actions: &mut Vec<SeatAction>) {
        ui.heading(format!("Decisions ({} pending)", view.pending.len()));
        if view.pending.is_empty() {
            ui.label(egui::RichText::new("Nothing waits for your decision.").weak());
        }
        for d in &view.pending {
            ui.group(|ui| {
                ui.label(egui::RichText::new(&d.prompt).strong());
                if let Some(deadline) = d.deadline {
                    let left = deadline.saturating_sub(view.now);
                    let text = format!(
                        "Deadline {} — {} left; then the default applies",
                        format_offset(deadline),
                        format_duration(left.max(1))
                    );
                    let colour = if left <= 15 {
                        ui.visuals().error_fg_color
                    } else {
                        ui.visuals().warn_fg_color
                    };
                    ui.colored_label(colour, text);
                }
                let rationale = self.rationale.entry(d.id.clone()).or_default();
                let label = ui.label(if d.rationale_required {
                    "Your rationale (required)"
                } else {
                    "Your rationale"
                });
                ui.add(egui::TextEdit::multiline(rationale).desired_rows(2))
                    .labelled_by(label.id);
                let missing = d.rationale_required && rationale.trim().is_empty();
                ui.horizontal_wrapped(|ui| {
                    for (option, text) in &d.options {
                        if ui
                            .add_enabled(!missing, egui::Button::new(text))
                            .on_disabled_hover_text("Write your rationale first")
                            .clicked()
                        {
                            actions.push(SeatAction::Decide {
                                decision: d.id.clone(),
                                option: option.clone(),
                                rationale: rationale.trim().to_owned(),
                            });
                        }
                    }
                });
            });
        }
        if !view.history.is_empty() {
            ui.collapsing(format!("Your decisions ({})", view.history.len()), |ui| {
                for h in &view.history {
                    let how = if h.defaulted {
                        " (default: nobody decided in time)".to_owned()
                    } else if h.by_facilitator {
                        " (decided for you by the facilitator)".to_owned()
                    } else {
                        String::new()
                    };
                    ui.label(format!(
                        "{} {}: {}{how}",
                        format_offset(h.at),
                        h.prompt,
                        h.option
                    ));
                    if !h.rationale.is_empty() {
                        ui.label(egui::RichText::new(format!("“{}”", h.rationale)).weak());
                    }
                }
            });
        }
    }

    fn requests_ui(&mut self, ui: &mut egui::Ui, view: &SeatView, actions: &mut Vec<SeatAction>) {
        ui.heading("Requests");
        if view.entitled.is_empty() {
            ui.label(
                egui::RichText::new("Your seat makes no mechanism requests in this exercise.")
                    .weak(),
            );
            return;
        }
        let needs = view.entitled.iter().any(|a| doctrine::needs_incident(*a));
        if needs {
            ui.horizontal(|ui| {
                let label = ui.label("Incident");
                let selected = self
                    .request_incident
                    .as_ref()
                    .and_then(|id| view.incidents.iter().find(|i| &i.id == id))
                    .map_or("choose…".to_owned(), |i| i.title.clone());
                egui::ComboBox::from_id_salt("request_incident")
                    .selected_text(selected)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        for i in &view.incidents {
                            ui.selectable_value(
                                &mut self.request_incident,
                                Some(i.id.clone()),
                                &i.title,
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
        }
        ui.horizontal_wrapped(|ui| {
            for action in &view.entitled {
                let needs = doctrine::needs_incident(*action);
                if needs && self.request_incident.is_none() {
                    ui.add_enabled(false, egui::Button::new(capitalised(*action)))
                        .on_disabled_hover_text("Choose the incident first");
                    continue;
                }
                let incident = if needs {
                    self.request_incident.clone()
                } else {
                    None
                };
                if ui.button(capitalised(*action)).clicked() {
                    actions.push(SeatAction::Request {
                        request: *action,
                        incident,
                    });
                }
            }
        });
        for r in view.requests.iter().take(8) {
            let text = format!("{} {}", format_offset(r.at), capitalised(r.action));
            match &r.refused {
                None => {
                    ui.label(format!("{text}: granted"));
                }
                Some(reason) => {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("{text}: refused — {reason}"),
                    );
                }
            }
        }
    }
}

fn capitalised(action: Action) -> String {
    let label = action.label();
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

fn channel_label(item: &InboxItem) -> &'static str {
    match (item.kind, item.channel) {
        (ItemKind::Inject, Some(c)) => c.label(),
        (ItemKind::Shared, _) if item.sent => "Sent",
        _ => "Shared",
    }
}

fn situation_ui(ui: &mut egui::Ui, view: &SeatView) {
    ui.heading("Situation");
    if view.incidents.is_empty() {
        ui.label(egui::RichText::new("No incident known yet.").weak());
    }
    for i in &view.incidents {
        ui.horizontal_wrapped(|ui| {
            theme::severity_chip_ui(ui, i.severity);
            ui.label(&i.title);
            ui.label(
                egui::RichText::new(format!(
                    "{}{}",
                    i.countries.join(" "),
                    if i.contained { " · contained" } else { "" }
                ))
                .weak(),
            );
        });
    }
    let m = &view.mechanisms;
    ui.label(format!(
        "IPCR: {} · CSIRTs Network case: {} · EU-CyCLONe: {}",
        m.ipcr.keyword().replace('_', " "),
        yes_no(m.csirts_case_open),
        if m.cyclone_active {
            "active"
        } else {
            "not active"
        }
    ));
    if !m.art222.is_empty() || !m.art427.is_empty() {
        ui.label(format!(
            "Art. 222 invoked by: {} · Art. 42(7) invoked by: {}",
            list_or_none(&m.art222),
            list_or_none(&m.art427)
        ));
    }
    // Each government's answer to an Art. 42(7) invocation is public: governments weigh their own
    // answer against the others'.
    for victim in &m.art427 {
        let answers = crate::doctrine::aid_answers_line(m, victim);
        if !answers.is_empty() {
            ui.label(format!("Aid and assistance to {victim}: {answers}"));
        }
    }
    if !view.obligations.is_empty() {
        ui.label(egui::RichText::new("NIS2 reports").strong());
        for o in &view.obligations {
            let status = match o.status {
                ObligationStatus::Open => {
                    let left: Minutes = o.due.saturating_sub(view.now);
                    format!(
                        "due {} ({} left)",
                        format_offset(o.due),
                        format_duration(left)
                    )
                }
                ObligationStatus::Met(at) => format!("filed {}", format_offset(at)),
                ObligationStatus::Missed => "missed".to_owned(),
            };
            ui.label(format!("{}: {} — {status}", o.entity, o.report.label()));
        }
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "open" } else { "none" }
}

fn list_or_none(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "nobody".to_owned()
    } else {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}
