//! The after-action report and improvement plan (HSEEP AAR/IP) of one exercise, built from its journal.
//!
//! [`Report::from_journal`] replays the journal first, so a report never describes an exercise that its
//! journal does not reproduce; it then gathers from the event stream and the final view everything the
//! renderers need. `html` writes one self-contained, printable file (charts as inline SVG from `svg`);
//! `markdown` writes GitHub-flavoured Markdown that common forges render. Neither needs the network.
//!
//! Derived judgements follow HSEEP: a facilitator's P or S rating and a met criterion are strengths, an
//! M or U rating and a failed criterion are areas for improvement, and each area for improvement becomes
//! a row of the improvement plan for the organisations to complete.

pub mod html;
pub mod markdown;
mod svg;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, FixedOffset};

use crate::domain::{BlueprintLevel, IpcrMode, Mechanism, Severity, Tlp};
use crate::journal::{self, Divergence, Journal, JournalError};
use crate::scenario::Scenario;
use crate::scenario::expr::{ExprKind, Query};
use crate::scenario::model::Anchor;
use crate::scenario::time::{Minutes, format_duration, format_offset};
use crate::sim::state::{ObligationStatus, Outcome, Phase};
use crate::sim::{Event, EventKind, Rating, View};

/// The report's sections in order, as (anchor, heading). Both renderers number and use these headings.
pub const SECTIONS: [(&str, &str); 8] = [
    ("overview", "Exercise overview"),
    ("objectives", "Analysis of objectives"),
    ("trends", "Severity and affected Member States over time"),
    ("timeline", "Timeline of key events"),
    ("decisions", "Decision log"),
    ("mechanisms", "Mechanism activation by Blueprint level"),
    ("nis2", "NIS2 reporting deadlines"),
    ("improvement-plan", "Improvement plan"),
];

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(
        "the journal does not replay: command {} gave other events than recorded, so a report would describe another exercise (run `tabletop replay` for details)",
        .0.entry + 1
    )]
    Diverged(Box<Divergence>),
}

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

impl Basis {
    /// A few words on where the finding comes from: "criterion met at T+00:40", "observation rated S at
    /// T+02:00".
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Basis::Criterion {
                outcome: CriterionOutcome::Met(t),
                ..
            } => format!("criterion met at {}", format_offset(*t)),
            Basis::Criterion {
                outcome: CriterionOutcome::Failed(t),
                ..
            } => format!("criterion window closed {}", format_offset(*t)),
            Basis::Criterion { .. } => "criterion still open".into(),
            Basis::Observation { at, rating } => {
                format!("observation rated {rating:?} at {}", format_offset(*at))
            }
        }
    }
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

pub use crate::sim::trend::TrendPoint;

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
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Category::Exercise => "Exercise",
            Category::Incident => "Incident",
            Category::Mechanism => "Mechanism",
            Category::Decision => "Decision",
            Category::Nis2 => "NIS2",
            Category::Criterion => "Criterion",
            Category::Facilitator => "Facilitator",
            Category::Rules => "Rules",
        }
    }

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
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Resolution::OnTime => "on time".into(),
            Resolution::Late => "late".into(),
            Resolution::ByFacilitator => "decided by the facilitator".into(),
            Resolution::Defaulted {
                nobody_seated: false,
            } => "defaulted (deadline passed)".into(),
            Resolution::Defaulted {
                nobody_seated: true,
            } => "defaulted (no seat plays it)".into(),
            Resolution::Withdrawn { reason } => format!("withdrawn: {reason}"),
            Resolution::Unanswered => "no answer".into(),
        }
    }

    /// Whether the seat answered in time: on time, or for the facilitator's.
    #[must_use]
    pub fn is_good(&self) -> bool {
        matches!(self, Resolution::OnTime)
    }
}

/// The heading of a Blueprint level's part of the report.
#[must_use]
pub fn level_label(level: BlueprintLevel) -> &'static str {
    match level {
        BlueprintLevel::Technical => "Technical level",
        BlueprintLevel::Operational => "Operational level",
        BlueprintLevel::Political => "Strategic / political level",
    }
}

