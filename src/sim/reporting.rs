//! The reporting pass: ISAA situation reports while IPCR is active, and the automatic evaluation of
//! objective criteria (met inside their window, failed once it closes or the exercise ends).

use bevy_ecs::prelude::*;

use crate::doctrine;
use crate::domain::IpcrMode;
use crate::scenario::model::Isaa;
use crate::scenario::time::{Minutes, format_offset, parse_duration};

use super::events::EventKind;
use super::state::{Clock, Criteria, Log, Milestones, Outcome, Plan};
use super::view::View;

/// ISAA situation reports while IPCR is active: generated injects to the political level.
pub(super) fn isaa_reports(world: &mut World) {
    let now = world.resource::<Clock>().now;
    let Some(next) = world.resource::<Milestones>().isaa_next else {
        return;
    };
    if next > now {
        return;
    }
    let view = View::of(world);
    let plan = world.resource::<Plan>().0.clone();
    let Some(every) = isaa_every(&plan) else {
        // The scenario scripts its ISAA reports, or has none: the engine adds no second stream.
        world.resource_mut::<Milestones>().isaa_next = None;
        return;
    };
    let count = {
        let mut m = world.resource_mut::<Milestones>();
        m.isaa_count += 1;
        m.isaa_next = Some(now + every);
        m.isaa_count
    };
    let mut to: Vec<String> = plan
        .seats()
        .filter(|a| doctrine::receives_isaa(a.kind))
        .map(|a| a.id.clone())
        .collect();
    if to.is_empty() {
        to = plan.seats().map(|a| a.id.clone()).collect();
    }
    let from = doctrine::ISAA_AUTHORS
        .iter()
        .find_map(|kind| plan.file.actors.iter().find(|a| a.kind == *kind))
        .map_or_else(|| "commission_eeas".to_owned(), |a| a.id.clone());
    let countries: Vec<&str> = view.countries_affected().into_iter().collect();
    let subject = format!(
        "ISAA report {count}, Commission and EEAS ({}): {} Member State(s) affected{}, worst severity {}, IPCR {}",
        format_offset(now),
        countries.len(),
        if countries.is_empty() {
            String::new()
        } else {
            format!(" ({})", countries.join(", "))
        },
        view.max_severity(),
        view.mechanisms.ipcr.keyword().replace('_', " ")
    ) + &cyclone_assessment_line(&view.mechanisms);
    world.resource_mut::<Log>().push(
        now,
        EventKind::InjectDelivered {
            inject: format!("isaa_{count}"),
            from,
            to,
            channel: doctrine::ISAA_CHANNEL,
            tlp: doctrine::ISAA_TLP,
            subject,
            by_facilitator: false,
            body: String::new(),
        },
    );
}

/// What ISAA reports say of EU-CyCLONe's assessment for the political level once one is submitted: a
/// cyber crisis (the 2025 Blueprint's test) if any submitted assessment met it, otherwise not met.
/// Empty before EU-CyCLONe has submitted any.
#[must_use]
pub fn cyclone_assessment_line(m: &doctrine::Mechanisms) -> String {
    if m.cyclone_assessments.is_empty() {
        String::new()
    } else if m.cyclone_assessments.values().any(|met| *met) {
        "; EU-CyCLONe assessment: cyber crisis (Blueprint 2025)".to_owned()
    } else {
        "; EU-CyCLONe assessment: cyber crisis test not met (Blueprint 2025)".to_owned()
    }
}

/// Objective criteria: met when the condition holds inside its window, failed once the window closes.
pub(super) fn evaluate_criteria(world: &mut World) {
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

/// How often the engine issues ISAA reports, or `None` when the scenario scripts them or has none.
pub(super) fn isaa_every(plan: &crate::scenario::Scenario) -> Option<Minutes> {
    match &plan.file.isaa {
        None => Some(doctrine::ISAA_INTERVAL_MIN),
        // Checked before play; the default guards a scenario built without the checker.
        Some(Isaa::Every(every)) => {
            Some(parse_duration(every).unwrap_or(doctrine::ISAA_INTERVAL_MIN))
        }
        Some(Isaa::Scripted | Isaa::Off) => None,
    }
}

/// The ISAA rhythm after an IPCR change: reports run from information sharing upwards, the first one at
/// once; below that they stop. A scenario that scripts its reports (or has none) gets none from the engine.
pub(super) fn follow_ipcr(
    milestones: &mut Milestones,
    mode: IpcrMode,
    now: Minutes,
    engine_reports: bool,
) {
    if engine_reports && doctrine::isaa_runs(mode) {
        if milestones.isaa_next.is_none() {
            milestones.isaa_next = Some(now);
        }
    } else {
        milestones.isaa_next = None;
    }
}

/// At the end of the exercise every criterion still open has failed.
pub(super) fn fail_open_criteria(world: &mut World) {
    let now = world.resource::<Clock>().now;
    let plan = world.resource::<Plan>().0.clone();
    let open: Vec<usize> = world
        .resource::<Criteria>()
        .0
        .iter()
        .enumerate()
        .filter(|(_, o)| **o == Outcome::Open)
        .map(|(i, _)| i)
        .collect();
    for i in open {
        world.resource_mut::<Criteria>().0[i] = Outcome::Failed(now);
        let c = &plan.criteria[i];
        let objective = plan.file.objectives[c.objective].id.clone();
        let criterion = plan.file.objectives[c.objective].criteria[c.criterion]
            .id
            .clone();
        world.resource_mut::<Log>().push(
            now,
            EventKind::CriterionFailed {
                objective,
                criterion,
            },
        );
    }
}
