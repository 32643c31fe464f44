//! The systems of one simulation pass, in the order the schedule runs them, and the schedule itself.
//!
//! A pass happens at one simulated minute. Systems that only read and update their own components are
//! plain systems; those that act on the whole exercise (conditions, effects, rule-checked requests) are
//! exclusive. Every system is chained, so the order is total and the run deterministic.

#![allow(
    clippy::needless_pass_by_value,
    reason = "bevy systems take their parameters (Res, Query) by value"
)]

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;
use rand::RngExt;

use crate::doctrine;
use crate::domain::{Action, ActorKind, IpcrMode, Mechanism, Severity, Support};
use crate::scenario::Trigger;
use crate::scenario::model::{DecisionOption, Effect};
use crate::scenario::time::{Minutes, format_offset, parse_duration};

use super::events::EventKind;
use super::requests;
use super::state::{
    Agenda, Clock, Criteria, DecisionState, DecisionStatus, Filed, IncidentState, InjectState,
    InjectStatus, Log, Mech, Milestones, Obligation, ObligationStatus, Outcome, Phase, Plan, Queue,
    Scheduled, SimRng, Vars,
};
use super::view::View;

/// The phases of a pass, in order.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum PassSet {
    /// Incidents start, are detected and evolve.
    Incidents,
    /// Cross-border and large-scale tests, NIS2 clocks.
    Assessment,
    /// Injects become due and are delivered; decisions are offered and time out.
    Triggers,
    /// Effects and rule-checked requests take hold.
    Consequences,
    /// Periodic reports and automatic evaluation.
    Reporting,
}

/// The schedule of one pass.
#[must_use]
pub fn schedule() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.configure_sets(
        (
            PassSet::Incidents,
            PassSet::Assessment,
            PassSet::Triggers,
            PassSet::Consequences,
            PassSet::Reporting,
        )
            .chain(),
    );
    schedule.add_systems(
        (start_incidents, evolve_incidents)
            .chain()
            .in_set(PassSet::Incidents),
    );
    schedule.add_systems(
        (assess_incidents, open_obligations, expire_obligations)
            .chain()
            .in_set(PassSet::Assessment),
    );
    schedule.add_systems(
        (
            arm_injects,
            run_agenda,
            deliver_injects,
            offer_decisions,
            decision_deadlines,
        )
            .chain()
            .in_set(PassSet::Triggers),
    );
    schedule.add_systems(
        (apply_effects, apply_requests, close_votes)
            .chain()
            .in_set(PassSet::Consequences),
    );
    schedule.add_systems(
        (isaa_reports, evaluate_criteria)
            .chain()
            .in_set(PassSet::Reporting),
    );
    schedule
}

fn start_incidents(
    plan: Res<Plan>,
    clock: Res<Clock>,
    mut log: ResMut<Log>,
    mut incidents: Query<&mut IncidentState>,
) {
    let now = clock.now;
    let mut sorted: Vec<Mut<IncidentState>> = incidents.iter_mut().collect();
    sorted.sort_by_key(|i| i.index);
    for mut inc in sorted {
        let timing = plan.0.incidents[inc.index];
        if inc.phase == Phase::NotStarted && timing.start <= now {
            inc.phase = Phase::Active;
            inc.started_at = Some(now);
            inc.next_tick = timing.start + 60;
            let (id, entities, severity) = (
                inc.id.clone(),
                inc.entities.iter().cloned().collect(),
                inc.severity,
            );
            log.push(
                now,
                EventKind::IncidentStarted {
                    incident: id,
                    entities,
                    severity,
                },
            );
        }
        if inc.started_at.is_some() && inc.detected_at.is_none() && timing.detected <= now {
            inc.detected_at = Some(now);
            log.push(
                now,
                EventKind::IncidentDetected {
                    incident: inc.id.clone(),
                },
            );
        }
    }
}