/// What a Blueprint level covers, in words.
#[must_use]
pub fn level_scope(level: BlueprintLevel) -> &'static str {
    match level {
        BlueprintLevel::Technical => "CSIRTs Network, cross-border information, Europol EC3",
        BlueprintLevel::Operational => {
            "EU-CyCLONe, EU Cybersecurity Reserve, rapid reaction teams, incident reviews"
        }
        BlueprintLevel::Political => {
            "IPCR, Art. 222 TFEU, Art. 42(7) TEU, Cyber Diplomacy Toolbox, attribution"
        }
    }
}

/// The mechanisms a level's part of the report lists, in order: those reported under their own name.
fn catalogue(level: BlueprintLevel) -> impl Iterator<Item = Mechanism> {
    Mechanism::ALL
        .into_iter()
        .filter(move |m| m.level() == level && m.part_of() == *m)
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
    /// Builds the report of a journal, replaying it first.
    pub fn from_journal(journal: &Journal) -> Result<Report, ReportError> {
        let mut engine =
            journal::replay(journal)?.map_err(|d| ReportError::Diverged(Box::new(d)))?;
        let view = engine.view();
        let scenario = engine.scenario().clone();
        let outcomes = engine.criteria().to_vec();
        let events = engine.events();
        let players = &journal.header.players;
        let ctx = Ctx {
            scenario: &scenario,
            view: &view,
            players,
        };

        let objectives = objectives(&ctx, events, &outcomes);
        let general = general(events);
        let trend = trend(&scenario, events, view.now);
        let decisions = decisions(&ctx, events);
        let mechanisms = mechanisms(&ctx, events, view.first_cross_border);
        let nis2 = nis2(&ctx, events);
        let improvement_plan = improvement_plan(&ctx, &objectives, &general);
        let timeline = events
            .iter()
            .filter_map(|e| {
                ctx.key_event(e).map(|(category, text)| TimelineEntry {
                    at: e.at,
                    category,
                    text,
                })
            })
            .collect();

        let figures = key_figures(&KeyInputs {
            view: &view,
            events,
            outcomes: &outcomes,
            decisions: &decisions,
            nis2: &nis2,
            trend: &trend,
            mechanisms: &mechanisms,
        });

        let file = &scenario.file;
        let overview = Overview {
            title: file.title.clone(),
            scenario_id: file.id.clone(),
            version: file.version.clone(),
            authors: file.authors.clone(),
            language: file.language.clone(),
            tlp: file.tlp,
            briefing: file.briefing.clone(),
            start: scenario.start,
            duration: scenario.duration,
            end: view.now,
            ended: view.ended,
            member_states: file.member_states.clone(),
            presidency: file.presidency.clone(),
            seed: journal.header.seed,
            scenario_sha256: journal.header.scenario_sha256.clone(),
            commands: journal.entries.len(),
            events: events.len(),
            seats: scenario
                .seats()
                .map(|a| Seat {
                    id: a.id.clone(),
                    organisation: a.name.clone(),
                    role: a.kind.label(),
                    country: a.country.clone(),
                    player: players.get(&a.id).cloned(),
                })
                .collect(),
            incidents: incidents(&ctx, events),
            figures,
        };
        Ok(Report {
            overview,
            objectives,
            general,
            trend,
            timeline,
            decisions,
            first_cross_border: view.first_cross_border,
            mechanisms,
            nis2,
            improvement_plan,
        })
    }

    /// The simulated wall-clock time of a minute: `Tue 12 May 09:40`.
    #[must_use]
    pub fn clock(&self, at: Minutes) -> String {
        self.instant(at).format("%a %d %b %H:%M").to_string()
    }

    /// The simulated date-time of a minute.
    #[must_use]
    pub fn instant(&self, at: Minutes) -> DateTime<FixedOffset> {
        self.overview.start + Duration::minutes(i64::from(at))
    }

    /// The simulated period: `Tue 12 May 2026, 09:00 to 11:00, UTC+02:00`.
    #[must_use]
    pub fn period(&self) -> String {
        let (start, end) = (self.overview.start, self.instant(self.overview.duration));
        let zone = start.format("%:z");
        if start.date_naive() == end.date_naive() {
            format!(
                "{}, {} to {}, UTC{zone}",
                start.format("%a %-d %b %Y"),
                start.format("%H:%M"),
                end.format("%H:%M")
            )
        } else {
            format!(
                "{} to {}, UTC{zone}",
                start.format("%a %-d %b %Y %H:%M"),
                end.format("%a %-d %b %Y %H:%M")
            )
        }
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

/// A signed span from the first cross-border impact: `+3h 30m`, `−20m`, `0m`.
#[must_use]
pub fn signed_duration(minutes: i64) -> String {
    let magnitude = Minutes::try_from(minutes.unsigned_abs()).unwrap_or(Minutes::MAX);
    match minutes.signum() {
        1 => format!("+{}", format_duration(magnitude)),
        -1 => format!("\u{2212}{}", format_duration(magnitude)),
        _ => "0m".into(),
    }
}

/// `1 deadline`, `3 deadlines`.
#[must_use]
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The name of a HSEEP rating.
#[must_use]
pub fn rating_meaning(rating: Rating) -> &'static str {
    match rating {
        Rating::P => "performed without challenges",
        Rating::S => "performed with some challenges",
        Rating::M => "performed with major challenges",
        Rating::U => "unable to be performed",
    }
}

/// What the builders share: the scenario, the final view and the players.
struct Ctx<'a> {
    scenario: &'a Scenario,
    view: &'a View,
    players: &'a BTreeMap<String, String>,
}

