//! Effects, wherever injects and decision options list them: the variables, incidents, injects and
//! objectives they name exist and fit, and a scripted request is one the requester may make.

use super::Checker;
use super::Seg::{self, F, I};
use crate::scenario::checked::Kind;
use crate::scenario::model::{Effect, Value};

impl Checker<'_> {
    pub(super) fn effect(&mut self, path: &[Seg], effect: &Effect) {
        let arg = |i: usize| -> Vec<Seg> {
            let mut p = path.to_vec();
            p.push(I(i));
            p
        };
        let field = |name: &'static str| -> Vec<Seg> {
            let mut p = path.to_vec();
            p.push(F(name));
            p
        };
        match effect {
            Effect::Set(var, value) => {
                if let Some(v) = self.resolve(&arg(0), Kind::Variable, var, "variable") {
                    let declared = self.file.variables[v].initial;
                    if std::mem::discriminant(&declared) != std::mem::discriminant(value) {
                        self.error(
                            self.span(&arg(1)),
                            format!(
                                "`{var}` holds {}, not {}",
                                value_ty(declared),
                                value_ty(*value)
                            ),
                            None,
                        );
                    }
                }
            }
            Effect::Add(var, _) => {
                if let Some(v) = self.resolve(&arg(0), Kind::Variable, var, "variable")
                    && !matches!(self.file.variables[v].initial, Value::Int(_))
                {
                    self.error(
                        self.span(&arg(0)),
                        format!("`{var}` is true/false; `Add` needs a number variable"),
                        Some("use `Set` for flags".into()),
                    );
                }
            }
            Effect::Escalate(inc)
            | Effect::Deescalate(inc)
            | Effect::SetSeverity(inc, _)
            | Effect::Mitigate(inc)
            | Effect::Contain(inc)
            | Effect::Recover(inc) => {
                self.resolve(&arg(0), Kind::Incident, inc, "incident");
            }
            Effect::SpreadTo(inc, entity) => {
                self.resolve(&arg(0), Kind::Incident, inc, "incident");
                self.entity(&arg(1), entity);
            }
            Effect::Fire(inj) | Effect::Cancel(inj) => {
                self.resolve(&arg(0), Kind::Inject, inj, "inject");
            }
            Effect::FireAfter(inj, d) | Effect::Delay(inj, d) => {
                self.resolve(&arg(0), Kind::Inject, inj, "inject");
                self.duration_at(&arg(1), d);
            }
            Effect::Request {
                by,
                action,
                incident,
            } => {
                if let Some(a) = self.resolve(&field("by"), Kind::Actor, by, "actor") {
                    self.entitlement(&field("by"), a, *action);
                }
                if incident.is_none() && crate::doctrine::needs_incident(*action) {
                    self.warning(
                        self.span(path),
                        format!(
                            "this request ({}) must name its incident; the engine will refuse it",
                            action.label()
                        ),
                        Some("add `incident: \"<incident id>\"`".into()),
                    );
                }
                if let Some(inc) = incident {
                    self.resolve(&field("incident"), Kind::Incident, inc, "incident");
                }
                if *action
                    == crate::domain::Action::ProposeMeasures(
                        crate::domain::MeasureCategory::Restrictive,
                    )
                    && !self
                        .file
                        .actors
                        .iter()
                        .any(|a| a.kind == crate::domain::ActorKind::Commission)
                {
                    self.warning(
                        self.span(path),
                        "these listings can never be adopted: the regulation behind them needs the Commission to join the proposal (Art. 215(1) TFEU), and the scenario has no `Commission` actor",
                        Some("add an actor with `kind: Commission` (it need not be a seat: the engine asks it to join)".into()),
                    );
                }
            }
            Effect::Evaluate(objective, _) => {
                self.resolve(&arg(0), Kind::Objective, objective, "objective");
            }
        }
    }

    /// A request the actor's kind can never make is refused at run time; say so now. A warning, not an
    /// error: a planner may script a refusal on purpose to teach the rule.
    fn entitlement(&mut self, path: &[Seg], actor: usize, action: crate::domain::Action) {
        let a = &self.file.actors[actor];
        let who = crate::doctrine::Requester {
            id: &a.id,
            kind: a.kind,
            country: a.country.as_deref(),
        };
        if let Err(refusal) = crate::doctrine::entitled(action, &who) {
            self.warning(
                self.span(path),
                format!(
                    "`{}` may not {}; the engine will refuse this request",
                    a.id,
                    crate::doctrine::request_phrase(action)
                ),
                Some(format!("{} ({})", refusal.reason, refusal.rule)),
            );
        }
    }
}

fn value_ty(v: Value) -> &'static str {
    match v {
        Value::Int(_) => "a number",
        Value::Bool(_) => "true/false",
    }
}