/// Hourly rolls: spread to each listed entity not yet hit, and escalation, scaled by mitigation and support.
fn evolve_incidents(
    plan: Res<Plan>,
    clock: Res<Clock>,
    mut rng: ResMut<SimRng>,
    mut log: ResMut<Log>,
    mut incidents: Query<&mut IncidentState>,
) {
    let now = clock.now;
    let mut sorted: Vec<Mut<IncidentState>> = incidents.iter_mut().collect();
    sorted.sort_by_key(|i| i.index);
    for mut inc in sorted {
        while inc.phase == Phase::Active && inc.next_tick <= now {
            let tick_at = inc.next_tick;
            inc.next_tick += 60;
            let spec = &plan.0.file.incidents[inc.index];
            let d = &spec.dynamics;
            let (mut spread, mut escalation) = (d.spread_per_hour, d.escalation_per_hour);
            if inc.mitigated {
                spread *= d.mitigated.spread;
                escalation *= d.mitigated.escalation;
            }
            if inc.supported {
                spread *= d.supported.spread;
                escalation *= d.supported.escalation;
            }
            for entity in &d.spread_to {
                // Roll for every candidate, hit or not, so one outcome never shifts the next stream.
                let roll: f64 = rng.0.random();
                if roll < spread && !inc.entities.contains(entity) {
                    let country = plan
                        .0
                        .actor_index(entity)
                        .and_then(|a| plan.0.file.actors[a].country.clone())
                        .unwrap_or_default();
                    inc.entities.insert(entity.clone());
                    inc.countries.insert(country.clone());
                    let incident = inc.id.clone();
                    log.push(
                        tick_at,
                        EventKind::IncidentSpread {
                            incident,
                            entity: entity.clone(),
                            country,
                        },
                    );
                }
            }
            let roll: f64 = rng.0.random();
            if roll < escalation && inc.severity < d.max_severity {
                let from = inc.severity;
                inc.severity = from.raised();
                inc.peak = inc.peak.max(inc.severity);
                let incident = inc.id.clone();
                log.push(
                    tick_at,
                    EventKind::SeverityChanged {
                        incident,
                        from,
                        to: inc.severity,
                    },
                );
            }
        }
    }
}

/// Cross-border impact, the NIS2 Art. 6(7) large-scale test, and the Commission's full participation in
/// EU-CyCLONe once NIS2 services are significantly hit.
fn assess_incidents(
    plan: Res<Plan>,
    clock: Res<Clock>,
    mut log: ResMut<Log>,
    mut mech: ResMut<Mech>,
    mut milestones: ResMut<Milestones>,
    mut incidents: Query<&mut IncidentState>,
) {
    let now = clock.now;
    let mut sorted: Vec<Mut<IncidentState>> = incidents.iter_mut().collect();
    sorted.sort_by_key(|i| i.index);
    let mut significant = false;
    for mut inc in sorted {
        if inc.phase == Phase::NotStarted {
            continue;
        }
        if inc.countries.len() >= 2 && milestones.first_cross_border.is_none() {
            milestones.first_cross_border = Some(now);
        }
        significant |= inc.phase == Phase::Active && inc.severity.is_significant();
        if !inc.large_scale {
            let spec = &plan.0.file.incidents[inc.index];
            let facts = doctrine::IncidentFacts {
                id: &inc.id,
                severity: inc.severity,
                peak: inc.peak,
                countries: &inc.countries,
                entities: &inc.entities,
                campaign: &inc.countries,
                truth: &spec.truth,
                mitigated: inc.mitigated,
                detected: inc.detected_at.is_some(),
            };
            if doctrine::is_large_scale(&facts) {
                inc.large_scale = true;
                let countries = inc.countries.iter().cloned().collect();
                log.push(
                    now,
                    EventKind::LargeScaleReached {
                        incident: inc.id.clone(),
                        countries,
                    },
                );
            }
        }
    }
    if significant && mech.0.cyclone_active && !mech.0.commission_full_participant {
        mech.0.commission_full_participant = true;
        log.push(
            now,
            EventKind::MechanismChanged {
                mechanism: Mechanism::Cyclone,
                state: "Commission takes part as a full participant".into(),
                by: "rule".into(),
                reason: "NIS2 services are significantly affected (NIS2 Art. 16(2))".into(),
            },
        );
    }
}