impl Ctx<'_> {
    /// An actor's display name; `rule` for the engine's own automatic steps.
    fn who(&self, id: &str) -> String {
        if id == "rule" {
            return "automatic (rule)".into();
        }
        self.scenario.actor_index(id).map_or_else(
            || id.to_owned(),
            |a| self.scenario.file.actors[a].name.clone(),
        )
    }

    fn who_list(&self, ids: &[String]) -> String {
        ids.iter()
            .map(|i| self.who(i))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn option_label(&self, decision: &str, option: &str) -> String {
        self.view
            .decision(decision)
            .and_then(|d| d.options.iter().find(|(id, _)| id == option))
            .map_or_else(|| option.to_owned(), |(_, label)| label.clone())
    }

    fn criterion_text(&self, objective: &str, criterion: &str) -> String {
        self.scenario
            .objective_index(objective)
            .and_then(|o| {
                self.scenario.file.objectives[o]
                    .criteria
                    .iter()
                    .find(|c| c.id == criterion)
            })
            .map_or_else(|| format!("{objective}/{criterion}"), |c| c.text.clone())
    }

    /// The seats among these actors, as organisation names, without repeats.
    fn seat_names(&self, ids: impl IntoIterator<Item = String>) -> Vec<String> {
        let mut seen = BTreeSet::new();
        ids.into_iter()
            .filter(|id| {
                self.scenario
                    .actor_index(id)
                    .is_some_and(|a| self.scenario.file.actors[a].seat)
            })
            .map(|id| self.who(&id))
            .filter(|name| seen.insert(name.clone()))
            .collect()
    }

    /// Seats deciding the scenario decisions that exercise an objective.
    fn objective_seats(&self, objective: &str) -> Vec<String> {
        self.seat_names(
            self.scenario
                .file
                .decisions
                .iter()
                .filter(|d| d.objectives.iter().any(|o| o == objective))
                .flat_map(|d| d.by.iter().cloned()),
        )
    }

    /// Seats a criterion is about: the deciders of decisions its condition names, else the recipients of
    /// the inject that starts its clock, else the deciders of its objective's decisions.
    fn criterion_seats(&self, objective: usize, criterion: usize) -> Vec<String> {
        let mut deciders = Vec::new();
        if let Some(plan) = self
            .scenario
            .criteria
            .iter()
            .find(|c| c.objective == objective && c.criterion == criterion)
        {
            plan.condition.walk(&mut |node| {
                if let ExprKind::Query(Query::Decided(d) | Query::Chose(d, _)) = &node.kind
                    && let Some(i) = self.scenario.decision_index(d)
                {
                    deciders.extend(self.scenario.file.decisions[i].by.iter().cloned());
                }
            });
        }
        let seats = self.seat_names(deciders);
        if !seats.is_empty() {
            return seats;
        }
        let spec = &self.scenario.file.objectives[objective];
        if let Anchor::Delivered(inject) = &spec.criteria[criterion].from
            && let Some(i) = self.scenario.inject_index(inject)
        {
            let seats = self.seat_names(self.scenario.file.injects[i].to.iter().cloned());
            if !seats.is_empty() {
                return seats;
            }
        }
        self.objective_seats(&spec.id)
    }

    /// The events worth a line in the timeline of key events, in words.
    #[expect(clippy::too_many_lines, reason = "one short arm per kind of key event")]
    fn key_event(&self, event: &Event) -> Option<(Category, String)> {
        use Category as C;
        Some(match &event.kind {
            EventKind::ExerciseStarted { .. } => (C::Exercise, "Exercise starts (STARTEX)".into()),
            EventKind::ExerciseEnded => (C::Exercise, "Exercise ends (ENDEX)".into()),
            EventKind::Paused => (C::Facilitator, "Exercise paused".into()),
            EventKind::Resumed => (C::Facilitator, "Exercise resumed".into()),
            EventKind::IncidentStarted {
                incident,
                entities,
                severity,
            } => (
                C::Incident,
                format!(
                    "Incident {incident} starts at {} ({severity})",
                    self.who_list(entities)
                ),
            ),
            EventKind::IncidentDetected { incident } => (
                C::Incident,
                format!("Incident {incident} detected by the affected entities"),
            ),
            EventKind::IncidentSpread {
                incident,
                entity,
                country,
            } => (
                C::Incident,
                format!(
                    "Incident {incident} spreads to {} ({country})",
                    self.who(entity)
                ),
            ),
            EventKind::SeverityChanged { incident, from, to } => (
                C::Incident,
                format!("Incident {incident}: severity {from} \u{2192} {to}"),
            ),
            EventKind::IncidentMitigated { incident } => (
                C::Incident,
                format!("Incident {incident}: own mitigation measures in place"),
            ),
            EventKind::IncidentContained { incident } => {
                (C::Incident, format!("Incident {incident} contained"))
            }
            EventKind::IncidentRecovered { incident } => (
                C::Incident,
                format!("Incident {incident}: services restored"),
            ),
            EventKind::LargeScaleReached {
                incident,
                countries,
            } => (
                C::Incident,
                format!(
                    "Incident {incident} is large-scale (NIS2 Art. 6(7)): {}",
                    countries.join(", ")
                ),
            ),
            EventKind::SupportDeployed { incident, support } => (
                C::Mechanism,
                format!(
                    "{} deployed on incident {incident}",
                    capitalised(support.label())
                ),
            ),
            EventKind::MechanismChanged {
                mechanism,
                state,
                by,
                ..
            } => (
                C::Mechanism,
                format!("{mechanism}: {state} ({})", self.who(by)),
            ),
            EventKind::IpcrModeChanged { from, to, by, .. } => (
                C::Mechanism,
                format!(
                    "IPCR: {} \u{2192} {} ({})",
                    ipcr_label(*from),
                    ipcr_label(*to),
                    self.who(by)
                ),
            ),
            EventKind::DecisionTaken {
                decision,
                option,
                by,
                by_facilitator,
                ..
            } => (
                C::Decision,
                format!(
                    "{}{} decides {decision}: {}",
                    self.who(by),
                    if *by_facilitator {
                        " (entered by the facilitator)"
                    } else {
                        ""
                    },
                    self.option_label(decision, option)
                ),
            ),
            EventKind::DecisionDefaulted { decision, option } => (
                C::Decision,
                format!(
                    "Decision {decision} defaults to: {}",
                    self.option_label(decision, option)
                ),
            ),
            EventKind::DecisionWithdrawn { decision, reason } => (
                C::Decision,
                format!("Decision {decision} withdrawn: {reason}"),
            ),
            EventKind::RequestRefused {
                by,
                action,
                refusal,
                ..
            } => (
                C::Rules,
                format!(
                    "Refused: {} asked to {} \u{2014} {} ({})",
                    self.who(by),
                    action.label(),
                    refusal.reason,
                    refusal.rule
                ),
            ),
            EventKind::ShareRefused {
                from,
                tlp,
                subject,
                reason,
                ..
            } => (
                C::Rules,
                format!(
                    "Refused: {} tried to pass on \u{201c}{subject}\u{201d} ({tlp}) \u{2014} {reason}",
                    self.who(from)
                ),
            ),
            EventKind::RequestGranted {
                by,
                action,
                overridden: Some(reason),
                ..
            } => (
                C::Facilitator,
                format!(
                    "Facilitator overrides the rules: {} may {} \u{2014} {reason}",
                    self.who(by),
                    action.label()
                ),
            ),
            EventKind::ObligationMissed {
                entity,
                incident,
                report,
                regime,
            } => (
                C::Nis2,
                format!(
                    "{} missed the {} deadline ({incident})",
                    self.who(entity),
                    regime.report_label(*report)
                ),
            ),
            EventKind::CriterionMet {
                objective,
                criterion,
            } => (
                C::Criterion,
                format!("Met: {}", self.criterion_text(objective, criterion)),
            ),
            EventKind::CriterionFailed {
                objective,
                criterion,
            } => (
                C::Criterion,
                format!("Not met: {}", self.criterion_text(objective, criterion)),
            ),
            EventKind::InjectDelivered {
                inject,
                subject,
                by_facilitator: true,
                ..
            } => (
                C::Facilitator,
                format!("Facilitator sends inject {inject}: {subject}"),
            ),
            EventKind::InjectSkipped { inject } => {
                (C::Facilitator, format!("Facilitator skips inject {inject}"))
            }
            EventKind::InjectDelayed { inject, until } => (
                C::Facilitator,
                format!("Inject {inject} delayed to {}", format_offset(*until)),
            ),
            _ => return None,
        })
    }
}

