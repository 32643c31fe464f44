//! A read-only snapshot of the exercise for conditions, the console, reports and the command line.
//! Built from the world on demand; it owns its data, so holding one never blocks the engine.

use std::collections::{BTreeMap, BTreeSet};

use bevy_ecs::prelude::*;

use crate::doctrine::Mechanisms;
use crate::domain::{IpcrMode, Severity};
use crate::scenario::expr::{Fact, Facts, Query, Val};
use crate::scenario::model::{Anchor, Value};
use crate::scenario::time::Minutes;

use super::state::{
    Clock, DecisionState, DecisionStatus, IncidentState, InjectState, InjectStatus, Mech,
    Milestones, Obligation, ObligationStatus, Phase, Vars,
};

#[derive(Debug, Clone)]
pub struct IncidentView {
    pub id: String,
    pub phase: Phase,
    pub severity: Severity,
    pub entities: BTreeSet<String>,
    pub countries: BTreeSet<String>,
    pub detected_at: Option<Minutes>,
    pub mitigated: bool,
    pub supported: bool,
    pub large_scale: bool,
}

#[derive(Debug, Clone)]
pub struct DecisionView {
    pub id: String,
    pub prompt: String,
    pub by: Vec<String>,
    pub options: Vec<(String, String)>,
    pub status: DecisionStatus,
    pub deadline: Option<Minutes>,
    pub rationale_required: bool,
    pub generated: bool,
}

#[derive(Debug, Clone)]
pub struct ObligationView {
    pub entity: String,
    pub incident: String,
    pub report: crate::domain::Action,
    pub due: Minutes,
    pub status: ObligationStatus,
}

#[derive(Debug, Clone)]
pub struct InjectView {
    pub id: String,
    pub status: InjectStatus,
    /// When it will be delivered, once known.
    pub due: Option<Minutes>,
}

/// Everything a reader may see of the exercise at one moment.
#[derive(Debug, Clone)]
pub struct View {
    pub now: Minutes,
    pub paused: bool,
    pub ended: bool,
    pub incidents: Vec<IncidentView>,
    /// In scenario order.
    pub injects: Vec<InjectView>,
    pub decisions: Vec<DecisionView>,
    pub obligations: Vec<ObligationView>,
    pub mechanisms: Mechanisms,
    pub variables: BTreeMap<String, Value>,
    /// When an incident first affected a second Member State.
    pub first_cross_border: Option<Minutes>,
}

impl View {
    /// Snapshots the world.
    pub fn of(world: &mut World) -> View {
        let clock = *world.resource::<Clock>();
        let mut incidents: Vec<(usize, IncidentView)> = world
            .query::<&IncidentState>()
            .iter(world)
            .map(|i| {
                (
                    i.index,
                    IncidentView {
                        id: i.id.clone(),
                        phase: i.phase,
                        severity: i.severity,
                        entities: i.entities.clone(),
                        countries: i.countries.clone(),
                        detected_at: i.detected_at,
                        mitigated: i.mitigated,
                        supported: i.supported,
                        large_scale: i.large_scale,
                    },
                )
            })
            .collect();
        incidents.sort_by_key(|(i, _)| *i);
        let mut injects: Vec<(usize, InjectView)> = world
            .query::<&InjectState>()
            .iter(world)
            .map(|i| {
                let view = InjectView {
                    id: i.id.clone(),
                    status: i.status,
                    due: i.due,
                };
                (i.index, view)
            })
            .collect();
        injects.sort_by_key(|(i, _)| *i);
        let mut decisions: Vec<DecisionView> = world
            .query::<&DecisionState>()
            .iter(world)
            .map(|d| DecisionView {
                id: d.id.clone(),
                prompt: d.prompt.clone(),
                by: d.by.clone(),
                options: d
                    .options
                    .iter()
                    .map(|o| (o.id.clone(), o.label.clone()))
                    .collect(),
                status: d.status.clone(),
                deadline: d.deadline,
                rationale_required: d.rationale_required,
                generated: d.generated,
            })
            .collect();
        decisions.sort_by(|a, b| a.id.cmp(&b.id));
        let mut obligations: Vec<ObligationView> = world
            .query::<&Obligation>()
            .iter(world)
            .map(|o| ObligationView {
                entity: o.entity.clone(),
                incident: o.incident.clone(),
                report: o.report,
                due: o.due,
                status: o.status,
            })
            .collect();
        obligations
            .sort_by(|a, b| (a.due, &a.entity, &a.incident).cmp(&(b.due, &b.entity, &b.incident)));
        View {
            now: clock.now,
            paused: clock.paused,
            ended: clock.ended,
            incidents: incidents.into_iter().map(|(_, v)| v).collect(),
            injects: injects.into_iter().map(|(_, v)| v).collect(),
            decisions,
            obligations,
            mechanisms: world.resource::<Mech>().0.clone(),
            variables: world.resource::<Vars>().0.clone(),
            first_cross_border: world.resource::<Milestones>().first_cross_border,
        }
    }

    #[must_use]
    pub fn incident(&self, id: &str) -> Option<&IncidentView> {
        self.incidents.iter().find(|i| i.id == id)
    }

    /// When an inject was delivered.
    #[must_use]
    pub fn delivered_at(&self, id: &str) -> Option<Minutes> {
        self.injects
            .iter()
            .find(|i| i.id == id)
            .and_then(|i| match i.status {
                InjectStatus::Delivered(t) => Some(t),
                _ => None,
            })
    }

