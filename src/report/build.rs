//! Deriving the report from a journal: replay it, then gather criteria and ratings, strengths and areas
//! for improvement, the decision log, mechanism activation by Blueprint level, NIS2 deadlines and the
//! trend from the event stream and the final view.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{BlueprintLevel, IpcrMode, Mechanism, Severity};
use crate::journal::{self, Divergence, Journal, JournalError};
use crate::scenario::Scenario;
use crate::scenario::expr::{ExprKind, Query};
use crate::scenario::model::Anchor;
use crate::scenario::time::{Minutes, format_duration};
use crate::sim::state::{ObligationStatus, Outcome, Phase};
use crate::sim::{Event, EventKind, Rating, View};

use super::model::{
    Basis, CriterionOutcome, CriterionResult, DecisionRecord, Finding, General, ImprovementItem,
    IncidentSummary, KeyFigures, LevelActivity, MechanismChange, Nis2Record, Nis2Status, Note,
    ObjectiveAnalysis, Observation, Overview, Report, Resolution, Seat, TrendPoint,
};
use super::prose::{capitalised, ipcr_label};
use super::timeline;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(
        "the journal does not replay: command {} gave other events than recorded, so a report would describe another exercise (run `tabletop replay` for details)",
        .0.entry + 1
    )]
    Diverged(Box<Divergence>),
}

impl Report {
    /// Builds the report of a journal, replaying it first.
    pub fn from_journal(journal: &Journal) -> Result<Report, ReportError> {
        let mut engine =
            journal::replay(journal)?.map_err(|d| ReportError::Diverged(Box::new(d)))?;
        let view = engine.view();
        let scenario = engine.scenario().clone();
        let outcomes = engine.criteria().to_vec();
        let events = engine.events();
        let players = &journal.header.players;
        let ctx = Ctx {
            scenario: &scenario,
            view: &view,
            players,
        };

        let objectives = objectives(&ctx, events, &outcomes);
        let general = general(events);
        let trend = trend(&scenario, events, view.now);
        let decisions = decisions(&ctx, events);
        let mechanisms = mechanisms(&ctx, events, view.first_cross_border);
        let nis2 = nis2(&ctx, events);
        let improvement_plan = improvement_plan(&ctx, &objectives, &general);
        let timeline = timeline::timeline(&ctx, events);

        let figures = key_figures(&KeyInputs {
            view: &view,
            events,
            outcomes: &outcomes,
            decisions: &decisions,
            nis2: &nis2,
            trend: &trend,
            mechanisms: &mechanisms,
        });

        let file = &scenario.file;
        let overview = Overview {
            title: file.title.clone(),
            scenario_id: file.id.clone(),
            version: file.version.clone(),
            authors: file.authors.clone(),
            language: file.language.clone(),
            tlp: file.tlp,
            briefing: file.briefing.clone(),
            start: scenario.start,
            duration: scenario.duration,
            end: view.now,
            ended: view.ended,
            member_states: file.member_states.clone(),
            presidency: file.presidency.clone(),
            seed: journal.header.seed,
            scenario_sha256: journal.header.scenario_sha256.clone(),
            commands: journal.entries.len(),
            events: events.len(),
            seats: scenario
                .seats()
                .map(|a| Seat {
                    id: a.id.clone(),
                    organisation: a.name.clone(),
                    role: a.kind.label(),
                    country: a.country.clone(),
                    player: players.get(&a.id).cloned(),
                })
                .collect(),
            incidents: incidents(&ctx, events),
            figures,
        };
        Ok(Report {
            overview,
            objectives,
            general,
            trend,
            timeline,
            decisions,
            first_cross_border: view.first_cross_border,
            mechanisms,
            nis2,
            improvement_plan,
        })
    }
}

/// What the builders share: the scenario, the final view and the players.
pub(super) struct Ctx<'a> {
    pub(super) scenario: &'a Scenario,
    pub(super) view: &'a View,
    pub(super) players: &'a BTreeMap<String, String>,
}