/// What the key figures are counted from.
struct KeyInputs<'a> {
    view: &'a View,
    events: &'a [Event],
    outcomes: &'a [Outcome],
    decisions: &'a [DecisionRecord],
    nis2: &'a [Nis2Record],
    trend: &'a [TrendPoint],
    mechanisms: &'a [LevelActivity],
}

fn key_figures(k: &KeyInputs) -> KeyFigures {
    let events = |f: fn(&EventKind) -> bool| k.events.iter().filter(|e| f(&e.kind)).count();
    KeyFigures {
        criteria_met: k
            .outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Met(_)))
            .count(),
        criteria_failed: k
            .outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Failed(_)))
            .count(),
        criteria_total: k.outcomes.len(),
        decisions_taken: k
            .decisions
            .iter()
            .filter(|d| {
                matches!(
                    d.resolution,
                    Resolution::OnTime | Resolution::Late | Resolution::ByFacilitator
                )
            })
            .count(),
        decisions_defaulted: k
            .decisions
            .iter()
            .filter(|d| matches!(d.resolution, Resolution::Defaulted { .. }))
            .count(),
        decisions_unanswered: k
            .decisions
            .iter()
            .filter(|d| d.resolution == Resolution::Unanswered)
            .count(),
        nis2_met: k
            .nis2
            .iter()
            .filter(|n| matches!(n.status, Nis2Status::Met(_)))
            .count(),
        nis2_missed: k
            .nis2
            .iter()
            .filter(|n| matches!(n.status, Nis2Status::Missed(_)))
            .count(),
        nis2_open: k
            .nis2
            .iter()
            .filter(|n| n.status == Nis2Status::Open)
            .count(),
        worst_severity: k.trend.iter().filter_map(|p| p.worst).max(),
        countries_affected: k
            .view
            .countries_affected()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        mechanisms_activated: k
            .mechanisms
            .iter()
            .flat_map(|l| l.changes.iter().filter(|c| c.first))
            .count(),
        requests_refused: events(|e| matches!(e, EventKind::RequestRefused { .. })),
        overrides: events(|e| {
            matches!(
                e,
                EventKind::RequestGranted {
                    overridden: Some(_),
                    ..
                }
            )
        }),
        observations: events(|e| matches!(e, EventKind::ObservationRecorded { .. })),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

