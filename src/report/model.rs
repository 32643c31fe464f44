//! The after-action report's data: everything it says, ready for a renderer. `build` derives it from a
//! journal; the words its labels print are in `prose`.

use chrono::{DateTime, Duration, FixedOffset};

use crate::domain::{BlueprintLevel, Mechanism, Severity, Tlp};
use crate::scenario::time::Minutes;
use crate::sim::Rating;

pub use crate::sim::trend::TrendPoint;

/// Everything an after-action report says, ready to render.
#[derive(Debug, Clone)]
pub struct Report {
    pub overview: Overview,
    pub objectives: Vec<ObjectiveAnalysis>,
    /// Observations tied to no objective, with the strengths and areas for improvement among them.
    pub general: General,
    pub trend: Vec<TrendPoint>,
    pub timeline: Vec<TimelineEntry>,
    pub decisions: Vec<DecisionRecord>,
    /// When an incident first affected a second Member State: time-to-activation counts from here.
    pub first_cross_border: Option<Minutes>,
    pub mechanisms: Vec<LevelActivity>,
    pub nis2: Vec<Nis2Record>,
    pub improvement_plan: Vec<ImprovementItem>,
}

/// The exercise overview: scenario, dates, participants, what happened in figures.
#[derive(Debug, Clone)]
pub struct Overview {
    pub title: String,
    pub scenario_id: String,
    pub version: String,
    pub authors: Vec<String>,
    pub language: String,
    /// Classification of the exercise package, carried on the report.
    pub tlp: Tlp,
    /// The planner's Markdown briefing.
    pub briefing: String,
    pub start: DateTime<FixedOffset>,
    pub duration: Minutes,
    /// The last simulated minute in the journal: the end, or where it stops if the exercise is unfinished.
    pub end: Minutes,
    pub ended: bool,
    pub member_states: Vec<String>,
    pub presidency: String,
    pub seed: u64,
    pub scenario_sha256: String,
    pub commands: usize,
    pub events: usize,
    pub seats: Vec<Seat>,
    pub incidents: Vec<IncidentSummary>,
    pub figures: KeyFigures,
}

#[derive(Debug, Clone)]
pub struct Seat {
    pub id: String,
    /// The organisation the seat stands for (the actor's name).
    pub organisation: String,
    pub role: String,
    pub country: Option<String>,
    /// Who played it, from the journal header.
    pub player: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IncidentSummary {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub started: Option<Minutes>,
    pub detected: Option<Minutes>,
    /// The worst severity it reached once started.
    pub peak: Option<Severity>,
    pub countries: Vec<String>,
    pub outcome: &'static str,
}

/// The exercise in a few numbers.
#[derive(Debug, Clone, Default)]
pub struct KeyFigures {
    pub criteria_met: usize,
    pub criteria_failed: usize,
    pub criteria_total: usize,
    pub decisions_taken: usize,
    pub decisions_defaulted: usize,
    pub decisions_unanswered: usize,
    pub nis2_met: usize,
    pub nis2_missed: usize,
    pub nis2_open: usize,
    pub worst_severity: Option<Severity>,
    pub countries_affected: Vec<String>,
    pub mechanisms_activated: usize,
    pub requests_refused: usize,
    pub overrides: usize,
    pub observations: usize,
}

#[derive(Debug, Clone)]
pub struct ObjectiveAnalysis {
    pub id: String,
    pub title: String,
    pub description: String,
    pub critical_tasks: Vec<String>,
    pub criteria: Vec<CriterionResult>,
    /// Observations recorded against this objective, in time order (rated or not).
    pub observations: Vec<Observation>,
    /// Notes the scenario itself records on this objective as the exercise unfolds.
    pub evaluations: Vec<Note>,
    pub strengths: Vec<Finding>,
    pub improvements: Vec<Finding>,
}

impl ObjectiveAnalysis {
    /// How many observations carry each rating, P to U.
    #[must_use]
    pub fn rating_counts(&self) -> [(Rating, usize); 4] {
        rating_counts(&self.observations)
    }
}

/// Observations tied to no objective.
#[derive(Debug, Clone, Default)]
pub struct General {
    pub observations: Vec<Observation>,
    pub strengths: Vec<Finding>,
    pub improvements: Vec<Finding>,
}

fn rating_counts(observations: &[Observation]) -> [(Rating, usize); 4] {
    [Rating::P, Rating::S, Rating::M, Rating::U].map(|r| {
        (
            r,
            observations.iter().filter(|o| o.rating == Some(r)).count(),
        )
    })
}

#[derive(Debug, Clone)]
pub struct CriterionResult {
    pub id: String,
    pub text: String,
    /// The window in words: "within 1h of detection of `ransom_water`", "any time before the end".
    pub window: String,
    pub outcome: CriterionOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriterionOutcome {
    Met(Minutes),
    Failed(Minutes),
    /// Still open where the journal stops (an unfinished exercise).
    Open,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub at: Minutes,
    pub text: String,
    pub objective: Option<String>,
    pub rating: Option<Rating>,
}

#[derive(Debug, Clone)]
pub struct Note {
    pub at: Minutes,
    pub text: String,
}

/// A strength or an area for improvement, and what it rests on.
#[derive(Debug, Clone)]
pub struct Finding {
    pub text: String,
    pub basis: Basis,
}

#[derive(Debug, Clone)]
pub enum Basis {
    Criterion {
        id: String,
        outcome: CriterionOutcome,
    },
    Observation {
        at: Minutes,
        rating: Rating,
    },
}

/// One row of the improvement plan. Corrective action and dates are left for the organisations to fill.
#[derive(Debug, Clone)]
pub struct ImprovementItem {
    /// The objective's title, or `None` for a general observation.
    pub objective: Option<String>,
    pub issue: String,
    pub basis: String,
    /// Organisations suggested as responsible: the seats that decide or receive what the finding is about.
    pub responsible: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Exercise,
    Incident,
    Mechanism,
    Decision,
    Nis2,
    Criterion,
    Facilitator,
    Rules,
}

impl Category {
    /// A lowercase word for CSS classes.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Category::Exercise => "exercise",
            Category::Incident => "incident",
            Category::Mechanism => "mechanism",
            Category::Decision => "decision",
            Category::Nis2 => "nis2",
            Category::Criterion => "criterion",
            Category::Facilitator => "facilitator",
            Category::Rules => "rules",
        }
    }
}

