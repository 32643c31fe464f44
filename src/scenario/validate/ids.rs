//! Ids: every id is well formed and unique across the whole file (one namespace), which fills the index
//! the later passes resolve references with; option ids are unique within their decision.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::Checker;
use super::Seg::{self, F, I};
use crate::scenario::checked::Kind;
use crate::scenario::{diagnostic, expr};

const ID_HINT: &str =
    "ids are lowercase letters, digits and `_`, starting with a letter, e.g. `de_csirt`";

impl Checker<'_> {
    pub(super) fn ids(&mut self) {
        let f = self.file;
        let o = &self.parsed.origins;
        let mut all: Vec<(Kind, usize, &str, Vec<Seg>)> = Vec::new();
        for (i, a) in f.actors.iter().enumerate() {
            all.push((
                Kind::Actor,
                i,
                &a.id,
                vec![F("actors"), I(o.actors[i]), F("id")],
            ));
        }
        for (i, v) in f.variables.iter().enumerate() {
            all.push((Kind::Variable, i, &v.id, vec![F("variables"), I(i)]));
        }
        for (i, ob) in f.objectives.iter().enumerate() {
            all.push((
                Kind::Objective,
                i,
                &ob.id,
                vec![F("objectives"), I(o.objectives[i]), F("id")],
            ));
            for (j, cr) in ob.criteria.iter().enumerate() {
                all.push((
                    Kind::Criterion,
                    i,
                    &cr.id,
                    vec![
                        F("objectives"),
                        I(o.objectives[i]),
                        F("criteria"),
                        I(j),
                        F("id"),
                    ],
                ));
            }
        }
        for (i, x) in f.incidents.iter().enumerate() {
            all.push((
                Kind::Incident,
                i,
                &x.id,
                vec![F("incidents"), I(o.incidents[i]), F("id")],
            ));
        }
        for (i, x) in f.injects.iter().enumerate() {
            all.push((
                Kind::Inject,
                i,
                &x.id,
                vec![F("injects"), I(o.injects[i]), F("id")],
            ));
        }
        for (i, x) in f.decisions.iter().enumerate() {
            all.push((
                Kind::Decision,
                i,
                &x.id,
                vec![F("decisions"), I(o.decisions[i]), F("id")],
            ));
        }
        let mut first_at: BTreeMap<&str, (Kind, Range<usize>)> = BTreeMap::new();
        for (kind, i, id, path) in all {
            let span = if kind == Kind::Variable {
                self.key_of_map_entry(&path)
            } else {
                self.span(&path)
            };
            if let Some(problem) = id_problem(id) {
                self.error(
                    span.clone(),
                    format!("`{id}` is not a valid {} id: {problem}", kind.noun()),
                    Some(ID_HINT.into()),
                );
            }
            if kind == Kind::Variable && expr::is_reserved(id) {
                self.error(
                    span.clone(),
                    format!("`{id}` is a built-in name of the condition language"),
                    Some("choose another variable name".into()),
                );
            }
            if let Some((other, at)) = first_at.get(id) {
                let line = diagnostic::line_col(self.text, at.start).line;
                self.error(
                    span,
                    format!(
                        "id `{id}` is already used by the {} on line {line}",
                        other.noun()
                    ),
                    Some("ids are unique across the whole scenario; rename one".into()),
                );
                continue;
            }
            first_at.insert(id, (kind, span));
            if kind != Kind::Criterion {
                self.index.insert(id.to_owned(), (kind, i));
            }
        }
        self.option_ids();
    }

    /// Option ids are valid and unique within their decision.
    fn option_ids(&mut self) {
        let f = self.file;
        let o = &self.parsed.origins;
        for (i, d) in f.decisions.iter().enumerate() {
            let mut seen = BTreeSet::new();
            for (j, opt) in d.options.iter().enumerate() {
                let span = self.span(&[
                    F("decisions"),
                    I(o.decisions[i]),
                    F("options"),
                    I(j),
                    F("id"),
                ]);
                if let Some(problem) = id_problem(&opt.id) {
                    self.error(
                        span.clone(),
                        format!("`{}` is not a valid option id: {problem}", opt.id),
                        Some(ID_HINT.into()),
                    );
                }
                if !seen.insert(opt.id.as_str()) {
                    self.error(
                        span,
                        format!("option `{}` appears twice in this decision", opt.id),
                        Some("rename one".into()),
                    );
                }
            }
        }
    }
}

fn id_problem(id: &str) -> Option<&'static str> {
    let mut chars = id.chars();
    match chars.next() {
        None => Some("it is empty"),
        Some(c) if !c.is_ascii_lowercase() => Some("it must start with a lowercase letter"),
        _ if !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') => {
            Some("only lowercase letters, digits and `_` are allowed")
        }
        _ => None,
    }
}