/// NIS2 Art. 23 clocks start when an entity is aware of a significant incident.
fn open_obligations(
    clock: Res<Clock>,
    filed: Res<Filed>,
    mut log: ResMut<Log>,
    incidents: Query<&IncidentState>,
    obligations: Query<&Obligation>,
    mut commands: Commands,
) {
    let now = clock.now;
    let existing: BTreeSet<(String, String)> = obligations
        .iter()
        .map(|o| (o.entity.clone(), o.incident.clone()))
        .collect();
    let mut sorted: Vec<&IncidentState> = incidents.iter().collect();
    sorted.sort_by_key(|i| i.index);
    for inc in sorted {
        if inc.phase == Phase::NotStarted
            || inc.detected_at.is_none()
            || !inc.severity.is_significant()
        {
            continue;
        }
        for entity in &inc.entities {
            if existing.contains(&(entity.clone(), inc.id.clone())) {
                continue;
            }
            let mut clocks: Vec<(Action, Minutes)> = doctrine::nis2_deadlines(now).to_vec();
            let was_filed =
                |report: Action| filed.0.contains(&(entity.clone(), inc.id.clone(), report));
            if was_filed(Action::IncidentNotification) {
                clocks.push((Action::FinalReport, now + doctrine::FINAL_REPORT_MIN));
            }
            for (report, due) in clocks {
                let (entity, incident) = (entity.clone(), inc.id.clone());
                log.push(
                    now,
                    EventKind::ObligationDue {
                        entity: entity.clone(),
                        incident: incident.clone(),
                        report,
                        due,
                    },
                );
                // Filed before the clock started (same minute): met at once.
                let status = if was_filed(report) {
                    log.push(
                        now,
                        EventKind::ObligationMet {
                            entity: entity.clone(),
                            incident: incident.clone(),
                            report,
                        },
                    );
                    ObligationStatus::Met(now)
                } else {
                    ObligationStatus::Open
                };
                commands.spawn(Obligation {
                    entity,
                    incident,
                    report,
                    due,
                    status,
                });
            }
        }
    }
}

fn expire_obligations(
    clock: Res<Clock>,
    mut log: ResMut<Log>,
    mut obligations: Query<&mut Obligation>,
) {
    let now = clock.now;
    let mut sorted: Vec<Mut<Obligation>> = obligations.iter_mut().collect();
    sorted.sort_by(|a, b| (a.due, &a.entity, &a.incident).cmp(&(b.due, &b.entity, &b.incident)));
    for mut o in sorted {
        if o.status == ObligationStatus::Open && now > o.due {
            o.status = ObligationStatus::Missed;
            // Stamped when the engine notices (the minute after the deadline), keeping the stream in order.
            log.push(
                now,
                EventKind::ObligationMissed {
                    entity: o.entity.clone(),
                    incident: o.incident.clone(),
                    report: o.report,
                },
            );
        }
    }
}

/// Injects waiting on a condition become due (after their delay) when it holds.
fn arm_injects(world: &mut World) {
    let plan = world.resource::<Plan>().0.clone();
    // The snapshot costs more than the check: take it only when some inject waits on a condition.
    let waiting = world.query::<&InjectState>().iter(world).any(|i| {
        i.status == InjectStatus::Waiting
            && i.due.is_none()
            && matches!(plan.triggers[i.index], Trigger::When { .. })
    });
    if !waiting {
        return;
    }
    let view = View::of(world);
    let mut query = world.query::<&mut InjectState>();
    for mut inj in query.iter_mut(world) {
        if inj.status != InjectStatus::Waiting || inj.due.is_some() {
            continue;
        }
        if let Trigger::When { condition, delay } = &plan.triggers[inj.index]
            && condition.truthy(&view)
        {
            inj.due = Some(view.now + delay);
        }
    }
}

fn run_agenda(
    plan: Res<Plan>,
    clock: Res<Clock>,
    mut agenda: ResMut<Agenda>,
    mut mech: ResMut<Mech>,
    mut log: ResMut<Log>,
    mut incidents: Query<&mut IncidentState>,
) {
    let now = clock.now;
    while let Some(entry) = agenda.items.first_entry() {
        if entry.key().0 > now {
            break;
        }
        let item = entry.remove();
        let (incident, support) = match item {
            Scheduled::ReserveAnswer { incident } => {
                mech.0.reserve_deployed = true;
                (incident, Support::Reserve)
            }
            Scheduled::RapidReactionArrives { incident } => {
                mech.0.rapid_reaction_deployed = true;
                (incident, Support::RapidReactionTeam)
            }
        };
        if let Some(mut inc) = incidents.iter_mut().find(|i| i.id == incident) {
            inc.supported = true;
        }
        let _ = &plan;
        log.push(now, EventKind::SupportDeployed { incident, support });
    }
}