impl Ctx<'_> {
    /// An actor's display name; `rule` for the engine's own automatic steps.
    pub(super) fn who(&self, id: &str) -> String {
        if id == "rule" {
            return "automatic (rule)".into();
        }
        self.scenario.actor_index(id).map_or_else(
            || id.to_owned(),
            |a| self.scenario.file.actors[a].name.clone(),
        )
    }

    pub(super) fn who_list(&self, ids: &[String]) -> String {
        ids.iter()
            .map(|i| self.who(i))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(super) fn option_label(&self, decision: &str, option: &str) -> String {
        self.view
            .decision(decision)
            .and_then(|d| d.options.iter().find(|(id, _)| id == option))
            .map_or_else(|| option.to_owned(), |(_, label)| label.clone())
    }

    pub(super) fn criterion_text(&self, objective: &str, criterion: &str) -> String {
        self.scenario
            .objective_index(objective)
            .and_then(|o| {
                self.scenario.file.objectives[o]
                    .criteria
                    .iter()
                    .find(|c| c.id == criterion)
            })
            .map_or_else(|| format!("{objective}/{criterion}"), |c| c.text.clone())
    }

    /// The seats among these actors, as organisation names, without repeats.
    fn seat_names(&self, ids: impl IntoIterator<Item = String>) -> Vec<String> {
        let mut seen = BTreeSet::new();
        ids.into_iter()
            .filter(|id| {
                self.scenario
                    .actor_index(id)
                    .is_some_and(|a| self.scenario.file.actors[a].seat)
            })
            .map(|id| self.who(&id))
            .filter(|name| seen.insert(name.clone()))
            .collect()
    }

    /// Seats deciding the scenario decisions that exercise an objective.
    fn objective_seats(&self, objective: &str) -> Vec<String> {
        self.seat_names(
            self.scenario
                .file
                .decisions
                .iter()
                .filter(|d| d.objectives.iter().any(|o| o == objective))
                .flat_map(|d| d.by.iter().cloned()),
        )
    }

    /// Seats a criterion is about: the deciders of decisions its condition names, else the recipients of
    /// the inject that starts its clock, else the deciders of its objective's decisions.
    fn criterion_seats(&self, objective: usize, criterion: usize) -> Vec<String> {
        let mut deciders = Vec::new();
        if let Some(plan) = self
            .scenario
            .criteria
            .iter()
            .find(|c| c.objective == objective && c.criterion == criterion)
        {
            plan.condition.walk(&mut |node| {
                if let ExprKind::Query(Query::Decided(d) | Query::Chose(d, _)) = &node.kind
                    && let Some(i) = self.scenario.decision_index(d)
                {
                    deciders.extend(self.scenario.file.decisions[i].by.iter().cloned());
                }
            });
        }
        let seats = self.seat_names(deciders);
        if !seats.is_empty() {
            return seats;
        }
        let spec = &self.scenario.file.objectives[objective];
        if let Anchor::Delivered(inject) = &spec.criteria[criterion].from
            && let Some(i) = self.scenario.inject_index(inject)
        {
            let seats = self.seat_names(self.scenario.file.injects[i].to.iter().cloned());
            if !seats.is_empty() {
                return seats;
            }
        }
        self.objective_seats(&spec.id)
    }
}

/// The mechanisms a level's part of the report lists, in order: those reported under their own name.
fn catalogue(level: BlueprintLevel) -> impl Iterator<Item = Mechanism> {
    Mechanism::ALL
        .into_iter()
        .filter(move |m| m.level() == level && m.part_of() == *m)
}

/// What the key figures are counted from.
struct KeyInputs<'a> {
    view: &'a View,
    events: &'a [Event],
    outcomes: &'a [Outcome],
    decisions: &'a [DecisionRecord],
    nis2: &'a [Nis2Record],
    trend: &'a [TrendPoint],
    mechanisms: &'a [LevelActivity],
}

