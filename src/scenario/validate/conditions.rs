//! Conditions: a condition string is parsed and type-checked against the scenario's names, with errors
//! placed inside the string; `possible` tells when a checked condition can never become true.

use std::ops::Range;

use super::Checker;
use super::Seg;
use crate::scenario::checked::Kind;
use crate::scenario::expr::{self, ArgKind, Expr, ExprKind, Query, Ty};
use crate::scenario::model::Value;
use crate::scenario::time::Minutes;

impl Checker<'_> {
    /// Parses and type-checks a condition string found at `path`, reporting errors inside the string.
    pub(super) fn condition(&mut self, path: &[Seg], text: &str) -> Option<Expr> {
        let literal = self.span(path);
        let inner = self.inner_offset(&literal, text);
        let place = |span: Range<usize>| match inner {
            Some(base) => base + span.start..base + span.end.max(span.start + 1),
            None => literal.clone(),
        };
        let parsed = match expr::parse(text) {
            Ok(e) => e,
            Err(e) => {
                self.error(
                    place(e.span),
                    format!("in condition: {}", e.message),
                    e.hint,
                );
                return None;
            }
        };
        let scope = ScopeView { checker: self };
        match expr::check(&parsed, &scope) {
            Ok(e) => Some(e),
            Err(errors) => {
                for e in errors {
                    self.error(
                        place(e.span),
                        format!("in condition: {}", e.message),
                        e.hint,
                    );
                }
                None
            }
        }
    }

    /// Where the condition text starts inside its string literal, when the literal holds it verbatim.
    fn inner_offset(&self, literal: &Range<usize>, content: &str) -> Option<usize> {
        let raw = self.text.get(literal.clone())?;
        let open = if raw.starts_with('"') {
            1
        } else {
            raw.find('"')
                .filter(|_| raw.starts_with('r'))
                .map(|i| i + 1)?
        };
        raw.get(open..open + content.len())
            .filter(|s| *s == content)
            .map(|_| literal.start + open)
    }
}

/// Three-valued check: `Some(false)` when the condition can never be true.
pub(super) fn possible(
    e: &Expr,
    delivered: &dyn Fn(&str) -> bool,
    offered: &dyn Fn(&str) -> bool,
    end: Minutes,
) -> Option<bool> {
    match &e.kind {
        ExprKind::Compare(op, a, b) if time_never_gets_there(*op, a, b, end) => Some(false),
        ExprKind::Query(Query::Delivered(i)) => {
            if delivered(i) {
                None
            } else {
                Some(false)
            }
        }
        ExprKind::Query(Query::Decided(d) | Query::Chose(d, _)) => {
            if offered(d) {
                None
            } else {
                Some(false)
            }
        }
        ExprKind::Literal(crate::scenario::expr::Val::Bool(b)) => Some(*b),
        ExprKind::And(a, b) => match (
            possible(a, delivered, offered, end),
            possible(b, delivered, offered, end),
        ) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            _ => None,
        },
        ExprKind::Or(a, b) => match (
            possible(a, delivered, offered, end),
            possible(b, delivered, offered, end),
        ) {
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `time >= 49h` in a 48-hour exercise: `time` never passes the end.
fn time_never_gets_there(op: expr::CmpOp, a: &Expr, b: &Expr, end: Minutes) -> bool {
    use crate::scenario::expr::{CmpOp, Fact, Val};
    let (op, limit) = match (&a.kind, &b.kind) {
        (ExprKind::Fact(Fact::Time), ExprKind::Literal(Val::Duration(c))) => (op, *c),
        // `6h <= time` reads as `time >= 6h`.
        (ExprKind::Literal(Val::Duration(c)), ExprKind::Fact(Fact::Time)) => (
            match op {
                CmpOp::Lt => CmpOp::Gt,
                CmpOp::Le => CmpOp::Ge,
                CmpOp::Gt => CmpOp::Lt,
                CmpOp::Ge => CmpOp::Le,
                other => other,
            },
            *c,
        ),
        _ => return false,
    };
    match op {
        CmpOp::Ge | CmpOp::Eq => limit > end,
        CmpOp::Gt => limit >= end,
        _ => false,
    }
}

struct ScopeView<'a, 'b> {
    checker: &'a Checker<'b>,
}

impl expr::Scope for ScopeView<'_, '_> {
    fn variable(&self, name: &str) -> Option<Ty> {
        match self.checker.index.get(name) {
            Some((Kind::Variable, i)) => Some(match self.checker.file.variables[*i].initial {
                Value::Int(_) => Ty::Int,
                Value::Bool(_) => Ty::Bool,
            }),
            _ if self.checker.parsed.broken_ids.contains(name) => Some(Ty::Bool),
            _ => None,
        }
    }

    fn exists(&self, kind: ArgKind, id: &str, parent: Option<&str>) -> bool {
        if self.checker.parsed.broken_ids.contains(id) {
            return true;
        }
        let want = match kind {
            ArgKind::Incident => Kind::Incident,
            ArgKind::Inject => Kind::Inject,
            ArgKind::Decision => Kind::Decision,
            ArgKind::Option => {
                return parent
                    .and_then(|p| self.checker.index.get(p))
                    .filter(|(k, _)| *k == Kind::Decision)
                    .is_none_or(|(_, d)| {
                        self.checker.file.decisions[*d]
                            .options
                            .iter()
                            .any(|o| o.id == id)
                    });
            }
        };
        self.checker.index.get(id).is_some_and(|(k, _)| *k == want)
    }

    fn names(&self, kind: ArgKind, parent: Option<&str>) -> Vec<String> {
        let want = match kind {
            ArgKind::Incident => Kind::Incident,
            ArgKind::Inject => Kind::Inject,
            ArgKind::Decision => Kind::Decision,
            ArgKind::Option => {
                return parent
                    .and_then(|p| self.checker.index.get(p))
                    .filter(|(k, _)| *k == Kind::Decision)
                    .map(|(_, d)| {
                        self.checker.file.decisions[*d]
                            .options
                            .iter()
                            .map(|o| o.id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
            }
        };
        self.checker
            .index
            .iter()
            .filter(|(_, (k, _))| *k == want)
            .map(|(n, _)| n.clone())
            .collect()
    }

    fn kind_of(&self, id: &str) -> Option<String> {
        self.checker.index.get(id).map(|(k, _)| k.a_noun())
    }

    fn variable_names(&self) -> Vec<String> {
        self.checker
            .file
            .variables
            .iter()
            .map(|v| v.id.clone())
            .collect()
    }
}
