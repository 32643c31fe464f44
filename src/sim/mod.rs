//! The exercise engine: a `bevy_ecs` world and schedule behind one facade. Nothing changes an exercise
//! except a [`Command`] given to [`Engine::apply`]; everything that happens comes back as [`Event`]s.
//!
//! Time is whole minutes since the scenario start. Advancing jumps straight to the next moment anything
//! can happen (an inject or decision due, an hourly incident roll, a deadline, a condition's time
//! threshold), so a quiet stretch of a 72-hour exercise costs nothing.

mod assessment;
pub mod commands;
mod council;
mod effects;
pub mod events;
mod incidents;
mod reporting;
mod requests;
mod reserve;
pub mod schedule;
pub mod seat;
pub mod state;
pub mod trend;
mod triggers;
pub mod view;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use bevy_ecs::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use commands::{Advance, Command};
pub use events::{Event, EventKind, Rating};
pub use view::View;

use crate::doctrine::Refusal;
use crate::scenario::expr::{Expr, ExprKind, Val};
use crate::scenario::model::Effect;
use crate::scenario::time::Minutes;
use crate::scenario::{Scenario, Trigger};
use state::{
    Agenda, Clock, Criteria, DecisionState, DecisionStatus, IncidentState, InjectState,
    InjectStatus, Log, Mech, Milestones, Obligation, ObligationStatus, Outcome, PendingRequest,
    Phase, Plan, Queue, SimRng, Vars,
};

/// Passes at one moment before the engine stops settling (a scenario cannot loop: injects are
/// delivered once), kept as a guard against a future bug turning into a hang.
const MAX_PASSES_PER_MINUTE: usize = 64;

/// One exercise in play.
pub struct Engine {
    world: World,
    schedule: Schedule,
    scenario: Arc<Scenario>,
    seed: u64,
    passes: u64,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("scenario", &self.scenario.file.id)
            .field("seed", &self.seed)
            .field("now", &self.now())
            .finish_non_exhaustive()
    }
}

fn refusal(reason: impl Into<String>) -> Refusal {
    Refusal {
        rule: "exercise".into(),
        reason: reason.into(),
    }
}

impl Engine {
    /// Sets up the exercise at T+00:00 and runs the first moment (timed injects at zero, incidents that
    /// start at once).
    #[must_use]
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Engine {
        let mut world = World::new();
        world.insert_resource(Plan(scenario.clone()));
        world.insert_resource(Clock::default());
        world.insert_resource(SimRng(ChaCha8Rng::seed_from_u64(seed)));
        world.insert_resource(Mech::default());
        world.insert_resource(Vars(
            scenario
                .file
                .variables
                .iter()
                .map(|v| (v.id.clone(), v.initial))
                .collect(),
        ));
        world.insert_resource(Log::default());
        world.insert_resource(Queue::default());
        world.insert_resource(Agenda::default());
        world.insert_resource(state::ReserveDesk::default());
        world.insert_resource(state::Filed::default());
        world.insert_resource(Criteria(vec![Outcome::Open; scenario.criteria.len()]));
        world.insert_resource(Milestones {
            time_thresholds: time_thresholds(&scenario),
            ..Milestones::default()
        });
        for (index, spec) in scenario.file.incidents.iter().enumerate() {
            let countries = spec
                .entities
                .iter()
                .filter_map(|e| {
                    scenario
                        .actor_index(e)
                        .and_then(|a| scenario.file.actors[a].country.clone())
                })
                .collect();
            world.spawn(IncidentState {
                index,
                id: spec.id.clone(),
                phase: Phase::NotStarted,
                severity: spec.severity,
                peak: spec.severity,
                entities: spec.entities.iter().cloned().collect(),
                countries,
                started_at: None,
                detected_at: None,
                mitigated: false,
                supported: false,
                large_scale: false,
                next_tick: 0,
            });
        }
        for (index, spec) in scenario.file.injects.iter().enumerate() {
            let due = match &scenario.triggers[index] {
                Trigger::At(t) => Some(*t),
                _ => None,
            };
            world.spawn(InjectState {
                index,
                id: spec.id.clone(),
                status: InjectStatus::Waiting,
                due,
            });
        }
        for (index, spec) in scenario.file.decisions.iter().enumerate() {
            let plan = &scenario.decisions[index];
            world.spawn(DecisionState {
                id: spec.id.clone(),
                prompt: spec.prompt.clone(),
                by: spec.by.clone(),
                options: spec.options.clone(),
                default: plan.default,
                deadline_after: plan.deadline,
                deadline: None,
                rationale_required: spec.rationale_required,
                status: DecisionStatus::NotOffered,
                generated: false,
                ballot: None,
            });
        }
        world.resource_mut::<Log>().push(
            0,
            EventKind::ExerciseStarted {
                scenario: scenario.file.id.clone(),
                seed,
            },
        );
        let mut engine = Engine {
            world,
            schedule: schedule::schedule(),
            scenario,
            seed,
            passes: 0,
        };
        engine.settle();
        engine
    }

