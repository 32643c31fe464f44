//! The schedule of one simulation pass and its ordered sets: incidents → assessment → triggers →
//! consequences → reporting. The systems themselves live in one file per pass.
//!
//! A pass happens at one simulated minute. Systems that only read and update their own components are
//! plain systems; those that act on the whole exercise (conditions, effects, rule-checked requests) are
//! exclusive. Every system is chained, so the order is total and the run deterministic.

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::SingleThreadedExecutor;

use super::assessment::{assess_incidents, expire_obligations, open_obligations};
use super::effects::apply_effects;
use super::incidents::{evolve_incidents, start_incidents};
use super::reporting::{evaluate_criteria, isaa_reports};
use super::requests::{apply_requests, close_votes, record_aid_responses};
use super::triggers::{
    arm_injects, decision_deadlines, deliver_injects, offer_decisions, run_agenda,
};

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
        (
            apply_effects,
            apply_requests,
            close_votes,
            record_aid_responses,
        )
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
