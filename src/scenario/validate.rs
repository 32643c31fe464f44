//! Semantic checks of a parsed scenario: ids, references, countries, times, conditions, decision rules,
//! trigger cycles and reachability. Produces the checked [`Scenario`] the engine plays.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use chrono::{DateTime, FixedOffset};

use super::diagnostic::Diagnostic;
use super::expr::{self, ArgKind, Expr, ExprKind, Query, Ty};
use super::model::{Anchor, Effect, Inject, ScenarioFile, Value};
use super::parse::Parsed;
use super::spans::Node;
use super::time::{Minutes, parse_duration, parse_moment, parse_start};
use super::{Origin, bundled, suggest};
use crate::domain::ActorKind;

/// The 27 Member States, ISO 3166-1 alpha-2 (Greece is `GR` in ISO; the EU's own `EL` is hinted).
pub const MEMBER_STATES: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// When an inject is delivered.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    At(Minutes),
    When { condition: Expr, delay: Minutes },
    Manual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncidentPlan {
    pub start: Minutes,
    pub detected: Minutes,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionPlan {
    pub deadline: Option<Minutes>,
    /// Index into the decision's options.
    pub default: Option<usize>,
    /// The inject that offers it.
    pub offered_by: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CriterionPlan {
    pub objective: usize,
    pub criterion: usize,
    pub condition: Expr,
    pub within: Option<Minutes>,
}

/// A scenario that passed every check: all references resolve, all times are inside the exercise and
/// all conditions are well typed. Plans are parallel to the file's lists (`triggers[i]` is `injects[i]`).
#[derive(Debug, Clone)]
pub struct Scenario {
    pub file: ScenarioFile,
    pub start: DateTime<FixedOffset>,
    pub duration: Minutes,
    pub triggers: Vec<Trigger>,
    pub incidents: Vec<IncidentPlan>,
    pub decisions: Vec<DecisionPlan>,
    pub criteria: Vec<CriterionPlan>,
    index: BTreeMap<String, (Kind, usize)>,
}

impl Scenario {
    fn lookup(&self, kind: Kind, id: &str) -> Option<usize> {
        self.index
            .get(id)
            .filter(|(k, _)| *k == kind)
            .map(|(_, i)| *i)
    }
    #[must_use]
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.lookup(Kind::Actor, id)
    }
    #[must_use]
    pub fn incident_index(&self, id: &str) -> Option<usize> {
        self.lookup(Kind::Incident, id)
    }
    #[must_use]
    pub fn inject_index(&self, id: &str) -> Option<usize> {
        self.lookup(Kind::Inject, id)
    }
    #[must_use]
    pub fn decision_index(&self, id: &str) -> Option<usize> {
        self.lookup(Kind::Decision, id)
    }
    #[must_use]
    pub fn objective_index(&self, id: &str) -> Option<usize> {
        self.lookup(Kind::Objective, id)
    }
    /// Seats: actors a participant plays.
    pub fn seats(&self) -> impl Iterator<Item = &super::model::Actor> {
        self.file.actors.iter().filter(|a| a.seat)
    }

    /// Whether `id` is an actor a participant plays.
    #[must_use]
    pub fn is_seat(&self, id: &str) -> bool {
        self.actor_index(id)
            .is_some_and(|i| self.file.actors[i].seat)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Actor,
    Variable,
    Objective,
    Criterion,
    Incident,
    Inject,
    Decision,
}

impl Kind {
    /// The noun with its article: "an inject", "a decision".
    fn a_noun(self) -> String {
        let noun = self.noun();
        let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {noun}")
    }

    fn noun(self) -> &'static str {
        match self {
            Self::Actor => "actor",
            Self::Variable => "variable",
            Self::Objective => "objective",
            Self::Criterion => "criterion",
            Self::Incident => "incident",
            Self::Inject => "inject",
            Self::Decision => "decision",
        }
    }
}

/// A step of a path into the text.
#[derive(Clone, Copy)]
enum Seg<'a> {
    F(&'a str),
    I(usize),
}
use Seg::{F, I};

struct Checker<'a> {
    text: &'a str,
    tree: &'a Node,
    file: &'a ScenarioFile,
    parsed: &'a Parsed,
    origin: &'a Origin,
    diags: &'a mut Vec<Diagnostic>,
    index: BTreeMap<String, (Kind, usize)>,
    start: Option<DateTime<FixedOffset>>,
    duration: Option<Minutes>,
}