fn deliver_injects(
    plan: Res<Plan>,
    clock: Res<Clock>,
    mut log: ResMut<Log>,
    mut queue: ResMut<Queue>,
    mut injects: Query<&mut InjectState>,
) {
    let now = clock.now;
    let mut due: Vec<Mut<InjectState>> = injects
        .iter_mut()
        .filter(|i| i.status == InjectStatus::Waiting && i.due.is_some_and(|d| d <= now))
        .collect();
    due.sort_by_key(|i| (i.due, i.index));
    for mut inj in due {
        inj.status = InjectStatus::Delivered(now);
        let spec = &plan.0.file.injects[inj.index];
        log.push(
            now,
            EventKind::InjectDelivered {
                inject: spec.id.clone(),
                from: spec.from.clone(),
                to: spec.to.clone(),
                channel: spec.channel,
                tlp: spec.tlp,
                subject: spec.subject.clone(),
                by_facilitator: false,
                body: String::new(),
            },
        );
        queue.effects.extend(spec.effects.iter().cloned());
        if let Some(d) = &spec.decision {
            queue.offers.push(d.clone());
        }
    }
}

fn offer_decisions(
    plan: Res<Plan>,
    clock: Res<Clock>,
    mut log: ResMut<Log>,
    mut queue: ResMut<Queue>,
    mut decisions: Query<&mut DecisionState>,
) {
    let now = clock.now;
    let offers = std::mem::take(&mut queue.offers);
    for id in offers {
        let Some(mut d) = decisions.iter_mut().find(|d| d.id == id) else {
            continue;
        };
        if d.status != DecisionStatus::NotOffered {
            continue;
        }
        d.deadline = d.deadline_after.map(|after| now + after);
        d.status = DecisionStatus::Pending { offered_at: now };
        log.push(
            now,
            EventKind::DecisionPending {
                decision: d.id.clone(),
                by: d.by.clone(),
                deadline: d.deadline,
            },
        );
        let offered_to_a_seat = d.by.iter().any(|b| {
            plan.0
                .actor_index(b)
                .is_some_and(|a| plan.0.file.actors[a].seat)
        });
        if !offered_to_a_seat {
            // Nobody plays a deciding seat: the simulation takes the default at once.
            if let Some(option) = d.default {
                resolve_default(&mut d, option, now, &mut log, &mut queue);
            }
        }
    }
}

fn decision_deadlines(
    clock: Res<Clock>,
    mut log: ResMut<Log>,
    mut queue: ResMut<Queue>,
    mut decisions: Query<&mut DecisionState>,
) {
    let now = clock.now;
    let mut due: Vec<Mut<DecisionState>> = decisions
        .iter_mut()
        .filter(|d| {
            matches!(d.status, DecisionStatus::Pending { .. })
                && d.deadline.is_some_and(|t| t <= now)
        })
        .collect();
    due.sort_by(|a, b| (a.deadline, &a.id).cmp(&(b.deadline, &b.id)));
    for mut d in due {
        if let Some(option) = d.default {
            resolve_default(&mut d, option, now, &mut log, &mut queue);
        }
    }
}

fn resolve_default(
    d: &mut DecisionState,
    option: usize,
    now: Minutes,
    log: &mut Log,
    queue: &mut Queue,
) {
    d.status = DecisionStatus::Defaulted { option, at: now };
    let chosen = &d.options[option];
    log.push(
        now,
        EventKind::DecisionDefaulted {
            decision: d.id.clone(),
            option: chosen.id.clone(),
        },
    );
    queue.effects.extend(chosen.effects.iter().cloned());
}

/// Applies queued effects in order; requests go on to the rules.
fn apply_effects(world: &mut World) {
    loop {
        let effects = std::mem::take(&mut world.resource_mut::<Queue>().effects);
        if effects.is_empty() {
            return;
        }
        for effect in effects {
            apply_effect(world, &effect);
        }
    }
}

