//! Objectives: titles, criteria (a condition, an anchor, a time limit; warned when never met) and
//! objectives that nothing exercises.

use std::collections::BTreeSet;

use super::Checker;
use super::Seg::{F, I};
use super::conditions::possible;
use crate::scenario::checked::{CriterionPlan, Kind};
use crate::scenario::model::{Anchor, Effect};
use crate::scenario::time::Minutes;

impl Checker<'_> {
    pub(super) fn objectives(&mut self) -> Vec<CriterionPlan> {
        let f = self.file;
        let mut exercised: BTreeSet<&str> = BTreeSet::new();
        for inj in &f.injects {
            exercised.extend(inj.objectives.iter().map(String::as_str));
        }
        for d in &f.decisions {
            exercised.extend(d.objectives.iter().map(String::as_str));
        }
        for inj in &f.injects {
            exercised.extend(evaluated_objectives(&inj.effects));
        }
        for d in &f.decisions {
            for o in &d.options {
                exercised.extend(evaluated_objectives(&o.effects));
            }
        }
        let mut plans = Vec::new();
        for (i, ob) in f.objectives.iter().enumerate() {
            let at = self.parsed.origins.objectives[i];
            if ob.title.trim().is_empty() {
                self.error(
                    self.span(&[F("objectives"), I(at), F("title")]),
                    "the objective's title is empty",
                    None,
                );
            }
            for (j, cr) in ob.criteria.iter().enumerate() {
                let path = |f: &'static str| [F("objectives"), I(at), F("criteria"), I(j), F(f)];
                let condition = self.condition(&path("met_when"), &cr.met_when);
                let within = cr
                    .within
                    .as_ref()
                    .and_then(|w| self.duration_at(&path("within"), w));
                match &cr.from {
                    Anchor::Detected(inc) => {
                        let p = [F("objectives"), I(at), F("criteria"), I(j), F("from"), I(0)];
                        self.resolve(&p, Kind::Incident, inc, "incident");
                    }
                    Anchor::Delivered(inj) => {
                        let p = [F("objectives"), I(at), F("criteria"), I(j), F("from"), I(0)];
                        self.resolve(&p, Kind::Inject, inj, "inject");
                    }
                    Anchor::Start | Anchor::FirstCrossBorderImpact => {}
                }
                if let Some(condition) = condition {
                    let end = self.duration.unwrap_or(Minutes::MAX);
                    if possible(&condition, &|_| true, &|_| true, end) == Some(false) {
                        self.warning(
                            self.span(&path("met_when")),
                            format!("criterion `{}` can never be met", cr.id),
                            Some("its condition needs a time after the end of the exercise".into()),
                        );
                    }
                    plans.push(CriterionPlan {
                        objective: i,
                        criterion: j,
                        condition,
                        within,
                    });
                }
            }
            if ob.criteria.is_empty() && !exercised.contains(ob.id.as_str()) {
                self.warning(
                    self.span(&[F("objectives"), I(at), F("id")]),
                    format!("objective `{}` is exercised by nothing", ob.id),
                    Some("link it from an inject's or decision's `objectives`, or give it `criteria`".into()),
                );
            }
        }
        plans
    }
}

/// Objectives named by `Evaluate` effects.
fn evaluated_objectives(effects: &[Effect]) -> impl Iterator<Item = &str> {
    effects.iter().filter_map(|e| match e {
        Effect::Evaluate(o, _) => Some(o.as_str()),
        _ => None,
    })
}
