//! The EU Cybersecurity Reserve after a request is granted: ENISA's assessment when the answer comes due
//! (CSA Art. 16). Every request before ENISA at that moment is weighed with the others by the rules in
//! `doctrine::reserve`; served requests get their provider teams, deferred ones wait for capacity, and
//! requests whose incident is over are refused. Each answer is an event.

use bevy_ecs::prelude::*;

use crate::doctrine::{self, ReserveClaim, ReserveOutcome};
use crate::domain::{ActorKind, Mechanism, Support};
use crate::scenario::time::format_offset;

use super::events::EventKind;
use super::state::{
    Agenda, Clock, IncidentState, Log, Mech, Phase, Plan, ReserveDesk, ReserveRequest, Scheduled,
};

/// ENISA answers the Reserve requests it has had time to assess (received at least the answer window's
/// earliest moment ago, or deferred before), ranking them against each other; the rest keep waiting for
/// their own answer.
pub(super) fn assess_requests(world: &mut World) {
    let now = world.resource::<Clock>().now;
    let all = std::mem::take(&mut world.resource_mut::<ReserveDesk>().pending);
    let (pending, waiting): (Vec<ReserveRequest>, Vec<ReserveRequest>) =
        all.into_iter().partition(|r| {
            r.retry_at
                .map_or(r.at + doctrine::RESERVE_ANSWER.earliest <= now, |t| {
                    t <= now
                })
        });
    world.resource_mut::<ReserveDesk>().pending = waiting;
    if pending.is_empty() {
        return;
    }
    let plan = world.resource::<Plan>().0.clone();
    let claims = claims(world, &plan, &pending);
    let capacity = plan
        .file
        .reserve_capacity
        .unwrap_or(doctrine::RESERVE_CAPACITY_DEFAULT);
    let free =
        doctrine::reserve_free_teams(capacity, &world.resource::<ReserveDesk>().committed, now);
    let enisa = plan
        .file
        .actors
        .iter()
        .find(|a| a.kind == ActorKind::Enisa)
        .map_or_else(|| "ENISA".to_owned(), |a| a.id.clone());
    let mut deferred = Vec::new();
    for answer in doctrine::assess_reserve(&claims, free) {
        let claim = &claims[answer.claim];
        let place = if answer.of > 1 {
            format!(" (priority {} of {} requests)", answer.rank, answer.of)
        } else {
            String::new()
        };
        let (state, teams) = match &answer.outcome {
            ReserveOutcome::Served { teams } => (
                format!(
                    "ENISA serves the request of {} for {} in full{place}: {}",
                    claim.country,
                    claim.incident,
                    teams_deployed(*teams)
                ),
                *teams,
            ),
            ReserveOutcome::PartlyServed { teams, asked } => (
                format!(
                    "ENISA partly serves the request of {} for {}{place}: {teams} of {asked} provider teams deployed, the Reserve's capacity ({capacity} per 48 h) is used up",
                    claim.country, claim.incident
                ),
                *teams,
            ),
            ReserveOutcome::Deferred => {
                deferred.push(pending[answer.claim].clone());
                (
                    format!(
                        "ENISA defers the request of {} for {}{place}: the Reserve's capacity ({capacity} per 48 h) is committed to requests of higher priority",
                        claim.country, claim.incident
                    ),
                    0,
                )
            }
            ReserveOutcome::Refused { reason } => (
                format!(
                    "ENISA refuses the request of {} for {}{place}: {reason}",
                    claim.country, claim.incident
                ),
                0,
            ),
        };
        world.resource_mut::<Log>().push(
            now,
            EventKind::MechanismChanged {
                mechanism: Mechanism::Reserve,
                state,
                by: enisa.clone(),
                reason: "ENISA's assessment: severity, essential entities first, impact, cross-border spill-over, the user's own efforts (CSA Art. 16)".into(),
            },
        );
        if teams > 0 {
            world
                .resource_mut::<ReserveDesk>()
                .committed
                .push((now, teams));
            world.resource_mut::<Mech>().0.reserve_deployed = true;
            let mut query = world.query::<&mut IncidentState>();
            if let Some(mut inc) = query.iter_mut(world).find(|i| i.id == claim.incident) {
                inc.supported = true;
            }
            world.resource_mut::<Log>().push(
                now,
                EventKind::SupportDeployed {
                    incident: claim.incident.clone(),
                    support: Support::Reserve,
                },
            );
        }
    }
    if deferred.is_empty() {
        return;
    }
    // Deferred requests are assessed again as soon as a committed team frees up.
    let again = doctrine::reserve_next_free(&world.resource::<ReserveDesk>().committed, now);
    let first = deferred[0].incident.clone();
    for r in &mut deferred {
        r.retry_at = again;
    }
    world.resource_mut::<ReserveDesk>().pending.extend(deferred);
    if let Some(at) = again {
        world
            .resource_mut::<Agenda>()
            .schedule(at, Scheduled::ReserveAnswer { incident: first });
        world.resource_mut::<Log>().push(
            now,
            EventKind::MechanismChanged {
                mechanism: Mechanism::Reserve,
                state: format!(
                    "deferred requests are assessed again at {}, when a team frees up",
                    format_offset(at)
                ),
                by: enisa,
                reason: "CSA Art. 16".into(),
            },
        );
    }
}

/// "1 provider team deployed", "2 provider teams deployed".
fn teams_deployed(teams: u32) -> String {
    if teams == 1 {
        "1 provider team deployed".into()
    } else {
        format!("{teams} provider teams deployed")
    }
}

/// What ENISA weighs for each request: the incident as it stands now, seen from the requesting state.
fn claims(
    world: &mut World,
    plan: &crate::scenario::Scenario,
    pending: &[ReserveRequest],
) -> Vec<ReserveClaim> {
    let incidents: Vec<IncidentState> = world
        .query::<&IncidentState>()
        .iter(world)
        .cloned()
        .collect();
    pending
        .iter()
        .map(|r| {
            let inc = incidents.iter().find(|i| i.id == r.incident);
            let of_country: Vec<&String> = inc.map_or_else(Vec::new, |i| {
                i.entities
                    .iter()
                    .filter(|e| {
                        plan.actor_index(e)
                            .and_then(|a| plan.file.actors[a].country.as_deref())
                            .is_none_or(|c| c == r.country)
                    })
                    .collect()
            });
            let essential = of_country.iter().any(|e| {
                plan.actor_index(e)
                    .is_some_and(|a| matches!(plan.file.actors[a].kind, ActorKind::Essential(_)))
            });
            ReserveClaim {
                country: r.country.clone(),
                incident: r.incident.clone(),
                requested_at: r.at,
                severity: inc.map_or(crate::domain::Severity::Minor, |i| i.severity),
                essential,
                entities: u32::try_from(of_country.len()).unwrap_or(u32::MAX),
                cross_border: inc.is_some_and(|i| doctrine::is_cross_border(&i.countries)),
                mitigated: inc.is_some_and(|i| i.mitigated),
                // Containment is not the end: the Reserve also supports recovery (CSA Art. 14(1)).
                still_needed: inc.is_some_and(|i| {
                    matches!(i.phase, Phase::Active | Phase::Contained)
                        && (i.severity.is_significant() || i.large_scale)
                }),
            }
        })
        .collect()
}
