//! The simulation's data in the `bevy_ecs` world: resources for exercise-wide state, components for
//! incidents, injects, decisions and NIS2 obligations. Only the engine's systems and its command handler
//! change them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use bevy_ecs::prelude::*;
use rand_chacha::ChaCha8Rng;

use crate::doctrine::Mechanisms;
use crate::domain::{Action, Regime, Severity};
use crate::scenario::Scenario;
use crate::scenario::model::{DecisionOption, Effect, Value};
use crate::scenario::time::Minutes;

use super::events::{Event, EventKind};

/// The checked scenario being played.
#[derive(Resource, Clone)]
pub struct Plan(pub Arc<Scenario>);

/// Simulated time, in minutes since the scenario start.
#[derive(Resource, Debug, Default, Clone, Copy)]
pub struct Clock {
    pub now: Minutes,
    /// Bookkeeping only: the facilitator paused the room; the clock cannot advance until resumed.
    pub paused: bool,
    pub ended: bool,
}

/// The one random generator of the simulation (portable, seeded; see the stack notes on rand 0.10).
#[derive(Resource)]
pub struct SimRng(pub ChaCha8Rng);

/// Every mechanism's state.
#[derive(Resource, Debug, Default, Clone)]
pub struct Mech(pub Mechanisms);

/// Scenario variables.
#[derive(Resource, Debug, Default, Clone)]
pub struct Vars(pub BTreeMap<String, Value>);

/// The event stream so far; `activity` counts changes so a settle loop knows when nothing moved.
#[derive(Resource, Debug, Default)]
pub struct Log {
    pub events: Vec<Event>,
    pub activity: u64,
}

impl Log {
    pub fn push(&mut self, at: Minutes, kind: EventKind) {
        self.events.push(Event { at, kind });
        self.activity += 1;
    }
}

/// Work handed from one system to a later one in the same pass, in arrival order.
#[derive(Resource, Debug, Default)]
pub struct Queue {
    /// Effects to apply, with the actor on whose behalf (for requests) when known.
    pub effects: Vec<Effect>,
    pub requests: Vec<PendingRequest>,
    /// Decisions to offer now.
    pub offers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRequest {
    pub by: String,
    pub action: Action,
    pub incident: Option<String>,
    /// A facilitator override of the rules, with its reason.
    pub overridden: Option<String>,
}

/// Things due later that are not injects: Reserve answers and team deployments.
#[derive(Resource, Debug, Default)]
pub struct Agenda {
    pub items: BTreeMap<(Minutes, u64), Scheduled>,
    seq: u64,
}

impl Agenda {
    pub fn schedule(&mut self, at: Minutes, item: Scheduled) {
        self.seq += 1;
        self.items.insert((at, self.seq), item);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheduled {
    /// ENISA assesses the Reserve requests before it (the one for `incident` came due, or capacity freed
    /// up for a deferred one): each is served, partly served, deferred or refused.
    ReserveAnswer { incident: String },
    /// A rapid reaction team arrives.
    RapidReactionArrives { incident: String },
}

/// A user's Reserve request waiting for ENISA's assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveRequest {
    /// The requesting Member State (`EU` for CERT-EU).
    pub country: String,
    pub incident: String,
    /// The user (CSIRT, crisis authority or CERT-EU) who asked.
    pub user: String,
    pub at: Minutes,
    /// Deferred for want of capacity: assessed again at this moment, not before.
    pub retry_at: Option<Minutes>,
}

/// ENISA's desk for the EU Cybersecurity Reserve: requests not yet answered, and the teams committed so
/// far (when, how many), which count against the scenario's capacity for 48 hours.
#[derive(Resource, Debug, Default)]
pub struct ReserveDesk {
    pub pending: Vec<ReserveRequest>,
    pub committed: Vec<(Minutes, u32)>,
}

/// Exercise-wide moments and counters.
#[derive(Resource, Debug, Default)]
pub struct Milestones {
    /// When an incident first affected a second Member State.
    pub first_cross_border: Option<Minutes>,
    /// Next ISAA report while IPCR is active.
    pub isaa_next: Option<Minutes>,
    pub isaa_count: u32,
    /// Moments conditions compare `time` with, sorted; the clock wakes at each.
    pub time_thresholds: Vec<Minutes>,
}

/// NIS2 reports filed, per entity and incident, even before the clock started (an entity may report
/// in the same minute the incident becomes significant).
#[derive(Resource, Debug, Default)]
pub struct Filed(pub BTreeSet<(String, String, Action)>);

/// Per-criterion outcome, parallel to `Scenario::criteria`.
#[derive(Resource, Debug, Default)]
pub struct Criteria(pub Vec<Outcome>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Open,
    Met(Minutes),
    Failed(Minutes),
}

/// Where an incident is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    NotStarted,
    Active,
    Contained,
    Recovered,
}

#[derive(Component, Debug, Clone)]
pub struct IncidentState {
    pub index: usize,
    pub id: String,
    pub phase: Phase,
    pub severity: Severity,
    /// The worst severity reached so far.
    pub peak: Severity,
    pub entities: BTreeSet<String>,
    pub countries: BTreeSet<String>,
    /// When it started; `None` if it has not (or was prevented by containment before it began).
    pub started_at: Option<Minutes>,
    pub detected_at: Option<Minutes>,
    pub mitigated: bool,
    pub supported: bool,
    pub large_scale: bool,
    /// Next hourly dynamics roll.
    pub next_tick: Minutes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjectStatus {
    /// Not yet due: timed, waiting on its condition, or held for the facilitator.
    Waiting,
    Delivered(Minutes),
    Skipped,
    Cancelled,
}

#[derive(Component, Debug, Clone)]
pub struct InjectState {
    pub index: usize,
    pub id: String,
    pub status: InjectStatus,
    /// When it will be delivered, once known.
    pub due: Option<Minutes>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionStatus {
    NotOffered,
    Pending {
        offered_at: Minutes,
    },
    Taken {
        option: usize,
        by: String,
        at: Minutes,
    },
    Defaulted {
        option: usize,
        at: Minutes,
    },
    /// Taken off the table by a rule (a ballot once the vote has closed).
    Withdrawn {
        at: Minutes,
    },
}

/// A decision: from the scenario, or generated by a rule (Art. 42(7) aid, a Council ballot).
#[derive(Component, Debug, Clone)]
pub struct DecisionState {
    pub id: String,
    pub prompt: String,
    pub by: Vec<String>,
    pub options: Vec<DecisionOption>,
    pub default: Option<usize>,
    pub deadline_after: Option<Minutes>,
    pub deadline: Option<Minutes>,
    pub rationale_required: bool,
    pub status: DecisionStatus,
    /// Generated by a rule rather than written in the scenario.
    pub generated: bool,
    /// For a generated Council ballot: the Toolbox file it belongs to (category and round).
    pub ballot: Option<(crate::domain::MeasureCategory, u32)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ObligationStatus {
    Open,
    Met(Minutes),
    Missed,
}

/// A reporting duty (NIS2 Art. 23, or DORA Art. 19) of one entity for one incident.
#[derive(Component, Debug, Clone)]
pub struct Obligation {
    pub entity: String,
    pub incident: String,
    pub report: Action,
    pub due: Minutes,
    pub status: ObligationStatus,
    /// NIS2 Art. 23, or DORA Art. 19 for a financial entity.
    pub regime: Regime,
}
