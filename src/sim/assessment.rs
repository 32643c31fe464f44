//! The assessment pass: cross-border impact, the large-scale test, and the NIS2 reporting clocks that
//! open when an entity becomes aware of a significant incident and expire when nobody files.

#![allow(
    clippy::needless_pass_by_value,
    reason = "bevy systems take their parameters (Res, Query) by value"
)]

use std::collections::BTreeSet;

use bevy_ecs::prelude::*;

use crate::doctrine;
use crate::domain::{Action, Mechanism, Regime};
use crate::scenario::time::Minutes;

use super::events::EventKind;
use super::state::{
    Clock, Filed, IncidentState, Log, Mech, Milestones, Obligation, ObligationStatus, Phase, Plan,
};

/// Cross-border impact, the NIS2 Art. 6(7) large-scale test, and the Commission's full participation in
/// EU-CyCLONe once NIS2 services are significantly hit.
pub(super) fn assess_incidents(
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
        if doctrine::is_cross_border(&inc.countries) && milestones.first_cross_border.is_none() {
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
                // The large-scale test does not look at entity kinds.
                essential_market: &BTreeSet::new(),
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
    if doctrine::commission_becomes_full_participant(&mech.0, significant) {
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
pub(super) fn open_obligations(
    plan: Res<Plan>,
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
            || !doctrine::nis2_reporting_applies(inc.detected_at.is_some(), inc.severity)
        {
            continue;
        }
        for entity in &inc.entities {
            if existing.contains(&(entity.clone(), inc.id.clone())) {
                continue;
            }
            // Financial entities follow DORA's clocks (from awareness and classification), others NIS2's.
            let regime = plan.0.actor_index(entity).map_or(Regime::Nis2, |a| {
                doctrine::reporting_regime(plan.0.file.actors[a].kind)
            });
            let aware = inc.detected_at.unwrap_or(now);
            let mut clocks: Vec<(Action, Minutes)> =
                doctrine::reporting_deadlines(regime, aware, now).to_vec();
            let was_filed =
                |report: Action| filed.0.contains(&(entity.clone(), inc.id.clone(), report));
            if was_filed(Action::IncidentNotification) {
                clocks.push((Action::FinalReport, doctrine::final_report_due(now)));
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
                        regime,
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
                            regime,
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
                    regime,
                });
            }
        }
    }
}

pub(super) fn expire_obligations(
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
                    regime: o.regime,
                },
            );
        }
    }
}