fn key_figures(k: &KeyInputs) -> KeyFigures {
    let events = |f: fn(&EventKind) -> bool| k.events.iter().filter(|e| f(&e.kind)).count();
    KeyFigures {
        criteria_met: k
            .outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Met(_)))
            .count(),
        criteria_failed: k
            .outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Failed(_)))
            .count(),
        criteria_total: k.outcomes.len(),
        decisions_taken: k
            .decisions
            .iter()
            .filter(|d| {
                matches!(
                    d.resolution,
                    Resolution::OnTime | Resolution::Late | Resolution::ByFacilitator
                )
            })
            .count(),
        decisions_defaulted: k
            .decisions
            .iter()
            .filter(|d| matches!(d.resolution, Resolution::Defaulted { .. }))
            .count(),
        decisions_unanswered: k
            .decisions
            .iter()
            .filter(|d| d.resolution == Resolution::Unanswered)
            .count(),
        nis2_met: k
            .nis2
            .iter()
            .filter(|n| matches!(n.status, Nis2Status::Met(_)))
            .count(),
        nis2_missed: k
            .nis2
            .iter()
            .filter(|n| matches!(n.status, Nis2Status::Missed(_)))
            .count(),
        nis2_open: k
            .nis2
            .iter()
            .filter(|n| n.status == Nis2Status::Open)
            .count(),
        worst_severity: k.trend.iter().filter_map(|p| p.worst).max(),
        countries_affected: k
            .view
            .countries_affected()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        mechanisms_activated: k
            .mechanisms
            .iter()
            .flat_map(|l| l.changes.iter().filter(|c| c.first))
            .count(),
        requests_refused: events(|e| matches!(e, EventKind::RequestRefused { .. })),
        overrides: events(|e| {
            matches!(
                e,
                EventKind::RequestGranted {
                    overridden: Some(_),
                    ..
                }
            )
        }),
        observations: events(|e| matches!(e, EventKind::ObservationRecorded { .. })),
    }
}

/// `PhysicalSabotage` → `physical sabotage`.
fn words(debug: &str) -> String {
    let mut out = String::new();
    for (i, c) in debug.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    match out.as_str() {
        "ddos" => "DDoS".into(),
        _ => capitalised(&out),
    }
}

fn window(spec: &crate::scenario::model::Criterion, within: Option<Minutes>) -> String {
    let from = match &spec.from {
        Anchor::Start => "the start".to_owned(),
        Anchor::FirstCrossBorderImpact => "the first cross-border impact".to_owned(),
        Anchor::Detected(incident) => format!("detection of {incident}"),
        Anchor::Delivered(inject) => format!("delivery of {inject}"),
    };
    within.map_or_else(
        || "any time before the end".to_owned(),
        |w| format!("within {} of {from}", format_duration(w)),
    )
}