/// One effect on the world.
#[expect(clippy::too_many_lines, reason = "one short arm per effect")]
pub fn apply_effect(world: &mut World, effect: &Effect) {
    let now = world.resource::<Clock>().now;
    match effect {
        Effect::Set(var, value) => {
            world.resource_mut::<Vars>().0.insert(var.clone(), *value);
            world.resource_mut::<Log>().push(
                now,
                EventKind::VariableChanged {
                    variable: var.clone(),
                    value: *value,
                },
            );
        }
        Effect::Add(var, n) => {
            let value = {
                let mut vars = world.resource_mut::<Vars>();
                let entry = vars
                    .0
                    .entry(var.clone())
                    .or_insert(crate::scenario::model::Value::Int(0));
                if let crate::scenario::model::Value::Int(v) = entry {
                    *v = v.saturating_add(*n);
                }
                *entry
            };
            world.resource_mut::<Log>().push(
                now,
                EventKind::VariableChanged {
                    variable: var.clone(),
                    value,
                },
            );
        }
        Effect::Escalate(id) => change_severity(world, id, Severity::raised),
        Effect::Deescalate(id) => change_severity(world, id, Severity::lowered),
        Effect::SetSeverity(id, s) => change_severity(world, id, |_| *s),
        Effect::SpreadTo(id, entity) => {
            let plan = world.resource::<Plan>().0.clone();
            let country = plan
                .actor_index(entity)
                .and_then(|a| plan.file.actors[a].country.clone())
                .unwrap_or_default();
            let mut spread = false;
            with_incident(world, id, |inc| {
                if inc.phase != Phase::Recovered && inc.entities.insert(entity.clone()) {
                    inc.countries.insert(country.clone());
                    spread = true;
                }
            });
            if spread {
                world.resource_mut::<Log>().push(
                    now,
                    EventKind::IncidentSpread {
                        incident: id.clone(),
                        entity: entity.clone(),
                        country,
                    },
                );
            }
        }
        Effect::Mitigate(id) => incident_flag(
            world,
            id,
            |inc| !std::mem::replace(&mut inc.mitigated, true),
            EventKind::IncidentMitigated {
                incident: id.clone(),
            },
        ),
        Effect::Contain(id) => incident_flag(
            world,
            id,
            |inc| {
                let was = inc.phase;
                if was == Phase::Active || was == Phase::NotStarted {
                    inc.phase = Phase::Contained;
                }
                was == Phase::Active || was == Phase::NotStarted
            },
            EventKind::IncidentContained {
                incident: id.clone(),
            },
        ),
        Effect::Recover(id) => incident_flag(
            world,
            id,
            |inc| {
                inc.phase != Phase::Recovered
                    && std::mem::replace(&mut inc.phase, Phase::Recovered) != Phase::Recovered
            },
            EventKind::IncidentRecovered {
                incident: id.clone(),
            },
        ),
        Effect::Fire(id) => schedule_inject(world, id, now),
        Effect::FireAfter(id, after) => {
            schedule_inject(world, id, now + parse_duration(after).unwrap_or(0));
        }
        Effect::Cancel(id) => {
            let mut cancelled = false;
            with_inject(world, id, |inj| {
                if inj.status == InjectStatus::Waiting {
                    inj.status = InjectStatus::Cancelled;
                    cancelled = true;
                }
            });
            if cancelled {
                world
                    .resource_mut::<Log>()
                    .push(now, EventKind::InjectCancelled { inject: id.clone() });
            }
        }
        Effect::Delay(id, by) => {
            let by = parse_duration(by).unwrap_or(0);
            delay_inject(world, id, by);
        }
        Effect::Request {
            by,
            action,
            incident,
        } => world
            .resource_mut::<Queue>()
            .requests
            .push(super::state::PendingRequest {
                by: by.clone(),
                action: *action,
                incident: incident.clone(),
                overridden: None,
            }),
        Effect::Evaluate(objective, note) => {
            world.resource_mut::<Log>().push(
                now,
                EventKind::Evaluation {
                    objective: objective.clone(),
                    note: note.clone(),
                },
            );
        }
    }
}

fn with_incident(world: &mut World, id: &str, f: impl FnOnce(&mut IncidentState)) {
    let mut query = world.query::<&mut IncidentState>();
    if let Some(mut inc) = query.iter_mut(world).find(|i| i.id == id) {
        f(&mut inc);
    }
}

