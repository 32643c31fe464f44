//! The triggers pass: injects become due (on time, on their condition, or when an effect fires them)
//! and are delivered; support the rules promised arrives; decisions are offered and time out.

#![allow(
    clippy::needless_pass_by_value,
    reason = "bevy systems take their parameters (Res, Query) by value"
)]

use bevy_ecs::prelude::*;

use crate::domain::Support;
use crate::scenario::Trigger;
use crate::scenario::time::Minutes;

use super::events::EventKind;
use super::state::{
    Agenda, Clock, DecisionState, DecisionStatus, IncidentState, InjectState, InjectStatus, Log,
    Mech, Plan, Queue, Scheduled,
};
use super::view::View;

/// Injects waiting on a condition become due (after their delay) when it holds.
pub(super) fn arm_injects(world: &mut World) {
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

/// Support the rules promised arrives when its time comes: ENISA's answer to Reserve requests (its
/// assessment, in `reserve`), a rapid reaction team.
pub(super) fn run_agenda(world: &mut World) {
    let now = world.resource::<Clock>().now;
    loop {
        let item = {
            let mut agenda = world.resource_mut::<Agenda>();
            let Some(entry) = agenda.items.first_entry() else {
                break;
            };
            if entry.key().0 > now {
                break;
            }
            entry.remove()
        };
        match item {
            Scheduled::ReserveAnswer { .. } => super::reserve::assess_requests(world),
            Scheduled::RapidReactionArrives { incident } => {
                world.resource_mut::<Mech>().0.rapid_reaction_deployed = true;
                let mut query = world.query::<&mut IncidentState>();
                if let Some(mut inc) = query.iter_mut(world).find(|i| i.id == incident) {
                    inc.supported = true;
                }
                world.resource_mut::<Log>().push(
                    now,
                    EventKind::SupportDeployed {
                        incident,
                        support: Support::RapidReactionTeam,
                    },
                );
            }
        }
    }
}

/// Injects whose time has come are delivered, earliest due first, then in scenario order.
pub(super) fn deliver_injects(world: &mut World) {
    let now = world.resource::<Clock>().now;
    let mut due: Vec<(Minutes, usize, Entity)> = world
        .query::<(Entity, &InjectState)>()
        .iter(world)
        .filter_map(|(entity, i)| match (i.status, i.due) {
            (InjectStatus::Waiting, Some(at)) if at <= now => Some((at, i.index, entity)),
            _ => None,
        })
        .collect();
    due.sort_by_key(|(at, index, _)| (*at, *index));
    for (_, _, inject) in due {
        deliver_inject(world, inject, false);
    }
}

/// The facilitator's Fire: a waiting inject is delivered now, whatever its trigger says.
pub(super) fn fire_inject(world: &mut World, id: &str) {
    let found = world
        .query::<(Entity, &InjectState)>()
        .iter(world)
        .find(|(_, i)| i.id == id)
        .map(|(entity, _)| entity);
    if let Some(inject) = found {
        deliver_inject(world, inject, true);
    }
}

/// Delivers one scenario inject now: it is marked delivered, the delivery is logged, and its effects and
/// its decision are queued for the passes that own them. The only way a scenario inject reaches the
/// players (on schedule, on its condition, or fired by the facilitator), so those paths cannot drift apart.
fn deliver_inject(world: &mut World, inject: Entity, by_facilitator: bool) {
    let now = world.resource::<Clock>().now;
    let Some(mut state) = world.get_mut::<InjectState>(inject) else {
        return;
    };
    state.status = InjectStatus::Delivered(now);
    let index = state.index;
    let plan = world.resource::<Plan>().0.clone();
    let spec = &plan.file.injects[index];
    world.resource_mut::<Log>().push(
        now,
        EventKind::InjectDelivered {
            inject: spec.id.clone(),
            from: spec.from.clone(),
            to: spec.to.clone(),
            channel: spec.channel,
            tlp: spec.tlp,
            subject: spec.subject.clone(),
            by_facilitator,
            body: String::new(),
        },
    );
    let mut queue = world.resource_mut::<Queue>();
    queue.effects.extend(spec.effects.iter().cloned());
    if let Some(d) = &spec.decision {
        queue.offers.push(d.clone());
    }
}

pub(super) fn offer_decisions(
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

pub(super) fn decision_deadlines(
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

fn with_inject(world: &mut World, id: &str, f: impl FnOnce(&mut InjectState)) {
    let mut query = world.query::<&mut InjectState>();
    if let Some(mut inj) = query.iter_mut(world).find(|i| i.id == id) {
        f(&mut inj);
    }
}

/// Makes an inject due at `at` (no later than an earlier due time); delivered ones stay delivered.
pub(super) fn schedule_inject(world: &mut World, id: &str, at: Minutes) {
    with_inject(world, id, |inj| {
        if inj.status == InjectStatus::Waiting {
            inj.due = Some(inj.due.map_or(at, |d| d.min(at)));
        }
    });
}

/// Cancels an inject still waiting; delivered ones stay delivered.
pub(super) fn cancel_inject(world: &mut World, id: &str) {
    let now = world.resource::<Clock>().now;
    let mut cancelled = false;
    with_inject(world, id, |inj| {
        if inj.status == InjectStatus::Waiting {
            inj.status = InjectStatus::Cancelled;
            cancelled = true;
        }
    });
    if cancelled {
        world.resource_mut::<Log>().push(
            now,
            EventKind::InjectCancelled {
                inject: id.to_owned(),
            },
        );
    }
}

/// Pushes a scheduled inject back; returns whether it had a due time to move.
pub(super) fn delay_inject(world: &mut World, id: &str, by: Minutes) -> bool {
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