fn objectives(ctx: &Ctx, events: &[Event], outcomes: &[Outcome]) -> Vec<ObjectiveAnalysis> {
    let scenario = ctx.scenario;
    scenario
        .file
        .objectives
        .iter()
        .enumerate()
        .map(|(index, spec)| {
            let criteria: Vec<CriterionResult> = scenario
                .criteria
                .iter()
                .zip(outcomes)
                .filter(|(plan, _)| plan.objective == index)
                .map(|(plan, outcome)| {
                    let c = &spec.criteria[plan.criterion];
                    CriterionResult {
                        id: c.id.clone(),
                        text: c.text.clone(),
                        window: window(c, plan.within),
                        outcome: match outcome {
                            Outcome::Met(t) => CriterionOutcome::Met(*t),
                            Outcome::Failed(t) => CriterionOutcome::Failed(*t),
                            Outcome::Open => CriterionOutcome::Open,
                        },
                    }
                })
                .collect();
            let observations: Vec<Observation> = observations(events)
                .filter(|o| o.objective.as_deref() == Some(spec.id.as_str()))
                .collect();
            let evaluations = events
                .iter()
                .filter_map(|e| match &e.kind {
                    EventKind::Evaluation { objective, note } if *objective == spec.id => {
                        Some(Note {
                            at: e.at,
                            text: note.clone(),
                        })
                    }
                    _ => None,
                })
                .collect();
            let (mut strengths, mut improvements) = (Vec::new(), Vec::new());
            for c in &criteria {
                let basis = Basis::Criterion {
                    id: c.id.clone(),
                    outcome: c.outcome,
                };
                match c.outcome {
                    CriterionOutcome::Met(_) => strengths.push(Finding {
                        text: c.text.clone(),
                        basis,
                    }),
                    // Worded as the issue it is: the criterion states what should have happened.
                    CriterionOutcome::Failed(_) => improvements.push(Finding {
                        text: format!("Not met: {}", c.text),
                        basis,
                    }),
                    CriterionOutcome::Open => {}
                }
            }
            sort_observations(&observations, &mut strengths, &mut improvements);
            ObjectiveAnalysis {
                id: spec.id.clone(),
                title: spec.title.clone(),
                description: spec.description.clone(),
                critical_tasks: spec.critical_tasks.clone(),
                criteria,
                observations,
                evaluations,
                strengths,
                improvements,
            }
        })
        .collect()
}

fn observations(events: &[Event]) -> impl Iterator<Item = Observation> + '_ {
    events.iter().filter_map(|e| match &e.kind {
        EventKind::ObservationRecorded {
            text,
            objective,
            rating,
        } => Some(Observation {
            at: e.at,
            text: text.clone(),
            objective: objective.clone(),
            rating: *rating,
        }),
        _ => None,
    })
}

/// P and S ratings are strengths, M and U areas for improvement; unrated observations are neither.
fn sort_observations(
    observations: &[Observation],
    strengths: &mut Vec<Finding>,
    improvements: &mut Vec<Finding>,
) {
    for o in observations {
        let Some(rating) = o.rating else { continue };
        let finding = Finding {
            text: o.text.clone(),
            basis: Basis::Observation { at: o.at, rating },
        };
        match rating {
            Rating::P | Rating::S => strengths.push(finding),
            Rating::M | Rating::U => improvements.push(finding),
        }
    }
}

fn general(events: &[Event]) -> General {
    let observations: Vec<Observation> = observations(events)
        .filter(|o| o.objective.is_none())
        .collect();
    let (mut strengths, mut improvements) = (Vec::new(), Vec::new());
    sort_observations(&observations, &mut strengths, &mut improvements);
    General {
        observations,
        strengths,
        improvements,
    }
}

fn improvement_plan(
    ctx: &Ctx,
    objectives: &[ObjectiveAnalysis],
    general: &General,
) -> Vec<ImprovementItem> {
    let mut plan = Vec::new();
    for (index, o) in objectives.iter().enumerate() {
        for finding in &o.improvements {
            let responsible = match &finding.basis {
                Basis::Criterion { id, .. } => ctx.scenario.file.objectives[index]
                    .criteria
                    .iter()
                    .position(|c| c.id == *id)
                    .map(|c| ctx.criterion_seats(index, c))
                    .unwrap_or_default(),
                Basis::Observation { .. } => ctx.objective_seats(&o.id),
            };
            plan.push(ImprovementItem {
                objective: Some(o.title.clone()),
                issue: finding.text.clone(),
                basis: finding.basis.label(),
                responsible,
            });
        }
    }
    for finding in &general.improvements {
        plan.push(ImprovementItem {
            objective: None,
            issue: finding.text.clone(),
            basis: finding.basis.label(),
            responsible: Vec::new(),
        });
    }
    plan
}

/// Worst severity and affected Member States after every change: the engine's trend without the
/// obligations count, which the report tabulates separately.
fn trend(scenario: &Scenario, events: &[Event], end: Minutes) -> Vec<TrendPoint> {
    let mut points: Vec<TrendPoint> = crate::sim::trend::trend(scenario, events, end)
        .into_iter()
        .map(|p| TrendPoint {
            open_obligations: 0,
            ..p
        })
        .collect();
    points.dedup_by(|b, a| (a.worst, a.countries) == (b.worst, b.countries));
    if points.last().is_some_and(|p| p.at < end) {
        let last = points[points.len() - 1];
        points.push(TrendPoint { at: end, ..last });
    }
    points
}