fn with_inject(world: &mut World, id: &str, f: impl FnOnce(&mut InjectState)) {
    let mut query = world.query::<&mut InjectState>();
    if let Some(mut inj) = query.iter_mut(world).find(|i| i.id == id) {
        f(&mut inj);
    }
}

fn incident_flag(
    world: &mut World,
    id: &str,
    change: impl FnOnce(&mut IncidentState) -> bool,
    event: EventKind,
) {
    let now = world.resource::<Clock>().now;
    let mut changed = false;
    with_incident(world, id, |inc| changed = change(inc));
    if changed {
        world.resource_mut::<Log>().push(now, event);
    }
}

fn change_severity(world: &mut World, id: &str, to: impl FnOnce(Severity) -> Severity) {
    let now = world.resource::<Clock>().now;
    let mut changed = None;
    with_incident(world, id, |inc| {
        let from = inc.severity;
        inc.severity = to(from);
        inc.peak = inc.peak.max(inc.severity);
        if inc.severity != from {
            changed = Some((from, inc.severity));
        }
    });
    if let Some((from, to)) = changed {
        world.resource_mut::<Log>().push(
            now,
            EventKind::SeverityChanged {
                incident: id.to_owned(),
                from,
                to,
            },
        );
    }
}

/// Makes an inject due at `at` (no later than an earlier due time); delivered ones stay delivered.
pub fn schedule_inject(world: &mut World, id: &str, at: Minutes) {
    with_inject(world, id, |inj| {
        if inj.status == InjectStatus::Waiting {
            inj.due = Some(inj.due.map_or(at, |d| d.min(at)));
        }
    });
}

/// Pushes a scheduled inject back; returns whether it had a due time to move.
pub fn delay_inject(world: &mut World, id: &str, by: Minutes) -> bool {
    let now = world.resource::<Clock>().now;
    let mut until = None;
    with_inject(world, id, |inj| {
        if inj.status == InjectStatus::Waiting
            && let Some(due) = inj.due
        {
            let new = due.max(now) + by;
            inj.due = Some(new);
            until = Some(new);
        }
    });
    if let Some(until) = until {
        world.resource_mut::<Log>().push(
            now,
            EventKind::InjectDelayed {
                inject: id.to_owned(),
                until,
            },
        );
    }
    until.is_some()
}

fn apply_requests(world: &mut World) {
    loop {
        let pending = std::mem::take(&mut world.resource_mut::<Queue>().requests);
        if pending.is_empty() {
            return;
        }
        for request in pending {
            // Refusals are recorded as events by `requests::handle`; a scripted request has nobody to tell.
            let _ = requests::handle(world, &request);
        }
        // Requests can queue effects (decisions offered by rules resolve at once when nobody plays them).
        apply_effects(world);
    }
}

/// A restrictive-measures vote closes once a veto is cast or every government has voted or abstained.
fn close_votes(world: &mut World) {
    requests::close_vote_if_done(world, "rule");
}

/// ISAA situation reports while IPCR is active: generated injects to the political level.
fn isaa_reports(world: &mut World) {
    let now = world.resource::<Clock>().now;
    let Some(next) = world.resource::<Milestones>().isaa_next else {
        return;
    };
    if next > now {
        return;
    }
    let view = View::of(world);
    let plan = world.resource::<Plan>().0.clone();
    let count = {
        let mut m = world.resource_mut::<Milestones>();
        m.isaa_count += 1;
        m.isaa_next = Some(now + doctrine::ISAA_INTERVAL_MIN);
        m.isaa_count
    };
    let political = |k: ActorKind| {
        matches!(
            k,
            ActorKind::Presidency
                | ActorKind::Government
                | ActorKind::Commission
                | ActorKind::Eeas
                | ActorKind::Council
                | ActorKind::CrisisAuthority
        )
    };
    let mut to: Vec<String> = plan
        .seats()
        .filter(|a| political(a.kind))
        .map(|a| a.id.clone())
        .collect();
    if to.is_empty() {
        to = plan.seats().map(|a| a.id.clone()).collect();
    }
    let from = plan
        .file
        .actors
        .iter()
        .find(|a| a.kind == ActorKind::Commission)
        .map_or_else(|| "commission_eeas".to_owned(), |a| a.id.clone());
    let countries: Vec<&str> = view.countries_affected().into_iter().collect();
    let subject = format!(
        "ISAA report {count} ({}): {} Member State(s) affected{}, worst severity {}, IPCR {}",
        format_offset(now),
        countries.len(),
        if countries.is_empty() {
            String::new()
        } else {
            format!(" ({})", countries.join(", "))
        },
        view.max_severity(),
        view.mechanisms.ipcr.keyword().replace('_', " ")
    );
    world.resource_mut::<Log>().push(
        now,
        EventKind::InjectDelivered {
            inject: format!("isaa_{count}"),
            from,
            to,
            channel: crate::domain::Channel::IpcrPlatform,
            tlp: crate::domain::Tlp::Amber,
            subject,
            by_facilitator: false,
            body: String::new(),
        },
    );
}