fn ipcr_label(mode: IpcrMode) -> &'static str {
    match mode {
        IpcrMode::Monitoring => "monitoring",
        IpcrMode::InformationSharing => "information sharing",
        IpcrMode::FullActivation => "full activation",
    }
}

/// `PhysicalSabotage` → `physical sabotage`.
fn words(debug: &str) -> String {
    let mut out = String::new();
    for (i, c) in debug.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    match out.as_str() {
        "ddos" => "DDoS".into(),
        _ => capitalised(&out),
    }
}

fn window(spec: &crate::scenario::model::Criterion, within: Option<Minutes>) -> String {
    let from = match &spec.from {
        Anchor::Start => "the start".to_owned(),
        Anchor::FirstCrossBorderImpact => "the first cross-border impact".to_owned(),
        Anchor::Detected(incident) => format!("detection of {incident}"),
        Anchor::Delivered(inject) => format!("delivery of {inject}"),
    };
    within.map_or_else(
        || "any time before the end".to_owned(),
        |w| format!("within {} of {from}", format_duration(w)),
    )
}

fn objectives(ctx: &Ctx, events: &[Event], outcomes: &[Outcome]) -> Vec<ObjectiveAnalysis> {
    let scenario = ctx.scenario;
    scenario
        .file
        .objectives
        .iter()
        .enumerate()
        .map(|(index, spec)| {
            let criteria: Vec<CriterionResult> = scenario
                .criteria
                .iter()
                .zip(outcomes)
                .filter(|(plan, _)| plan.objective == index)
                .map(|(plan, outcome)| {
                    let c = &spec.criteria[plan.criterion];
                    CriterionResult {
                        id: c.id.clone(),
                        text: c.text.clone(),
                        window: window(c, plan.within),
                        outcome: match outcome {
                            Outcome::Met(t) => CriterionOutcome::Met(*t),
                            Outcome::Failed(t) => CriterionOutcome::Failed(*t),
                            Outcome::Open => CriterionOutcome::Open,
                        },
                    }
                })
                .collect();
            let observations: Vec<Observation> = observations(events)
                .filter(|o| o.objective.as_deref() == Some(spec.id.as_str()))
                .collect();
            let evaluations = events
                .iter()
                .filter_map(|e| match &e.kind {
                    EventKind::Evaluation { objective, note } if *objective == spec.id => {
                        Some(Note {
                            at: e.at,
                            text: note.clone(),
                        })
                    }
                    _ => None,
                })
                .collect();
            let (mut strengths, mut improvements) = (Vec::new(), Vec::new());
            for c in &criteria {
                let basis = Basis::Criterion {
                    id: c.id.clone(),
                    outcome: c.outcome,
                };
                match c.outcome {
                    CriterionOutcome::Met(_) => strengths.push(Finding {
                        text: c.text.clone(),
                        basis,
                    }),
                    // Worded as the issue it is: the criterion states what should have happened.
                    CriterionOutcome::Failed(_) => improvements.push(Finding {
                        text: format!("Not met: {}", c.text),
                        basis,
                    }),
                    CriterionOutcome::Open => {}
                }
            }
            sort_observations(&observations, &mut strengths, &mut improvements);
            ObjectiveAnalysis {
                id: spec.id.clone(),
                title: spec.title.clone(),
                description: spec.description.clone(),
                critical_tasks: spec.critical_tasks.clone(),
                criteria,
                observations,
                evaluations,
                strengths,
                improvements,
            }
        })
        .collect()
}

