//! What one seat may see and do: its inbox, its decisions, the requests its actor kind is entitled to,
//! and the public state of the mechanisms. Never the MSEL, other seats' inboxes, controller notes or an
//! incident's hidden truth. The participant view (same machine or over the LAN) is drawn only from this,
//! and a participant's actions are `SeatAction`s that become `Command`s under the seat's own name.

use serde::{Deserialize, Serialize};

use crate::doctrine::{self, Mechanisms, Requester};
use crate::domain::{Action, ActorKind, Channel, Severity, Tlp};
use crate::scenario::time::Minutes;

use super::state::{DecisionStatus, ObligationStatus, Phase};
use super::{Command, Engine, EventKind};

/// The longest subject a seat may share.
pub const MAX_SUBJECT_CHARS: usize = 200;
/// The longest text a seat may share in one message (about four pages).
pub const MAX_BODY_CHARS: usize = 16_000;

/// One seat's picture of the exercise at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatView {
    pub seat: SeatInfo,
    pub exercise: String,
    /// The scenario's start, as RFC 3339, so clients show local dates without the scenario.
    pub start: String,
    pub now: Minutes,
    pub duration: Minutes,
    pub paused: bool,
    pub ended: bool,
    /// Newest first.
    pub inbox: Vec<InboxItem>,
    pub pending: Vec<PendingDecision>,
    /// The seat's own decisions, newest first (taken by its participant or for it by the facilitator).
    pub history: Vec<TakenDecision>,
    /// The requests this seat's actor kind may make (Council positions only while their file is open); the
    /// rules may still refuse one when it is made.
    pub entitled: Vec<Action>,
    /// The seat's requests and what became of them, newest first.
    pub requests: Vec<RequestOutcome>,
    /// NIS2 reports this seat owes (an entity's or its CSIRT's).
    pub obligations: Vec<Obligation>,
    /// Incidents known to have happened: public facts only.
    pub incidents: Vec<KnownIncident>,
    pub mechanisms: Mechanisms,
    /// The other seats, to share with.
    pub directory: Vec<SeatInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatInfo {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    pub country: Option<String>,
    /// The role briefing: the seat's own in `SeatView::seat`; empty for the other seats in the directory.
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    /// A scripted or ad-hoc inject addressed to the seat.
    Inject,
    /// Information another seat shared (or this seat sent).
    Shared,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    /// The event's index in the stream: the handle to forward it by.
    pub id: usize,
    pub kind: ItemKind,
    pub at: Minutes,
    /// Display name of the sender.
    pub from: String,
    pub from_id: String,
    /// Display names of the recipients.
    pub to: Vec<String>,
    pub channel: Option<Channel>,
    pub tlp: Tlp,
    pub subject: String,
    /// Markdown.
    pub body: String,
    pub attachments: Vec<String>,
    /// Sent by this seat (its outbox, kept in the same list).
    pub sent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingDecision {
    pub id: String,
    pub prompt: String,
    /// `(option id, label)`.
    pub options: Vec<(String, String)>,
    pub deadline: Option<Minutes>,
    pub rationale_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakenDecision {
    pub at: Minutes,
    pub decision: String,
    pub prompt: String,
    pub option: String,
    pub rationale: String,
    /// The facilitator decided for the seat.
    pub by_facilitator: bool,
    /// Nobody decided in time and the default applied.
    pub defaulted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestOutcome {
    pub at: Minutes,
    pub action: Action,
    pub incident: Option<String>,
    /// `None` when granted; the rule's sentence when refused.
    pub refused: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    pub entity: String,
    pub incident: String,
    pub report: Action,
    pub due: Minutes,
    pub status: ObligationStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownIncident {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub countries: Vec<String>,
    pub detected_at: Minutes,
    pub contained: bool,
}

/// What a participant can do: always as its own seat (the seat is not part of the action).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum SeatAction {
    Decide {
        decision: String,
        option: String,
        rationale: String,
    },
    Request {
        request: Action,
        incident: Option<String>,
    },
    Share {
        to: Vec<String>,
        tlp: Tlp,
        subject: String,
        body: String,
        /// An inbox item's id to forward.
        forward: Option<usize>,
    },
}

impl SeatAction {
    /// The engine command for this action taken by `seat`.
    #[must_use]
    pub fn into_command(self, seat: &str) -> Command {
        match self {
            SeatAction::Decide {
                decision,
                option,
                rationale,
            } => Command::Decide {
                seat: seat.to_owned(),
                decision,
                option,
                rationale,
            },
            SeatAction::Request { request, incident } => Command::Request {
                by: seat.to_owned(),
                action: request,
                incident,
            },
            SeatAction::Share {
                to,
                tlp,
                subject,
                body,
                forward,
            } => Command::Share {
                from: seat.to_owned(),
                to,
                tlp,
                subject,
                body,
                forward,
            },
        }
    }
}

impl Engine {
    /// The seat's view, or `None` when `seat` is not a seat of this scenario.
    #[must_use]
    #[expect(clippy::too_many_lines, reason = "one block per part of the view")]
    pub fn seat_view(&mut self, seat: &str) -> Option<SeatView> {
        let scenario = self.scenario().clone();
        let actor = scenario
            .actor_index(seat)
            .map(|i| &scenario.file.actors[i])
            .filter(|a| a.seat)?;
        let view = self.view();
        let name = |id: &str| {
            scenario
                .actor_index(id)
                .map_or_else(|| id.to_owned(), |i| scenario.file.actors[i].name.clone())
        };
        let info = |a: &crate::scenario::model::Actor| SeatInfo {
            id: a.id.clone(),
            name: a.name.clone(),
            kind: a.kind,
            country: a.country.clone(),
            description: a.description.clone(),
        };
        let mut inbox = Vec::new();
        let mut history = Vec::new();
        let mut requests = Vec::new();
        for (index, event) in self.events().iter().enumerate() {
            match &event.kind {
                EventKind::InjectDelivered {
                    inject,
                    from,
                    to,
                    channel,
                    tlp,
                    subject,
                    body,
                    ..
                } if to.iter().any(|t| t == seat) => {
                    let spec = scenario
                        .inject_index(inject)
                        .map(|i| &scenario.file.injects[i]);
                    inbox.push(InboxItem {
                        id: index,
                        kind: ItemKind::Inject,
                        at: event.at,
                        from: name(from),
                        from_id: from.clone(),
                        to: to.iter().map(|t| name(t)).collect(),
                        channel: Some(*channel),
                        tlp: *tlp,
                        subject: subject.clone(),
                        body: spec.map_or_else(|| body.clone(), |s| s.body.clone()),
                        attachments: spec.map(|s| s.attachments.clone()).unwrap_or_default(),
                        sent: false,
                    });
                }
                EventKind::InformationShared {
                    from,
                    to,
                    tlp,
                    subject,
                    body,
                    ..
                } if from == seat || to.iter().any(|t| t == seat) => inbox.push(InboxItem {
                    id: index,
                    kind: ItemKind::Shared,
                    at: event.at,
                    from: name(from),
                    from_id: from.clone(),
                    to: to.iter().map(|t| name(t)).collect(),
                    channel: None,
                    tlp: *tlp,
                    subject: subject.clone(),
                    body: body.clone(),
                    attachments: Vec::new(),
                    sent: from == seat,
                }),
                EventKind::RequestGranted {
                    by,
                    action,
                    incident,
                    ..
                } if by == seat => requests.push(RequestOutcome {
                    at: event.at,
                    action: *action,
                    incident: incident.clone(),
                    refused: None,
                }),
                EventKind::RequestRefused {
                    by,
                    action,
                    incident,
                    refusal,
                } if by == seat => requests.push(RequestOutcome {
                    at: event.at,
                    action: *action,
                    incident: incident.clone(),
                    refused: Some(refusal.reason.clone()),
                }),
                _ => {}
            }
        }
        for d in &view.decisions {
            if !d.by.iter().any(|b| b == seat) {
                continue;
            }
            let option_label =
                |i: usize| d.options.get(i).map_or_else(String::new, |o| o.1.clone());
            match &d.status {
                DecisionStatus::Taken { option, by, at } => {
                    let (rationale, by_facilitator) = self
                        .events()
                        .iter()
                        .rev()
                        .find_map(|e| match &e.kind {
                            EventKind::DecisionTaken {
                                decision,
                                rationale,
                                by_facilitator,
                                ..
                            } if *decision == d.id => Some((rationale.clone(), *by_facilitator)),
                            _ => None,
                        })
                        .unwrap_or_default();
                    // Another seat sharing the decision took it: still this seat's history.
                    let _ = by;
                    history.push(TakenDecision {
                        at: *at,
                        decision: d.id.clone(),
                        prompt: d.prompt.clone(),
                        option: option_label(*option),
                        rationale,
                        by_facilitator,
                        defaulted: false,
                    });
                }
                DecisionStatus::Defaulted { option, at } => history.push(TakenDecision {
                    at: *at,
                    decision: d.id.clone(),
                    prompt: d.prompt.clone(),
                    option: option_label(*option),
                    rationale: String::new(),
                    by_facilitator: false,
                    defaulted: true,
                }),
                _ => {}
            }
        }
        history.sort_by(|a, b| b.at.cmp(&a.at).then(a.decision.cmp(&b.decision)));
        inbox.reverse();
        requests.reverse();
        let pending = view
            .decisions
            .iter()
            .filter(|d| matches!(d.status, DecisionStatus::Pending { .. }))
            .filter(|d| d.by.iter().any(|b| b == seat))
            .map(|d| PendingDecision {
                id: d.id.clone(),
                prompt: d.prompt.clone(),
                options: d.options.clone(),
                deadline: d.deadline,
                rationale_required: d.rationale_required,
            })
            .collect();
        let requester = Requester {
            id: &actor.id,
            kind: actor.kind,
            country: actor.country.as_deref(),
        };
        // Council positions only while a file they belong to is before the Council (public: the mechanisms
        // board shows it), so a government's panel is not a wall of ballots it cannot cast.
        let on_the_table = |action: &Action| match action {
            Action::VoteMeasures(_) | Action::JoinListingProposal => {
                view.mechanisms.restrictive_open()
            }
            Action::Position(category, _) | Action::PostponeCouncilStep(category) => {
                view.mechanisms.open_file(*category).is_some()
            }
            _ => true,
        };
        let entitled = Action::ALL
            .into_iter()
            .filter(|a| doctrine::entitled(*a, &requester).is_ok())
            .filter(on_the_table)
            .collect();
        let obligations = view
            .obligations
            .iter()
            .filter(|o| {
                o.entity == seat
                    || (doctrine::receives_national_reports(actor.kind)
                        && scenario
                            .actor_index(&o.entity)
                            .and_then(|i| scenario.file.actors[i].country.as_deref())
                            == actor.country.as_deref())
            })
            .map(|o| Obligation {
                entity: name(&o.entity),
                incident: o.incident.clone(),
                report: o.report,
                due: o.due,
                status: o.status,
            })
            .collect();
        let incidents = view
            .incidents
            .iter()
            .filter_map(|i| {
                let detected_at = i.detected_at?;
                let spec = &scenario.file.incidents[scenario.incident_index(&i.id)?];
                Some(KnownIncident {
                    id: i.id.clone(),
                    title: spec.title.clone(),
                    severity: i.severity,
                    countries: i.countries.iter().cloned().collect(),
                    detected_at,
                    contained: matches!(i.phase, Phase::Contained | Phase::Recovered),
                })
            })
            .collect();
        // Other seats' role briefings are theirs alone (the format promises each seat only its own).
        let directory = scenario
            .seats()
            .filter(|a| a.id != seat)
            .map(|a| SeatInfo {
                description: String::new(),
                ..info(a)
            })
            .collect();
        Some(SeatView {
            seat: info(actor),
            exercise: scenario.file.title.clone(),
            start: scenario.start.to_rfc3339(),
            now: view.now,
            duration: scenario.duration,
            paused: view.paused,
            ended: view.ended,
            inbox,
            pending,
            history,
            entitled,
            requests,
            obligations,
            incidents,
            mechanisms: view.mechanisms.clone(),
            directory,
        })
    }
}