/// Objective criteria: met when the condition holds inside its window, failed once the window closes.
fn evaluate_criteria(world: &mut World) {
    if !world.resource::<Criteria>().0.contains(&Outcome::Open) {
        return;
    }
    let view = View::of(world);
    let plan = world.resource::<Plan>().0.clone();
    let mut changes = Vec::new();
    {
        let criteria = world.resource::<Criteria>();
        for (i, c) in plan.criteria.iter().enumerate() {
            if criteria.0[i] != Outcome::Open {
                continue;
            }
            let spec = &plan.file.objectives[c.objective].criteria[c.criterion];
            let anchor = view.anchor(&spec.from);
            let window_end = c.within.and_then(|w| anchor.map(|a| a + w));
            if c.condition.truthy(&view) {
                let late = window_end.is_some_and(|end| view.now > end);
                changes.push((
                    i,
                    if late {
                        Outcome::Failed(view.now)
                    } else {
                        Outcome::Met(view.now)
                    },
                ));
            } else if window_end.is_some_and(|end| view.now > end) {
                changes.push((i, Outcome::Failed(view.now)));
            }
        }
    }
    for (i, outcome) in changes {
        world.resource_mut::<Criteria>().0[i] = outcome;
        let c = &plan.criteria[i];
        let objective = plan.file.objectives[c.objective].id.clone();
        let criterion = plan.file.objectives[c.objective].criteria[c.criterion]
            .id
            .clone();
        let kind = match outcome {
            Outcome::Met(_) => EventKind::CriterionMet {
                objective,
                criterion,
            },
            _ => EventKind::CriterionFailed {
                objective,
                criterion,
            },
        };
        world.resource_mut::<Log>().push(view.now, kind);
    }
}

/// A generated decision (by a rule, not the scenario) for one deciding actor.
#[must_use]
pub fn generated_decision(
    id: String,
    prompt: String,
    by: String,
    options: Vec<DecisionOption>,
    default: usize,
    deadline_after: Minutes,
) -> DecisionState {
    DecisionState {
        id,
        prompt,
        by: vec![by],
        options,
        default: Some(default),
        deadline_after: Some(deadline_after),
        deadline: None,
        rationale_required: false,
        status: DecisionStatus::NotOffered,
        generated: true,
        ballot_round: None,
    }
}

/// Whether an action moves IPCR to full activation as its automatic consequence.
#[must_use]
pub fn forces_full_activation(action: Action) -> bool {
    doctrine::consequences(action).contains(&doctrine::Consequence::IpcrFullActivation)
}

/// IPCR mode after a change, for the ISAA rhythm: reports run from information sharing upwards.
pub fn set_ipcr(world: &mut World, to: IpcrMode, by: &str, reason: &str) {
    let now = world.resource::<Clock>().now;
    let from = world.resource::<Mech>().0.ipcr;
    if from == to {
        return;
    }
    world.resource_mut::<Mech>().0.ipcr = to;
    world.resource_mut::<Log>().push(
        now,
        EventKind::IpcrModeChanged {
            from,
            to,
            by: by.to_owned(),
            reason: reason.to_owned(),
        },
    );
    let mut m = world.resource_mut::<Milestones>();
    if to >= IpcrMode::InformationSharing {
        if m.isaa_next.is_none() {
            m.isaa_next = Some(now);
        }
    } else {
        m.isaa_next = None;
    }
}
