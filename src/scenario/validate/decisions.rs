//! Decisions: offered by at most one inject, to a seat or with a default, a deadline only with a
//! default, at least two options, and their objectives and option effects.

use std::collections::BTreeMap;

use super::Checker;
use super::Seg::{F, I};
use crate::scenario::checked::{DecisionPlan, Kind};
use crate::scenario::model::Decision;
use crate::scenario::suggest;

impl<'a> Checker<'a> {
    /// Which inject offers each decision; a decision offered twice is an error.
    fn offers(&mut self) -> BTreeMap<&'a str, usize> {
        let f = self.file;
        let mut offered_by: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, inj) in f.injects.iter().enumerate() {
            if let Some(d) = &inj.decision {
                if let Some(first) = offered_by.get(d.as_str()) {
                    let span = self.span(&[
                        F("injects"),
                        I(self.parsed.origins.injects[i]),
                        F("decision"),
                    ]);
                    let other = &f.injects[*first].id;
                    self.error(
                        span,
                        format!("decision `{d}` is already offered by inject `{other}`"),
                        Some(
                            "a decision is offered once; copy it under a new id to ask again"
                                .into(),
                        ),
                    );
                } else {
                    offered_by.insert(d, i);
                }
            }
        }
        offered_by
    }

    /// The index of the decision's default option; an unknown default is an error.
    fn default_option(&mut self, at: usize, d: &Decision) -> Option<usize> {
        d.default.as_ref().and_then(|def| {
            let found = d.options.iter().position(|o| o.id == *def);
            if found.is_none() {
                let ids: Vec<&str> = d.options.iter().map(|o| o.id.as_str()).collect();
                let hint = suggest(def, ids.iter().copied()).map_or_else(
                    || format!("options: {}", ids.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
                self.error(
                    self.span(&[F("decisions"), I(at), F("default")]),
                    format!("`{def}` is not an option of this decision"),
                    Some(hint),
                );
            }
            found
        })
    }

    pub(super) fn decisions(&mut self) -> Vec<DecisionPlan> {
        let f = self.file;
        let offered_by = self.offers();
        let mut plans = Vec::new();
        for (i, d) in f.decisions.iter().enumerate() {
            let at = self.parsed.origins.decisions[i];
            let base = [F("decisions"), I(at)];
            let mut any_seat = false;
            for (j, by) in d.by.iter().enumerate() {
                if let Some(a) = self.resolve(
                    &[F("decisions"), I(at), F("by"), I(j)],
                    Kind::Actor,
                    by,
                    "decider",
                ) {
                    any_seat |= f.actors[a].seat;
                }
            }
            let default = self.default_option(at, d);
            if d.default.is_none() {
                if d.by.is_empty()
                    || (!any_seat && !d.by.iter().all(|b| self.parsed.broken_ids.contains(b)))
                {
                    self.error(
                        self.span(&[F("decisions"), I(at), F("id")]),
                        format!(
                            "decision `{}` is offered to nobody and has no default",
                            d.id
                        ),
                        Some("give it a `default` option, or list a seat in `by`".into()),
                    );
                } else if d.deadline.is_some() {
                    self.error(
                        self.key_span(&base, "deadline"),
                        "a deadline needs a default option to apply when it runs out",
                        Some("add `default: \"<option id>\"`".into()),
                    );
                }
            }
            let deadline = d
                .deadline
                .as_ref()
                .and_then(|t| self.duration_at(&[F("decisions"), I(at), F("deadline")], t));
            if d.options.is_empty() {
                self.error(
                    self.key_span(&base, "options"),
                    "the decision has no options",
                    None,
                );
            } else if d.options.len() == 1 {
                self.warning(
                    self.key_span(&base, "options"),
                    "the decision has only one option",
                    Some("a choice needs at least two options".into()),
                );
            }
            if d.prompt.trim().is_empty() {
                self.error(
                    self.span(&[F("decisions"), I(at), F("prompt")]),
                    "the prompt is empty",
                    None,
                );
            }
            for (j, o) in d.objectives.iter().enumerate() {
                self.resolve(
                    &[F("decisions"), I(at), F("objectives"), I(j)],
                    Kind::Objective,
                    o,
                    "objective",
                );
            }
            for (j, opt) in d.options.iter().enumerate() {
                for (k, effect) in opt.effects.iter().enumerate() {
                    self.effect(
                        &[
                            F("decisions"),
                            I(at),
                            F("options"),
                            I(j),
                            F("effects"),
                            I(k),
                        ],
                        effect,
                    );
                }
            }
            let offered = offered_by.get(d.id.as_str()).copied();
            // An inject that failed to parse may be the one offering it.
            if offered.is_none() && self.parsed.broken_ids.is_empty() {
                self.warning(
                    self.span(&[F("decisions"), I(at), F("id")]),
                    format!("decision `{}` is never offered", d.id),
                    Some(format!(
                        "attach it to an inject with `decision: \"{}\"`",
                        d.id
                    )),
                );
            }
            plans.push(DecisionPlan {
                deadline,
                default,
                offered_by: offered,
            });
        }
        plans
    }
}
