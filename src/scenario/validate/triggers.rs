//! Triggers: when each inject is delivered (exactly one of `at`, `when`, `manual`), then the trigger
//! graph as a whole: zero-delay cycles (errors) and injects nothing can ever trigger (warnings).

use std::collections::BTreeSet;

use super::Checker;
use super::Seg::{F, I};
use super::conditions::possible;
use crate::scenario::checked::{DecisionPlan, Kind, Trigger};
use crate::scenario::expr::{ExprKind, Query};
use crate::scenario::model::{Effect, Inject};
use crate::scenario::time::Minutes;

impl Checker<'_> {
    pub(super) fn trigger(&mut self, at: usize, inj: &Inject) -> Option<Trigger> {
        let base = [F("injects"), I(at)];
        let given = usize::from(inj.at.is_some())
            + usize::from(inj.when.is_some())
            + usize::from(inj.manual);
        if given != 1 {
            let msg = if given == 0 {
                format!("inject `{}` has no trigger", inj.id)
            } else {
                format!("inject `{}` has more than one trigger", inj.id)
            };
            self.error(self.span(&[F("injects"), I(at), F("id")]), msg, Some("give exactly one of `at: \"T+01:00\"`, `when: \"condition\"` or `manual: true`".into()));
            return None;
        }
        if inj.delay.is_some() && inj.when.is_none() {
            self.error(
                self.key_span(&base, "delay"),
                "`delay` only goes with `when`",
                Some("for a fixed time, put it in `at`".into()),
            );
        }
        if let Some(t) = &inj.at {
            return self
                .moment(&[F("injects"), I(at), F("at")], t)
                .map(Trigger::At);
        }
        if let Some(cond) = &inj.when {
            let condition = self.condition(&[F("injects"), I(at), F("when")], cond);
            let delay = match &inj.delay {
                Some(d) => self.duration_at(&[F("injects"), I(at), F("delay")], d),
                None => Some(0),
            };
            return Some(Trigger::When {
                condition: condition?,
                delay: delay?,
            });
        }
        Some(Trigger::Manual)
    }

    /// Zero-delay cycles: injects that fire each other in the same instant, or wait on each other's
    /// delivery forever. Edge `a → b`: `a` fires `b`, or `b` waits (with no delay) on `delivered(a)`.
    /// Variables are not edges: an inject is delivered once, so reading a flag that some inject sets
    /// (even itself) cannot loop.
    pub(super) fn cycles(&mut self, triggers: &[Option<Trigger>]) {
        let f = self.file;
        let n = f.injects.len();
        let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        for (a, inj) in f.injects.iter().enumerate() {
            for e in &inj.effects {
                if let Effect::Fire(b) = e
                    && let Some(&(Kind::Inject, b)) = self.index.get(b)
                {
                    edges[a].insert(b);
                }
            }
        }
        for (b, trigger) in triggers.iter().enumerate() {
            if let Some(Trigger::When {
                condition,
                delay: 0,
            }) = trigger
            {
                condition.walk(&mut |e| {
                    if let ExprKind::Query(Query::Delivered(a)) = &e.kind
                        && let Some(&(Kind::Inject, a)) = self.index.get(a)
                    {
                        edges[a].insert(b);
                    }
                });
            }
        }
        // Iterative DFS with colours; report each cycle once, at its first inject in file order.
        let mut colour = vec![0u8; n];
        let mut reported = BTreeSet::new();
        for root in 0..n {
            if colour[root] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, Vec<usize>)> =
                vec![(root, edges[root].iter().copied().collect())];
            colour[root] = 1;
            while let Some((node, pending)) = stack.last_mut() {
                let node = *node;
                if let Some(next) = pending.pop() {
                    match colour[next] {
                        0 => {
                            colour[next] = 1;
                            stack.push((next, edges[next].iter().copied().collect()));
                        }
                        1 => {
                            let from = stack.iter().position(|(s, _)| *s == next).unwrap_or(0);
                            let mut cycle: Vec<usize> =
                                stack[from..].iter().map(|(s, _)| *s).collect();
                            let first = cycle.iter().copied().min().unwrap_or(next);
                            let rot = cycle.iter().position(|c| *c == first).unwrap_or(0);
                            cycle.rotate_left(rot);
                            if reported.insert(cycle.clone()) {
                                let names: Vec<&str> = cycle
                                    .iter()
                                    .chain(std::iter::once(&first))
                                    .map(|i| f.injects[*i].id.as_str())
                                    .collect();
                                let span = self.span(&[
                                    F("injects"),
                                    I(self.parsed.origins.injects[first]),
                                    F("id"),
                                ]);
                                self.error(
                                    span,
                                    format!("zero-delay trigger cycle: {}", names.join(" → ")),
                                    Some("they fire each other in the same instant, or wait on each other's delivery so that none is ever delivered; make one of them timed or manual, or remove a `Fire`".into()),
                                );
                            }
                        }
                        _ => {}
                    }
                } else {
                    colour[node] = 2;
                    stack.pop();
                }
            }
        }
    }

    /// Injects nothing can ever trigger (warnings). A fixpoint over what can happen: timed and manual
    /// injects can; effects of what can happen can; a condition can become true unless it needs something
    /// that never happens (`delivered` of an unreachable inject, a decision never offered).
    pub(super) fn reachability(
        &mut self,
        triggers: &[Option<Trigger>],
        decisions: &[DecisionPlan],
    ) {
        let f = self.file;
        let n = f.injects.len();
        let mut reachable = vec![false; n];
        let mut fired = vec![false; n];
        loop {
            let mut changed = false;
            for i in 0..n {
                if reachable[i] {
                    continue;
                }
                let can = fired[i]
                    || match &triggers[i] {
                        Some(Trigger::At(_) | Trigger::Manual) | None => true,
                        Some(Trigger::When { condition, .. }) => {
                            possible(
                                condition,
                                &|id| {
                                    self.index
                                        .get(id)
                                        .filter(|(k, _)| *k == Kind::Inject)
                                        .is_some_and(|(_, j)| reachable[*j])
                                },
                                &|id| {
                                    self.index
                                        .get(id)
                                        .filter(|(k, _)| *k == Kind::Decision)
                                        .is_some_and(|(_, d)| {
                                            decisions
                                                .get(*d)
                                                .and_then(|p| p.offered_by)
                                                .is_some_and(|by| reachable[by])
                                        })
                                },
                                self.duration.unwrap_or(Minutes::MAX),
                            ) != Some(false)
                        }
                    };
                if can {
                    reachable[i] = true;
                    changed = true;
                    let inj = &f.injects[i];
                    let mut effects: Vec<&Effect> = inj.effects.iter().collect();
                    if let Some(d) = inj
                        .decision
                        .as_ref()
                        .and_then(|d| self.index.get(d))
                        .filter(|(k, _)| *k == Kind::Decision)
                    {
                        for o in &f.decisions[d.1].options {
                            effects.extend(o.effects.iter());
                        }
                    }
                    for e in effects {
                        if let Effect::Fire(t) | Effect::FireAfter(t, _) = e
                            && let Some(&(Kind::Inject, t)) = self.index.get(t)
                        {
                            fired[t] = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let unreachable: Vec<usize> = (0..n).filter(|i| !reachable[*i]).collect();
        for i in unreachable {
            {
                let at = self.parsed.origins.injects[i];
                self.warning(
                    self.span(&[F("injects"), I(at), F("when")]),
                    format!("inject `{}` can never be delivered", f.injects[i].id),
                    Some("its condition needs an inject that is never delivered, a decision that is never offered, or a time after the end; fix the condition or make it `manual: true`".into()),
                );
            }
        }
    }
}