fn observations(events: &[Event]) -> impl Iterator<Item = Observation> + '_ {
    events.iter().filter_map(|e| match &e.kind {
        EventKind::ObservationRecorded {
            text,
            objective,
            rating,
        } => Some(Observation {
            at: e.at,
            text: text.clone(),
            objective: objective.clone(),
            rating: *rating,
        }),
        _ => None,
    })
}

/// P and S ratings are strengths, M and U areas for improvement; unrated observations are neither.
fn sort_observations(
    observations: &[Observation],
    strengths: &mut Vec<Finding>,
    improvements: &mut Vec<Finding>,
) {
    for o in observations {
        let Some(rating) = o.rating else { continue };
        let finding = Finding {
            text: o.text.clone(),
            basis: Basis::Observation { at: o.at, rating },
        };
        match rating {
            Rating::P | Rating::S => strengths.push(finding),
            Rating::M | Rating::U => improvements.push(finding),
        }
    }
}

fn general(events: &[Event]) -> General {
    let observations: Vec<Observation> = observations(events)
        .filter(|o| o.objective.is_none())
        .collect();
    let (mut strengths, mut improvements) = (Vec::new(), Vec::new());
    sort_observations(&observations, &mut strengths, &mut improvements);
    General {
        observations,
        strengths,
        improvements,
    }
}

fn improvement_plan(
    ctx: &Ctx,
    objectives: &[ObjectiveAnalysis],
    general: &General,
) -> Vec<ImprovementItem> {
    let mut plan = Vec::new();
    for (index, o) in objectives.iter().enumerate() {
        for finding in &o.improvements {
            let responsible = match &finding.basis {
                Basis::Criterion { id, .. } => ctx.scenario.file.objectives[index]
                    .criteria
                    .iter()
                    .position(|c| c.id == *id)
                    .map(|c| ctx.criterion_seats(index, c))
                    .unwrap_or_default(),
                Basis::Observation { .. } => ctx.objective_seats(&o.id),
            };
            plan.push(ImprovementItem {
                objective: Some(o.title.clone()),
                issue: finding.text.clone(),
                basis: finding.basis.label(),
                responsible,
            });
        }
    }
    for finding in &general.improvements {
        plan.push(ImprovementItem {
            objective: None,
            issue: finding.text.clone(),
            basis: finding.basis.label(),
            responsible: Vec::new(),
        });
    }
    plan
}