    #[must_use]
    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    #[must_use]
    pub fn seed(&self) -> u64 {
        self.seed
    }

    #[must_use]
    pub fn now(&self) -> Minutes {
        self.world.resource::<Clock>().now
    }

    #[must_use]
    pub fn ended(&self) -> bool {
        self.world.resource::<Clock>().ended
    }

    /// Every event so far.
    #[must_use]
    pub fn events(&self) -> &[Event] {
        &self.world.resource::<Log>().events
    }

    /// A snapshot for readers.
    pub fn view(&mut self) -> View {
        View::of(&mut self.world)
    }

    /// Criteria outcomes, parallel to `scenario().criteria`.
    #[must_use]
    pub fn criteria(&self) -> &[Outcome] {
        &self.world.resource::<Criteria>().0
    }

    /// Applies one command. Returns the events it caused, or why it was refused (a rule refusal is
    /// also recorded in the event stream, since it is part of what happened in the room).
    pub fn apply(&mut self, command: &Command) -> Result<Vec<Event>, Refusal> {
        let before = self.events().len();
        if self.ended() && !matches!(command, Command::Observe { .. }) {
            return Err(refusal("the exercise has ended"));
        }
        let outcome = self.dispatch(command);
        if outcome.is_ok() {
            self.settle();
        }
        let new = self.events()[before..].to_vec();
        outcome.map(|()| new)
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one short arm per command; the table reads best whole"
    )]
    fn dispatch(&mut self, command: &Command) -> Result<(), Refusal> {
        let now = self.now();
        match command {
            Command::Advance(how) => {
                if self.world.resource::<Clock>().paused {
                    return Err(refusal("the exercise is paused; resume it first"));
                }
                let target = match *how {
                    Advance::By(m) => now.saturating_add(m),
                    Advance::To(t) => t,
                    Advance::NextEvent => self.next_wake().unwrap_or(self.scenario.duration),
                    Advance::End => self.scenario.duration,
                };
                if target < now {
                    return Err(refusal("time only moves forward"));
                }
                self.advance_to(target.min(self.scenario.duration));
                Ok(())
            }
            Command::Decide {
                seat,
                decision,
                option,
                rationale,
            } => self.decide(decision, option, rationale, Some(seat)),
            Command::DecideFor {
                decision,
                option,
                rationale,
            } => self.decide(decision, option, rationale, None),
            Command::Request {
                by,
                action,
                incident,
            } => {
                // A request may name only an incident someone has detected: the refusal is the same
                // whether the id is unknown or the incident is real but undetected, and no rule looks at
                // it, so a seat learns nothing from a refusal that its view does not already show.
                if let Some(id) = incident
                    && !self.detected(id)
                {
                    return Err(Refusal {
                        rule: "request".into(),
                        reason: format!(
                            "no incident `{id}` is known: a request can name only an incident that has been detected"
                        ),
                    });
                }
                self.request(by, *action, incident.clone(), None)
            }
            Command::Override {
                by,
                action,
                incident,
                reason,
            } => {
                if reason.trim().is_empty() {
                    return Err(refusal("an override needs a reason for the record"));
                }
                self.request(by, *action, incident.clone(), Some(reason.clone()))
            }
            Command::Share {
                from,
                to,
                tlp,
                subject,
                body,
                forward,
            } => {
                // Bounded, so one seat cannot make every recipient's view (and the journal) huge.
                if subject.chars().count() > seat::MAX_SUBJECT_CHARS {
                    return Err(refusal(format!(
                        "a subject may be at most {} characters",
                        seat::MAX_SUBJECT_CHARS
                    )));
                }
                if body.chars().count() > seat::MAX_BODY_CHARS {
                    return Err(refusal(format!(
                        "a shared message may be at most {} characters: share a summary and say where the rest is",
                        seat::MAX_BODY_CHARS
                    )));
                }
                if let Err(refusal) = self.check_share(from, to, *tlp, *forward) {
                    // A label the seat would have broken is a point for the debrief, not just an error.
                    if refusal.rule == crate::doctrine::tlp::RULE {
                        self.log(EventKind::ShareRefused {
                            from: from.clone(),
                            to: to.clone(),
                            tlp: *tlp,
                            subject: subject.clone(),
                            reason: refusal.reason.clone(),
                        });
                    }
                    return Err(refusal);
                }
                if subject.trim().is_empty() {
                    return Err(refusal("give the information a subject"));
                }
                self.log(EventKind::InformationShared {
                    from: from.clone(),
                    to: to.clone(),
                    tlp: *tlp,
                    subject: subject.clone(),
                    body: body.clone(),
                    forwarded: *forward,
                });
                Ok(())
            }
            Command::Fire { inject } => {
                let status = self.inject_status(inject)?;
                if status != InjectStatus::Waiting {
                    return Err(refusal(format!("inject `{inject}` is no longer pending")));
                }
                triggers::fire_inject(&mut self.world, inject);
                Ok(())
            }
            Command::Delay { inject, minutes } => {
                if self.inject_status(inject)? != InjectStatus::Waiting {
                    return Err(refusal(format!("inject `{inject}` is no longer pending")));
                }
                if triggers::delay_inject(&mut self.world, inject, *minutes) {
                    Ok(())
                } else {
                    Err(refusal(format!(
                        "inject `{inject}` has no delivery time yet (it waits on its condition or on you)"
                    )))
                }
            }
            Command::Skip { inject } => {
                if self.inject_status(inject)? != InjectStatus::Waiting {
                    return Err(refusal(format!("inject `{inject}` is no longer pending")));
                }
                let mut q = self.world.query::<&mut InjectState>();
                if let Some(mut inj) = q.iter_mut(&mut self.world).find(|i| &i.id == inject) {
                    inj.status = InjectStatus::Skipped;
                }
                self.log(EventKind::InjectSkipped {
                    inject: inject.clone(),
                });
                Ok(())
            }
            Command::AdHoc {
                from,
                to,
                channel,
                tlp,
                subject,
                body,
            } => {
                if self.scenario.actor_index(from).is_none() {
                    return Err(refusal(format!("there is no actor `{from}` to send it")));
                }
                for t in to {
                    self.seat(t)?;
                }
                let n = self.events().iter().filter(|e| matches!(&e.kind, EventKind::InjectDelivered { inject, .. } if inject.starts_with("adhoc_"))).count();
                self.log(EventKind::InjectDelivered {
                    inject: format!("adhoc_{}", n + 1),
                    from: from.clone(),
                    to: to.clone(),
                    channel: *channel,
                    tlp: *tlp,
                    subject: subject.clone(),
                    by_facilitator: true,
                    body: body.clone(),
                });
                Ok(())
            }
            Command::Observe {
                text,
                objective,
                rating,
            } => {
                if let Some(o) = objective
                    && self.scenario.objective_index(o).is_none()
                {
                    return Err(refusal(format!("there is no objective `{o}`")));
                }
                self.log(EventKind::ObservationRecorded {
                    text: text.clone(),
                    objective: objective.clone(),
                    rating: *rating,
                });
                Ok(())
            }
            Command::Pause | Command::Resume => {
                let pause = matches!(command, Command::Pause);
                let mut clock = self.world.resource_mut::<Clock>();
                if clock.paused == pause {
                    return Err(refusal(if pause {
                        "already paused"
                    } else {
                        "not paused"
                    }));
                }
                clock.paused = pause;
                self.log(if pause {
                    EventKind::Paused
                } else {
                    EventKind::Resumed
                });
                Ok(())
            }
        }
    }

    fn log(&mut self, kind: EventKind) {
        let now = self.now();
        self.world.resource_mut::<Log>().push(now, kind);
    }

    fn seat(&self, id: &str) -> Result<(), Refusal> {
        match self.scenario.actor_index(id) {
            Some(a) if self.scenario.file.actors[a].seat => Ok(()),
            Some(_) => Err(refusal(format!("`{id}` is not a seat"))),
            None => Err(refusal(format!("there is no actor `{id}`"))),
        }
    }

    /// Whether the incident exists and has been detected (what every seat's view shows).
    fn detected(&mut self, id: &str) -> bool {
        self.world
            .query::<&IncidentState>()
            .iter(&self.world)
            .any(|i| i.id == id && i.detected_at.is_some())
    }

    fn inject_status(&mut self, id: &str) -> Result<InjectStatus, Refusal> {
        let mut q = self.world.query::<&InjectState>();
        q.iter(&self.world)
            .find(|i| i.id == id)
            .map(|i| i.status)
            .ok_or_else(|| refusal(format!("there is no inject `{id}`")))
    }

    /// TLP 2.0 for a share: every party is a seat, and a forward is of something the sender received
    /// and goes only where its label lets it go.
    fn check_share(
        &self,
        from: &str,
        to: &[String],
        tlp: crate::domain::Tlp,
        forward: Option<usize>,
    ) -> Result<(), Refusal> {
        use crate::doctrine::tlp::{Party, Received, share_allowed};
        let party = |id: &str| -> Result<Party<'_>, Refusal> {
            self.seat(id)?;
            let actor =
                &self.scenario.file.actors[self.scenario.actor_index(id).unwrap_or_default()];
            Ok(Party {
                id: &actor.id,
                organisation: actor.organisation.as_deref().unwrap_or(&actor.id),
                country: actor.country.as_deref(),
            })
        };
        let sender = party(from)?;
        let recipients = to.iter().map(|t| party(t)).collect::<Result<Vec<_>, _>>()?;
        let original = match forward {
            None => None,
            Some(index) => {
                let received = self.events().get(index).and_then(|e| match &e.kind {
                    EventKind::InjectDelivered { to, tlp, .. } if to.iter().any(|t| t == from) => {
                        Some((*tlp, to))
                    }
                    EventKind::InformationShared {
                        from: source,
                        to,
                        tlp,
                        ..
                    } if source == from || to.iter().any(|t| t == from) => Some((*tlp, to)),
                    _ => None,
                });
                let Some((tlp, recipients)) = received else {
                    return Err(refusal(format!(
                        "`{from}` has no item {index} in its inbox to forward"
                    )));
                };
                Some(Received { tlp, recipients })
            }
        };
        share_allowed(&sender, &recipients, tlp, original.as_ref())
    }

    fn decide(
        &mut self,
        decision: &str,
        option: &str,
        rationale: &str,
        seat: Option<&String>,
    ) -> Result<(), Refusal> {
        let now = self.now();
        let mut q = self.world.query::<&mut DecisionState>();
        let Some(mut d) = q.iter_mut(&mut self.world).find(|d| d.id == decision) else {
            return Err(refusal(format!("there is no decision `{decision}`")));
        };
        if !matches!(d.status, DecisionStatus::Pending { .. }) {
            return Err(refusal(format!(
                "decision `{decision}` is not waiting for an answer"
            )));
        }
        if let Some(seat) = seat
            && !d.by.contains(seat)
        {
            return Err(refusal(format!(
                "`{seat}` does not take decision `{decision}` (it is for {})",
                d.by.join(", ")
            )));
        }
        let Some(index) = d.options.iter().position(|o| o.id == option) else {
            let ids: Vec<&str> = d.options.iter().map(|o| o.id.as_str()).collect();
            return Err(refusal(format!(
                "`{option}` is not an option; options: {}",
                ids.join(", ")
            )));
        };
        if d.rationale_required && rationale.trim().is_empty() {
            return Err(refusal("this decision needs a rationale"));
        }
        let by = seat
            .cloned()
            .unwrap_or_else(|| d.by.first().cloned().unwrap_or_default());
        d.status = DecisionStatus::Taken {
            option: index,
            by: by.clone(),
            at: now,
        };
        let effects: Vec<Effect> = d.options[index].effects.clone();
        let id = d.id.clone();
        self.log(EventKind::DecisionTaken {
            decision: id,
            option: option.to_owned(),
            by,
            rationale: rationale.to_owned(),
            by_facilitator: seat.is_none(),
        });
        self.world.resource_mut::<Queue>().effects.extend(effects);
        Ok(())
    }

    fn request(
        &mut self,
        by: &str,
        action: crate::domain::Action,
        incident: Option<String>,
        overridden: Option<String>,
    ) -> Result<(), Refusal> {
        let request = PendingRequest {
            by: by.to_owned(),
            action,
            incident,
            overridden,
        };
        // Consequences (decisions offered, effects) take hold in the settle that follows.
        requests::handle(&mut self.world, &request)
    }

    /// How many schedule passes the exercise has cost so far (quiet stretches should cost none).
    #[must_use]
    pub fn passes(&self) -> u64 {
        self.passes
    }

    /// Runs passes at the current minute until nothing changes.
    fn settle(&mut self) {
        for _ in 0..MAX_PASSES_PER_MINUTE {
            self.passes += 1;
            let before = self.world.resource::<Log>().activity;
            self.schedule.run(&mut self.world);
            let q = self.world.resource::<Queue>();
            let idle = q.effects.is_empty() && q.requests.is_empty() && q.offers.is_empty();
            if idle && self.world.resource::<Log>().activity == before {
                break;
            }
        }
    }

    /// Moves the clock to `target`, stopping at every moment something can happen on the way.
    fn advance_to(&mut self, target: Minutes) {
        loop {
            let next = self.next_wake().filter(|t| *t <= target).unwrap_or(target);
            self.world.resource_mut::<Clock>().now = next;
            self.settle();
            if next >= target {
                break;
            }
        }
        if target >= self.scenario.duration && !self.ended() {
            self.finish();
        }
    }

    fn finish(&mut self) {
        reporting::fail_open_criteria(&mut self.world);
        self.world.resource_mut::<Clock>().ended = true;
        self.log(EventKind::ExerciseEnded);
    }

    /// The next minute after now at which anything can happen.
    #[must_use]
    pub fn next_wake(&mut self) -> Option<Minutes> {
        let now = self.now();
        let mut times: BTreeSet<Minutes> = BTreeSet::new();
        let plan = self.scenario.clone();
        for inc in self.world.query::<&IncidentState>().iter(&self.world) {
            let timing = plan.incidents[inc.index];
            match inc.phase {
                Phase::NotStarted => {
                    times.insert(timing.start);
                }
                Phase::Active => {
                    let d = &plan.file.incidents[inc.index].dynamics;
                    if d.spread_per_hour > 0.0 || d.escalation_per_hour > 0.0 {
                        times.insert(inc.next_tick);
                    }
                }
                Phase::Contained | Phase::Recovered => {}
            }
            // Victims become aware at the planned time even if it was contained meanwhile.
            if inc.started_at.is_some() && inc.detected_at.is_none() {
                times.insert(timing.detected);
            }
        }
        for inj in self.world.query::<&InjectState>().iter(&self.world) {
            if let (InjectStatus::Waiting, Some(due)) = (inj.status, inj.due) {
                times.insert(due);
            }
        }
        for d in self.world.query::<&DecisionState>().iter(&self.world) {
            if let (DecisionStatus::Pending { .. }, Some(t)) = (&d.status, d.deadline) {
                times.insert(t);
            }
        }
        for o in self.world.query::<&Obligation>().iter(&self.world) {
            if o.status == ObligationStatus::Open {
                times.insert(o.due + 1);
            }
        }
        times.extend(council::wake_times(&self.world.resource::<Mech>().0));
        if let Some(((t, _), _)) = self.world.resource::<Agenda>().items.first_key_value() {
            times.insert(*t);
        }
        let milestones = self.world.resource::<Milestones>();
        if let Some(t) = milestones.isaa_next {
            times.insert(t);
        }
        times.extend(milestones.time_thresholds.iter().copied());
        let anchors = self.criterion_deadlines();
        times.extend(anchors);
        times.into_iter().find(|t| *t > now)
    }

    /// The minute after each open criterion's window closes, where the window is known.
    fn criterion_deadlines(&mut self) -> Vec<Minutes> {
        let view = self.view();
        let outcomes = self.criteria().to_vec();
        self.scenario
            .criteria
            .iter()
            .zip(outcomes)
            .filter(|(_, o)| *o == Outcome::Open)
            .filter_map(|(c, _)| {
                let spec = &self.scenario.file.objectives[c.objective].criteria[c.criterion];
                Some(view.anchor(&spec.from)? + c.within? + 1)
            })
            .collect()
    }

    /// The world, for the schedule-ambiguity test.
    #[doc(hidden)]
    pub fn world_and_schedule(&mut self) -> (&mut World, &mut Schedule) {
        (&mut self.world, &mut self.schedule)
    }

    /// Pending decisions and who may take them, for policies and views.
    #[must_use]
    pub fn pending_decisions(&mut self) -> BTreeMap<String, Vec<String>> {
        self.world
            .query::<&DecisionState>()
            .iter(&self.world)
            .filter(|d| matches!(d.status, DecisionStatus::Pending { .. }))
            .map(|d| (d.id.clone(), d.by.clone()))
            .collect()
    }
}

