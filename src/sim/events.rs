//! Everything that happens in an exercise, as events with their simulated time. Reports, views and the
//! journal's replay check are built from this stream; it is serialised as JSON lines.

use serde::{Deserialize, Serialize};

use crate::doctrine::Refusal;
use crate::domain::{Action, Channel, IpcrMode, Mechanism, Regime, Severity, Support, Tlp};
use crate::scenario::model::Value;
use crate::scenario::time::{Minutes, format_offset};

/// One thing that happened, at a simulated time (minutes since the scenario start).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub at: Minutes,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// HSEEP P/S/M/U rating of a critical task or objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rating {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
}

/// Which NIS2 Art. 23 report an obligation asks for.
pub type Report = Action;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    ExerciseStarted {
        scenario: String,
        seed: u64,
    },
    InjectDelivered {
        inject: String,
        from: String,
        to: Vec<String>,
        channel: Channel,
        tlp: Tlp,
        subject: String,
        /// Set by the facilitator (fired by hand or ad hoc) rather than by the scenario.
        by_facilitator: bool,
        /// The text of an ad-hoc inject (a scenario inject's text is in the scenario).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        body: String,
    },
    InjectSkipped {
        inject: String,
    },
    InjectCancelled {
        inject: String,
    },
    InjectDelayed {
        inject: String,
        until: Minutes,
    },
    DecisionPending {
        decision: String,
        by: Vec<String>,
        deadline: Option<Minutes>,
    },
    DecisionTaken {
        decision: String,
        option: String,
        by: String,
        rationale: String,
        /// The facilitator decided for a seat.
        by_facilitator: bool,
    },
    DecisionDefaulted {
        decision: String,
        option: String,
    },
    DecisionWithdrawn {
        decision: String,
        reason: String,
    },
    IncidentStarted {
        incident: String,
        entities: Vec<String>,
        severity: Severity,
    },
    IncidentDetected {
        incident: String,
    },
    IncidentSpread {
        incident: String,
        entity: String,
        country: String,
    },
    SeverityChanged {
        incident: String,
        from: Severity,
        to: Severity,
    },
    IncidentMitigated {
        incident: String,
    },
    SupportDeployed {
        incident: String,
        support: Support,
    },
    IncidentContained {
        incident: String,
    },
    IncidentRecovered {
        incident: String,
    },
    LargeScaleReached {
        incident: String,
        countries: Vec<String>,
    },
    VariableChanged {
        variable: String,
        value: Value,
    },
    RequestGranted {
        by: String,
        action: Action,
        incident: Option<String>,
        /// The facilitator overrode a refusal, with this reason.
        overridden: Option<String>,
    },
    RequestRefused {
        by: String,
        action: Action,
        incident: Option<String>,
        refusal: Refusal,
    },
    MechanismChanged {
        mechanism: Mechanism,
        state: String,
        by: String,
        reason: String,
    },
    IpcrModeChanged {
        from: IpcrMode,
        to: IpcrMode,
        by: String,
        reason: String,
    },
    ObligationDue {
        entity: String,
        incident: String,
        report: Report,
        due: Minutes,
        /// The law whose clock this is (NIS2 unless the entity is a DORA financial entity).
        #[serde(default, skip_serializing_if = "Regime::is_nis2")]
        regime: Regime,
    },
    ObligationMet {
        entity: String,
        incident: String,
        report: Report,
        #[serde(default, skip_serializing_if = "Regime::is_nis2")]
        regime: Regime,
    },
    ObligationMissed {
        entity: String,
        incident: String,
        report: Report,
        #[serde(default, skip_serializing_if = "Regime::is_nis2")]
        regime: Regime,
    },
    CriterionMet {
        objective: String,
        criterion: String,
    },
    CriterionFailed {
        objective: String,
        criterion: String,
    },
    Evaluation {
        objective: String,
        note: String,
    },
    InformationShared {
        from: String,
        to: Vec<String>,
        tlp: Tlp,
        subject: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        body: String,
        /// The event (by its index in the stream) this passes on, when it is a forward.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        forwarded: Option<usize>,
    },
    /// A seat tried to share information beyond what its TLP label allows (a debrief point).
    ShareRefused {
        from: String,
        to: Vec<String>,
        tlp: Tlp,
        subject: String,
        reason: String,
    },
    ObservationRecorded {
        text: String,
        objective: Option<String>,
        rating: Option<Rating>,
    },
    Paused,
    Resumed,
    ExerciseEnded,
}

impl Event {
    /// One readable line for timelines: `T+01:30  inject delivered ...`.
    #[must_use]
    pub fn line(&self) -> String {
        format!("{}  {}", format_offset(self.at), self.kind.describe())
    }
}