/// Worst severity and affected Member States after every change: the engine's trend without the
/// obligations count, which the report tabulates separately.
fn trend(scenario: &Scenario, events: &[Event], end: Minutes) -> Vec<TrendPoint> {
    let mut points: Vec<TrendPoint> = crate::sim::trend::trend(scenario, events, end)
        .into_iter()
        .map(|p| TrendPoint {
            open_obligations: 0,
            ..p
        })
        .collect();
    points.dedup_by(|b, a| (a.worst, a.countries) == (b.worst, b.countries));
    if points.last().is_some_and(|p| p.at < end) {
        let last = points[points.len() - 1];
        points.push(TrendPoint { at: end, ..last });
    }
    points
}

fn incidents(ctx: &Ctx, events: &[Event]) -> Vec<IncidentSummary> {
    ctx.scenario
        .file
        .incidents
        .iter()
        .map(|spec| {
            let view = ctx.view.incident(&spec.id);
            let mut started = None;
            let mut peak: Option<Severity> = None;
            for e in events {
                match &e.kind {
                    EventKind::IncidentStarted {
                        incident, severity, ..
                    } if *incident == spec.id => {
                        started = Some(e.at);
                        peak = Some(*severity);
                    }
                    EventKind::SeverityChanged { incident, to, .. }
                        if *incident == spec.id && started.is_some() =>
                    {
                        peak = peak.max(Some(*to));
                    }
                    _ => {}
                }
            }
            IncidentSummary {
                id: spec.id.clone(),
                title: spec.title.clone(),
                kind: words(&format!("{:?}", spec.kind)),
                started,
                detected: view.and_then(|v| v.detected_at),
                peak,
                countries: view
                    .filter(|v| v.phase != Phase::NotStarted)
                    .map(|v| v.countries.iter().cloned().collect())
                    .unwrap_or_default(),
                outcome: match view.map(|v| v.phase) {
                    Some(Phase::Active) => "still active",
                    Some(Phase::Contained) => "contained",
                    Some(Phase::Recovered) => "recovered",
                    Some(Phase::NotStarted) | None => "did not start",
                },
            }
        })
        .collect()
}

fn decisions(ctx: &Ctx, events: &[Event]) -> Vec<DecisionRecord> {
    let mut records: Vec<DecisionRecord> = Vec::new();
    // The open record of each decision, by id (a decision is offered once).
    let mut open: BTreeMap<String, usize> = BTreeMap::new();
    for e in events {
        match &e.kind {
            EventKind::DecisionPending {
                decision,
                by,
                deadline,
            } => {
                let view = ctx.view.decision(decision);
                open.insert(decision.clone(), records.len());
                records.push(DecisionRecord {
                    id: decision.clone(),
                    prompt: view.map(|d| d.prompt.clone()).unwrap_or_default(),
                    seat: ctx.who_list(by),
                    // Who held the seat, should it default: only clear when one seat decides.
                    player: match by.as_slice() {
                        [one] => ctx.players.get(one).cloned(),
                        _ => None,
                    },
                    option: None,
                    rationale: String::new(),
                    offered_at: e.at,
                    deadline: *deadline,
                    at: None,
                    resolution: Resolution::Unanswered,
                });
            }
            EventKind::DecisionTaken {
                decision,
                option,
                by,
                rationale,
                by_facilitator,
            } => {
                if let Some(r) = open.remove(decision).and_then(|i| records.get_mut(i)) {
                    r.seat = ctx.who(by);
                    r.player = ctx.players.get(by).cloned();
                    r.option = Some(ctx.option_label(decision, option));
                    r.rationale.clone_from(rationale);
                    r.at = Some(e.at);
                    r.resolution = if *by_facilitator {
                        Resolution::ByFacilitator
                    } else if r.deadline.is_some_and(|d| e.at > d) {
                        Resolution::Late
                    } else {
                        Resolution::OnTime
                    };
                }
            }
            EventKind::DecisionDefaulted { decision, option } => {
                if let Some(r) = open.remove(decision).and_then(|i| records.get_mut(i)) {
                    r.option = Some(ctx.option_label(decision, option));
                    r.at = Some(e.at);
                    r.resolution = Resolution::Defaulted {
                        nobody_seated: r.deadline.is_none_or(|d| e.at < d),
                    };
                }
            }
            EventKind::DecisionWithdrawn { decision, reason } => {
                if let Some(r) = open.remove(decision).and_then(|i| records.get_mut(i)) {
                    r.at = Some(e.at);
                    r.resolution = Resolution::Withdrawn {
                        reason: reason.clone(),
                    };
                }
            }
            _ => {}
        }
    }
    // In the order they were settled, the time the log shows first; unanswered ones last.
    records.sort_by_key(|r| (r.at.unwrap_or(Minutes::MAX), r.offered_at));
    records
}

