//! Incidents: whom they hit, when they start and are detected, their hidden truth and their dynamics
//! (spread targets, chances between 0 and 1).

use super::Checker;
use super::Seg::{F, I};
use crate::scenario::checked::IncidentPlan;
use crate::scenario::model::Dynamics;

impl Checker<'_> {
    pub(super) fn incidents(&mut self) -> Vec<Option<IncidentPlan>> {
        let f = self.file;
        let mut plans = Vec::new();
        for (i, inc) in f.incidents.iter().enumerate() {
            let at = self.parsed.origins.incidents[i];
            let base = [F("incidents"), I(at)];
            if inc.entities.is_empty() {
                self.error(
                    self.key_span(&base, "entities"),
                    "the incident hits no entity",
                    Some("list the entities hit at the start".into()),
                );
            }
            for (j, e) in inc.entities.iter().enumerate() {
                self.entity(&[F("incidents"), I(at), F("entities"), I(j)], e);
            }
            let d = &inc.dynamics;
            self.dynamics(at, d);
            if inc.severity > d.max_severity {
                self.error(
                    self.span(&[F("incidents"), I(at), F("severity")]),
                    format!(
                        "starts at {} but `max_severity` is {}",
                        inc.severity, d.max_severity
                    ),
                    None,
                );
            }
            for (j, code) in inc.truth.overwhelms.iter().enumerate() {
                let span = self.span(&[F("incidents"), I(at), F("truth"), F("overwhelms"), I(j)]);
                if !f.member_states.contains(code) {
                    self.error(
                        span,
                        format!("`{code}` is not a participating Member State"),
                        Some(format!("participating: {}", f.member_states.join(", "))),
                    );
                }
            }
            let start = match &inc.start {
                Some(s) => self.moment(&[F("incidents"), I(at), F("start")], s),
                None => Some(0),
            };
            let detected = match &inc.detected {
                Some(s) => self.moment(&[F("incidents"), I(at), F("detected")], s),
                None => start,
            };
            if let (Some(s), Some(d)) = (start, detected) {
                if d < s {
                    self.error(
                        self.span(&[F("incidents"), I(at), F("detected")]),
                        "detected before it starts",
                        Some("`detected` must be at or after `start`".into()),
                    );
                    plans.push(None);
                    continue;
                }
                plans.push(Some(IncidentPlan {
                    start: s,
                    detected: d,
                }));
            } else {
                plans.push(None);
            }
        }
        plans
    }

    /// Spread targets are entities; chances and factors are between 0 and 1.
    fn dynamics(&mut self, at: usize, d: &Dynamics) {
        for (j, e) in d.spread_to.iter().enumerate() {
            self.entity(
                &[F("incidents"), I(at), F("dynamics"), F("spread_to"), I(j)],
                e,
            );
        }
        let probabilities = [
            (
                "spread_per_hour",
                d.spread_per_hour,
                vec![F("spread_per_hour")],
            ),
            (
                "escalation_per_hour",
                d.escalation_per_hour,
                vec![F("escalation_per_hour")],
            ),
            (
                "mitigated.spread",
                d.mitigated.spread,
                vec![F("mitigated"), F("spread")],
            ),
            (
                "mitigated.escalation",
                d.mitigated.escalation,
                vec![F("mitigated"), F("escalation")],
            ),
            (
                "supported.spread",
                d.supported.spread,
                vec![F("supported"), F("spread")],
            ),
            (
                "supported.escalation",
                d.supported.escalation,
                vec![F("supported"), F("escalation")],
            ),
        ];
        for (name, p, sub) in probabilities {
            if !(0.0..=1.0).contains(&p) {
                let mut path = vec![F("incidents"), I(at), F("dynamics")];
                path.extend(sub);
                self.error(
                    self.span(&path),
                    format!("`{name}` is {p}, but must be between 0 and 1"),
                    Some("it is a chance per hour (or a multiplier of one)".into()),
                );
            }
        }
        if d.spread_per_hour > 0.0 && d.spread_to.is_empty() {
            self.warning(
                self.span(&[F("incidents"), I(at), F("dynamics"), F("spread_per_hour")]),
                "the incident has a spread chance but nowhere to spread",
                Some("list the entities it can reach in `spread_to`".into()),
            );
        }
    }
}