/// Moments conditions compare `time` with (`time >= 6h` wakes the clock at 6h), folded from constants.
fn time_thresholds(scenario: &Scenario) -> Vec<Minutes> {
    let mut out = BTreeSet::new();
    let mut visit = |e: &Expr| {
        e.walk(&mut |node| {
            if let ExprKind::Compare(_, a, b) = &node.kind {
                for side in [a, b] {
                    if let Some(Val::Duration(m)) = constant(side) {
                        out.insert(m);
                        out.insert(m + 1);
                    }
                }
            }
        });
    };
    for t in &scenario.triggers {
        if let Trigger::When { condition, .. } = t {
            visit(condition);
        }
    }
    for c in &scenario.criteria {
        visit(&c.condition);
    }
    out.into_iter().collect()
}

/// The value of an expression made only of literals.
fn constant(expr: &Expr) -> Option<Val> {
    match &expr.kind {
        ExprKind::Literal(v) => Some(*v),
        ExprKind::Arith(op, left, right) => match (constant(left)?, constant(right)?, op) {
            (Val::Duration(x), Val::Duration(y), crate::scenario::expr::ArithOp::Add) => {
                Some(Val::Duration(x + y))
            }
            (Val::Duration(x), Val::Duration(y), crate::scenario::expr::ArithOp::Sub) => {
                Some(Val::Duration(x.saturating_sub(y)))
            }
            _ => None,
        },
        _ => None,
    }
}
