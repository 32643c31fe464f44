//! The exercise's trends folded from its event stream: worst severity, affected Member States and open
//! NIS2 obligations after every change. Derived from events, not sampled from views, so a jump of many
//! hours, a resumed exercise and the after-action report all get the full curve.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::Severity;
use crate::scenario::Scenario;
use crate::scenario::time::Minutes;

use super::state::Phase;
use super::{Event, EventKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendPoint {
    pub at: Minutes,
    /// The worst severity of any started, not recovered incident; `None` while there is none.
    pub worst: Option<Severity>,
    pub countries: usize,
    /// NIS2 reports owed and neither filed nor missed yet.
    pub open_obligations: usize,
}

/// One point at the start, one after every minute in which something the trends show changed, and one
/// at `end` holding the last values. Counts match the view's (started or contained incidents count for
/// severity; recovered ones keep their countries).
#[must_use]
pub fn trend(scenario: &Scenario, events: &[Event], end: Minutes) -> Vec<TrendPoint> {
    struct Inc {
        phase: Phase,
        severity: Severity,
        countries: BTreeSet<String>,
    }
    let country = |entity: &str| {
        scenario
            .actor_index(entity)
            .and_then(|a| scenario.file.actors[a].country.clone())
    };
    let mut incidents: BTreeMap<&str, Inc> = scenario
        .file
        .incidents
        .iter()
        .map(|spec| {
            (
                spec.id.as_str(),
                Inc {
                    phase: Phase::NotStarted,
                    severity: spec.severity,
                    countries: spec.entities.iter().filter_map(|e| country(e)).collect(),
                },
            )
        })
        .collect();
    let mut open_obligations = 0usize;
    let sample =
        |incidents: &BTreeMap<&str, Inc>, open_obligations: usize, at: Minutes| TrendPoint {
            at,
            worst: incidents
                .values()
                .filter(|i| matches!(i.phase, Phase::Active | Phase::Contained))
                .map(|i| i.severity)
                .max(),
            countries: incidents
                .values()
                .filter(|i| i.phase != Phase::NotStarted)
                .flat_map(|i| i.countries.iter())
                .collect::<BTreeSet<_>>()
                .len(),
            open_obligations,
        };
    let same = |a: &TrendPoint, b: &TrendPoint| {
        (a.worst, a.countries, a.open_obligations) == (b.worst, b.countries, b.open_obligations)
    };
    let mut points = vec![sample(&incidents, 0, 0)];
    for event in events {
        let changed = match &event.kind {
            EventKind::IncidentStarted {
                incident, severity, ..
            } => incidents.get_mut(incident.as_str()).map(|i| {
                i.phase = Phase::Active;
                i.severity = *severity;
            }),
            EventKind::IncidentSpread {
                incident, country, ..
            } => incidents.get_mut(incident.as_str()).map(|i| {
                i.countries.insert(country.clone());
            }),
            EventKind::SeverityChanged { incident, to, .. } => incidents
                .get_mut(incident.as_str())
                .map(|i| i.severity = *to),
            EventKind::IncidentContained { incident } => incidents
                .get_mut(incident.as_str())
                .map(|i| i.phase = Phase::Contained),
            EventKind::IncidentRecovered { incident } => incidents
                .get_mut(incident.as_str())
                .map(|i| i.phase = Phase::Recovered),
            EventKind::ObligationDue { .. } => {
                open_obligations += 1;
                Some(())
            }
            EventKind::ObligationMet { .. } | EventKind::ObligationMissed { .. } => {
                open_obligations = open_obligations.saturating_sub(1);
                Some(())
            }
            _ => None,
        };
        if changed.is_none() {
            continue;
        }
        let point = sample(&incidents, open_obligations, event.at);
        match points.last_mut() {
            Some(last) if last.at == point.at => *last = point,
            Some(last) if same(last, &point) => {}
            _ => points.push(point),
        }
    }
    // Collapse a same-minute change that ended where the previous point already was.
    points.dedup_by(|b, a| same(a, b));
    if points.last().is_some_and(|p| p.at < end) {
        let last = points[points.len() - 1];
        points.push(TrendPoint { at: end, ..last });
    }
    points
}