pub(super) fn validate(
    text: &str,
    parsed: &Parsed,
    origin: &Origin,
    diags: &mut Vec<Diagnostic>,
) -> Option<Scenario> {
    let mut c = Checker {
        text,
        tree: &parsed.tree,
        file: &parsed.file,
        parsed,
        origin,
        diags,
        index: BTreeMap::new(),
        start: None,
        duration: None,
    };
    c.root();
    c.ids();
    c.actors();
    let incidents = c.incidents();
    let triggers = c.injects();
    let decisions = c.decisions();
    let criteria = c.objectives();
    c.cycles(&triggers);
    // With elements that failed to parse, "never delivered" would only echo those errors.
    if parsed.broken_ids.is_empty() {
        c.reachability(&triggers, &decisions);
    }
    let (start, duration, index) = (c.start?, c.duration?, c.index);
    Some(Scenario {
        file: parsed.file.clone(),
        start,
        duration,
        triggers: triggers.into_iter().collect::<Option<Vec<_>>>()?,
        incidents: incidents.into_iter().collect::<Option<Vec<_>>>()?,
        decisions,
        criteria,
        index,
    })
}

impl<'a> Checker<'a> {
    // ----- locating -------------------------------------------------------------------------------

    /// The span of the deepest node along `path` that exists.
    fn span(&self, path: &[Seg]) -> Range<usize> {
        let mut node = self.tree;
        let mut span = node
            .name_span()
            .unwrap_or(node.span.start..node.span.start + 1);
        for seg in path {
            let next = match seg {
                F(name) => node.field(name),
                I(i) => node.index(*i),
            };
            match next {
                Some(n) => {
                    node = n;
                    span = n.span.clone();
                }
                None => break,
            }
        }
        span
    }

    /// The span of a field's key (`to` in `to: [...]`), or the deepest node found.
    fn key_span(&self, path: &[Seg], field: &str) -> Range<usize> {
        let mut node = self.tree;
        for seg in path {
            let next = match seg {
                F(name) => node.field(name),
                I(i) => node.index(*i),
            };
            match next {
                Some(n) => node = n,
                None => return self.span(path),
            }
        }
        node.entry(field)
            .and_then(|e| e.key.as_ref().map(|k| k.span.clone()))
            .unwrap_or_else(|| {
                node.name_span()
                    .unwrap_or(node.span.start..node.span.start + 1)
            })
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>, hint: Option<String>) {
        let mut d = Diagnostic::error(span, message);
        d.hint = hint;
        self.diags.push(d);
    }

    fn warning(&mut self, span: Range<usize>, message: impl Into<String>, hint: Option<String>) {
        let mut d = Diagnostic::warning(span, message);
        d.hint = hint;
        self.diags.push(d);
    }

    // ----- root -----------------------------------------------------------------------------------