fn mechanisms(
    ctx: &Ctx,
    events: &[Event],
    first_cross_border: Option<Minutes>,
) -> Vec<LevelActivity> {
    let mut changes: Vec<MechanismChange> = Vec::new();
    let mut seen: BTreeSet<Mechanism> = BTreeSet::new();
    for e in events {
        let (mechanism, state, by) = match &e.kind {
            EventKind::MechanismChanged {
                mechanism: part @ Mechanism::NetworksInformed,
                state,
                by,
                ..
            } => (
                // The networks are told of a Reserve request: a step of that request, not a mechanism.
                part.part_of(),
                format!("CSIRTs Network and EU-CyCLONe {state}"),
                ctx.who(by),
            ),
            EventKind::MechanismChanged {
                mechanism,
                state,
                by,
                ..
            } => (mechanism.part_of(), state.clone(), ctx.who(by)),
            EventKind::IpcrModeChanged { to, by, .. } => (
                Mechanism::Ipcr,
                if *to == IpcrMode::Monitoring {
                    "back to monitoring".to_owned()
                } else {
                    ipcr_label(*to).to_owned()
                },
                ctx.who(by),
            ),
            EventKind::SupportDeployed { incident, support } => (
                support.mechanism(),
                format!("{support} deployed on {incident}"),
                "automatic (rule)".to_owned(),
            ),
            _ => continue,
        };
        changes.push(MechanismChange {
            mechanism,
            at: e.at,
            state,
            by,
            first: seen.insert(mechanism),
            since_cross_border: first_cross_border.map(|t| i64::from(e.at) - i64::from(t)),
        });
    }
    BlueprintLevel::ALL
        .into_iter()
        .map(|level| LevelActivity {
            level,
            changes: changes
                .iter()
                .filter(|c| c.mechanism.level() == level)
                .cloned()
                .collect(),
            not_activated: catalogue(level).filter(|m| !seen.contains(m)).collect(),
        })
        .collect()
}

fn nis2(ctx: &Ctx, events: &[Event]) -> Vec<Nis2Record> {
    ctx.view
        .obligations
        .iter()
        .map(|o| {
            let missed_at = events.iter().find_map(|e| match &e.kind {
                EventKind::ObligationMissed {
                    entity,
                    incident,
                    report,
                    ..
                } if *entity == o.entity && *incident == o.incident && *report == o.report => {
                    Some(e.at)
                }
                _ => None,
            });
            Nis2Record {
                entity: ctx.who(&o.entity),
                country: ctx
                    .scenario
                    .actor_index(&o.entity)
                    .and_then(|a| ctx.scenario.file.actors[a].country.clone()),
                incident: o.incident.clone(),
                report: capitalised(&o.report.label()),
                due: o.due,
                status: match o.status {
                    ObligationStatus::Met(t) => Nis2Status::Met(t),
                    ObligationStatus::Missed => Nis2Status::Missed(missed_at),
                    ObligationStatus::Open => Nis2Status::Open,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mechanism_is_reported_at_its_level_under_a_listed_name() {
        let listed: Vec<Mechanism> = BlueprintLevel::ALL
            .into_iter()
            .flat_map(catalogue)
            .collect();
        for m in Mechanism::ALL {
            assert!(
                catalogue(m.level()).any(|c| c == m.part_of()),
                "{m} has no line in the report"
            );
            assert_eq!(listed.contains(&m), m.part_of() == m, "{m}");
        }
    }
}