impl EventKind {
    /// A plain-English sentence.
    #[must_use]
    #[expect(clippy::too_many_lines, reason = "one sentence per event kind")]
    pub fn describe(&self) -> String {
        match self {
            Self::ExerciseStarted { scenario, seed } => {
                format!("exercise `{scenario}` starts (seed {seed})")
            }
            Self::InjectDelivered {
                inject,
                from,
                to,
                channel,
                tlp,
                subject,
                by_facilitator,
                ..
            } => format!(
                "{}inject {inject} [{}, {tlp}] {from} → {}: {subject}",
                if *by_facilitator {
                    "facilitator sends "
                } else {
                    ""
                },
                channel.label(),
                to.join(", ")
            ),
            Self::InjectSkipped { inject } => format!("inject {inject} skipped by the facilitator"),
            Self::InjectCancelled { inject } => format!("inject {inject} cancelled"),
            Self::InjectDelayed { inject, until } => {
                format!("inject {inject} delayed to {}", format_offset(*until))
            }
            Self::DecisionPending {
                decision,
                by,
                deadline,
            } => format!(
                "decision {decision} pending for {}{}",
                by.join(", "),
                deadline.map_or(String::new(), |d| format!(
                    " (deadline {})",
                    format_offset(d)
                ))
            ),
            Self::DecisionTaken {
                decision,
                option,
                by,
                rationale,
                by_facilitator,
            } => format!(
                "{by} {}decides {decision}: {option}{}",
                if *by_facilitator {
                    "(facilitator) "
                } else {
                    ""
                },
                if rationale.is_empty() {
                    String::new()
                } else {
                    format!(" — \"{rationale}\"")
                }
            ),
            Self::DecisionWithdrawn { decision, reason } => {
                format!("decision {decision} withdrawn: {reason}")
            }
            Self::DecisionDefaulted { decision, option } => {
                format!("decision {decision} defaults to {option}")
            }
            Self::IncidentStarted {
                incident,
                entities,
                severity,
            } => {
                format!(
                    "incident {incident} starts ({severity}) at {}",
                    entities.join(", ")
                )
            }
            Self::IncidentDetected { incident } => format!("incident {incident} detected"),
            Self::IncidentSpread {
                incident,
                entity,
                country,
            } => format!("incident {incident} spreads to {entity} ({country})"),
            Self::SeverityChanged { incident, from, to } => {
                format!("incident {incident} severity {from} → {to}")
            }
            Self::IncidentMitigated { incident } => format!("incident {incident} mitigated"),
            Self::SupportDeployed { incident, support } => {
                format!("{support} deployed on incident {incident}")
            }
            Self::IncidentContained { incident } => format!("incident {incident} contained"),
            Self::IncidentRecovered { incident } => format!("incident {incident} recovered"),
            Self::LargeScaleReached {
                incident,
                countries,
            } => format!(
                "incident {incident} is large-scale (NIS2 Art. 6(7)): {}",
                countries.join(", ")
            ),
            Self::VariableChanged { variable, value } => format!(
                "{variable} = {}",
                match value {
                    Value::Int(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                }
            ),
            Self::RequestGranted {
                by,
                action,
                incident,
                overridden,
            } => format!(
                "{by}: {}{}{}",
                action.label(),
                incident
                    .as_ref()
                    .map_or(String::new(), |i| format!(" ({i})")),
                overridden.as_ref().map_or(String::new(), |r| format!(
                    " — rule overridden by the facilitator: {r}"
                ))
            ),
            Self::RequestRefused {
                by,
                action,
                refusal,
                ..
            } => format!(
                "REFUSED {by}: {} — {} ({})",
                action.label(),
                refusal.reason,
                refusal.rule
            ),
            Self::MechanismChanged {
                mechanism,
                state,
                by,
                reason,
            } => format!("{mechanism}: {state} (by {by}; {reason})"),
            Self::IpcrModeChanged {
                from,
                to,
                by,
                reason,
            } => format!(
                "IPCR {} → {} (by {by}; {reason})",
                from.keyword().replace('_', " "),
                to.keyword().replace('_', " ")
            ),
            Self::ObligationDue {
                entity,
                incident,
                report,
                due,
                regime,
            } => format!(
                "{entity} owes a {} on {incident} by {}",
                regime.report_label(*report),
                format_offset(*due)
            ),
            Self::ObligationMet {
                entity,
                report,
                regime,
                ..
            } => {
                format!("{entity}: {} filed on time", regime.report_label(*report))
            }
            Self::ObligationMissed {
                entity,
                report,
                regime,
                ..
            } => {
                format!("{entity}: {} deadline MISSED", regime.report_label(*report))
            }
            Self::CriterionMet {
                objective,
                criterion,
            } => format!("criterion {objective}/{criterion} met"),
            Self::CriterionFailed {
                objective,
                criterion,
            } => format!("criterion {objective}/{criterion} FAILED"),
            Self::Evaluation { objective, note } => format!("evaluation [{objective}]: {note}"),
            Self::InformationShared {
                from,
                to,
                tlp,
                subject,
                forwarded,
                ..
            } => format!(
                "{from} {} with {} [{tlp}]: {subject}",
                if forwarded.is_some() {
                    "forwards"
                } else {
                    "shares"
                },
                to.join(", ")
            ),
            Self::ShareRefused {
                from,
                to,
                tlp,
                subject,
                reason,
            } => format!(
                "{from} may not share \"{subject}\" [{tlp}] with {}: {reason}",
                to.join(", ")
            ),
            Self::ObservationRecorded {
                text,
                objective,
                rating,
            } => format!(
                "observation{}{}: {text}",
                objective
                    .as_ref()
                    .map_or(String::new(), |o| format!(" [{o}]")),
                rating.map_or(String::new(), |r| format!(" ({r:?})"))
            ),
            Self::Paused => "paused".into(),
            Self::Resumed => "resumed".into(),
            Self::ExerciseEnded => "exercise ends".into(),
        }
    }
}