    /// The moment a criterion's window opens, once it is known.
    #[must_use]
    pub fn anchor(&self, anchor: &Anchor) -> Option<Minutes> {
        match anchor {
            Anchor::Start => Some(0),
            Anchor::FirstCrossBorderImpact => self.first_cross_border,
            Anchor::Detected(id) => self.incident(id).and_then(|i| i.detected_at),
            Anchor::Delivered(id) => self.delivered_at(id),
        }
    }

    #[must_use]
    pub fn decision(&self, id: &str) -> Option<&DecisionView> {
        self.decisions.iter().find(|d| d.id == id)
    }

    /// Decisions waiting for someone.
    pub fn pending_decisions(&self) -> impl Iterator<Item = &DecisionView> {
        self.decisions
            .iter()
            .filter(|d| matches!(d.status, DecisionStatus::Pending { .. }))
    }

    /// Distinct Member States hit by any incident.
    #[must_use]
    pub fn countries_affected(&self) -> BTreeSet<&str> {
        self.incidents
            .iter()
            .filter(|i| i.phase != Phase::NotStarted)
            .flat_map(|i| i.countries.iter().map(String::as_str))
            .collect()
    }

    /// Worst severity of any incident that has started and not recovered.
    #[must_use]
    pub fn max_severity(&self) -> Severity {
        self.incidents
            .iter()
            .filter(|i| matches!(i.phase, Phase::Active | Phase::Contained))
            .map(|i| i.severity)
            .max()
            .unwrap_or(Severity::Minor)
    }
}

impl Facts for View {
    fn fact(&self, fact: Fact) -> Val {
        let m = &self.mechanisms;
        match fact {
            Fact::Time => Val::Duration(self.now),
            Fact::Ipcr => Val::Ipcr(m.ipcr),
            Fact::LargeScale => Val::Bool(self.incidents.iter().any(|i| i.large_scale)),
            Fact::CycloneActive => Val::Bool(m.cyclone_active),
            Fact::CommissionFullParticipant => Val::Bool(m.commission_full_participant),
            Fact::CsirtsCaseOpen => Val::Bool(m.csirts_case_open),
            Fact::Art222Invoked => Val::Bool(!m.art222.is_empty()),
            Fact::Art427Invoked => Val::Bool(!m.art427.is_empty()),
            Fact::ReserveRequested => Val::Bool(!m.reserve_requests.is_empty()),
            Fact::ReserveDeployed => Val::Bool(m.reserve_deployed),
            Fact::RapidReactionDeployed => Val::Bool(m.rapid_reaction_deployed),
            Fact::IncidentReviewApproved => Val::Bool(!m.review_approved.is_empty()),
            Fact::MeasuresProposed => Val::Bool(!m.measures_proposed.is_empty()),
            Fact::MeasuresAdopted => Val::Bool(m.measures_adopted),
            Fact::SanctionsAdopted => Val::Bool(m.sanctions_adopted),
            Fact::Attributed => Val::Bool(!m.attributed.is_empty()),
            Fact::LeErpActive => Val::Bool(m.le_erp_active),
            Fact::CountriesAffected => Val::Int(count(self.countries_affected().len())),
            Fact::Nis2Missed => Val::Int(count(
                self.obligations
                    .iter()
                    .filter(|o| o.status == ObligationStatus::Missed)
                    .count(),
            )),
            Fact::MaxSeverity => Val::Severity(self.max_severity()),
        }
    }

    fn variable(&self, name: &str) -> Val {
        match self.variables.get(name) {
            Some(Value::Int(n)) => Val::Int(*n),
            Some(Value::Bool(b)) => Val::Bool(*b),
            None => Val::Bool(false),
        }
    }

    fn query(&self, query: &Query) -> Val {
        let incident = |id: &str| self.incident(id);
        let started = |id: &str| incident(id).filter(|i| i.phase != Phase::NotStarted);
        match query {
            Query::Severity(id) => {
                Val::Severity(incident(id).map_or(Severity::Minor, |i| i.severity))
            }
            Query::Countries(id) => Val::Int(started(id).map_or(0, |i| count(i.countries.len()))),
            Query::Entities(id) => Val::Int(started(id).map_or(0, |i| count(i.entities.len()))),
            Query::Detected(id) => Val::Bool(incident(id).is_some_and(|i| i.detected_at.is_some())),
            Query::Contained(id) => Val::Bool(
                incident(id)
                    .is_some_and(|i| matches!(i.phase, Phase::Contained | Phase::Recovered)),
            ),
            Query::Recovered(id) => {
                Val::Bool(incident(id).is_some_and(|i| i.phase == Phase::Recovered))
            }
            Query::Delivered(id) => Val::Bool(self.delivered_at(id).is_some()),
            Query::Decided(id) => Val::Bool(self.decision(id).is_some_and(|d| {
                matches!(
                    d.status,
                    DecisionStatus::Taken { .. } | DecisionStatus::Defaulted { .. }
                )
            })),
            Query::Chose(id, option) => Val::Bool(self.decision(id).is_some_and(|d| {
                let chosen = match d.status {
                    DecisionStatus::Taken { option, .. }
                    | DecisionStatus::Defaulted { option, .. } => Some(option),
                    _ => None,
                };
                chosen
                    .and_then(|i| d.options.get(i))
                    .is_some_and(|(o, _)| o == option)
            })),
        }
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Whether IPCR is at least in this mode.
#[must_use]
pub fn ipcr_at_least(view: &View, mode: IpcrMode) -> bool {
    view.mechanisms.ipcr >= mode
}