#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub at: Minutes,
    pub category: Category,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct DecisionRecord {
    pub id: String,
    pub prompt: String,
    /// The deciding seat's organisation (for a default: the seats it was offered to).
    pub seat: String,
    pub player: Option<String>,
    pub option: Option<String>,
    pub rationale: String,
    pub offered_at: Minutes,
    pub deadline: Option<Minutes>,
    /// When it was taken, defaulted or withdrawn.
    pub at: Option<Minutes>,
    pub resolution: Resolution,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Taken by the seat before its deadline (or with no deadline).
    OnTime,
    /// Taken after the deadline had passed.
    Late,
    /// The facilitator decided for the seat.
    ByFacilitator,
    /// The default applied: the deadline ran out, or nobody plays a deciding seat.
    Defaulted {
        nobody_seated: bool,
    },
    Withdrawn {
        reason: String,
    },
    /// Still pending where the journal stops.
    Unanswered,
}

impl Resolution {
    /// Whether the seat answered in time: on time, or for the facilitator's.
    #[must_use]
    pub fn is_good(&self) -> bool {
        matches!(self, Resolution::OnTime)
    }
}

#[derive(Debug, Clone)]
pub struct LevelActivity {
    pub level: BlueprintLevel,
    pub changes: Vec<MechanismChange>,
    /// Mechanisms of this level that never moved.
    pub not_activated: Vec<Mechanism>,
}

#[derive(Debug, Clone)]
pub struct MechanismChange {
    pub mechanism: Mechanism,
    pub at: Minutes,
    pub state: String,
    /// Who moved it (an organisation), or "automatic (rule)".
    pub by: String,
    /// The first change of this mechanism: its activation.
    pub first: bool,
    /// Minutes from the first cross-border impact (negative: before it); `None` without such an impact.
    pub since_cross_border: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Nis2Record {
    pub entity: String,
    pub country: Option<String>,
    pub incident: String,
    pub report: String,
    pub due: Minutes,
    pub status: Nis2Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nis2Status {
    Met(Minutes),
    /// Missed; the engine noticed at this minute.
    Missed(Option<Minutes>),
    /// Not yet due where the journal stops (a final report is due a month after the notification).
    Open,
}

impl Report {
    /// The simulated date-time of a minute.
    #[must_use]
    pub fn instant(&self, at: Minutes) -> DateTime<FixedOffset> {
        self.overview.start + Duration::minutes(i64::from(at))
    }

    /// The objective title for an id (or the id).
    #[must_use]
    pub fn objective_title(&self, id: &str) -> String {
        self.objectives
            .iter()
            .find(|o| o.id == id)
            .map_or_else(|| id.to_owned(), |o| o.title.clone())
    }
}