fn incidents(ctx: &Ctx, events: &[Event]) -> Vec<IncidentSummary> {
    ctx.scenario
        .file
        .incidents
        .iter()
        .map(|spec| {
            let view = ctx.view.incident(&spec.id);
            let mut started = None;
            let mut peak: Option<Severity> = None;
            for e in events {
                match &e.kind {
                    EventKind::IncidentStarted {
                        incident, severity, ..
                    } if *incident == spec.id => {
                        started = Some(e.at);
                        peak = Some(*severity);
                    }
                    EventKind::SeverityChanged { incident, to, .. }
                        if *incident == spec.id && started.is_some() =>
                    {
                        peak = peak.max(Some(*to));
                    }
                    _ => {}
                }
            }
            IncidentSummary {
                id: spec.id.clone(),
                title: spec.title.clone(),
                kind: words(&format!("{:?}", spec.kind)),
                started,
                detected: view.and_then(|v| v.detected_at),
                peak,
                countries: view
                    .filter(|v| v.phase != Phase::NotStarted)
                    .map(|v| v.countries.iter().cloned().collect())
                    .unwrap_or_default(),
                outcome: match view.map(|v| v.phase) {
                    Some(Phase::Active) => "still active",
                    Some(Phase::Contained) => "contained",
                    Some(Phase::Recovered) => "recovered",
                    Some(Phase::NotStarted) | None => "did not start",
                },
            }
        })
        .collect()
}

fn decisions(ctx: &Ctx, events: &[Event]) -> Vec<DecisionRecord> {
    let mut records: Vec<DecisionRecord> = Vec::new();
    // The open record of each decision, by id (a decision is offered once).
    let mut open: BTreeMap<String, usize> = BTreeMap::new();
    for e in events {
        match &e.kind {
            EventKind::DecisionPending {
                decision,
                by,
                deadline,
            } => {
                let view = ctx.view.decision(decision);
                open.insert(decision.clone(), records.len());
                records.push(DecisionRecord {
                    id: decision.clone(),
                    prompt: view.map(|d| d.prompt.clone()).unwrap_or_default(),
                    seat: ctx.who_list(by),
                    // Who held the seat, should it default: only clear when one seat decides.
                    player: match by.as_slice() {
                        [one] => ctx.players.get(one).cloned(),
                        _ => None,
                    },
                    option: None,
                    rationale: String::new(),
                    offered_at: e.at,
                    deadline: *deadline,
                    at: None,
                    resolution: Resolution::Unanswered,
                });
            }
            EventKind::DecisionTaken {
                decision,
                option,
                by,
                rationale,
                by_facilitator,
            } => {
                if let Some(r) = open.remove(decision).and_then(|i| records.get_mut(i)) {
                    r.seat = ctx.who(by);
                    r.player = ctx.players.get(by).cloned();
                    r.option = Some(ctx.option_label(decision, option));
                    r.rationale.clone_from(rationale);
                    r.at = Some(e.at);
                    r.resolution = if *by_facilitator {
                        Resolution::ByFacilitator
                    } else if r.deadline.is_some_and(|d| e.at > d) {
                        Resolution::Late
                    } else {
                        Resolution::OnTime
                    };
                }
            }
            EventKind::DecisionDefaulted { decision, option } => {
                if let Some(r) = open.remove(decision).and_then(|i| records.get_mut(i)) {
                    r.option = Some(ctx.option_label(decision, option));
                    r.at = Some(e.at);
                    r.resolution = Resolution::Defaulted {
                        nobody_seated: r.deadline.is_none_or(|d| e.at < d),
                    };
                }
            }
            EventKind::DecisionWithdrawn { decision, reason } => {
                if let Some(r) = open.remove(decision).and_then(|i| records.get_mut(i)) {
                    r.at = Some(e.at);
                    r.resolution = Resolution::Withdrawn {
                        reason: reason.clone(),
                    };
                }
            }
            _ => {}
        }
    }
    // In the order they were settled, the time the log shows first; unanswered ones last.
    records.sort_by_key(|r| (r.at.unwrap_or(Minutes::MAX), r.offered_at));
    records
}

