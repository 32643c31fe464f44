//! The incidents pass: incidents start and are detected at their planned times, then evolve by hourly
//! rolls of the simulation's one generator.

#![allow(
    clippy::needless_pass_by_value,
    reason = "bevy systems take their parameters (Res, Query) by value"
)]

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::events::EventKind;
use super::state::{Clock, IncidentState, Log, Phase, Plan, SimRng};

pub(super) fn start_incidents(
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
pub(super) fn evolve_incidents(
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
