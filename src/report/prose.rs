//! The words of the report: section headings, labels and the sentences both renderers print, so the
//! HTML and the Markdown cannot say different things. Renderers add only markup.

use crate::domain::{BlueprintLevel, IpcrMode, Mechanism};
use crate::scenario::time::{Minutes, format_duration, format_offset};
use crate::sim::Rating;

use super::model::{Basis, Category, CriterionOutcome, KeyFigures, Report, Resolution};

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
            "IPCR, Art. 222 TFEU, Art. 42(7) TEU, Cyber Diplomacy Toolbox, attribution, EU INTCEN assessments"
        }
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

/// The first letter in upper case: for sentences that start with a value.
pub(super) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// An IPCR mode in words.
pub(super) fn ipcr_label(mode: IpcrMode) -> &'static str {
    match mode {
        IpcrMode::Monitoring => "monitoring",
        IpcrMode::InformationSharing => "information sharing",
        IpcrMode::FullActivation => "full activation",
    }
}

impl Report {
    /// The simulated wall-clock time of a minute: `Tue 12 May 09:40`.
    #[must_use]
    pub fn clock(&self, at: Minutes) -> String {
        self.instant(at).format("%a %d %b %H:%M").to_string()
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
}

// What both renderers print. Arguments are already marked up and escaped by the renderer (a code span,
// a time cell, bold text); the words around them are plain, with nothing either format would read as
// markup (a test checks), so each renderer can print them as they are.

/// What the document is.
pub(super) const REPORT_KIND: &str = "After-action report and improvement plan";

/// The document's title.
pub(super) fn title(exercise: &str) -> String {
    format!("After-action report: {exercise}")
}

/// The line under the title: `scenario ID version V · simulated PERIOD · seed S`.
pub(super) fn identification(id: &str, version: &str, period: &str, seed: u64) -> String {
    format!("scenario {id} version {version} · simulated {period} · seed {seed}")
}

pub(super) const CONTENTS: &str = "Contents";

/// The closing line, after the classification.
pub(super) fn generated(sha256: &str, seed: u64, commands: usize) -> String {
    format!(
        "Generated by tabletop from the exercise journal (scenario SHA-256 {sha256}, seed {seed}, {commands} commands), replayed and verified before writing."
    )
}

pub(super) const MEMBER_STATES_AFFECTED: &str = "Member States affected";

/// The key figures as (label, value), labels in lower case (a table header capitalises them).
pub(super) fn key_figures(f: &KeyFigures) -> [(&'static str, String); 6] {
    [
        (
            "criteria met",
            format!("{} of {}", f.criteria_met, f.criteria_total),
        ),
        (
            "decisions",
            format!(
                "{} taken, {} defaulted",
                f.decisions_taken, f.decisions_defaulted
            ),
        ),
        (
            "NIS2 deadlines",
            format!("{} met, {} missed", f.nis2_met, f.nis2_missed),
        ),
        (
            "worst severity",
            f.worst_severity
                .map_or_else(|| NONE.to_owned(), |s| s.to_string()),
        ),
        (
            MEMBER_STATES_AFFECTED,
            if f.countries_affected.is_empty() {
                "0".to_owned()
            } else {
                format!(
                    "{} ({})",
                    f.countries_affected.len(),
                    f.countries_affected.join(", ")
                )
            },
        ),
        (
            "EU mechanisms activated",
            f.mechanisms_activated.to_string(),
        ),
    ]
}

pub(super) const NONE: &str = "none";

/// The overview's sub-headings.
pub(super) const EXERCISE: &str = "Exercise";
pub(super) const SCENARIO: &str = "Scenario";
pub(super) const INCIDENTS: &str = "Incidents";
pub(super) const OBJECTIVES: &str = "Objectives";
pub(super) const PARTICIPANTS: &str = "Participants";

/// The exercise's particulars, by row name.
pub(super) mod particulars {
    pub const NAME: &str = "Exercise name";
    pub const SCENARIO: &str = "Scenario";
    pub const DATES: &str = "Simulated dates";
    pub const STATUS: &str = "Status";
    pub const MEMBER_STATES: &str = "Member States";
    pub const PRESIDENCY: &str = "Council Presidency";
    pub const CLASSIFICATION: &str = "Classification";
    pub const JOURNAL: &str = "Journal";
}

/// `ID version V, by AUTHORS`.
pub(super) fn scenario_version(id: &str, version: &str, authors: Option<&str>) -> String {
    format!(
        "{id} version {version}{}",
        authors.map_or_else(String::new, |a| format!(", by {a}"))
    )
}

/// `PERIOD (DURATION)`.
pub(super) fn dates(period: &str, duration: &str) -> String {
    format!("{period} ({duration})")
}

/// The status of an unfinished exercise; `strong` marks up its first words.
pub(super) fn not_finished(strong: impl Fn(&str) -> String, at: &str) -> String {
    format!("{}: the journal stops at {at}", strong("Not finished"))
}

pub(super) fn journal(seed: u64, commands: usize, events: usize, sha256: &str) -> String {
    format!(
        "seed {seed}, {commands} commands, {events} events; scenario SHA-256 {sha256}; replay verified"
    )
}

pub(super) const INCIDENT_COLUMNS: [&str; 7] = [
    "Incident",
    "Kind",
    "Started",
    "Detected",
    "Peak severity",
    "Member States",
    "At the end",
];

pub(super) const SEAT_COLUMNS: [&str; 4] = ["Seat", "Organisation", "Role", "Country"];
pub(super) const PLAYED_BY: &str = "Played by";
pub(super) const NOBODY_NAMED: &str = "The journal does not record who played the seats.";

/// What the analysis of objectives shows and how it judges; `strong` marks up the rating letters.
pub(super) fn objectives_lead(strong: impl Fn(&str) -> String) -> String {
    format!(
        "For each objective: the criteria the simulator checked automatically, the facilitator's ratings (HSEEP: {} performed without challenges, {} with some challenges, {} with major challenges, {} unable to be performed) and observations, and what follows from them. Met criteria and P or S ratings count as strengths; failed criteria and M or U ratings as areas for improvement.",
        strong("P"),
        strong("S"),
        strong("M"),
        strong("U")
    )
}

pub(super) const FACILITATOR_RATINGS: &str = "Facilitator ratings:";
pub(super) const NO_RATINGS: &str = "none recorded";
pub(super) const CRITICAL_TASKS: &str = "Critical tasks";
pub(super) const AUTOMATIC_CRITERIA: &str = "Automatic criteria";
pub(super) const NO_CRITERIA: &str = "This objective has no automatic criteria.";
pub(super) const CRITERION_COLUMNS: [&str; 3] = ["Criterion", "Window", "Result"];
pub(super) const MET: &str = "met";
pub(super) const NOT_MET: &str = "not met";
pub(super) const OPEN: &str = "open";

pub(super) fn window_closed(at: Minutes) -> String {
    format!("window closed {}", format_offset(at))
}

pub(super) const NOTES: &str = "Notes recorded by the scenario";
pub(super) const GENERAL_OBSERVATIONS: &str = "General observations";
pub(super) const GENERAL_LEAD: &str = "Observations recorded without an objective.";
pub(super) const OBSERVATIONS: &str = "Observations";
pub(super) const NONE_RECORDED: &str = "None recorded.";
pub(super) const OBSERVATION_COLUMNS: [&str; 3] = ["Time", "Rating", "Observation"];
pub(super) const STRENGTHS: &str = "Strengths";
pub(super) const IMPROVEMENTS: &str = "Areas for improvement";
pub(super) const NONE_IDENTIFIED: &str = "None identified.";

pub(super) const TIMELINE_LEAD: &str = "Incidents, mechanisms, decisions, missed deadlines, criteria and the facilitator's interventions; routine injects and bookkeeping are left out.";
pub(super) const TIMELINE_COLUMNS: [&str; 3] = ["Time", "Kind", "Event"];

pub(super) const NO_DECISIONS: &str = "No decision was offered.";
pub(super) const DECISION_COLUMNS: [&str; 6] = [
    "Time",
    "Decision",
    "Seat",
    "Option",
    "Rationale",
    "Timeliness",
];

pub(super) fn played_by(player: &str) -> String {
    format!("played by {player}")
}

/// When a decision was offered and its deadline.
pub(super) fn offered(at: Minutes, deadline: Option<Minutes>) -> String {
    format!(
        "offered {}{}",
        format_offset(at),
        deadline.map_or_else(String::new, |t| format!(", deadline {}", format_offset(t)))
    )
}

pub(super) const NO_CROSS_BORDER: &str = "No incident affected a second Member State, so there is no cross-border impact to measure time-to-activation from.";

/// Where time-to-activation counts from; `moment` is the first cross-border impact, marked up.
pub(super) fn first_cross_border(moment: &str) -> String {
    format!(
        "First cross-border impact: {moment}. Time-to-activation is measured from that moment; a negative time means the mechanism moved before it."
    )
}

pub(super) const NOTHING_ACTIVATED: &str = "Nothing was activated at this level.";
pub(super) const MECHANISM_COLUMNS: [&str; 5] = [
    "Time",
    "Mechanism",
    "From first cross-border impact",
    "Change",
    "By",
];
pub(super) const ACTIVATED: &str = "activated";

/// The mechanisms of a level that never moved.
pub(super) fn not_activated(mechanisms: &[Mechanism]) -> String {
    let names: Vec<&str> = mechanisms.iter().map(|m| m.name()).collect();
    format!("Not activated: {}", names.join(", "))
}

pub(super) const NO_NIS2: &str = "No significant incident started a NIS2 reporting clock.";

pub(super) fn nis2_lead(deadlines: usize, f: &KeyFigures) -> String {
    format!(
        "{}: {} met, {} missed, {} not yet due at the end. NIS2 Art. 23(4) asks for an early warning within 24 hours of awareness, an incident notification within 72 hours and a final report within a month.",
        count(deadlines, "reporting deadline"),
        f.nis2_met,
        f.nis2_missed,
        f.nis2_open
    )
}

pub(super) const NIS2_COLUMNS: [&str; 6] =
    ["Entity", "Country", "Incident", "Report", "Due", "Result"];

pub(super) fn filed(at: Minutes) -> String {
    format!("filed {}", format_offset(at))
}

pub(super) const MISSED: &str = "missed";
pub(super) const NOT_YET_DUE: &str = "not yet due at the end";

pub(super) const NO_IMPROVEMENT: &str = "No area for improvement was identified: no criterion failed and no observation was rated M or U.";
pub(super) const PLAN_LEAD: &str = "One row per area for improvement. Corrective actions and dates are for the organisations to agree; the responsible organisation is suggested from the seats that decide or receive what the issue is about.";
pub(super) const PLAN_COLUMNS: [&str; 6] = [
    "Objective",
    "Issue (area for improvement)",
    "Corrective action",
    "Responsible organisation",
    "Start",
    "Completion",
];
/// The objective column of an improvement tied to no objective.
pub(super) const GENERAL: &str = "General";

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word printed as it is must mean nothing to either format: no character Markdown escapes,
    /// none HTML escapes.
    #[test]
    fn the_words_are_plain_text_in_both_formats() {
        let figures = KeyFigures::default();
        let mut texts: Vec<String> = [
            REPORT_KIND,
            CONTENTS,
            MEMBER_STATES_AFFECTED,
            NONE,
            EXERCISE,
            SCENARIO,
            INCIDENTS,
            OBJECTIVES,
            PARTICIPANTS,
            particulars::NAME,
            particulars::SCENARIO,
            particulars::DATES,
            particulars::STATUS,
            particulars::MEMBER_STATES,
            particulars::PRESIDENCY,
            particulars::CLASSIFICATION,
            particulars::JOURNAL,
            PLAYED_BY,
            NOBODY_NAMED,
            FACILITATOR_RATINGS,
            NO_RATINGS,
            CRITICAL_TASKS,
            AUTOMATIC_CRITERIA,
            NO_CRITERIA,
            MET,
            NOT_MET,
            OPEN,
            NOTES,
            GENERAL_OBSERVATIONS,
            GENERAL_LEAD,
            OBSERVATIONS,
            NONE_RECORDED,
            STRENGTHS,
            IMPROVEMENTS,
            NONE_IDENTIFIED,
            TIMELINE_LEAD,
            NO_DECISIONS,
            NO_CROSS_BORDER,
            NOTHING_ACTIVATED,
            ACTIVATED,
            NO_NIS2,
            MISSED,
            NOT_YET_DUE,
            NO_IMPROVEMENT,
            PLAN_LEAD,
            GENERAL,
        ]
        .into_iter()
        .chain(INCIDENT_COLUMNS)
        .chain(SEAT_COLUMNS)
        .chain(CRITERION_COLUMNS)
        .chain(OBSERVATION_COLUMNS)
        .chain(TIMELINE_COLUMNS)
        .chain(DECISION_COLUMNS)
        .chain(MECHANISM_COLUMNS)
        .chain(NIS2_COLUMNS)
        .chain(PLAN_COLUMNS)
        .chain(SECTIONS.iter().map(|(_, heading)| *heading))
        .chain(
            BlueprintLevel::ALL
                .into_iter()
                .flat_map(|l| [level_label(l), level_scope(l)]),
        )
        .map(str::to_owned)
        .collect();
        texts.extend(
            key_figures(&figures)
                .into_iter()
                .flat_map(|(l, v)| [l.to_owned(), v]),
        );
        texts.extend([
            title("x"),
            identification("x", "1", "x", 7),
            generated("x", 7, 3),
            scenario_version("x", "1", Some("x")),
            dates("x", "1h"),
            not_finished(str::to_owned, "x"),
            journal(7, 3, 9, "x"),
            objectives_lead(str::to_owned),
            window_closed(40),
            played_by("x"),
            offered(40, Some(100)),
            first_cross_border("x"),
            not_activated(&Mechanism::ALL),
            nis2_lead(3, &figures),
            filed(40),
        ]);
        for text in &texts {
            assert_eq!(&crate::report::markdown::escape(text), text);
            assert_eq!(html_escape::encode_text(text), text.as_str());
        }
    }
}
