//! Scenario `Effect`s taking hold: variables, incident changes, inject timing, requests handed on to
//! the rules, evaluator notes. Inject, decision and request effects queue work for the passes that own it.

use bevy_ecs::prelude::*;

use crate::domain::Severity;
use crate::scenario::model::{Effect, Value};
use crate::scenario::time::parse_duration;

use super::events::EventKind;
use super::state::{Clock, IncidentState, Log, PendingRequest, Phase, Plan, Queue, Vars};
use super::triggers::{cancel_inject, delay_inject, schedule_inject};

/// Applies queued effects in order; requests go on to the rules.
pub(super) fn apply_effects(world: &mut World) {
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
fn apply_effect(world: &mut World, effect: &Effect) {
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
                let entry = vars.0.entry(var.clone()).or_insert(Value::Int(0));
                if let Value::Int(v) = entry {
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
        Effect::Cancel(id) => cancel_inject(world, id),
        Effect::Delay(id, by) => {
            let by = parse_duration(by).unwrap_or(0);
            delay_inject(world, id, by);
        }
        Effect::Request {
            by,
            action,
            incident,
        } => world.resource_mut::<Queue>().requests.push(PendingRequest {
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