fn mechanisms(
    ctx: &Ctx,
    events: &[Event],
    first_cross_border: Option<Minutes>,
) -> Vec<LevelActivity> {
    let mut changes: Vec<MechanismChange> = Vec::new();
    let mut seen: BTreeSet<Mechanism> = BTreeSet::new();
    for e in events {
        let (mechanism, state, by) = match &e.kind {
            EventKind::MechanismChanged {
                mechanism: part @ Mechanism::NetworksInformed,
                state,
                by,
                ..
            } => (
                // The networks are told of a Reserve request: a step of that request, not a mechanism.
                part.part_of(),
                format!("CSIRTs Network and EU-CyCLONe {state}"),
                ctx.who(by),
            ),
            EventKind::MechanismChanged {
                mechanism,
                state,
                by,
                ..
            } => (mechanism.part_of(), state.clone(), ctx.who(by)),
            EventKind::IpcrModeChanged { to, by, .. } => (
                Mechanism::Ipcr,
                if *to == IpcrMode::Monitoring {
                    "back to monitoring".to_owned()
                } else {
                    ipcr_label(*to).to_owned()
                },
                ctx.who(by),
            ),
            EventKind::SupportDeployed { incident, support } => (
                support.mechanism(),
                format!("{support} deployed on {incident}"),
                "automatic (rule)".to_owned(),
            ),
            _ => continue,
        };
        changes.push(MechanismChange {
            mechanism,
            at: e.at,
            state,
            by,
            first: seen.insert(mechanism),
            since_cross_border: first_cross_border.map(|t| i64::from(e.at) - i64::from(t)),
        });
    }
    BlueprintLevel::ALL
        .into_iter()
        .map(|level| LevelActivity {
            level,
            changes: changes
                .iter()
                .filter(|c| c.mechanism.level() == level)
                .cloned()
                .collect(),
            not_activated: catalogue(level).filter(|m| !seen.contains(m)).collect(),
        })
        .collect()
}

fn nis2(ctx: &Ctx, events: &[Event]) -> Vec<Nis2Record> {
    ctx.view
        .obligations
        .iter()
        .map(|o| {
            let missed_at = events.iter().find_map(|e| match &e.kind {
                EventKind::ObligationMissed {
                    entity,
                    incident,
                    report,
                    ..
                } if *entity == o.entity && *incident == o.incident && *report == o.report => {
                    Some(e.at)
                }
                _ => None,
            });
            Nis2Record {
                entity: ctx.who(&o.entity),
                country: ctx
                    .scenario
                    .actor_index(&o.entity)
                    .and_then(|a| ctx.scenario.file.actors[a].country.clone()),
                incident: o.incident.clone(),
                report: capitalised(&o.report.label()),
                due: o.due,
                status: match o.status {
                    ObligationStatus::Met(t) => Nis2Status::Met(t),
                    ObligationStatus::Missed => Nis2Status::Missed(missed_at),
                    ObligationStatus::Open => Nis2Status::Open,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mechanism_is_reported_at_its_level_under_a_listed_name() {
        let listed: Vec<Mechanism> = BlueprintLevel::ALL
            .into_iter()
            .flat_map(catalogue)
            .collect();
        for m in Mechanism::ALL {
            assert!(
                catalogue(m.level()).any(|c| c == m.part_of()),
                "{m} has no line in the report"
            );
            assert_eq!(listed.contains(&m), m.part_of() == m, "{m}");
        }
    }
}
