//! The checked [`Scenario`] the engine plays: the file with every time in minutes, every condition typed
//! and every reference resolved, and the id index behind `actor_index`, `inject_index` and the others.
//! Only `validate` builds one, so holding a `Scenario` means the file passed every check.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use super::expr::Expr;
use super::model::ScenarioFile;
use super::time::Minutes;

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
    /// The pace of the Council track (`council:`, defaults filled in).
    pub council: crate::doctrine::CouncilTimes,
    pub(super) index: BTreeMap<String, (Kind, usize)>,
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

/// What an id names. Ids share one namespace per file, so the index keeps the kind beside the position
/// and a lookup of the wrong kind finds nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
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
    pub(super) fn a_noun(self) -> String {
        let noun = self.noun();
        let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {noun}")
    }

    pub(super) fn noun(self) -> &'static str {
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