    fn root(&mut self) {
        let f = self.file;
        if self.parsed.present.contains("id") && f.id.trim().is_empty() {
            self.error(
                self.span(&[F("id")]),
                "the scenario id is empty",
                Some("e.g. `id: \"hospital-ransomware\"`".into()),
            );
        }
        if self.parsed.present.contains("title") && f.title.trim().is_empty() {
            self.error(self.span(&[F("title")]), "the title is empty", None);
        }
        let lang_ok = {
            let (primary, region) = f.language.split_once('-').unwrap_or((&f.language, ""));
            primary.len() == 2
                && primary.bytes().all(|b| b.is_ascii_lowercase())
                && (region.is_empty()
                    || (region.len() == 2 && region.bytes().all(|b| b.is_ascii_uppercase())))
        };
        if !lang_ok {
            self.error(
                self.span(&[F("language")]),
                format!("`{}` is not a language code", f.language),
                Some("use an ISO 639-1 code such as \"en\", \"fr\", \"el\" or \"bg\"".into()),
            );
        }
        if self.parsed.present.contains("start") {
            match parse_start(&f.start) {
                Ok(start) => self.start = Some(start),
                Err(e) => self.error(
                    self.span(&[F("start")]),
                    format!("bad start: {e}"),
                    Some(
                        "write e.g. \"2026-03-10T08:00:00+01:00\" (date, T, time, UTC offset)"
                            .into(),
                    ),
                ),
            }
        }
        if self.parsed.present.contains("duration") {
            match parse_duration(&f.duration) {
                Ok(0) => self.error(
                    self.span(&[F("duration")]),
                    "the exercise lasts no time",
                    Some("e.g. `duration: \"48h\"`".into()),
                ),
                Ok(d) => self.duration = Some(d),
                Err(e) => self.error(
                    self.span(&[F("duration")]),
                    format!("bad duration: {e}"),
                    Some(DURATION_HINT.into()),
                ),
            }
        }
        if self.parsed.present.contains("member_states") && f.member_states.is_empty() {
            self.error(
                self.span(&[F("member_states")]),
                "no participating Member State",
                Some("list them, e.g. `[\"DE\", \"FR\"]`".into()),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, code) in f.member_states.iter().enumerate() {
            let span = self.span(&[F("member_states"), I(i)]);
            if let Some(hint) = country_problem(code) {
                self.error(
                    span,
                    format!("`{code}` is not an EU Member State code"),
                    Some(hint),
                );
            } else if !seen.insert(code.as_str()) {
                self.error(
                    span,
                    format!("`{code}` is listed twice"),
                    Some("remove the second one".into()),
                );
            }
        }
        if self.parsed.present.contains("presidency") {
            let span = self.span(&[F("presidency")]);
            if let Some(hint) = country_problem(&f.presidency) {
                self.error(
                    span,
                    format!("`{}` is not an EU Member State code", f.presidency),
                    Some(hint),
                );
            } else if !f.member_states.contains(&f.presidency) {
                self.error(
                    span,
                    format!("the Presidency `{}` is not among the participating Member States", f.presidency),
                    Some(format!("add \"{}\" to `member_states`: the Presidency chairs EU-CyCLONe and controls IPCR", f.presidency)),
                );
            }
        }
    }

    // ----- ids --------------------------------------------------------------------------------------

    fn ids(&mut self) {
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
                let line = super::diagnostic::line_col(self.text, at.start).line;
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

    fn key_of_map_entry(&self, path: &[Seg]) -> Range<usize> {
        if let [F(section), I(i)] = path
            && let Some(key) = self
                .tree
                .field(section)
                .and_then(|n| n.entries().get(*i))
                .and_then(|e| e.key.as_ref())
        {
            return key.span.clone();
        }
        self.span(path)
    }

    /// Reports an unknown reference unless the target failed to parse (already reported).
    fn unknown(&mut self, span: Range<usize>, kind: Kind, id: &str, what: &str) {
        if self.parsed.broken_ids.contains(id) {
            return;
        }
        let candidates: Vec<&str> = self
            .index
            .iter()
            .filter(|(_, (k, _))| *k == kind)
            .map(|(n, _)| n.as_str())
            .collect();
        let hint = match suggest(id, candidates.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if candidates.is_empty() => format!("no {} is declared", kind.noun()),
            None => format!("known {}s: {}", kind.noun(), shorten(&candidates)),
        };
        self.error(span, format!("unknown {what} `{id}`"), Some(hint));
    }

    fn resolve(&mut self, path: &[Seg], kind: Kind, id: &str, what: &str) -> Option<usize> {
        match self.index.get(id) {
            Some((k, i)) if *k == kind => Some(*i),
            Some((k, _)) => {
                let k = *k;
                self.error(
                    self.span(path),
                    format!("`{id}` is {}, not {}", k.a_noun(), kind.a_noun()),
                    None,
                );
                None
            }
            None => {
                self.unknown(self.span(path), kind, id, what);
                None
            }
        }
    }

    // ----- actors -----------------------------------------------------------------------------------

    fn actors(&mut self) {
        let f = self.file;
        let mut presidency_actors = 0;
        for (i, a) in f.actors.iter().enumerate() {
            let at = self.parsed.origins.actors[i];
            let path = [F("actors"), I(at)];
            match (&a.country, a.kind) {
                (Some(code), kind) => {
                    let span = self.span(&[F("actors"), I(at), F("country")]);
                    if kind.is_union_body() {
                        self.error(
                            span,
                            format!("{} is an EU body and has no country", kind.label()),
                            Some("remove `country`".into()),
                        );
                    } else if let Some(hint) = country_problem(code) {
                        self.error(
                            span,
                            format!("`{code}` is not an EU Member State code"),
                            Some(hint),
                        );
                    } else if !f.member_states.contains(code) {
                        self.error(
                            span,
                            format!("`{code}` is not a participating Member State"),
                            Some(format!(
                                "add \"{code}\" to `member_states`, or pick one of: {}",
                                f.member_states.join(", ")
                            )),
                        );
                    } else if kind == ActorKind::Presidency && *code != f.presidency {
                        self.error(
                            span,
                            format!("the Presidency is held by `{}`, not `{code}`", f.presidency),
                            Some(format!(
                                "write `country: \"{}\"` or leave it out",
                                f.presidency
                            )),
                        );
                    }
                }
                (None, kind) if kind.is_national() && kind != ActorKind::Presidency => {
                    self.error(
                        self.key_span(&path, "kind"),
                        format!("a {} needs a `country`", kind.label()),
                        Some(format!(
                            "add e.g. `country: \"{}\"`",
                            f.member_states.first().map_or("DE", String::as_str)
                        )),
                    );
                }
                _ => {}
            }
            if a.kind == ActorKind::Presidency {
                presidency_actors += 1;
                if presidency_actors == 2 {
                    self.error(
                        self.span(&[F("actors"), I(at), F("kind")]),
                        "more than one Presidency actor",
                        Some("one Member State holds the Presidency".into()),
                    );
                }
            }
            if a.name.trim().is_empty() {
                self.error(
                    self.span(&[F("actors"), I(at), F("name")]),
                    "the actor's name is empty",
                    None,
                );
            }
        }
        if self.parsed.present.contains("actors")
            && f.actors.is_empty()
            && self.parsed.broken_ids.is_empty()
        {
            self.warning(
                self.span(&[F("actors")]),
                "the scenario has no actors",
                Some("declare the seats participants play and the entities incidents hit".into()),
            );
        }
        if self.parsed.present.contains("injects")
            && f.injects.is_empty()
            && self.parsed.broken_ids.is_empty()
        {
            self.warning(
                self.span(&[F("injects")]),
                "the scenario has no injects, so nothing reaches the seats",
                Some("the MSEL is the list of injects; add at least one".into()),
            );
        }
        if !f.actors.is_empty()
            && !f.actors.iter().any(|a| a.seat)
            && self.parsed.broken_ids.is_empty()
        {
            self.warning(
                self.key_span(&[], "actors"),
                "no actor is a seat, so nobody plays this exercise",
                Some("mark the roles participants play with `seat: true`".into()),
            );
        }
    }

    fn entity(&mut self, path: &[Seg], id: &str) {
        if let Some(i) = self.resolve(path, Kind::Actor, id, "entity") {
            let kind = self.file.actors[i].kind;
            if !kind.is_nis2_entity() {
                self.error(
                    self.span(path),
                    format!("`{id}` is a {}, not an essential or important entity", kind.label()),
                    Some("incidents hit entities: actors of kind Essential(Sector) or Important(Sector)".into()),
                );
            }
        }
    }

    // ----- times ------------------------------------------------------------------------------------

    /// A moment inside the exercise, or an error at `path`.
    fn moment(&mut self, path: &[Seg], text: &str) -> Option<Minutes> {
        match parse_moment(text, self.start) {
            Ok(m) if m < 0 => {
                self.error(
                    self.span(path),
                    format!("`{text}` is before the exercise starts"),
                    Some("times count from T+00:00".into()),
                );
                None
            }
            Ok(m) => {
                let m = Minutes::try_from(m).unwrap_or(Minutes::MAX);
                if let Some(d) = self.duration
                    && m > d
                {
                    self.error(
                        self.span(path),
                        format!(
                            "`{text}` is after the exercise ends ({})",
                            super::time::format_offset(d)
                        ),
                        Some("move it earlier or lengthen `duration`".into()),
                    );
                    return None;
                }
                Some(m)
            }
            // The invalid start was reported once; don't repeat it at every date-time.
            Err(e) if e == super::time::NO_START => None,
            Err(e) => {
                self.error(
                    self.span(path),
                    format!("bad time: {e}"),
                    Some(MOMENT_HINT.into()),
                );
                None
            }
        }
    }

    fn duration_at(&mut self, path: &[Seg], text: &str) -> Option<Minutes> {
        match parse_duration(text) {
            Ok(m) => Some(m),
            Err(e) => {
                self.error(
                    self.span(path),
                    format!("bad duration: {e}"),
                    Some(DURATION_HINT.into()),
                );
                None
            }
        }
    }

    // ----- incidents --------------------------------------------------------------------------------

    fn incidents(&mut self) -> Vec<Option<IncidentPlan>> {
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
    fn dynamics(&mut self, at: usize, d: &super::model::Dynamics) {
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

    // ----- conditions -------------------------------------------------------------------------------

    /// Parses and type-checks a condition string found at `path`, reporting errors inside the string.
    fn condition(&mut self, path: &[Seg], text: &str) -> Option<Expr> {
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

    // ----- injects ------------------------------------------------------------------------------------

    fn injects(&mut self) -> Vec<Option<Trigger>> {
        let f = self.file;
        let mut triggers = Vec::new();
        for (i, inj) in f.injects.iter().enumerate() {
            let at = self.parsed.origins.injects[i];
            let base = [F("injects"), I(at)];
            let trigger = self.trigger(at, inj);
            triggers.push(trigger);
            self.resolve(
                &[F("injects"), I(at), F("from")],
                Kind::Actor,
                &inj.from,
                "sender",
            );
            if inj.to.is_empty() {
                self.error(
                    self.key_span(&base, "to"),
                    "the inject has no recipient",
                    Some("list the seats it reaches in `to`".into()),
                );
            }
            let mut seen = BTreeSet::new();
            for (j, to) in inj.to.iter().enumerate() {
                let path = [F("injects"), I(at), F("to"), I(j)];
                if !seen.insert(to.as_str()) {
                    self.warning(self.span(&path), format!("`{to}` is listed twice"), None);
                }
                self.seat(&path, to, "recipient");
            }
            if inj.subject.trim().is_empty() {
                self.error(
                    self.span(&[F("injects"), I(at), F("subject")]),
                    "the subject is empty",
                    Some("recipients see it in their inbox".into()),
                );
            }
            for (j, a) in inj.attachments.iter().enumerate() {
                if !attachment_exists(self.origin, a) {
                    self.error(
                        self.span(&[F("injects"), I(at), F("attachments"), I(j)]),
                        format!("attachment `{a}` is not in `assets/`"),
                        Some("put the file in the `assets` folder next to `scenarios`, and name it relative to `assets`".into()),
                    );
                }
            }
            for (j, o) in inj.objectives.iter().enumerate() {
                self.resolve(
                    &[F("injects"), I(at), F("objectives"), I(j)],
                    Kind::Objective,
                    o,
                    "objective",
                );
            }
            if let Some(d) = &inj.decision {
                self.resolve(
                    &[F("injects"), I(at), F("decision")],
                    Kind::Decision,
                    d,
                    "decision",
                );
            }
            for (j, effect) in inj.effects.iter().enumerate() {
                self.effect(&[F("injects"), I(at), F("effects"), I(j)], effect);
            }
        }
        triggers
    }

    fn seat(&mut self, path: &[Seg], id: &str, what: &str) {
        if let Some(a) = self.resolve(path, Kind::Actor, id, what)
            && !self.file.actors[a].seat
        {
            self.error(
                self.span(path),
                format!("`{id}` is simulated, not a seat"),
                Some(format!(
                    "injects reach seats; add `seat: true` to actor `{id}`"
                )),
            );
        }
    }

    fn trigger(&mut self, at: usize, inj: &Inject) -> Option<Trigger> {
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

    fn effect(&mut self, path: &[Seg], effect: &Effect) {
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
                    action.label()
                ),
                Some(format!("{} ({})", refusal.reason, refusal.rule)),
            );
        }
    }

    // ----- decisions ----------------------------------------------------------------------------------

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
    fn default_option(&mut self, at: usize, d: &super::model::Decision) -> Option<usize> {
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

    fn decisions(&mut self) -> Vec<DecisionPlan> {
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

    // ----- objectives ---------------------------------------------------------------------------------

    fn objectives(&mut self) -> Vec<CriterionPlan> {
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

    // ----- trigger graph --------------------------------------------------------------------------------

    /// Zero-delay cycles: injects that fire each other in the same instant, or wait on each other's
    /// delivery forever. Edge `a → b`: `a` fires `b`, or `b` waits (with no delay) on `delivered(a)`.
    /// Variables are not edges: an inject is delivered once, so reading a flag that some inject sets
    /// (even itself) cannot loop.
    fn cycles(&mut self, triggers: &[Option<Trigger>]) {
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
    fn reachability(&mut self, triggers: &[Option<Trigger>], decisions: &[DecisionPlan]) {
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

/// Three-valued check: `Some(false)` when the condition can never be true.
fn possible(
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

const ID_HINT: &str =
    "ids are lowercase letters, digits and `_`, starting with a letter, e.g. `de_csirt`";
const DURATION_HINT: &str = "durations look like \"30m\", \"6h\", \"2d\" or \"1h30m\"";
const MOMENT_HINT: &str = "write \"T+01:30\" (hours:minutes since the start), a duration like \"90m\", or a date-time inside the exercise";

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

fn country_problem(code: &str) -> Option<String> {
    if MEMBER_STATES.contains(&code) {
        return None;
    }
    Some(match code.to_uppercase().as_str() {
        "EL" => "Greece is \"GR\" in ISO 3166-1 (the EU's own abbreviation is EL)".into(),
        "UK" | "GB" => "the United Kingdom is not an EU Member State".into(),
        _ => {
            let upper = code.to_uppercase();
            if MEMBER_STATES.contains(&upper.as_str()) {
                format!("write it in capitals: \"{upper}\"")
            } else {
                format!("Member States are: {}", MEMBER_STATES.join(", "))
            }
        }
    })
}

/// Objectives named by `Evaluate` effects.
fn evaluated_objectives(effects: &[Effect]) -> impl Iterator<Item = &str> {
    effects.iter().filter_map(|e| match e {
        Effect::Evaluate(o, _) => Some(o.as_str()),
        _ => None,
    })
}

fn value_ty(v: Value) -> &'static str {
    match v {
        Value::Int(_) => "a number",
        Value::Bool(_) => "true/false",
    }
}

fn shorten(names: &[&str]) -> String {
    if names.len() <= 8 {
        names.join(", ")
    } else {
        format!("{}, ... ({} in all)", names[..8].join(", "), names.len())
    }
}

fn attachment_exists(origin: &Origin, name: &str) -> bool {
    if name.contains("..") || name.starts_with('/') {
        return false;
    }
    if bundled::asset(name).is_some() {
        return true;
    }
    origin.dir.as_ref().is_some_and(|dir| {
        dir.join("assets").join(name).is_file()
            || dir.join("..").join("assets").join(name).is_file()
    })
}
